// The report as data (report.hpp): findings with holders, titles and paths,
// grouped per instansi and Perangkat Daerah.
#include "engine/report/report.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <unordered_map>

#include "engine/common/diagnostic.hpp"
#include "engine/eval/render.hpp"

namespace perwal::report {

namespace {

using org::index;
using org::none;

std::string say(std::string_view id, lang l,
                std::initializer_list<std::pair<std::string_view, std::string_view>> a = {}) {
  return render_named(id, l, a);
}

// The position a finding is about: its path's first node (for a delegation,
// the delegate; for a team, nobody: a team is about its owner unit).
index subject_position(const finding& f, const org::org_graph& org) {
  if (f.path.empty()) return none;
  const auto& n = f.path.front();
  switch (n.what) {
    case node_ref::kind::position:
      return n.item;
    case node_ref::kind::delegation:
      return n.item < org.delegations().size() ? org.delegations()[n.item].to : none;
    default:
      return none;
  }
}

// The unit a finding belongs to, for grouping.
index subject_unit(const finding& f, const org::org_graph& org) {
  if (const index p = subject_position(f, org); p != none) return org.positions()[p].unit;
  if (f.path.empty()) return none;
  const auto& n = f.path.front();
  if (n.what == node_ref::kind::unit) return n.item;
  if (n.what == node_ref::kind::team && n.item < org.teams().size()) return org.teams()[n.item].owner_unit;
  return none;
}

std::string node_title(const node_ref& n, const org::org_graph& org, lang l) {
  switch (n.what) {
    case node_ref::kind::position:
      return n.item < org.positions().size() ? std::string(org.positions()[n.item].title) : std::string();
    case node_ref::kind::unit:
      return n.item < org.units().size() ? std::string(org.units()[n.item].name) : std::string();
    case node_ref::kind::team:
      return n.item < org.teams().size() ? std::string(org.teams()[n.item].name) : std::string();
    case node_ref::kind::delegation:
      return say("report.delegation", l);
    case node_ref::kind::inline_team:
      return say("report.inline-team", l);
  }
  return {};
}

}  // namespace

std::string today() {
  const auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  const std::chrono::year_month_day ymd{now};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return text;
}

audit_report build(const decision& audit, const compiled_ruleset& rules, const org::org_graph& org, lang language,
                   std::string date) {
  audit_report r;
  r.language = language;
  r.ruleset_id = rules.header.id;
  r.regulation = rules.header.title;
  r.cite_as = rules.header.cite_as;
  r.date = std::move(date);
  r.checked = audit.checked.value_or(0);
  r.headline = audit_headline(audit, language);
  for (const auto& in : org.instansis()) r.org_name += (r.org_name.empty() ? "" : "; ") + std::string(in.name);

  // Holders of the positions findings are about: one pass over the employees,
  // keeping only those (a national org has millions).
  std::unordered_map<index, std::vector<holder>> holders;
  for (const auto* fs : {&audit.violations, &audit.warnings, &audit.needs}) {
    for (const auto& f : *fs) {
      if (const index p = subject_position(f, org); p != none) holders.try_emplace(p);
    }
  }
  for (const auto& e : org.employees()) {
    if (const auto it = holders.find(e.position); it != holders.end()) {
      it->second.push_back({std::string(e.nip), std::string(e.name), std::string(org::acting_name(e.as))});
    }
  }

  // The instansi and their Perangkat Daerah, in the org's order, with the
  // positions a kedudukan audit checks (Pejabat Fungsional and pelaksana).
  std::unordered_map<index, std::size_t> inst_at;  // instansi -> r.instansi slot
  std::unordered_map<index, std::size_t> pd_at;    // unit (pd, or the root for "outside") -> slot in its instansi
  const auto slot_of = [&](index unit) -> std::pair<std::size_t, std::size_t> {
    const auto& u = org.units()[unit];
    const index inst = u.instansi;
    auto [it, fresh] = inst_at.try_emplace(inst, r.instansi.size());
    if (fresh) {
      instansi_summary s;
      s.instansi = inst;
      s.name = inst != none ? std::string(org.instansis()[inst].name) : say("report.no-instansi", language);
      r.instansi.push_back(std::move(s));
    }
    auto& is = r.instansi[it->second];
    // Units above every Perangkat Daerah (the pemerintah daerah itself) group under their root.
    const index key = u.perangkat_daerah != none ? u.perangkat_daerah
                      : inst != none             ? org.instansis()[inst].root_unit
                                                 : unit;
    auto [pt, pfresh] = pd_at.try_emplace(key, is.pds.size());
    if (pfresh) {
      pd_summary p;
      p.unit = u.perangkat_daerah;
      p.name = u.perangkat_daerah != none ? std::string(org.units()[u.perangkat_daerah].name)
                                          : say("report.outside-pd", language);
      is.pds.push_back(std::move(p));
    }
    return {it->second, pt->second};
  };
  for (index u = 0; u < org.units().size(); ++u) {
    if (org.units()[u].perangkat_daerah == u) (void)slot_of(u);  // every Perangkat Daerah, even without findings
  }
  for (const auto& p : org.positions()) {
    if (p.unit == none || (p.jenis != rules.known.fungsional && p.jenis != rules.known.pelaksana)) continue;
    const auto [i, k] = slot_of(p.unit);
    ++r.instansi[i].positions;
    ++r.instansi[i].pds[k].positions;
  }

  const render_context rc{rules, org, language};
  const auto add = [&](const finding& f, finding_kind kind) {
    report_finding x;
    x.number = r.findings.size() + 1;
    x.kind = kind;
    x.rule = f.rule;
    x.message = message_of(f, rc);
    x.hint = hint_of(f, rc);
    x.quote = quote_of(rules, *f.rule);
    if (kind == finding_kind::needs) x.evidence = evidence_of(f, rules);
    const auto ids = path_ids(f, audit, org);
    for (std::size_t k = 0; k < f.path.size(); ++k) {
      x.path.push_back({k < ids.size() ? ids[k] : std::string(), node_title(f.path[k], org, language)});
    }
    x.position = subject_position(f, org);
    if (x.position != none) {
      if (const auto h = holders.find(x.position); h != holders.end()) x.holders = h->second;
    }
    if (const index u = subject_unit(f, org); u != none) {
      x.pd = org.units()[u].perangkat_daerah;
      x.instansi = org.units()[u].instansi;
      const auto [i, k] = slot_of(u);
      auto& is = r.instansi[i];
      auto& pd = is.pds[k];
      pd.findings.push_back(x.number);
      if (kind == finding_kind::violation) ++is.violations, ++pd.violations;
      if (kind == finding_kind::warning) ++is.warnings, ++pd.warnings;
      if (kind == finding_kind::needs) ++is.needs, ++pd.needs;
      if (kind != finding_kind::needs) ++pd.by_article[f.rule->citation];
    }
    r.findings.push_back(std::move(x));
  };
  for (const auto& f : audit.violations) add(f, finding_kind::violation);
  for (const auto& f : audit.warnings) add(f, finding_kind::warning);
  for (const auto& f : audit.needs) add(f, finding_kind::needs);
  r.violations = audit.violations.size();
  r.warnings = audit.warnings.size();
  r.needs = audit.needs.size();

  std::map<std::string, std::size_t> articles;
  for (const auto* fs : {&audit.violations, &audit.warnings}) {
    for (const auto& f : *fs) ++articles[f.rule->citation];
  }
  r.by_article.assign(articles.begin(), articles.end());
  std::stable_sort(r.by_article.begin(), r.by_article.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return r;
}

}  // namespace perwal::report
