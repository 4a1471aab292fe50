// A reference evaluator: a second, deliberately naive implementation of the
// decision procedure, for differential testing against engine/eval. It walks
// the plain org spec (engine/org/org_spec.hpp) with linear scans and
// recursion up parent and atasan chains: no org_graph, no indices, no
// snapshot. It shares only the compiled ruleset (the rules are its input)
// and interprets the compiled DSL expressions itself.
//
// Covered query types: kedudukan, pelaporan, penugasan (each with or without
// a team), tim (an org's team or one given inline) and audit. A query of
// another type, and any expression construct it does not interpret (a
// property it does not know), throws not_covered: the caller counts those
// cases, never skips them silently. See docs/reliability.md.
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/compile/ruleset.hpp"
#include "engine/org/org_spec.hpp"

namespace perwal::reference {

struct not_covered : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct reference_result {
  std::string outcome;                // allowed | denied | incomplete
  std::vector<std::string> violated;  // rule names of the violations, sorted
  std::vector<std::string> missing;   // step names of the missing steps, sorted
  std::vector<std::string> warned;    // rule names of the warnings (soft rules broken), sorted
  std::vector<std::string> needed;    // rule names the data cannot decide (evidence unstated), sorted
  bool operator==(const reference_result&) const = default;
};

// `q` is a JSON query in the documented format ({"type": "kedudukan", …}),
// naming positions by id or NIP. Throws not_covered for what it does not cover.
[[nodiscard]] reference_result decide(const compiled_ruleset& rules, const org::spec& org, const nlohmann::json& q);

}  // namespace perwal::reference
