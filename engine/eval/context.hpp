// Internal to engine/eval: what every check shares while it evaluates one
// query — the graph helpers (unit organisasi, perangkat daerah, instansi of
// a unit, the appraiser), the compiled expressions, and the recording of
// held and broken rules into a decision. Not part of the eval API.
#pragma once

#include <boost/container/small_vector.hpp>
#include <unordered_set>

#include "engine/eval/decision.hpp"
#include "engine/eval/query.hpp"

namespace perwal::eval {

using org::index;
using org::none;

// What the names of a rule's expressions are bound to.
struct bindings {
  index position = none, atasan = none, pd = none;
  index assignee = none, owner = none, issuer = none;
  index from = none, to = none;
  code mode = no_code, scope = no_code, contract_scope = no_code, role = no_code, as = no_code;
  const team_input* team = nullptr;
  const org::delegation* delegation = nullptr;
  const nlohmann::json* step = nullptr;  // the step object as given (`where` of a step)
};

// A value of a compiled expression that is not a set: a code, a position,
// a unit, a flag, a number, a date, text, or a JSON field. Nearly every
// condition reads only these, and they are built and copied without a set.
struct scalar {
  value_type t = value_type::null;
  bool b = false;
  double n = 0;
  code c = no_code;
  std::string_view s;  // ids and literals outlive the evaluation (org, ruleset or query)
  index idx = none;
  const team_input* team = nullptr;
  const org::delegation* delegation = nullptr;
  const nlohmann::json* j = nullptr;

  static scalar boolean(bool v);
  static scalar of_code(code v);
  static scalar entity(value_type t, index i);
  static scalar text(std::string_view s);
};

// Any value, sets included. Sets of positions or units are kept in order,
// without repeats; a small set (a delegation's scope, a team's members, a
// chain of superiors) stays inside the value, so reading one does not
// allocate.
using index_set = boost::container::small_vector<index, 8>;
struct value : scalar {
  index_set set;
  value() = default;
  value(const scalar& x) : scalar(x) {}  // NOLINT(google-explicit-constructor): every scalar is a value
};

// A condition read with evidence in mind: it holds, fails, or cannot be
// decided because it reads a fact the data leaves unstated.
enum class truth : std::uint8_t { holds, fails, unknown };

[[nodiscard]] scalar unstated_value();

// One query's evaluation: the ruleset, the org and the per-query guards.
// An audit gives each thread its own context.
class context {
 public:
  // `audit_considered`: during an audit, the rules already named in its
  // `considered` (each is named once); null for a single query.
  context(const compiled_ruleset& r, const org::org_graph& o,
          std::unordered_set<const rule_info*>* audit_considered = nullptr)
      : rules(r), org(o), audit_considered_(audit_considered) {}

  const compiled_ruleset& rules;  // immutable, shared by every query
  const org::org_graph& org;

  // ---- the org ----------------------------------------------------------------
  [[nodiscard]] index uo_of_unit(index u) const { return org.unit_organisasi_of(u); }
  [[nodiscard]] index pimpinan_of_unit(index u) const { return org.pimpinan_of_unit(u); }
  [[nodiscard]] index pd_of_unit(index u) const { return u == none ? none : org.units()[u].perangkat_daerah; }
  [[nodiscard]] index instansi_of_unit(index u) const { return u == none ? none : org.units()[u].instansi; }
  [[nodiscard]] index root_of_unit(index u) const;
  [[nodiscard]] index berwenang_of_unit(index u) const;
  [[nodiscard]] index unit_of(index p) const { return p == none ? none : org.positions()[p].unit; }
  // The perangkat daerah of position p's unit, from p's own record.
  [[nodiscard]] index pd_of(index p) const { return p == none ? none : org.positions()[p].perangkat_daerah; }
  [[nodiscard]] bool is_fp_or_pelaksana(index p) const;
  // Positions from p up its atasan chain to (and including) `stop`, or to the top.
  [[nodiscard]] std::vector<index> chain(index p, index stop = none) const;
  // The Pejabat Penilai Kinerja of p (see penilai_up_from in kedudukan.cpp).
  [[nodiscard]] index penilai_of(index p) const;
  // The kedudukan table for b.position's perangkat daerah b.pd (its `when` read with `b`).
  [[nodiscard]] const kedudukan_table* table_for(const bindings& b) const;

