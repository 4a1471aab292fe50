// The last compile step: what the evaluator would otherwise work out again
// at every query — the shape of each condition's leaves, each condition laid
// out for a quick reading (its leaves in one array, the connectives resolved
// into where each leaf leads, a test of a code as bits), which generic rules
// apply to a query kind, which kedudukan tables to a kind of perangkat
// daerah — worked out once, while the ruleset can still be changed. The
// compiled ruleset is then immutable and shared, so this costs nothing per
// query. Decisions are unchanged: the evaluator reads a planned leaf with
// the same rules as the interpreter (engine/eval/expr.cpp, planned_leaf and
// quick_condition), and tests/plan_test.cpp compares them on every condition
// of every bundled ruleset.
#include <algorithm>
#include <optional>

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

// Longer conditions are read from the tree (no bundled one comes near).
constexpr std::size_t max_quick_steps = 256;

// Lays out `e` (planned) into `out`, to go on to `if_true` when it holds and
// to `if_false` when it fails; returns where its reading starts (a step, or
// a verdict for an empty `and` / `or`). An operand is laid out before the
// one to its left, whose `on_true` (`and`) or `on_false` (`or`) then leads
// to it. Nullopt when a leaf is not planned or `e` is too long: the
// condition then has no quick reading.
std::optional<std::uint16_t> lay_out(const cexpr& e, std::uint16_t if_true, std::uint16_t if_false,
                                     std::vector<condition_step>& out) {
  switch (e.op) {
    case expr_op::and_:
    case expr_op::or_: {
      const bool conjunction = e.op == expr_op::and_;
      std::uint16_t next = conjunction ? if_true : if_false;  // where the operand to the right starts
      for (auto k = e.kids.rbegin(); k != e.kids.rend(); ++k) {
        const auto start = conjunction ? lay_out(*k, next, if_false, out) : lay_out(*k, if_true, next, out);
        if (!start) return std::nullopt;
        next = *start;
      }
      return next;
    }
    case expr_op::not_:
      if (e.kids.size() != 1) return std::nullopt;
      return lay_out(e.kids[0], if_false, if_true, out);
    default:
      if (e.leaf.t <= leaf_plan::test::general || out.size() == max_quick_steps) return std::nullopt;
      condition_step s;
      s.leaf = e.leaf;
      s.on_true = if_true;
      s.on_false = if_false;
      out.push_back(s);
      return static_cast<std::uint16_t>(out.size() - 1);
  }
}

// A code test's verdict on every code as bits (see condition_step), when
// the codes it holds for, or those it fails for, lie within 64 of each other.
void code_bits(condition_step& s, const vocabulary& vocab) {
  if (!code_test(s.leaf, 0, vocab)) return;   // not a test of a code
  for (const bool odd_one : {true, false}) {  // the codes it holds for, then those it fails for
    std::optional<code> first, last;
    for (std::size_t c = 0; c < vocab.size(); ++c) {
      if (*code_test(s.leaf, static_cast<code>(c), vocab) != odd_one) continue;
      if (!first) first = static_cast<code>(c);
      last = static_cast<code>(c);
    }
    if (first && *last - *first >= 64) continue;
    s.code_bits = true;
    s.outside = !odd_one;
    s.first_code = first.value_or(0);
    s.bits = 0;
    for (unsigned i = 0; i < 64 && s.first_code + i < vocab.size(); ++i)
      if (*code_test(s.leaf, static_cast<code>(s.first_code + i), vocab)) s.bits |= std::uint64_t{1} << i;
    return;
  }
}

// The quick reading of a condition, starting at its first step; empty when it has none.
std::vector<condition_step> quick_reading(const cexpr& e, const vocabulary& vocab) {
  std::vector<condition_step> steps;
  const auto start = lay_out(e, condition_step::holds, condition_step::fails, steps);
  if (!start || steps.empty()) return {};
  // The reading starts at step 0: the first leaf read is the last laid out.
  std::reverse(steps.begin(), steps.end());
  const auto last = static_cast<std::uint16_t>(steps.size() - 1);
  const auto moved = [&](std::uint16_t to) {
    return to == condition_step::holds || to == condition_step::fails ? to : static_cast<std::uint16_t>(last - to);
  };
  for (auto& s : steps) {
    s.on_true = moved(s.on_true);
    s.on_false = moved(s.on_false);
  }
  if (moved(*start) != 0) return {};  // (cannot happen: the start is laid out last)
  for (auto& s : steps) code_bits(s, vocab);
  return steps;
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
    lp.right = right.paths[0].base;
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

bool ordered_holds(expr_op op, double x, double y) {
  switch (op) {
    case expr_op::lt:
      return x < y;
    case expr_op::le:
      return x <= y;
    case expr_op::gt:
      return x > y;
    case expr_op::ge:
      return x >= y;
    default:
      return false;
  }
}

std::optional<bool> code_test(const leaf_plan& lp, code c, const vocabulary& vocab) {
  using test = leaf_plan::test;
  switch (lp.t) {
    case test::alone:
      return true;  // a stated code is true
    case test::in_codes:
    case test::not_in_codes: {
      const auto codes = std::span(lp.codes).first(lp.code_count);
      return (std::find(codes.begin(), codes.end(), c) != codes.end()) == (lp.t == test::in_codes);
    }
    case test::ordered:
      // By rank in the first of the literal's ordered categories that holds c; false in none.
      for (std::size_t i = 0; i < lp.cat_count; ++i) {
        if (!vocab.contains(lp.cats[i], c)) continue;
        return ordered_holds(lp.op, vocab.rank(lp.cats[i], c), lp.literal_rank[i]);
      }
      return false;
    default:
      return std::nullopt;
  }
}

void plan_evaluation(compiled_ruleset& r) {
  for_each_condition(r, [&](cexpr& e) {
    plan_tree(e, r.vocab);
    e.quick = quick_reading(e, r.vocab);
  });

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
