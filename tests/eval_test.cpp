// Every rule kind, evaluated on a small org with a small ruleset written for
// the test (extending the bundled national base).
#include <catch2/catch.hpp>

#include "engine/compile/ruleset.hpp"
#include "test_support.hpp"

using json = nlohmann::json;

namespace {

// Two instansi. Kota A: a dinas with a sekretariat and two bidang, a
// kecamatan; Kota B: a setda with a bagian.
const char* const small_org = R"({
  "schema": "perwal-org/1",
  "instansi": [{"id": "kota-a", "name": "Kota A", "pejabat_berwenang": "a.sekda"},
               {"id": "kota-b", "name": "Kota B", "pejabat_berwenang": "b.sekda"}],
  "units": [
    {"id": "a.pemda", "name": "Pemda A", "kind": "pemerintah_daerah", "parent": null, "instansi": "kota-a", "head": "a.wali"},
    {"id": "a.setda", "name": "Setda A", "kind": "sekretariat_daerah", "parent": "a.pemda", "head": "a.sekda", "tags": ["urusan:kepegawaian"]},
    {"id": "a.dinas", "name": "Dinas X", "kind": "dinas", "parent": "a.pemda", "head": "a.kadis"},
    {"id": "a.dinas.sek", "name": "Sekretariat", "kind": "sekretariat", "parent": "a.dinas", "head": "a.sekdis"},
    {"id": "a.dinas.bid1", "name": "Bidang 1", "kind": "bidang", "parent": "a.dinas", "head": "a.kabid1"},
    {"id": "a.dinas.bid2", "name": "Bidang 2", "kind": "bidang", "parent": "a.dinas", "head": "a.kabid2"},
    {"id": "a.dinas.bid2.sub", "name": "Subbagian", "kind": "subbagian", "parent": "a.dinas.sek", "head": "a.kasub"},
    {"id": "a.kec", "name": "Kecamatan", "kind": "kecamatan", "parent": "a.pemda", "head": "a.camat"},
    {"id": "a.kec.sek", "name": "Sekretariat Kecamatan", "kind": "sekretariat", "parent": "a.kec"},
    {"id": "b.pemda", "name": "Pemda B", "kind": "pemerintah_daerah", "parent": null, "instansi": "kota-b", "head": "b.wali"},
    {"id": "b.setda", "name": "Setda B", "kind": "sekretariat_daerah", "parent": "b.pemda", "head": "b.sekda"},
    {"id": "b.bag", "name": "Bagian B", "kind": "bagian", "parent": "b.setda", "head": "b.kabag"}
  ],
  "positions": [
    {"id": "a.wali", "title": "Wali Kota A", "kind": "kepala_daerah", "jenis": "kepala_daerah", "unit": "a.pemda"},
    {"id": "a.sekda", "title": "Sekda A", "kind": "sekretaris_daerah", "jenis": "jpt_madya", "unit": "a.setda", "atasan": "a.wali"},
    {"id": "a.kadis", "title": "Kepala Dinas", "kind": "kepala_dinas", "jenis": "jpt_pratama", "unit": "a.dinas", "atasan": "a.wali"},
    {"id": "a.sekdis", "title": "Sekretaris Dinas", "kind": "sekretaris", "jenis": "administrator", "unit": "a.dinas.sek", "atasan": "a.kadis"},
    {"id": "a.kabid1", "title": "Kabid 1", "kind": "kepala_bidang", "jenis": "administrator", "unit": "a.dinas.bid1", "atasan": "a.kadis"},
    {"id": "a.kabid2", "title": "Kabid 2", "kind": "kepala_bidang", "jenis": "administrator", "unit": "a.dinas.bid2", "atasan": "a.kadis"},
    {"id": "a.kasub", "title": "Kasubbag", "kind": "kepala_subbagian", "jenis": "pengawas", "unit": "a.dinas.bid2.sub", "atasan": "a.sekdis"},
    {"id": "a.fp1", "title": "Analis 1", "kind": "fungsional", "jenis": "fungsional", "jenjang": "ahli_muda", "unit": "a.dinas.bid1", "atasan": "a.kabid1"},
    {"id": "a.fp2", "title": "Analis 2", "kind": "fungsional", "jenis": "fungsional", "jenjang": "ahli_pertama", "unit": "a.dinas.bid2", "atasan": "a.kabid2"},
    {"id": "a.fp3", "title": "Analis 3", "kind": "fungsional", "jenis": "fungsional", "jenjang": "ahli_pertama", "unit": "a.dinas.bid1", "atasan": "a.fp1"},
    {"id": "a.pel1", "title": "Pelaksana", "kind": "pelaksana", "jenis": "pelaksana", "unit": "a.dinas.bid1", "atasan": "a.kasub"},
    {"id": "a.camat", "title": "Camat", "kind": "camat", "jenis": "administrator", "unit": "a.kec", "atasan": "a.wali"},
    {"id": "a.kec.fp", "title": "Penata", "kind": "fungsional", "jenis": "fungsional", "jenjang": "ahli_pertama", "unit": "a.kec", "atasan": "a.camat"},
    {"id": "a.kasi", "title": "Kepala Seksi", "kind": "kepala_seksi", "jenis": "pengawas", "unit": "a.kec", "atasan": "a.camat"},
    {"id": "a.kec.fp2", "title": "Penata 2", "kind": "fungsional", "jenis": "fungsional", "jenjang": "ahli_pertama", "unit": "a.kec", "atasan": "a.kasi"},
    {"id": "b.wali", "title": "Wali Kota B", "kind": "kepala_daerah", "jenis": "kepala_daerah", "unit": "b.pemda"},
    {"id": "b.sekda", "title": "Sekda B", "kind": "sekretaris_daerah", "jenis": "jpt_madya", "unit": "b.setda", "atasan": "b.wali"},
    {"id": "b.kabag", "title": "Kabag B", "kind": "kepala_bagian", "jenis": "administrator", "unit": "b.bag", "atasan": "b.sekda"},
    {"id": "b.fp", "title": "Analis B", "kind": "fungsional", "jenis": "fungsional", "jenjang": "ahli_muda", "unit": "b.bag", "atasan": "b.kabag"}
  ],
  "employees": [{"nip": "199001012015031001", "name": "Satu", "position": "a.fp1"}],
  "delegations": [{"from": "a.kabid1", "to": "a.fp1", "authority": "penilai_kinerja", "basis": "SK"}],
  "teams": [
    {"id": "t.dalam", "name": "Tim dalam", "owner_unit": "a.dinas.bid1", "established_by": "a.kabid1", "ketua": "a.fp1", "anggota": ["a.fp3"]},
    {"id": "t.lintas", "name": "Tim lintas", "owner_unit": "a.dinas.bid1", "established_by": "a.kabid1", "ketua": "a.fp2", "anggota": ["a.fp1"]}
  ]
})";

