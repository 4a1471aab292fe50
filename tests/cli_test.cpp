// The command line as a user meets it: exit codes 0 / 1 / 2, and for bad
// input a message that names the file, line and column or the JSON path.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace {

struct run_result {
  int status = -1;
  std::string output;  // stdout and stderr together
};

// Runs perwal with `args` from the repository root; `env` prefixes the command
// (by default PERWAL_PATH is emptied so only files beside a ruleset count).
run_result run(const std::string& args, const std::string& env = "PERWAL_PATH=") {
  const std::string cmd =
      "cd '" + perwal::testing::source_dir().string() + "' && " + env + " '" PERWAL_BINARY "' " + args + " 2>&1";
  run_result r;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), static_cast<int>(buf.size()), pipe)) r.output += buf.data();
  const int raw = ::pclose(pipe);
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return r;
}

// Runs with `input` on standard input (through a file: /bin/sh has no here-strings).
run_result run_with_input(const std::string& args, const std::string& input) {
  // One file per process and call: CTest runs test cases in parallel processes.
  static int calls = 0;
  const auto path = std::filesystem::temp_directory_path() /
                    ("perwal-cli-test-" + std::to_string(::getpid()) + "-" + std::to_string(++calls) + ".json");
  std::ofstream(path) << input;
  auto result = run(args + " < '" + path.string() + "'");
  std::filesystem::remove(path);
  return result;
}

const std::string rules = "--rules rulesets/padang-panjang-48-2024.perwal";
const std::string org = "--org fixtures/padang-panjang/org.json";

}  // namespace

TEST_CASE("audit of the bundled example finds the planted violations", "[cli]") {
  auto r = run("audit " + rules + " " + org + " --format json");
  CHECK(r.status == 1);
  const auto j = nlohmann::json::parse(r.output);
  CHECK(j["decision"] == "denied");
  CHECK(j["checked"].get<int>() > 2500);
  std::set<std::string> offenders;
  for (const auto& v : j["violations"]) offenders.insert(v["path"][0].get<std::string>());
  for (const auto* id : {"pp.dpupr.arsiparis-2", "pp.diskominfo.pranata-humas-6", "pp.kel-ganting.psm-2",
                         "pp.dispangtan.penyuluh-pertanian-15", "delegations[4]", "pp.tim-jalan-lingkungan"}) {
    CHECK(offenders.count(id) == 1);
  }
  auto text = run("audit " + rules + " " + org + " --lang en");
  CHECK(text.status == 1);
  CHECK_THAT(text.output, Catch::Contains("Decision: DENIED"));
  CHECK_THAT(text.output, Catch::Contains("Perwal Kota Padang Panjang 48/2024, Lampiran II"));
}

TEST_CASE("check: allowed exits 0, denied exits 1, json on stdout", "[cli]") {
  auto ok = run_with_input("check " + rules + " " + org + " --query - --format json",
                           R"({"type": "kedudukan", "position": "pp.bag-org.analis-1"})");
  INFO(ok.output);
  CHECK(ok.status == 0);
  CHECK(nlohmann::json::parse(ok.output)["decision"] == "allowed");
  auto batch = run("check " + rules + " " + org + " --query tests/data/cli/query_batch.json --format json");
  INFO(batch.output);
  CHECK(batch.status == 1);
  const auto arr = nlohmann::json::parse(batch.output);
  REQUIRE(arr.is_array());
  REQUIRE(arr.size() == 3);
  CHECK(arr[0]["decision"] == "allowed");
  CHECK(arr[1]["decision"] == "denied");
  CHECK(arr[2]["decision"] == "allowed");
}

TEST_CASE("check --explain names the rules, the articles and the override", "[cli]") {
  auto r = run_with_input("check " + rules + " " + org + " --explain --lang en --query -",
                          R"({"type": "kedudukan", "position": "pp.bag-org.analis-1"})");
  CHECK(r.status == 0);
  CHECK_THAT(r.output, Catch::Contains("held: kedudukan.atasan_langsung"));
  CHECK_THAT(r.output,
             Catch::Contains("override: kedudukan.atasan_langsung (padang-panjang-48-2024) refines base rule"));
  CHECK_THAT(r.output, Catch::Contains("Pasal 5 ayat (1)"));
}

