#!/usr/bin/env bash
# Checks that every tracked C++ file is formatted by the repository's
# .clang-format; changes nothing. Exit 1 and the offending lines when not.
# To fix: git ls-files '*.cpp' '*.hpp' | xargs clang-format -i
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null 2>&1 || { echo "check-format: clang-format is not installed (./scripts/install-deps.sh)" >&2; exit 2; }
if ! git ls-files -z '*.cpp' '*.hpp' | xargs -0 -r clang-format --style=file --dry-run -Werror; then
  echo "check-format: files above differ from .clang-format" >&2
  exit 1
fi
