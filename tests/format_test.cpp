// `perwal fmt`: only whitespace changes, idempotent, meaning-preserving on
// every bundled ruleset and the fictional one, and the bundled files are
// already in the canonical layout.
#include "engine/syntax/format.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <random>

#include "engine/compile/ruleset.hpp"
#include "engine/explore/diff.hpp"
#include "explore_support.hpp"
#include "test_support.hpp"

using json = nlohmann::json;

namespace {

const std::vector<std::string> files = {
    "rulesets/permenpanrb-7-2022.perwal",    "rulesets/padang-panjang-48-2024.perwal",
    "rulesets/bukittinggi-rancangan.perwal", "rulesets/jambi-13-2025.perwal",
    "rulesets/pasuruan-41-2023.perwal",      "tests/fictional/perbup-contoh-99-2026.perwal"};

// Every line's indentation thrown away, tabs and trailing blanks added,
// blank lines multiplied: what a careless editor leaves.
std::string scrambled(const std::string& text, unsigned seed) {
  std::mt19937 rng(seed);
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    line.erase(0, line.find_first_not_of(' '));
    out += std::string(rng() % 3, '\t') + line + std::string(rng() % 2, ' ') + "\n";
    if (line.empty()) out += std::string(rng() % 3, '\n');  // a blank line becomes one to three
    start = end + 1;
  }
  return out;
}

// What a compiled ruleset decides with, as text: rules, strengths,
// citations, conditions, tables and workflows.
std::string meaning(const perwal::compiled_ruleset& r) {
  std::string out;
  auto cond = [&](const std::optional<perwal::cexpr>& e) {
    return e ? perwal::explore::expr_text(*e, r.vocab) : std::string("-");
  };
  for (const auto& g : r.rules) {
    out += g.info.name + " " + std::string(perwal::strength_name(g.info.level)) + " " + g.info.citation + " " +
           cond(g.when) + " " + cond(g.require) + " " + g.info.message_id + "\n";
  }
  for (const auto& t : r.kedudukan) out += t.info.name + " " + t.info.citation + " " + cond(t.when) + "\n";
  for (const auto& rep : r.reports) out += rep.info.name + " " + rep.info.citation + " " + cond(rep.require) + "\n";
  for (const auto& w : r.workflows) {
    out += w.info.name + " " + w.info.citation + "\n";
    for (const auto& s : w.steps) out += "  " + s.info.name + " " + cond(s.where) + "\n";
  }
  out += std::to_string(r.examples.size()) + " examples\n";
  return out;
}

std::shared_ptr<const perwal::compiled_ruleset> compile(const std::filesystem::path& file, const std::string& text) {
  perwal::diagnostics diags;
  perwal::compile_options options;
  options.search_path = {perwal::testing::source_dir() / "rulesets"};
  auto r = perwal::compile_ruleset_text(file.string(), text, file.parent_path(), diags, options);
  INFO(perwal::render(diags));
  REQUIRE(r);
  return r;
}

}  // namespace

TEST_CASE("fmt: the bundled rulesets are in the canonical layout", "[fmt]") {
  for (const auto& f : files) {
    INFO(f);
    const auto text = perwal::testing::slurp(perwal::testing::source_dir() / f);
    CHECK(perwal::format_ruleset(text) == text);
  }
}

TEST_CASE("fmt: idempotent and meaning-preserving on scrambled layouts", "[fmt]") {
  for (const auto& f : files) {
    INFO(f);
    const auto path = perwal::testing::source_dir() / f;
    const auto text = perwal::testing::slurp(path);
    const auto messy = scrambled(text, 7);
    REQUIRE(messy != text);
    const auto once = perwal::format_ruleset(messy);
    CHECK(perwal::format_ruleset(once) == once);
    CHECK(once == text);  // the canonical layout does not depend on the layout it starts from
    CHECK(meaning(*compile(path, messy)) == meaning(*compile(path, once)));
  }
}

