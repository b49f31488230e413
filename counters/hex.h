// Bytes as lowercase hexadecimal digits, and back: keys, passwords and
// digests that must travel as text (an environment variable, a config
// file, a CSV field, an MPI message).

#ifndef CTRBENCH_COUNTERS_HEX_H_
#define CTRBENCH_COUNTERS_HEX_H_

#include <string>

namespace ctrbench {

std::string ToHex(const std::string& bytes);
// False (and `bytes` untouched) if `hex` is not an even number of
// lowercase hex digits.
bool FromHex(const std::string& hex, std::string* bytes);

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_HEX_H_
