#include "backends/shm.h"

#include <dirent.h>
#include <sys/stat.h>
#include <signal.h>
#include <unistd.h>

#include <boost/interprocess/managed_shared_memory.hpp>
#include <boost/interprocess/permissions.hpp>
#include <boost/interprocess/sync/interprocess_mutex.hpp>
#include <boost/version.hpp>
#include <cerrno>
#include <cstdlib>
#include <memory>

#include "backends/slots.h"
#include "counters/files.h"

namespace ctrbench {

namespace {

namespace bip = boost::interprocess;
using ShmSlots = SlotArray<bip::interprocess_mutex>;

class ShmBackend final : public Backend {
 public:
  explicit ShmBackend(bool padding) : padding_(padding) {}
  ~ShmBackend() override { Teardown().ok(); }

  Status Setup(const SetupSpec& spec) override {
    Teardown().ok();
    spec_ = spec;
    // The run id starts with our pid, which `ctrbench cleanup` relies on.
    name_ = std::string(kShmSegmentPrefix) + spec.run_id;
    const size_t bytes = ShmSlots::Bytes(spec.counters, padding_);
    // Room for the segment's own bookkeeping and the alignment slack.
    const size_t segment_size = bytes + 64 * 1024;
    Status recorded = entry_.Record(spec.ledger, "shm.segment", {{"name", name_}});
    if (!recorded.ok()) return recorded.WithContext("shm");
    try {
      bip::permissions owner_only(0600);
      segment_ = std::make_unique<bip::managed_shared_memory>(
          bip::create_only, name_.c_str(), segment_size, nullptr, owner_only);
      created_ = true;
      // What it is, for `cleanup` to remove this segment and no other of
      // the name (/dev/shm is shared by every user).
      struct stat st;
      if (lstat(("/dev/shm/" + name_).c_str(), &st) == 0) {
        entry_.Update(WithId({{"name", name_}}, IdOf(st)));
      }
      // Boost 1.74 ignores alignas() in construct<>(): take aligned raw
      // memory and build the slots ourselves.
      void* memory = segment_->allocate_aligned(bytes, kCacheLine);
      slots_ = ShmSlots(memory, ShmSlots::Stride(padding_), spec.counters);
      slots_.ConstructAll();
      slots_.FillAll(spec.Initial());
    } catch (const bip::interprocess_exception& e) {
      Status status = Status::IOError("shm: create segment " + name_ + ": " +
                                      e.what());
      // A create that failed after shm_open (ftruncate on a full /dev/shm)
      // leaves the file: ours, unless the name existed before.
      if (!created_ && e.get_error_code() != bip::already_exists_error) {
        bip::shared_memory_object::remove(name_.c_str());
      }
      Teardown().ok();
      return status;
    }
    return Status::OK();
  }

  OptionMap EffectiveOptions() const override {
    return {{"padding", padding_ ? "true" : "false"}};
  }

  Result<std::unique_ptr<Session>> Connect(int /*worker*/,
                                           WorkerTally* tally) override {
    // A forked worker inherits the mapping, at the same address.
    if (segment_ == nullptr) return Status::IOError("shm: not set up");
    return NewSlotSession(slots_, spec_, tally);
  }

  Result<std::vector<int64_t>> ReadTotals() override {
    if (segment_ == nullptr) return Status::IOError("shm: not set up");
    return slots_.Totals();
  }

  Status Teardown() override {
    if (segment_ != nullptr) {
      // The slots are not destroyed one by one: a worker killed inside its
      // critical section leaves its mutex locked, and destroying a locked
      // interprocess_mutex fails (Boost asserts on it). Removing the segment
      // releases them all.
      slots_ = ShmSlots();
      segment_.reset();
    }
    if (created_) {
      if (!bip::shared_memory_object::remove(name_.c_str())) {
        // Kept for a second try, and in the ledger for `cleanup`.
        return Status::IOError("shm: cannot remove segment " + name_);
      }
      created_ = false;
    }
    entry_.Forget();
    return Status::OK();
  }

  std::string Version() const override {
    return "boost " + std::to_string(BOOST_VERSION / 100000) + "." +
           std::to_string(BOOST_VERSION / 100 % 1000);
  }

 private:
  const bool padding_;
  SetupSpec spec_;  // Of the run set up: what its sessions do.
  std::string name_;
  bool created_ = false;
  LedgerEntry entry_;
  std::unique_ptr<bip::managed_shared_memory> segment_;
  ShmSlots slots_;
};

}  // namespace

BackendInfo ShmBackendInfo() {
  BackendInfo info;
  info.name = "shm";
  info.description =
      "Boost.Interprocess shared-memory segment shared by forked processes "
      "(and threads)";
  info.capabilities.threads = true;
  info.capabilities.processes = true;
  info.capabilities.strategies = {Strategy::kAtomic, Strategy::kLock,
                                  Strategy::kCas, Strategy::kNaive};
  info.capabilities.latency_sample_every = 1024;
  info.capabilities.inventory = true;
  info.options = PaddingOptionSpecs();
  info.undo = [](const std::string& kind, const LedgerFields& fields,
                 std::string* done) -> Status {
    const std::string name = FieldOf(fields, "name");
    if (kind != "shm.segment" || name.rfind(kShmSegmentPrefix, 0) != 0 ||
        name.find('/') != std::string::npos) {
      return Status::InvalidArgument("not a shm entry");
    }
    // Only the very segment the run made; a run killed before it was made
    // recorded no identity, and then only a segment of this user's.
    const FileId id = IdFromFields(fields);
    Status st = RemoveFile("/dev/shm/" + name, id.known ? &id : nullptr);
    if (!st.ok()) return st;
    *done = "removed shared-memory segment /dev/shm/" + name;
    return Status::OK();
  };
  info.factory = [](const OptionMap& options)
      -> Result<std::unique_ptr<Backend>> {
    Result<bool> padding = ParsePaddingOption("shm", options);
    if (!padding.ok()) return padding.status();
    return std::unique_ptr<Backend>(new ShmBackend(*padding));
  };
  return info;
}

}  // namespace ctrbench
