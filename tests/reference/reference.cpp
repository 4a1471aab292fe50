// The reference evaluator (see reference.hpp): the checks of each query type.
#include "tests/reference/reference.hpp"

#include <algorithm>

#include "tests/reference/walker.hpp"

namespace perwal::reference {

using namespace detail;

namespace {

// What a decision keeps, by rule name: violations (wajib, dilarang broken)
// and warnings (diutamakan broken).
struct verdict {
  std::vector<std::string> violated, warned, needed;
  void undecided(const rule_info& info) { needed.push_back(info.name); }
  // A requirement read three ways: unknown when it reads an unstated fact.
  void require(const walker& w, const rule_info& info, const cexpr& e, const bindings& b) {
    const auto ok = w.known(e, b);
    if (!ok)
      undecided(info);
    else if (!*ok)
      broken(info);
  }
  void broken(const rule_info& info) {
    if (info.level == strength::wajib || info.level == strength::dilarang) {
      violated.push_back(info.name);
    } else {
      warned.push_back(info.name);  // diutamakan (or a permission's require)
    }
  }
};

void generic(const walker& w, query_kind on, const bindings& b, verdict& v) {
  for (const auto& rule : w.rules.rules) {
    if (rule.on != on) continue;
    if (rule.when && !w.truthy(*rule.when, b)) continue;
    if (rule.info.level == strength::boleh) continue;
    if (rule.info.level == strength::dilarang) {
      v.broken(rule.info);
    } else if (rule.require) {
      v.require(w, rule.info, *rule.require, b);
    }
  }
}

void kedudukan(const walker& w, int p, int atasan, verdict& v) {
  bindings b;
  b.position = p;
  b.atasan = atasan;
  b.pd = w.pd_of(w.unit_of(p));
  generic(w, query_kind::kedudukan, b, v);
  if (!w.is_fp_or_pelaksana(p)) return;
  const auto* tb = w.table_for(b.pd, b);
  if (!tb) return;
  bool listed = false;
  if (atasan != none) {
    for (const auto& e : tb->under) {
      listed = listed || std::find(e.kinds.begin(), e.kinds.end(), w.position_kind(atasan)) != e.kinds.end();
    }
  }
  const bool same_pd = atasan != none && w.pd_of(w.unit_of(atasan)) == b.pd;
  if (!(listed && same_pd)) v.broken(tb->info);
}

// A report of results one step up a review chain of the sender's table.
bool review_chain_holds(const walker& w, int from, int to, code as) {
  if (as == no_code || as != w.rules.known.hasil_kegiatan) return false;
  bindings kb;
  kb.position = from;
  kb.pd = w.pd_of(w.unit_of(from));
  const auto* tb = w.table_for(kb.pd, kb);
  if (!tb) return false;
  for (const auto& chain : tb->reviews) {
    for (std::size_t i = 0; i + 1 < chain.kinds.size(); ++i) {
      if (chain.kinds[i] == w.position_kind(from) && chain.kinds[i + 1] == w.position_kind(to) &&
          w.superior_of(to, from)) {
        return true;
      }
    }
  }
  return false;
}

// `also_to`: the other addressees the query says the report went to (null: not stated).
void pelaporan(const walker& w, int from, int to, code as, const team_view* team, const nlohmann::json* also_to,
               verdict& v) {
  bindings b;
  b.from = from;
  b.to = to;
  b.as = as;
  b.team = team;
  generic(w, query_kind::pelaporan, b, v);
  std::vector<const report_rule*> applicable;
  const report_rule* matched = nullptr;
  for (const auto& r : w.rules.reports) {
    if (std::find(r.as.begin(), r.as.end(), as) == r.as.end()) continue;
    if (r.when && !w.truthy(*r.when, b)) continue;
    applicable.push_back(&r);
    const auto targets = w.resolve(r.to, b);
    const bool permits = r.info.level != strength::boleh || !r.require || w.truthy(*r.require, b);
    if (!matched && permits && std::find(targets.begin(), targets.end(), to) != targets.end()) matched = &r;
  }
  if (matched) {
    if (matched->require) v.require(w, matched->info, *matched->require, b);
    if (matched->also_to.empty()) return;
    if (!also_to) {
      v.undecided(matched->also_info);
      return;
    }
    for (const auto& addressee : matched->also_to) {
      bool sent = false;
      for (int target : w.resolve(addressee, b)) {
        for (const auto& x : *also_to) sent = sent || (x.is_string() && w.position_ref(x.get<std::string>()) == target);
      }
      if (!sent) {
        v.broken(matched->also_info);
        return;
      }
    }
    return;
  }
  if (review_chain_holds(w, from, to, as)) return;
  if (applicable.empty()) {
    v.broken(w.rules.engine_rules.pelaporan_tidak_diatur);
    return;
  }
  for (const auto* r : applicable) {
    if (r->info.level != strength::boleh) v.broken(r->info);
  }
}

// ---- penugasan -------------------------------------------------------------------
struct step_given {
  code action = no_code;
  int by = none, from = none, to = none;
  std::vector<int> cc;
  std::vector<code> contents;
  std::string reason;
  const nlohmann::json* fields = nullptr;
};

bool named(const std::vector<int>& set, int x) {
  return x != none && std::find(set.begin(), set.end(), x) != set.end();
}

// The official a step names for a role: `by` and `from` stand in for each other.
int actor(const step_given& g, int field) {
  if (field == 0) return g.by != none ? g.by : g.from;
  if (field == 1) return g.from != none ? g.from : g.by;
  return g.to;
}
const std::vector<cpath>& role_of(const workflow_step& s, int field) {
  return field == 0 ? s.by : field == 1 ? s.from : s.to;
}

struct penugasan_check {
  const walker& w;
  bindings b;
  const std::vector<step_given>& steps;
  int assigned_by = none;
  verdict& v;
  std::vector<std::string>& missing;

