#include "engine/explore/semantic_lint.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "engine/eval/evaluator.hpp"

namespace perwal::explore {

namespace {

using json = nlohmann::json;

// Whether a step's roles ever named anyone while the step was due.
struct step_roles {
  std::size_t due = 0;
  bool actor = false, to = false;
  std::vector<bool> cc;
};

// A decision per member of a family, with the rules it broke.
struct member {
  json query;
  std::set<std::string> broken;
};

struct conflict {
  std::string first, second;
  json query_first, query_second;  // a member where each holds
  std::string subject;
};

class linter {
 public:
  linter(const std::shared_ptr<const compiled_ruleset>& rules, diagnostics& diags, const bounds& limits)
      : rules_(rules), diags_(diags), limits_(limits) {
    for (const auto* info : rules_->all_rules()) info_[info->name] = info;
  }

  void run() {
    static_find_check();
    const std::vector<const compiled_ruleset*> one = {rules_.get()};
    for (const auto& org : build_universe(one)) {
      auto graph = load(org, *rules_);
      if (!graph) return;  // the generator writes only declared codes; nothing to explore otherwise
      ++orgs_;
      evaluator ev(rules_, graph, false);
      record(ev.audit());
      for (const auto& small : delegation_orgs(org)) {
        diagnostics errs;
        if (auto g = org::build(small, rules_->vocab, rules_->shape, errs)) {
          ++queries_;
          record(evaluator(rules_, g, false).audit());
        }
      }
      for (const auto& family : enumerate_queries(org, one, limits_)) {
        if (family.type == "penugasan")
          run_penugasan(ev, family);
        else
          run_family(ev, family);
      }
      run_owner_families(ev, org);
    }
    if (orgs_ == 0) return;
    report_conflicts();
    report_unreachable();
    report_roles();
  }

 private:
  // ---- evaluation ------------------------------------------------------------
  std::optional<decision> check(const evaluator& ev, const json& q) {
    diagnostics errors;
    ++queries_;
    auto d = ev.check(q, errors);
    if (d) record(*d);
    return d;
  }

  void record(const decision& d) {
    for (const auto* r : d.considered) applied_.insert(r->name);
    for (const auto* r : d.applicable) applied_.insert(r->name);
    for (const auto* r : d.resolved) resolved_reports_.insert(r->name);
    if (d.flow) applied_.insert(d.flow->info.name);
    for (const auto& v : d.violations) {
      if (is_issuer_rule(v.rule)) {
        issuer_checked_.insert(v.rule->name);
        if (v.path.size() > 1) issuer_resolved_.insert(v.rule->name);
      }
    }
    for (const auto* c : d.considered) {
      if (is_issuer_rule(c)) {
        issuer_checked_.insert(c->name);
        const bool broke =
            std::any_of(d.violations.begin(), d.violations.end(), [&](const finding& f) { return f.rule == c; });
        if (!broke) issuer_resolved_.insert(c->name);
      }
    }
    for (const auto& n : d.next) {
      auto& s = steps_[n.step->info.name];
      ++s.due;
      s.actor = s.actor || !n.by.empty();
      s.to = s.to || !n.to.empty();
      if (s.cc.size() < n.cc.size()) s.cc.resize(n.cc.size(), false);
      for (std::size_t i = 0; i < n.cc.size(); ++i) s.cc[i] = s.cc[i] || !n.cc[i].empty();
    }
  }

  // Whether `r` is a workflow's issuer rule (`<workflow>.penerbit`).
  bool is_issuer_rule(const rule_info* r) const {
    return std::any_of(rules_->workflows.begin(), rules_->workflows.end(),
                       [&](const workflow& w) { return &w.penerbit_info == r; });
  }

  member member_of(const decision& d, const json& q) const {
    member m{q, {}};
    for (const auto& v : d.violations) {
      if (hard(v.rule->name)) m.broken.insert(v.rule->name);
    }
    return m;
  }

