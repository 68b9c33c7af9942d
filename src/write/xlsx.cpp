#include "ndr/xlsx.h"

#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "ndr/error.h"
#include "ndr/format.h"

namespace ndr {
namespace {

// 1980-01-01T00:00:00Z, the date libxlsxwriter gives the zip entries.
constexpr std::time_t kFixedCreated = 315532800;
// A worksheet's rows, the header's included.
// Column widths, in characters.
constexpr double kMaxColumnWidth = 60;

void check(lxw_error e, std::string_view what) {
  if (e != LXW_NO_ERROR) {
    throw std::runtime_error(
        fmt::format("cannot write the xlsx {}: {}", what, lxw_strerror(e)));
  }
}

// A file in memory that libxlsxwriter, which writes to a file name, can open
// by name (/proc/self/fd/N): the workbook is written there and read back,
// then goes through output_file like every other format. Nothing reaches the
// disk, so nothing is left behind by a failed or killed run.
class memory_file {
 public:
  memory_file() : fd_(memfd_create("ndr-xlsx", MFD_CLOEXEC)) {
    if (fd_ < 0) {
      throw std::runtime_error(
          fmt::format("cannot make a file in memory for the xlsx workbook: {}",
                      std::strerror(errno)));
    }
  }
  ~memory_file() { close(fd_); }
  memory_file(const memory_file&) = delete;
  memory_file& operator=(const memory_file&) = delete;

  std::string path() const { return fmt::format("/proc/self/fd/{}", fd_); }

  std::string contents() const {
    struct stat st;
    if (fstat(fd_, &st) != 0) throw read_error();
    std::string bytes(size_t(st.st_size), '\0');
    for (size_t done = 0; done < bytes.size();) {
      const ssize_t n =
          pread(fd_, bytes.data() + done, bytes.size() - done, off_t(done));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw read_error();
      done += size_t(n);
    }
    return bytes;
  }

 private:
  static std::runtime_error read_error() {
    return std::runtime_error(fmt::format(
        "cannot read the xlsx workbook back: {}", std::strerror(errno)));
  }
  int fd_;
};

// A csv number as a double: the nearest one to the exact decimal text.
double number(const std::string& text) {
  double value = 0;
  const auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size())
    throw InternalError(fmt::format("xlsx: '{}' is not a number", text));
  return value;
}

// "2024-01-31" as a date; false for a year Excel has no date for.
bool to_datetime(const std::string& text, lxw_datetime& out) {
  out = {};
  return std::sscanf(text.c_str(), "%d-%d-%d", &out.year, &out.month,
                     &out.day) == 3 &&
         out.year >= 1900 && out.year <= 9999;
}

size_t code_points(std::string_view s) {
  return size_t(std::count_if(s.begin(), s.end(),
                              [](char c) { return (c & 0xC0) != 0x80; }));
}

// Closes (and frees) a workbook that is not finished: its bytes are dropped.
struct workbook_closer {
  void operator()(lxw_workbook* book) const { workbook_close(book); }
};

// A workbook being written into memory, with its cell formats.
class workbook {
 public:
  explicit workbook(const xlsx_options& options);

  // A sheet holding `t`: the field names, then the rows.
  void add_sheet(const char* name, const machine_table& t);
  // A chart sheet: the ndr, grr and logo_retention fields of sheet `data`
  // (which holds `t`) by its end_date field.
  void add_chart(const char* name, const char* data, const machine_table& t);
  // The finished workbook's bytes.
  std::string finish();

 private:
  lxw_format* number_format(const std::string& format);
  void write(lxw_worksheet* sheet, size_t row, size_t col,
             const machine_value& v, const char* name);

