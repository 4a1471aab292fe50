// Resolving names: codes against the vocabulary, and role expressions and
// conditions against the names a query type offers and the properties each
// kind of value has. Used by the merge phase (codes) and the resolve phase
// (rules.cpp).
#include <algorithm>
#include <array>
#include <map>

#include "engine/common/dates.hpp"
#include "engine/common/spelling.hpp"
#include "engine/compile/phases.hpp"

namespace perwal::compile {

namespace {

struct context_names {
  std::vector<std::pair<std::string_view, std::pair<base_name, value_type>>> bases;
};

const context_names& names_for(query_kind q) {
  static const context_names kedudukan{{{"position", {base_name::position, value_type::position}},
                                        {"atasan", {base_name::atasan, value_type::position}},
                                        {"pd", {base_name::pd, value_type::unit}}}};
  static const context_names penugasan{{{"assignee", {base_name::assignee, value_type::position}},
                                        {"owner", {base_name::owner, value_type::unit}},
                                        {"issuer", {base_name::issuer, value_type::position}},
                                        {"mode", {base_name::mode, value_type::code_val}},
                                        {"scope", {base_name::scope, value_type::code_val}},
                                        {"contract_scope", {base_name::contract_scope, value_type::code_val}},
                                        {"team", {base_name::team, value_type::team}},
                                        {"role", {base_name::role, value_type::code_val}},
                                        {"step", {base_name::step, value_type::step}}}};
  static const context_names pelaporan{{{"from", {base_name::from, value_type::position}},
                                        {"to", {base_name::to, value_type::position}},
                                        {"as", {base_name::as, value_type::code_val}},
                                        {"team", {base_name::team, value_type::team}}}};
  static const context_names tim{{{"team", {base_name::team, value_type::team}}}};
  // `position`: the position whose kedudukan asks for the delegation (none
  // when the delegation itself is audited), so a rule can test its scope.
  static const context_names delegasi{{{"delegation", {base_name::delegation, value_type::delegation}},
                                       {"position", {base_name::position, value_type::position}}}};
  switch (q) {
    case query_kind::kedudukan:
      return kedudukan;
    case query_kind::penugasan:
      return penugasan;
    case query_kind::pelaporan:
      return pelaporan;
    case query_kind::tim:
      return tim;
    case query_kind::delegasi:
      return delegasi;
  }
  return kedudukan;
}

std::string_view type_name(value_type t) {
  switch (t) {
    case value_type::position:
      return "a position";
    case value_type::unit:
      return "a unit";
    case value_type::team:
      return "a team";
    case value_type::positions:
      return "a set of positions";
    case value_type::units:
      return "a set of units";
    case value_type::delegation:
      return "a delegation";
    case value_type::step:
      return "a step";
    case value_type::code_val:
      return "a code";
    case value_type::boolean:
      return "a condition";
    default:
      return "a value";
  }
}

struct prop_spec {
  std::string_view name;
  prop p;
  value_type from;
  value_type to;
  std::optional<category> code_cat;  // category of the code it yields
  std::optional<category> arg_cat;   // arguments are codes of this category (repeatable)
  bool string_arg = false;
};

const std::vector<prop_spec>& prop_table() {
  using vt = value_type;
  static const std::vector<prop_spec> table = {
      {"id", prop::id, vt::position, vt::string, {}, {}, false},
      {"kind", prop::kind, vt::position, vt::code_val, category::position_kind, {}, false},
      {"jenis", prop::jenis, vt::position, vt::code_val, category::jenis, {}, false},
      {"jenjang", prop::jenjang, vt::position, vt::code_val, category::jenjang, {}, false},
      {"unit", prop::unit, vt::position, vt::unit, {}, {}, false},
      {"atasan", prop::atasan, vt::position, vt::position, {}, {}, false},
      {"penilai", prop::penilai, vt::position, vt::position, {}, {}, false},
      {"pimpinan_unit", prop::pimpinan_unit, vt::position, vt::position, {}, {}, false},
      {"kepala_pd", prop::kepala_pd, vt::position, vt::position, {}, {}, false},
      {"unit_organisasi", prop::unit_organisasi, vt::position, vt::unit, {}, {}, false},
      {"perangkat_daerah", prop::perangkat_daerah, vt::position, vt::unit, {}, {}, false},
      {"instansi", prop::instansi, vt::position, vt::unit, {}, {}, false},
      {"pejabat_berwenang", prop::pejabat_berwenang, vt::position, vt::position, {}, {}, false},
      {"heads", prop::heads, vt::position, vt::unit, {}, {}, false},
      {"is_head", prop::is_head, vt::position, vt::boolean, {}, {}, false},
      {"superiors", prop::superiors, vt::position, vt::positions, {}, {}, false},
      {"delegated", prop::delegated, vt::position, vt::boolean, {}, category::authority, false},
      {"has_tag", prop::has_tag, vt::position, vt::boolean, {}, {}, true},
      {"id", prop::id, vt::unit, vt::string, {}, {}, false},
      {"kind", prop::kind, vt::unit, vt::code_val, category::unit_kind, {}, false},
      {"head", prop::head, vt::unit, vt::position, {}, {}, false},
      {"parent", prop::parent, vt::unit, vt::unit, {}, {}, false},
      {"unit_organisasi", prop::unit_organisasi, vt::unit, vt::unit, {}, {}, false},
      {"perangkat_daerah", prop::perangkat_daerah, vt::unit, vt::unit, {}, {}, false},
      {"instansi", prop::instansi, vt::unit, vt::unit, {}, {}, false},
      {"pimpinan_unit", prop::pimpinan_unit, vt::unit, vt::position, {}, {}, false},
      {"kepala_pd", prop::kepala_pd, vt::unit, vt::position, {}, {}, false},
      {"pejabat_berwenang", prop::pejabat_berwenang, vt::unit, vt::position, {}, {}, false},
      {"has_tag", prop::has_tag, vt::unit, vt::boolean, {}, {}, true},
      {"find", prop::find, vt::unit, vt::unit, {}, category::unit_kind, false},
      {"holders", prop::holders, vt::unit, vt::positions, {}, category::position_kind, false},
      {"tagged", prop::tagged, vt::unit, vt::units, {}, {}, true},
      {"id", prop::id, vt::team, vt::string, {}, {}, false},
      {"owner", prop::owner, vt::team, vt::unit, {}, {}, false},
      {"ketua", prop::ketua, vt::team, vt::position, {}, {}, false},
      {"anggota", prop::anggota, vt::team, vt::positions, {}, {}, false},
      {"members", prop::members, vt::team, vt::positions, {}, {}, false},
      {"established_by", prop::established_by, vt::team, vt::position, {}, {}, false},
      {"cross_unit", prop::cross_unit, vt::team, vt::boolean, {}, {}, false},
      {"cross_instansi", prop::cross_instansi, vt::team, vt::boolean, {}, {}, false},
      {"has_target", prop::has_target, vt::team, vt::boolean, {}, {}, false},
      {"field", prop::field, vt::team, vt::json, {}, {}, true},
      {"role", prop::role, vt::team, vt::code_val, category::team_role, {}, false},
      {"from", prop::from, vt::delegation, vt::position, {}, {}, false},
      {"to", prop::to, vt::delegation, vt::position, {}, {}, false},
      {"authority", prop::authority, vt::delegation, vt::code_val, category::authority, {}, false},
  };
  return table;
}

// The static type of a value a field holds, and how its JSON becomes it.
struct typed {
  value_type t = value_type::json;
  std::optional<category> cat;
  bool code_set = false;
  std::string record;
  convert as = convert::none;
};

typed typed_field(const field_type& f) {
  typed out;
  switch (f.k) {
    case field_type::kind::position:
      out.t = value_type::position, out.as = convert::position;
      break;
    case field_type::kind::positions:
      out.t = value_type::positions, out.as = convert::positions;
      break;
    case field_type::kind::unit:
      out.t = value_type::unit, out.as = convert::unit;
      break;
    case field_type::kind::number:
      out.t = value_type::number;
      break;
    case field_type::kind::text:
      out.t = value_type::string;
      break;
    case field_type::kind::date:
      out.t = value_type::date, out.as = convert::date;
      break;
    case field_type::kind::boolean:
      out.t = value_type::boolean;
      break;
    case field_type::kind::coded:
      out.t = f.is_set ? value_type::json : value_type::code_val;
      out.cat = f.cat;
      out.code_set = f.is_set;
      break;
    case field_type::kind::record:
      out.t = value_type::json;
      out.record = f.record;
      break;
  }
  return out;
}

std::string field_list(const field_map& fields) {
  std::string out;
  for (const auto& [n, f] : fields) out += (out.empty() ? "" : ", ") + n + " " + f.spelled;
  return out.empty() ? "(none)" : out;
}

std::vector<std::string> keys_of(const field_map& fields) {
  std::vector<std::string> out;
  for (const auto& [n, f] : fields) out.push_back(n);
  return out;
}

// The type of field `name` in `fields` (owned by `owner`, declared with `fields <declare>`).
std::optional<typed> field_in(state& s, const field_map* fields, const ast::name& name, const std::string& owner,
                              const std::string& declare) {
  if (fields) {
    if (auto it = fields->find(name.text); it != fields->end()) return typed_field(it->second);
  }
  std::vector<related> notes{note(msg("unknown-field.declare", fields ? field_list(*fields) : "(none)", declare))};
  if (fields) {
    if (auto near = nearest_name(name.text, keys_of(*fields)); !near.empty()) {
      notes.insert(notes.begin(), note(msg("did-you-mean", near)));
    }
  }
  s.diags.error(name.where, msg("unknown-field", name.text, owner), notes);
  return std::nullopt;
}

// `step.<field>` inside a step: declared, with one type, for every action of the step.
std::optional<typed> step_field(state& s, const ast::name& name) {
  std::optional<typed> found;
  for (auto action : s.step_actions) {
    const auto& schema = s.out->schema.step;
    const auto it = schema.find(action);
    const std::string a = s.out->vocab.name(action);
    auto t = field_in(s, it == schema.end() ? nullptr : &it->second, name, "step " + a, "step " + a);
    if (!t) return std::nullopt;
    if (found && (found->t != t->t || found->cat != t->cat || found->record != t->record)) {
      s.diags.error(name.where, msg("schema-field-retyped", name.text, "step " + a, "another type", "this one"));
      return std::nullopt;
    }
    found = t;
  }
  return found;
}

std::vector<std::string> base_names(const context_names& ctx, const state& s) {
  std::vector<std::string> out;
  for (const auto& b : ctx.bases) out.emplace_back(b.first);
  for (const auto& [n, t] : s.bound) out.push_back(n);
  return out;
}

std::optional<cpath> resolve_path(state& s, const ast::path& p, query_kind q) {
  cpath out;
  out.where = p.where;
  out.text = p.base.text;
  const auto& ctx = names_for(q);
  value_type t = value_type::any;
  // Names bound by every/some first (innermost wins), then the query's names.
  auto bound = std::find_if(s.bound.rbegin(), s.bound.rend(), [&](const auto& b) { return b.first == p.base.text; });
  if (bound != s.bound.rend()) {
    out.base = base_name::var;
    out.var = static_cast<std::uint8_t>(std::distance(bound, s.bound.rend()) - 1);
    t = bound->second;
  } else {
    auto found =
        std::find_if(ctx.bases.begin(), ctx.bases.end(), [&](const auto& b) { return b.first == p.base.text; });
    if (found == ctx.bases.end()) {
      std::string names;
      for (const auto& n : base_names(ctx, s)) names += (names.empty() ? "" : ", ") + n;
      std::vector<related> notes{note(msg("unknown-name.names", names))};
      if (auto near = nearest_name(p.base.text, base_names(ctx, s)); !near.empty()) {
        notes.insert(notes.begin(), note(msg("did-you-mean", near)));
      }
      s.diags.error(p.base.where, msg("unknown-name", p.base.text, query_kind_name(q)), notes);
      return std::nullopt;
    }
    out.base = found->second.first;
    t = found->second.second;
    if (out.base == base_name::step && s.step_actions.empty()) {
      s.diags.error(p.base.where, msg("step-outside-step"));
      return std::nullopt;
    }
  }
  std::optional<category> cat;
  std::string record;
  bool code_set = false;
  if (out.base == base_name::mode) cat = category::mode;
  if (out.base == base_name::scope || out.base == base_name::contract_scope) cat = category::scope;
  if (out.base == base_name::role) cat = category::team_role;
  if (out.base == base_name::as) cat = category::report_as;
  auto apply_field = [&](cstep& step, const typed& f) {
    step.p = prop::field;
    step.as = f.as;
    t = f.t;
    cat = f.cat;
    record = f.record;
    code_set = f.code_set;
  };
  for (const auto& seg : p.steps) {
    out.text += "." + seg.prop.text;
    cstep step;
    step.text = seg.prop.text;
    // step.<field> and <record>.<field>: typed by the declared schema.
    if (t == value_type::step || (t == value_type::json && !record.empty())) {
      if (!seg.args.empty()) s.diags.error(seg.prop.where, msg("no-arguments", seg.prop.text));
      const auto f = t == value_type::step ? step_field(s, seg.prop)
                                           : field_in(s, &s.out->schema.records[record], seg.prop, "record " + record,
                                                      "record " + record);
      if (!f) return std::nullopt;
      apply_field(step, *f);
      out.steps.push_back(std::move(step));
      continue;
    }
    // A team's declared fields: team.keputusan, or team.field("keputusan").
    if (t == value_type::team) {
      const bool by_call = seg.prop.text == "field";
      const bool declared = s.out->schema.team.count(seg.prop.text) > 0;
      if (by_call || declared) {
        ast::name field = seg.prop;
        if (by_call) {
          if (seg.args.size() != 1 || !seg.arg_is_string[0]) {
            s.diags.error(seg.prop.where, msg("string-argument", seg.prop.text));
            return std::nullopt;
          }
          field = seg.args[0];
        }
        const auto f = field_in(s, &s.out->schema.team, field, "a team", "team");
        if (!f) return std::nullopt;
        apply_field(step, *f);
        step.text = field.text;
        out.steps.push_back(std::move(step));
        continue;
      }
    }
    // A delegation's declared fields (its scope, its period): delegation.cakupan.
    if (t == value_type::delegation && s.out->schema.delegation.count(seg.prop.text)) {
      if (!seg.args.empty()) s.diags.error(seg.prop.where, msg("no-arguments", seg.prop.text));
      const auto f = field_in(s, &s.out->schema.delegation, seg.prop, "a delegation", "delegation");
      if (!f) return std::nullopt;
      apply_field(step, *f);
      out.steps.push_back(std::move(step));
      continue;
    }
    const bool is_set = t == value_type::positions || t == value_type::units;
    const value_type elem = t == value_type::positions ? value_type::position
                            : t == value_type::units   ? value_type::unit
                                                       : t;
    const auto& table = prop_table();
    auto spec = std::find_if(table.begin(), table.end(),
                             [&](const prop_spec& ps) { return ps.name == seg.prop.text && ps.from == elem; });
    if (spec == table.end()) {
      std::vector<std::string> names;
      for (const auto& ps : table) {
        if (ps.from == elem) names.emplace_back(ps.name);
      }
      if (elem == value_type::team) {
        for (const auto& [n, f] : s.out->schema.team) names.push_back(n);
      }
      if (elem == value_type::delegation) {
        for (const auto& [n, f] : s.out->schema.delegation) names.push_back(n);
      }
      std::string props;
      for (const auto& n : names) props += (props.empty() ? "" : ", ") + n;
      std::vector<related> notes{note(props.empty() ? msg("not-a-property.none") : msg("not-a-property.list", props))};
      if (auto near = nearest_name(seg.prop.text, names); !near.empty()) {
        notes.insert(notes.begin(), note(msg("did-you-mean", near)));
      }
      s.diags.error(seg.prop.where, msg("not-a-property", seg.prop.text, type_name(t)), notes);
      return std::nullopt;
    }
    step.p = spec->p;
    step.text.clear();
    if (spec->string_arg) {
      if (seg.args.size() != 1 || !seg.arg_is_string[0]) {
        s.diags.error(seg.prop.where, msg("string-argument", seg.prop.text));
        return std::nullopt;
      }
      step.text = seg.args[0].text;
    } else if (spec->arg_cat) {
      if (seg.args.empty()) {
        s.diags.error(seg.prop.where, msg("code-argument", seg.prop.text, category_name(*spec->arg_cat)));
        return std::nullopt;
      }
      for (const auto& a : seg.args) {
        if (auto c = code_in(s, *spec->arg_cat, a)) step.codes.push_back(*c);
      }
    } else if (!seg.args.empty()) {
      s.diags.error(seg.prop.where, msg("no-arguments", seg.prop.text));
    }
    value_type next = spec->to;
    if (is_set) {
      if (next == value_type::position || next == value_type::positions)
        next = value_type::positions;
      else if (next == value_type::unit || next == value_type::units)
        next = value_type::units;
      else {
        s.diags.error(seg.prop.where, msg("set-property", seg.prop.text), {note(msg("set-property.hint"))});
        return std::nullopt;
      }
    }
    cat = spec->code_cat;
    record.clear();
    code_set = false;
    t = next;
    out.steps.push_back(std::move(step));
  }
  out.type = t;
  out.code_cat = cat;
  out.code_set = code_set;
  out.record = record;
  return out;
}

bool is_code_literal(const ast::expr& e, query_kind q, const state& s) {
  if (e.k != ast::expr::kind::path_union || e.paths.size() != 1 || !e.paths[0].steps.empty()) return false;
  const auto& name = e.paths[0].base.text;
  const auto& ctx = names_for(q);
  const bool bound = std::any_of(s.bound.begin(), s.bound.end(), [&](const auto& b) { return b.first == name; });
  return !bound && std::none_of(ctx.bases.begin(), ctx.bases.end(), [&](const auto& b) { return b.first == name; });
}

// The static type of a resolved expression, for the checks below.
struct static_type {
  value_type t = value_type::any;
  std::optional<category> cat;
  bool code_set = false;
  std::string record;
};

static_type type_of(const cexpr& e, const state& s) {
  switch (e.op) {
    case expr_op::path:
      if (e.paths.size() == 1) {
        const auto& p = e.paths[0];
        return {p.type, p.code_cat, p.code_set, p.record};
      }
      return {value_type::positions, {}, false, {}};
    case expr_op::number:
    case expr_op::count:
    case expr_op::months_between:
    case expr_op::days_between:
      return {value_type::number, {}, false, {}};
    case expr_op::string:
      return {value_type::string, {}, false, {}};
    case expr_op::date_lit:
      return {value_type::date, {}, false, {}};
    case expr_op::code_lit: {
      // The category it was read in; else the only one it belongs to (a name
      // such as `asisten` may be a unit kind and a position kind at once).
      std::optional<category> cat = e.literal_cat;
      std::size_t in = 0;
      for (std::size_t i = 0; i < category_count && !e.literal_cat; ++i) {
        if (s.out->vocab.contains(static_cast<category>(i), e.literal)) cat = static_cast<category>(i), ++in;
      }
      if (in > 1) cat.reset();
      return {value_type::code_val, cat, false, {}};
    }
    case expr_op::list:
      return {value_type::any, {}, false, {}};
    default:
      return {value_type::boolean, {}, false, {}};
  }
}

std::string describe(const static_type& t) {
  if (t.code_set && t.cat) return "a set of " + std::string(category_name(*t.cat)) + " codes";
  if (!t.record.empty()) return "a " + t.record + " record";
  if (t.t == value_type::code_val && t.cat) return "a " + std::string(category_name(*t.cat)) + " code";
  switch (t.t) {
    case value_type::number:
      return "a number";
    case value_type::string:
      return "a text";
    case value_type::date:
      return "a date";
    case value_type::boolean:
      return "a condition";
    default:
      return std::string(type_name(t.t));
  }
}

// Whether two values of these types can be equal.
bool comparable(const static_type& a, const static_type& b) {
  auto loose = [](const static_type& x) {
    return x.t == value_type::any || (x.t == value_type::json && x.record.empty() && !x.code_set);
  };
  if (loose(a) || loose(b)) return true;
  if (a.code_set || b.code_set || !a.record.empty() || !b.record.empty()) return false;
  auto entity = [](value_type t) { return t == value_type::position ? 1 : t == value_type::unit ? 2 : 0; };
  if (entity(a.t) || entity(b.t)) return entity(a.t) == entity(b.t);
  if (a.t == value_type::code_val && b.t == value_type::code_val) return !a.cat || !b.cat || a.cat == b.cat;
  // A text field may hold a code's name.
  if ((a.t == value_type::code_val && b.t == value_type::string) ||
      (a.t == value_type::string && b.t == value_type::code_val)) {
    return true;
  }
  return a.t == b.t;
}

std::optional<cexpr> resolve_expr(state& s, const ast::expr& e, query_kind q, std::optional<category> expect_cat = {});

std::optional<cexpr> resolve_call(state& s, const ast::expr& e, query_kind q) {
  cexpr out;
  out.where = e.where;
  static const std::map<std::string, std::pair<expr_op, std::size_t>> functions = {
      {"count", {expr_op::count, 1}},
      {"months_between", {expr_op::months_between, 2}},
      {"days_between", {expr_op::days_between, 2}}};
  const auto fn = functions.find(e.text);
  if (fn == functions.end()) {
    std::vector<std::string> names;
    for (const auto& [n, x] : functions) names.push_back(n);
    std::vector<related> notes;
    if (auto near = nearest_name(e.text, names); !near.empty()) notes.push_back(note(msg("did-you-mean", near)));
    s.diags.error(e.where, msg("unknown-function", e.text), notes);
    return std::nullopt;
  }
  out.op = fn->second.first;
  const bool counting = out.op == expr_op::count;
  const char* wanted = counting ? "one set (of officials, units or codes)" : "two dates";
  if (e.kids.size() != fn->second.second) {
    s.diags.error(e.where, msg("function-arguments", e.text, wanted));
    return std::nullopt;
  }
  for (const auto& k : e.kids) {
    auto c = resolve_expr(s, k, q);
    if (!c) return std::nullopt;
    const auto t = type_of(*c, s);
    const bool ok =
        counting ? (t.t == value_type::positions || t.t == value_type::units || t.code_set) : t.t == value_type::date;
    if (!ok) {
      s.diags.error(k.where, msg("function-arguments", e.text, wanted));
      return std::nullopt;
    }
    out.kids.push_back(std::move(*c));
  }
  return out;
}

std::optional<cexpr> resolve_expr(state& s, const ast::expr& e, query_kind q, std::optional<category> expect_cat) {
  cexpr out;
  out.where = e.where;
  using k = ast::expr::kind;
  switch (e.k) {
    case k::number:
      out.op = expr_op::number;
      out.number = e.number;
      return out;
    case k::string:
      out.op = expr_op::string;
      out.text = e.text;
      return out;
    case k::boolean:
      out.op = expr_op::boolean;
      out.boolean = e.boolean;
      return out;
    case k::date: {
      const auto day = days_from_date(e.text);
      if (!day) {
        s.diags.error(e.where, msg("bad-date", e.text));
        return std::nullopt;
      }
      out.op = expr_op::date_lit;
      out.number = *day;
      out.text = e.text;
      return out;
    }
    case k::call:
      return resolve_call(s, e, q);
    case k::every:
    case k::some: {
      out.op = e.k == k::every ? expr_op::every : expr_op::some;
      auto set = resolve_expr(s, e.kids[0], q);
      if (!set) return std::nullopt;
      const auto t = type_of(*set, s);
      if (t.t != value_type::positions && t.t != value_type::units) {
        s.diags.error(e.kids[0].where, msg("quantifier-set", describe(t)));
        return std::nullopt;
      }
      out.var = static_cast<std::uint8_t>(s.bound.size());
      out.text = e.var.text;
      s.bound.emplace_back(e.var.text, t.t == value_type::positions ? value_type::position : value_type::unit);
      auto body = resolve_expr(s, e.kids[1], q);
      s.bound.pop_back();
      if (!body) return std::nullopt;
      out.kids.push_back(std::move(*set));
      out.kids.push_back(std::move(*body));
      return out;
    }
    case k::path_union: {
      if (is_code_literal(e, q, s)) {
        const auto& n = e.paths[0].base;
        out.op = expr_op::code_lit;
        if (expect_cat) {
          auto c = code_in(s, *expect_cat, n);
          if (!c) return std::nullopt;
          out.literal = *c;
          out.literal_cat = expect_cat;
        } else {
          auto c = s.out->vocab.find_any(n.text);
          if (!c) {
            std::string names;
            for (const auto& b : base_names(names_for(q), s)) names += (names.empty() ? "" : ", ") + b;
            std::vector<related> notes{note(msg("unknown-name-or-code.names", names))};
            if (auto near = nearest_name(n.text, base_names(names_for(q), s)); !near.empty()) {
              notes.insert(notes.begin(), note(msg("did-you-mean", near)));
            }
            s.diags.error(n.where, msg("unknown-name-or-code", n.text, query_kind_name(q)), notes);
            return std::nullopt;
          }
          out.literal = *c;
        }
        return out;
      }
      out.op = expr_op::path;
      for (const auto& p : e.paths) {
        auto c = resolve_path(s, p, q);
        if (!c) return std::nullopt;
        out.paths.push_back(std::move(*c));
      }
      return out;
    }
    case k::list: {
      out.op = expr_op::list;
      for (const auto& kid : e.kids) {
        auto c = resolve_expr(s, kid, q, expect_cat);
        if (!c) return std::nullopt;
        out.kids.push_back(std::move(*c));
      }
      return out;
    }
    case k::compare:
    case k::in: {
      auto left = resolve_expr(s, e.kids[0], q);
      if (!left) return std::nullopt;
      std::optional<category> cat;
      if (left->op == expr_op::path && left->paths.size() == 1) cat = left->paths[0].code_cat;
      // `x in <set of codes>`: a bare code on the left is one of that set's category.
      if (e.k == k::in && !cat && is_code_literal(e.kids[0], q, s)) {
        auto probe = resolve_expr(s, e.kids[1], q);
        if (!probe) return std::nullopt;
        const auto rt = type_of(*probe, s);
        if (rt.code_set && rt.cat) {
          left = resolve_expr(s, e.kids[0], q, rt.cat);
          if (!left) return std::nullopt;
        }
      }
      auto right = resolve_expr(s, e.kids[1], q, cat);
      if (!right) return std::nullopt;
      const auto lt = type_of(*left, s), rt = type_of(*right, s);
      if (e.k == k::in) {
        out.op = expr_op::in;
        const bool set_right =
            right->op == expr_op::list || rt.code_set ||
            (right->op == expr_op::path && std::all_of(right->paths.begin(), right->paths.end(), [](const cpath& p) {
               return p.type == value_type::positions || p.type == value_type::units ||
                      p.type == value_type::position || p.type == value_type::unit ||
                      (p.type == value_type::json && p.record.empty());
             }));
        if (!set_right) {
          s.diags.error(e.kids[1].where, msg("in-right-side"));
          return std::nullopt;
        }
        if (rt.code_set && lt.t != value_type::any && !comparable(lt, {value_type::code_val, rt.cat, false, {}})) {
          s.diags.error(e.where, msg("type-mismatch", describe(lt), describe(rt)));
          return std::nullopt;
        }
      } else {
        static const std::map<std::string, expr_op> ops = {{"==", expr_op::eq}, {"!=", expr_op::ne},
                                                           {"<", expr_op::lt},  {"<=", expr_op::le},
                                                           {">", expr_op::gt},  {">=", expr_op::ge}};
        out.op = ops.at(e.text);
        const bool ordering = out.op != expr_op::eq && out.op != expr_op::ne;
        if (!comparable(lt, rt)) {
          s.diags.error(e.where, msg("type-mismatch", describe(lt), describe(rt)));
          return std::nullopt;
        }
        if (ordering && cat && !s.out->vocab.ordered(*cat)) {
          s.diags.error(e.where, msg("unordered-codes", category_name(*cat)));
        } else if (ordering) {
          for (const auto* side : {&lt, &rt}) {
            const bool orderable = side->t == value_type::number || side->t == value_type::date ||
                                   side->t == value_type::code_val || side->t == value_type::any ||
                                   (side->t == value_type::json && side->record.empty() && !side->code_set);
            if (!orderable) {
              s.diags.error(e.where, msg("type-not-ordered", describe(*side)));
              return std::nullopt;
            }
          }
        }
      }
      out.kids.push_back(std::move(*left));
      out.kids.push_back(std::move(*right));
      return out;
    }
    case k::is_null:
    case k::not_null: {
      auto inner = resolve_expr(s, e.kids[0], q);
      if (!inner) return std::nullopt;
      out.op = e.k == k::is_null ? expr_op::is_null : expr_op::not_null;
      out.kids.push_back(std::move(*inner));
      return out;
    }
    case k::and_:
    case k::or_:
    case k::not_: {
      out.op = e.k == k::and_ ? expr_op::and_ : e.k == k::or_ ? expr_op::or_ : expr_op::not_;
      for (const auto& kid : e.kids) {
        auto c = resolve_expr(s, kid, q);
        if (!c) return std::nullopt;
        out.kids.push_back(std::move(*c));
      }
      return out;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<code> code_in(state& s, category cat, const ast::name& n) {
  if (auto c = s.out->vocab.find(cat, n.text)) return c;
  const auto* id = s.out->vocab.find_any(n.text) ? "unknown-code.elsewhere" : "unknown-code";
  s.diags.error(n.where, msg(id, category_name(cat), n.text),
                {note(msg("unknown-code.declare", category_name(cat), n.text))});
  return std::nullopt;
}

std::vector<code> codes_in(state& s, category cat, const std::vector<ast::name>& ns) {
  std::vector<code> out;
  for (const auto& n : ns) {
    if (auto c = code_in(s, cat, n)) out.push_back(*c);
  }
  return out;
}

std::vector<cpath> resolve_union(state& s, const std::vector<ast::path>& ps, query_kind q) {
  std::vector<cpath> out;
  for (const auto& p : ps) {
    auto c = resolve_path(s, p, q);
    if (!c) continue;
    if (c->type != value_type::position && c->type != value_type::positions) {
      s.diags.error(p.where, msg("not-an-official", c->text, type_name(c->type)));
      continue;
    }
    out.push_back(std::move(*c));
  }
  return out;
}

std::optional<cexpr> resolve_cond(state& s, const std::optional<ast::expr>& e, query_kind q) {
  if (!e) return std::nullopt;
  return resolve_expr(s, *e, q);
}

}  // namespace perwal::compile
