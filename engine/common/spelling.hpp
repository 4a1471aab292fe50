// "Did you mean …": the candidate nearest to a misspelt name, by edit
// distance, when it is near enough to be a likely typo.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace perwal {

// The edit distance between two names (ASCII, small inputs): insertions,
// deletions, substitutions and swaps of neighbouring letters, one each.
[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to `name`, or empty when none is within about a
// third of its length (at least 1, at most 3 edits).
[[nodiscard]] std::string nearest_name(std::string_view name, const std::vector<std::string>& candidates);

// The same search over names offered one at a time and not copied (an org
// holds millions of ids): a candidate too far in length is skipped, and a
// distance is given up as soon as it passes the best so far. The first of
// equally near candidates wins, as with nearest_name.
class nearest_finder {
 public:
  // With `numbered`, only a candidate with the same digits as the name is
  // offered: "x.analis-2" names another item than "x.analis-1", not a typo
  // of it (ids of an org, NIPs).
  explicit nearest_finder(std::string_view name, bool numbered = false);
  void consider(std::string_view candidate);
  // The nearest candidate, or empty when none was near enough.
  [[nodiscard]] const std::string& best() const { return best_; }

 private:
  std::string name_;
  bool numbered_;
  std::size_t best_distance_;
  std::string best_;
  std::vector<std::size_t> before_, above_, row_;
};

}  // namespace perwal
