// The last compile step: what the evaluator would otherwise work out again
// at every query — the shape of each condition's leaves, which generic rules
// apply to a query kind, which kedudukan tables to a kind of perangkat
// daerah — worked out once, while the ruleset can still be changed. The
// compiled ruleset is then immutable and shared, so this costs nothing per
// query. Decisions are unchanged: the evaluator reads a planned leaf with
// the same rules as the interpreter (engine/eval/expr.cpp, planned_leaf), and
// tests/plan_test.cpp compares the two on every condition of every bundled
// ruleset.
#include <algorithm>

#include "engine/compile/ruleset.hpp"

namespace perwal {

namespace {

// Bases bound to a position or a unit (the others are codes, a team, a
// delegation, a step or a bound name: the interpreter reads those).
bool entity_base(base_name b) {
  switch (b) {
    case base_name::position:
    case base_name::atasan:
    case base_name::assignee:
    case base_name::issuer:
    case base_name::from:
    case base_name::to:
    case base_name::pd:
    case base_name::owner:
      return true;
    default:
      return false;
  }
}

bool ordered_op(expr_op op) {
  return op == expr_op::lt || op == expr_op::le || op == expr_op::gt || op == expr_op::ge;
}

void plan_tree(cexpr& e, const vocabulary& vocab) {
  e.leaf = plan_leaf(e, vocab);
  for (auto& k : e.kids) plan_tree(k, vocab);
}

}  // namespace

leaf_plan plan_leaf(const cexpr& e, const vocabulary& vocab) {
  leaf_plan lp;
  lp.t = leaf_plan::test::general;
  const bool alone = e.op == expr_op::path;
  if (!alone && (e.kids.size() != 2 || e.kids[0].op != expr_op::path)) return lp;
  const cexpr& left = alone ? e : e.kids[0];
  if (left.paths.size() != 1 || left.paths[0].steps.size() != 1) return lp;
  const cpath& path = left.paths[0];
  if (!entity_base(path.base) || step_yields_set(path.steps[0])) return lp;
  lp.base = path.base;
  lp.field = path.steps[0].p;
  if (alone) {
    lp.t = leaf_plan::test::alone;
    return lp;
  }
  const cexpr& right = e.kids[1];
  lp.op = e.op;
  if ((e.op == expr_op::eq || e.op == expr_op::ne) && right.op == expr_op::code_lit && right.literal != no_code) {
    lp.t = e.op == expr_op::eq ? leaf_plan::test::in_codes : leaf_plan::test::not_in_codes;
    lp.codes[0] = right.literal;
    lp.code_count = 1;
    return lp;
  }
  if ((e.op == expr_op::eq || e.op == expr_op::ne) && right.op == expr_op::path && right.paths.size() == 1 &&
      right.paths[0].steps.empty()) {
    lp.t = leaf_plan::test::bound;
    return lp;
  }
  if (ordered_op(e.op) && right.op == expr_op::code_lit && right.literal != no_code) {
    for (std::size_t i = 0; i < category_count; ++i) {
      const auto cat = static_cast<category>(i);
      if (!vocab.ordered(cat) || !vocab.contains(cat, right.literal)) continue;
      if (lp.cat_count == lp.cats.size()) return lp;  // more than planned for: general
      lp.cats[lp.cat_count] = cat;
      lp.literal_rank[lp.cat_count] = vocab.rank(cat, right.literal);
      ++lp.cat_count;
    }
    lp.t = leaf_plan::test::ordered;
    lp.codes[0] = right.literal;
    lp.code_count = 1;
    return lp;
  }
  if (e.op == expr_op::in && right.op == expr_op::list && !right.kids.empty() &&
      right.kids.size() <= leaf_plan::max_codes &&
      std::all_of(right.kids.begin(), right.kids.end(),
                  [](const cexpr& k) { return k.op == expr_op::code_lit && k.literal != no_code; })) {
    lp.t = leaf_plan::test::in_codes;
    for (const auto& k : right.kids) lp.codes[lp.code_count++] = k.literal;
    return lp;
  }
  lp.t = leaf_plan::test::general;
  return lp;
}

void plan_evaluation(compiled_ruleset& r) {
  for_each_condition(r, [&](cexpr& e) { plan_tree(e, r.vocab); });

  for (auto& on : r.rules_on) on.clear();
  for (std::size_t i = 0; i < r.rules.size(); ++i)
    r.rules_on[static_cast<std::size_t>(r.rules[i].on)].push_back(static_cast<std::uint32_t>(i));

  r.kedudukan_for_pd_kind.clear();
  for (std::size_t i = 0; i < r.kedudukan.size(); ++i) {
    for (const code k : r.kedudukan[i].pd_kinds) {
      if (k == no_code) continue;
      if (k >= r.kedudukan_for_pd_kind.size()) r.kedudukan_for_pd_kind.resize(k + 1u);
      auto& tables = r.kedudukan_for_pd_kind[k];
      // A table naming a kind twice is still one candidate.
      if (tables.empty() || tables.back() != i) tables.push_back(static_cast<std::uint32_t>(i));
    }
  }
}

}  // namespace perwal
