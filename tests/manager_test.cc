// Tests of `ctrbench server` and the manager backend beyond the shared
// conformance suite: locks released by a disconnect, bad frames, pipelining,
// the connection limit, SIGTERM, and a server killed in the middle of a run.
// Every test starts the real server binary on a Unix socket in a temp dir.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "backends/manager/auth.h"
#include "backends/manager/net.h"
#include "backends/manager/protocol.h"
#include "backends/server_process.h"
#include "counters/clock.h"
#include "tests/test_util.h"

namespace ctrbench {
namespace {

using manager::Decode;
using manager::Op;
using manager::Reply;
using manager::Request;
using testing_util::TempDir;

// A raw protocol client, so the tests can also send what a good client
// never would.
class RawClient {
 public:
  // With a key, it authenticates first (auth.h).
  explicit RawClient(const std::string& socket, const std::string& key = "") {
    Result<manager::Address> a = manager::ParseAddress("unix:" + socket);
    Result<int> fd = manager::ConnectTo(*a, 2000, 3000);
    EXPECT_TRUE(fd.ok()) << fd.status().ToString();
    fd_ = fd.ok() ? *fd : -1;
    if (!key.empty() && fd_ >= 0) {
      const Status st = manager::AuthenticateToServer(fd_, key, socket);
      EXPECT_TRUE(st.ok()) << st.ToString();
    }
  }
  int fd() const { return fd_; }
  ~RawClient() { Close(); }
  void Close() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

  void SendBytes(const std::string& bytes) {
    ASSERT_TRUE(manager::WriteAll(fd_, bytes.data(), bytes.size()).ok());
  }
  void Send(const Request& r) {
    char frame[manager::kMaxRequestFrame];
    SendBytes(std::string(frame, manager::EncodeRequest(r, frame)));
  }
  // The next reply, or a failed reply with text "closed" when the server
  // closed the connection.
  Reply Receive(Op op) {
    Reply r;
    for (;;) {
      size_t used = 0;
      if (manager::DecodeReply(op, in_.data(), in_.size(), &r, &used) ==
          Decode::kOk) {
        in_.erase(0, used);
        return r;
      }
      char buffer[4096];
      const ssize_t n = recv(fd_, buffer, sizeof(buffer), 0);
      if (n <= 0) {
        r.status = manager::ReplyStatus::kError;
        r.text = "closed";
        return r;
      }
      in_.append(buffer, static_cast<size_t>(n));
    }
  }
  Reply Call(const Request& r) {
    Send(r);
    return Receive(r.op);
  }
  // True if a reply arrives within `ms`.
  bool Readable(int ms) {
    if (!in_.empty()) return true;
    pollfd p = {fd_, POLLIN, 0};
    return poll(&p, 1, ms) == 1;
  }
  // True once the server has closed the connection (within 2 s).
  bool ClosedByServer() {
    char buffer[256];
    pollfd p = {fd_, POLLIN, 0};
    if (poll(&p, 1, 2000) != 1) return false;
    return recv(fd_, buffer, sizeof(buffer), 0) == 0;
  }

 private:
  int fd_ = -1;
  std::string in_;
};

class ManagerServerTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override { Start({}); }

