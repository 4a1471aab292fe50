// Compile errors and warnings as data: tests/data/compile/NAME.perwal beside
// NAME.expected, the diagnostics exactly as `perwal lint` prints them.
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>

#include "data_cases.hpp"
#include "engine/compile/ruleset.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using perwal::testing::slurp;
using perwal::testing::source_dir;

namespace {

// One case: the diagnostics exactly as expected; an error means no ruleset.
void run_compile_case(const fs::path& file) {
  // Bases are found through the search path (the CLI's PERWAL_PATH); includes beside each case.
  const perwal::compile_options options{{"rulesets"}, nullptr};
  fs::current_path(source_dir());  // diagnostics name files relative to the repository
  const auto rel = fs::relative(file, source_dir());
  const auto name = rel.lexically_normal().generic_string();
  perwal::diagnostics diags;
  auto rules = perwal::compile_ruleset_text(name, slurp(rel), rel.parent_path(), diags, options);
  const auto got = perwal::render(diags);
  auto expected_path = rel;
  expected_path.replace_extension(".expected");
  if (perwal::testing::updating_golden()) {
    std::ofstream(expected_path) << got;
    return;
  }
  INFO("case " << name);
  REQUIRE(fs::exists(expected_path));
  CHECK(got == slurp(expected_path));
  // A case with an error must not produce a ruleset; one with warnings only must.
  CHECK((rules == nullptr) == diags.has_errors());
}

std::vector<fs::path> compile_cases() {
  return perwal::testing::data_files(source_dir() / "tests/data/compile", ".perwal");
}

// A test case per tests/data/compile/<case>.perwal.
const bool registered = [] {
  for (const auto& file : compile_cases()) {
    perwal::testing::register_case(
        "compile/" + file.stem().string(), "[compile]", [file] { run_compile_case(file); }, __FILE__, __LINE__);
  }
  return true;
}();

}  // namespace