const char* const small_rules = R"(
ruleset uji-1-2024 {
  title "Peraturan Uji" cite_as "Perwal Uji 1/2024" number "1" year 2024 region "Uji" status draft
  extends permenpanrb-7-2022
}
codes scope { dalam_uo, lintas_uo }
codes action { surat_khusus }
scope dalam_uo = dalam_unit cite Pasal 10 huruf a
scope lintas_uo = lintas_unit, lintas_perangkat_daerah cite Pasal 10 huruf b
scope lintas_instansi = lintas_instansi cite Pasal 10 huruf c

refine kedudukan.atasan_langsung { cite Pasal 5 ayat 1 }

kedudukan kedudukan.dinas wajib for dinas when not atasan.delegated(penilai_kinerja) {
  cite Lampiran II huruf D angka 1
  under sekretaris, kepala_bidang level 2 penilai pimpinan_unit
  review kepala_bidang > kepala_dinas cite Lampiran II huruf D angka 2 huruf c
}

# A coordinator the FP may sit under, who is not its appraiser.
kedudukan kedudukan.kecamatan wajib for kecamatan {
  cite Lampiran II huruf G angka 1
  under camat level 1 penilai pimpinan_unit
  under kepala_seksi level 2
}

override rule penugasan.sukarela.lintas_instansi dilarang on penugasan {
  cite Lampiran III huruf B
  when mode == pengajuan_sukarela and scope == lintas_instansi
  message "Pengajuan sukarela lintas instansi dilarang" en "Voluntary application across instansi is forbidden"
  hint "Gunakan penunjukan" en "Use penunjukan"
}

workflow penugasan.penunjukan.dalam_unit wajib {
  mode penunjukan scope dalam_uo cite Lampiran III huruf A angka 1
  issuer assignee.penilai | owner.pimpinan_unit cite Pasal 8 ayat (4)
  step tetapkan surat_penugasan | penetapan { by assignee.penilai }
}

workflow penugasan.penunjukan.lintas_unit wajib {
  mode penunjukan scope lintas_uo cite Lampiran III huruf A angka 2
  issuer assignee.penilai cite Lampiran III huruf A angka 2 huruf c
  step permohonan surat_permohonan_pelibatan {
    from owner.pimpinan_unit to assignee.penilai
    cc owner.pimpinan_unit.penilai cite Lampiran III huruf A angka 2 huruf a
    contents maksud_tujuan, durasi cite Lampiran III huruf A angka 4
    where step.durasi_bulan <= 12
    cite Lampiran III huruf A angka 2 huruf a
  }
  step catatan surat_khusus { by assignee.kepala_pd optional }
  step persetujuan persetujuan { by assignee.penilai cite Lampiran III huruf A angka 2 huruf b }
  step surat_penugasan surat_penugasan { by assignee.penilai cite Lampiran III huruf A angka 2 huruf c }
  refusal { by assignee.penilai reason required cite Lampiran III huruf A angka 2 huruf d }
}

workflow penugasan.penunjukan.lintas_instansi wajib {
  mode penunjukan scope lintas_instansi cite Lampiran III huruf A angka 3
  step permohonan surat_permohonan_pelibatan { from owner.pimpinan_unit to owner.pejabat_berwenang }
  step teruskan surat_permohonan_pelibatan { from owner.pejabat_berwenang to assignee.pejabat_berwenang }
  step surat_penugasan surat_penugasan { by assignee.penilai | assignee.pimpinan_unit }
}

report pelaporan.hasil wajib as hasil_kegiatan { cite Lampiran II huruf D angka 2 huruf b to from.penilai }
)";

struct fixture {
  std::shared_ptr<const perwal::compiled_ruleset> rules;
  std::shared_ptr<const perwal::org::org_graph> org;
  explicit fixture(const std::string& extra_rules = "", const std::string& org_text = small_org) {
    perwal::diagnostics diags;
    rules = perwal::compile_ruleset_text("uji.perwal", small_rules + extra_rules,
                                         perwal::testing::source_dir() / "rulesets", diags);
    INFO(perwal::render(diags));
    REQUIRE(rules);
    perwal::diagnostics errs;
    org = perwal::org::org_graph::load(org_text, "small.json", rules->vocab, rules->shape, errs);
    INFO(perwal::testing::error_text(errs));
    REQUIRE(org);
  }
  perwal::testing::decision_view check(const std::string& q, perwal::lang l = perwal::lang::id) const {
    perwal::evaluator ev(rules, org);
    perwal::diagnostics errs;
    auto d = perwal::testing::check(ev, json::parse(q), errs, l);
    INFO(perwal::testing::error_text(errs));
    REQUIRE(d);
    return *d;
  }
  std::vector<std::string> errors_of(const std::string& q) const {
    perwal::evaluator ev(rules, org);
    perwal::diagnostics errs;
    CHECK_FALSE(ev.check(json::parse(q), errs));
    return perwal::testing::error_lines(errs);
  }
};

bool has(const std::vector<perwal::testing::finding_view>& fs, const std::string& rule) {
  return std::any_of(fs.begin(), fs.end(), [&](const perwal::testing::finding_view& f) { return f.rule == rule; });
}

std::string penugasan(const std::string& assignee, const std::string& owner, const std::string& steps,
                      const std::string& extra = "") {
  return R"({"type": "penugasan", "mode": "penunjukan", "assignee": ")" + assignee + R"(", "owner_unit": ")" + owner +
         R"(", "steps": )" + steps + extra + "}";
}

}  // namespace

TEST_CASE("scopes are derived from the graph and mapped by the ruleset", "[eval]") {
  fixture f;
  CHECK(f.check(penugasan("a.fp1", "a.dinas.bid1", "[]")).scope == "dalam_unit");
  CHECK(f.check(penugasan("a.fp2", "a.dinas.bid1", "[]")).scope == "lintas_unit");
  const auto d = f.check(penugasan("a.kec.fp", "a.dinas.bid1", "[]"));
  CHECK(d.scope == "lintas_perangkat_daerah");
  CHECK(d.regulation_scope == "lintas_uo");
  CHECK(f.check(penugasan("b.fp", "a.dinas.bid1", "[]")).scope == "lintas_instansi");
}

TEST_CASE("a unit organisasi kind can be limited to some kinds of perangkat daerah", "[eval]") {
  const std::string q = penugasan("a.kec.fp", "a.kec.sek", "[]");
  CHECK(fixture().check(q).scope == "lintas_unit");  // the base counts every sekretariat
  const fixture limited(R"(
    override define unit_organisasi = kecamatan, dinas, bidang, sekretariat [dinas, badan] cite Pasal 1 angka 11)");
  CHECK(limited.check(q).scope == "dalam_unit");  // a kecamatan's sekretariat is not a unit organisasi
  CHECK(limited.check(penugasan("a.fp2", "a.dinas.sek", "[]")).scope == "lintas_unit");
}

