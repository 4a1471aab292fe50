// Differential test (issue 12 item 6): the optimized evaluator (engine/eval
// over an org_graph) against the naive reference (tests/reference) on random
// orgs and queries across the five bundled rulesets and the fictional test
// regulation (tests/fictional: counting, quantifiers, dates, tags, named step
// checks, a refusal's conditions, several addressees, a delegation's scope and
// period). Compared: outcome,
// violated rule ids, missing steps, and the rule ids of the warnings. A
// disagreement is shrunk (teams, delegations, positions and units dropped
// while it persists) and printed as org and query JSON with both results.
// The test fails on a disagreement, on a refused query, when the reference
// covers less than min_covered of the cases, or when a query type reaches
// only one outcome.
//
// PERWAL_DIFF_CASES sets the number of queries (default below, for CI);
// PERWAL_DIFF_SEED the seed. scripts/differential.sh runs the long run.
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <random>
#include <set>

#include "engine/eval/evaluator.hpp"
#include "engine/explore/universe.hpp"
#include "test_support.hpp"
#include "tests/reference/reference.hpp"

namespace {

using nlohmann::json;
using perwal::compiled_ruleset;
using perwal::org::spec;
using perwal::reference::reference_result;
using perwal::testing::error_text;
using perwal::testing::source_dir;

constexpr std::size_t default_cases = 20000;
constexpr std::size_t queries_per_org = 25;
// The reference must cover at least this fraction of the generated cases.
constexpr double min_covered = 0.99;

std::size_t env_number(const char* name, std::size_t fallback) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return fallback;
  return static_cast<std::size_t>(std::strtoull(v, nullptr, 10));
}

template <class T>
const T& pick(const std::vector<T>& xs, std::mt19937_64& rng) {
  return xs[std::uniform_int_distribution<std::size_t>(0, xs.size() - 1)(rng)];
}
bool chance(std::mt19937_64& rng, double p) {
  return std::bernoulli_distribution(p)(rng);
}

std::vector<std::string> names(const compiled_ruleset& r, perwal::category cat) {
  std::vector<std::string> out;
  for (auto c : r.vocab.codes(cat)) out.push_back(r.vocab.name(c));
  return out;
}

spec without_position(spec s, const std::string& id);

// Whether `candidate` sits below `p` on the atasan chain (or is p).
bool below(const spec& s, const std::string& candidate, const std::string& p) {
  std::optional<std::string> cur = candidate;
  for (std::size_t guard = 0; cur && guard <= s.positions.size(); ++guard) {
    if (*cur == p) return true;
    std::optional<std::string> next;
    for (const auto& x : s.positions) {
      if (x.id == *cur) next = x.atasan;
    }
    cur = next;
  }
  return false;
}

// Whether unit `candidate` is `u` or inside it.
bool unit_below(const spec& s, const std::string& candidate, const std::string& u) {
  std::optional<std::string> cur = candidate;
  for (std::size_t guard = 0; cur && guard <= s.units.size(); ++guard) {
    if (*cur == u) return true;
    std::optional<std::string> next;
    for (const auto& x : s.units) {
      if (x.id == *cur) next = x.parent;
    }
    cur = next;
  }
  return false;
}

