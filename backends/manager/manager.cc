#include "backends/manager/manager.h"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "backends/manager/auth.h"
#include "backends/manager/net.h"
#include "backends/manager/protocol.h"
#include "backends/manager/server.h"
#include "backends/options.h"
#include "backends/server_process.h"
#include "counters/client_loop.h"
#include "counters/clock.h"
#include "counters/hex.h"
#include "counters/strategy.h"

namespace ctrbench {

namespace {

using manager::Address;
using manager::Decode;
using manager::Op;
using manager::Reply;
using manager::Request;

// Effective values of options left at their defaults.
constexpr char kThisBinary[] = "(this binary)";

struct ManagerOptions {
  bool embedded = true;  // No address: start our own server.
  // The key a user's server wants (CTRBENCH_AUTHKEY[_FILE]); an embedded
  // server gets a new one of its own instead.
  std::string auth_key;
  Address address;
  std::string server_path;
  bool server_path_given = false;
  manager::Model model = manager::Model::kLoop;
  int busy_poll_us = 30;
  int pipeline = 1;
  // The run field timeout, unless given here (an older name of it, kept).
  int timeout_ms = 2000;
  bool timeout_given = false;
};

std::string SelfPath() {
  char path[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
  return n > 0 ? std::string(path, static_cast<size_t>(n)) : "ctrbench";
}

const std::vector<OptionSpec>& Specs() {
  static const std::vector<OptionSpec>* specs = new std::vector<OptionSpec>{
      TextOption("address", "unix:PATH or tcp:HOST:PORT", kEmbeddedServer,
                 "a running `ctrbench server` (the run allocates a fresh "
                 "range of its counters and frees it afterwards; other "
                 "counters are not touched); without it the backend starts "
                 "one on a Unix socket in a temporary directory and stops it "
                 "afterwards",
                 [](const std::string& value) {
                   return manager::ParseAddress(value).ok()
                              ? Status::OK()
                              : Status::InvalidArgument("");
                 }),
      TextOption("server_path", "an executable ctrbench", kThisBinary,
                 "the binary that runs the embedded server",
                 [](const std::string& value) {
                   return !value.empty() && access(value.c_str(), X_OK) == 0
                              ? Status::OK()
                              : Status::InvalidArgument(
                                    "the path of an executable ctrbench");
                 }),
      ChoiceOption("model", {"loop", "threads"}, "loop",
                   "the embedded server's concurrency model"),
      IntOption("busy_poll_us", 0, 10000, 30,
                "the embedded loop server looks for the next request this "
                "long after serving before it sleeps (0: at once, as Redis "
                "does)"),
      IntOption("pipeline", 1, 1024, 1,
                "ADDs in flight per worker (atomic only)"),
      IntOption("timeout_ms", 10, 600000, 2000,
                "connect and reply timeout for the manager alone; an older "
                "name of the run field timeout (--timeout), which sets it "
                "when this is not given"),
  };
  return *specs;
}

Result<ManagerOptions> ParseOptions(const OptionMap& given) {
  Result<OptionValues> v = OptionValues::Parse("manager", Specs(), given);
  if (!v.ok()) return v.status();
  ManagerOptions o;
  o.embedded = !v->Given("address");
  if (!o.embedded) o.address = *manager::ParseAddress(v->Text("address"));
  o.server_path_given = v->Given("server_path");
  o.server_path = o.server_path_given ? v->Text("server_path") : SelfPath();
  o.model = *manager::ParseModel(v->Text("model"));
  o.busy_poll_us = v->Int("busy_poll_us");
  o.pipeline = v->Int("pipeline");
  o.timeout_ms = v->Int("timeout_ms");
  o.timeout_given = v->Given("timeout_ms");
  const bool model_given = v->Given("model") || v->Given("busy_poll_us");
  if (!o.embedded) {
    Result<std::string> key = manager::AuthKeyFromEnvironment();
    if (!key.ok()) return key.status();
    o.auth_key = *key;
  }
  if (model_given && !o.embedded) {
    return Status::InvalidArgument(
        "options 'manager.model' and 'manager.busy_poll_us' shape the "
        "embedded server and cannot be used with 'manager.address'; "
        "allowed: one or the other");
  }
  return o;
}

// One connection to the server: requests out, replies in, in order.
class Client {
 public:
  // With a key, the handshake of auth.h comes first.
  static Result<std::unique_ptr<Client>> Connect(const Address& address,
                                                 int timeout_ms,
                                                 const std::string& key) {
    Result<int> fd = manager::ConnectTo(address, timeout_ms, timeout_ms);
    if (!fd.ok()) {
      return Status::IOError("manager: cannot reach the server at " +
                             address.ToString() + ": " +
                             fd.status().message());
    }
    std::unique_ptr<Client> client(new Client(*fd, address, timeout_ms));
    if (!key.empty()) {
      Status st = manager::AuthenticateToServer(*fd, key, address.ToString(),
                                                timeout_ms);
      if (!st.ok()) return st;
    } else {
      // Without a key, a connection counts as a stranger to the server
      // (its small unauthenticated budget) until it has sent a whole
      // frame: one now, and a server that wants a key says so at once.
      Reply r;
      Status st = client->Call({Op::kPing}, &r);
      if (!st.ok()) return st;
    }
    return client;
  }
  ~Client() { close(fd_); }

  // Queues a request; Send() writes everything queued.
  void Queue(const Request& r) {
    char frame[manager::kMaxRequestFrame];
    out_.append(frame, manager::EncodeRequest(r, frame));
  }
  Status Send() {
    Status st = manager::WriteAll(fd_, out_.data(), out_.size());
    out_.clear();
    return st.ok() ? st : Gone(st.message());
  }
  // Send(), if anything is queued.
  Status SendQueued() { return out_.empty() ? Status::OK() : Send(); }
  // True once the connection is lost (and every later call fails).
  bool gone() const { return gone_; }
  int fd() const { return fd_; }
  // Reads the next reply, to a request of `op`. An ERROR reply is an error.
  Status Receive(Op op, Reply* reply) {
    for (;;) {
      size_t used = 0;
      const Decode d = manager::DecodeReply(op, in_.data() + in_off_,
                                            in_.size() - in_off_, reply, &used);
      if (d == Decode::kOk) {
        in_off_ += used;
        if (in_off_ == in_.size()) {
          in_.clear();
          in_off_ = 0;
        }
        if (reply->status == manager::ReplyStatus::kError) {
          return Status::IOError(std::string("manager: ") +
                                 manager::OpName(op) + ": " + reply->text);
        }
        return Status::OK();
      }
      if (d == Decode::kMalformed) {
        gone_ = true;  // Nothing after it can be read in step.
        uint8_t head = 0;
        std::string payload;
        if (manager::DecodeAuthFrame(in_.data() + in_off_, in_.size() - in_off_,
                                     &head, &payload, &used) == Decode::kOk &&
            head == manager::kAuthChallenge) {
          return Status::IOError(
              "manager: the server at " + address_.ToString() +
              " requires a key; set " + manager::kAuthKeyFileEnv +
              " (a file of yours, chmod 600) or " + manager::kAuthKeyEnv +
              " to its key");
        }
        return Status::IOError("manager: malformed reply from " +
                               address_.ToString());
      }
      char buffer[16384];
      const ssize_t n = recv(fd_, buffer, sizeof(buffer), 0);
      if (n > 0) {
        in_.append(buffer, static_cast<size_t>(n));
      } else if (n == 0) {
        return Gone("connection closed");
      } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
        return Gone("no reply within " + std::to_string(timeout_ms_) + " ms");
      } else if (errno != EINTR) {
        return Gone(std::strerror(errno));
      }
    }
  }
  // Waits up to `timeout_ns` until the reply to a request of `op` has come
  // (or the connection failed or closed); false on a timeout.
  bool Ready(Op op, int64_t timeout_ns) {
    for (;;) {
      Reply reply;
      size_t used = 0;
      if (manager::DecodeReply(op, in_.data() + in_off_, in_.size() - in_off_,
                               &reply, &used) != Decode::kNeedMore) {
        return true;
      }
      const int n = WaitReadable(fd_, timeout_ns);
      if (n == 0) return false;
      if (n < 0) return true;
      char buffer[16384];
      const ssize_t got = recv(fd_, buffer, sizeof(buffer), MSG_DONTWAIT);
      if (got < 0 && (errno == EAGAIN || errno == EINTR)) return false;
      if (got <= 0) return true;  // Closed or failed: Receive says which.
      in_.append(buffer, static_cast<size_t>(got));
      // One wait (or one read); then only what has come.
      timeout_ns = timeout_ns == kReadyReadable ? kReadyBuffered : 0;
    }
  }
  Status Call(const Request& r, Reply* reply) {
    Queue(r);
    Status st = Send();
    if (!st.ok()) return st;
    return Receive(r.op, reply);
  }

 private:
  Client(int fd, Address address, int timeout_ms)
      : fd_(fd), address_(std::move(address)), timeout_ms_(timeout_ms) {}

  Status Gone(const std::string& why) {
    gone_ = true;
    return Status::IOError("manager: the server at " + address_.ToString() +
                           " went away (" + why + ")");
  }

  const int fd_;
  const Address address_;
  const int timeout_ms_;
  std::string out_;
  std::string in_;
  size_t in_off_ = 0;
  bool gone_ = false;
};

// The manager's requests for the strategy layer (counters/strategy.h).
// The server has no transactions; its LOCK waits on the server's side.
class ManagerPrimitives final : public Primitives {
 public:
  // The run's counter c is the server's counter base + c.
  ManagerPrimitives(std::unique_ptr<Client> client, uint32_t base)
      : client_(std::move(client)), base_(base) {}

