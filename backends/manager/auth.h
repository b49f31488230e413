// Authentication of the manager protocol: a shared key and an HMAC-SHA256
// challenge in each direction, the way Python's multiprocessing.Manager
// authenticates its clients with an authkey. The server challenges the
// client first and answers the client's challenge only once the client has
// proven it holds the key, so an attacker cannot use one connection to
// answer the challenge of another. docs/PROTOCOL.md shows an exchange.
//
//   Result<std::string> key = AuthKeyFromEnvironment();   // server or client
//   Status st = AuthenticateToServer(fd, *key, "unix:/tmp/x/sock");

#ifndef CTRBENCH_BACKENDS_MANAGER_AUTH_H_
#define CTRBENCH_BACKENDS_MANAGER_AUTH_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "backends/manager/protocol.h"
#include "counters/status.h"

namespace ctrbench {
namespace manager {

inline constexpr size_t kChallengeBytes = 32;
inline constexpr size_t kMacBytes = 32;  // HMAC-SHA256.
// The heads of the two handshake frames, in the frame format of requests
// and replies (u32 length, u8 head, payload): a challenge carries 32 random
// bytes, a response the HMAC-SHA256 of the challenge under the key.
inline constexpr uint8_t kAuthChallenge = 0xC0;
inline constexpr uint8_t kAuthResponse = 0xC1;
inline constexpr size_t kAuthFrameBytes = 4 + 1 + 32;

// The environment variables that carry the key; never the command line,
// which every user of the machine can read.
inline constexpr char kAuthKeyEnv[] = "CTRBENCH_AUTHKEY";
inline constexpr char kAuthKeyFileEnv[] = "CTRBENCH_AUTHKEY_FILE";

// The key from CTRBENCH_AUTHKEY_FILE (the file's bytes, a final newline
// removed; the file must be readable by its owner only) or else
// CTRBENCH_AUTHKEY. Empty when neither is set. An unreadable or
// group/world-readable file, or an empty key, is an InvalidArgument.
Result<std::string> AuthKeyFromEnvironment();

// A new random key, 64 hex digits (for an embedded server).
std::string NewAuthKey();
// 32 random bytes.
std::string NewChallenge();
// HMAC-SHA256 of `challenge` under `key`, 32 bytes.
std::string Mac(const std::string& key, const std::string& challenge);
// Compares in constant time.
bool MacMatches(const std::string& key, const std::string& challenge,
                const std::string& mac);

std::string AuthFrame(uint8_t head, const std::string& payload);
// Decodes a handshake frame from the front of `data`. An ERROR reply (a
// server refusing) comes back as kOk with head ReplyStatus::kError and its
// message as the payload.
Decode DecodeAuthFrame(const char* data, size_t size, uint8_t* head,
                       std::string* payload, size_t* consumed);

// The client's side, on a connected socket: answers the server's
// challenge, challenges the server, and checks its answer, all within
// `timeout_ms`. `who` names the server in messages.
Status AuthenticateToServer(int fd, const std::string& key,
                            const std::string& who, int timeout_ms = 5000);

// The server's side for one connection, blocking (the threads model),
// within `timeout_ms` for the whole handshake: the frames after it stay in
// `rest`. On failure (Busy: the time ran out) the client gets an ERROR
// frame and the caller closes the connection.
Status AuthenticateClient(int fd, const std::string& key, std::string* rest,
                          int timeout_ms);

}  // namespace manager
}  // namespace ctrbench

#endif  // CTRBENCH_BACKENDS_MANAGER_AUTH_H_
