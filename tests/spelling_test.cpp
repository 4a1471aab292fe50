// "Did you mean": the bounded search that the org and query errors use agrees
// with the plain one, and a number is not taken for a typo.
#include "engine/common/spelling.hpp"

#include <catch2/catch.hpp>
#include <random>

namespace {

// The plain search: every distance in full.
std::string nearest_plain(const std::string& name, const std::vector<std::string>& candidates) {
  const std::size_t limit = std::clamp<std::size_t>((name.size() + 2) / 3, 1, 3);
  std::string best;
  std::size_t best_distance = limit + 1;
  for (const auto& c : candidates) {
    const auto d = perwal::edit_distance(name, c);
    if (d < best_distance) best = c, best_distance = d;
  }
  return best;
}

}  // namespace

TEST_CASE("nearest_finder finds what the plain search finds", "[spelling]") {
  std::mt19937 gen(7);
  const std::string letters = "ab.-1";  // few letters: many near candidates and ties
  const auto word = [&](std::size_t max) {
    std::string w(std::uniform_int_distribution<std::size_t>(0, max)(gen), 'a');
    for (auto& c : w) c = letters[std::uniform_int_distribution<std::size_t>(0, letters.size() - 1)(gen)];
    return w;
  };
  std::size_t found = 0;
  for (int round = 0; round < 2000; ++round) {
    const std::string name = word(9);
    std::vector<std::string> candidates;
    for (int i = 0; i < 12; ++i) candidates.push_back(word(11));
    INFO(name);
    const auto expected = nearest_plain(name, candidates);
    CHECK(perwal::nearest_name(name, candidates) == expected);
    if (!expected.empty()) ++found;
  }
  CHECK(found > 200);  // the comparison saw real suggestions, not only empty ones
}

TEST_CASE("nearest_finder: a typo is suggested, another number is not", "[spelling]") {
  const std::vector<std::string> ids{"x.analis-1", "x.kabag-org", "x.sekda", "197002022000031003"};
  const auto near = [&](const std::string& name, bool numbered) {
    perwal::nearest_finder f(name, numbered);
    for (const auto& id : ids) f.consider(id);
    return f.best();
  };
  CHECK(near("x.kabag-orgg", true) == "x.kabag-org");
  CHECK(near("x.sekdaa", true) == "x.sekda");
  CHECK(near("x.analis-2", false) == "x.analis-1");
  CHECK(near("x.analis-2", true).empty());          // analis-2 is another position, not a typo
  CHECK(near("197002022000031004", true).empty());  // nor is another NIP
  CHECK(near("x.sekda2", true).empty());
  CHECK(near("x.kepala-dinas", true).empty());        // too far from everything
  CHECK(near("x.kabga-org", true) == "x.kabag-org");  // two letters swapped: one edit
}

TEST_CASE("edit_distance counts a swap of neighbouring letters as one edit", "[spelling]") {
  CHECK(perwal::edit_distance("kabdi", "kabid") == 1);
  CHECK(perwal::edit_distance("chekc", "check") == 1);
  CHECK(perwal::edit_distance("abc", "ca") == 3);  // not a swap plus a deletion: the letters do not neighbour
  CHECK(perwal::edit_distance("", "abc") == 3);
  CHECK(perwal::edit_distance("kitten", "sitting") == 3);
}
