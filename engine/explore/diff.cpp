// `perwal diff` (diff.hpp): the search of the small org universe for
// scenarios the two rulesets decide differently, and diff() itself, which
// compares the rulesets rule by rule (diff_rules.cpp) and then searches.
#include "engine/explore/diff.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "engine/explore/diff_internal.hpp"

namespace perwal::explore {

using namespace diff_detail;

namespace {

using json = nlohmann::json;

}  // namespace

std::size_t diff_report::semantic_differences() const {
  return static_cast<std::size_t>(
      std::count_if(entries.begin(), entries.end(), [](const diff_entry& e) { return e.semantic(); }));
}

namespace {

// ---- the search ---------------------------------------------------------------
struct candidate {
  json query;
  signature a, b;
  std::set<std::string> touched;   // rule names either decision mentions
  std::string scope_a, scope_b;    // contract scope (penugasan)
  std::set<std::string> pd_kinds;  // kinds of the perangkat daerah the query's positions are in
  json org;                        // when the query needs an org of its own (audit of one delegation)
};

std::string scope_name(const std::optional<decision>& d) {
  return d && d->scope ? std::string(contract_scope_names[static_cast<std::size_t>(*d->scope)]) : std::string();
}

void touch(const decision& d, std::set<std::string>& out) {
  for (const auto& v : d.violations) out.insert(v.rule->name);
  for (const auto& w : d.warnings) out.insert(w.rule->name);
  for (const auto* r : d.considered) out.insert(r->name);
  for (const auto* r : d.applicable) out.insert(r->name);
  for (const auto& n : d.next) out.insert(n.step->info.name);
  if (d.flow) out.insert(d.flow->info.name);
}

class searcher {
 public:
  searcher(const std::shared_ptr<const compiled_ruleset>& a, const std::shared_ptr<const compiled_ruleset>& b,
           const bounds& limits)
      : a_(a), b_(b), limits_(limits) {}

  bool run(search_bounds& stats) {
    const std::vector<const compiled_ruleset*> both = {a_.get(), b_.get()};
    orgs_ = build_universe(both);
    stats.orgs = orgs_.size();
    stats.max_steps = limits_.max_steps;
    for (const auto& org : orgs_) {
      auto ga = load(org, *a_), gb = load(org, *b_);
      if (!ga || !gb) return false;
      stats.units += org.spec.units.size();
      stats.positions += org.spec.positions.size();
      evaluator ea(a_, ga, false), eb(b_, gb, false);
      org_ = &org;
      audit_delegations(org, stats);
      for (const auto& family : enumerate_queries(org, both, limits_)) {
        for (const auto& q : family.queries) {
          if (family.type == "penugasan")
            try_penugasan(ea, eb, q, stats);
          else
            compare(ea, eb, q, stats);
        }
      }
    }
    stats.differing = found_.size();
    return true;
  }

  [[nodiscard]] const std::vector<candidate>& found() const { return found_; }
  [[nodiscard]] const std::vector<universe_org>& orgs() const { return orgs_; }

 private:
  // Delegations are checked by audit: each variant org audited under both.
  void audit_delegations(const universe_org& org, search_bounds& stats) {
    for (const auto& small : delegation_orgs(org)) {
      diagnostics errs;
      auto ga = org::build(small, a_->vocab, a_->shape, errs);
      auto gb = org::build(small, b_->vocab, b_->shape, errs);
      if (!ga || !gb) continue;
      ++stats.queries;
      stats.evaluations += 2;
      const auto da = evaluator(a_, ga, false).audit();
      const auto db = evaluator(b_, gb, false).audit();
      const auto sa = signature_of(da), sb = signature_of(db);
      if (sa == sb) continue;
      candidate c{json{{"type", "audit"}}, sa, sb, {}, "", "", {}, json()};
      touch(da, c.touched);
      touch(db, c.touched);
      c.org = trimmed_json(small);
      found_.push_back(std::move(c));
    }
  }