  void Send(const ctrbench::Request& r) override {
    const uint32_t key = base_ + r.counter;
    Op op = Op::kPing;
    switch (r.prim) {
      case Prim::kIncrement: op = Op::kAdd; break;
      case Prim::kLock: op = Op::kLock; break;
      case Prim::kRead: op = Op::kGet; break;
      case Prim::kWrite: op = Op::kSet; break;
      case Prim::kCompareAndSet: op = Op::kCas; break;
      case Prim::kUnlock: op = Op::kUnlock; break;
      case Prim::kTake: op = Op::kTake; break;
      case Prim::kAddGet: op = Op::kAdd; break;
      case Prim::kBegin:
      case Prim::kCommit:
      case Prim::kAbort:
        break;  // Never sent: no transactions.
    }
    if (op == Op::kCas) {
      client_->Queue({op, key, r.expected, r.value});
    } else if (op != Op::kPing) {
      client_->Queue({op, key, r.value, 0});
    }
    sent_.push_back(op);
  }

  void Push() override { client_->SendQueued().ok(); }  // Errors: at Receive.
  int fd() const override { return client_->fd(); }

  bool Ready(int64_t timeout_ns) override {
    if (head_ == sent_.size() || sent_[head_] == Op::kPing) return true;
    return client_->Ready(sent_[head_], timeout_ns);
  }