TEST_CASE("kedudukan tables, generic rules and refine", "[eval]") {
  fixture f;
  SECTION("current atasan of the right kind") {
    const auto d = f.check(R"({"type": "kedudukan", "position": "a.fp2"})");
    CHECK(d.outcome == "allowed");
  }
  SECTION("by NIP, under a delegate: the table's when skips it, the generic rule accepts the delegation") {
    CHECK(f.check(R"({"type": "kedudukan", "position": "a.fp3"})").outcome == "allowed");
    CHECK(f.check(R"({"type": "kedudukan", "position": "199001012015031001"})").outcome == "allowed");
  }
  SECTION("a kepala subbagian is a pengawas, but not in the table") {
    const auto d = f.check(R"({"type": "kedudukan", "position": "a.pel1"})");
    CHECK(d.outcome == "denied");
    REQUIRE(d.violations.size() == 1);
    CHECK(d.violations[0].rule == "kedudukan.dinas");
    CHECK(d.violations[0].citation == "Perwal Uji 1/2024, Lampiran II huruf D angka 1");
    CHECK(d.violations[0].path == std::vector<std::string>{"a.pel1", "a.kasub"});
    CHECK_THAT(d.violations[0].hint, Catch::Contains("a.kabid1"));  // the nearest allowed head above
  }
  SECTION("a proposed atasan from another perangkat daerah") {
    const auto d = f.check(R"({"type": "kedudukan", "position": "a.fp2", "atasan": "a.camat"})");
    CHECK(d.outcome == "denied");
    CHECK(has(d.violations, "kedudukan.dinas"));
  }
  SECTION("a pelaksana as atasan breaks the refined base rule, citing the regional article") {
    const auto d = f.check(R"({"type": "kedudukan", "position": "a.fp2", "atasan": "a.pel1"})");
    CHECK(has(d.violations, "kedudukan.atasan_langsung"));
    for (const auto& v : d.violations) {
      if (v.rule == "kedudukan.atasan_langsung") CHECK(v.citation == "Perwal Uji 1/2024, Pasal 5 ayat (1)");
    }
    const bool noted = std::any_of(d.trace.begin(), d.trace.end(), [](const std::string& t) {
      return t.find("memperhalus aturan dasar kedudukan.atasan_langsung (permenpanrb-7-2022") != std::string::npos;
    });
    CHECK(noted);
  }
}

TEST_CASE("workflow: complete, incomplete, out of order, wrong actor, letters, refusal, issuer", "[eval]") {
  fixture f;
  const std::string letter =
      R"({"action": "surat_permohonan_pelibatan", "from": "a.kabid1", "to": "a.kabid2", "cc": ["a.kadis"], "contents": ["maksud_tujuan", "durasi"], "durasi_bulan": 6})";
  const std::string approve = R"({"action": "persetujuan", "by": "a.kabid2"})";
  const std::string issue = R"({"action": "surat_penugasan", "by": "a.kabid2"})";
  SECTION("complete, with the optional step skipped") {
    const auto d = f.check(penugasan("a.fp2", "a.dinas.bid1", "[" + letter + "," + approve + "," + issue + "]",
                                     R"(, "assigned_by": "a.kabid2")"));
    INFO(d.text);
    CHECK(d.outcome == "allowed");
    CHECK(d.workflow == "penugasan.penunjukan.lintas_unit");
  }
  SECTION("a correct prefix is incomplete and names who acts next") {
    const auto d = f.check(penugasan("a.fp2", "a.dinas.bid1", "[" + letter + "]"));
    CHECK(d.outcome == "incomplete");
    REQUIRE(d.next.size() == 2);
    CHECK(d.next[0].action == "persetujuan");
    CHECK(d.next[0].by == std::vector<std::string>{"a.kabid2"});
    CHECK(d.next[0].citation == "Perwal Uji 1/2024, Lampiran III huruf A angka 2 huruf b");
  }
  SECTION("a step missing before a later one is a violation of that step") {
    const auto d = f.check(penugasan("a.fp2", "a.dinas.bid1", "[" + letter + "," + issue + "]"));
    CHECK(d.outcome == "denied");
    CHECK(has(d.violations, "penugasan.penunjukan.lintas_unit.persetujuan"));
    CHECK(d.next.empty());
  }
  SECTION("wrong actor") {
    const auto d =
        f.check(penugasan("a.fp2", "a.dinas.bid1", "[" + letter + R"(, {"action": "persetujuan", "by": "a.kadis"}])"));
    CHECK(has(d.violations, "penugasan.penunjukan.lintas_unit.persetujuan"));
  }
  SECTION("tembusan, contents and a step condition") {
    const auto d = f.check(penugasan(
        "a.fp2", "a.dinas.bid1",
        R"([{"action": "surat_permohonan_pelibatan", "from": "a.kabid1", "to": "a.kabid2", "contents": ["maksud_tujuan"], "durasi_bulan": 24}])"));
    CHECK(has(d.violations, "penugasan.penunjukan.lintas_unit.permohonan.tembusan"));
    CHECK(has(d.violations, "penugasan.penunjukan.lintas_unit.permohonan.isi"));
    CHECK(has(d.violations, "penugasan.penunjukan.lintas_unit.permohonan"));  // durasi_bulan <= 12
  }
  SECTION("a role asked again at later steps, and a longer one from the same base, each name their own official") {
    // owner.pimpinan_unit (the letter's `from`) is walked before owner.pimpinan_unit.penilai (its `cc`):
    // the copy to a.kabid1 is not the copy to a.kadis; assignee.penilai is asked at three steps.
    const auto copied_wrong = f.check(penugasan(
        "a.fp2", "a.dinas.bid1",
        R"([{"action": "surat_permohonan_pelibatan", "from": "a.kabid1", "to": "a.kabid2", "cc": ["a.kabid1"], "contents": ["maksud_tujuan", "durasi"], "durasi_bulan": 6}])"));
    CHECK(has(copied_wrong.violations, "penugasan.penunjukan.lintas_unit.permohonan.tembusan"));
    const auto approved_wrong = f.check(penugasan(
        "a.fp2", "a.dinas.bid1", "[" + letter + R"(, {"action": "persetujuan", "by": "a.kabid1"}, )" + issue + "]"));
    CHECK(has(approved_wrong.violations, "penugasan.penunjukan.lintas_unit.persetujuan"));
    CHECK(approved_wrong.violations.size() == 1);
  }
  SECTION("contents given as null say the letter states nothing; contents absent leave it to be shown") {
    const std::string head =
        R"([{"action": "surat_permohonan_pelibatan", "from": "a.kabid1", "to": "a.kabid2", "cc": ["a.kadis"], "durasi_bulan": 6)";
    const auto stated_null = f.check(penugasan("a.fp2", "a.dinas.bid1", head + R"(, "contents": null}])"));
    CHECK(has(stated_null.violations, "penugasan.penunjukan.lintas_unit.permohonan.isi"));
    CHECK_FALSE(has(stated_null.needs, "penugasan.penunjukan.lintas_unit.permohonan.isi"));
    const auto absent = f.check(penugasan("a.fp2", "a.dinas.bid1", head + "}]"));
    CHECK_FALSE(has(absent.violations, "penugasan.penunjukan.lintas_unit.permohonan.isi"));
    CHECK(has(absent.needs, "penugasan.penunjukan.lintas_unit.permohonan.isi"));
  }
  SECTION("refusal with and without a reason") {
    const auto with =
        f.check(penugasan("a.fp2", "a.dinas.bid1",
                          "[" + letter + R"(, {"action": "penolakan", "by": "a.kabid2", "reason": "beban kerja"}])"));
    CHECK(with.outcome == "denied");
    CHECK(has(with.violations, "penugasan.penunjukan.lintas_unit.penolakan"));
    CHECK_FALSE(has(with.violations, "penugasan.penunjukan.lintas_unit.penolakan.alasan"));
    const auto without =
        f.check(penugasan("a.fp2", "a.dinas.bid1", "[" + letter + R"(, {"action": "penolakan", "by": "a.kabid2"}])"));
    CHECK(has(without.violations, "penugasan.penunjukan.lintas_unit.penolakan.alasan"));
  }
  SECTION("issuer") {
    const auto d = f.check(penugasan("a.fp2", "a.dinas.bid1", "[]", R"(, "assigned_by": "a.kabid1")"));
    CHECK(has(d.violations, "penugasan.penunjukan.lintas_unit.penerbit"));
  }
  SECTION("a union of roles accepts either official") {
    CHECK(f.check(penugasan("a.fp1", "a.dinas.bid1", R"([{"action": "penetapan", "by": "a.kabid1"}])")).outcome ==
          "allowed");
  }
  SECTION("pejabat yang berwenang on both sides") {
    const auto d = f.check(penugasan("b.fp", "a.dinas.bid1",
                                     R"([{"action": "surat_permohonan_pelibatan", "from": "a.kabid1", "to": "a.sekda"},
            {"action": "surat_permohonan_pelibatan", "from": "a.sekda", "to": "b.sekda"},
            {"action": "surat_penugasan", "by": "b.kabag"}])"));
    CHECK(d.outcome == "allowed");
  }
}

