#include "backends/manager/auth.h"

#include <fcntl.h>
#include <poll.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "backends/manager/net.h"
#include "counters/clock.h"
#include "counters/hex.h"

namespace ctrbench {
namespace manager {

namespace {

constexpr size_t kMaxKeyBytes = 4096;

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  size_t done = 0;
  while (done < n) {
    const ssize_t got = getrandom(&out[done], n - done, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) std::abort();  // The kernel's randomness cannot fail here.
    done += static_cast<size_t>(got);
  }
  return out;
}

// Reads one handshake frame, keeping what follows it in `buffer`, by
// `deadline` (NowNs()): the whole handshake has one deadline, so a peer
// that trickles a byte at a time cannot stretch it.
Status ReadFrame(int fd, std::string* buffer, uint8_t* head,
                 std::string* payload, const std::string& who,
                 int64_t deadline) {
  for (;;) {
    size_t used = 0;
    const Decode d =
        DecodeAuthFrame(buffer->data(), buffer->size(), head, payload, &used);
    if (d == Decode::kOk) {
      buffer->erase(0, used);
      return Status::OK();
    }
    if (d == Decode::kMalformed) {
      return Status::IOError("manager: " + who +
                             " sent something other than the handshake");
    }
    const int64_t left_ms = (deadline - NowNs()) / 1000000;
    pollfd p = {fd, POLLIN, 0};
    if (left_ms <= 0 || poll(&p, 1, static_cast<int>(left_ms)) == 0) {
      return Status::Busy("manager: no handshake from " + who + " in time");
    }
    char chunk[256];
    const ssize_t n = recv(fd, chunk, sizeof(chunk), MSG_DONTWAIT);
    if (n > 0) {
      buffer->append(chunk, static_cast<size_t>(n));
    } else if (n == 0) {
      return Status::IOError("manager: " + who +
                             " closed the connection during the handshake");
    } else if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
      return Status::FromErrno("manager: handshake with " + who, errno);
    }
  }
}

}  // namespace

Result<std::string> AuthKeyFromEnvironment() {
  if (const char* path = std::getenv(kAuthKeyFileEnv)) {
    const int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
      return Status::InvalidArgument(std::string(kAuthKeyFileEnv) + "=" +
                                     path + ": " + std::strerror(errno));
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        (st.st_mode & 077) != 0) {
      close(fd);
      return Status::InvalidArgument(
          std::string(kAuthKeyFileEnv) + "=" + path +
          ": not a regular file readable by its owner only; allowed: a key "
          "file with mode 0600 (chmod 600 " + path + ")");
    }
    if (st.st_uid != geteuid()) {
      // Another user's file: whoever owns it decides what the key is.
      close(fd);
      return Status::InvalidArgument(
          std::string(kAuthKeyFileEnv) + "=" + path + ": owned by uid " +
          std::to_string(st.st_uid) + ", not by this user (uid " +
          std::to_string(geteuid()) + "); allowed: a key file of your own");
    }
    std::string key;
    char chunk[512];
    ssize_t n;
    while ((n = read(fd, chunk, sizeof(chunk))) > 0 &&
           key.size() <= kMaxKeyBytes) {
      key.append(chunk, static_cast<size_t>(n));
    }
    close(fd);
    if (!key.empty() && key.back() == '\n') key.pop_back();
    if (key.empty() || key.size() > kMaxKeyBytes) {
      return Status::InvalidArgument(
          std::string(kAuthKeyFileEnv) + "=" + path +
          ": the key is empty or longer than 4096 bytes");
    }
    return key;
  }
  if (const char* key = std::getenv(kAuthKeyEnv)) {
    if (*key == '\0' || std::strlen(key) > kMaxKeyBytes) {
      return Status::InvalidArgument(std::string(kAuthKeyEnv) +
                                     " is empty or longer than 4096 bytes");
    }
    return std::string(key);
  }
  return std::string();
}

std::string NewAuthKey() { return ToHex(RandomBytes(32)); }

std::string NewChallenge() { return RandomBytes(kChallengeBytes); }

std::string Mac(const std::string& key, const std::string& challenge) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(challenge.data()),
       challenge.size(), out, &size);
  return std::string(reinterpret_cast<const char*>(out), size);
}

bool MacMatches(const std::string& key, const std::string& challenge,
                const std::string& mac) {
  const std::string expected = Mac(key, challenge);
  return mac.size() == expected.size() &&
         CRYPTO_memcmp(mac.data(), expected.data(), mac.size()) == 0;
}

