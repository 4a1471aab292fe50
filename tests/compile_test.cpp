// Compile errors and warnings as data: tests/data/compile/NAME.perwal beside
// NAME.expected, the diagnostics exactly as `perwal lint` prints them.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>

#include "engine/compile/ruleset.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using perwal::testing::slurp;
using perwal::testing::source_dir;

TEST_CASE("compile diagnostics match their expected text", "[compile]") {
  // Bases are found through PERWAL_PATH; includes beside each case.
  ::setenv("PERWAL_PATH", "rulesets", 1);
  const fs::path root = source_dir();
  fs::current_path(root);  // diagnostics name files relative to the repository
  std::size_t cases = 0;
  for (const auto& entry : fs::directory_iterator("tests/data/compile")) {
    if (entry.path().extension() != ".perwal") continue;
    ++cases;
    const auto name = entry.path().lexically_normal().generic_string();
    perwal::diagnostics diags;
    auto rules = perwal::compile_ruleset_text(name, slurp(entry.path()), entry.path().parent_path(), diags);
    const auto got = perwal::render(diags);
    auto expected_path = entry.path();
    expected_path.replace_extension(".expected");
    if (perwal::testing::updating_golden()) {
      std::ofstream(expected_path) << got;
      continue;
    }
    INFO("case " << name);
    REQUIRE(fs::exists(expected_path));
    CHECK(got == slurp(expected_path));
    // A case with an error must not produce a ruleset; one with warnings only must.
    CHECK((rules == nullptr) == diags.has_errors());
  }
  CHECK(cases >= 10);
}

TEST_CASE("the bundled rulesets compile without errors", "[compile]") {
  for (const auto& entry : fs::directory_iterator(source_dir() / "rulesets")) {
    if (entry.path().extension() != ".perwal") continue;
    const auto file = entry.path();
    INFO(file.string());
    perwal::diagnostics diags;
    auto rules = perwal::compile_ruleset(file, diags);
    INFO(perwal::render(diags));
    CHECK(rules != nullptr);
    CHECK_FALSE(diags.has_errors());
  }
}

TEST_CASE("included files add their rules; regional rules carry their own citation", "[compile]") {
  ::setenv("PERWAL_PATH", (source_dir() / "rulesets").c_str(), 1);
  perwal::diagnostics diags;
  auto rules = perwal::compile_ruleset(source_dir() / "tests/data/compile/include_ok.perwal", diags);
  REQUIRE(rules);
  const auto all = rules->all_rules();
  const auto it = std::find_if(all.begin(), all.end(), [](const auto* r) { return r->name == "tim.contoh_sasaran"; });
  REQUIRE(it != all.end());
  CHECK((*it)->citation == "T 1/2024, Pasal 11 ayat (4)");
  CHECK((*it)->ruleset == "t-include");
  CHECK(rules->header.chain == std::vector<std::string>{"t-include", "permenpanrb-7-2022"});
}

TEST_CASE("citations render in the regulation's own numbering, an unnumbered Lampiran too", "[compile]") {
  perwal::diagnostics diags;
  auto rules =
      perwal::compile_ruleset_text("t.perwal", R"perwal(ruleset t { cite_as "T 1/2025" extends permenpanrb-7-2022 }
rule t.x dilarang on kedudukan {
  cite Lampiran huruf B angka 1, pasal 7 ayat 3, Lampiran II huruf A "(pembukaan)"
  when atasan.jenis == pelaksana
  message "m"
})perwal",
                                   source_dir() / "rulesets", diags);
  INFO(perwal::render(diags));
  REQUIRE(rules);
  const auto all = rules->all_rules();
  const auto it = std::find_if(all.begin(), all.end(), [](const auto* r) { return r->name == "t.x"; });
  REQUIRE(it != all.end());
  CHECK((*it)->citation == "T 1/2025, Lampiran huruf B angka 1; Pasal 7 ayat (3); Lampiran II huruf A (pembukaan)");
}
