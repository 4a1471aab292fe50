// `perwal diff`: the classification of each difference, and a distinguishing
// scenario that really separates the two rulesets when re-checked.
#include "engine/explore/diff.hpp"

#include <chrono>
#include <fstream>

#include "engine/eval/evaluator.hpp"
#include "explore_support.hpp"

using json = nlohmann::json;
using perwal::testing::bundled;
using perwal::testing::compile_text;
using perwal::testing::replace_after;

namespace {

const std::string pp_id = "padang-panjang-48-2024";

std::string pp_text() {
  return perwal::testing::slurp(perwal::testing::source_dir() / "rulesets" / (pp_id + ".perwal"));
}

const perwal::explore::diff_entry* entry(const perwal::explore::diff_report& r, const std::string& name) {
  for (const auto& e : r.entries) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

bool has_change(const perwal::explore::diff_entry& e, const std::string& what, const std::string& how) {
  return std::any_of(e.changes.begin(), e.changes.end(),
                     [&](const perwal::explore::change& c) { return c.what == what && c.how == how; });
}

// Re-checks a scenario with both rulesets: each must decide as the report says.
void recheck(const perwal::explore::scenario& s, const std::shared_ptr<const perwal::compiled_ruleset>& a,
             const std::shared_ptr<const perwal::compiled_ruleset>& b) {
  INFO(s.query.dump());
  CHECK(s.a != s.b);
  for (const auto& [rules, expect] : {std::pair{a, s.a}, std::pair{b, s.b}}) {
    perwal::diagnostics errs;
    auto org = perwal::org::org_graph::load(s.org, rules->vocab, rules->shape, errs);
    REQUIRE(org);
    perwal::diagnostics qerrs;
    const auto d = perwal::evaluator(rules, org, false).check(s.query, qerrs);
    if (expect.outcome == "bad_query") {
      CHECK_FALSE(d);
      continue;
    }
    REQUIRE(d);
    CHECK(perwal::explore::signature_of(*d) == expect);
  }
}

}  // namespace

TEST_CASE("diff: national base vs Padang Panjang", "[diff]") {
  const auto base = bundled("permenpanrb-7-2022");
  const auto pp = bundled(pp_id);
  const auto started = std::chrono::steady_clock::now();
  const auto r = perwal::explore::diff(base, pp, {"base", "pp"});
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  CHECK(seconds < 60);  // about 1 s in a release build; sanitizer builds are slower
  CHECK(r.semantic_differences() > 0);
  CHECK(r.search.queries > 1000);
  const auto* dinas = entry(r, "kedudukan.dinas");
  REQUIRE(dinas);
  CHECK(dinas->status == "added");
  CHECK(dinas->citation_b.find("Lampiran II angka I huruf D angka 1") != std::string::npos);
  const auto* subjek = entry(r, "penugasan.subjek");
  REQUIRE(subjek);
  CHECK(subjek->status == "changed");
  CHECK(has_change(*subjek, "require", "changed"));
  const auto* individu = entry(r, "pelaporan.individu");
  REQUIRE(individu);
  CHECK(individu->status == "unchanged");
  CHECK(individu->citation_changed);
  const auto* scope = entry(r, "scope");
  REQUIRE(scope);
  CHECK(scope->status == "changed");
  std::size_t with_scenario = 0;
  for (const auto& e : r.entries) {
    if (!e.example) continue;
    ++with_scenario;
    recheck(*e.example, base, pp);
  }
  CHECK(with_scenario > 10);
  REQUIRE(dinas->example);
  CHECK(dinas->example->trimmed);
  const auto j = perwal::explore::to_json(r);
  CHECK(j["summary"]["semantic_differences"].get<std::size_t>() == r.semantic_differences());
  CHECK(j["entries"].is_array());
}

TEST_CASE("diff: a weakened kedudukan table", "[diff]") {
  const auto pp = bundled(pp_id);
  const auto copy = compile_text("copy.perwal", replace_after(pp_text(), "kedudukan kedudukan.dinas wajib",
                                                              "kedudukan.dinas wajib", "kedudukan.dinas diutamakan"));
  const auto r = perwal::explore::diff(pp, copy, {"a", "b"});
  CHECK(r.semantic_differences() == 1);
  CHECK(r.key_a != r.key_b);  // same ruleset id on both sides
  const auto* e = entry(r, "kedudukan.dinas");
  REQUIRE(e);
  CHECK(e->status == "changed");
  CHECK(has_change(*e, "strength", "weakened"));
  REQUIRE(e->example);
  CHECK(e->example->a.outcome == "denied");
  CHECK(e->example->b.outcome == "allowed");
  CHECK(e->example->b.warnings == std::vector<std::string>{"kedudukan.dinas"});
  recheck(*e->example, pp, copy);
}

TEST_CASE("diff: a workflow step removed", "[diff]") {
  const auto pp = bundled(pp_id);
  const auto copy = compile_text(
      "copy.perwal", replace_after(pp_text(), "workflow penugasan.penunjukan.lintas_unit wajib",
                                   "step rekomendasi rekomendasi { by assignee.pimpinan_unit", "# removed {"));
  const auto r = perwal::explore::diff(pp, copy, {"a", "b"});
  const auto* e = entry(r, "penugasan.penunjukan.lintas_unit");
  REQUIRE(e);
  CHECK(e->status == "changed");
  CHECK(has_change(*e, "steps", "removed"));
  REQUIRE(e->example);
  recheck(*e->example, pp, copy);
  // the copy accepts the shorter sequence the original still needs a step for
  CHECK(e->example->b.outcome == "allowed");
  CHECK(e->example->a.outcome != "allowed");
}

TEST_CASE("diff: a kedudukan entry removed", "[diff]") {
  const auto pp = bundled(pp_id);
  const auto copy =
      compile_text("copy.perwal", replace_after(pp_text(), "kedudukan kedudukan.dinas wajib",
                                                "  under kepala_bidang level 2 penilai pimpinan_unit\n", ""));
  const auto r = perwal::explore::diff(pp, copy, {"a", "b"});
  const auto* e = entry(r, "kedudukan.dinas");
  REQUIRE(e);
  CHECK(e->status == "changed");
  CHECK(has_change(*e, "under", "removed"));
  REQUIRE(e->example);
  recheck(*e->example, pp, copy);
  CHECK(e->example->a.outcome == "allowed");
  CHECK(e->example->b.outcome == "denied");
}

TEST_CASE("diff: a workflow renamed is matched by mode and contract scopes", "[diff]") {
  const auto pp = bundled(pp_id);
  std::string text = pp_text();
  const std::string from = "penugasan.penunjukan.lintas_instansi";
  REQUIRE(text.find("workflow " + from) != std::string::npos);
  // the workflow and the examples that name its rules
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at))
    text.replace(at, from.size(), "penugasan.penunjukan.antar_instansi");
  const auto r = perwal::explore::diff(pp, compile_text("copy.perwal", text), {"a", "b"});
  const auto* e = entry(r, "penugasan.penunjukan.lintas_instansi");
  REQUIRE(e);
  CHECK(e->name_b == "penugasan.penunjukan.antar_instansi");
  CHECK(e->status == "unchanged");
  CHECK_FALSE(entry(r, "penugasan.penunjukan.antar_instansi"));
}

