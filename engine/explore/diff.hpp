// `perwal diff`: two regulations (or two versions of one) compared rule by
// rule, each semantic difference with a distinguishing scenario found in the
// bounded universe (engine/explore/universe.hpp).
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "engine/common/lang.hpp"
#include "engine/compile/ruleset.hpp"
#include "engine/eval/evaluator.hpp"
#include "engine/explore/universe.hpp"

namespace perwal::explore {

// One way a matched rule differs: the field, its value on each side ("" =
// absent) and how it moved ("strengthened", "weakened", "added", "removed",
// "reordered", "changed").
struct change {
  std::string what;
  std::string a, b;
  std::string how;
};

// A small org and a query the two rulesets decide differently.
struct scenario {
  nlohmann::json org;  // perwal-org/1
  nlohmann::json query;
  bool trimmed = false;  // cut down to what the query touches (both decisions unchanged)
  signature a, b;
};

struct diff_entry {
  std::string kind;    // rule | kedudukan | report | workflow | define | scope
  std::string name;    // as in A (or B when added)
  std::string name_b;  // B's name when matched under another name
  std::string status;  // added | removed | changed | unchanged
  std::string strength_a, strength_b;
  std::string citation_a, citation_b;
  std::string where_a, where_b;  // file:line:column
  std::vector<change> changes;
  bool citation_changed = false;
  std::optional<scenario> example;
  [[nodiscard]] bool semantic() const { return status != "unchanged"; }
};

struct search_bounds {
  std::size_t orgs = 0, units = 0, positions = 0;
  std::size_t queries = 0;      // queries asked (penugasan: each step sequence tried)
  std::size_t evaluations = 0;  // decisions computed, completions included
  std::size_t max_steps = 0;
  std::size_t differing = 0;  // queries the two rulesets decide differently
};

struct diff_report {
  std::string id_a, id_b;    // ruleset ids
  std::string key_a, key_b;  // names used in scenarios ("id", or "id (A)" when both ids are equal)
  std::string file_a, file_b;
  std::vector<diff_entry> entries;
  search_bounds search;
  [[nodiscard]] std::size_t semantic_differences() const;
};

[[nodiscard]] diff_report diff(const std::shared_ptr<const compiled_ruleset>& a,
                               const std::shared_ptr<const compiled_ruleset>& b,
                               const std::pair<std::string, std::string>& files, const bounds& limits = {});

// Ready to paste into a test: each scenario as {"org", "query", "expect": {key: {decision, violations, warnings}}}.
[[nodiscard]] nlohmann::json to_json(const diff_report& r);
[[nodiscard]] std::string to_text(const diff_report& r, lang language);

// A condition as canonical text (codes by name, paths as written), for
// comparing rules across two vocabularies.
[[nodiscard]] std::string expr_text(const cexpr& e, const vocabulary& vocab);

}  // namespace perwal::explore
