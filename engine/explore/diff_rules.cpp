// The rule-by-rule comparison of `perwal diff`: each rule, table, report,
// workflow and define as comparable fields, and the entries for what differs
// (structure and scopes first). Separate from the search for scenarios.
#include <algorithm>
#include <map>
#include <set>

#include "engine/explore/diff_internal.hpp"

namespace perwal::explore::diff_detail {

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
}  // namespace

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

}  // namespace perwal::explore::diff_detail