TEST_CASE("bad input exits 2 with a message that locates the problem", "[cli][bad-input]") {
  SECTION("malformed ruleset: file:line:column and a caret") {
    auto r = run("check --rules tests/data/cli/ruleset_malformed.perwal " + org +
                 " --query tests/data/cli/query_batch.json");
    CHECK(r.status == 2);
    CHECK_THAT(
        r.output,
        Catch::Contains("tests/data/cli/ruleset_malformed.perwal:5:1: error: expected the level number after 'level'"));
    CHECK_THAT(r.output, Catch::Contains("^"));
  }
  SECTION("org JSON syntax error: file:line:column") {
    auto r = run("audit " + rules + " --org tests/data/org/bad/syntax_error.json");
    CHECK(r.status == 2);
    CHECK_THAT(r.output, Catch::Contains("syntax_error.json:5:27"));
  }
  SECTION("cyclic org: the JSON path and the cycle") {
    auto r = run("audit " + rules + " --org tests/data/org/bad/atasan_cycle.json");
    CHECK(r.status == 2);
    CHECK_THAT(r.output, Catch::Contains("positions[4].atasan: cycle x.p1 -> x.p2 -> x.p1"));
  }
  SECTION("broken reference in the org") {
    auto r = run("audit " + rules + " --org tests/data/org/bad/broken_atasan.json");
    CHECK(r.status == 2);
    CHECK_THAT(r.output, Catch::Contains(".atasan: no position"));
  }
  SECTION("unknown ids and codes in a query: every problem with its path") {
    auto r = run("check " + rules + " " + org + " --query tests/data/cli/query_unknown_ids.json");
    CHECK(r.status == 2);
    CHECK_THAT(r.output, Catch::Contains("assignee: no position or employee \"pp.tidak-ada\""));
    CHECK_THAT(r.output, Catch::Contains("owner_unit: no unit \"pp.unit-tidak-ada\""));
    CHECK_THAT(r.output, Catch::Contains("steps[0].action: unknown action \"surat_ajaib\""));
  }
  SECTION("malformed query JSON") {
    auto r = run("check " + rules + " " + org + " --query tests/data/cli/query_malformed.json");
    CHECK(r.status == 2);
    CHECK_THAT(r.output, Catch::Contains("query_malformed.json: invalid JSON"));
  }
  SECTION("a query nested 100,000 deep is refused with its place, not a crash") {
    const std::string deep =
        "{\"type\": \"kedudukan\", \"x\": " + std::string(100000, '[') + std::string(100000, ']') + "}";
    auto r = run_with_input("check " + rules + " " + org + " --query -", deep);
    CHECK(r.status == 2);
    CHECK_THAT(r.output,
               Catch::Contains("<stdin>: invalid JSON: JSON nested deeper than 64 levels at line 1, column 91"));
  }
  SECTION("an org nested 100,000 deep is refused with its place, not a crash") {
    const std::string deep =
        "{\"schema\": \"perwal-org/1\", \"x\": " + std::string(100000, '[') + std::string(100000, ']') + "}";
    const auto path =
        std::filesystem::temp_directory_path() / ("perwal-deep-org-" + std::to_string(::getpid()) + ".json");
    std::ofstream(path) << deep;
    auto r = run("audit " + rules + " --org " + path.string());
    std::filesystem::remove(path);
    CHECK(r.status == 2);
    CHECK_THAT(r.output, Catch::Contains(path.string() + ":1:96: JSON nested deeper than 64 levels"));
  }
  SECTION("a bad single query prints nothing on stdout") {
    auto r = run_with_input("check " + rules + " " + org + " --query - --format json", R"({"type": "x"})");
    CHECK(r.status == 2);
    // stdout and stderr together: only the error line, no JSON document
    CHECK(r.output ==
          "<stdin>: type: unknown query type \"x\" (expected kedudukan, penugasan, pelaporan, tim or audit)\n");
  }
  SECTION("query without a type") {
    auto r = run("check " + rules + " " + org + " --query tests/data/cli/query_no_type.json");
    CHECK(r.status == 2);
    CHECK_THAT(r.output, Catch::Contains("type: required"));
  }
  SECTION("missing files and bad usage") {
    CHECK(run("check " + rules + " " + org + " --query tests/data/cli/none.json").status == 2);
    CHECK(run("audit --rules rulesets/none.perwal " + org).status == 2);
    CHECK(run("audit " + rules).status == 2);
    CHECK(run("frobnicate").status == 2);
    CHECK(run("check " + rules + " " + org + " --query - --format xml").status == 2);
    CHECK(run("").status == 2);
  }
}

TEST_CASE("audit --threads: the same report on two threads, a bad count exits 2", "[cli][bad-input]") {
  const auto one = run("audit " + rules + " " + org + " --format json");
  const auto two = run("audit " + rules + " " + org + " --format json --threads 2");
  CHECK(two.status == one.status);
  CHECK(two.output == one.output);
  for (const char* bad : {"0", "x", "-1", "1000"}) {
    INFO(bad);
    const auto r = run("audit " + rules + " " + org + " --threads " + bad);
    CHECK(r.status == 2);
    CHECK_THAT(r.output, Catch::Contains("--threads must be a number from 1 to 999"));
  }
}

