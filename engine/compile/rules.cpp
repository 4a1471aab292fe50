// Phase resolve: every merged rule, in the order it was first declared, to
// its compiled form. Codes, role expressions and conditions are resolved
// (resolve.cpp); what a rule of each kind must state is checked here.
#include <algorithm>
#include <map>
#include <set>

#include "engine/compile/phases.hpp"

namespace perwal::compile {

namespace {

std::string cite_as_for(const state& s, const rule_slot& slot) {
  return slot.ruleset == s.out->header.id   ? s.out->header.cite_as
         : s.cite_as_of.count(slot.ruleset) ? s.cite_as_of.at(slot.ruleset)
                                            : s.out->header.cite_as;
}

rule_info info_of(const rule_slot& slot, const ast::rule_common& c) {
  rule_info info;
  info.name = c.rule.text;
  info.level = static_cast<strength>(c.level);
  info.citation = slot.citation;
  info.ruleset = slot.ruleset;
  info.message_id = c.message.id;
  info.message_en = c.message.en.empty() ? c.message.id : c.message.en;
  info.hint_id = c.hint.id;
  info.hint_en = c.hint.en.empty() ? c.hint.id : c.hint.en;
  info.overrides = slot.overrides;
  info.where = c.rule.where;
  return info;
}

void build(state& s, const rule_slot& slot, const ast::rule_decl& d) {
  generic_rule r;
  r.info = info_of(slot, d.common);
  static const std::map<std::string, query_kind> kinds = {{"kedudukan", query_kind::kedudukan},
                                                          {"penugasan", query_kind::penugasan},
                                                          {"pelaporan", query_kind::pelaporan},
                                                          {"tim", query_kind::tim},
                                                          {"delegasi", query_kind::delegasi}};
  auto it = kinds.find(d.on.text);
  if (it == kinds.end()) {
    s.diags.error(d.on.where, msg("unknown-query-type", d.on.text),
                  {note(msg("unknown-query-type.list", "kedudukan, penugasan, pelaporan, tim, delegasi"))});
    return;
  }
  r.on = it->second;
  r.when = resolve_cond(s, d.common.when, r.on);
  r.require = resolve_cond(s, d.common.require, r.on);
  if (d.common.level == ast::strength::dilarang && d.common.require) {
    s.diags.error(d.common.rule.where, msg("dilarang-require"));
  }
  if (d.common.level == ast::strength::boleh && d.common.require) {
    s.diags.error(d.common.rule.where, msg("boleh-require"));
  }
  if ((d.common.level == ast::strength::wajib || d.common.level == ast::strength::diutamakan) && !d.common.require) {
    s.diags.error(d.common.rule.where, msg("needs-require", strength_name(r.info.level)));
  }
  if (r.info.message_id.empty()) s.diags.error(d.common.rule.where, msg("no-message", r.info.name));
  s.out->rules.push_back(std::move(r));
}

void build(state& s, const rule_slot& slot, const ast::kedudukan_decl& d) {
  kedudukan_table t;
  t.info = info_of(slot, d.common);
  t.pd_kinds = codes_in(s, category::unit_kind, d.pd_kinds);
  for (const auto& k : d.pd_kinds) {
    auto c = s.out->vocab.find(category::unit_kind, k.text);
    if (c && std::find(s.out->shape.perangkat_daerah_kinds.begin(), s.out->shape.perangkat_daerah_kinds.end(), *c) ==
                 s.out->shape.perangkat_daerah_kinds.end()) {
      s.diags.warning(k.where, msg("kedudukan-unreachable", k.text));
    }
  }
  t.when = resolve_cond(s, d.common.when, query_kind::kedudukan);
  for (const auto& u : d.under) {
    t.under.push_back({codes_in(s, category::position_kind, u.kinds), u.level, u.penilai, u.pimpinan_unit});
  }
  if (d.under.empty()) s.diags.error(d.common.rule.where, msg("no-under"));
  for (const auto& r : d.reviews) {
    review_chain chain;
    chain.kinds = codes_in(s, category::position_kind, r.kinds);
    chain.citation = r.cites.empty() ? t.info.citation : render_citations(s, r.cites, cite_as_for(s, slot));
    t.reviews.push_back(std::move(chain));
  }
  s.out->kedudukan.push_back(std::move(t));
}

void build(state& s, const rule_slot& slot, const ast::report_decl& d) {
  report_rule r;
  r.info = info_of(slot, d.common);
  r.as = codes_in(s, category::report_as, d.as);
  for (const auto& u : d.to) {
    auto paths = resolve_union(s, u, query_kind::pelaporan);
    r.to.insert(r.to.end(), paths.begin(), paths.end());
  }
  if (d.to.empty()) s.diags.error(d.common.rule.where, msg("report-no-to"));
  for (const auto& u : d.also_to) r.also_to.push_back(resolve_union(s, u, query_kind::pelaporan));
  r.also_info = r.info;
  r.also_info.name += ".penerima_lain";
  r.when = resolve_cond(s, d.common.when, query_kind::pelaporan);
  r.require = resolve_cond(s, d.common.require, query_kind::pelaporan);
  s.out->reports.push_back(std::move(r));
}

void build(state& s, const rule_slot& slot, const ast::workflow_decl& d) {
  workflow w;
  w.info = info_of(slot, d.common);
  const std::string cite_as = cite_as_for(s, slot);
  if (!d.mode) {
    s.diags.error(d.common.rule.where, msg("workflow-no-mode"));
  } else if (auto c = code_in(s, category::mode, *d.mode)) {
    w.mode = *c;
  }
  w.scopes = codes_in(s, category::scope, d.scopes);
  if (d.scopes.empty()) s.diags.error(d.common.rule.where, msg("workflow-no-scope"));
  for (std::size_t i = 0; i < w.scopes.size(); ++i) {
    if (std::find(s.out->scope_of.begin(), s.out->scope_of.end(), w.scopes[i]) == s.out->scope_of.end()) {
      s.diags.warning(d.scopes[i].where, msg("workflow-unreachable", w.info.name, d.scopes[i].text));
    }
  }
  w.when = resolve_cond(s, d.common.when, query_kind::penugasan);
  w.issuer = resolve_union(s, d.issuer, query_kind::penugasan);
  w.issuer_citation = d.issuer_cites.empty() ? w.info.citation : render_citations(s, d.issuer_cites, cite_as);
  std::set<std::string> step_names;
  for (const auto& sd : d.steps) {
    workflow_step ws;
    ws.step = sd.step.text;
    if (!step_names.insert(sd.step.text).second) {
      s.diags.error(sd.step.where, msg("duplicate-step", sd.step.text, w.info.name));
    }
    ws.info = w.info;
    ws.info.name = w.info.name + "." + sd.step.text;
    ws.info.overrides.reset();
    ws.info.where = sd.step.where;
    if (!sd.cites.empty()) ws.info.citation = render_citations(s, sd.cites, cite_as);
    ws.info.message_id = sd.message.id;
    ws.info.message_en = sd.message.en.empty() ? sd.message.id : sd.message.en;
    ws.info.hint_id = sd.hint.id;
    ws.info.hint_en = sd.hint.en.empty() ? sd.hint.id : sd.hint.en;
    ws.actions = codes_in(s, category::action, sd.actions);
    ws.by = resolve_union(s, sd.by, query_kind::penugasan);
    ws.from = resolve_union(s, sd.from, query_kind::penugasan);
    ws.to = resolve_union(s, sd.to, query_kind::penugasan);
    for (const auto& cc : sd.cc) ws.cc.push_back(resolve_union(s, cc, query_kind::penugasan));
    ws.cc_citation = sd.cc_cites.empty() ? ws.info.citation : render_citations(s, sd.cc_cites, cite_as);
    ws.contents = codes_in(s, category::content, sd.contents);
    ws.contents_citation =
        sd.contents_cites.empty() ? ws.info.citation : render_citations(s, sd.contents_cites, cite_as);
    // `step.<field>` is typed by the fields these actions declare.
    s.step_actions = ws.actions;
    ws.where = resolve_cond(s, sd.where_cond, query_kind::penugasan);
    std::set<std::string> check_names;
    for (const auto& kd : sd.checks) {
      step_check k;
      k.info = ws.info;
      k.info.name = ws.info.name + "." + kd.common.rule.text;
      k.info.level = static_cast<strength>(kd.common.level);
      k.info.where = kd.common.rule.where;
      if (!kd.common.cites.empty()) k.info.citation = render_citations(s, kd.common.cites, cite_as);
      k.info.message_id = kd.common.message.id;
      k.info.message_en = kd.common.message.en.empty() ? kd.common.message.id : kd.common.message.en;
      k.info.hint_id = kd.common.hint.id;
      k.info.hint_en = kd.common.hint.en.empty() ? kd.common.hint.id : kd.common.hint.en;
      if (!check_names.insert(kd.common.rule.text).second) {
        s.diags.error(kd.common.rule.where, msg("duplicate-step", kd.common.rule.text, ws.info.name));
      }
      if (kd.common.message.empty()) s.diags.error(kd.common.rule.where, msg("no-message", k.info.name));
      if (!kd.common.require || kd.common.level == ast::strength::dilarang || kd.common.level == ast::strength::boleh) {
        s.diags.error(kd.common.rule.where, msg("check-require", k.info.name));
      }
      k.when = resolve_cond(s, kd.common.when, query_kind::penugasan);
      k.require = resolve_cond(s, kd.common.require, query_kind::penugasan);
      ws.checks.push_back(std::move(k));
    }
    s.step_actions.clear();
    ws.optional = sd.optional;
    if (sd.by.empty() && sd.from.empty()) {
      s.diags.error(sd.step.where, msg("step-no-actor", sd.step.text));
    }
    w.steps.push_back(std::move(ws));
  }
  if (d.refusal) {
    refusal_rule r;
    r.by = resolve_union(s, d.refusal->by, query_kind::penugasan);
    r.reason_required = d.refusal->reason_required;
    if (d.refusal->where_cond) {
      // `step.<field>` of the refusal is typed by the fields of the penolakan action.
      if (auto refusal_action = s.out->vocab.find(category::action, "penolakan")) s.step_actions = {*refusal_action};
      r.where = resolve_cond(s, d.refusal->where_cond, query_kind::penugasan);
      s.step_actions.clear();
    }
    r.citation = d.refusal->cites.empty() ? w.info.citation : render_citations(s, d.refusal->cites, cite_as);
    r.message_id = d.refusal->message.id;
    r.message_en = d.refusal->message.en.empty() ? d.refusal->message.id : d.refusal->message.en;
    r.hint_id = d.refusal->hint.id;
    r.hint_en = d.refusal->hint.en.empty() ? d.refusal->hint.id : d.refusal->hint.en;
    w.refusal = std::move(r);
  }
  for (const auto& other : s.out->workflows) {
    if (other.mode == w.mode && !other.when && !w.when) {
      for (auto sc : w.scopes) {
        if (std::find(other.scopes.begin(), other.scopes.end(), sc) != other.scopes.end()) {
          s.diags.error(d.common.rule.where, msg("workflows-overlap", w.info.name, other.info.name,
                                                 s.out->vocab.name(w.mode), s.out->vocab.name(sc)));
        }
      }
    }
  }
  s.out->workflows.push_back(std::move(w));
}

}  // namespace

void resolve(state& s) {
  std::vector<const rule_slot*> ordered;
  for (const auto& [name, slot] : s.slots) ordered.push_back(&slot);
  std::sort(ordered.begin(), ordered.end(), [](const rule_slot* a, const rule_slot* b) { return a->order < b->order; });
  for (const auto* slot : ordered) {
    std::visit([&](const auto& d) { build(s, *slot, d); }, slot->decl);
  }
}

}  // namespace perwal::compile
