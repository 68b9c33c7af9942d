#include "csv_record.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "ndr/error.h"

namespace ndr {
namespace {

bool is_trim(char c, char delimiter) {
  return (c == ' ' || c == '\t') && c != delimiter;
}

std::string_view trimmed(char* begin, char* end, char delimiter) {
  while (begin < end && is_trim(*begin, delimiter)) ++begin;
  while (end > begin && is_trim(end[-1], delimiter)) --end;
  return {begin, size_t(end - begin)};
}

// Collapses each "" to " in place; returns the new end.
char* unescape(char* begin, char* end) {
  char* w = begin;
  for (char* r = begin; r < end; ++r) {
    *w++ = *r;
    if (*r == '"') ++r;  // skip the second quote of the pair
  }
  return w;
}

// The first `delimiter` in text[p, size), or size. Fields are short: eight
// bytes at a time, inline, costs less than a call to memchr per field.
size_t find_delimiter(const char* text, size_t p, size_t size, char delimiter) {
  if constexpr (std::endian::native == std::endian::little) {
    constexpr std::uint64_t kOnes = 0x0101010101010101ull;
    constexpr std::uint64_t kHighs = 0x8080808080808080ull;
    const std::uint64_t pattern = kOnes * std::uint8_t(delimiter);
    for (; p + 8 <= size; p += 8) {
      std::uint64_t w;
      std::memcpy(&w, text + p, 8);
      w ^= pattern;  // a zero byte where the delimiter is
      // The lowest flagged byte is the first zero byte (flags above it may
      // be borrows).
      const std::uint64_t zero = (w - kOnes) & ~w & kHighs;
      if (zero != 0) return p + size_t(__builtin_ctzll(zero) >> 3);
    }
  }
  while (p < size && text[p] != delimiter) ++p;
  return p;
}

size_t skip_trim(const char* text, size_t pos, size_t size, char delimiter) {
  while (pos < size && is_trim(text[pos], delimiter)) ++pos;
  return pos;
}

}  // namespace

const char kTooManyFields[] =
    "more than 65,536 fields in one row; is the delimiter right?";

width_error row_width_error(size_t fields, size_t header_fields) {
  if (fields < header_fields) {
    return {fmt::format("missing field (the row has {} field{}, the header {})",
                        fields, fields == 1 ? "" : "s", header_fields),
            fields};
  }
  return {
      fmt::format(
          "the row has {} fields, the header only {} (a value with an unquoted "
          "delimiter?)",
          fields, header_fields),
      header_fields - 1};
}

// Splits a line whose fields need neither unquoting nor trimming (most
// rows of most exports) straight into out.fields, in one pass; false, with
// out.fields to be cleared, for any other line, which scan() then reads. A
// line with a quote anywhere goes to scan(), which reads a quote inside a
// field as the same text.
bool csv_record_reader::split_plain(const char* line, size_t size,
                                    csv_record& out) const {
  size_t begin = 0;  // of the field being read
#ifdef __SSE2__
  // 16 bytes at a time, past the line's end too (line_reader::kSpare).
  static_assert(line_reader::kSpare >= 16);
  const __m128i delimiter = _mm_set1_epi8(delimiter_),
                quote = _mm_set1_epi8('"'), space = _mm_set1_epi8(' '),
                tab = _mm_set1_epi8('\t');
  // Fields' ends are looked at for blanks only once the line has one (a
  // field's first byte is in its chunk or an earlier one).
  bool blanks = false;
  for (size_t p = 0; p < size; p += 16) {
    const __m128i v =
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(line + p));
    const unsigned in_line =
        size - p >= 16 ? 0xFFFFu : (1u << unsigned(size - p)) - 1;
    const auto mask = [&](__m128i c) {
      return unsigned(_mm_movemask_epi8(_mm_cmpeq_epi8(v, c))) & in_line;
    };
    if (mask(quote)) return false;
    blanks = blanks || (mask(space) | mask(tab)) != 0;
    for (unsigned ends = mask(delimiter); ends != 0; ends &= ends - 1) {
      const size_t end = p + size_t(__builtin_ctz(ends));
      if (!add_plain_field(line, begin, end, blanks, out)) return false;
      begin = end + 1;
    }
  }
  return add_plain_field(line, begin, size, blanks, out);
#else
  for (size_t end; (end = find_delimiter(line, begin, size, delimiter_)) < size;
       begin = end + 1) {
    if (line[begin] == '"' || !add_plain_field(line, begin, end, true, out))
      return false;
  }
  return (begin == size || line[begin] != '"') &&
         add_plain_field(line, begin, size, true, out);
#endif
}

// Field [begin, end) of a plain line, unless it has blanks at its ends (for
// scan() to trim; `blanks`: there may be) or the record has all the fields
// it may have.
bool csv_record_reader::add_plain_field(const char* line, size_t begin,
                                        size_t end, bool blanks,
                                        csv_record& out) const {
  if (blanks && begin < end &&
      (is_trim(line[begin], delimiter_) || is_trim(line[end - 1], delimiter_)))
    return false;
  if (out.fields.size() == kMaxFields) return false;
  out.fields.emplace_back(line + begin, end - begin);
  return true;
}

