// Penugasan: an assignment checked against the generic rules, the scope the
// org places it in, and the steps of the workflow its mode and scope select.
#include <algorithm>
#include <array>

#include "engine/eval/context.hpp"

namespace perwal::eval {

namespace {

bool has_action(const workflow_step& s, code a) {
  return std::find(s.actions.begin(), s.actions.end(), a) != s.actions.end();
}

bool contains(const std::vector<index>& set, index x) {
  return x != none && std::find(set.begin(), set.end(), x) != set.end();
}

class penugasan_check {
 public:
  penugasan_check(const context& c, const penugasan_query& q, decision& d) : c_(c), q_(q), d_(d) {}

  void run() {
    b_.assignee = q_.assignee;
    b_.owner = q_.owner_unit;
    b_.issuer = q_.assigned_by;
    b_.mode = q_.mode;
    if (q_.team) {
      b_.team = &*q_.team;
      b_.role = q_.team->role;
    }
    if (b_.issuer == none) b_.issuer = issuer_from_steps();

    derive_scope();
    // A finding's path, built only when a rule breaks.
    const auto path = [&] {
      return std::vector<node_ref>{context::at_position(q_.assignee), context::at_unit(q_.owner_unit)};
    };
    c_.run_generic(query_kind::penugasan, b_, path, d_);
    if (b_.scope == no_code) {
      c_.broken(c_.rules.engine_rules.lingkup, found::scope_uncovered{cscope_}, path(), d_);
      return;
    }
    const auto* wf = pick_workflow();
    if (!wf) {
      if (d_.violations.empty()) {
        c_.broken(c_.rules.engine_rules.mekanisme[static_cast<std::size_t>(cscope_)],
                  found::no_mechanism{b_.mode, b_.scope}, path(), d_);
      }
      return;
    }
    d_.flow = wf;
    d_.considered.push_back(&wf->info);
    if (d_.traced) d_.trace.emplace_back(traced::workflow_chosen{wf});
    c_.note_override(wf->info, d_);
    run_workflow(*wf);
  }

 private:
  // Without assigned_by, the issuer is whoever signed the assignment letter:
  // the last surat_penugasan or penetapan step.
  [[nodiscard]] index issuer_from_steps() const {
    const auto& k = c_.rules.known;
    for (auto it = q_.steps.rbegin(); it != q_.steps.rend(); ++it) {
      if (it->action == k.surat_penugasan || it->action == k.penetapan) return it->by != none ? it->by : it->from;
    }
    return none;
  }

  void derive_scope() {
    const auto au = c_.unit_of(b_.assignee);
    if (c_.instansi_of_unit(au) != c_.instansi_of_unit(b_.owner))
      cscope_ = contract_scope::lintas_instansi;
    else if (c_.pd_of_unit(au) != c_.pd_of_unit(b_.owner))
      cscope_ = contract_scope::lintas_perangkat_daerah;
    else if (c_.uo_of_unit(au) != c_.uo_of_unit(b_.owner))
      cscope_ = contract_scope::lintas_unit;
    else
      cscope_ = contract_scope::dalam_unit;
    const auto i = static_cast<std::size_t>(cscope_);
    d_.scope = cscope_;
    b_.contract_scope = c_.rules.known.contract_scopes[i];
    b_.scope = c_.rules.scope_of[i];
    d_.regulation_scope = b_.scope;
    if (b_.scope != no_code && d_.traced) {
      d_.trace.emplace_back(traced::scope_derived{cscope_, b_.scope, c_.uo_of_unit(au), c_.uo_of_unit(b_.owner)});
    }
  }

  [[nodiscard]] const workflow* pick_workflow() const {
    const workflow* fallback = nullptr;
    for (const auto& w : c_.rules.workflows) {
      if (w.mode != b_.mode || std::find(w.scopes.begin(), w.scopes.end(), b_.scope) == w.scopes.end()) continue;
      if (w.when) {
        if (c_.truthy(*w.when, b_)) return &w;
      } else if (!fallback) {
        fallback = &w;
      }
    }
    return fallback;
  }

