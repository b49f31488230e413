#include "counters/status.h"

#include <cstring>

namespace ctrbench {

namespace {

const char* CodeName(Status::Code code) {
  switch (code) {
    case Status::Code::kOk:
      return "OK";
    case Status::Code::kInvalidArgument:
      return "invalid argument";
    case Status::Code::kNotSupported:
      return "not supported";
    case Status::Code::kIOError:
      return "I/O error";
    case Status::Code::kBusy:
      return "busy";
  }
  return "unknown";
}

}  // namespace

Status Status::FromErrno(const std::string& context, int err) {
  return IOError(context + ": " + std::strerror(err));
}

const std::string& Status::message() const {
  static const std::string kEmpty;
  return rep_ ? rep_->message : kEmpty;
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  return std::string(CodeName(rep_->code)) + ": " + rep_->message;
}

Status Status::WithContext(const std::string& context) const {
  if (ok()) return Status();
  return Status(rep_->code, context + ": " + rep_->message);
}

}  // namespace ctrbench
