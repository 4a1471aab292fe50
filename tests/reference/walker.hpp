// Internal to the reference evaluator: an interpreter of the compiled DSL
// expressions over the plain walks of the org spec (spec_walks.hpp).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>

#include "tests/reference/reference.hpp"
#include "tests/reference/spec_walks.hpp"

namespace perwal::reference::detail {

// A team as the rules see it, read from the org's team (by linear scans).
struct team_view {
  std::string id;
  int owner = none, established_by = none, ketua = none;
  std::vector<int> anggota;
  bool has_target = false;
  nlohmann::json fields;  // the team object, for team.field("…")
  code role = no_code;
};

// A value of an expression, over the spec: positions and units are indices
// into spec.positions and spec.units.
struct value {
  value_type t = value_type::null;
  bool b = false;
  double n = 0;
  code c = no_code;
  std::string s;
  int idx = none;
  std::vector<int> set;
  int delegation = none;
  const team_view* team = nullptr;
  const nlohmann::json* j = nullptr;  // a field of a step object (`step.<field>`)
};

inline value boolean(bool v) {
  value x;
  x.t = value_type::boolean;
  x.b = v;
  return x;
}
inline value of_code(code c) {
  value x;
  x.t = c == no_code ? value_type::null : value_type::code_val;
  x.c = c;
  return x;
}
inline value entity(value_type t, int i) {
  value x;
  x.t = i == none ? value_type::null : t;
  x.idx = i;
  return x;
}

struct bindings {
  int position = none, atasan = none, pd = none, from = none, to = none, delegation = none;
  int assignee = none, owner = none, issuer = none;
  code as = no_code, mode = no_code, scope = no_code, contract_scope = no_code, role = no_code;
  const nlohmann::json* step = nullptr;
  const team_view* team = nullptr;
  std::vector<value> vars;  // the names bound by every/some, by slot
};

// The rules' expressions, interpreted over the spec.
class walker : public spec_walks {
 public:
  using spec_walks::spec_walks;
  const kedudukan_table* table_for(int pd, const bindings& b) const {
    if (pd == none) return nullptr;
    const kedudukan_table* fallback = nullptr;
    for (const auto& tb : rules.kedudukan) {
      if (std::find(tb.pd_kinds.begin(), tb.pd_kinds.end(), unit_kind(pd)) == tb.pd_kinds.end()) continue;
      if (tb.when) {
        if (truthy(*tb.when, b)) return &tb;
      } else if (!fallback) {
        fallback = &tb;
      }
    }
    return fallback;
  }

  // The appraiser: the direct atasan, or up the chain past kinds the table
  // lists without the `penilai` mark.
  int penilai(int p) const {
    const int first = atasan_of(p);
    if (first == none || !is_fp_or_pelaksana(p) || in_penilai) return first;
    in_penilai = true;
    bindings b;
    b.position = p;
    b.atasan = first;
    b.pd = pd_of(unit_of(p));
    int found = first;  // when no position up the chain qualifies
    if (const auto* tb = table_for(b.pd, b)) {
      int cur = first;
      for (int hops = 0; cur != none && hops < 64; ++hops, cur = atasan_of(cur)) {
        bool listed = false, marked = false;
        for (const auto& e : tb->under) {
          if (std::find(e.kinds.begin(), e.kinds.end(), position_kind(cur)) != e.kinds.end()) {
            listed = true;
            marked = marked || e.penilai;
          }
        }
        if (!listed || marked) {
          found = cur;
          break;
        }
      }
    }
    in_penilai = false;
    return found;
  }

  // A delegation for the position `for_position`: true when it breaks no wajib or
  // dilarang delegasi rule, false when it breaks one, nothing when a rule
  // cannot be decided without a fact the delegation does not state.
  std::optional<bool> valid_delegation(int dl, int for_position) const {
    if (in_delegation) return true;
    in_delegation = true;
    bindings b;
    b.delegation = dl;
    b.position = for_position;
    bool broken = false, unknown = false;
    for (const auto& rule : rules.rules) {
      if (rule.on != query_kind::delegasi) continue;
      if (rule.info.level != strength::wajib && rule.info.level != strength::dilarang) continue;
      if (rule.when && !truthy(*rule.when, b)) continue;
      if (rule.info.level == strength::dilarang) {
        broken = true;
        continue;
      }
      if (!rule.require) continue;
      const auto r = known(*rule.require, b);
      broken = broken || (r && !*r);
      unknown = unknown || !r;
    }
    in_delegation = false;
    if (broken) return false;
    if (unknown) return std::nullopt;
    return true;
  }

