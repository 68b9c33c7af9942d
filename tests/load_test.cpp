#include "ndr/load.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>

using ndr::load_options;
using ndr::money;
using ndr::snapshot_store;

// The hints every amount and date error ends with (docs/data-format.md).
#define AMOUNT_HINT                                                          \
  " (expected 1234.50 or \"1,234.50\"; --decimal-comma reads 1.234,50, and " \
  "--locale de reads a German export at once: ; 1.234,50 31.01.2024)"
#define DATE_HINT                                                             \
  ": expected YYYY-MM-DD, YYYY-MM or a date-time (--date-format reads other " \
  "layouts, e.g. %d/%m/%Y)"

namespace {

snapshot_store load(const std::string& text, const load_options& options = {}) {
  return ndr::load_texts({{"q1.csv", text}}, options);
}

money mrr(const snapshot_store& s, const std::string& customer,
          const char* day) {
  const auto c = std::find(s.customers.begin(), s.customers.end(), customer) -
                 s.customers.begin();
  const auto d =
      std::find(s.dates.begin(), s.dates.end(), *ndr::parse_date(day)) -
      s.dates.begin();
  REQUIRE(size_t(c) < s.customers.size());
  REQUIRE(size_t(d) < s.dates.size());
  return s.mrr_at(std::uint32_t(c), std::uint32_t(d));
}

}  // namespace

TEST_CASE("rows of one customer and date are summed; absent means 0") {
  const auto s = load(
      "customer_id,date,mrr\na,2024-01-31,10\na,2024-01-31,5.5\nb,2024-02-29,"
      "7\n");
  CHECK(s.rows_read == 3);
  CHECK(s.dates.size() == 2);
  CHECK(mrr(s, "a", "2024-01-31") == money::from_units(15'500'000));
  CHECK(mrr(s, "a", "2024-02-29") == money());
  CHECK(mrr(s, "b", "2024-01-31") == money());
  CHECK(mrr(s, "b", "2024-02-29") == money::from_whole(7));
}

TEST_CASE("a date with only zero rows is still a snapshot date") {
  const auto s =
      load("customer_id,date,mrr\na,2024-01-31,10\na,2024-02-29,0\n");
  CHECK(s.dates.size() == 2);
  CHECK(mrr(s, "a", "2024-02-29") == money());
}

TEST_CASE("negative rows are fine while the customer's total is not negative") {
  const auto s =
      load("customer_id,date,mrr\na,2024-01-31,10\na,2024-01-31,-4\n");
  CHECK(mrr(s, "a", "2024-01-31") == money::from_whole(6));
}

TEST_CASE(
    "columns match case-insensitively, in any order, and can be renamed") {
  const auto s = load("MRR,Region,Date,Customer_ID\n3,EU,2024-01,x\n");
  CHECK(mrr(s, "x", "2024-01-31") == money::from_whole(3));
  load_options o;
  o.customer_col = "account";
  o.date_col = "month";
  o.mrr_col = "amount";
  const auto t = load("Account,Month,Amount\ny,2024-02,4\n", o);
  CHECK(mrr(t, "y", "2024-02-29") == money::from_whole(4));
}

TEST_CASE("customer ids are trimmed and compared byte for byte") {
  const auto s = load(
      "customer_id,date,mrr\n a "
      ",2024-01-31,1\na,2024-01-31,2\nA,2024-01-31,4\n");
  CHECK(s.customers.size() == 2);
  CHECK(mrr(s, "a", "2024-01-31") == money::from_whole(3));
}

TEST_CASE("several files are one data set, each with its own header") {
  const auto s =
      ndr::load_texts({{"a.csv", "customer_id,date,mrr\nx,2024-01-31,1\n"},
                       {"b.csv", "mrr,customer_id,date\n2,x,2024-01-31\n"},
                       {"c.csv", ""},
                       {"d.csv", "customer_id,date,mrr\n"}},
                      {});
  CHECK(mrr(s, "x", "2024-01-31") == money::from_whole(3));
}

