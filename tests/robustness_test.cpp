// Bad input never crashes: mutated rulesets, orgs and queries give
// diagnostics or errors, never an exception escaping or a sanitizer report.
#include <catch2/catch.hpp>
#include <random>

#include "engine/compile/ruleset.hpp"
#include "engine/eval/evaluator.hpp"
#include "test_support.hpp"

using perwal::testing::slurp;
using perwal::testing::source_dir;

namespace {

// Deletes, duplicates or overwrites a short random slice of `text`.
std::string mutate(std::string text, std::mt19937& rng) {
  if (text.empty()) return text;
  std::uniform_int_distribution<std::size_t> pos(0, text.size() - 1);
  std::uniform_int_distribution<int> kind(0, 3), len(1, 12);
  const std::size_t at = pos(rng);
  const std::size_t n = std::min<std::size_t>(static_cast<std::size_t>(len(rng)), text.size() - at);
  switch (kind(rng)) {
    case 0:
      text.erase(at, n);
      break;
    case 1:
      text.insert(at, text.substr(at, n));
      break;
    case 2:
      text.insert(at, std::string(n, "{}[]\"(),.:|>=#9"[at % 15]));
      break;
    default:
      text.replace(at, n, std::string(n, 'x'));
      break;
  }
  return text;
}

// The bundled fixture, compiled against `rules`.
std::shared_ptr<const perwal::org::org_graph> padang_panjang_org(const perwal::compiled_ruleset& rules) {
  perwal::diagnostics errs;
  auto org = perwal::org::org_graph::load(slurp(source_dir() / "fixtures/padang-panjang/org.json"), "org.json",
                                          rules.vocab, rules.shape, errs);
  REQUIRE(org);
  return org;
}

}  // namespace

TEST_CASE("mutated rulesets give diagnostics, not crashes", "[robustness]") {
  const auto original = slurp(source_dir() / "rulesets/padang-panjang-48-2024.perwal");
  std::mt19937 rng(48);
  std::size_t rejected = 0;
  for (int i = 0; i < 150; ++i) {
    const auto text = mutate(original, rng);
    perwal::diagnostics diags;
    std::shared_ptr<const perwal::compiled_ruleset> rules;
    REQUIRE_NOTHROW(rules = perwal::compile_ruleset_text("mutated.perwal", text, source_dir() / "rulesets", diags));
    if (!rules) {
      ++rejected;
      REQUIRE(diags.has_errors());
      // Every error points into a file at a line.
      for (const auto& d : diags.items()) CHECK(d.at.range.file != nullptr);
    }
  }
  CHECK(rejected > 0);
}

TEST_CASE("huge numbers in a ruleset are diagnosed", "[robustness]") {
  perwal::diagnostics diags;
  auto rules = perwal::compile_ruleset_text(
      "big.perwal", "ruleset big { title \"t\" cite_as \"B\" year 99999999999999999999 extends permenpanrb-7-2022 }",
      source_dir() / "rulesets", diags);
  CHECK_FALSE(rules);
  CHECK_THAT(perwal::render(diags), Catch::Contains("big.perwal:1:42: error: expected a whole number"));
}

TEST_CASE("mutated queries give errors or decisions, not crashes", "[robustness]") {
  perwal::diagnostics diags;
  auto rules = perwal::compile_ruleset(source_dir() / "rulesets/padang-panjang-48-2024.perwal", diags);
  REQUIRE(rules);
  perwal::evaluator ev(rules, padang_panjang_org(*rules));
  const std::string seed = R"({"type": "penugasan", "mode": "penunjukan", "assignee": "pp.dinkes.analis-2",
    "owner_unit": "pp.setda.bag-org", "assigned_by": "pp.dinkes.kabid-p2p", "team": {"id": "pp.tim-rb", "role": "anggota"},
    "steps": [{"action": "surat_permohonan_pelibatan", "from": "pp.kabag-org", "to": "pp.dinkes.kabid-p2p",
               "cc": ["pp.asisten-adm"], "contents": ["maksud_tujuan", "kompetensi", "target_kinerja", "durasi"]},
              {"action": "persetujuan", "by": "pp.dinkes.kabid-p2p"}, {"action": "penolakan", "by": "pp.kabag-org"}]})";
  std::mt19937 rng(7);
  std::size_t parsed = 0;
  for (int i = 0; i < 400; ++i) {
    const auto text = mutate(seed, rng);
    const auto q = nlohmann::json::parse(text, nullptr, false);
    if (q.is_discarded()) continue;
    ++parsed;
    perwal::diagnostics qerrs;
    std::optional<perwal::decision> d;
    REQUIRE_NOTHROW(d = ev.check(q, qerrs));
    CHECK(d.has_value() != qerrs.has_errors());
  }
  CHECK(parsed > 20);
}