  // Whether position p holds a valid delegation of one of `authorities`
  // (first), and whether one could not be decided (second).
  std::pair<bool, bool> delegation_state(int p, const std::vector<code>& authorities) const {
    bool unknown = false;
    for (std::size_t k = 0; k < org.delegations.size(); ++k) {
      const auto& dl = org.delegations[k];
      const auto auth = code_of(category::authority, dl.authority);
      if (position_ref(dl.to) != p || std::find(authorities.begin(), authorities.end(), auth) == authorities.end())
        continue;
      const auto ok = valid_delegation(static_cast<int>(k), subject);
      if (ok && *ok) return {true, false};
      unknown = unknown || !ok;
    }
    return {false, unknown};
  }

  // Unit x lies in u's subtree (u included), by walking x's parents.
  bool within(int x, int u) const {
    for (std::size_t guard = 0; x != none && guard <= org.units.size(); ++guard, x = parent(x)) {
      if (x == u) return true;
    }
    return false;
  }

  // ---- expressions -----------------------------------------------------------------
  value base(const cpath& p, const bindings& b) const {
    switch (p.base) {
      case base_name::position:
        return entity(value_type::position, b.position);
      case base_name::atasan:
        return entity(value_type::position, b.atasan);
      case base_name::pd:
        return entity(value_type::unit, b.pd);
      case base_name::from:
        return entity(value_type::position, b.from);
      case base_name::to:
        return entity(value_type::position, b.to);
      case base_name::as:
        return of_code(b.as);
      case base_name::delegation: {
        value v;
        if (b.delegation != none) v.t = value_type::delegation, v.delegation = b.delegation;
        return v;
      }
      case base_name::assignee:
        return entity(value_type::position, b.assignee);
      case base_name::owner:
        return entity(value_type::unit, b.owner);
      case base_name::issuer:
        return entity(value_type::position, b.issuer);
      case base_name::mode:
        return of_code(b.mode);
      case base_name::scope:
        return of_code(b.scope);
      case base_name::contract_scope:
        return of_code(b.contract_scope);
      case base_name::role:
        return of_code(b.role);
      case base_name::step: {
        value v;
        if (b.step) v.t = value_type::step, v.j = b.step;
        return v;
      }
      case base_name::var:
        return p.var < b.vars.size() ? b.vars[p.var] : value{};
      case base_name::team: {
        value v;
        if (b.team) v.t = value_type::team, v.team = b.team;
        return v;
      }
    }
    return {};
  }

  value position_prop(int p, const cstep& s) const {
    const auto& pos = org.positions[p];
    const int u = unit_of(p);
    switch (s.p) {
      case prop::id: {
        value v;
        v.t = value_type::string;
        v.s = pos.id;
        return v;
      }
      case prop::kind:
        return of_code(position_kind(p));
      case prop::jenis:
        return of_code(jenis(p));
      case prop::jenjang:
        return of_code(pos.jenjang ? code_of(category::jenjang, *pos.jenjang) : no_code);
      case prop::unit:
        return entity(value_type::unit, u);
      case prop::atasan:
        return entity(value_type::position, atasan_of(p));
      case prop::penilai:
        return entity(value_type::position, penilai(p));
      case prop::pimpinan_unit:
        return entity(value_type::position, u == none ? none : head(uo_of(u)));
      case prop::kepala_pd:
        return entity(value_type::position, pd_of(u) == none ? none : head(pd_of(u)));
      case prop::unit_organisasi:
        return entity(value_type::unit, uo_of(u));
      case prop::perangkat_daerah:
        return entity(value_type::unit, pd_of(u));
      case prop::instansi:
        return entity(value_type::unit, root(u));
      case prop::pejabat_berwenang:
        return entity(value_type::position, berwenang(u));
      case prop::heads:
      case prop::is_head: {
        int headed = none;
        for (std::size_t k = 0; k < org.units.size() && headed == none; ++k) {
          if (head(static_cast<int>(k)) == p) headed = static_cast<int>(k);
        }
        return s.p == prop::heads ? entity(value_type::unit, headed) : boolean(headed != none);
      }
      case prop::superiors: {
        value v;
        v.t = value_type::positions;
        v.set = chain_above(p);
        return v;
      }
      case prop::delegated:
        return boolean(delegation_state(p, s.codes).first);
      case prop::has_tag:
        return boolean(std::find(pos.tags.begin(), pos.tags.end(), s.text) != pos.tags.end());
      default:
        throw not_covered("position property " + std::to_string(static_cast<int>(s.p)));
    }
  }

