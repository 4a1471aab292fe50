// `perwal fmt`: the one canonical layout of a .perwal file. Only whitespace
// changes: two spaces per open brace or bracket, a closing one back out,
// continuation lines (`en "…"`, `and …`/`or …`, a cite's `quote "…"`, a definition's `cite`) one step
// deeper, no trailing blanks, tabs as spaces, at most one blank line, one
// newline at the end. Comments stay where they are; strings are never touched
// (they cannot span lines). Idempotent: format(format(x)) == format(x).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace perwal {

[[nodiscard]] std::string format_ruleset(std::string_view text);

// A unified-style line diff of `before` and `after` (for `fmt --check`).
[[nodiscard]] std::string line_diff(std::string_view name, std::string_view before, std::string_view after);

}  // namespace perwal
