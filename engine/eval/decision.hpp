// Decisions as data: what evaluation returns. A decision holds no prose and
// is the same for every language: an outcome, references to the compiled
// rules it rests on, findings whose details and org paths are typed values,
// missing steps, and trace events. Text is made later, at the edge, by
// engine/eval/render.hpp from one message catalogue.
//
// A decision refers into the compiled ruleset and the org graph it was made
// from (rule pointers, org indices): keep both alive while it is used.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/compile/ruleset.hpp"
#include "engine/org/org.hpp"

namespace perwal {

enum class outcome : std::uint8_t { allowed, denied, incomplete };
[[nodiscard]] std::string_view outcome_name(outcome o);
[[nodiscard]] std::optional<outcome> outcome_from_name(std::string_view name);

// What a decision answers: one of the four query types, or a whole-org audit.
enum class decision_kind : std::uint8_t { kedudukan, penugasan, pelaporan, tim, audit };
[[nodiscard]] std::string_view decision_kind_name(decision_kind k);

// A node of the org: what a finding's path is made of.
struct node_ref {
  enum class kind : std::uint8_t { position, unit, team, delegation, inline_team };
  kind what = kind::position;
  org::index item = org::none;  // into the org's positions, units, teams or delegations (unused: inline_team)
  friend bool operator==(const node_ref&, const node_ref&) = default;
};

// ---- findings: what was found, per kind of check -----------------------------
// Each names the facts its message and fix are rendered from.
namespace found {

// A rule broken as a whole: its own message and hint.
struct rule_text {};

// A Pejabat Fungsional or pelaksana placed under the wrong atasan (a kedudukan table).
struct misplaced {
  enum class problem : std::uint8_t { no_atasan, wrong_kind, outside_pd };
  problem what = problem::no_atasan;
  org::index position = org::none, atasan = org::none, pd = org::none;
  org::index candidate = org::none;  // the nearest allowed head above, if any
  const kedudukan_table* table = nullptr;
};

// The regulation has no rule for assignments in this contract scope.
struct scope_uncovered {
  contract_scope scope = contract_scope::dalam_unit;
};

// No workflow for this mode in this (regulation) scope.
struct no_mechanism {
  code mode = no_code, scope = no_code;
};

enum class step_field : std::uint8_t { by, from, to };
[[nodiscard]] std::string_view step_field_name(step_field f);

// A step taken by the wrong official, or naming none.
struct wrong_actor {
  const workflow_step* step = nullptr;
  step_field field = step_field::by;
  std::uint32_t at = 0;  // index in the query's steps
  code action = no_code;
  org::index who = org::none;
  std::vector<org::index> expected;
};

// A letter without the copy (tembusan) a step requires.
struct copy_missing {
  const workflow_step* step = nullptr;
  std::size_t role = 0;  // which of step->cc
  code action = no_code;
  std::vector<org::index> expected;
};

// A letter without the contents a step requires.
struct contents_missing {
  code action = no_code;
  std::vector<code> missing;
};

// Evidence the data does not carry: a rule's condition read facts that the org
// or the query leaves unstated (a field absent from a team, a step or a JSON
// value), so it can neither hold nor break. `facts` name them as JSON paths
// inside their object (`keputusan.memuat`, `target.indikator`, `contents`).
struct facts_unstated {
  std::vector<std::string> facts;
};

// A letter whose contents the query does not state, where the step requires some.
struct contents_unstated {
  code action = no_code;
  std::vector<code> required;
};

// A step's named check broken, with the values its condition read
// ("step.durasi_bulan = 18"), so the message shows what was found.
struct check_failed {
  std::vector<std::pair<std::string, std::string>> values;
};

// A step whose `where` condition does not hold.
struct step_condition {
  const workflow_step* step = nullptr;
};

// A required step not taken before a later one.
struct step_skipped {
  const workflow_step* step = nullptr;
  std::vector<org::index> who;
  code before = no_code;  // the action of the later step
  std::uint32_t before_at = 0;
};

// An assignment issued by someone the workflow does not name.
struct wrong_issuer {
  const workflow* flow = nullptr;
  org::index issuer = org::none;
  std::vector<org::index> expected;
};

// A request refused: the refusal itself (the reason for the denial).
struct refused {
  org::index by = org::none;
  std::string reason;  // as given in the query; empty: none given
};

// A refusal by an official who may not answer the request.
struct refused_by_wrong_official {
  org::index by = org::none;
  std::vector<org::index> expected;
};

// A refusal without the reason the regulation requires.
struct refused_without_reason {
  const refusal_rule* refusal = nullptr;
};

// A report in a capacity the regulation does not regulate.
struct report_unregulated {
  code as = no_code;
};

// A report sent to someone other than the rule's addressee.
struct report_misdirected {
  code as = no_code;
  std::vector<org::index> targets;
  org::index to = org::none;
};

// A report owed to several addressees that did not go to one of them (`also_to`).
struct addressee_missing {
  std::vector<org::index> expected;
};

}  // namespace found

using finding_detail =
    std::variant<found::rule_text, found::misplaced, found::scope_uncovered, found::no_mechanism, found::wrong_actor,
                 found::copy_missing, found::contents_missing, found::facts_unstated, found::contents_unstated,
                 found::check_failed, found::step_condition, found::step_skipped, found::wrong_issuer, found::refused,
                 found::refused_by_wrong_official, found::refused_without_reason, found::report_unregulated,
                 found::report_misdirected, found::addressee_missing>;

struct finding {
  const rule_info* rule = nullptr;  // never null; name, strength and citation come from it
  finding_detail detail;
  std::vector<node_ref> path;
};

// ---- missing steps -----------------------------------------------------------
// A workflow step still to take, with the candidates for each of its roles
// (the contents it must carry and its action come from `step`).
struct next_step {
  const workflow_step* step = nullptr;
  std::vector<org::index> by, from, to;
  std::vector<std::vector<org::index>> cc;  // one of each inner list
};

// ---- trace: how the decision was reached ------------------------------------
namespace traced {

struct atasan_chain {
  std::vector<org::index> chain;  // the position, then its atasan upwards
  org::index pd = org::none;
};
struct not_applicable {
  const rule_info* rule = nullptr;
};
struct permitted {
  const rule_info* rule = nullptr;
};
struct broken {
  const rule_info* rule = nullptr;
};
// A held kedudukan table: the atasan's kind and its place in the table.
struct table_match {
  code atasan_kind = no_code;
  int level = 0;
  bool penilai = false, pimpinan_unit = false;
};
// A held workflow step: how each role was resolved on the org.
struct step_match {
  const workflow_step* step = nullptr;
  std::uint32_t at = 0;
  std::vector<std::pair<found::step_field, std::vector<org::index>>> resolved;
};
// A held rule about one official (an issuer, a report's addressee).
struct official {
  org::index position = org::none;
};
struct held {
  const rule_info* rule = nullptr;
  std::variant<std::monostate, table_match, step_match, official> detail;
};
struct override_applied {
  const rule_info* rule = nullptr;
};
struct not_fp_or_pelaksana {
  org::index position = org::none;
};
struct no_table {
  org::index pd = org::none;
};
struct scope_derived {
  contract_scope scope = contract_scope::dalam_unit;
  code regulation_scope = no_code;
  org::index assignee_uo = org::none, owner_uo = org::none;
};
struct workflow_chosen {
  const workflow* flow = nullptr;
};
struct step_unnamed {
  code action = no_code;
  std::uint32_t at = 0;
};
struct refusal {
  org::index by = org::none;
  std::string reason;
};
// A base rule this regulation repealed, where it would have applied.
struct repealed {
  const repeal_note* note = nullptr;
};
struct review_chain_held {
  const kedudukan_table* table = nullptr;
  const review_chain* chain = nullptr;
};

}  // namespace traced

using trace_event = std::variant<traced::atasan_chain, traced::not_applicable, traced::permitted, traced::broken,
                                 traced::held, traced::override_applied, traced::not_fp_or_pelaksana, traced::no_table,
                                 traced::scope_derived, traced::workflow_chosen, traced::step_unnamed, traced::refusal,
                                 traced::review_chain_held, traced::repealed>;

// ---- the decision ------------------------------------------------------------
struct decision {
  outcome result = outcome::allowed;
  decision_kind kind = decision_kind::kedudukan;
  std::optional<contract_scope> scope;  // penugasan
  code regulation_scope = no_code;      // the regulation's own scope (penugasan)
  const workflow* flow = nullptr;       // the workflow that applied (penugasan)
  std::vector<finding> violations, warnings;
  // Checks that could not be decided because the data leaves a fact unstated:
  // the evidence to provide ("perlu dilengkapi"), never a denial, never a pass.
  std::vector<finding> needs;
  std::vector<next_step> next;
  std::vector<trace_event> trace;
  bool traced = true;                        // whether `trace` was recorded
  std::vector<const rule_info*> considered;  // rules evaluated (held, broken or permitted)
  std::optional<std::size_t> checked;        // audit: items checked
  std::vector<const rule_info*> applicable;  // pelaporan: report rules whose `as` and `when` held
  std::vector<const rule_info*> resolved;    // of those, the ones whose `to` named someone
  std::string inline_team;                   // the id of a team given inline in the query

  // Back to a fresh decision, keeping what its lists have allocated: a
  // caller checking many queries on one thread reuses one decision.
  void clear() {
    result = outcome::allowed;
    kind = decision_kind::kedudukan;
    scope.reset();
    regulation_scope = no_code;
    flow = nullptr;
    violations.clear();
    warnings.clear();
    needs.clear();
    next.clear();
    trace.clear();
    traced = true;
    considered.clear();
    checked.reset();
    applicable.clear();
    resolved.clear();
    inline_team.clear();
  }
};

}  // namespace perwal
