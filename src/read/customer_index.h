// Interning customer ids on the loader's hot path.
//
// Measured on a 10M-row export with 480k customers: a std::unordered_map
// lookup per row was over half of `ndr report`'s time (two dependent cache
// misses per row: bucket, then node). customer_index is a flat open-addressing
// table over one string arena, and customer_predictor avoids most lookups by
// using the data's order: rows of one customer often follow each other, and
// exports grouped by date list customers in the same order at every date.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace ndr {

// a[0, n) == b[0, n). Ids are short: two overlapping loads of each, inline,
// cost less than a call to memcmp (two per row on the predictor's path).
inline bool same_bytes(const char* a, const char* b, size_t n) {
  const auto load8 = [](const char* p) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    return w;
  };
  const auto load4 = [](const char* p) {
    std::uint32_t w;
    std::memcpy(&w, p, 4);
    return w;
  };
  if (n >= 8 && n <= 16) {
    return ((load8(a) ^ load8(b)) | (load8(a + n - 8) ^ load8(b + n - 8))) == 0;
  }
  if (n >= 4 && n < 8) {
    return ((load4(a) ^ load4(b)) | (load4(a + n - 4) ^ load4(b + n - 4))) == 0;
  }
  return std::memcmp(a, b, n) == 0;
}

class customer_index {
 public:
  customer_index();

  // The number (0, 1, … in order of first appearance) of the id's part in
  // `currency` (0: the reporting currency), added if new. An id and a
  // currency are held apart, so no byte of an id can look like a currency.
  std::uint32_t intern(std::string_view id, std::uint16_t currency = 0);
  std::string_view name(std::uint32_t n) const {
    return {arena_.data() + starts_[n], size_t(starts_[n + 1] - starts_[n])};
  }
  std::uint16_t currency(std::uint32_t n) const {
    return currencies_.empty() ? 0 : currencies_[n];
  }
  bool is(std::uint32_t n, std::string_view id,
          std::uint16_t currency_number) const {
    const std::string_view have = name(n);
    return have.size() == id.size() && currency(n) == currency_number &&
           same_bytes(have.data(), id.data(), id.size());
  }
  std::uint32_t size() const { return std::uint32_t(starts_.size() - 1); }
  // Each number's currency; empty when every one is 0.
  const std::vector<std::uint16_t>& currencies() const { return currencies_; }
  // Every id as a string, in number order.
  std::vector<std::string> names() const;
  // Frees the lookup table once every id is in (names stay); intern() may
  // not be called after.
  void drop_lookup() { std::vector<std::uint64_t>().swap(slots_); }

 private:
  void grow();

  std::vector<char> arena_;
  std::vector<std::uint64_t> starts_{
      0};  // id n is arena_[starts_[n], starts_[n+1])
  std::vector<std::uint16_t>
      currencies_;  // filled from the first part not in currency 0
  std::vector<std::uint64_t>
      slots_;  // 0 empty, else (hash low 32 bits << 32) | (id + 1)
  std::uint64_t mask_ = 0;
};

// A fast 64-bit hash of short ids, which customer_index and number_distinct
// use.
std::uint64_t hash_id(std::string_view s);

// Numbers the distinct values of `ids` 0, 1, … in order of first appearance,
// as interning them one by one would, and returns each one's number. Equal
// ids are found by sorting their hashes (a radix sort: no lookup table, whose
// every probe is a cache miss), then comparing the ids whose hashes meet.
std::vector<std::uint32_t> number_distinct(const std::vector<std::string>& ids);

// Guesses each row's customer before hashing it: the same customer as the
// last row, or the customer that came next at the previous snapshot date.
class customer_predictor {
 public:
  // Frees what it learned (the loader is done reading).
  void reset() { *this = customer_predictor(); }
  std::uint32_t lookup(std::string_view id, std::uint16_t currency,
                       std::int32_t date, customer_index& index);

 private:
  static constexpr std::uint32_t kNone = UINT32_MAX;
  void start_date(std::int32_t date);
  void record(std::uint32_t c);

  std::int32_t date_ = INT32_MIN;
  std::uint32_t last_ = kNone;
  std::vector<std::uint32_t>
      previous_;  // customers of the previous date, in row order
  std::vector<std::uint32_t> current_;  // customers of this date so far
  std::vector<std::uint32_t>
      position_;       // customer -> index in previous_, or kNone
  size_t cursor_ = 0;  // the guess: previous_[cursor_]
};

}  // namespace ndr
