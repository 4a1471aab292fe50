// Internal to engine/explore: what the files of `perwal diff` share: the
// texts of paths and code lists (diff_text.cpp) and the entries of the
// rule-by-rule comparison (diff_rules.cpp).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/explore/diff.hpp"

namespace perwal::explore::diff_detail {

// A path with its arguments (`find(dpmptsp)`, `has_tag("…")`), which the
// path's own text leaves out. Codes by name: both vocabularies agree on names.
std::string path_text(const cpath& p, const vocabulary& vocab);
std::string roles_text(const std::vector<cpath>& roles, const vocabulary& vocab);
std::string join(const std::vector<std::string>& xs, std::string_view sep);
std::string codes_text(const std::vector<code>& cs, const vocabulary& v, std::string_view sep = ", ");
std::string sorted_codes_text(const std::vector<code>& cs, const vocabulary& v);

// The entries for the structure and scopes, and for each rule, kedudukan
// table, report, workflow and define of the two rulesets.
std::vector<diff_entry> structural_entries(const compiled_ruleset& a, const compiled_ruleset& b);
std::vector<diff_entry> rule_entries(const compiled_ruleset& a, const compiled_ruleset& b);

}  // namespace perwal::explore::diff_detail