// A random variant of a universe org: extra positions, moved atasan, kinds
// and jenis changed, positions moved between units; unit heads, kinds and
// parents changed.
spec mutate(spec s, const compiled_ruleset& r, std::mt19937_64& rng, std::size_t extra, double keep) {
  // Smaller orgs: positions dropped at random (with every reference to them).
  std::vector<std::string> dropped;
  for (const auto& p : s.positions) {
    if (!chance(rng, keep)) dropped.push_back(p.id);
  }
  for (const auto& id : dropped) s = without_position(std::move(s), id);
  if (s.positions.empty()) return s;
  const auto kinds = names(r, perwal::category::position_kind);
  const auto jenis = names(r, perwal::category::jenis);
  const auto jenjang = names(r, perwal::category::jenjang);
  const auto fix_jenjang = [&](perwal::org::position_spec& p) {
    const auto f = r.known.fungsional == perwal::no_code ? std::string{} : r.vocab.name(r.known.fungsional);
    if (p.jenis != f) {
      p.jenjang.reset();
    } else if (!p.jenjang && !jenjang.empty()) {
      p.jenjang = pick(jenjang, rng);
    }
  };
  for (std::size_t i = 0; i < extra && !s.positions.empty(); ++i) {
    perwal::org::position_spec p;
    p.id = "x" + std::to_string(i);
    p.title = "random " + p.id;
    p.kind = pick(kinds, rng);
    p.jenis = pick(jenis, rng);
    p.unit = pick(s.units, rng).id;
    if (chance(rng, 0.9)) p.atasan = pick(s.positions, rng).id;
    fix_jenjang(p);
    s.positions.push_back(std::move(p));
  }
  const std::size_t changes = 1 + s.positions.size() / 4;
  for (std::size_t i = 0; i < changes; ++i) {
    auto& p = s.positions[std::uniform_int_distribution<std::size_t>(0, s.positions.size() - 1)(rng)];
    switch (std::uniform_int_distribution<int>(0, 3)(rng)) {
      case 0: {
        const auto& a = pick(s.positions, rng).id;
        if (!below(s, a, p.id)) p.atasan = a;
        break;
      }
      case 1:
        p.kind = pick(kinds, rng);
        break;
      case 2:
        p.jenis = pick(jenis, rng);
        fix_jenjang(p);
        break;
      default:
        p.unit = pick(s.units, rng).id;
    }
  }
  // Units: a new head, kind or parent for a few (roots, the pemerintah
  // daerah units, keep theirs; a parent never makes a cycle).
  const auto unit_kinds = names(r, perwal::category::unit_kind);
  const auto root_kind =
      r.known.pemerintah_daerah == perwal::no_code ? std::string{} : r.vocab.name(r.known.pemerintah_daerah);
  for (std::size_t i = 0; i < 1 + s.units.size() / 8; ++i) {
    auto& u = s.units[std::uniform_int_distribution<std::size_t>(0, s.units.size() - 1)(rng)];
    if (!u.parent) continue;
    switch (std::uniform_int_distribution<int>(0, 2)(rng)) {
      case 0:
        u.head = pick(s.positions, rng).id;
        break;
      case 1: {
        const auto& k = pick(unit_kinds, rng);
        if (k != root_kind) u.kind = k;
        break;
      }
      default: {
        const auto& to = pick(s.units, rng).id;
        if (!unit_below(s, to, u.id)) u.parent = to;
      }
    }
  }
  // A unit's head sits in that unit (the loader refuses an org where it
  // does not): a head moved away, or newly picked, moves into its unit; a
  // position already moved to head another unit leaves this one headless.
  std::set<std::string> moved;
  for (auto& u : s.units) {
    if (!u.head) continue;
    const auto p = std::find_if(s.positions.begin(), s.positions.end(), [&](const auto& x) { return x.id == *u.head; });
    if (p == s.positions.end() || p->unit == u.id) continue;
    if (moved.insert(p->id).second) {
      p->unit = u.id;
    } else {
      u.head.reset();
    }
  }
  for (auto& u : s.units) {  // a head that moved on to lead another unit
    if (!u.head) continue;
    const auto p = std::find_if(s.positions.begin(), s.positions.end(), [&](const auto& x) { return x.id == *u.head; });
    if (p != s.positions.end() && p->unit != u.id) u.head.reset();
  }
  return s;
}

