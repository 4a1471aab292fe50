// Decisions rendered for other tools (JSON) and for a person (text), in the
// language of the render context, from the message catalogue.
#include "engine/eval/render.hpp"

#include <algorithm>

#include "engine/common/json_writer.hpp"
#include "engine/common/overloaded.hpp"
#include "engine/eval/messages.hpp"

namespace perwal {

namespace {

using org::index;
using org::none;

// A message reads as a sentence even when it starts with a code label.
std::string sentence(std::string text) {
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 'a' + 'A');
  return text;
}

std::string join(const std::vector<std::string>& xs) {
  std::string out;
  for (const auto& x : xs) out += (out.empty() ? "" : ", ") + x;
  return out;
}

class renderer {
 public:
  explicit renderer(const render_context& c) : r_(c.rules), o_(c.org), l_(c.language) {}

  [[nodiscard]] std::string say(std::string_view m,
                                std::initializer_list<std::pair<std::string_view, std::string_view>> args = {}) const {
    return render_named(m, l_, args);
  }

  [[nodiscard]] std::string pos_label(index p) const {
    if (p == none) return say(messages::nobody);
    const auto& pos = o_.positions()[p];
    std::string out(pos.id);
    if (!pos.title.empty()) out += " (" + std::string(pos.title) + ")";
    return out;
  }
  [[nodiscard]] std::string unit_label(index u) const {
    if (u == none) return say(messages::no_unit);
    const auto& un = o_.units()[u];
    std::string out(un.id);
    if (!un.name.empty()) out += " (" + std::string(un.name) + ")";
    return out;
  }
  [[nodiscard]] std::string labels(const std::vector<index>& ps) const {
    std::string out;
    for (auto p : ps) out += (out.empty() ? "" : ", ") + pos_label(p);
    return out.empty() ? pos_label(none) : out;
  }
  [[nodiscard]] std::string code_labels(const std::vector<code>& cs, std::string_view sep) const {
    std::string out;
    for (auto c : cs) out += (out.empty() ? "" : std::string(sep)) + r_.vocab.label(c);
    return out;
  }
  [[nodiscard]] static std::string role_text(const std::vector<cpath>& roles) {
    std::string out;
    for (const auto& p : roles) out += (out.empty() ? "" : " | ") + p.text;
    return out;
  }
  [[nodiscard]] const std::string& rule_message(const rule_info& info) const {
    return l_ == lang::en ? info.message_en : info.message_id;
  }
  [[nodiscard]] const std::string& rule_hint(const rule_info& info) const {
    return l_ == lang::en ? info.hint_en : info.hint_id;
  }
  // "<rule message> — <detail>", or the detail alone.
  [[nodiscard]] std::string after_rule_message(const rule_info& info, std::string detail) const {
    const auto& m = rule_message(info);
    return m.empty() ? detail : m + " — " + detail;
  }
  [[nodiscard]] static const std::vector<cpath>& role_of(const workflow_step& s, found::step_field f) {
    return f == found::step_field::by ? s.by : f == found::step_field::from ? s.from : s.to;
  }

