// Resolving names: codes against the vocabulary, and role expressions and
// conditions against the names a query type offers and the properties each
// kind of value has. Used by the merge phase (codes) and the resolve phase
// (rules.cpp).
#include <algorithm>
#include <map>

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
  static const context_names delegasi{{{"delegation", {base_name::delegation, value_type::delegation}}}};
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

std::optional<cpath> resolve_path(state& s, const ast::path& p, query_kind q) {
  cpath out;
  out.where = p.where;
  out.text = p.base.text;
  const auto& ctx = names_for(q);
  auto found = std::find_if(ctx.bases.begin(), ctx.bases.end(), [&](const auto& b) { return b.first == p.base.text; });
  if (found == ctx.bases.end()) {
    std::string names;
    for (const auto& b : ctx.bases) names += (names.empty() ? "" : ", ") + std::string(b.first);
    s.diags.error(p.base.where, msg("unknown-name", p.base.text, query_kind_name(q)),
                  {note(msg("unknown-name.names", names))});
    return std::nullopt;
  }
  out.base = found->second.first;
  value_type t = found->second.second;
  std::optional<category> cat;
  if (out.base == base_name::mode) cat = category::mode;
  if (out.base == base_name::scope || out.base == base_name::contract_scope) cat = category::scope;
  if (out.base == base_name::role) cat = category::team_role;
  if (out.base == base_name::as) cat = category::report_as;
  for (const auto& seg : p.steps) {
    out.text += "." + seg.prop.text;
    cstep step;
    // step.<field>, and <json>.<field>: any field of the query's step object, or
    // of a JSON value reached by team.field("…"); checked at run time.
    if (t == value_type::step || t == value_type::json) {
      step.p = prop::field;
      step.text = seg.prop.text;
      t = value_type::json;
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
      std::string props;
      for (const auto& ps : table) {
        if (ps.from == elem) props += (props.empty() ? "" : ", ") + std::string(ps.name);
      }
      s.diags.error(seg.prop.where, msg("not-a-property", seg.prop.text, type_name(t)),
                    {note(props.empty() ? msg("not-a-property.none") : msg("not-a-property.list", props))});
      return std::nullopt;
    }
    step.p = spec->p;
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
    t = next;
    out.steps.push_back(std::move(step));
  }
  out.type = t;
  if (t == value_type::code_val) out.code_cat = cat;
  return out;
}

std::optional<category> code_cat_of(const cpath& p) {
  return p.code_cat;
}

bool is_code_literal(const ast::expr& e, query_kind q) {
  if (e.k != ast::expr::kind::path_union || e.paths.size() != 1 || !e.paths[0].steps.empty()) return false;
  const auto& ctx = names_for(q);
  return std::none_of(ctx.bases.begin(), ctx.bases.end(),
                      [&](const auto& b) { return b.first == e.paths[0].base.text; });
}

std::optional<cexpr> resolve_expr(state& s, const ast::expr& e, query_kind q, std::optional<category> expect_cat = {}) {
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
    case k::path_union: {
      if (is_code_literal(e, q)) {
        const auto& n = e.paths[0].base;
        out.op = expr_op::code_lit;
        if (expect_cat) {
          auto c = code_in(s, *expect_cat, n);
          if (!c) return std::nullopt;
          out.literal = *c;
        } else {
          auto c = s.out->vocab.find_any(n.text);
          if (!c) {
            std::string names;
            for (const auto& b : names_for(q).bases) names += (names.empty() ? "" : ", ") + std::string(b.first);
            s.diags.error(n.where, msg("unknown-name-or-code", n.text, query_kind_name(q)),
                          {note(msg("unknown-name-or-code.names", names))});
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
      if (left->op == expr_op::path && left->paths.size() == 1) cat = code_cat_of(left->paths[0]);
      auto right = resolve_expr(s, e.kids[1], q, cat);
      if (!right) return std::nullopt;
      if (e.k == k::in) {
        out.op = expr_op::in;
        const bool set_right =
            right->op == expr_op::list ||
            (right->op == expr_op::path && std::all_of(right->paths.begin(), right->paths.end(), [](const cpath& p) {
               return p.type == value_type::positions || p.type == value_type::units ||
                      p.type == value_type::position || p.type == value_type::unit || p.type == value_type::json;
             }));
        if (!set_right) {
          s.diags.error(e.kids[1].where, msg("in-right-side"));
          return std::nullopt;
        }
      } else {
        static const std::map<std::string, expr_op> ops = {{"==", expr_op::eq}, {"!=", expr_op::ne},
                                                           {"<", expr_op::lt},  {"<=", expr_op::le},
                                                           {">", expr_op::gt},  {">=", expr_op::ge}};
        out.op = ops.at(e.text);
        const bool ordering = out.op != expr_op::eq && out.op != expr_op::ne;
        if (ordering && cat && !s.out->vocab.ordered(*cat)) {
          s.diags.error(e.where, msg("unordered-codes", category_name(*cat)));
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
