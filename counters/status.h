// Status and Result<T>: how recoverable errors cross module boundaries.
//
// A Status is either OK or carries a code and a message with context
// ("shm: create segment ctrbench-12-0: File exists"). OK is a null pointer,
// so returning and testing an OK Status on a hot path costs almost nothing.
//
//   Result<int64_t> r = session->Read(key);
//   if (!r.ok()) return r.status();
//   int64_t value = *r;

#ifndef CTRBENCH_COUNTERS_STATUS_H_
#define CTRBENCH_COUNTERS_STATUS_H_

#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace ctrbench {

class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk = 0,
    kInvalidArgument,  // Bad user input: flags, scenario files, options.
    kNotSupported,     // A backend cannot do what was asked.
    kIOError,          // The OS, a server or a library failed.
    kBusy,             // A lock or a database was busy for too long.
  };

  Status() = default;
  Status(const Status& other)
      : rep_(other.rep_ ? std::make_unique<Rep>(*other.rep_) : nullptr) {}
  Status& operator=(const Status& other) {
    rep_ = other.rep_ ? std::make_unique<Rep>(*other.rep_) : nullptr;
    return *this;
  }
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;

  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string msg) {
    return Status(Code::kInvalidArgument, std::move(msg));
  }
  static Status NotSupported(std::string msg) {
    return Status(Code::kNotSupported, std::move(msg));
  }
  static Status IOError(std::string msg) {
    return Status(Code::kIOError, std::move(msg));
  }
  static Status Busy(std::string msg) {
    return Status(Code::kBusy, std::move(msg));
  }
  // An IOError built from errno: "context: strerror(err)".
  static Status FromErrno(const std::string& context, int err);

  bool ok() const { return rep_ == nullptr; }
  Code code() const { return rep_ ? rep_->code : Code::kOk; }
  bool IsInvalidArgument() const { return code() == Code::kInvalidArgument; }
  const std::string& message() const;

  // "OK", or "<code name>: <message>".
  std::string ToString() const;

  // Returns a copy whose message is prefixed with "context: ".
  Status WithContext(const std::string& context) const;

 private:
  struct Rep {
    Code code;
    std::string message;
  };
  Status(Code code, std::string msg)
      : rep_(std::make_unique<Rep>(Rep{code, std::move(msg)})) {}

  std::unique_ptr<Rep> rep_;
};

// A value or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design.
  Result(Status status) : status_(std::move(status)) {}  // NOLINT

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  T& value() { return *value_; }
  const T& value() const { return *value_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_STATUS_H_