  // ---- findings ------------------------------------------------------------------
  [[nodiscard]] std::string message(const finding& f) const {
    const rule_info& info = *f.rule;
    return sentence(std::visit(
        overloaded{
            [&](const found::rule_text&) { return rule_message(info); },
            [&](const found::misplaced& m) {
              std::string text = rule_message(info);
              if (text.empty()) {
                text = say(messages::misplaced_default,
                           {{"pd_kind", r_.vocab.label(o_.units()[m.pd].kind)}, {"allowed", allowed_text(*m.table)}});
              }
              if (!text.empty() && text.back() == '.') text.pop_back();  // the details follow after "; "
              switch (m.what) {
                case found::misplaced::problem::no_atasan:
                  return text + say(messages::misplaced_no_atasan);
                case found::misplaced::problem::wrong_kind:
                  return text + say(messages::misplaced_wrong_kind,
                                    {{"atasan", pos_label(m.atasan)},
                                     {"atasan_kind", r_.vocab.label(o_.positions()[m.atasan].kind)}});
                case found::misplaced::problem::outside_pd:
                  return text + say(messages::misplaced_outside_pd,
                                    {{"atasan", pos_label(m.atasan)}, {"pd", unit_label(m.pd)}});
              }
              return text;
            },
            [&](const found::scope_uncovered& s) {
              return say(messages::scope_uncovered,
                         {{"scope", contract_scope_names[static_cast<std::size_t>(s.scope)]}});
            },
            [&](const found::no_mechanism& n) {
              return say(messages::no_mechanism, {{"mode", r_.vocab.name(n.mode)}, {"scope", r_.vocab.name(n.scope)}});
            },
            [&](const found::wrong_actor& a) {
              const auto role = role_text(role_of(*a.step, a.field));
              const auto field = found::step_field_name(a.field);
              const auto action = r_.vocab.label(a.action);
              std::string detail;
              if (a.who == none) {
                detail = say(messages::actor_missing, {{"action", action},
                                                       {"at", std::to_string(a.at)},
                                                       {"field", field},
                                                       {"expected", labels(a.expected)},
                                                       {"role", role}});
              } else if (a.expected.empty()) {
                detail = say(messages::actor_role_empty, {{"role", role}});
              } else {
                detail = say(messages::actor_wrong, {{"field", field},
                                                     {"action", action},
                                                     {"who", pos_label(a.who)},
                                                     {"expected", labels(a.expected)},
                                                     {"role", role}});
              }
              return after_rule_message(info, detail);
            },
            [&](const found::copy_missing& m) {
              return say(messages::copy_missing, {{"expected", labels(m.expected)},
                                                  {"role", role_text(m.step->cc[m.role])},
                                                  {"action", r_.vocab.label(m.action)}});
            },
            [&](const found::contents_missing& m) {
              return say(messages::contents_missing,
                         {{"action", r_.vocab.label(m.action)}, {"missing", code_labels(m.missing, "; ")}});
            },
            [&](const found::facts_unstated& u) {
              return after_rule_message(info, say(messages::facts_unstated, {{"facts", join(u.facts)}}));
            },
            [&](const found::contents_unstated& u) {
              return say(messages::contents_unstated,
                         {{"action", r_.vocab.label(u.action)}, {"required", code_labels(u.required, "; ")}});
            },
            [&](const found::check_failed& failed) {
              std::string values;
              for (const auto& [path, v] : failed.values) values += (values.empty() ? "" : "; ") + path + " = " + v;
              return values.empty() ? rule_message(info)
                                    : after_rule_message(info, say(messages::values_found, {{"values", values}}));
            },
            [&](const found::step_condition& s) {
              const auto& own = rule_message(info);
              return own.empty() ? say(messages::step_condition, {{"step", s.step->step}}) : own;
            },
            [&](const found::step_skipped& s) {
              return after_rule_message(info,
                                        say(messages::step_skipped, {{"step", s.step->step},
                                                                     {"action", r_.vocab.name(s.step->actions.front())},
                                                                     {"who", labels(s.who)},
                                                                     {"before", r_.vocab.label(s.before)},
                                                                     {"at", std::to_string(s.before_at)}}));
            },
            [&](const found::wrong_issuer& w) {
              return say(messages::wrong_issuer, {{"issuer", pos_label(w.issuer)},
                                                  {"expected", labels(w.expected)},
                                                  {"role", role_text(w.flow->issuer)}});
            },
            [&](const found::refused& x) {
              return say(messages::refused,
                         {{"by", pos_label(x.by)}, {"reason", x.reason.empty() ? say(messages::no_reason) : x.reason}});
            },
            [&](const found::refused_by_wrong_official& x) {
              return say(messages::refused_by_wrong_official,
                         {{"by", pos_label(x.by)}, {"expected", labels(x.expected)}});
            },
            [&](const found::refused_without_reason& x) {
              const auto& own = l_ == lang::en ? x.refusal->message_en : x.refusal->message_id;
              return x.refusal->message_id.empty() ? say(messages::refused_without_reason) : own;
            },
            [&](const found::report_unregulated& x) {
              return say(messages::report_unregulated, {{"as", r_.vocab.name(x.as)}});
            },
            [&](const found::addressee_missing& x) {
              return after_rule_message(info, say(messages::addressee_missing, {{"expected", labels(x.expected)}}));
            },
            [&](const found::report_misdirected& x) {
              return after_rule_message(
                  info, say(messages::report_misdirected,
                            {{"as", r_.vocab.name(x.as)}, {"targets", labels(x.targets)}, {"to", pos_label(x.to)}}));
            },
        },
        f.detail));
  }