  value unit_prop(int u, const cstep& s) const {
    const auto& un = org.units[u];
    switch (s.p) {
      case prop::id: {
        value v;
        v.t = value_type::string;
        v.s = un.id;
        return v;
      }
      case prop::kind:
        return of_code(unit_kind(u));
      case prop::head:
        return entity(value_type::position, head(u));
      case prop::parent:
        return entity(value_type::unit, parent(u));
      case prop::unit_organisasi:
        return entity(value_type::unit, uo_of(u));
      case prop::perangkat_daerah:
        return entity(value_type::unit, pd_of(u));
      case prop::instansi:
        return entity(value_type::unit, root(u));
      case prop::pimpinan_unit:
        return entity(value_type::position, head(uo_of(u)));
      case prop::kepala_pd:
        return entity(value_type::position, pd_of(u) == none ? none : head(pd_of(u)));
      case prop::pejabat_berwenang:
        return entity(value_type::position, berwenang(u));
      case prop::has_tag:
        return boolean(std::find(un.tags.begin(), un.tags.end(), s.text) != un.tags.end());
      case prop::tagged: {  // units of u's subtree carrying the tag, in the org's order
        value v;
        v.t = value_type::units;
        for (std::size_t x = 0; x < org.units.size(); ++x) {
          const auto& tags = org.units[x].tags;
          if (within(static_cast<int>(x), u) && std::find(tags.begin(), tags.end(), s.text) != tags.end())
            v.set.push_back(static_cast<int>(x));
        }
        return v;
      }
      case prop::find: {
        const int i = instansi(u);
        return entity(value_type::unit, i == none || s.codes.empty() ? none : unit_of_kind(i, s.codes[0]));
      }
      case prop::holders: {
        value v;
        v.t = value_type::positions;
        for (std::size_t p = 0; p < org.positions.size(); ++p) {
          const int pi = static_cast<int>(p);
          if (unit_within(unit_of(pi), u) &&
              std::find(s.codes.begin(), s.codes.end(), position_kind(pi)) != s.codes.end()) {
            v.set.push_back(pi);
          }
        }
        return v;
      }
      default:
        throw not_covered("unit property " + std::to_string(static_cast<int>(s.p)));
    }
  }

  [[nodiscard]] team_view team_of(const org::team_spec& t) const {
    team_view v;
    v.id = t.id;
    v.owner = unit_by_id(t.owner_unit);
    v.established_by = position_ref(t.established_by);
    v.ketua = position_ref(t.ketua);
    for (const auto& a : t.anggota) v.anggota.push_back(position_ref(a));
    v.has_target =
        t.target && (!t.target->sasaran.empty() || !t.target->indikator.empty() || !t.target->nilai.is_null());
    v.fields = org::to_json(t);
    return v;
  }

