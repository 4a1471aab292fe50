// Compiled expressions evaluated against the org graph. Role expressions
// become graph lookups (precomputed UO / PD / instansi per unit, atasan
// intervals), so an expression never walks the org.
#include <algorithm>
#include <cstdio>
#include <set>
#include <span>
#include <utility>

#include "engine/common/dates.hpp"
#include "engine/eval/context.hpp"

namespace perwal::eval {

using json = nlohmann::json;

scalar scalar::boolean(bool v) {
  scalar x;
  x.t = value_type::boolean;
  x.b = v;
  return x;
}
scalar scalar::of_code(code v) {
  scalar x;
  x.t = v == no_code ? value_type::null : value_type::code_val;
  x.c = v;
  return x;
}
scalar scalar::entity(value_type t, index i) {
  scalar x;
  x.t = i == none ? value_type::null : t;
  x.idx = i;
  return x;
}
scalar unstated_value() {
  scalar x;
  x.t = value_type::unstated;
  return x;
}
scalar scalar::text(std::string_view s) {
  scalar x;
  x.t = value_type::string;
  x.s = s;
  return x;
}

namespace {

// The position or unit a base name is bound to, its type in `t`; for the
// other bases (codes, a team, a delegation, a step, a bound name) t is null.
index bound_entity(base_name base, const bindings& b, value_type& t) {
  t = value_type::position;
  switch (base) {
    case base_name::position:
      return b.position;
    case base_name::atasan:
      return b.atasan;
    case base_name::assignee:
      return b.assignee;
    case base_name::issuer:
      return b.issuer;
    case base_name::from:
      return b.from;
    case base_name::to:
      return b.to;
    case base_name::pd:
      t = value_type::unit;
      return b.pd;
    case base_name::owner:
      t = value_type::unit;
      return b.owner;
    default:
      t = value_type::null;
      return none;
  }
}

// The properties that are fields of a position's own record (position_prop
// reads the others): read in place, they need no call.
bool record_field(const org::position& pos, prop p, scalar& v) {
  switch (p) {
    case prop::id:
      v = scalar::text(pos.id);
      return true;
    case prop::kind:
      v = scalar::of_code(pos.kind);
      return true;
    case prop::jenis:
      v = scalar::of_code(pos.jenis);
      return true;
    case prop::jenjang:
      v = scalar::of_code(pos.jenjang);
      return true;
    case prop::unit:
      v = scalar::entity(value_type::unit, pos.unit);
      return true;
    case prop::atasan:
      v = scalar::entity(value_type::position, pos.atasan);
      return true;
    case prop::perangkat_daerah:
      v = scalar::entity(value_type::unit, pos.perangkat_daerah);
      return true;
    case prop::heads:
      v = scalar::entity(value_type::unit, pos.heads);
      return true;
    case prop::pimpinan_unit:
      v = scalar::entity(value_type::position, pos.pimpinan_unit);
      return true;
    case prop::is_head:
      v = scalar::boolean(pos.heads != none);
      return true;
    default:
      return false;
  }
}

}  // namespace

scalar context::base_value(const cpath& p, const bindings& b) const {
  value_type t = value_type::null;
  if (const index i = bound_entity(p.base, b, t); t != value_type::null) return scalar::entity(t, i);
  switch (p.base) {
    case base_name::mode:
      return scalar::of_code(b.mode);
    case base_name::scope:
      return scalar::of_code(b.scope);
    case base_name::contract_scope:
      return scalar::of_code(b.contract_scope);
    case base_name::role:
      return scalar::of_code(b.role);
    case base_name::as:
      return scalar::of_code(b.as);
    case base_name::team: {
      scalar v;
      if (b.team) v.t = value_type::team, v.team = b.team;
      return v;
    }
    case base_name::delegation: {
      scalar v;
      if (b.delegation) v.t = value_type::delegation, v.delegation = b.delegation;
      return v;
    }
    case base_name::step: {
      scalar v;
      if (b.step) v.t = value_type::step, v.j = b.step;
      return v;
    }
    case base_name::var:
      return p.var < vars_.size() ? vars_[p.var] : scalar{};
    default:  // the positions and units, above
      return {};
  }
}

scalar context::position_prop(index p, const cstep& s) const {
  const auto& pos = org.positions()[p];
  if (scalar v; record_field(pos, s.p, v)) return v;
  switch (s.p) {
    case prop::penilai:
      return scalar::entity(value_type::position, penilai_of(p));
    case prop::kepala_pd: {
      const auto pd = pos.perangkat_daerah;
      return scalar::entity(value_type::position, pd == none ? none : org.units()[pd].head);
    }
    case prop::unit_organisasi:
      return scalar::entity(value_type::unit, uo_of_unit(pos.unit));
    case prop::instansi:
      return scalar::entity(value_type::unit, root_of_unit(pos.unit));
    case prop::pejabat_berwenang:
      return scalar::entity(value_type::position, berwenang_of_unit(pos.unit));
    case prop::delegated: {
      bool unknown = false;
      for (const auto k : org.delegations_to(p)) {
        const auto& dl = org.delegations()[k];
        if (std::find(s.codes.begin(), s.codes.end(), dl.authority) == s.codes.end()) continue;
        const auto t = delegation_holds(dl);
        if (t == truth::holds) return scalar::boolean(true);
        unknown = unknown || t == truth::unknown;
      }
      return unknown && unstated_ ? unstated_value() : scalar::boolean(false);
    }
    case prop::has_tag:
      return scalar::boolean(std::find(pos.tags.begin(), pos.tags.end(), s.text) != pos.tags.end());
    default:
      return {};
  }
}

// Rules about delegations that ask about delegations again are not re-entered.
// A fact a rule needs and the delegation leaves unstated is named by the
// delegation's JSON path ("delegations[3].cakupan") for the caller's `needs`.
truth context::delegation_holds(const org::delegation& dl) const {
  if (checking_delegation_) return truth::holds;
  checking_delegation_ = true;
  bindings b;
  b.delegation = &dl;
  b.position = delegation_subject_;
  truth result = truth::holds;
  std::vector<std::string> facts;
  for (const auto i : rules.rules_on[static_cast<std::size_t>(query_kind::delegasi)]) {
    const auto& rule = rules.rules[i];
    if (result == truth::fails) continue;
    if (rule.info.level != strength::wajib && rule.info.level != strength::dilarang) continue;
    if (rule.when && !truthy(*rule.when, b)) continue;
    if (rule.info.level == strength::dilarang) {
      result = truth::fails;
      continue;
    }
    if (!rule.require) continue;
    std::vector<std::string> unstated;
    const auto t = check(*rule.require, b, &unstated);
    if (t == truth::fails) result = truth::fails;
    if (t == truth::unknown) {
      result = truth::unknown;
      for (const auto& f : unstated) facts.push_back(dl.json_path + "." + f);
    }
  }
  checking_delegation_ = false;
  if (result == truth::unknown && unstated_) {
    for (auto& f : facts) {
      if (std::find(unstated_->begin(), unstated_->end(), f) == unstated_->end()) unstated_->push_back(std::move(f));
    }
  }
  return result;
}

scalar context::unit_prop(index u, const cstep& s) const {
  const auto& un = org.units()[u];
  switch (s.p) {
    case prop::id:
      return scalar::text(un.id);
    case prop::kind:
      return scalar::of_code(un.kind);
    case prop::head:
      return scalar::entity(value_type::position, un.head);
    case prop::parent:
      return scalar::entity(value_type::unit, un.parent);
    case prop::unit_organisasi:
      return scalar::entity(value_type::unit, uo_of_unit(u));
    case prop::perangkat_daerah:
      return scalar::entity(value_type::unit, un.perangkat_daerah);
    case prop::instansi:
      return scalar::entity(value_type::unit, root_of_unit(u));
    case prop::pimpinan_unit:
      return scalar::entity(value_type::position, pimpinan_of_unit(u));
    case prop::kepala_pd: {
      const auto pd = un.perangkat_daerah;
      return scalar::entity(value_type::position, pd == none ? none : org.units()[pd].head);
    }
    case prop::pejabat_berwenang:
      return scalar::entity(value_type::position, berwenang_of_unit(u));
    case prop::has_tag:
      return scalar::boolean(std::find(un.tags.begin(), un.tags.end(), s.text) != un.tags.end());
    case prop::find: {
      const auto i = instansi_of_unit(u);
      return scalar::entity(value_type::unit, i == none || s.codes.empty() ? none : org.unit_of_kind(i, s.codes[0]));
    }
    default:
      return {};
  }
}

// The properties whose value is a set: a position's superiors, the units of
// a subtree carrying a tag, the holders of some kinds of position in a subtree.
value context::set_prop(const scalar& v, const cstep& s) const {
  value out;
  if (v.t == value_type::position && s.p == prop::superiors) {
    out.t = value_type::positions;
    for (index cur = org.positions()[v.idx].atasan; cur != none && out.set.size() < 64;
         cur = org.positions()[cur].atasan) {
      out.set.push_back(cur);
    }
  } else if (v.t == value_type::unit && s.p == prop::tagged) {  // u's subtree, u included
    const auto& un = org.units()[v.idx];
    out.t = value_type::units;
    const auto& units = org.units();
    for (index x = 0; x < static_cast<index>(units.size()); ++x) {
      const auto& ux = units[x];
      if (ux.pre < un.pre || ux.pre > un.post) continue;
      if (std::find(ux.tags.begin(), ux.tags.end(), s.text) != ux.tags.end()) out.set.push_back(x);
    }
  } else if (v.t == value_type::unit && s.p == prop::holders) {
    out.t = value_type::positions;
    auto [first, last] = org.positions_under(v.idx);
    for (auto it = first; it != last; ++it) {
      if (std::find(s.codes.begin(), s.codes.end(), org.positions()[*it].kind) != s.codes.end()) {
        out.set.push_back(*it);
      }
    }
  }
  return out;
}

value context::team_prop(const team_input& tm, const cstep& s) const {
  switch (s.p) {
    case prop::id:
      return scalar::text(tm.id);
    case prop::owner:
      return scalar::entity(value_type::unit, tm.owner_unit);
    case prop::ketua:
      return scalar::entity(value_type::position, tm.ketua);
    case prop::anggota:
    case prop::members: {
      value v;
      v.t = value_type::positions;
      if (s.p == prop::members && tm.ketua != none) v.set.push_back(tm.ketua);
      v.set.insert(v.set.end(), tm.anggota.begin(), tm.anggota.end());
      return v;
    }
    case prop::established_by:
      return scalar::entity(value_type::position, tm.established_by);
    case prop::cross_unit:
    case prop::cross_instansi: {
      const auto owner_uo = uo_of_unit(tm.owner_unit);
      const auto owner_inst = instansi_of_unit(tm.owner_unit);
      auto outside = [&](index p) {
        const auto u = unit_of(p);
        return s.p == prop::cross_unit ? uo_of_unit(u) != owner_uo : instansi_of_unit(u) != owner_inst;
      };
      bool any = tm.ketua != none && outside(tm.ketua);
      for (auto a : tm.anggota) any = any || outside(a);
      return scalar::boolean(any);
    }
    case prop::has_target:
      return scalar::boolean(tm.has_target);
    case prop::field:
      return field_of(&tm.fields(), s);
    case prop::role:
      return scalar::of_code(tm.role);
    default:
      return {};
  }
}

// A field of a step, a delegation or a team, as its declared type. Absent
// from the object: not stated (a JSON null is stated as none).
value context::field_of(const json* object, const cstep& s) const {
  value out;
  if (object == nullptr || !object->is_object()) return out;
  if (const auto it = object->find(s.text); it != object->end()) {
    return it->is_null() ? out : converted(*it, s.as);
  }
  if (unstated_) out.t = value_type::unstated;
  return out;
}

bool context::yields_set(const cstep& s) {
  return step_yields_set(s);
}

scalar context::apply(const scalar& v, const cstep& s) const {
  switch (v.t) {
    case value_type::position:
      return position_prop(v.idx, s);
    case value_type::unit:
      return unit_prop(v.idx, s);
    case value_type::team:
      return team_prop(*v.team, s);
    case value_type::delegation:
      switch (s.p) {
        case prop::from:
          return scalar::entity(value_type::position, v.delegation->from);
        case prop::to:
          return scalar::entity(value_type::position, v.delegation->to);
        case prop::authority:
          return scalar::of_code(v.delegation->authority);
        case prop::field:
          return field_of(&v.delegation->extra, s);
        default:
          return {};
      }
    case value_type::step:
    case value_type::json:
      // A JSON null or a non-object has no fields (null, not unstated).
      return v.j && v.j->is_object() ? field_of(v.j, s) : scalar{};
    default:
      return {};
  }
}

value context::apply(const value& v, const cstep& s) const {
  if (v.t == value_type::positions || v.t == value_type::units) {
    value out;
    // Without repeats: a linear search while the set is small (no
    // allocation), a search tree once it is not.
    std::set<index> seen;
    const auto add = [&](index x) {
      if (out.set.size() < 32) {
        if (std::find(out.set.begin(), out.set.end(), x) != out.set.end()) return;
      } else {
        if (seen.empty()) seen.insert(out.set.begin(), out.set.end());
        if (!seen.insert(x).second) return;
      }
      out.set.push_back(x);
    };
    const value_type elem = v.t == value_type::positions ? value_type::position : value_type::unit;
    for (auto i : v.set) {
      const auto one = apply(value(scalar::entity(elem, i)), s);
      if (one.t == value_type::position || one.t == value_type::unit) {
        out.t = one.t == value_type::position ? value_type::positions : value_type::units;
        add(one.idx);
      } else if (one.t == value_type::positions || one.t == value_type::units) {
        out.t = one.t;
        for (auto x : one.set) add(x);
      }
    }
    if (out.t == value_type::null && !v.set.empty()) out.t = v.t;  // keep an empty set typed
    return out;
  }
  if (!yields_set(s)) return apply(static_cast<const scalar&>(v), s);
  switch (v.t) {
    case value_type::position:
    case value_type::unit:
      return set_prop(v, s);
    case value_type::team:
      return team_prop(*v.team, s);
    case value_type::delegation:
      return s.p == prop::field ? field_of(&v.delegation->extra, s) : value{};
    case value_type::step:
    case value_type::json:
      return v.j && v.j->is_object() ? field_of(v.j, s) : value{};
    default:
      return {};
  }
}

// A field's JSON as the value of its declared type: ids become positions or
// units of the org (id or NIP), dates day numbers. A value that cannot be
// read as its type is null (the query reader reports malformed fields).
value context::converted(const json& j, convert as) const {
  value v;
  switch (as) {
    case convert::none:
      v.t = value_type::json;
      v.j = &j;
      return v;
    case convert::position:
      return j.is_string() ? scalar::entity(value_type::position, org.find_position(j.get_ref<const std::string&>()))
                           : v;
    case convert::unit:
      return j.is_string() ? scalar::entity(value_type::unit, org.find_unit(j.get_ref<const std::string&>())) : v;
    case convert::positions: {
      if (!j.is_array()) return v;
      v.t = value_type::positions;
      for (const auto& x : j) {
        const auto p = x.is_string() ? org.find_position(x.get_ref<const std::string&>()) : none;
        if (p != none && std::find(v.set.begin(), v.set.end(), p) == v.set.end()) v.set.push_back(p);
      }
      return v;
    }
    case convert::date: {
      const auto day = j.is_string() ? days_from_date(j.get_ref<const std::string&>()) : std::nullopt;
      if (!day) return v;
      v.t = value_type::date;
      v.n = *day;
      return v;
    }
  }
  return v;
}

// The compiler types every path, and a path that reaches a set stays one
// (engine/compile/resolve.cpp), so its type says; an untyped one is looked at.
bool context::yields_set(const cpath& p) {
  switch (p.type) {
    case value_type::positions:
    case value_type::units:
      return true;
    case value_type::any:
      return std::any_of(p.steps.begin(), p.steps.end(), [](const cstep& s) { return yields_set(s); });
    default:
      return false;
  }
}

// A path's steps from its base, as a scalar (V = scalar: no step yields a
// set) or as any value.
template <class V>
V context::walk(const cpath& p, const bindings& b) const {
  const index saved_subject = std::exchange(delegation_subject_, b.position);
  struct restore {
    index& slot;
    index value;
    ~restore() { slot = value; }
  } restore_subject{delegation_subject_, saved_subject};
  V v = base_value(p, b);
  for (std::size_t k = 0; k < p.steps.size(); ++k) {
    if (v.t == value_type::null) return v;
    v = apply(v, p.steps[k]);
    if (v.t == value_type::unstated) {
      // Name the fact as a path inside its object: the field steps up to here.
      std::string fact;
      for (std::size_t i = 0; i <= k; ++i) {
        if (p.steps[i].p != prop::field) continue;
        fact += (fact.empty() ? "" : ".") + p.steps[i].text;
      }
      // (no field step: a property that named its own facts, e.g. delegated())
      if (!fact.empty() && std::find(unstated_->begin(), unstated_->end(), fact) == unstated_->end())
        unstated_->push_back(fact);
      return v;
    }
  }
  return v;
}

value context::eval_path(const cpath& p, const bindings& b) const {
  if (yields_set(p)) return walk<value>(p, b);  // (not `?:`, whose common type would be the scalar)
  // One property of a bound position kept in its record (a report's `to
  // from.pimpinan_unit`): read in place, as walk would read it through position_prop.
  if (p.steps.size() == 1) {
    value_type t = value_type::null;
    if (const index i = bound_entity(p.base, b, t); t == value_type::position && i != none)
      if (scalar v; record_field(org.positions()[i], p.steps[0].p, v)) return v;
  }
  return walk<scalar>(p, b);
}

std::vector<index> context::resolve(const std::vector<cpath>& roles, const bindings& b) const {
  std::vector<index> out;
  auto add = [&](index i) {
    if (i != none && std::find(out.begin(), out.end(), i) == out.end()) out.push_back(i);
  };
  for (const auto& p : roles) {
    const auto v = eval_path(p, b);
    if (v.t == value_type::position) add(v.idx);
    if (v.t == value_type::positions) {
      for (auto i : v.set) add(i);
    }
  }
  return out;
}

namespace {
std::optional<double> number_of(const scalar& v) {
  if (v.t == value_type::number) return v.n;
  if (v.t == value_type::json && v.j && v.j->is_number()) return v.j->get<double>();
  return std::nullopt;
}
}  // namespace

bool context::yields_set(const cexpr& e) {
  return e.op == expr_op::path && (e.paths.size() != 1 || yields_set(e.paths[0]));
}

value context::eval(const cexpr& e, const bindings& b) const {
  if (e.op == expr_op::list) return {};  // only meaningful on the right of `in`
  if (!yields_set(e)) return eval_scalar(e, b);
  if (e.paths.size() == 1) return walk<value>(e.paths[0], b);
  value v;  // a union of roles
  v.t = value_type::positions;
  const auto named = resolve(e.paths, b);
  v.set.assign(named.begin(), named.end());
  return v;
}

scalar context::operand(const cexpr& e, const bindings& b) const {
  return yields_set(e) ? scalar(eval(e, b)) : eval_scalar(e, b);
}

// Every expression but a path to a set (and a list, read by `in`).
scalar context::eval_scalar(const cexpr& e, const bindings& b) const {
  switch (e.op) {
    case expr_op::path:
      return walk<scalar>(e.paths[0], b);
    case expr_op::number: {
      scalar v;
      v.t = value_type::number;
      v.n = e.number;
      return v;
    }
    case expr_op::string:
      return scalar::text(e.text);
    case expr_op::boolean:
      return scalar::boolean(e.boolean);
    case expr_op::code_lit:
      return scalar::of_code(e.literal);
    case expr_op::list:
      return {};
    case expr_op::date_lit: {
      scalar v;
      v.t = value_type::date;
      v.n = e.number;
      return v;
    }
    case expr_op::count: {
      const auto set = eval(e.kids[0], b);
      if (set.t == value_type::unstated) return set;
      scalar v;
      v.t = value_type::number;
      if (set.t == value_type::positions || set.t == value_type::units)
        v.n = static_cast<double>(set.set.size());
      else if (set.t == value_type::json && set.j && set.j->is_array())
        v.n = static_cast<double>(set.j->size());
      else
        return {};  // no set: nothing to count (null)
      return v;
    }
    case expr_op::months_between:
    case expr_op::days_between: {
      const auto from = operand(e.kids[0], b), to = operand(e.kids[1], b);
      if (from.t == value_type::unstated || to.t == value_type::unstated) return unstated_value();
      if (from.t != value_type::date || to.t != value_type::date) return {};
      scalar v;
      v.t = value_type::number;
      const int a = static_cast<int>(from.n), z = static_cast<int>(to.n);
      v.n = e.op == expr_op::days_between ? z - a : perwal::months_between(a, z);
      return v;
    }
    case expr_op::every:
    case expr_op::some: {
      // Each element bound in turn; three-valued like `and` (every) and `or` (some).
      const auto set = eval(e.kids[0], b);
      if (set.t == value_type::unstated) return set;
      const bool is_every = e.op == expr_op::every;
      if (vars_.size() <= e.var) vars_.resize(e.var + 1u);
      bool unknown = false;
      const value_type elem = set.t == value_type::units ? value_type::unit : value_type::position;
      for (auto x : set.set) {
        vars_[e.var] = scalar::entity(elem, x);
        const auto t = tri(e.kids[1], b);
        if (t == (is_every ? truth::fails : truth::holds)) return scalar::boolean(!is_every);
        unknown = unknown || t == truth::unknown;
      }
      return unknown ? unstated_value() : scalar::boolean(is_every);
    }
    case expr_op::eq:
    case expr_op::ne: {
      const auto x = operand(e.kids[0], b), y = operand(e.kids[1], b);
      if (x.t == value_type::unstated || y.t == value_type::unstated) return unstated_value();
      return scalar::boolean(equal(x, y) == (e.op == expr_op::eq));
    }
    case expr_op::lt:
    case expr_op::le:
    case expr_op::gt:
    case expr_op::ge: {
      const auto x = operand(e.kids[0], b), y = operand(e.kids[1], b);
      if (x.t == value_type::unstated || y.t == value_type::unstated) return unstated_value();
      return scalar::boolean(compare_ordered(e.op, x, y));
    }
    case expr_op::in: {
      const auto left = operand(e.kids[0], b);
      if (left.t == value_type::unstated) return left;
      const auto& right = e.kids[1];
      if (right.op == expr_op::list) {
        return scalar::boolean(std::any_of(right.kids.begin(), right.kids.end(), [&](const cexpr& k) {
          // A code in a list of codes (`jenis in [fungsional, pelaksana]`): compared without building a value.
          if (k.op == expr_op::code_lit && left.t == value_type::code_val) return left.c == k.literal;
          return equal(left, operand(k, b));
        }));
      }
      const auto set = eval(right, b);
      if (set.t == value_type::unstated) return set;
      if (set.t == value_type::json) {  // membership in a JSON array field
        if (!set.j || !set.j->is_array()) return scalar::boolean(false);
        return scalar::boolean(std::any_of(set.j->begin(), set.j->end(), [&](const json& x) {
          scalar item;
          item.t = value_type::json;
          item.j = &x;
          return equal(left, item);
        }));
      }
      if (left.t != value_type::position && left.t != value_type::unit) return scalar::boolean(false);
      if (set.t == value_type::position || set.t == value_type::unit) return scalar::boolean(equal(left, set));
      return scalar::boolean(std::find(set.set.begin(), set.set.end(), left.idx) != set.set.end());
    }
    case expr_op::is_null:
    case expr_op::not_null: {
      const auto v = operand(e.kids[0], b);
      if (v.t == value_type::unstated) return v;
      return scalar::boolean((v.t == value_type::null) == (e.op == expr_op::is_null));
    }
    case expr_op::and_:
    case expr_op::or_:
    case expr_op::not_: {  // read by tri, as a value
      const auto t = tri(e, b);
      return t == truth::unknown ? unstated_value() : scalar::boolean(t == truth::holds);
    }
  }
  return {};
}

// The connectives are read here, so that a condition's and/or/not never
// builds a value (most of what a kedudukan or pelaporan check evaluates is
// conditions); eval asks here for them. Kleene's three-valued logic: a false
// conjunct decides an `and` whatever is unstated, a true disjunct an `or`.
truth context::tri(const cexpr& e, const bindings& b) const {
  switch (e.op) {
    case expr_op::and_:
    case expr_op::or_: {
      const truth decisive = e.op == expr_op::and_ ? truth::fails : truth::holds;
      bool unknown = false;
      for (const auto& k : e.kids) {
        // A planned leaf is read here, without a call to tri for it.
        truth t = truth::unknown;
        if (k.leaf.t <= leaf_plan::test::general || !planned_leaf(k, k.leaf, b, t)) t = tri(k, b);
        if (t == decisive) return decisive;
        unknown = unknown || t == truth::unknown;
      }
      if (unknown) return truth::unknown;
      return e.op == expr_op::and_ ? truth::holds : truth::fails;
    }
    case expr_op::not_: {
      const auto t = tri(e.kids[0], b);
      if (t == truth::unknown) return t;
      return t == truth::holds ? truth::fails : truth::holds;
    }
    default: {
      if (truth quick = truth::unknown;
          e.leaf.t != leaf_plan::test::unplanned ? planned_leaf(e, e.leaf, b, quick) : quick_leaf(e, b, quick))
        return quick;
      return value_tri(e, b);
    }
  }
}

// A leaf no quick reading decides: its value's truth. Kept out of tri, whose
// frame then holds no value: most leaves never come here.
truth context::value_tri(const cexpr& e, const bindings& b) const {
  const auto truth_of = [](const auto& v) {
    if (v.t == value_type::unstated) return truth::unknown;
    return value_truth(v) ? truth::holds : truth::fails;
  };
  return yields_set(e) ? truth_of(eval(e, b)) : truth_of(eval_scalar(e, b));
}

// The commonest leaves of a condition, read without building operands: one
// property of a position or unit the bindings name, alone (`atasan.is_head`),
// compared with a code (`atasan.jenis == fungsional`, `atasan.jenis >=
// pengawas`), in a list of codes (`position.jenis in [fungsional,
// pelaksana]`), or equal to a bound name (`atasan.perangkat_daerah == pd`).
// Their shape is planned when the ruleset is compiled (cexpr::leaf, see
// plan_leaf); an expression built elsewhere is planned here. False for any
// other shape (and for an unbound base): eval_scalar reads it.
bool context::quick_leaf(const cexpr& e, const bindings& b, truth& out) const {
  if (e.leaf.t == leaf_plan::test::unplanned) return planned_leaf(e, plan_leaf(e, rules.vocab), b, out);
  return planned_leaf(e, e.leaf, b, out);
}

bool context::planned_leaf(const cexpr& e, const leaf_plan& lp, const bindings& b, truth& out) const {
  if (lp.t == leaf_plan::test::general) return false;
  // Fields of the position's record, read without building a value.
  if (bool holds = false; record_leaf(lp, nullptr, b, holds)) {
    out = holds ? truth::holds : truth::fails;
    return true;
  }
  value_type base = value_type::null;
  const index idx = bound_entity(lp.base, b, base);
  if (idx == none) return false;  // not a position or unit, or unbound: eval_scalar's null rules
  return value_leaf(e, lp, idx, base, b, out);
}

bool context::code_leaf(const leaf_plan& lp, code c, truth& out) const {
  const auto holds = code_test(lp, c, rules.vocab);
  if (!holds) return false;
  out = *holds ? truth::holds : truth::fails;
  return true;
}

bool context::value_leaf(const cexpr& e, const leaf_plan& lp, index idx, value_type base, const bindings& b,
                         truth& out) const {
  using test = leaf_plan::test;
  scalar v;
  if (base != value_type::position || !record_field(org.positions()[idx], lp.field, v)) {
    const cstep& step = (lp.t == test::alone ? e : e.kids[0]).paths[0].steps[0];
    // Delegation rules read the position whose kedudukan is checked (see walk).
    const index saved_subject = std::exchange(delegation_subject_, b.position);
    v = base == value_type::position ? position_prop(idx, step) : unit_prop(idx, step);
    delegation_subject_ = saved_subject;
  }
  if (v.t == value_type::unstated) {  // every shape below reads an unstated operand as unknown
    out = truth::unknown;
    return true;
  }
  if (v.t == value_type::code_val && code_leaf(lp, v.c, out)) return true;
  const auto verdict = [&](bool holds) {
    out = holds ? truth::holds : truth::fails;
    return true;
  };
  switch (lp.t) {
    case test::alone:
      return verdict(value_truth(v));
    case test::in_codes:
    case test::not_in_codes:
      // `==` / `!=` a code compares any value with it; `in` a list of codes only a code.
      if (e.op == expr_op::in) return false;
      return verdict(equal(v, scalar::of_code(lp.codes[0])) == (lp.t == test::in_codes));
    case test::ordered:
      return verdict(compare_ordered(lp.op, v, scalar::of_code(lp.codes[0])));
    case test::bound:
      return verdict(equal(v, base_value(e.kids[1].paths[0], b)) == (lp.op == expr_op::eq));
    default:
      return false;
  }
}

bool context::quick_condition(std::span<const condition_step> steps, const bindings& b, bool& holds) const {
  std::uint16_t at = 0;
  while (at < steps.size()) {
    const auto& s = steps[at];
    bool leaf_holds = false;
    if (!record_leaf(s.leaf, &s, b, leaf_holds)) return false;
    at = leaf_holds ? s.on_true : s.on_false;
  }
  if (steps.empty()) return false;
  holds = at == condition_step::holds;
  return true;
}

// A planned leaf decided by the record of the position its base is bound to,
// as value_leaf would decide it; false for anything else (a unit, an
// unstated code, a delegation received, a bound name that is not an
// entity). `bits`: the leaf's code test worked out as bits, if it is.
inline bool context::record_leaf(const leaf_plan& lp, const condition_step* bits, const bindings& b,
                                 bool& holds) const {
  using test = leaf_plan::test;
  value_type base = value_type::null;
  const index idx = bound_entity(lp.base, b, base);
  if (idx == none || base != value_type::position) return false;
  const auto& pos = org.positions()[idx];
  code c = no_code;
  value_type field_type = value_type::unit;
  index field = none;
  switch (lp.field) {
    case prop::kind:
      c = pos.kind;
      break;
    case prop::jenis:
      c = pos.jenis;
      break;
    case prop::jenjang:
      c = pos.jenjang;
      break;
    case prop::is_head:
      if (lp.t != test::alone) return false;
      holds = pos.heads != none;
      return true;
    case prop::delegated:
      if (lp.t != test::alone || pos.receives_delegation) return false;
      holds = false;
      return true;
    case prop::unit:
      field = pos.unit;
      break;
    case prop::perangkat_daerah:
      field = pos.perangkat_daerah;
      break;
    case prop::heads:
      field = pos.heads;
      break;
    case prop::atasan:
      field_type = value_type::position;
      field = pos.atasan;
      break;
    case prop::pimpinan_unit:
      field_type = value_type::position;
      field = pos.pimpinan_unit;
      break;
    default:
      return false;
  }
  if (c != no_code) {  // a stated code: its bit, or the test itself
    if (bits == nullptr || !bits->code_bits) return code_leaf(lp, c, holds);
    const unsigned at = static_cast<unsigned>(c) - bits->first_code;
    holds = at < 64 ? ((bits->bits >> at) & 1U) != 0 : bits->outside;
    return true;
  }
  if (lp.t != test::bound || lp.field == prop::kind || lp.field == prop::jenis || lp.field == prop::jenjang)
    return false;  // an unstated code, or an entity against anything but a bound name
  // `field == name`, both entities: equal when both are the same one, or both null.
  value_type right_type = value_type::null;
  const index right = bound_entity(lp.right, b, right_type);
  if (right_type == value_type::null) return false;
  const bool same = field == none || right == none ? field == right : field_type == right_type && field == right;
  holds = same == (lp.op == expr_op::eq);
  return true;
}

bool context::truthy(const cexpr& e, const bindings& b) const {
  if (bool holds = false; quick_condition(e.quick, b, holds)) return holds;
  // Unstated facts read as null here (a `when`, a role): only `check` asks
  // for evidence. With no list to name them in, nothing reads as unknown.
  auto* const saved = std::exchange(unstated_, nullptr);
  const auto t = tri(e, b);
  unstated_ = saved;
  return t == truth::holds;
}

truth context::check(const cexpr& e, const bindings& b, std::vector<std::string>* unstated) const {
  if (bool holds = false; quick_condition(e.quick, b, holds)) return holds ? truth::holds : truth::fails;
  std::vector<std::string> facts;
  auto* const saved = std::exchange(unstated_, &facts);
  const auto t = tri(e, b);
  unstated_ = saved;
  if (t == truth::unknown && unstated) *unstated = std::move(facts);
  return t;
}

bool context::value_truth(const value& v) {
  if (v.t == value_type::positions || v.t == value_type::units) return !v.set.empty();
  return value_truth(static_cast<const scalar&>(v));
}

bool context::value_truth(const scalar& v) {
  switch (v.t) {
    case value_type::boolean:
      return v.b;
    case value_type::null:
      return false;
    case value_type::json:
      return v.j && !v.j->is_null() && !(v.j->is_boolean() && !v.j->get<bool>());
    case value_type::positions:  // sets are read above
    case value_type::units:
    case value_type::unstated:
      return false;
    default:
      return true;
  }
}

bool context::equal(const scalar& a, const scalar& b) const {
  if (a.t == value_type::json || b.t == value_type::json) {
    const auto& j = a.t == value_type::json ? a : b;
    const auto& o = a.t == value_type::json ? b : a;
    if (!j.j) return false;
    if (j.j->is_string()) {
      const auto& s = j.j->get_ref<const std::string&>();
      if (o.t == value_type::string) return s == o.s;
      if (o.t == value_type::code_val) return s == rules.vocab.name(o.c);
      return false;
    }
    if (j.j->is_number()) {
      auto n = number_of(o);
      return n && *n == j.j->get<double>();
    }
    if (j.j->is_boolean()) return o.t == value_type::boolean && o.b == j.j->get<bool>();
    return false;
  }
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

bool context::compare_ordered(expr_op op, const scalar& a, const scalar& c) const {
  double x = 0, y = 0;
  if (a.t == value_type::code_val && c.t == value_type::code_val) {
    // Compare ranks within the category both codes belong to.
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
  } else if (a.t == value_type::date || c.t == value_type::date) {
    if (a.t != value_type::date || c.t != value_type::date) return false;
    x = a.n;
    y = c.n;
  } else {
    auto nx = number_of(a), ny = number_of(c);
    if (!nx || !ny) return false;
    x = *nx;
    y = *ny;
  }
  return ordered_holds(op, x, y);
}

std::vector<std::pair<std::string, std::string>> context::values_read(const cexpr& e, const bindings& b) const {
  std::vector<std::pair<std::string, std::string>> out;
  auto text_of = [&](const value& v) -> std::string {
    switch (v.t) {
      case value_type::position:
        return std::string(org.positions()[v.idx].id);
      case value_type::unit:
        return std::string(org.units()[v.idx].id);
      case value_type::code_val:
        return rules.vocab.name(v.c);
      case value_type::boolean:
        return v.b ? "true" : "false";
      case value_type::number: {
        auto n = std::to_string(v.n);
        n.erase(n.find_last_not_of('0') + 1);
        if (!n.empty() && n.back() == '.') n.pop_back();
        return n;
      }
      case value_type::date: {
        const auto [y, m, d] = civil_from_days(static_cast<int>(v.n));
        char buf[16];
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
        return buf;
      }
      case value_type::string:
        return "\"" + std::string(v.s) + "\"";
      case value_type::json: {
        auto dumped = v.j ? v.j->dump(-1, ' ', false, json::error_handler_t::replace) : "null";
        return dumped.size() > 80 ? dumped.substr(0, 77) + "..." : dumped;
      }
      case value_type::positions:
      case value_type::units:
        return std::to_string(v.set.size()) + (v.t == value_type::positions ? " jabatan/positions" : " unit");
      default:
        return "null";
    }
  };
  auto walk = [&](auto&& self, const cexpr& x) -> void {
    if (x.op == expr_op::path && x.paths.size() == 1 && x.paths[0].base != base_name::var) {
      const auto& p = x.paths[0];
      if (std::none_of(out.begin(), out.end(), [&](const auto& kv) { return kv.first == p.text; })) {
        out.emplace_back(p.text, text_of(eval_path(p, b)));
      }
      return;
    }
    if (x.op == expr_op::every || x.op == expr_op::some) {
      self(self, x.kids[0]);
      return;
    }
    for (const auto& k : x.kids) self(self, k);
  };
  walk(walk, e);
  return out;
}

}  // namespace perwal::eval
