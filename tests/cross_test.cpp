// The cross-regulation suite: one org (tests/cross/org.json, canonical codes
// only) and one set of queries, checked against every bundled regulation.
// tests/cross/suite.json names the rulesets; each case in tests/cross/cases/
//   {"description": …, "query": {…},
//    "expect": {"<ruleset id>": {"decision": …, "violates": "rule",
//                                "because": "article of that text"}, …}}
// gives, for EVERY ruleset of the suite, the decision, for a denial the rule
// that the text says is broken (`violates`, one of the violations; or
// `violations`, the exact set; `needs`: a rule whose evidence the data does
// not carry), and the article of that regulation that
// decides the case; that article must appear in the decision's explanation (a
// violation, warning, next step or trace line cites it).
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "data_cases.hpp"
#include "engine/compile/ruleset.hpp"
#include "engine/eval/decision.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using json = nlohmann::json;
using perwal::testing::rule_names;
using perwal::testing::slurp;
using perwal::testing::source_dir;

namespace {

struct loaded {
  std::string id;
  std::unique_ptr<perwal::evaluator> ev;
};

std::vector<loaded> load_suite(const json& suite) {
  std::vector<loaded> out;
  for (const auto& file : suite.at("rulesets")) {
    perwal::diagnostics diags;
    auto rules = perwal::compile_ruleset(source_dir() / file.get<std::string>(), diags);
    INFO(perwal::render(diags));
    REQUIRE(rules);
    const std::string org_path = suite.at("org").get<std::string>();
    perwal::diagnostics errs;
    auto org = perwal::org::org_graph::load(slurp(source_dir() / org_path), org_path, rules->vocab, rules->shape, errs);
    INFO(perwal::testing::error_text(errs));
    REQUIRE(org);
    out.push_back({rules->header.id, std::make_unique<perwal::evaluator>(rules, org)});
  }
  return out;
}

const std::vector<loaded>& regulations() {
  static const std::vector<loaded> regs = load_suite(json::parse(slurp(source_dir() / "tests/cross/suite.json")));
  return regs;
}

// One case against every regulation; returns the outcomes it got.
std::set<std::string> run_case(const fs::path& file) {
  const json c = json::parse(slurp(file));
  INFO("case " << file.filename().string() << ": " << c.value("description", ""));
  INFO("query: " << c.at("query").dump());
  std::set<std::string> outcomes;
  for (const auto& reg : regulations()) {
    INFO("ruleset " << reg.id);
    REQUIRE(c.at("expect").contains(reg.id));  // every case speaks of every regulation
    const json& want = c["expect"][reg.id];
    INFO("expected: " << want.dump());
    perwal::diagnostics qerrs;
    auto d = perwal::testing::check(*reg.ev, c.at("query"), qerrs);
    if (!d) UNSCOPED_INFO("the query was refused:\n" << perwal::testing::error_text(qerrs));
    REQUIRE(d);
    const json& got = d->json;
    INFO("decision: " << got.dump(2));
    CHECK(d->outcome == want.at("decision").get<std::string>());
    outcomes.insert(d->outcome);
    if (want.contains("violates")) CHECK(rule_names(d->violations).count(want["violates"].get<std::string>()) == 1);
    if (want.contains("needs")) CHECK(rule_names(d->needs).count(want["needs"].get<std::string>()) == 1);
    if (want.contains("violations")) {
      CHECK(rule_names(d->violations) == want["violations"].get<std::set<std::string>>());
    }
    // The article that decides the case is named in the explanation.
    const std::string because = want.at("because").get<std::string>();
    CHECK_FALSE(because.empty());
    CHECK_THAT(got.dump(), Catch::Contains(because));
  }
  return outcomes;
}

std::vector<fs::path> case_files() {
  return perwal::testing::data_files(source_dir() / "tests/cross/cases", ".json");
}

// A test case per tests/cross/cases/<case>.json.
const bool registered = [] {
  for (const auto& file : case_files()) {
    perwal::testing::register_case(
        "cross/" + file.stem().string(), "[cross]", [file] { run_case(file); }, __FILE__, __LINE__);
  }
  return true;
}();

}  // namespace

TEST_CASE("cross-regulation suite: enough cases decide differently across the regulations", "[cross]") {
  const json suite = json::parse(slurp(source_dir() / "tests/cross/suite.json"));
  CHECK(registered);
  std::size_t differing = 0;
  for (const auto& file : case_files()) {
    perwal::diagnostics qerrs;
    const json c = json::parse(slurp(file));
    std::set<std::string> outcomes;
    for (const auto& reg : regulations()) {
      if (auto d = reg.ev->check(c.at("query"), qerrs)) outcomes.insert(std::string(perwal::outcome_name(d->result)));
    }
    if (outcomes.size() > 1) ++differing;
  }
  CHECK(differing >= suite.value("min_differing", std::size_t{25}));
}