  [[nodiscard]] std::string hint(const finding& f) const {
    const rule_info& info = *f.rule;
    const auto& own = rule_hint(info);
    auto own_or = [&](std::string fallback) { return own.empty() ? fallback : own; };
    return sentence(
        std::visit(overloaded{
                       [&](const found::rule_text&) { return own; },
                       [&](const found::misplaced& m) {
                         if (m.candidate != none) {
                           return say(messages::misplaced_fix_candidate, {{"candidate", pos_label(m.candidate)}}) +
                                  (own.empty() ? "" : ". " + own);
                         }
                         return own_or(say(messages::misplaced_fix_place,
                                           {{"allowed", allowed_text(*m.table)}, {"pd", unit_label(m.pd)}}));
                       },
                       [&](const found::scope_uncovered&) { return say(messages::scope_uncovered_fix); },
                       [&](const found::no_mechanism&) { return say(messages::no_mechanism_fix); },
                       [&](const found::wrong_actor& a) {
                         return own_or(say(messages::actor_fix, {{"expected", labels(a.expected)}}));
                       },
                       [&](const found::copy_missing& m) {
                         return say(messages::copy_missing_fix, {{"expected", labels(m.expected)}});
                       },
                       [&](const found::contents_missing& m) {
                         return say(messages::contents_missing_fix, {{"missing", code_labels(m.missing, "; ")}});
                       },
                       [&](const found::facts_unstated& u) {
                         return say(messages::facts_unstated_fix, {{"facts", join(u.facts)}});
                       },
                       [&](const found::contents_unstated& u) {
                         return say(messages::contents_unstated_fix, {{"required", code_labels(u.required, "; ")}});
                       },
                       [&](const found::check_failed&) { return own; },
                       [&](const found::step_condition&) { return own; },
                       [&](const found::step_skipped& s) {
                         return say(messages::step_skipped_fix, {{"step", s.step->step}});
                       },
                       [&](const found::wrong_issuer& w) {
                         return say(messages::wrong_issuer_fix, {{"expected", labels(w.expected)}});
                       },
                       [&](const found::refused&) { return say(messages::refused_fix); },
                       [&](const found::refused_by_wrong_official& x) {
                         return say(messages::refused_by_wrong_official_fix, {{"expected", labels(x.expected)}});
                       },
                       [&](const found::refused_without_reason&) { return say(messages::refused_without_reason_fix); },
                       [&](const found::report_unregulated&) { return std::string(); },
                       [&](const found::addressee_missing& x) {
                         return say(messages::addressee_missing_fix, {{"expected", labels(x.expected)}});
                       },
                       [&](const found::report_misdirected& x) {
                         return own_or(say(messages::report_misdirected_fix, {{"targets", labels(x.targets)}}));
                       },
                   },
                   f.detail));
  }

  [[nodiscard]] std::string allowed_text(const kedudukan_table& tb) const {
    std::vector<code> allowed;
    for (const auto& e : tb.under) allowed.insert(allowed.end(), e.kinds.begin(), e.kinds.end());
    return code_labels(allowed, say(messages::or_word));
  }

