#include "config.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <fstream>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "command.h"
#include "ndr/error.h"
#include "suggest.h"

namespace ndr::cli {
namespace {

// A config is a few lines. The cap bounds CLI11's reader, which copies the
// rest of a list once per element: a 64 KiB list takes 0.1 s, a 1 MiB one 6 s
// (measured with CLI11 2.1.2).
constexpr std::size_t kMaxConfigBytes = 64 * 1024;

// The --config value in args, removed from them; empty if none.
std::string take_config_path(std::vector<std::string>& args, size_t from) {
  for (size_t i = from; i < args.size(); ++i) {
    if (args[i] == "--config" && i + 1 < args.size()) {
      std::string path = args[i + 1];
      args.erase(args.begin() + long(i), args.begin() + long(i) + 2);
      return path;
    }
    if (args[i].rfind("--config=", 0) == 0) {
      std::string path = args[i].substr(9);
      args.erase(args.begin() + long(i));
      return path;
    }
  }
  return {};
}

// The text of the file at `path`, refused over kMaxConfigBytes.
std::string read_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CLI::FileError::Missing(path);
  std::string text(kMaxConfigBytes + 1, '\0');
  in.read(text.data(), std::streamsize(text.size()));
  text.resize(std::size_t(in.gcount()));
  if (text.size() > kMaxConfigBytes) {
    throw UsageError(fmt::format(
        "{}: a config file is at most 64 KiB; this one is larger", path));
  }
  return text;
}

// The lines of a text, trimmed as CLI11 trims them, numbered from 1.
class line_reader {
 public:
  explicit line_reader(std::string_view text) : rest_(text) {}

  // Sets `line` to the next line; false after the last.
  bool next(std::string& line) {
    if (done_) return false;
    const std::size_t end = rest_.find('\n');
    line = CLI::detail::trim_copy(std::string(rest_.substr(0, end)));
    done_ = end == std::string_view::npos;
    if (!done_) rest_.remove_prefix(end + 1);
    ++number_;
    return true;
  }
  std::size_t number() const { return number_; }

 private:
  std::string_view rest_;
  std::size_t number_ = 0;
  bool done_ = false;
};

// One key of the file as CLI11's reader gives it, and where it is.
struct config_key {
  std::size_t line = 0;
  std::string
      table;  // the subcommand whose table holds it; "" at the top level
  CLI::ConfigItem item;
};

// Whether a key's value opens a list it does not close on this line: CLI11
// then reads on until a line ends with ']'.
bool opens_list(const std::string& line) {
  const std::size_t eq = line.find('=');
  if (eq == std::string::npos) return false;
  std::string value = line.substr(eq + 1);
  value = CLI::detail::trim_copy(value.substr(0, value.find('#')));
  return value.size() > 1 && value.front() == '[' && value.back() != ']';
}

// The subcommand a "[name]" line names. Read here rather than by CLI11, whose
// handling of a table name with many dots takes time and memory quadratic in
// their number (an 8 KB name: 2 s and 500 MB).
std::string table_name(const std::string& line, const CLI::App& app,
                       const std::string& where) {
  std::string name = line.substr(1, line.size() - 2);
  if (name.size() > 1 && name.front() == '[' &&
      name.back() == ']') {  // [[name]]
    name = name.substr(1, name.size() - 2);
  }
  name = CLI::detail::trim_copy(name);
  CLI::detail::remove_quotes(name);
  std::vector<std::string> tables;
  for (const CLI::App* sub : app.get_subcommands({})) {
    if (sub->get_option_no_throw("--config")) tables.push_back(sub->get_name());
  }
  if (std::find(tables.begin(), tables.end(), name) != tables.end())
    return name;
  const std::string near = closest_name(name, tables);
  if (!near.empty()) {
    throw UsageError(fmt::format("{}: unknown table [{}]; did you mean [{}]?",
                                 where, name, near));
  }
  throw UsageError(fmt::format(
      "{}: unknown table [{}]; a table is named after a subcommand: {}", where,
      name, fmt::join(tables, ", ")));
}

// The key that starts on `line` (the lines of a list it opens are read too),
// appended to `keys` as CLI11's reader reads it. CLI11 drops a '#' comment
// from a key's first line only; here from the list's other lines too.
void read_key(std::string line, line_reader& lines, const std::string& table,
              std::vector<config_key>& keys) {
  const std::size_t number = lines.number();
  std::string entry = line;
  for (bool open = opens_list(line); open && lines.next(line);) {
    line = CLI::detail::trim_copy(line.substr(0, line.find('#')));
    entry += '\n' + line;
    open = line.empty() || line.back() != ']';
  }
  std::istringstream in(entry);
  for (CLI::ConfigItem& item : CLI::ConfigTOML().from_config(in)) {
    keys.push_back({number, table, std::move(item)});
  }
}

// Every key of `text` in order. Each key goes to CLI11's reader on its own,
// so that keys keep their line and a key given twice in a row stays two keys
// (the reader would merge them into one list).
std::vector<config_key> read_keys(std::string_view text, const CLI::App& app,
                                  const std::string& path) {
  std::vector<config_key> keys;
  std::string table;
  std::string line;
  line_reader lines(text);
  while (lines.next(line)) {
    if (line.size() < 3 || line.front() == '#' || line.front() == ';')
      continue;  // as CLI11
    if (line.front() == '[' && line.back() == ']') {
      table = table_name(line, app, fmt::format("{}:{}", path, lines.number()));
    } else {
      read_key(line, lines, table, keys);
    }
  }
  return keys;
}

// Throws if `key` was seen before; remembers it.
void check_unique(const config_key& key, const std::string& path,
                  std::unordered_map<std::string, std::size_t>& seen) {
  const std::string name = key.table.empty()
                               ? key.item.fullname()
                               : key.table + "." + key.item.fullname();
  const auto [first, fresh] = seen.emplace(name, key.line);
  if (!fresh) {
    throw UsageError(fmt::format("{}:{}: duplicate key '{}' (first on line {})",
                                 path, key.line, name, first->second));
  }
}

// One config item as command-line tokens for `cmd`.
std::vector<std::string> tokens_for(const CLI::App& cmd,
                                    const CLI::ConfigItem& item,
                                    const std::string& where) {
  const std::string key = item.fullname();
  if (key == "files") return item.inputs;  // positionals
  const CLI::Option* opt = cmd.get_option_no_throw("--" + key);
  if (!opt || key == "config" || key == "help") {
    const std::string near = closest_name(key, long_option_names(cmd));
    throw UsageError(fmt::format(
        "{}: '{}' is not an option of 'ndr {}'{}", where, key, cmd.get_name(),
        near.empty() ? "" : fmt::format("; did you mean '{}'?", near)));
  }
  std::vector<std::string> out;
  if (opt->get_expected_max() == 0) {  // a flag: true / false
    const std::string v = item.inputs.empty() ? "true" : item.inputs.front();
    if (v == "true" || v == "1") out.push_back("--" + key);
    return out;
  }
  for (const auto& value : item.inputs) {
    out.push_back("--" + key);
    out.push_back(value);
  }
  return out;
}

// Whether the typed arguments from `from` on give -o (--output, -oFILE, or
// -o at the end of a group of flags such as -qo).
bool gives_output(const std::vector<std::string>& args, size_t from) {
  for (size_t i = from; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") return false;
    if (a == "--output" || a.rfind("--output=", 0) == 0) return true;
    if (a.size() > 1 && a[0] == '-' && a[1] != '-' &&
        a.find('o') != std::string::npos)
      return true;
  }
  return false;
}

// `tokens` without its --output pairs.
std::vector<std::string> without_output(
    const std::vector<std::string>& tokens) {
  std::vector<std::string> out;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i] == "--output" && i + 1 < tokens.size()) {
      ++i;
    } else {
      out.push_back(tokens[i]);
    }
  }
  return out;
}

}  // namespace