std::string AuthFrame(uint8_t head, const std::string& payload) {
  const uint32_t length = static_cast<uint32_t>(1 + payload.size());
  std::string frame(4, '\0');
  for (int i = 0; i < 4; ++i) frame[i] = static_cast<char>(length >> (8 * i));
  frame += static_cast<char>(head);
  frame += payload;
  return frame;
}

Decode DecodeAuthFrame(const char* data, size_t size, uint8_t* head,
                       std::string* payload, size_t* consumed) {
  if (size < 5) return Decode::kNeedMore;
  uint32_t length = 0;
  for (int i = 3; i >= 0; --i) {
    length = (length << 8) | static_cast<uint8_t>(data[i]);
  }
  const uint8_t h = static_cast<uint8_t>(data[4]);
  const bool error = h == static_cast<uint8_t>(ReplyStatus::kError);
  if ((h != kAuthChallenge && h != kAuthResponse && !error) ||
      (!error && length != 1 + kChallengeBytes) || length < 1 ||
      length > kMaxReplyFrame - 4) {
    return Decode::kMalformed;
  }
  if (size < 4 + length) return Decode::kNeedMore;
  *head = h;
  payload->assign(data + 5, length - 1);
  *consumed = 4 + length;
  return Decode::kOk;
}

Status AuthenticateToServer(int fd, const std::string& key,
                            const std::string& who, int timeout_ms) {
  const int64_t deadline = NowNs() + int64_t{timeout_ms} * 1000000;
  std::string buffer, payload;
  uint8_t head = 0;
  Status st = ReadFrame(fd, &buffer, &head, &payload, who, deadline);
  if (!st.ok()) return st;
  if (head != kAuthChallenge) {
    return Status::IOError("manager: " + who + " did not challenge us: " +
                           (head == static_cast<uint8_t>(ReplyStatus::kError)
                                ? payload
                                : "unexpected frame"));
  }
  const std::string ours = NewChallenge();
  const std::string out = AuthFrame(kAuthResponse, Mac(key, payload)) +
                          AuthFrame(kAuthChallenge, ours);
  st = WriteAll(fd, out.data(), out.size());
  if (!st.ok()) return st;
  st = ReadFrame(fd, &buffer, &head, &payload, who, deadline);
  if (!st.ok()) return st;
  if (head == static_cast<uint8_t>(ReplyStatus::kError)) {
    return Status::IOError("manager: " + who + " refused us: " + payload +
                           " (is CTRBENCH_AUTHKEY or CTRBENCH_AUTHKEY_FILE "
                           "the server's key?)");
  }
  if (head != kAuthResponse || !MacMatches(key, ours, payload)) {
    return Status::IOError("manager: " + who +
                           " failed authentication: it does not hold our key");
  }
  return Status::OK();
}

Status AuthenticateClient(int fd, const std::string& key, std::string* rest,
                          int timeout_ms) {
  const int64_t deadline = NowNs() + int64_t{timeout_ms} * 1000000;
  const std::string challenge = NewChallenge();
  const std::string hello = AuthFrame(kAuthChallenge, challenge);
  Status st = WriteAll(fd, hello.data(), hello.size());
  if (!st.ok()) return st;
  std::string buffer, payload;
  uint8_t head = 0;
  st = ReadFrame(fd, &buffer, &head, &payload, "the client", deadline);
  if (st.ok() && (head != kAuthResponse || !MacMatches(key, challenge, payload))) {
    st = Status::IOError("authentication failed");
  }
  if (st.ok()) {
    st = ReadFrame(fd, &buffer, &head, &payload, "the client", deadline);
  }
  if (st.ok() && head != kAuthChallenge) {
    st = Status::IOError("authentication failed");
  }
  if (!st.ok()) {
    std::string frame;
    Reply error;
    error.status = ReplyStatus::kError;
    error.text = "authentication failed; closing";
    EncodeReply(Op::kPing, error, &frame);
    send(fd, frame.data(), frame.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    return st;
  }
  const std::string answer = AuthFrame(kAuthResponse, Mac(key, payload));
  st = WriteAll(fd, answer.data(), answer.size());
  if (!st.ok()) return st;
  *rest = buffer;
  return Status::OK();
}

}  // namespace manager
}  // namespace ctrbench
