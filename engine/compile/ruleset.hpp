// The compiled ruleset: a regulation (and the base it extends) resolved
// against one vocabulary, with every name, code and role expression checked.
// Immutable once built; share it across threads through shared_ptr<const>.
#pragma once

#include <array>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/common/diagnostic.hpp"
#include "engine/common/vocabulary.hpp"
#include "engine/compile/source_reader.hpp"
#include "engine/org/org.hpp"

namespace perwal {

enum class strength : std::uint8_t { wajib, dilarang, boleh, diutamakan };
[[nodiscard]] std::string_view strength_name(strength s);

enum class query_kind : std::uint8_t { kedudukan, penugasan, pelaporan, tim, delegasi };
inline constexpr std::size_t query_kind_count = 5;
[[nodiscard]] std::string_view query_kind_name(query_kind q);

// The contract's four scopes, in the order the engine derives them.
enum class contract_scope : std::uint8_t { dalam_unit, lintas_unit, lintas_perangkat_daerah, lintas_instansi };
inline constexpr std::array<std::string_view, 4> contract_scope_names = {"dalam_unit", "lintas_unit",
                                                                         "lintas_perangkat_daerah", "lintas_instansi"};

// ---- compiled expressions ---------------------------------------------------
enum class value_type : std::uint8_t {
  null,
  boolean,
  number,
  string,
  code_val,
  position,
  unit,
  team,
  positions,
  units,
  delegation,
  step,
  json,
  any,
  date,     // days since 1970-01-01, from a `date` field or literal
  unstated  // at run time only: a fact the data does not state (see eval::truth)
};

// ---- the schema of the data the rules read ------------------------------------
// Declared in the DSL (`fields step …`, `fields team …`, `fields record …`),
// never in C++: a regulation adds actions, fields and contents codes alone.
struct field_type {
  enum class kind : std::uint8_t { position, positions, unit, number, text, date, boolean, coded, record };
  kind k = kind::text;
  bool is_set = false;          // `set <category>`: a JSON array of codes
  std::optional<category> cat;  // coded: a code, or a set of codes
  std::string record;           // record
  std::string spelled;          // as written, for messages
  friend bool operator==(const field_type& a, const field_type& b) {
    return a.k == b.k && a.is_set == b.is_set && a.cat == b.cat && a.record == b.record;
  }
};

// Declared fields by name, found by a string_view as well (a query's field
// names are looked up without being copied).
using field_map = std::map<std::string, field_type, std::less<>>;

struct data_schema {
  std::map<code, field_map> step;  // per action
  field_map team;                  // beyond the team's own properties
  field_map delegation;            // beyond from, to, authority, basis
  std::map<std::string, field_map> records;
};

enum class base_name : std::uint8_t {
  position,
  atasan,
  pd,
  assignee,
  owner,
  issuer,
  mode,
  scope,
  contract_scope,
  team,
  role,
  from,
  to,
  as,
  delegation,
  step,
  var  // a name bound by `every` / `some`
};

enum class prop : std::uint8_t {
  id,
  kind,
  jenis,
  jenjang,
  unit,
  atasan,
  penilai,
  pimpinan_unit,
  kepala_pd,
  unit_organisasi,
  perangkat_daerah,
  instansi,
  pejabat_berwenang,
  heads,
  is_head,
  superiors,
  delegated,
  has_tag,
  head,
  parent,
  find,
  holders,
  owner,
  ketua,
  anggota,
  members,
  established_by,
  cross_unit,
  cross_instansi,
  has_target,
  from,
  to,
  authority,
  role,
  field,
  tagged  // unit: the units below it (and itself) that carry a tag
};

// How a field's JSON value becomes a value of its declared type at run time.
enum class convert : std::uint8_t { none, position, positions, unit, date };

struct cstep {
  prop p = prop::id;
  std::vector<code> codes;  // arguments that are codes
  std::string text;         // a string argument (has_tag) or a field name (step.<field>)
  convert as = convert::none;
  friend bool operator==(const cstep&, const cstep&) = default;
};

struct cpath {
  base_name base = base_name::position;
  std::vector<cstep> steps;
  value_type type = value_type::any;
  std::optional<category> code_cat;  // when `type` is a code (or a set of codes): its category
  bool code_set = false;             // a set of codes (JSON array)
  std::string record;                // when `type` is a record (JSON object): its name
  std::string text;                  // as written, for traces
  std::uint8_t var = 0;              // base_name::var: which bound name
  source_range where;
};

enum class expr_op : std::uint8_t {
  path,
  number,
  string,
  boolean,
  code_lit,
  list,
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  in,
  is_null,
  not_null,
  and_,
  or_,
  not_,
  date_lit,        // `number` holds the day
  count,           // kids[0]: a set
  months_between,  // kids[0], kids[1]: dates
  days_between,
  every,  // kids[0]: the set, kids[1]: the body; `var` the bound slot
  some
};

// Does a step yield a set (of positions or units) rather than one value?
[[nodiscard]] inline bool step_yields_set(const cstep& s) {
  switch (s.p) {
    case prop::superiors:
    case prop::tagged:
    case prop::holders:
    case prop::anggota:
    case prop::members:
      return true;
    case prop::field:
      return s.as == convert::positions;
    default:
      return false;
  }
}

// How the evaluator reads a leaf of a condition, worked out once when the
// ruleset is compiled (plan_evaluation, engine/compile/plan.cpp) instead of
// at every evaluation. The leaves read this way are one property of the
// position or unit a base name is bound to: alone (`atasan.is_head`,
// `atasan.delegated(penilai_kinerja)`), against codes (`position.jenis in
// [fungsional, pelaksana]`, `atasan.jenis == fungsional`, `atasan.jenis >=
// pengawas`), or against a bound name (`atasan.perangkat_daerah == pd`).
// Every other leaf is `general`: the interpreter reads it.
struct leaf_plan {
  enum class test : std::uint8_t {
    // (unplanned and general come first: the evaluator reads `t > general` as planned)
    unplanned,     // not worked out (an expression built outside the compiler)
    general,       // not one of the shapes below
    alone,         // the property's truth
    in_codes,      // one of `codes` (`==` a code, `in` a list of codes)
    not_in_codes,  // `!=` a code
    ordered,       // `op` against `codes[0]` by rank, in the first of `cats` holding both
    bound,         // `==` / `!=` (op) the bound name on the right (`pd`)
  };
  static constexpr std::size_t max_codes = 6;
  test t = test::unplanned;
  base_name base = base_name::position;  // the left path's base (a position or a unit)
  prop field = prop::id;                 // the left path's one step
  expr_op op = expr_op::eq;              // ordered: lt, le, gt, ge; bound: eq, ne
  std::uint8_t code_count = 0;
  std::array<code, max_codes> codes{};
  // ordered: the ordered categories holding the literal, in category order,
  // and its rank in each (compare_ordered's rule, with the literal's side fixed).
  std::uint8_t cat_count = 0;
  std::array<category, 2> cats{};
  std::array<int, 2> literal_rank{};
  // bound: the base name on the right (`pd` in `atasan.perangkat_daerah == pd`).
  base_name right = base_name::position;
  friend bool operator==(const leaf_plan&, const leaf_plan&) = default;
};

// A whole condition laid out for a quick reading: its planned leaves in one
// array, each saying where to go next when it holds and when it fails (the
// next leaf to read, or the condition's verdict), so that the connectives
// are resolved when the ruleset is compiled and a reading is one loop. The
// leaves are read in the interpreter's order and a decided `and` / `or`
// reads no further. The evaluator reads it first (engine/eval/expr.cpp,
// context::quick_condition) and falls back to the tree when a leaf needs
// more than a position's own record. Set by plan_evaluation on the root of
// a condition whose every leaf is planned; empty otherwise. It holds no
// pointer into the tree, so a copy stays valid.
struct condition_step {
  // Where a reading goes on: a step's index, or one of these verdicts.
  static constexpr std::uint16_t holds = 0xFFFF, fails = 0xFFFE;
  leaf_plan leaf;
  // A test of a code (the leaf's code_test, worked out for every code of the
  // vocabulary): whether it holds for first_code + i is bit i of `bits`,
  // and for every code outside those 64 it is `outside`. Unset when the
  // codes it holds for (or fails for) span more than 64.
  bool code_bits = false;
  bool outside = false;
  code first_code = 0;
  std::uint64_t bits = 0;
  std::uint16_t on_true = holds, on_false = fails;
  friend bool operator==(const condition_step&, const condition_step&) = default;
};

struct cexpr {
  expr_op op = expr_op::boolean;
  std::vector<cpath> paths;  // path: a union of one or more paths
  std::vector<cexpr> kids;
  double number = 0;
  bool boolean = false;
  std::string text;  // string literal
  code literal = no_code;
  std::optional<category> literal_cat;  // code_lit: the category it was read in, when known
  std::uint8_t var = 0;                 // every / some: the slot of the bound name
  source_range where;
  leaf_plan leaf;                     // set by plan_evaluation
  std::vector<condition_step> quick;  // a condition's root only: set by plan_evaluation
};

// ---- rules ----------------------------------------------------------------
enum class override_kind : std::uint8_t { replaces, refines };

struct override_note {
  override_kind how = override_kind::replaces;
  std::string base_ruleset;
  std::string base_citation;
};

struct rule_info {
  std::string name;
  strength level = strength::wajib;
  std::string citation;  // rendered: "Perwal Kota Padang Panjang 48/2024, Pasal 5 ayat (1)"
  std::string ruleset;   // the ruleset whose text this rule now rests on
  std::string message_id, message_en, hint_id, hint_en;
  std::optional<override_note> overrides;
  source_range where;
};

struct generic_rule {
  rule_info info;
  query_kind on = query_kind::kedudukan;
  std::optional<cexpr> when, require;
};

struct kedudukan_entry {
  std::vector<code> kinds;
  int level = 0;
  bool penilai = false;
  bool pimpinan_unit = false;
};

struct review_chain {
  std::vector<code> kinds;  // lowest first
  std::string citation;
};

struct kedudukan_table {
  rule_info info;
  std::vector<code> pd_kinds;
  std::optional<cexpr> when;
  std::vector<kedudukan_entry> under;
  std::vector<review_chain> reviews;
};

struct report_rule {
  rule_info info;
  std::vector<code> as;
  std::vector<cpath> to;  // union of every `to`
  // Each further addressee the same report is owed to (`also_to`), checked
  // against the query's `also_to` as the rule `<name>.penerima_lain`.
  std::vector<std::vector<cpath>> also_to;
  rule_info also_info;
  std::optional<cexpr> when, require;
};

// `check name strength { … }` inside a step: a rule of its own on the step.
struct step_check {
  rule_info info;  // name = <workflow>.<step>.<check>
  std::optional<cexpr> when, require;
};

struct workflow_step {
  rule_info info;  // name = <workflow>.<step>
  std::vector<step_check> checks;
  std::string step;
  std::vector<code> actions;
  std::vector<cpath> by, from, to;
  std::vector<std::vector<cpath>> cc;
  std::string cc_citation;
  std::vector<code> contents;
  std::string contents_citation;
  std::optional<cexpr> where;
  bool optional = false;
  // The step's letter checks, as rules of their own (`<step>.tembusan`,
  // `<step>.isi`), citing where the copy and the contents are required.
  rule_info tembusan_info, isi_info;
};

struct refusal_rule {
  std::vector<cpath> by;
  bool reason_required = false;
  std::optional<cexpr> where;  // what the refusal step must be (`.penolakan.syarat`)
  std::string citation;
  std::string message_id, message_en, hint_id, hint_en;
};

struct workflow {
  rule_info info;
  code mode = no_code;
  std::vector<code> scopes;  // the regulation's scope codes
  std::optional<cexpr> when;
  std::vector<cpath> issuer;
  std::string issuer_citation;
  std::vector<workflow_step> steps;
  std::optional<refusal_rule> refusal;
  // The workflow's own checks as rules: who issues the assignment
  // (`.penerbit`), a refusal (`.penolakan`), by whom (`.penolakan.pejabat`)
  // and with what reason (`.penolakan.alasan`).
  rule_info penerbit_info, penolakan_info, penolakan_pejabat_info, penolakan_alasan_info, penolakan_syarat_info;
};

// A base rule the regulation repeals (`repeal`), named in explanations.
struct repeal_note {
  std::string rule;
  query_kind on = query_kind::kedudukan;
  std::string base_ruleset, base_citation;
  std::string citation;  // the repealing article
  std::string reason;
};

struct example {
  std::string title;
  std::string org_path;  // resolved against the ruleset's folder
  std::string query_json;
  source_range where;
  std::optional<std::string> decision;
  std::vector<std::string> violations, warnings, needs, next;
  std::optional<std::string> scope;
};

// `allow W012 because "…"`: a warning the ruleset's authors chose not to see
// reported (engine/compile/lint.hpp applies it).
struct allowance {
  std::string code;
  std::string reason;
  source_range where;
};

struct ruleset_header {
  std::string id, title, cite_as, number, region, status, enacted, promulgated, in_force;
  int year = 0;
  std::string extends;             // id of the base, empty if none
  std::vector<std::string> chain;  // ids from this ruleset down to the root base
};

// One `cite` as written, with the words of the article it names (from the
// regulation's text, or its own `quote "…"`), for hovers and drafters.
struct cite_quote {
  std::string citation;  // "Pasal 5 ayat (2)" (without the regulation's name)
  std::string quote;     // shortened to law_quote_max bytes; empty when there is no text
  source_range where;
};

inline constexpr std::size_t law_quote_max = 300;

struct compiled_ruleset {
  ruleset_header header;
  vocabulary vocab;
  data_schema schema;
  org::structure shape;
  std::string shape_citation;  // where the unit organisasi is defined, for explanations
  // regulation scope code per contract scope (no_code: not covered)
  std::array<code, 4> scope_of{no_code, no_code, no_code, no_code};
  std::array<std::string, 4> scope_citation;
  std::vector<generic_rule> rules;
  std::vector<kedudukan_table> kedudukan;
  std::vector<report_rule> reports;
  std::vector<workflow> workflows;
  std::vector<example> examples;
  std::vector<repeal_note> repealed;
  std::vector<allowance> allows;  // the top ruleset's (and its includes'), not its bases'
  std::vector<std::shared_ptr<const source_file>> sources;
  std::string source_text;   // the top file's text (served as the ruleset's source)
  std::string content_hash;  // of every source, for servers and caches
  // The quotation of each rendered citation (rule_info::citation and the
  // others): the cited articles' words, fixed at compile time, one per cite
  // joined by "\n" (quote_of below). A citation without a text has none.
  std::map<std::string, std::string, std::less<>> quotes;
  std::vector<cite_quote> cites;        // every cite checked, in the order met
  std::vector<std::string> text_files;  // the regulation texts read, as paths

