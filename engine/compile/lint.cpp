#include "engine/compile/lint.hpp"

#include <algorithm>
#include <set>

namespace perwal {

void lint(const compiled_ruleset& rules, diagnostics& diags) {
  source_range top;
  if (!rules.sources.empty()) {
    top.file = rules.sources.front();
    top.begin = {0, 1, 1};
  }
  // A root base with no table at all leaves kedudukan to the regional rulesets.
  const bool leaves_kedudukan = rules.kedudukan.empty() && rules.header.extends.empty();
  for (auto kind : leaves_kedudukan ? std::vector<code>{} : rules.shape.perangkat_daerah_kinds) {
    const bool covered = std::any_of(rules.kedudukan.begin(), rules.kedudukan.end(), [&](const kedudukan_table& t) {
      return std::find(t.pd_kinds.begin(), t.pd_kinds.end(), kind) != t.pd_kinds.end();
    });
    if (!covered) {
      diags.warning(top, msg("kedudukan-uncovered", rules.vocab.name(kind)));
    }
  }
  for (auto mode : {rules.known.penunjukan, rules.known.pengajuan_sukarela}) {
    if (mode == no_code || (rules.workflows.empty() && rules.header.extends.empty())) continue;
    std::set<code> served;
    for (const auto& w : rules.workflows) {
      if (w.mode == mode) served.insert(w.scopes.begin(), w.scopes.end());
    }
    for (std::size_t i = 0; i < 4; ++i) {
      const auto s = rules.scope_of[i];
      if (s == no_code || served.count(s)) continue;
      const bool forbidden = std::any_of(rules.rules.begin(), rules.rules.end(), [&](const generic_rule& r) {
        return r.on == query_kind::penugasan && r.info.level == strength::dilarang;
      });
      if (!forbidden) {
        diags.warning(top, msg("scope-unserved", rules.vocab.name(mode), rules.vocab.name(s)));
      }
    }
  }
  // A base rule kept as it is rests on the base's citation, which names no
  // article of this regulation: say which, so the drafter refines each one.
  if (!rules.header.extends.empty()) {
    std::string kept;
    auto unrefined = [&](const rule_info& info) {
      if (info.ruleset != rules.header.id) kept += (kept.empty() ? "" : ", ") + info.name;
    };
    for (const auto& r : rules.rules) unrefined(r.info);
    for (const auto& r : rules.reports) unrefined(r.info);
    for (const auto& t : rules.kedudukan) unrefined(t.info);
    for (const auto& w : rules.workflows) unrefined(w.info);
    if (!kept.empty()) diags.warning(top, msg("base-rule-unrefined", kept));
  }
  std::set<std::string> exercised;
  for (const auto& ex : rules.examples) {
    exercised.insert(ex.violations.begin(), ex.violations.end());
    exercised.insert(ex.warnings.begin(), ex.warnings.end());
    exercised.insert(ex.needs.begin(), ex.needs.end());
  }
  for (const auto& w : rules.workflows) {
    const bool any = std::any_of(exercised.begin(), exercised.end(),
                                 [&](const std::string& r) { return r.rfind(w.info.name, 0) == 0; });
    if (!any && w.info.ruleset == rules.header.id) {
      diags.warning(w.info.where, msg("workflow-no-example", w.info.name));
    }
  }
}

std::size_t apply_allows(const compiled_ruleset* rules, const lint_options& options, diagnostics& diags) {
  auto codes = options.allow;
  if (rules) {
    for (const auto& a : rules->allows) {
      if (!options.deny.count(a.code)) codes.insert(a.code);
    }
  }
  return diags.suppress(codes);
}

bool warnings_fail(const diagnostics& diags, const lint_options& options) {
  return std::any_of(diags.items().begin(), diags.items().end(), [&](const diagnostic& d) {
    return d.level == severity::warning && (options.strict || options.deny.count(d.code) > 0);
  });
}

}  // namespace perwal
