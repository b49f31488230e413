#include "counters/stages.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "counters/clock.h"
#include "counters/csv.h"

namespace ctrbench {

const char* const kStagesAllowed =
    "phases separated by ';', each a duration (\"5s\") and optionally a "
    "rate (\"2000/s\", or \"20%\" of the closed-loop capacity), workers=N, "
    "think=DURATION, read_fraction=F: \"2000/s 5s; 20000/s 5s\"";

namespace {

// The shortest text that reads back as the same number ("2000", "0.25").
std::string FormatNumber(double v) { return TrimNumber(Fixed(v, 6)); }

bool ParseNumber(const std::string& text, double* out) {
  if (text.empty()) return false;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(v)) return false;
  *out = v;
  return true;
}

// One token of a phase into `stage`; false with `why` when it reads as
// nothing allowed.
bool ParseToken(const std::string& token, Stage* stage, std::string* why) {
  const size_t eq = token.find('=');
  if (eq != std::string::npos) {
    const std::string key = token.substr(0, eq), value = token.substr(eq + 1);
    double v = 0;
    if (key == "workers") {
      if (!ParseNumber(value, &v) || v < 1 || v > 1024 || v != std::floor(v)) {
        *why = "workers must be an integer from 1 to 1024";
        return false;
      }
      stage->workers = static_cast<int>(v);
    } else if (key == "think") {
      Result<int64_t> ns = ParseDuration(value);
      if (!ns.ok() || *ns > 1000000000) {
        *why = "think must be a duration from 0 to 1s";
        return false;
      }
      stage->think_ns = *ns;
    } else if (key == "read_fraction") {
      if (!ParseNumber(value, &v) || v < 0 || v > 1) {
        *why = "read_fraction must be a number from 0 to 1";
        return false;
      }
      stage->read_fraction = v;
    } else {
      *why = "'" + key + "=' is not a setting a phase has";
      return false;
    }
    return true;
  }
  double v = 0;
  if (token.size() > 2 && token.compare(token.size() - 2, 2, "/s") == 0) {
    if (stage->open() || !ParseNumber(token.substr(0, token.size() - 2), &v) ||
        v < 1 || v > 1e9) {
      *why = "one rate, from 1/s to 1000000000/s";
      return false;
    }
    stage->rate = v;
    return true;
  }
  if (token.size() > 1 && token.back() == '%') {
    if (stage->open() || !ParseNumber(token.substr(0, token.size() - 1), &v) ||
        v <= 0 || v > 10000) {
      *why = "one share of capacity, from 0% (excluded) to 10000%";
      return false;
    }
    stage->rate_share = v / 100;
    return true;
  }
  Result<int64_t> ns = ParseDuration(token);
  if (!ns.ok() || *ns <= 0 || stage->duration_ns > 0) {
    *why = "'" + token + "' is not a rate, a duration or a setting";
    if (ns.ok() && stage->duration_ns > 0) *why = "one duration per phase";
    return false;
  }
  stage->duration_ns = *ns;
  return true;
}

}  // namespace

Result<std::vector<Stage>> ParseStages(const std::string& text) {
  std::vector<Stage> stages;
  std::stringstream phases(text);
  std::string phase;
  while (std::getline(phases, phase, ';')) {
    Stage stage;
    std::stringstream tokens(phase);
    std::string token, why;
    bool any = false;
    while (tokens >> token) {
      any = true;
      if (!ParseToken(token, &stage, &why)) {
        return Status::InvalidArgument(
            "phase " + std::to_string(stages.size() + 1) + ": " + why);
      }
    }
    if (!any) continue;  // "a; ; b", or a trailing ';'.
    if (stage.duration_ns <= 0) {
      return Status::InvalidArgument(
          "phase " + std::to_string(stages.size() + 1) + " has no duration");
    }
    if (stage.open() && (stage.workers > 0 || stage.think_ns >= 0)) {
      return Status::InvalidArgument(
          "phase " + std::to_string(stages.size() + 1) +
          ": an open-loop phase changes its rate and read_fraction, not its " +
          (stage.workers > 0 ? "workers" : "think time"));
    }
    stages.push_back(stage);
  }
  if (stages.empty()) return Status::InvalidArgument("no phase");
  if (stages.size() > 1000) {
    return Status::InvalidArgument("more than 1000 phases");
  }
  for (const Stage& s : stages) {
    if (s.open() != stages[0].open()) {
      return Status::InvalidArgument(
          "phases either all have a rate (open loop) or none has");
    }
  }
  return stages;
}