  memory_file file_;
  std::string path_ = file_.path();
  std::unique_ptr<lxw_workbook, workbook_closer> book_;
  lxw_format* header_ = nullptr;
  lxw_format* money_ = nullptr;
  lxw_format* ratio_ = nullptr;
  lxw_format* date_ = nullptr;
  size_t currency_width_ = 0;  // what the money format adds: "$", " EUR"
};

workbook::workbook(const xlsx_options& options) {
  // Constant memory: each row goes to a temporary file as it is written, so
  // a large ledger does not need its cells in memory (strings are inline).
  lxw_workbook_options book_options{};
  book_options.constant_memory = LXW_TRUE;
  book_.reset(workbook_new_opt(path_.c_str(), &book_options));
  if (!book_) throw std::runtime_error("cannot start the xlsx workbook");
  lxw_doc_properties properties{};
  properties.created = options.created ? options.created : kFixedCreated;
  check(workbook_set_properties(book_.get(), &properties),
        "document properties");
  header_ = workbook_add_format(book_.get());
  if (!header_) throw std::runtime_error("cannot make an xlsx cell format");
  format_set_bold(header_);
  money_ = number_format(money_number_format(options.currency));
  ratio_ = number_format("0.00%");
  date_ = number_format("yyyy-mm-dd");
  currency_width_ = options.currency.empty()    ? 0
                    : options.currency == "USD" ? 1
                                                : options.currency.size() + 1;
}

lxw_format* workbook::number_format(const std::string& format) {
  lxw_format* f = workbook_add_format(book_.get());
  if (!f) throw std::runtime_error("cannot make an xlsx cell format");
  format_set_num_format(f, format.c_str());
  return f;
}

void workbook::write(lxw_worksheet* sheet, size_t row, size_t col,
                     const machine_value& v, const char* name) {
  const auto r = lxw_row_t(row);
  const auto c = lxw_col_t(col);
  lxw_datetime date;
  lxw_error e = LXW_NO_ERROR;
  if (v.kind == field_kind::money) {
    e = worksheet_write_number(sheet, r, c, number(v.text), money_);
  } else if (v.kind == field_kind::ratio) {
    e = v.text.empty()
            ? worksheet_write_blank(sheet, r, c, ratio_)
            : worksheet_write_number(sheet, r, c, number(v.text), ratio_);
  } else if (v.kind == field_kind::count) {
    e = worksheet_write_number(sheet, r, c, number(v.text), nullptr);
  } else if (v.kind == field_kind::date && to_datetime(v.text, date)) {
    e = worksheet_write_datetime(sheet, r, c, &date, date_);
  } else {
    e = worksheet_write_string(sheet, r, c, v.text.c_str(), nullptr);
  }
  check(e, fmt::format("{} sheet", name));
}

// About how many characters the cell shows.
double shown_width(const machine_value& v, size_t currency_width) {
  switch (v.kind) {
    case field_kind::money: {  // digits, thousands separators, currency
      const size_t digits = v.text.find('.');
      return double(v.text.size() + (digits > 1 ? (digits - 1) / 3 : 0) +
                    currency_width);
    }
    case field_kind::ratio:  // 1.0500 shows as 105.00%
      return double(v.text.size() + 1);
    case field_kind::text:
      return double(code_points(v.text));
    default:
      return double(v.text.size());
  }
}

void workbook::add_sheet(const char* name, const machine_table& t) {
  if (t.row_count > kXlsxMaxRows) {
    throw std::runtime_error(fmt::format(
        "the xlsx {} sheet would have {} rows, and a worksheet holds {} below "
        "its header; write csv instead",
        name, t.row_count, kXlsxMaxRows));
  }
  lxw_worksheet* sheet = workbook_add_worksheet(book_.get(), name);
  if (!sheet) throw std::runtime_error("cannot add an xlsx worksheet");
  std::vector<double> widths;
  for (size_t c = 0; c < t.fields.size(); ++c) {
    check(worksheet_write_string(sheet, 0, lxw_col_t(c), t.fields[c].c_str(),
                                 header_),
          fmt::format("{} sheet", name));
    widths.push_back(double(t.fields[c].size()) + 2);  // + the filter button
  }
  std::vector<machine_value> row;
  for (size_t i = 0; i < t.row_count; ++i) {
    t.row(i, row);
    for (size_t c = 0; c < row.size(); ++c) {
      write(sheet, i + 1, c, row[c], name);
      widths[c] = std::max(widths[c], shown_width(row[c], currency_width_));
    }
  }
  for (size_t c = 0; c < widths.size(); ++c) {
    check(
        worksheet_set_column(sheet, lxw_col_t(c), lxw_col_t(c),
                             std::min(widths[c] + 1, kMaxColumnWidth), nullptr),
        fmt::format("{} sheet", name));
  }
  worksheet_freeze_panes(sheet, 1, 0);
  check(worksheet_autofilter(sheet, 0, 0, lxw_row_t(t.row_count),
                             lxw_col_t(t.fields.size() - 1)),
        fmt::format("{} sheet", name));
}

// The x axis is the rows' end dates, not their period labels: the sheets
// are written in constant memory, so libxlsxwriter cannot look at the cells
// and refers to any category as numbers, which dates are and labels are not.
void workbook::add_chart(const char* name, const char* data,
                         const machine_table& t) {
  lxw_chartsheet* sheet = workbook_add_chartsheet(book_.get(), name);
  lxw_chart* chart = workbook_add_chart(book_.get(), LXW_CHART_LINE);
  if (!sheet || !chart) throw std::runtime_error("cannot add an xlsx chart");
  chart_title_set_name(chart, "NDR, GRR and logo retention");
  const auto column = [&t](const char* field) {
    return lxw_col_t(std::find(t.fields.begin(), t.fields.end(), field) -
                     t.fields.begin());
  };
  const auto last = lxw_row_t(t.row_count);
  const std::pair<const char*, const char*> series[] = {
      {"ndr", "NDR"}, {"grr", "GRR"}, {"logo_retention", "Logo retention"}};
  for (const auto& [field, title] : series) {
    lxw_chart_series* s = chart_add_series(chart, nullptr, nullptr);
    if (!s) throw std::runtime_error("cannot add an xlsx chart series");
    chart_series_set_categories(s, data, 1, column("end_date"), last,
                                column("end_date"));
    chart_series_set_values(s, data, 1, column(field), last, column(field));
    chart_series_set_name(s, title);
  }
  chart_axis_set_name(chart->x_axis, "Period end");
  chart_axis_set_num_format(chart->x_axis, "yyyy-mm-dd");
  chart_axis_set_num_format(chart->y_axis, "0%");
  check(chartsheet_set_chart(sheet, chart), "chart");
}

std::string workbook::finish() {
  check(workbook_close(book_.release()), "workbook");
  return file_.contents();
}

format_options machine(const xlsx_options& options) {
  format_options f = format_options::of(output_format::csv);
  f.arr = options.arr;
  return f;
}

// The total rows of a segmented report, as an unsegmented report has them.
report totals_of(const report& r) {
  report totals;
  totals.options = r.options;
  totals.fx = r.fx;
  for (const report_row& row : r.rows) {
    if (row.segment != kAllSegments) continue;
    totals.rows.push_back(row);
    totals.rows.back().segment.clear();
  }
  return totals;
}

// The ledger's table after a first field, the period.
machine_table ledger_sheet(const xlsx_ledger& movements,
                           const format_options& f) {
  machine_table t = ledger_table(movements.lines, movements.store, f);
  t.fields.insert(t.fields.begin(), "period");
  t.row = [row = std::move(t.row), period = movements.period](
              size_t i, std::vector<machine_value>& out) {
    row(i, out);
    out.insert(out.begin(), {period, field_kind::text});
  };
  return t;
}

}  // namespace