// A random value of a declared field's type, or null for "stated as none".
json random_field(const perwal::field_type& t, const spec& s, std::mt19937_64& rng) {
  if (chance(rng, 0.1)) return nullptr;
  switch (t.k) {
    case perwal::field_type::kind::date: {
      // Within about 17 months of one day, so caps in months (12) fall on both
      // sides, and month ends and leap days come up.
      using namespace std::chrono;
      const year_month_day ymd{sys_days{2025y / January / 1} + days{std::uniform_int_distribution<int>(0, 520)(rng)}};
      char text[16];
      std::snprintf(text, sizeof text, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()));
      return std::string(text);
    }
    case perwal::field_type::kind::boolean:
      return chance(rng, 0.5);
    case perwal::field_type::kind::number:
      return std::uniform_int_distribution<int>(0, 24)(rng);
    case perwal::field_type::kind::position:
      return pick(s.positions, rng).id;
    case perwal::field_type::kind::positions: {
      json out = json::array();
      for (int k = std::uniform_int_distribution<int>(0, 3)(rng); k > 0; --k) out.push_back(pick(s.positions, rng).id);
      return out;
    }
    default:
      return nullptr;
  }
}

// Some declared fields of each step given a random value, some left unstated.
void random_step_fields(json& steps, const spec& s, const compiled_ruleset& r, std::mt19937_64& rng) {
  for (auto& step : steps) {
    const auto action = r.vocab.find(perwal::category::action, step.value("action", std::string{}));
    if (!action || !r.schema.step.count(*action)) continue;
    for (const auto& [name, type] : r.schema.step.at(*action)) {
      if (name == "by" || name == "from" || name == "to" || name == "cc" || name == "contents") continue;
      if (chance(rng, type.k == perwal::field_type::kind::date ? 0.8 : 0.5)) step[name] = random_field(type, s, rng);
    }
    // A period of about a year, where "at most 12 months" turns on the day of the month.
    if (step.contains("mulai") && step["mulai"].is_string() && step.contains("selesai") && chance(rng, 0.5)) {
      using namespace std::chrono;
      const auto text = step["mulai"].get<std::string>();
      const year_month_day from{year{std::stoi(text.substr(0, 4))}, month{unsigned(std::stoi(text.substr(5, 2)))},
                                day{unsigned(std::stoi(text.substr(8, 2)))}};
      const auto span = months{std::uniform_int_distribution<int>(12, 13)(rng)};
      const year_month_day to{sys_days{from + span} + days{std::uniform_int_distribution<int>(-3, 3)(rng)}};
      char out[16];
      std::snprintf(out, sizeof out, "%04d-%02u-%02u", int(to.year()), unsigned(to.month()), unsigned(to.day()));
      step["selesai"] = std::string(out);
    }
  }
}

// A penugasan: steps completed by following `next`, then perhaps broken
// (truncated, a step dropped, an actor, copy or contents changed, a refusal).
json random_penugasan(const spec& s, const compiled_ruleset& r, const perwal::evaluator& ev, std::mt19937_64& rng) {
  const auto& assignee = pick(s.positions, rng);
  std::string owner = pick(s.units, rng).id;
  if (chance(rng, 0.4)) owner = assignee.unit;
  json q = {{"type", "penugasan"},
            {"assignee", assignee.id},
            {"owner_unit", owner},
            {"mode", pick(names(r, perwal::category::mode), rng)}};
  if (chance(rng, 0.2)) q["assigned_by"] = pick(s.positions, rng).id;
  if (!r.vocab.codes(perwal::category::team_role).empty() &&
      chance(rng, 0.3)) {  // a team role: with the org's team, an inline copy of it, or alone
    json team = {{"role", pick(names(r, perwal::category::team_role), rng)}};
    if (!s.teams.empty() && chance(rng, 0.8)) {
      const auto& t = pick(s.teams, rng);
      if (chance(rng, 0.5)) {
        team["id"] = t.id;
      } else {
        team.update(perwal::org::to_json(t));
      }
    }
    q["team"] = team;
  }
  if (chance(rng, 0.8)) q = perwal::explore::complete_steps(ev, q, 12);
  if (!q.contains("steps") || !q["steps"].is_array() || q["steps"].empty()) return q;
  auto& steps = q["steps"];
  const auto at = [&] { return std::uniform_int_distribution<std::size_t>(0, steps.size() - 1)(rng); };
  switch (std::uniform_int_distribution<int>(0, 6)(rng)) {
    case 0:
      steps.erase(steps.begin() + static_cast<std::ptrdiff_t>(at()), steps.end());
      break;
    case 1:
      steps.erase(at());
      break;
    case 2:
      steps[at()][chance(rng, 0.5) ? "by" : "to"] = pick(s.positions, rng).id;
      break;
    case 3:
      steps[at()]["cc"] = json::array();
      break;
    case 4:
      steps[at()]["contents"] = json::array();
      break;
    case 5: {
      if (r.known.penolakan == perwal::no_code) break;
      json refusal = {{"action", r.vocab.name(r.known.penolakan)}, {"by", pick(s.positions, rng).id}};
      if (chance(rng, 0.5)) refusal["reason"] = "beban kerja";
      steps.insert(steps.begin() + static_cast<std::ptrdiff_t>(at()), refusal);
      break;
    }
    default:
      break;  // as completed
  }
  if (chance(rng, 0.6)) random_step_fields(steps, s, r, rng);
  return q;
}

