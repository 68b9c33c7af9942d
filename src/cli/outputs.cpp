#include "outputs.h"

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <optional>
#include <system_error>

#include "ndr/error.h"

namespace ndr::cli {
namespace {

bool is_stdout(const std::string& output) {
  return output.empty() || output == "-";
}

const char* format_name(output_format f) {
  constexpr const char* kNames[] = {"table",    "csv",  "json",
                                    "markdown", "html", "xlsx"};
  return kNames[int(f)];
}

std::optional<output_format> given_format(const std::string& format) {
  if (format.empty()) return std::nullopt;
  const auto parsed = parse_format(format);
  if (!parsed) {
    throw UsageError(fmt::format(
        "--format '{}' is not one of table, csv, json, markdown, html, xlsx",
        format));
  }
  return parsed;
}

// The format of -o `path`: the one its name says, else --format's (`given`),
// else table; with several -o the name must say one.
output_format format_of(const std::string& path, const output_args& a,
                        std::optional<output_format> given, bool several) {
  const std::string named = format_named_by(path);
  if (named.empty()) {
    if (several) {
      throw UsageError(fmt::format(
          "-o '{}' does not say its format; with several -o, each name ends "
          "in .csv, .json, .md, .html or .xlsx",
          path));
    }
    return given.value_or(output_format::table);
  }
  const output_format f = *parse_format(named);
  if (given && *given != f) {
    throw UsageError(
        fmt::format("-o '{}' is a {} file name, but the output is {} "
                    "(--format {})",
                    path, named, format_name(*given), a.format));
  }
  return f;
}

// The file a path names, as far as it can be told before it exists.
std::string canonical(const std::string& path) {
  std::error_code error;
  const auto p = std::filesystem::weakly_canonical(
      std::filesystem::absolute(path, error), error);
  return error ? path : p.string();
}

void refuse_twice(const std::vector<std::string>& paths) {
  for (size_t i = 0; i < paths.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (paths[i] == paths[j]) {
        throw UsageError(fmt::format("-o '{}' is given twice", paths[i]));
      }
      if (canonical(paths[i]) == canonical(paths[j]) ||
          same_file(paths[i], paths[j])) {
        throw UsageError(fmt::format("-o '{}' and -o '{}' are the same file",
                                     paths[j], paths[i]));
      }
    }
  }
}

// Case-insensitive, as format_named_by.
bool gzip_name(const std::string& path) {
  if (path.size() < 4) return false;
  std::string end = path.substr(path.size() - 3);
  for (char& c : end) c = char(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return end == ".gz";
}

void check_destination(const destination& d, bool html) {
  if (d.format.format == output_format::html && !html)
    throw UsageError("--format html is for ndr report only");
  if (d.format.format == output_format::xlsx && d.path.empty() &&
      isatty(STDOUT_FILENO)) {
    throw UsageError(
        "xlsx is a binary workbook, not for a terminal: write it to a file "
        "with -o report.xlsx, or redirect standard output");
  }
}

}  // namespace

std::vector<destination> to_destinations(const output_args& a, bool html) {
  const std::optional<output_format> given = given_format(a.format);
  if (a.outputs.size() > kMaxOutputFiles) {
    throw UsageError(fmt::format("{} -o files; one run writes at most {}",
                                 a.outputs.size(), kMaxOutputFiles));
  }
  const bool several = a.outputs.size() > 1;
  refuse_twice(a.outputs);
  const std::vector<std::string> paths =
      a.outputs.empty() ? std::vector<std::string>{""} : a.outputs;
  std::vector<destination> out;
  for (const std::string& path : paths) {
    destination d;
    d.path = is_stdout(path) ? "" : path;
    d.format.wide = a.wide;
    d.format.arr = a.arr;
    d.format.format = format_of(path, a, given, several);
    d.gzip = !d.path.empty() && gzip_name(path);
    check_destination(d, html);
    out.push_back(d);
  }
  return out;
}

opened_outputs::opened_outputs(const std::vector<destination>& destinations,
                               const input_args& inputs) {
  for (const destination& d : destinations) {
    if (!d.path.empty()) check_not_input(d.path, inputs);
  }
  for (const destination& d : destinations) {
    files_.push_back(std::make_unique<output_file>(d.path));
    gzip_.push_back(d.gzip);
  }
}

void opened_outputs::stage(size_t i, const std::string& text) {
  files_[i]->stage(gzip_[i] ? gzip(text) : text);
}

void opened_outputs::commit() {
  std::vector<output_file*> files;
  for (const auto& f : files_) files.push_back(f.get());
  output_file::commit_all(files);
}

bool any_in(const std::vector<destination>& destinations, output_format f) {
  for (const destination& d : destinations) {
    if (d.format.format == f) return true;
  }
  return false;
}

xlsx_options to_xlsx_options(const output_args& a, const input_args& inputs,
                             const loaded_data* data) {
  xlsx_options o;
  o.arr = a.arr;
  if (data && (!inputs.currency.empty() || !inputs.fx.empty() ||
               !currency_codes(data->data.loaded()).empty())) {
    o.currency = data->data.reporting_currency;
  }
  return o;
}

}  // namespace ndr::cli