TEST_CASE("compile diagnostics are data: enough cases", "[compile]") {
  CHECK(registered);
  CHECK(compile_cases().size() >= 10);
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
  perwal::diagnostics diags;
  auto rules = perwal::compile_ruleset(source_dir() / "tests/data/compile/include_ok.perwal", diags,
                                       {{source_dir() / "rulesets"}, nullptr});
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

// ---- inputs given explicitly: a reader and a search path --------------------

TEST_CASE("a ruleset compiles from memory, its base found through the search path", "[compile][reader]") {
  auto reader = std::make_shared<perwal::memory_reader>();
  reader->add("bases/root-1.perwal", R"perwal(ruleset root-1 { title "Root" cite_as "R 1/2024" }
codes jenis { fungsional, pelaksana }
rule root.x dilarang on kedudukan {
  cite Pasal 1
  when atasan.jenis == pelaksana
  message "m"
})perwal");
  reader->add("regional/t-1.perwal", R"perwal(ruleset t-1 { title "T" cite_as "T 1/2025" extends root-1 }
include "parts/more.perwal"
)perwal");
  reader->add("regional/parts/more.perwal", "refine root.x { cite Pasal 2 }\n");
  // Neither the environment nor the disk is read: a PERWAL_PATH pointing elsewhere changes nothing.
  ::setenv("PERWAL_PATH", "/nonexistent", 1);
  perwal::diagnostics diags;
  auto rules = perwal::compile_ruleset("regional/t-1.perwal", diags, {{"elsewhere", "bases"}, reader});
  ::unsetenv("PERWAL_PATH");
  INFO(perwal::render(diags));
  REQUIRE(rules);
  CHECK(rules->header.chain == std::vector<std::string>{"t-1", "root-1"});
  std::vector<std::string> names;
  for (const auto& s : rules->sources) names.push_back(s->name);
  // In load order: the file, its includes, then its base.
  CHECK(names == std::vector<std::string>{"regional/t-1.perwal", "regional/parts/more.perwal", "bases/root-1.perwal"});
  const auto all = rules->all_rules();
  REQUIRE(all.size() == 1);
  CHECK(all[0]->citation == "T 1/2025, Pasal 2");
  CHECK(all[0]->ruleset == "t-1");
}

TEST_CASE("an unknown base lists every folder it looked in", "[compile][reader]") {
  auto reader = std::make_shared<perwal::memory_reader>();
  perwal::diagnostics diags;
  auto rules = perwal::compile_ruleset_text("here/t.perwal", "ruleset t { cite_as \"T\" extends nope }\n", "here",
                                            diags, {{"a", "b/c"}, reader});
  CHECK(rules == nullptr);
  REQUIRE(diags.items().size() == 1);
  CHECK(perwal::render(diags) ==
        "here/t.perwal:1:33: error: cannot find the base ruleset \"nope\"\n"
        "  ruleset t { cite_as \"T\" extends nope }\n"
        "                                  ^\n"
        "  note: looked for here/nope.perwal, a/nope.perwal, b/c/nope.perwal; set PERWAL_PATH to the folder of the "
        "base rulesets\n");
}

TEST_CASE("a vocabulary past its 65,535 names is refused at the first name too many", "[compile]") {
  // One name a line, so a name's line is its index + 3; the full vocabulary still
  // tells a repeated name from a new one.
  const auto capacity = perwal::vocabulary::capacity;
  std::string text = "ruleset t { title \"T\" cite_as \"T 1/2025\" }\ncodes content {\n";
  for (std::size_t i = 0; i < capacity; ++i) text += "  c" + std::to_string(i) + ",\n";
  text += "  c0,\n  c" + std::to_string(capacity) + ",\n  c" + std::to_string(capacity + 1) + "\n}\n";
  perwal::diagnostics diags;
  auto rules = perwal::compile_ruleset_text("here/t.perwal", text, "here", diags,
                                            {{}, std::make_shared<perwal::memory_reader>()});
  CHECK(rules == nullptr);
  const auto shown = perwal::render(diags);
  INFO(shown.substr(0, 2000));
  const auto line = [&](std::size_t index) { return "here/t.perwal:" + std::to_string(index + 3) + ":3: error: "; };
  CHECK(shown.find(line(capacity) + "code \"c0\" is already declared in category content") != std::string::npos);
  CHECK(shown.find(line(capacity + 1) +
                   "too many codes: a ruleset with its bases declares at most 65535 distinct names") !=
        std::string::npos);
  // The error is said once, not for every name after it.
  CHECK(shown.find("too many codes", shown.find("too many codes") + 1) == std::string::npos);
}

TEST_CASE("a vocabulary of exactly 65,535 names compiles", "[compile]") {
  std::string text = "ruleset t { title \"T\" cite_as \"T 1/2025\" }\ncodes content {";
  for (std::size_t i = 0; i < perwal::vocabulary::capacity; ++i) text += (i ? ", c" : " c") + std::to_string(i);
  text += " }\n";
  perwal::diagnostics diags;
  auto rules = perwal::compile_ruleset_text("here/t.perwal", text, "here", diags,
                                            {{}, std::make_shared<perwal::memory_reader>()});
  INFO(perwal::render(diags).substr(0, 2000));
  CHECK(perwal::render(diags).find("too many codes") == std::string::npos);
  REQUIRE(rules);
  CHECK(rules->vocab.size() == perwal::vocabulary::capacity);
  CHECK(rules->vocab.find(perwal::category::content, "c65534") == perwal::code{65534});
}

TEST_CASE("a missing top file is reported through the reader", "[compile][reader]") {
  perwal::diagnostics diags;
  auto rules = perwal::compile_ruleset("nowhere/t.perwal", diags, {{}, std::make_shared<perwal::memory_reader>()});
  CHECK(rules == nullptr);
  CHECK(perwal::render(diags) == "nowhere/t.perwal: error: cannot read ruleset file\n  note: no such file\n");
}

TEST_CASE("a folder given as the ruleset says it is a directory", "[compile][reader]") {
  perwal::diagnostics diags;
  CHECK_FALSE(perwal::compile_ruleset(source_dir() / "rulesets", diags));
  CHECK_THAT(perwal::render(diags), Catch::Contains("note: it is a directory: name a .perwal file in it"));
}

// Allowed to leave the folder, an include still never reads a device or a
// huge file into memory, and a link cannot smuggle a file out of the folder.
TEST_CASE("includes: devices refused even when allowed anywhere; links stay inside", "[compile][reader][hardening]") {
  const std::string head = "ruleset t { title \"t\" cite_as \"T\" status draft extends permenpanrb-7-2022 }\n";
  perwal::compile_options anywhere{{source_dir() / "rulesets"}, nullptr, true};
  perwal::diagnostics diags;
  CHECK_FALSE(perwal::compile_ruleset_text("t.perwal", head + "include \"/dev/zero.perwal\"\n", ".", diags, anywhere));
  CHECK_THAT(perwal::render(diags), Catch::Contains("note: no such file"));

  const auto dir = fs::temp_directory_path() / ("perwal-include-" + std::to_string(::getpid()));
  fs::create_directories(dir / "inside");
  fs::create_symlink("/dev/zero", dir / "inside" / "zero.perwal");
  fs::create_directories(dir / "outside");
  std::ofstream(dir / "outside" / "secret.perwal") << "# nothing to see\n";
  fs::create_symlink(dir / "outside" / "secret.perwal", dir / "inside" / "link.perwal");
  perwal::diagnostics zero;
  CHECK_FALSE(perwal::compile_ruleset_text((dir / "inside" / "t.perwal").string(), head + "include \"zero.perwal\"\n",
                                           dir / "inside", zero, anywhere));
  CHECK_THAT(perwal::render(zero), Catch::Contains("note: not a regular file (a folder or a device)"));
  perwal::diagnostics link;
  CHECK_FALSE(perwal::compile_ruleset_text((dir / "inside" / "t.perwal").string(), head + "include \"link.perwal\"\n",
                                           dir / "inside", link, {{source_dir() / "rulesets"}, nullptr}));
  CHECK_THAT(perwal::render(link), Catch::Contains("error: include \"link.perwal\" leaves the folder"));
  perwal::diagnostics allowed;
  CHECK(perwal::compile_ruleset_text((dir / "inside" / "t.perwal").string(), head + "include \"link.perwal\"\n",
                                     dir / "inside", allowed, anywhere));
  fs::remove_all(dir);
}

TEST_CASE("search paths split like PERWAL_PATH", "[compile][reader]") {
  using paths = std::vector<fs::path>;
  CHECK(perwal::split_search_path("") == paths{});
  CHECK(perwal::split_search_path("a") == paths{"a"});
  CHECK(perwal::split_search_path("a::b/c:") == paths{"a", "b/c"});
}