  // ---- trace -----------------------------------------------------------------------
  [[nodiscard]] std::string trace_line(const trace_event& e) const {
    return std::visit(
        overloaded{
            [&](const traced::atasan_chain& a) {
              std::string chain;
              for (auto p : a.chain) chain += (chain.empty() ? "" : " → ") + std::string(o_.positions()[p].id);
              return say(messages::trace_atasan_chain, {{"chain", chain}, {"pd", unit_label(a.pd)}});
            },
            [&](const traced::not_applicable& x) {
              return say(messages::trace_not_applicable, {{"rule", x.rule->name}});
            },
            [&](const traced::permitted& x) {
              return say(messages::trace_permitted, {{"rule", x.rule->name}, {"citation", x.rule->citation}});
            },
            [&](const traced::broken& x) { return rule_line(messages::trace_broken, *x.rule); },
            [&](const traced::held& x) {
              std::string line = rule_line(messages::trace_held, *x.rule);
              const std::string extra = held_detail(x);
              return extra.empty() ? line : line + " — " + extra;
            },
            [&](const traced::override_applied& x) {
              const auto& info = *x.rule;
              const auto& o = *info.overrides;
              return say(
                  messages::trace_override,
                  {{"rule", info.name},
                   {"ruleset", info.ruleset},
                   {"how", say(o.how == override_kind::refines ? messages::trace_refines : messages::trace_replaces)},
                   {"base_ruleset", o.base_ruleset},
                   {"base_citation", o.base_citation}});
            },
            [&](const traced::not_fp_or_pelaksana& x) {
              return say(messages::trace_not_fp, {{"position", o_.positions()[x.position].id}});
            },
            [&](const traced::no_table& x) {
              return say(messages::trace_no_table,
                         {{"kind", x.pd == none ? std::string("-") : r_.vocab.name(o_.units()[x.pd].kind)}});
            },
            [&](const traced::scope_derived& s) {
              const auto i = static_cast<std::size_t>(s.scope);
              return say(messages::trace_scope, {{"scope", contract_scope_names[i]},
                                                 {"regulation_scope", r_.vocab.name(s.regulation_scope)},
                                                 {"citation", r_.scope_citation[i]},
                                                 {"assignee_uo", unit_label(s.assignee_uo)},
                                                 {"owner_uo", unit_label(s.owner_uo)},
                                                 {"shape_citation", r_.shape_citation}});
            },
            [&](const traced::workflow_chosen& w) {
              return say(messages::trace_workflow,
                         {{"workflow", w.flow->info.name}, {"citation", w.flow->info.citation}});
            },
            [&](const traced::step_unnamed& s) {
              return say(messages::trace_step_unnamed,
                         {{"action", r_.vocab.name(s.action)}, {"at", std::to_string(s.at)}});
            },
            [&](const traced::refusal& x) {
              return say(messages::trace_refusal,
                         {{"by", pos_label(x.by)}, {"reason", x.reason.empty() ? say(messages::no_reason) : x.reason}});
            },
            [&](const traced::repealed& x) {
              const auto& n = *x.note;
              return say(messages::trace_repealed, {{"rule", n.rule},
                                                    {"base_citation", n.base_citation},
                                                    {"citation", n.citation},
                                                    {"reason", n.reason.empty() ? std::string() : ": " + n.reason}});
            },
            [&](const traced::review_chain_held& x) {
              return say(messages::trace_review_chain, {{"rule", x.table->info.name}, {"citation", x.chain->citation}});
            },
        },
        e);
  }

  [[nodiscard]] std::string rule_line(std::string_view m, const rule_info& info) const {
    return say(m, {{"rule", info.name}, {"strength", strength_name(info.level)}, {"citation", info.citation}});
  }

  [[nodiscard]] std::string held_detail(const traced::held& x) const {
    return std::visit(overloaded{
                          [&](const std::monostate&) { return std::string(); },
                          [&](const traced::table_match& t) {
                            std::string roles = say(messages::trace_level, {{"level", std::to_string(t.level)}});
                            if (t.penilai) roles += say(messages::trace_penilai);
                            if (t.pimpinan_unit) roles += say(messages::trace_pimpinan);
                            return r_.vocab.label(t.atasan_kind) + " (" + roles + ")";
                          },
                          [&](const traced::step_match& s) {
                            const workflow_step* step = s.step;
                            std::string out;
                            for (const auto& [field, who] : s.resolved) {
                              std::string ids;
                              for (auto p : who) ids += (ids.empty() ? "" : ", ") + std::string(o_.positions()[p].id);
                              out += (out.empty() ? "" : "; ") + std::string(found::step_field_name(field)) + " " +
                                     (step ? role_text(role_of(*step, field)) : std::string()) + " = " +
                                     (ids.empty() ? "-" : ids);
                            }
                            return "steps[" + std::to_string(s.at) + "]: " + out;
                          },
                          [&](const traced::official& o) { return pos_label(o.position); },
                      },
                      x.detail);
  }

 private:
  const compiled_ruleset& r_;
  const org::org_graph& o_;
  lang l_;
};

}  // namespace

std::string_view found::step_field_name(step_field f) {
  switch (f) {
    case step_field::by:
      return "by";
    case step_field::from:
      return "from";
    case step_field::to:
      return "to";
  }
  return "by";
}

