// The org graph: a small valid org and its indices, then every class of
// input error as data (tests/data/org/bad/<case>.json beside <case>.expected).
#include "engine/org/org.hpp"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "engine/common/vocabulary.hpp"
#include "engine/org/org_spec.hpp"
#include "tests/data_cases.hpp"

namespace {

using perwal::category;
using perwal::code;
using perwal::diagnostics;
using perwal::vocabulary;
using perwal::org::edge_kind;
using perwal::org::none;
using perwal::org::org_graph;
using perwal::org::structure;
using perwal::org::vertex_kind;
// not `index`: a using-directive would make it clash with POSIX ::index()
using org_index = perwal::org::index;

std::vector<std::string> strings(perwal::org::tag_list tags) {
  return {tags.begin(), tags.end()};
}

// The codes (docs/reference.md §1) that the tests need.
vocabulary make_vocabulary() {
  vocabulary v;
  int rank = 8;
  for (const char* j : {"kepala_daerah", "jpt_utama", "jpt_madya", "jpt_pratama", "administrator", "pengawas"}) {
    v.add(category::jenis, j, rank--);
  }
  v.add(category::jenis, "fungsional", 1);
  v.add(category::jenis, "pelaksana", 1);
  rank = 4;
  for (const char* j : {"ahli_utama", "ahli_madya", "ahli_muda", "ahli_pertama"}) v.add(category::jenjang, j, rank--);
  rank = 4;
  for (const char* j : {"penyelia", "mahir", "terampil", "pemula"}) v.add(category::jenjang, j, rank--);
  for (const char* k : {"pemerintah_daerah",
                        "sekretariat_daerah",
                        "sekretariat_dprd",
                        "inspektorat",
                        "dinas",
                        "badan",
                        "dpmptsp",
                        "bpbd",
                        "rsud",
                        "kecamatan",
                        "kelurahan",
                        "uptd",
                        "puskesmas",
                        "satuan_pendidikan",
                        "asisten",
                        "wakil_direktur",
                        "bagian",
                        "subbagian",
                        "bidang",
                        "subbidang",
                        "seksi",
                        "sekretariat",
                        "inspektur_pembantu",
                        "tata_usaha"}) {
    v.add(category::unit_kind, k);
  }
  for (const char* k : {"kepala_daerah",
                        "sekretaris_daerah",
                        "asisten",
                        "kepala_bagian",
                        "kepala_subbagian",
                        "sekretaris_dprd",
                        "inspektur",
                        "inspektur_pembantu",
                        "sekretaris",
                        "kepala_dinas",
                        "kepala_badan",
                        "kepala_pelaksana",
                        "kepala_bidang",
                        "kepala_subbidang",
                        "kepala_seksi",
                        "camat",
                        "lurah",
                        "kepala_uptd",
                        "kepala_tata_usaha",
                        "direktur",
                        "wakil_direktur",
                        "kepala_puskesmas",
                        "kepala_satuan_pendidikan",
                        "fungsional",
                        "pelaksana"}) {
    v.add(category::position_kind, k);
  }
  v.add(category::authority, "penilai_kinerja");
  v.add(category::authority, "penandatangan_surat");
  return v;
}

code code_of(const vocabulary& v, category c, std::string_view name) {
  const auto id = v.find(c, name);
  REQUIRE(id);
  return *id;
}

// Perangkat daerah kinds per the contract; a few inner kinds make a unit
// organisasi, the rest fall back to their perangkat daerah.
structure make_structure(const vocabulary& v) {
  structure s;
  for (const char* k : {"sekretariat_daerah", "sekretariat_dprd", "inspektorat", "dinas", "badan", "dpmptsp", "bpbd",
                        "rsud", "kecamatan", "kelurahan", "uptd", "puskesmas", "satuan_pendidikan"}) {
    s.perangkat_daerah_kinds.push_back(code_of(v, category::unit_kind, k));
  }
  for (const char* k : {"bagian", "bidang", "sekretariat", "inspektur_pembantu"}) {
    s.unit_organisasi_kinds.push_back(code_of(v, category::unit_kind, k));
  }
  return s;
}

// Two instansi. Units are listed so that references point forwards and
// backwards, y.bkpsdm comes before its parent, and x.setda.bag-umum comes
// before x.setda.bag-org in the input but after it in pre-order.
constexpr std::string_view small_org = R"json({
  "schema": "perwal-org/1",
  "generator": "ignored: unknown fields are kept silently",
  "instansi": [
    {"id": "kota-x", "name": "Pemerintah Kota X", "pejabat_berwenang": "196501011990031001"},
    {"id": "kota-y", "name": "Pemerintah Kota Y", "pejabat_berwenang": "y.bupati"}
  ],
  "units": [
    {"id": "x.pemda", "name": "Pemerintah Kota X", "kind": "pemerintah_daerah", "parent": null,
     "instansi": "kota-x", "head": "196501011990031001"},
    {"id": "x.setda", "name": "Sekretariat Daerah", "kind": "sekretariat_daerah", "parent": "x.pemda",
     "head": "x.sekda"},
    {"id": "x.setda.asisten-adm", "name": "Asisten Administrasi Umum", "kind": "asisten", "parent": "x.setda",
     "head": "x.asisten-adm"},
    {"id": "x.setda.bag-umum", "name": "Bagian Umum", "kind": "bagian", "parent": "x.setda"},
    {"id": "x.setda.bag-org", "name": "Bagian Organisasi", "kind": "bagian", "parent": "x.setda.asisten-adm",
     "head": "x.kabag-org", "instansi": "kota-x"},
    {"id": "x.setda.bag-org.kelembagaan", "name": "Subbagian Kelembagaan", "kind": "subbagian",
     "parent": "x.setda.bag-org", "head": "x.kasubbag-kelembagaan"},
    {"id": "x.dinkes", "name": "Dinas Kesehatan", "kind": "dinas", "parent": "x.pemda", "head": "x.kadinkes",
     "tags": ["urusan:kesehatan"], "alamat": "ignored"},
    {"id": "x.dinkes.sekretariat", "name": "Sekretariat", "kind": "sekretariat", "parent": "x.dinkes"},
    {"id": "x.dinkes.bid-p2p", "name": "Bidang P2P", "kind": "bidang", "parent": "x.dinkes",
     "head": "x.dinkes.kabid-p2p"},
    {"id": "x.dinkes.tu", "name": "Tata Usaha", "kind": "tata_usaha", "parent": "x.dinkes"},
    {"id": "x.dinkes.pkm-1", "name": "Puskesmas 1", "kind": "puskesmas", "parent": "x.dinkes",
     "head": "x.dinkes.kapus-1"},
    {"id": "x.dinkes.pkm-1.tu", "name": "Tata Usaha Puskesmas 1", "kind": "tata_usaha",
     "parent": "x.dinkes.pkm-1"},
    {"id": "y.bkpsdm", "name": "BKPSDM", "kind": "badan", "parent": "y.pemda", "head": "y.kaban",
     "tags": ["urusan:kepegawaian"]},
    {"id": "y.pemda", "name": "Pemerintah Kota Y", "kind": "pemerintah_daerah", "parent": null,
     "instansi": "kota-y", "head": "y.bupati"}
  ],
  "positions": [
    {"id": "x.walikota", "title": "Wali Kota", "kind": "kepala_daerah", "jenis": "kepala_daerah",
     "unit": "x.pemda", "atasan": null},
    {"id": "x.sekda", "title": "Sekretaris Daerah", "kind": "sekretaris_daerah", "jenis": "jpt_madya",
     "unit": "x.setda", "atasan": "x.walikota"},
    {"id": "x.asisten-adm", "title": "Asisten Administrasi Umum", "kind": "asisten", "jenis": "jpt_pratama",
     "unit": "x.setda.asisten-adm", "atasan": "x.sekda"},
    {"id": "x.kabag-org", "title": "Kepala Bagian Organisasi", "kind": "kepala_bagian", "jenis": "administrator",
     "unit": "x.setda.bag-org", "atasan": "x.asisten-adm", "tags": ["pimpinan"]},
    {"id": "x.bag-org.analis-1", "title": "Analis Kebijakan Ahli Muda", "kind": "fungsional", "jenis": "fungsional",
     "jenjang": "ahli_muda", "unit": "x.setda.bag-org", "atasan": "x.kabag-org"},
    {"id": "x.bag-org.analis-2", "title": "Analis Kebijakan Ahli Pertama", "kind": "fungsional",
     "jenis": "fungsional", "jenjang": "ahli_pertama", "unit": "x.setda.bag-org", "atasan": "197002022000031002"},
    {"id": "x.kasubbag-kelembagaan", "title": "Kepala Subbagian Kelembagaan", "kind": "kepala_subbagian",
     "jenis": "pengawas", "unit": "x.setda.bag-org.kelembagaan", "atasan": "x.kabag-org", "jenjang": null},
    {"id": "x.kadinkes", "title": "Kepala Dinas Kesehatan", "kind": "kepala_dinas", "jenis": "jpt_pratama",
     "unit": "x.dinkes", "atasan": "x.walikota"},
    {"id": "x.dinkes.kabid-p2p", "title": "Kepala Bidang P2P", "kind": "kepala_bidang", "jenis": "administrator",
     "unit": "x.dinkes.bid-p2p", "atasan": "x.kadinkes"},
    {"id": "x.dinkes.pelaksana-3", "title": "Pengadministrasi Umum", "kind": "pelaksana", "jenis": "pelaksana",
     "unit": "x.dinkes.bid-p2p", "atasan": "x.dinkes.kabid-p2p"},
    {"id": "x.dinkes.analis-2", "title": "Epidemiolog Ahli Muda", "kind": "fungsional", "jenis": "fungsional",
     "jenjang": "ahli_muda", "unit": "x.dinkes.bid-p2p", "atasan": "x.dinkes.kabid-p2p"},
    {"id": "x.dinkes.kapus-1", "title": "Kepala Puskesmas 1", "kind": "kepala_puskesmas", "jenis": "administrator",
     "unit": "x.dinkes.pkm-1", "atasan": "x.kadinkes"},
    {"id": "x.dinkes.katu-pkm-1", "title": "Kepala Tata Usaha Puskesmas 1", "kind": "kepala_tata_usaha",
     "jenis": "pengawas", "unit": "x.dinkes.pkm-1.tu", "atasan": "x.dinkes.kapus-1"},
    {"id": "y.bupati", "title": "Wali Kota Y", "kind": "kepala_daerah", "jenis": "kepala_daerah",
     "unit": "y.pemda"},
    {"id": "y.kaban", "title": "Kepala BKPSDM", "kind": "kepala_badan", "jenis": "jpt_pratama",
     "unit": "y.bkpsdm", "atasan": "y.bupati"}
  ],
  "employees": [
    {"nip": "196501011990031001", "name": "Wali Kota X", "position": "x.walikota"},
    {"nip": "197002022000031002", "name": "Kabag Organisasi", "position": "x.kabag-org"},
    {"nip": "199001012015031001", "name": "Analis Satu", "position": "x.bag-org.analis-1"}
  ],
  "delegations": [
    {"from": "x.dinkes.kabid-p2p", "to": "x.dinkes.analis-2", "authority": "penilai_kinerja",
     "basis": "Keputusan Kepala Dinas Nomor 1"},
    {"from": "197002022000031002", "to": "199001012015031001", "authority": "penilai_kinerja"}
  ],
  "teams": [
    {"id": "x.tim-rb", "name": "Tim Reformasi Birokrasi", "owner_unit": "x.setda.bag-org",
     "established_by": "x.sekda", "ketua": "199001012015031001",
     "anggota": ["x.bag-org.analis-2", "x.dinkes.pelaksana-3", "x.bag-org.analis-1"],
     "target": {"sasaran": "Indeks RB naik", "indikator": "Indeks RB", "nilai": 4}, "catatan": "kept"},
    {"id": "x.tim-sakip", "name": "Tim SAKIP", "owner_unit": "x.dinkes", "ketua": "x.dinkes.analis-2",
     "anggota": ["x.dinkes.pelaksana-3"]}
  ]
})json";