// The heads of a unit and of every unit above it: the officials reports go to.
std::vector<std::string> heads_up(const spec& s, std::optional<std::string> unit) {
  std::vector<std::string> out;
  for (std::size_t guard = 0; unit && guard <= s.units.size(); ++guard) {
    const auto u = std::find_if(s.units.begin(), s.units.end(), [&](const auto& x) { return x.id == *unit; });
    if (u == s.units.end()) break;
    if (u->head) out.push_back(*u->head);
    unit = u->parent;
  }
  return out;
}

// A ketua's report on a team: to an official above the team's owner unit,
// with some of the others named as further addressees.
json random_team_report(const spec& s, const compiled_ruleset& r, std::mt19937_64& rng) {
  const auto& team = pick(s.teams, rng);
  const auto heads = heads_up(s, team.owner_unit);
  if (!team.ketua || heads.empty() || r.known.ketua_tim == perwal::no_code) return nullptr;
  json q = {{"type", "pelaporan"},
            {"from", *team.ketua},
            {"to", pick(heads, rng)},
            {"as", r.vocab.name(r.known.ketua_tim)},
            {"team", team.id}};
  if (chance(rng, 0.8)) {
    q["also_to"] = json::array();
    for (const auto& h : heads) {
      if (chance(rng, 0.5)) q["also_to"].push_back(h);
    }
  }
  return q;
}

json random_query(const spec& s, const compiled_ruleset& r, const perwal::evaluator& ev, std::mt19937_64& rng) {
  if (chance(rng, 0.01)) return {{"type", "audit"}};  // the whole org: rarer, as it costs more
  const auto& p = pick(s.positions, rng);
  const int kind = std::uniform_int_distribution<int>(0, 3)(rng);
  if (kind == 3 && !s.teams.empty()) {
    const auto& team = pick(s.teams, rng);
    if (chance(rng, 0.7)) return {{"type", "tim"}, {"team", team.id}};
    // The same team given inline, perhaps with another ketua or without its fields.
    json inline_team = perwal::org::to_json(team);
    if (chance(rng, 0.5)) inline_team["ketua"] = pick(s.positions, rng).id;
    if (chance(rng, 0.3)) inline_team.erase("id");
    if (chance(rng, 0.3)) inline_team.erase("target");
    return {{"type", "tim"}, {"team", inline_team}};
  }
  if (kind == 0) {
    json q = {{"type", "kedudukan"}, {"position", p.id}};
    if (chance(rng, 0.5)) q["atasan"] = pick(s.positions, rng).id;
    return q;
  }
  if (kind == 1) return random_penugasan(s, r, ev, rng);
  if (!s.teams.empty() && chance(rng, 0.2)) {
    if (auto q = random_team_report(s, r, rng); !q.is_null()) return q;
  }
  std::string to = pick(s.positions, rng).id;
  if (p.atasan && chance(rng, 0.4)) to = *p.atasan;
  json q = {
      {"type", "pelaporan"}, {"from", p.id}, {"to", to}, {"as", pick(names(r, perwal::category::report_as), rng)}};
  if (chance(rng, 0.3)) {  // the other addressees the same report went to
    q["also_to"] = json::array();
    for (int k = std::uniform_int_distribution<int>(0, 2)(rng); k > 0; --k)
      q["also_to"].push_back(pick(s.positions, rng).id);
    if (p.atasan && chance(rng, 0.5)) q["also_to"].push_back(*p.atasan);
  }
  // A report as a team member or ketua names one of the org's teams.
  const auto as = r.vocab.find(perwal::category::report_as, q["as"].get<std::string>());
  if (!s.teams.empty() && (as == r.known.anggota_tim || as == r.known.ketua_tim || chance(rng, 0.1))) {
    q["team"] = pick(s.teams, rng).id;
  } else if (as == r.known.anggota_tim || as == r.known.ketua_tim) {
    for (auto c : r.vocab.codes(perwal::category::report_as)) {  // an org with no team: a capacity without one
      if (c != r.known.anggota_tim && c != r.known.ketua_tim) q["as"] = r.vocab.name(c);
    }
  }
  return q;
}

