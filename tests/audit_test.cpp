// The audit gives the same findings, in the same order, on any number of
// threads: each bundled city's org against its own regulation.
#include <catch2/catch.hpp>

#include "engine/compile/ruleset.hpp"
#include "tests/test_support.hpp"

namespace {

struct city {
  const char* fixture;
  const char* ruleset;
};

constexpr city cities[] = {{"padang-panjang", "padang-panjang-48-2024"},
                           {"bukittinggi", "bukittinggi-rancangan"},
                           {"jambi", "jambi-13-2025"},
                           {"pasuruan", "pasuruan-41-2023"}};

}  // namespace

TEST_CASE("audit findings do not depend on the thread count", "[eval][audit]") {
  using perwal::testing::source_dir;
  for (const auto& c : cities) {
    INFO(c.fixture);
    perwal::diagnostics diags;
    const auto rules =
        perwal::compile_ruleset((source_dir() / "rulesets" / (std::string(c.ruleset) + ".perwal")).string(), diags);
    REQUIRE(rules);
    perwal::diagnostics errs;
    const auto org_path = source_dir() / "fixtures" / c.fixture / "org.json";
    const auto org = perwal::org::org_graph::load(perwal::testing::slurp(org_path), org_path.string(), rules->vocab,
                                                  rules->shape, errs);
    REQUIRE(org);
    const perwal::evaluator ev(rules, org, false);
    const perwal::render_context rc{*rules, *org, perwal::lang::en};
    const auto one = ev.audit(1);
    REQUIRE(one.checked.value_or(0) > 400);  // enough items for the audit to split in slices of 256
    CHECK_FALSE(one.violations.empty());     // every fixture plants violations
    const auto expected = perwal::to_json(one, rc).dump();
    for (unsigned threads : {2u, 3u, 8u}) {
      INFO(threads << " threads");
      CHECK(perwal::to_json(ev.audit(threads), rc).dump() == expected);
      // with a progress callback the work is cut into chunks: the same findings, and the count reaches the total
      std::size_t last = 0, calls = 0, total_seen = 0;
      const auto d = ev.audit(threads, [&](std::size_t done, std::size_t total) {
        CHECK(done >= last);  // never goes back
        last = done;
        total_seen = total;
        ++calls;
      });
      CHECK(perwal::to_json(d, rc).dump() == expected);
      CHECK(calls >= 1);  // at least the last one (other threads may take every chunk)
      CHECK(last == total_seen);
      CHECK(total_seen >= one.checked.value_or(0));
    }
    std::set<const perwal::rule_info*> unique(one.considered.begin(), one.considered.end());
    CHECK(unique.size() == one.considered.size());  // each rule named once
  }
}