std::string_view outcome_name(outcome o) {
  switch (o) {
    case outcome::allowed:
      return "allowed";
    case outcome::denied:
      return "denied";
    case outcome::incomplete:
      return "incomplete";
  }
  return "denied";
}

std::optional<outcome> outcome_from_name(std::string_view name) {
  for (auto o : {outcome::allowed, outcome::denied, outcome::incomplete}) {
    if (outcome_name(o) == name) return o;
  }
  return std::nullopt;
}

std::string_view decision_kind_name(decision_kind k) {
  switch (k) {
    case decision_kind::kedudukan:
      return "kedudukan";
    case decision_kind::penugasan:
      return "penugasan";
    case decision_kind::pelaporan:
      return "pelaporan";
    case decision_kind::tim:
      return "tim";
    case decision_kind::audit:
      return "audit";
  }
  return "audit";
}

std::string message_of(const finding& f, const render_context& c) {
  return renderer(c).message(f);
}
std::string hint_of(const finding& f, const render_context& c) {
  return renderer(c).hint(f);
}

std::vector<std::string> trace_lines(const decision& d, const render_context& c) {
  const renderer r(c);
  std::vector<std::string> out;
  out.reserve(d.trace.size());
  for (const auto& e : d.trace) out.push_back(r.trace_line(e));
  return out;
}

std::string node_id(const node_ref& n, const decision& d, const org::org_graph& org) {
  switch (n.what) {
    case node_ref::kind::position:
      return std::string(org.positions()[n.item].id);
    case node_ref::kind::unit:
      return std::string(org.units()[n.item].id);
    case node_ref::kind::team:
      return std::string(org.teams()[n.item].id);
    case node_ref::kind::delegation:
      return org.delegations()[n.item].json_path;
    case node_ref::kind::inline_team:
      return d.inline_team;
  }
  return {};
}

std::vector<std::string> path_ids(const finding& f, const decision& d, const org::org_graph& org) {
  std::vector<std::string> out;
  out.reserve(f.path.size());
  for (const auto& n : f.path) out.push_back(node_id(n, d, org));
  return out;
}

std::string next_action_name(const next_step& n, const compiled_ruleset& rules) {
  return rules.vocab.name(n.step->actions.front());
}

std::vector<std::string> evidence_of(const finding& f, const compiled_ruleset& rules) {
  if (const auto* u = std::get_if<found::facts_unstated>(&f.detail)) return u->facts;
  std::vector<std::string> out;
  if (const auto* u = std::get_if<found::contents_unstated>(&f.detail)) {
    for (auto c : u->required) out.push_back("contents:" + rules.vocab.name(c));
  }
  return out;
}

// What an audit found, counted: findings (violations and warnings), the
// distinct positions, teams or delegations they are about, items to complete.
struct audit_counts {
  std::size_t findings = 0, subjects = 0, needs = 0, checked = 0;
};

audit_counts count_audit(const decision& d) {
  audit_counts n;
  n.findings = d.violations.size() + d.warnings.size();
  n.needs = d.needs.size();
  n.checked = d.checked.value_or(0);
  std::vector<node_ref> seen;
  for (const auto* fs : {&d.violations, &d.warnings}) {
    for (const auto& f : *fs) {
      if (!f.path.empty() && std::find(seen.begin(), seen.end(), f.path.front()) == seen.end())
        seen.push_back(f.path.front());
    }
  }
  n.subjects = seen.size();
  return n;
}

std::string audit_headline(const decision& d, lang l) {
  const auto n = count_audit(d);
  // English plurals ("1 finding in 1 position"); the Indonesian text has none.
  const auto s = [](std::size_t count) { return std::string(count == 1 ? "" : "s"); };
  std::string out = render_named("report.headline", l,
                                 {{"n", std::to_string(n.findings)},
                                  {"ns", s(n.findings)},
                                  {"m", std::to_string(n.subjects)},
                                  {"ms", s(n.subjects)},
                                  {"k", std::to_string(n.checked)}});
  if (n.needs > 0)
    out += render_named("report.headline-needs", l,
                        {{"x", std::to_string(n.needs)}, {"xs", s(n.needs)}, {"xv", n.needs == 1 ? "s" : ""}});
  return out;
}