  // `key`: the server's CTRBENCH_AUTHKEY; then the fixture's own
  // connections authenticate with it.
  void Start(std::vector<std::string> extra, const std::string& key = "") {
    socket_ = dir_.File("sock");
    key_ = key;
    std::vector<std::string> argv = {CTRBENCH_BINARY, "server", "--listen",
                                     "unix:" + socket_, "--model", GetParam()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    Result<std::unique_ptr<ServerProcess>> server = ServerProcess::Start(
        argv, {{manager::kAuthKeyFileEnv, ""}, {manager::kAuthKeyEnv, key}});
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(*server);
    // The socket file appears at bind(), a little before listen().
    Result<manager::Address> address =
        manager::ParseAddress("unix:" + socket_);
    const int64_t deadline = NowNs() + 5000000000LL;
    for (;;) {
      Result<int> fd = manager::ConnectTo(*address, 1000, 1000);
      if (fd.ok()) {
        close(*fd);
        break;
      }
      ASSERT_LT(NowNs(), deadline) << fd.status().ToString();
      usleep(2000);
    }
    RawClient setup(socket_, key_);
    ASSERT_EQ(setup.Call({Op::kReset, 4}).status, manager::ReplyStatus::kOk);
  }

  // Starts `ctrbench server --model MODEL ARGS` with `key` in its
  // environment and its output in `logs`, and waits until it listens; its
  // pid (the fixture's own server is stopped first).
  pid_t SpawnLoggedServer(const TempDir& logs, std::vector<std::string> args,
                          const std::string& key) {
    if (server_) server_->Stop().ok();
    args.insert(args.begin(), {"server", "--model", GetParam()});
    testing_util::ScopedEnv with_key(manager::kAuthKeyEnv, key);
    const pid_t pid = testing_util::SpawnCtrbench(logs.path(), args);
    const int64_t deadline = NowNs() + 5000000000LL;
    while (testing_util::ReadFile(logs.File("stdout.txt"))
                   .find("listening on") == std::string::npos &&
           NowNs() < deadline) {
      usleep(2000);
    }
    return pid;
  }

  TempDir dir_;
  std::string socket_;
  std::string key_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_P(ManagerServerTest, AnswersEveryRequest) {
  RawClient c(socket_);
  EXPECT_EQ(c.Call({Op::kPing}).status, manager::ReplyStatus::kOk);
  EXPECT_EQ(c.Call({Op::kAdd, 1, 5}).value, 5);
  EXPECT_EQ(c.Call({Op::kAdd, 1, -2}).value, 3);
  EXPECT_EQ(c.Call({Op::kGet, 1}).value, 3);
  EXPECT_EQ(c.Call({Op::kSet, 2, 40}).status, manager::ReplyStatus::kOk);
  Reply cas = c.Call({Op::kCas, 2, 40, 41});
  EXPECT_TRUE(cas.swapped);
  EXPECT_EQ(cas.value, 41);
  cas = c.Call({Op::kCas, 2, 40, 99});
  EXPECT_FALSE(cas.swapped);
  EXPECT_EQ(cas.value, 41);
  // TAKE: the amount only while that much is left, never below zero.
  Reply take = c.Call({Op::kTake, 2, 40});
  EXPECT_TRUE(take.swapped);
  EXPECT_EQ(take.value, 1);
  take = c.Call({Op::kTake, 2, 2});
  EXPECT_FALSE(take.swapped);
  EXPECT_EQ(take.value, 1);
  take = c.Call({Op::kTake, 2, -5});
  EXPECT_EQ(take.status, manager::ReplyStatus::kError);
  EXPECT_EQ(c.Call({Op::kGet, 2}).value, 1);
  EXPECT_EQ(c.Call({Op::kSet, 2, 41}).status, manager::ReplyStatus::kOk);
  EXPECT_EQ(c.Call({Op::kLock, 0}).status, manager::ReplyStatus::kOk);
  EXPECT_EQ(c.Call({Op::kUnlock, 0}).status, manager::ReplyStatus::kOk);
  Reply not_held = c.Call({Op::kUnlock, 0});
  EXPECT_EQ(not_held.status, manager::ReplyStatus::kError);
  EXPECT_NE(not_held.text.find("not held"), std::string::npos);
  Reply missing = c.Call({Op::kGet, 4});
  EXPECT_EQ(missing.status, manager::ReplyStatus::kError);
  EXPECT_NE(missing.text.find("no counter 4"), std::string::npos);
  Reply stats = c.Call({Op::kStats});
  EXPECT_NE(stats.text.find(std::string("model=") + GetParam()),
            std::string::npos);
  EXPECT_NE(stats.text.find("counters=4"), std::string::npos);
  EXPECT_EQ(c.Call({Op::kReset, 4}).status, manager::ReplyStatus::kOk);
  EXPECT_EQ(c.Call({Op::kGet, 1}).value, 0);
}

TEST_P(ManagerServerTest, PipelinedRequestsAreAnsweredInOrder) {
  RawClient c(socket_);
  std::string batch;
  for (int i = 0; i < 200; ++i) {
    char frame[manager::kMaxRequestFrame];
    batch.append(frame, manager::EncodeRequest({Op::kAdd, 3, 1}, frame));
  }
  c.SendBytes(batch);
  for (int i = 1; i <= 200; ++i) ASSERT_EQ(c.Receive(Op::kAdd).value, i);
}

TEST_P(ManagerServerTest, LockWaitsInAQueueAndADisconnectReleasesIt) {
  RawClient a(socket_), b(socket_), c(socket_);
  ASSERT_EQ(a.Call({Op::kLock, 0}).status, manager::ReplyStatus::kOk);
  b.Send({Op::kLock, 0});
  usleep(20000);
  c.Send({Op::kLock, 0});
  EXPECT_FALSE(b.Readable(100));
  EXPECT_FALSE(c.Readable(0));
  // The holder goes away without unlocking: the next in line gets it.
  a.Close();
  ASSERT_TRUE(b.Readable(2000));
  EXPECT_EQ(b.Receive(Op::kLock).status, manager::ReplyStatus::kOk);
  EXPECT_FALSE(c.Readable(100));
  EXPECT_EQ(b.Call({Op::kUnlock, 0}).status, manager::ReplyStatus::kOk);
  ASSERT_TRUE(c.Readable(2000));
  EXPECT_EQ(c.Receive(Op::kLock).status, manager::ReplyStatus::kOk);
}

// A waiter that goes away while queued gives up its place: the LOCK goes
// to the one behind it.
TEST_P(ManagerServerTest, AWaiterThatLeavesTheQueueIsSkipped) {
  RawClient a(socket_), b(socket_), c(socket_);
  ASSERT_EQ(a.Call({Op::kLock, 1}).status, manager::ReplyStatus::kOk);
  b.Send({Op::kLock, 1});
  usleep(20000);
  c.Send({Op::kLock, 1});
  EXPECT_FALSE(c.Readable(100));
  b.Close();
  usleep(20000);
  EXPECT_EQ(a.Call({Op::kUnlock, 1}).status, manager::ReplyStatus::kOk);
  ASSERT_TRUE(c.Readable(2000));
  EXPECT_EQ(c.Receive(Op::kLock).status, manager::ReplyStatus::kOk);
}

// A LOCK that a RESET took away is no longer its old holder's: when that
// holder leaves, the LOCK stays with whoever took it after the RESET. And
// a holder that LOCKs and RESETs over and over is still served (what it
// no longer holds does not pile up).
TEST_P(ManagerServerTest, ALockARESETTookIsNotReleasedByItsOldHolder) {
  RawClient a(socket_), b(socket_), c(socket_);
  for (int i = 0; i < 300; ++i) {
    ASSERT_EQ(a.Call({Op::kLock, 2}).status, manager::ReplyStatus::kOk);
    ASSERT_EQ(a.Call({Op::kReset, 4}).status, manager::ReplyStatus::kOk);
  }
  ASSERT_EQ(b.Call({Op::kLock, 2}).status, manager::ReplyStatus::kOk);
  a.Close();
  usleep(50000);
  c.Send({Op::kLock, 2});
  EXPECT_FALSE(c.Readable(200)) << "b still holds counter 2";
  EXPECT_EQ(b.Call({Op::kUnlock, 2}).status, manager::ReplyStatus::kOk);
  ASSERT_TRUE(c.Readable(2000));
  EXPECT_EQ(c.Receive(Op::kLock).status, manager::ReplyStatus::kOk);
}

TEST_P(ManagerServerTest, AMalformedFrameClosesOnlyItsConnection) {
  RawClient good(socket_), bad(socket_), huge(socket_);
  EXPECT_EQ(good.Call({Op::kAdd, 0, 1}).value, 1);
  bad.SendBytes(std::string("\x01\x00\x00\x00\x63", 5));  // Opcode 99.
  Reply r = bad.Receive(Op::kPing);
  EXPECT_EQ(r.status, manager::ReplyStatus::kError);
  EXPECT_NE(r.text.find("malformed"), std::string::npos) << r.text;
  EXPECT_TRUE(bad.ClosedByServer());
  huge.SendBytes(std::string("\x00\x00\x00\x40\x02", 5));  // 1 GiB frame.
  EXPECT_NE(huge.Receive(Op::kPing).text.find("malformed"), std::string::npos);
  EXPECT_TRUE(huge.ClosedByServer());
  EXPECT_EQ(good.Call({Op::kAdd, 0, 1}).value, 2);
}

TEST_P(ManagerServerTest, AClientLeavingMidRequestLeaksNothing) {
  for (int i = 0; i < 20; ++i) {
    RawClient c(socket_);
    c.SendBytes(std::string("\x0d\x00\x00\x00\x02\x01", 6));  // Half an ADD.
  }
  RawClient c(socket_);
  const int64_t deadline = NowNs() + 2000000000LL;
  std::string stats;
  do {
    stats = c.Call({Op::kStats}).text;
  } while (stats.find("connections=1 ") == std::string::npos &&
           NowNs() < deadline);
  EXPECT_NE(stats.find("connections=1 "), std::string::npos) << stats;
  EXPECT_EQ(c.Call({Op::kGet, 1}).value, 0);
}

TEST_P(ManagerServerTest, RefusesConnectionsOverTheLimitUnlessOneIsIdle) {
  ASSERT_TRUE(server_->Stop().ok());
  Start({"--max-connections", "2"});
  // The connections Start() made may take a moment to be gone (a thread of
  // the threads model notices a closed peer when it is next scheduled):
  // until then a new client may be refused.
  const int64_t deadline = NowNs() + 5000000000LL;
  std::unique_ptr<RawClient> first;
  for (;;) {
    first = std::make_unique<RawClient>(socket_);
    if (first->Call({Op::kPing}).status == manager::ReplyStatus::kOk) break;
    ASSERT_LT(NowNs(), deadline) << "the limit of 2 never let a client in";
    usleep(2000);
  }
  RawClient& a = *first;
  while (a.Call({Op::kStats}).text.find("connections=1 ") == std::string::npos &&
         NowNs() < deadline) {
    usleep(1000);
  }
  // Both connections hold a lock: neither is idle, so a third is refused.
  EXPECT_EQ(a.Call({Op::kLock, 0}).status, manager::ReplyStatus::kOk);
  RawClient b(socket_);
  EXPECT_EQ(b.Call({Op::kLock, 1}).status, manager::ReplyStatus::kOk);
  {
    RawClient c(socket_);
    Reply r = c.Receive(Op::kPing);
    EXPECT_EQ(r.status, manager::ReplyStatus::kError);
    EXPECT_NE(r.text.find("too many connections"), std::string::npos) << r.text;
  }
  EXPECT_EQ(a.Call({Op::kAdd, 0, 1}).value, 1);
  if (std::string(GetParam()) != "loop") return;
  // The loop model makes room: once `a` is idle, a new client takes its
  // place.
  EXPECT_EQ(a.Call({Op::kUnlock, 0}).status, manager::ReplyStatus::kOk);
  usleep(20000);
  RawClient d(socket_);
  EXPECT_EQ(d.Call({Op::kPing}).status, manager::ReplyStatus::kOk);
  EXPECT_TRUE(a.ClosedByServer());
  EXPECT_EQ(b.Call({Op::kUnlock, 1}).status, manager::ReplyStatus::kOk);
}

// With a key, a client must answer the server's challenge with the HMAC of
// the key, and the server must answer the client's: a client without the
// key, with a wrong one, or that stays silent, is refused and the refusal
// logged; one with the key is served.
TEST_P(ManagerServerTest, AuthenticatesItsClientsWithAKey) {
  // Started here, with its stderr in a file, to read what it logged.
  TempDir logs;
  const pid_t server = SpawnLoggedServer(
      logs, {"--listen", "unix:" + socket_, "--auth-timeout-ms", "300"},
      "the key");
  RawClient good(socket_, "the key");
  ASSERT_EQ(good.Call({Op::kReset, 4}).status, manager::ReplyStatus::kOk);
  EXPECT_EQ(good.Call({Op::kAdd, 1, 5}).value, 5);

  // A client that knows nothing of the handshake sends a request at once.
  RawClient naive(socket_);
  naive.Send({Op::kAdd, 1, 100});
  char buffer[256];
  std::string got;
  pollfd p = {naive.fd(), POLLIN, 0};
  while (poll(&p, 1, 2000) == 1) {
    const ssize_t n = recv(naive.fd(), buffer, sizeof(buffer), 0);
    if (n <= 0) break;
    got.append(buffer, static_cast<size_t>(n));
  }
  EXPECT_EQ(static_cast<uint8_t>(got[4]), manager::kAuthChallenge);
  EXPECT_NE(got.find("authentication failed"), std::string::npos);

  // A wrong key.
  Result<manager::Address> a = manager::ParseAddress("unix:" + socket_);
  Result<int> fd = manager::ConnectTo(*a, 2000, 3000);
  ASSERT_TRUE(fd.ok());
  Status st = manager::AuthenticateToServer(*fd, "not the key", socket_);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("refused us"), std::string::npos) << st.message();
  close(*fd);

  // Silent: gets the challenge, and is closed once the handshake's time
  // is up.
  RawClient silent(socket_);
  std::string heard;
  bool closed = false;
  const int64_t until = NowNs() + 3000000000LL;
  while (!closed && NowNs() < until) {
    pollfd q = {silent.fd(), POLLIN, 0};
    if (poll(&q, 1, 100) != 1) continue;
    const ssize_t n = recv(silent.fd(), buffer, sizeof(buffer), 0);
    if (n <= 0) closed = true;
    if (n > 0) heard.append(buffer, static_cast<size_t>(n));
  }
  EXPECT_TRUE(closed);
  ASSERT_GE(heard.size(), manager::kAuthFrameBytes);
  EXPECT_EQ(static_cast<uint8_t>(heard[4]), manager::kAuthChallenge);
  EXPECT_NE(heard.find("closing"), std::string::npos);

  EXPECT_EQ(good.Call({Op::kGet, 1}).value, 5);  // Nothing else got in.
  kill(server, SIGTERM);
  EXPECT_EQ(testing_util::WaitExit(server), 0);
  const std::string log = testing_util::ReadFile(logs.File("stderr.txt"));
  EXPECT_NE(log.find("a client failed authentication"), std::string::npos)
      << log;
  EXPECT_NE(log.find("did not finish the handshake"), std::string::npos)
      << log;
}

// Memory follows the counters: a large range freed is given back, and
// RESET means the same on both models (locks and waiters go too).
TEST_P(ManagerServerTest, GivesMemoryBackAndResetsTheSameOnBothModels) {
  RawClient a(socket_), b(socket_);
  const Reply big = a.Call({Op::kAlloc, 1000000});
  ASSERT_EQ(big.status, manager::ReplyStatus::kOk) << big.text;
  b.Close();  // Alone, so the threads model may give chunks back.
  usleep(50000);
  auto allocated = [&a] {
    const std::string stats = a.Call({Op::kStats}).text;
    const size_t at = stats.find("allocated=");
    return at == std::string::npos ? -1L : std::atol(stats.c_str() + at + 10);
  };
  EXPECT_GE(allocated(), 1000000);
  ASSERT_EQ(a.Call({Op::kFree, static_cast<uint32_t>(big.value)}).status,
            manager::ReplyStatus::kOk);
  EXPECT_LT(allocated(), 100000);

  RawClient holder(socket_), waiter(socket_);
  ASSERT_EQ(holder.Call({Op::kSet, 2, 9}).status, manager::ReplyStatus::kOk);
  ASSERT_EQ(holder.Call({Op::kLock, 2}).status, manager::ReplyStatus::kOk);
  waiter.Send({Op::kLock, 2});
  EXPECT_FALSE(waiter.Readable(100));
  ASSERT_EQ(a.Call({Op::kReset, 4}).status, manager::ReplyStatus::kOk);
  ASSERT_TRUE(waiter.Readable(2000));
  const Reply interrupted = waiter.Receive(Op::kLock);
  EXPECT_EQ(interrupted.status, manager::ReplyStatus::kError);
  EXPECT_NE(interrupted.text.find("RESET"), std::string::npos)
      << interrupted.text;
  EXPECT_EQ(a.Call({Op::kGet, 2}).value, 0);
  // The lock went with RESET: another connection takes it at once.
  EXPECT_EQ(waiter.Call({Op::kLock, 2}).status, manager::ReplyStatus::kOk);
}

// The client checks the server too: a "server" that cannot answer the
// client's challenge does not hold the key.
TEST(ManagerAuth, AClientRefusesAServerWithoutTheKey) {
  TempDir dir;
  Result<manager::Address> address =
      manager::ParseAddress("unix:" + dir.File("fake"));
  Result<int> listener = manager::Listen(*address, 4);
  ASSERT_TRUE(listener.ok()) << listener.status().ToString();
  std::thread fake([fd = *listener] {
    const int conn = accept(fd, nullptr, nullptr);
    std::string challenge(32, 'x');
    const std::string hello =
        manager::AuthFrame(manager::kAuthChallenge, challenge);
    manager::WriteAll(conn, hello.data(), hello.size()).ok();
    char buffer[2 * manager::kAuthFrameBytes];
    size_t got = 0;
    while (got < sizeof(buffer)) {
      const ssize_t n = recv(conn, buffer + got, sizeof(buffer) - got, 0);
      if (n <= 0) break;
      got += static_cast<size_t>(n);
    }
    const std::string bogus =
        manager::AuthFrame(manager::kAuthResponse, std::string(32, '\0'));
    manager::WriteAll(conn, bogus.data(), bogus.size()).ok();
    close(conn);
  });
  Result<int> fd = manager::ConnectTo(*address, 2000, 2000);
  ASSERT_TRUE(fd.ok());
  const Status st = manager::AuthenticateToServer(*fd, "k", "the fake");
  fake.join();
  close(*fd);
  close(*listener);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("does not hold our key"), std::string::npos)
      << st.message();
}

// Without a key the server listens on loopback and Unix sockets only.
TEST(ManagerAuth, ANonLoopbackAddressWithoutAKeyIsRefused) {
  TempDir dir;
  const pid_t pid = testing_util::SpawnCtrbench(
      dir.path(), {"server", "--listen", "tcp:0.0.0.0:0"});
  EXPECT_EQ(testing_util::WaitExit(pid), 2);
  const std::string err = testing_util::ReadFile(dir.File("stderr.txt"));
  EXPECT_NE(err.find("CTRBENCH_AUTHKEY_FILE"), std::string::npos) << err;
  // A key file others can read is refused too.
  std::ofstream(dir.File("key")) << "k\n";
  chmod(dir.File("key").c_str(), 0644);
  testing_util::ScopedEnv file(manager::kAuthKeyFileEnv, dir.File("key"));
  const pid_t again = testing_util::SpawnCtrbench(
      dir.path(), {"server", "--listen", "unix:" + dir.File("s")});
  EXPECT_EQ(testing_util::WaitExit(again), 2);
  EXPECT_NE(testing_util::ReadFile(dir.File("stderr.txt")).find("chmod 600"),
            std::string::npos);
  // So is another user's, however private.
  if (geteuid() == 0) {
    chmod(dir.File("key").c_str(), 0600);
    ASSERT_EQ(chown(dir.File("key").c_str(), 65534, 65534), 0);
    const pid_t theirs = testing_util::SpawnCtrbench(
        dir.path(), {"server", "--listen", "unix:" + dir.File("s")});
    EXPECT_EQ(testing_util::WaitExit(theirs), 2);
    EXPECT_NE(testing_util::ReadFile(dir.File("stderr.txt"))
                  .find("not by this user"),
              std::string::npos);
  }
}

// A connection with nothing in flight is closed after the idle timeout;
// one that holds a lock is not idle.
TEST_P(ManagerServerTest, ClosesIdleConnectionsButNotLockHolders) {
  ASSERT_TRUE(server_->Stop().ok());
  Start({"--idle-timeout", "1"});
  RawClient idle(socket_), holder(socket_), owner(socket_);
  EXPECT_EQ(holder.Call({Op::kLock, 2}).status, manager::ReplyStatus::kOk);
  EXPECT_EQ(idle.Call({Op::kPing}).status, manager::ReplyStatus::kOk);
  // A run's owner connection is quiet for the whole run: never idle.
  const Reply range = owner.Call({Op::kAlloc, 8});
  ASSERT_EQ(range.status, manager::ReplyStatus::kOk);
  usleep(1500000);
  EXPECT_TRUE(idle.ClosedByServer());
  EXPECT_EQ(holder.Call({Op::kUnlock, 2}).status, manager::ReplyStatus::kOk);
  RawClient worker(socket_);
  EXPECT_EQ(worker.Call({Op::kAdd, static_cast<uint32_t>(range.value), 1}).value,
            1);
  EXPECT_EQ(owner.Call({Op::kFree, static_cast<uint32_t>(range.value)}).status,
            manager::ReplyStatus::kOk);
}

TEST_P(ManagerServerTest, SigtermRemovesTheSocketAndExitsZero) {
  RawClient c(socket_);
  EXPECT_EQ(c.Call({Op::kLock, 1}).status, manager::ReplyStatus::kOk);
  ASSERT_TRUE(server_->Stop(3000).ok());
  EXPECT_EQ(server_->ExitDescription(), "exited with status 0");
  EXPECT_NE(access(socket_.c_str(), F_OK), 0);
}

// ALLOC gives each connection a range of its own, zeroed, away from the
// counters of RESET; only its connection may FREE it, and closing the
// connection frees it too.
TEST_P(ManagerServerTest, AllocatedRangesAreDisjointAndOwned) {
  RawClient user(socket_), a(socket_), b(socket_);
  ASSERT_EQ(user.Call({Op::kSet, 3, 1000}).status, manager::ReplyStatus::kOk);
  const Reply ra = a.Call({Op::kAlloc, 10});
  ASSERT_EQ(ra.status, manager::ReplyStatus::kOk) << ra.text;
  const Reply rb = b.Call({Op::kAlloc, 5});
  ASSERT_EQ(rb.status, manager::ReplyStatus::kOk) << rb.text;
  EXPECT_GE(ra.value, 4);  // Above RESET's counters 0..3.
  EXPECT_GE(rb.value, 4);
  EXPECT_TRUE(ra.value + 10 <= rb.value || rb.value + 5 <= ra.value);
  const uint32_t base_a = static_cast<uint32_t>(ra.value);
  const uint32_t base_b = static_cast<uint32_t>(rb.value);
  EXPECT_EQ(a.Call({Op::kGet, base_a + 9}).value, 0);
  EXPECT_EQ(a.Call({Op::kAdd, base_a, 7}).value, 7);
  EXPECT_EQ(user.Call({Op::kGet, 3}).value, 1000);

  Reply stolen = b.Call({Op::kFree, base_a});
  EXPECT_EQ(stolen.status, manager::ReplyStatus::kError);
  EXPECT_NE(stolen.text.find("no range of this connection"), std::string::npos)
      << stolen.text;
  EXPECT_EQ(a.Call({Op::kGet, base_a}).value, 7);

  // A LOCK waiting for a counter of a range that is freed gets an error.
  ASSERT_EQ(a.Call({Op::kLock, base_a + 1}).status, manager::ReplyStatus::kOk);
  b.Send({Op::kLock, base_a + 1});
  EXPECT_FALSE(b.Readable(50));
  ASSERT_EQ(a.Call({Op::kFree, base_a}).status, manager::ReplyStatus::kOk);
  ASSERT_TRUE(b.Readable(2000));
  Reply interrupted = b.Receive(Op::kLock);
  EXPECT_EQ(interrupted.status, manager::ReplyStatus::kError);
  EXPECT_NE(interrupted.text.find("freed"), std::string::npos)
      << interrupted.text;
  Reply gone = user.Call({Op::kGet, base_a});
  EXPECT_EQ(gone.status, manager::ReplyStatus::kError);
  EXPECT_NE(gone.text.find("no counter"), std::string::npos) << gone.text;

  // b's range goes when b closes.
  EXPECT_EQ(b.Call({Op::kAdd, base_b, 1}).value, 1);
  b.Close();
  const int64_t deadline = NowNs() + 2000000000LL;
  std::string stats;
  do {
    stats = user.Call({Op::kStats}).text;
  } while (stats.find("ranges=0") == std::string::npos && NowNs() < deadline);
  EXPECT_NE(stats.find("ranges=0"), std::string::npos) << stats;
  EXPECT_NE(stats.find("counters=4 "), std::string::npos) << stats;
  EXPECT_EQ(user.Call({Op::kGet, base_b}).status, manager::ReplyStatus::kError);
  EXPECT_EQ(user.Call({Op::kGet, 3}).value, 1000);

  // ADD past INT64_MAX is an error that changes nothing, as in Redis.
  const uint32_t k = static_cast<uint32_t>(a.Call({Op::kAlloc, 1}).value);
  ASSERT_EQ(a.Call({Op::kSet, k, INT64_MAX - 1}).status,
            manager::ReplyStatus::kOk);
  Reply over = a.Call({Op::kAdd, k, 2});
  EXPECT_EQ(over.status, manager::ReplyStatus::kError);
  EXPECT_NE(over.text.find("overflow"), std::string::npos) << over.text;
  EXPECT_EQ(a.Call({Op::kGet, k}).value, INT64_MAX - 1);
  EXPECT_EQ(a.Call({Op::kAdd, k, INT64_MIN}).value, -2);

  Reply zero = a.Call({Op::kAlloc, 0});
  EXPECT_EQ(zero.status, manager::ReplyStatus::kError);
  Reply huge = a.Call({Op::kAlloc, UINT32_MAX});
  EXPECT_EQ(huge.status, manager::ReplyStatus::kError);
  EXPECT_NE(huge.text.find("at most"), std::string::npos) << huge.text;
}

// A keyed client over `address`: the handshake and a PING; how long it
// took, in seconds, or -1 if it failed (*why says why).
double KeyedPing(const std::string& address, const std::string& key,
                 std::string* why) {
  const int64_t start = NowNs();
  Result<manager::Address> a = manager::ParseAddress(address);
  Result<int> fd = manager::ConnectTo(*a, 2000, 2000);
  if (!fd.ok()) {
    *why = fd.status().message();
    return -1;
  }
  Status st = manager::AuthenticateToServer(*fd, key, address, 2000);
  std::string in;
  if (st.ok()) {
    char frame[manager::kMaxRequestFrame];
    st = manager::WriteAll(*fd, frame,
                           manager::EncodeRequest({Op::kPing}, frame));
  }
  Reply r;
  while (st.ok()) {
    size_t used = 0;
    if (manager::DecodeReply(Op::kPing, in.data(), in.size(), &r, &used) ==
        Decode::kOk) {
      break;
    }
    char buffer[256];
    const ssize_t n = recv(*fd, buffer, sizeof(buffer), 0);
    if (n <= 0) st = Status::IOError("closed before the PING's reply");
    if (n > 0) in.append(buffer, static_cast<size_t>(n));
  }
  close(*fd);
  if (st.ok() && r.status != manager::ReplyStatus::kOk) {
    st = Status::IOError(r.text);
  }
  if (!st.ok()) {
    *why = st.message();
    return -1;
  }
  return (NowNs() - start) / 1e9;
}

// Enough descriptors for a flood from this process.
void RaiseDescriptorLimit(rlim_t want) {
  rlimit limit;
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &limit), 0);
  if (limit.rlim_cur < want) {
    limit.rlim_cur = std::min(want, limit.rlim_max);
    ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &limit), 0);
  }
  ASSERT_GE(limit.rlim_cur, want);
}