  // The official a step names for a role: `by` and `from` stand in for each other.
  static index actor(const step_input& g, found::step_field f) {
    switch (f) {
      case found::step_field::by:
        return g.by != none ? g.by : g.from;
      case found::step_field::from:
        return g.from != none ? g.from : g.by;
      case found::step_field::to:
        return g.to;
    }
    return none;
  }

  static const std::vector<cpath>& role_of(const workflow_step& s, found::step_field f) {
    return f == found::step_field::by ? s.by : f == found::step_field::from ? s.from : s.to;
  }

  static constexpr std::array<found::step_field, 3> fields = {found::step_field::by, found::step_field::from,
                                                              found::step_field::to};

  // Whether the roles name `who`: contains(resolve(roles), who) without
  // building the list (it is built only for a finding).
  [[nodiscard]] bool names(const std::vector<cpath>& roles, index who) const {
    if (who == none) return false;
    return std::any_of(roles.begin(), roles.end(), [&](const cpath& p) { return path_names(p, who); });
  }

  // The bindings are final before the workflow runs (run() sets them), so a
  // role path naming one official (`owner.kepala_pd`, written again at each
  // step and for the issuer) is walked once a check; a set or an unstated
  // fact is walked each time, as eval_path says it.
  [[nodiscard]] bool path_names(const cpath& p, index who) const {
    for (std::size_t i = 0; i < walked_count_; ++i) {
      if (same_path(*walked_[i].path, p)) return walked_[i].who == who;
    }
    const auto v = c_.eval_path(p, b_);
    if (v.t == value_type::position || v.t == value_type::null) {
      const index named = v.t == value_type::position ? v.idx : none;
      if (walked_count_ < walked_.size()) walked_[walked_count_++] = {&p, named};
      return named == who;
    }
    return v.t == value_type::positions && std::find(v.set.begin(), v.set.end(), who) != v.set.end();
  }

  [[nodiscard]] bool actor_matches(const workflow_step& s, const step_input& g) const {
    return std::all_of(fields.begin(), fields.end(), [&](found::step_field f) {
      const auto& role = role_of(s, f);
      return role.empty() || names(role, actor(g, f));
    });
  }

  void check_role(const workflow_step& s, found::step_field f, const step_input& g) {
    const auto& role = role_of(s, f);
    if (role.empty()) return;
    const index who = actor(g, f);
    if (names(role, who)) return;
    auto expected = c_.resolve(role, b_);
    std::vector<node_ref> path;
    if (who != none) path.push_back(context::at_position(who));
    for (auto x : expected) path.push_back(context::at_position(x));
    c_.broken(s.info, found::wrong_actor{&s, f, g.at, g.action, who, std::move(expected)}, std::move(path), d_);
  }

  // `actors_match`: actor_matches(s, g) is already known to hold (no role to check again).
  void check_step(const workflow_step& s, const step_input& g, bool actors_match) {
    if (!actors_match) {
      for (auto f : fields) check_role(s, f, g);
    }
    for (std::size_t k = 0; k < s.cc.size(); ++k) {
      const bool copied = std::any_of(g.cc.begin(), g.cc.end(), [&](index x) { return names(s.cc[k], x); });
      if (copied) continue;
      auto expected = c_.resolve(s.cc[k], b_);
      auto path = context::positions(expected);
      c_.broken(s.tembusan_info, found::copy_missing{&s, k, g.action, std::move(expected)}, std::move(path), d_);
    }
    std::vector<code> missing;
    const bool contents_given = g.contents_stated;
    if (!s.contents.empty() && !contents_given) {
      // The letter exists but the query does not say what it states: evidence to provide, not a violation.
      c_.needs(s.isi_info, found::contents_unstated{g.action, s.contents}, letter_path(g), d_);
    }
    for (auto code_id : s.contents) {
      if (!contents_given) break;
      if (std::find(g.contents.begin(), g.contents.end(), code_id) == g.contents.end()) missing.push_back(code_id);
    }
    if (!missing.empty()) {
      c_.broken(s.isi_info, found::contents_missing{g.action, std::move(missing)}, letter_path(g), d_);
    }
    if (s.where) {
      bindings with_step = b_;
      with_step.step = g.fields;
      std::vector<std::string> unstated;
      const auto verdict = c_.check(*s.where, with_step, &unstated);
      if (verdict == truth::unknown) c_.needs(s.info, found::facts_unstated{std::move(unstated)}, letter_path(g), d_);
      if (verdict == truth::fails) c_.broken(s.info, found::step_condition{&s}, {}, d_);
    }
    if (!s.checks.empty()) {
      bindings with_step = b_;
      with_step.step = g.fields;
      for (const auto& k : s.checks) run_check(k, g, with_step);
    }
  }

