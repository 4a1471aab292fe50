// `perwal lint`: checks beyond what compiling requires.
#pragma once

#include "engine/common/diagnostic.hpp"
#include "engine/compile/ruleset.hpp"

namespace perwal {

// Adds warnings to `diags`: kinds of perangkat daerah without a kedudukan
// table, contract scopes no workflow serves, rules no example exercises.
void lint(const compiled_ruleset& rules, diagnostics& diags);

}  // namespace perwal