// The server's stderr lines.
size_t Lines(const std::string& text) {
  return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
}

// 1,030 connections that never start the handshake: a client with the key
// still gets in at once, an authenticated idle one keeps its place, and
// the log stays short.
TEST_P(ManagerServerTest, AFloodThatNeverHandshakesLocksNobodyOut) {
  RaiseDescriptorLimit(4096);
  TempDir logs;
  const pid_t server =
      SpawnLoggedServer(logs, {"--listen", "unix:" + socket_}, "the key");
  RawClient idle(socket_, "the key");
  ASSERT_EQ(idle.Call({Op::kPing}).status, manager::ReplyStatus::kOk);
  Result<manager::Address> address = manager::ParseAddress("unix:" + socket_);
  std::vector<int> flood;
  for (int i = 0; i < 1030; ++i) {
    Result<int> fd = manager::ConnectTo(*address, 2000, 2000);
    if (fd.ok()) flood.push_back(*fd);
  }
  EXPECT_GT(flood.size(), 1000u);
  std::string why;
  const double took = KeyedPing("unix:" + socket_, "the key", &why);
  EXPECT_GE(took, 0) << why;
  // Locked out, it would wait out its 2 s timeouts (connect, then the
  // handshake) and fail; served, it takes milliseconds, and a stall of the
  // shared 2-vCPU machine under the flood stays well below 3 s.
  EXPECT_LT(took, 3.0);
  EXPECT_EQ(idle.Call({Op::kPing}).status, manager::ReplyStatus::kOk)
      << "the authenticated idle client lost its place";
  for (int fd : flood) close(fd);
  kill(server, SIGTERM);
  EXPECT_EQ(testing_util::WaitExit(server), 0);
  const std::string log = testing_util::ReadFile(logs.File("stderr.txt"));
  EXPECT_LT(Lines(log), 40u) << log.substr(0, 2000);
}