TEST_CASE("dilarang rules deny; messages follow the language", "[eval]") {
  fixture f;
  const std::string q =
      R"({"type": "penugasan", "mode": "pengajuan_sukarela", "assignee": "b.fp", "owner_unit": "a.dinas.bid1"})";
  const auto id = f.check(q);
  CHECK(id.outcome == "denied");
  REQUIRE(has(id.violations, "penugasan.sukarela.lintas_instansi"));
  CHECK(id.violations[0].message == "Pengajuan sukarela lintas instansi dilarang");
  const auto en = f.check(q, perwal::lang::en);
  CHECK(en.violations[0].message == "Voluntary application across instansi is forbidden");
}

TEST_CASE("reports and review chains", "[eval]") {
  fixture f;
  CHECK(f.check(R"({"type": "pelaporan", "from": "a.fp2", "to": "a.kabid2", "as": "individu"})").outcome == "allowed");
  const auto d = f.check(R"({"type": "pelaporan", "from": "a.fp2", "to": "a.kadis", "as": "individu"})");
  CHECK(d.outcome == "denied");
  CHECK(has(d.violations, "pelaporan.individu"));
  CHECK(f.check(R"({"type": "pelaporan", "from": "a.fp3", "to": "a.fp1", "as": "anggota_tim", "team": "t.dalam"})")
            .outcome == "allowed");
  CHECK(f.check(R"({"type": "pelaporan", "from": "a.fp2", "to": "a.fp1", "as": "anggota_tim", "team": "t.dalam"})")
            .outcome == "denied");  // not a member of that team
  // review chain: kepala bidang -> kepala dinas
  CHECK(f.check(R"({"type": "pelaporan", "from": "a.kabid1", "to": "a.kadis", "as": "hasil_kegiatan"})").outcome ==
        "allowed");
  CHECK(f.check(R"({"type": "pelaporan", "from": "a.kabid1", "to": "a.wali", "as": "hasil_kegiatan"})").outcome ==
        "denied");
}

TEST_CASE("the appraiser skips a coordinator the table does not mark penilai", "[eval]") {
  fixture f;
  CHECK(f.check(R"({"type": "kedudukan", "position": "a.kec.fp2"})").outcome == "allowed");
  CHECK(f.check(R"({"type": "pelaporan", "from": "a.kec.fp2", "to": "a.camat", "as": "hasil_kegiatan"})").outcome ==
        "allowed");
  CHECK(f.check(R"({"type": "pelaporan", "from": "a.kec.fp2", "to": "a.kasi", "as": "hasil_kegiatan"})").outcome ==
        "denied");
  // Where the table marks the atasan, it is the appraiser.
  CHECK(f.check(R"({"type": "pelaporan", "from": "a.fp2", "to": "a.kabid2", "as": "hasil_kegiatan"})").outcome ==
        "allowed");
}

TEST_CASE("a team's own fields: team.field and membership in a JSON array", "[eval]") {
  const fixture f(R"(
codes content { tugas, peran }
rule tim.keputusan_memuat wajib on tim {
  cite Pasal 11 ayat (4)
  require tugas in team.field("keputusan").memuat and peran in team.field("keputusan").memuat
          and team.field("target").nilai >= 1
  message "Keputusan tim memuat tugas, target terukur dan peran" en "The team decision states tasks, targets and roles"
  hint "Lengkapi keputusan" en "Complete the decision"
})");
  const std::string team =
      R"({"id": "x", "owner_unit": "a.dinas.bid1", "ketua": "a.fp1", "anggota": ["a.fp3"], "target": {"nilai": 3},
          "keputusan": {"memuat": ["tugas", "peran"]}})";
  CHECK(f.check(R"({"type": "tim", "team": )" + team + "}").outcome == "allowed");
  auto missing = team;
  missing.replace(missing.find("\"peran\"]"), 8, "\"x\"]");
  const auto d = f.check(R"({"type": "tim", "team": )" + missing + "}");
  CHECK(d.outcome == "denied");
  CHECK(has(d.violations, "tim.keputusan_memuat"));
}

TEST_CASE("teams: soft rules warn, never deny", "[eval]") {
  fixture f;
  const auto d = f.check(R"({"type": "tim", "team": "t.lintas"})");
  CHECK(d.outcome == "allowed");
  CHECK(has(d.warnings, "tim.ketua_pemilik_kinerja"));
  const auto inline_team = f.check(
      R"({"type": "tim", "team": {"id": "x", "owner_unit": "a.dinas.bid1", "ketua": "a.kabid2", "anggota": ["a.fp1"]}})");
  CHECK(inline_team.outcome == "denied");
}