void write_json(const decision& d, const render_context& c, std::string& out, std::string_view decision_id) {
  const renderer r(c);
  json_out::writer w(out);
  const auto strings = [&](const auto& xs) {
    w.begin_array();
    for (const auto& x : xs) w.value(std::string_view(x));
    w.end_array();
  };
  const auto position_ids = [&](const std::vector<index>& ps) {
    w.begin_array();
    for (auto p : ps) w.value(c.org.positions()[p].id);
    w.end_array();
  };
  // Keys in byte order throughout, as a parsed document prints them.
  const auto finding_list = [&](std::string_view name, const std::vector<finding>& fs, bool with_evidence) {
    w.key(name).begin_array();
    for (const auto& f : fs) {
      w.begin_object().key("citation").value(f.rule->citation);
      if (with_evidence) {
        w.key("evidence");
        strings(evidence_of(f, c.rules));
      }
      w.key("hint").value(r.hint(f)).key("message").value(r.message(f)).key("path").begin_array();
      for (const auto& n : f.path) w.value(node_id(n, d, c.org));
      w.end_array();
      if (c.quote) w.key("quote").value(quote_of(c.rules, *f.rule));
      w.key("rule").value(f.rule->name).key("strength").value(strength_name(f.rule->level)).end_object();
    }
    w.end_array();
  };
  w.begin_object();
  if (d.checked) w.key("checked").value(std::uint64_t{*d.checked});
  w.key("decision").value(outcome_name(d.result));
  if (!decision_id.empty()) w.key("decision_id").value(decision_id);
  // Checks the data could not decide, with the evidence each needs.
  finding_list("needs", d.needs, true);
  if (d.kind != decision_kind::audit) {
    w.key("next").begin_array();
    for (const auto& n : d.next) {
      const auto& s = *n.step;
      w.begin_object().key("action").value(next_action_name(n, c.rules)).key("by");
      if (n.by.size() == 1) {
        w.value(c.org.positions()[n.by.front()].id);
      } else {
        position_ids(n.by);
      }
      // What the missing step needs (candidates per role), only where the step names it.
      if (!n.cc.empty()) {
        w.key("cc").begin_array();
        for (const auto& one : n.cc) position_ids(one);
        w.end_array();
      }
      w.key("citation").value(s.info.citation);
      if (!s.contents.empty()) {
        w.key("contents").begin_array();
        for (auto code_id : s.contents) w.value(c.rules.vocab.name(code_id));
        w.end_array();
      }
      if (!n.from.empty()) {
        w.key("from");
        position_ids(n.from);
      }
      if (c.quote) w.key("quote").value(quote_of(c.rules, s.info));
      w.key("rule").value(s.info.name).key("step").value(s.step);
      if (!n.to.empty()) {
        w.key("to");
        position_ids(n.to);
      }
      w.end_object();
    }
    w.end_array();
  }
  if (d.regulation_scope != no_code) w.key("regulation_scope").value(c.rules.vocab.name(d.regulation_scope));
  w.key("ruleset").value(c.rules.header.id);
  if (d.scope) w.key("scope").value(contract_scope_names[static_cast<std::size_t>(*d.scope)]);
  if (d.kind == decision_kind::audit) {
    const auto n = count_audit(d);
    w.key("summary")
        .begin_object()
        .key("checked")
        .value(std::uint64_t{n.checked})
        .key("findings")
        .value(std::uint64_t{n.findings})
        .key("items_with_findings")
        .value(std::uint64_t{n.subjects})
        .key("needs")
        .value(std::uint64_t{n.needs})
        .key("text")
        .value(audit_headline(d, c.language))
        .key("violations")
        .value(std::uint64_t{d.violations.size()})
        .key("warnings")
        .value(std::uint64_t{d.warnings.size()})
        .end_object();
  } else {
    w.key("trace").begin_array();
    for (const auto& e : d.trace) w.value(r.trace_line(e));
    w.end_array();
  }
  finding_list("violations", d.violations, false);
  finding_list("warnings", d.warnings, false);
  if (d.flow) w.key("workflow").value(d.flow->info.name);
  w.end_object();
}

nlohmann::json to_json(const decision& d, const render_context& c) {
  std::string text;
  write_json(d, c, text);
  return nlohmann::json::parse(text);
}

