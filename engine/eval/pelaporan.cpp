// Pelaporan: a report line checked against the generic rules, the report
// rules for its capacity (`as`), and the review chains of the kedudukan
// tables (results go up one level at a time).
#include <algorithm>

#include "engine/eval/context.hpp"

namespace perwal::eval {

namespace {

// A report of results that climbs one step of a review chain of p's table.
bool review_chain_holds(const context& c, const pelaporan_query& q, decision& d) {
  if (q.as != c.rules.known.hasil_kegiatan || q.as == no_code) return false;
  bindings kb;
  kb.position = q.from;
  kb.pd = c.pd_of(q.from);
  const auto* tb = c.table_for(kb);
  if (!tb) return false;
  const auto from_kind = c.org.positions()[q.from].kind;
  const auto to_kind = c.org.positions()[q.to].kind;
  for (const auto& chain : tb->reviews) {
    for (std::size_t i = 0; i + 1 < chain.kinds.size(); ++i) {
      if (chain.kinds[i] == from_kind && chain.kinds[i + 1] == to_kind && c.org.superior_of(q.to, q.from)) {
        if (d.traced) d.trace.emplace_back(traced::review_chain_held{tb, &chain});
        d.considered.push_back(&tb->info);
        return true;
      }
    }
  }
  return false;
}

// A report owed to several addressees: each `also_to` must be among the
// query's `also_to` (not stated: evidence to provide).
template <class PathFn>
void check_also_to(const context& c, const report_rule& r, const pelaporan_query& q, const bindings& b,
                   const PathFn& path, decision& d) {
  if (r.also_to.empty()) return;
  if (!q.also_to) {
    c.needs(r.also_info, found::facts_unstated{{"also_to"}}, path(), d);
    return;
  }
  for (const auto& addressee : r.also_to) {
    auto targets = c.resolve(addressee, b);
    const bool sent = std::any_of(targets.begin(), targets.end(), [&](org::index t) {
      return std::find(q.also_to->begin(), q.also_to->end(), t) != q.also_to->end();
    });
    if (!sent) {
      c.broken(r.also_info, found::addressee_missing{std::move(targets)}, path(), d);
      return;
    }
  }
  c.held(r.also_info, d);
}

// Whether a report rule's `to` names anyone, and whether it names the
// report's addressee: what resolve() would answer, without building the list.
struct reach {
  bool any = false, names_to = false;
};
reach reaches(const context& c, const std::vector<cpath>& roles, const bindings& b) {
  reach r;
  const auto see = [&](index p) {
    if (p == none) return;
    r.any = true;
    r.names_to = r.names_to || p == b.to;
  };
  for (const auto& role : roles) {
    const auto v = c.eval_path(role, b);
    if (v.t == value_type::position) see(v.idx);
    if (v.t == value_type::positions)
      for (const auto p : v.set) see(p);
  }
  return r;
}

}  // namespace

void check_pelaporan(const context& c, const pelaporan_query& q, decision& d) {
  bindings b;
  b.from = q.from;
  b.to = q.to;
  b.as = q.as;
  if (q.team) b.team = &*q.team;
  // Built only for a finding: a report that breaks nothing allocates nothing.
  const auto path = [&] { return std::vector<node_ref>{context::at_position(q.from), context::at_position(q.to)}; };
  c.run_generic(query_kind::pelaporan, b, path, d);

  // The rules for this capacity whose `when` holds are listed in d.applicable (in order).
  const report_rule* matched = nullptr;
  for (const auto& r : c.rules.reports) {
    if (std::find(r.as.begin(), r.as.end(), b.as) == r.as.end()) continue;
    if (r.when && !c.truthy(*r.when, b)) continue;
    d.applicable.push_back(&r.info);
    const auto targets = reaches(c, r.to, b);
    if (targets.any) d.resolved.push_back(&r.info);
    // A permission whose `require` fails permits nothing: the report falls to the other rules.
    const bool permits = r.info.level != strength::boleh || !r.require || c.truthy(*r.require, b);
    if (!matched && permits && targets.names_to) matched = &r;
  }
  if (matched) {
    std::vector<std::string> unstated;
    const auto verdict = matched->require ? c.check(*matched->require, b, &unstated) : eval::truth::holds;
    if (verdict == eval::truth::unknown) {
      c.needs(matched->info, found::facts_unstated{std::move(unstated)}, path(), d);
    } else if (verdict == eval::truth::fails) {
      c.broken(matched->info, found::rule_text{}, path(), d);
    } else if (d.traced) {
      c.held(matched->info, d, traced::official{b.to});
    } else {
      c.held(matched->info, d);
    }
    check_also_to(c, *matched, q, b, path, d);
    return;
  }
  if (review_chain_holds(c, q, d)) return;
  if (d.applicable.empty()) {
    c.broken(c.rules.engine_rules.pelaporan_tidak_diatur, found::report_unregulated{b.as}, path(), d);
    return;
  }
  for (const auto& r : c.rules.reports) {
    if (r.info.level == strength::boleh) continue;
    if (std::find(d.applicable.begin(), d.applicable.end(), &r.info) == d.applicable.end()) continue;
    auto targets = c.resolve(r.to, b);
    auto rpath = context::positions(c.chain(b.from, targets.empty() ? none : targets.front()));
    c.broken(r.info, found::report_misdirected{b.as, std::move(targets), b.to}, std::move(rpath), d);
  }
}

}  // namespace perwal::eval
