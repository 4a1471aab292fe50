// The semantic checks of `perwal lint`: each finding on a minimal ruleset
// that has it, and none on one that does not.
#include "engine/compile/lint.hpp"

#include "engine/explore/semantic_lint.hpp"
#include "explore_support.hpp"

namespace {

const std::string header = R"(
ruleset uji-lint { title "Uji" cite_as "Perwal Uji" number "1" year 2024 region "Uji" status draft extends permenpanrb-7-2022 }
)";

// The semantic warnings of a ruleset written as `header + body`.
std::vector<perwal::diagnostic> findings(const std::string& body) {
  const auto rules = perwal::testing::compile_text("uji.perwal", header + body);
  perwal::diagnostics diags;
  perwal::explore::semantic_lint(rules, diags);
  INFO(perwal::render(diags));
  return diags.items();
}

bool mentions(const std::vector<perwal::diagnostic>& ds, const std::string& text) {
  return std::any_of(ds.begin(), ds.end(),
                     [&](const perwal::diagnostic& d) { return d.message_text().find(text) != std::string::npos; });
}

}  // namespace

TEST_CASE("lint: the bundled base and Padang Panjang have no semantic finding", "[lint]") {
  for (const auto* id : {"permenpanrb-7-2022", "padang-panjang-48-2024"}) {
    perwal::diagnostics diags;
    perwal::explore::semantic_lint(perwal::testing::bundled(id), diags);
    INFO(id << "\n" << perwal::render(diags));
    CHECK(diags.items().empty());
  }
}

TEST_CASE("lint: two kedudukan rules no atasan satisfies together", "[lint]") {
  const std::string pengawas = R"(
rule kedudukan.atasan_pengawas wajib on kedudukan {
  cite Pasal 1
  when position.jenis == fungsional
  require atasan.jenis == pengawas
  message "Atasan pengawas" en "A pengawas atasan"
}
)";
  const std::string administrator = R"(
rule kedudukan.atasan_administrator wajib on kedudukan {
  cite Pasal 2
  when position.jenis == fungsional
  require atasan.jenis == administrator
  message "Atasan administrator" en "An administrator atasan"
}
)";
  const auto both = findings(pengawas + administrator);
  CHECK(mentions(both, "\"kedudukan.atasan_administrator\" and \"kedudukan.atasan_pengawas\" conflict"));
  const auto one = findings(pengawas);
  CHECK_FALSE(mentions(one, "conflict"));
  // a finding carries the rule's place and both citations
  for (const auto& d : both) {
    if (d.message_text().find("conflict") == std::string::npos) continue;
    CHECK(d.at.range.begin.line > 0);
    REQUIRE(d.notes.size() >= 2);
    CHECK_THAT(d.note_text(0), Catch::Contains("Perwal Uji, Pasal"));
  }
}

TEST_CASE("lint: a wajib rule requiring what a dilarang rule forbids", "[lint]") {
  // The base forbids pengajuan sukarela across instansi; this demands it.
  const auto found = findings(R"(
rule penugasan.sukarela.harus_lintas_instansi wajib on penugasan {
  cite Pasal 3
  when mode == pengajuan_sukarela
  require contract_scope == lintas_instansi
  message "Sukarela lintas instansi" en "Voluntary across instansi"
}
)");
  CHECK(mentions(found,
                 "\"penugasan.sukarela.harus_lintas_instansi\" and \"penugasan.sukarela.lintas_instansi\" conflict"));
  const auto fine = findings(R"(
rule penugasan.sukarela.dalam_instansi wajib on penugasan {
  cite Pasal 3
  when mode == pengajuan_sukarela
  require contract_scope != lintas_instansi
  message "Sukarela dalam instansi" en "Voluntary within the instansi"
}
)");
  CHECK_FALSE(mentions(fine, "conflict"));
}

TEST_CASE("lint: a rule whose condition never holds", "[lint]") {
  const auto found = findings(R"(
rule kedudukan.camat_fungsional wajib on kedudukan {
  cite Pasal 4
  when position.kind == camat and position.jenis == fungsional
  require atasan is not null
  message "x" en "x"
}
)");
  CHECK(mentions(found, "\"kedudukan.camat_fungsional\" never applies"));
  const auto fine = findings(R"(
rule kedudukan.fungsional_beratasan wajib on kedudukan {
  cite Pasal 4
  when position.jenis == fungsional
  require atasan is not null
  message "x" en "x"
}
)");
  CHECK_FALSE(mentions(fine, "never applies"));
}

TEST_CASE("lint: a workflow role that names nobody", "[lint]") {
  const std::string workflow = R"(
workflow penugasan.penunjukan.dalam_unit wajib {
  mode penunjukan
  scope dalam_unit
  cite Pasal 5
  step surat_penugasan surat_penugasan { by ROLE }
}
)";
  auto with = [&](const std::string& role) {
    std::string text = workflow;
    text.replace(text.find("ROLE"), 4, role);
    return findings(text);
  };
  CHECK(mentions(with("assignee.instansi.head.atasan"), "`by assignee.instansi.head.atasan` of"));
  CHECK_FALSE(mentions(with("assignee.penilai"), "names nobody"));
}

