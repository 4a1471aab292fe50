// Golden scenarios as data. Each folder tests/golden/<city>/ holds a
// suite.json naming the ruleset, the org and the least number of cases:
//   {"rules": "rulesets/….perwal", "org": "fixtures/…/org.json",
//    "regulation_name": "text every citation contains", "min_cases": 60}
// and the scenarios *.json, each
//   {"description": …, "query": {…},
//    "expect": {"decision": …, "violations": [rule…], "warnings": [rule…],
//               "needs": [rule… whose evidence the data does not carry],
//               "next": [action…], "scope": …, "regulation_scope": …,
//               "citations": {"rule": "text the citation must contain"}}}
// violations and warnings are compared as exact sets; next in order.
// Together the scenarios of a ruleset must touch every one of its rules.
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "data_cases.hpp"
#include "engine/common/json_input.hpp"
#include "engine/compile/ruleset.hpp"
#include "engine/eval/evaluator.hpp"
#include "engine/eval/render.hpp"
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

// One suite's ruleset, org and evaluator, loaded once per process (each
// scenario is a test case of its own, and ctest runs each in its own process).
struct loaded_suite {
  std::shared_ptr<const perwal::compiled_ruleset> rules;
  std::unique_ptr<perwal::evaluator> ev;
};

const loaded_suite& load_suite(const suite& s) {
  static std::map<std::string, loaded_suite> cache;
  auto it = cache.find(s.folder.string());
  if (it != cache.end()) return it->second;
  perwal::diagnostics diags;
  // A ruleset outside rulesets/ (tests/fictional) finds the national base there.
  perwal::compile_options options;
  options.search_path = {source_dir() / "rulesets"};
  auto rules = perwal::compile_ruleset(source_dir() / s.rules, diags, options);
  INFO(perwal::render(diags));
  REQUIRE(rules);
  perwal::diagnostics errs;
  auto org = perwal::org::org_graph::load(slurp(source_dir() / s.org), s.org, rules->vocab, rules->shape, errs);
  INFO(perwal::testing::error_text(errs));
  REQUIRE(org);
  loaded_suite l{rules, std::make_unique<perwal::evaluator>(rules, org)};
  return cache.emplace(s.folder.string(), std::move(l)).first->second;
}