// A flooder that reconnects as soon as it is closed, from another address
// (127.0.0.2) of a TCP server: 28 keyed clients from 127.0.0.1 all get in,
// each within a second.
TEST_P(ManagerServerTest, AReconnectingFloodCannotLockOutAKeyedClient) {
  RaiseDescriptorLimit(4096);
  TempDir logs;
  const pid_t server = SpawnLoggedServer(
      logs, {"--listen", "tcp:127.0.0.1:0", "--max-connections", "256"},
      "the key");
  const std::string out = testing_util::ReadFile(logs.File("stdout.txt"));
  const size_t at = out.find("tcp:127.0.0.1:");
  ASSERT_NE(at, std::string::npos) << out;
  const std::string port = out.substr(at + 14, out.find(' ', at + 14) - at - 14);
  const pid_t flooder = fork();
  if (flooder == 0) {
    // Up to 1,100 connections from 127.0.0.2 that never answer; each one
    // the server closes is opened again at once, for 6 s.
    sockaddr_in to = {}, from = {};
    to.sin_family = from.sin_family = AF_INET;
    to.sin_port = htons(static_cast<uint16_t>(std::stoi(port)));
    inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    inet_pton(AF_INET, "127.0.0.2", &from.sin_addr);
    std::vector<pollfd> fds(1100, pollfd{-1, POLLIN, 0});
    const int64_t until = NowNs() + 6000000000LL;
    while (NowNs() < until) {
      for (pollfd& p : fds) {
        if (p.fd >= 0) continue;
        p.fd = socket(AF_INET, SOCK_STREAM, 0);
        if (bind(p.fd, reinterpret_cast<sockaddr*>(&from), sizeof(from)) != 0 ||
            connect(p.fd, reinterpret_cast<sockaddr*>(&to), sizeof(to)) != 0) {
          close(p.fd);
          p.fd = -1;
        }
      }
      if (poll(fds.data(), fds.size(), 10) <= 0) continue;
      for (pollfd& p : fds) {
        char buffer[256];
        if (p.fd >= 0 && (p.revents & (POLLIN | POLLHUP | POLLERR)) &&
            recv(p.fd, buffer, sizeof(buffer), MSG_DONTWAIT) <= 0) {
          close(p.fd);
          p.fd = -1;
        }
      }
    }
    _exit(0);
  }
  usleep(500000);  // The flood is on.
  int failed = 0;
  double slowest = 0;
  std::string why;
  for (int i = 0; i < 28; ++i) {
    const double took = KeyedPing("tcp:127.0.0.1:" + port, "the key", &why);
    if (took < 0) ++failed;
    slowest = std::max(slowest, took);
    usleep(100000);
  }
  testing_util::WaitExit(flooder);
  EXPECT_EQ(failed, 0) << why;
  // A client locked out would wait out its 2 s timeouts and fail; one
  // served takes milliseconds. The bound leaves room for a stall of the
  // shared 2-vCPU machine under 1,100 reconnecting sockets (one CI run
  // saw 1.03 s against an earlier 1 s bound).
  EXPECT_LT(slowest, 3.0);
  kill(server, SIGTERM);
  EXPECT_EQ(testing_util::WaitExit(server), 0);
  const std::string log = testing_util::ReadFile(logs.File("stderr.txt"));
  EXPECT_LT(Lines(log), 80u) << log.substr(0, 2000);
}