TEST_CASE("fmt: strings and comments are left alone", "[fmt]") {
  const std::string in = "rule a.b wajib on tim {\n\tcite Pasal 1   # a { comment\nmessage \"x {  \" en \"y\"\n}\n\n\n";
  CHECK(perwal::format_ruleset(in) ==
        "rule a.b wajib on tim {\n  cite Pasal 1   # a { comment\n  message \"x {  \" en \"y\"\n}\n");
}

TEST_CASE("fmt: a cite's quote on its own line is a continuation, and keeps its meaning", "[fmt][law]") {
  const std::string messy =
      "ruleset q {\ncite_as \"Q 1/2026\"\nextends permenpanrb-7-2022\n}\nrule penugasan.q wajib on penugasan {\n"
      "cite Pasal 3 ayat (1)\n\t\tquote \"Penugasan { dilakukan } tertulis.\"\nrequire true\nmessage \"x\"\n}\n";
  const auto once = perwal::format_ruleset(messy);
  CHECK(
      once ==
      "ruleset q {\n  cite_as \"Q 1/2026\"\n  extends permenpanrb-7-2022\n}\nrule penugasan.q wajib on penugasan {\n"
      "  cite Pasal 3 ayat (1)\n    quote \"Penugasan { dilakukan } tertulis.\"\n  require true\n  message \"x\"\n}\n");
  CHECK(perwal::format_ruleset(once) == once);
  const auto dir = perwal::testing::source_dir() / "rulesets";
  for (const auto* text : {&messy, &once}) {
    perwal::diagnostics diags;
    const auto r = perwal::compile_ruleset_text((dir / "q.perwal").string(), *text, dir, diags);
    REQUIRE(r);
    CHECK(perwal::quote_of(*r, "Q 1/2026, Pasal 3 ayat (1)") == "Penugasan { dilakukan } tertulis.");
  }
}

TEST_CASE("perwal fmt: --check, -w and printing", "[fmt][cli]") {
  using perwal::testing::perwal_cli;
  const auto dir = std::filesystem::temp_directory_path() / ("perwal-fmt-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto file = dir / "a.perwal";
  {
    std::ofstream out(file);
    out << "rule a.b wajib on tim {\ncite Pasal 1\n    require true\n}\n";
  }
  const std::string arg = " '" + file.string() + "'";
  const auto check = perwal_cli("fmt --check" + arg);
  CHECK(check.status == 1);
  CHECK_THAT(check.out, Catch::Contains("2: +  cite Pasal 1"));
  CHECK(perwal_cli("fmt" + arg).out == "rule a.b wajib on tim {\n  cite Pasal 1\n  require true\n}\n");
  CHECK(perwal_cli("fmt -w" + arg).status == 0);
  CHECK(perwal_cli("fmt --check" + arg).status == 0);
  CHECK(perwal_cli("fmt --check '" + (dir / "missing.perwal").string() + "'").status == 2);
  CHECK(perwal_cli("fmt --check -w" + arg).status == 2);
  std::filesystem::remove_all(dir);
}

TEST_CASE("perwal test: a folder, JSON and JUnit XML", "[cli]") {
  using perwal::testing::perwal_cli;
  const auto folder = perwal_cli("test tests/fictional");
  CHECK(folder.status == 0);
  CHECK_THAT(folder.out, Catch::EndsWith("5 passed, 0 failed\n"));
  const auto report = json::parse(perwal_cli("test tests/fictional --format json").out);
  REQUIRE(report.size() == 1);
  CHECK(report[0]["ruleset"] == "perbup-contoh-99-2026");
  CHECK(report[0]["passed"] == 5);
  CHECK(report[0]["examples"].size() == 5);
  const auto junit = perwal_cli("test tests/fictional/perbup-contoh-99-2026.perwal --format junit").out;
  CHECK_THAT(junit, Catch::StartsWith("<?xml") && Catch::Contains("<testsuites tests=\"5\" failures=\"0\">"));
  CHECK(perwal_cli("test tests/fictional --format xml").status == 2);
}
