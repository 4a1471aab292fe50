// Each grammar rule alone: what it accepts, what it leaves unconsumed, and
// that the whole grammar has no left recursion or empty loops.
#include <catch2/catch.hpp>
#include <cctype>
#include <string>
#include <tao/pegtl/contrib/analyze.hpp>

#include "engine/syntax/parser.hpp"
#include "grammar/perwal_errors.hpp"
#include "grammar/perwal_grammar.hpp"
#include "test_support.hpp"

namespace pegtl = tao::pegtl;
namespace g = perwal::grammar;

namespace {

// Parses `text` with Rule from the start; returns how many bytes remain, or
// -1 when the rule does not match. A commit-point failure propagates.
template <typename Rule>
long remaining(const std::string& text) {
  pegtl::memory_input in(text, "test");
  const bool ok = pegtl::parse<Rule, pegtl::nothing, g::control>(in);
  return ok ? static_cast<long>(in.size()) : -1;
}

template <typename Rule>
std::string error_of(const std::string& text) {
  pegtl::memory_input in(text, "test");
  try {
    (void)pegtl::parse<Rule, pegtl::nothing, g::control>(in);
  } catch (const pegtl::parse_error& e) {
    const auto& p = e.positions().front();
    return std::to_string(p.line) + ":" + std::to_string(p.column) + ": " + std::string(e.message());
  }
  return "";
}

}  // namespace

TEST_CASE("the grammar has no left recursion and no empty loops", "[grammar]") {
  CHECK(pegtl::analyze<g::file>(0) == 0);
}

TEST_CASE("lexical rules", "[grammar]") {
  CHECK(remaining<g::identifier>("kepala_bagian rest") == 5);
  CHECK(remaining<g::identifier>("9abc") == -1);
  CHECK(remaining<g::dotted_name>("penugasan.penunjukan.lintas_unit {") == 2);
  CHECK(remaining<g::slug>("padang-panjang-48-2024 ") == 1);
  CHECK(remaining<g::string_lit>(R"("a \"quoted\" text" x)") == 2);
  CHECK(remaining<g::number>("-12.5x") == 1);
  CHECK(remaining<g::date>("2024-12-27") == 0);
  CHECK(remaining<g::date>("2024-1-27") == -1);
  CHECK(remaining<g::ws>("  # comment\n // another\n ; x") == 1);
  CHECK(error_of<g::string_lit>("\"unterminated\nnext") ==
        "1:14: unterminated string: expected '\"' before the end "
        "of the line");
}

TEST_CASE("keywords do not match a longer identifier", "[grammar]") {
  CHECK(remaining<g::kw_rule>("rule x") == 2);
  CHECK(remaining<g::kw_rule>("rules") == -1);
  CHECK(remaining<g::strength>("wajib ") == 1);
  CHECK(remaining<g::strength>("wajibkan") == -1);
}

TEST_CASE("citations", "[grammar]") {
  CHECK(remaining<g::citation>("Lampiran III huruf A angka 2 huruf a\n  step") == 4);
  CHECK(remaining<g::citation>("Pasal 5 ayat (1) }") == 1);
  CHECK(remaining<g::citation>(R"("dinyatakan ulang" x)") == 1);
  CHECK(remaining<g::cite_clause>("cite Pasal 8 ayat (4), Lampiran III huruf A angka 1 }") == 1);
  CHECK(error_of<g::cite_clause>("cite Pasal }") ==
        "1:12: expected the value of the citation part (for example 'Pasal 5', 'ayat (1)', 'huruf a')");
  CHECK(error_of<g::cite_clause>("cite }").find("expected a citation") != std::string::npos);
  // A single, unnumbered annex (Perwal Kota Jambi 13/2025): "Lampiran huruf B angka 1".
  CHECK(remaining<g::citation>("Lampiran huruf B angka 1 }") == 1);
  CHECK(remaining<g::citation>("lampiran huruf c \"(pembukaan)\" }") == 1);
  CHECK(error_of<g::cite_clause>("cite Lampiran }").find("expected the value") != std::string::npos);
}

TEST_CASE("expressions", "[grammar]") {
  CHECK(remaining<g::expr>("assignee.jenis in [fungsional, pelaksana] message") == 7);
  CHECK(remaining<g::expr>("atasan.jenis >= pengawas or atasan.delegated(penilai_kinerja)\nhint") == 4);
  CHECK(remaining<g::expr>("not (team.role == ketua) and x is not null }") == 1);
  CHECK(remaining<g::expr>("pd.has_tag(\"urusan:kepegawaian\")") == 0);
  CHECK(remaining<g::role_expr>("assignee.penilai | owner.pimpinan_unit cite") == 4);
  CHECK(error_of<g::expr>("a ==") ==
        "1:5: expected a value: a role expression, a code, a number, a string or a [list]");
  CHECK(error_of<g::expr>("a in [b, c") == "1:11: expected ']' to close the list");
  CHECK(error_of<g::expr>("(a == b") == "1:8: expected ')' to close the parenthesised condition");
  CHECK(error_of<g::expr>("a.") == "1:3: expected a property name after '.'");
}

TEST_CASE("header", "[grammar]") {
  const std::string h = R"(ruleset x-1 {
    title "T" cite_as "X 1/2024" number "1" year 2024 region "R"
    status enacted enacted 2024-12-27 extends base example_org "o.json"
  } rest)";
  CHECK(remaining<g::header>(h) == 4);
  CHECK(error_of<g::header>("ruleset x { titel \"T\" }").find("expected a header field") != std::string::npos);
  CHECK(error_of<g::header>("ruleset X {}").find("expected a ruleset id") != std::string::npos);
}

