// The manager wire protocol: compact, binary, length-prefixed frames.
// docs/PROTOCOL.md describes it with an example exchange in bytes.
//
// Every frame is a little-endian u32 length (of what follows it), then one
// byte (a request's opcode, or a reply's status), then a fixed payload.
// Replies come in request order; a client may pipeline.
//
//   char buf[kMaxRequestFrame];
//   size_t n = EncodeRequest({Op::kAdd, /*key=*/3, /*a=*/1}, buf);
//   ...
//   Request req;
//   size_t used;
//   if (DecodeRequest(data, size, &req, &used) == Decode::kOk) ...

#ifndef CTRBENCH_BACKENDS_MANAGER_PROTOCOL_H_
#define CTRBENCH_BACKENDS_MANAGER_PROTOCOL_H_

#include <cstddef>
#include <cstdint>
#include <string>

namespace ctrbench {
namespace manager {

enum class Op : uint8_t {
  kPing = 1,    // -> OK
  kAdd = 2,     // key, delta -> OK new value
  kGet = 3,     // key -> OK value
  kSet = 4,     // key, value -> OK
  kCas = 5,     // key, expected, new -> OK swapped, current value
  kLock = 6,    // key -> OK once granted (waits in a queue)
  kUnlock = 7,  // key -> OK, or ERROR if this connection does not hold it
  kReset = 8,   // count -> OK: counters 0..count-1 exist and are zero
  kStats = 9,   // -> OK text
  kAlloc = 10,  // count -> OK base: a fresh range base..base+count-1 of
                // this connection's, zero, freed by FREE or on close
  kFree = 11,   // base -> OK, or ERROR if this connection did not ALLOC it
  kTake = 12,   // key, amount -> OK taken, current value: the amount is
                // taken only if at least that much is left (kind inventory)
};
const char* OpName(Op op);

enum class ReplyStatus : uint8_t { kOk = 0, kError = 1 };

struct Request {
  Op op = Op::kPing;
  uint32_t key = 0;  // ADD GET SET CAS LOCK UNLOCK FREE; RESET ALLOC: count.
  int64_t a = 0;     // ADD: delta; SET: value; CAS: expected; TAKE: amount.
  int64_t b = 0;     // CAS: new value.
};

struct Reply {
  ReplyStatus status = ReplyStatus::kOk;
  int64_t value = 0;     // ADD GET: the value; CAS TAKE: the current value;
                         // ALLOC: the first counter of the range.
  bool swapped = false;  // CAS: swapped; TAKE: taken.
  std::string text;      // STATS: the statistics; ERROR: the message.
};

// Largest frames, length prefix included. A longer request is malformed.
inline constexpr size_t kMaxRequestFrame = 4 + 1 + 4 + 8 + 8;
inline constexpr size_t kMaxReplyFrame = 4 + 1 + 4096;

enum class Decode { kOk, kNeedMore, kMalformed };

// Writes `r` to `out` (at least kMaxRequestFrame bytes); returns the size.
size_t EncodeRequest(const Request& r, char* out);
// Decodes one request from the front of `data`. kMalformed: a bad length,
// an unknown opcode or a payload that does not fit the opcode.
Decode DecodeRequest(const char* data, size_t size, Request* out,
                     size_t* consumed);

// Appends the reply to `op` to `out`.
void EncodeReply(Op op, const Reply& r, std::string* out);
// Writes the reply to `op` to `out` (kMaxReplyFrame bytes); returns size.
// For the hot path of the server: no allocation.
size_t EncodeReply(Op op, const Reply& r, char* out);
// Decodes the reply to a request of `op`.
Decode DecodeReply(Op op, const char* data, size_t size, Reply* out,
                   size_t* consumed);

}  // namespace manager
}  // namespace ctrbench

#endif  // CTRBENCH_BACKENDS_MANAGER_PROTOCOL_H_