TEST_CASE("diff: identical rulesets have no semantic difference", "[diff]") {
  const auto pp = bundled(pp_id);
  const auto again = bundled(pp_id);
  const auto r = perwal::explore::diff(pp, again, {"a", "b"});
  CHECK(r.semantic_differences() == 0);
  CHECK(r.search.queries == 0);  // nothing to search for
}

TEST_CASE("diff: exit codes and formats on the command line", "[diff][cli]") {
  const std::string pp = "rulesets/" + pp_id + ".perwal";
  auto same = perwal::testing::perwal_cli("diff " + pp + " " + pp);
  CHECK(same.status == 0);
  auto differ = perwal::testing::perwal_cli("diff rulesets/permenpanrb-7-2022.perwal " + pp + " --format json");
  CHECK(differ.status == 1);
  const auto j = json::parse(differ.out);
  CHECK(j["a"]["ruleset"] == "permenpanrb-7-2022");
  bool pasteable = false;
  for (const auto& e : j["entries"]) {
    if (e.contains("scenario") && e["scenario"].is_object()) {
      pasteable = e["scenario"]["org"]["schema"] == "perwal-org/1" && e["scenario"]["expect"].size() == 2;
      break;
    }
  }
  CHECK(pasteable);
  auto text = perwal::testing::perwal_cli("diff rulesets/permenpanrb-7-2022.perwal " + pp + " --lang en");
  CHECK(text.status == 1);
  CHECK_THAT(text.out, Catch::Contains("Distinguishing scenario"));
  CHECK_THAT(text.out, Catch::Contains("Search: 1 org(s)"));
  auto bad = perwal::testing::perwal_cli("diff tests/data/diff/broken.perwal " + pp, true);
  CHECK(bad.status == 2);
  CHECK_THAT(bad.out, Catch::Contains("tests/data/diff/broken.perwal:"));
  CHECK(perwal::testing::perwal_cli("diff " + pp).status == 2);
}
