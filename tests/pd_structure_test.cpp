// The standard Perangkat Daerah structure (data/perangkat-daerah.json): the
// file loads and says what the regulation's kinds are; malformed files are
// refused with the field named; the generator and the exploration universe
// build from it; the generator names the planted rules from the ruleset it
// is given, not from one ruleset's names.
#include "engine/common/pd_structure.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "engine/compile/ruleset.hpp"
#include "engine/explore/universe.hpp"
#include "engine/gen/org_gen.hpp"
#include "test_support.hpp"

namespace {

using json = nlohmann::json;

std::filesystem::path data_file() {
  return perwal::testing::source_dir() / "data" / "perangkat-daerah.json";
}

json data_json() {
  return json::parse(perwal::testing::slurp(data_file()));
}

std::shared_ptr<const perwal::compiled_ruleset> ruleset(const std::string& id) {
  perwal::diagnostics diags;
  auto r = perwal::compile_ruleset(perwal::testing::source_dir() / "rulesets" / (id + ".perwal"), diags);
  REQUIRE(r != nullptr);
  return r;
}

std::string refusal(const json& doc) {
  try {
    (void)perwal::parse_pd_structure(doc, "test.json");
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "accepted";
}

perwal::gen::options small_city(const perwal::compiled_ruleset& rules, std::uint32_t per_10k) {
  perwal::gen::options o;
  o.seed = 3;
  o.violations_per_10k = per_10k;
  o.rules = &rules;
  return o;
}

}  // namespace

TEST_CASE("structure: the bundled file loads and describes every canonical kind", "[structure]") {
  const auto s = perwal::load_pd_structure(data_file());
  std::set<std::string> kinds;
  for (const auto& f : s.perangkat_daerah) kinds.insert(f.jenis_unit);
  CHECK(kinds == std::set<std::string>{"sekretariat_daerah", "sekretariat_dprd", "inspektorat", "dinas", "badan",
                                       "dpmptsp", "bpbd", "rsud", "kecamatan", "kelurahan", "uptd", "puskesmas",
                                       "satuan_pendidikan"});
  // Heads as Lampiran II and the fixtures have them.
  CHECK(s.head_of("dinas")->jabatan == "kepala_dinas");
  CHECK(s.head_of("bpbd")->jabatan == "kepala_pelaksana");
  CHECK(s.head_of("sekretariat_daerah")->jenis_for(false) == "jpt_pratama");
  CHECK(s.head_of("sekretariat_daerah")->jenis_for(true) == "jpt_madya");
  CHECK(s.head_of("pemerintah_daerah")->jenis == "kepala_daerah");
  CHECK(s.head_of("seksi")->jenis == "pengawas");
  // Two forms of UPTD: led by a Pengawas (with a tata usaha), and by an FP.
  const auto uptd = s.forms("uptd");
  REQUIRE(uptd.size() == 2);
  CHECK(uptd[0]->kepala.jenis == "pengawas");
  CHECK(uptd[1]->kepala.jenis == "fungsional");
  CHECK(s.form("kel")->induk == "kecamatan");
  // The kelurahan's sekretaris is a Pengawas, not the Administrator of a sekretariat elsewhere.
  const auto& kel = *s.form("kel");
  CHECK(s.inner_head_jenis(kel.unit_kerja[0]) == "pengawas");
  CHECK(s.inner_head_jenis(s.form("dinas")->unit_kerja[0]) == "administrator");
  CHECK(s.family("perawat")->kategori == perwal::fp_category::keduanya);
  CHECK(s.jenjang.size() == 8);
  CHECK(s.jabatan_pelaksana.size() == 4);
  CHECK(s.persen_ahli_menurut_jabatan.at("bidan") == 45);
}

TEST_CASE("structure: found in the source tree, or where PERWAL_STRUCTURE says", "[structure]") {
  CHECK(std::filesystem::equivalent(perwal::pd_structure_path(), data_file()));
  const auto rel = perwal::find_resource("rulesets/padang-panjang-48-2024.perwal");
  REQUIRE(rel.has_value());
  ::setenv("PERWAL_STRUCTURE", "/nonexistent/structure.json", 1);
  CHECK(perwal::pd_structure_path() == "/nonexistent/structure.json");
  ::unsetenv("PERWAL_STRUCTURE");
}

TEST_CASE("structure: a malformed file is refused, naming the field", "[structure]") {
  auto doc = data_json();
  CHECK(refusal(doc) == "accepted");
  {
    auto d = doc;
    d["format"] = "perwal-perangkat-daerah/9";
    CHECK_THAT(refusal(d), Catch::Contains("\"format\" must be"));
  }
  {
    auto d = doc;
    d["perangkat_daerah"][3]["unit_kerja"][4]["induk"] = "bid9";
    CHECK_THAT(refusal(d), Catch::Contains("perangkat_daerah[3].unit_kerja[4]"));
    CHECK_THAT(refusal(d), Catch::Contains("induk \"bid9\""));
  }
  {
    auto d = doc;
    d["unit_kerja"][0]["kepala"]["jenis"] = "eselon_3";
    CHECK_THAT(refusal(d), Catch::Contains("unit_kerja[0]"));
    CHECK_THAT(refusal(d), Catch::Contains("\"eselon_3\" is not in jenis_jabatan"));
  }
  {
    auto d = doc;
    d["perangkat_daerah"][0]["unit_kerja"][0]["jenis_unit"] = "direktorat";
    CHECK_THAT(refusal(d), Catch::Contains("\"direktorat\" is not in unit_kerja"));
  }
  {
    auto d = doc;
    d["jabatan_fungsional"][1]["kategori"] = "semua";
    CHECK_THAT(refusal(d), Catch::Contains("jabatan_fungsional[1]"));
  }
  {
    auto d = doc;
    d.erase("jabatan_pelaksana");
    CHECK_THAT(refusal(d), Catch::Contains("missing \"jabatan_pelaksana\""));
  }
}

TEST_CASE("structure: the generator and the universe build from the file they are given", "[structure][gen][explore]") {
  const auto pp = ruleset("padang-panjang-48-2024");
  auto doc = data_json();
  doc["jabatan_pelaksana"][0]["nama"] = "Pengolah Data dan Informasi";
  for (auto& u : doc["perangkat_daerah"][3]["unit_kerja"]) {  // the dinas: bid1 -> bidang1
    if (u["kunci"] == "bid1") u["kunci"] = "bidang1";
    if (u["induk"] == "bid1") u["induk"] = "bidang1";
  }
  const auto changed = perwal::parse_pd_structure(doc, "changed.json");
  // The generator's pelaksana titles.
  auto o = small_city(*pp, 0);
  std::ostringstream standard_out, changed_out;
  (void)perwal::gen::generate(o, standard_out);
  o.structure = &changed;
  (void)perwal::gen::generate(o, changed_out);
  CHECK(standard_out.str().find("Pengolah Data dan Informasi") == std::string::npos);
  CHECK(changed_out.str().find("\"Pengolah Data dan Informasi\"") != std::string::npos);
  // The universe's unit ids.
  const auto uni = perwal::explore::build_universe({pp.get()}, changed);
  std::set<std::string> ids;
  for (const auto& u : uni[0].spec.units) ids.insert(u.id);
  CHECK(ids.count("a.dinas.bidang1") == 1);
  CHECK(ids.count("a.dinas.bid1") == 0);
  CHECK(perwal::org::to_json(perwal::explore::build_universe({pp.get()})[0].spec) != perwal::org::to_json(uni[0].spec));
  // A structure the generator cannot use is refused with the reason.
  auto no_fp_uptd = doc;
  no_fp_uptd["perangkat_daerah"].erase(11);  // uptd-fp
  REQUIRE(no_fp_uptd["perangkat_daerah"][10]["kunci"] == "uptd");
  const auto lacking = perwal::parse_pd_structure(no_fp_uptd, "lacking.json");
  o.structure = &lacking;
  std::ostringstream sink;
  CHECK_THROWS_WITH(perwal::gen::generate(o, sink), Catch::Contains("no UPTD led by a Pejabat Fungsional"));
}

TEST_CASE("gen: the planted rules are named from the ruleset given", "[structure][gen]") {
  const auto pp = ruleset("padang-panjang-48-2024");
  perwal::gen::report rep;
  std::ostringstream out;
  auto o = small_city(*pp, 400);
  rep = perwal::gen::generate(o, out);
  CHECK(rep.ruleset == "padang-panjang-48-2024");
  // Found by what the rules are about: each name is a rule of the ruleset.
  std::set<std::string> known;
  for (const auto* r : pp->all_rules()) known.insert(r->name);
  for (const auto& [name, n] : rep.planted_by_rule) {
    INFO(name);
    CHECK(known.count(name) == 1);
  }
  CHECK(rep.planted_by_rule.count("kedudukan.atasan_langsung") + rep.planted_by_rule.count("kedudukan.dinas") == 2);
  CHECK(rep.planted_by_rule.count("delegasi.pemberi_atasan") == 1);
  CHECK(rep.planted_by_rule.count("tim.ketua_fungsional_pelaksana") == 1);
  // The base ruleset has no kedudukan tables: nothing can be planted against
  // it, though a clean org is generated, the same bytes as for any ruleset.
  const auto base = ruleset("permenpanrb-7-2022");
  std::ostringstream clean_pp, clean_base;
  (void)perwal::gen::generate(small_city(*pp, 0), clean_pp);
  const auto base_rep = perwal::gen::generate(small_city(*base, 0), clean_base);
  CHECK(base_rep.ruleset == "permenpanrb-7-2022");
  CHECK(clean_pp.str() == clean_base.str());
  std::ostringstream sink;
  CHECK_THROWS_WITH(perwal::gen::generate(small_city(*base, 400), sink),
                    Catch::Contains("permenpanrb-7-2022 has no rule for a planted item (a kedudukan table for"));
  perwal::gen::options none;
  CHECK_THROWS_AS(perwal::gen::generate(none, sink), std::invalid_argument);
}