// 20 clients each send one byte of a frame, on a server of 20 slots: the
// frame deadline closes them, with a message, and a new client gets in.
TEST_P(ManagerServerTest, APartialFrameCannotHoldItsSlot) {
  ASSERT_TRUE(server_->Stop().ok());
  Start({"--max-connections", "20", "--idle-timeout", "30",
         "--frame-timeout-ms", "300"});
  std::vector<std::unique_ptr<RawClient>> slow;
  const int64_t deadline = NowNs() + 5000000000LL;
  while (slow.size() < 20 && NowNs() < deadline) {
    auto c = std::make_unique<RawClient>(socket_);
    // A whole frame first: a client that has proved itself.
    if (c->Call({Op::kPing}).status != manager::ReplyStatus::kOk) {
      usleep(5000);  // The fixture's setup connection is still leaving.
      continue;
    }
    c->SendBytes(std::string(1, '\x09'));
    slow.push_back(std::move(c));
  }
  ASSERT_EQ(slow.size(), 20u);
  for (auto& c : slow) {
    const Reply r = c->Receive(Op::kPing);
    EXPECT_EQ(r.status, manager::ReplyStatus::kError);
    EXPECT_NE(r.text.find("whole in time"), std::string::npos) << r.text;
  }
  bool served = false;
  while (!served && NowNs() < deadline + 2000000000LL) {
    RawClient c(socket_);
    served = c.Call({Op::kPing}).status == manager::ReplyStatus::kOk;
    if (!served) usleep(10000);
  }
  EXPECT_TRUE(served);
}

