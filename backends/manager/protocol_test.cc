#include "backends/manager/protocol.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "backends/manager/auth.h"
#include "backends/manager/net.h"

namespace ctrbench {
namespace manager {
namespace {

std::vector<Request> EveryRequest() {
  return {
      {Op::kPing, 0, 0, 0},
      {Op::kAdd, 7, -3, 0},
      {Op::kAdd, UINT32_MAX, INT64_MAX, 0},
      {Op::kGet, 42, 0, 0},
      {Op::kSet, 1, INT64_MIN, 0},
      {Op::kCas, 9, 100, 101},
      {Op::kLock, 5, 0, 0},
      {Op::kUnlock, 5, 0, 0},
      {Op::kReset, 1024, 0, 0},
      {Op::kStats, 0, 0, 0},
      {Op::kAlloc, 4096, 0, 0},
      {Op::kFree, 8192, 0, 0},
      {Op::kTake, 3, 1, 0},
  };
}

TEST(Protocol, RequestsRoundTrip) {
  for (const Request& r : EveryRequest()) {
    SCOPED_TRACE(OpName(r.op));
    char buffer[kMaxRequestFrame];
    const size_t size = EncodeRequest(r, buffer);
    ASSERT_LE(size, kMaxRequestFrame);
    Request back;
    size_t used = 0;
    ASSERT_EQ(DecodeRequest(buffer, size, &back, &used), Decode::kOk);
    EXPECT_EQ(used, size);
    EXPECT_EQ(back.op, r.op);
    EXPECT_EQ(back.key, r.key);
    EXPECT_EQ(back.a, r.a);
    EXPECT_EQ(back.b, r.b);
    // Every proper prefix asks for more.
    for (size_t n = 0; n < size; ++n) {
      EXPECT_EQ(DecodeRequest(buffer, n, &back, &used), Decode::kNeedMore);
    }
  }
}

TEST(Protocol, AddHasTheDocumentedBytes) {
  // docs/PROTOCOL.md shows this exchange.
  char buffer[kMaxRequestFrame];
  const size_t size = EncodeRequest({Op::kAdd, 3, 1, 0}, buffer);
  const std::string expected("\x0d\x00\x00\x00\x02\x03\x00\x00\x00"
                             "\x01\x00\x00\x00\x00\x00\x00\x00",
                             17);
  EXPECT_EQ(std::string(buffer, size), expected);
  std::string reply;
  Reply r;
  r.value = 258;
  EncodeReply(Op::kAdd, r, &reply);
  EXPECT_EQ(reply, std::string("\x09\x00\x00\x00\x00\x02\x01\x00\x00\x00"
                               "\x00\x00\x00",
                               13));
}

TEST(Protocol, PipelinedRequestsDecodeOneByOne) {
  std::string stream;
  for (const Request& r : EveryRequest()) {
    char buffer[kMaxRequestFrame];
    stream.append(buffer, EncodeRequest(r, buffer));
  }
  size_t offset = 0;
  for (const Request& r : EveryRequest()) {
    Request back;
    size_t used = 0;
    ASSERT_EQ(DecodeRequest(stream.data() + offset, stream.size() - offset,
                            &back, &used),
              Decode::kOk);
    EXPECT_EQ(back.op, r.op);
    offset += used;
  }
  EXPECT_EQ(offset, stream.size());
}

TEST(Protocol, MalformedRequests) {
  Request r;
  size_t used;
  // Zero length, an oversized length, an unknown opcode, and a length that
  // does not fit the opcode.
  const std::vector<std::string> bad = {
      std::string("\x00\x00\x00\x00", 4),
      std::string("\xff\xff\xff\x7f\x02", 5),
      std::string("\x01\x00\x00\x00\x63", 5),
      std::string("\x01\x00\x00\x00\x00", 5),
      std::string("\x05\x00\x00\x00\x02\x01\x00\x00\x00", 9),
      std::string("\x02\x00\x00\x00\x01\x00", 6),
  };
  for (const std::string& frame : bad) {
    EXPECT_EQ(DecodeRequest(frame.data(), frame.size(), &r, &used),
              Decode::kMalformed)
        << testing::PrintToString(frame);
  }
}

TEST(Protocol, RepliesRoundTrip) {
  struct Case {
    Op op;
    Reply reply;
  };
  Reply value;
  value.value = -77;
  Reply swapped;
  swapped.swapped = true;
  swapped.value = 12;
  Reply stats;
  stats.text = "model=loop connections=1";
  Reply error;
  error.status = ReplyStatus::kError;
  error.text = "no counter 9";
  const Case cases[] = {
      {Op::kPing, Reply()}, {Op::kAdd, value},   {Op::kGet, value},
      {Op::kSet, Reply()},  {Op::kCas, swapped}, {Op::kLock, Reply()},
      {Op::kUnlock, Reply()}, {Op::kReset, Reply()}, {Op::kStats, stats},
      {Op::kAdd, error},    {Op::kLock, error},   {Op::kAlloc, value},
      {Op::kFree, Reply()}, {Op::kFree, error},
      {Op::kTake, swapped}, {Op::kTake, error},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(OpName(c.op));
    std::string frame;
    EncodeReply(c.op, c.reply, &frame);
    Reply back;
    size_t used = 0;
    ASSERT_EQ(DecodeReply(c.op, frame.data(), frame.size(), &back, &used),
              Decode::kOk);
    EXPECT_EQ(used, frame.size());
    EXPECT_EQ(back.status, c.reply.status);
    EXPECT_EQ(back.value, c.reply.value);
    EXPECT_EQ(back.swapped, c.reply.swapped);
    EXPECT_EQ(back.text, c.reply.text);
    for (size_t n = 0; n < frame.size(); ++n) {
      EXPECT_EQ(DecodeReply(c.op, frame.data(), n, &back, &used),
                Decode::kNeedMore);
    }
  }
}

TEST(Protocol, MalformedReplies) {
  Reply r;
  size_t used;
  std::string add;
  EncodeReply(Op::kAdd, Reply(), &add);
  // An ADD reply read as a CAS reply has the wrong size.
  EXPECT_EQ(DecodeReply(Op::kCas, add.data(), add.size(), &r, &used),
            Decode::kMalformed);
  const std::string bad_status("\x01\x00\x00\x00\x07", 5);
  EXPECT_EQ(DecodeReply(Op::kPing, bad_status.data(), bad_status.size(), &r,
                        &used),
            Decode::kMalformed);
}

}  // namespace
}  // namespace manager
}  // namespace ctrbench

