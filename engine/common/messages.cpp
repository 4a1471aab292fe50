// The message catalogue: every diagnostic's id, its stable code, its
// severity and its text in English and Indonesian. {0}, {1}, … are the
// arguments; {at} is the note's own place. docs/diagnostics.md lists the codes.
// Codes: E0xx errors of the ruleset compiler, W0xx its warnings, W01x the
// checks of `perwal lint`, W02x its semantic checks.
#include <array>

#include "engine/common/diagnostic.hpp"

namespace perwal {

namespace {

using enum severity;

constexpr std::array entries = {
    // ---- syntax (engine/syntax) -------------------------------------------------
    // The grammar's own messages (grammar/perwal_grammar.hpp) are English only.
    message_entry{"syntax", "E001", error, "{0}", "{0}"},
    message_entry{"syntax.number", "E001", error, "expected a whole number that fits in 32 bits, got \"{0}\"",
                  "diharapkan bilangan bulat yang muat dalam 32 bit, tertulis \"{0}\""},
    message_entry{"syntax.nesting", "E001", error, "brackets nested deeper than {0} levels",
                  "tanda kurung bersarang lebih dari {0} tingkat"},
    message_entry{"syntax.unparsed", "E001", error, "could not parse the ruleset", "ruleset tidak dapat diurai"},
    // ---- load -------------------------------------------------------------------
    message_entry{"include-cycle", "E002", error, "include cycle: \"{0}\" is already being read",
                  "include berputar: \"{0}\" sedang dibaca"},
    message_entry{"include-unreadable", "E003", error, "cannot read included file \"{0}\"",
                  "berkas include \"{0}\" tidak dapat dibaca"},
    message_entry{"include-has-header", "E004", error, "an included file holds declarations only, not a ruleset header",
                  "berkas include hanya memuat deklarasi, bukan kepala ruleset"},
    message_entry{"header-missing", "E005", error,
                  "a ruleset starts with its header: ruleset <id> { title …; cite_as …; … }",
                  "ruleset diawali kepalanya: ruleset <id> { title …; cite_as …; … }"},
    message_entry{"cite-as-missing", "E006", error, "the header needs cite_as: the regulation's name in citations",
                  "kepala ruleset memerlukan cite_as: nama peraturan dalam kutipan"},
    message_entry{"bad-status", "E007", error, "status must be draft or enacted", "status harus draft atau enacted"},
    message_entry{"extends-cycle", "E008", error, "extends cycle: ruleset {0} extends itself",
                  "extends berputar: ruleset {0} memperluas dirinya sendiri"},
    message_entry{"unknown-base", "E009", error, "cannot find the base ruleset \"{0}\"",
                  "ruleset induk \"{0}\" tidak ditemukan"},
    message_entry{"unknown-base.looked", "", note, "looked for {0}; set PERWAL_PATH to the folder of the base rulesets",
                  "dicari di {0}; atur PERWAL_PATH ke folder ruleset induk"},
    message_entry{"base-id-mismatch", "E010", error, "file {0} declares ruleset \"{1}\", not \"{2}\"",
                  "berkas {0} menyatakan ruleset \"{1}\", bukan \"{2}\""},
    message_entry{"file-unreadable", "E011", error, "cannot read ruleset file", "berkas ruleset tidak dapat dibaca"},
    // ---- declare and merge ------------------------------------------------------
    message_entry{"unknown-category", "E012", error, "unknown code category \"{0}\"",
                  "kategori kode \"{0}\" tidak dikenal"},
    message_entry{"unknown-category.list", "", note, "categories: {0}", "kategori: {0}"},
    message_entry{"duplicate-code", "E013", error, "code \"{0}\" is already declared in category {1}",
                  "kode \"{0}\" sudah dideklarasikan dalam kategori {1}"},
    message_entry{"unknown-definition", "E014", error, "unknown definition \"{0}\"", "definisi \"{0}\" tidak dikenal"},
    message_entry{"unknown-definition.list", "", note, "definitions: {0}", "definisi: {0}"},
    message_entry{"already-defined", "E015", error, "\"{0}\" is already defined; write `override define` to replace it",
                  "\"{0}\" sudah didefinisikan; tulis `override define` untuk menggantinya"},
    message_entry{"override-define-no-base", "E016", error, "override define {0}: no base ruleset defines it",
                  "override define {0}: tidak ada ruleset induk yang mendefinisikannya"},
    message_entry{"definition-no-citation", "E017", error, "definition {0} has no citation",
                  "definisi {0} tidak memiliki kutipan"},
    message_entry{"within-not-uo", "E018", error, "a [perangkat daerah] limit applies to unit_organisasi only",
                  "batas [perangkat daerah] hanya berlaku untuk unit_organisasi"},
    message_entry{"not-contract-scope", "E019", error, "\"{0}\" is not a contract scope",
                  "\"{0}\" bukan lingkup kontrak"},
    message_entry{"not-contract-scope.list", "", note, "contract scopes: {0}", "lingkup kontrak: {0}"},
    message_entry{"contract-scope-covered", "E020", error, "contract scope {0} is already covered by scope {1}",
                  "lingkup kontrak {0} sudah dicakup oleh lingkup {1}"},
    message_entry{"duplicate-rule", "E021", error, "duplicate rule \"{0}\"", "aturan \"{0}\" ganda"},
    message_entry{"duplicate-rule.first", "", note, "first defined at {at}; write `override` to replace a base rule",
                  "pertama didefinisikan di {at}; tulis `override` untuk mengganti aturan induk"},
    message_entry{"override-unknown", "E022", error, "override of \"{0}\": no base ruleset defines a rule of that name",
                  "override \"{0}\": tidak ada ruleset induk yang mendefinisikan aturan bernama itu"},
    message_entry{"no-strength", "E023", error, "rule \"{0}\" has no strength",
                  "aturan \"{0}\" tidak memiliki kekuatan (wajib, dilarang, boleh, diutamakan)"},
    message_entry{"no-citation", "E024", error, "rule \"{0}\" has no citation",
                  "aturan \"{0}\" tidak memiliki kutipan"},
    message_entry{"no-citation.hint", "", note,
                  "every rule must cite the article it rests on: cite Pasal …, Lampiran …",
                  "setiap aturan harus mengutip pasal dasarnya: cite Pasal …, Lampiran …"},
    message_entry{"override-kind", "E025", error, "override of \"{0}\" must be the same kind of rule as the base",
                  "override \"{0}\" harus berjenis aturan yang sama dengan aturan induknya"},
    message_entry{"refine-unknown", "E026", error, "refine of \"{0}\": no such rule in the base",
                  "refine \"{0}\": aturan itu tidak ada di induk"},
    message_entry{"refine-same-ruleset", "E027", error,
                  "refine of \"{0}\": it is defined in this same ruleset; edit it instead",
                  "refine \"{0}\": aturan itu didefinisikan di ruleset ini sendiri; ubah langsung"},
    message_entry{"refine-no-citation", "E028", error, "refine of \"{0}\" needs its own citation",
                  "refine \"{0}\" memerlukan kutipannya sendiri"},
    message_entry{"scope-uncovered", "W001", warning,
                  "contract scope {0} is not covered by any scope: assignments in it are denied",
                  "lingkup kontrak {0} tidak dicakup lingkup mana pun: penugasan di dalamnya ditolak"},
    // ---- resolve ----------------------------------------------------------------
    message_entry{"unknown-code", "E029", error, "unknown {0} \"{1}\"", "{0} \"{1}\" tidak dikenal"},
    message_entry{"unknown-code.elsewhere", "E029", error, "unknown {0} \"{1}\" (it is declared, but not as a {0})",
                  "{0} \"{1}\" tidak dikenal (dideklarasikan, tetapi bukan sebagai {0})"},
    message_entry{"unknown-code.declare", "", note, "declare it with: codes {0} { {1} }",
                  "deklarasikan dengan: codes {0} { {1} }"},
    message_entry{"unknown-name", "E030", error, "unknown name \"{0}\" in a {1} rule",
                  "nama \"{0}\" tidak dikenal dalam aturan {1}"},
    message_entry{"unknown-name.names", "", note, "names here: {0}; a bare code must be declared with `codes`",
                  "nama di sini: {0}; kode tanpa jalur harus dideklarasikan dengan `codes`"},
    message_entry{"not-a-property", "E031", error, "\"{0}\" is not a property of {1}",
                  "\"{0}\" bukan properti dari {1}"},
    message_entry{"not-a-property.list", "", note, "properties: {0}", "properti: {0}"},
    message_entry{"not-a-property.none", "", note, "it has no properties", "tidak memiliki properti"},
    message_entry{"string-argument", "E032", error, "{0} takes one quoted string, e.g. has_tag(\"urusan:kepegawaian\")",
                  "{0} menerima satu string berpetik, mis. has_tag(\"urusan:kepegawaian\")"},
    message_entry{"code-argument", "E033", error, "{0} needs at least one {1} argument",
                  "{0} memerlukan sedikitnya satu argumen {1}"},
    message_entry{"no-arguments", "E034", error, "{0} takes no arguments", "{0} tidak menerima argumen"},
    message_entry{"set-property", "E035", error, "\"{0}\" cannot be taken of a set",
                  "\"{0}\" tidak dapat diambil dari suatu himpunan"},
    message_entry{"set-property.hint", "", note,
                  "only properties naming positions or units apply to each member of a set",
                  "hanya properti yang menunjuk jabatan atau unit berlaku bagi tiap anggota himpunan"},
    message_entry{"not-an-official", "E036", error, "\"{0}\" names {1}, but an official (a position) is expected here",
                  "\"{0}\" menunjuk {1}, padahal di sini diharapkan pejabat (jabatan)"},
    message_entry{"unknown-name-or-code", "E037", error,
                  "unknown name \"{0}\": neither a declared code nor a name of a {1} rule",
                  "nama \"{0}\" tidak dikenal: bukan kode yang dideklarasikan dan bukan nama dalam aturan {1}"},
    message_entry{"unknown-name-or-code.names", "", note, "names here: {0}", "nama di sini: {0}"},
    message_entry{"in-right-side", "E038", error,
                  "the right side of 'in' must be a [list], a set of officials or units, or a JSON array field",
                  "ruas kanan 'in' harus [daftar], himpunan pejabat atau unit, atau medan larik JSON"},
    message_entry{"unordered-codes", "E039", error, "codes of {0} are not ordered; use == or in",
                  "kode {0} tidak berurutan; gunakan == atau in"},
    // ---- rules ------------------------------------------------------------------
    message_entry{"unknown-query-type", "E040", error, "unknown query type \"{0}\"",
                  "jenis kueri \"{0}\" tidak dikenal"},
    message_entry{"unknown-query-type.list", "", note, "query types: {0}", "jenis kueri: {0}"},
    message_entry{"dilarang-require", "E041", error,
                  "a dilarang rule states what is forbidden in `when`; it takes no `require`",
                  "aturan dilarang menyatakan yang dilarang dalam `when`; tanpa `require`"},
    message_entry{"boleh-require", "E042", error,
                  "a boleh rule states what is permitted in `when`; it takes no `require`",
                  "aturan boleh menyatakan yang dibolehkan dalam `when`; tanpa `require`"},
    message_entry{"needs-require", "E043", error, "a {0} rule needs `require`: what must hold",
                  "aturan {0} memerlukan `require`: apa yang harus dipenuhi"},
    message_entry{"no-message", "E044", error, "rule \"{0}\" has no message", "aturan \"{0}\" tidak memiliki pesan"},
    message_entry{"kedudukan-unreachable", "W002", warning,
                  "kedudukan table for \"{0}\" is unreachable: it is not a kind of perangkat daerah (define "
                  "perangkat_daerah)",
                  "tabel kedudukan untuk \"{0}\" tidak pernah tercapai: bukan jenis perangkat daerah (lihat define "
                  "perangkat_daerah)"},
    message_entry{"no-under", "E045", error, "kedudukan table has no `under` entry",
                  "tabel kedudukan tidak memiliki entri `under`"},
    message_entry{"report-no-to", "E046", error, "report rule needs `to`: whom the report goes to",
                  "aturan pelaporan memerlukan `to`: kepada siapa laporan disampaikan"},
    message_entry{"workflow-no-mode", "E047", error, "workflow needs `mode` (penunjukan or pengajuan_sukarela)",
                  "alur kerja memerlukan `mode` (penunjukan atau pengajuan_sukarela)"},
    message_entry{"workflow-no-scope", "E048", error, "workflow needs `scope`: the regulation's scope",
                  "alur kerja memerlukan `scope`: lingkup menurut peraturan"},
    message_entry{"workflow-unreachable", "W003", warning,
                  "workflow \"{0}\" is unreachable: scope {1} covers no contract scope",
                  "alur kerja \"{0}\" tidak pernah tercapai: lingkup {1} tidak mencakup lingkup kontrak mana pun"},
    message_entry{"duplicate-step", "E049", error, "duplicate step \"{0}\" in workflow {1}",
                  "langkah \"{0}\" ganda dalam alur kerja {1}"},
    message_entry{"step-no-actor", "E050", error, "step \"{0}\" needs `by` or `from`: who must act",
                  "langkah \"{0}\" memerlukan `by` atau `from`: siapa yang bertindak"},
    message_entry{"workflows-overlap", "E051", error,
                  "workflow \"{0}\" and \"{1}\" both cover mode {2} in scope {3}; give one of them a `when`",
                  "alur kerja \"{0}\" dan \"{1}\" sama-sama mencakup mode {2} dalam lingkup {3}; beri salah satunya "
                  "`when`"},
    // ---- check ------------------------------------------------------------------
    message_entry{"rule-unreachable", "W004", warning, "rule \"{0}\" is unreachable: its condition is always false",
                  "aturan \"{0}\" tidak pernah tercapai: syaratnya selalu salah"},
    message_entry{"example-no-org", "E052", error,
                  "example \"{0}\" has no org (write `org \"…\"` or example_org in the header)",
                  "contoh \"{0}\" tidak memiliki org (tulis `org \"…\"` atau example_org di kepala ruleset)"},
    message_entry{"example-no-query", "E053", error, "example \"{0}\" has no query",
                  "contoh \"{0}\" tidak memiliki kueri"},
    message_entry{"example-unknown-violation", "E054", error, "example expects a violation of unknown rule \"{0}\"",
                  "contoh mengharapkan pelanggaran atas aturan tak dikenal \"{0}\""},
    message_entry{"example-unknown-warning", "E055", error, "example expects a warning of unknown rule \"{0}\"",
                  "contoh mengharapkan peringatan atas aturan tak dikenal \"{0}\""},
    message_entry{"allow-unknown-code", "E056", error, "allow {0}: no such diagnostic code (see docs/diagnostics.md)",
                  "allow {0}: kode diagnostik itu tidak ada (lihat docs/diagnostics.md)"},
    message_entry{"allow-not-warning", "E057", error, "allow {0}: only a warning can be allowed, not an error",
                  "allow {0}: hanya peringatan yang dapat diizinkan, bukan galat"},
    message_entry{"allow-no-reason", "E058", error,
                  "allow {0}: the reason is empty; say why the warning does not apply",
                  "allow {0}: alasannya kosong; jelaskan mengapa peringatan itu tidak berlaku"},
    // ---- org loader (engine/org) -------------------------------------------------
    // Its messages are English only for now (passed through as they are).
    message_entry{"org", "E100", error, "{0}", "{0}"},
    message_entry{"org.more", "E100", error, "more errors not shown", "galat lainnya tidak ditampilkan"},
    // ---- perwal lint (engine/compile/lint.cpp) ----------------------------------
    message_entry{"kedudukan-uncovered", "W010", warning, "no kedudukan table covers perangkat daerah kind \"{0}\"",
                  "tidak ada tabel kedudukan untuk jenis perangkat daerah \"{0}\""},
    message_entry{"scope-unserved", "W011", warning,
                  "no workflow for {0} in scope {1} and no dilarang rule: such assignments are denied without a "
                  "specific article",
                  "tidak ada alur kerja untuk {0} dalam lingkup {1} dan tidak ada aturan dilarang: penugasan "
                  "demikian ditolak tanpa pasal khusus"},
    message_entry{"workflow-no-example", "W012", warning,
                  "no example of this ruleset expects a violation of workflow \"{0}\": write one for each required "
                  "step",
                  "tidak ada contoh ruleset ini yang mengharapkan pelanggaran alur kerja \"{0}\": tulis satu untuk "
                  "tiap langkah wajib"},
    // ---- perwal lint, semantic (engine/explore/semantic_lint.cpp) ---------------
    message_entry{"rules-conflict", "W020", warning,
                  "rules \"{0}\" and \"{1}\" conflict: each holds in some scenario, never both ({2})",
                  "aturan \"{0}\" dan \"{1}\" bertentangan: masing-masing terpenuhi dalam suatu skenario, tidak "
                  "pernah keduanya ({2})"},
    message_entry{"rules-conflict.citation", "", note, "{0}: {1}", "{0}: {1}"},
    message_entry{"rules-conflict.citation-at", "", note, "{0}: {1} ({at})", "{0}: {1} ({at})"},
    message_entry{"rules-conflict.holds", "", note, "\"{0}\" holds for {1}", "\"{0}\" terpenuhi untuk {1}"},
    message_entry{"rules-conflict.see", "", note, "see `perwal explore-org` for the org of these scenarios",
                  "lihat `perwal explore-org` untuk org skenario-skenario ini"},
    message_entry{"never-applies", "W021", warning,
                  "{0} \"{1}\" never applies in any scenario of the bounded universe ({2} queries over {3} generated "
                  "org(s)): its condition never holds",
                  "{0} \"{1}\" tidak pernah berlaku dalam skenario mana pun di semesta terbatas ({2} kueri atas {3} "
                  "org bangkitan): syaratnya tidak pernah terpenuhi"},
    message_entry{"names-nobody", "W022", warning,
                  "`{0} {1}` of \"{2}\" names nobody in any scenario where it is needed ({3} queries over {4} "
                  "generated org(s))",
                  "`{0} {1}` pada \"{2}\" tidak menunjuk siapa pun dalam skenario mana pun yang memerlukannya ({3} "
                  "kueri atas {4} org bangkitan)"},
    message_entry{"names-nobody.due", "W022", warning,
                  "`{0} {1}` of \"{2}\" names nobody in any scenario where it is needed ({5} scenarios; {3} queries "
                  "over {4} generated org(s))",
                  "`{0} {1}` pada \"{2}\" tidak menunjuk siapa pun dalam skenario mana pun yang memerlukannya ({5} "
                  "skenario; {3} kueri atas {4} org bangkitan)"},
    message_entry{"find-no-unit", "W023", warning,
                  "`{0}` in \"{1}\" can name no unit: \"{2}\" is neither a kind of perangkat daerah nor of unit "
                  "organisasi",
                  "`{0}` pada \"{1}\" tidak dapat menunjuk unit: \"{2}\" bukan jenis perangkat daerah maupun unit "
                  "organisasi"},
};

}  // namespace

std::span<const message_entry> message_catalogue() {
  return entries;
}

}  // namespace perwal