  // A step's named check: a rule of its own, whose message shows what it read.
  void run_check(const step_check& k, const step_input& g, const bindings& with_step) {
    if (k.when && !c_.truthy(*k.when, with_step)) return;
    std::vector<std::string> unstated;
    const auto verdict = k.require ? c_.check(*k.require, with_step, &unstated) : truth::holds;
    if (verdict == truth::unknown) {
      c_.needs(k.info, found::facts_unstated{std::move(unstated)}, letter_path(g), d_);
    } else if (verdict == truth::fails) {
      c_.broken(k.info, found::check_failed{c_.values_read(*k.require, with_step)}, letter_path(g), d_);
    } else {
      c_.held(k.info, d_);
    }
  }

  // Who wrote a letter and to whom: the path of a finding about its contents.
  static std::vector<node_ref> letter_path(const step_input& g) {
    std::vector<node_ref> path;
    for (auto x : {g.from != none ? g.from : g.by, g.to}) {
      if (x != none) path.push_back(context::at_position(x));
    }
    return path;
  }

  // How each role of a held step was resolved on the graph, for the explanation.
  [[nodiscard]] traced::step_match resolution(const workflow_step& s, const step_input& g) const {
    traced::step_match m;
    m.step = &s;
    m.at = g.at;
    for (auto f : fields) {
      const auto& role = role_of(s, f);
      if (!role.empty()) m.resolved.emplace_back(f, c_.resolve(role, b_));
    }
    return m;
  }

  void run_workflow(const workflow& wf) {
    const auto& tpl = wf.steps;
    std::size_t cursor = 0;
    bool refused = false;
    for (const auto& g : q_.steps) {
      if (g.action == c_.rules.known.penolakan && c_.rules.known.penolakan != no_code) {
        refused = true;
        handle_refusal(wf, g);
        break;
      }
      // Prefer the first template step at or after the cursor whose action and
      // actor match; else the first whose action matches.
      std::optional<std::size_t> hit;
      for (std::size_t j = cursor; j < tpl.size() && !hit; ++j) {
        if (has_action(tpl[j], g.action) && actor_matches(tpl[j], g)) hit = j;
      }
      const bool actors_match = hit.has_value();
      for (std::size_t j = cursor; j < tpl.size() && !hit; ++j) {
        if (has_action(tpl[j], g.action)) hit = j;
      }
      if (!hit) {
        if (d_.traced) d_.trace.emplace_back(traced::step_unnamed{g.action, g.at});
        continue;
      }
      for (std::size_t j = cursor; j < *hit; ++j) {
        if (tpl[j].optional) continue;
        auto who = c_.resolve(tpl[j].by.empty() ? tpl[j].from : tpl[j].by, b_);
        auto path = context::positions(who);
        c_.broken(tpl[j].info, found::step_skipped{&tpl[j], std::move(who), g.action, g.at}, std::move(path), d_);
      }
      const std::size_t before = d_.violations.size() + d_.warnings.size() + d_.needs.size();
      check_step(tpl[*hit], g, actors_match);
      if (d_.violations.size() + d_.warnings.size() + d_.needs.size() == before) {
        if (d_.traced) {
          c_.held(tpl[*hit].info, d_, resolution(tpl[*hit], g));
        } else {
          c_.held(tpl[*hit].info, d_);
        }
      }
      cursor = *hit + 1;
    }
    check_issuer(wf);
    if (refused) return;
    for (std::size_t j = cursor; j < tpl.size(); ++j) {
      if (tpl[j].optional) continue;
      next_step n;
      n.step = &tpl[j];
      n.by = c_.resolve(tpl[j].by.empty() ? tpl[j].from : tpl[j].by, b_);
      // Who else a missing step names, so a caller can write it.
      n.from = c_.resolve(tpl[j].from, b_);
      n.to = c_.resolve(tpl[j].to, b_);
      for (const auto& cc_role : tpl[j].cc) n.cc.push_back(c_.resolve(cc_role, b_));
      d_.next.push_back(std::move(n));
    }
  }

