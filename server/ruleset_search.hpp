// `--rules ID`: a bundled (or PERWAL_PATH) ruleset named by its id, for the
// CLI and `perwal serve`. The compiler takes paths only and never reads the
// environment; the search lives here, in the programs' layer.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/common/lang.hpp"

namespace perwal::server {

// The folders searched for `<id>.perwal`, in order: each folder of the
// PERWAL_PATH environment variable (separated by ':'); for an installed binary
// the rulesets installed beside it, for one in its build tree the source
// tree's rulesets/; then the rulesets under the configured install prefix.
[[nodiscard]] std::vector<std::string> ruleset_search_path();

// `value` as given to --rules when it is an existing path, contains '/' or
// ends in ".perwal"; otherwise the first `<value>.perwal` found on
// ruleset_search_path(). nullopt when no folder has it, with `error` saying
// where it looked (several lines, no final newline).
[[nodiscard]] std::optional<std::string> find_ruleset(const std::string& value, std::string& error,
                                                      lang language = lang::en);

}  // namespace perwal::server
