// Internal to engine/org: the JSON reader, a perwal-org/1 document into a
// spec, reporting what is not of the document's shape (sections, objects,
// JSON types); references and codes are left to the validator.
#pragma once

#include "engine/org/org_load_internal.hpp"

namespace perwal::org {

struct json_reader {
  error_sink& errors;
  spec& out;
  read_notes& notes;

  // false when the document is not an object (nothing else is read).
  [[nodiscard]] bool read(const json& doc) {
    if (!doc.is_object()) {
      errors.add(section::document, msg("org.expected-object", doc.type_name()));
      return false;
    }
    check_schema(doc);
    const json* instansi_arr = section_array(doc, section::instansi, true, notes.instansi_ok);
    const json* unit_arr = section_array(doc, section::units, true, notes.units_ok);
    const json* position_arr = section_array(doc, section::positions, true, notes.positions_ok);
    const json* employee_arr = section_array(doc, section::employees, false, notes.positions_ok);
    bool unused = true;
    const json* delegation_arr = section_array(doc, section::delegations, false, unused);
    const json* team_arr = section_array(doc, section::teams, false, unused);
    read_items(instansi_arr, section::instansi, out.instansi, &json_reader::read_instansi);
    read_items(unit_arr, section::units, out.units, &json_reader::read_unit);
    read_items(position_arr, section::positions, out.positions, &json_reader::read_position);
    read_items(employee_arr, section::employees, out.employees, &json_reader::read_employee);
    read_items(delegation_arr, section::delegations, out.delegations, &json_reader::read_delegation);
    notes.team_objects.assign(count(team_arr), nullptr);
    read_items(team_arr, section::teams, out.teams, &json_reader::read_team_item);
    return true;
  }

  void check_schema(const json& doc) {
    const auto it = doc.find("schema");
    if (it == doc.end()) {
      errors.add(section::schema, msg("org.missing"));
    } else if (!it->is_string()) {
      errors.add(section::schema, msg("org.expected-string", it->type_name()));
    } else if (it->get_ref<const std::string&>() != "perwal-org/1") {
      errors.add(section::schema, msg("org.unsupported-schema", quote(it->get_ref<const std::string&>())));
    }
  }

  // The array of section `s`, or nullptr. A missing optional section (or
  // null) is empty; anything else that is not an array clears `ok`.
  [[nodiscard]] const json* section_array(const json& doc, section s, bool required, bool& ok) {
    const auto it = doc.find(section_name(s));
    if (it == doc.end() || (!required && it->is_null())) {
      if (required) {
        errors.add(s, msg("org.missing"));
        ok = false;
      }
      return nullptr;
    }
    if (!it->is_array()) {
      errors.add(s, msg("org.expected-array", it->type_name()));
      ok = false;
      return nullptr;
    }
    if (it->size() >= none) {
      errors.add(s, msg("org.too-many"));
      ok = false;
      return nullptr;
    }
    return &*it;
  }

  [[nodiscard]] static index count(const json* arr) { return arr == nullptr ? 0 : static_cast<index>(arr->size()); }

  // Each element of `arr` into `items` (an item that is not an object stays
  // empty, marked so).
  template <class Item>
  void read_items(const json* arr, section s, std::vector<Item>& items,
                  void (json_reader::*read_one)(item_reader&, index, const json&, Item&)) {
    const index n = count(arr);
    items.resize(n);
    auto& broken = notes.broken[static_cast<std::size_t>(s)];
    broken.assign(n, 0);
    for (index i = 0; i < n; ++i) {
      const json& obj = (*arr)[i];
      if (!obj.is_object()) {
        broken[i] = field_bit(field::none);
        errors.add(s, i, field::none, none, msg("org.expected-object", obj.type_name()));
        continue;
      }
      item_reader r(errors, s, i, obj, broken[i]);
      (this->*read_one)(r, i, obj, items[i]);
    }
  }

  void read_instansi(item_reader& r, index, const json&, instansi_spec& x) {
    r.read(field::id, true, x.id);
    r.read(field::name, false, x.name);
    r.read(field::pejabat_berwenang, x.pejabat_berwenang);
  }