TEST_CASE("bad rows name file, line and column (SPEC §5)") {
  const std::string h = "customer_id,date,mrr\n";
  CHECK_THROWS_WITH(
      load(h + "a,2024-01-31,1\na,2024-01-31,abc\n"),
      "q1.csv:3: column 'mrr': invalid amount 'abc': not a number" AMOUNT_HINT);
  CHECK_THROWS_WITH(load(h + "a,2024-01-31,1,20\n"),
                    "q1.csv:2: column 'mrr': the row has 4 fields, the header "
                    "only 3 (a value "
                    "with an unquoted delimiter?)");
  CHECK_THROWS_WITH(load(h + "a,2024-01-31,\"1,20\"\n"),
                    "q1.csv:2: column 'mrr': invalid amount '1,20': misplaced "
                    "thousands separator" AMOUNT_HINT);
  CHECK_THROWS_WITH(load(h + "a,2024-01-31,\n"),
                    "q1.csv:2: column 'mrr': empty amount");
  CHECK_THROWS_WITH(
      load(h + "a,2024-02-30,1\n"),
      "q1.csv:2: column 'date': invalid date '2024-02-30'" DATE_HINT);
  CHECK_THROWS_WITH(load(h + "a,,1\n"), "q1.csv:2: column 'date': empty date");
  CHECK_THROWS_WITH(load(h + " ,2024-01-31,1\n"),
                    "q1.csv:2: column 'customer_id': empty customer id");
  CHECK_THROWS_WITH(load(h + "a,2024-01-31\n"),
                    "q1.csv:2: column 'mrr': missing field (the row has 2 "
                    "fields, the header 3)");
  CHECK_THROWS_WITH(load(h + "\"a\nb\",2024-01-31,1\nc,x,1\n"),
                    "q1.csv:4: column 'date': invalid date 'x'" DATE_HINT);
  CHECK_THROWS_WITH(load(h + "a,2024-01-31,\"1\n"),
                    "q1.csv:2: column 'mrr': unterminated quoted field: the "
                    "quote that opens here "
                    "is never closed");
  CHECK_THROWS_WITH(load(h + "a,2024-01-31,1.1234567\n"),
                    "q1.csv:2: column 'mrr': invalid amount '1.1234567': more "
                    "than 6 decimal places");
}

TEST_CASE("the column name in an error is the header's own spelling") {
  CHECK_THROWS_WITH(
      load("Customer_ID,Date,MRR\na,2024-01-31,x\n"),
      "q1.csv:2: column 'MRR': invalid amount 'x': not a number" AMOUNT_HINT);
}

TEST_CASE("a missing column lists the header and the option to use") {
  CHECK_THROWS_WITH(
      load("customer,date,amount\na,2024-01-31,1\n"),
      "q1.csv:1: missing column 'customer_id' (the header has: customer, date, "
      "amount); if 'customer' is the column, add --customer-col customer");
  CHECK_THROWS_WITH(load("customer_id,date,amount\na,2024-01-31,1\n"),
                    "q1.csv:1: missing column 'mrr' (the header has: "
                    "customer_id, date, amount); "
                    "if 'amount' is the column, add --mrr-col amount");
  CHECK_THROWS_WITH(load("customer_id,Snapshot Month,MRR\na,2024-01-31,1\n"),
                    "q1.csv:1: missing column 'date' (the header has: "
                    "customer_id, Snapshot Month, "
                    "MRR); name the column to use with --date-col");
  CHECK_THROWS_WITH(load("Customer ID,month,MRR (USD)\n"),
                    "q1.csv:1: missing column 'customer_id' (the header has: "
                    "Customer ID, month, "
                    "MRR (USD)); if 'Customer ID' is the column, add "
                    "--customer-col 'Customer ID'");
  CHECK_THROWS_WITH(load("id,day,x\n"),
                    "q1.csv:1: missing column 'customer_id' (the header has: "
                    "id, day, x); name the "
                    "column to use with --customer-col");
  CHECK_THROWS_WITH(
      load("customer_id,date,Mrr,MRR\n"),
      "q1.csv:1: columns 'Mrr' and 'MRR' both match 'mrr'; rename one");
}