TEST_CASE("an unknown org id in a query suggests the nearest one, in both languages", "[eval][bad-input]") {
  fixture f;
  const auto errors = [&](const std::string& q, perwal::lang l) {
    perwal::evaluator ev(f.rules, f.org);
    perwal::diagnostics errs;
    CHECK_FALSE(ev.check(json::parse(q), errs));
    std::vector<std::string> lines;
    for (const auto& e : errs.items()) {
      CHECK(e.code == "E204");
      lines.push_back(e.path_line(l));
    }
    return lines;
  };
  const auto en = errors(R"({"type": "penugasan", "mode": "penunjukan", "assignee": "a.kabdi2",
                             "owner_unit": "a.dinas.bid", "steps": []})",
                         perwal::lang::en);
  CHECK(en == std::vector<std::string>{"assignee: no position or employee \"a.kabdi2\" (did you mean \"a.kabid2\"?)",
                                       "owner_unit: no unit \"a.dinas.bid\" (did you mean \"a.dinas.sek\"?)"});
  const auto id = errors(R"({"type": "kedudukan", "position": "a.kabdi2"})", perwal::lang::id);
  CHECK(id ==
        std::vector<std::string>{"position: tidak ada jabatan atau pegawai \"a.kabdi2\" (maksud Anda \"a.kabid2\"?)"});
  // A team id, and no suggestion for another number or a name far from every id.
  const auto team = errors(R"({"type": "tim", "team": "t.dalm"})", perwal::lang::en);
  REQUIRE_FALSE(team.empty());
  CHECK(team[0] == "team: no team \"t.dalm\" (did you mean \"t.dalam\"?)");
  CHECK(errors(R"({"type": "kedudukan", "position": "a.fp9"})", perwal::lang::en) ==
        std::vector<std::string>{"position: no position or employee \"a.fp9\""});
  CHECK(errors(R"({"type": "kedudukan", "position": "b.nobody.at.all"})", perwal::lang::en) ==
        std::vector<std::string>{"position: no position or employee \"b.nobody.at.all\""});
}

TEST_CASE("a query's type and fields are refused with the JSON path of each problem", "[eval][bad-input]") {
  fixture f;
  // Each error as "code path-line" (English); no decision for a refused query.
  const auto errors = [&](const std::string& q) {
    perwal::evaluator ev(f.rules, f.org);
    perwal::diagnostics errs;
    CHECK_FALSE(ev.check(json::parse(q), errs));
    std::vector<std::string> out;
    for (const auto& e : errs.items()) out.push_back(e.code + " " + e.path_line(perwal::lang::en));
    return out;
  };
  const auto starts = [](const std::vector<std::string>& lines, std::vector<std::string> prefixes) {
    REQUIRE(lines.size() == prefixes.size());
    for (std::size_t i = 0; i < lines.size(); ++i) CHECK_THAT(lines[i], Catch::StartsWith(prefixes[i]));
  };
  // A field of another type (pelaporan's `from` in a kedudukan query), and one of no type at all.
  starts(errors(R"({"type": "kedudukan", "position": "a.fp1", "from": "a.kabid2"})"), {"E207 from: unknown field"});
  starts(errors(R"({"type": "pelaporan", "from": "a.fp1", "to": "a.kabid2", "as": "individu", "atsan": "x",
                    "position": "a.fp1"})"),
         {"E207 atsan: unknown field", "E207 position: unknown field"});
  // The type: absent, not text, or not a type; an unknown type says only that.
  starts(errors(R"({"position": "a.fp1"})"), {"E200 type:"});
  starts(errors(R"({"type": 5, "position": "a.fp1"})"), {"E200 type:"});
  starts(errors(R"({"type": "kedudukn", "atsan": "x"})"), {"E201 type:"});
  starts(errors(R"({"type": "pelaporam", "from": "a.fp1"})"), {"E201 type:"});
  // Well-formed with every field in its place: read.
  perwal::evaluator ev(f.rules, f.org);
  perwal::diagnostics errs;
  CHECK(ev.check(json::parse(R"({"type": "kedudukan", "position": "a.fp1", "atasan": null, "ruleset": ""})"), errs));
}

TEST_CASE("audit checks kedudukan, delegations and teams", "[eval]") {
  fixture f;
  perwal::evaluator ev(f.rules, f.org);
  const auto d = perwal::testing::view(ev.audit(), ev);
  CHECK(d.checked == 7u + 1u + 2u);  // seven FP and pelaksana, the delegation, two teams
  CHECK(d.outcome == "denied");
  CHECK(has(d.violations, "kedudukan.dinas"));  // a.pel1 under the kepala subbagian
  CHECK(has(d.warnings, "tim.ketua_pemilik_kinerja"));
}

TEST_CASE("bad queries name the JSON path", "[eval][bad-input]") {
  fixture f;
  auto errs = f.errors_of(R"({"type": "penugasan", "mode": "x", "assignee": 5, "owner_unit": "a.nope", "steps": {}})");
  std::string all;
  for (const auto& e : errs) all += e + "\n";
  CHECK_THAT(all, Catch::Contains("assignee: must be a string"));
  CHECK_THAT(all, Catch::Contains("owner_unit: no unit \"a.nope\""));
  CHECK_THAT(all, Catch::Contains("mode: unknown mode \"x\""));
  CHECK_THAT(all, Catch::Contains("steps: must be an array"));
  CHECK_THAT(f.errors_of(R"([1, 2])").at(0), Catch::Contains("must be a JSON object"));
  CHECK(f.errors_of(R"({"type": "nope"})").at(0) ==
        "type: unknown query type \"nope\" (expected kedudukan, penugasan, pelaporan, tim or audit)");
  CHECK(f.errors_of(R"({"type": "pelaporan", "from": "a.fp1", "to": "a.kabid1", "as": "anggota_tim"})").at(0) ==
        "team: required when reporting as a team member or ketua");
}

// ---- evidence the data does not carry -------------------------------------------
namespace {

const char* const decree_rule = R"dsl(
rule tim.keputusan_bernomor wajib on tim {
  cite Lampiran IV angka 1
  require team.field("keputusan").nomor is not null
  message "Tim ditetapkan dengan keputusan bernomor" en "A team is set by a numbered decree"
}
)dsl";

const char* const logic_rules = R"dsl(
fields team { catatan text, pptk boolean }rule tim.ketua_atau_catatan wajib on tim {
  cite Lampiran IV angka 2
  require team.ketua is null and team.field("catatan") == "x"
  message "Uji logika tiga nilai (dan)" en "Three-valued logic test (and)"
}
rule tim.ketua_ada_atau_catatan wajib on tim {
  cite Lampiran IV angka 3
  require team.ketua is not null or team.field("catatan") == "x"
  message "Uji logika tiga nilai (atau)" en "Three-valued logic test (or)"
}
rule tim.khusus_pptk wajib on tim {
  cite Lampiran IV angka 4
  when team.field("pptk") == true
  require team.ketua is null
  message "Uji when tanpa fakta" en "A when without its fact"
}
)dsl";

