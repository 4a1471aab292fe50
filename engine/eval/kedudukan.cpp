// Kedudukan: under whom a Pejabat Fungsional or pelaksana sits, checked
// against the generic kedudukan rules and the table of its kind of
// perangkat daerah; and who appraises it (the Pejabat Penilai Kinerja).
#include <algorithm>

#include "engine/eval/context.hpp"

namespace perwal::eval {

// The Pejabat Penilai Kinerja (Pasal 1 angka 13: the direct atasan). When
// the kedudukan table of p's perangkat daerah lists the atasan's kind
// without the `penilai` mark (a coordinator such as a kepala subbagian), the
// appraisal goes up the chain to the first position that is marked or is not
// in the table at all (a delegate, for one).
index context::penilai_of(index p) const {
  const index first = org.positions()[p].atasan;
  // A table condition that asks for the appraiser again gets the plain atasan.
  if (first == none || !is_fp_or_pelaksana(p) || resolving_penilai_) return first;
  resolving_penilai_ = true;
  const index found = penilai_up_from(p, first);
  resolving_penilai_ = false;
  return found;
}

index context::penilai_up_from(index p, index first) const {
  bindings b;
  b.position = p;
  b.atasan = first;
  b.pd = pd_of(p);
  const auto* tb = table_for(b);
  if (!tb) return first;
  index cur = first;
  for (int hops = 0; cur != none && hops < 64; ++hops, cur = org.positions()[cur].atasan) {
    bool listed = false, marked = false;
    for (const auto& e : tb->under) {
      if (std::find(e.kinds.begin(), e.kinds.end(), org.positions()[cur].kind) != e.kinds.end()) {
        listed = true;
        marked = marked || e.penilai;
      }
    }
    if (!listed || marked) return cur;
  }
  return first;
}

const kedudukan_table* context::table_for(const bindings& b) const {
  if (b.pd == none) return nullptr;
  const code pd_kind = org.positions()[b.position].pd_kind;  // b.pd is b.position's
  const kedudukan_table* fallback = nullptr;
  for (const auto i : rules.kedudukan_tables_for(pd_kind)) {
    const auto& tb = rules.kedudukan[i];
    if (tb.when) {
      if (truthy(*tb.when, b)) return &tb;
    } else if (!fallback) {
      fallback = &tb;
    }
  }
  return fallback;
}

namespace {

// Every kind of position the table allows as atasan.
std::vector<code> allowed_kinds(const kedudukan_table& tb) {
  std::vector<code> out;
  for (const auto& e : tb.under) out.insert(out.end(), e.kinds.begin(), e.kinds.end());
  return out;
}

// The nearest position of an allowed kind whose unit contains p's unit.
index candidate_atasan(const context& c, index p, index pd, const std::vector<code>& allowed) {
  for (index u = c.unit_of(p); u != none; u = c.org.units()[u].parent) {
    const auto head = c.org.units()[u].head;
    if (head != none && head != p &&
        std::find(allowed.begin(), allowed.end(), c.org.positions()[head].kind) != allowed.end()) {
      return head;
    }
    if (u == pd) break;
  }
  return none;
}

}  // namespace

void check_kedudukan(const context& c, index p, index atasan, decision& d) {
  bindings b;
  b.position = p;
  b.atasan = atasan;
  b.pd = c.pd_of(p);
  const auto path = [&] {
    std::vector<node_ref> nodes = {context::at_position(p)};
    if (atasan != none) nodes.push_back(context::at_position(atasan));
    return nodes;
  };
  if (d.traced) d.trace.emplace_back(traced::atasan_chain{c.chain(p), b.pd});
  c.run_generic(query_kind::kedudukan, b, path, d);
  if (!c.is_fp_or_pelaksana(p)) {
    if (d.traced) d.trace.emplace_back(traced::not_fp_or_pelaksana{p});
    return;
  }
  const auto* tb = c.table_for(b);
  if (!tb) {
    if (d.traced) d.trace.emplace_back(traced::no_table{b.pd});
    return;
  }
  const kedudukan_entry* match = nullptr;
  if (atasan != none) {
    const auto kind = c.org.positions()[atasan].kind;
    for (const auto& e : tb->under) {
      if (std::find(e.kinds.begin(), e.kinds.end(), kind) != e.kinds.end()) {
        match = &e;
        break;
      }
    }
  }
  const bool same_pd = atasan != none && c.pd_of(atasan) == b.pd;
  if (match && same_pd) {
    if (!d.traced) {
      c.held(tb->info, d);
      return;
    }
    c.held(tb->info, d,
           traced::table_match{c.org.positions()[atasan].kind, match->level, match->penilai, match->pimpinan_unit});
    return;
  }
  using problem = found::misplaced::problem;
  found::misplaced m;
  m.what = atasan == none ? problem::no_atasan : !match ? problem::wrong_kind : problem::outside_pd;
  m.position = p;
  m.atasan = atasan;
  m.pd = b.pd;
  m.candidate = candidate_atasan(c, p, b.pd, allowed_kinds(*tb));
  m.table = tb;
  c.broken(tb->info, m, path(), d);
}

}  // namespace perwal::eval
