#!/usr/bin/env python3
"""The org's lookups keep their prefetch instructions in the built binary.

A function whose only effect is a prefetch is one GCC may take for a
function without effects: it then deletes every call to it, silently (the
answers stay right, only slower). That happened to org_graph::prefetch_record
and id_table::prefetch; they are always inlined since. This check reads the
machine code of the functions that must ask for memory early and fails when
one of them has fewer prefetch instructions than it needs.

usage: prefetch_check.py BINARY   (x86-64; nm and objdump from binutils)
"""
import re
import subprocess
import sys

# (part of the demangled name, prefetch instructions it needs at least)
EXPECTED = [
    # the atasan hint's record (two lines) and the found record's atasan (two)
    ("perwal::org::org_graph::find_position(std::basic_string_view<char, std::char_traits<char> >, unsigned long", 4),
    # slots, hints, units' records, positions' and atasan's records
    ("perwal::org::org_graph::prefetch_positions(", 6),
    # the JSON load: a position id's and a NIP's slot before their inserts
    ("perwal::org::stream_reader::read_position()::{lambda", 1),
    ("perwal::org::stream_reader::read_employee()::{lambda", 1),
]


def functions(binary):
    """Demangled name -> list of (start, size) of the defined functions."""
    out = subprocess.run(["nm", "-C", "-S", "--defined-only", binary], check=True, capture_output=True,
                         text=True).stdout
    found = {}
    for line in out.splitlines():
        m = re.match(r"([0-9a-f]+) ([0-9a-f]+) [tTwW] (.*)$", line)
        if m:
            found.setdefault(m.group(3), []).append((int(m.group(1), 16), int(m.group(2), 16)))
    return found


def prefetches(binary, start, size):
    out = subprocess.run(["objdump", "-d", "--no-show-raw-insn", f"--start-address={start:#x}",
                          f"--stop-address={start + size:#x}", binary], check=True, capture_output=True,
                         text=True).stdout
    return len(re.findall(r"\tprefetch", out))


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    binary = sys.argv[1]
    table = functions(binary)
    failed = False
    for part, least in EXPECTED:
        # the function itself: not a template naming it in its arguments, not a compiler's clone of a part
        bodies = [(name, at) for name, ats in table.items() if name.startswith(part) and "[clone" not in name
                  for at in ats]
        if not bodies:
            print(f"FAIL: no function named like {part!r} in {binary} (renamed? update this check)")
            failed = True
            continue
        for name, (start, size) in bodies:
            n = prefetches(binary, start, size)
            ok = n >= least
            print(f"{'ok' if ok else 'FAIL'}: {n} prefetch instruction(s) in {name[:100]} (needs {least})")
            failed |= not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