  // ---- expressions (expr.cpp) -----------------------------------------------
  [[nodiscard]] value eval(const cexpr& e, const bindings& b) const;
  // For `when`s and role selection: an unstated fact reads as null.
  [[nodiscard]] bool truthy(const cexpr& e, const bindings& b) const;
  // For `require`s and step `where`s: an unstated fact leaves the check
  // undecided; `unstated` (if given) receives the facts it read.
  [[nodiscard]] truth check(const cexpr& e, const bindings& b, std::vector<std::string>* unstated) const;
  [[nodiscard]] value eval_path(const cpath& p, const bindings& b) const;
  // The quick reading of a condition (cexpr::quick): true, with `holds`,
  // when every leaf it reads is decided by a position's own record; false
  // otherwise (truthy and check then read the tree, which decides the same;
  // tests/plan_test.cpp compares the two).
  [[nodiscard]] bool quick_condition(std::span<const condition_step> steps, const bindings& b, bool& holds) const;
  // Positions named by a union of role expressions (deduplicated, in order).
  [[nodiscard]] std::vector<index> resolve(const std::vector<cpath>& roles, const bindings& b) const;
  // A delegation confers its authority only when it breaks no wajib or
  // dilarang `delegasi` rule, for the position being checked (its scope);
  // unknown when a rule needs a fact the delegation leaves unstated.
  [[nodiscard]] truth delegation_holds(const org::delegation& dl) const;

  // ---- recording into a decision ----------------------------------------------
  // A broken rule: a violation, or a warning when the rule is soft.
  void broken(const rule_info& info, finding_detail detail, std::vector<node_ref> path, decision& d) const;
  void held(const rule_info& info, decision& d, decltype(traced::held::detail) detail = {}) const;
  // A check the data cannot decide: the evidence to provide.
  void needs(const rule_info& info, finding_detail detail, std::vector<node_ref> path, decision& d) const;
  // Names a rule as considered (an audit names each rule once).
  void consider(const rule_info& info, decision& d) const;
  void note_override(const rule_info& info, decision& d) const;
  // The generic rules on query kind `q`; `path()` builds a finding's path
  // only when a rule breaks, since most checked items break nothing.
  template <class PathFn>
  void run_generic(query_kind q, const bindings& b, const PathFn& path, decision& d) const {
    for (const auto i : rules.rules_on[static_cast<std::size_t>(q)]) {
      const auto& rule = rules.rules[i];
      if (rule.when && !truthy(*rule.when, b)) {
        if (d.traced) d.trace.emplace_back(traced::not_applicable{&rule.info});
        continue;
      }
      if (rule.info.level == strength::boleh) {
        if (d.traced) d.trace.emplace_back(traced::permitted{&rule.info});
        consider(rule.info, d);
        continue;
      }
      std::vector<std::string> unstated;
      const auto verdict = rule.info.level == strength::dilarang ? truth::fails
                           : rule.require                        ? check(*rule.require, b, &unstated)
                                                                 : truth::holds;
      if (verdict == truth::unknown) {
        needs(rule.info, found::facts_unstated{std::move(unstated)}, path(), d);
      } else if (verdict == truth::fails) {
        broken(rule.info, found::rule_text{}, path(), d);
      } else {
        held(rule.info, d);
      }
    }
  }

  [[nodiscard]] static node_ref at_position(index p) { return {node_ref::kind::position, p}; }
  [[nodiscard]] static node_ref at_unit(index u) { return {node_ref::kind::unit, u}; }
  [[nodiscard]] static std::vector<node_ref> positions(const std::vector<index>& ps);