struct optimized_result {
  bool read = false;  // the query was read (not refused)
  reference_result r;
};

reference_result result_of(const perwal::decision& d) {
  reference_result r;
  r.outcome = std::string(perwal::outcome_name(d.result));
  for (const auto& f : d.violations) r.violated.push_back(f.rule->name);
  for (const auto& n : d.next) r.missing.push_back(n.step->info.name);
  for (const auto& f : d.warnings) r.warned.push_back(f.rule->name);
  for (const auto& f : d.needs) r.needed.push_back(f.rule->name);
  std::sort(r.warned.begin(), r.warned.end());
  std::sort(r.needed.begin(), r.needed.end());
  std::sort(r.violated.begin(), r.violated.end());
  std::sort(r.missing.begin(), r.missing.end());
  return r;
}

optimized_result run_optimized(const std::shared_ptr<const compiled_ruleset>& rules, const spec& s, const json& q) {
  perwal::diagnostics errors;
  auto g = perwal::org::build(s, rules->vocab, rules->shape, errors);
  optimized_result out;
  if (!g) return out;
  const perwal::evaluator ev(rules, g, false);
  perwal::diagnostics diags;
  const auto d = ev.check(q, diags);
  if (!d) return out;
  out.read = true;
  out.r = result_of(*d);
  return out;
}

// Whether the two implementations disagree on (s, q); an org that does not
// build or a reference that does not cover the case is no disagreement.
bool disagree(const std::shared_ptr<const compiled_ruleset>& rules, const spec& s, const json& q) {
  const auto o = run_optimized(rules, s, q);
  if (!o.read) return false;
  try {
    return perwal::reference::decide(*rules, s, q) != o.r;
  } catch (const perwal::reference::not_covered&) {
    return false;
  }
}

bool names_position(const json& q, const std::string& id) {
  for (const char* k : {"position", "atasan", "from", "to", "assignee", "assigned_by"}) {
    if (q.contains(k) && q[k] == id) return true;
  }
  for (const auto& step : q.value("steps", json::array())) {
    if (names_position(step, id)) return true;
    for (const auto& c : step.value("cc", json::array())) {
      if (c == id) return true;
    }
  }
  return false;
}

// Drops one position and every reference to it.
spec without_position(spec s, const std::string& id) {
  std::erase_if(s.positions, [&](const auto& p) { return p.id == id; });
  for (auto& p : s.positions) {
    if (p.atasan == id) p.atasan.reset();
  }
  for (auto& u : s.units) {
    if (u.head == id) u.head.reset();
  }
  for (auto& i : s.instansi) {
    if (i.pejabat_berwenang == id) i.pejabat_berwenang.reset();
  }
  std::erase_if(s.employees, [&](const auto& e) { return e.position == id; });
  std::erase_if(s.delegations, [&](const auto& d) { return d.from == id || d.to == id; });
  std::erase_if(s.teams, [&](const auto& t) {
    return t.ketua == id || t.established_by == id ||
           std::find(t.anggota.begin(), t.anggota.end(), id) != t.anggota.end();
  });
  return s;
}