std::string inline_team(const std::string& extra) {
  return R"({"type": "tim", "team": {"id": "t.uji", "owner_unit": "a.dinas.bid1", "established_by": "a.kabid1",
             "ketua": "a.fp1", "anggota": ["a.fp3"])" +
         extra + "}}";
}

}  // namespace

TEST_CASE("an unstated fact makes a requirement incomplete, a stated wrong one a violation", "[eval][evidence]") {
  const fixture f(std::string(decree_rule) + logic_rules);
  SECTION("no decree recorded: evidence to provide, with its article and the fact named") {
    const auto d = fixture(decree_rule).check(inline_team(""));
    CHECK(d.outcome == "incomplete");
    CHECK(d.violations.empty());
    REQUIRE(has(d.needs, "tim.keputusan_bernomor"));
    const auto& need = *std::find_if(d.json["needs"].begin(), d.json["needs"].end(),
                                     [](const json& n) { return n["rule"] == "tim.keputusan_bernomor"; });
    CHECK(need["evidence"] == json::array({"keputusan"}));
    CHECK(need["citation"] == "Perwal Uji 1/2024, Lampiran IV angka 1");
    CHECK_THAT(d.text, Catch::Contains("Perlu dilengkapi"));
    CHECK_THAT(fixture(decree_rule).check(inline_team(""), perwal::lang::en).text,
               Catch::Contains("Evidence to provide"));
  }
  SECTION("a decree without its number: the number is the evidence") {
    const auto d = f.check(inline_team(R"(, "keputusan": {"tanggal": "2025-01-02"})"));
    REQUIRE(has(d.needs, "tim.keputusan_bernomor"));
    CHECK_THAT(d.json.dump(), Catch::Contains("keputusan.nomor"));
  }
  SECTION("a number stated as null is a fact, and wrong") {
    const auto d = f.check(inline_team(R"(, "keputusan": {"nomor": null})"));
    CHECK(d.outcome == "denied");
    CHECK(has(d.violations, "tim.keputusan_bernomor"));
    CHECK_FALSE(has(d.needs, "tim.keputusan_bernomor"));
  }
  SECTION("a stated number holds") {
    const auto d = f.check(inline_team(R"(, "keputusan": {"nomor": "800/1"})"));
    CHECK_FALSE(has(d.needs, "tim.keputusan_bernomor"));
    CHECK_FALSE(has(d.violations, "tim.keputusan_bernomor"));
  }
  SECTION("three-valued logic: a false conjunct or a true disjunct decides whatever is unstated") {
    const auto d = f.check(inline_team(""));
    CHECK(has(d.violations, "tim.ketua_atau_catatan"));  // ketua is set: false and unknown = false
    CHECK_FALSE(has(d.needs, "tim.ketua_atau_catatan"));
    CHECK_FALSE(has(d.violations, "tim.ketua_ada_atau_catatan"));  // true or unknown = true
    CHECK_FALSE(has(d.needs, "tim.ketua_ada_atau_catatan"));
  }
  SECTION("a `when` that reads an unstated fact does not apply the rule") {
    const auto d = f.check(inline_team(""));
    CHECK_FALSE(has(d.violations, "tim.khusus_pptk"));
    CHECK_FALSE(has(d.needs, "tim.khusus_pptk"));
    CHECK(has(f.check(inline_team(R"(, "pptk": true)")).violations, "tim.khusus_pptk"));
  }
}

TEST_CASE("a letter whose contents are not stated asks for them; stated but short is a violation", "[eval][evidence]") {
  const fixture f;
  const std::string letter = R"([{"action": "surat_permohonan_pelibatan", "from": "a.kabid1", "to": "a.kabid2",
                                  "cc": ["a.kadis"], "durasi_bulan": 6)";
  const std::string rest =
      R"(}, {"action": "persetujuan", "by": "a.kabid2"}, {"action": "surat_penugasan", "by": "a.kabid2"}])";
  const auto unstated = f.check(penugasan("a.fp2", "a.dinas.bid1", letter + rest));
  CHECK(unstated.outcome == "incomplete");
  REQUIRE(has(unstated.needs, "penugasan.penunjukan.lintas_unit.permohonan.isi"));
  CHECK_FALSE(has(unstated.violations, "penugasan.penunjukan.lintas_unit.permohonan.isi"));
  CHECK_THAT(unstated.json["needs"].dump(), Catch::Contains("contents:maksud_tujuan"));
  const auto short_letter = f.check(penugasan("a.fp2", "a.dinas.bid1", letter + R"(, "contents": ["durasi"])" + rest));
  CHECK(short_letter.outcome == "denied");
  CHECK(has(short_letter.violations, "penugasan.penunjukan.lintas_unit.permohonan.isi"));
  CHECK(short_letter.needs.empty());
  const auto full =
      f.check(penugasan("a.fp2", "a.dinas.bid1", letter + R"(, "contents": ["maksud_tujuan", "durasi"])" + rest));
  CHECK(full.needs.empty());
  CHECK_FALSE(has(full.violations, "penugasan.penunjukan.lintas_unit.permohonan.isi"));
}

TEST_CASE("an audit lists what needs evidence apart from its violations", "[eval][evidence][audit]") {
  const fixture f(decree_rule);
  perwal::evaluator ev(f.rules, f.org);
  const auto d = perwal::testing::view(ev.audit(), ev);
  // The org's two teams record no decree: two items to complete, not two violations.
  CHECK(std::count_if(d.needs.begin(), d.needs.end(),
                      [](const auto& n) { return n.rule == "tim.keputusan_bernomor"; }) == 2);
  CHECK_FALSE(has(d.violations, "tim.keputusan_bernomor"));
  CHECK((d.outcome == "allowed" || d.outcome == "denied"));  // an audit decides on violations only
  CHECK_THAT(d.text, Catch::Contains("Perlu dilengkapi"));
}

// ---- the typed rule language ------------------------------------------------------
namespace {

// The diagnostics of small_rules + `extra`, as rendered lines (English).
std::string compile_errors(const std::string& extra) {
  perwal::diagnostics diags;
  auto rules = perwal::compile_ruleset_text("uji.perwal", small_rules + extra,
                                            perwal::testing::source_dir() / "rulesets", diags);
  CHECK(rules == nullptr);
  return perwal::render(diags, {perwal::language::en, true});
}

const char* const team_rule_head = R"(
rule tim.uji wajib on tim {
  cite Lampiran IV angka 9
  message "Uji" en "Test"
)";

std::string team_rule(const std::string& require) {
  return std::string(team_rule_head) + "  require " + require + "\n}\n";
}

}  // namespace