 private:
  [[nodiscard]] scalar base_value(const cpath& p, const bindings& b) const;
  // The properties that are not sets (position_prop, unit_prop), the ones
  // that are (set_prop), and a step applied to any value or to a scalar.
  [[nodiscard]] scalar position_prop(index p, const cstep& s) const;
  [[nodiscard]] scalar unit_prop(index u, const cstep& s) const;
  [[nodiscard]] value set_prop(const scalar& v, const cstep& s) const;
  [[nodiscard]] value team_prop(const team_input& tm, const cstep& s) const;
  [[nodiscard]] value field_of(const nlohmann::json* object, const cstep& s) const;
  [[nodiscard]] value apply(const value& v, const cstep& s) const;
  [[nodiscard]] scalar apply(const scalar& v, const cstep& s) const;
  [[nodiscard]] value converted(const nlohmann::json& j, convert as) const;
  template <class V>
  [[nodiscard]] V walk(const cpath& p, const bindings& b) const;
  // Expressions whose value is not a set (all but paths to sets) are
  // evaluated as scalars: the common case builds no set at all.
  [[nodiscard]] static bool yields_set(const cstep& s);
  [[nodiscard]] static bool yields_set(const cpath& p);
  [[nodiscard]] static bool yields_set(const cexpr& e);
  [[nodiscard]] scalar eval_scalar(const cexpr& e, const bindings& b) const;
  // An operand of a comparison: a set compares as its kind alone.
  [[nodiscard]] scalar operand(const cexpr& e, const bindings& b) const;

 public:
  // Each path a condition reads, with the value it has here, as text.
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> values_read(const cexpr& e, const bindings& b) const;

 private:
  [[nodiscard]] bool record_leaf(const leaf_plan& lp, const condition_step* bits, const bindings& b, bool& holds) const;
  [[nodiscard]] truth tri(const cexpr& e, const bindings& b) const;
  [[gnu::noinline]] [[nodiscard]] truth value_tri(const cexpr& e, const bindings& b) const;
  [[nodiscard]] bool quick_leaf(const cexpr& e, const bindings& b, truth& out) const;
  [[nodiscard]] bool planned_leaf(const cexpr& e, const leaf_plan& lp, const bindings& b, truth& out) const;
  // A stated code against the leaf's codes; false when the shape needs more than a code.
  [[nodiscard]] bool code_leaf(const leaf_plan& lp, code c, truth& out) const;
  [[nodiscard]] bool code_leaf(const leaf_plan& lp, code c, bool& holds) const {
    truth t = truth::unknown;
    if (!code_leaf(lp, c, t)) return false;
    holds = t == truth::holds;
    return true;
  }
  // The leaf read through its value (a property that is not in the record, a null, a bound name).
  [[gnu::noinline]] [[nodiscard]] bool value_leaf(const cexpr& e, const leaf_plan& lp, index idx, value_type base,
                                                  const bindings& b, truth& out) const;
  [[nodiscard]] bool equal(const scalar& a, const scalar& b) const;
  [[nodiscard]] bool compare_ordered(expr_op op, const scalar& a, const scalar& c) const;
  [[nodiscard]] static bool value_truth(const scalar& v);
  [[nodiscard]] static bool value_truth(const value& v);
  [[nodiscard]] index penilai_up_from(index p, index first) const;

  std::unordered_set<const rule_info*>* audit_considered_;
  mutable bool checking_delegation_ = false;  // a context serves one query on one thread
  // The `position` of the path being evaluated: the position whose
  // kedudukan may rest on a delegation (delegation rules see it).
  mutable index delegation_subject_ = none;
  mutable bool resolving_penilai_ = false;
  // While `check` runs: the facts found unstated (null otherwise: `truthy`
  // reads them as null).
  mutable std::vector<std::string>* unstated_ = nullptr;
  // The names bound by every/some, by slot (a context serves one query on one thread).
  mutable std::vector<scalar> vars_;
};

// ---- the checks, one file each ----------------------------------------------------
void check_kedudukan(const context& c, index position, index atasan, decision& d);
void check_penugasan(const context& c, const penugasan_query& q, decision& d);
void check_pelaporan(const context& c, const pelaporan_query& q, decision& d);
void check_team(const context& c, const team_input& team, decision& d);
void check_delegation(const context& c, const org::delegation& dl, decision& d);
// The audit of items [begin, end): positions, then delegations, then teams.
[[nodiscard]] decision audit_slice(const compiled_ruleset& r, const org::org_graph& o, std::size_t begin,
                                   std::size_t end);

}  // namespace perwal::eval