  // Codes the engine itself needs, looked up once.
  struct well_known {
    code fungsional = no_code, pelaksana = no_code, pemerintah_daerah = no_code;
    code penunjukan = no_code, pengajuan_sukarela = no_code;
    code penolakan = no_code, ketua = no_code, anggota = no_code;
    code surat_penugasan = no_code, penetapan = no_code;  // the letters that make the issuer
    code anggota_tim = no_code, ketua_tim = no_code;      // reports that need a team
    code hasil_kegiatan = no_code;                        // reports that climb the review chains
    std::array<code, 4> contract_scopes{no_code, no_code, no_code, no_code};
  } known;

  // Rules the engine itself applies when the regulation says nothing: an
  // assignment in a scope it does not cover, a mode with no workflow in a
  // scope (per contract scope), a report in a capacity it does not regulate.
  struct engine_rule_set {
    rule_info lingkup;
    std::array<rule_info, 4> mekanisme;
    rule_info pelaporan_tidak_diatur;
  } engine_rules;

  // Set by plan_evaluation, for the evaluator: the generic rules on each
  // query kind (indices into `rules`, in order) and, per kind of perangkat
  // daerah (by code), the kedudukan tables that list it (indices into
  // `kedudukan`, in order).
  std::array<std::vector<std::uint32_t>, query_kind_count> rules_on;
  std::vector<std::vector<std::uint32_t>> kedudukan_for_pd_kind;