TEST_CASE("declarations", "[grammar]") {
  CHECK(remaining<g::codes_decl>("codes jenis { a > b, c > d } x") == 1);
  CHECK(remaining<g::codes_decl>("codes position_kind { kepala_bagian \"Kepala Bagian\", camat }") == 0);
  CHECK(remaining<g::define_decl>("define unit_organisasi = bagian, bidang cite Pasal 1 angka 11 x") == 1);
  CHECK(remaining<g::scope_decl>("scope dalam = dalam_unit cite Pasal 10 huruf a") == 0);
  CHECK(remaining<g::kedudukan_decl>(R"(kedudukan k.a wajib for dinas, badan when pd.head.jenis == pengawas {
      cite Lampiran II angka I huruf D angka 1
      under sekretaris, kepala_bidang level 2 penilai pimpinan_unit
      review kepala_bidang > kepala_dinas cite Lampiran II angka I huruf D angka 2 huruf c
    })") == 0);
  CHECK(remaining<g::rule_decl>(R"(rule r.x dilarang on penugasan {
      cite Lampiran III huruf B
      when mode == pengajuan_sukarela and scope == lintas_instansi
      message "id" en "en" hint "h" en "h-en"
    })") == 0);
  CHECK(remaining<g::report_decl>("report p.i wajib as individu { cite Pasal 12 to from.pimpinan_unit }") == 0);
  CHECK(remaining<g::workflow_decl>(R"(workflow w.x wajib {
      mode penunjukan scope lintas_unit_organisasi cite Lampiran III huruf A angka 2
      issuer assignee.penilai cite Lampiran III huruf A angka 2 huruf c
      step permohonan surat_permohonan_pelibatan {
        from owner.pimpinan_unit to assignee.penilai cc owner.pimpinan_unit.penilai
        contents maksud_tujuan, durasi cite Lampiran III huruf A angka 4
        where step.durasi_bulan <= 12 optional
      }
      step tetapkan surat_penugasan | penetapan { by assignee.penilai }
      refusal { by assignee.penilai reason required cite Lampiran III huruf A angka 2 huruf d }
    })") == 0);
  CHECK(remaining<g::refine_decl>("refine a.b { cite Pasal 5 ayat (1) strength diutamakan }") == 0);
  CHECK(remaining<g::override_decl>("override rule a.b boleh on tim { cite Pasal 1 }") == 0);
  CHECK(remaining<g::example_decl>(R"(example "e" {
      query { "type": "kedudukan", "position": "x}" , "a": [1, {"b": 2}] }
      expect denied expect violation a.b expect next persetujuan expect scope lintas_unit
    })") == 0);
  CHECK(remaining<g::include_decl>("include \"a/b.perwal\" x") == 1);
}

TEST_CASE("commit points report what was expected", "[grammar]") {
  CHECK(error_of<g::rule_decl>("rule r.x on kedudukan {}") ==
        "1:10: expected the rule's strength: wajib, dilarang, boleh or diutamakan");
  CHECK(error_of<g::rule_decl>("rule r.x wajib {}").find("expected 'on'") != std::string::npos);
  CHECK(error_of<g::kedudukan_decl>("kedudukan k wajib dinas {}").find("expected 'for'") != std::string::npos);
  CHECK(error_of<g::define_decl>("define x = a").find("every rule needs a citation") != std::string::npos);
  CHECK(error_of<g::file>("ruleset x { title \"t\" } bogus").find("expected a declaration") != std::string::npos);
}