std::string to_text(const decision& d, const render_context& c, bool explain) {
  const renderer r(c);
  auto say = [&](std::string_view m) { return render_named(m, c.language); };
  const std::string_view word = d.result == outcome::allowed  ? messages::text_allowed
                                : d.result == outcome::denied ? messages::text_denied
                                                              : messages::text_incomplete;
  // An audit says what it found first; the decision word follows.
  std::string out =
      d.kind == decision_kind::audit ? say(messages::text_audit) + audit_headline(d, c.language) + "\n" : std::string();
  out += say(messages::text_decision) + say(word) + "  (" + c.rules.header.id + ")\n";
  if (d.checked) out += say(messages::text_checked) + std::to_string(*d.checked) + "\n";
  if (d.scope) {
    out += say(messages::text_scope) + std::string(contract_scope_names[static_cast<std::size_t>(*d.scope)]);
    if (d.regulation_scope != no_code) out += " → " + c.rules.vocab.name(d.regulation_scope);
    out += "\n";
  }
  if (d.flow) out += say(messages::text_workflow) + d.flow->info.name + "\n";
  // The article's words under it, one line per cite, when asked to explain.
  const bool quoting = explain || c.quote;
  auto quoted = [&](const std::string& citation, const std::string& indent) {
    std::string lines;
    const auto q = quote_of(c.rules, citation);
    std::size_t at = 0;
    while (quoting && at < q.size()) {
      auto end = q.find('\n', at);
      if (end == std::string::npos) end = q.size();
      lines += indent + "«" + q.substr(at, end - at) + "»\n";
      at = end + 1;
    }
    return lines;
  };
  auto list = [&](const std::vector<finding>& fs, std::string_view title) {
    if (fs.empty()) return;
    out += "\n" + say(title) + " (" + std::to_string(fs.size()) + "):\n";
    std::size_t i = 0;
    for (const auto& f : fs) {
      out +=
          "  " + std::to_string(++i) + ". [" + std::string(strength_name(f.rule->level)) + "] " + f.rule->name + "\n";
      out += "     " + r.message(f) + "\n";
      out += "     " + say(messages::text_article) + f.rule->citation + "\n";
      out += quoted(f.rule->citation, "       ");
      if (!f.path.empty()) {
        out += "     " + say(messages::text_org_path);
        const auto ids = path_ids(f, d, c.org);
        for (std::size_t k = 0; k < ids.size(); ++k) out += (k ? " → " : "") + ids[k];
        out += "\n";
      }
      if (auto h = r.hint(f); !h.empty()) out += "     " + say(messages::text_fix) + h + "\n";
    }
  };
  if (d.checked && d.violations.size() + d.warnings.size() > 0) {
    // An audit can list many findings: first how many of each rule, with its article.
    std::vector<std::pair<const rule_info*, std::size_t>> counts;
    for (const auto* fs : {&d.violations, &d.warnings}) {
      for (const auto& f : *fs) {
        auto it =
            std::find_if(counts.begin(), counts.end(), [&](const auto& x) { return x.first->name == f.rule->name; });
        if (it == counts.end())
          counts.emplace_back(f.rule, 1);
        else
          ++it->second;
      }
    }
    out += "\n" + say(messages::text_summary) + "\n";
    for (const auto& [rule, n] : counts)
      out += "  " + std::to_string(n) + " × " + rule->name + " — " + rule->citation + "\n";
  }
  list(d.violations, messages::text_violations);
  list(d.warnings, messages::text_warnings);
  list(d.needs, messages::text_needs);
  if (!d.next.empty()) {
    out += "\n" + say(messages::text_next) + "\n";
    for (const auto& n : d.next) {
      out += "  - " + next_action_name(n, c.rules) + " (" + n.step->step + ")" + say(messages::text_by);
      for (std::size_t k = 0; k < n.by.size(); ++k) out += (k ? ", " : "") + std::string(c.org.positions()[n.by[k]].id);
      if (n.by.empty()) out += say(messages::text_nobody_in_org);
      out += " — " + n.step->info.citation + "\n";
      out += quoted(n.step->info.citation, "      ");
    }
  }
  if (explain && !d.trace.empty()) {
    out += "\n" + say(messages::text_explanation) + "\n";
    for (const auto& e : d.trace) out += "  " + r.trace_line(e) + "\n";
  }
  return out;
}

}  // namespace perwal