  ctrbench::Reply Receive() override {
    using ctrbench::Reply;
    const Op op = sent_[head_++];
    if (head_ == sent_.size()) {
      sent_.clear();
      head_ = 0;
    }
    if (op == Op::kPing) return Reply::Done();
    Status st = client_->SendQueued();
    manager::Reply r;
    if (st.ok()) st = client_->Receive(op, &r);
    if (!st.ok()) {
      return client_->gone() ? Reply::Lost(st) : Reply::Failed(st);
    }
    if (op == Op::kGet || op == Op::kAdd) return Reply::Value(r.value);
    if (op == Op::kCas && !r.swapped) return Reply::Conflict();
    if (op == Op::kTake) return Reply::Value(r.swapped ? 1 : 0);
    return Reply::Done();
  }

 private:
  std::unique_ptr<Client> client_;
  const uint32_t base_;
  std::vector<Op> sent_;  // Ops sent, replies not yet received.
  size_t head_ = 0;
};

class ManagerBackend final : public Backend {
 public:
  explicit ManagerBackend(ManagerOptions options)
      : options_(std::move(options)) {}
  ~ManagerBackend() override { Teardown().ok(); }

  Status Setup(const SetupSpec& spec) override {
    TakeTimeout(spec.timeout_ns);
    Teardown().ok();
    strategy_ = StrategyConfigFor(spec);
    counters_ = spec.counters;
    initial_ = spec.Initial();
    clients_ = spec.workers * spec.connections;
    address_ = options_.address;
    key_ = options_.auth_key;
    ledger_ = spec.ledger;
    Status st = options_.embedded ? StartServer() : Status::OK();
    if (st.ok()) st = Allocate();
    if (!st.ok()) {
      Teardown().ok();
      return st;
    }
    if (server_.process()) server_.process()->MarkCpu();
    return Status::OK();
  }

  Result<std::unique_ptr<Session>> Connect(int /*worker*/,
                                           WorkerTally* tally) override {
    Result<std::unique_ptr<Primitives>> wire = Open();
    if (!wire.ok()) return wire.status();
    return NewStrategySession(std::move(*wire), Config(), tally);
  }

  Result<std::unique_ptr<Connections>> ConnectMany(
      int /*worker*/, int n, WorkerTally* tally) override {
    return ConnectEach(n, [this](int) { return Open(); }, Config(), tally);
  }

