// org::to_json: a spec as the perwal-org/1 document. Validation and the
// reading of documents into specs are in org.cpp (the loader), so that the
// JSON loader and build() share them.
#include "engine/org/org_spec.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace perwal::org {

namespace {

using json = nlohmann::json;

// Keys of the typed team fields, which team_spec::fields cannot override.
constexpr std::array<std::string_view, 7> typed_team_keys = {"id",    "name",    "owner_unit", "established_by",
                                                             "ketua", "anggota", "target"};

void put_optional(json& obj, const char* key, const std::optional<std::string>& value) {
  if (value) obj[key] = *value;
}

void put_nonempty(json& obj, const char* key, const std::string& value) {
  if (!value.empty()) obj[key] = value;
}

void put_tags(json& obj, const std::vector<std::string>& tags) {
  if (!tags.empty()) obj["tags"] = tags;
}

template <class Item>
json array_of(const std::vector<Item>& items) {
  json out = json::array();
  for (const Item& x : items) out.push_back(to_json(x));
  return out;
}

}  // namespace

json to_json(const instansi_spec& x) {
  json o = {{"id", x.id}};
  put_nonempty(o, "name", x.name);
  put_optional(o, "pejabat_berwenang", x.pejabat_berwenang);
  return o;
}

json to_json(const unit_spec& u) {
  json o = {{"id", u.id}};
  put_nonempty(o, "name", u.name);
  o["kind"] = u.kind;
  o["parent"] = u.parent ? json(*u.parent) : json();
  put_optional(o, "instansi", u.instansi);
  put_optional(o, "head", u.head);
  put_tags(o, u.tags);
  return o;
}

json to_json(const position_spec& p) {
  json o = {{"id", p.id}};
  put_nonempty(o, "title", p.title);
  o["kind"] = p.kind;
  o["jenis"] = p.jenis;
  put_optional(o, "jenjang", p.jenjang);
  o["unit"] = p.unit;
  put_optional(o, "atasan", p.atasan);
  put_tags(o, p.tags);
  return o;
}

json to_json(const employee_spec& e) {
  json o = {{"nip", e.nip}};
  put_nonempty(o, "name", e.name);
  o["position"] = e.position;
  put_nonempty(o, "sebagai", e.sebagai);
  return o;
}

json to_json(const delegation_spec& d) {
  json o = d.fields.is_object() ? d.fields : json::object();
  o["from"] = d.from;
  o["to"] = d.to;
  o["authority"] = d.authority;
  put_nonempty(o, "basis", d.basis);
  return o;
}

json to_json(const team_spec& t) {
  json o = json::object();
  if (t.fields.is_object()) {
    for (const auto& [key, value] : t.fields.items()) {
      if (std::find(typed_team_keys.begin(), typed_team_keys.end(), key) == typed_team_keys.end()) o[key] = value;
    }
  }
  o["id"] = t.id;
  put_nonempty(o, "name", t.name);
  o["owner_unit"] = t.owner_unit;
  put_optional(o, "established_by", t.established_by);
  put_optional(o, "ketua", t.ketua);
  o["anggota"] = t.anggota;
  if (t.target && t.target->given.is_object()) {
    o["target"] = t.target->given;
  } else if (t.target) {
    json target = json::object();
    put_nonempty(target, "sasaran", t.target->sasaran);
    put_nonempty(target, "indikator", t.target->indikator);
    if (!t.target->nilai.is_null()) target["nilai"] = t.target->nilai;
    o["target"] = std::move(target);
  }
  return o;
}

json to_json(const spec& s) {
  return {{"schema", "perwal-org/1"},           {"instansi", array_of(s.instansi)},
          {"units", array_of(s.units)},         {"positions", array_of(s.positions)},
          {"employees", array_of(s.employees)}, {"delegations", array_of(s.delegations)},
          {"teams", array_of(s.teams)}};
}

}  // namespace perwal::org
