#include "counters/workload.h"

#include <cmath>
#include <cstdlib>
#include <sstream>

#include "counters/schedule.h"

namespace ctrbench {

namespace {

bool ParseDouble(const std::string& text, double* out) {
  if (text.empty()) return false;
  char* end = nullptr;
  *out = std::strtod(text.c_str(), &end);
  return *end == '\0' && std::isfinite(*out);
}

std::vector<std::string> SplitColon(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, ':')) parts.push_back(part);
  if (!text.empty() && text.back() == ':') parts.push_back("");
  return parts;
}

std::string Shortest(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

}  // namespace

Result<Distribution> Distribution::Parse(const std::string& text) {
  const std::vector<std::string> parts = SplitColon(text);
  Distribution d;
  if (parts.size() == 1 && parts[0] == "uniform") return d;
  if (parts.size() == 2 && parts[0] == "zipf") {
    d.kind = Kind::kZipf;
    if (!ParseDouble(parts[1], &d.theta) || d.theta <= 0 || d.theta > 10) {
      return Status::InvalidArgument("zipf THETA must be a number in (0, 10]");
    }
    return d;
  }
  if (parts.size() == 3 && parts[0] == "hotspot") {
    d.kind = Kind::kHotspot;
    if (!ParseDouble(parts[1], &d.data_fraction) || d.data_fraction <= 0 ||
        d.data_fraction > 1 || !ParseDouble(parts[2], &d.op_fraction) ||
        d.op_fraction <= 0 || d.op_fraction > 1) {
      return Status::InvalidArgument(
          "hotspot DATA_FRACTION and OP_FRACTION must be numbers in (0, 1]");
    }
    return d;
  }
  return Status::InvalidArgument(
      "expected uniform, zipf:THETA or hotspot:DATA_FRACTION:OP_FRACTION");
}

std::string Distribution::ToString() const {
  switch (kind) {
    case Kind::kUniform:
      return "uniform";
    case Kind::kZipf:
      return "zipf:" + Shortest(theta);
    case Kind::kHotspot:
      return "hotspot:" + Shortest(data_fraction) + ":" +
             Shortest(op_fraction);
  }
  return "uniform";
}

std::shared_ptr<const ZipfTable> BuildZipfTable(double theta, uint32_t keys) {
  auto t = std::make_shared<ZipfTable>();
  if (keys == 0) keys = 1;
  // P(k) ~ 1 / (k + 1)^theta, normalised.
  t->probs.resize(keys);
  double sum = 0;
  for (uint32_t k = 0; k < keys; ++k) {
    t->probs[k] = 1.0 / std::pow(static_cast<double>(k) + 1, theta);
    sum += t->probs[k];
  }
  for (double& p : t->probs) p /= sum;

  // Walker/Vose alias table: each slot keeps its own key with probability
  // threshold/2^32 and hands the rest to its alias.
  t->threshold.assign(keys, 0);
  t->alias.resize(keys);
  std::vector<double> scaled(keys);
  std::vector<uint32_t> small, large;
  for (uint32_t k = 0; k < keys; ++k) {
    scaled[k] = t->probs[k] * keys;
    t->alias[k] = k;
    (scaled[k] < 1.0 ? small : large).push_back(k);
  }
  while (!small.empty() && !large.empty()) {
    const uint32_t s = small.back();
    small.pop_back();
    const uint32_t l = large.back();
    t->threshold[s] = static_cast<uint32_t>(scaled[s] * 4294967296.0);
    t->alias[s] = l;
    scaled[l] -= 1.0 - scaled[s];
    if (scaled[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // Leftovers are 1.0 up to rounding: always keep their own key.
  for (uint32_t k : small) t->threshold[k] = UINT32_MAX;
  for (uint32_t k : large) t->threshold[k] = UINT32_MAX;
  return t;
}

KeyChooser::KeyChooser(const Distribution& dist, uint32_t keys, uint64_t seed,
                       std::shared_ptr<const ZipfTable> zipf)
    : kind_(dist.kind), keys_(keys == 0 ? 1 : keys), rng_(seed) {
  if (kind_ == Distribution::Kind::kZipf) {
    zipf_ = zipf != nullptr && zipf->threshold.size() == keys_
                ? std::move(zipf)
                : BuildZipfTable(dist.theta, keys_);
    threshold_ = zipf_->threshold.data();
    alias_ = zipf_->alias.data();
  } else if (kind_ == Distribution::Kind::kHotspot) {
    hot_keys_ = static_cast<uint32_t>(std::ceil(dist.data_fraction * keys_));
    if (hot_keys_ < 1) hot_keys_ = 1;
    if (hot_keys_ > keys_) hot_keys_ = keys_;
    op_fraction_ = dist.op_fraction;
    hot_op_threshold_ =
        dist.op_fraction >= 1
            ? UINT32_MAX
            : static_cast<uint32_t>(dist.op_fraction * 4294967296.0);
  }
}

std::vector<double> KeyChooser::Probabilities() const {
  std::vector<double> p(keys_, 0.0);
  if (keys_ == 1) {
    p[0] = 1;
  } else if (kind_ == Distribution::Kind::kZipf) {
    p = zipf_->probs;
  } else if (kind_ == Distribution::Kind::kHotspot) {
    const double hot_share = hot_keys_ == keys_ ? 1.0 : op_fraction_;
    for (uint32_t k = 0; k < keys_; ++k) {
      p[k] = k < hot_keys_ ? hot_share / hot_keys_
                           : (1 - hot_share) / (keys_ - hot_keys_);
    }
  } else {
    for (double& v : p) v = 1.0 / keys_;
  }
  return p;
}

const char* ArrivalName(Arrival a) {
  return a == Arrival::kConstant ? "constant" : "poisson";
}

Result<Arrival> ParseArrival(const std::string& name) {
  if (name == "constant") return Arrival::kConstant;
  if (name == "poisson") return Arrival::kPoisson;
  return Status::InvalidArgument("arrival '" + name +
                                 "'; allowed: constant, poisson");
}

}  // namespace ctrbench
