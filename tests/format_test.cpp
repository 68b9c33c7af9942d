#include "ndr/format.h"

#include <catch2/catch.hpp>

using ndr::format_options;
using ndr::money;
using ndr::output_format;

namespace {

ndr::format_options options(output_format f, bool wide, bool arr) {
  auto o = ndr::format_options::of(f);
  o.wide = wide;
  o.arr = arr;
  return o;
}

ndr::report sample(const std::string& rows =
                       "A,2024-01-31,1000.005\nB,2024-01-31,2000\n"
                       "A,2024-02-29,1500\nC,2024-02-29,12.5\n") {
  const auto store =
      ndr::load_texts({{"t.csv", "customer_id,date,mrr\n" + rows}}, {});
  return ndr::build_report(store, {});
}

const std::string kHeader =
    "period,start_date,end_date,cohort_customers,retained_customers,expanded_"
    "customers,"
    "contracted_customers,churned_customers,starting_mrr,expansion_mrr,"
    "contraction_mrr,"
    "churned_mrr,ending_mrr,ndr,grr,logo_retention,reactivation_mrr,"
    "reactivated_customers,"
    "new_mrr,new_customers\n";
// With --arr the money fields say so.
const std::string kArrHeader =
    "period,start_date,end_date,cohort_customers,retained_customers,"
    "expanded_customers,contracted_customers,churned_customers,starting_arr,"
    "expansion_arr,contraction_arr,churned_arr,ending_arr,ndr,grr,"
    "logo_retention,reactivation_arr,reactivated_customers,new_arr,"
    "new_customers\n";

}  // namespace

TEST_CASE("csv is SPEC §5's schema with 2-decimal money and 4-decimal ratios") {
  // starting 3000.005 → "3000.01"; ending 1500; ndr 1500/3000.005 = 0.49999916…
  // → 0.5000
  CHECK(ndr::render_report(sample(),
                           ndr::format_options::of(output_format::csv)) ==
        kHeader +
            "2024-02,2024-01-31,2024-02-29,2,1,1,0,1,3000.01,500.00,0.00,2000."
            "00,1500.00,0.5000,"
            "0.3333,0.5000,0.00,0,12.50,1\n");
}

TEST_CASE("option --arr multiplies money by 12 and leaves ratios alone") {
  CHECK(
      ndr::render_report(sample(), options(output_format::csv, false, true)) ==
      kArrHeader +
          "2024-02,2024-01-31,2024-02-29,2,1,1,0,1,36000.06,5999.94,0.00,24000."
          "00,18000.00,"
          "0.5000,0.3333,0.5000,0.00,0,150.00,1\n");
}

TEST_CASE("an empty cohort leaves csv ratios empty and json ratios null") {
  const auto r = sample("A,2024-01-31,0\nA,2024-02-29,5\n");
  CHECK(ndr::render_report(r, ndr::format_options::of(output_format::csv)) ==
        kHeader +
            "2024-02,2024-01-31,2024-02-29,0,0,0,0,0,0.00,0.00,0.00,0.00,0.00,,"
            ",,0.00,0,5.00,1\n");
  const std::string json =
      ndr::render_report(r, ndr::format_options::of(output_format::json));
  CHECK(json.find("\"ndr\": null, \"grr\": null, \"logo_retention\": null") !=
        std::string::npos);
}

