#include "csv_record.h"

#include <catch2/catch.hpp>

#include "ndr/error.h"
#include "splitmix.h"

namespace {

// Reads every record of `text`; a record is its fields joined by '|',
// prefixed with its line, or "L:error" for a malformed one.
std::vector<std::string> records(const std::string& text,
                                 char delimiter = ',') {
  ndr::line_reader lines("t.csv", text.data(), text.data() + text.size());
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
      for (size_t i = 0; i < r.fields.size(); ++i)
        s += (i ? "|" : "") + std::string(r.fields[i]);
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
  CHECK(records("\xEF\xBB\xBF"
                "id,mrr\r\nx,1\r\n") == v{"1:id|mrr", "2:x|1"});
}

TEST_CASE("RFC 4180 quoting") {
  CHECK(records("\"a,b\",\"say \"\"hi\"\"\",c\n") == v{"1:a,b|say \"hi\"|c"});
  CHECK(records("\" padded \" , x\n") ==
        v{"1:padded|x"});  // trimmed after unquoting
  CHECK(records("\"\",x\n") == v{"1:|x"});
}

TEST_CASE("a quoted field may span lines; the record keeps its first line") {
  CHECK(records("h\n\"a\nb\",c\nd,e\n") == v{"1:h", "2:a\nb|c", "4:d|e"});
  CHECK(records("\"a\r\nb\",c\r\n") == v{"1:a\nb|c"});
}

TEST_CASE("malformed quoting is an error on the record's line and field") {
  CHECK(records("x,\"a\"b,c\n") ==
        v{"1:unexpected text after a closing quote@1"});
}

TEST_CASE(
    "an unterminated quote stops the reading at the line where it opens") {
  // No later row can be trusted: it is never a skippable bad row.
  CHECK_THROWS_WITH(records("ok\nx,\"never closed\ny\nz\n"),
                    "t.csv:2: unterminated quoted field: the quote that opens "
                    "here is never closed");
  // The quote of a later field, on a later line of the same record.
  CHECK_THROWS_WITH(records("a,\"b\nc\",\"d\ne\n"),
                    "t.csv:2: unterminated quoted field: the quote that opens "
                    "here is never closed");
  // With the header's names, the column too.
  std::string text = "id,mrr\nx,\"1\n";
  ndr::line_reader lines("t.csv", text.data(), text.data() + text.size());
  ndr::csv_record_reader reader(lines, ',', "t.csv");
  ndr::csv_record r;
  REQUIRE(reader.next(r));
  reader.name_columns({"id", "mrr"});
  CHECK_THROWS_WITH(
      reader.next(r),
      "t.csv:2: column 'mrr': unterminated quoted field: the quote "
      "that opens here is never closed");
}

TEST_CASE("the first part of a cut file ends quietly inside a quoted field") {
  std::string text = "a,b\n\"x\ny";
  ndr::line_reader lines("t.csv", text.data(), text.data() + text.size());
  ndr::csv_record_reader reader(lines, ',', "t.csv", /*cut_at_end=*/true);
  ndr::csv_record r;
  REQUIRE(reader.next(r));
  CHECK_FALSE(reader.next(r));
  CHECK(reader.cut_at_end_hit());
}

TEST_CASE("a quoted field over many lines is read in linear time") {
  // 200,000 lines inside one field: a reader that scans the joined record
  // again for each line does 2 * 10^10 steps and would not finish here.
  std::string text = "a,b\n\"";
  for (int i = 0; i < 200000; ++i) text += "x\n";
  text += "\",2\nc,3\n";
  const auto got = records(text);
  REQUIRE(got.size() == 3);
  CHECK(got[1].size() == 2 + 400000 + 2);  // "2:" + the field + "|2"
  CHECK(got[2] == "200003:c|3");
}

TEST_CASE(
    "a record over 16 MiB is an error naming the line of its open quote") {
  std::string text = "a,b\nx,\"";
  const std::string line(1 << 20, 'y');
  for (int i = 0; i < 17; ++i) text += line + "\n";
  CHECK_THROWS_WITH(
      records(text),
      "t.csv:2: a quoted field runs on for over 16 MiB: is this quote "
      "never closed?");
}

TEST_CASE("fields spanning lines keep their escapes and following fields") {
  CHECK(records("\"a\"\"\nb\",\"c\nd\",e\nf\n") == v{"1:a\"\nb|c\nd|e", "4:f"});
}

TEST_CASE("blank lines are reported as blank") {
  CHECK(records("a\n\nb\n") == v{"1:a", "2:<blank>", "3:b"});
}

TEST_CASE(
    "other delimiters; tab is not trimmed away when it is the delimiter") {
  CHECK(records("a;b; c\n", ';') == v{"1:a|b|c"});
  CHECK(records("a|\"b|c\"\n", '|') == v{"1:a|b|c"});
  CHECK(records("a\t\tc\n", '\t') == v{"1:a||c"});
}

TEST_CASE(
    "a record of more than 65,536 fields is a malformed row, not a gigabyte") {
  const std::string commas(100000, ',');
  const auto got = records("a\n" + commas + "\nb\n");
  REQUIRE(got.size() == 3);
  CHECK(got[1] ==
        "2:more than 65,536 fields in one row; is the delimiter right?@0");
  CHECK(got[2] == "3:b");
}

TEST_CASE(
    "unquoted lines of every length split as a simple split and trim would") {
  // The fast path reads 16 bytes at a time: delimiters at every offset, blank
  // ends (trimmed by the general path) and quotes inside a field (literal);
  // half the lines without blanks or quotes, which it reads alone.
  ndr_test::splitmix next(42);
  for (int round = 0; round < 4000; ++round) {
    const std::string alphabet = round % 2 ? "ab9. -x\t\"" : "ab9.-x";
    const size_t fields = 1 + next() % 9;
    std::string line, want = "1:";
    for (size_t f = 0; f < fields; ++f) {
      std::string field;
      for (size_t k = next() % 19; k > 0; --k) {
        const char c = alphabet[next() % alphabet.size()];
        if (c == '"' && field.find_first_not_of(" \t") == std::string::npos)
          continue;  // a quote first opens a quoted field
        field += c;
      }
      line += (f ? "," : "") + field;
      const size_t b = field.find_first_not_of(" \t");
      const size_t e = field.find_last_not_of(" \t");
      want += (f ? "|" : "") +
              (b == std::string::npos ? "" : field.substr(b, e - b + 1));
    }
    if (line.find_first_not_of(" \t") == std::string::npos) continue;  // blank
    INFO(line);
    CHECK(records(line + "\n") == v{want});
  }
}