  void try_penugasan(const evaluator& ea, const evaluator& eb, const json& q, search_bounds& stats) {
    std::vector<json> tries = {q};
    tries.front()["steps"] = json::array();
    for (const auto* ev : {&ea, &eb}) {
      auto full = complete_steps(*ev, q, limits_.max_steps);
      stats.evaluations += full["steps"].size() + 1;
      if (std::find(tries.begin(), tries.end(), full) == tries.end()) tries.push_back(std::move(full));
    }
    for (const auto& t : tries) compare(ea, eb, t, stats);
  }

  void compare(const evaluator& ea, const evaluator& eb, const json& q, search_bounds& stats) {
    ++stats.queries;
    stats.evaluations += 2;
    diagnostics errors;
    const auto da = ea.check(q, errors);
    const auto db = eb.check(q, errors);
    if (!da && !db) return;
    // A query one ruleset cannot read (a step action only the other declares)
    // still separates them: its expectation is "bad_query".
    const signature bad{"bad_query", {}, {}};
    const auto sa = da ? signature_of(*da) : bad, sb = db ? signature_of(*db) : bad;
    if (sa == sb) return;
    candidate c{q, sa, sb, {}, scope_name(da), scope_name(db), {}, json()};
    if (da) touch(*da, c.touched);
    if (db) touch(*db, c.touched);
    c.pd_kinds = pd_kinds_of(q);
    found_.push_back(std::move(c));
  }

  // Kinds of perangkat daerah the positions and units named by a query belong to.
  [[nodiscard]] std::set<std::string> pd_kinds_of(const json& q) const {
    std::set<std::string> out;
    std::map<std::string, std::string> unit_kind;
    for (const auto& u : org_->spec.units) unit_kind[u.id] = u.kind;
    for (const auto& key : {"position", "atasan", "assignee", "from", "to", "owner_unit"}) {
      if (!q.contains(key) || !q[key].is_string()) continue;
      const auto id = q[key].get<std::string>();
      for (const auto& m : org_->positions) {
        if (m.id == id && unit_kind.count(m.pd)) out.insert(unit_kind[m.pd]);
      }
      if (unit_kind.count(id)) out.insert(unit_kind[id]);
    }
    return out;
  }