  void run_family(const evaluator& ev, const query_family& family) {
    std::vector<member> members;
    for (const auto& q : family.queries) {
      if (auto d = check(ev, q)) members.push_back(member_of(*d, q));
    }
    find_conflicts(members, family.subject);
  }

  // A penugasan, its steps completed, then its issuer varied: the officials
  // who could sign the assignment letter.
  void run_penugasan(const evaluator& ev, const query_family& family) {
    for (const auto& base : family.queries) {
      auto q = complete_steps(ev, base, limits_.max_steps);
      std::vector<std::string> signers;
      for (std::size_t k = 0; k <= q["steps"].size(); ++k) {
        json prefix = q;
        prefix["steps"] = json(std::vector<json>(q["steps"].begin(), q["steps"].begin() + static_cast<long>(k)));
        auto d = check(ev, prefix);
        if (!d) break;
        for (const auto& n : d->next) {
          for (const auto b : n.by) add(signers, std::string(ev.org().positions()[b].id));
        }
      }
      complete_.push_back(q);
      std::vector<member> members;
      for (const auto& who : signers) {
        json v = q;
        v["assigned_by"] = who;
        if (!v["steps"].empty()) {
          auto& last = v["steps"].back();
          const auto action = last.value("action", "");
          if (action == "surat_penugasan" || action == "penetapan") last["by"] = who;
        }
        if (auto d = check(ev, v)) members.push_back(member_of(*d, v));
      }
      find_conflicts(members, family.subject + " (issuer varied)");
    }
  }

  // The same assignee, mode and role for each owner unit: a rule required in
  // one scope and a rule forbidding what it requires conflict here.
  void run_owner_families(const evaluator& ev, const universe_org& org) {
    (void)org;
    std::map<std::string, std::vector<json>> groups;
    for (const auto& q : complete_) {
      std::string key = q["assignee"].get<std::string>() + "|" + q["mode"].get<std::string>();
      if (q.contains("team")) key += "|" + q["team"].value("role", "");
      groups[key].push_back(q);
    }
    for (const auto& [key, qs] : groups) {
      std::vector<member> members;
      for (const auto& q : qs) {
        if (auto d = check(ev, q)) members.push_back(member_of(*d, q));
      }
      find_conflicts(members, "assignee " + key.substr(0, key.find('|')) + " (owner unit varied)");
    }
  }

