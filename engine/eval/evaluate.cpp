// Evaluation: a query, bound to the org graph, run against the compiled
// rules. Role expressions become graph lookups (precomputed UO / PD /
// instansi per unit, atasan intervals), so a query never walks the org.
#include <algorithm>
#include <set>

#include "engine/eval/decision.hpp"

namespace perwal {

namespace {

using org::index;
using org::none;
using json = nlohmann::json;

// A team as the rules see it: from the org, or given inline in a query.
struct team_view {
  std::string id;
  index owner_unit = none;
  index established_by = none;
  index ketua = none;
  std::vector<index> anggota;
  bool has_target = false;
  code role = no_code;        // the assignee's role in a penugasan
  const json* raw = nullptr;  // the team object as given (org or query), for team.field("…")
};

// What the names of a rule's expressions are bound to.
struct bindings {
  index position = none, atasan = none, pd = none;
  index assignee = none, owner = none, issuer = none;
  index from = none, to = none;
  code mode = no_code, scope = no_code, contract_scope = no_code, role = no_code, as = no_code;
  const team_view* team = nullptr;
  const org::delegation* delegation = nullptr;
  const json* step = nullptr;
};

[[nodiscard]] inline bool tracing(const decision& d) {
  return d.traced;
}

struct value {
  value_type t = value_type::null;
  bool b = false;
  double n = 0;
  code c = no_code;
  std::string s;
  index idx = none;
  std::vector<index> set;  // positions or units
  const team_view* team = nullptr;
  const org::delegation* delegation = nullptr;
  const json* j = nullptr;

  static value null() { return {}; }
  static value boolean(bool v) {
    value x;
    x.t = value_type::boolean;
    x.b = v;
    return x;
  }
  static value of_code(code v) {
    value x;
    x.t = v == no_code ? value_type::null : value_type::code_val;
    x.c = v;
    return x;
  }
  static value entity(value_type t, index i) {
    value x;
    x.t = i == none ? value_type::null : t;
    x.idx = i;
    return x;
  }
};

class engine {
 public:
  engine(const compiled_ruleset& r, const org::org_graph& o, lang l) : r_(r), o_(o), lang_(l) {}

  // ---- graph helpers -------------------------------------------------------
  [[nodiscard]] index uo_of_unit(index u) const {
    if (u == none) return none;
    const auto uo = o_.units()[u].unit_organisasi;
    return uo == none ? u : uo;
  }
  [[nodiscard]] index pimpinan_of_unit(index u) const {
    const auto uo = uo_of_unit(u);
    return uo == none ? none : o_.units()[uo].head;
  }
  [[nodiscard]] index pd_of_unit(index u) const { return u == none ? none : o_.units()[u].perangkat_daerah; }
  [[nodiscard]] index instansi_of_unit(index u) const { return u == none ? none : o_.units()[u].instansi; }
  [[nodiscard]] index root_of_unit(index u) const {
    const auto i = instansi_of_unit(u);
    return i == none ? none : o_.instansis()[i].root_unit;
  }
  [[nodiscard]] index berwenang_of_unit(index u) const {
    const auto i = instansi_of_unit(u);
    return i == none ? none : o_.instansis()[i].pejabat_berwenang;
  }
  [[nodiscard]] index unit_of(index p) const { return p == none ? none : o_.positions()[p].unit; }

  [[nodiscard]] std::string pos_label(index p) const {
    if (p == none) return lang_ == lang::en ? "(nobody)" : "(tidak ada)";
    const auto& pos = o_.positions()[p];
    const std::string id(pos.id);
    return pos.title.empty() ? id : id + " (" + std::string(pos.title) + ")";
  }
  [[nodiscard]] std::string unit_label(index u) const {
    if (u == none) return lang_ == lang::en ? "(no unit)" : "(tidak ada unit)";
    const auto& un = o_.units()[u];
    const std::string id(un.id);
    return un.name.empty() ? id : id + " (" + std::string(un.name) + ")";
  }
  [[nodiscard]] std::string labels(const std::vector<index>& ps) const {
    std::string out;
    for (auto p : ps) out += (out.empty() ? "" : ", ") + pos_label(p);
    return out.empty() ? pos_label(none) : out;
  }
  [[nodiscard]] std::string code_labels(const std::vector<code>& cs, std::string_view sep) const {
    std::string out;
    for (auto c : cs) out += (out.empty() ? "" : std::string(sep)) + r_.vocab.label(c);
    return out;
  }
  [[nodiscard]] std::string t(std::string_view id, std::string_view en) const {
    return std::string(lang_ == lang::en ? en : id);
  }
  [[nodiscard]] std::string msg(const rule_info& info) const {
    return lang_ == lang::en ? info.message_en : info.message_id;
  }
  [[nodiscard]] std::string hint_of(const rule_info& info) const {
    return lang_ == lang::en ? info.hint_en : info.hint_id;
  }

  // Positions from p up its atasan chain to (and including) `stop`, or to the top.
  [[nodiscard]] std::vector<std::string> chain_ids(index p, index stop = none) const {
    std::vector<std::string> out;
    for (index cur = p; cur != none; cur = o_.positions()[cur].atasan) {
      out.push_back(std::string(o_.positions()[cur].id));
      if (cur == stop || out.size() > 64) break;
    }
    return out;
  }

  // ---- expressions ---------------------------------------------------------
  [[nodiscard]] value base_value(const cpath& p, const bindings& b) const {
    switch (p.base) {
      case base_name::position:
        return value::entity(value_type::position, b.position);
      case base_name::atasan:
        return value::entity(value_type::position, b.atasan);
      case base_name::pd:
        return value::entity(value_type::unit, b.pd);
      case base_name::assignee:
        return value::entity(value_type::position, b.assignee);
      case base_name::owner:
        return value::entity(value_type::unit, b.owner);
      case base_name::issuer:
        return value::entity(value_type::position, b.issuer);
      case base_name::from:
        return value::entity(value_type::position, b.from);
      case base_name::to:
        return value::entity(value_type::position, b.to);
      case base_name::mode:
        return value::of_code(b.mode);
      case base_name::scope:
        return value::of_code(b.scope);
      case base_name::contract_scope:
        return value::of_code(b.contract_scope);
      case base_name::role:
        return value::of_code(b.role);
      case base_name::as:
        return value::of_code(b.as);
      case base_name::team: {
        value v;
        if (b.team) v.t = value_type::team, v.team = b.team;
        return v;
      }
      case base_name::delegation: {
        value v;
        if (b.delegation) v.t = value_type::delegation, v.delegation = b.delegation;
        return v;
      }
      case base_name::step: {
        value v;
        if (b.step) v.t = value_type::step, v.j = b.step;
        return v;
      }
    }
    return {};
  }

  [[nodiscard]] value position_prop(index p, const cstep& s) const {
    const auto& pos = o_.positions()[p];
    switch (s.p) {
      case prop::id: {
        value v;
        v.t = value_type::string;
        v.s = pos.id;
        return v;
      }
      case prop::kind:
        return value::of_code(pos.kind);
      case prop::jenis:
        return value::of_code(pos.jenis);
      case prop::jenjang:
        return value::of_code(pos.jenjang);
      case prop::unit:
        return value::entity(value_type::unit, pos.unit);
      case prop::atasan:
        return value::entity(value_type::position, pos.atasan);
      case prop::penilai:
        return value::entity(value_type::position, penilai_of(p));
      case prop::pimpinan_unit:
        return value::entity(value_type::position, pimpinan_of_unit(pos.unit));
      case prop::kepala_pd: {
        const auto pd = pd_of_unit(pos.unit);
        return value::entity(value_type::position, pd == none ? none : o_.units()[pd].head);
      }
      case prop::unit_organisasi:
        return value::entity(value_type::unit, uo_of_unit(pos.unit));
      case prop::perangkat_daerah:
        return value::entity(value_type::unit, pd_of_unit(pos.unit));
      case prop::instansi:
        return value::entity(value_type::unit, root_of_unit(pos.unit));
      case prop::pejabat_berwenang:
        return value::entity(value_type::position, berwenang_of_unit(pos.unit));
      case prop::heads:
        return value::entity(value_type::unit, pos.heads);
      case prop::is_head:
        return value::boolean(pos.heads != none);
      case prop::superiors: {
        value v;
        v.t = value_type::positions;
        for (index cur = pos.atasan; cur != none && v.set.size() < 64; cur = o_.positions()[cur].atasan) {
          v.set.push_back(cur);
        }
        return v;
      }
      case prop::delegated: {
        bool any = false;
        for (const auto k : o_.delegations_to(p)) {
          const auto& dl = o_.delegations()[k];
          if (std::find(s.codes.begin(), s.codes.end(), dl.authority) != s.codes.end() && valid_delegation(dl)) {
            any = true;
            break;
          }
        }
        return value::boolean(any);
      }
      case prop::has_tag:
        return value::boolean(std::find(pos.tags.begin(), pos.tags.end(), s.text) != pos.tags.end());
      default:
        return {};
    }
  }