TEST_CASE("json holds the same fields as numbers, and metadata") {
  CHECK(ndr::render_report(sample(),
                           ndr::format_options::of(output_format::json)) ==
        "{\n  \"rows\": [\n    {\"period\": \"2024-02\", \"start_date\": "
        "\"2024-01-31\", "
        "\"end_date\": \"2024-02-29\", \"cohort_customers\": 2, "
        "\"retained_customers\": 1, "
        "\"expanded_customers\": 1, \"contracted_customers\": 0, "
        "\"churned_customers\": 1, "
        "\"starting_mrr\": 3000.01, \"expansion_mrr\": 500.00, "
        "\"contraction_mrr\": 0.00, "
        "\"churned_mrr\": 2000.00, \"ending_mrr\": 1500.00, \"ndr\": 0.5000, "
        "\"grr\": 0.3333, "
        "\"logo_retention\": 0.5000, \"reactivation_mrr\": 0.00, "
        "\"reactivated_customers\": 0, "
        "\"new_mrr\": 12.50, \"new_customers\": 1}\n  ],\n  \"period\": "
        "\"month\",\n"
        "  \"fiscal_year_start\": 1,\n  \"window\": 1,\n  \"reactivation\": "
        "\"separate\",\n"
        "  \"money\": \"mrr\"\n}\n");
  CHECK(ndr::render_report(sample("A,2024-01-31,1\n"),
                           ndr::format_options::of(output_format::json)) ==
        "{\n  \"rows\": [],\n  \"period\": \"month\",\n  "
        "\"fiscal_year_start\": 1,\n"
        "  \"window\": 1,\n  \"reactivation\": \"separate\",\n  \"money\": "
        "\"mrr\"\n}\n");
}

TEST_CASE(
    "the table is aligned, with thousands separators and one-decimal "
    "percentages") {
  CHECK(ndr::render_report(sample(),
                           ndr::format_options::of(output_format::table)) ==
        "Period   Customers  Starting MRR  Expansion  Contraction  Churned MRR "
        " Ending MRR    NDR    GRR  Logo ret.\n"
        "-------  ---------  ------------  ---------  -----------  ----------- "
        " ----------  -----  -----  ---------\n"
        "2024-02          2      3,000.01     500.00         0.00     2,000.00 "
        "   1,500.00  50.0%  33.3%      50.0%\n");
}

TEST_CASE("option --wide shows every field; --arr renames the money headings") {
  const std::string wide =
      ndr::render_report(sample(), options(output_format::table, true, true));
  const std::string first_line = wide.substr(0, wide.find('\n'));
  CHECK(first_line ==
        "Period   Start       End         Customers  Retained  Expanded  "
        "Contracted  Churned  "
        "Starting ARR  Expansion  Contraction  Churned ARR  Ending ARR    NDR  "
        "  GRR  Logo ret.  "
        "Reactivation ARR  Reactivated  New ARR  New");
}

TEST_CASE("markdown is a GitHub table with right-aligned numbers") {
  const std::string md = ndr::render_report(
      sample(), ndr::format_options::of(output_format::markdown));
  CHECK(md.substr(0, md.find('\n')) ==
        "| Period  | Customers | Starting MRR | Expansion | Contraction | "
        "Churned MRR | Ending MRR |   NDR |   GRR | Logo ret. |");
  CHECK(md.find("| ------- | --------: |") != std::string::npos);
}

