#include "counters/clock.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace ctrbench {

Result<int64_t> ParseDuration(const std::string& text) {
  const char* begin = text.c_str();
  char* end = nullptr;
  errno = 0;
  const double number = std::strtod(begin, &end);
  if (end == begin || errno != 0 || !std::isfinite(number) || number < 0 ||
      text.find_first_of("xXpP") != std::string::npos) {
    return Status::InvalidArgument("not a duration");
  }
  const std::string unit(end);
  double scale;
  if (unit == "s") {
    scale = 1e9;
  } else if (unit == "ms") {
    scale = 1e6;
  } else if (unit == "us") {
    scale = 1e3;
  } else if (unit == "ns") {
    scale = 1;
  } else if (unit == "m") {
    scale = 60e9;
  } else if (unit == "h") {
    scale = 3600e9;
  } else if (unit.empty() && number == 0) {
    return int64_t{0};
  } else {
    return Status::InvalidArgument("unknown or missing unit '" + unit + "'");
  }
  const double ns = number * scale;
  if (ns > 1e15) return Status::InvalidArgument("too long");
  return static_cast<int64_t>(std::llround(ns));
}

std::string FormatDuration(int64_t ns) {
  if (ns == 0) return "0";
  struct Unit {
    int64_t size;
    const char* name;
  };
  static const Unit kUnits[] = {
      {1000000000, "s"}, {1000000, "ms"}, {1000, "us"}, {1, "ns"}};
  for (const Unit& u : kUnits) {
    if (ns % u.size == 0) return std::to_string(ns / u.size) + u.name;
  }
  return std::to_string(ns) + "ns";
}

}  // namespace ctrbench
