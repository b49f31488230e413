// The parts of the commands (commands.h) that do not depend on a model's
// table: the answers' texts, the LOCK queue and the table of ranges.

#include "backends/manager/commands.h"

namespace ctrbench {
namespace manager {

Reply Error(const std::string& message) {
  Reply r;
  r.status = ReplyStatus::kError;
  r.text = message;
  return r;
}

std::string NoCounter(uint32_t key) {
  return "no counter " + std::to_string(key) +
         " (ALLOC or RESET makes counters)";
}

// As Redis answers an INCRBY past the range: nothing changes.
std::string Overflow(uint32_t key) {
  return "ADD " + std::to_string(key) +
         ": the value would overflow a signed 64-bit integer";
}

std::string AlreadyHeld(uint32_t key) {
  return "LOCK " + std::to_string(key) + ": already held";
}

std::string NotHeld(uint32_t key) {
  return "UNLOCK " + std::to_string(key) + ": not held";
}

std::string NotYourRange(uint32_t base) {
  return "FREE " + std::to_string(base) +
         ": no range of this connection's starts there";
}

std::string AllocError(uint32_t count, uint32_t top, uint32_t max_counters) {
  if (count == 0) return "ALLOC 0: the count must be at least 1";
  if (count > max_counters - top) {
    return "ALLOC " + std::to_string(count) + ": the server holds at most " +
           std::to_string(max_counters) + " counters (" + std::to_string(top) +
           " in use)";
  }
  return "";
}

std::string ResetError(uint32_t count, uint32_t max_counters) {
  return "RESET " + std::to_string(count) + ": at most " +
         std::to_string(max_counters) + " counters";
}

std::string StatsText(const char* model, uint64_t connections,
                      uint64_t requests, uint64_t counters, uint64_t ranges,
                      uint64_t allocated) {
  return std::string("model=") + model +
         " connections=" + std::to_string(connections) +
         " requests=" + std::to_string(requests) +
         " counters=" + std::to_string(counters) +
         " ranges=" + std::to_string(ranges) +
         " allocated=" + std::to_string(allocated);
}

void WaitQueue::Push(Connection* c) {
  c->waiting_ = true;
  c->next_ = nullptr;
  if (last_ == nullptr) {
    first_ = c;
  } else {
    last_->next_ = c;
  }
  last_ = c;
}

Connection* WaitQueue::Pop() {
  Connection* c = first_;
  if (c == nullptr) return nullptr;
  first_ = c->next_;
  if (first_ == nullptr) last_ = nullptr;
  c->next_ = nullptr;
  c->waiting_ = false;
  return c;
}

void WaitQueue::Remove(Connection* c) {
  Connection* before = nullptr;
  for (Connection* at = first_; at != nullptr; before = at, at = at->next_) {
    if (at != c) continue;
    if (before == nullptr) {
      first_ = c->next_;
    } else {
      before->next_ = c->next_;
    }
    if (last_ == c) last_ = before;
    c->next_ = nullptr;
    c->waiting_ = false;
    return;
  }
}

void WaitQueue::RefuseAll(const char* why) {
  while (Connection* c = Pop()) c->Refused(why);
}

bool RangeTable::Owns(uint32_t base, uint64_t conn) const {
  auto it = ranges_.find(base);
  return it != ranges_.end() && it->second.conn == conn;
}

void RangeTable::Add(uint32_t base, uint32_t count, uint64_t conn) {
  ranges_[base] = {count, conn};
}

uint32_t RangeTable::Remove(uint32_t base) {
  auto range = ranges_.find(base);
  const uint32_t end = base + range->second.count;
  ranges_.erase(range);
  return end;
}

void RangeTable::Reset(uint32_t count) {
  ranges_.clear();
  legacy_ = count;
}

uint32_t RangeTable::Top() const {
  uint32_t top = legacy_;
  if (!ranges_.empty()) {
    const auto& last = *ranges_.rbegin();
    top = std::max(top, last.first + last.second.count);
  }
  return top;
}

}  // namespace manager
}  // namespace ctrbench