  // A delegation confers its authority only when it breaks no wajib or
  // dilarang `delegasi` rule of the ruleset (a pelaksana cannot delegate the
  // appraisal). Rules about delegations that ask about delegations again are
  // not re-entered.
  [[nodiscard]] bool valid_delegation(const org::delegation& dl) const {
    if (checking_delegation_) return true;
    checking_delegation_ = true;
    bindings b;
    b.delegation = &dl;
    bool ok = true;
    for (const auto& rule : r_.rules) {
      if (rule.on != query_kind::delegasi || !ok) continue;
      if (rule.info.level != strength::wajib && rule.info.level != strength::dilarang) continue;
      if (rule.when && !truthy(*rule.when, b)) continue;
      if (rule.info.level == strength::dilarang || (rule.require && !truthy(*rule.require, b))) ok = false;
    }
    checking_delegation_ = false;
    return ok;
  }

  [[nodiscard]] value unit_prop(index u, const cstep& s) const {
    const auto& un = o_.units()[u];
    switch (s.p) {
      case prop::id: {
        value v;
        v.t = value_type::string;
        v.s = un.id;
        return v;
      }
      case prop::kind:
        return value::of_code(un.kind);
      case prop::head:
        return value::entity(value_type::position, un.head);
      case prop::parent:
        return value::entity(value_type::unit, un.parent);
      case prop::unit_organisasi:
        return value::entity(value_type::unit, uo_of_unit(u));
      case prop::perangkat_daerah:
        return value::entity(value_type::unit, un.perangkat_daerah);
      case prop::instansi:
        return value::entity(value_type::unit, root_of_unit(u));
      case prop::pimpinan_unit:
        return value::entity(value_type::position, pimpinan_of_unit(u));
      case prop::kepala_pd: {
        const auto pd = un.perangkat_daerah;
        return value::entity(value_type::position, pd == none ? none : o_.units()[pd].head);
      }
      case prop::pejabat_berwenang:
        return value::entity(value_type::position, berwenang_of_unit(u));
      case prop::has_tag:
        return value::boolean(std::find(un.tags.begin(), un.tags.end(), s.text) != un.tags.end());
      case prop::find: {
        const auto i = instansi_of_unit(u);
        return value::entity(value_type::unit, i == none || s.codes.empty() ? none : o_.unit_of_kind(i, s.codes[0]));
      }
      case prop::holders: {
        value v;
        v.t = value_type::positions;
        auto [first, last] = o_.positions_under(u);
        for (auto it = first; it != last; ++it) {
          if (std::find(s.codes.begin(), s.codes.end(), o_.positions()[*it].kind) != s.codes.end()) {
            v.set.push_back(*it);
          }
        }
        return v;
      }
      default:
        return {};
    }
  }

  [[nodiscard]] value team_prop(const team_view& tm, const cstep& s) const {
    switch (s.p) {
      case prop::id: {
        value v;
        v.t = value_type::string;
        v.s = tm.id;
        return v;
      }
      case prop::owner:
        return value::entity(value_type::unit, tm.owner_unit);
      case prop::ketua:
        return value::entity(value_type::position, tm.ketua);
      case prop::anggota:
      case prop::members: {
        value v;
        v.t = value_type::positions;
        if (s.p == prop::members && tm.ketua != none) v.set.push_back(tm.ketua);
        v.set.insert(v.set.end(), tm.anggota.begin(), tm.anggota.end());
        return v;
      }
      case prop::established_by:
        return value::entity(value_type::position, tm.established_by);
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
        return value::boolean(any);
      }
      case prop::has_target:
        return value::boolean(tm.has_target);
      case prop::field: {
        value v;
        if (tm.raw && tm.raw->is_object() && tm.raw->contains(s.text)) {
          v.t = value_type::json;
          v.j = &(*tm.raw)[s.text];
        }
        return v;
      }
      case prop::role:
        return value::of_code(tm.role);
      default:
        return {};
    }
  }

  [[nodiscard]] value apply(const value& v, const cstep& s) const {
    switch (v.t) {
      case value_type::position:
        return position_prop(v.idx, s);
      case value_type::unit:
        return unit_prop(v.idx, s);
      case value_type::team:
        return team_prop(*v.team, s);
      case value_type::delegation: {
        if (s.p == prop::from) return value::entity(value_type::position, v.delegation->from);
        if (s.p == prop::to) return value::entity(value_type::position, v.delegation->to);
        if (s.p == prop::authority) return value::of_code(v.delegation->authority);
        return {};
      }
      case value_type::step:
      case value_type::json: {
        value out;
        if (v.j && v.j->is_object() && v.j->contains(s.text)) {
          out.t = value_type::json;
          out.j = &(*v.j)[s.text];
        }
        return out;
      }
      case value_type::positions:
      case value_type::units: {
        value out;
        std::set<index> seen;
        for (auto i : v.set) {
          auto one = v.t == value_type::positions ? position_prop(i, s) : unit_prop(i, s);
          if (one.t == value_type::position || one.t == value_type::unit) {
            out.t = one.t == value_type::position ? value_type::positions : value_type::units;
            if (seen.insert(one.idx).second) out.set.push_back(one.idx);
          } else if (one.t == value_type::positions || one.t == value_type::units) {
            out.t = one.t;
            for (auto x : one.set) {
              if (seen.insert(x).second) out.set.push_back(x);
            }
          }
        }
        if (out.t == value_type::null && !v.set.empty()) out.t = v.t;  // keep an empty set typed
        return out;
      }
      default:
        return {};
    }
  }

  [[nodiscard]] value eval_path(const cpath& p, const bindings& b) const {
    value v = base_value(p, b);
    for (const auto& s : p.steps) {
      if (v.t == value_type::null) return v;
      v = apply(v, s);
    }
    return v;
  }

  // Positions named by a union of role expressions (deduplicated, in order).
  [[nodiscard]] std::vector<index> resolve(const std::vector<cpath>& roles, const bindings& b) const {
    std::vector<index> out;
    for (const auto& p : roles) {
      const auto v = eval_path(p, b);
      auto add = [&](index i) {
        if (i != none && std::find(out.begin(), out.end(), i) == out.end()) out.push_back(i);
      };
      if (v.t == value_type::position) add(v.idx);
      if (v.t == value_type::positions) {
        for (auto i : v.set) add(i);
      }
    }
    return out;
  }

  [[nodiscard]] static std::string role_text(const std::vector<cpath>& roles) {
    std::string out;
    for (const auto& p : roles) out += (out.empty() ? "" : " | ") + p.text;
    return out;
  }

