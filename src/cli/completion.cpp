// `ndr completion bash|zsh|fish`: the shell's completion script, written from
// the CLI11 app itself (its subcommands, their options and what each option
// takes), so it never drifts from the options. Hidden from --help: the build
// runs it to install the three scripts (cmake/Packaging.cmake).
//
// What a value completes to: the choices of an IsMember/CheckedTransformer
// validator (shown as `TEXT:{month,quarter,year}`); file names for an option
// marked with file_value() (inputs, -o, --fx, --customer-map, --config);
// nothing for any other value (a column name, a period, a number). Hidden
// options and subcommands (group "") are left out.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "command.h"
#include "ndr/output.h"

namespace ndr::cli {
namespace {

enum class value_kind { none, choices, file, text };

struct option_spec {
  std::vector<std::string> names;  // "-o", "--output"; a positional's name
  std::string description;
  value_kind value = value_kind::none;  // none: a flag
  std::vector<std::string> choices;     // with value_kind::choices
  bool repeatable = false;              // takes several values
};

struct command_spec {
  std::string name;  // empty: ndr itself
  std::string description;
  std::vector<option_spec> options;
  std::vector<option_spec> positionals;
};

// "TEXT:{month,quarter,year}=month" → month, quarter, year; a
// CheckedTransformer's "{a->1,b->2}" → a, b.
std::vector<std::string> choices_in(const std::string& type_name) {
  const auto open = type_name.find('{');
  const auto close = type_name.find('}', open);
  if (open == std::string::npos || close == std::string::npos) return {};
  std::vector<std::string> out;
  std::string item;
  for (char c : type_name.substr(open + 1, close - open - 1) + ",") {
    if (c != ',') {
      item += c;
      continue;
    }
    item = item.substr(0, item.find("->"));
    if (!item.empty()) out.push_back(item);
    item.clear();
  }
  return out;
}

value_kind kind_of(CLI::Option& o, const std::vector<std::string>& choices) {
  if (o.get_items_expected_max() == 0) return value_kind::none;
  if (!choices.empty()) return value_kind::choices;
  return takes_file(o) ? value_kind::file : value_kind::text;
}

option_spec option_of(CLI::Option& o) {
  option_spec spec;
  for (const auto& s : o.get_snames()) spec.names.push_back("-" + s);
  for (const auto& l : o.get_lnames()) spec.names.push_back("--" + l);
  if (spec.names.empty()) spec.names.push_back(o.get_name());
  spec.description = o.get_description();
  spec.choices = choices_in(o.get_type_name());
  spec.value = kind_of(o, spec.choices);
  spec.repeatable = o.get_items_expected_max() > 1;
  return spec;
}

command_spec command_of(CLI::App& app, const std::string& name) {
  command_spec spec{name, app.get_description(), {}, {}};
  for (CLI::Option* o : app.get_options()) {
    if (o->get_group().empty()) continue;
    (o->nonpositional() ? spec.options : spec.positionals)
        .push_back(option_of(*o));
  }
  return spec;
}

// ndr itself first, then each visible subcommand in --help order.
std::vector<command_spec> commands_of(CLI::App& root) {
  std::vector<command_spec> out{command_of(root, "")};
  for (CLI::App* sub : root.get_subcommands([](CLI::App*) { return true; })) {
    if (!sub->get_group().empty())
      out.push_back(command_of(*sub, sub->get_name()));
  }
  return out;
}

std::string joined(const std::vector<std::string>& words, const char* sep) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : sep) + w;
  return out;
}

std::vector<std::string> option_names(const command_spec& c) {
  std::vector<std::string> names;
  for (const auto& o : c.options)
    names.insert(names.end(), o.names.begin(), o.names.end());
  return names;
}

std::vector<std::string> command_names(const std::vector<command_spec>& all) {
  std::vector<std::string> names;
  for (std::size_t i = 1; i < all.size(); ++i) names.push_back(all[i].name);
  return names;
}

// --- bash -------------------------------------------------------------------

// What `_ndr` does for a word: offer words, files or nothing.
std::string bash_action(const option_spec& o) {
  switch (o.value) {
    case value_kind::choices:
      return fmt::format("_ndr_words '{}'", joined(o.choices, " "));
    case value_kind::file:
      return "_ndr_files";
    default:
      return ":";
  }
}