namespace ctrbench {
namespace manager {
namespace {

TEST(Address, ParsesEveryForm) {
  Result<Address> a = ParseAddress("unix:/tmp/x.sock");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->kind, Address::Kind::kUnix);
  EXPECT_EQ(a->path, "/tmp/x.sock");
  a = ParseAddress("tcp:127.0.0.1:7000");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 7000);
  a = ParseAddress("tcp:7001");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->ToString(), "tcp:127.0.0.1:7001");
  a = ParseAddress("tcp:[::1]:7002");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->ToString(), "tcp:[::1]:7002");
  for (const char* bad : {"", "unix:", "tcp:", "tcp:host:1", "tcp:1.2.3.4",
                          "tcp:1.2.3.4:99999", "http://x", "7000"}) {
    Result<Address> r = ParseAddress(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_NE(r.status().message().find("unix:PATH"), std::string::npos);
    }
  }
}

// The handshake example of docs/PROTOCOL.md, byte for byte.
TEST(Protocol, HandshakeExampleOfTheDocs) {
  std::string challenge, theirs;
  for (int i = 0; i < 32; ++i) {
    challenge += static_cast<char>(i);
    theirs += static_cast<char>(32 + i);
  }
  const auto hex = [](const std::string& bytes) {
    std::string out;
    char two[3];
    for (unsigned char c : bytes) {
      std::snprintf(two, sizeof(two), "%02x", c);
      out += two;
    }
    return out;
  };
  EXPECT_EQ(hex(AuthFrame(kAuthChallenge, challenge)).substr(0, 10),
            "21000000c0");
  EXPECT_EQ(hex(Mac("secret", challenge)),
            "47860bcbb991426bea828dbf6097dff33339b093e3b9f61d9aef8a052f93e402");
  EXPECT_EQ(hex(Mac("secret", theirs)),
            "d8ed8ec09042dd4a36ca1700d28f14c32b1c81cbe861e6891eb5e616e29f9990");
  EXPECT_TRUE(MacMatches("secret", challenge, Mac("secret", challenge)));
  EXPECT_FALSE(MacMatches("secreT", challenge, Mac("secret", challenge)));
  uint8_t head = 0;
  std::string payload;
  size_t used = 0;
  const std::string frame = AuthFrame(kAuthResponse, Mac("secret", challenge));
  ASSERT_EQ(DecodeAuthFrame(frame.data(), frame.size(), &head, &payload, &used),
            Decode::kOk);
  EXPECT_EQ(head, kAuthResponse);
  EXPECT_EQ(used, frame.size());
  EXPECT_EQ(DecodeAuthFrame(frame.data(), 10, &head, &payload, &used),
            Decode::kNeedMore);
  const std::string request("\x05\x00\x00\x00\x03\x01\x00\x00\x00", 9);
  EXPECT_EQ(DecodeAuthFrame(request.data(), request.size(), &head, &payload,
                            &used),
            Decode::kMalformed);
}

}  // namespace
}  // namespace manager
}  // namespace ctrbench
