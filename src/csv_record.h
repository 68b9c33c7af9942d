// Splits the lines of fast-cpp-csv-parser's LineReader into RFC 4180 records.
//
// io::CSVReader needs its column count and names at compile time and matches
// them case-sensitively; ndr's columns are chosen at run time (SPEC §1), may be
// quoted over several lines, and are matched case-insensitively. So we keep
// the library's fast LineReader (block reads on a second thread, BOM and CRLF
// handling) and split each line here.
#pragma once

#include <libfccp/csv.h>

#include <string>
#include <string_view>
#include <vector>

namespace ndr {

struct csv_record {
  std::vector<std::string_view> fields;  // unquoted and trimmed; valid until the next read
  unsigned line = 0;                     // physical 1-based line where the record starts
  bool blank = false;                    // the line was empty
  const char* error = nullptr;           // set when the record is malformed
  size_t error_field = 0;                // the field the error is in
};

char detect_delimiter(std::string_view header);

// csv_record::error for a quoted field still open at the end of the input.
extern const char kUnterminatedQuote[];

class csv_record_reader {
 public:
  csv_record_reader(io::LineReader& lines, char delimiter, std::string name)
      : lines_(lines), delimiter_(delimiter), name_(std::move(name)) {}
  csv_record_reader(const csv_record_reader&) = delete;
  csv_record_reader& operator=(const csv_record_reader&) = delete;

  // Reads the next record into *out; false at the end of input. A delimiter
  // of 0 is detected from the first line (the header).
  bool next(csv_record& out);
  char delimiter() const { return delimiter_; }

 private:
  enum class split_status { ok, incomplete, error };
  split_status split(char* begin, char* end, csv_record& out);

  io::LineReader& lines_;
  char delimiter_;
  std::string name_;
  std::string joined_;        // a record that spans several lines
  std::vector<char> escaped_;  // per field: holds "" pairs to collapse
};

// A small side file read strictly (a rates file, a customer map): the
// delimiter is detected, blank lines are skipped, and a malformed row or one
// with the wrong field count throws InputError naming the file and line.
class strict_csv_reader {
 public:
  // Reads the header; `what` names the file in the message when it is empty
  // ("rates file").
  strict_csv_reader(io::LineReader& lines, const std::string& name, const char* what);
  const std::vector<std::string>& header() const { return header_; }
  // The next data row; false at the end.
  bool next(csv_record& out);

 private:
  csv_record_reader reader_;
  std::string name_;
  std::vector<std::string> header_;
};

}  // namespace ndr
