#include "backends/inproc.h"

#include <cstdlib>
#include <mutex>

#include "backends/slots.h"

namespace ctrbench {

namespace {

class InprocBackend final : public Backend {
 public:
  explicit InprocBackend(bool padding) : padding_(padding) {}
  ~InprocBackend() override { Teardown().ok(); }

  Status Setup(const SetupSpec& spec) override {
    if (spec.mode != WorkerMode::kThreads) {
      return Status::NotSupported(
          "inproc supports threads only; use shm for processes");
    }
    Teardown().ok();
    spec_ = spec;
    const size_t bytes = SlotArray<std::mutex>::Bytes(spec.counters, padding_);
    memory_ = std::aligned_alloc(kCacheLine,
                                 (bytes + kCacheLine - 1) / kCacheLine *
                                     kCacheLine);
    if (memory_ == nullptr) {
      return Status::IOError("inproc: cannot allocate " +
                             std::to_string(bytes) + " bytes");
    }
    slots_ = SlotArray<std::mutex>(
        memory_, SlotArray<std::mutex>::Stride(padding_), spec.counters);
    slots_.ConstructAll();
    slots_.FillAll(spec.Initial());
    return Status::OK();
  }

  Result<std::unique_ptr<Session>> Connect(int /*worker*/,
                                           WorkerTally* tally) override {
    if (memory_ == nullptr) return Status::IOError("inproc: not set up");
    return NewSlotSession(slots_, spec_, tally);
  }

  Result<std::vector<int64_t>> ReadTotals() override {
    if (memory_ == nullptr) return Status::IOError("inproc: not set up");
    return slots_.Totals();
  }

  OptionMap EffectiveOptions() const override {
    return {{"padding", padding_ ? "true" : "false"}};
  }

  Status Teardown() override {
    if (memory_ != nullptr) {
      slots_.DestroyAll();
      std::free(memory_);
      memory_ = nullptr;
    }
    return Status::OK();
  }

 private:
  const bool padding_;
  SetupSpec spec_;  // Of the run set up: what its sessions do.
  void* memory_ = nullptr;
  SlotArray<std::mutex> slots_;
};

}  // namespace

BackendInfo InprocBackendInfo() {
  BackendInfo info;
  info.name = "inproc";
  info.description =
      "std::atomic / std::mutex slots in one process (threads only)";
  info.capabilities.threads = true;
  info.capabilities.processes = false;
  info.capabilities.strategies = {Strategy::kAtomic, Strategy::kLock,
                                  Strategy::kCas, Strategy::kNaive};
  info.capabilities.latency_sample_every = 1024;
  info.capabilities.inventory = true;
  info.options = PaddingOptionSpecs();
  info.factory = [](const OptionMap& options)
      -> Result<std::unique_ptr<Backend>> {
    Result<bool> padding = ParsePaddingOption("inproc", options);
    if (!padding.ok()) return padding.status();
    return std::unique_ptr<Backend>(new InprocBackend(*padding));
  };
  return info;
}

}  // namespace ctrbench
