// The bounded org universe: generated orgs load under the rulesets, cover the
// kinds they define, stay small and deterministic; penugasan steps complete
// from `next`; trimmed orgs keep the decision.
#include <set>

#include "engine/eval/evaluator.hpp"
#include "engine/explore/universe.hpp"
#include "explore_support.hpp"

using json = nlohmann::json;
using perwal::testing::bundled;

TEST_CASE("universe: one org, two instansi, every perangkat daerah kind, small and deterministic", "[explore]") {
  const auto pp = bundled("padang-panjang-48-2024");
  const auto orgs = perwal::explore::build_universe({pp.get()});
  REQUIRE(orgs.size() == 1);
  const auto doc = perwal::org::to_json(orgs[0].spec);
  CHECK(doc["instansi"].size() == 2);
  CHECK(doc["positions"].size() < 500);
  std::set<std::string> kinds;
  for (const auto& u : doc["units"]) kinds.insert(u["kind"].get<std::string>());
  for (auto k : pp->shape.perangkat_daerah_kinds) CHECK(kinds.count(pp->vocab.name(k)) == 1);
  // a UPTD led by a pengawas and one led by a fungsional
  std::set<std::string> uptd_heads;
  for (const auto& p : doc["positions"]) {
    if (p["kind"] == "kepala_uptd") uptd_heads.insert(p["jenis"].get<std::string>());
  }
  CHECK(uptd_heads == std::set<std::string>{"fungsional", "pengawas"});
  CHECK(doc["delegations"].size() > 1);
  CHECK(perwal::explore::delegation_orgs(orgs[0]).size() == 5);
  CHECK(doc["teams"].size() > 3);
  CHECK(perwal::org::to_json(perwal::explore::build_universe({pp.get()})[0].spec) == doc);
  CHECK(perwal::explore::load(orgs[0], *pp) != nullptr);
  const auto base = bundled("permenpanrb-7-2022");
  CHECK(perwal::explore::load(perwal::explore::build_universe({base.get(), pp.get()})[0], *base) != nullptr);
}

TEST_CASE("universe: queries of every type, in families", "[explore]") {
  const auto pp = bundled("padang-panjang-48-2024");
  const auto orgs = perwal::explore::build_universe({pp.get()});
  const auto families = perwal::explore::enumerate_queries(orgs[0], {pp.get()});
  std::set<std::string> types;
  std::size_t queries = 0;
  for (const auto& f : families) {
    types.insert(f.type);
    queries += f.queries.size();
    for (const auto& q : f.queries) CHECK(q["type"] == f.type);
  }
  CHECK(types == std::set<std::string>{"kedudukan", "pelaporan", "penugasan", "tim"});
  CHECK(queries < 50000);
}

TEST_CASE("next names what a missing step needs, and steps complete from it", "[explore]") {
  const auto pp = bundled("padang-panjang-48-2024");
  const auto orgs = perwal::explore::build_universe({pp.get()});
  const auto graph = perwal::explore::load(orgs[0], *pp);
  REQUIRE(graph);
  perwal::evaluator ev(pp, graph, false);
  // lintas unit organisasi: a letter from the owner's unit head, to the assignee's appraiser, with a copy
  const json q = {{"type", "penugasan"},
                  {"mode", "penunjukan"},
                  {"assignee", "a.dinas.bid1.fp"},
                  {"owner_unit", "a.setda.bag1"},
                  {"steps", json::array()}};
  perwal::diagnostics errors;
  const auto d = perwal::testing::check(ev, q, errors);
  REQUIRE(d);
  REQUIRE(d->outcome == "incomplete");
  const auto& j = d->json;
  const auto& first = j["next"][0];
  CHECK(first["action"] == "surat_permohonan_pelibatan");
  CHECK(first["from"] == json::array({"a.setda.bag1.kepala"}));
  CHECK(first["to"] == json::array({"a.dinas.bid1.kepala"}));
  REQUIRE(first["cc"].size() == 1);
  CHECK(first["cc"][0] == json::array({"a.setda.asisten1.kepala"}));
  CHECK(first["contents"].size() == 4);
  CHECK(j["next"][0]["to"] == json::array({"a.dinas.bid1.kepala"}));
  CHECK(j["next"][0]["contents"].size() == 4);
  CHECK_FALSE(j["next"][1].contains("to"));  // persetujuan names no addressee

  const auto full = perwal::explore::complete_steps(ev, q, 16);
  CHECK(full["steps"].size() == 4);
  const auto done = perwal::testing::check(ev, full, errors);
  REQUIRE(done);
  CHECK(done->outcome == "allowed");
}

