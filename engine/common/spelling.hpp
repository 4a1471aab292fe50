// "Did you mean …": the candidate nearest to a misspelt name, by edit
// distance, when it is near enough to be a likely typo.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace perwal {

// Levenshtein distance between two names (ASCII, small inputs).
[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to `name`, or empty when none is within about a
// third of its length (at least 1, at most 3 edits).
[[nodiscard]] std::string nearest_name(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace perwal
