// From a query to a scenario a reader can run: penugasan steps completed per
// ruleset, the org trimmed to what the query touches, the delegation
// variants, loading and the decision's signature.
#include <algorithm>
#include <map>
#include <set>

#include "engine/eval/render.hpp"
#include "engine/explore/universe.hpp"

namespace perwal::explore {

namespace {

using json = nlohmann::json;

}  // namespace

json complete_steps(const evaluator& ev, json query, std::size_t max_steps) {
  query["steps"] = json::array();
  for (std::size_t i = 0; i < max_steps; ++i) {
    diagnostics errors;
    const auto d = ev.check(query, errors);
    if (!d || d->result != outcome::incomplete || d->next.empty()) break;
    const auto& n = d->next.front();
    if (n.by.empty()) break;  // nobody in the org can take it
    const auto id_of = [&](org::index p) { return std::string(ev.org().positions()[p].id); };
    json step = {{"action", next_action_name(n, ev.rules())}, {"by", id_of(n.by.front())}};
    if (!n.from.empty()) step["from"] = id_of(n.from.front());
    if (!n.to.empty()) step["to"] = id_of(n.to.front());
    if (!n.cc.empty()) {
      step["cc"] = json::array();
      for (const auto& role : n.cc) {
        if (!role.empty()) step["cc"].push_back(id_of(role.front()));
      }
    }
    if (!n.step->contents.empty()) {
      step["contents"] = json::array();
      for (auto c : n.step->contents) step["contents"].push_back(ev.rules().vocab.name(c));
    }
    query["steps"].push_back(std::move(step));
  }
  return query;
}

namespace {

void collect_strings(const json& j, std::set<std::string>& out) {
  if (j.is_string()) {
    out.insert(j.get<std::string>());
  } else if (j.is_array() || j.is_object()) {
    for (const auto& x : j) collect_strings(x, out);
  }
}

}  // namespace

perwal::org::spec trim_org(const perwal::org::spec& org, const json& query) {
  std::map<std::string, const perwal::org::unit_spec*> units;
  std::map<std::string, const perwal::org::position_spec*> positions;
  for (const auto& u : org.units) units[u.id] = &u;
  for (const auto& p : org.positions) positions[p.id] = &p;
  std::set<std::string> named;
  collect_strings(query, named);
  std::set<std::string> keep_units, keep_positions;
  std::vector<std::string> todo_units, todo_positions;
  auto want_unit = [&](const std::string& id) {
    if (units.count(id) && keep_units.insert(id).second) todo_units.push_back(id);
  };
  auto want_position = [&](const std::string& id) {
    if (positions.count(id) && keep_positions.insert(id).second) todo_positions.push_back(id);
  };
  for (const auto& s : named) {
    want_unit(s);
    want_position(s);
  }
  std::vector<const perwal::org::team_spec*> teams;
  for (const auto& t : org.teams) {
    if (named.count(t.id)) {
      teams.push_back(&t);
      std::set<std::string> in_team;  // every string of the team, its free-form fields too
      collect_strings(perwal::org::to_json(t), in_team);
      for (const auto& s : in_team) {
        want_unit(s);
        want_position(s);
      }
    }
  }
  for (const auto& i : org.instansi) {
    if (i.pejabat_berwenang) want_position(*i.pejabat_berwenang);
  }
  while (!todo_units.empty() || !todo_positions.empty()) {
    while (!todo_positions.empty()) {
      const auto id = todo_positions.back();
      todo_positions.pop_back();
      const auto& p = *positions[id];
      want_unit(p.unit);
      if (p.atasan) want_position(*p.atasan);
    }
    while (!todo_units.empty()) {
      const auto id = todo_units.back();
      todo_units.pop_back();
      const auto& u = *units[id];
      if (u.parent) want_unit(*u.parent);
      if (u.head) want_position(*u.head);
    }
  }
  perwal::org::spec out;
  for (const auto& i : org.instansi) {
    const bool used = std::any_of(org.units.begin(), org.units.end(), [&](const perwal::org::unit_spec& u) {
      return keep_units.count(u.id) && u.instansi.value_or("") == i.id;
    });
    if (used) out.instansi.push_back(i);
  }
  for (const auto& u : org.units) {
    if (keep_units.count(u.id)) out.units.push_back(u);
  }
  for (const auto& p : org.positions) {
    if (keep_positions.count(p.id)) out.positions.push_back(p);
  }
  for (const auto& d : org.delegations) {
    if (keep_positions.count(d.to) && keep_positions.count(d.from)) out.delegations.push_back(d);
  }
  for (const auto* t : teams) out.teams.push_back(*t);
  return out;
}

json trimmed_json(const perwal::org::spec& org) {
  json doc = perwal::org::to_json(org);
  if (org.employees.empty()) doc.erase("employees");
  return doc;
}

std::vector<perwal::org::spec> delegation_orgs(const universe_org& org) {
  std::vector<perwal::org::spec> out;
  if (org.spec.delegations.empty()) return out;
  const auto& first = org.spec.delegations[0];
  const auto head = first.from, delegate = first.to;
  std::string pelaksana, stranger;
  for (const auto& m : org.positions) {
    if (m.id == head) {
      for (const auto& o : org.positions) {
        if (o.unit == m.unit && o.staff && o.jenis == "pelaksana" && pelaksana.empty()) pelaksana = o.id;
        if (o.head && o.pd != m.pd && o.instansi == m.instansi && o.unit == o.pd && stranger.empty()) stranger = o.id;
      }
    }
  }
  std::vector<std::pair<std::string, std::string>> pairs = {{head, delegate},
                                                            {pelaksana, delegate},
                                                            {head, pelaksana},
                                                            {stranger, delegate},
                                                            {delegate + "", head.empty() ? "" : delegate}};
  pairs.back() = {delegate, pelaksana};  // between two staff positions
  for (const auto& [from, to] : pairs) {
    if (from.empty() || to.empty() || from == to) continue;
    perwal::org::delegation_spec d = first;
    d.from = from;
    d.to = to;
    perwal::org::spec small = trim_org(org.spec, json{{"delegation", perwal::org::to_json(d)}});
    small.delegations = {d};
    out.push_back(std::move(small));
  }
  return out;
}

std::shared_ptr<const org::org_graph> load(const universe_org& org, const compiled_ruleset& rules) {
  perwal::diagnostics errors;
  return perwal::org::build(org.spec, rules.vocab, rules.shape, errors);
}

signature signature_of(const decision& d) {
  signature s;
  s.outcome = outcome_name(d.result);
  for (const auto& v : d.violations) s.violations.push_back(v.rule->name);
  for (const auto& w : d.warnings) s.warnings.push_back(w.rule->name);
  std::sort(s.violations.begin(), s.violations.end());
  s.violations.erase(std::unique(s.violations.begin(), s.violations.end()), s.violations.end());
  std::sort(s.warnings.begin(), s.warnings.end());
  s.warnings.erase(std::unique(s.warnings.begin(), s.warnings.end()), s.warnings.end());
  return s;
}

}  // namespace perwal::explore
