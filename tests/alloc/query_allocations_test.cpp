// The query path allocates nothing for a kedudukan or pelaporan check: the
// query is read in place, and a caller that checks many queries on one
// thread reuses one decision (evaluator::check into a decision). Counted
// with the benchmarks' replaced operator new (bench/alloc_count.cpp), which
// is why this is a program of its own and not part of perwal_tests.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>

#include "bench/alloc_count.hpp"
#include "engine/compile/ruleset.hpp"
#include "engine/eval/evaluator.hpp"
#include "engine/org/org.hpp"

namespace {

struct world {
  std::shared_ptr<const perwal::compiled_ruleset> rules;
  std::shared_ptr<const perwal::org::org_graph> org;
  world() {
    perwal::diagnostics diags;
    rules = perwal::compile_ruleset(std::string(PERWAL_SOURCE_DIR) + "/rulesets/padang-panjang-48-2024.perwal", diags);
    REQUIRE(rules);
    org = perwal::org::org_graph::load_file(std::string(PERWAL_SOURCE_DIR) + "/fixtures/padang-panjang/org.json",
                                            rules->vocab, rules->shape, diags);
    REQUIRE(org);
  }
};

// Every Pejabat Fungsional and pelaksana with an atasan: the kedudukan query
// of each, and its reports to that atasan, by query kind.
std::map<std::string, std::vector<nlohmann::json>> queries(const perwal::org::org_graph& g,
                                                           const perwal::compiled_ruleset& r) {
  const auto fungsional = r.vocab.find(perwal::category::jenis, "fungsional");
  const auto pelaksana = r.vocab.find(perwal::category::jenis, "pelaksana");
  std::map<std::string, std::vector<nlohmann::json>> out;
  for (const auto& p : g.positions()) {
    if (p.atasan == perwal::org::none || (p.jenis != fungsional && p.jenis != pelaksana)) continue;
    const std::string id(p.id), atasan(g.positions()[p.atasan].id);
    out["kedudukan"].push_back({{"type", "kedudukan"}, {"position", id}});
    for (const char* as : {"individu", "hasil_kegiatan"})
      out[std::string("pelaporan as ") + as].push_back(
          {{"type", "pelaporan"}, {"from", id}, {"to", atasan}, {"as", as}});
  }
  return out;
}

}  // namespace

TEST_CASE("kedudukan and pelaporan checks allocate nothing once the decision is reused") {
  const world w;
  const perwal::evaluator ev(w.rules, w.org, false);  // no trace, as a server answers
  perwal::decision d;
  for (const auto& [kind, qs] : queries(*w.org, *w.rules)) {
    REQUIRE(qs.size() > 1000);
    // A check that finds something allocates its finding (the finding owns
    // its org path): counted apart, and only the others must allocate nothing.
    std::size_t clean = 0, clean_allocs = 0, clean_bytes = 0, with_findings = 0;
    for (int pass = 0; pass < 2; ++pass) {  // the first pass grows the decision's lists
      for (const auto& q : qs) {
        perwal::diagnostics errs;
        const auto before = perwal_bench::thread_allocations();
        REQUIRE(ev.check(q, errs, d));
        const auto after = perwal_bench::thread_allocations();
        if (pass == 0) continue;
        if (!d.violations.empty() || !d.warnings.empty() || !d.needs.empty()) {
          ++with_findings;
          continue;
        }
        ++clean;
        clean_allocs += after.count - before.count;
        clean_bytes += after.bytes - before.bytes;
      }
    }
    INFO(kind << ": " << clean << " checks found nothing, " << with_findings << " found something");
    CHECK(clean > qs.size() / 2);  // most of the fixture's positions are where they belong
    CHECK(clean_allocs == 0);
    CHECK(clean_bytes == 0);
  }
}

TEST_CASE("the count sees allocations: a fresh decision per query allocates") {
  const world w;
  const auto qs = queries(*w.org, *w.rules).at("kedudukan");
  const perwal::evaluator ev(w.rules, w.org, false);
  const auto before = perwal_bench::thread_allocations();
  for (std::size_t i = 0; i < 100; ++i) {
    perwal::diagnostics errs;
    const auto d = ev.check(qs[i], errs);
    REQUIRE(d);
  }
  CHECK(perwal_bench::thread_allocations().count - before.count >= 100);
}
