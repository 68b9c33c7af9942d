#include "csv_record.h"

#include <catch2/catch.hpp>

namespace {

// Reads every record of `text`; a record is its fields joined by '|',
// prefixed with its line, or "L:error" for a malformed one.
std::vector<std::string> records(const std::string& text, char delimiter = ',') {
  io::LineReader lines("t.csv", text.data(), text.data() + text.size());
  ndr::csv_record_reader reader(lines, delimiter, "t.csv");
  ndr::csv_record r;
  std::vector<std::string> out;
  while (reader.next(r)) {
    std::string s = std::to_string(r.line) + ":";
    if (r.error) {
      s += std::string(r.error) + "@" + std::to_string(r.error_field);
    } else if (r.blank) {
      s += "<blank>";
    } else {
      for (size_t i = 0; i < r.fields.size(); ++i) s += (i ? "|" : "") + std::string(r.fields[i]);
    }
    out.push_back(s);
  }
  return out;
}

using v = std::vector<std::string>;

}  // namespace

TEST_CASE("plain fields are split and trimmed") {
  CHECK(records("a,b,c\n") == v{"1:a|b|c"});
  CHECK(records(" a ,\tb\t, c") == v{"1:a|b|c"});  // no trailing newline
  CHECK(records("a,,c\n,\n") == v{"1:a||c", "2:|"});
}

TEST_CASE("CRLF line ends and a UTF-8 BOM are accepted") {
  CHECK(records("\xEF\xBB\xBF" "id,mrr\r\nx,1\r\n") == v{"1:id|mrr", "2:x|1"});
}

TEST_CASE("RFC 4180 quoting") {
  CHECK(records("\"a,b\",\"say \"\"hi\"\"\",c\n") == v{"1:a,b|say \"hi\"|c"});
  CHECK(records("\" padded \" , x\n") == v{"1:padded|x"});  // trimmed after unquoting
  CHECK(records("\"\",x\n") == v{"1:|x"});
}

TEST_CASE("a quoted field may span lines; the record keeps its first line") {
  CHECK(records("h\n\"a\nb\",c\nd,e\n") == v{"1:h", "2:a\nb|c", "4:d|e"});
  CHECK(records("\"a\r\nb\",c\r\n") == v{"1:a\nb|c"});
}

TEST_CASE("malformed quoting is an error on the record's line and field") {
  CHECK(records("x,\"a\"b,c\n") == v{"1:unexpected text after a closing quote@1"});
  CHECK(records("ok\nx,\"never closed\ny\n") == v{"1:ok", "2:unterminated quoted field@1"});
}

TEST_CASE("blank lines are reported as blank") {
  CHECK(records("a\n\nb\n") == v{"1:a", "2:<blank>", "3:b"});
}

TEST_CASE("other delimiters; tab is not trimmed away when it is the delimiter") {
  CHECK(records("a;b; c\n", ';') == v{"1:a|b|c"});
  CHECK(records("a|\"b|c\"\n", '|') == v{"1:a|b|c"});
  CHECK(records("a\t\tc\n", '\t') == v{"1:a||c"});
}
