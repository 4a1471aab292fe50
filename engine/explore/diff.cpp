#include "engine/explore/diff.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

namespace perwal::explore {

namespace {

using json = nlohmann::json;

std::string squeeze(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') out += c;
  }
  return out;
}

// A path with its arguments (`find(dpmptsp)`, `has_tag("…")`), which the
// path's own text leaves out. Codes by name: both vocabularies agree on names.
std::string path_text(const cpath& p, const vocabulary& vocab) {
  std::vector<std::string> segments;
  std::string cur;
  for (char c : squeeze(p.text)) {
    if (c == '.') {
      segments.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  segments.push_back(cur);
  std::string out = segments.front();
  for (std::size_t i = 0; i < p.steps.size(); ++i) {
    const auto& s = p.steps[i];
    const std::string seg = i + 1 < segments.size() ? segments[i + 1] : "?";
    out += "." + seg;
    if (!s.codes.empty()) {
      std::string args;
      for (auto c : s.codes) args += (args.empty() ? "" : ", ") + vocab.name(c);
      out += "(" + args + ")";
    } else if (!s.text.empty() && s.text != seg) {
      out += "(\"" + s.text + "\")";
    }
  }
  return out;
}

std::string roles_text(const std::vector<cpath>& roles, const vocabulary& vocab) {
  std::string out;
  for (const auto& p : roles) out += (out.empty() ? "" : " | ") + path_text(p, vocab);
  return out;
}

std::string number_text(double n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", n);
  return buf;
}

std::string join(const std::vector<std::string>& xs, std::string_view sep) {
  std::string out;
  for (const auto& x : xs) out += (out.empty() ? "" : std::string(sep)) + x;
  return out;
}

std::string codes_text(const std::vector<code>& cs, const vocabulary& v, std::string_view sep = ", ") {
  std::vector<std::string> names;
  for (auto c : cs) names.push_back(v.name(c));
  return join(names, sep);
}

std::string sorted_codes_text(const std::vector<code>& cs, const vocabulary& v) {
  std::vector<std::string> names;
  for (auto c : cs) names.push_back(v.name(c));
  std::sort(names.begin(), names.end());
  return join(names, ", ");
}

}  // namespace

std::string expr_text(const cexpr& e, const vocabulary& vocab) {
  auto kid = [&](std::size_t i) {
    const auto& k = e.kids[i];
    const bool atomic = k.op == expr_op::path || k.op == expr_op::number || k.op == expr_op::string ||
                        k.op == expr_op::boolean || k.op == expr_op::code_lit || k.op == expr_op::list;
    return atomic ? expr_text(k, vocab) : "(" + expr_text(k, vocab) + ")";
  };
  auto binary = [&](std::string_view op) { return kid(0) + " " + std::string(op) + " " + kid(1); };
  switch (e.op) {
    case expr_op::path:
      return roles_text(e.paths, vocab);
    case expr_op::number:
      return number_text(e.number);
    case expr_op::string:
      return "\"" + e.text + "\"";
    case expr_op::boolean:
      return e.boolean ? "true" : "false";
    case expr_op::code_lit:
      return e.literal == no_code ? "?" : vocab.name(e.literal);
    case expr_op::list: {
      std::vector<std::string> items;
      for (const auto& k : e.kids) items.push_back(expr_text(k, vocab));
      return "[" + join(items, ", ") + "]";
    }
    case expr_op::eq:
      return binary("==");
    case expr_op::ne:
      return binary("!=");
    case expr_op::lt:
      return binary("<");
    case expr_op::le:
      return binary("<=");
    case expr_op::gt:
      return binary(">");
    case expr_op::ge:
      return binary(">=");
    case expr_op::in:
      return binary("in");
    case expr_op::is_null:
      return kid(0) + " is null";
    case expr_op::not_null:
      return kid(0) + " is not null";
    case expr_op::and_:
    case expr_op::or_: {
      std::vector<std::string> items;
      for (std::size_t i = 0; i < e.kids.size(); ++i) items.push_back(kid(i));
      return join(items, e.op == expr_op::and_ ? " and " : " or ");
    }
    case expr_op::not_:
      return "not " + kid(0);
  }
  return "?";
}

std::size_t diff_report::semantic_differences() const {
  return static_cast<std::size_t>(
      std::count_if(entries.begin(), entries.end(), [](const diff_entry& e) { return e.semantic(); }));
}

namespace {

// ---- a rule as comparable fields --------------------------------------------
// Each field is a list of texts; `ordered` fields (workflow steps) compare as
// sequences, the others as sets (a one-element list is a scalar).
struct field {
  std::vector<std::string> values;
  bool ordered = false;
};

struct rule_view {
  std::string kind, name;
  const rule_info* info = nullptr;
  std::map<std::string, field> fields;
  std::string mode;                 // workflows: for matching by (mode, contract scopes)
  std::vector<std::string> covers;  // contract scopes a workflow serves
};

std::string opt_expr(const std::optional<cexpr>& e, const vocabulary& v) {
  return e ? expr_text(*e, v) : std::string();
}

void scalar(rule_view& r, const std::string& name, const std::string& value) {
  if (!value.empty()) r.fields[name] = {{value}, false};
}

std::vector<std::string> covered_scopes(const compiled_ruleset& rs, const std::vector<code>& scopes) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < 4; ++i) {
    if (rs.scope_of[i] != no_code && std::find(scopes.begin(), scopes.end(), rs.scope_of[i]) != scopes.end())
      out.emplace_back(contract_scope_names[i]);
  }
  return out;
}

void add_step_fields(rule_view& r, const workflow_step& s, const vocabulary& v) {
  const std::string p = "step " + s.step + ".";
  scalar(r, p + "action", codes_text(s.actions, v, " | "));
  scalar(r, p + "by", roles_text(s.by, v));
  scalar(r, p + "from", roles_text(s.from, v));
  scalar(r, p + "to", roles_text(s.to, v));
  if (!s.cc.empty()) {
    field f;
    for (const auto& cc : s.cc) f.values.push_back(roles_text(cc, v));
    r.fields[p + "cc"] = f;
  }
  if (!s.contents.empty()) {
    field f;
    for (auto c : s.contents) f.values.push_back(v.name(c));
    r.fields[p + "contents"] = f;
  }
  scalar(r, p + "where", opt_expr(s.where, v));
  if (s.optional) scalar(r, p + "optional", "optional");
}

std::vector<rule_view> views_of(const compiled_ruleset& rs) {
  const auto& v = rs.vocab;
  std::vector<rule_view> out;
  for (const auto& g : rs.rules) {
    rule_view r{"rule", g.info.name, &g.info, {}, {}, {}};
    scalar(r, "on", std::string(query_kind_name(g.on)));
    scalar(r, "when", opt_expr(g.when, v));
    scalar(r, "require", opt_expr(g.require, v));
    out.push_back(std::move(r));
  }
  for (const auto& t : rs.kedudukan) {
    rule_view r{"kedudukan", t.info.name, &t.info, {}, {}, {}};
    scalar(r, "for", sorted_codes_text(t.pd_kinds, v));
    scalar(r, "when", opt_expr(t.when, v));
    field under, review;
    for (const auto& e : t.under) {
      std::string s = codes_text(e.kinds, v) + " level " + std::to_string(e.level);
      if (e.penilai) s += " penilai";
      if (e.pimpinan_unit) s += " pimpinan_unit";
      under.values.push_back(s);
    }
    for (const auto& c : t.reviews) review.values.push_back(codes_text(c.kinds, v, " > "));
    r.fields["under"] = under;
    if (!review.values.empty()) r.fields["review"] = review;
    out.push_back(std::move(r));
  }
  for (const auto& rep : rs.reports) {
    rule_view r{"report", rep.info.name, &rep.info, {}, {}, {}};
    field as;
    for (auto c : rep.as) as.values.push_back(v.name(c));
    r.fields["as"] = as;
    field to;
    for (const auto& p : rep.to) to.values.push_back(path_text(p, v));
    r.fields["to"] = to;
    scalar(r, "when", opt_expr(rep.when, v));
    scalar(r, "require", opt_expr(rep.require, v));
    out.push_back(std::move(r));
  }
  for (const auto& w : rs.workflows) {
    rule_view r{
        "workflow", w.info.name, &w.info, {}, w.mode == no_code ? "" : v.name(w.mode), covered_scopes(rs, w.scopes)};
    scalar(r, "mode", r.mode);
    // The regulation names its scopes itself: what counts is which contract scopes it serves.
    field covers{r.covers, false};
    r.fields["scope"] = covers;
    scalar(r, "when", opt_expr(w.when, v));
    scalar(r, "issuer", roles_text(w.issuer, v));
    field steps{{}, true};
    for (const auto& s : w.steps) {
      steps.values.push_back(s.step);
      add_step_fields(r, s, v);
    }
    r.fields["steps"] = steps;
    if (w.refusal) {
      scalar(r, "refusal.by", roles_text(w.refusal->by, v));
      scalar(r, "refusal.reason", w.refusal->reason_required ? "required" : "optional");
    }
    out.push_back(std::move(r));
  }
  return out;
}

// ---- structure and scopes as entries ------------------------------------------
std::string within_text(const compiled_ruleset& rs, code uo) {
  for (const auto& [k, within] : rs.shape.unit_organisasi_within) {
    if (k == uo) return "in [" + sorted_codes_text(within, rs.vocab) + "]";
  }
  return "in every perangkat daerah";
}

std::vector<std::string> scope_groups(const compiled_ruleset& rs) {
  std::map<code, std::vector<std::string>> groups;
  std::vector<std::string> out;
  for (std::size_t i = 0; i < 4; ++i) {
    if (rs.scope_of[i] == no_code)
      out.push_back("(" + std::string(contract_scope_names[i]) + ": no scope)");
    else
      groups[rs.scope_of[i]].emplace_back(contract_scope_names[i]);
  }
  for (const auto& [c, members] : groups) out.push_back("{" + join(members, ", ") + "}");
  std::sort(out.begin(), out.end());
  return out;
}

std::string scope_citation(const compiled_ruleset& rs) {
  std::vector<std::string> cites;
  for (const auto& c : rs.scope_citation) {
    if (!c.empty() && std::find(cites.begin(), cites.end(), c) == cites.end()) cites.push_back(c);
  }
  return join(cites, "; ");
}

// ---- comparing -------------------------------------------------------------
int strength_rank(std::string_view s) {
  if (s == "boleh") return 0;
  if (s == "diutamakan") return 1;
  if (s == "wajib") return 2;
  return -1;  // dilarang: not on the same scale
}

std::string strength_move(const std::string& a, const std::string& b) {
  const int x = strength_rank(a), y = strength_rank(b);
  if (x < 0 || y < 0) return "changed";
  return y > x ? "strengthened" : "weakened";
}

std::vector<change> compare_fields(const std::map<std::string, field>& a, const std::map<std::string, field>& b) {
  std::vector<change> out;
  std::set<std::string> names;
  for (const auto& [k, f] : a) names.insert(k);
  for (const auto& [k, f] : b) names.insert(k);
  for (const auto& name : names) {
    const auto ia = a.find(name), ib = b.find(name);
    const field empty;
    const auto& fa = ia == a.end() ? empty : ia->second;
    const auto& fb = ib == b.end() ? empty : ib->second;
    if (fa.values == fb.values) continue;
    const bool scalar_field = fa.values.size() <= 1 && fb.values.size() <= 1 && !fa.ordered && !fb.ordered;
    if (scalar_field) {
      const std::string va = fa.values.empty() ? "" : fa.values[0], vb = fb.values.empty() ? "" : fb.values[0];
      out.push_back({name, va, vb, va.empty() ? "added" : vb.empty() ? "removed" : "changed"});
      continue;
    }
    std::vector<std::string> sa = fa.values, sb = fb.values;
    std::sort(sa.begin(), sa.end());
    std::sort(sb.begin(), sb.end());
    if (sa == sb) {
      if (fa.ordered || fb.ordered) out.push_back({name, join(fa.values, ", "), join(fb.values, ", "), "reordered"});
      continue;
    }
    for (const auto& x : fa.values) {
      if (!std::binary_search(sb.begin(), sb.end(), x)) out.push_back({name, x, "", "removed"});
    }
    for (const auto& x : fb.values) {
      if (!std::binary_search(sa.begin(), sa.end(), x)) out.push_back({name, "", x, "added"});
    }
  }
  return out;
}

diff_entry entry_for(const rule_view* a, const rule_view* b) {
  diff_entry e;
  const auto* any = a ? a : b;
  e.kind = any->kind;
  e.name = any->name;
  if (a && b && a->name != b->name) e.name_b = b->name;
  if (a) {
    e.strength_a = std::string(strength_name(a->info->level));
    e.citation_a = a->info->citation;
    e.where_a = a->info->where.where();
  }
  if (b) {
    e.strength_b = std::string(strength_name(b->info->level));
    e.citation_b = b->info->citation;
    e.where_b = b->info->where.where();
  }
  if (!a || !b) {
    e.status = a ? "removed" : "added";
    return e;
  }
  if (e.strength_a != e.strength_b)
    e.changes.push_back({"strength", e.strength_a, e.strength_b, strength_move(e.strength_a, e.strength_b)});
  auto more = compare_fields(a->fields, b->fields);
  e.changes.insert(e.changes.end(), more.begin(), more.end());
  e.status = e.changes.empty() ? "unchanged" : "changed";
  e.citation_changed = e.citation_a != e.citation_b;
  return e;
}

std::vector<diff_entry> structural_entries(const compiled_ruleset& a, const compiled_ruleset& b) {
  std::vector<diff_entry> out;
  auto define_entry = [&](const std::string& name, const std::map<std::string, field>& fa,
                          const std::map<std::string, field>& fb, const std::string& cite_a,
                          const std::string& cite_b) {
    diff_entry e;
    e.kind = "define";
    e.name = name;
    e.citation_a = cite_a;
    e.citation_b = cite_b;
    e.changes = compare_fields(fa, fb);
    e.status = e.changes.empty() ? "unchanged" : "changed";
    e.citation_changed = cite_a != cite_b;
    out.push_back(std::move(e));
  };
  auto pd_kinds = [](const compiled_ruleset& rs) {
    field f;
    for (auto k : rs.shape.perangkat_daerah_kinds) f.values.push_back(rs.vocab.name(k));
    return std::map<std::string, field>{{"kinds", f}};
  };
  // One field per unit organisasi kind: where it counts.
  auto uo_kinds = [](const compiled_ruleset& rs) {
    std::map<std::string, field> m;
    for (auto k : rs.shape.unit_organisasi_kinds) m[rs.vocab.name(k)] = {{within_text(rs, k)}, false};
    return m;
  };
  define_entry("perangkat_daerah", pd_kinds(a), pd_kinds(b), "", "");
  define_entry("unit_organisasi", uo_kinds(a), uo_kinds(b), a.shape_citation, b.shape_citation);
  diff_entry s;
  s.kind = "scope";
  s.name = "scope";
  s.citation_a = scope_citation(a);
  s.citation_b = scope_citation(b);
  std::map<std::string, field> fa{{"groups", {scope_groups(a), false}}}, fb{{"groups", {scope_groups(b), false}}};
  s.changes = compare_fields(fa, fb);
  s.status = s.changes.empty() ? "unchanged" : "changed";
  s.citation_changed = s.citation_a != s.citation_b;
  out.push_back(std::move(s));
  return out;
}

std::vector<diff_entry> rule_entries(const compiled_ruleset& a, const compiled_ruleset& b) {
  const auto va = views_of(a), vb = views_of(b);
  std::map<std::string, const rule_view*> by_name_b;
  for (const auto& r : vb) by_name_b[r.name] = &r;
  std::vector<const rule_view*> match_a(va.size(), nullptr);
  std::set<const rule_view*> used_b;
  for (std::size_t i = 0; i < va.size(); ++i) {
    auto it = by_name_b.find(va[i].name);
    if (it != by_name_b.end() && it->second->kind == va[i].kind) {
      match_a[i] = it->second;
      used_b.insert(it->second);
    }
  }
  // Workflows named differently: the same mode over the same contract scopes,
  // then over overlapping ones (a regulation may group scopes differently);
  // within each, one with the same condition first.
  auto overlap = [](const std::vector<std::string>& x, const std::vector<std::string>& y) {
    return std::any_of(x.begin(), x.end(),
                       [&](const std::string& s) { return std::find(y.begin(), y.end(), s) != y.end(); });
  };
  for (int pass = 0; pass < 4; ++pass) {
    const bool exact = pass < 2, same_when_only = pass % 2 == 0;
    for (std::size_t i = 0; i < va.size(); ++i) {
      if (match_a[i] || va[i].kind != "workflow") continue;
      for (const auto& r : vb) {
        if (used_b.count(&r) || r.kind != "workflow" || r.mode != va[i].mode) continue;
        if (exact ? r.covers != va[i].covers : !overlap(r.covers, va[i].covers)) continue;
        const auto wa = va[i].fields.find("when"), wb = r.fields.find("when");
        const bool same_when = (wa == va[i].fields.end()) == (wb == r.fields.end()) &&
                               (wa == va[i].fields.end() || wa->second.values == wb->second.values);
        if (same_when_only && !same_when) continue;
        match_a[i] = &r;
        used_b.insert(&r);
        break;
      }
    }
  }
  std::vector<diff_entry> out;
  for (std::size_t i = 0; i < va.size(); ++i) out.push_back(entry_for(&va[i], match_a[i]));
  for (const auto& r : vb) {
    if (!used_b.count(&r)) out.push_back(entry_for(nullptr, &r));
  }
  return out;
}

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
      stats.units += org.doc["units"].size();
      stats.positions += org.doc["positions"].size();
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
    for (const auto& doc : delegation_orgs(org)) {
      std::vector<org::load_error> errs;
      auto ga = org::org_graph::load(doc, a_->vocab, a_->shape, errs);
      auto gb = org::org_graph::load(doc, b_->vocab, b_->shape, errs);
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
      c.org = doc;
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
    std::vector<query_error> errors;
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
    for (const auto& u : org_->doc["units"]) unit_kind[u["id"].get<std::string>()] = u["kind"].get<std::string>();
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
  scenario s{org.doc, c.query, false, c.a, c.b};
  const json small = trim_org(org.doc, c.query);
  std::vector<org::load_error> errs;
  auto ga = org::org_graph::load(small, a->vocab, a->shape, errs);
  auto gb = org::org_graph::load(small, b->vocab, b->shape, errs);
  if (!ga || !gb) return s;
  std::vector<query_error> qerrs;
  const auto da = evaluator(a, ga, false).check(c.query, qerrs);
  const auto db = evaluator(b, gb, false).check(c.query, qerrs);
  const signature bad{"bad_query", {}, {}};
  if ((da ? signature_of(*da) : bad) == c.a && (db ? signature_of(*db) : bad) == c.b) {
    s.org = small;
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

// ---- rendering ---------------------------------------------------------------
namespace {

json expect_json(const signature& s) {
  return {{"decision", s.outcome}, {"violations", s.violations}, {"warnings", s.warnings}};
}

json scenario_json(const diff_report& r, const scenario& s) {
  json j = {{"org", s.org}, {"query", s.query}, {"trimmed", s.trimmed}};
  j["expect"] = {{r.key_a, expect_json(s.a)}, {r.key_b, expect_json(s.b)}};
  return j;
}

std::string bound_text(const search_bounds& b, bool en) {
  return std::to_string(b.orgs) + (en ? " org(s) (" : " organisasi (") + std::to_string(b.units) +
         (en ? " units, " : " unit, ") + std::to_string(b.positions) + (en ? " positions), " : " jabatan), ") +
         std::to_string(b.queries) + (en ? " queries, " : " kueri, ") + std::to_string(b.evaluations) +
         (en ? " evaluations, at most " : " evaluasi, paling banyak ") + std::to_string(b.max_steps) +
         (en ? " steps per penugasan" : " langkah per penugasan");
}

}  // namespace

json to_json(const diff_report& r) {
  json j;
  j["a"] = {{"ruleset", r.id_a}, {"file", r.file_a}, {"key", r.key_a}};
  j["b"] = {{"ruleset", r.id_b}, {"file", r.file_b}, {"key", r.key_b}};
  std::map<std::string, std::size_t> counts;
  for (const auto& e : r.entries) ++counts[e.status];
  j["summary"] = {{"added", counts["added"]},
                  {"removed", counts["removed"]},
                  {"changed", counts["changed"]},
                  {"unchanged", counts["unchanged"]},
                  {"semantic_differences", r.semantic_differences()}};
  j["search"] = {{"orgs", r.search.orgs},
                 {"units", r.search.units},
                 {"positions", r.search.positions},
                 {"queries", r.search.queries},
                 {"evaluations", r.search.evaluations},
                 {"max_steps", r.search.max_steps},
                 {"differing_queries", r.search.differing}};
  j["entries"] = json::array();
  for (const auto& e : r.entries) {
    json x = {{"kind", e.kind}, {"name", e.name}, {"status", e.status}};
    if (!e.name_b.empty()) x["name_b"] = e.name_b;
    x["a"] = {{"strength", e.strength_a}, {"citation", e.citation_a}, {"where", e.where_a}};
    x["b"] = {{"strength", e.strength_b}, {"citation", e.citation_b}, {"where", e.where_b}};
    if (e.citation_changed) x["citation_changed"] = true;
    x["changes"] = json::array();
    for (const auto& c : e.changes) x["changes"].push_back({{"what", c.what}, {"a", c.a}, {"b", c.b}, {"how", c.how}});
    if (e.semantic()) {
      if (e.example) {
        x["scenario"] = scenario_json(r, *e.example);
      } else {
        x["scenario"] = nullptr;
        x["scenario_note"] = "none found within " + bound_text(r.search, true);
      }
    }
    j["entries"].push_back(std::move(x));
  }
  return j;
}

std::string to_text(const diff_report& r, lang language) {
  const bool en = language == lang::en;
  auto t = [&](std::string_view id, std::string_view e) { return std::string(en ? e : id); };
  std::string out = "A: " + r.id_a + " (" + r.file_a + ")\nB: " + r.id_b + " (" + r.file_b + ")\n";
  std::map<std::string, std::size_t> counts;
  for (const auto& e : r.entries) ++counts[e.status];
  out += t("Ditambah ", "Added ") + std::to_string(counts["added"]) + t(", dihapus ", ", removed ") +
         std::to_string(counts["removed"]) + t(", diubah ", ", changed ") + std::to_string(counts["changed"]) +
         t(", tetap ", ", unchanged ") + std::to_string(counts["unchanged"]) + "\n";
  if (r.search.queries > 0) out += t("Pencarian: ", "Search: ") + bound_text(r.search, en) + "\n";
  auto status_word = [&](const std::string& s) {
    if (s == "added") return t("DITAMBAH", "ADDED");
    if (s == "removed") return t("DIHAPUS", "REMOVED");
    if (s == "changed") return t("DIUBAH", "CHANGED");
    return t("TETAP", "UNCHANGED");
  };
  auto decision_line = [&](const std::string& key, const signature& s) {
    std::string line = "      " + key + ": " + s.outcome;
    if (!s.violations.empty()) line += " — " + join(s.violations, ", ");
    if (!s.warnings.empty()) line += t(" (peringatan: ", " (warnings: ") + join(s.warnings, ", ") + ")";
    return line + "\n";
  };
  for (const auto& e : r.entries) {
    if (!e.semantic()) continue;
    const std::string label = e.kind == e.name ? e.name : e.kind + " " + e.name;  // "scope", not "scope scope"
    out += "\n[" + status_word(e.status) + "] " + label + (e.name_b.empty() ? "" : " ~ " + e.name_b);
    if (!e.strength_a.empty() || !e.strength_b.empty())
      out += " (" + (e.strength_a.empty() ? "-" : e.strength_a) + " / " + (e.strength_b.empty() ? "-" : e.strength_b) +
             ")";
    out += "\n";
    auto side = [&](const std::string& cite, const std::string& where) {
      return cite + (where.empty() ? "" : "  [" + where + "]") + "\n";
    };
    if (!e.citation_a.empty() || !e.where_a.empty()) out += "    A: " + side(e.citation_a, e.where_a);
    if (!e.citation_b.empty() || !e.where_b.empty()) out += "    B: " + side(e.citation_b, e.where_b);
    for (const auto& c : e.changes) {
      out += "    - " + c.what + " " + c.how + ": ";
      if (c.how == "added")
        out += c.b;
      else if (c.how == "removed")
        out += c.a;
      else
        out += c.a + "  →  " + c.b;
      out += "\n";
    }
    if (e.example) {
      const auto& s = *e.example;
      out += t("    Skenario pembeda: ", "    Distinguishing scenario: ") + s.query.dump() + "\n";
      out += decision_line(r.key_a, s.a);
      out += decision_line(r.key_b, s.b);
      out +=
          t("      organisasi: ", "      org: ") + std::to_string(s.org["units"].size()) + t(" unit, ", " units, ") +
          std::to_string(s.org["positions"].size()) + t(" jabatan", " positions") +
          (s.trimmed ? t(" (dipangkas)", " (trimmed)") : "") +
          t("; --format json memuat org dan kueri siap uji\n", "; --format json gives the org and query for a test\n");
    } else {
      out += t("    Tidak ditemukan skenario pembeda dalam ", "    No distinguishing scenario found within ") +
             bound_text(r.search, en) + "\n";
    }
  }
  bool header = false;
  for (const auto& e : r.entries) {
    if (e.semantic()) continue;
    if (!header) out += t("\nTetap:\n", "\nUnchanged:\n");
    header = true;
    out += "  " + e.kind + " " + e.name + (e.citation_changed ? t("  (pasal berbeda)", "  (cited differently)") : "") +
           "\n";
    if (!e.citation_a.empty() || !e.citation_b.empty()) {
      out += "    A: " + e.citation_a + "\n";
      out += "    B: " + e.citation_b + "\n";
    }
  }
  return out;
}

}  // namespace perwal::explore