  Result<std::vector<int64_t>> ReadTotals() override {
    if (!owner_) return Status::IOError("manager: not set up");
    std::vector<int64_t> totals(counters_, 0);
    Status st = EachCounter(
        {Op::kGet}, [&totals](uint32_t c, const Reply& r) { totals[c] = r.value; });
    if (!st.ok()) return st;
    return totals;
  }

  // Under MPI: the server's address, its key and the run's range, for the
  // other ranks (the key travels in hex).
  Result<std::string> Share() const override {
    return nlohmann::json{{"address", address_.ToString()},
                          {"key", ToHex(key_)},
                          {"base", base_}}
        .dump();
  }

  Status Join(const SetupSpec& spec, const std::string& shared) override {
    TakeTimeout(spec.timeout_ns);
    Teardown().ok();
    strategy_ = StrategyConfigFor(spec);
    counters_ = spec.counters;
    clients_ = spec.workers * spec.connections;
    const nlohmann::json j = nlohmann::json::parse(shared, nullptr, false);
    Result<Address> address =
        j.is_object() && j.contains("address")
            ? manager::ParseAddress(j["address"].get<std::string>())
            : Result<Address>(Status::InvalidArgument(""));
    if (!address.ok() || !j.contains("key") || !j.contains("base") ||
        !FromHex(j["key"].get<std::string>(), &key_)) {
      return Status::IOError("manager: rank 0 sent no address");
    }
    address_ = *address;
    base_ = j["base"].get<uint32_t>();
    return Status::OK();
  }

  Status Teardown() override {
    Status status;
    if (owner_) {
      // FREE, and closing the connection would free the range as well.
      Reply r;
      if (!server_.process() || server_.running()) {
        status = owner_->Call({Op::kFree, base_}, &r);
      }
      owner_.reset();
    }
    Status stopped = server_.Stop();
    if (status.ok()) status = stopped;
    return status;
  }

  std::string Version() const override {
    return options_.embedded
               ? std::string("ctrbench-manager ") + manager::ModelName(options_.model)
               : "ctrbench-manager (external)";
  }

  Status CheckRun(const SetupSpec& run) const override {
    return PipelineAllowed("manager", options_.pipeline, run.strategy,
                           run.kind);
  }

  OptionMap EffectiveOptions() const override {
    OptionMap o = {
        {"address", options_.embedded ? kEmbeddedServer
                                      : options_.address.ToString()},
        {"server_path", options_.server_path_given ? options_.server_path
                                                   : kThisBinary},
        {"model", options_.embedded ? manager::ModelName(options_.model)
                                    : "(external)"},
        {"busy_poll_us", options_.embedded
                             ? std::to_string(options_.busy_poll_us)
                             : "(external)"},
        {"pipeline", std::to_string(options_.pipeline)},
        {"timeout_ms", std::to_string(options_.timeout_ms)},
    };
    return o;
  }

  void MeasurementStarted() override {
    cpu_.Start(server_.process() ? server_.process()->CpuSinceMark() : -1);
  }
  void MeasurementEnded() override {
    cpu_.End(server_.process() ? server_.process()->CpuSinceMark() : -1);
  }
  StatValues Stats() const override {
    StatValues stats;
    cpu_.AddTo(&stats);
    return stats;
  }
  std::vector<pid_t> ServerPids() const override {
    if (!server_.process()) return {};
    return {server_.process()->pid()};
  }

 private:
  Result<std::unique_ptr<Primitives>> Open() {
    Result<std::unique_ptr<Client>> client =
        Client::Connect(address_, options_.timeout_ms, key_);
    if (!client.ok()) return client.status();
    return std::unique_ptr<Primitives>(
        std::make_unique<ManagerPrimitives>(std::move(*client), base_));
  }

  StrategyConfig Config() const {
    StrategyConfig config = strategy_;
    config.pipeline = options_.pipeline;
    config.reply_timeout_ns = int64_t{options_.timeout_ms} * 1000000;
    return config;
  }

  // The run's timeout, unless manager.timeout_ms (its older name) was
  // given.
  void TakeTimeout(int64_t timeout_ns) {
    if (!options_.timeout_given) {
      options_.timeout_ms = static_cast<int>(
          std::min<int64_t>(timeout_ns / 1000000, 3600000));
    }
  }