// One scenario: the query's decision against what the file expects. On a
// failure Catch prints the scenario, the query, what was expected and the
// decision (or the reasons the query was refused).
void run_scenario(const suite& s, const fs::path& file) {
  const auto& l = load_suite(s);
  const auto& ev = *l.ev;
  const json scenario = json::parse(slurp(file));
  const auto& expect = scenario.at("expect");
  INFO("scenario " << file.filename().string() << ": " << scenario.value("description", ""));
  INFO("query: " << scenario.at("query").dump());
  INFO("expected: " << expect.dump());
  perwal::diagnostics qerrs;
  // Checked as rendered in the default language (Indonesian); a failure also
  // shows the explanation in English.
  auto d = perwal::testing::check(ev, scenario.at("query"), qerrs);
  if (expect.value("decision", "") == "bad_query") {
    INFO("decision: " << (d ? d->json.dump(2) : std::string("(none)")));
    CHECK_FALSE(d);
    if (expect.contains("error")) {
      const std::string all = perwal::testing::error_text(qerrs);
      CHECK_THAT(all, Catch::Contains(expect["error"].get<std::string>()));
    }
    return;
  }
  if (!d) UNSCOPED_INFO("the query was refused:\n" << perwal::testing::error_text(qerrs));
  REQUIRE(d);
  INFO("decision: " << d->json.dump(2));
  {
    // The server sends write_json's text; its bytes are the document's own
    // (keys in order, escapes as a dump writes them), with and without quotes.
    const auto raw = ev.check(scenario.at("query"), qerrs);
    REQUIRE(raw);
    for (const bool quote : {false, true}) {
      const perwal::render_context rc{*l.rules, ev.org(), perwal::lang::en, quote};
      std::string written;
      perwal::write_json(*raw, rc, written, "b-1/7");
      CHECK(written == perwal::json_input::dump(json::parse(written)));
    }
  }
  INFO("explanation:\n" << perwal::testing::check(ev, scenario.at("query"), qerrs, perwal::lang::en)->text);
  CHECK(d->outcome == expect.at("decision").get<std::string>());
  CHECK(rule_names(d->violations) == string_set(expect.value("violations", json::array())));
  CHECK(rule_names(d->warnings) == string_set(expect.value("warnings", json::array())));
  CHECK(rule_names(d->needs) == string_set(expect.value("needs", json::array())));
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
      for (const auto* fs : {&d->violations, &d->warnings, &d->needs}) {
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
  for (const auto* fs : {&d->violations, &d->warnings, &d->needs}) {
    for (const auto& f : *fs) {
      CHECK_THAT(f.citation, Catch::Contains(s.regulation_name));
      CHECK_FALSE(f.message.empty());
      CHECK_FALSE(f.hint.empty());
    }
  }
}

std::vector<fs::path> scenario_files(const fs::path& folder) {
  auto files = perwal::testing::data_files(folder, ".json");
  std::erase_if(files, [](const fs::path& f) { return f.filename() == "suite.json"; });
  return files;
}

// The whole suite: enough scenarios, and together they touch every rule.
void run_coverage(const suite& s) {
  const auto& l = load_suite(s);
  std::set<std::string> touched;
  const auto files = scenario_files(s.folder);
  CHECK(files.size() >= s.min_cases);
  for (const auto& file : files) {
    const json scenario = json::parse(slurp(file));
    perwal::diagnostics qerrs;
    if (auto d = l.ev->check(scenario.at("query"), qerrs)) {
      for (const auto* r : d->considered) touched.insert(r->name);
    }
  }
  std::vector<std::string> untouched;
  for (const auto* r : l.rules->all_rules()) {
    if (!touched.count(r->name)) untouched.push_back(r->name);
  }
  std::string list;
  for (const auto& u : untouched) list += u + "\n";
  INFO("rules no scenario touches:\n" << list);
  CHECK(untouched.empty());
}

// Every tests/golden/<city>/ folder: a test case per scenario, and
// golden/<city>/coverage for the suite (enough scenarios, every rule touched).
const bool registered = [] {
  std::vector<fs::path> folders;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(source_dir() / "tests/golden", ec)) {
    if (e.is_directory()) folders.push_back(e.path());
  }
  std::sort(folders.begin(), folders.end());
  for (const auto& folder : folders) {
    const std::string city = folder.filename().string();
    // A broken suite.json is a failing test of its own, not a crash before main.
    suite s;
    try {
      const json manifest = json::parse(slurp(folder / "suite.json"));
      s = {folder, manifest.at("rules").get<std::string>(), manifest.at("org").get<std::string>(),
           manifest.at("regulation_name").get<std::string>(), manifest.value("min_cases", std::size_t{60})};
    } catch (const std::exception& e) {
      const std::string what = (folder / "suite.json").string() + ": " + e.what();
      perwal::testing::register_case(
          "golden/" + city + "/suite", "[golden]", [what] { FAIL(what); }, __FILE__, __LINE__);
      continue;
    }
    for (const auto& file : scenario_files(folder)) {
      perwal::testing::register_case(
          "golden/" + city + "/" + file.stem().string(), "[golden]", [s, file] { run_scenario(s, file); }, __FILE__,
          __LINE__);
    }
    perwal::testing::register_case(
        "golden/" + city + "/coverage", "[golden][coverage]", [s] { run_coverage(s); }, __FILE__, __LINE__);
  }
  return true;
}();

}  // namespace

TEST_CASE("every bundled regulation has golden scenarios", "[golden]") {
  std::size_t suites = 0;
  for (const auto& e : fs::directory_iterator(source_dir() / "tests/golden")) {
    if (e.is_directory() && fs::exists(e.path() / "suite.json")) ++suites;
  }
  CHECK(registered);
  CHECK(suites >= 4);
}