TEST_CASE("csv and json escaping") {
  CHECK(ndr::csv_field("plain") == "plain");
  CHECK(ndr::csv_field("a,b") == "\"a,b\"");
  CHECK(ndr::csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(ndr::json_string("a\"b\\c\n\x01") == "\"a\\\"b\\\\c\\n\\u0001\"");
}

TEST_CASE("text that a spreadsheet would run as a formula is defused in csv") {
  CHECK(ndr::spreadsheet_safe("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")");
  CHECK(ndr::spreadsheet_safe("+1") == "'+1");
  CHECK(ndr::spreadsheet_safe("-2") == "'-2");
  CHECK(ndr::spreadsheet_safe("@sum") == "'@sum");
  CHECK(ndr::spreadsheet_safe("\tx") == "'\tx");
  CHECK(ndr::spreadsheet_safe("\rx") == "'\rx");
  CHECK(ndr::spreadsheet_safe("plan") == "plan");
  CHECK(ndr::spreadsheet_safe("") == "");
  ndr::load_options o;
  o.segment_cols = {"plan"};
  const auto store = ndr::load_texts({{"f.csv",
                                       "customer_id,date,mrr,plan\n=cmd(),2024-"
                                       "01-31,1,@x\n=cmd(),2024-02-29,1,@x\n"}},
                                     o);
  const std::string report =
      ndr::render_report(ndr::build_report(store, {}),
                         ndr::format_options::of(output_format::csv));
  CHECK(report.find("\n2024-02,2024-01-31,2024-02-29,'@x,1,") !=
        std::string::npos);
  const auto lines = *ndr::build_ledger(
      store, {}, *ndr::period_scheme{}.parse_label("2024-02"));
  CHECK(ndr::render_ledger(lines, store, {}, 0,
                           ndr::format_options::of(output_format::csv)) ==
        "customer_id,segment,start_mrr,end_mrr,movement,delta\n'=cmd(),'@x,1."
        "00,1.00,flat,0.00\n");
  // Numbers are never touched: a negative delta stays a number.
  CHECK(ndr::render_ledger(
            {{0, "", money::from_whole(2), money::from_whole(1),
              ndr::movement::contraction, money::from_whole(-1)}},
            store, {}, 0, ndr::format_options::of(output_format::csv))
            .find(",-1.00\n") != std::string::npos);
}

TEST_CASE("json strings are valid UTF-8 whatever the input bytes") {
  CHECK(ndr::json_string("caf\xC3\xA9") == "\"caf\xC3\xA9\"");
  CHECK(ndr::json_string("\xE2\x82\xAC\xF0\x9F\x98\x80") ==
        "\"\xE2\x82\xAC\xF0\x9F\x98\x80\"");
  CHECK(ndr::json_string("a\xFF"
                         "b") == "\"a\\ufffdb\"");
  CHECK(ndr::json_string("\xC3") == "\"\\ufffd\"");             // truncated
  CHECK(ndr::json_string("\xC0\xAF") == "\"\\ufffd\\ufffd\"");  // overlong
  CHECK(ndr::json_string("\xED\xA0\x80") ==
        "\"\\ufffd\\ufffd\\ufffd\"");  // surrogate
  CHECK(ndr::json_string("\xF4\x90\x80\x80") ==
        "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");  // > U+10FFFF
}

TEST_CASE(
    "the table shows control characters instead of sending them to the "
    "terminal") {
  CHECK(ndr::terminal_safe("plain \xC3\xA9 \\x") == "plain \xC3\xA9 \\x");
  CHECK(ndr::terminal_safe("\x1b[2J\x1b]0;title\x07") ==
        "\\x1b[2J\\x1b]0;title\\x07");
  CHECK(ndr::terminal_safe("a\nb\rc\td") == "a\\nb\\rc\\td");
  CHECK(ndr::terminal_safe(std::string("\0\x01\x1f\x7f", 4)) ==
        "\\x00\\x01\\x1f\\x7f");
  CHECK(ndr::terminal_safe("\xC2\x9B"
                           "31m \xC2\xA0") ==
        "\\u009b31m \xC2\xA0");  // C1 CSI; NBSP kept
  CHECK(ndr::terminal_safe("a\xFF"
                           "b") == "a\\xffb");
}

TEST_CASE("markdown cells cannot break the table, link or inject HTML") {
  CHECK(ndr::markdown_safe("a|b`c`<script>[x](y)") ==
        "a\\|b\\`c\\`&lt;script>\\[x](y)");
  CHECK(ndr::markdown_safe("trailing\\") == "trailing\\\\");
  CHECK(ndr::markdown_safe("one\ntwo\r\nthree\rfour") ==
        "one<br>two<br>three<br>four");
  CHECK(ndr::markdown_safe("\x1b[31mred\t") == "\\x1b\\[31mred\\t");
}

namespace {

// A ledger of one customer with a crafted id, flat from January to February.
std::string crafted_ledger(const std::string& id, output_format format) {
  const auto store = ndr::load_texts(
      {{"f.csv", "customer_id,date,mrr\n\"" + id + "\",2024-01-31,1\n\"" + id +
                     "\",2024-02-29,1\n"}},
      {});
  const auto lines = *ndr::build_ledger(
      store, {}, *ndr::period_scheme{}.parse_label("2024-02"));
  return ndr::render_ledger(lines, store, {}, 0,
                            ndr::format_options::of(format));
}

}  // namespace

TEST_CASE(
    "a crafted customer id is escaped in table and markdown, widths on the "
    "escaped text") {
  CHECK(crafted_ledger("\x1b[2Jx\ny", output_format::table) ==
        "Customer     Start MRR  End MRR  Movement  Delta\n"
        "-----------  ---------  -------  --------  -----\n"
        "\\x1b[2Jx\\ny       1.00     1.00  flat       0.00\n");
  CHECK(crafted_ledger("a|b\n<i>", output_format::markdown) ==
        "| Customer       | Start MRR | End MRR | Movement | Delta |\n"
        "| -------------- | --------: | ------: | -------- | ----: |\n"
        "| a\\|b<br>&lt;i> |      1.00 |    1.00 | flat     |  0.00 |\n");
}

namespace {

// A machine table as csv without quoting (the values below have no commas),
// each value prefixed by its kind's initial when `kinds`.
std::string table_text(const ndr::machine_table& t, bool kinds = false) {
  constexpr char kInitial[] = {'t', 'd', 'c', 'm', 'r'};
  std::string out;
  for (size_t i = 0; i < t.fields.size(); ++i)
    out += (i ? "," : "") + t.fields[i];
  out += '\n';
  std::vector<ndr::machine_value> row;
  for (size_t r = 0; r < t.row_count; ++r) {
    t.row(r, row);
    for (size_t i = 0; i < row.size(); ++i) {
      out += i ? "," : "";
      if (kinds) out += kInitial[int(row[i].kind)];
      out += row[i].text;
    }
    out += '\n';
  }
  return out;
}

}  // namespace

TEST_CASE("machine tables hold csv's fields and values, with their kinds") {
  const auto r = sample();
  const auto csv = options(output_format::csv, false, true);
  // Whatever the format asked for, the csv's spelling, --arr applied.
  const auto t =
      ndr::report_table(r, options(output_format::table, true, true));
  CHECK(table_text(t) == ndr::render_report(r, csv));
  CHECK(table_text(t, true) ==
        kArrHeader +
            "t2024-02,d2024-01-31,d2024-02-29,c2,c1,c1,c0,c1,m36000.06,"
            "m5999.94,m0.00,m24000.00,m18000.00,r0.5000,r0.3333,r0.5000,"
            "m0.00,c0,m150.00,c1\n");
  // An empty cohort's ratios are empty ratio values.
  const auto empty = sample("A,2024-01-31,0\nA,2024-02-29,5\n");
  CHECK(table_text(ndr::report_table(empty, csv), true).find(",r,r,r,") !=
        std::string::npos);

  const auto store = ndr::load_texts(
      {{"t.csv",
        "customer_id,date,mrr\nA,2024-01-31,10\nB,2024-01-31,20\n"
        "A,2024-02-29,15\nC,2024-02-29,5\n"}},
      {});
  const auto lines = *ndr::build_ledger(
      store, {}, *ndr::period_scheme{}.parse_label("2024-02"));
  CHECK(table_text(ndr::ledger_table(lines, store, csv)) ==
        ndr::render_ledger(lines, store, {}, 0, csv));
  const auto cells = ndr::build_cohorts(store, {});
  CHECK(table_text(ndr::cohorts_table(cells, {}, csv), true) ==
        "cohort,age,customers,starting_arr,arr,revenue_retention,"
        "logo_retention\n"
        "t2024-01,c0,c2,m360.00,m360.00,r1.0000,r1.0000\n"
        "t2024-01,c1,c2,m360.00,m180.00,r0.5000,r0.5000\n"
        "t2024-02,c0,c1,m60.00,m60.00,r1.0000,r1.0000\n");
  CHECK(table_text(ndr::cohorts_table(cells, {}, csv)) ==
        ndr::render_cohorts(cells, {}, csv));
}
