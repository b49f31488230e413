#include "backends/postgres_waits.h"

#include <chrono>
#include <utility>

namespace ctrbench {
namespace postgres {

void WaitCounts::AddTo(StatValues* stats) const {
  if (samples < 0) return;
  (*stats)["wait_samples"] = Cell::Int(samples);
  (*stats)["wait_lock_tuple"] = Cell::Int(lock_tuple);
  (*stats)["wait_lock_transactionid"] = Cell::Int(lock_transactionid);
  (*stats)["wait_lock_other"] = Cell::Int(lock_other);
  (*stats)["wait_other"] = Cell::Int(other);
}

std::vector<StatSpec> WaitStats() {
  return {
      {"wait_samples", Cell::Type::kInt, "",
       "looks at the run's connections in pg_stat_activity"},
      {"wait_lock_tuple", Cell::Type::kInt, "",
       "looks that found one queued for a row lock (Lock:tuple)"},
      {"wait_lock_transactionid", Cell::Type::kInt, "",
       "looks that found one waiting for the row's transaction"},
      {"wait_lock_other", Cell::Type::kInt, "",
       "looks that found one waiting for another lock"},
      {"wait_other", Cell::Type::kInt, "",
       "looks that found one waiting on anything else"},
  };
}

void WaitSampler::Start(ConnPtr conn, const std::string& prefix,
                        int64_t timeout_ns) {
  conn_ = std::move(conn);
  prefix_ = prefix;
  timeout_ns_ = timeout_ns;
  waits_ = {0, 0, 0, 0, 0};
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void WaitSampler::Stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
  conn_.reset();
}

void WaitSampler::Loop() {
  // Prepared once, and straight from the function behind the view, so
  // that a look costs the server next to nothing: the server shares the
  // machine with the workers it is watching.
  const char* sql =
      "SELECT state, wait_event_type, wait_event FROM "
      "pg_stat_get_activity(NULL) WHERE starts_with(application_name, $1)";
  // Every look has the run's deadline: a stopped server ends the
  // sampling (its counts unknown), never the run's wait for this thread.
  if (!Prepare(conn_.get(), "waits", sql, 1, timeout_ns_).ok()) {
    waits_ = WaitCounts();  // Unknown, not zero.
    return;
  }
  const char* values[] = {prefix_.c_str()};
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    lock.unlock();
    bool late = false;
    ResultPtr res = ExecPreparedBefore(conn_.get(), "waits", 1, values,
                                       timeout_ns_, &late);
    if (late) {
      waits_ = WaitCounts();
      return;
    }
    if (res && PQresultStatus(res.get()) == PGRES_TUPLES_OK) {
      for (int i = 0; i < PQntuples(res.get()); ++i) {
        Count(PQgetvalue(res.get(), i, 0), PQgetvalue(res.get(), i, 1),
              PQgetvalue(res.get(), i, 2));
      }
    }
    lock.lock();
    cv_.wait_for(lock, std::chrono::milliseconds(100),
                 [this] { return stop_; });
  }
}

void WaitSampler::Count(const std::string& state, const std::string& type,
                        const std::string& event) {
  ++waits_.samples;
  if (state != "active" || type.empty()) return;
  if (type == "Lock") {
    if (event == "tuple") {
      ++waits_.lock_tuple;
    } else if (event == "transactionid") {
      ++waits_.lock_transactionid;
    } else {
      ++waits_.lock_other;
    }
  } else {
    ++waits_.other;
  }
}

}  // namespace postgres
}  // namespace ctrbench