TEST_CASE("empty input is an error") {
  CHECK_THROWS_WITH(load(""), "q1.csv: no data rows");
  CHECK_THROWS_WITH(load("customer_id,date,mrr\n"), "q1.csv: no data rows");
  CHECK_THROWS_WITH(load("customer_id,date,mrr\n\n\n"), "q1.csv: no data rows");
  CHECK_THROWS_WITH(ndr::load_texts({{"a.csv", ""}, {"b.csv", ""}}, {}),
                    "no data rows in a.csv, b.csv");
}

TEST_CASE("a negative customer total is a data error at its first row") {
  CHECK_THROWS_WITH(load("customer_id,date,MRR\na,2024-01-31,-1\n"),
                    "q1.csv:2: column 'MRR': customer 'a' has a negative total "
                    "MRR (-1.00) on 2024-01-31");
  CHECK_THROWS_WITH(load("customer_id,date,mrr\nz,2024-01-31,5\na,2024-01-31,"
                         "10\na,2024-01-31,(12.50)\n"),
                    "q1.csv:3: column 'mrr': customer 'a' has a negative total "
                    "MRR (-2.50) on 2024-01-31");
}

TEST_CASE("a sum that does not fit is an error, never a wrapped number") {
  CHECK_THROWS_WITH(load("customer_id,date,mrr\na,2024-01-31,9000000000000\n"
                         "a,2024-01-31,9000000000000\n"),
                    "q1.csv:3: column 'mrr': the total MRR of customer 'a' on "
                    "2024-01-31 is too large");
}

TEST_CASE(
    "option --skip-bad-rows reports every skipped row and keeps the rest") {
  std::vector<std::string> skipped;
  load_options o;
  o.skip_bad_rows = true;
  o.on_skipped_row = [&](const ndr::InputError& e) {
    skipped.push_back(e.what());
  };
  const auto s = load(
      "customer_id,date,mrr\na,2024-01-31,1\nb,bad,2\nc,2024-01-31,x\nd,2024-"
      "01-31,4\n",
      o);
  CHECK(s.rows_read == 2);
  CHECK(s.rows_skipped == 2);
  CHECK(skipped == std::vector<std::string>{
                       "q1.csv:3: column 'date': invalid date 'bad'" DATE_HINT,
                       "q1.csv:4: column 'mrr': invalid amount 'x': not a "
                       "number" AMOUNT_HINT});
  CHECK_THROWS_WITH(load("customer_id,date,mrr\nb,bad,2\n", o),
                    "q1.csv: no valid data rows (every row was skipped)");
}

