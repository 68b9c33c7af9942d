#!/usr/bin/env python3
"""ndr's man pages, written at build time from the program's own --help.

Usage: man_page.py NDR_BINARY OUT_DIR

Writes OUT_DIR/ndr.1 (`ndr --help`, then every command's --help under
COMMANDS) and OUT_DIR/ndr-COMMAND.1 for each command `ndr --help` lists, each
also gzipped (-9, no name or time: the same bytes every build). Nothing here
names an option, so the pages follow the help text wherever it goes.

Why not help2man: it makes one page of one --help, and would put every
command's "Options:" into the one OPTIONS section; ndr's reference is eight.

CLI11's layout, as read here: a description, "Usage: …", then sections: a
line ending in ':' (Options:, Positionals:, Subcommands: or an option group's
name) over indented entries "  NAME  DESCRIPTION"; a NAME too long for its
column puts the DESCRIPTION on the next, deeper-indented line. Other
unindented lines (a footer) are paragraphs.
"""
import gzip
import os
import re
import subprocess
import sys

ENTRY = re.compile(r"^( +)(\S+(?: \S+)*)(?: {2,}(\S.*))?$")


def run_help(ndr, *args):
    return subprocess.run([ndr, *args, "--help"], check=True, capture_output=True, text=True).stdout


def parse(text):
    """{"description", "usage", "sections": [(title, [[name, desc]]) or (None, text)]}."""
    page = {"description": "", "usage": "", "sections": []}
    entries, entry_indent = None, 0
    for line in text.rstrip("\n").split("\n"):
        if not line.strip():
            continue
        if line.startswith("Usage:"):
            page["usage"] = line[len("Usage:"):].strip()
        elif not page["usage"]:
            page["description"] += (" " if page["description"] else "") + line.strip()
        elif re.match(r"^\S.*:$", line):
            entries = []
            page["sections"].append((line[:-1], entries))
        elif line.startswith(" ") and entries is not None:
            m = ENTRY.match(line)
            indent = len(m.group(1))
            if entries and indent > entry_indent + 4:  # the previous entry's description, continued
                entries[-1][1] = (entries[-1][1] + " " + line.strip()).strip()
            else:
                entry_indent = indent
                entries.append([m.group(2), m.group(3) or ""])
        else:
            entries = None
            page["sections"].append((None, line.strip()))
    return page


def esc(text):
    """Text as roff: backslashes and hyphens escaped, non-ASCII as \\[uXXXX]."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    text = "".join(c if ord(c) < 128 else "\\[u%04X]" % ord(c) for c in text)
    return "\\&" + text if text.startswith((".", "'")) else text


def entry_tag(name):
    """"-o,--output TEXT" as bold names, then the value's type in roman."""
    names, _, value = name.partition(" ")
    tag = ",".join("\\fB" + esc(n) + "\\fR" for n in names.split(","))
    return tag + (" " + esc(value) if value else "")


def synopsis(usage):
    """"ndr report [OPTIONS] [files...]": the command in bold."""
    words = usage.split(" ")
    n = 0
    while n < len(words) and re.match(r"^[a-z][\w-]*$", words[n]):
        n += 1
    command, rest = words[:n], words[n:]
    return ".B " + esc(" ".join(command)) + "\n" + esc(" ".join(rest)) + "\n"


def sentence(text):
    return esc(text if text.endswith((".", "!", "?", ")")) else text + ".")


def entries_roff(entries):
    return "".join(f".TP\n{entry_tag(n)}\n{esc(d) if d else ''}\n" for n, d in entries)


def sections_roff(sections, heading):
    """Each section under `heading(title)`; a footer paragraph as it is."""
    out = ""
    for title, body in sections:
        if title is None:
            out += ".PP\n" + esc(body) + "\n"
        else:
            out += heading(title) + entries_roff(body)
    return out


def header(title, version, name, summary):
    return (
        f'.\\" Written by cmake/man_page.py from `{name.replace("-", " ")} --help`; do not edit.\n'
        f'.TH {esc(title)} 1 "" "{esc(version)}" "User Commands"\n'
        ".ad l\n.nh\n"  # ragged right, no hyphens: option names stay whole
        f".SH NAME\n{esc(name)} \\- {esc(summary)}\n"
    )


GUIDE = (
    ".SH SEE ALSO\n"
    "README.md and docs/*.md, installed with ndr in share/doc/ndr (/usr/share/doc/ndr from the\n"
    "Debian package): the user guide, with examples, the input formats, every error message and\n"
    "the exit statuses.\n"
)


def command_section(command, page):
    """One command of ndr.1, under COMMANDS."""
    return (
        f'.SS "ndr {esc(command)}"\n{esc(page["description"])}\n.PP\n{synopsis(page["usage"])}'
        + sections_roff(page["sections"], lambda t: f".PP\n\\fI{esc(t)}:\\fR\n")
    )


def main_page(version, top, commands):
    summary = re.sub(r"^ndr: ", "", top["description"])
    out = header("NDR", version, "ndr", summary) + ".SH SYNOPSIS\n" + synopsis(top["usage"])
    for _, page in commands:
        out += ".br\n" + synopsis(page["usage"])
    out += (
        f".SH DESCRIPTION\n{sentence(summary)}\n.PP\n"
        "Each command's options are under COMMANDS below; \\fBndr\\fR \\fIcommand\\fR "
        "\\fB\\-\\-help\\fR prints them too.\n"
    )
    own = [(t, b) for t, b in top["sections"] if t != "Subcommands"]
    out += ".SH OPTIONS\n" + sections_roff(own, lambda t: "" if t == "Options" else f'.SS "{esc(t)}"\n')
    out += ".SH COMMANDS\n" + "".join(command_section(c, p) for c, p in commands)
    see = ",\n".join(f".BR ndr\\-{esc(c)} (1)" for c, _ in commands)
    return out + GUIDE + ".PP\n" + see + "\n"


def command_page(version, command, page):
    out = header(f"NDR-{command.upper()}", version, f"ndr-{command}", page["description"])
    out += ".SH SYNOPSIS\n" + synopsis(page["usage"])
    out += f".SH DESCRIPTION\n{sentence(page['description'])}\n"
    out += ".SH OPTIONS\n" + sections_roff(page["sections"], lambda t: f'.SS "{esc(t)}"\n')
    return out + GUIDE + ".PP\n.BR ndr (1)\n"


def write(out_dir, name, text):
    with open(os.path.join(out_dir, name), "w", encoding="ascii") as f:
        f.write(text)
    with open(os.path.join(out_dir, name + ".gz"), "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=raw, mtime=0) as f:
            f.write(text.encode("ascii"))


def main(ndr, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    for old in os.listdir(out_dir):  # a command that is gone takes its page along
        if re.match(r"^ndr.*\.1(\.gz)?$", old):
            os.remove(os.path.join(out_dir, old))
    version = subprocess.run([ndr, "--version"], check=True, capture_output=True, text=True).stdout.strip()
    top = parse(run_help(ndr))
    names = [n for t, entries in top["sections"] if t == "Subcommands" for n, _ in entries]
    commands = [(n, parse(run_help(ndr, n))) for n in names]
    write(out_dir, "ndr.1", main_page(version, top, commands))
    for name, page in commands:
        write(out_dir, f"ndr-{name}.1", command_page(version, name, page))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    main(sys.argv[1], sys.argv[2])
