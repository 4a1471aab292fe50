// Decisions are data, text is rendering: one decision renders in either
// language, each message entry exists in both, and no output mixes them.
#include "engine/eval/render.hpp"

#include <catch2/catch.hpp>
#include <regex>
#include <set>

#include "engine/eval/messages.hpp"
#include "tests/test_support.hpp"

namespace {

using json = nlohmann::json;

std::set<std::string> placeholders(std::string_view text) {
  std::set<std::string> out;
  const std::string s(text);
  const std::regex name(R"(\{([a-z_]+)\})");
  for (auto it = std::sregex_iterator(s.begin(), s.end(), name); it != std::sregex_iterator(); ++it) {
    out.insert((*it)[1]);
  }
  return out;
}

struct padang_panjang {
  std::shared_ptr<const perwal::compiled_ruleset> rules;
  std::shared_ptr<const perwal::org::org_graph> org;
  padang_panjang() {
    perwal::diagnostics diags;
    rules = perwal::compile_ruleset(perwal::testing::source_dir() / "rulesets/padang-panjang-48-2024.perwal", diags);
    REQUIRE(rules);
    perwal::diagnostics errs;
    const auto path = perwal::testing::source_dir() / "fixtures/padang-panjang/org.json";
    org = perwal::org::org_graph::load(perwal::testing::slurp(path), path.string(), rules->vocab, rules->shape, errs);
    REQUIRE(org);
  }
};

}  // namespace

TEST_CASE("every sentence of a decision is in the catalogue, in both languages, with the same placeholders",
          "[render]") {
  for (const auto m : perwal::messages::all) {
    const auto* e = perwal::find_message(m);
    INFO(m);
    REQUIRE(e);
    CHECK(e->code.empty());  // a sentence, not a diagnostic
    CHECK_FALSE(e->id_text.empty());
    CHECK_FALSE(e->en.empty());
    CHECK(placeholders(e->id_text) == placeholders(e->en));
  }
  CHECK(perwal::render_named(perwal::messages::refused, perwal::lang::en, {{"by", "x.kabid"}, {"reason", "busy"}}) ==
        "The request was refused by x.kabid: busy");
  CHECK(perwal::render_named(perwal::messages::refused, perwal::lang::id, {{"by", "x.kabid"}, {"reason", "sibuk"}}) ==
        "Permohonan ditolak oleh x.kabid: sibuk");
}

TEST_CASE("one decision renders in Indonesian and in English, never mixed", "[render]") {
  padang_panjang pp;
  const perwal::evaluator ev(pp.rules, pp.org);
  perwal::diagnostics errors;
  // A kedudukan under the wrong atasan, and a workflow with a missing step and a wrong actor.
  const auto queries = {
      json{{"type", "kedudukan"}, {"position", "pp.dispangtan.penyuluh-pertanian-15"}},
      json::parse(R"({"type": "penugasan", "mode": "penunjukan", "assignee": "pp.dinkes.analis-2",
          "owner_unit": "pp.setda.bag-org", "assigned_by": "pp.kabag-org",
          "steps": [{"action": "persetujuan", "by": "pp.kabag-org"}, {"action": "surat_penugasan", "by": "pp.kabag-org"}]})"),
  };
  for (const auto& q : queries) {
    INFO(q.dump());
    const auto d = ev.check(q, errors);
    REQUIRE(d);
    REQUIRE_FALSE(d->violations.empty());
    const auto in_id = perwal::to_text(*d, {*pp.rules, *pp.org, perwal::lang::id}, true);
    const auto in_en = perwal::to_text(*d, {*pp.rules, *pp.org, perwal::lang::en}, true);
    INFO(in_id << "\n----\n" << in_en);
    CHECK(in_id.find("Keputusan: DITOLAK") != std::string::npos);
    CHECK(in_en.find("Decision: DENIED") != std::string::npos);
    // Words only the other language's catalogue uses.
    for (const char* english :
         {"broken: ", "held: ", "not applicable: ", "Article: ", "Fix: ", " should be ", " is outside "}) {
      CHECK(in_id.find(english) == std::string::npos);
    }
    for (const char* indonesian :
         {"dilanggar: ", "terpenuhi: ", "tidak berlaku: ", "Pasal: ", "Perbaikan: ", "seharusnya", "berada di luar"}) {
      CHECK(in_en.find(indonesian) == std::string::npos);
    }
    // The language lives only in the text: the JSON's data fields agree.
    const auto j_id = perwal::to_json(*d, {*pp.rules, *pp.org, perwal::lang::id});
    const auto j_en = perwal::to_json(*d, {*pp.rules, *pp.org, perwal::lang::en});
    CHECK(j_id["decision"] == j_en["decision"]);
    REQUIRE(j_id["violations"].size() == j_en["violations"].size());
    for (std::size_t i = 0; i < j_id["violations"].size(); ++i) {
      for (const char* field : {"rule", "strength", "citation", "path"}) {
        CHECK(j_id["violations"][i][field] == j_en["violations"][i][field]);
      }
    }
  }
}

TEST_CASE("a decision refers to compiled rules and org nodes, not to text", "[render]") {
  padang_panjang pp;
  const perwal::evaluator ev(pp.rules, pp.org);
  perwal::diagnostics errors;
  const auto d = ev.check(json{{"type", "kedudukan"}, {"position", "pp.dispangtan.penyuluh-pertanian-15"}}, errors);
  REQUIRE(d);
  CHECK(d->result == perwal::outcome::denied);
  REQUIRE(d->violations.size() == 1);
  const auto& f = d->violations[0];
  CHECK(f.rule->name == "kedudukan.dinas");
  const auto* misplaced = std::get_if<perwal::found::misplaced>(&f.detail);
  REQUIRE(misplaced);
  CHECK(misplaced->what == perwal::found::misplaced::problem::wrong_kind);
  CHECK(std::string(pp.org->positions()[misplaced->position].id) == "pp.dispangtan.penyuluh-pertanian-15");
  REQUIRE(f.path.size() == 2);
  CHECK(f.path[0].what == perwal::node_ref::kind::position);
  // Every event of the trace renders to a line.
  CHECK(perwal::trace_lines(*d, {*pp.rules, *pp.org, perwal::lang::en}).size() == d->trace.size());
}
