#include "customer_index.h"

#include <cstring>

namespace ndr {

// 8 bytes at a time, then a final mix.
std::uint64_t hash_id(std::string_view s) {
  std::uint64_t h = 0x9E3779B97F4A7C15ull ^ (s.size() * 0xC2B2AE3D27D4EB4Full);
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = (h ^ w) * 0xFF51AFD7ED558CCDull;
    h ^= h >> 32;
  }
  std::uint64_t tail = 0;
  std::memcpy(&tail, s.data() + i, s.size() - i);
  h = (h ^ tail) * 0xC4CEB9FE1A85EC53ull;
  return h ^ (h >> 29);
}

namespace {

std::uint64_t hash_part(std::string_view id, std::uint16_t currency) {
  const std::uint64_t h = hash_id(id);
  if (currency == 0) return h;
  const std::uint64_t m =
      (h ^ (std::uint64_t(currency) << 48)) * 0xFF51AFD7ED558CCDull;
  return m ^ (m >> 31);
}

}  // namespace

customer_index::customer_index() : slots_(1 << 16, 0), mask_((1 << 16) - 1) {}

std::uint32_t customer_index::intern(std::string_view id,
                                     std::uint16_t currency_number) {
  const std::uint64_t h = hash_part(id, currency_number);
  const std::uint64_t tag = h << 32;  // the low bits: where it goes (grow())
  for (std::uint64_t i = h & mask_;; i = (i + 1) & mask_) {
    const std::uint64_t slot = slots_[i];
    if (slot == 0) break;
    if ((slot & 0xFFFFFFFF00000000ull) == tag) {
      const auto n = std::uint32_t(slot) - 1;
      if (is(n, id, currency_number)) return n;
    }
  }
  const std::uint32_t n = size();
  arena_.insert(arena_.end(), id.begin(), id.end());
  starts_.push_back(arena_.size());
  if (currency_number != 0 || !currencies_.empty()) {
    currencies_.resize(n,
                       0);  // the ids before the first part in another currency
    currencies_.push_back(currency_number);
  }
  if ((std::uint64_t(n) + 1) * 2 > slots_.size()) {
    grow();
  }
  for (std::uint64_t i = h & mask_;; i = (i + 1) & mask_) {
    if (slots_[i] == 0) {
      slots_[i] = tag | (std::uint64_t(n) + 1);
      return n;
    }
  }
}

// Each slot keeps its hash's low 32 bits, which are where it goes in any
// table of up to 2^32 slots: growing moves slots without reading an id.
void customer_index::grow() {
  std::vector<std::uint64_t> old(slots_.size() * 2, 0);
  old.swap(slots_);
  mask_ = slots_.size() - 1;
  for (const std::uint64_t slot : old) {
    if (slot == 0) continue;
    for (std::uint64_t i = (slot >> 32) & mask_;; i = (i + 1) & mask_) {
      if (slots_[i] == 0) {
        slots_[i] = slot;
        break;
      }
    }
  }
}

std::vector<std::string> customer_index::names() const {
  std::vector<std::string> out;
  out.reserve(size());
  for (std::uint32_t n = 0; n < size(); ++n) out.emplace_back(name(n));
  return out;
}

std::vector<std::uint32_t> number_distinct(
    const std::vector<std::string>& ids) {
  const auto n = std::uint32_t(ids.size());
  // (the hash's top 32 bits, index), sorted by key in two 16-bit passes;
  // a stable sort, so equal keys stay in index order.
  std::vector<std::uint64_t> keyed(n), other(n);
  for (std::uint32_t i = 0; i < n; ++i)
    keyed[i] = (hash_id(ids[i]) >> 32 << 32) | i;
  for (const int shift : {32, 48}) {
    std::vector<std::uint32_t> count(65537, 0);
    for (const std::uint64_t k : keyed) ++count[((k >> shift) & 0xFFFF) + 1];
    for (size_t b = 1; b < count.size(); ++b) count[b] += count[b - 1];
    for (const std::uint64_t k : keyed)
      other[count[(k >> shift) & 0xFFFF]++] = k;
    keyed.swap(other);
  }
  // first[i]: the first index with ids[i]'s value.
  std::vector<std::uint32_t> first(n);
  for (std::uint32_t a = 0; a < n;) {
    std::uint32_t b = a + 1;
    while (b < n && keyed[b] >> 32 == keyed[a] >> 32) ++b;
    for (std::uint32_t k = a; k < b; ++k) {  // usually one, by index
      const auto i = std::uint32_t(keyed[k]);
      first[i] = i;
      for (std::uint32_t j = a; j < k; ++j) {
        const auto earlier = std::uint32_t(keyed[j]);
        if (ids[earlier] == ids[i]) {
          first[i] = first[earlier];
          break;
        }
      }
    }
    a = b;
  }
  std::vector<std::uint32_t> number(n);
  std::uint32_t next = 0;
  for (std::uint32_t i = 0; i < n; ++i)
    number[i] = first[i] == i ? next++ : number[first[i]];
  return number;
}

void customer_predictor::start_date(std::int32_t date) {
  for (std::uint32_t c : previous_) position_[c] = kNone;
  previous_.swap(current_);
  current_.clear();
  for (size_t k = 0; k < previous_.size(); ++k) {
    if (position_[previous_[k]] == kNone)
      position_[previous_[k]] = std::uint32_t(k);
  }
  cursor_ = 0;
  date_ = date;
}

void customer_predictor::record(std::uint32_t c) {
  current_.push_back(c);
  last_ = c;
}

std::uint32_t customer_predictor::lookup(std::string_view id,
                                         std::uint16_t currency,
                                         std::int32_t date,
                                         customer_index& index) {
  if (date != date_) start_date(date);
  const auto take = [&](size_t k) {  // previous_[k], the guess from now on
    const std::uint32_t c = previous_[k];
    cursor_ = k + 1;
    record(c);
    return c;
  };
  // Most rows: the customer that came next at the previous date.
  if (cursor_ < previous_.size() && index.is(previous_[cursor_], id, currency))
    return take(cursor_);
  if (last_ != kNone && index.is(last_, id, currency))
    return last_;  // a split row, or customer order
  // The customer expected stopped paying: the one after it.
  if (cursor_ + 1 < previous_.size() &&
      index.is(previous_[cursor_ + 1], id, currency))
    return take(cursor_ + 1);
  const std::uint32_t c = index.intern(id, currency);
  if (c >= position_.size())
    position_.resize(size_t(c) + 1 + position_.size() / 2, kNone);
  if (position_[c] != kNone)
    cursor_ = position_[c] + 1;  // back in step with the last date
  record(c);
  return c;
}

}  // namespace ndr