TEST_CASE("gen-org: usage errors exit 2 and name the option", "[cli][gen]") {
  const auto out = (std::filesystem::temp_directory_path() / ("perwal-gen-" + std::to_string(::getpid()))).string();
  struct bad {
    std::string args, says;
  };
  for (const auto& b : std::vector<bad>{
           {"gen-org -o " + out, "gen-org needs --scale city|province|nation"},
           {"gen-org --scale city", "gen-org needs -o ORG.json"},
           {"gen-org --scale town -o " + out, "--scale must be city, province or nation"},
           {"gen-org --scale city --seed 12x -o " + out, "--seed must be a whole number"},
           {"gen-org --scale city --violations 10001 -o " + out, "--violations must be a whole number from 0 to 10000"},
           {"gen-org --scale city --instansi 0 -o " + out, "--instansi must be a whole number from 1"},
           {"gen-org --scale city --frob 1 -o " + out, "unknown option --frob for gen-org"},
           {"gen-org --scale city -o", "option -o needs a value"},
       }) {
    INFO(b.args);
    const auto r = run(b.args);
    CHECK(r.status == 2);
    CHECK_THAT(r.output, Catch::Contains(b.says));
    CHECK_THAT(r.output, Catch::Contains("see perwal gen-org --help"));  // not the whole usage
    CHECK_THAT(r.output, !Catch::Contains("usage:"));
  }
  CHECK_FALSE(std::filesystem::exists(out));
}

