#include "engine/testing/examples.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "engine/eval/evaluator.hpp"
#include "engine/eval/render.hpp"

namespace perwal {

namespace {
bool has_rule(const std::vector<finding>& fs, const std::string& rule) {
  return std::any_of(fs.begin(), fs.end(), [&](const finding& f) { return f.rule->name == rule; });
}
}  // namespace

std::vector<example_result> run_examples(const std::shared_ptr<const compiled_ruleset>& rules, lang l) {
  const auto say = [l](message m) { return render_message(m, l); };
  std::vector<example_result> out;
  std::map<std::string, std::shared_ptr<const org::org_graph>> orgs;
  std::map<std::string, std::string> org_errors;
  for (const auto& ex : rules->examples) {
    example_result res;
    res.title = ex.title;
    res.where = ex.where.where();
    if (!orgs.count(ex.org_path) && !org_errors.count(ex.org_path)) {
      std::ifstream in(ex.org_path, std::ios::binary);
      std::ostringstream ss;
      ss << in.rdbuf();
      diagnostics errs;
      auto o = in ? org::org_graph::load(ss.str(), ex.org_path, rules->vocab, rules->shape, errs) : nullptr;
      if (o)
        orgs[ex.org_path] = o;
      else
        org_errors[ex.org_path] =
            in ? (errs.items().empty() ? say(msg("test.invalid-org")) : errs.items().front().path_line(l))
               : say(msg("test.cannot-read", ex.org_path));
    }
    if (org_errors.count(ex.org_path)) {
      res.problems.push_back(say(msg("test.org", ex.org_path, org_errors[ex.org_path])));
      out.push_back(std::move(res));
      continue;
    }
    nlohmann::json q = nlohmann::json::parse(ex.query_json, nullptr, false);
    if (q.is_discarded()) {
      res.problems.push_back(say(msg("test.query-not-json")));
      out.push_back(std::move(res));
      continue;
    }
    evaluator ev(rules, orgs[ex.org_path]);
    diagnostics qerrs;
    auto d = ev.check(q, qerrs);
    if (!d) {
      for (const auto& e : qerrs.items())
        res.problems.push_back(say(msg("test.bad-query", e.at.where(), e.message_text(l))));
      out.push_back(std::move(res));
      continue;
    }
    const std::string got_outcome(outcome_name(d->result));
    if (ex.decision && *ex.decision != got_outcome) {
      res.problems.push_back(say(msg("test.expected-decision", *ex.decision, got_outcome)));
    }
    for (const auto& v : ex.violations) {
      if (!has_rule(d->violations, v)) res.problems.push_back(say(msg("test.expected-violation", v)));
    }
    for (const auto& w : ex.warnings) {
      if (!has_rule(d->warnings, w)) res.problems.push_back(say(msg("test.expected-warning", w)));
    }
    for (const auto& w : ex.needs) {
      if (!has_rule(d->needs, w)) res.problems.push_back(say(msg("test.expected-needs", w)));
    }
    for (const auto& n : ex.next) {
      if (std::none_of(d->next.begin(), d->next.end(),
                       [&](const next_step& a) { return next_action_name(a, *rules) == n; })) {
        res.problems.push_back(say(msg("test.expected-next", n)));
      }
    }
    const std::string scope = d->scope ? std::string(contract_scope_names[static_cast<std::size_t>(*d->scope)]) : "";
    const std::string reg_scope = d->regulation_scope == no_code ? "" : rules->vocab.name(d->regulation_scope);
    if (ex.scope && (!d->scope || (scope != *ex.scope && reg_scope != *ex.scope))) {
      res.problems.push_back(say(msg("test.expected-scope", *ex.scope, d->scope ? scope : say(msg("test.no-scope")))));
    }
    if (!res.problems.empty()) {
      std::string got = say(msg("test.got", got_outcome));
      for (const auto& v : d->violations) got += say(msg("test.got-violation", v.rule->name));
      for (const auto& w : d->warnings) got += say(msg("test.got-warning", w.rule->name));
      for (const auto& w : d->needs) got += say(msg("test.got-needs", w.rule->name));
      res.problems.push_back(got);
    }
    res.passed = res.problems.empty();
    out.push_back(std::move(res));
  }
  return out;
}

}  // namespace perwal
