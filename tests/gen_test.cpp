// The synthetic org generator (engine/gen): deterministic bytes, an org every
// bundled ruleset loads, and planted violations that an audit under Perwal
// Kota Padang Panjang 48/2024 finds exactly, no more and no fewer.
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "engine/compile/ruleset.hpp"
#include "engine/eval/evaluator.hpp"
#include "engine/gen/org_gen.hpp"
#include "test_support.hpp"

namespace {

using perwal::gen::options;
using perwal::gen::scale;

std::shared_ptr<const perwal::compiled_ruleset> ruleset(const std::string& file) {
  perwal::diagnostics diags;
  auto r = perwal::compile_ruleset((perwal::testing::source_dir() / "rulesets" / file).string(), diags);
  REQUIRE(r != nullptr);
  return r;
}

// The ruleset the planted violations target.
const perwal::compiled_ruleset& padang_panjang() {
  static const auto rules = ruleset("padang-panjang-48-2024.perwal");
  return *rules;
}

std::string generate(const options& o, perwal::gen::report* rep = nullptr) {
  std::ostringstream out;
  auto r = perwal::gen::generate(o, out);
  if (rep) *rep = std::move(r);
  return out.str();
}

options city(std::uint64_t seed, std::uint32_t per_10k) {
  options o;
  o.scale = scale::city;
  o.seed = seed;
  o.violations_per_10k = per_10k;
  o.rules = &padang_panjang();
  return o;
}

std::shared_ptr<const perwal::org::org_graph> load(const std::string& text, const perwal::compiled_ruleset& r) {
  perwal::diagnostics errors;
  auto org = perwal::org::org_graph::load(text, "generated.json", r.vocab, r.shape, errors);
  UNSCOPED_INFO(perwal::testing::error_text(errors));
  REQUIRE(errors.empty());
  REQUIRE(org != nullptr);
  return org;
}

// Audits under Padang Panjang 48/2024 and compares with the report: the total,
// each rule's count, the checked items and the sample ids.
void check_exact(const options& o) {
  perwal::gen::report rep;
  const auto text = generate(o, &rep);
  static const auto rules = ruleset("padang-panjang-48-2024.perwal");
  const perwal::evaluator ev(rules, load(text, *rules), false);
  const auto d = perwal::testing::view(ev.audit(), ev);
  std::map<std::string, std::uint64_t> by_rule;
  std::set<std::string> on_paths;
  for (const auto& v : d.violations) {
    ++by_rule[v.rule];
    on_paths.insert(v.path.begin(), v.path.end());
  }
  INFO("seed " << o.seed << ", " << o.violations_per_10k << " per 10k, scale " << perwal::gen::scale_name(o.scale));
  CHECK(rep.ruleset == rules->header.id);
  REQUIRE(d.checked.has_value());
  CHECK(*d.checked == rep.checked);
  CHECK(d.violations.size() == rep.planted);
  CHECK(by_rule == rep.planted_by_rule);
  CHECK(d.outcome == (rep.planted == 0 ? "allowed" : "denied"));
  for (const auto& id : rep.sample_ids) {
    INFO("sample " << id);
    CHECK(on_paths.count(id) == 1);
  }
}

}  // namespace

TEST_CASE("gen-org: same options, same bytes; another seed, other bytes", "[gen]") {
  const auto a = generate(city(7, 25));
  CHECK(a == generate(city(7, 25)));
  CHECK(a != generate(city(8, 25)));
  CHECK(a != generate(city(7, 0)));
}

TEST_CASE("gen-org: the rate changes only the planted items", "[gen]") {
  const auto clean = nlohmann::json::parse(generate(city(12, 0)));
  const auto dirty = nlohmann::json::parse(generate(city(12, 300)));
  CHECK(clean["units"] == dirty["units"]);
  REQUIRE(clean["positions"].size() == dirty["positions"].size());
  std::size_t moved = 0;
  for (std::size_t i = 0; i < clean["positions"].size(); ++i) {
    const auto &c = clean["positions"][i], &d = dirty["positions"][i];
    CHECK(c["id"] == d["id"]);
    if (c != d) ++moved;  // a planted post: another atasan (and perhaps unit)
  }
  CHECK(moved > 0);
  CHECK(moved < dirty["positions"].size() * 4 / 100);
}

TEST_CASE("gen-org: a city is about 10k positions in one instansi, ids kept short", "[gen]") {
  perwal::gen::report rep;
  const auto text = generate(city(3, 10), &rep);
  CHECK(rep.instansi == 1);
  CHECK(rep.positions >= 9000);
  CHECK(rep.positions <= 11000);
  CHECK(rep.employees < rep.positions);  // some posts are vacant
  CHECK(rep.employees > rep.positions * 9 / 10);
  CHECK(rep.teams > 0);
  CHECK(rep.delegations > 0);
  const auto doc = nlohmann::json::parse(text);
  for (const auto& p : doc["positions"]) CHECK(p["id"].get<std::string>().size() <= 15);
  std::set<std::string> nips;
  for (const auto& e : doc["employees"]) nips.insert(e["nip"].get<std::string>());
  CHECK(nips.size() == rep.employees);
  CHECK(nips.begin()->size() == 18);
}

TEST_CASE("gen-org: a city loads under every bundled ruleset", "[gen]") {
  const auto text = generate(city(11, 30));
  for (const char* file : {"permenpanrb-7-2022.perwal", "padang-panjang-48-2024.perwal", "bukittinggi-rancangan.perwal",
                           "jambi-13-2025.perwal", "pasuruan-41-2023.perwal"}) {
    INFO(file);
    const auto r = ruleset(file);
    const auto org = load(text, *r);
    CHECK(org->positions().size() > 9000);
  }
}

TEST_CASE("gen-org: the audit finds exactly the planted violations", "[gen][audit]") {
  SECTION("none planted: the audit allows the org") {
    check_exact(city(1, 0));
  }
  SECTION("the default rate") {
    check_exact(city(2, 10));
  }
  SECTION("a high rate, every kind") {
    check_exact(city(5, 400));
  }
  SECTION("a province of two instansi") {
    options o;
    o.scale = scale::province;
    o.instansi = 2;
    o.seed = 9;
    o.violations_per_10k = 60;
    o.rules = &padang_panjang();
    check_exact(o);
  }
}

TEST_CASE("gen-org: the rate controls how many are planted", "[gen]") {
  perwal::gen::report none, some;
  generate(city(4, 0), &none);
  generate(city(4, 100), &some);
  CHECK(none.planted == 0);
  CHECK(none.planted_by_rule.empty());
  // 100 per 10k: about 1 % of the checked items (the last due plant of an
  // instansi may find no item left to carry it).
  CHECK(some.planted * 100 >= some.checked * 90 / 100);
  CHECK(some.planted * 100 <= some.checked * 110 / 100);
  CHECK(some.planted_by_rule.size() >= 8);
}