  void read_unit(item_reader& r, index, const json&, unit_spec& u) {
    r.read(field::id, true, u.id);
    r.read(field::name, false, u.name);
    r.read(field::kind, true, u.kind);
    r.read(field::parent, u.parent);  // absent, null or broken: no parent (the validator tells them apart)
    r.read(field::instansi, u.instansi);
    r.read(field::head, u.head);
    r.tags(u.tags);
  }

  void read_position(item_reader& r, index i, const json&, position_spec& p) {
    r.read(field::id, true, p.id);
    r.read(field::title, false, p.title);
    r.read(field::kind, true, p.kind);
    r.read(field::jenis, true, p.jenis);
    if (const json* v = r.get(field::jenjang); v != nullptr && !v->is_null()) {
      if (v->is_string()) {
        p.jenjang = v->get<std::string>();
      } else {
        notes.broken[static_cast<std::size_t>(section::positions)][i] |= field_bit(field::jenjang);
        notes.jenjang_errors.emplace(i, msg("org.expected-string", v->type_name()));
      }
    }
    r.read(field::unit, true, p.unit);
    r.read(field::atasan, p.atasan);
    r.tags(p.tags);
  }

  void read_employee(item_reader& r, index, const json&, employee_spec& e) {
    r.read(field::nip, true, e.nip);
    r.read(field::name, false, e.name);
    r.read(field::position, true, e.position);
    r.read(field::sebagai, false, e.sebagai);
  }

  void read_delegation(item_reader& r, index, const json& obj, delegation_spec& d) {
    r.read(field::from, true, d.from);
    r.read(field::to, true, d.to);
    r.read(field::authority, true, d.authority);
    r.read(field::basis, false, d.basis);
    static constexpr std::array<std::string_view, 4> typed{"from", "to", "authority", "basis"};
    for (const auto& [key, value] : obj.items()) {
      if (std::find(typed.begin(), typed.end(), key) == typed.end()) d.fields[key] = value;
    }
  }

  void read_team_item(item_reader& r, index i, const json& obj, team_spec& t) {
    notes.team_objects[i] = &obj;
    read_team(r, i, obj, t, notes.broken_anggota);
  }

  // One team object (also what freezer::read_teams reads).
  void read_team(item_reader& r, index i, const json& obj, team_spec& t,
                 std::vector<std::pair<index, index>>& broken_anggota) {
    r.read(field::id, true, t.id);
    r.read(field::name, false, t.name);
    r.read(field::owner_unit, true, t.owner_unit);
    r.read(field::established_by, t.established_by);
    r.read(field::ketua, t.ketua);
    if (const json* v = r.get(field::anggota); v != nullptr && !v->is_null()) {
      if (!v->is_array()) {
        r.error(field::anggota, msg("org.expected-array", v->type_name()));
      } else {
        t.anggota.reserve(v->size());
        for (std::size_t j = 0; j < v->size(); ++j) {
          const auto sub = static_cast<index>(j);
          const std::string* ref = r.string_value(&(*v)[j], field::anggota, true, sub);
          if (ref == nullptr) broken_anggota.emplace_back(i, sub);
          t.anggota.push_back(ref == nullptr ? std::string() : *ref);
        }
      }
    }
    if (const json* v = r.get(field::target); v != nullptr && !v->is_null()) {
      if (!v->is_object()) {
        r.error(field::target, msg("org.expected-object", v->type_name()));
      } else {
        team_target_spec target;
        std::uint32_t target_broken = 0;
        item_reader tr(errors, section::teams, i, *v, target_broken);
        tr.read(field::target_sasaran, false, target.sasaran);
        tr.read(field::target_indikator, false, target.indikator);
        if (const auto it = v->find("nilai"); it != v->end()) target.nilai = *it;
        target.given = *v;
        t.target = std::move(target);
      }
    }
    for (const auto& [key, value] : obj.items()) {
      if (std::find(team_keys.begin(), team_keys.end(), key) == team_keys.end()) t.fields[key] = value;
    }
  }
};

// Validates a spec into one org_graph (the build_/resolve_/check_ passes);
// freezer::freeze then makes the indices. `notes` (from the JSON reader,
// else null) says which fields were reported already.
}  // namespace perwal::org
