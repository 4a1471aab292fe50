// JSON Schemas (draft 2020-12) of the org format, the queries and the
// decisions, generated from a compiled ruleset's codes and data schema.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "engine/compile/ruleset.hpp"

namespace perwal {

// `kind` is "org", "query" or "decision"; nullopt for anything else.
[[nodiscard]] std::optional<nlohmann::json> json_schema(const compiled_ruleset& rules, std::string_view kind);

}  // namespace perwal