// Out of file descriptors (a limit of 32), a new client is told so at once
// and the server does not spin; once clients leave, new ones are served.
TEST_P(ManagerServerTest, OutOfDescriptorsTheServerTellsAndDoesNotSpin) {
  ASSERT_TRUE(server_->Stop().ok());
  Result<std::unique_ptr<ServerProcess>> server = ServerProcess::Start(
      {"/usr/bin/prlimit", "--nofile=32:32", CTRBENCH_BINARY, "server",
       "--listen", "unix:" + socket_, "--model", GetParam()},
      {{manager::kAuthKeyFileEnv, ""}, {manager::kAuthKeyEnv, ""}});
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  server_ = std::move(*server);
  const int64_t deadline = NowNs() + 5000000000LL;
  while (access(socket_.c_str(), F_OK) != 0 && NowNs() < deadline) {
    usleep(2000);
  }
  usleep(50000);
  std::vector<std::unique_ptr<RawClient>> held;
  std::string refusal;
  for (int i = 0; i < 64 && refusal.empty(); ++i) {
    auto c = std::make_unique<RawClient>(socket_);
    // A client turned away hears so at once, before it sends anything (a
    // request after that would meet a closed socket).
    char frame[manager::kMaxRequestFrame];
    const size_t n = manager::EncodeRequest({Op::kPing}, frame);
    if (c->Readable(50) || !manager::WriteAll(c->fd(), frame, n).ok()) {
      refusal = c->Receive(Op::kPing).text;
      continue;
    }
    const Reply r = c->Receive(Op::kPing);
    if (r.status == manager::ReplyStatus::kOk) {
      held.push_back(std::move(c));
    } else {
      refusal = r.text;
    }
  }
  EXPECT_NE(refusal.find("out of file descriptors"), std::string::npos)
      << refusal << " after " << held.size() << " clients";
  // Full, with one more client waiting to connect: no spinning meanwhile.
  RawClient waiting(socket_);
  const double before = server_->CpuSeconds();
  usleep(1000000);
  EXPECT_LT(server_->CpuSeconds() - before, 0.3);
  held.resize(held.size() / 2);
  bool served = false;
  // Up to 10 s: under ASan the threads model took over 2 s once to free
  // its descriptors, and meanwhile its listen backlog was full (connects
  // were refused).
  for (int i = 0; i < 1000 && !served; ++i) {
    // Until the server has freed its descriptors it turns a client away
    // and closes: the ping may then meet a closed socket, and is tried
    // again.
    RawClient c(socket_);
    char frame[manager::kMaxRequestFrame];
    const size_t n = manager::EncodeRequest({Op::kPing}, frame);
    served = manager::WriteAll(c.fd(), frame, n).ok() &&
             c.Receive(Op::kPing).status == manager::ReplyStatus::kOk;
    if (!served) usleep(10000);
  }
  EXPECT_TRUE(served);
}