TEST_CASE("absurdly deep nesting is refused, not a stack overflow", "[robustness]") {
  const std::string text =
      "ruleset deep { title \"t\" cite_as \"D\" extends permenpanrb-7-2022 }\n"
      "rule r.x wajib on tim { cite Pasal 1 require " +
      std::string(100000, '(') + "true" + std::string(100000, ')') + " message \"m\" }\n";
  perwal::diagnostics diags;
  auto rules = perwal::compile_ruleset_text("deep.perwal", text, source_dir() / "rulesets", diags);
  CHECK_FALSE(rules);
  CHECK_THAT(perwal::render(diags), Catch::Contains("deep.perwal:2:246: error: nested deeper than 200 levels"));
}

// Each construct the grammar recurses through, 10,000 deep: a diagnostic at
// the level that goes past the bound, never a stack overflow.
TEST_CASE("deep nesting through any recursive rule is refused with its place", "[robustness][hardening]") {
  const std::string head = "ruleset deep { title \"t\" cite_as \"D\" extends permenpanrb-7-2022 }\n";
  const auto refused = [&](const std::string& body) {
    perwal::diagnostics diags;
    auto rules = perwal::compile_ruleset_text("deep.perwal", head + body, source_dir() / "rulesets", diags);
    CHECK_FALSE(rules);
    return perwal::render(diags);
  };
  std::string nots;
  for (int i = 0; i < 10000; ++i) nots += "not ";
  CHECK_THAT(refused("rule r.x wajib on tim { cite Pasal 1 require " + nots + "true message \"m\" }\n"),
             Catch::Contains("deep.perwal:2:846: error: nested deeper than 200 levels"));
  CHECK_THAT(refused("rule r.x wajib on tim { cite Pasal 1 require 1 in " + std::string(10000, '[') + "1" +
                     std::string(10000, ']') + " message \"m\" }\n"),
             Catch::Contains("error: nested deeper than 200 levels"));
  // brackets behind '#' inside an example's JSON query are JSON, not a comment
  CHECK_THAT(refused("example \"e\" {\n  query {\"type\": \"tim\", \"x\": \"#\", \"y\": # " + std::string(10000, '[') +
                     std::string(10000, ']') + "}\n}\n"),
             Catch::Contains("error: nested deeper than 200 levels"));
  CHECK_THAT(refused("example \"e\" {\n  query {\"type\": \"tim\" // " + std::string(10000, '{') +
                     std::string(10000, '}') + "}\n}\n"),
             Catch::Contains("error: nested deeper than 200 levels"));
}

TEST_CASE("rules that ask about themselves terminate", "[robustness]") {
  // A table condition that needs the appraiser, which needs the table.
  const std::string text = R"(ruleset loop { title "t" cite_as "L" extends permenpanrb-7-2022 }
kedudukan kedudukan.dinas wajib for dinas when position.penilai.jenis >= pengawas {
  cite Lampiran II
  under kepala_bidang level 2
}
rule delegasi.ulang wajib on delegasi {
  cite Pasal 1
  require delegation.to.delegated(penilai_kinerja) or true
  message "m"
})";
  perwal::diagnostics diags;
  auto rules = perwal::compile_ruleset_text("loop.perwal", text, source_dir() / "rulesets", diags);
  INFO(perwal::render(diags));
  REQUIRE(rules);
  perwal::evaluator ev(rules, padang_panjang_org(*rules));
  const auto d = ev.audit();
  CHECK(d.checked.value_or(0) > 2500);
}
