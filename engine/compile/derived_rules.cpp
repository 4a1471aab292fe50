// Rules the compiler derives from the ones a regulation writes, so that
// every finding the engine reports refers to a compiled rule with its own
// name, strength and citation.
#include "engine/compile/ruleset.hpp"

namespace perwal {

namespace {

rule_info part_of(const rule_info& whole, std::string_view suffix, const std::string& citation, bool keep_override) {
  rule_info part = whole;
  part.name += suffix;
  if (!citation.empty()) part.citation = citation;
  if (!keep_override) part.overrides.reset();
  return part;
}

rule_info engine_rule(std::string name, std::string citation) {
  rule_info r;
  r.name = std::move(name);
  r.citation = std::move(citation);
  return r;
}

}  // namespace

void derive_engine_rules(compiled_ruleset& r) {
  auto& k = r.known;
  auto get = [&](category c, std::string_view n) { return r.vocab.find(c, n).value_or(no_code); };
  k.surat_penugasan = get(category::action, "surat_penugasan");
  k.penetapan = get(category::action, "penetapan");
  k.anggota_tim = get(category::report_as, "anggota_tim");
  k.ketua_tim = get(category::report_as, "ketua_tim");
  k.hasil_kegiatan = get(category::report_as, "hasil_kegiatan");

  for (auto& w : r.workflows) {
    for (auto& s : w.steps) {
      // A missing copy or contents keeps the step's override note: it is the step's rule.
      s.tembusan_info = part_of(s.info, ".tembusan", s.cc_citation, true);
      s.isi_info = part_of(s.info, ".isi", s.contents_citation, true);
    }
    w.penerbit_info = part_of(w.info, ".penerbit", w.issuer_citation, false);
    w.penolakan_info = part_of(w.info, ".penolakan", w.refusal ? w.refusal->citation : std::string(), false);
    w.penolakan_pejabat_info = part_of(w.penolakan_info, ".pejabat", {}, false);
    w.penolakan_alasan_info = part_of(w.penolakan_info, ".alasan", {}, false);
    w.penolakan_syarat_info = part_of(w.penolakan_info, ".syarat", {}, false);
    if (w.refusal) {  // what a refusal must be is said by the refusal block's own message
      w.penolakan_syarat_info.message_id = w.refusal->message_id;
      w.penolakan_syarat_info.message_en = w.refusal->message_en;
      w.penolakan_syarat_info.hint_id = w.refusal->hint_id;
      w.penolakan_syarat_info.hint_en = w.refusal->hint_en;
    }
  }
  r.engine_rules.lingkup = engine_rule("penugasan.lingkup", r.header.cite_as);
  for (std::size_t i = 0; i < 4; ++i) {
    r.engine_rules.mekanisme[i] = engine_rule("penugasan.mekanisme", r.scope_citation[i]);
  }
  r.engine_rules.pelaporan_tidak_diatur = engine_rule("pelaporan.tidak_diatur", r.header.cite_as);
}

}  // namespace perwal
