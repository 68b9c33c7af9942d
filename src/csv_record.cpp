#include "csv_record.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "ndr/error.h"

namespace ndr {
namespace {

bool is_trim(char c, char delimiter) { return (c == ' ' || c == '\t') && c != delimiter; }

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

}  // namespace

const char kUnterminatedQuote[] = "unterminated quoted field";

csv_record_reader::split_status csv_record_reader::split(char* begin, char* end, csv_record& out) {
  out.fields.clear();
  escaped_.clear();
  char* p = begin;
  for (;;) {
    while (p < end && is_trim(*p, delimiter_)) ++p;
    if (p < end && *p == '"') {
      char* q = p + 1;
      bool escaped = false;
      char* close;
      for (;;) {
        close = static_cast<char*>(std::memchr(q, '"', size_t(end - q)));
        if (!close) return split_status::incomplete;
        if (close + 1 < end && close[1] == '"') {
          escaped = true;
          q = close + 2;
          continue;
        }
        break;
      }
      out.fields.emplace_back(p + 1, size_t(close - p - 1));
      escaped_.push_back(escaped);
      p = close + 1;
      while (p < end && is_trim(*p, delimiter_)) ++p;
      if (p < end && *p != delimiter_) {
        out.error = "unexpected text after a closing quote";
        out.error_field = out.fields.size() - 1;
        return split_status::error;
      }
    } else {
      char* stop = static_cast<char*>(std::memchr(p, delimiter_, size_t(end - p)));
      if (!stop) stop = end;
      out.fields.emplace_back(p, size_t(stop - p));
      escaped_.push_back(false);
      p = stop;
    }
    if (p == end) break;
    ++p;  // the delimiter
  }
  for (size_t i = 0; i < out.fields.size(); ++i) {
    char* b = const_cast<char*>(out.fields[i].data());
    char* e = b + out.fields[i].size();
    if (escaped_[i]) e = unescape(b, e);
    out.fields[i] = trimmed(b, e, delimiter_);
  }
  return split_status::ok;
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

bool csv_record_reader::next(csv_record& out) {
  char* line = lines_.next_line();  // throws io::error::line_length_limit_exceeded
  if (!line) return false;
  if (delimiter_ == 0) delimiter_ = detect_delimiter(line);
  out.line = lines_.get_file_line();
  out.error = nullptr;
  out.error_field = 0;
  const size_t len = std::strlen(line);
  out.blank = std::all_of(line, line + len, [](char c) { return c == ' ' || c == '\t'; }) &&
              delimiter_ != '\t';
  if (out.blank) {
    out.fields.clear();
    return true;
  }
  split_status status = split(line, line + len, out);
  if (status != split_status::incomplete) return true;

  // A quoted field goes on over the next lines: join them (rare, so copied).
  joined_.assign(line, len);
  for (;;) {
    char* more = lines_.next_line();
    if (!more) {
      out.error = kUnterminatedQuote;
      out.error_field = out.fields.size();
      return true;
    }
    joined_ += '\n';
    joined_ += more;
    status = split(joined_.data(), joined_.data() + joined_.size(), out);
    if (status != split_status::incomplete) return true;
  }
}

strict_csv_reader::strict_csv_reader(io::LineReader& lines, const std::string& name,
                                     const char* what)
    : reader_(lines, 0, name), name_(name) {
  csv_record record;
  do {
    if (!reader_.next(record)) throw InputError(fmt::format("empty {}: no header", what), name);
  } while (record.blank);
  if (record.error) throw InputError(record.error, name, record.line);
  header_.assign(record.fields.begin(), record.fields.end());
}

bool strict_csv_reader::next(csv_record& out) {
  do {
    if (!reader_.next(out)) return false;
  } while (out.blank);
  if (out.error) throw InputError(out.error, name_, out.line);
  if (out.fields.size() != header_.size()) {
    throw InputError(fmt::format("the row has {} fields, the header {}", out.fields.size(),
                                 header_.size()),
                     name_, out.line);
  }
  return true;
}

}  // namespace ndr
