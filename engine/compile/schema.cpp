// The schema of the data the rules read, from every layer's `fields`
// declarations (base first): the fields of each step action, of teams and of
// records. A regional ruleset may add fields and records; a field declared
// twice must keep its type.
#include <algorithm>

#include "engine/common/spelling.hpp"
#include "engine/compile/phases.hpp"

namespace perwal::compile {

namespace {

constexpr std::array<std::pair<std::string_view, field_type::kind>, 7> builtin_types = {{
    {"position", field_type::kind::position},
    {"positions", field_type::kind::positions},
    {"unit", field_type::kind::unit},
    {"number", field_type::kind::number},
    {"text", field_type::kind::text},
    {"date", field_type::kind::date},
    {"boolean", field_type::kind::boolean},
}};

std::vector<std::string> type_names(const data_schema& schema) {
  std::vector<std::string> names;
  for (const auto& [n, k] : builtin_types) names.emplace_back(n);
  for (std::size_t i = 0; i < category_count; ++i) names.emplace_back(category_name(static_cast<category>(i)));
  for (const auto& [r, fields] : schema.records) names.push_back(r);
  return names;
}

std::optional<field_type> type_of(state& s, const ast::field_decl& f) {
  field_type t;
  t.spelled = (f.is_set ? "set " : "") + f.type.text;
  t.is_set = f.is_set;
  const auto builtin =
      std::find_if(builtin_types.begin(), builtin_types.end(), [&](const auto& b) { return b.first == f.type.text; });
  if (builtin != builtin_types.end() && !f.is_set) {
    t.k = builtin->second;
    return t;
  }
  if (auto cat = category_from_name(f.type.text)) {
    t.k = field_type::kind::coded;
    t.cat = cat;
    return t;
  }
  if (s.out->schema.records.count(f.type.text) && !f.is_set) {
    t.k = field_type::kind::record;
    t.record = f.type.text;
    return t;
  }
  std::vector<related> notes;
  if (auto near = nearest_name(f.type.text, type_names(s.out->schema)); !near.empty()) {
    notes.push_back(note(msg("did-you-mean", near)));
  }
  s.diags.error(f.type.where, msg(f.is_set ? "schema-set-type" : "schema-unknown-type", f.type.text), notes);
  return std::nullopt;
}

void add_field(state& s, field_map& into, const ast::field_decl& f, const std::string& owner) {
  auto t = type_of(s, f);
  if (!t) return;
  auto [it, added] = into.emplace(f.field.text, *t);
  if (!added && !(it->second == *t)) {
    s.diags.error(f.field.where, msg("schema-field-retyped", f.field.text, owner, it->second.spelled, t->spelled));
  }
}

}  // namespace

void declare_schema(state& s, const std::vector<layer>& layers) {
  auto& schema = s.out->schema;
  // Records first (any layer may use a record another declares), then fields.
  for (const auto& l : layers) {
    for (const auto& d : l.file.fields) {
      if (d.what == ast::fields_decl::subject::record) schema.records[d.record.text];
    }
  }
  for (const auto& l : layers) {
    for (const auto& d : l.file.fields) {
      switch (d.what) {
        case ast::fields_decl::subject::record:
          for (const auto& f : d.fields) add_field(s, schema.records[d.record.text], f, "record " + d.record.text);
          break;
        case ast::fields_decl::subject::team:
          for (const auto& f : d.fields) add_field(s, schema.team, f, "team");
          break;
        case ast::fields_decl::subject::delegation:
          for (const auto& f : d.fields) add_field(s, schema.delegation, f, "delegation");
          break;
        case ast::fields_decl::subject::step:
          for (const auto& a : d.actions) {
            auto action = code_in(s, category::action, a);
            if (!action) continue;
            for (const auto& f : d.fields) add_field(s, schema.step[*action], f, "step " + a.text);
          }
          break;
      }
    }
  }
}

}  // namespace perwal::compile