  bool actor_matches(const workflow_step& s, const step_given& g) const {
    for (int f = 0; f < 3; ++f) {
      if (!role_of(s, f).empty() && !named(w.resolve(role_of(s, f), b), actor(g, f))) return false;
    }
    return true;
  }

  void check_step(const workflow_step& s, const step_given& g) {
    for (int f = 0; f < 3; ++f) {
      if (!role_of(s, f).empty() && !named(w.resolve(role_of(s, f), b), actor(g, f))) v.broken(s.info);
    }
    for (const auto& cc_role : s.cc) {
      bool copied = false;
      for (int x : w.resolve(cc_role, b)) copied = copied || std::find(g.cc.begin(), g.cc.end(), x) != g.cc.end();
      if (!copied) v.broken(s.tembusan_info);
    }
    bool all_contents = true;
    for (auto c : s.contents) {
      all_contents = all_contents && std::find(g.contents.begin(), g.contents.end(), c) != g.contents.end();
    }
    const bool contents_stated = g.fields && g.fields->is_object() && g.fields->contains("contents");
    if (!s.contents.empty() && !contents_stated)
      v.undecided(s.isi_info);
    else if (!all_contents)
      v.broken(s.isi_info);
    bindings with_step = b;
    with_step.step = g.fields;
    if (s.where) v.require(w, s.info, *s.where, with_step);
    for (const auto& k : s.checks) {  // named checks: rules of their own
      if (k.when && !w.truthy(*k.when, with_step)) continue;
      if (k.require) v.require(w, k.info, *k.require, with_step);
    }
  }

  void refusal(const workflow& wf, const step_given& g) {
    v.violated.push_back(wf.penolakan_info.name);  // the refusal itself denies
    if (!wf.refusal) return;
    if (!wf.refusal->by.empty() && !named(w.resolve(wf.refusal->by, b), g.by)) v.broken(wf.penolakan_pejabat_info);
    if (wf.refusal->reason_required && g.reason.empty()) v.broken(wf.penolakan_alasan_info);
    if (wf.refusal->where) {
      bindings with_step = b;
      with_step.step = g.fields;
      v.require(w, wf.penolakan_syarat_info, *wf.refusal->where, with_step);
    }
  }

  void run_workflow(const workflow& wf) {
    const auto& tpl = wf.steps;
    std::size_t cursor = 0;
    bool refused = false;
    for (const auto& g : steps) {
      if (g.action == w.rules.known.penolakan && g.action != no_code) {
        refused = true;
        refusal(wf, g);
        break;
      }
      // The first template step from the cursor on with this action and
      // actor; else the first with this action.
      std::optional<std::size_t> hit;
      for (std::size_t j = cursor; j < tpl.size() && !hit; ++j) {
        if (std::find(tpl[j].actions.begin(), tpl[j].actions.end(), g.action) != tpl[j].actions.end() &&
            actor_matches(tpl[j], g)) {
          hit = j;
        }
      }
      for (std::size_t j = cursor; j < tpl.size() && !hit; ++j) {
        if (std::find(tpl[j].actions.begin(), tpl[j].actions.end(), g.action) != tpl[j].actions.end()) hit = j;
      }
      if (!hit) continue;
      for (std::size_t j = cursor; j < *hit; ++j) {
        if (!tpl[j].optional) v.broken(tpl[j].info);  // skipped
      }
      check_step(tpl[*hit], g);
      cursor = *hit + 1;
    }
    if (assigned_by != none && !wf.issuer.empty() && !named(w.resolve(wf.issuer, b), b.issuer)) {
      v.broken(wf.penerbit_info);
    }
    if (refused) return;
    for (std::size_t j = cursor; j < tpl.size(); ++j) {
      if (!tpl[j].optional) missing.push_back(tpl[j].info.name);
    }
  }