TEST_CASE("typed rules: what can never hold does not compile", "[compile][typed]") {
  SECTION("an undeclared team field, with the nearest declared one") {
    const auto out = compile_errors(team_rule(R"(team.field("keputusn").nomor is not null)"));
    CHECK_THAT(out, Catch::Contains("error[E063]: a team has no field \"keputusn\""));
    CHECK_THAT(out, Catch::Contains("did you mean \"keputusan\"?"));
  }
  SECTION("a property of a number") {
    const auto out = compile_errors(team_rule(R"(team.target.nilai.length <= 15)"));
    CHECK_THAT(out, Catch::Contains("error[E031]: \"length\" is not a property of a value"));
  }
  SECTION("a position compared with a text") {
    const auto out = compile_errors(team_rule(R"(team.ketua == "a.fp1")"));
    CHECK_THAT(out, Catch::Contains("error[E064]: cannot compare a position with a text"));
  }
  SECTION("a unit kind compared with a position kind") {
    const auto out = compile_errors(team_rule(R"(team.owner.kind == kepala_bidang)"));
    CHECK_THAT(out, Catch::Contains("unknown unit_kind \"kepala_bidang\""));
  }
  SECTION("an unknown function, with the nearest") {
    const auto out = compile_errors(team_rule(R"(cout(team.anggota) <= 15)"));
    CHECK_THAT(out, Catch::Contains("error[E065]: unknown function \"cout\""));
    CHECK_THAT(out, Catch::Contains("did you mean \"count\"?"));
  }
  SECTION("a quantifier over one official") {
    const auto out = compile_errors(team_rule(R"(every m in team.ketua: m.jenis == fungsional)"));
    CHECK_THAT(out, Catch::Contains("error[E067]"));
  }
  SECTION("a misspelt name, with the nearest") {
    const auto out = compile_errors(team_rule(R"(tema.ketua is not null)"));
    CHECK_THAT(out, Catch::Contains("did you mean \"team\"?"));
  }
  SECTION("an unknown field type, and step outside a step") {
    const auto out = compile_errors("fields team { jumlah numbr }\n" + team_rule("true"));
    CHECK_THAT(out, Catch::Contains("error[E061]: unknown type \"numbr\""));
    CHECK_THAT(out, Catch::Contains("did you mean \"number\"?"));
    const auto outside = compile_errors(R"(
rule penugasan.uji wajib on penugasan {
  cite Pasal 9
  require step.by is not null
  message "Uji" en "Test"
})");
    CHECK_THAT(outside, Catch::Contains("error[E063]: `step` is only known inside a workflow step"));
  }
  SECTION("a step field its action does not declare") {
    const auto out = compile_errors(R"(
workflow penugasan.penunjukan.uji wajib {
  mode penunjukan scope lintas_instansi cite Pasal 9
  step surat surat_penugasan { by assignee.penilai where step.durasi_bln <= 12 }
})");
    CHECK_THAT(out, Catch::Contains("error[E063]: step surat_penugasan has no field \"durasi_bln\""));
    CHECK_THAT(out, Catch::Contains("did you mean \"durasi_bulan\"?"));
  }
  SECTION("a field declared twice with two types") {
    const auto out = compile_errors("fields team { target text }\n");
    CHECK_THAT(out,
               Catch::Contains("error[E062]: field \"target\" of team is already declared as target_tim, not text"));
  }
}

TEST_CASE("typed rules: counting, quantifiers, tags and fields that name officials", "[eval][typed]") {
  const fixture f(R"(
fields team { dibentuk date }
rule tim.ukuran wajib on tim {
  cite Lampiran IV angka 1
  require count(team.anggota) <= 1
  message "Tim paling banyak satu anggota" en "At most one member"
}
rule tim.anggota_fp wajib on tim {
  cite Lampiran IV angka 2
  require every m in team.members: m.jenis in [fungsional, pelaksana]
  message "Setiap anggota Pejabat Fungsional atau pelaksana" en "Every member is an FP or pelaksana"
}
rule tim.ada_ahli_muda diutamakan on tim {
  cite Lampiran IV angka 3
  require some m in team.anggota: m.jenjang == ahli_muda
  message "Sebaiknya ada ahli muda" en "Preferably an ahli muda"
}
rule tim.dibentuk_2025 wajib on tim {
  cite Lampiran IV angka 4
  require team.dibentuk >= 2025-01-01 and days_between(2025-01-01, team.dibentuk) < 366
  message "Tim dibentuk pada 2025" en "Set up in 2025"
}
rule tim.pemilik_kepegawaian boleh on tim {
  cite Lampiran IV angka 5
  when team.established_by in team.owner.instansi.tagged("urusan:kepegawaian").head
  message "Tim oleh Sekda, urusan kepegawaian" en "Set up by the Sekda"
}
)");
  auto team = [&](const std::string& ketua, const std::string& anggota, const std::string& extra = "") {
    return f.check(R"({"type": "tim", "team": {"id": "t", "owner_unit": "a.dinas.bid1", "established_by": "a.sekda",
                       "ketua": ")" +
                   ketua + R"(", "anggota": )" + anggota + extra + "}}");
  };
  const auto two = team("a.fp1", R"(["a.fp3", "a.pel1"], "dibentuk": "2025-03-01")");
  CHECK(has(two.violations, "tim.ukuran"));
  CHECK_FALSE(has(two.violations, "tim.anggota_fp"));
  CHECK(has(two.warnings, "tim.ada_ahli_muda"));  // fp3 is ahli_pertama, pel1 a pelaksana
  CHECK_FALSE(has(two.violations, "tim.dibentuk_2025"));
  const auto led = team("a.kabid2", R"(["a.fp1"], "dibentuk": "2026-02-01")");
  CHECK(has(led.violations, "tim.anggota_fp"));  // a kepala bidang leads it
  CHECK_FALSE(has(led.violations, "tim.ukuran"));
  CHECK_FALSE(has(led.warnings, "tim.ada_ahli_muda"));  // fp1 is ahli_muda
  CHECK(has(led.violations, "tim.dibentuk_2025"));
  CHECK(has(team("a.fp1", R"(["a.fp3"])").needs, "tim.dibentuk_2025"));  // the date is not stated
  // tagged(): the Sekda heads the unit of the instansi tagged urusan:kepegawaian.
  CHECK_THAT(two.text, Catch::Contains("tim.pemilik_kepegawaian"));
}

