// A first-in first-out queue that keeps its room: what a connection has in
// flight, or has received, oldest first. A std::deque allocates and frees a
// block every few items, which at a million requests a second is a cost of
// its own.

#ifndef CTRBENCH_COUNTERS_RING_H_
#define CTRBENCH_COUNTERS_RING_H_

#include <algorithm>
#include <cstddef>
#include <vector>

namespace ctrbench {

template <typename T>
class Ring {
 public:
  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  T& front() { return items_[head_]; }
  // The i-th from the oldest.
  T& operator[](size_t i) { return items_[(head_ + i) & (items_.size() - 1)]; }
  const T& operator[](size_t i) const {
    return items_[(head_ + i) & (items_.size() - 1)];
  }
  void push_back(const T& item) {
    if (size_ == items_.size()) Grow();
    ++size_;
    (*this)[size_ - 1] = item;
  }
  void pop_front() {
    head_ = (head_ + 1) & (items_.size() - 1);
    --size_;
  }
  void clear() { head_ = size_ = 0; }

 private:
  void Grow() {  // To the next power of two, oldest first.
    std::vector<T> bigger(std::max<size_t>(16, items_.size() * 2));
    for (size_t i = 0; i < size_; ++i) bigger[i] = (*this)[i];
    items_.swap(bigger);
    head_ = 0;
  }
  std::vector<T> items_;  // A power of two long.
  size_t head_ = 0;
  size_t size_ = 0;
};

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_RING_H_
