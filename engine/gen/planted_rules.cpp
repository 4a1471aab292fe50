// Which rule of the compiled ruleset each planted item breaks, found by what
// the rule is about, not by its name. Separate: the one part of the generator
// that reads the compiled rules (their expressions).
#include <algorithm>
#include <functional>

#include "engine/compile/ruleset.hpp"
#include "engine/gen/org_gen_internal.hpp"

namespace perwal::gen::detail {

// ---- the rule each planted item breaks, found in the compiled ruleset ----------------
// By what a rule is about, not by its name: a kedudukan table by the kind of
// Perangkat Daerah it covers; the other rules by what their `require` tests.

namespace {

bool any_expr(const cexpr& e, const std::function<bool(const cexpr&)>& f) {
  if (f(e)) return true;
  return std::any_of(e.kids.begin(), e.kids.end(), [&](const cexpr& k) { return any_expr(k, f); });
}

// A path expression `base.steps…` (exactly these steps).
bool is_path(const cexpr& e, base_name base, std::initializer_list<prop> steps) {
  if (e.op != expr_op::path || e.paths.size() != 1 || e.paths[0].base != base) return false;
  const auto& s = e.paths[0].steps;
  return std::equal(s.begin(), s.end(), steps.begin(), steps.end(), [](const cstep& a, prop b) { return a.p == b; });
}

// The wajib generic rule on `on` whose require has a sub-expression `test` holds for.
std::string generic_rule(const compiled_ruleset& r, query_kind on, const std::function<bool(const cexpr&)>& test) {
  for (const auto& g : r.rules) {
    if (g.on == on && g.info.level == strength::wajib && g.require && any_expr(*g.require, test)) return g.info.name;
  }
  return {};
}
}  // namespace

std::array<std::string, rule_count> planted_rule_names(const compiled_ruleset& r) {
  std::array<std::string, rule_count> names;
  // Kedudukan tables: the first table covering the kind of Perangkat Daerah.
  for (std::size_t i = 0; i < table_kind.size(); ++i) {
    const auto kind = r.vocab.find(category::unit_kind, unit_kind_code[static_cast<std::size_t>(table_kind[i])]);
    if (!kind) continue;
    for (const auto& t : r.kedudukan) {
      if (std::find(t.pd_kinds.begin(), t.pd_kinds.end(), *kind) == t.pd_kinds.end()) continue;
      names[i + static_cast<std::size_t>(rule::sekretariat_daerah)] = t.info.name;
      break;
    }
  }
  // An FP under the kepala daerah: the rule listing the jenis an atasan may
  // have (`atasan.jenis in [...]`), without the kepala daerah's.
  const auto kd = r.vocab.find(category::jenis, "kepala_daerah");
  names[static_cast<std::size_t>(rule::atasan_langsung)] = generic_rule(r, query_kind::kedudukan, [&](const cexpr& e) {
    if (e.op != expr_op::in || e.kids.size() != 2 || !is_path(e.kids[0], base_name::atasan, {prop::jenis}))
      return false;
    return e.kids[1].op == expr_op::list &&
           std::none_of(e.kids[1].kids.begin(), e.kids[1].kids.end(),
                        [&](const cexpr& k) { return k.op == expr_op::code_lit && kd && k.literal == *kd; });
  });
  // A team led by a structural official: `team.ketua.jenis in [...]`.
  names[static_cast<std::size_t>(rule::tim_ketua)] = generic_rule(r, query_kind::tim, [](const cexpr& e) {
    return e.op == expr_op::in && e.kids.size() == 2 && is_path(e.kids[0], base_name::team, {prop::ketua, prop::jenis});
  });
  // A delegation given by an FP: a lower bound on `delegation.from.jenis`.
  names[static_cast<std::size_t>(rule::delegasi_minimal)] = generic_rule(r, query_kind::delegasi, [](const cexpr& e) {
    return (e.op == expr_op::ge || e.op == expr_op::gt) && e.kids.size() == 2 &&
           is_path(e.kids[0], base_name::delegation, {prop::from, prop::jenis});
  });
  // A delegation from outside the delegate's chain: `delegation.from in delegation.to.superiors`.
  names[static_cast<std::size_t>(rule::delegasi_atasan)] = generic_rule(r, query_kind::delegasi, [](const cexpr& e) {
    return e.op == expr_op::in && e.kids.size() == 2 && is_path(e.kids[0], base_name::delegation, {prop::from}) &&
           is_path(e.kids[1], base_name::delegation, {prop::to, prop::superiors});
  });
  return names;
}

// What a planted item of each rule does, for the error when a ruleset has no such rule.
const std::array<const char*, rule_count> rule_about = {
    "",
    "a kedudukan table for sekretariat_daerah",
    "a kedudukan table for sekretariat_dprd",
    "a kedudukan table for inspektorat",
    "a kedudukan table for dinas",
    "a kedudukan table for badan",
    "a kedudukan table for bpbd",
    "a kedudukan table for dpmptsp",
    "a kedudukan table for rsud",
    "a kedudukan table for kecamatan",
    "a kedudukan table for kelurahan",
    "a kedudukan table for uptd",
    "a kedudukan table for puskesmas",
    "a kedudukan table for satuan_pendidikan",
    "a wajib kedudukan rule `atasan.jenis in [...]`",
    "a wajib delegasi rule bounding `delegation.from.jenis`",
    "a wajib delegasi rule `delegation.from in delegation.to.superiors`",
    "a wajib tim rule `team.ketua.jenis in [...]`"};

}  // namespace perwal::gen::detail