INSTANTIATE_TEST_SUITE_P(
    Models, ManagerServerTest, ::testing::Values("loop", "threads"),
    [](const ::testing::TestParamInfo<const char*>& p) {
      return std::string(p.param) + "model";
    });

TEST(ManagerBackend, ServerKilledMidRunFailsTheRunClearly) {
  TempDir dir;
  const pid_t pid = testing_util::SpawnCtrbench(
      dir.path(), {"run", "--backend", "manager", "--strategy", "atomic",
                   "--mode", "processes", "--workers", "2", "--duration",
                   "20s", "--out", "k.csv", "--quiet"});
  const pid_t server = testing_util::WaitForServerChild(pid, 2, 10000);
  ASSERT_NE(server, 0);
  usleep(300000);
  const int64_t start = NowNs();
  kill(server, SIGKILL);
  EXPECT_EQ(testing_util::WaitExit(pid), 1);
  EXPECT_LT(NowNs() - start, 5000000000LL);
  const std::string err = testing_util::ReadFile(dir.File("stderr.txt"));
  EXPECT_NE(err.find("went away"), std::string::npos) << err;
  const auto rows = testing_util::ReadCsv(dir.File("k.csv"));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(testing_util::Column(rows, 1, "verified"), "false");
}

// A run against a shared server allocates counters of its own: the
// user's counters (here 0..3 after RESET, one of them locked) keep their
// values, and nothing of the run stays on the server.
TEST(ManagerBackend, ARunNeverTouchesAUsersCounters) {
  TempDir dir;
  const std::string socket = dir.File("sock");
  Result<std::unique_ptr<ServerProcess>> server = ServerProcess::Start(
      {CTRBENCH_BINARY, "server", "--listen", "unix:" + socket});
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  const int64_t deadline = NowNs() + 5000000000LL;
  while (access(socket.c_str(), F_OK) != 0 && NowNs() < deadline) {
    usleep(2000);
  }
  usleep(20000);
  RawClient user(socket);
  ASSERT_EQ(user.Call({Op::kReset, 4}).status, manager::ReplyStatus::kOk);
  for (uint32_t k = 0; k < 4; ++k) {
    ASSERT_EQ(user.Call({Op::kSet, k, 100 + k}).status,
              manager::ReplyStatus::kOk);
  }
  ASSERT_EQ(user.Call({Op::kLock, 0}).status, manager::ReplyStatus::kOk);
  for (const char* strategy : {"atomic", "lock"}) {
    const pid_t pid = testing_util::SpawnCtrbench(
        dir.path(), {"run", "--backend", "manager", "--strategy", strategy,
                     "--workers", "2", "--keys", "4", "--ops", "200", "--set",
                     "manager.address=unix:" + socket, "--out",
                     std::string(strategy) + ".csv", "--quiet"});
    EXPECT_EQ(testing_util::WaitExit(pid), 0)
        << testing_util::ReadFile(dir.File("stderr.txt"));
    const auto rows =
        testing_util::ReadCsv(dir.File(std::string(strategy) + ".csv"));
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(testing_util::Column(rows, 1, "verified"), "true");
  }
  for (uint32_t k = 0; k < 4; ++k) {
    EXPECT_EQ(user.Call({Op::kGet, k}).value, 100 + k);
  }
  EXPECT_EQ(user.Call({Op::kUnlock, 0}).status, manager::ReplyStatus::kOk);
  const std::string stats = user.Call({Op::kStats}).text;
  EXPECT_NE(stats.find("counters=4 "), std::string::npos) << stats;
  EXPECT_NE(stats.find("ranges=0"), std::string::npos) << stats;
}