  void check_issuer(const workflow& wf) {
    // A derived issuer is already checked as the actor of its own step.
    if (q_.assigned_by == none || wf.issuer.empty()) return;
    if (names(wf.issuer, b_.issuer)) {
      if (d_.traced) {
        c_.held(wf.penerbit_info, d_, traced::official{b_.issuer});
      } else {
        c_.held(wf.penerbit_info, d_);
      }
      return;
    }
    auto expected = c_.resolve(wf.issuer, b_);
    std::vector<node_ref> path = {context::at_position(b_.issuer)};
    for (auto x : expected) path.push_back(context::at_position(x));
    c_.broken(wf.penerbit_info, found::wrong_issuer{&wf, b_.issuer, std::move(expected)}, std::move(path), d_);
  }

  void handle_refusal(const workflow& wf, const step_input& g) {
    std::vector<node_ref> path;
    if (g.by != none) path.push_back(context::at_position(g.by));
    // The refusal ends the workflow: it is the reason for the denial.
    if (d_.traced) d_.trace.emplace_back(traced::refusal{g.by, std::string(g.reason)});
    d_.considered.push_back(&wf.penolakan_info);
    d_.violations.push_back({&wf.penolakan_info, found::refused{g.by, std::string(g.reason)}, path});
    if (!wf.refusal) return;
    if (!wf.refusal->by.empty()) {
      auto expected = c_.resolve(wf.refusal->by, b_);
      if (!contains(expected, g.by)) {
        c_.broken(wf.penolakan_pejabat_info, found::refused_by_wrong_official{g.by, std::move(expected)}, path, d_);
      }
    }
    if (wf.refusal->reason_required && g.reason.empty()) {
      c_.broken(wf.penolakan_alasan_info, found::refused_without_reason{&*wf.refusal}, path, d_);
    }
    if (wf.refusal->where) {
      bindings with_step = b_;
      with_step.step = g.fields;
      std::vector<std::string> unstated;
      const auto verdict = c_.check(*wf.refusal->where, with_step, &unstated);
      if (verdict == truth::unknown) {
        c_.needs(wf.penolakan_syarat_info, found::facts_unstated{std::move(unstated)}, path, d_);
      } else if (verdict == truth::fails) {
        c_.broken(wf.penolakan_syarat_info, found::check_failed{c_.values_read(*wf.refusal->where, with_step)}, path,
                  d_);
      }
    }
  }

  // The same walk: the same object, or the same steps (arguments too) from the
  // same base; a bound name's value depends on where it is bound, so only its own object.
  static bool same_path(const cpath& a, const cpath& b) {
    return &a == &b || (a.base == b.base && a.base != base_name::var && a.steps == b.steps);
  }

  const context& c_;
  const penugasan_query& q_;
  decision& d_;
  bindings b_;
  contract_scope cscope_ = contract_scope::dalam_unit;
  // The officials role paths named under b_ (path_names), in the order first walked.
  struct walked_path {
    const cpath* path;
    index who;
  };
  mutable std::array<walked_path, 16> walked_{};
  mutable std::size_t walked_count_ = 0;
};

}  // namespace

void check_penugasan(const context& c, const penugasan_query& q, decision& d) {
  penugasan_check(c, q, d).run();
}

}  // namespace perwal::eval