std::string money_number_format(std::string_view currency) {
  if (currency.empty()) return "#,##0.00";
  if (currency == "USD") return "\"$\"#,##0.00";
  return fmt::format("#,##0.00 \"{}\"", currency);
}

std::string report_xlsx(const report& r,
                        const std::vector<cohort_cell>& cohorts,
                        const xlsx_ledger* movements,
                        const xlsx_options& options) {
  const format_options f = machine(options);
  workbook book(options);
  const report totals = r.segmented ? totals_of(r) : report();
  const machine_table main = report_table(r.segmented ? totals : r, f);
  book.add_sheet("Report", main);
  if (main.row_count > 0) book.add_chart("Chart", "Report", main);
  if (r.segmented) book.add_sheet("Segments", report_table(r, f));
  if (movements) book.add_sheet("Movements", ledger_sheet(*movements, f));
  book.add_sheet("Cohorts", cohorts_table(cohorts, r.options.scheme, f));
  return book.finish();
}

std::string ledger_xlsx(const xlsx_ledger& movements,
                        const xlsx_options& options) {
  workbook book(options);
  book.add_sheet("Movements", ledger_sheet(movements, machine(options)));
  return book.finish();
}

std::string cohorts_xlsx(const std::vector<cohort_cell>& cells,
                         const period_scheme& scheme,
                         const xlsx_options& options) {
  workbook book(options);
  book.add_sheet("Cohorts", cohorts_table(cells, scheme, machine(options)));
  return book.finish();
}

}  // namespace ndr
