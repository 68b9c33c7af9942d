#!/usr/bin/env python3
"""The docs show commands that actually run: every ```console block is re-run.

Each block holds `$ command` lines, each followed by the output it prints
(standard output and standard error together). Commands run in order with
bash, in a scratch folder holding a copy of samples/, with the built `ndr`
first on PATH; a command may read the previous command's exit status as $?.

Usage: docs.py NDR_BINARY PROJECT_ROOT [--update] FILE.md...
  --update rewrites the shown outputs with the real ones (then review the diff).
"""
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile

BLOCK = re.compile(r"```console\n(.*?)```", re.S)


def parse(block):
    lines = block.split("\n")
    if lines and lines[-1] == "":
        lines = lines[:-1]
    items, i = [], 0
    while i < len(lines):
        assert lines[i].startswith("$ "), f"a console block line without '$ ': {lines[i]!r}"
        cmd = lines[i][2:]
        i += 1
        heredoc = re.search(r"<<'(\w+)'", cmd)
        if heredoc:
            while lines[i] != heredoc.group(1):
                cmd += "\n" + lines[i]
                i += 1
            cmd += "\n" + lines[i]
            i += 1
        out = []
        while i < len(lines) and not lines[i].startswith("$ "):
            out.append(lines[i])
            i += 1
        items.append((cmd, "\n".join(out)))
    return items


def run_all(ndr, root, items):
    scratch = tempfile.mkdtemp()
    try:
        shutil.copytree(os.path.join(root, "samples"), os.path.join(scratch, "samples"))
        bindir = os.path.join(scratch, "bin")
        os.mkdir(bindir)
        os.symlink(os.path.abspath(ndr), os.path.join(bindir, "ndr"))
        script = "__rc=0\n"
        for k, (cmd, _) in enumerate(items):
            script += f'echo "@@MARK {k}@@"; (exit $__rc); {{ {cmd}\n}} 2>&1; __rc=$?\n'
        env = dict(os.environ, PATH=bindir + ":" + os.environ["PATH"], LC_ALL="C.UTF-8")
        res = subprocess.run(["bash", "-c", script], cwd=scratch, capture_output=True, text=True, env=env)
        parts = re.split(r"@@MARK (\d+)@@\n", res.stdout)
        got = {int(parts[j]): parts[j + 1] for j in range(1, len(parts), 2)}
        return [got.get(k, "<missing>").removesuffix("\n") for k in range(len(items))]
    finally:
        shutil.rmtree(scratch)


def main():
    ndr, root, *rest = sys.argv[1:]
    update = "--update" in rest
    files = [f for f in rest if f != "--update"]
    total = bad = 0
    for f in files:
        path = os.path.join(root, f)
        text = open(path).read()
        blocks = BLOCK.findall(text)
        items = [it for b in blocks for it in parse(b)]
        outputs = run_all(ndr, root, items)
        k = 0
        new_blocks = []
        for b in blocks:
            parsed = parse(b)
            body = ""
            for cmd, want in parsed:
                got = outputs[k]
                k += 1
                total += 1
                if got != want:
                    bad += 1
                    print(f"--- {f}: differs: $ {cmd.splitlines()[0]}")
                    print("\n".join(difflib.unified_diff(want.split("\n"), got.split("\n"), "doc", "real", lineterm="")))
                body += f"$ {cmd}\n" + (got + "\n" if got else "")
            new_blocks.append(body)
        if update:
            it = iter(new_blocks)
            open(path, "w").write(BLOCK.sub(lambda m: "```console\n" + next(it) + "```", text))
    print(f"{total - bad} passed, {bad} failed")
    return 1 if bad and not update else 0


if __name__ == "__main__":
    sys.exit(main())
