// `perwal import` and `perwal export` as an auditor runs them: every bundled
// fixture survives export -> import with the same audit, bad rows exit 2
// with sheet, row and column, --keep-going writes what could be placed.
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "test_support.hpp"

namespace {

struct run_result {
  int status = -1;
  std::string out, err;
};

std::filesystem::path scratch() {
  static const auto dir = [] {
    auto d = std::filesystem::temp_directory_path() / ("perwal-import-cli-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir;
}

// Runs perwal from the repository root; stdout and stderr apart.
run_result run(const std::string& args) {
  static int calls = 0;
  const auto err_file = scratch() / ("stderr-" + std::to_string(++calls));
  const std::string cmd = "cd '" + perwal::testing::source_dir().string() + "' && PERWAL_PATH= '" PERWAL_BINARY "' " +
                          args + " 2>'" + err_file.string() + "'";
  run_result r;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), static_cast<int>(buf.size()), pipe)) r.out += buf.data();
  const int raw = ::pclose(pipe);
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.err = perwal::testing::slurp(err_file);
  return r;
}

}  // namespace

TEST_CASE("every bundled fixture survives export -> import with an identical audit (csv and xlsx)", "[cli][import]") {
  const std::pair<const char*, const char*> fixtures[] = {{"padang-panjang", "padang-panjang-48-2024"},
                                                          {"bukittinggi", "bukittinggi-rancangan"},
                                                          {"jambi", "jambi-13-2025"},
                                                          {"pasuruan", "pasuruan-41-2023"}};
  for (const auto& [fixture, ruleset] : fixtures) {
    const std::string org = "fixtures/" + std::string(fixture) + "/org.json";
    const std::string rules = "--rules " + std::string(ruleset);
    const auto before = run("audit " + rules + " --org " + org + " --format json");
    REQUIRE(before.status == 1);  // the fixtures plant violations
    for (const std::string format : {"csv", "xlsx"}) {
      INFO(fixture << " via " << format);
      const auto sheet = scratch() / (std::string(fixture) + "." + format);
      const auto back = scratch() / (std::string(fixture) + "-" + format + ".json");
      const auto exported = run("export " + org + " --format " + format + " -o '" + sheet.string() + "'");
      REQUIRE(exported.status == 0);
      const auto imported = run("import '" + sheet.string() + "' -o '" + back.string() + "' --lang en");
      INFO(imported.err);
      REQUIRE(imported.status == 0);
      CHECK_THAT(imported.err, Catch::Contains("; 0 refused"));
      const auto after = run("audit " + rules + " --org '" + back.string() + "' --format json");
      CHECK(after.status == before.status);
      CHECK(nlohmann::json::parse(after.out) == nlohmann::json::parse(before.out));
    }
  }
}

TEST_CASE("import of a SIASN-style sheet (`;`, BOM, CRLF, quotes, a line break in a name)", "[cli][import]") {
  const auto out = scratch() / "siasn.json";
  const auto r = run("import tests/data/import/siasn-flat.csv -o '" + out.string() + "'");
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK_THAT(r.err, Catch::Contains("Impor: 6 baris dibaca; 4 unit, 6 jabatan, 6 pegawai; 0 ditolak"));
  CHECK_THAT(r.err, Catch::Contains("Disimpulkan dari kamus:"));
  const auto doc = nlohmann::json::parse(perwal::testing::slurp(out));
  CHECK(doc["schema"] == "perwal-org/1");
  CHECK(doc["employees"][1]["name"] == "Oktaviandi Amri; S.T.");
  CHECK(doc["positions"][4]["jenjang"] == "ahli_muda");
  // and the result audits
  const auto audit = run("audit --rules permenpanrb-7-2022 --org '" + out.string() + "' --format json");
  CHECK((audit.status == 0 || audit.status == 1));
  CHECK(nlohmann::json::parse(audit.out).contains("checked"));
}

TEST_CASE("import: a refused row exits 2 and writes nothing; --keep-going writes the rest", "[cli][import]") {
  const auto sheet = scratch() / "bad.csv";
  std::ofstream(sheet) << "NIP,NAMA,JABATAN,JENIS_JABATAN,UNIT_KERJA,INSTANSI\n"
                          "197001091994011017,Wali,Wali Kota X,,Pemerintah Kota X,Pemerintah Kota X\n"
                          "197001091994011018,Siapa,Penjaga Menara,Struktural,Pemerintah Kota X,Pemerintah Kota X\n";
  const auto out = scratch() / "bad.json";
  std::filesystem::remove(out);
  const auto r = run("import '" + sheet.string() + "' -o '" + out.string() + "' --lang en");
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Catch::Contains(sheet.string() + ": row 3, column JENIS_JABATAN (D): cannot infer the jenis of "
                                                     "\"Struktural\""));
  CHECK_FALSE(std::filesystem::exists(out));
  const auto id = run("import '" + sheet.string() + "' -o '" + out.string() + "'");
  CHECK(id.status == 2);
  CHECK_THAT(id.err,
             Catch::Contains(": baris 3, kolom JENIS_JABATAN (D): jenis untuk \"Struktural\" tidak dapat disimpulkan"));
  const auto report = scratch() / "bad.report";
  const auto kept = run("import '" + sheet.string() + "' -o '" + out.string() + "' --keep-going --report '" +
                        report.string() + "' --lang en");
  CHECK(kept.status == 0);
  REQUIRE(std::filesystem::exists(out));
  CHECK(nlohmann::json::parse(perwal::testing::slurp(out))["positions"].size() == 1);
  CHECK_THAT(perwal::testing::slurp(report), Catch::Contains("Rows that could not be placed:"));
}

