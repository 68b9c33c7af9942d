// A column of amounts, as compact as its values allow.
//
// On this project's 2-core machines touching a fresh MiB costs about 3 ms, so
// a column's memory is its time: a 10M-row export's summed entries held as
// money (8 bytes each) were a fresh 76 MB written after the rows were
// grouped. money_column holds amounts as 32-bit counts of cents while every
// one is a whole number of cents within ±21,474,836.47 (exports in major
// units with two decimals, or in minor units), else as money: it widens once,
// at the first amount it cannot hold, and every value stays exact.
#pragma once

#include <sys/mman.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <vector>

#include "ndr/money.h"

namespace ndr {

// Gives the whole pages of v's elements [from, upto) back to the system:
// rows read for the last time, so that a column shrinks while the one built
// from it grows. The vector keeps its size; those elements read as 0
// afterwards.
template <typename T>
void release_pages(std::vector<T>& v, size_t from, size_t upto) {
  if (v.empty() || upto <= from) return;
  const std::uintptr_t page = 4096;
  const auto begin = reinterpret_cast<std::uintptr_t>(v.data() + from);
  const auto end = reinterpret_cast<std::uintptr_t>(v.data() + upto);
  const std::uintptr_t first = (begin + page - 1) & ~(page - 1);
  const std::uintptr_t last = end & ~(page - 1);
  if (last > first)
    madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
}

class money_column {
 public:
  static constexpr std::int64_t kCent = money::kScale / 100;

  // Read access from a row on (a customer's entries): a pointer into
  // whichever form the column has.
  class view {
   public:
    view() = default;
    money operator[](size_t i) const {
      return cents_ ? money::from_units(std::int64_t(cents_[i]) * kCent)
                    : wide_[i];
    }

   private:
    friend class money_column;
    view(const std::int32_t* cents, const money* wide)
        : cents_(cents), wide_(wide) {}
    const std::int32_t* cents_ = nullptr;
    const money* wide_ = nullptr;
  };

  void reserve(size_t rows) {
    reserved_ = rows;
    narrow_ ? cents_.reserve(rows) : wide_.reserve(rows);
  }
  size_t size() const { return narrow_ ? cents_.size() : wide_.size(); }
  bool empty() const { return size() == 0; }
  bool narrow() const { return narrow_; }
  view from(size_t row) const {
    return narrow_ ? view(cents_.data() + row, nullptr)
                   : view(nullptr, wide_.data() + row);
  }

  [[gnu::always_inline]] void push_back(money m) {  // every row: inline
    if (narrow_) {
      const std::int64_t c = m.units() / kCent;
      if (c * kCent == m.units() && c >= INT32_MIN && c <= INT32_MAX)
        return cents_.push_back(std::int32_t(c));
    }
    push_back_other(m);
  }
  money operator[](size_t i) const {
    return narrow_ ? money::from_units(std::int64_t(cents_[i]) * kCent)
                   : wide_[i];
  }
  // Sets row i to a value the column can hold (one of its own, or a total
  // that fits() while narrow).
  void set(size_t i, money m) {
    if (narrow_) {
      cents_[i] = std::int32_t(m.units() / kCent);
    } else {
      wide_[i] = m;
    }
  }
  // Appends other's rows [first, last).
  void append(const money_column& other, size_t first, size_t last) {
    if (narrow_ && !other.narrow_) widen();
    if (narrow_) {
      if (last <= first) return;
      const size_t at = cents_.size();
      cents_.resize(at + (last - first));
      std::memcpy(cents_.data() + at, other.cents_.data() + first,
                  (last - first) * sizeof(std::int32_t));
      return;
    }
    for (size_t i = first; i < last; ++i) wide_.push_back(other[i]);
  }
  void append(const money_column& other) { append(other, 0, other.size()); }
  void swap(money_column& other) {
    std::swap(narrow_, other.narrow_);
    std::swap(reserved_, other.reserved_);
    cents_.swap(other.cents_);
    wide_.swap(other.wide_);
  }
  void release() {
    std::vector<std::int32_t>().swap(cents_);
    std::vector<money>().swap(wide_);
  }
  // n rows, narrow or not, their values to be set.
  void resize(size_t n, bool narrow) {
    narrow_ = narrow;
    narrow_ ? cents_.resize(n) : wide_.resize(n);
  }
  // Keeps the first n rows (n <= size()), giving back the whole pages past
  // them.
  void truncate(size_t n) {
    release_read(n, size());
    narrow_ ? cents_.resize(n) : wide_.resize(n);
  }
  // Row i of `other` (no wider than this column) as row p.
  void copy_row(size_t p, const money_column& other, size_t i) {
    if (narrow_) {
      cents_[p] = other.cents_[i];
    } else {
      wide_[p] = other[i];
    }
  }
  // Rows [from, from + count) moved to `to` (to <= from).
  void move_rows(size_t to, size_t from, size_t count) {
    if (narrow_) {
      std::memmove(cents_.data() + to, cents_.data() + from,
                   count * sizeof(std::int32_t));
    } else {
      std::memmove(wide_.data() + to, wide_.data() + from,
                   count * sizeof(money));
    }
  }
  // Gives back the memory of rows [from, upto), read for the last time.
  void release_read(size_t from, size_t upto) {
    narrow_ ? release_pages(cents_, from, upto)
            : release_pages(wide_, from, upto);
  }
  static bool fits(money m) { return cents_of(m).has_value(); }
  void widen() {
    if (!narrow_) return;
    std::vector<money> wide;
    wide.reserve(std::max(reserved_, cents_.size()));
    for (const std::int32_t c : cents_)
      wide.push_back(money::from_units(std::int64_t(c) * kCent));
    wide_.swap(wide);
    std::vector<std::int32_t>().swap(cents_);
    narrow_ = false;
  }
  // The same values, whatever the form.
  friend bool operator==(const money_column& a, const money_column& b) {
    if (a.size() != b.size()) return false;
    if (a.narrow_ && b.narrow_) return a.cents_ == b.cents_;
    for (size_t i = 0; i < a.size(); ++i) {
      if (a[i] != b[i]) return false;
    }
    return true;
  }

 private:
  [[gnu::noinline]] void push_back_other(money m) {
    widen();
    wide_.push_back(m);
  }
  static std::optional<std::int32_t> cents_of(money m) {
    const std::int64_t u = m.units();
    if (u % kCent != 0) return std::nullopt;
    const std::int64_t c = u / kCent;
    if (c < INT32_MIN || c > INT32_MAX) return std::nullopt;
    return std::int32_t(c);
  }

  bool narrow_ = true;
  size_t reserved_ = 0;
  std::vector<std::int32_t> cents_;
  std::vector<money> wide_;
};

}  // namespace ndr