// Scans text[state_.pos, size) into spans_. A record cut inside a quoted
// field returns incomplete with the state saved: the next call, on the same
// text with a line appended, resumes where this one stopped.
csv_record_reader::split_status csv_record_reader::scan(const char* text,
                                                        size_t size,
                                                        csv_record& out) {
  scan_state& s = state_;
  for (;;) {
    if (!s.in_quotes) {
      const size_t p = skip_trim(text, s.pos, size, delimiter_);
      if (p < size && text[p] == '"') {
        s.in_quotes = true;
        s.field_begin = s.pos = p + 1;
        s.escaped = false;
        s.quote_line = lines_.get_file_line();  // p is on the line read last
      } else {
        const size_t end = find_delimiter(text, p, size, delimiter_);
        spans_.push_back({p, end, false});
        s.pos = end;
      }
    }
    if (s.in_quotes) {
      const char* close;
      for (;;) {
        close = static_cast<const char*>(
            std::memchr(text + s.pos, '"', size - s.pos));
        if (!close) {
          s.pos = size;
          return split_status::incomplete;
        }
        if (close + 1 < text + size && close[1] == '"') {
          s.escaped = true;
          s.pos = size_t(close - text) + 2;
          continue;
        }
        break;
      }
      spans_.push_back({s.field_begin, size_t(close - text), s.escaped});
      s.in_quotes = false;
      s.pos = skip_trim(text, size_t(close - text) + 1, size, delimiter_);
      if (s.pos < size && text[s.pos] != delimiter_) {
        out.error = "unexpected text after a closing quote";
        out.error_field = spans_.size() - 1;
        return split_status::error;
      }
    }
    if (s.pos == size) return split_status::ok;
    if (spans_.size() ==
        kMaxFields) {  // each field costs ~40 bytes: bound them
      out.error = kTooManyFields;
      out.error_field = names_.empty() ? 0 : names_.size() - 1;
      return split_status::error;
    }
    ++s.pos;  // the delimiter
  }
}

void csv_record_reader::finish_fields(char* text, csv_record& out) {
  out.fields.clear();
  for (const span& f : spans_) {
    char* b = text + f.begin;
    char* e = text + f.end;
    if (f.escaped) e = unescape(b, e);
    out.fields.push_back(trimmed(b, e, delimiter_));
  }
}

// The most frequent of , ; tab | outside quotes in a header line (ties go to
// the earlier in that list); ',' when there is none.
char detect_delimiter(std::string_view header) {
  constexpr char kCandidates[] = {',', ';', '\t', '|'};
  size_t counts[4] = {};
  bool quoted = false;
  for (char c : header) {
    if (c == '"') quoted = !quoted;
    for (size_t i = 0; i < 4; ++i) counts[i] += !quoted && c == kCandidates[i];
  }
  size_t best = 0;
  for (size_t i = 1; i < 4; ++i) {
    if (counts[i] > counts[best]) best = i;
  }
  return kCandidates[best];
}

char* csv_record_reader::next_line() {
  try {
    return lines_.next_line();
  } catch (const io::error::line_length_limit_exceeded&) {
    std::string column;
    if (state_.in_quotes && spans_.size() < names_.size())
      column = names_[spans_.size()];
    throw InputError(
        "line too long (over 16 MiB without a line end); is this a text CSV "
        "file?",
        name_, lines_.get_file_line(), column);
  }
}

void csv_record_reader::open_quote_error(const char* what) const {
  std::string column;
  if (spans_.size() < names_.size()) column = names_[spans_.size()];
  throw InputError(what, name_, state_.quote_line, column);
}

bool csv_record_reader::next(csv_record& out) {
  char* line = next_line();
  if (!line) return false;
  if (delimiter_ == 0) delimiter_ = detect_delimiter(line);
  out.line = lines_.get_file_line();
  out.error = nullptr;
  out.error_field = 0;
  const size_t len = lines_.length();
  const auto space = [](char c) { return c == ' ' || c == '\t'; };
  out.blank = (len == 0 || space(line[0])) &&
              std::all_of(line, line + len, space) && delimiter_ != '\t';
  out.fields.clear();
  if (out.blank || split_plain(line, len, out)) return true;
  out.fields.clear();
  spans_.clear();
  state_ = scan_state{};
  const split_status status = scan(line, len, out);
  if (status == split_status::incomplete) return join_lines(line, len, out);
  if (status == split_status::ok) finish_fields(line, out);
  return true;
}

// A quoted field goes on over the next lines: copy the first line out of
// LineReader's buffer, then append the next lines one by one, scanning only
// what each adds.
bool csv_record_reader::join_lines(const char* first, size_t size,
                                   csv_record& out) {
  joined_.assign(first, size);
  split_status status;
  do {
    const char* more = next_line();
    if (!more) {
      if (cut_at_end_) {
        cut_hit_ = true;
        return false;
      }
      open_quote_error(
          "unterminated quoted field: the quote that opens here is never "
          "closed");
    }
    joined_ += '\n';
    joined_ += more;
    if (joined_.size() > kMaxRecordBytes) {
      open_quote_error(
          "a quoted field runs on for over 16 MiB: is this quote never "
          "closed?");
    }
    status = scan(joined_.data(), joined_.size(), out);
  } while (status == split_status::incomplete);
  if (status == split_status::ok) finish_fields(joined_.data(), out);
  return true;
}

strict_csv_reader::strict_csv_reader(line_reader& lines,
                                     const std::string& name, const char* what)
    : reader_(lines, 0, name), name_(name) {
  csv_record record;
  do {
    if (!reader_.next(record))
      throw InputError(fmt::format("empty {}: no header", what), name);
  } while (record.blank);
  if (record.error) throw InputError(record.error, name, record.line);
  header_.assign(record.fields.begin(), record.fields.end());
  reader_.name_columns(header_);
}

bool strict_csv_reader::next(csv_record& out) {
  do {
    if (!reader_.next(out)) return false;
  } while (out.blank);
  if (out.error) {
    throw InputError(
        out.error, name_, out.line,
        out.error_field < header_.size() ? header_[out.error_field] : "");
  }
  if (out.fields.size() != header_.size()) {
    const width_error e = row_width_error(out.fields.size(), header_.size());
    throw InputError(e.message, name_, out.line, header_[e.field]);
  }
  return true;
}

}  // namespace ndr