TEST_CASE("clause rules alone, with what they leave", "[grammar]") {
  CHECK(remaining<g::cite_key>("Lampiran III") == 4);
  CHECK(remaining<g::cite_key>("lampirannya") == -1);
  CHECK(remaining<g::cite_part>("huruf a angka") == 5);
  CHECK(remaining<g::code_item>("kepala_bagian \"Kepala Bagian\", x") == 3);
  CHECK(remaining<g::code_tier>("a, b \"B\", c > d") == 3);
  CHECK(remaining<g::define_item>("sekretariat [dinas, badan], bidang") == 8);
  CHECK(remaining<g::path>("owner.instansi.find(sekretariat_daerah).head x") == 2);
  CHECK(remaining<g::call_args>("(\"urusan:kepegawaian\") x") == 2);
  CHECK(remaining<g::list_literal>("[a, b, c] x") == 1);
  CHECK(remaining<g::null_tail>("is not null x") == 1);
  CHECK(remaining<g::negation>("not a == b x") == 1);
  CHECK(remaining<g::under_clause>("under sekretaris, kepala_bidang level 2 penilai pimpinan_unit }") == 1);
  CHECK(remaining<g::review_clause>("review kepala_dinas cite Lampiran II }") == 1);
  CHECK(remaining<g::mode_clause>("mode penunjukan scope") == 5);
  CHECK(remaining<g::scope_clause>("scope a, b cite") == 4);
  CHECK(remaining<g::issuer_clause>("issuer assignee.penilai | owner.pimpinan_unit cite Pasal 8 step") == 4);
  CHECK(remaining<g::cc_clause>("cc a.b, c.d cite Pasal 1 }") == 1);
  CHECK(remaining<g::contents_clause>("contents maksud_tujuan, durasi cite Lampiran III huruf A angka 4 }") == 1);
  CHECK(remaining<g::where_clause>("where step.durasi_bulan <= 12 }") == 1);
  CHECK(remaining<g::reason_required>("reason required }") == 1);
  CHECK(remaining<g::step_decl>("step s persetujuan | penetapan { by assignee.penilai optional } x") == 1);
  CHECK(remaining<g::refusal_decl>("refusal { by a.b reason required } x") == 1);
  CHECK(remaining<g::strength_clause>("strength diutamakan }") == 1);
  CHECK(remaining<g::json_value>(R"({"a": "}", "b": [1, {"c": "]"}]} x)") == 2);
  CHECK(remaining<g::expectation>("violation a.b.c expect") == 6);
  CHECK(remaining<g::expectation>("incomplete }") == 1);
  CHECK(remaining<g::org_clause>("org \"../x.json\" q") == 1);
  CHECK(remaining<g::hf_date>("promulgated 2024-12-27 }") == 1);
  CHECK(remaining<g::hf_number>("number 48 }") == 1);
  CHECK(remaining<g::hf_status>("status draft }") == 1);
  CHECK(error_of<g::hf_status>("status final").find("expected 'draft' or 'enacted'") != std::string::npos);
  CHECK(error_of<g::hf_date>("enacted 27-12-2024").find("expected a date as YYYY-MM-DD") != std::string::npos);
  CHECK(error_of<g::step_decl>("step s { }").find("expected the step's action") != std::string::npos);
  CHECK(error_of<g::reason_required>("reason given").find("expected 'required'") != std::string::npos);
  CHECK(error_of<g::define_item>("sekretariat [dinas").find("expected ']'") != std::string::npos);
}

TEST_CASE("every grammar error message has its Indonesian, with no English left", "[grammar][lang]") {
  // The messages as grammar/perwal_errors.hpp writes them: the string literals
  // of each PERWAL_ERROR(rule, "…" "…"), joined.
  const auto text = perwal::testing::slurp(perwal::testing::source_dir() / "grammar/perwal_errors.hpp");
  std::vector<std::string> messages;
  for (auto at = text.find("\nPERWAL_ERROR("); at != std::string::npos; at = text.find("\nPERWAL_ERROR(", at + 1)) {
    const auto end = text.find(");\n", at);
    std::string message;
    for (auto q = text.find('"', at); q < end; q = text.find('"', q + 1)) {
      for (++q; text[q] != '"'; ++q) {
        if (text[q] == '\\') ++q;
        message += text[q];
      }
    }
    messages.push_back(message);
  }
  CHECK(messages.size() > 60);
  for (const auto& en : messages) {
    INFO(en);
    const auto id = std::string(perwal::syntax::syntax_message_id(en));
    REQUIRE_FALSE(id.empty());
    // What is not code (in quotes or a name with '_' or '.') has no English.
    std::string prose = " ";
    bool quoted = false;
    for (const char c : id) {
      if (c == '\'') quoted = !quoted;
      if (!quoted && std::isalpha(static_cast<unsigned char>(c)) != 0)
        prose += c;
      else if (!quoted)
        prose += ' ';
    }
    prose += ' ';
    for (const char* w : {" expected ", " the ", " a ", " or ", " and ", " after ", " of ", " to ", " close "})
      CHECK(prose.find(w) == std::string::npos);
  }
  CHECK(perwal::syntax::syntax_message_id("no such message").empty());
}