TEST_CASE("gen-org: writes the org and the report, a summary on stderr", "[cli][gen]") {
  const auto dir = std::filesystem::temp_directory_path() / ("perwal-gen-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto org_file = (dir / "org.json").string(), report_file = (dir / "report.json").string();
  const auto r = run("gen-org --scale province --instansi 2 --seed 4 --violations 50 -o '" + org_file + "' --report '" +
                     report_file + "'");
  CHECK(r.status == 0);
  CHECK_THAT(r.output, Catch::Contains("perwal gen-org: province seed 4: 2 instansi"));
  const auto report = nlohmann::json::parse(perwal::testing::slurp(report_file));
  CHECK(report["instansi"] == 2);
  CHECK(report["planted"].get<int>() > 0);
  // The audit of the file agrees with the report.
  const auto audit = run("audit " + rules + " --org '" + org_file + "' --format json");
  CHECK(audit.status == 1);
  const auto d = nlohmann::json::parse(audit.output);
  CHECK(d["violations"].size() == report["planted"].get<std::size_t>());
  CHECK(d["checked"] == report["checked"]);
  std::filesystem::remove_all(dir);
}

TEST_CASE("gen-org: --rules names the planted rules' ruleset, --structure the Perangkat Daerah structure",
          "[cli][gen]") {
  const auto dir = std::filesystem::temp_directory_path() / ("perwal-gen-rules-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto org_file = (dir / "org.json").string(), default_org = (dir / "default.json").string();
  // The default ruleset is the bundled Padang Panjang one; naming it gives the same report.
  const auto a = run("gen-org --scale city --seed 2 -o '" + default_org + "'");
  const auto b = run("gen-org --scale city --seed 2 --rules rulesets/padang-panjang-48-2024.perwal -o '" + org_file +
                     "' --structure data/perangkat-daerah.json");
  REQUIRE(a.status == 0);
  REQUIRE(b.status == 0);
  CHECK(perwal::testing::slurp(default_org) == perwal::testing::slurp(org_file));
  CHECK_THAT(a.output, Catch::Contains("\"ruleset\": \"padang-panjang-48-2024\""));
  // A ruleset without kedudukan tables cannot carry planted items; with none planted it is fine.
  const auto base =
      run("gen-org --scale city --seed 2 --rules rulesets/permenpanrb-7-2022.perwal -o '" + org_file + "'");
  CHECK(base.status == 2);
  CHECK_THAT(base.output, Catch::Contains("has no rule for a planted item"));
  const auto clean = run(
      "gen-org --scale city --seed 2 --violations 0 --rules rulesets/permenpanrb-7-2022.perwal -o '" + org_file + "'");
  CHECK(clean.status == 0);
  CHECK_THAT(clean.output, Catch::Contains("\"ruleset\": \"permenpanrb-7-2022\""));
  // A missing or malformed structure file exits 2 and names it.
  const auto missing = run("gen-org --scale city --structure nowhere.json -o '" + org_file + "'");
  CHECK(missing.status == 2);
  CHECK_THAT(missing.output, Catch::Contains("nowhere.json: cannot read"));
  const auto bad = run("gen-org --scale city --structure rulesets/padang-panjang-48-2024.perwal -o '" + org_file + "'");
  CHECK(bad.status == 2);
  CHECK_THAT(bad.output, Catch::Contains("not JSON"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("lint and test on the bundled rulesets", "[cli]") {
  auto lint = run("lint rulesets/padang-panjang-48-2024.perwal");
  INFO(lint.output);
  CHECK(lint.status != 2);
  CHECK_THAT(lint.output, Catch::Contains("0 error(s)"));
  auto test = run("test rulesets/padang-panjang-48-2024.perwal");
  INFO(test.output);
  CHECK(test.status == 0);
  CHECK_THAT(test.output, Catch::Contains(" 0 failed"));
  auto bad = run("lint tests/data/cli/ruleset_malformed.perwal");
  CHECK(bad.status == 2);
  CHECK(run("lint rulesets/permenpanrb-7-2022.perwal").status == 0);
  // Warnings pass by default and fail with --strict.
  CHECK(run("lint tests/data/compile/unreachable_workflow.perwal", "PERWAL_PATH=rulesets").status == 0);
  CHECK(run("lint --strict tests/data/compile/unreachable_workflow.perwal", "PERWAL_PATH=rulesets").status == 1);
}

TEST_CASE("the reference's own examples (docs/reference.md §2-4) against Padang Panjang 48/2024", "[cli][contract]") {
  auto r = run("check " + rules +
               " --org tests/data/contract/org.json --query tests/data/contract/queries.json "
               "--format json");
  INFO(r.output);
  CHECK(r.status == 1);  // one query in the batch is denied
  const auto arr = nlohmann::json::parse(r.output);
  REQUIRE(arr.size() == 8);
  for (std::size_t i : {0u, 1u, 2u, 4u, 5u, 6u, 7u}) CHECK(arr[i]["decision"] == "allowed");
  CHECK(arr[2]["scope"] == "lintas_perangkat_daerah");
  // The denied example of docs/reference.md §4: the letter is missing, and it cites Lampiran III huruf A angka 2 huruf
  // a.
  const auto& denied = arr[3];
  CHECK(denied["decision"] == "denied");
  REQUIRE(denied["violations"].size() == 1);
  CHECK(denied["violations"][0]["rule"] == "penugasan.penunjukan.lintas_unit.permohonan");
  CHECK(denied["violations"][0]["strength"] == "wajib");
  CHECK(denied["violations"][0]["citation"] ==
        "Perwal Kota Padang Panjang 48/2024, Lampiran III huruf A angka 2 huruf a");
  CHECK(denied["violations"][0]["path"][0] == "x.kabag-org");
  CHECK_FALSE(denied["violations"][0]["hint"].get<std::string>().empty());
  CHECK(arr[7]["checked"].get<int>() == 5);  // four FP and pelaksana, one team
}

TEST_CASE("perwal --version and COMMAND --help answer on stdout and exit 0", "[cli]") {
  const auto version = run("--version");
  CHECK(version.status == 0);
  CHECK_THAT(version.output, Catch::StartsWith("perwal "));
  CHECK_THAT(version.output, Catch::Contains("org format: perwal-org/1"));
  for (const std::string command :
       {"check", "audit", "lint", "test", "diff", "explore-org", "gen-org", "compile-org", "serve"}) {
    INFO(command);
    for (const std::string flag : {"--help", "-h"}) {
      const auto help = run(command + " " + flag);
      CHECK(help.status == 0);
      CHECK_THAT(help.output, Catch::Contains("perwal " + command + " "));
    }
  }
  const auto unknown = run("chek --help");
  CHECK(unknown.status == 2);
  CHECK_THAT(unknown.output, Catch::Contains("unknown command \"chek\""));
}

TEST_CASE("usage errors in Indonesian when the arguments say --lang id", "[cli][lang][bad-input]") {
  struct bad {
    std::string args, says, command;
  };
  for (const auto& b : std::vector<bad>{
           {"chek --lang id", "perwal: perintah tidak dikenal: \"chek\" (maksud Anda \"check\"?)", ""},
           {"check --formt json --lang=id",
            "perwal: opsi --formt tidak dikenal untuk check (maksud Anda \"--format\"?)", "check"},
           {"check " + rules + " " + org + " --query - --format jsn --lang id",
            "perwal: --format harus text atau json (maksud Anda \"json\"?)", "check"},
           {"audit --lang id", "perwal: audit memerlukan --rules dan --org", "audit"},
           {"audit " + rules + " " + org + " --threads 0 --lang id", "perwal: --threads harus bilangan 1 sampai 999",
            "audit"},
           {"lint -A W012 -D W012 --lang id rulesets/permenpanrb-7-2022.perwal", "W012 diizinkan sekaligus ditolak",
            "lint"},
           {"log verfy --lang id", "subperintah \"verfy\" tidak dikenal untuk log (subperintahnya: verify, export)",
            "log"},
           {"check " + rules + " " + org + " --lang id --query", "perwal: opsi --query memerlukan nilai", "check"},
           // Commands whose output is data take --lang for their messages.
           {"gen-org --scale city --seed x -o o.json --lang id", "perwal: --seed harus bilangan bulat", "gen-org"},
           {"gen-org --scale kota -o o.json --lang id", "perwal: --scale harus city, province atau nation", "gen-org"},
           {"serve --port abc --lang id", "perwal: --port harus bilangan bulat 0 sampai 65535", "serve"},
           {"serve --lang id", "perwal: serve memerlukan --rules dan --org", "serve"},
           {"fmt --check -w x.perwal --lang id", "perwal: fmt: --check dan -w tidak bisa bersamaan", "fmt"},
           {"schema --lang id", "perwal: schema memerlukan --rules R dan salah satu dari org, query, decision",
            "schema"},
           {"export --lang id", "perwal: export memerlukan ORG.json, --format csv|xlsx dan -o FILE", "export"},
           {"law --lang id", "perwal: law memerlukan sedikitnya satu FILE.txt", "law"},
       }) {
    INFO(b.args);
    const auto r = run(b.args);
    CHECK(r.status == 2);
    CHECK_THAT(r.output, Catch::Contains(b.says));
    CHECK_THAT(r.output, Catch::EndsWith("\nlihat perwal " + (b.command.empty() ? "" : b.command + " ") + "--help\n"));
    CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 2);
  }
}

TEST_CASE("perwal test: English by default, Indonesian with --lang id", "[cli][lang]") {
  const auto dir = std::filesystem::temp_directory_path() / ("perwal-test-lang-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto file = (dir / "contoh.perwal").string();
  std::ofstream(file)
      << "ruleset t-contoh { title \"t\" cite_as \"T 1/2026\" status draft extends padang-panjang-48-2024 "
         "example_org \""
      << (perwal::testing::source_dir() / "fixtures/padang-panjang/org.json").string() << R"(" }
example "a wrong expectation" {
  query { "type": "kedudukan", "position": "pp.sekda" }
  expect denied
}
example "a misspelt position" {
  query { "type": "kedudukan", "position": "pp.sekdaa" }
  expect allowed
}
)";
  const auto en = run("test '" + file + "'", "PERWAL_PATH=rulesets");
  CHECK(en.status == 1);
  CHECK_THAT(en.output, Catch::Contains("FAIL  a wrong expectation"));
  CHECK_THAT(en.output, Catch::Contains("expected denied, got allowed"));
  CHECK_THAT(en.output, Catch::Contains("bad query: position: no position or employee \"pp.sekdaa\" (did you mean "
                                        "\"pp.sekda\"?)"));
  CHECK_THAT(en.output, Catch::EndsWith("0 passed, 2 failed\n"));
  const auto id = run("test '" + file + "' --lang id", "PERWAL_PATH=rulesets");
  CHECK(id.status == 1);
  CHECK_THAT(id.output, Catch::Contains("GAGAL a wrong expectation"));
  CHECK_THAT(id.output, Catch::Contains("seharusnya denied, hasilnya allowed"));
  CHECK_THAT(id.output, Catch::Contains("kueri salah: position: tidak ada jabatan atau pegawai \"pp.sekdaa\" (maksud "
                                        "Anda \"pp.sekda\"?)"));
  CHECK_THAT(id.output, Catch::EndsWith("0 lulus, 2 gagal\n"));
  CHECK_THAT(id.output, !Catch::Contains("expected"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("a misspelt command, option, value or ruleset id: did you mean", "[cli][bad-input]") {
  struct bad {
    std::string args, says, command;
  };
  for (const auto& b : std::vector<bad>{
           {"chek", "perwal: unknown command \"chek\" (did you mean \"check\"?)", ""},
           {"--versoin", "perwal: unknown option --versoin (did you mean \"--version\"?)", ""},
           {"check --formt json", "perwal: unknown option --formt for check (did you mean \"--format\"?)", "check"},
           {"audit --thread=2", "perwal: unknown option --thread=2 for audit (did you mean \"--threads\"?)", "audit"},
           {"log verfy",
            "perwal: unknown subcommand \"verfy\" for log (its subcommands: verify, export) (did you mean \"verify\"?)",
            "log"},
           {"check " + rules + " " + org + " --query - --format jsn",
            "perwal: --format must be text or json (did you mean \"json\"?)", "check"},
           {"test rulesets --format junt", "perwal: --format must be text or json (or junit) (did you mean \"junit\"?)",
            "test"},
           {"check " + rules + " " + org + " --query - --lang ind",
            "perwal: --lang must be id or en (did you mean \"id\"?)", "check"},
           {"gen-org --scale citty -o /nonexistent/x.json",
            "perwal: --scale must be city, province or nation (did you mean \"city\"?)", "gen-org"},
           {"export fixtures/padang-panjang/org.json --format xslx -o /nonexistent/x",
            "perwal: --format must be csv or xlsx for export (did you mean \"xlsx\"?)", "export"},
           {"schema --rules padang-panjang-48-2024 quer", "(did you mean \"query\"?)", "schema"},
           {"lint --allow W0012 rulesets/permenpanrb-7-2022.perwal", "W0012 is not a warning code", "lint"},
       }) {
    INFO(b.args);
    const auto r = run(b.args);
    CHECK(r.status == 2);
    CHECK_THAT(r.output, Catch::Contains(b.says));
    CHECK_THAT(r.output, Catch::EndsWith("\nsee perwal " + (b.command.empty() ? "" : b.command + " ") + "--help\n"));
    CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 2);
  }
  // Nothing near: no guess.
  const auto far = run("frobnicate");
  CHECK(far.status == 2);
  CHECK_THAT(far.output, !Catch::Contains("did you mean"));
  // A bundled ruleset's id, misspelt.
  const auto id = run("check --rules padang-panjng-48-2024 " + org + " --query -");
  CHECK(id.status == 2);
  CHECK_THAT(id.output, Catch::Contains("no ruleset with id \"padang-panjng-48-2024\" (did you mean "
                                        "\"padang-panjang-48-2024\"?)"));
  // An org id in a query, and an org's own broken reference.
  const auto query =
      run_with_input("check " + rules + " " + org + " --query -", R"({"type": "kedudukan", "position": "pp.sekdaa"})");
  CHECK(query.status == 2);
  CHECK_THAT(query.output,
             Catch::Contains("position: no position or employee \"pp.sekdaa\" (did you mean \"pp.sekda\"?)"));
  const auto org_file = run("audit " + rules + " --org tests/data/org/bad/broken_parent.json --lang id");
  CHECK(org_file.status == 2);
  CHECK_THAT(org_file.output,
             Catch::Contains("units[2].parent: tidak ada unit \"x.setdaa\" (maksud Anda \"x.setda\"?)"));
}

TEST_CASE("a usage error is one line and a pointer to the command's help", "[cli][bad-input]") {
  struct bad {
    std::string args, says, command;
  };
  for (const auto& b : std::vector<bad>{
           {"audit " + rules + " " + org + " --threads 0", "perwal: --threads must be a number from 1 to 999", "audit"},
           {"check " + rules + " " + org + " --query - --format xml", "perwal: --format must be text or json", "check"},
           {"check " + rules + " " + org + " --query - --lang fr", "perwal: --lang must be id or en", "check"},
           {"test rulesets --format xml", "perwal: --format must be text or json (or junit)", "test"},
           {"lint --strict=W999 rulesets/permenpanrb-7-2022.perwal", "W999 is not a warning code", "lint"},
           {"lint -A W012 -D W012 rulesets/permenpanrb-7-2022.perwal", "W012 is both allowed and denied", "lint"},
           {"lint --frob rulesets/permenpanrb-7-2022.perwal", "perwal: unknown option --frob for lint", "lint"},
           {"check " + rules + " " + org + " --query", "perwal: option --query needs a value", "check"},
           {"log", "perwal: log needs a subcommand: verify", "log"},
           {"log verify --data", "perwal: option --data needs a value", "log verify"},
           {"lsp now", "lsp takes no arguments", "lsp"},
           {"fmt --check -w rulesets/permenpanrb-7-2022.perwal", "fmt: --check and -w exclude each other", "fmt"},
           {"serve --rules padang-panjang-48-2024 " + org + " --port 70000",
            "perwal: --port must be a whole number from 0 to 65535", "serve"},
           {"serve --rules padang-panjang-48-2024 " + org + " --log-sync sometimes",
            "--log-sync must be full or normal", "serve"},
       }) {
    INFO(b.args);
    const auto r = run(b.args);
    CHECK(r.status == 2);
    CHECK_THAT(r.output, Catch::Contains(b.says));
    CHECK_THAT(r.output, Catch::EndsWith("\nsee perwal " + b.command + " --help\n"));
    CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 2);
  }
  // No command at all: the whole usage.
  const auto none = run("");
  CHECK(none.status == 2);
  CHECK_THAT(none.output, Catch::Contains("perwal: missing command"));
  CHECK_THAT(none.output, Catch::Contains("perwal serve --rules"));
  // The whole usage on request, exit 0.
  for (const std::string help : {"--help", "-h", "help"}) CHECK(run(help).status == 0);
  CHECK_THAT(run("--help").output, Catch::Contains("perwal import FILE.csv"));
}

TEST_CASE("COMMAND --help lists the command's options", "[cli]") {
  const auto audit = run("audit --help");
  CHECK(audit.status == 0);
  CHECK_THAT(audit.output, Catch::StartsWith("usage:\n  perwal audit --rules"));
  CHECK_THAT(audit.output, Catch::Contains("--threads N"));
  CHECK_THAT(audit.output, Catch::Contains("--strict-nip"));
  const auto verify = run("log verify --help");
  CHECK(verify.status == 0);
  CHECK_THAT(verify.output, Catch::Contains("perwal log verify [--data DIR | --store URL]"));
  CHECK_THAT(verify.output, Catch::Contains("--data DIR"));
  const auto serve = run("serve -h");
  CHECK(serve.status == 0);
  CHECK_THAT(serve.output, Catch::Contains("--max-store-bytes BYTES"));
}

TEST_CASE("an unreadable file says why: missing, a directory", "[cli][bad-input]") {
  const auto dir = run("lint rulesets/");
  CHECK(dir.status == 2);
  CHECK_THAT(dir.output, Catch::Contains("rulesets/: error[E011]: cannot read ruleset file"));
  CHECK_THAT(dir.output, Catch::Contains("note: it is a directory"));
  const auto dir_id = run("lint rulesets/ --lang id");
  CHECK_THAT(dir_id.output, Catch::Contains("itu sebuah direktori"));
  const auto missing = run("lint no-such.perwal");
  CHECK(missing.status == 2);
  CHECK_THAT(missing.output, Catch::Contains("note: no such file"));
  const auto org_missing = run("audit " + rules + " --org no-such.json");
  CHECK(org_missing.status == 2);
  CHECK_THAT(org_missing.output, Catch::Contains("no-such.json: cannot read the org file: no such file"));
  const auto org_dir = run("audit " + rules + " --org fixtures --lang id");
  CHECK(org_dir.status == 2);
  CHECK_THAT(org_dir.output, Catch::Contains("fixtures: berkas org tidak dapat dibaca: itu sebuah direktori"));
  const auto query_missing = run("check " + rules + " " + org + " --query no-such.json");
  CHECK(query_missing.status == 2);
  CHECK_THAT(query_missing.output, Catch::Contains("no-such.json: cannot read the query file: no such file"));
}

TEST_CASE("lint --strict, --strict=CODE and repeated --allow as before", "[cli]") {
  const std::string file = " tests/data/compile/unreachable_workflow.perwal";
  CHECK(run("lint --strict=W012" + file, "PERWAL_PATH=rulesets").status == 1);
  CHECK(run("lint --strict=W001" + file, "PERWAL_PATH=rulesets").status == 0);
  CHECK(run("lint" + file + " --strict", "PERWAL_PATH=rulesets").status == 1);
  // Every warning the file has, allowed over three options: --strict has nothing left to fail on.
  const auto all = run("lint --strict -A W010,W013 --allow W012 -A W003,W004" + file, "PERWAL_PATH=rulesets");
  INFO(all.output);
  CHECK(all.status == 0);
  CHECK_THAT(all.output, Catch::Contains("0 error(s), 0 warning(s)"));
}

TEST_CASE("lint: the summary comes after the diagnostics on its own line, in Indonesian with --lang id", "[cli]") {
  const std::string file = " tests/data/compile/unreachable_workflow.perwal";
  const auto en = run("lint" + file, "PERWAL_PATH=rulesets");  // stdout and stderr merged
  CHECK(en.status == 0);
  CHECK_THAT(en.output,
             Catch::EndsWith("^\ntests/data/compile/unreachable_workflow.perwal: 0 error(s), 17 warning(s)\n"));
  const auto id = run("lint --lang id" + file, "PERWAL_PATH=rulesets");
  CHECK_THAT(id.output, Catch::Contains("peringatan[W012]"));
  CHECK_THAT(id.output, Catch::EndsWith("^\ntests/data/compile/unreachable_workflow.perwal: 0 galat, 17 peringatan\n"));
  const auto bad = run("lint --lang id tests/data/cli/ruleset_malformed.perwal");
  CHECK(bad.status == 2);
  CHECK_THAT(bad.output, Catch::EndsWith("ruleset_malformed.perwal: 1 galat, 0 peringatan\n"));
}

namespace {

// The options a command's --help lists ("  -A,--allow CODE,... ..." gives -A and --allow), -h/--help aside.
std::set<std::string> help_options(const std::string& help) {
  std::set<std::string> out;
  std::istringstream in(help.substr(help.find("\nOptions:")));
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("  -", 0) != 0) continue;
    std::istringstream names(line.substr(2, line.find(' ', 2) - 2));
    for (std::string n; std::getline(names, n, ',');) {
      if (n != "-h" && n != "--help") out.insert(n);
    }
  }
  return out;
}

// Runs `script` in bash from the repository root; its output.
std::string bash(const std::string& script) {
  const auto file = std::filesystem::temp_directory_path() / ("perwal-bash-" + std::to_string(::getpid()) + ".sh");
  std::ofstream(file) << script;
  const std::string cmd = "cd '" + perwal::testing::source_dir().string() + "' && bash '" + file.string() + "' 2>&1";
  std::string out;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), static_cast<int>(buf.size()), pipe)) out += buf.data();
  ::pclose(pipe);
  std::filesystem::remove(file);
  return out;
}

}  // namespace