  value team_prop(const team_view& tm, const cstep& s) const {
    switch (s.p) {
      case prop::id: {
        value v;
        v.t = value_type::string;
        v.s = tm.id;
        return v;
      }
      case prop::owner:
        return entity(value_type::unit, tm.owner);
      case prop::ketua:
        return entity(value_type::position, tm.ketua);
      case prop::established_by:
        return entity(value_type::position, tm.established_by);
      case prop::anggota:
      case prop::members: {
        value v;
        v.t = value_type::positions;
        if (s.p == prop::members && tm.ketua != none) v.set.push_back(tm.ketua);
        v.set.insert(v.set.end(), tm.anggota.begin(), tm.anggota.end());
        return v;
      }
      case prop::cross_unit:
      case prop::cross_instansi: {
        // Whether the ketua or a member comes from outside the owner's unit
        // organisasi (cross_unit) or instansi (cross_instansi).
        const auto outside = [&](int p) {
          return s.p == prop::cross_unit ? uo_of(unit_of(p)) != uo_of(tm.owner)
                                         : instansi(unit_of(p)) != instansi(tm.owner);
        };
        bool any = tm.ketua != none && outside(tm.ketua);
        for (int a : tm.anggota) any = any || outside(a);
        return boolean(any);
      }
      case prop::has_target:
        return boolean(tm.has_target);
      case prop::field: {
        value v;
        if (tm.fields.is_object() && tm.fields.contains(s.text) && !tm.fields[s.text].is_null()) {
          v = typed(tm.fields[s.text], s.as);
        }
        return v;
      }
      case prop::role:
        return of_code(tm.role);
      default:
        throw not_covered("team property " + std::to_string(static_cast<int>(s.p)));
    }
  }

  value apply(const value& v, const cstep& s) const {
    switch (v.t) {
      case value_type::team:
        return team_prop(*v.team, s);
      case value_type::position:
        return position_prop(v.idx, s);
      case value_type::unit:
        return unit_prop(v.idx, s);
      case value_type::delegation: {
        const auto& dl = org.delegations[v.delegation];
        if (s.p == prop::from) return entity(value_type::position, position_ref(dl.from));
        if (s.p == prop::to) return entity(value_type::position, position_ref(dl.to));
        if (s.p == prop::authority) return of_code(code_of(category::authority, dl.authority));
        if (s.p == prop::field && dl.fields.is_object() && dl.fields.contains(s.text) && !dl.fields[s.text].is_null())
          return typed(dl.fields[s.text], s.as);
        return {};
      }
      case value_type::step:
      case value_type::json: {
        value out;
        if (v.j && v.j->is_object() && v.j->contains(s.text) && !(*v.j)[s.text].is_null()) {
          out = typed((*v.j)[s.text], s.as);
        }
        return out;
      }
      case value_type::positions:
      case value_type::units: {
        // Each member's property, as one set without repeats.
        value out;
        for (int i : v.set) {
          const auto one = v.t == value_type::positions ? position_prop(i, s) : unit_prop(i, s);
          std::vector<int> items;
          if (one.t == value_type::position || one.t == value_type::unit) {
            out.t = one.t == value_type::position ? value_type::positions : value_type::units;
            items = {one.idx};
          } else if (one.t == value_type::positions || one.t == value_type::units) {
            out.t = one.t;
            items = one.set;
          }
          for (int x : items) {
            if (std::find(out.set.begin(), out.set.end(), x) == out.set.end()) out.set.push_back(x);
          }
        }
        if (out.t == value_type::null && !v.set.empty()) out.t = v.t;
        return out;
      }
      default:
        throw not_covered("property of a value of type " + std::to_string(static_cast<int>(v.t)));
    }
  }

  value path(const cpath& p, const bindings& b) const {
    // The position a delegation is asked about (delegation rules see it as `position`).
    const int saved = subject;
    subject = b.position;
    struct restore {
      int& slot;
      int value;
      ~restore() { slot = value; }
    } restore_subject{subject, saved};
    value v = base(p, b);
    for (const auto& s : p.steps) {
      if (v.t == value_type::null) return v;
      v = apply(v, s);
    }
    return v;
  }

  std::vector<int> resolve(const std::vector<cpath>& roles, const bindings& b) const {
    std::vector<int> out;
    for (const auto& p : roles) {
      const auto v = path(p, b);
      std::vector<int> items;
      if (v.t == value_type::position) items = {v.idx};
      if (v.t == value_type::positions) items = v.set;
      for (int i : items) {
        if (i != none && std::find(out.begin(), out.end(), i) == out.end()) out.push_back(i);
      }
    }
    return out;
  }