  [[nodiscard]] std::vector<const rule_info*> all_rules() const;
  // The kedudukan tables listing perangkat daerah kind `pd_kind`, in order.
  [[nodiscard]] std::span<const std::uint32_t> kedudukan_tables_for(code pd_kind) const {
    if (pd_kind >= kedudukan_for_pd_kind.size()) return {};
    return kedudukan_for_pd_kind[pd_kind];
  }
};

// The quotation of a rendered citation, or empty: the words the report, the
// CLI's --explain and --quote, the server's ?quote=1 and the LSP show.
[[nodiscard]] std::string quote_of(const compiled_ruleset& r, std::string_view citation);
[[nodiscard]] std::string quote_of(const compiled_ruleset& r, const rule_info& rule);

// The rules derived from the compiled ones (letter checks, issuer and
// refusal rules, the engine's own rules) and the codes the engine needs.
void derive_engine_rules(compiled_ruleset& r);

// Calls f(cexpr&) on the root of every condition of `r` (a rule's `when`
// and `require`, a table's `when`, a report's, a workflow's, a step's
// `where` and its checks', a refusal's `where`); `r` const or not.
template <class Ruleset, class F>
void for_each_condition(Ruleset& r, F&& f) {
  const auto each = [&](auto& cond) {
    if (cond) f(*cond);
  };
  for (auto& rule : r.rules) {
    each(rule.when);
    each(rule.require);
  }
  for (auto& tb : r.kedudukan) each(tb.when);
  for (auto& rep : r.reports) {
    each(rep.when);
    each(rep.require);
  }
  for (auto& w : r.workflows) {
    each(w.when);
    for (auto& s : w.steps) {
      each(s.where);
      for (auto& c : s.checks) {
        each(c.when);
        each(c.require);
      }
    }
    if (w.refusal) each(w.refusal->where);
  }
}

// The last compile step (engine/compile/plan.cpp): every condition's leaves
// planned (cexpr::leaf), the rules indexed by query kind and the kedudukan
// tables by kind of perangkat daerah. Decisions do not change; they are
// reached with less work per query.
void plan_evaluation(compiled_ruleset& r);
// The plan of one expression node (general when it is not a plannable leaf).
[[nodiscard]] leaf_plan plan_leaf(const cexpr& e, const vocabulary& vocab);
// `x op y` for an ordering operator (lt, le, gt, ge); false for any other.
[[nodiscard]] bool ordered_holds(expr_op op, double x, double y);
// Whether a planned test of a code (alone, in_codes, not_in_codes, ordered)
// holds for the stated code `c`; nullopt for any other test.
[[nodiscard]] std::optional<bool> code_test(const leaf_plan& lp, code c, const vocabulary& vocab);

// What the compiler reads, given explicitly: it reads no environment
// variable and assumes no working directory of its own.
struct compile_options {
  // Folders where an `extends` base <id>.perwal is looked for, after the
  // folder of the file that extends it (the CLI and the server take it from
  // PERWAL_PATH).
  std::vector<std::filesystem::path> search_path;
  // Reads the top file, its includes and its bases; null reads from disk.
  std::shared_ptr<const source_reader> reader;
  // Whether `include` may name an absolute path or climb with `..` (off: an
  // include stays below the folder of the file that includes it).
  bool includes_anywhere = false;
};

// Phases 2–4 (engine/compile/phases.hpp): load the file, its includes and the
// chain of bases it extends, merge them, resolve names, codes and role
// expressions, check, freeze. Returns nullptr when `diags` holds an error.
[[nodiscard]] std::shared_ptr<const compiled_ruleset> compile_ruleset(const std::filesystem::path& file,
                                                                      diagnostics& diags,
                                                                      const compile_options& options = {});
// Same, from text in memory; includes and bases are looked up from `dir`
// (then, for bases, the search path), through the options' reader.
[[nodiscard]] std::shared_ptr<const compiled_ruleset> compile_ruleset_text(std::string name, std::string text,
                                                                           const std::filesystem::path& dir,
                                                                           diagnostics& diags,
                                                                           const compile_options& options = {});

}  // namespace perwal
