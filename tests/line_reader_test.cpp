// The line reader under csv_record_reader: io::LineReader's contract in a
// small buffer, also when the bytes come a few at a time.
#include "line_reader.h"

#include <catch2/catch.hpp>
#include <cstring>
#include <string>
#include <vector>

namespace {

// Hands out at most `step` bytes per read, as a pipe may.
class trickle : public io::ByteSourceBase {
 public:
  trickle(std::string text, int step) : text_(std::move(text)), step_(step) {}
  int read(char* buffer, int size) override {
    const int n = std::min({size, step_, int(text_.size() - at_)});
    std::memcpy(buffer, text_.data() + at_, size_t(n));
    at_ += size_t(n);
    return n;
  }

 private:
  std::string text_;
  int step_;
  size_t at_ = 0;
};

std::vector<std::string> lines_of(const std::string& text, int step) {
  ndr::line_reader reader("t.csv", std::make_unique<trickle>(text, step));
  std::vector<std::string> out;
  while (const char* line = reader.next_line()) {
    out.emplace_back(line);
    CHECK(reader.get_file_line() == out.size());
  }
  return out;
}

using lines = std::vector<std::string>;

}  // namespace

TEST_CASE("line reader: line ends, a BOM, a last line without a line end") {
  for (int step : {1, 2, 3, 7, 1 << 20}) {
    CHECK(lines_of("", step).empty());
    CHECK(lines_of("a\n", step) == lines{"a"});
    CHECK(lines_of("a\nb", step) == lines{"a", "b"});
    CHECK(lines_of("a\r\nb\r\n", step) == lines{"a", "b"});
    CHECK(lines_of("a\n\n\nb\n", step) == lines{"a", "", "", "b"});
    CHECK(lines_of("\xEF\xBB\xBF"
                   "id\nx",
                   step) == lines{"id", "x"});
    CHECK(
        lines_of("\xEF\xBB\xBF", step).empty());  // as io::LineReader: no line
    CHECK(lines_of("a\n\xEF\xBB\xBF"
                   "b\n",
                   step) == lines{"a",
                                  "\xEF\xBB\xBF"
                                  "b"});               // not first
    CHECK(lines_of("a\rb\n", step) == lines{"a\rb"});  // a lone CR is data
  }
}

TEST_CASE("line reader: lines longer than a block, and the 16 MiB limit") {
  const std::string long_line(ndr::line_reader::kBlock * 3 + 5, 'x');
  CHECK(lines_of("a\n" + long_line + "\nb", 4096) ==
        lines{"a", long_line, "b"});
  const std::string too_long(ndr::line_reader::kMaxLine, 'x');
  ndr::line_reader reader(
      "t.csv", std::make_unique<trickle>("a\n" + too_long + "\n", 1 << 20));
  CHECK(std::string(reader.next_line()) == "a");
  try {
    reader.next_line();
    FAIL("a 16 MiB line was read");
  } catch (const io::error::line_length_limit_exceeded& e) {
    CHECK(e.file_line == 2);
  }
}

TEST_CASE("line reader: a text in memory is read, not changed") {
  const std::string text = "a,b\r\nc";
  ndr::line_reader reader("t.csv", text.data(), text.data() + text.size());
  CHECK(std::string(reader.next_line()) == "a,b");
  CHECK(std::string(reader.next_line()) == "c");
  CHECK(reader.next_line() == nullptr);
  CHECK(text == "a,b\r\nc");
}