  value eval(const cexpr& e, const bindings& b) const {
    switch (e.op) {
      case expr_op::path: {
        if (e.paths.size() == 1) return path(e.paths[0], b);
        value v;
        v.t = value_type::positions;
        v.set = resolve(e.paths, b);
        return v;
      }
      case expr_op::number: {
        value v;
        v.t = value_type::number;
        v.n = e.number;
        return v;
      }
      case expr_op::string: {
        value v;
        v.t = value_type::string;
        v.s = e.text;
        return v;
      }
      case expr_op::boolean:
        return boolean(e.boolean);
      case expr_op::code_lit:
        return of_code(e.literal);
      case expr_op::list:
        return {};
      case expr_op::eq:
        return boolean(equal(eval(e.kids[0], b), eval(e.kids[1], b)));
      case expr_op::ne:
        return boolean(!equal(eval(e.kids[0], b), eval(e.kids[1], b)));
      case expr_op::lt:
      case expr_op::le:
      case expr_op::gt:
      case expr_op::ge:
        return boolean(ordered(e, b));
      case expr_op::in: {
        const auto left = eval(e.kids[0], b);
        const auto& right = e.kids[1];
        if (right.op == expr_op::list) {
          for (const auto& k : right.kids) {
            if (equal(left, eval(k, b))) return boolean(true);
          }
          return boolean(false);
        }
        const auto set = eval(right, b);
        if (set.t == value_type::json) {  // membership in a JSON array
          if (!set.j || !set.j->is_array()) return boolean(false);
          for (const auto& x : *set.j) {
            value item;
            item.t = value_type::json;
            item.j = &x;
            if (equal(left, item)) return boolean(true);
          }
          return boolean(false);
        }
        if (left.t != value_type::position && left.t != value_type::unit) return boolean(false);
        if (set.t == value_type::position || set.t == value_type::unit) return boolean(equal(left, set));
        return boolean(std::find(set.set.begin(), set.set.end(), left.idx) != set.set.end());
      }
      case expr_op::is_null:
        return boolean(eval(e.kids[0], b).t == value_type::null);
      case expr_op::not_null:
        return boolean(eval(e.kids[0], b).t != value_type::null);
      case expr_op::and_:
        for (const auto& k : e.kids) {
          if (!truthy(k, b)) return boolean(false);
        }
        return boolean(true);
      case expr_op::or_:
        for (const auto& k : e.kids) {
          if (truthy(k, b)) return boolean(true);
        }
        return boolean(false);
      case expr_op::not_:
        return boolean(!truthy(e.kids[0], b));
      case expr_op::date_lit: {
        value v;
        v.t = value_type::date;
        v.n = e.number;
        return v;
      }
      case expr_op::count: {
        const auto set = eval(e.kids[0], b);
        value v;
        v.t = value_type::number;
        if (set.t == value_type::positions || set.t == value_type::units) {
          v.n = static_cast<double>(set.set.size());
        } else if (set.t == value_type::json && set.j->is_array()) {
          v.n = static_cast<double>(set.j->size());
        } else {
          return {};
        }
        return v;
      }
      case expr_op::months_between:
      case expr_op::days_between: {
        const auto from = eval(e.kids[0], b), to = eval(e.kids[1], b);
        if (from.t != value_type::date || to.t != value_type::date) return {};
        value v;
        v.t = value_type::number;
        v.n = e.op == expr_op::days_between ? to.n - from.n : whole_months(from.n, to.n);
        return v;
      }
      case expr_op::every:
      case expr_op::some: {
        const bool some = e.op == expr_op::some;
        for (const auto& one : members(e, b)) {
          if (truthy(e.kids[1], one) == some) return boolean(some);
        }
        return boolean(!some);
      }
    }
    return {};
  }

  // The bindings of each member of a quantifier's set, bound to its name.
  std::vector<bindings> members(const cexpr& e, const bindings& b) const {
    const auto set = eval(e.kids[0], b);
    std::vector<bindings> out;
    if (set.t != value_type::positions && set.t != value_type::units) return out;
    for (int x : set.set) {
      bindings one = b;
      if (one.vars.size() <= e.var) one.vars.resize(e.var + 1u);
      one.vars[e.var] = entity(set.t == value_type::positions ? value_type::position : value_type::unit, x);
      out.push_back(std::move(one));
    }
    return out;
  }