  std::shared_ptr<const compiled_ruleset> a_, b_;
  bounds limits_;
  std::vector<universe_org> orgs_;
  const universe_org* org_ = nullptr;
  std::vector<candidate> found_;
};

bool touches(const candidate& c, const std::string& name) {
  if (name.empty()) return false;
  if (c.touched.count(name)) return true;
  auto it = c.touched.lower_bound(name + ".");
  return it != c.touched.end() && it->rfind(name + ".", 0) == 0;
}

// Contract scopes grouped differently by the two regulations.
std::set<std::string> regrouped_scopes(const compiled_ruleset& a, const compiled_ruleset& b) {
  std::set<std::string> out;
  for (std::size_t i = 0; i < 4; ++i) {
    for (std::size_t j = 0; j < 4; ++j) {
      const bool same_a = a.scope_of[i] != no_code && a.scope_of[i] == a.scope_of[j];
      const bool same_b = b.scope_of[i] != no_code && b.scope_of[i] == b.scope_of[j];
      if (same_a != same_b) out.emplace(contract_scope_names[i]);
    }
  }
  return out;
}

std::set<std::string> changed_kinds(const diff_entry& e) {
  std::set<std::string> out;
  for (const auto& c : e.changes) {
    if (c.what != "kinds") out.insert(c.what);  // unit_organisasi: one field per kind
    if (c.what == "kinds") out.insert(c.a.empty() ? c.b : c.a);
  }
  return out;
}

bool flags(const signature& s, const std::string& name) {
  if (name.empty()) return false;
  auto match = [&](const std::string& r) { return r == name || r.rfind(name + ".", 0) == 0; };
  return std::any_of(s.violations.begin(), s.violations.end(), match) ||
         std::any_of(s.warnings.begin(), s.warnings.end(), match);
}

// The scenario that best shows an entry: a query the two decide differently
// that involves the entry's rules. Preferred: the rule itself is broken on
// one side only, then the outcomes differ, then one side allows.
const candidate* pick(const diff_entry& e, const std::vector<candidate>& found,
                      const std::set<std::string>& regrouped) {
  auto relevant = [&](const candidate& c) {
    if (e.kind == "scope") return !c.scope_a.empty() && regrouped.count(c.scope_a) > 0;
    if (e.kind == "define") {
      if (c.scope_a != c.scope_b) return true;
      const auto kinds = changed_kinds(e);
      return std::any_of(c.pd_kinds.begin(), c.pd_kinds.end(), [&](const std::string& k) { return kinds.count(k); });
    }
    return touches(c, e.name) || touches(c, e.name_b);
  };
  auto score = [&](const candidate& c) {
    int s = 0;
    const auto& nb = e.name_b.empty() ? e.name : e.name_b;
    if (c.a.outcome == "bad_query" || c.b.outcome == "bad_query") return 0;
    if (flags(c.a, e.name) != flags(c.b, nb)) s += 4;
    if (e.kind == "define" && c.scope_a != c.scope_b) s += 4;  // the structure changes the derived scope
    if (c.a.outcome != c.b.outcome) s += 2;
    if (c.a.outcome == "allowed" || c.b.outcome == "allowed") s += 1;
    return s;
  };
  const candidate* best = nullptr;
  int best_score = -1;
  for (const auto& c : found) {
    if (!relevant(c)) continue;
    const int s = score(c);
    if (s > best_score) {
      best = &c;
      best_score = s;
    }
  }
  return best;
}

scenario make_scenario(const candidate& c, const universe_org& org, const std::shared_ptr<const compiled_ruleset>& a,
                       const std::shared_ptr<const compiled_ruleset>& b) {
  if (!c.org.is_null()) return {c.org, c.query, true, c.a, c.b};
  scenario s{org::to_json(org.spec), c.query, false, c.a, c.b};
  const org::spec small = trim_org(org.spec, c.query);
  diagnostics errs;
  auto ga = org::build(small, a->vocab, a->shape, errs);
  auto gb = org::build(small, b->vocab, b->shape, errs);
  if (!ga || !gb) return s;
  diagnostics qerrs;
  const auto da = evaluator(a, ga, false).check(c.query, qerrs);
  const auto db = evaluator(b, gb, false).check(c.query, qerrs);
  const signature bad{"bad_query", {}, {}};
  if ((da ? signature_of(*da) : bad) == c.a && (db ? signature_of(*db) : bad) == c.b) {
    s.org = trimmed_json(small);
    s.trimmed = true;
  }
  return s;
}

}  // namespace

diff_report diff(const std::shared_ptr<const compiled_ruleset>& a, const std::shared_ptr<const compiled_ruleset>& b,
                 const std::pair<std::string, std::string>& files, const bounds& limits) {
  diff_report r;
  r.id_a = a->header.id;
  r.id_b = b->header.id;
  r.key_a = r.id_a == r.id_b ? r.id_a + " (A)" : r.id_a;
  r.key_b = r.id_a == r.id_b ? r.id_b + " (B)" : r.id_b;
  r.file_a = files.first;
  r.file_b = files.second;
  r.entries = structural_entries(*a, *b);
  auto rules = rule_entries(*a, *b);
  r.entries.insert(r.entries.end(), rules.begin(), rules.end());
  if (r.semantic_differences() == 0) return r;
  searcher s(a, b, limits);
  if (!s.run(r.search)) return r;
  const auto regrouped = regrouped_scopes(*a, *b);
  for (auto& e : r.entries) {
    if (!e.semantic()) continue;
    if (const auto* c = pick(e, s.found(), regrouped)) e.example = make_scenario(*c, s.orgs().front(), a, b);
  }
  return r;
}

}  // namespace perwal::explore
