// Phases check and freeze. check: what can only be judged once every rule is
// resolved (rules whose condition is always false) and the examples of the
// top ruleset. freeze: the content hash over every source; a ruleset with an
// error is dropped, any other is handed out as const.
#include <cstdio>

#include "engine/compile/phases.hpp"

namespace perwal::compile {

namespace {

void warn_unreachable(state& s) {
  for (const auto& r : s.out->rules) {
    if (r.when && r.when->op == expr_op::boolean && !r.when->boolean) {
      s.diags.warning(r.info.where, msg("rule-unreachable", r.info.name));
    }
  }
}

bool is_step_rule(const state& s, const std::string& name) {
  for (const auto& w : s.out->workflows) {
    if (name.rfind(w.info.name + ".", 0) == 0) return true;
  }
  return false;
}

void add_example(state& s, const ast::example_decl& e, const layer& l) {
  example ex;
  ex.title = e.title;
  const std::string org = e.org.empty() ? l.file.head->example_org : e.org;
  if (org.empty()) {
    s.diags.error(e.where, msg("example-no-org", e.title));
  }
  ex.org_path = org.empty() ? std::string() : (l.dir / org).lexically_normal().string();
  ex.query_json = e.query_json;
  ex.where = e.where;
  if (e.query_json.empty()) s.diags.error(e.where, msg("example-no-query", e.title));
  ex.decision = e.decision;
  for (const auto& v : e.violations) {
    ex.violations.push_back(v.text);
    if (s.slots.count(v.text) == 0 && !is_step_rule(s, v.text)) {
      s.diags.error(v.where, msg("example-unknown-violation", v.text));
    }
  }
  for (const auto& v : e.warnings) {
    ex.warnings.push_back(v.text);
    if (s.slots.count(v.text) == 0 && !is_step_rule(s, v.text)) {
      s.diags.error(v.where, msg("example-unknown-warning", v.text));
    }
  }
  for (const auto& v : e.needs) {
    ex.needs.push_back(v.text);
    if (s.slots.count(v.text) == 0 && !is_step_rule(s, v.text)) {
      s.diags.error(v.where, msg("example-unknown-violation", v.text));
    }
  }
  for (const auto& n : e.next) {
    ex.next.push_back(n.text);
    (void)code_in(s, category::action, n);
  }
  if (e.scope) {
    ex.scope = e.scope->text;
    (void)code_in(s, category::scope, *e.scope);
  }
  s.out->examples.push_back(std::move(ex));
}

// `allow CODE because "…"`: only warnings, each with a reason.
void add_allows(state& s, const layer& l) {
  for (const auto& a : l.file.allows) {
    for (const auto& c : a.codes) {
      if (!is_known_code(c.text)) {
        s.diags.error(c.where, msg("allow-unknown-code", c.text));
      } else if (!is_warning_code(c.text)) {
        s.diags.error(c.where, msg("allow-not-warning", c.text));
      } else if (a.reason.find_first_not_of(" \t") == std::string::npos) {
        s.diags.error(c.where, msg("allow-no-reason", c.text));
      } else {
        s.out->allows.push_back({c.text, a.reason, c.where});
      }
    }
  }
}

}  // namespace

void check(state& s, const layer& top) {
  warn_unreachable(s);
  for (const auto& ex : top.file.examples) add_example(s, ex, top);
  add_allows(s, top);
}

std::shared_ptr<const compiled_ruleset> freeze(state& s) {
  // FNV-1a over every source, in load order: stable across runs and machines.
  std::uint64_t h = 1469598103934665603ull;
  auto all = s.sources;
  all.insert(all.end(), s.text_sources.begin(), s.text_sources.end());
  for (const auto& src : all) {
    for (unsigned char c : src->text) {
      h ^= c;
      h *= 1099511628211ull;
    }
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  s.out->content_hash = buf;
  s.out->sources = s.sources;
  if (s.diags.has_errors()) return nullptr;
  derive_engine_rules(*s.out);  // derived_rules.cpp
  plan_evaluation(*s.out);      // plan.cpp
  return s.out;
}

}  // namespace perwal::compile