TEST_CASE("bash completion: each command's options are the ones its --help lists", "[cli][completion]") {
  const auto script = perwal::testing::slurp(perwal::testing::source_dir() / "editor-support/bash/perwal");
  std::istringstream in(script);
  std::size_t commands = 0;
  for (std::string line; std::getline(in, line);) {
    const auto paren = line.find(") opts=\"");
    if (paren == std::string::npos || line.rfind("    ", 0) != 0 || line[4] == '*' || line.find("--format") < paren)
      continue;
    const std::string command = line.substr(4, paren - 4);
    if (command.find(' ') != std::string::npos) continue;  // the --format values
    INFO(command);
    std::set<std::string> listed;
    std::istringstream words(line.substr(paren + 8, line.rfind('"') - paren - 8));
    for (std::string w; words >> w;) listed.insert(w);
    const auto help = run((command == "log" ? "log verify" : command) + " --help");
    REQUIRE(help.status == 0);
    CHECK(listed == help_options(help.output));
    ++commands;
  }
  CHECK(commands == 17);
  // bash completes a command, an option and an option's values.
  const auto out = bash(
      "source editor-support/bash/perwal\n"
      "COMP_WORDS=(perwal au); COMP_CWORD=1; _perwal; echo \"1:${COMPREPLY[*]}\"\n"
      "COMP_WORDS=(perwal audit --thr); COMP_CWORD=2; _perwal; echo \"2:${COMPREPLY[*]}\"\n"
      "COMP_WORDS=(perwal test --format ''); COMP_CWORD=3; _perwal; echo \"3:${COMPREPLY[*]}\"\n"
      "COMP_WORDS=(perwal log ''); COMP_CWORD=2; _perwal; echo \"4:${COMPREPLY[*]}\"\n"
      "COMP_WORDS=(perwal gen-org --scale p); COMP_CWORD=3; _perwal; echo \"5:${COMPREPLY[*]}\"\n");
  CHECK(out == "1:audit\n2:--threads\n3:text json junit\n4:verify export\n5:province\n");
  // The subcommands' own options.
  const auto sub = bash(
      "source editor-support/bash/perwal\n"
      "COMP_WORDS=(perwal log export --out); COMP_CWORD=3; _perwal; echo \"1:${COMPREPLY[*]}\"\n"
      "COMP_WORDS=(perwal log export --format ''); COMP_CWORD=4; _perwal; echo \"2:${COMPREPLY[*]}\"\n"
      "COMP_WORDS=(perwal db migrate --st); COMP_CWORD=3; _perwal; echo \"3:${COMPREPLY[*]}\"\n");
  CHECK(sub == "1:--outcome --output\n2:ndjson csv\n3:--store\n");
}

