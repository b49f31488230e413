// libFuzzer target for the manager frame parsers: any byte stream must
// decode into requests and replies, ask for more, or be rejected as
// malformed, and never read past its end (ASan checks that).
//
//   scripts/fuzz.sh             # builds with clang and runs for a while

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "backends/manager/protocol.h"

using ctrbench::manager::Decode;
using ctrbench::manager::Op;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const char* p = reinterpret_cast<const char*>(data);
  size_t offset = 0;
  while (offset < size) {
    ctrbench::manager::Request r;
    size_t used = 0;
    const Decode d = ctrbench::manager::DecodeRequest(p + offset,
                                                      size - offset, &r, &used);
    if (d != Decode::kOk) break;
    if (used == 0 || used > size - offset) std::abort();
    // What decodes must encode back to the same bytes.
    char again[ctrbench::manager::kMaxRequestFrame];
    const size_t n = ctrbench::manager::EncodeRequest(r, again);
    if (n != used) std::abort();
    for (size_t i = 0; i < n; ++i) {
      if (again[i] != p[offset + i]) std::abort();
    }
    offset += used;
  }
  for (int op = 1; op <= 9; ++op) {
    ctrbench::manager::Reply reply;
    size_t used = 0;
    if (ctrbench::manager::DecodeReply(static_cast<Op>(op), p, size, &reply,
                                       &used) == Decode::kOk &&
        (used == 0 || used > size)) {
      std::abort();
    }
  }
  return 0;
}
