// The catalogue's entries, Indonesian first. Regulation nouns (atasan,
// perangkat daerah, unit organisasi, tembusan) stay Indonesian in English
// text: they are the law's terms.
#include "engine/eval/messages.hpp"

#include <array>

namespace perwal::messages {

namespace {

struct entry {
  id key;
  std::string_view id_text, en_text;
};

constexpr std::array<entry, static_cast<std::size_t>(id::count_)> catalogue = {{
    {id::nobody, "(tidak ada)", "(nobody)"},
    {id::no_unit, "(tidak ada unit)", "(no unit)"},
    {id::or_word, " atau ", " or "},
    {id::no_reason, "(tanpa alasan)", "(no reason given)"},
    {id::misplaced_default, "Pejabat Fungsional dan pelaksana pada {pd_kind} berkedudukan di bawah {allowed}",
     "Functional officials and executors in {pd_kind} sit under {allowed}"},
    {id::misplaced_no_atasan, "; posisi ini tidak mempunyai atasan", "; this position has no atasan"},
    {id::misplaced_wrong_kind, "; atasannya {atasan} adalah {atasan_kind}", "; its atasan {atasan} is a {atasan_kind}"},
    {id::misplaced_outside_pd, "; atasannya {atasan} berada di luar perangkat daerahnya ({pd})",
     "; its atasan {atasan} is outside its perangkat daerah ({pd})"},
    {id::misplaced_fix_candidate, "Tetapkan atasan {candidate}", "Set the atasan to {candidate}"},
    {id::misplaced_fix_place, "Tempatkan di bawah {allowed} pada {pd}", "Place it under {allowed} in {pd}"},
    {id::scope_uncovered, "Regulasi ini tidak mengatur penugasan dalam lingkup {scope}",
     "This regulation has no rule for assignments in scope {scope}"},
    {id::scope_uncovered_fix, "Gunakan mekanisme yang diatur regulasi", "Use a mechanism the regulation provides"},
    {id::no_mechanism, "Regulasi tidak menyediakan mekanisme {mode} dalam lingkup {scope}",
     "The regulation provides no mechanism for {mode} in scope {scope}"},
    {id::no_mechanism_fix, "Gunakan mekanisme lain yang diatur", "Use another mechanism the regulation provides"},
    {id::actor_missing, "langkah {action} (steps[{at}]) tidak menyebut '{field}'; seharusnya {expected} ({role})",
     "step {action} (steps[{at}]) does not name '{field}'; it should be {expected} ({role})"},
    {id::actor_role_empty, "peran {role} tidak menunjuk pejabat mana pun dalam data organisasi",
     "role {role} names no official in the org data"},
    {id::actor_wrong, "'{field}' pada langkah {action} adalah {who}, seharusnya {expected} ({role})",
     "'{field}' of step {action} is {who}, it should be {expected} ({role})"},
    {id::actor_fix, "Langkah ini harus dilakukan oleh {expected}", "This step must be taken by {expected}"},
    {id::copy_missing, "Tembusan kepada {expected} ({role}) tidak ada pada {action}",
     "A copy (tembusan) to {expected} ({role}) is missing from {action}"},
    {id::copy_missing_fix, "Tambahkan tembusan kepada {expected}", "Copy the letter to {expected}"},
    {id::contents_missing, "{action} tidak memuat: {missing}", "{action} does not state: {missing}"},
    {id::contents_missing_fix, "Lengkapi isi surat: {missing}", "Add to the letter: {missing}"},
    {id::step_condition, "Syarat langkah {step} tidak terpenuhi", "The condition of step {step} does not hold"},
    {id::step_skipped, "langkah {step} ({action}, oleh {who}) belum dilakukan sebelum {before} (steps[{at}])",
     "step {step} ({action}, by {who}) was not taken before {before} (steps[{at}])"},
    {id::step_skipped_fix, "Lakukan langkah {step} lebih dahulu", "Take step {step} first"},
    {id::wrong_issuer, "Penugasan ditetapkan oleh {issuer}, seharusnya oleh {expected} ({role})",
     "The assignment is issued by {issuer}, but it must be issued by {expected} ({role})"},
    {id::wrong_issuer_fix, "Penugasan ditetapkan oleh {expected}", "Have the assignment issued by {expected}"},
    {id::refused, "Permohonan ditolak oleh {by}: {reason}", "The request was refused by {by}: {reason}"},
    {id::refused_fix, "Ajukan kepada pejabat lain atau perbaiki permohonan",
     "Ask another official or revise the request"},
    {id::refused_by_wrong_official, "Penolakan dilakukan oleh {by}, padahal yang berwenang menjawab adalah {expected}",
     "The refusal comes from {by}, but the official who must answer is {expected}"},
    {id::refused_by_wrong_official_fix, "Permohonan dijawab oleh {expected}", "The request is answered by {expected}"},
    {id::refused_without_reason, "Penolakan harus disertai alasan mengapa permohonan tidak dapat disetujui",
     "A refusal must give the reason why the request cannot be approved"},
    {id::refused_without_reason_fix, "Sertakan alasan penolakan", "State the reason for the refusal"},
    {id::report_unregulated, "Regulasi ini tidak mengatur pelaporan sebagai {as}",
     "This regulation has no reporting line as {as}"},
    {id::report_misdirected, "laporan sebagai {as} disampaikan kepada {targets}, bukan kepada {to}",
     "a report as {as} goes to {targets}, not to {to}"},
    {id::report_misdirected_fix, "Laporkan kepada {targets}", "Report to {targets}"},
    {id::trace_atasan_chain, "jalur atasan: {chain}; perangkat daerah: {pd}", "atasan chain: {chain}; perangkat daerah: {pd}"},
    {id::trace_not_applicable, "tidak berlaku: {rule}", "not applicable: {rule}"},
    {id::trace_permitted, "diperbolehkan: {rule} — {citation}", "permitted: {rule} — {citation}"},
    {id::trace_broken, "dilanggar: {rule} [{strength}] — {citation}", "broken: {rule} [{strength}] — {citation}"},
    {id::trace_held, "terpenuhi: {rule} [{strength}] — {citation}", "held: {rule} [{strength}] — {citation}"},
    {id::trace_level, "level {level}", "level {level}"},
    {id::trace_penilai, ", Pejabat Penilai Kinerja", ", performance appraiser"},
    {id::trace_pimpinan, ", Pimpinan Unit Organisasi", ", head of the unit organisasi"},
    {id::trace_override, "  penggantian: {rule} ({ruleset}) {how} aturan dasar {rule} ({base_ruleset}, {base_citation})",
     "  override: {rule} ({ruleset}) {how} base rule {rule} ({base_ruleset}, {base_citation})"},
    {id::trace_refines, "memperhalus", "refines"},
    {id::trace_replaces, "menggantikan", "replaces"},
    {id::trace_not_fp, "tabel kedudukan hanya untuk Pejabat Fungsional dan pelaksana: {position}",
     "kedudukan tables apply to functional officials and executors only: {position}"},
    {id::trace_no_table, "tidak ada tabel kedudukan untuk jenis perangkat daerah {kind}",
     "no kedudukan table for the kind of perangkat daerah {kind}"},
    {id::trace_scope, "lingkup: {scope} → {regulation_scope} — {citation} (unit organisasi {assignee_uo} / {owner_uo}; {shape_citation})",
     "scope: {scope} → {regulation_scope} — {citation} (unit organisasi {assignee_uo} / {owner_uo}; {shape_citation})"},
    {id::trace_workflow, "alur: {workflow} — {citation}", "workflow: {workflow} — {citation}"},
    {id::trace_step_unnamed, "langkah tidak diatur alur ini, dicatat: {action} (steps[{at}])",
     "step not named by this workflow, noted: {action} (steps[{at}])"},
    {id::trace_refusal, "penolakan oleh {by}: {reason}", "refused by {by}: {reason}"},
    {id::trace_review_chain, "terpenuhi: alur reviu {rule} — {citation}", "held: review chain {rule} — {citation}"},
    {id::text_decision, "Keputusan: ", "Decision: "},
    {id::text_allowed, "DIPERBOLEHKAN", "ALLOWED"},
    {id::text_denied, "DITOLAK", "DENIED"},
    {id::text_incomplete, "BELUM LENGKAP", "INCOMPLETE"},
    {id::text_checked, "Diperiksa: ", "Checked: "},
    {id::text_scope, "Lingkup: ", "Scope: "},
    {id::text_workflow, "Alur: ", "Workflow: "},
    {id::text_summary, "Ringkasan per aturan:", "Summary by rule:"},
    {id::text_violations, "Pelanggaran", "Violations"},
    {id::text_warnings, "Peringatan", "Warnings"},
    {id::text_article, "Pasal: ", "Article: "},
    {id::text_org_path, "Jalur organisasi: ", "Org path: "},
    {id::text_fix, "Perbaikan: ", "Fix: "},
    {id::text_next, "Langkah berikutnya:", "Next steps:"},
    {id::text_by, " oleh ", " by "},
    {id::text_nobody_in_org, "(tidak ada dalam data organisasi)", "(nobody in the org data)"},
    {id::text_explanation, "Penjelasan (aturan yang diperiksa):", "Explanation (rules considered):"},
}};

// Every entry sits at its own id's place: checked when the program is compiled.
constexpr bool in_order() {
  for (std::size_t i = 0; i < catalogue.size(); ++i) {
    if (static_cast<std::size_t>(catalogue[i].key) != i) return false;
  }
  return true;
}
static_assert(in_order(), "the catalogue lists every message id once, in the enum's order");

}  // namespace

std::string_view pattern(id m, lang language) {
  const auto& e = catalogue[static_cast<std::size_t>(m)];
  return language == lang::en ? e.en_text : e.id_text;
}

std::string format(id m, lang language, std::initializer_list<std::pair<std::string_view, std::string_view>> args) {
  const auto p = pattern(m, language);
  std::string out;
  out.reserve(p.size() + 32);
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '{') {
      const auto close = p.find('}', i);
      if (close != std::string_view::npos) {
        const auto name = p.substr(i + 1, close - i - 1);
        bool filled = false;
        for (const auto& [key, val] : args) {
          if (key == name) {
            out += val;
            filled = true;
            break;
          }
        }
        if (filled) {
          i = close;
          continue;
        }
      }
    }
    out += p[i];
  }
  return out;
}

}  // namespace perwal::messages
