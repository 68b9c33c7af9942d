// A column of segment numbers, as compact as its values allow.
//
// A row's segment is a number into the data set's segment labels. Segment
// columns hold few values (plans, regions), yet a 32-bit number a row cost a
// 10M-row report with --segment-by two fresh 40 MB columns (read order, then
// grouped by customer), and a fresh MiB costs about 3 ms here: memory is
// time. segment_column holds 16-bit numbers while every number fits, else
// 32-bit ones: it widens once, at the first number it cannot hold
// (--segment-by customer_id on a large file).
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include "ndr/money_column.h"  // release_pages

namespace ndr {

class segment_column {
 public:
  // Read access from a row on (a customer's entries): a pointer into
  // whichever form the column has.
  class view {
   public:
    view() = default;
    std::uint32_t operator[](size_t i) const {
      return narrow_ ? narrow_[i] : wide_[i];
    }

   private:
    friend class segment_column;
    view(const std::uint16_t* narrow, const std::uint32_t* wide)
        : narrow_(narrow), wide_(wide) {}
    const std::uint16_t* narrow_ = nullptr;
    const std::uint32_t* wide_ = nullptr;
  };

  size_t size() const { return narrow_ ? small_.size() : wide_.size(); }
  bool empty() const { return size() == 0; }
  bool narrow() const { return narrow_; }
  view from(size_t row) const {
    return narrow_ ? view(small_.data() + row, nullptr)
                   : view(nullptr, wide_.data() + row);
  }
  void reserve(size_t rows) {
    reserved_ = rows;
    narrow_ ? small_.reserve(rows) : wide_.reserve(rows);
  }
  [[gnu::always_inline]] void push_back(std::uint32_t s) {  // every row
    if (narrow_ && s <= UINT16_MAX) return small_.push_back(std::uint16_t(s));
    push_back_other(s);
  }
  std::uint32_t operator[](size_t i) const {
    return narrow_ ? small_[i] : wide_[i];
  }
  // Sets row i to a number the column can hold (one of its own rows', or
  // any while it is wide).
  void set(size_t i, std::uint32_t s) {
    narrow_ ? void(small_[i] = std::uint16_t(s)) : void(wide_[i] = s);
  }
  // n rows, narrow or not, their values to be set.
  void resize(size_t n, bool narrow) {
    narrow_ = narrow;
    narrow_ ? small_.resize(n) : wide_.resize(n);
  }
  // Appends other's rows [first, last).
  void append(const segment_column& other, size_t first, size_t last) {
    for (size_t i = first; i < last; ++i) push_back(other[i]);
  }
  // Rows [from, from + count) moved to `to` (to <= from).
  void move_rows(size_t to, size_t from, size_t count) {
    narrow_ ? void(std::memmove(small_.data() + to, small_.data() + from,
                                count * sizeof(std::uint16_t)))
            : void(std::memmove(wide_.data() + to, wide_.data() + from,
                                count * sizeof(std::uint32_t)));
  }
  // Keeps the first n rows (n <= size()), giving back the whole pages past
  // them.
  void truncate(size_t n) {
    release_read(n, size());
    narrow_ ? small_.resize(n) : wide_.resize(n);
  }
  // Gives back the memory of rows [from, upto), read for the last time.
  void release_read(size_t from, size_t upto) {
    narrow_ ? release_pages(small_, from, upto)
            : release_pages(wide_, from, upto);
  }
  void release() {
    std::vector<std::uint16_t>().swap(small_);
    std::vector<std::uint32_t>().swap(wide_);
  }
  void swap(segment_column& other) {
    std::swap(narrow_, other.narrow_);
    std::swap(reserved_, other.reserved_);
    small_.swap(other.small_);
    wide_.swap(other.wide_);
  }
  // The same numbers, whatever the form.
  friend bool operator==(const segment_column& a, const segment_column& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (a[i] != b[i]) return false;
    }
    return true;
  }

 private:
  [[gnu::noinline]] void push_back_other(std::uint32_t s) {
    if (narrow_) {
      std::vector<std::uint32_t> wide;
      wide.reserve(std::max(reserved_, small_.size() + 1));
      wide.assign(small_.begin(), small_.end());
      wide_.swap(wide);
      std::vector<std::uint16_t>().swap(small_);
      narrow_ = false;
    }
    wide_.push_back(s);
  }

  bool narrow_ = true;
  size_t reserved_ = 0;
  std::vector<std::uint16_t> small_;
  std::vector<std::uint32_t> wide_;
};

}  // namespace ndr