// Drops a unit that nothing refers to (no child, position or team).
bool drop_unit(spec& s, std::size_t i, const json& q) {
  const auto& id = s.units[i].id;
  if (q.value("owner_unit", std::string{}) == id) return false;
  for (const auto& u : s.units) {
    if (u.parent == id) return false;
  }
  for (const auto& p : s.positions) {
    if (p.unit == id) return false;
  }
  for (const auto& t : s.teams) {
    if (t.owner_unit == id) return false;
  }
  s.units.erase(s.units.begin() + static_cast<std::ptrdiff_t>(i));
  return true;
}

// Greedy shrinking: drop what can be dropped while the disagreement persists.
spec shrink(const std::shared_ptr<const compiled_ruleset>& rules, spec s, const json& q) {
  for (bool progress = true; progress;) {
    progress = false;
    if (!s.teams.empty() || !s.delegations.empty()) {
      auto t = s;
      t.teams.clear();
      t.delegations.clear();
      if (disagree(rules, t, q)) s = std::move(t), progress = true;
    }
    for (std::size_t i = s.positions.size(); i-- > 0;) {
      if (i >= s.positions.size() || names_position(q, s.positions[i].id)) continue;
      auto t = without_position(s, s.positions[i].id);
      if (disagree(rules, t, q)) s = std::move(t), progress = true;
    }
    for (std::size_t i = s.units.size(); i-- > 0;) {
      auto t = s;
      if (i < t.units.size() && drop_unit(t, i, q) && disagree(rules, t, q)) s = std::move(t), progress = true;
    }
  }
  return s;
}

std::string show(const reference_result& r) {
  return json{{"outcome", r.outcome},
              {"violated", r.violated},
              {"missing", r.missing},
              {"warned", r.warned},
              {"needed", r.needed}}
      .dump();
}

struct tally {
  std::size_t cases = 0, compared = 0, not_covered = 0, refused = 0, invalid_orgs = 0, disagreements = 0;
  std::map<std::string, std::size_t> uncovered_by;  // why the reference could not decide
  std::size_t orgs = 0, positions = 0;              // orgs generated and their positions, in all
  std::map<std::string, std::size_t> by_outcome;    // "<type> <outcome>": compared cases
};

}  // namespace