  Status StartServer() {
    Status st = server_.MakeDir(ledger_);
    if (!st.ok()) return st;
    address_.kind = Address::Kind::kUnix;
    address_.path = server_.dir() + "/sock";
    // A key of its own, in the server's environment: no other user of the
    // machine can use the server, even if the socket were reachable.
    key_ = manager::NewAuthKey();
    return server_.Start(
        {options_.server_path, "server", "--listen", address_.ToString(),
         "--model", manager::ModelName(options_.model),
         "--busy-poll-us", std::to_string(options_.busy_poll_us),
         // Every worker's connection, and the run's own few; all of them
         // may be in their handshakes at once (1,000 workers starting
         // together), and no one else can reach this socket to flood it.
         "--max-connections", std::to_string(std::max(1024, clients_ + 16)),
         "--max-unauthenticated",
         std::to_string(std::max(1024, clients_ + 16))},
        {{manager::kAuthKeyFileEnv, ""}, {manager::kAuthKeyEnv, key_}},
        [this]() -> Status {
          Result<std::unique_ptr<Client>> client =
              Client::Connect(address_, 200, key_);
          if (!client.ok()) return client.status();
          Reply r;
          return (*client)->Call({Op::kPing}, &r);
        },
        " (is manager.server_path a ctrbench binary?)");
  }

  // The run's counters are a fresh range of the server's, allocated over a
  // connection held until Teardown: no other run or user shares them, and
  // the server frees them when that connection closes, even after a crash.
  Status Allocate() {
    Result<std::unique_ptr<Client>> client =
        Client::Connect(address_, options_.timeout_ms, key_);
    if (!client.ok()) return client.status();
    Reply r;
    Status st = (*client)->Call({Op::kAlloc, counters_}, &r);
    if (!st.ok()) return st;
    base_ = static_cast<uint32_t>(r.value);
    owner_ = std::move(*client);
    return Fill();
  }

  // The range starts at zero: a stock is SET on each counter.
  Status Fill() {
    if (initial_ == 0) return Status::OK();
    return EachCounter({Op::kSet, 0, initial_, 0}, nullptr)
        .WithContext("manager: fill the stock");
  }

  // Sends `request` for each counter of the run's range (its counter
  // field set to each in turn) over the owner's connection, pipelined
  // 1,024 at a time, and hands each reply to `reply` (may be null).
  Status EachCounter(Request request,
                     const std::function<void(uint32_t, const Reply&)>& reply) {
    constexpr uint32_t kChunk = 1024;
    for (uint32_t first = 0; first < counters_; first += kChunk) {
      const uint32_t last = std::min(counters_, first + kChunk);
      for (uint32_t c = first; c < last; ++c) {
        request.key = base_ + c;
        owner_->Queue(request);
      }
      Status st = owner_->SendQueued();
      Reply r;
      for (uint32_t c = first; st.ok() && c < last; ++c) {
        st = owner_->Receive(request.op, &r);
        if (st.ok() && reply) reply(c, r);
      }
      if (!st.ok()) return st;
    }
    return Status::OK();
  }

  ManagerOptions options_;  // Its timeout set by each Setup.
  // The run's strategy, hold and take (StrategyConfigFor).
  StrategyConfig strategy_;
  uint32_t counters_ = 0;
  int64_t initial_ = 0;  // Every counter's value at the start: the stock.
  int clients_ = 1;  // Workers x connections.
  Address address_;
  EmbeddedServer server_{"manager"};
  CpuWindow cpu_;
  std::unique_ptr<Client> owner_;  // The connection that owns the range.
  std::string key_;                // Of the server: ours, or the user's.
  Ledger* ledger_ = nullptr;
  uint32_t base_ = 0;              // The range's first counter.
};

}  // namespace

BackendInfo ManagerBackendInfo() {
  BackendInfo info;
  info.name = "manager";
  info.description =
      "counters owned by a ctrbench server process, over a Unix socket or "
      "TCP (like Python's multiprocessing.Manager)";
  info.capabilities.threads = true;
  info.capabilities.processes = true;
  info.capabilities.strategies = {Strategy::kAtomic, Strategy::kLock,
                                  Strategy::kCas, Strategy::kNaive};
  info.capabilities.latency_sample_every = 1;
  info.capabilities.connections = true;
  info.capabilities.mpi = true;
  info.capabilities.inventory = true;
  info.stats = {ServerCpuStat()};
  info.options = Specs();
  info.factory = [](const OptionMap& options)
      -> Result<std::unique_ptr<Backend>> {
    Result<ManagerOptions> parsed = ParseOptions(options);
    if (!parsed.ok()) return parsed.status();
    return std::unique_ptr<Backend>(new ManagerBackend(*parsed));
  };
  return info;
}

}  // namespace ctrbench