  [[nodiscard]] value eval(const cexpr& e, const bindings& b) const {
    switch (e.op) {
      case expr_op::path: {
        if (e.paths.size() == 1) return eval_path(e.paths[0], b);
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
        return value::boolean(e.boolean);
      case expr_op::code_lit:
        return value::of_code(e.literal);
      case expr_op::list:
        return {};  // only meaningful on the right of `in`
      case expr_op::eq:
        return value::boolean(equal(eval(e.kids[0], b), eval(e.kids[1], b)));
      case expr_op::ne:
        return value::boolean(!equal(eval(e.kids[0], b), eval(e.kids[1], b)));
      case expr_op::lt:
      case expr_op::le:
      case expr_op::gt:
      case expr_op::ge:
        return value::boolean(ordered(e, b));
      case expr_op::in: {
        const auto left = eval(e.kids[0], b);
        const auto& right = e.kids[1];
        if (right.op == expr_op::list) {
          return value::boolean(std::any_of(right.kids.begin(), right.kids.end(),
                                            [&](const cexpr& k) { return equal(left, eval(k, b)); }));
        }
        const auto set = eval(right, b);
        if (set.t == value_type::json) {  // membership in a JSON array field
          if (!set.j || !set.j->is_array()) return value::boolean(false);
          return value::boolean(std::any_of(set.j->begin(), set.j->end(), [&](const json& x) {
            value item;
            item.t = value_type::json;
            item.j = &x;
            return equal(left, item);
          }));
        }
        if (left.t != value_type::position && left.t != value_type::unit) return value::boolean(false);
        if (set.t == value_type::position || set.t == value_type::unit) return value::boolean(equal(left, set));
        return value::boolean(std::find(set.set.begin(), set.set.end(), left.idx) != set.set.end());
      }
      case expr_op::is_null:
        return value::boolean(eval(e.kids[0], b).t == value_type::null);
      case expr_op::not_null:
        return value::boolean(eval(e.kids[0], b).t != value_type::null);
      case expr_op::and_:
        return value::boolean(std::all_of(e.kids.begin(), e.kids.end(), [&](const cexpr& k) { return truthy(k, b); }));
      case expr_op::or_:
        return value::boolean(std::any_of(e.kids.begin(), e.kids.end(), [&](const cexpr& k) { return truthy(k, b); }));
      case expr_op::not_:
        return value::boolean(!truthy(e.kids[0], b));
    }
    return {};
  }

  [[nodiscard]] bool truthy(const cexpr& e, const bindings& b) const {
    const auto v = eval(e, b);
    switch (v.t) {
      case value_type::boolean:
        return v.b;
      case value_type::null:
        return false;
      case value_type::json:
        return v.j && !v.j->is_null() && !(v.j->is_boolean() && !v.j->get<bool>());
      case value_type::positions:
      case value_type::units:
        return !v.set.empty();
      default:
        return true;
    }
  }

  [[nodiscard]] std::optional<double> number_of(const value& v) const {
    if (v.t == value_type::number) return v.n;
    if (v.t == value_type::json && v.j && v.j->is_number()) return v.j->get<double>();
    return std::nullopt;
  }

  [[nodiscard]] bool equal(const value& a, const value& b) const {
    if (a.t == value_type::json || b.t == value_type::json) {
      const auto& j = a.t == value_type::json ? a : b;
      const auto& o = a.t == value_type::json ? b : a;
      if (!j.j) return false;
      if (j.j->is_string()) {
        const auto s = j.j->get<std::string>();
        if (o.t == value_type::string) return s == o.s;
        if (o.t == value_type::code_val) return s == r_.vocab.name(o.c);
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

  [[nodiscard]] bool ordered(const cexpr& e, const bindings& b) const {
    const auto a = eval(e.kids[0], b);
    const auto c = eval(e.kids[1], b);
    double x = 0, y = 0;
    if (a.t == value_type::code_val && c.t == value_type::code_val) {
      // Compare ranks within the category both codes belong to.
      bool found = false;
      for (std::size_t i = 0; i < category_count && !found; ++i) {
        const auto cat = static_cast<category>(i);
        if (r_.vocab.ordered(cat) && r_.vocab.contains(cat, a.c) && r_.vocab.contains(cat, c.c)) {
          x = r_.vocab.rank(cat, a.c);
          y = r_.vocab.rank(cat, c.c);
          found = true;
        }
      }
      if (!found) return false;
    } else {
      auto nx = number_of(a), ny = number_of(c);
      if (!nx || !ny) return false;
      x = *nx;
      y = *ny;
    }
    switch (e.op) {
      case expr_op::lt:
        return x < y;
      case expr_op::le:
        return x <= y;
      case expr_op::gt:
        return x > y;
      case expr_op::ge:
        return x >= y;
      default:
        return false;
    }
  }

  // ---- findings ------------------------------------------------------------
  // Generated text may start with a code label ("surat permohonan …"): a
  // message reads as a sentence.
  [[nodiscard]] static std::string sentence(std::string text) {
    if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 'a' + 'A');
    return text;
  }

  [[nodiscard]] finding make(const rule_info& info, std::string message, std::string hint,
                             std::vector<std::string> path) const {
    finding f;
    f.rule = info.name;
    f.strength = std::string(strength_name(info.level));
    f.citation = info.citation;
    f.message = sentence(std::move(message));
    f.hint = sentence(std::move(hint));
    f.path = std::move(path);
    return f;
  }

  void note_override(const rule_info& info, decision& d) const {
    if (!info.overrides) return;
    if (tracing(d))
      d.trace.push_back(
          t("  penggantian: ", "  override: ") + info.name + " (" + info.ruleset + ") " +
          (info.overrides->how == "refines" ? t("memperhalus", "refines") : t("menggantikan", "replaces")) +
          t(" aturan dasar ", " base rule ") + info.name + " (" + info.overrides->base_ruleset + ", " +
          info.overrides->base_citation + ")");
  }

  // Record a broken rule as a violation, or a warning when it is soft.
  void broken(const rule_info& info, finding f, decision& d) const {
    d.considered.push_back(info.name);
    if (tracing(d))
      d.trace.push_back(t("dilanggar: ", "broken: ") + info.name + " [" + std::string(strength_name(info.level)) +
                        "] — " + info.citation);
    note_override(info, d);
    if (info.level == strength::diutamakan || info.level == strength::boleh) {
      d.warnings.push_back(std::move(f));
    } else {
      d.violations.push_back(std::move(f));
    }
  }

  void held(const rule_info& info, decision& d, std::string_view extra = {}) const {
    d.considered.push_back(info.name);
    if (tracing(d))
      d.trace.push_back(t("terpenuhi: ", "held: ") + info.name + " [" + std::string(strength_name(info.level)) +
                        "] — " + info.citation + (extra.empty() ? "" : " — " + std::string(extra)));
    note_override(info, d);
  }

  void run_generic(query_kind q, const bindings& b, std::vector<std::string> path, decision& d) const {
    for (const auto& rule : r_.rules) {
      if (rule.on != q) continue;
      if (rule.when && !truthy(*rule.when, b)) {
        if (tracing(d)) d.trace.push_back(t("tidak berlaku: ", "not applicable: ") + rule.info.name);
        continue;
      }
      const bool is_broken = rule.info.level == strength::dilarang ? true
                             : rule.info.level == strength::boleh  ? false
                                                                   : (rule.require && !truthy(*rule.require, b));
      if (rule.info.level == strength::boleh) {
        if (tracing(d))
          d.trace.push_back(t("diperbolehkan: ", "permitted: ") + rule.info.name + " — " + rule.info.citation);
        d.considered.push_back(rule.info.name);
        continue;
      }
      if (is_broken) {
        broken(rule.info, make(rule.info, msg(rule.info), hint_of(rule.info), path), d);
      } else {
        held(rule.info, d);
      }
    }
  }

  // ---- kedudukan -----------------------------------------------------------
  [[nodiscard]] bool is_fp_or_pelaksana(index p) const {
    const auto j = o_.positions()[p].jenis;
    return j == r_.known.fungsional || j == r_.known.pelaksana;
  }

  // The Pejabat Penilai Kinerja (Pasal 1 angka 13: the direct atasan). When
  // the kedudukan table of p's perangkat daerah lists the atasan's kind
  // without the `penilai` mark (a coordinator such as a kepala subbagian), the
  // appraisal goes up the chain to the first position that is marked or is not
  // in the table at all (a delegate, for one).
  [[nodiscard]] index penilai_of(index p) const {
    const index first = o_.positions()[p].atasan;
    // A table condition that asks for the appraiser again gets the plain atasan.
    if (first == none || !is_fp_or_pelaksana(p) || resolving_penilai_) return first;
    resolving_penilai_ = true;
    const index found = penilai_up_from(p, first);
    resolving_penilai_ = false;
    return found;
  }

  [[nodiscard]] index penilai_up_from(index p, index first) const {
    bindings b;
    b.position = p;
    b.atasan = first;
    b.pd = pd_of_unit(unit_of(p));
    const auto* tb = table_for(b.pd, b);
    if (!tb) return first;
    index cur = first;
    for (int hops = 0; cur != none && hops < 64; ++hops, cur = o_.positions()[cur].atasan) {
      bool listed = false, marked = false;
      for (const auto& e : tb->under) {
        if (std::find(e.kinds.begin(), e.kinds.end(), o_.positions()[cur].kind) != e.kinds.end()) {
          listed = true;
          marked = marked || e.penilai;
        }
      }
      if (!listed || marked) return cur;
    }
    return first;
  }

  [[nodiscard]] const kedudukan_table* table_for(index pd, const bindings& b) const {
    if (pd == none) return nullptr;
    const kedudukan_table* fallback = nullptr;
    for (const auto& tb : r_.kedudukan) {
      if (std::find(tb.pd_kinds.begin(), tb.pd_kinds.end(), o_.units()[pd].kind) == tb.pd_kinds.end()) continue;
      if (tb.when) {
        if (truthy(*tb.when, b)) return &tb;
      } else if (!fallback) {
        fallback = &tb;
      }
    }
    return fallback;
  }

  void check_kedudukan(index p, index atasan, decision& d) const {
    bindings b;
    b.position = p;
    b.atasan = atasan;
    b.pd = pd_of_unit(unit_of(p));
    std::vector<std::string> path = {std::string(o_.positions()[p].id)};
    if (atasan != none) path.push_back(std::string(o_.positions()[atasan].id));
    if (d.traced) {
      std::string chain;
      for (const auto& id : chain_ids(p)) chain += (chain.empty() ? "" : " → ") + id;
      if (tracing(d))
        d.trace.push_back(t("jalur atasan: ", "atasan chain: ") + chain +
                          t("; perangkat daerah: ", "; perangkat daerah: ") + unit_label(b.pd));
    }
    run_generic(query_kind::kedudukan, b, path, d);
    if (!is_fp_or_pelaksana(p)) {
      if (tracing(d))
        d.trace.push_back(t("tabel kedudukan hanya untuk Pejabat Fungsional dan pelaksana: ",
                            "kedudukan tables apply to functional officials and executors only: ") +
                          std::string(o_.positions()[p].id));
      return;
    }
    const auto* tb = table_for(b.pd, b);
    if (!tb) {
      if (tracing(d))
        d.trace.push_back(t("tidak ada tabel kedudukan untuk jenis perangkat daerah ",
                            "no kedudukan table for the kind of perangkat daerah ") +
                          (b.pd == none ? std::string("-") : r_.vocab.name(o_.units()[b.pd].kind)));
      return;
    }
    std::vector<code> allowed;
    const kedudukan_entry* match = nullptr;
    for (const auto& e : tb->under) {
      allowed.insert(allowed.end(), e.kinds.begin(), e.kinds.end());
      if (atasan != none && !match &&
          std::find(e.kinds.begin(), e.kinds.end(), o_.positions()[atasan].kind) != e.kinds.end()) {
        match = &e;
      }
    }
    const bool same_pd = atasan != none && pd_of_unit(unit_of(atasan)) == b.pd;
    if (match && same_pd) {
      std::string roles = t("level ", "level ") + std::to_string(match->level);
      if (match->penilai) roles += t(", Pejabat Penilai Kinerja", ", performance appraiser");
      if (match->pimpinan_unit) roles += t(", Pimpinan Unit Organisasi", ", head of the unit organisasi");
      held(tb->info, d, d.traced ? r_.vocab.label(o_.positions()[atasan].kind) + " (" + roles + ")" : std::string());
      return;
    }
    const auto& pd_unit = o_.units()[b.pd];
    std::string message = msg(tb->info);
    const std::string allowed_text = code_labels(allowed, t(" atau ", " or "));
    if (message.empty()) {
      message = t("Pejabat Fungsional dan pelaksana pada ", "Functional officials and executors in ") +
                r_.vocab.label(pd_unit.kind) + t(" berkedudukan di bawah ", " sit under ") + allowed_text;
    }
    if (!message.empty() && message.back() == '.') message.pop_back();  // the details follow after "; "
    if (atasan == none) {
      message += t("; posisi ini tidak mempunyai atasan", "; this position has no atasan");
    } else if (!match) {
      message += t("; atasannya ", "; its atasan ") + pos_label(atasan) + t(" adalah ", " is a ") +
                 r_.vocab.label(o_.positions()[atasan].kind);
    } else {
      message += t("; atasannya ", "; its atasan ") + pos_label(atasan) +
                 t(" berada di luar perangkat daerahnya (", " is outside its perangkat daerah (") + unit_label(b.pd) +
                 ")";
    }
    std::string hint = hint_of(tb->info);
    const auto candidate = candidate_atasan(p, b.pd, allowed);
    if (candidate != none) {
      hint = t("Tetapkan atasan ", "Set the atasan to ") + pos_label(candidate) + (hint.empty() ? "" : ". " + hint);
    } else if (hint.empty()) {
      hint = t("Tempatkan di bawah ", "Place it under ") + allowed_text + t(" pada ", " in ") + unit_label(b.pd);
    }
    broken(tb->info, make(tb->info, message, hint, path), d);
  }

  // The nearest position of an allowed kind whose unit contains p's unit.
  [[nodiscard]] index candidate_atasan(index p, index pd, const std::vector<code>& allowed) const {
    for (index u = unit_of(p); u != none; u = o_.units()[u].parent) {
      const auto head = o_.units()[u].head;
      if (head != none && head != p &&
          std::find(allowed.begin(), allowed.end(), o_.positions()[head].kind) != allowed.end()) {
        return head;
      }
      if (u == pd) break;
    }
    return none;
  }

  // ---- audit ---------------------------------------------------------------
  void check_delegation(const org::delegation& dl, decision& d) const {
    bindings b;
    b.delegation = &dl;
    std::vector<std::string> path = {dl.json_path, std::string(o_.positions()[dl.from].id),
                                     std::string(o_.positions()[dl.to].id)};
    run_generic(query_kind::delegasi, b, path, d);
  }

  [[nodiscard]] team_view view_of(const org::team& tm) const {
    team_view v;
    v.id = tm.id;
    v.owner_unit = tm.owner_unit;
    v.established_by = tm.established_by;
    v.ketua = tm.ketua;
    v.anggota = tm.anggota;
    v.has_target = !tm.target.sasaran.empty() || !tm.target.indikator.empty() || !tm.target.nilai.is_null();
    v.raw = &tm.extra;
    return v;
  }

  void check_team(const team_view& tm, decision& d) const {
    bindings b;
    b.team = &tm;
    std::vector<std::string> path = {std::string(tm.id)};
    if (tm.ketua != none) path.push_back(std::string(o_.positions()[tm.ketua].id));
    run_generic(query_kind::tim, b, path, d);
  }

 public:
  const compiled_ruleset& r_;
  const org::org_graph& o_;
  lang lang_;
  mutable bool checking_delegation_ = false;  // an engine serves one query on one thread
  mutable bool resolving_penilai_ = false;
};

// ---- query parsing ----------------------------------------------------------
class query_reader {
 public:
  query_reader(const engine& e, std::vector<query_error>& errs) : e_(e), errs_(errs) {}

  void error(std::string path, std::string message) { errs_.push_back({std::move(path), std::move(message)}); }

  std::optional<std::string> string_field(const json& q, const std::string& key, const std::string& path,
                                          bool required) {
    if (!q.contains(key) || q[key].is_null()) {
      if (required) error(path + key, "required");
      return std::nullopt;
    }
    if (!q[key].is_string()) {
      error(path + key, "must be a string");
      return std::nullopt;
    }
    return q[key].get<std::string>();
  }

  index position(const json& q, const std::string& key, const std::string& path, bool required) {
    auto s = string_field(q, key, path, required);
    if (!s) return none;
    const auto p = e_.o_.find_position(*s);
    if (p == none) error(path + key, "no position or employee \"" + *s + "\"");
    return p;
  }

  index unit(const json& q, const std::string& key, const std::string& path, bool required) {
    auto s = string_field(q, key, path, required);
    if (!s) return none;
    const auto u = e_.o_.find_unit(*s);
    if (u == none) error(path + key, "no unit \"" + *s + "\"");
    return u;
  }

  code code_of(category cat, const json& q, const std::string& key, const std::string& path, bool required) {
    auto s = string_field(q, key, path, required);
    if (!s) return no_code;
    auto c = e_.r_.vocab.find(cat, *s);
    if (!c) {
      std::string known;
      for (auto k : e_.r_.vocab.codes(cat)) known += (known.empty() ? "" : ", ") + e_.r_.vocab.name(k);
      error(path + key,
            "unknown " + std::string(category_name(cat)) + " \"" + *s + "\" (expected one of: " + known + ")");
      return no_code;
    }
    return *c;
  }

  // A team: an id of the org's teams, or an inline object in the org's team form.
  std::optional<team_view> team(const json& t, const std::string& path) {
    if (t.is_string()) {
      const auto i = e_.o_.find_team(t.get<std::string>());
      if (i == none) {
        error(path, "no team \"" + t.get<std::string>() + "\"");
        return std::nullopt;
      }
      return e_.view_of(e_.o_.teams()[i]);
    }
    if (!t.is_object()) {
      error(path, "must be a team id or a team object");
      return std::nullopt;
    }
    const std::string p = path + ".";
    if (t.contains("id") && t["id"].is_string() && !t.contains("owner_unit")) {
      const auto i = e_.o_.find_team(t["id"].get<std::string>());
      if (i == none) {
        error(p + "id", "no team \"" + t["id"].get<std::string>() + "\"");
        return std::nullopt;
      }
      return e_.view_of(e_.o_.teams()[i]);
    }
    team_view v;
    v.id = t.contains("id") && t["id"].is_string() ? t["id"].get<std::string>() : std::string("(inline)");
    v.owner_unit = unit(t, "owner_unit", p, true);
    v.established_by = position(t, "established_by", p, false);
    v.ketua = position(t, "ketua", p, false);
    if (t.contains("anggota")) {
      if (!t["anggota"].is_array()) {
        error(p + "anggota", "must be an array of position ids or NIPs");
      } else {
        for (std::size_t i = 0; i < t["anggota"].size(); ++i) {
          const auto& a = t["anggota"][i];
          const std::string ap = p + "anggota[" + std::to_string(i) + "]";
          if (!a.is_string()) {
            error(ap, "must be a string");
            continue;
          }
          const auto x = e_.o_.find_position(a.get<std::string>());
          if (x == none)
            error(ap, "no position or employee \"" + a.get<std::string>() + "\"");
          else
            v.anggota.push_back(x);
        }
      }
    }
    v.has_target = t.contains("target") && !t["target"].is_null();
    v.raw = &t;
    return v;
  }

 private:
  const engine& e_;
  std::vector<query_error>& errs_;
};

struct given_step {
  code action = no_code;
  index by = none, from = none, to = none;
  std::vector<index> cc;
  std::vector<code> contents;
  std::string reason;
  const json* raw = nullptr;
  std::size_t at = 0;
};

class penugasan_check {
 public:
  penugasan_check(const engine& e, decision& d) : e_(e), d_(d) {}

  void run(const json& q, query_reader& rd, std::size_t errors_before, const std::vector<query_error>& errs) {
    b_.assignee = rd.position(q, "assignee", "", true);
    b_.owner = rd.unit(q, "owner_unit", "", true);
    b_.issuer = rd.position(q, "assigned_by", "", false);
    b_.mode = rd.code_of(category::mode, q, "mode", "", true);
    if (q.contains("team") && !q["team"].is_null()) {
      const auto& t = q["team"];
      if (t.is_object() && t.contains("role")) {
        team_role_ = rd.code_of(category::team_role, t, "role", "team.", true);
      } else if (t.is_object()) {
        rd.error("team.role", "required (ketua or anggota)");
      }
      if (t.is_object() && (t.contains("id") || t.contains("owner_unit"))) {
        auto v = rd.team(t, "team");
        if (v) team_ = *v;
      } else if (!t.is_object()) {
        rd.error("team", "must be null or an object {\"id\": …, \"role\": …}");
      }
      team_.role = team_role_;
      b_.team = &team_;
      b_.role = team_role_;
    }
    read_steps(q, rd);
    if (errs.size() > errors_before) return;
    issuer_given_ = b_.issuer != none;
    if (!issuer_given_) b_.issuer = issuer_from_steps();

    derive_scope();
    std::vector<std::string> path = {std::string(e_.o_.positions()[b_.assignee].id),
                                     std::string(e_.o_.units()[b_.owner].id)};
    e_.run_generic(query_kind::penugasan, b_, path, d_);
    if (b_.scope == no_code) {
      rule_info info;
      info.name = "penugasan.lingkup";
      info.citation = e_.r_.header.cite_as;
      broken(info,
             e_.t("Regulasi ini tidak mengatur penugasan dalam lingkup ",
                  "This regulation has no rule for "
                  "assignments in scope ") +
                 *d_.scope,
             e_.t("Gunakan mekanisme yang diatur regulasi", "Use a mechanism the regulation provides"), path);
      return;
    }
    const auto* wf = pick_workflow();
    if (!wf) {
      if (d_.violations.empty()) {
        rule_info info;
        info.name = "penugasan.mekanisme";
        info.citation = e_.r_.scope_citation[static_cast<std::size_t>(cscope_)];
        broken(info,
               e_.t("Regulasi tidak menyediakan mekanisme ", "The regulation provides no mechanism for ") +
                   e_.r_.vocab.name(b_.mode) + e_.t(" dalam lingkup ", " in scope ") + e_.r_.vocab.name(b_.scope),
               e_.t("Gunakan mekanisme lain yang diatur", "Use another mechanism the regulation provides"), path);
      }
      return;
    }
    d_.workflow = wf->info.name;
    d_.considered.push_back(wf->info.name);
    if (tracing(d_)) d_.trace.push_back(e_.t("alur: ", "workflow: ") + wf->info.name + " — " + wf->info.citation);
    e_.note_override(wf->info, d_);
    run_workflow(*wf);
  }

 private:
  void broken(const rule_info& info, std::string message, std::string hint, std::vector<std::string> path) {
    e_.broken(info, e_.make(info, std::move(message), std::move(hint), std::move(path)), d_);
  }

  void read_steps(const json& q, query_reader& rd) {
    if (!q.contains("steps") || q["steps"].is_null()) return;
    if (!q["steps"].is_array()) {
      rd.error("steps", "must be an array of steps");
      return;
    }
    for (std::size_t i = 0; i < q["steps"].size(); ++i) {
      const auto& s = q["steps"][i];
      const std::string p = "steps[" + std::to_string(i) + "].";
      if (!s.is_object()) {
        rd.error("steps[" + std::to_string(i) + "]", "must be an object with an action");
        continue;
      }
      given_step g;
      g.raw = &s;
      g.at = i;
      g.action = rd.code_of(category::action, s, "action", p, true);
      g.by = rd.position(s, "by", p, false);
      g.from = rd.position(s, "from", p, false);
      g.to = rd.position(s, "to", p, false);
      if (s.contains("cc") && !s["cc"].is_null()) {
        if (!s["cc"].is_array())
          rd.error(p + "cc", "must be an array of position ids or NIPs");
        else {
          for (std::size_t k = 0; k < s["cc"].size(); ++k) {
            const auto& c = s["cc"][k];
            const std::string cp = p + "cc[" + std::to_string(k) + "]";
            if (!c.is_string()) {
              rd.error(cp, "must be a string");
              continue;
            }
            const auto x = e_.o_.find_position(c.get<std::string>());
            if (x == none)
              rd.error(cp, "no position or employee \"" + c.get<std::string>() + "\"");
            else
              g.cc.push_back(x);
          }
        }
      }
      if (s.contains("contents") && !s["contents"].is_null()) {
        if (!s["contents"].is_array())
          rd.error(p + "contents", "must be an array of contents codes");
        else {
          for (std::size_t k = 0; k < s["contents"].size(); ++k) {
            const auto& c = s["contents"][k];
            const std::string cp = p + "contents[" + std::to_string(k) + "]";
            if (!c.is_string()) {
              rd.error(cp, "must be a string");
              continue;
            }
            auto code_id = e_.r_.vocab.find(category::content, c.get<std::string>());
            if (!code_id)
              rd.error(cp, "unknown content \"" + c.get<std::string>() + "\"");
            else
              g.contents.push_back(*code_id);
          }
        }
      }
      if (s.contains("reason") && s["reason"].is_string()) g.reason = s["reason"].get<std::string>();
      steps_.push_back(std::move(g));
    }
  }

  // Without assigned_by, the issuer is whoever signed the assignment letter
  // (CONTRACT §3): the last surat_penugasan or penetapan step.
  [[nodiscard]] index issuer_from_steps() const {
    for (auto it = steps_.rbegin(); it != steps_.rend(); ++it) {
      const auto& name = e_.r_.vocab.name(it->action);
      if (name == "surat_penugasan" || name == "penetapan") return it->by != none ? it->by : it->from;
    }
    return none;
  }

  void derive_scope() {
    const auto au = e_.unit_of(b_.assignee);
    if (e_.instansi_of_unit(au) != e_.instansi_of_unit(b_.owner))
      cscope_ = contract_scope::lintas_instansi;
    else if (e_.pd_of_unit(au) != e_.pd_of_unit(b_.owner))
      cscope_ = contract_scope::lintas_perangkat_daerah;
    else if (e_.uo_of_unit(au) != e_.uo_of_unit(b_.owner))
      cscope_ = contract_scope::lintas_unit;
    else
      cscope_ = contract_scope::dalam_unit;
    const auto i = static_cast<std::size_t>(cscope_);
    d_.scope = std::string(contract_scope_names[i]);
    b_.contract_scope = e_.r_.known.contract_scopes[i];
    b_.scope = e_.r_.scope_of[i];
    if (b_.scope != no_code) {
      d_.regulation_scope = e_.r_.vocab.name(b_.scope);
      if (tracing(d_))
        d_.trace.push_back(e_.t("lingkup: ", "scope: ") + *d_.scope + " → " + *d_.regulation_scope + " — " +
                           e_.r_.scope_citation[i] + " (" + std::string("unit organisasi ") +
                           e_.unit_label(e_.uo_of_unit(au)) + " / " + e_.unit_label(e_.uo_of_unit(b_.owner)) + "; " +
                           e_.r_.shape_citation + ")");
    }
  }

  const workflow* pick_workflow() const {
    const workflow* fallback = nullptr;
    for (const auto& w : e_.r_.workflows) {
      if (w.mode != b_.mode || std::find(w.scopes.begin(), w.scopes.end(), b_.scope) == w.scopes.end()) continue;
      if (w.when) {
        if (e_.truthy(*w.when, b_)) return &w;
      } else if (!fallback) {
        fallback = &w;
      }
    }
    return fallback;
  }

  [[nodiscard]] static bool has_action(const workflow_step& s, code a) {
    return std::find(s.actions.begin(), s.actions.end(), a) != s.actions.end();
  }

  [[nodiscard]] bool actor_matches(const workflow_step& s, const given_step& g) const {
    auto ok = [&](const std::vector<cpath>& role, index who) {
      if (role.empty()) return true;
      const auto set = e_.resolve(role, b_);
      return who != none && std::find(set.begin(), set.end(), who) != set.end();
    };
    return ok(s.by, g.by != none ? g.by : g.from) && ok(s.from, g.from != none ? g.from : g.by) && ok(s.to, g.to);
  }

  void check_role(const workflow_step& s, const std::vector<cpath>& role, index who, std::string_view field,
                  const given_step& g) {
    if (role.empty()) return;
    const auto expected = e_.resolve(role, b_);
    if (who != none && std::find(expected.begin(), expected.end(), who) != expected.end()) return;
    std::string message = e_.msg(s.info).empty() ? std::string() : e_.msg(s.info) + " — ";
    const std::string action = e_.r_.vocab.label(g.action);
    if (who == none) {
      message += e_.t("langkah ", "step ") + action + " (steps[" + std::to_string(g.at) + "]) " +
                 e_.t("tidak menyebut '", "does not name '") + std::string(field) + "'; " +
                 e_.t("seharusnya ", "it should be ") + e_.labels(expected) + " (" + role_text(role) + ")";
    } else if (expected.empty()) {
      message += e_.t("peran ", "role ") + role_text(role) +
                 e_.t(" tidak menunjuk pejabat mana pun dalam data organisasi", " names no official in the org data");
    } else {
      message += e_.t("'", "'") + std::string(field) + e_.t("' pada langkah ", "' of step ") + action + " " +
                 e_.t("adalah ", "is ") + e_.pos_label(who) + e_.t(", seharusnya ", ", it should be ") +
                 e_.labels(expected) + " (" + role_text(role) + ")";
    }
    std::vector<std::string> path;
    if (who != none) path.push_back(std::string(e_.o_.positions()[who].id));
    for (auto x : expected) path.push_back(std::string(e_.o_.positions()[x].id));
    broken(s.info, message,
           e_.hint_of(s.info).empty()
               ? e_.t("Langkah ini harus dilakukan oleh ", "This step must be taken by ") + e_.labels(expected)
               : e_.hint_of(s.info),
           path);
  }

  void check_step(const workflow_step& s, const given_step& g) {
    check_role(s, s.by, g.by != none ? g.by : g.from, "by", g);
    check_role(s, s.from, g.from != none ? g.from : g.by, "from", g);
    check_role(s, s.to, g.to, "to", g);
    for (const auto& cc_role : s.cc) {
      const auto expected = e_.resolve(cc_role, b_);
      const bool copied = std::any_of(expected.begin(), expected.end(),
                                      [&](index x) { return std::find(g.cc.begin(), g.cc.end(), x) != g.cc.end(); });
      if (copied) continue;
      rule_info info = s.info;
      info.name += ".tembusan";
      info.citation = s.cc_citation;
      std::vector<std::string> path;
      for (auto x : expected) path.push_back(std::string(e_.o_.positions()[x].id));
      broken(info,
             e_.t("Tembusan kepada ", "A copy (tembusan) to ") + e_.labels(expected) + " (" + role_text(cc_role) + ")" +
                 e_.t(" tidak ada pada ", " is missing from ") + e_.r_.vocab.label(g.action),
             e_.t("Tambahkan tembusan kepada ", "Copy the letter to ") + e_.labels(expected), path);
    }
    std::vector<code> missing;
    for (auto c : s.contents) {
      if (std::find(g.contents.begin(), g.contents.end(), c) == g.contents.end()) missing.push_back(c);
    }
    if (!missing.empty()) {
      rule_info info = s.info;
      info.name += ".isi";
      info.citation = s.contents_citation;
      std::string names;
      for (auto c : missing) names += (names.empty() ? "" : "; ") + e_.r_.vocab.label(c);
      std::vector<std::string> path;
      for (auto x : {g.from != none ? g.from : g.by, g.to}) {
        if (x != none) path.push_back(std::string(e_.o_.positions()[x].id));
      }
      broken(info, e_.r_.vocab.label(g.action) + e_.t(" tidak memuat: ", " does not state: ") + names,
             e_.t("Lengkapi isi surat: ", "Add to the letter: ") + names, path);
    }
    if (s.where && !e_.truthy(*s.where, with_step(g))) {
      broken(s.info,
             e_.msg(s.info).empty() ? e_.t("Syarat langkah ", "The condition of step ") + s.step +
                                          e_.t(" tidak terpenuhi", " does not hold")
                                    : e_.msg(s.info),
             e_.hint_of(s.info), {});
    }
  }

  // "by assignee.penilai = x.kabid" for the explanation: how each role was resolved on the graph.
  [[nodiscard]] std::string resolution(const workflow_step& s) const {
    std::string out;
    auto add = [&](std::string_view field, const std::vector<cpath>& role) {
      if (role.empty()) return;
      std::string ids;
      for (auto x : e_.resolve(role, b_)) ids += (ids.empty() ? "" : ", ") + std::string(e_.o_.positions()[x].id);
      out += (out.empty() ? "" : "; ") + std::string(field) + " " + role_text(role) + " = " + (ids.empty() ? "-" : ids);
    };
    add("by", s.by);
    add("from", s.from);
    add("to", s.to);
    return out;
  }

  bindings with_step(const given_step& g) const {
    bindings b = b_;
    b.step = g.raw;
    return b;
  }

  void run_workflow(const workflow& wf) {
    const auto& tpl = wf.steps;
    std::size_t cursor = 0;
    bool refused = false;
    for (const auto& g : steps_) {
      if (g.action == e_.r_.known.penolakan && e_.r_.known.penolakan != no_code) {
        refused = true;
        handle_refusal(wf, g);
        break;
      }
      // Prefer the first template step at or after the cursor whose action and
      // actor match; else the first whose action matches.
      std::optional<std::size_t> hit;
      for (std::size_t j = cursor; j < tpl.size(); ++j) {
        if (has_action(tpl[j], g.action) && actor_matches(tpl[j], g)) {
          hit = j;
          break;
        }
      }
      if (!hit) {
        for (std::size_t j = cursor; j < tpl.size(); ++j) {
          if (has_action(tpl[j], g.action)) {
            hit = j;
            break;
          }
        }
      }
      if (!hit) {
        if (tracing(d_))
          d_.trace.push_back(
              e_.t("langkah tidak diatur alur ini, dicatat: ", "step not named by this workflow, noted: ") +
              e_.r_.vocab.name(g.action) + " (steps[" + std::to_string(g.at) + "])");
        continue;
      }
      for (std::size_t j = cursor; j < *hit; ++j) {
        if (tpl[j].optional) continue;
        const auto who = e_.resolve(tpl[j].by.empty() ? tpl[j].from : tpl[j].by, b_);
        std::vector<std::string> path;
        for (auto x : who) path.push_back(std::string(e_.o_.positions()[x].id));
        broken(tpl[j].info,
               (e_.msg(tpl[j].info).empty() ? std::string() : e_.msg(tpl[j].info) + " — ") + e_.t("langkah ", "step ") +
                   tpl[j].step + " (" + e_.r_.vocab.name(tpl[j].actions.front()) + ", " + e_.t("oleh ", "by ") +
                   e_.labels(who) + e_.t(") belum dilakukan sebelum ", ") was not taken before ") +
                   e_.r_.vocab.label(g.action) + " (steps[" + std::to_string(g.at) + "])",
               e_.t("Lakukan langkah ", "Take step ") + tpl[j].step + e_.t(" lebih dahulu", " first"), path);
      }
      const std::size_t before = d_.violations.size() + d_.warnings.size();
      check_step(tpl[*hit], g);
      if (d_.violations.size() + d_.warnings.size() == before) {
        e_.held(tpl[*hit].info, d_,
                d_.traced ? "steps[" + std::to_string(g.at) + "]: " + resolution(tpl[*hit]) : std::string());
      }
      cursor = *hit + 1;
    }
    check_issuer(wf);
    if (refused) return;
    for (std::size_t j = cursor; j < tpl.size(); ++j) {
      if (tpl[j].optional) continue;
      next_action n;
      n.action = e_.r_.vocab.name(tpl[j].actions.front());
      for (auto x : e_.resolve(tpl[j].by.empty() ? tpl[j].from : tpl[j].by, b_)) {
        n.by.push_back(std::string(e_.o_.positions()[x].id));
      }
      n.step = tpl[j].step;
      n.rule = tpl[j].info.name;
      n.citation = tpl[j].info.citation;
      describe_missing(tpl[j], n);
      d_.next.push_back(std::move(n));
    }
  }

  // Who else a missing step names and what it must carry, so a caller can write it.
  void describe_missing(const workflow_step& s, next_action& n) const {
    auto ids = [&](const std::vector<cpath>& role) {
      std::vector<std::string> out;
      for (auto x : e_.resolve(role, b_)) out.push_back(std::string(e_.o_.positions()[x].id));
      return out;
    };
    n.from = ids(s.from);
    n.to = ids(s.to);
    for (const auto& cc_role : s.cc) n.cc.push_back(ids(cc_role));
    for (auto c : s.contents) n.contents.push_back(e_.r_.vocab.name(c));
  }

  void check_issuer(const workflow& wf) {
    // A derived issuer is already checked as the actor of its own step.
    if (!issuer_given_ || b_.issuer == none || wf.issuer.empty()) return;
    const auto expected = e_.resolve(wf.issuer, b_);
    rule_info info = wf.info;
    info.name += ".penerbit";
    info.citation = wf.issuer_citation;
    info.overrides.reset();
    if (std::find(expected.begin(), expected.end(), b_.issuer) != expected.end()) {
      e_.held(info, d_, d_.traced ? e_.pos_label(b_.issuer) : std::string());
      return;
    }
    std::vector<std::string> path = {std::string(e_.o_.positions()[b_.issuer].id)};
    for (auto x : expected) path.push_back(std::string(e_.o_.positions()[x].id));
    broken(info,
           e_.t("Penugasan ditetapkan oleh ", "The assignment is issued by ") + e_.pos_label(b_.issuer) +
               e_.t(", seharusnya oleh ", ", but it must be issued by ") + e_.labels(expected) + " (" +
               role_text(wf.issuer) + ")",
           e_.t("Penugasan ditetapkan oleh ", "Have the assignment issued by ") + e_.labels(expected), path);
  }

  void handle_refusal(const workflow& wf, const given_step& g) {
    rule_info info = wf.info;
    info.name += ".penolakan";
    info.overrides.reset();
    if (wf.refusal) info.citation = wf.refusal->citation;
    const std::string reason = g.reason.empty() ? e_.t("(tanpa alasan)", "(no reason given)") : g.reason;
    std::vector<std::string> path;
    if (g.by != none) path.push_back(std::string(e_.o_.positions()[g.by].id));
    // The refusal ends the workflow: it is the reason for the denial.
    if (tracing(d_)) d_.trace.push_back(e_.t("penolakan oleh ", "refused by ") + e_.pos_label(g.by) + ": " + reason);
    d_.considered.push_back(info.name);
    d_.violations.push_back(e_.make(
        info, e_.t("Permohonan ditolak oleh ", "The request was refused by ") + e_.pos_label(g.by) + ": " + reason,
        e_.t("Ajukan kepada pejabat lain atau perbaiki permohonan", "Ask another official or revise the request"),
        path));
    if (!wf.refusal) return;
    if (!wf.refusal->by.empty()) {
      const auto expected = e_.resolve(wf.refusal->by, b_);
      if (g.by == none || std::find(expected.begin(), expected.end(), g.by) == expected.end()) {
        rule_info who = info;
        who.name += ".pejabat";
        broken(who,
               e_.t("Penolakan dilakukan oleh ", "The refusal comes from ") + e_.pos_label(g.by) +
                   e_.t(", padahal yang berwenang menjawab adalah ", ", but the official who must answer is ") +
                   e_.labels(expected),
               e_.t("Permohonan dijawab oleh ", "The request is answered by ") + e_.labels(expected), path);
      }
    }
    if (wf.refusal->reason_required && g.reason.empty()) {
      rule_info why = info;
      why.name += ".alasan";
      broken(why,
             wf.refusal->message_id.empty()
                 ? e_.t("Penolakan harus disertai alasan mengapa permohonan tidak dapat disetujui",
                        "A refusal must give the reason why the request cannot be approved")
                 : (e_.lang_ == lang::en ? wf.refusal->message_en : wf.refusal->message_id),
             e_.t("Sertakan alasan penolakan", "State the reason for the refusal"), path);
    }
  }

  static std::string role_text(const std::vector<cpath>& roles) { return engine::role_text(roles); }

  const engine& e_;
  decision& d_;
  bindings b_;
  team_view team_;
  code team_role_ = no_code;
  bool issuer_given_ = false;
  contract_scope cscope_ = contract_scope::dalam_unit;
  std::vector<given_step> steps_;
};

void check_pelaporan(const engine& e, const json& q, query_reader& rd, std::size_t errors_before,
                     const std::vector<query_error>& errs, decision& d) {
  bindings b;
  b.from = rd.position(q, "from", "", true);
  b.to = rd.position(q, "to", "", true);
  b.as = rd.code_of(category::report_as, q, "as", "", true);
  std::optional<team_view> tm;
  if (q.contains("team") && !q["team"].is_null()) tm = rd.team(q["team"], "team");
  const bool needs_team =
      b.as != no_code && (e.r_.vocab.name(b.as) == "anggota_tim" || e.r_.vocab.name(b.as) == "ketua_tim");
  if (needs_team && !tm && !q.contains("team")) rd.error("team", "required when reporting as a team member or ketua");
  if (errs.size() > errors_before) return;
  if (tm) b.team = &*tm;
  std::vector<std::string> path = {std::string(e.o_.positions()[b.from].id), std::string(e.o_.positions()[b.to].id)};
  e.run_generic(query_kind::pelaporan, b, path, d);

  const report_rule* matched = nullptr;
  std::vector<const report_rule*> applicable;
  for (const auto& r : e.r_.reports) {
    if (std::find(r.as.begin(), r.as.end(), b.as) == r.as.end()) continue;
    if (r.when && !e.truthy(*r.when, b)) continue;
    applicable.push_back(&r);
    d.applicable.push_back(r.info.name);
    const auto targets = e.resolve(r.to, b);
    if (!targets.empty()) d.resolved.push_back(r.info.name);
    // A permission whose `require` fails permits nothing: the report falls to the other rules.
    const bool permits = r.info.level != strength::boleh || !r.require || e.truthy(*r.require, b);
    if (!matched && permits && std::find(targets.begin(), targets.end(), b.to) != targets.end()) matched = &r;
  }
  if (matched) {
    if (matched->require && !e.truthy(*matched->require, b)) {
      e.broken(matched->info, e.make(matched->info, e.msg(matched->info), e.hint_of(matched->info), path), d);
    } else {
      e.held(matched->info, d, d.traced ? e.pos_label(b.to) : std::string());
    }
    return;
  }
  // Review chains: results go up from one level to the next (Lampiran II).
  const auto pd = e.pd_of_unit(e.unit_of(b.from));
  bindings kb;
  kb.position = b.from;
  kb.pd = pd;
  if (const auto* tb = e.table_for(pd, kb); tb && e.r_.vocab.name(b.as) == "hasil_kegiatan") {
    const auto from_kind = e.o_.positions()[b.from].kind;
    const auto to_kind = e.o_.positions()[b.to].kind;
    for (const auto& chain : tb->reviews) {
      for (std::size_t i = 0; i + 1 < chain.kinds.size(); ++i) {
        if (chain.kinds[i] == from_kind && chain.kinds[i + 1] == to_kind && e.o_.superior_of(b.to, b.from)) {
          if (tracing(d))
            d.trace.push_back(e.t("terpenuhi: alur reviu ", "held: review chain ") + tb->info.name + " — " +
                              chain.citation);
          d.considered.push_back(tb->info.name);
          return;
        }
      }
    }
  }
  if (applicable.empty()) {
    rule_info info;
    info.name = "pelaporan.tidak_diatur";
    info.citation = e.r_.header.cite_as;
    e.broken(info,
             e.make(info,
                    e.t("Regulasi ini tidak mengatur pelaporan sebagai ", "This regulation has no reporting line as ") +
                        e.r_.vocab.name(b.as),
                    "", path),
             d);
    return;
  }
  for (const auto* r : applicable) {
    if (r->info.level == strength::boleh) continue;
    const auto targets = e.resolve(r->to, b);
    std::string message = e.msg(r->info).empty() ? std::string() : e.msg(r->info) + " — ";
    message += e.t("laporan sebagai ", "a report as ") + e.r_.vocab.name(b.as) +
               e.t(" disampaikan kepada ", " goes to ") + e.labels(targets) + e.t(", bukan kepada ", ", not to ") +
               e.pos_label(b.to);
    std::vector<std::string> rpath = e.chain_ids(b.from, targets.empty() ? none : targets.front());
    e.broken(r->info,
             e.make(r->info, message,
                    e.hint_of(r->info).empty() ? e.t("Laporkan kepada ", "Report to ") + e.labels(targets)
                                               : e.hint_of(r->info),
                    rpath),
             d);
  }
}

void finish(decision& d) {
  if (!d.violations.empty())
    d.outcome = "denied";
  else if (!d.next.empty())
    d.outcome = "incomplete";
  else
    d.outcome = "allowed";
}

}  // namespace

evaluator::evaluator(std::shared_ptr<const compiled_ruleset> rules, std::shared_ptr<const org::org_graph> org,
                     lang language, bool trace)
    : rules_(std::move(rules)), org_(std::move(org)), lang_(language), trace_(trace) {}

std::optional<decision> evaluator::check(const json& q, std::vector<query_error>& errors) const {
  engine e(*rules_, *org_, lang_);
  decision d;
  d.traced = trace_;
  d.ruleset = rules_->header.id;
  if (!q.is_object()) {
    errors.push_back({"", "a query must be a JSON object with a \"type\""});
    return std::nullopt;
  }
  if (!q.contains("type") || !q["type"].is_string()) {
    errors.push_back({"type", "required: kedudukan, penugasan, pelaporan, tim or audit"});
    return std::nullopt;
  }
  d.type = q["type"].get<std::string>();
  const std::size_t before = errors.size();
  query_reader rd(e, errors);
  if (d.type == "audit") return audit();
  if (d.type == "kedudukan") {
    const auto p = rd.position(q, "position", "", true);
    const bool given = q.contains("atasan") && !q["atasan"].is_null();
    const auto a = given ? rd.position(q, "atasan", "", true) : (p == none ? none : org_->positions()[p].atasan);
    if (errors.size() > before) return std::nullopt;
    e.check_kedudukan(p, a, d);
  } else if (d.type == "penugasan") {
    penugasan_check pc(e, d);
    pc.run(q, rd, before, errors);
    if (errors.size() > before) return std::nullopt;
  } else if (d.type == "pelaporan") {
    check_pelaporan(e, q, rd, before, errors, d);
    if (errors.size() > before) return std::nullopt;
  } else if (d.type == "tim") {
    if (!q.contains("team")) {
      errors.push_back({"team", "required: a team id or a team object"});
      return std::nullopt;
    }
    auto tm = rd.team(q["team"], "team");
    if (!tm || errors.size() > before) return std::nullopt;
    e.check_team(*tm, d);
  } else {
    errors.push_back({"type", "unknown query type \"" + d.type +
                                  "\" (expected kedudukan, penugasan, pelaporan, tim "
                                  "or audit)"});
    return std::nullopt;
  }
  finish(d);
  return d;
}

namespace {
void merge(decision& one, decision& into) {
  std::move(one.violations.begin(), one.violations.end(), std::back_inserter(into.violations));
  std::move(one.warnings.begin(), one.warnings.end(), std::back_inserter(into.warnings));
  std::move(one.considered.begin(), one.considered.end(), std::back_inserter(into.considered));
}
}  // namespace

decision evaluator::audit() const {
  engine e(*rules_, *org_, lang_);
  decision d;
  d.traced = false;  // an audit reports findings; per-item traces would be thrown away
  d.ruleset = rules_->header.id;
  d.type = "audit";
  std::size_t checked = 0;
  for (index p = 0; p < org_->positions().size(); ++p) {
    if (!e.is_fp_or_pelaksana(p)) continue;
    decision one;
    one.traced = false;
    e.check_kedudukan(p, org_->positions()[p].atasan, one);
    ++checked;
    merge(one, d);
  }
  for (const auto& dl : org_->delegations()) {
    decision one;
    one.traced = false;
    e.check_delegation(dl, one);
    ++checked;
    merge(one, d);
  }
  for (const auto& tm : org_->teams()) {
    decision one;
    one.traced = false;
    e.check_team(e.view_of(tm), one);
    ++checked;
    merge(one, d);
  }
  d.checked = checked;
  d.outcome = d.violations.empty() ? "allowed" : "denied";
  return d;
}

}  // namespace perwal