  // Whole months from one day number to another, through the calendar: a
  // month counts once its day of the month is reached.
  static double whole_months(double from, double to) {
    using namespace std::chrono;
    const year_month_day a{sys_days{days{static_cast<int>(from)}}}, z{sys_days{days{static_cast<int>(to)}}};
    int months = (int(z.year()) - int(a.year())) * 12 + (int(unsigned(z.month())) - int(unsigned(a.month())));
    if (to >= from && unsigned(z.day()) < unsigned(a.day())) --months;
    if (to<from&& unsigned(z.day())> unsigned(a.day())) ++months;
    return months;
  }

  // ---- evidence: what a condition reads that the data does not state ----------------
  // A path reads an unstated fact when a field it names is absent from the team
  // or JSON object it is read from (a JSON null is stated).
  bool path_unstated(const cpath& p, const bindings& b) const {
    value v = base(p, b);
    for (const auto& s : p.steps) {
      if (v.t == value_type::null) return false;
      if (v.t == value_type::team && s.p == prop::field && !v.team->fields.contains(s.text)) return true;
      if (v.t == value_type::delegation && s.p == prop::field) {
        const auto& fields = org.delegations[v.delegation].fields;
        if (!fields.is_object() || !fields.contains(s.text)) return true;
      }
      if (v.t == value_type::position && s.p == prop::delegated) {
        const int saved = subject;
        subject = b.position;
        const auto [holds, unknown] = delegation_state(v.idx, s.codes);
        subject = saved;
        if (!holds && unknown) return true;
      }
      if ((v.t == value_type::step || v.t == value_type::json) && v.j && v.j->is_object() && !v.j->contains(s.text))
        return true;
      v = apply(v, s);
    }
    return false;
  }

  bool reads_unstated(const cexpr& e, const bindings& b) const {
    for (const auto& p : e.paths) {
      if (path_unstated(p, b)) return true;
    }
    for (const auto& k : e.kids) {
      if (reads_unstated(k, b)) return true;
    }
    return false;
  }

  // True, false, or nothing when the condition cannot be decided without evidence.
  std::optional<bool> known(const cexpr& e, const bindings& b) const {
    if (e.op == expr_op::and_ || e.op == expr_op::or_) {
      const bool decisive = e.op == expr_op::or_;  // the value that decides it alone
      bool unknown = false;
      for (const auto& k : e.kids) {
        const auto r = known(k, b);
        if (r && *r == decisive) return decisive;
        unknown = unknown || !r;
      }
      if (unknown) return std::nullopt;
      return !decisive;
    }
    if (e.op == expr_op::not_) {
      const auto r = known(e.kids[0], b);
      if (!r) return std::nullopt;
      return !*r;
    }
    if (e.op == expr_op::every || e.op == expr_op::some) {
      if (reads_unstated(e.kids[0], b)) return std::nullopt;
      const bool decisive = e.op == expr_op::some;
      bool unknown = false;
      for (const auto& one : members(e, b)) {
        const auto r = known(e.kids[1], one);
        if (r && *r == decisive) return decisive;
        unknown = unknown || !r;
      }
      if (unknown) return std::nullopt;
      return !decisive;
    }
    if (reads_unstated(e, b)) return std::nullopt;
    return truthy(e, b);
  }

  bool truthy(const cexpr& e, const bindings& b) const {
    const auto v = eval(e, b);
    if (v.t == value_type::boolean) return v.b;
    if (v.t == value_type::null) return false;
    if (v.t == value_type::positions || v.t == value_type::units) return !v.set.empty();
    if (v.t == value_type::json) return !v.j->is_null() && !(v.j->is_boolean() && !v.j->get<bool>());
    return true;
  }

  static std::optional<double> number_of(const value& v) {
    if (v.t == value_type::number) return v.n;
    if (v.t == value_type::json && v.j->is_number()) return v.j->get<double>();
    return std::nullopt;
  }