struct fixture {
  vocabulary vocab = make_vocabulary();
  structure shape = make_structure(vocab);
  diagnostics errors;
  std::shared_ptr<const org_graph> org = org_graph::load(small_org, "small.json", vocab, shape, errors);

  org_index u(std::string_view id) const {
    const org_index i = org->find_unit(id);
    REQUIRE(i != none);
    return i;
  }
  org_index p(std::string_view id) const {
    const org_index i = org->find_position(id);
    REQUIRE(i != none);
    return i;
  }
  code kind(std::string_view name) const { return code_of(vocab, category::unit_kind, name); }
  std::vector<std::string> position_ids(const org_index* first, const org_index* last) const {
    std::vector<std::string> ids;
    for (; first != last; ++first) ids.emplace_back(org->positions()[*first].id);
    return ids;
  }
};

std::vector<std::string> lines_of(const diagnostics& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors.items()) out.push_back(e.path_line());
  return out;
}

std::string text_of(const diagnostics& errors) {
  std::string out;
  for (const auto& e : errors.items()) out += e.path_line() + "\n";
  return out;
}

std::filesystem::path data_dir() {
#ifdef PERWAL_SOURCE_DIR
  return std::filesystem::path(PERWAL_SOURCE_DIR) / "tests" / "data" / "org";
#else
  return std::filesystem::current_path() / "tests" / "data" / "org";
#endif
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> read_lines(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

}  // namespace

TEST_CASE("a valid org loads", "[org]") {
  const fixture f;
  INFO(text_of(f.errors));
  REQUIRE(f.errors.empty());
  REQUIRE(f.org);
  CHECK(f.org->instansis().size() == 2);
  CHECK(f.org->units().size() == 14);
  CHECK(f.org->positions().size() == 15);
  CHECK(f.org->employees().size() == 3);
  CHECK(f.org->delegations().size() == 2);
  CHECK(f.org->teams().size() == 2);
}

TEST_CASE("lookups by id and NIP", "[org]") {
  const fixture f;
  REQUIRE(f.org);
  CHECK(f.org->units()[f.u("x.dinkes")].name == "Dinas Kesehatan");
  CHECK(f.org->find_position("x.kabag-org") == 3);
  CHECK(f.org->find_position("199001012015031001") == f.org->find_position("x.bag-org.analis-1"));
  CHECK(f.org->find_position("x.nobody") == none);
  CHECK(f.org->find_position("x.pemda") == none);  // a unit is not a position
  CHECK(f.org->find_unit("x.walikota") == none);
  CHECK(f.org->find_team("x.tim-sakip") == 1);
  CHECK(f.org->find_team("x.tim-x") == none);
  CHECK(strings(f.org->units()[f.u("x.dinkes")].tags) == std::vector<std::string>{"urusan:kesehatan"});
  CHECK(strings(f.org->positions()[f.p("x.kabag-org")].tags) == std::vector<std::string>{"pimpinan"});
}

TEST_CASE("references resolve to positions, NIPs included", "[org]") {
  const fixture f;
  REQUIRE(f.org);
  const auto& inst = f.org->instansis();
  CHECK(inst[0].pejabat_berwenang == f.p("x.walikota"));  // by NIP
  CHECK(inst[1].pejabat_berwenang == f.p("y.bupati"));
  CHECK(inst[0].root_unit == f.u("x.pemda"));
  CHECK(inst[1].root_unit == f.u("y.pemda"));
  CHECK(f.org->units()[f.u("x.pemda")].head == f.p("x.walikota"));                    // by NIP
  CHECK(f.org->positions()[f.p("x.bag-org.analis-2")].atasan == f.p("x.kabag-org"));  // by NIP
  CHECK(f.org->positions()[f.p("x.bag-org.analis-1")].jenjang == code_of(f.vocab, category::jenjang, "ahli_muda"));
  CHECK(f.org->positions()[f.p("x.kasubbag-kelembagaan")].jenjang == perwal::no_code);
  const auto& d = f.org->delegations()[1];
  CHECK(d.from == f.p("x.kabag-org"));
  CHECK(d.to == f.p("x.bag-org.analis-1"));
  CHECK(d.json_path == "delegations[1]");
  CHECK(f.org->delegations()[0].basis == "Keputusan Kepala Dinas Nomor 1");
  const auto& t = f.org->teams()[0];
  CHECK(t.owner_unit == f.u("x.setda.bag-org"));
  CHECK(t.established_by == f.p("x.sekda"));
  CHECK(t.ketua == f.p("x.bag-org.analis-1"));
  CHECK(t.anggota ==
        std::vector<org_index>{f.p("x.bag-org.analis-2"), f.p("x.dinkes.pelaksana-3"), f.p("x.bag-org.analis-1")});
  CHECK(t.target.sasaran == "Indeks RB naik");
  CHECK(t.target.indikator == "Indeks RB");
  CHECK(t.target.nilai.get() == 4);
  CHECK(t.extra.get().at("catatan") == "kept");
  CHECK(t.json_path == "teams[0]");
  CHECK(f.org->teams()[1].target.nilai.get().is_null());
  CHECK(f.org->unit_path(f.u("y.pemda")) == "units[13]");
  CHECK(f.org->position_path(f.p("y.kaban")) == "positions[14]");
}

TEST_CASE("unit forest: depth, pre-order interval, instansi", "[org]") {
  const fixture f;
  REQUIRE(f.org);
  const auto& units = f.org->units();
  const auto pre = [&](std::string_view id) { return units[f.u(id)].pre; };
  const auto post = [&](std::string_view id) { return units[f.u(id)].post; };
  // roots and children in input order; bag-umum follows the asisten subtree
  CHECK(pre("x.pemda") == 0);
  CHECK(pre("x.setda") == 1);
  CHECK(pre("x.setda.asisten-adm") == 2);
  CHECK(pre("x.setda.bag-org") == 3);
  CHECK(pre("x.setda.bag-org.kelembagaan") == 4);
  CHECK(pre("x.setda.bag-umum") == 5);
  CHECK(pre("x.dinkes") == 6);
  CHECK(pre("x.dinkes.pkm-1.tu") == 11);
  CHECK(pre("y.pemda") == 12);
  CHECK(pre("y.bkpsdm") == 13);
  CHECK(post("x.pemda") == 11);
  CHECK(post("x.setda") == 5);
  CHECK(post("x.setda.asisten-adm") == 4);
  CHECK(post("x.setda.bag-org.kelembagaan") == 4);
  CHECK(post("y.pemda") == 13);
  CHECK(units[f.u("x.pemda")].depth == 0);
  CHECK(units[f.u("x.setda.bag-org.kelembagaan")].depth == 4);
  CHECK(units[f.u("y.bkpsdm")].depth == 1);
  CHECK(units[f.u("x.dinkes.pkm-1.tu")].instansi == 0);
  CHECK(units[f.u("y.bkpsdm")].instansi == 1);
  CHECK(units[f.u("y.bkpsdm")].parent == f.u("y.pemda"));  // a forward reference
}

TEST_CASE("perangkat daerah and unit organisasi", "[org]") {
  const fixture f;
  REQUIRE(f.org);
  const auto pd = [&](std::string_view id) { return f.org->units()[f.u(id)].perangkat_daerah; };
  const auto uo = [&](std::string_view id) { return f.org->units()[f.u(id)].unit_organisasi; };
  // above PD level: none
  CHECK(pd("x.pemda") == none);
  CHECK(uo("x.pemda") == none);
  // a PD with no UO kind at or above the unit: the PD itself (fallback)
  CHECK(pd("x.setda") == f.u("x.setda"));
  CHECK(uo("x.setda") == f.u("x.setda"));
  CHECK(pd("x.setda.asisten-adm") == f.u("x.setda"));
  CHECK(uo("x.setda.asisten-adm") == f.u("x.setda"));
  CHECK(uo("x.dinkes") == f.u("x.dinkes"));
  CHECK(uo("x.dinkes.tu") == f.u("x.dinkes"));
  // a UO kind: itself; below it: the nearest one
  CHECK(pd("x.setda.bag-org") == f.u("x.setda"));
  CHECK(uo("x.setda.bag-org") == f.u("x.setda.bag-org"));
  CHECK(uo("x.setda.bag-org.kelembagaan") == f.u("x.setda.bag-org"));
  CHECK(uo("x.dinkes.bid-p2p") == f.u("x.dinkes.bid-p2p"));
  CHECK(uo("x.dinkes.sekretariat") == f.u("x.dinkes.sekretariat"));
  // a PD nested in a PD: the nearest one, and the search for a UO stops there
  CHECK(pd("x.dinkes.pkm-1") == f.u("x.dinkes.pkm-1"));
  CHECK(pd("x.dinkes.pkm-1.tu") == f.u("x.dinkes.pkm-1"));
  CHECK(uo("x.dinkes.pkm-1.tu") == f.u("x.dinkes.pkm-1"));
  CHECK(pd("y.bkpsdm") == f.u("y.bkpsdm"));
  CHECK(uo("y.bkpsdm") == f.u("y.bkpsdm"));
}

TEST_CASE("pimpinan unit: the head of the unit organisasi, kept in each position's record", "[org]") {
  const fixture f;
  REQUIRE(f.org);
  const auto& o = *f.org;
  const auto pimpinan = [&](std::string_view id) { return o.positions()[f.p(id)].pimpinan_unit; };
  CHECK(pimpinan("x.bag-org.analis-1") == f.p("x.kabag-org"));      // the unit is a UO
  CHECK(pimpinan("x.kasubbag-kelembagaan") == f.p("x.kabag-org"));  // below a UO
  CHECK(pimpinan("x.dinkes.pelaksana-3") == f.p("x.dinkes.kabid-p2p"));
  CHECK(pimpinan("x.dinkes.katu-pkm-1") == f.p("x.dinkes.kapus-1"));  // a PD nested in a PD
  CHECK(pimpinan("x.kadinkes") == f.p("x.kadinkes"));                 // a PD with no UO: the PD
  CHECK(pimpinan("x.walikota") == f.p("x.walikota"));                 // above PD level: the unit itself
  CHECK(o.pimpinan_of_unit(f.u("x.dinkes.sekretariat")) == none);     // a UO without a head
  CHECK(o.unit_organisasi_of(none) == none);
  CHECK(o.pimpinan_of_unit(none) == none);
  for (const auto& p : o.positions()) CHECK(p.pimpinan_unit == o.pimpinan_of_unit(p.unit));
}

TEST_CASE("unit_contains, common_unit, unit_chain", "[org]") {
  const fixture f;
  REQUIRE(f.org);
  const auto& o = *f.org;
  CHECK(o.unit_contains(f.u("x.pemda"), f.u("x.setda.bag-org")));
  CHECK(o.unit_contains(f.u("x.setda.bag-org"), f.u("x.setda.bag-org")));
  CHECK_FALSE(o.unit_contains(f.u("x.setda.bag-org"), f.u("x.pemda")));
  CHECK_FALSE(o.unit_contains(f.u("x.setda"), f.u("x.dinkes.tu")));
  CHECK_FALSE(o.unit_contains(f.u("x.setda.asisten-adm"), f.u("x.setda.bag-umum")));
  CHECK_FALSE(o.unit_contains(f.u("x.pemda"), f.u("y.bkpsdm")));
  CHECK_FALSE(o.unit_contains(none, f.u("x.pemda")));
  CHECK(o.common_unit(f.u("x.setda.bag-org.kelembagaan"), f.u("x.dinkes.bid-p2p")) == f.u("x.pemda"));
  CHECK(o.common_unit(f.u("x.setda.bag-org.kelembagaan"), f.u("x.setda.asisten-adm")) == f.u("x.setda.asisten-adm"));
  CHECK(o.common_unit(f.u("x.setda.bag-umum"), f.u("x.setda.bag-org")) == f.u("x.setda"));
  CHECK(o.common_unit(f.u("x.dinkes"), f.u("x.dinkes")) == f.u("x.dinkes"));
  CHECK(o.common_unit(f.u("x.dinkes"), f.u("y.bkpsdm")) == none);
  CHECK(o.unit_chain(f.u("x.setda.bag-org.kelembagaan")) ==
        std::vector<org_index>{f.u("x.setda.bag-org.kelembagaan"), f.u("x.setda.bag-org"), f.u("x.setda.asisten-adm"),
                               f.u("x.setda"), f.u("x.pemda")});
}

TEST_CASE("atasan forest: superior_of, atasan_chain, heads", "[org]") {
  const fixture f;
  REQUIRE(f.org);
  const auto& o = *f.org;
  CHECK(o.positions()[f.p("x.walikota")].depth == 0);
  CHECK(o.positions()[f.p("x.bag-org.analis-1")].depth == 4);
  CHECK(o.superior_of(f.p("x.sekda"), f.p("x.bag-org.analis-1")));
  CHECK(o.superior_of(f.p("x.kabag-org"), f.p("x.bag-org.analis-2")));
  CHECK(o.superior_of(f.p("x.kabag-org"), f.p("x.kabag-org")));
  CHECK_FALSE(o.superior_of(f.p("x.bag-org.analis-1"), f.p("x.sekda")));
  CHECK_FALSE(o.superior_of(f.p("x.kadinkes"), f.p("x.bag-org.analis-1")));
  CHECK_FALSE(o.superior_of(f.p("x.walikota"), f.p("y.kaban")));
  CHECK(o.atasan_chain(f.p("x.bag-org.analis-1")) == std::vector<org_index>{f.p("x.bag-org.analis-1"),
                                                                            f.p("x.kabag-org"), f.p("x.asisten-adm"),
                                                                            f.p("x.sekda"), f.p("x.walikota")});
  CHECK(o.atasan_chain(f.p("y.bupati")) == std::vector<org_index>{f.p("y.bupati")});
  CHECK(o.atasan_chain(none).empty());
  CHECK(o.positions()[f.p("x.kabag-org")].heads == f.u("x.setda.bag-org"));
  CHECK(o.positions()[f.p("x.walikota")].heads == f.u("x.pemda"));
  CHECK(o.positions()[f.p("x.bag-org.analis-1")].heads == none);
}

TEST_CASE("positions_under is the subtree's slice in unit pre-order", "[org]") {
  const fixture f;
  REQUIRE(f.org);
  const auto under = [&](std::string_view unit_id) {
    const auto [first, last] = f.org->positions_under(f.u(unit_id));
    return f.position_ids(first, last);
  };
  CHECK(under("x.setda.bag-org") ==
        std::vector<std::string>{"x.kabag-org", "x.bag-org.analis-1", "x.bag-org.analis-2", "x.kasubbag-kelembagaan"});
  CHECK(under("x.setda") == std::vector<std::string>{"x.sekda", "x.asisten-adm", "x.kabag-org", "x.bag-org.analis-1",
                                                     "x.bag-org.analis-2", "x.kasubbag-kelembagaan"});
  CHECK(under("x.dinkes.pkm-1") == std::vector<std::string>{"x.dinkes.kapus-1", "x.dinkes.katu-pkm-1"});
  CHECK(under("x.dinkes.sekretariat").empty());
  CHECK(under("x.setda.bag-umum").empty());
  CHECK(under("x.pemda").size() == 13);
  CHECK(under("y.pemda") == std::vector<std::string>{"y.bupati", "y.kaban"});
}

TEST_CASE("delegations, teams, employees, unit_of_kind", "[org]") {
  const fixture f;
  REQUIRE(f.org);
  const auto& o = *f.org;
  const code penilai = code_of(f.vocab, category::authority, "penilai_kinerja");
  const code penandatangan = code_of(f.vocab, category::authority, "penandatangan_surat");
  CHECK(o.has_delegation(f.p("x.dinkes.analis-2"), penilai));
  CHECK_FALSE(o.has_delegation(f.p("x.dinkes.analis-2"), penandatangan));
  CHECK_FALSE(o.has_delegation(f.p("x.dinkes.kabid-p2p"), penilai));  // the giver does not hold it
  CHECK(o.has_delegation(f.p("x.bag-org.analis-1"), penilai));
  const auto received = o.delegations_to(f.p("x.bag-org.analis-1"));
  CHECK(std::vector<org_index>(received.begin(), received.end()) == std::vector<org_index>{1});
  CHECK(o.delegations_to(f.p("x.sekda")).empty());

  CHECK(o.teams_of(f.p("x.bag-org.analis-1")) == std::vector<org_index>{0});  // ketua and anggota: once
  CHECK(o.teams_of(f.p("x.dinkes.pelaksana-3")) == std::vector<org_index>{0, 1});
  CHECK(o.teams_of(f.p("x.dinkes.analis-2")) == std::vector<org_index>{1});
  CHECK(o.teams_of(f.p("x.sekda")).empty());  // establishing a team is not membership

  CHECK(o.employee_of(f.p("x.kabag-org")) == 1);
  CHECK(o.employee_of(f.p("x.sekda")) == none);

  CHECK(o.unit_of_kind(0, f.kind("bagian")) == f.u("x.setda.bag-org"));  // first in pre-order, not input order
  CHECK(o.unit_of_kind(0, f.kind("puskesmas")) == f.u("x.dinkes.pkm-1"));
  CHECK(o.unit_of_kind(0, f.kind("pemerintah_daerah")) == f.u("x.pemda"));
  CHECK(o.unit_of_kind(1, f.kind("badan")) == f.u("y.bkpsdm"));
  CHECK(o.unit_of_kind(1, f.kind("bagian")) == none);
}

TEST_CASE("the structural graph", "[org]") {
  const fixture f;
  REQUIRE(f.org);
  const auto& o = *f.org;
  const auto& g = o.graph();
  CHECK(boost::num_vertices(g) == 14 + 15 + 3 + 2);
  const auto v = o.vertex_of(vertex_kind::position, f.p("x.kabag-org"));
  CHECK(g[v].kind == vertex_kind::position);
  CHECK(g[v].item == f.p("x.kabag-org"));
  CHECK(g[o.vertex_of(vertex_kind::team, 1)].kind == vertex_kind::team);

  std::map<edge_kind, int> count;
  for (const auto e : boost::make_iterator_range(boost::edges(g))) ++count[g[e].kind];
  CHECK(count[edge_kind::parent] == 12);
  CHECK(count[edge_kind::atasan] == 13);
  CHECK(count[edge_kind::in_unit] == 15);
  CHECK(count[edge_kind::heads] == 10);
  CHECK(count[edge_kind::holds] == 3);
  CHECK(count[edge_kind::delegates] == 2);
  CHECK(count[edge_kind::owns] == 2);
  CHECK(count[edge_kind::ketua] == 2);
  CHECK(count[edge_kind::anggota] == 4);

  const auto [e, found] = boost::edge(o.vertex_of(vertex_kind::position, f.p("x.bag-org.analis-2")),
                                      o.vertex_of(vertex_kind::position, f.p("x.kabag-org")), g);
  REQUIRE(found);
  CHECK(g[e].kind == edge_kind::atasan);
  const auto [e2, found2] =
      boost::edge(o.vertex_of(vertex_kind::unit, f.u("y.bkpsdm")), o.vertex_of(vertex_kind::unit, f.u("y.pemda")), g);
  REQUIRE(found2);
  CHECK(g[e2].kind == edge_kind::parent);
}

TEST_CASE("an empty org is valid", "[org]") {
  const auto vocab = make_vocabulary();
  diagnostics errors;
  const auto org = org_graph::load(R"({"schema": "perwal-org/1", "instansi": [], "units": [], "positions": []})",
                                   "empty.json", vocab, make_structure(vocab), errors);
  REQUIRE(org);
  CHECK(errors.empty());
  CHECK(org->positions().empty());
}

TEST_CASE("deep chains load without recursion", "[org]") {
  // 100000 nested units and positions: a recursive walk would overflow the stack
  constexpr int depth = 100000;
  nlohmann::json doc = {{"schema", "perwal-org/1"},
                        {"instansi", {{{"id", "kota-x"}, {"name", "Kota X"}}}},
                        {"units", nlohmann::json::array()},
                        {"positions", nlohmann::json::array()}};
  auto& units = doc["units"];
  auto& positions = doc["positions"];
  units.push_back({{"id", "u0"}, {"name", "u0"}, {"kind", "pemerintah_daerah"}, {"instansi", "kota-x"}});
  positions.push_back(
      {{"id", "p0"}, {"title", "p0"}, {"kind", "kepala_daerah"}, {"jenis", "kepala_daerah"}, {"unit", "u0"}});
  for (int k = 1; k < depth; ++k) {
    const std::string n = std::to_string(k), up = std::to_string(k - 1);
    units.push_back({{"id", "u" + n}, {"name", "u" + n}, {"kind", "seksi"}, {"parent", "u" + up}});
    positions.push_back({{"id", "p" + n},
                         {"title", "p" + n},
                         {"kind", "pelaksana"},
                         {"jenis", "pelaksana"},
                         {"unit", "u" + n},
                         {"atasan", "p" + up}});
  }
  const auto vocab = make_vocabulary();
  diagnostics errors;
  const auto org = org_graph::load(doc, vocab, make_structure(vocab), errors);
  INFO(text_of(errors));
  REQUIRE(org);
  const org_index last = org->find_unit("u" + std::to_string(depth - 1));
  CHECK(org->units()[last].depth == depth - 1);
  CHECK(org->unit_contains(org->find_unit("u0"), last));
  CHECK(org->common_unit(last, org->find_unit("u5")) == org->find_unit("u5"));
  CHECK(org->superior_of(org->find_position("p0"), org->find_position("p" + std::to_string(depth - 1))));
  CHECK(org->atasan_chain(org->find_position("p" + std::to_string(depth - 1))).size() == depth);
  const auto [first, end] = org->positions_under(org->find_unit("u1"));
  CHECK(end - first == depth - 1);

  // and a cycle that long is reported, abbreviated
  units[1]["parent"] = "u" + std::to_string(depth - 1);
  errors = {};
  CHECK_FALSE(org_graph::load(doc, vocab, make_structure(vocab), errors));
  CHECK(lines_of(errors) ==
        std::vector<std::string>{"units[1].parent: cycle u1 -> u99999 -> u99998 -> u99997 -> u99996 -> u99995 -> "
                                 "u99994 -> u99993 -> u99992 -> u99991 -> ... (99989 more) -> u1"});
}

namespace {

// One bad org: every error with its path, exactly as expected, and no org.
void run_bad_org(const std::filesystem::path& path) {
  const auto vocab = make_vocabulary();
  const auto shape = make_structure(vocab);
  const auto expected_path = std::filesystem::path(path).replace_extension(".expected");
  INFO("case " << path.filename().string());
  REQUIRE(std::filesystem::exists(expected_path));
  diagnostics errors;
  const auto org = org_graph::load(read_file(path), path.filename().string(), vocab, shape, errors);
  CHECK_FALSE(org);
  CHECK(lines_of(errors) == read_lines(expected_path));
}

// A test case per tests/data/org/bad/<case>.json.
const bool bad_orgs_registered = [] {
  for (const auto& path : perwal::testing::data_files(data_dir() / "bad", ".json")) {
    perwal::testing::register_case(
        "org/bad/" + path.stem().string(), "[org]", [path] { run_bad_org(path); }, __FILE__, __LINE__);
  }
  return true;
}();

}  // namespace

TEST_CASE("bad orgs are data: enough cases", "[org]") {
  CHECK(bad_orgs_registered);
  CHECK(perwal::testing::data_files(data_dir() / "bad", ".json").size() >= 17);
}

// ---- the typed builder (engine/org/org_spec.hpp) ---------------------------

namespace {

using perwal::org::spec;

// A small org written as a spec: every section, NIP references, a jenjang,
// tags, a delegation and a team with a target and a free-form field.
spec small_spec() {
  spec s;
  s.instansi = {{"kota-x", "Pemerintah Kota X", "x.sekda"}};
  s.units = {
      {"x.pemda", "Pemerintah Kota X", "pemerintah_daerah", std::nullopt, "kota-x", "x.walikota", {}},
      {"x.setda", "Sekretariat Daerah", "sekretariat_daerah", "x.pemda", std::nullopt, "x.sekda", {"pusat"}},
      {"x.setda.bag-org", "Bagian Organisasi", "bagian", "x.setda", std::nullopt, "197002022000031002", {}},
      {"x.dinkes", "Dinas Kesehatan", "dinas", "x.pemda", std::nullopt, "x.kadinkes", {"urusan:kesehatan"}},
  };
  s.positions = {
      {"x.walikota", "Wali Kota", "kepala_daerah", "kepala_daerah", std::nullopt, "x.pemda", std::nullopt, {}},
      {"x.sekda", "Sekretaris Daerah", "sekretaris_daerah", "jpt_madya", std::nullopt, "x.setda", "x.walikota", {}},
      {"x.kabag-org",
       "Kepala Bagian",
       "kepala_bagian",
       "administrator",
       std::nullopt,
       "x.setda.bag-org",
       "x.sekda",
       {"pimpinan"}},
      {"x.analis-1", "Analis", "fungsional", "fungsional", "ahli_muda", "x.setda.bag-org", "197002022000031002", {}},
      {"x.kadinkes", "Kepala Dinas", "kepala_dinas", "jpt_pratama", std::nullopt, "x.dinkes", "x.walikota", {}},
      {"x.dinkes.pel", "Pelaksana", "pelaksana", "pelaksana", std::nullopt, "x.dinkes", "x.kadinkes", {}},
  };
  s.employees = {{"197002022000031002", "Kabag", "x.kabag-org", ""}};
  s.delegations = {{"x.kabag-org", "x.analis-1", "penilai_kinerja", "Keputusan 1"}};
  perwal::org::team_spec t;
  t.id = "x.tim";
  t.name = "Tim";
  t.owner_unit = "x.setda.bag-org";
  t.established_by = "x.sekda";
  t.ketua = "x.analis-1";
  t.anggota = {"x.dinkes.pel", "197002022000031002"};
  t.target = perwal::org::team_target_spec{"Sasaran", "Indikator", 3, {}};
  t.fields = {{"keputusan", {{"nomor", "1/2025"}}}, {"ketua", "ignored: a typed field"}};
  s.teams = {t};
  return s;
}

// The errors of build(s) and of loading to_json(s), which must be the same.
std::pair<std::vector<std::string>, std::vector<std::string>> both_errors(const spec& s) {
  const auto vocab = make_vocabulary();
  const auto shape = make_structure(vocab);
  diagnostics built, loaded;
  CHECK_FALSE(perwal::org::build(s, vocab, shape, built));
  CHECK_FALSE(org_graph::load(perwal::org::to_json(s), vocab, shape, loaded));
  return {lines_of(built), lines_of(loaded)};
}

}  // namespace

TEST_CASE("a spec builds the same org as its document", "[org]") {
  const auto vocab = make_vocabulary();
  const auto shape = make_structure(vocab);
  const spec s = small_spec();
  diagnostics errors;
  const auto built = perwal::org::build(s, vocab, shape, errors);
  INFO(text_of(errors));
  REQUIRE(built);
  const nlohmann::json doc = perwal::org::to_json(s);
  const auto loaded = org_graph::load(doc, vocab, shape, errors);
  REQUIRE(loaded);
  const auto streamed = org_graph::load(doc.dump(), "spec.json", vocab, shape, errors);
  REQUIRE(streamed);
  CHECK(built->canonical_dump() == loaded->canonical_dump());
  CHECK(built->canonical_dump() == streamed->canonical_dump());

  // the typed fields win over `fields`; the free-form ones are kept
  const auto& extra = built->teams()[0].extra.get();
  CHECK(extra["ketua"] == "x.analis-1");
  CHECK(extra["keputusan"]["nomor"] == "1/2025");
  CHECK(built->positions()[built->teams()[0].ketua].id == "x.analis-1");
  CHECK(doc["units"][0]["parent"].is_null());
  CHECK_FALSE(doc["positions"][0].contains("atasan"));

  // a document read back is the same spec
  const auto back = perwal::org::read_spec(doc, errors);
  REQUIRE(back);
  CHECK(perwal::org::to_json(*back) == doc);
  CHECK(errors.empty());
}

TEST_CASE("a document read into a spec builds the org the loader loads", "[org]") {
  const auto vocab = make_vocabulary();
  const auto shape = make_structure(vocab);
  const auto doc = nlohmann::json::parse(small_org);
  diagnostics errors;
  const auto s = perwal::org::read_spec(doc, errors);
  INFO(text_of(errors));
  REQUIRE(s);
  const auto built = perwal::org::build(*s, vocab, shape, errors);
  REQUIRE(built);
  const auto loaded = org_graph::load(doc, vocab, shape, errors);
  REQUIRE(loaded);
  CHECK(built->canonical_dump() == loaded->canonical_dump());
  CHECK(s->units[6].tags == std::vector<std::string>{"urusan:kesehatan"});
  CHECK(s->teams[0].fields == nlohmann::json{{"catatan", "kept"}});
}

TEST_CASE("a broken spec reports what its document reports, at the document's paths", "[org]") {
  SECTION("references, codes, ids and the jenjang") {
    spec s = small_spec();
    s.units[2].parent = "x.nowhere";
    s.units[3].kind = "dinass";
    s.positions[3].atasan = "x.nobody";
    s.positions[2].jenjang = "ahli_muda";
    s.positions[3].jenjang = "ahli_sakti";
    s.positions[5].id = "";
    s.employees[0].position = "x.nobody";
    s.delegations[0].authority = "";
    s.teams[0].anggota.push_back("x.nobody");
    s.teams[0].owner_unit = "";
    const auto [built, loaded] = both_errors(s);
    CHECK(built == loaded);
    CHECK(built == std::vector<std::string>{
                       R"(units[2].parent: no unit "x.nowhere")",
                       R"(units[3].kind: unknown unit kind "dinass")",
                       R"(positions[2].jenjang: only a fungsional position has a jenjang (jenis is "administrator"))",
                       R"(positions[3].jenjang: unknown jenjang "ahli_sakti")",
                       R"(positions[3].atasan: no position "x.nobody")",
                       R"(positions[5].id: must not be empty)",
                       R"(employees[0].position: no position "x.nobody")",
                       R"(delegations[0].authority: unknown authority "")",
                       R"(teams[0].owner_unit: no unit "")",
                       R"(teams[0].anggota[0]: no position "x.dinkes.pel")",  // its id is empty now
                       R"(teams[0].anggota[2]: no position "x.nobody")",
                   });
  }
  SECTION("duplicates, roots and cycles") {
    spec s = small_spec();
    s.units[3].id = "x.setda";
    s.units[1].parent = std::nullopt;  // a root that is not a pemerintah_daerah, without instansi
    s.units.push_back({"x.pemda-2", "Pemda 2", "pemerintah_daerah", "x.pemda", std::nullopt, std::nullopt, {}});
    s.positions[1].atasan = "x.kabag-org";  // x.sekda -> x.kabag-org -> x.sekda
    s.instansi.push_back({"kota-y", "Kota Y", std::nullopt});
    const auto [built, loaded] = both_errors(s);
    CHECK(built == loaded);
    CHECK(
        built ==
        std::vector<std::string>{
            R"(instansi[1]: no root unit (expected a unit of kind "pemerintah_daerah" with parent null and instansi "kota-y"))",
            R"(units[1].parent: only a pemerintah_daerah unit may have no parent (kind is "sekretariat_daerah"))",
            R"(units[1].instansi: required on a root unit)",
            R"(units[3].id: duplicate unit id "x.setda" (first at units[1]))",
            R"(units[4].parent: a pemerintah_daerah unit is the root of its instansi; its parent must be null)",
            R"(positions[1].atasan: cycle x.sekda -> x.kabag-org -> x.sekda)",
            R"(positions[4].unit: no unit "x.dinkes")",  // that id is units[3]'s no more
            R"(positions[5].unit: no unit "x.dinkes")",
        });
  }
}

TEST_CASE("bad orgs read into specs report the loader's errors", "[org]") {
  const auto vocab = make_vocabulary();
  const auto shape = make_structure(vocab);
  std::size_t typed = 0;
  for (const auto& entry : std::filesystem::directory_iterator(data_dir() / "bad")) {
    if (entry.path().extension() != ".json") continue;
    INFO("case " << entry.path().filename().string());
    const auto doc = nlohmann::json::parse(read_file(entry.path()), nullptr, false);
    if (doc.is_discarded()) continue;  // a syntax error
    const auto expected = read_lines(std::filesystem::path(entry.path()).replace_extension(".expected"));
    diagnostics errors;
    const auto s = perwal::org::read_spec(doc, errors);
    if (!s) {
      // shape errors only: each is one the loader reports
      for (const auto& line : lines_of(errors)) {
        CHECK(std::find(expected.begin(), expected.end(), line) != expected.end());
      }
      continue;
    }
    ++typed;
    CHECK_FALSE(perwal::org::build(*s, vocab, shape, errors));
    CHECK(lines_of(errors) == expected);
  }
  CHECK(typed >= 8);
}

TEST_CASE("org errors are diagnostics: a code each, a place in the file, both languages", "[org][diagnostic]") {
  const vocabulary vocab = make_vocabulary();
  const structure shape = make_structure(vocab);
  diagnostics errors;
  const std::string text = read_file(data_dir() / "bad" / "broken_refs.json");
  REQUIRE_FALSE(org_graph::load(text, "broken_refs.json", vocab, shape, errors));
  REQUIRE(errors.items().size() >= 3);
  const auto& root = errors.items()[0];
  CHECK(root.code == "E106");
  CHECK(root.at.where() == "broken_refs.json: instansi[0]");
  const auto& ref = errors.items()[1];
  CHECK(ref.code == "E105");
  CHECK(ref.line() == "broken_refs.json: instansi[0].pejabat_berwenang: no position \"x.wali\"");
  CHECK(ref.path_line(perwal::lang::id) == "instansi[0].pejabat_berwenang: tidak ada jabatan \"x.wali\"");
  for (const auto& e : errors.items()) {
    INFO(e.line());
    CHECK(perwal::find_message(e.text.id) != nullptr);
    CHECK(e.message_text(perwal::lang::id) != e.message_text(perwal::lang::en));
  }

  diagnostics syntax;
  REQUIRE_FALSE(org_graph::load(std::string_view("{\n  \"schema\": x"), "org.json", vocab, shape, syntax));
  REQUIRE(syntax.items().size() == 1);
  CHECK(syntax.items()[0].code == "E100");
  CHECK(syntax.items()[0].at.where() == "org.json:2:13");
}

TEST_CASE("an org nested deeper than the bound is refused with its place, not a crash", "[org][hardening]") {
  const vocabulary vocab = make_vocabulary();
  const structure shape = make_structure(vocab);
  // a team field 200,000 levels deep: copying or printing it would overflow the stack
  const std::string deep = std::string(200000, '[') + std::string(200000, ']');
  const std::string text =
      "{\"schema\": \"perwal-org/1\", \"instansi\": [], \"units\": [], \"positions\": [],\n"
      "\"teams\": [{\"id\": \"t\", \"owner_unit\": \"u\", \"target\": {\"nilai\": " +
      deep + "}}]}";
  diagnostics errors;
  CHECK_FALSE(org_graph::load(text, "deep.json", vocab, shape, errors));
  REQUIRE(errors.items().size() == 1);
  CHECK(errors.items()[0].line() == "deep.json:2:122: JSON nested deeper than 64 levels");
}

// A key written twice in one object is an error with its place, from both
// loaders alike; before, the last one silently won.
TEST_CASE("duplicate keys are refused by both loaders, anywhere in the document", "[org][hardening]") {
  const vocabulary vocab = make_vocabulary();
  const structure shape = make_structure(vocab);
  const std::string base(small_org);
  const auto with = [&](std::string_view find, std::string_view replace) {
    std::string text = base;
    const auto at = text.find(find);
    REQUIRE(at != std::string::npos);
    text.replace(at, find.size(), replace);
    return text;
  };
  const std::vector<std::string> cases = {
      // a known field twice
      with(R"("id": "x.bag-org.analis-1", )", R"("id": "x.bag-org.analis-1", "id": "x.other", )"),
      // a field perwal does not read, twice in one item
      with(R"("id": "x.bag-org.analis-1", )", R"("id": "x.bag-org.analis-1", "catatan": 1, "catatan": 2, )"),
      // inside a team's free-form field
      with(R"("catatan": "kept")", R"("catatan": {"a": 1, "b": {"c": 1, "c": 2}})"),
      // an unknown section twice
      with(R"("schema": "perwal-org/1",)", R"("schema": "perwal-org/1", "meta": 1, "meta": 2,)"),
  };
  for (const auto& text : cases) {
    diagnostics streamed, reference;
    CHECK_FALSE(org_graph::load(text, "dup.json", vocab, shape, streamed));
    CHECK_FALSE(org_graph::load_reference(text, "dup.json", vocab, shape, reference));
    REQUIRE(streamed.items().size() == 1);
    CHECK(streamed.items()[0].line() == reference.items()[0].line());
    CHECK_THAT(streamed.items()[0].line(),
               Catch::Matches(R"(dup\.json:\d+:\d+: duplicate key ".+" \(a key may appear once in an object\))"));
  }
  // the same key in two different objects is fine
  diagnostics fine;
  CHECK(org_graph::load(base, "ok.json", vocab, shape, fine));
}

TEST_CASE("integrity an auditor relies on: heads in their units, jenjang, national NIPs; both loaders agree",
          "[org][integrity]") {
  const vocabulary vocab = make_vocabulary();
  const structure shape = make_structure(vocab);
  const std::string base(small_org);
  const auto with = [&](std::string_view find, std::string_view replace) {
    std::string text = base;
    const auto at = text.find(find);
    REQUIRE(at != std::string::npos);
    text.replace(at, find.size(), replace);
    return text;
  };
  {  // the org as written is clean: no warning either
    diagnostics d;
    CHECK(org_graph::load(base, "ok.json", vocab, shape, d));
    CHECK(d.empty());
  }
  // Errors: the streaming reader gives up and the reference loader explains, so both say the same.
  const std::vector<std::pair<std::string, std::string>> refused = {
      {with(R"("jenjang": "ahli_muda", )", ""),
       "positions\\[\\d+\\]\\.jenjang: a fungsional position needs a jenjang .*"},
      {with(R"("head": "x.sekda"})", R"("head": "x.kabag-org"})"),
       R"(units\[\d+\]\.head: the head "x\.kabag-org" sits in unit "x\.setda\.bag-org", not in this unit)"},
  };
  for (const auto& [text, pattern] : refused) {
    diagnostics streamed, reference;
    CHECK_FALSE(org_graph::load(text, "o.json", vocab, shape, streamed));
    CHECK_FALSE(org_graph::load_reference(text, "o.json", vocab, shape, reference));
    REQUIRE(streamed.items().size() == 1);
    CHECK(streamed.items()[0].line() == reference.items()[0].line());
    CHECK(streamed.items()[0].code == "E109");
    CHECK_THAT(streamed.items()[0].path_line(), Catch::Matches(pattern));
  }
  // A NIP not of the national form: a warning at its path; the org loads, by either loader.
  const std::string short_nip =
      with(R"("position": "x.bag-org.analis-1"})",
           R"("position": "x.bag-org.analis-1"}, {"nip": "12", "name": "Baru", "position": "x.sekda"})");
  diagnostics streamed, reference;
  CHECK(org_graph::load(short_nip, "o.json", vocab, shape, streamed));
  CHECK(org_graph::load_reference(short_nip, "o.json", vocab, shape, reference));
  REQUIRE(streamed.items().size() == 1);
  CHECK(streamed.items()[0].level == perwal::severity::warning);
  CHECK(streamed.items()[0].code == "W100");
  CHECK_THAT(streamed.items()[0].line(),
             Catch::Matches(R"(o\.json: employees\[\d+\]\.nip: NIP "12" is not of the national form: 18 digits)"));
  REQUIRE(reference.items().size() == 1);
  CHECK(streamed.items()[0].line() == reference.items()[0].line());
  CHECK(reference.items()[0].message_text(perwal::language::id) == "NIP \"12\" tidak berbentuk nasional: 18 angka");
}

TEST_CASE("an employee holds one position definitively, others only as Plt or Plh; both loaders agree",
          "[org][integrity]") {
  const vocabulary vocab = make_vocabulary();
  const structure shape = make_structure(vocab);
  const std::string kabag = R"({"nip": "197002022000031002", "name": "Kabag Organisasi", "position": "x.kabag-org"})";
  const auto with_second = [&](std::string_view second) {
    std::string text(small_org);
    const auto at = text.find(kabag);
    REQUIRE(at != std::string::npos);
    text.insert(at + kabag.size(), ", " + std::string(second));
    return text;
  };
  SECTION("acting as Plh of the Sekda: loads; the NIP still names the definitive position") {
    const auto text = with_second(
        R"({"nip": "197002022000031002", "name": "Kabag Organisasi", "position": "x.sekda", "sebagai": "plh"})");
    for (const bool reference : {false, true}) {
      diagnostics d;
      const auto g = reference ? org_graph::load_reference(text, "o.json", vocab, shape, d)
                               : org_graph::load(text, "o.json", vocab, shape, d);
      INFO(reference);
      REQUIRE(g);
      CHECK(g->find_position("197002022000031002") == g->find_position("x.kabag-org"));
      const auto plh = std::find_if(g->employees().begin(), g->employees().end(),
                                    [](const auto& e) { return e.as == perwal::org::acting::plh; });
      REQUIRE(plh != g->employees().end());
      CHECK(plh->position == g->find_position("x.sekda"));
    }
    diagnostics a, b;
    CHECK(org_graph::load(text, "o.json", vocab, shape, a)->canonical_dump() ==
          org_graph::load_reference(text, "o.json", vocab, shape, b)->canonical_dump());
  }
  SECTION("a second definitive position is refused, saying how to mark an acting one") {
    const auto text =
        with_second(R"({"nip": "197002022000031002", "name": "Kabag Organisasi", "position": "x.sekda"})");
    diagnostics streamed, reference;
    CHECK_FALSE(org_graph::load(text, "o.json", vocab, shape, streamed));
    CHECK_FALSE(org_graph::load_reference(text, "o.json", vocab, shape, reference));
    REQUIRE(!streamed.items().empty());
    CHECK(streamed.items()[0].code == "E104");
    CHECK_THAT(streamed.items()[0].line(), Catch::Contains("employees[2].nip: duplicate NIP") &&
                                               Catch::Contains("\"sebagai\": \"plt\" or \"plh\""));
    CHECK(streamed.items()[0].line() == reference.items()[0].line());
  }
  SECTION("an unknown way of holding a position is refused at its path") {
    const auto text = with_second(
        R"({"nip": "197002022000031002", "name": "Kabag Organisasi", "position": "x.sekda", "sebagai": "pj"})");
    diagnostics streamed;
    CHECK_FALSE(org_graph::load(text, "o.json", vocab, shape, streamed));
    // (an unknown way counts as definitive: the NIP's second definitive position is refused too)
    const auto unknown = std::find_if(streamed.items().begin(), streamed.items().end(),
                                      [](const perwal::diagnostic& d) { return d.code == "E103"; });
    REQUIRE(unknown != streamed.items().end());
    CHECK_THAT(unknown->line(), Catch::Contains("employees[2].sebagai: unknown \"sebagai\" \"pj\""));
  }
}
