// Golden scenarios as data. Each folder tests/golden/<city>/ holds a
// suite.json naming the ruleset, the org and the least number of cases:
//   {"rules": "rulesets/….perwal", "org": "fixtures/…/org.json",
//    "regulation_name": "text every citation contains", "min_cases": 60}
// and the scenarios *.json, each
//   {"description": …, "query": {…},
//    "expect": {"decision": …, "violations": [rule…], "warnings": [rule…],
//               "next": [action…], "scope": …, "regulation_scope": …,
//               "citations": {"rule": "text the citation must contain"}}}
// violations and warnings are compared as exact sets; next in order.
// Together the scenarios of a ruleset must touch every one of its rules.
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "engine/compile/ruleset.hpp"
#include "engine/eval/decision.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using json = nlohmann::json;
using perwal::testing::rule_names;
using perwal::testing::slurp;
using perwal::testing::source_dir;

namespace {

struct suite {
  fs::path folder;
  std::string rules;
  std::string org;
  std::string regulation_name;  // every citation must name the regulation
  std::size_t min_cases;
};

std::set<std::string> string_set(const json& j) {
  std::set<std::string> out;
  if (j.is_array()) {
    for (const auto& x : j) out.insert(x.get<std::string>());
  }
  return out;
}

void run_suite(const suite& s) {
  perwal::diagnostics diags;
  auto rules = perwal::compile_ruleset(source_dir() / s.rules, diags);
  INFO(perwal::render(diags));
  REQUIRE(rules);
  std::vector<perwal::org::load_error> errs;
  auto org = perwal::org::org_graph::load(slurp(source_dir() / s.org), s.org, rules->vocab, rules->shape, errs);
  REQUIRE(org);
  perwal::evaluator ev(rules, org);

  std::set<std::string> touched;
  std::size_t cases = 0;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(s.folder)) {
    if (e.path().extension() == ".json" && e.path().filename() != "suite.json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    const json scenario = json::parse(slurp(file));
    const auto& expect = scenario.at("expect");
    ++cases;
    INFO("scenario " << file.filename().string() << ": " << scenario.value("description", ""));
    perwal::diagnostics qerrs;
    auto d = perwal::testing::check(ev, scenario.at("query"), qerrs);
    if (expect.value("decision", "") == "bad_query") {
      CHECK_FALSE(d);
      if (expect.contains("error")) {
        const std::string all = perwal::testing::error_text(qerrs);
        CHECK_THAT(all, Catch::Contains(expect["error"].get<std::string>()));
      }
      continue;
    }
    INFO("query errors: " << perwal::testing::error_text(qerrs));
    REQUIRE(d);
    INFO(perwal::testing::view(*ev.check(scenario.at("query"), qerrs), ev, perwal::lang::en).text);
    touched.insert(d->considered.begin(), d->considered.end());
    CHECK(d->outcome == expect.at("decision").get<std::string>());
    CHECK(rule_names(d->violations) == string_set(expect.value("violations", json::array())));
    CHECK(rule_names(d->warnings) == string_set(expect.value("warnings", json::array())));
    if (expect.contains("next")) {
      std::vector<std::string> got;
      for (const auto& n : d->next) got.push_back(n.action);
      CHECK(got == expect["next"].get<std::vector<std::string>>());
    }
    if (expect.contains("scope")) CHECK(d->scope.value_or("") == expect["scope"].get<std::string>());
    if (expect.contains("regulation_scope")) {
      CHECK(d->regulation_scope.value_or("") == expect["regulation_scope"].get<std::string>());
    }
    if (expect.contains("citations")) {
      for (const auto& [rule, text] : expect["citations"].items()) {
        bool found = false;
        for (const auto* fs : {&d->violations, &d->warnings}) {
          for (const auto& f : *fs) {
            if (f.rule == rule) {
              found = true;
              CHECK_THAT(f.citation, Catch::Contains(text.get<std::string>()));
            }
          }
        }
        CHECK(found);
      }
    }
    for (const auto* fs : {&d->violations, &d->warnings}) {
      for (const auto& f : *fs) {
        CHECK_THAT(f.citation, Catch::Contains(s.regulation_name));
        CHECK_FALSE(f.message.empty());
        CHECK_FALSE(f.hint.empty());
      }
    }
  }
  CHECK(cases >= s.min_cases);
  // Every rule of the ruleset is touched by some scenario.
  std::vector<std::string> untouched;
  for (const auto* r : rules->all_rules()) {
    if (!touched.count(r->name)) untouched.push_back(r->name);
  }
  std::string list;
  for (const auto& u : untouched) list += u + "\n";
  INFO("rules no scenario touches:\n" << list);
  CHECK(untouched.empty());
}

}  // namespace

TEST_CASE("golden scenarios of every bundled regulation", "[golden]") {
  std::vector<fs::path> folders;
  for (const auto& e : fs::directory_iterator(source_dir() / "tests/golden")) {
    if (e.is_directory()) folders.push_back(e.path());
  }
  std::sort(folders.begin(), folders.end());
  REQUIRE_FALSE(folders.empty());
  for (const auto& folder : folders) {
    DYNAMIC_SECTION(folder.filename().string()) {
      const json manifest = json::parse(slurp(folder / "suite.json"));
      run_suite({folder, manifest.at("rules").get<std::string>(), manifest.at("org").get<std::string>(),
                 manifest.at("regulation_name").get<std::string>(), manifest.value("min_cases", std::size_t{60})});
    }
  }
}
