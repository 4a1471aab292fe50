// JSON Schemas (draft 2020-12) of the org format, the queries and the
// decisions, generated from a compiled ruleset's codes and data schema.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/compile/ruleset.hpp"

namespace perwal {

// The top-level fields a query of `type` may have (its "type" and "ruleset"
// among them), as the query schema lists them; empty for an unknown type.
// The query reader refuses any other (E207).
[[nodiscard]] const std::vector<std::string>& query_fields(std::string_view type);

// `kind` is "org", "query" or "decision"; nullopt for anything else.
[[nodiscard]] std::optional<nlohmann::json> json_schema(const compiled_ruleset& rules, std::string_view kind);

}  // namespace perwal
