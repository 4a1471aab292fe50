// `perwal lint`: checks beyond what compiling requires.
#pragma once

#include <set>
#include <string>

#include "engine/common/diagnostic.hpp"
#include "engine/compile/ruleset.hpp"

namespace perwal {

// Adds warnings to `diags`: kinds of perangkat daerah without a kedudukan
// table, contract scopes no workflow serves, rules no example exercises.
void lint(const compiled_ruleset& rules, diagnostics& diags);

// Which warnings `perwal lint` reports and which fail it.
struct lint_options {
  std::set<std::string, std::less<>> allow;  // never reported (--allow / -A)
  std::set<std::string, std::less<>> deny;  // fail the lint (--deny / -D / --strict=…), even if a ruleset allows them
  bool strict = false;                      // every warning fails the lint (--strict)
};

// Drops the warnings allowed by `options.allow` and by the ruleset's own
// `allow` statements (`rules` may be null: a ruleset that did not compile);
// a code in `options.deny` is kept even when the ruleset allows it.
// Returns how many were dropped.
std::size_t apply_allows(const compiled_ruleset* rules, const lint_options& options, diagnostics& diags);

// Whether the warnings left fail the lint.
[[nodiscard]] bool warnings_fail(const diagnostics& diags, const lint_options& options);

}  // namespace perwal