TEST_CASE("typed rules: a step's check names the values it found", "[eval][typed]") {
  const fixture f(R"(
override workflow penugasan.penunjukan.lintas_instansi wajib {
  mode penunjukan scope lintas_instansi cite Lampiran III huruf A angka 3
  step surat surat_penugasan {
    by assignee.penilai
    check durasi wajib {
      require months_between(step.mulai, step.selesai) <= 12
      cite Lampiran III huruf A angka 5
      message "Penugasan paling lama 12 bulan" en "An assignment lasts at most 12 months"
    }
    check oleh_penilai wajib {
      require step.by == assignee.penilai
      cite Lampiran III huruf A angka 6
      message "Surat ditandatangani penilai" en "Signed by the appraiser"
    }
  }
})");
  const std::string head =
      R"({"type": "penugasan", "mode": "penunjukan", "assignee": "b.fp", "owner_unit": "a.dinas.bid1",
                              "steps": [{"action": "surat_penugasan", "by": "b.kabag")";
  const auto too_long = f.check(head + R"(, "mulai": "2025-01-15", "selesai": "2026-03-01"}]})");
  REQUIRE(has(too_long.violations, "penugasan.penunjukan.lintas_instansi.surat.durasi"));
  const auto& v = *std::find_if(too_long.violations.begin(), too_long.violations.end(), [](const auto& x) {
    return x.rule == "penugasan.penunjukan.lintas_instansi.surat.durasi";
  });
  CHECK(v.citation == "Perwal Uji 1/2024, Lampiran III huruf A angka 5");
  CHECK_THAT(v.message, Catch::Contains("step.mulai = 2025-01-15; step.selesai = 2026-03-01"));
  CHECK_FALSE(has(too_long.violations, "penugasan.penunjukan.lintas_instansi.surat.oleh_penilai"));
  const auto ok = f.check(head + R"(, "mulai": "2025-01-15", "selesai": "2026-01-14"}]})");
  CHECK_FALSE(has(ok.violations, "penugasan.penunjukan.lintas_instansi.surat.durasi"));  // 11 whole months
  CHECK(has(f.check(head + "}]}").needs, "penugasan.penunjukan.lintas_instansi.surat.durasi"));
  const auto other =
      f.check(R"({"type": "penugasan", "mode": "penunjukan", "assignee": "b.fp", "owner_unit": "a.dinas.bid1",
      "steps": [{"action": "surat_penugasan", "by": "a.kadis", "mulai": "2025-01-15", "selesai": "2025-02-15"}]})");
  CHECK(has(other.violations, "penugasan.penunjukan.lintas_instansi.surat.oleh_penilai"));
  // A declared field of the wrong type is refused at its path, never read as null.
  const auto errors = f.errors_of(head + R"(, "mulai": "kemarin", "selesai": 20260101}]})");
  CHECK(errors ==
        std::vector<std::string>{"steps[0].mulai: must be date (the type the ruleset declares for this field)",
                                 "steps[0].selesai: must be date (the type the ruleset declares for this field)"});
  // A step with more fields than the reader notes one by one (undeclared
  // ones are kept, not refused) has its declared ones read the same way.
  std::string many;
  for (int i = 0; i < 9; ++i) many += R"(, "catatan_)" + std::to_string(i) + R"(": "x")";
  CHECK(f.errors_of(head + many + R"(, "mulai": "kemarin", "selesai": 20260101}]})") == errors);
  CHECK(has(f.check(head + many + R"(, "mulai": "2025-01-15", "selesai": "2026-03-01"}]})").violations,
            "penugasan.penunjukan.lintas_instansi.surat.durasi"));
}

// ---- delegations: scope and period, declared in the DSL -----------------------------
namespace {

const char* const delegation_rules = R"dsl(
rule delegasi.cakupan wajib on delegasi {
  cite Pasal 20 ayat (1)
  when position is not null
  require position in delegation.cakupan
  message "Pendelegasian hanya berlaku bagi jabatan yang disebutkan"
    en "A delegation holds only for the positions it names"
}
rule delegasi.jangka_waktu wajib on delegasi {
  cite Pasal 20 ayat (2)
  require months_between(delegation.mulai, delegation.selesai) <= 12
  message "Pendelegasian paling lama 12 bulan" en "A delegation lasts at most 12 months"
}
)dsl";

// small_org with its one delegation (a.kabid1 to a.fp1, under whom a.fp3 sits) given `fields`.
std::string org_with_delegation(const std::string& fields) {
  std::string org = small_org;
  const std::string from = R"("basis": "SK"})";
  org.replace(org.find(from), from.size(), R"("basis": "SK")" + fields + "}");
  return org;
}

const std::string fp3_kedudukan = R"({"type": "kedudukan", "position": "a.fp3"})";

}  // namespace

TEST_CASE("a delegation's scope and period are fields the ruleset declares", "[eval][delegation]") {
  const std::string period = R"(, "mulai": "2025-01-01", "selesai": "2025-12-31")";
  SECTION("in scope and in time: the fungsional may sit under the delegate") {
    const fixture f(delegation_rules, org_with_delegation(R"(, "cakupan": ["a.fp3"])" + period));
    const auto d = f.check(fp3_kedudukan);
    CHECK(d.outcome == "allowed");
  }
  SECTION("a position the delegation does not name: no delegated authority") {
    const fixture f(delegation_rules, org_with_delegation(R"(, "cakupan": ["a.fp2"])" + period));
    const auto d = f.check(fp3_kedudukan);
    CHECK(d.outcome == "denied");
    CHECK(has(d.violations, "kedudukan.penilai_minimal_pengawas"));
  }
  SECTION("a scope not recorded: evidence to provide, named by the delegation's path") {
    const fixture f(delegation_rules, org_with_delegation(period));
    const auto d = f.check(fp3_kedudukan);
    // The base rules that accept a delegated appraiser cannot decide; (this
    // fixture's Dinas table, whose `when` reads the unknown as "not
    // delegated", still applies, as a `when` does.)
    REQUIRE(has(d.needs, "kedudukan.penilai_minimal_pengawas"));
    CHECK_FALSE(has(d.violations, "kedudukan.penilai_minimal_pengawas"));
    CHECK_THAT(d.json["needs"].dump(), Catch::Contains("delegations[0].cakupan"));
  }
  SECTION("the audit checks the period: too long is a violation, unstated is evidence to provide") {
    const fixture too_long(
        delegation_rules,
        org_with_delegation(R"(, "cakupan": ["a.fp3"], "mulai": "2025-01-01", "selesai": "2026-06-30")"));
    perwal::evaluator ev(too_long.rules, too_long.org);
    const auto d = perwal::testing::view(ev.audit(), ev);
    CHECK(has(d.violations, "delegasi.jangka_waktu"));
    const fixture unstated(delegation_rules, org_with_delegation(R"(, "cakupan": ["a.fp3"])"));
    perwal::evaluator ev2(unstated.rules, unstated.org);
    const auto d2 = perwal::testing::view(ev2.audit(), ev2);
    CHECK_FALSE(has(d2.violations, "delegasi.jangka_waktu"));
    REQUIRE(has(d2.needs, "delegasi.jangka_waktu"));
    CHECK_THAT(d2.json["needs"].dump(), Catch::Contains("mulai"));
  }
  SECTION("without rules on them, the fields change nothing") {
    const fixture f("", org_with_delegation(R"(, "cakupan": ["a.fp2"])"));
    CHECK(f.check(fp3_kedudukan).outcome == "allowed");
  }
  SECTION("an undeclared delegation field does not compile, with the nearest declared one") {
    const auto out = compile_errors(R"dsl(
rule delegasi.uji wajib on delegasi {
  cite Pasal 1
  require position in delegation.cakupn
  message "uji" en "test"
}
)dsl");
    CHECK_THAT(out, Catch::Contains("\"cakupn\" is not a property of a delegation"));
    CHECK_THAT(out, Catch::Contains("did you mean \"cakupan\"?"));
  }
}