TEST_CASE("import and export: usage, help and unreadable input", "[cli][import]") {
  const auto help = run("import --help");
  CHECK(help.status == 0);
  CHECK_THAT(help.out, Catch::Contains("perwal import FILE.csv|FILE.xlsx"));
  CHECK(run("export --help").status == 0);
  CHECK_THAT(run("export --help").out, Catch::Contains("perwal export ORG.json --format csv|xlsx -o FILE"));
  CHECK(run("import").status == 2);
  CHECK(run("export fixtures/jambi/org.json --format pdf -o x.pdf").status == 2);
  const auto missing = run("import no-such.xlsx -o " + (scratch() / "x.json").string() + " --lang en");
  CHECK(missing.status == 2);
  CHECK_THAT(missing.err, Catch::Contains("no-such.xlsx: not an XLSX workbook"));
  const auto mapping = scratch() / "m.json";
  std::ofstream(mapping) << R"({"schema": "perwal-import-mapping/1", "columns": {"nope": "X"}})";
  const auto bad_mapping = run("import tests/data/import/siasn-flat.csv --mapping '" + mapping.string() + "' -o " +
                               (scratch() / "x.json").string() + " --lang en");
  CHECK(bad_mapping.status == 2);
  CHECK_THAT(bad_mapping.err, Catch::Contains("columns.nope: unknown field"));
}

TEST_CASE("a NIP not of the national form: a warning by default, refused with --strict-nip", "[cli][integrity]") {
  auto doc = nlohmann::json::parse(perwal::testing::slurp(perwal::testing::source_dir() / "fixtures/jambi/org.json"));
  doc["employees"].push_back({{"nip", "12"}, {"name", "Pegawai Baru"}, {"position", doc["positions"][0]["id"]}});
  const auto org = scratch() / "short-nip.json";
  std::ofstream(org) << doc.dump();
  const auto plain = run("audit --rules jambi-13-2025 --org '" + org.string() + "' --format json --lang en");
  CHECK(plain.status == 1);  // audited as before
  CHECK_THAT(plain.err,
             Catch::Contains("warning: " + org.string() + ": employees[" + std::to_string(doc["employees"].size() - 1) +
                             "].nip: NIP \"12\" is not of the national form: 18 digits"));
  const auto strict = run("audit --rules jambi-13-2025 --org '" + org.string() + "' --strict-nip --lang id");
  CHECK(strict.status == 2);
  CHECK_THAT(strict.err, Catch::Contains("NIP \"12\" tidak berbentuk nasional: 18 angka"));
  CHECK(strict.out.empty());
}

TEST_CASE("long commands show progress on a terminal and stay quiet otherwise", "[cli][progress]") {
  const std::string audit = "audit --rules padang-panjang-48-2024 --org fixtures/padang-panjang/org.json --format json";
  // not a terminal: stderr stays empty, stdout is the audit
  const auto quiet = run(audit);
  CHECK(quiet.status == 1);
  CHECK(quiet.err.empty());
  // a terminal (a pseudo-terminal from script(1)): the progress line, then wiped
  const auto log = scratch() / "tty.log";
  const std::string cmd = "cd '" + perwal::testing::source_dir().string() + "' && script -qec \"'" PERWAL_BINARY "' " +
                          audit + " > /dev/null\" /dev/null > '" + log.string() + "'";
  REQUIRE(std::system(cmd.c_str()) != -1);
  const auto shown = perwal::testing::slurp(log);
  CHECK_THAT(shown, Catch::Contains("\rperwal audit: membaca org"));
  CHECK_THAT(shown, Catch::Contains("2799 / 2799 butir diperiksa (100%)"));
  const auto import_log = scratch() / "tty-import.log";
  const std::string imp = "cd '" + perwal::testing::source_dir().string() +
                          "' && script -qec \"'" PERWAL_BINARY "' import tests/data/import/siasn-flat.csv -o '" +
                          (scratch() / "tty.json").string() + "' --report /dev/null\" /dev/null > '" +
                          import_log.string() + "'";
  REQUIRE(std::system(imp.c_str()) != -1);
  CHECK_THAT(perwal::testing::slurp(import_log), Catch::Contains("6 / 6 baris (100%)"));
}
