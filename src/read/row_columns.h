// Compact columns for the rows the loader holds until it sums them.
//
// On this project's 2-core machines touching a fresh MiB costs about 3 ms,
// so the loader's memory is its time: a 10M-row export held as money (8
// bytes) and a line number (4 bytes) per row took 120 MB of the 350 MiB peak.
// Amounts are a money_column (ndr/money_column.h), which the store keeps.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <vector>

#include "ndr/money.h"
#include "ndr/money_column.h"

namespace ndr {

// Each row's snapshot-date number: as runs of rows with one date while the
// rows come grouped by date (exports usually list one date's snapshot, then
// the next: a 10M-row file is 36 runs), else one 16-bit number per row, the
// column switching once when the runs grow many.
class date_column {
 public:
  void reserve(size_t rows) {
    reserved_ = rows;
    if (!runs_mode_) per_row_.reserve(rows);
  }
  size_t size() const { return size_; }
  [[gnu::always_inline]] void push_back(std::uint16_t d) {  // every row
    if (runs_mode_ && !runs_.empty() && runs_.back().date == d)
      return void(++size_);
    push_back_other(d);
  }
  // f(i, date) for the rows i in [from, to), in order.
  template <typename F>
  void for_each(size_t from, size_t to, F f) const {
    if (!runs_mode_) {
      for (size_t i = from; i < to; ++i) f(i, per_row_[i]);
      return;
    }
    size_t k = run_of(from);
    for (size_t i = from; i < to; ++k) {
      const size_t end =
          std::min(to, k + 1 < runs_.size() ? runs_[k + 1].row : size_);
      for (; i < end; ++i) f(i, runs_[k].date);
    }
  }
  // The first row with date d, or size().
  size_t first_row_of(std::uint16_t d) const {
    if (!runs_mode_)
      return size_t(std::find(per_row_.begin(), per_row_.end(), d) -
                    per_row_.begin());
    for (const run& r : runs_) {
      if (r.date == d) return r.row;
    }
    return size_;
  }
  void release_read(size_t from, size_t upto) {
    if (!runs_mode_) release_pages(per_row_, from, upto);
  }
  void release() {
    std::vector<run>().swap(runs_);
    std::vector<std::uint16_t>().swap(per_row_);
  }
  void swap(date_column& other) {
    std::swap(runs_mode_, other.runs_mode_);
    std::swap(size_, other.size_);
    std::swap(reserved_, other.reserved_);
    runs_.swap(other.runs_);
    per_row_.swap(other.per_row_);
  }

 private:
  struct run {
    size_t row;  // the run's first row
    std::uint16_t date;
  };
  [[gnu::noinline]] void push_back_other(std::uint16_t d) {
    if (runs_mode_) {
      if (!runs_.empty() && runs_.back().date == d) return void(++size_);
      if (runs_.size() < size_ / 32 + 1024) {
        runs_.push_back({size_, d});
        return void(++size_);
      }
      to_rows();
    }
    per_row_.push_back(d);
    ++size_;
  }
  size_t run_of(size_t row) const {  // the last run starting at or before row
    size_t lo = 0, hi = runs_.size();
    while (hi - lo > 1) {
      const size_t mid = (lo + hi) / 2;
      (runs_[mid].row <= row ? lo : hi) = mid;
    }
    return lo;
  }
  void to_rows() {
    per_row_.reserve(std::max(reserved_, size_ + 1));
    for_each(0, size_, [&](size_t, std::uint16_t d) { per_row_.push_back(d); });
    std::vector<run>().swap(runs_);
    runs_mode_ = false;
  }

  bool runs_mode_ = true;
  size_t size_ = 0;
  size_t reserved_ = 0;
  std::vector<run> runs_;
  std::vector<std::uint16_t> per_row_;
};

// Each row's line, as runs of rows on consecutive lines: a file with a row
// per line is one run, whatever its length. Rows are added in order.
class row_lines {
 public:
  void add(std::uint32_t row, unsigned line) {
    if (runs_.empty() || row != next_row_ || line != next_line_)
      runs_.push_back({row, line});
    next_row_ = row + 1;
    next_line_ = line + 1;
  }
  unsigned line(std::uint32_t row) const {
    size_t lo = 0, hi = runs_.size();  // the last run starting at or before row
    while (hi - lo > 1) {
      const size_t mid = (lo + hi) / 2;
      (runs_[mid].row <= row ? lo : hi) = mid;
    }
    return runs_[lo].line + (row - runs_[lo].row);
  }
  // Adds `other`'s rows, numbered from `first_row`, their lines moved down.
  void append(const row_lines& other, std::uint32_t first_row,
              unsigned line_offset) {
    if (other.runs_.empty()) return;  // no rows: nothing to continue from
    for (const run& r : other.runs_) {
      runs_.push_back({r.row + first_row, r.line + line_offset});
    }
    next_row_ = other.next_row_ + first_row;
    next_line_ = other.next_line_ + line_offset;
  }
  void swap(row_lines& other) {
    runs_.swap(other.runs_);
    std::swap(next_row_, other.next_row_);
    std::swap(next_line_, other.next_line_);
  }

 private:
  struct run {
    std::uint32_t row;
    unsigned line;
  };
  std::vector<run> runs_;
  std::uint32_t next_row_ = 0;
  unsigned next_line_ = 0;
};

}  // namespace ndr
