// Lines from a byte source (byte_source.h), for csv_record_reader.
//
// fast-cpp-csv-parser's line_reader holds 48 MiB per reader (three 16 MiB
// blocks, filled ahead on a thread of its own): measured on a 10M-row
// export read as two parts, 96 MiB of `ndr report`'s 350 MiB peak, and every
// byte copied twice. This reader keeps the same contract (a line is returned
// NUL-terminated without its "\n" or "\r\n", a UTF-8 BOM is skipped, a last
// line without a line end is a line, a line over 16 MiB is an error) in one
// buffer of 256 KiB that grows only for a long line, and reads with the
// caller's thread (the byte source is already a read(2) or a decoder).
#pragma once

#include <libfccp/csv.h>

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace ndr {

class line_reader {
 public:
  static constexpr size_t kMaxLine = size_t(1) << 24;  // line_reader's limit
  static constexpr size_t kBlock = size_t(1) << 18;    // bytes read at a time
  // A line is followed by its NUL and kSpare - 1 more bytes that may be read
  // (not written): csv_record_reader reads a line 16 bytes at a time.
  static constexpr size_t kSpare = 16;

  line_reader(const std::string& name,
              std::unique_ptr<io::ByteSourceBase> source);
  // A text in memory (tests): read in place, not copied.
  line_reader(const std::string& name, const char* begin, const char* end);

  // The next line, or nullptr at the end. Throws
  // io::error::line_length_limit_exceeded for a line of 16 MiB or more.
  char* next_line();
  // The number of the line next_line returned last (1 for the first).
  unsigned get_file_line() const { return line_; }
  // The length of the line next_line returned last (its strlen).
  size_t length() const { return length_; }

 private:
  bool read_more();  // false at the end of the input

  std::unique_ptr<io::ByteSourceBase> source_;
  std::vector<char> buffer_;  // [begin_, end_) unread; kSpare bytes after end_
  size_t begin_ = 0, end_ = 0;
  size_t scanned_ = 0;  // [begin_, scanned_) holds no line end
  bool at_end_ = false;
  bool first_ = true;  // a BOM may come first
  unsigned line_ = 0;
  size_t length_ = 0;
};

}  // namespace ndr
