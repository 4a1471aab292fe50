// The org helpers every check uses, and how held and broken rules are
// recorded into a decision (as references and typed details, never text).
#include "engine/eval/context.hpp"

#include <algorithm>

namespace perwal::eval {

index context::root_of_unit(index u) const {
  const auto i = instansi_of_unit(u);
  return i == none ? none : org.instansis()[i].root_unit;
}

index context::berwenang_of_unit(index u) const {
  const auto i = instansi_of_unit(u);
  return i == none ? none : org.instansis()[i].pejabat_berwenang;
}

bool context::is_fp_or_pelaksana(index p) const {
  const auto j = org.positions()[p].jenis;
  return j == rules.known.fungsional || j == rules.known.pelaksana;
}

std::vector<index> context::chain(index p, index stop) const {
  std::vector<index> out;
  for (index cur = p; cur != none; cur = org.positions()[cur].atasan) {
    out.push_back(cur);
    if (cur == stop || out.size() > 64) break;
  }
  return out;
}

std::vector<node_ref> context::positions(const std::vector<index>& ps) {
  std::vector<node_ref> out;
  out.reserve(ps.size());
  for (auto p : ps) out.push_back(at_position(p));
  return out;
}

void context::note_override(const rule_info& info, decision& d) const {
  if (info.overrides && d.traced) d.trace.emplace_back(traced::override_applied{&info});
}

void context::consider(const rule_info& info, decision& d) const {
  if (audit_considered_ != nullptr && !audit_considered_->insert(&info).second) return;
  d.considered.push_back(&info);
}

void context::broken(const rule_info& info, finding_detail detail, std::vector<node_ref> path, decision& d) const {
  consider(info, d);
  if (d.traced) d.trace.emplace_back(traced::broken{&info});
  note_override(info, d);
  finding f{&info, std::move(detail), std::move(path)};
  if (info.level == strength::diutamakan || info.level == strength::boleh) {
    d.warnings.push_back(std::move(f));
  } else {
    d.violations.push_back(std::move(f));
  }
}

void context::needs(const rule_info& info, finding_detail detail, std::vector<node_ref> path, decision& d) const {
  consider(info, d);
  note_override(info, d);
  d.needs.push_back(finding{&info, std::move(detail), std::move(path)});
}

void context::held(const rule_info& info, decision& d, decltype(traced::held::detail) detail) const {
  consider(info, d);
  if (d.traced) d.trace.emplace_back(traced::held{&info, std::move(detail)});
  note_override(info, d);
}

}  // namespace perwal::eval