TEST_CASE("lint: find() of a kind the structure never has", "[lint]") {
  const std::string codes = "codes unit_kind { pokja \"Kelompok Kerja\" }\n";
  const std::string rule = R"(
rule penugasan.pokja wajib on penugasan {
  cite Pasal 6
  when assignee.instansi.find(KIND) is not null
  require assignee.jenis in [fungsional, pelaksana]
  message "x" en "x"
}
)";
  auto with = [&](const std::string& kind) {
    std::string text = rule;
    text.replace(text.find("KIND"), 4, kind);
    return findings(codes + text);
  };
  CHECK(mentions(with("pokja"), "can name no unit"));
  CHECK_FALSE(mentions(with("dinas"), "can name no unit"));
}

TEST_CASE("lint --strict exits 1 on a semantic finding", "[lint][cli]") {
  auto r = perwal::testing::perwal_cli("lint --strict tests/data/lint/conflict.perwal", true);
  INFO(r.out);
  CHECK(r.status == 1);
  CHECK_THAT(r.out, Catch::Contains("tests/data/lint/conflict.perwal:"));
  CHECK_THAT(r.out, Catch::Contains("conflict"));
  // (the clean file still has the older lint's warnings: no kedudukan tables)
  auto clean = perwal::testing::perwal_cli("lint tests/data/lint/clean.perwal", true);
  CHECK(clean.status == 0);
  CHECK_THAT(clean.out, !Catch::Contains("conflict: each holds"));
}

TEST_CASE("lint: a report addressed to nobody", "[lint]") {
  const std::string report = R"(
report pelaporan.individu.atas wajib as individu {
  cite Pasal 7
  to TARGET
}
)";
  auto with = [&](const std::string& target) {
    std::string text = report;
    text.replace(text.find("TARGET"), 6, target);
    return findings(text);
  };
  CHECK(mentions(with("from.instansi.head.atasan"), "`to from.instansi.head.atasan` of \"pelaporan.individu.atas\""));
  CHECK_FALSE(mentions(with("from.pimpinan_unit"), "names nobody"));
}

TEST_CASE("lint: a base rule kept without this regulation's article is named (W013)", "[lint]") {
  const auto keeps = perwal::testing::compile_text(
      "uji.perwal", header + "refine kedudukan.atasan_langsung { cite Pasal 5 ayat (1) }\n");
  perwal::diagnostics diags;
  perwal::lint(*keeps, diags);
  INFO(perwal::render(diags));
  auto w013 = [&](const std::string& rule) {
    return std::any_of(diags.items().begin(), diags.items().end(), [&](const perwal::diagnostic& d) {
      const auto text = d.message_text();
      return d.code == "W013" &&
             (text.find(" " + rule + ",") != std::string::npos || text.find(" " + rule + ";") != std::string::npos);
    });
  };
  CHECK_FALSE(w013("kedudukan.atasan_langsung"));     // refined: cites Pasal 5 ayat (1) of this text
  CHECK(w013("kedudukan.penilai_minimal_pengawas"));  // kept as the base has it
  // The base's citation names no regional text, whichever region extends it.
  for (const auto& r : keeps->rules) {
    if (r.info.ruleset == "permenpanrb-7-2022") CHECK(r.info.citation.find("Padang Panjang") == std::string::npos);
  }
}

TEST_CASE("lint: the universe has every jenjang and the units chosen by tag in role expressions", "[lint]") {
  // Both rules apply in some scenario: no W021 "never applies", no W022 "names nobody".
  const auto ds = findings(R"(
rule kedudukan.ahli_madya wajib on kedudukan {
  cite Pasal 1
  when position.jenjang == ahli_madya
  require atasan.jenis in [jpt_pratama, administrator]
  message "Ahli madya di bawah administrator" en "An ahli madya sits under an administrator"
}
workflow penugasan.penunjukan.uji wajib {
  mode penunjukan scope lintas_perangkat_daerah cite Pasal 2
  step setuju persetujuan { by owner.instansi.tagged("urusan:kepegawaian").head }
}
)");
  CHECK_FALSE(mentions(ds, "kedudukan.ahli_madya"));
  CHECK_FALSE(mentions(ds, "names nobody"));
}

TEST_CASE("lint: the universe has tags on an instansi and delegations with their scope and period", "[lint]") {
  const auto ds = findings(R"(
rule kedudukan.provinsi wajib on kedudukan {
  cite Pasal 1
  when position.instansi.has_tag("daerah:provinsi") and position.jenis == fungsional
  require atasan is not null
  message "Uji" en "Test"
}
rule delegasi.cakupan_uji wajib on delegasi {
  cite Pasal 2
  when delegation.cakupan is not null and delegation.mulai is not null
  require position is null or position in delegation.cakupan
  message "Uji" en "Test"
}
)");
  CHECK_FALSE(mentions(ds, "kedudukan.provinsi"));
  CHECK_FALSE(mentions(ds, "delegasi.cakupan_uji"));
  CHECK_FALSE(mentions(ds, "never applies"));
}

TEST_CASE("lint: a finding on a refined base rule points at the refine, not into the base", "[lint]") {
  const auto ds = findings(R"(
refine kedudukan.atasan_langsung {
  cite Pasal 5 ayat (1)
  when position.jenis == pelaksana and position.jenjang == ahli_utama
  message "Uji" en "Test"
}
)");
  bool found = false;
  for (const auto& d : ds) {
    if (d.message_text().find("kedudukan.atasan_langsung") == std::string::npos) continue;
    found = true;
    CHECK_THAT(perwal::render(d), Catch::StartsWith("uji.perwal:4:8:"));
  }
  CHECK(found);  // a pelaksana has no jenjang: the refined condition never holds
}