  static void add(std::vector<std::string>& v, const std::string& x) {
    if (std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
  }

  // ---- rules ---------------------------------------------------------------
  // The rule a (possibly derived) name rests on: `<workflow>.penerbit` on the workflow.
  [[nodiscard]] const rule_info* info_of(std::string name) const {
    while (!name.empty()) {
      auto it = info_.find(name);
      if (it != info_.end()) return it->second;
      const auto dot = name.rfind('.');
      if (dot == std::string::npos) break;
      name.resize(dot);
    }
    return nullptr;
  }

  [[nodiscard]] bool hard(const std::string& name) const {
    const auto* info = info_of(name);
    return info && (info->level == strength::wajib || info->level == strength::dilarang);
  }

  // Rules each satisfied by some member but never by the same one.
  void find_conflicts(const std::vector<member>& members, const std::string& subject) {
    if (members.size() < 2) return;
    std::set<std::string> broken_somewhere;
    for (const auto& m : members) broken_somewhere.insert(m.broken.begin(), m.broken.end());
    const std::vector<std::string> names(broken_somewhere.begin(), broken_somewhere.end());
    for (std::size_t i = 0; i < names.size(); ++i) {
      for (std::size_t j = i + 1; j < names.size(); ++j) {
        if (info_of(names[i]) == info_of(names[j])) continue;  // parts of one rule
        const auto key = names[i] + "|" + names[j];
        if (conflict_keys_.count(key)) continue;
        const member* holds_i = nullptr;
        const member* holds_j = nullptr;
        bool both = false;
        for (const auto& m : members) {
          const bool ok_i = !m.broken.count(names[i]), ok_j = !m.broken.count(names[j]);
          if (ok_i && ok_j) {
            both = true;
            break;
          }
          if (ok_i && !holds_i) holds_i = &m;
          if (ok_j && !holds_j) holds_j = &m;
        }
        if (both || !holds_i || !holds_j) continue;
        conflict_keys_.insert(key);
        conflicts_.push_back({names[i], names[j], holds_i->query, holds_j->query, subject});
      }
    }
  }

  void report_conflicts() {
    for (const auto& c : conflicts_) {
      const auto* a = info_of(c.first);
      const auto* b = info_of(c.second);
      diags_.warning(
          a->where, msg("rules-conflict", c.first, c.second, c.subject),
          {note(msg("rules-conflict.citation", c.first, a->citation)),
           note(msg("rules-conflict.citation-at", c.second, b->citation), b->where),
           note(msg("rules-conflict.holds", c.first, c.query_first.dump())),
           note(msg("rules-conflict.holds", c.second, c.query_second.dump())), note(msg("rules-conflict.see"))});
    }
  }

  void report_unreachable() {
    auto check_one = [&](const rule_info& info, std::string_view what) {
      if (applied_.count(info.name)) return;
      diags_.warning(info.where,
                     msg("never-applies", what, info.name, std::to_string(queries_), std::to_string(orgs_)));
    };
    for (const auto& r : rules_->rules) {
      // A rule the compiler already found always false has its warning.
      if (r.when && r.when->op == expr_op::boolean && !r.when->boolean) continue;
      check_one(r.info, "rule");
    }
    for (const auto& t : rules_->kedudukan) {
      if (any_pd_kind(t.pd_kinds)) check_one(t.info, "kedudukan table");
    }
    for (const auto& r : rules_->reports) check_one(r.info, "report rule");
    for (const auto& w : rules_->workflows) {
      if (serves_contract_scope(w)) check_one(w.info, "workflow");
    }
  }

  // Tables for kinds that are not perangkat daerah and workflows for scopes
  // no contract scope maps to are reported by the compiler already.
  [[nodiscard]] bool any_pd_kind(const std::vector<code>& kinds) const {
    const auto& pd = rules_->shape.perangkat_daerah_kinds;
    return std::any_of(kinds.begin(), kinds.end(),
                       [&](code k) { return std::find(pd.begin(), pd.end(), k) != pd.end(); });
  }

  [[nodiscard]] bool serves_contract_scope(const workflow& w) const {
    return std::any_of(w.scopes.begin(), w.scopes.end(), [&](code s) {
      return std::find(rules_->scope_of.begin(), rules_->scope_of.end(), s) != rules_->scope_of.end();
    });
  }

  void report_roles() {
    for (const auto& r : rules_->reports) {
      if (applied_.count(r.info.name) && !resolved_reports_.count(r.info.name)) nobody(r.info, "to", r.to, 0);
    }
    for (const auto& w : rules_->workflows) {
      for (const auto& s : w.steps) {
        auto it = steps_.find(s.info.name);
        if (it == steps_.end() || it->second.due == 0) continue;
        const auto& seen = it->second;
        const auto& actor = s.by.empty() ? s.from : s.by;
        if (!seen.actor && !actor.empty()) nobody(s.info, s.by.empty() ? "from" : "by", actor, seen.due);
        if (!seen.to && !s.to.empty()) nobody(s.info, "to", s.to, seen.due);
        for (std::size_t i = 0; i < s.cc.size(); ++i) {
          if (i < seen.cc.size() && !seen.cc[i]) nobody(s.info, "cc", s.cc[i], seen.due);
        }
      }
      const auto issuer = w.info.name + ".penerbit";
      if (!w.issuer.empty() && issuer_checked_.count(issuer) && !issuer_resolved_.count(issuer)) {
        nobody(w.info, "issuer", w.issuer, 0);
      }
    }
  }

  void nobody(const rule_info& info, std::string_view field, const std::vector<cpath>& role, std::size_t due) {
    if (role.empty()) return;
    std::string text;
    for (const auto& p : role) text += (text.empty() ? "" : " | ") + p.text;
    diags_.warning(role.front().where.file ? role.front().where : info.where,
                   msg(due ? "names-nobody.due" : "names-nobody", field, text, info.name, std::to_string(queries_),
                       std::to_string(orgs_), std::to_string(due)));
  }

  // ---- static ----------------------------------------------------------------
  // find(kind) of a kind that is neither a perangkat daerah, a unit
  // organisasi nor the root can name no unit the regulation's structure has.
  void static_find_check() {
    std::set<code> known(rules_->shape.perangkat_daerah_kinds.begin(), rules_->shape.perangkat_daerah_kinds.end());
    known.insert(rules_->shape.unit_organisasi_kinds.begin(), rules_->shape.unit_organisasi_kinds.end());
    if (rules_->known.pemerintah_daerah != no_code) known.insert(rules_->known.pemerintah_daerah);
    for (const auto* name : {"asisten", "wakil_direktur", "subbagian", "subbidang", "seksi", "tata_usaha"}) {
      if (auto c = rules_->vocab.find(category::unit_kind, name)) known.insert(*c);
    }
    each_path([&](const cpath& p, const rule_info& info) {
      for (const auto& s : p.steps) {
        if (s.p != prop::find || s.codes.empty() || known.count(s.codes.front())) continue;
        diags_.warning(p.where.file ? p.where : info.where,
                       msg("find-no-unit", p.text, info.name, rules_->vocab.name(s.codes.front())));
      }
    });
  }

  void each_path(const std::function<void(const cpath&, const rule_info&)>& f) const {
    std::function<void(const cexpr&, const rule_info&)> walk = [&](const cexpr& e, const rule_info& info) {
      for (const auto& p : e.paths) f(p, info);
      for (const auto& k : e.kids) walk(k, info);
    };
    auto opt = [&](const std::optional<cexpr>& e, const rule_info& info) {
      if (e) walk(*e, info);
    };
    auto roles = [&](const std::vector<cpath>& ps, const rule_info& info) {
      for (const auto& p : ps) f(p, info);
    };
    for (const auto& r : rules_->rules) {
      opt(r.when, r.info);
      opt(r.require, r.info);
    }
    for (const auto& t : rules_->kedudukan) opt(t.when, t.info);
    for (const auto& r : rules_->reports) {
      roles(r.to, r.info);
      opt(r.when, r.info);
      opt(r.require, r.info);
    }
    for (const auto& w : rules_->workflows) {
      opt(w.when, w.info);
      roles(w.issuer, w.info);
      for (const auto& s : w.steps) {
        roles(s.by, s.info);
        roles(s.from, s.info);
        roles(s.to, s.info);
        for (const auto& cc : s.cc) roles(cc, s.info);
        opt(s.where, s.info);
      }
      if (w.refusal) roles(w.refusal->by, w.info);
    }
  }

  std::shared_ptr<const compiled_ruleset> rules_;
  diagnostics& diags_;
  bounds limits_;
  std::map<std::string, const rule_info*> info_;
  std::set<std::string> applied_;
  std::set<std::string> issuer_checked_, issuer_resolved_;
  std::set<std::string> resolved_reports_;
  std::map<std::string, step_roles> steps_;
  std::vector<json> complete_;
  std::set<std::string> conflict_keys_;
  std::vector<conflict> conflicts_;
  std::size_t queries_ = 0, orgs_ = 0;
};

}  // namespace

void semantic_lint(const std::shared_ptr<const compiled_ruleset>& rules, diagnostics& diags, const bounds& limits) {
  if (!rules) return;
  linter(rules, diags, limits).run();
}

}  // namespace perwal::explore