TEST_CASE("option --date-format and other delimiters") {
  load_options o;
  o.date_format = "%m/%d/%Y";
  o.delimiter = ';';
  const auto s = load("customer_id;date;mrr\na;01/31/2024;\"1,000.50\"\n", o);
  CHECK(mrr(s, "a", "2024-01-31") == money::from_units(1'000'500'000));
  CHECK_THROWS_WITH(
      load("customer_id;date;mrr\na;2024-01-31;1\n", o),
      "q1.csv:2: column 'date': invalid date '2024-01-31': expected the "
      "--date-format layout '%m/%d/%Y'");
}

TEST_CASE(
    "option --delimiter auto detects each file's delimiter from its header") {
  load_options o;
  o.delimiter = 0;
  const auto s = ndr::load_texts(
      {{"a.csv", "customer_id;date;mrr\na;2024-01-31;\"1,500\"\n"},
       {"b.tsv", "customer_id\tdate\tmrr\nb\t2024-01-31\t2\n"},
       {"c.csv", "\"x,y\"|customer_id|date|mrr\n1|c|2024-01-31|3\n"},
       {"d.csv", "customer_id,date,mrr\nd,2024-01-31,4\n"}},
      o);
  CHECK(s.customers.size() == 4);
  CHECK_THROWS_WITH(
      ndr::load_texts({{"a.csv", "customer_id;date;mrr\na;2024-01-31;1,5\n"}},
                      o),
      "a.csv:2: column 'mrr': invalid amount '1,5': misplaced thousands "
      "separator" AMOUNT_HINT);
}

TEST_CASE("option --decimal-comma reads 1.234,56") {
  load_options o;
  o.decimal_comma = true;
  o.delimiter = ';';
  const auto s = load(
      "customer_id;date;mrr\na;2024-01-31;1.234,56\na;2024-01-31;(0,56)\n", o);
  CHECK(mrr(s, "a", "2024-01-31") == money::from_whole(1234));
}

TEST_CASE(
    "currencies: one symbol is fine, two are an error, unknown ones too") {
  const auto s = load(
      "customer_id,date,mrr\na,2024-01-31,\xE2\x82\xAC"
      "5\nb,2024-01-31,6\n");
  CHECK(mrr(s, "a", "2024-01-31") == money::from_whole(5));
  CHECK_THROWS_WITH(load("customer_id,date,mrr\na,2024-01-31,$5\nb,2024-01-31,"
                         "7\nc,2024-01-31,\xC2\xA3"
                         "6\n"),
                    "q1.csv:4: column 'mrr': mixed currencies: '\xC2\xA3' "
                    "here, '$' at q1.csv:2; "
                    "convert to one first");
  CHECK_THROWS_WITH(
      load("customer_id,date,mrr\na,2024-01-31,USD 5\n"),
      "q1.csv:2: column 'mrr': invalid amount 'USD 5': unknown currency symbol "
      "or "
      "text (ndr reads $, \xE2\x82\xAC and \xC2\xA3 before the number, and "
      "after it with --decimal-comma or --locale: 12,50 "
      "\xE2\x82\xAC)");
}

TEST_CASE(
    "validate's statistics: zero, negative and summed rows, customers per "
    "date") {
  ndr::load_stats stats;
  std::vector<std::string> negatives;
  load_options o;
  o.stats = &stats;
  o.on_data_error = [&](const ndr::InputError& e) {
    negatives.push_back(e.what());
  };
  const auto s = load(
      "customer_id,date,mrr\na,2024-01-31,0\nb,2024-01-31,5\nb,2024-01-31,-1\n"
      "c,2024-01-31,-3\na,2024-02-29,4\n",
      o);
  CHECK(stats.files == std::vector<std::string>{"q1.csv"});
  CHECK(stats.zero_rows == 1);
  CHECK(stats.zero_examples.at(0).line == 2);
  CHECK(stats.negative_rows == 2);
  CHECK(stats.summed_pairs == 1);
  CHECK(stats.summed_examples.at(0).customer == "b");
  CHECK(stats.summed_examples.at(0).rows.size() == 2);
  CHECK(stats.customers_with_rows == std::vector<std::uint32_t>{3, 1});
  CHECK(negatives ==
        std::vector<std::string>{"q1.csv:5: column 'mrr': customer 'c' has a "
                                 "negative total MRR (-3.00) on 2024-01-31"});
  CHECK(mrr(s, "c", "2024-01-31") == money());
}

TEST_CASE("a header read with the wrong delimiter suggests the right one") {
  CHECK_THROWS_WITH(
      load("customer_id;date;mrr\na;2024-01-31;1\n"),
      "q1.csv:1: missing column 'customer_id': the header is one column, "
      "'customer_id;date;mrr'; is the delimiter ;? add --delimiter ';' (or "
      "--delimiter auto)");
  CHECK_THROWS_WITH(
      load("customer_id\tdate\tmrr\n"),
      "q1.csv:1: missing column 'customer_id': the header is one column, "
      "'customer_id\tdate\tmrr'; is the delimiter tab? add --delimiter tab (or "
      "--delimiter auto)");
}

TEST_CASE(
    "blank and whitespace-only lines are skipped, before the header too") {
  const auto s = load("\n  \ncustomer_id,date,mrr\n \t \na,2024-01-31,1\n\n");
  CHECK(s.rows_read == 1);
  CHECK_THROWS_WITH(load("\n\ncustomer_id,date,mrr\na,x,1\n"),
                    "q1.csv:4: column 'date': invalid date 'x'" DATE_HINT);
}

namespace {

// Loads `text` from a real file, in one pass and in two parts, and checks
// both give the same store, skipped rows and error text.
struct both_ways {
  std::string one_pass,
      two_parts;  // the error, or a digest of the store and skips
};

std::string digest(const std::function<snapshot_store(load_options&)>& run,
                   bool skip) {
  std::vector<std::string> skipped;
  load_options o;
  o.skip_bad_rows = skip;
  o.segment_cols = {};
  o.on_skipped_row = [&](const ndr::InputError& e) {
    skipped.push_back(e.what());
  };
  try {
    const auto s = run(o);
    std::string out;
    for (size_t c = 0; c < s.customers.size(); ++c) {
      for (auto i = s.offsets[c]; i < s.offsets[c + 1]; ++i) {
        out += s.customers[c] + "@" +
               ndr::format_date(s.dates[s.entry_date[i]]) + "=" +
               ndr::format_money(s.entry_mrr[i], 6) + ";";
      }
    }
    for (const auto& k : skipped) out += "\n" + k;
    return out;
  } catch (const ndr::InputError& e) {
    return std::string("error: ") + e.what();
  }
}

both_ways load_both_ways(const std::string& text, bool skip) {
  char path[] = "/tmp/ndr-split-XXXXXX";
  const int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  REQUIRE(write(fd, text.data(), text.size()) == ssize_t(text.size()));
  close(fd);
  both_ways out;
  out.one_pass =
      digest([&](load_options& o) { return ndr::load_files({path}, o); }, skip);
  out.two_parts = digest(
      [&](load_options& o) {
        o.split_bytes = 1;
        return ndr::load_files({path}, o);
      },
      skip);
  unlink(path);
  return out;
}

std::string many_rows(size_t n, const std::string& extra_at_middle = "") {
  std::string text = "customer_id,date,mrr\n";
  for (size_t i = 0; i < n; ++i) {
    if (i == n / 2) text += extra_at_middle;
    text += "c" + std::to_string(i % 37) + ",2024-0" +
            std::to_string(1 + i % 3) + "-15," + std::to_string(1 + i % 11) +
            ".25\n";
  }
  return text;
}

}  // namespace

TEST_CASE("a file read in two parts gives exactly what one pass gives") {
  for (bool skip : {false, true}) {
    INFO("skip bad rows: " << skip);
    auto same = [&](const std::string& text) {
      const auto r = load_both_ways(text, skip);
      CHECK(r.one_pass == r.two_parts);
      return r.one_pass;
    };
    CHECK(same(many_rows(400)).rfind("c0@", 0) == 0);
    // A quoted field over several lines right where the file is cut.
    CHECK(same(many_rows(400,
                         "q,2024-01-15,"
                         "\"1\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n2\"\n"))
              .size() > 0);
    // Bad rows in both halves: reported in file order with their real lines.
    std::string bad = many_rows(400);
    bad.replace(bad.find("\nc5,") + 1, 2, "");
    bad.replace(bad.rfind("\nc7,") + 1, 2, "");
    const std::string result = same(bad);
    CHECK(result.find("empty customer id") != std::string::npos);
    // Currencies: one symbol in both halves is fine; different first symbols
    // are not.
    same(many_rows(200, "a,2024-01-15,$5\n") + "b,2024-01-15,$6\n");
    CHECK(same("customer_id,date,mrr\na,2024-01-15,$5\n" +
               many_rows(300).substr(21) +
               "b,2024-01-15,\xE2\x82\xAC"
               "6\n")
              .find("mixed currencies: '\xE2\x82\xAC' here, '$' at ") !=
          std::string::npos);
    same(many_rows(300) +
         "b,2024-01-15,\xE2\x82\xAC"
         "6\nb,2024-01-15,$6\n");
    // A negative total split across the halves.
    same("customer_id,date,mrr\nn,2024-01-15,5\n" + many_rows(300).substr(21) +
         "n,2024-01-15,-9\n");
    // A file that is one header and one row, and one with an unterminated
    // quote.
    same("customer_id,date,mrr\na,2024-01-15,1\n");
    same(many_rows(300) + "x,2024-01-15,\"1\n");
  }
}

TEST_CASE("grouping and summing on two threads gives what one thread gives") {
  const std::string text =
      many_rows(3000) + "n,2024-01-15,-1\nm,2024-02-15,-2\n";
  for (bool threads : {false, true}) {
    load_options o;
    o.parallel_rows = threads ? 0 : UINT64_MAX;
    CHECK_THROWS_WITH(ndr::load_texts({{"p.csv", text}}, o),
                      "p.csv:3002: column 'mrr': customer 'n' has a negative "
                      "total MRR (-1.00) on 2024-01-15");
    const auto a = ndr::load_texts({{"p.csv", many_rows(3000)}}, o);
    o.parallel_rows = threads ? UINT64_MAX : 0;
    const auto b = ndr::load_texts({{"p.csv", many_rows(3000)}}, o);
    CHECK(a.offsets == b.offsets);
    CHECK(a.entry_date == b.entry_date);
    CHECK(a.entry_mrr == b.entry_mrr);
  }
}

TEST_CASE(
    "a NUL byte is an error at FILE:LINE:COLUMN, never a truncated line") {
  using namespace std::string_literals;
  CHECK_THROWS_WITH(
      load("customer_id,date,mrr\na,2024-01-31,1\nbb\0x,2024-01-31,5\n"s),
      "q1.csv:3:3: a NUL byte: this is not a text file (UTF-16 without a "
      "byte-order mark? pass --encoding UTF-16LE)");
  load_options skip;
  skip.skip_bad_rows = true;  // not a bad row: the bytes of the file are wrong
  CHECK_THROWS_WITH(
      load("customer_id,date,mrr\n\0"s, skip),
      "q1.csv:2:1: a NUL byte: this is not a text file (UTF-16 without a "
      "byte-order mark? pass --encoding UTF-16LE)");
}

TEST_CASE(
    "text must be UTF-8: the first invalid byte is named with its column") {
  const char* hint =
      " is not UTF-8; if the file is in another encoding, pass it with "
      "--encoding (for example "
      "--encoding windows-1252)";
  // é in Latin-1; the column counts characters, so ü (2 bytes) counts once.
  CHECK_THROWS_WITH(load("customer_id,date,mrr\n\xC3\xBC\xE9,2024-01-31,1\n"),
                    std::string("q1.csv:2:2: byte 0xE9") + hint);
  // Overlong forms, surrogates and bytes that never start a character.
  CHECK_THROWS_WITH(load("customer_id,date,mrr\n\xC0\xAF,2024-01-31,1\n"),
                    std::string("q1.csv:2:1: byte 0xC0") + hint);
  CHECK_THROWS_WITH(load("customer_id,date,mrr\n\xED\xA0\x80,2024-01-31,1\n"),
                    std::string("q1.csv:2:1: byte 0xED") + hint);
  CHECK_THROWS_WITH(load("customer_id,date,mrr\nab\x80,2024-01-31,1\n"),
                    std::string("q1.csv:2:3: byte 0x80") + hint);
  CHECK_THROWS_WITH(
      load("customer_id,date,mrr\na,2024-01-31,1\n\xF0\x9F"),
      "q1.csv:3:1: invalid UTF-8: the file ends inside a character");
  // Valid multi-byte text of every length reads as it is.
  const auto s = load(
      "customer_id,date,mrr\n\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80,2024-01-31,"
      "1\n");
  CHECK(s.customers ==
        std::vector<std::string>{"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"});
}

TEST_CASE(
    "a long ASCII block then a bad byte: the line and column still count") {
  std::string text = "customer_id,date,mrr\n";
  for (int i = 0; i < 5000; ++i)
    text += "customer-with-a-long-name,2024-01-31,1\n";
  text += "0123456789abcdef0123456789\xFF,2024-01-31,1\n";
  CHECK_THROWS_WITH(
      load(text),
      "q1.csv:5002:27: byte 0xFF is not UTF-8; if the file is in another "
      "encoding, pass it with --encoding (for example --encoding "
      "windows-1252)");
}

TEST_CASE(
    "encoding: --encoding decodes, UTF-16 is recognised by its byte-order "
    "mark") {
  load_options latin1;
  latin1.encoding = "latin1";
  const auto s =
      load("customer_id,date,mrr\ncaf\xE9,2024-01-31,1\ncaf\xE8,2024-01-31,2\n",
           latin1);
  // Two ids that differ in one byte stay two customers, in UTF-8.
  CHECK(s.customers == std::vector<std::string>{"caf\xC3\xA9", "caf\xC3\xA8"});
  // UTF-16LE with its mark: "id,date,mrr\na,2024-01-31,7\n".
  std::string utf16 = "\xFF\xFE";
  for (char c : std::string("customer_id,date,mrr\r\na,2024-01-31,7\r\n")) {
    utf16 += c;
    utf16 += '\0';
  }
  const auto u = load(utf16);
  CHECK(u.customers == std::vector<std::string>{"a"});
  CHECK(mrr(u, "a", "2024-01-31") == money::from_whole(7));
  // Without the mark, UTF-16 is a NUL byte.
  CHECK_THROWS_WITH(load(utf16.substr(2)),
                    "q1.csv:1:2: a NUL byte: this is not a text file "
                    "(UTF-16 without a byte-order mark? pass --encoding "
                    "UTF-16LE)");
  load_options bad;
  bad.encoding = "no-such-encoding";
  CHECK_THROWS_AS(ndr::check_encoding(bad.encoding), ndr::UsageError);
  CHECK_NOTHROW(ndr::check_encoding("windows-1252"));
  CHECK_NOTHROW(ndr::check_encoding("utf-8"));
}

TEST_CASE(
    "an ambiguous 1.500 in a semicolon-separated file is asked about, never "
    "guessed") {
  load_options o;
  o.delimiter = 0;
  o.skip_bad_rows = true;  // not a bad row: the whole file is read one way
  const std::string text =
      "customer_id;date;mrr\na;2024-01-31;12.5\nb;2024-01-31;1.500\n";
  CHECK_THROWS_WITH(load(text, o),
                    "q1.csv:3: column 'mrr': '1.500' in a ;-separated file: is "
                    "the point a decimal "
                    "point or a thousands separator? Pass --decimal-point or "
                    "--decimal-comma");
  o.decimal_point = true;
  CHECK(mrr(load(text, o), "b", "2024-01-31") == money::from_units(1'500'000));
  o.decimal_point = false;
  o.decimal_comma = true;
  CHECK(mrr(load("customer_id;date;mrr\nb;2024-01-31;1.500\n", o), "b",
            "2024-01-31") == money::from_whole(1500));
  // With a comma delimiter the point is a decimal point.
  CHECK(mrr(load("customer_id,date,mrr\nb,2024-01-31,1.500\n"), "b",
            "2024-01-31") == money::from_units(1'500'000));
}

TEST_CASE(
    "a date more than 10 years from all others is an error naming its line") {
  const std::string text =
      "customer_id,date,mrr\na,2024-01-31,1\nb,2024-01-31,1\nb,0001-01-01,1\na,"
      "2024-02-29,1\n";
  CHECK_THROWS_WITH(
      load(text),
      "q1.csv:4: column 'date': 0001-01-01 is more than 10 years from "
      "the rest of the data (which runs from 2024-01-31 to 2024-02-29): "
      "a typo? --allow-date-range accepts it");
  load_options allow;
  allow.allow_date_range = true;
  CHECK(load(text, allow).dates.size() == 3);
  // Validate-style: every such date is reported and the load goes on.
  std::vector<std::string> errors;
  load_options listing;
  listing.on_data_error = [&](const ndr::InputError& e) {
    errors.push_back(e.what());
  };
  CHECK(load(text + "c,9999-12-31,1\n", listing).dates.size() == 4);
  CHECK(errors.size() == 2);
  // Ten years apart exactly is still one run.
  CHECK(load("customer_id,date,mrr\na,2014-01-31,1\na,2024-01-31,1\n")
            .dates.size() == 2);
}

TEST_CASE(
    "max segments: more distinct values is an error naming the column and "
    "count") {
  load_options o;
  o.segment_cols = {"customer_id"};
  o.max_segments = 2;
  CHECK_THROWS_WITH(
      load("customer_id,date,mrr\na,2024-01-31,1\nb,2024-01-31,1\nc,2024-01-31,"
           "1\n",
           o),
      "--segment-by customer_id: 3 distinct values, more than --max-segments "
      "2; "
      "segment by a column with fewer values, or raise --max-segments");
  o.max_segments = 3;
  CHECK(load("customer_id,date,mrr\na,2024-01-31,1\nb,2024-01-31,1\nc,2024-01-"
             "31,1\n",
             o)
            .segments.size() == 3);
}

TEST_CASE("the same file twice is refused before anything is read") {
  char path[] = "/tmp/ndr-twice-XXXXXX";
  const int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  REQUIRE(write(fd, "customer_id,date,mrr\na,2024-01-31,1\n", 36) == 36);
  close(fd);
  const std::string p = path;
  const std::string dotted = "/tmp/./" + p.substr(5);
  CHECK_THROWS_WITH(ndr::load_files({p, dotted}, {}),
                    "'" + p + "' and '" + dotted +
                        "' are the same file; give each file once (its "
                        "rows would be counted twice)");
  CHECK_THROWS_AS(ndr::load_files({"-", "-"}, {}), ndr::UsageError);
  unlink(path);
}

TEST_CASE("errors found after a block is checked keep the column of its line") {
  // The file ends inside a character on its first line: column 21, once.
  CHECK_THROWS_WITH(
      load("customer_id,date,mrr\xC3"),
      "q1.csv:1:21: invalid UTF-8: the file ends inside a character");
  load_options cp1252;
  cp1252.encoding = "windows-1252";  // 0x81 is not a windows-1252 character
  CHECK_THROWS_WITH(load("customer_id,date,mrr\x81x\n", cp1252),
                    "q1.csv:1:21: byte 0x81 is not windows-1252 text");
}

TEST_CASE("amounts held in cents widen, exactly, when one is not whole cents") {
  // 21,474,836.47 is the largest amount 32 bits of cents hold.
  const auto s = load(
      "customer_id,date,mrr\n"
      "a,2024-01-31,21474836.47\n"
      "a,2024-01-31,0.01\n"          // a total past 32 bits: 21,474,836.48
      "b,2024-01-31,-21474836.48\n"  // the most negative, then back up
      "b,2024-01-31,21474836.49\n"
      "c,2024-01-31,1.5\n"
      "c,2024-02-29,0.000001\n"  // the column widens here, row 7
      "a,2024-02-29,99999999999.99\n");
  CHECK(mrr(s, "a", "2024-01-31") == money::from_units(21'474'836'480'000));
  CHECK(mrr(s, "b", "2024-01-31") == money::from_units(10'000));
  CHECK(mrr(s, "c", "2024-01-31") == money::from_units(1'500'000));
  CHECK(mrr(s, "c", "2024-02-29") == money::from_units(1));
  CHECK(mrr(s, "a", "2024-02-29") == money::from_units(99'999'999'999'990'000));
}

TEST_CASE("a failed sum names its row, whether or not rows were kept") {
  // load_texts can read again, so it first sums without the rows' places,
  // and on an error reads again with them (the rows after a skipped one
  // are on other lines than their numbers say).
  const std::string text =
      "customer_id,date,mrr\nb,2024-01-31,1\na,2024-01-31,5\nb,2024-02-29,2\n"
      "a,2024-01-31,-7\n";
  const char* want =
      "q1.csv:3: column 'mrr': customer 'a' has a negative total MRR (-2.00) "
      "on 2024-01-31";
  CHECK_THROWS_WITH(load(text), want);
  std::vector<std::string> skipped;
  load_options o;
  o.skip_bad_rows = true;
  o.on_skipped_row = [&](const ndr::InputError& e) {
    skipped.push_back(e.what());
  };
  CHECK_THROWS_WITH(
      load("customer_id,date,mrr\nx,bad,1\n" + text.substr(21), o),
      "q1.csv:4: column 'mrr': customer 'a' has a negative total "
      "MRR (-2.00) on 2024-01-31");
  CHECK(skipped.size() == 1);  // reported once, not again on the second read
}