TEST_CASE("reference and optimized evaluators agree on random orgs and queries", "[differential]") {
  const std::size_t wanted = env_number("PERWAL_DIFF_CASES", default_cases);
  std::mt19937_64 rng(env_number("PERWAL_DIFF_SEED", 20261205));
  std::vector<std::shared_ptr<const compiled_ruleset>> rulesets;
  std::vector<std::filesystem::path> files{source_dir() / "tests/fictional/perbup-contoh-99-2026.perwal"};
  for (const auto& entry : std::filesystem::directory_iterator(source_dir() / "rulesets")) {
    if (entry.path().extension() == ".perwal") files.push_back(entry.path());
  }
  for (const auto& file : files) {
    perwal::diagnostics diags;
    auto r = perwal::compile_ruleset(file, diags, {{source_dir() / "rulesets"}, nullptr});
    INFO(file);
    REQUIRE(r);
    rulesets.push_back(std::move(r));
  }
  std::sort(rulesets.begin(), rulesets.end(), [](auto& a, auto& b) { return a->header.id < b->header.id; });
  REQUIRE(rulesets.size() == 6);

  tally t;
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t round = 0; t.cases < wanted; ++round) {
    const auto& rules = rulesets[round % rulesets.size()];
    const auto universe = perwal::explore::build_universe({rules.get()});
    REQUIRE(!universe.empty());
    // Sizes: from a few positions to the whole universe org and more.
    const std::size_t size = round / rulesets.size() % 4;
    const auto& base = pick(universe, rng);
    spec s = mutate(base.spec, *rules, rng, std::array<std::size_t, 4>{0, 5, 20, 60}[size],
                    std::array<double, 4>{0.05, 0.3, 1.0, 1.0}[size]);
    for (auto& team : s.teams) {  // the fields the rulesets read (team.field("…")), on some teams
      if (chance(rng, 0.5)) team.fields.update(base.team_fields);
      // Some large teams, around the caps regulations put on a team's size (15).
      if (chance(rng, 0.15) && s.positions.size() > 20) {
        const auto size_wanted = std::uniform_int_distribution<std::size_t>(13, 17)(rng);
        for (std::size_t guard = 0; team.anggota.size() < size_wanted && guard < 200; ++guard) {
          const auto& id = pick(s.positions, rng).id;
          if (id != team.ketua && std::find(team.anggota.begin(), team.anggota.end(), id) == team.anggota.end())
            team.anggota.push_back(id);
        }
      }
    }
    for (auto& dl : s.delegations) {  // a delegation's declared fields: kept, dropped, or random
      for (const auto& [name, type] : rules->schema.delegation) {
        if (chance(rng, 0.2)) dl.fields.erase(name);
        if (chance(rng, 0.2) && !s.positions.empty()) dl.fields[name] = random_field(type, s, rng);
      }
    }
    if (s.positions.empty()) continue;
    perwal::diagnostics errors;
    auto g = perwal::org::build(s, rules->vocab, rules->shape, errors);
    if (!g) {
      ++t.invalid_orgs;
      REQUIRE(t.invalid_orgs < 100 + t.cases);  // the generator makes mostly valid orgs
      continue;
    }
    const perwal::evaluator ev(rules, g, false);
    ++t.orgs;
    t.positions += s.positions.size();
    for (std::size_t k = 0; k < queries_per_org && t.cases < wanted; ++k) {
      const json q = random_query(s, *rules, ev, rng);
      ++t.cases;
      perwal::diagnostics diags;
      const auto d = ev.check(q, diags);
      if (!d) {
        if (++t.refused <= 3) std::cout << "refused: " << q.dump() << "\n" << error_text(diags) << "\n";
        continue;
      }
      reference_result ref;
      try {
        ref = perwal::reference::decide(*rules, s, q);
      } catch (const perwal::reference::not_covered& e) {
        ++t.not_covered;
        ++t.uncovered_by[e.what()];
        continue;
      }
      ++t.compared;
      ++t.by_outcome[q["type"].get<std::string>() + " " + ref.outcome];
      if (result_of(*d) == ref) continue;
      ++t.disagreements;
      if (t.disagreements > 3) continue;  // print the first few only
      const auto small = shrink(rules, s, q);
      std::cout << "DISAGREEMENT (" << rules->header.id << ")\n  query: " << q.dump()
                << "\n  optimized: " << show(run_optimized(rules, small, q).r)
                << "\n  reference: " << show(perwal::reference::decide(*rules, small, q))
                << "\n  org: " << perwal::org::to_json(small).dump() << "\n";
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "differential: cases=" << t.cases << " compared=" << t.compared << " not_covered=" << t.not_covered
            << " refused=" << t.refused << " invalid_orgs=" << t.invalid_orgs << " disagreements=" << t.disagreements
            << " seconds=" << seconds << "\n  orgs=" << t.orgs
            << " mean positions=" << (t.orgs ? t.positions / t.orgs : 0) << "\n";
  for (const auto& [why, n] : t.uncovered_by) std::cout << "  not covered (" << why << "): " << n << "\n";
  for (const auto& [what, n] : t.by_outcome) std::cout << "  " << what << ": " << n << "\n";
  // Every type of query reaches more than one outcome, or the generator has gone blind.
  for (const char* type : {"kedudukan", "pelaporan", "penugasan", "tim"}) {
    std::size_t outcomes = 0;
    for (const auto& [what, n] : t.by_outcome) outcomes += what.starts_with(std::string(type) + " ") ? 1 : 0;
    if (t.cases >= 1000) CHECK(outcomes >= 2);
  }
  CHECK(t.disagreements == 0);
  CHECK(t.refused == 0);
  CHECK(static_cast<double>(t.compared) >= min_covered * static_cast<double>(t.cases));
}