std::string FormatStages(const std::vector<Stage>& stages) {
  std::string out;
  for (const Stage& s : stages) {
    if (!out.empty()) out += "; ";
    if (s.rate_share > 0) {
      out += FormatNumber(s.rate_share * 100) + "% ";
    } else if (s.rate > 0) {
      out += FormatNumber(s.rate) + "/s ";
    }
    out += FormatDuration(s.duration_ns);
    if (s.workers > 0) out += " workers=" + std::to_string(s.workers);
    if (s.think_ns >= 0) out += " think=" + FormatDuration(s.think_ns);
    if (s.read_fraction >= 0) {
      out += " read_fraction=" + FormatNumber(s.read_fraction);
    }
  }
  return out;
}

int64_t StagesDuration(const std::vector<Stage>& stages) {
  int64_t ns = 0;
  for (const Stage& s : stages) ns += s.duration_ns;
  return ns;
}

double StagesMeanRate(const std::vector<Stage>& stages) {
  double ops = 0;
  for (const Stage& s : stages) {
    if (s.rate <= 0) return 0;
    ops += s.rate * (s.duration_ns / 1e9);
  }
  const int64_t ns = StagesDuration(stages);
  return ns > 0 ? ops / (ns / 1e9) : 0;
}

int64_t StageStart(const std::vector<Stage>& stages, size_t i) {
  int64_t at = 0;
  for (size_t k = 0; k < i && k < stages.size(); ++k) {
    at += stages[k].duration_ns;
  }
  return at;
}

size_t StageAt(const std::vector<Stage>& stages, int64_t offset_ns) {
  int64_t end = 0;
  for (size_t i = 0; i < stages.size(); ++i) {
    end += stages[i].duration_ns;
    if (offset_ns < end) return i;
  }
  return stages.empty() ? 0 : stages.size() - 1;
}

size_t BusiestStage(const std::vector<Stage>& stages) {
  size_t best = 0;
  for (size_t i = 1; i < stages.size(); ++i) {
    const double r = stages[i].rate > 0 ? stages[i].rate : stages[i].rate_share;
    const double b =
        stages[best].rate > 0 ? stages[best].rate : stages[best].rate_share;
    if (r > b) best = i;
  }
  return best;
}

StagedSchedule::StagedSchedule(Arrival arrival,
                               const std::vector<Stage>& stages, double rate,
                               double share, int64_t start_ns,
                               double offset_share, uint64_t seed)
    : arrival_(arrival), offset_share_(offset_share), seed_(seed) {
  int64_t at = start_ns;
  for (const Stage& s : stages) {
    starts_.push_back(at);
    rates_.push_back(s.rate * share);
    at += s.duration_ns;
  }
  if (starts_.empty()) {
    starts_.push_back(start_ns);
    rates_.push_back(rate * share);
  }
  Begin(0);
}

void StagedSchedule::Begin(size_t step) {
  step_ = step;
  // Every rate is resolved before a run starts (CheckRunAllowed).
  const double rate = rates_[step];
  now_ = std::make_unique<Schedule>(
      arrival_, rate, starts_[step],
      static_cast<int64_t>(offset_share_ * 1e9 / rate),
      seed_ + 0x9e3779b97f4a7c15ULL * step);
}

bool HasDrainTime(const std::vector<Stage>& stages) {
  return stages.size() > 1 && stages[0].open();
}

DrainWatch::DrainWatch(const std::vector<Stage>& stages, double share,
                       int64_t start_ns)
    : stages_(stages), share_(share), start_(start_ns) {
  if (!HasDrainTime(stages_)) return;
  const size_t busy = BusiestStage(stages_);
  active_ = true;
  busy_start_ = start_ + StageStart(stages_, busy);
  busy_end_ = busy_start_ + stages_[busy].duration_ns;
  end_ = start_ + StagesDuration(stages_);
}

double DrainWatch::Due(int64_t now) const {
  double due = 0;
  int64_t at = start_;
  for (const Stage& s : stages_) {
    if (now <= at) break;
    const int64_t until = std::min(now, at + s.duration_ns);
    due += s.rate * share_ * ((until - at) / 1e9);
    at += s.duration_ns;
  }
  return due;
}

void DrainWatch::Check(int64_t intended, int64_t sent) {
  const double backlog = sent > intended ? Due(sent) - Due(intended) : 0;
  if (!have_level_) {
    have_level_ = true;
    level_ = backlog;
  }
  if (sent >= busy_end_ && backlog <= level_ + 1) {
    drained_ = true;
    drain_ns_ = sent - busy_end_;
  }
}

}  // namespace ctrbench
