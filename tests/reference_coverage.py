#!/usr/bin/env python3
"""The reference (docs/reference/) names everything it must, in both languages.

usage: reference_coverage.py PERWAL SOURCE_DIR

Checks, for cli.md and cli.id.md, that every command `perwal --help` lists has
its section ("## perwal COMMAND") and that every option `perwal COMMAND --help`
lists is named in that section or in the page's conventions; for api.md and
api.id.md, that every method and path of server/openapi.json has its section
("## METHOD PATH") and a row in the endpoint table; for errors.md and
errors.id.md, that every code of the message catalogue
(engine/common/messages.cpp) has its row; that the formats the pages show
`perwal --version` printing are the ones it prints; that every page has its Indonesian
twin; and that every relative link of the pages names a file (and a heading)
that exists; and that no tracked file points outside the repository (at a
design folder beside it or at a contract document a user does not have).
Standard library only.
"""
import json
import os
import re
import subprocess
import sys

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def run(perwal, *args):
    out = subprocess.run([perwal, *args], capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise SystemExit(f"perwal {' '.join(args)} exited {out.returncode}: {out.stderr}")
    return out.stdout


def commands(perwal):
    """The commands of `perwal --help`: "check", …, "log verify", in order."""
    found = []
    for line in run(perwal, "--help").splitlines():
        m = re.match(r"^  perwal ((?:[a-z][a-z-]*)(?: [a-z][a-z-]*)?)\b", line)
        if not m:
            continue
        words = m.group(1).split()
        # "perwal log verify": a subcommand; "perwal check --rules": one word.
        name = " ".join(words) if len(words) == 2 and words[0] == "log" else words[0]
        if name not in found:
            found.append(name)
    if len(found) < 10:
        raise SystemExit(f"perwal --help lists only {found}: the parser here is out of date")
    return found


def options(perwal, command):
    """The option spellings of `perwal COMMAND --help` ("--format", "-o"), help excepted."""
    text = run(perwal, *command.split(), "--help")
    names = []
    in_options = False
    for line in text.splitlines():
        if line.startswith("Options:"):
            in_options = True
            continue
        if in_options and line.startswith("  "):
            first = line.strip().split()[0] if line.strip() else ""
            for spelling in first.split(","):
                if spelling.startswith("-") and spelling not in ("-h", "--help"):
                    names.append(spelling)
    return names


def sections(page):
    """The page's "## " sections by title (the text under each, up to the next)."""
    out, title = {}, None
    for line in page.splitlines():
        if line.startswith("## "):
            title = line[3:].strip()
            out[title] = ""
        elif title is not None:
            out[title] += line + "\n"
    return out


def anchors(text):
    """The anchors of a Markdown page: its headings as GitHub spells them, and <a id>."""
    found = {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in re.findall(r"^#+ (.*)$", text, re.M)}
    return found | set(re.findall(r'<a id="([^"]+)"', text))


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def page_text(ref, name, problems):
    """A page of the reference, or "" with a problem when it is missing."""
    path = os.path.join(ref, name)
    if not os.path.exists(path):
        problems.append(f"docs/reference/{name}: missing")
        return ""
    return read(path)


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    perwal, root = sys.argv[1], sys.argv[2]
    ref = os.path.join(root, "docs", "reference")
    problems = []

    # Every page has its twin, and every relative link names a file.
    pages = sorted(f for f in os.listdir(ref) if f.endswith(".md"))
    for page in pages:
        twin = page[:-6] + ".md" if page.endswith(".id.md") else page[:-3] + ".id.md"
        if twin not in pages:
            problems.append(f"docs/reference/{page}: no twin {twin}")
        for target, anchor in re.findall(r"\]\(([^)#\s]*)(?:#([^)\s]*))?\)", read(os.path.join(ref, page))):
            if "://" in target:
                continue
            path = os.path.normpath(os.path.join(ref, target or page))
            if not os.path.exists(path):
                problems.append(f"docs/reference/{page}: link to {target}, which does not exist")
            elif anchor and path.endswith(".md") and anchor not in anchors(read(path)):
                problems.append(f"docs/reference/{page}: link to {target}#{anchor}, which has no such heading")

    # The command line: a section per command, every option named.
    cmds = commands(perwal)
    for name in ("cli.md", "cli.id.md"):
        page = page_text(ref, name, problems)
        secs = sections(page)
        common = "".join(text for title, text in secs.items() if not title.startswith("perwal "))
        for cmd in cmds:
            title = f"perwal {cmd}"
            if title not in secs:
                problems.append(f"docs/reference/{name}: no section \"## {title}\"")
                continue
            if cmd == "--version":
                continue
            for opt in options(perwal, cmd):
                if not re.search(r"(?<![\w-])" + re.escape(opt) + r"(?![\w-])", secs[title] + common):
                    problems.append(f"docs/reference/{name}: {title} does not name its option {opt}")

    # The formats `perwal --version` names are the ones the pages show it printing.
    printed = dict(line.split(": ", 1) for line in run(perwal, "--version").splitlines() if ": " in line)
    for name in ("README.md", "README.id.md", "cli.md", "cli.id.md"):
        for what, shown in re.findall(r"^(org format|org snapshot format|rule language): (.*)$",
                                      read(os.path.join(ref, name)), re.M):
            if printed.get(what) != shown:
                problems.append(f"docs/reference/{name}: shows \"{what}: {shown}\", perwal --version prints "
                                f"\"{what}: {printed.get(what)}\"")

    # The API: a section and a table row per method and path.
    api = json.loads(read(os.path.join(root, "server", "openapi.json")))
    routes = [(m.upper(), p) for p, item in api["paths"].items() for m in item if m in HTTP_METHODS]
    if len(routes) < 5:
        raise SystemExit(f"server/openapi.json has only {routes}")
    for name in ("api.md", "api.id.md"):
        page = page_text(ref, name, problems)
        secs = sections(page)
        for method, path in routes:
            if f"{method} {path}" not in secs:
                problems.append(f"docs/reference/{name}: no section \"## {method} {path}\"")
            row = re.compile(r"^\| `" + method + r"` \| \[?`" + re.escape(path) + r"`", re.M)
            if not row.search(page):
                problems.append(f"docs/reference/{name}: the endpoint table has no row for {method} {path}")

    # The codes: a row per code of the catalogue.
    catalogue = read(os.path.join(root, "engine", "common", "messages.cpp"))
    codes = sorted(set(re.findall(r"\"([EW]\d{3})\"", catalogue)))
    if len(codes) < 50:
        raise SystemExit(f"engine/common/messages.cpp has only {len(codes)} codes: the pattern is out of date")
    for name in ("errors.md", "errors.id.md"):
        page = page_text(ref, name, problems)
        for code in codes:
            if f"| {code} |" not in page:
                problems.append(f"docs/reference/{name}: no row for {code}")

    # The repository stands alone: no tracked text points at files beside it.
    # The names are assembled so that this file does not itself name them.
    beside, spec = "sha" + "red", "CON" + "TRACT"
    outside = re.compile(r"\.\./" + beside + r"/|\b" + beside + r"/(?:regulations|design)/|\b" + spec + r"(?:\.md)?\b")
    tracked = subprocess.run(["git", "-C", root, "ls-files", "-z"], capture_output=True, timeout=60)
    if tracked.returncode == 0:  # a source tree outside git (a tarball) is not checked
        for rel in tracked.stdout.decode().split("\0"):
            if not rel or rel == "tests/reference_coverage.py":
                continue
            try:
                with open(os.path.join(root, rel), encoding="utf-8") as f:
                    text = f.read()
            except (UnicodeDecodeError, OSError):
                continue  # binary files
            for n, line in enumerate(text.splitlines(), 1):
                if outside.search(line):
                    problems.append(f"{rel}:{n}: points outside the repository: {line.strip()[:100]}")

    for p in problems:
        print(p)
    print(f"{len(cmds)} commands, {len(routes)} routes, {len(codes)} codes, {len(pages)} pages: "
          f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
