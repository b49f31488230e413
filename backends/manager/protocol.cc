#include "backends/manager/protocol.h"

#include <cstring>

namespace ctrbench {
namespace manager {

namespace {

void PutU32(char* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<char>(v >> (8 * i));
}
void PutI64(char* p, int64_t v) {
  const uint64_t u = static_cast<uint64_t>(v);
  for (int i = 0; i < 8; ++i) p[i] = static_cast<char>(u >> (8 * i));
}
uint32_t GetU32(const char* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}
int64_t GetI64(const char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return static_cast<int64_t>(v);
}

// Payload bytes after the opcode, or -1 for an unknown opcode.
int RequestPayload(uint8_t op) {
  switch (static_cast<Op>(op)) {
    case Op::kPing:
    case Op::kStats:
      return 0;
    case Op::kGet:
    case Op::kLock:
    case Op::kUnlock:
    case Op::kReset:
    case Op::kAlloc:
    case Op::kFree:
      return 4;
    case Op::kAdd:
    case Op::kSet:
    case Op::kTake:
      return 12;
    case Op::kCas:
      return 20;
  }
  return -1;
}

}  // namespace

const char* OpName(Op op) {
  switch (op) {
    case Op::kPing:
      return "PING";
    case Op::kAdd:
      return "ADD";
    case Op::kGet:
      return "GET";
    case Op::kSet:
      return "SET";
    case Op::kCas:
      return "CAS";
    case Op::kLock:
      return "LOCK";
    case Op::kUnlock:
      return "UNLOCK";
    case Op::kReset:
      return "RESET";
    case Op::kStats:
      return "STATS";
    case Op::kAlloc:
      return "ALLOC";
    case Op::kFree:
      return "FREE";
    case Op::kTake:
      return "TAKE";
  }
  return "?";
}

size_t EncodeRequest(const Request& r, char* out) {
  const int payload = RequestPayload(static_cast<uint8_t>(r.op));
  PutU32(out, static_cast<uint32_t>(1 + payload));
  out[4] = static_cast<char>(r.op);
  char* p = out + 5;
  if (payload >= 4) PutU32(p, r.key);
  if (payload >= 12) PutI64(p + 4, r.a);
  if (payload >= 20) PutI64(p + 12, r.b);
  return 5 + static_cast<size_t>(payload);
}

Decode DecodeRequest(const char* data, size_t size, Request* out,
                     size_t* consumed) {
  if (size < 4) return Decode::kNeedMore;
  const uint32_t length = GetU32(data);
  if (length < 1 || length > kMaxRequestFrame - 4) return Decode::kMalformed;
  if (size < 5) return Decode::kNeedMore;
  const int payload = RequestPayload(static_cast<uint8_t>(data[4]));
  if (payload < 0 || length != 1 + static_cast<uint32_t>(payload)) {
    return Decode::kMalformed;
  }
  if (size < 4 + length) return Decode::kNeedMore;
  out->op = static_cast<Op>(data[4]);
  const char* p = data + 5;
  out->key = payload >= 4 ? GetU32(p) : 0;
  out->a = payload >= 12 ? GetI64(p + 4) : 0;
  out->b = payload >= 20 ? GetI64(p + 12) : 0;
  *consumed = 4 + length;
  return Decode::kOk;
}

size_t EncodeReply(Op op, const Reply& r, char* out) {
  char* p = out + 5;
  out[4] = static_cast<char>(r.status);
  if (r.status == ReplyStatus::kError || op == Op::kStats) {
    const size_t n = r.text.size() < kMaxReplyFrame - 5 ? r.text.size()
                                                        : kMaxReplyFrame - 5;
    std::memcpy(p, r.text.data(), n);
    p += n;
  } else if (op == Op::kAdd || op == Op::kGet || op == Op::kAlloc) {
    PutI64(p, r.value);
    p += 8;
  } else if (op == Op::kCas || op == Op::kTake) {
    *p++ = r.swapped ? 1 : 0;
    PutI64(p, r.value);
    p += 8;
  }
  const size_t size = static_cast<size_t>(p - out);
  PutU32(out, static_cast<uint32_t>(size - 4));
  return size;
}

void EncodeReply(Op op, const Reply& r, std::string* out) {
  char buffer[kMaxReplyFrame];
  out->append(buffer, EncodeReply(op, r, buffer));
}

Decode DecodeReply(Op op, const char* data, size_t size, Reply* out,
                   size_t* consumed) {
  if (size < 4) return Decode::kNeedMore;
  const uint32_t length = GetU32(data);
  if (length < 1 || length > kMaxReplyFrame - 4) return Decode::kMalformed;
  if (size < 4 + length) return Decode::kNeedMore;
  const uint8_t status = static_cast<uint8_t>(data[4]);
  const char* p = data + 5;
  const size_t payload = length - 1;
  *out = Reply();
  if (status == static_cast<uint8_t>(ReplyStatus::kError)) {
    out->status = ReplyStatus::kError;
    out->text.assign(p, payload);
  } else if (status != static_cast<uint8_t>(ReplyStatus::kOk)) {
    return Decode::kMalformed;
  } else if (op == Op::kStats) {
    out->text.assign(p, payload);
  } else if (op == Op::kAdd || op == Op::kGet || op == Op::kAlloc) {
    if (payload != 8) return Decode::kMalformed;
    out->value = GetI64(p);
  } else if (op == Op::kCas || op == Op::kTake) {
    if (payload != 9 || static_cast<uint8_t>(p[0]) > 1) {
      return Decode::kMalformed;
    }
    out->swapped = p[0] == 1;
    out->value = GetI64(p + 1);
  } else if (payload != 0) {
    return Decode::kMalformed;
  }
  *consumed = 4 + length;
  return Decode::kOk;
}

}  // namespace manager
}  // namespace ctrbench