  // A JSON field equals a string, code, number or boolean of the same content.
  bool equal_json(const nlohmann::json& j, const value& o) const {
    if (j.is_string()) {
      if (o.t == value_type::string) return j.get<std::string>() == o.s;
      if (o.t == value_type::code_val) return j.get<std::string>() == rules.vocab.name(o.c);
      return false;
    }
    if (j.is_number()) {
      const auto n = number_of(o);
      return n && *n == j.get<double>();
    }
    if (j.is_boolean()) return o.t == value_type::boolean && o.b == j.get<bool>();
    return false;
  }

  // A field's JSON read as its declared type: ids through the spec, dates
  // through std::chrono (a date that is not one reads as null).
  value typed(const nlohmann::json& j, convert as) const {
    value v;
    switch (as) {
      case convert::none:
        v.t = value_type::json;
        v.j = &j;
        return v;
      case convert::position:
        return j.is_string() ? entity(value_type::position, position_ref(j.get<std::string>())) : v;
      case convert::unit:
        return j.is_string() ? entity(value_type::unit, unit_by_id(j.get<std::string>())) : v;
      case convert::positions:
        if (!j.is_array()) return v;
        v.t = value_type::positions;
        for (const auto& x : j) {
          const int p = x.is_string() ? position_ref(x.get<std::string>()) : none;
          if (p != none && std::find(v.set.begin(), v.set.end(), p) == v.set.end()) v.set.push_back(p);
        }
        return v;
      case convert::date: {
        if (!j.is_string()) return v;
        const auto text = j.get<std::string>();
        int y = 0;
        unsigned m = 0, d = 0;
        char dash1 = 0, dash2 = 0, extra = 0;
        if (text.size() != 10 ||
            std::sscanf(text.c_str(), "%4d%c%2u%c%2u%c", &y, &dash1, &m, &dash2, &d, &extra) != 5 || dash1 != '-' ||
            dash2 != '-') {
          return v;
        }
        const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
        if (!ymd.ok()) return v;
        v.t = value_type::date;
        v.n = static_cast<double>(std::chrono::sys_days{ymd}.time_since_epoch().count());
        return v;
      }
    }
    return v;
  }

  bool equal(const value& a, const value& b) const {
    if (a.t == value_type::json) return equal_json(*a.j, b);
    if (b.t == value_type::json) return equal_json(*b.j, a);
    if (a.t != b.t) return false;
    switch (a.t) {
      case value_type::null:
        return true;
      case value_type::boolean:
        return a.b == b.b;
      case value_type::number:
      case value_type::date:
        return a.n == b.n;
      case value_type::string:
        return a.s == b.s;
      case value_type::code_val:
        return a.c == b.c;
      case value_type::position:
      case value_type::unit:
        return a.idx == b.idx;
      case value_type::team:
        return a.team == b.team;
      default:
        return false;
    }
  }

  bool ordered(const cexpr& e, const bindings& b) const {
    const auto a = eval(e.kids[0], b);
    const auto c = eval(e.kids[1], b);
    double x = 0, y = 0;
    if (a.t == value_type::code_val && c.t == value_type::code_val) {
      bool found = false;
      for (std::size_t i = 0; i < category_count && !found; ++i) {
        const auto cat = static_cast<category>(i);
        if (rules.vocab.ordered(cat) && rules.vocab.contains(cat, a.c) && rules.vocab.contains(cat, c.c)) {
          x = rules.vocab.rank(cat, a.c);
          y = rules.vocab.rank(cat, c.c);
          found = true;
        }
      }
      if (!found) return false;
    } else if (a.t == value_type::date && c.t == value_type::date) {
      x = a.n;
      y = c.n;
    } else if (number_of(a) && number_of(c)) {
      x = *number_of(a);
      y = *number_of(c);
    } else {
      return false;
    }
    switch (e.op) {
      case expr_op::lt:
        return x < y;
      case expr_op::le:
        return x <= y;
      case expr_op::gt:
        return x > y;
      default:
        return x >= y;
    }
  }

 private:
  mutable bool in_penilai = false, in_delegation = false;
  mutable int subject = none;  // the `position` of the path being read
};

}  // namespace perwal::reference::detail