// A run without the key against a server that wants one is told so, not
// "malformed reply".
TEST(ManagerBackend, ARunWithoutTheKeyIsToldTheServerWantsOne) {
  TempDir dir;
  const std::string socket = dir.File("sock");
  Result<std::unique_ptr<ServerProcess>> server = ServerProcess::Start(
      {CTRBENCH_BINARY, "server", "--listen", "unix:" + socket},
      {{manager::kAuthKeyFileEnv, ""}, {manager::kAuthKeyEnv, "the key"}});
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  const int64_t deadline = NowNs() + 5000000000LL;
  while (access(socket.c_str(), F_OK) != 0 && NowNs() < deadline) {
    usleep(2000);
  }
  usleep(20000);
  const pid_t pid = testing_util::SpawnCtrbench(
      dir.path(), {"run", "--backend", "manager", "--strategy", "atomic",
                   "--ops", "10", "--set", "manager.address=unix:" + socket,
                   "--out", "k.csv"});
  EXPECT_EQ(testing_util::WaitExit(pid), 1);
  const std::string err = testing_util::ReadFile(dir.File("stderr.txt"));
  EXPECT_NE(err.find("requires a key"), std::string::npos) << err;
  EXPECT_EQ(err.find("malformed"), std::string::npos) << err;
}

TEST(ManagerBackend, BadAddressesAndServers) {
  TempDir dir;
  // Not an address at all: a usage error.
  pid_t pid = testing_util::SpawnCtrbench(
      dir.path(), {"run", "--backend", "manager", "--set",
                   "manager.address=localhost:7000"});
  EXPECT_EQ(testing_util::WaitExit(pid), 2);
  std::string err = testing_util::ReadFile(dir.File("stderr.txt"));
  EXPECT_NE(err.find("unix:PATH or tcp:HOST:PORT"), std::string::npos) << err;

  // Nobody listens there: a failed run, quickly.
  const int64_t start = NowNs();
  pid = testing_util::SpawnCtrbench(
      dir.path(), {"run", "--backend", "manager", "--strategy", "atomic",
                   "--ops", "10", "--set", "manager.address=unix:" +
                   dir.File("nobody"), "--out", "a.csv"});
  EXPECT_EQ(testing_util::WaitExit(pid), 1);
  EXPECT_LT(NowNs() - start, 5000000000LL);
  err = testing_util::ReadFile(dir.File("stderr.txt"));
  EXPECT_NE(err.find("cannot reach the server"), std::string::npos) << err;

  // A server binary that is not ctrbench.
  pid = testing_util::SpawnCtrbench(
      dir.path(), {"run", "--backend", "manager", "--strategy", "atomic",
                   "--ops", "10", "--set", "manager.server_path=/bin/true",
                   "--out", "b.csv"});
  EXPECT_EQ(testing_util::WaitExit(pid), 1);
  err = testing_util::ReadFile(dir.File("stderr.txt"));
  EXPECT_NE(err.find("before answering"), std::string::npos) << err;
}

}  // namespace
}  // namespace ctrbench
