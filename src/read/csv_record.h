// Splits the lines of fast-cpp-csv-parser's LineReader into RFC 4180 records.
//
// io::CSVReader needs its column count and names at compile time and matches
// them case-sensitively; ndr's columns are chosen at run time (SPEC §1), may be
// quoted over several lines, and are matched case-insensitively. So we keep
// the library's fast LineReader (block reads on a second thread, BOM and CRLF
// handling) and split each line here.
//
// Every reader of ndr (snapshots, subscriptions, rates, customer maps) reads
// through csv_record_reader, so the rules below hold for all of them:
// - time is linear in the input, however many lines a quoted field spans;
// - a quote that is never closed is an InputError naming the line where it
//   opened (no later row can be trusted, so it is never a skippable bad row);
// - a record may not exceed kMaxRecordBytes, nor a line 16 MiB (LineReader's
//   limit); both are InputErrors naming the line.
#pragma once

#include <libfccp/csv.h>

#include <string>
#include <string_view>
#include <vector>

#include "line_reader.h"

namespace ndr {

struct csv_record {
  std::vector<std::string_view>
      fields;          // unquoted and trimmed; valid until the next read
  unsigned line = 0;   // physical 1-based line where the record starts
  bool blank = false;  // the line was empty
  const char* error = nullptr;  // set when the record is malformed (a bad row)
  size_t error_field = 0;       // the field the error is in

  // A well-formed record of empty fields (";;;", a spreadsheet's unused row).
  bool all_empty() const {
    if (error) return false;
    for (std::string_view f : fields) {
      if (!f.empty()) return false;
    }
    return true;
  }
};

char detect_delimiter(std::string_view header);

// The largest record, quoted line ends included (a guard against a stray
// quote swallowing the rest of a file into memory).
inline constexpr size_t kMaxRecordBytes = size_t(16) << 20;
// The most fields of a record; more is a malformed row (kTooManyFields), so
// that a line of 16 million commas cannot take a gigabyte.
inline constexpr size_t kMaxFields = 65536;
extern const char kTooManyFields[];

class csv_record_reader {
 public:
  // `name` names the input in errors. With cut_at_end, a quoted field still
  // open at the end of the input ends the reading quietly (next returns false
  // and cut_at_end_hit() is true): the input is the first part of a file cut
  // in two, and the caller reads the file again in one piece.
  csv_record_reader(line_reader& lines, char delimiter, std::string name,
                    bool cut_at_end = false)
      : lines_(lines),
        delimiter_(delimiter),
        name_(std::move(name)),
        cut_at_end_(cut_at_end) {}
  csv_record_reader(const csv_record_reader&) = delete;
  csv_record_reader& operator=(const csv_record_reader&) = delete;

  // Reads the next record into *out; false at the end of input. A delimiter
  // of 0 is detected from the first line (the header). Throws InputError for
  // an unterminated quote or an over-long line or record.
  bool next(csv_record& out);
  char delimiter() const { return delimiter_; }
  bool cut_at_end_hit() const { return cut_hit_; }
  // The header's column names, used to name the column in the reader's own
  // errors (a quote left open in column 'mrr').
  void name_columns(std::vector<std::string> names) {
    names_ = std::move(names);
  }

 private:
  enum class split_status { ok, incomplete, error };
  // A field as offsets into the record's text (which may move as lines are
  // joined), and whether it holds "" pairs to collapse.
  struct span {
    size_t begin, end;
    bool escaped;
  };
  // The scan of one record, kept across the lines it spans so that no byte
  // is looked at twice.
  struct scan_state {
    size_t pos = 0;          // where scanning resumes
    bool in_quotes = false;  // inside a quoted field that began at field_begin
    size_t field_begin = 0;
    bool escaped = false;     // the open field has held a "" pair
    unsigned quote_line = 0;  // the line where the open quote is
  };
  bool split_plain(const char* line, size_t size, csv_record& out) const;
  bool add_plain_field(const char* line, size_t begin, size_t end, bool blanks,
                       csv_record& out) const;
  split_status scan(const char* text, size_t size, csv_record& out);
  void finish_fields(char* text, csv_record& out);
  char* next_line();
  bool join_lines(const char* first, size_t size, csv_record& out);
  [[noreturn]] void open_quote_error(const char* what) const;

  line_reader& lines_;
  char delimiter_;
  std::string name_;
  bool cut_at_end_;
  bool cut_hit_ = false;
  std::vector<std::string> names_;
  std::string joined_;  // a record that spans several lines
  std::vector<span> spans_;
  scan_state state_;
};

// A small side file read strictly (a rates file, a customer map): the
// delimiter is detected, blank lines are skipped, and a malformed row or one
// with the wrong field count throws InputError naming the file, line and
// column.
class strict_csv_reader {
 public:
  // Reads the header; `what` names the file in the message when it is empty
  // ("rates file").
  strict_csv_reader(line_reader& lines, const std::string& name,
                    const char* what);
  const std::vector<std::string>& header() const { return header_; }
  // The next data row; false at the end.
  bool next(csv_record& out);

 private:
  csv_record_reader reader_;
  std::string name_;
  std::vector<std::string> header_;
};

// The message and column of a row whose field count differs from its
// header's: the column named is the first missing one, or the last header
// column when there are extra fields.
struct width_error {
  std::string message;
  size_t field;  // index into the header
};
width_error row_width_error(size_t fields, size_t header_fields);

}  // namespace ndr