void add_config_option(CLI::App* cmd) {
  // Never parsed by CLI11 (expand_config removes it first); declared for
  // --help.
  cmd->add_option("--config",
                  "read options from a TOML file (keys: long option names)")
      ->type_name("FILE")
      ->check(file_value());
}

std::vector<std::string> config_args(const CLI::App& cmd, std::string_view text,
                                     const std::string& path) {
  std::unordered_map<std::string, std::size_t> seen;
  const std::vector<config_key> keys = read_keys(text, *cmd.get_parent(), path);
  // A key in this subcommand's table replaces the same key at the top level
  // (repeatable options such as files would otherwise get both values).
  std::unordered_set<std::string> own_names;
  for (const config_key& key : keys) {
    check_unique(key, path, seen);
    if (key.table == cmd.get_name()) own_names.insert(key.item.fullname());
  }
  std::vector<std::string> top, own;
  for (const config_key& key : keys) {
    if (!key.table.empty() && key.table != cmd.get_name())
      continue;  // another subcommand's
    if (key.table.empty() && own_names.count(key.item.fullname())) continue;
    const auto tokens =
        tokens_for(cmd, key.item, fmt::format("{}:{}", path, key.line));
    std::vector<std::string>& to = key.table.empty() ? top : own;
    to.insert(to.end(), tokens.begin(), tokens.end());
  }
  top.insert(top.end(), own.begin(), own.end());
  return top;
}

std::vector<std::string> expand_config(const CLI::App& app,
                                       std::vector<std::string> args) {
  for (size_t i = 0; i < args.size(); ++i) {
    const CLI::App* cmd = nullptr;
    try {
      cmd = app.get_subcommand(args[i]);
    } catch (const CLI::OptionNotFound&) {
      continue;
    }
    const std::string path = take_config_path(args, i + 1);
    if (path.empty()) return args;
    std::vector<std::string> extra = config_args(*cmd, read_config(path), path);
    // -o may be given several times, so the config's would be written as
    // well as the typed ones: a typed -o replaces them instead.
    if (gives_output(args, i + 1)) extra = without_output(extra);
    args.insert(args.begin() + long(i) + 1, extra.begin(), extra.end());
    return args;
  }
  return args;
}

}  // namespace ndr::cli