// The English page as the build generates it (`perwal help-man`, beside the program).
const std::filesystem::path generated_man = std::filesystem::path(PERWAL_BINARY).parent_path() / "man/perwal.1";

TEST_CASE("the manual pages: a section per command, rendered by groff without a warning", "[cli][man]") {
  const auto usage = run("--help").output;
  for (const std::string& page :
       {generated_man.string(), (perwal::testing::source_dir() / "man/id/perwal.1").string()}) {
    INFO(page);
    const auto text = perwal::testing::slurp(page);
    std::istringstream in(usage);
    std::size_t commands = 0;
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("  perwal ", 0) != 0 || line.rfind("  perwal --", 0) == 0) continue;
      auto command = line.substr(9, line.find(' ', 9) - 9);
      std::string escaped;  // roff writes a hyphen as \-
      for (char c : command) escaped += c == '-' ? std::string("\\-") : std::string(1, c);
      INFO(command);
      CHECK_THAT(text, Catch::Contains(".SS \"" + escaped));
      ++commands;
    }
    CHECK(commands >= 15);
    // -ww: every warning; -z: no output. Anything printed is a warning or an error.
    const auto rendered = bash("groff -man -Tutf8 -ww -z " + page + "; echo \"status $?\"");
    CHECK(rendered == "status 0\n");
  }
  // The check can fail: an undefined macro is reported.
  CHECK_THAT(bash("printf '.TH A 1\\n.XX x\\n' | groff -man -ww -z"), Catch::Contains("warning"));
}