// One `case` branch: the value after an option, else options or positionals.
std::string bash_branch(const command_spec& c,
                        const std::vector<std::string>& positional_words) {
  std::string out = fmt::format("    {})\n      case $prev in\n",
                                c.name.empty() ? "''" : c.name);
  for (const auto& o : c.options) {
    if (o.value == value_kind::none) continue;
    out += fmt::format("        {}) {}; return ;;\n", joined(o.names, " | "),
                       bash_action(o));
  }
  const std::string options = joined(option_names(c), " ");
  std::string rest = fmt::format("_ndr_words '{}'", options);
  if (!positional_words.empty()) {
    rest = fmt::format("_ndr_words '{}'", joined(positional_words, " "));
  } else if (!c.positionals.empty()) {
    rest = bash_action(c.positionals.front());
  }
  out += fmt::format(
      "      esac\n      if [[ $cur == -* ]]; then _ndr_words '{}'; else {}; "
      "fi\n      ;;\n",
      options, rest);
  return out;
}

std::string bash_script(const std::vector<command_spec>& all) {
  const std::vector<std::string> names = command_names(all);
  std::string out = fmt::format(
      R"(# bash completion for ndr: written by `ndr completion bash` ({}).
_ndr_words() {{ mapfile -t COMPREPLY < <(compgen -W "$1" -- "$cur"); }}
_ndr_files() {{
  if declare -F _filedir >/dev/null; then _filedir; return; fi
  compopt -o filenames 2>/dev/null
  mapfile -t COMPREPLY < <(compgen -f -- "$cur")
}}
_ndr() {{
  local cur=${{COMP_WORDS[COMP_CWORD]}} prev=${{COMP_WORDS[COMP_CWORD - 1]}}
  COMPREPLY=()
  # --name=value: readline's word breaks make '=' a word of its own.
  if [[ $cur == = ]]; then
    cur=
  elif [[ $prev == = ]]; then
    prev=${{COMP_WORDS[COMP_CWORD - 2]}}
  fi
  local i command=
  for ((i = 1; i < COMP_CWORD; i++)); do
    case ${{COMP_WORDS[i]}} in
      {}) command=${{COMP_WORDS[i]}}; break ;;
    esac
  done
  case $command in
)",
      "ndr " NDR_VERSION, joined(names, " | "));
  out += bash_branch(all.front(), names);
  for (std::size_t i = 1; i < all.size(); ++i) out += bash_branch(all[i], {});
  out += "  esac\n}\ncomplete -F _ndr ndr\n";
  return out;
}

// --- zsh --------------------------------------------------------------------

// `text` inside a single-quoted _arguments spec's [description].
std::string zsh_description(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\'')
      out += "'\\''";
    else if (c == '[' || c == ']' || c == '\\')
      out += std::string("\\") + c;
    else
      out += c;
  }
  return out;
}

std::string zsh_action(const option_spec& o) {
  switch (o.value) {
    case value_kind::choices:
      return fmt::format(":value:({})", joined(o.choices, " "));
    case value_kind::file:
      return ":file:_files";
    case value_kind::text:
      return ":value: ";
    default:
      return "";
  }
}

// One _arguments spec per name, each on a line of its own after `indent`:
// '(-o --output)-o+[…]:file:_files'.
std::string zsh_option(const option_spec& o, const std::string& indent) {
  const std::string exclusive =
      o.repeatable ? "*" : fmt::format("({})", joined(o.names, " "));
  std::string out;
  for (const auto& name : o.names) {
    const char* joiner = o.value == value_kind::none ? ""
                         : name.size() == 2          ? "+"
                                                     : "=";
    out += fmt::format(" \\\n{}'{}{}{}[{}]{}'", indent, exclusive, name, joiner,
                       zsh_description(o.description), zsh_action(o));
  }
  return out;
}

std::string zsh_specs(const command_spec& c, const std::string& indent) {
  std::string out;
  for (const auto& o : c.options) out += zsh_option(o, indent);
  for (const auto& p : c.positionals) {
    out += fmt::format(" \\\n{}'{}{}'", indent, p.repeatable ? "*" : "1",
                       zsh_action(p).empty() ? ": : " : zsh_action(p));
  }
  return out;
}

