// The query path allocates nothing for a kedudukan, pelaporan, penugasan or
// tim check that finds nothing: the query is read in place (into storage
// each thread keeps), and a caller that checks many queries on one thread
// reuses one decision (evaluator::check into a decision). Counted
// with the benchmarks' replaced operator new (bench/alloc_count.cpp), which
// is why this is a program of its own and not part of perwal_tests.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>

#include "bench/alloc_count.hpp"
#include "engine/compile/ruleset.hpp"
#include "engine/eval/evaluator.hpp"
#include "engine/explore/universe.hpp"
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

// Penugasan lintas unit organisasi as the benchmark builds them
// (bench/scale_bench.cpp, make_streams): a Pejabat Fungsional or pelaksana
// assigned to another unit organisasi of its perangkat daerah, with the four
// steps complete_steps finds ("penugasan complete", allowed), and the same
// with only its first two ("penugasan incomplete": steps still to take).
std::map<std::string, std::vector<nlohmann::json>> penugasan_queries(const perwal::evaluator& ev) {
  const auto& g = ev.org();
  const auto fungsional = ev.rules().vocab.find(perwal::category::jenis, "fungsional");
  const auto pelaksana = ev.rules().vocab.find(perwal::category::jenis, "pelaksana");
  const auto& units = g.units();
  std::map<std::pair<perwal::org::index, perwal::org::index>, nlohmann::json> steps_of;
  std::map<std::string, std::vector<nlohmann::json>> out;
  for (const auto& p : g.positions()) {
    if (p.jenis != fungsional && p.jenis != pelaksana) continue;
    const auto& own = units[p.unit];
    if (own.perangkat_daerah == perwal::org::none || own.unit_organisasi == perwal::org::none) continue;
    perwal::org::index other = perwal::org::none;
    const auto [first, last] = g.positions_under(own.perangkat_daerah);
    for (const auto* q = first; q != last && other == perwal::org::none; ++q) {
      const auto uo = units[g.positions()[*q].unit].unit_organisasi;
      if (uo != perwal::org::none && uo != own.unit_organisasi && uo != own.perangkat_daerah) other = uo;
    }
    if (other == perwal::org::none) continue;
    nlohmann::json query = {{"type", "penugasan"},
                            {"mode", "penunjukan"},
                            {"assignee", std::string(p.id)},
                            {"owner_unit", std::string(units[other].id)},
                            {"steps", nlohmann::json::array()}};
    const std::pair key{p.unit, other};
    if (const auto known = steps_of.find(key); known != steps_of.end()) {
      query["steps"] = known->second;
    } else {
      query = perwal::explore::complete_steps(ev, query, 8);
      steps_of[key] = query["steps"];
    }
    perwal::diagnostics errs;
    const auto d = ev.check(query, errs);
    if (!d || d->result != perwal::outcome::allowed || query["steps"].size() != 4) continue;
    out["penugasan complete"].push_back(query);
    auto& steps = query["steps"];
    steps.erase(steps.begin() + 2, steps.end());
    out["penugasan incomplete"].push_back(std::move(query));
  }
  return out;
}

// What the steps still to take own: each non-empty list of candidates.
std::size_t next_step_lists(const perwal::decision& d) {
  std::size_t n = 0;
  for (const auto& s : d.next) {
    n += (s.by.empty() ? 0 : 1) + (s.from.empty() ? 0 : 1) + (s.to.empty() ? 0 : 1) + (s.cc.empty() ? 0 : 1);
    for (const auto& one : s.cc) n += one.empty() ? 0 : 1;
  }
  return n;
}

// Checks every query twice into `d` (the first pass grows the decision's and
// the thread's query lists) and hands each check of the second pass that
// found nothing to `on_clean(decision, allocations, bytes)`; returns how many
// found something (a finding owns its org path, so it allocates).
template <class OnClean>
std::size_t check_twice(const perwal::evaluator& ev, const std::vector<nlohmann::json>& qs, perwal::decision& d,
                        OnClean on_clean) {
  std::size_t with_findings = 0;
  for (int pass = 0; pass < 2; ++pass) {
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
      on_clean(d, after.count - before.count, after.bytes - before.bytes);
    }
  }
  return with_findings;
}

}  // namespace

TEST_CASE("kedudukan and pelaporan checks allocate nothing once the decision is reused") {
  const world w;
  const perwal::evaluator ev(w.rules, w.org, false);  // no trace, as a server answers
  perwal::decision d;
  for (const auto& [kind, qs] : queries(*w.org, *w.rules)) {
    REQUIRE(qs.size() > 1000);
    // A check that finds something allocates its finding: counted apart,
    // and only the others must allocate nothing.
    std::size_t clean = 0, clean_allocs = 0, clean_bytes = 0;
    const auto with_findings = check_twice(ev, qs, d, [&](const perwal::decision&, std::size_t n, std::size_t bytes) {
      ++clean;
      clean_allocs += n;
      clean_bytes += bytes;
    });
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

TEST_CASE("penugasan checks allocate only the steps still to take, with their steps read in place") {
  const world w;
  const perwal::evaluator ev(w.rules, w.org, false);
  perwal::decision d;
  for (const auto& [kind, qs] : penugasan_queries(ev)) {
    REQUIRE(qs.size() > 100);
    // Allocations beyond the lists of the steps still to take (the decision
    // owns them, as a finding owns its path): none.
    std::size_t clean = 0, next_steps = 0, extra_allocs = 0;
    const auto with_findings = check_twice(ev, qs, d, [&](const perwal::decision& dd, std::size_t n, std::size_t) {
      ++clean;
      next_steps += dd.next.size();
      extra_allocs += n - next_step_lists(dd);
    });
    INFO(kind << ": " << clean << " checks found nothing, " << with_findings << " found something, " << next_steps
              << " steps still to take");
    CHECK(clean == qs.size());  // every one was built to be allowed, or allowed so far
    CHECK(extra_allocs == 0);
    if (kind == "penugasan complete") CHECK(next_steps == 0);
    if (kind == "penugasan incomplete") CHECK(next_steps == 2 * qs.size());
  }
}

TEST_CASE("tim checks of the org's teams allocate nothing: the team's lists are not copied") {
  const world w;
  const perwal::evaluator ev(w.rules, w.org, false);
  REQUIRE(w.org->teams().size() > 5);
  perwal::decision d;
  std::vector<nlohmann::json> qs;
  for (const auto& t : w.org->teams()) qs.push_back({{"type", "tim"}, {"team", std::string(t.id)}});
  std::size_t clean = 0, clean_allocs = 0, clean_bytes = 0;
  (void)check_twice(ev, qs, d, [&](const perwal::decision&, std::size_t n, std::size_t bytes) {
    ++clean;
    clean_allocs += n;
    clean_bytes += bytes;
  });
  INFO(clean << " of " << w.org->teams().size() << " teams found nothing");
  CHECK(clean > w.org->teams().size() / 2);
  CHECK(clean_allocs == 0);
  CHECK(clean_bytes == 0);
}