TEST_CASE("a trimmed org keeps what the query needs", "[explore]") {
  const auto pp = bundled("padang-panjang-48-2024");
  const auto orgs = perwal::explore::build_universe({pp.get()});
  const json q = {{"type", "kedudukan"}, {"position", "a.dinas.bid1.fp"}, {"atasan", "a.dinas.bid1.kepala"}};
  const auto small = perwal::explore::trim_org(orgs[0].spec, q);
  CHECK(small.positions.size() < 10);
  perwal::diagnostics errs;
  auto graph = perwal::org::build(small, pp->vocab, pp->shape, errs);
  REQUIRE(graph);
  perwal::evaluator ev(pp, graph, false);
  perwal::diagnostics qerrs;
  const auto d = perwal::testing::check(ev, q, qerrs);
  REQUIRE(d);
  CHECK(d->outcome == "allowed");
}

TEST_CASE("universe: a ruleset's tags and team fields are generated", "[explore]") {
  const auto r = perwal::testing::compile_text("uji.perwal", R"(
ruleset uji-tag { title "Uji" cite_as "Perwal Uji" number "1" year 2024 region "Uji" status draft extends permenpanrb-7-2022 }
fields team { lengkap boolean }
kedudukan kedudukan.badan_khusus wajib for badan when pd.has_tag("urusan:khusus") {
  cite Pasal 1
  under sekretaris level 2 penilai
}
rule tim.keputusan wajib on tim {
  cite Pasal 2
  when team.field("keputusan") is not null
  require team.field("keputusan").nomor is not null and team.field("lengkap") == true
  message "Keputusan tim lengkap" en "The team decree is complete"
}
)");
  const auto orgs = perwal::explore::build_universe({r.get()});
  bool tagged = false;
  for (const auto& u : orgs[0].spec.units) {
    tagged = tagged || (u.tags == std::vector<std::string>{"urusan:khusus"} && u.kind == "badan");
  }
  CHECK(tagged);
  CHECK(orgs[0].team_fields["keputusan"]["nomor"].is_string());
  CHECK(orgs[0].team_fields["lengkap"] == true);
}

TEST_CASE("universe orgs are specs: built, they are the orgs their documents load", "[explore]") {
  const auto pp = bundled("padang-panjang-48-2024");
  const auto base = bundled("permenpanrb-7-2022");
  const auto orgs = perwal::explore::build_universe({base.get(), pp.get()});
  REQUIRE(orgs.size() == 1);
  const auto same = [](const perwal::org::spec& s, const perwal::compiled_ruleset& r) {
    perwal::diagnostics errs;
    const auto built = perwal::org::build(s, r.vocab, r.shape, errs);
    const auto loaded = perwal::org::org_graph::load(perwal::org::to_json(s), r.vocab, r.shape, errs);
    INFO(perwal::testing::error_text(errs));
    REQUIRE(built);
    REQUIRE(loaded);
    CHECK(built->canonical_dump() == loaded->canonical_dump());
  };
  for (const auto* r : {base.get(), pp.get()}) {
    same(orgs[0].spec, *r);
    for (const auto& small : perwal::explore::delegation_orgs(orgs[0])) {
      CHECK(small.delegations.size() == 1);
      same(small, *r);
    }
  }
  const json q = {{"type", "tim"}, {"team", orgs[0].spec.teams.at(0).id}};
  const auto small = perwal::explore::trim_org(orgs[0].spec, q);
  REQUIRE(small.teams.size() == 1);
  same(small, *pp);
  const auto printed = perwal::explore::trimmed_json(small);
  CHECK_FALSE(printed.contains("employees"));
  CHECK(printed["teams"][0] == perwal::org::to_json(orgs[0].spec.teams[0]));
}