std::string zsh_script(const std::vector<command_spec>& all) {
  std::string commands;
  for (std::size_t i = 1; i < all.size(); ++i) {
    commands += fmt::format("\n    '{}:{}'", all[i].name,
                            zsh_description(all[i].description));
  }
  std::string branches;
  for (std::size_t i = 1; i < all.size(); ++i) {
    branches +=
        fmt::format("        {}) _arguments -S{} && ret=0 ;;\n", all[i].name,
                    zsh_specs(all[i], std::string(12, ' ')));
  }
  return fmt::format(
      R"(#compdef ndr
# zsh completion for ndr: written by `ndr completion zsh` ({}).
_ndr_commands() {{
  local -a commands=({}
  )
  _describe -t commands 'ndr command' commands
}}
_ndr() {{
  local curcontext=$curcontext state line ret=1
  typeset -A opt_args
  _arguments -C -S{} \
    '1:command:_ndr_commands' \
    '*::argument:->command' && ret=0
  case $state in
    command)
      curcontext=${{curcontext%:*:*}}:ndr-$words[1]:
      case $words[1] in
{}      esac
      ;;
  esac
  return ret
}}
_ndr "$@"
)",
      "ndr " NDR_VERSION, commands, zsh_specs(all.front(), "    "), branches);
}

// --- fish -------------------------------------------------------------------

std::string fish_quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

std::string fish_names(const option_spec& o) {
  std::string out;
  for (const auto& name : o.names) {
    out += name.size() == 2 ? " -s " + name.substr(1) : " -l " + name.substr(2);
  }
  return out;
}

std::string fish_value(const option_spec& o) {
  switch (o.value) {
    case value_kind::choices:
      return " -x -a " + fish_quoted(joined(o.choices, " "));
    case value_kind::file:
      return " -r -F";
    case value_kind::text:
      return " -x";
    default:
      return "";
  }
}

std::string fish_lines(const command_spec& c) {
  const std::string when =
      c.name.empty() ? "__fish_use_subcommand"
                     : fish_quoted("__fish_seen_subcommand_from " + c.name);
  std::string out;
  for (const auto& o : c.options) {
    out += fmt::format("complete -c ndr -n {}{}{} -d {}\n", when, fish_names(o),
                       fish_value(o), fish_quoted(o.description));
  }
  for (const auto& p : c.positionals) {
    if (p.value == value_kind::file) {
      out += fmt::format("complete -c ndr -n {} -F\n", when);
    } else if (p.value == value_kind::choices) {
      out += fmt::format("complete -c ndr -n {} -a {}\n", when,
                         fish_quoted(joined(p.choices, " ")));
    }
  }
  return out;
}

std::string fish_script(const std::vector<command_spec>& all) {
  std::string out = fmt::format(
      "# fish completion for ndr: written by `ndr completion fish` ({}).\n"
      "complete -c ndr -f\n",
      "ndr " NDR_VERSION);
  for (std::size_t i = 1; i < all.size(); ++i) {
    out += fmt::format("complete -c ndr -n __fish_use_subcommand -a {} -d {}\n",
                       all[i].name, fish_quoted(all[i].description));
  }
  for (const auto& c : all) out += fish_lines(c);
  return out;
}

class completion_command : public command {
 public:
  CLI::App* declare(CLI::App& app) override {
    root_ = &app;
    CLI::App* cmd = app.add_subcommand(
        "completion",
        "print the shell completion script for bash, zsh or fish");
    cmd->group("");  // hidden: for packagers (docs/cli.md)
    cmd->add_option("shell", shell_, "bash, zsh or fish")
        ->required()
        ->check(CLI::IsMember({"bash", "zsh", "fish"}));
    return cmd;
  }

  int run() override {
    const std::vector<command_spec> all = commands_of(*root_);
    write_stdout(shell_ == "bash"  ? bash_script(all)
                 : shell_ == "zsh" ? zsh_script(all)
                                   : fish_script(all));
    return 0;
  }

 private:
  CLI::App* root_ = nullptr;  // ndr's app, which outlives the command
  std::string shell_;         // bash | zsh | fish
};

const registered<completion_command> registration(100);

}  // namespace
}  // namespace ndr::cli