TEST_CASE("the English manual page is the parser's own help: every option of every command", "[cli][man]") {
  const auto page = perwal::testing::slurp(generated_man);
  // What the build wrote is what help-man writes now.
  CHECK(run("help-man man/perwal.1.in").output == page);
  CHECK_THAT(page, !Catch::Contains("@COMMANDS@"));
  CHECK_THAT(page, !Catch::Contains("help\\-man"));  // hidden
  std::size_t options = 0;
  for (const std::string command :
       {"check", "audit", "lint", "test", "diff", "explore-org", "gen-org", "compile-org", "import", "export", "serve",
        "log verify", "log export", "db migrate", "schema", "lsp", "fmt"}) {
    const auto help = run(command + " --help").output;
    std::istringstream in(help);
    for (std::string line; std::getline(in, line);) {
      // CLI11's option lines: "  --name TYPE   description", "  -o,--out ..."
      if (line.rfind("  -", 0) != 0) continue;
      auto name = line.substr(2, line.find_first_of(" ,", 2) - 2);
      if (name == "-h") continue;  // a common option
      std::string escaped;
      for (char c : name) escaped += c == '-' ? std::string("\\-") : std::string(1, c);
      INFO(command << ": " << name);
      CHECK_THAT(page, Catch::Contains(escaped));
      ++options;
    }
  }
  CHECK(options > 60);
  // A help-man without its template is a usage error.
  CHECK(run("help-man").status == 2);
}