  void run() {
    if (b.issuer == none) {  // whoever signed the last assignment letter
      const auto& k = w.rules.known;
      for (auto it = steps.rbegin(); it != steps.rend(); ++it) {
        if (it->action == k.surat_penugasan || it->action == k.penetapan) {
          b.issuer = it->by != none ? it->by : it->from;
          break;
        }
      }
    }
    const int au = w.unit_of(b.assignee);
    std::size_t scope = 0;  // dalam_unit
    if (w.instansi(au) != w.instansi(b.owner)) {
      scope = 3;
    } else if (w.pd_of(au) != w.pd_of(b.owner)) {
      scope = 2;
    } else if (w.uo_of(au) != w.uo_of(b.owner)) {
      scope = 1;
    }
    b.contract_scope = w.rules.known.contract_scopes[scope];
    b.scope = w.rules.scope_of[scope];
    generic(w, query_kind::penugasan, b, v);
    if (b.scope == no_code) {
      v.broken(w.rules.engine_rules.lingkup);
      return;
    }
    const workflow* chosen = nullptr;
    const workflow* fallback = nullptr;
    for (const auto& wf : w.rules.workflows) {
      if (wf.mode != b.mode || std::find(wf.scopes.begin(), wf.scopes.end(), b.scope) == wf.scopes.end()) continue;
      if (wf.when) {
        if (w.truthy(*wf.when, b)) {
          chosen = &wf;
          break;
        }
      } else if (!fallback) {
        fallback = &wf;
      }
    }
    if (!chosen) chosen = fallback;
    if (!chosen) {
      if (v.violated.empty()) v.broken(w.rules.engine_rules.mekanisme[scope]);
      return;
    }
    run_workflow(*chosen);
  }
};

// A team given inline in a query, in the org's team form.
team_view inline_team(const walker& w, const nlohmann::json& t) {
  const auto position = [&](const char* key) {
    if (!t.contains(key) || t[key].is_null()) return none;
    const int p = t[key].is_string() ? w.position_ref(t[key].get<std::string>()) : none;
    if (p == none) throw not_covered(std::string("an inline team naming an unknown ") + key);
    return p;
  };
  team_view v;
  v.id = t.contains("id") && t["id"].is_string() ? t["id"].get<std::string>() : "(inline)";
  v.owner = t["owner_unit"].is_string() ? w.unit_by_id(t["owner_unit"].get<std::string>()) : none;
  if (v.owner == none) throw not_covered("an inline team with an unknown owner_unit");
  v.established_by = position("established_by");
  v.ketua = position("ketua");
  for (const auto& a : t.value("anggota", nlohmann::json::array())) {
    v.anggota.push_back(a.is_string() ? w.position_ref(a.get<std::string>()) : none);
    if (v.anggota.back() == none) throw not_covered("an inline team with an unknown anggota");
  }
  v.has_target = t.contains("target") && !t["target"].is_null();
  v.fields = t;
  return v;
}

}  // namespace

reference_result decide(const compiled_ruleset& rules, const org::spec& org, const nlohmann::json& q) {
  const walker w(rules, org);
  const auto type = q.value("type", std::string{});
  const auto position = [&](const char* key) {
    if (!q.contains(key) || !q[key].is_string()) throw not_covered(std::string("query without ") + key);
    const int p = w.position_ref(q[key].get<std::string>());
    if (p == none) throw not_covered(std::string("query naming an unknown ") + key);
    return p;
  };
  const auto code_at = [&](const nlohmann::json& o, const char* key, category cat) {
    const auto c =
        o.contains(key) && o[key].is_string() ? rules.vocab.find(cat, o[key].get<std::string>()) : std::nullopt;
    if (!c) throw not_covered(std::string("query without a known ") + key);
    return *c;
  };
  const auto optional_position = [&](const nlohmann::json& o, const char* key) {
    if (!o.contains(key) || o[key].is_null()) return none;
    const int p = o[key].is_string() ? w.position_ref(o[key].get<std::string>()) : none;
    if (p == none) throw not_covered(std::string("query naming an unknown ") + key);
    return p;
  };
  // A team named by the id of one of the org's teams.
  // An inline team (an object with its owner_unit) is read from the object.
  const auto org_team = [&]() -> std::optional<team_view> {
    if (!q.contains("team") || q["team"].is_null()) return std::nullopt;
    const auto& t = q["team"];
    if (t.is_object() && t.contains("owner_unit")) return inline_team(w, t);
    const auto id = t.is_string() ? t.get<std::string>() : t.is_object() ? t.value("id", std::string{}) : "";
    for (const auto& ot : org.teams) {
      if (ot.id == id) return w.team_of(ot);
    }
    throw not_covered("an unknown team");
  };
  verdict v;
  std::vector<std::string> missing;
  if (type == "penugasan") {
    // A team with the assignee's role: the org's, inline, or none (the role alone).
    std::optional<team_view> team;
    if (q.contains("team") && !q["team"].is_null()) {
      const auto& t = q["team"];
      if (!t.is_object()) throw not_covered("a team without a role");
      team = t.contains("id") || t.contains("owner_unit") ? org_team() : team_view{};
      team->role = code_at(t, "role", category::team_role);
    }
    std::vector<step_given> steps;
    // named, so the steps outlive the loop: each step_given points at its object
    const nlohmann::json given_steps = q.value("steps", nlohmann::json::array());
    for (const auto& s : given_steps) {
      step_given g;
      g.action = code_at(s, "action", category::action);
      g.by = optional_position(s, "by");
      g.from = optional_position(s, "from");
      g.to = optional_position(s, "to");
      for (const auto& x : s.value("cc", nlohmann::json::array())) {
        g.cc.push_back(w.position_ref(x.get<std::string>()));
        if (g.cc.back() == none) throw not_covered("a copy to an unknown position");
      }
      for (const auto& x : s.value("contents", nlohmann::json::array())) {
        g.contents.push_back(code_at(nlohmann::json{{"c", x}}, "c", category::content));
      }
      if (s.contains("reason") && s["reason"].is_string()) g.reason = s["reason"].get<std::string>();
      g.fields = &s;
      steps.push_back(std::move(g));
    }
    penugasan_check check{w, {}, steps, optional_position(q, "assigned_by"), v, missing};
    check.b.assignee = position("assignee");
    check.b.owner = q.contains("owner_unit") && q["owner_unit"].is_string()
                        ? w.unit_by_id(q["owner_unit"].get<std::string>())
                        : none;
    if (check.b.owner == none) throw not_covered("query naming an unknown owner_unit");
    check.b.issuer = check.assigned_by;
    check.b.mode = code_at(q, "mode", category::mode);
    if (team) check.b.team = &*team, check.b.role = team->role;
    check.run();
  } else if (type == "kedudukan") {
    const int p = position("position");
    const bool given = q.contains("atasan") && !q["atasan"].is_null();
    kedudukan(w, p, given ? position("atasan") : w.atasan_of(p), v);
  } else if (type == "pelaporan") {
    const auto as = rules.vocab.find(category::report_as, q.value("as", std::string{}));
    if (!as) throw not_covered("pelaporan with an unknown `as`");
    const auto team = org_team();
    const nlohmann::json* also_to = q.contains("also_to") ? &q["also_to"] : nullptr;
    if (also_to && !also_to->is_array()) throw not_covered("also_to that is not a list");
    pelaporan(w, position("from"), position("to"), *as, team ? &*team : nullptr, also_to, v);
  } else if (type == "tim") {
    const auto team = org_team();
    if (!team) throw not_covered("tim without a team");
    bindings b;
    b.team = &*team;
    generic(w, query_kind::tim, b, v);
  } else if (type == "audit") {
    // Every Pejabat Fungsional and pelaksana under its own atasan, every
    // delegation, every team.
    for (std::size_t p = 0; p < org.positions.size(); ++p) {
      const int pi = static_cast<int>(p);
      if (w.is_fp_or_pelaksana(pi)) kedudukan(w, pi, w.atasan_of(pi), v);
    }
    for (std::size_t k = 0; k < org.delegations.size(); ++k) {
      bindings b;
      b.delegation = static_cast<int>(k);
      generic(w, query_kind::delegasi, b, v);
    }
    for (const auto& t : org.teams) {
      const auto team = w.team_of(t);
      bindings b;
      b.team = &team;
      generic(w, query_kind::tim, b, v);
    }
  } else {
    throw not_covered("query type " + type);
  }
  reference_result out;
  std::sort(v.violated.begin(), v.violated.end());
  std::sort(missing.begin(), missing.end());
  out.violated = std::move(v.violated);
  out.missing = std::move(missing);
  std::sort(v.warned.begin(), v.warned.end());
  out.warned = std::move(v.warned);
  std::sort(v.needed.begin(), v.needed.end());
  out.needed = std::move(v.needed);
  const bool audit = type == "audit";  // an audit is allowed or denied; what it cannot decide is listed apart
  out.outcome = !out.violated.empty()                                     ? "denied"
                : !audit && (!out.missing.empty() || !out.needed.empty()) ? "incomplete"
                                                                          : "allowed";
  return out;
}

}  // namespace perwal::reference
