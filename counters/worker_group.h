// The workers of one run: started together as threads or forked
// processes (each placed on its CPU when pinned), watched for deaths, and
// stopped (processes: SIGTERM, then SIGKILL). Internal to the runner.

#ifndef CTRBENCH_COUNTERS_WORKER_GROUP_H_
#define CTRBENCH_COUNTERS_WORKER_GROUP_H_

#include <signal.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "counters/affinity.h"
#include "counters/clock.h"
#include "counters/run_state.h"
#include "counters/runner.h"
#include "counters/worker.h"
#include "counters/workload.h"

namespace ctrbench {

// "was killed by signal 9 (Killed)", "exited with status 1": a waitpid
// status, for a message.
std::string DescribeWait(int status);

// Starts, watches and stops the workers of one run.
class WorkerGroup {
 public:
  WorkerGroup(const RunConfig& config, const Capabilities& caps,
              Backend* backend, SharedState* shared, const CpuPlan& cpus)
      : config_(config),
        caps_(caps),
        backend_(backend),
        shared_(shared),
        cpus_(cpus),
        // Zipf's table is built once, before the workers start: threads
        // share it, forked processes share its pages.
        zipf_(config.distribution.kind == Distribution::Kind::kZipf
                  ? BuildZipfTable(config.distribution.theta, config.keys)
                  : nullptr) {}
  ~WorkerGroup() { Stop(); }

  Status Start() {
    const int n = config_.LocalWorkers();
    if (config_.mode == WorkerMode::kThreads) {
      try {
        for (int w = 0; w < n; ++w) {
          threads_.emplace_back([this, w] {
            if (Place(w)) {
              RunWorker(config_, caps_, backend_, shared_, w, zipf_);
            }
          });
        }
      } catch (const std::system_error& e) {
        return Status::IOError(std::string("runner: start worker thread: ") +
                               e.what());
      }
      return Status::OK();
    }
    const pid_t parent = getpid();
    for (int w = 0; w < n; ++w) {
      const pid_t pid = fork();
      if (pid < 0) return Status::FromErrno("runner: fork worker", errno);
      if (pid == 0) {
        // The parent stops us: a Ctrl-C meant for the run must not kill a
        // worker in the middle of a critical section first.
        signal(SIGINT, SIG_IGN);
        signal(SIGTERM, SIG_DFL);
        // A server that goes away must be an error from write(), not a
        // SIGPIPE that kills the worker (hiredis's own writes use
        // write()).
        signal(SIGPIPE, SIG_IGN);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) _exit(3);
        if (!Place(w)) _exit(1);
        RunWorker(config_, caps_, backend_, shared_, w, zipf_);
        // Alive until the stop, so that the parent measures every worker's
        // memory at one moment.
        WaitForStop(shared_->control());
        _exit(shared_->slot(w).failed ? 1 : 0);
      }
      pids_.push_back(pid);
    }
    return Status::OK();
  }

  // Reaps process workers that ended. Returns a message when one died
  // before it finished its work (a crash, not a clean exit).
  std::string CheckDeaths() {
    for (size_t i = 0; i < pids_.size(); ++i) {
      if (pids_[i] <= 0) continue;
      int status = 0;
      const pid_t r = waitpid(pids_[i], &status, WNOHANG);
      if (r != pids_[i]) continue;
      const pid_t pid = pids_[i];
      pids_[i] = 0;
      const bool clean = WIFEXITED(status) &&
                         shared_->slot(static_cast<int>(i))
                             .finished.load(std::memory_order_acquire);
      if (!clean) {
        return "worker " + std::to_string(i) + " (pid " +
               std::to_string(pid) + ") " + DescribeWait(status);
      }
    }
    return "";
  }

  bool AllFinished() {
    for (int w = 0; w < config_.LocalWorkers(); ++w) {
      if (!shared_->slot(w).finished.load(std::memory_order_acquire)) {
        return false;
      }
    }
    return true;
  }

  // Tells workers to stop and waits for them. Processes get `grace_ns` to
  // finish, then SIGTERM, then SIGKILL: a dead peer may hold a lock forever.
  // Returns false if a process had to be killed.
  bool Stop(int64_t grace_ns = kStopGraceNs) {
    shared_->SetPhase(kStop);
    for (std::thread& t : threads_) t.join();
    threads_.clear();
    bool clean = true;
    const int64_t deadline = NowNs() + grace_ns;
    bool termed = false;
    int64_t kill_at = 0;
    for (;;) {
      bool alive = false;
      for (pid_t& pid : pids_) {
        if (pid <= 0) continue;
        if (waitpid(pid, nullptr, WNOHANG) == pid) {
          pid = 0;
        } else {
          alive = true;
        }
      }
      if (!alive) break;
      const int64_t now = NowNs();
      if (!termed && now >= deadline) {
        for (pid_t pid : pids_) {
          if (pid > 0) kill(pid, SIGTERM);
        }
        termed = true;
        clean = false;
        kill_at = now + kKillGraceNs;
      } else if (termed && now >= kill_at) {
        for (pid_t pid : pids_) {
          if (pid > 0) kill(pid, SIGKILL);
        }
        kill_at = INT64_MAX;
      }
      SpinSleep();
    }
    pids_.clear();
    return clean;
  }

  static void SpinSleep() {
    const timespec ts = {0, kPollNs};
    nanosleep(&ts, nullptr);
  }

  // The worker processes (0: reaped); empty in threads mode.
  const std::vector<pid_t>& pids() const { return pids_; }


 private:
  // Pins worker `w`'s thread as planned and records where it runs; false
  // (the worker failed, and says why) when the kernel refused.
  bool Place(int w) {
    WorkerSlot& slot = shared_->slot(w);
    if (!cpus_.workers.empty()) {
      Status st = PinCurrentThread(cpus_.workers[w]);
      if (!st.ok()) {
        slot.Fail(st.ToString());
        slot.finished.store(true, std::memory_order_release);
        shared_->control().ready.fetch_add(1);
        return false;
      }
    }
    const std::string where = CpuList(0);
    std::snprintf(slot.cpus, sizeof(slot.cpus), "%s", where.c_str());
    return true;
  }

  const RunConfig& config_;
  const Capabilities& caps_;
  Backend* const backend_;
  SharedState* const shared_;
  const CpuPlan cpus_;
  const std::shared_ptr<const ZipfTable> zipf_;
  std::vector<std::thread> threads_;
  std::vector<pid_t> pids_;
};

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_WORKER_GROUP_H_
