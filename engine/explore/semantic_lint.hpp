// The semantic checks of `perwal lint`, on the bounded universe
// (engine/explore/universe.hpp): rules that conflict, rules that never apply,
// role expressions that name nobody.
#pragma once

#include <memory>

#include "engine/common/diagnostic.hpp"
#include "engine/compile/ruleset.hpp"
#include "engine/explore/universe.hpp"

namespace perwal::explore {

// Adds warnings to `diags`, each at the rule it is about.
void semantic_lint(const std::shared_ptr<const compiled_ruleset>& rules, diagnostics& diags, const bounds& limits = {});

}  // namespace perwal::explore
