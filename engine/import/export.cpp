// `perwal export`: an org as the flat sheet import reads back with the
// default mapping. Rows in the org's own order (instansi, units, positions,
// then delegations and teams), so a round trip gives the same org, item for
// item, and the same audit.
#include <unordered_map>

#include "engine/import/importer.hpp"

namespace perwal::import {

namespace {

constexpr field columns[] = {field::row_kind,      field::instansi_id,   field::instansi,    field::pejabat_berwenang,
                             field::unit_id,       field::unit,          field::unit_kind,   field::parent_unit_id,
                             field::unit_head_id,  field::unit_tags,     field::position_id, field::title,
                             field::position_kind, field::jenis_jabatan, field::jenjang,     field::atasan_id,
                             field::position_tags, field::nip,           field::name,        field::sebagai,
                             field::data};

std::string join_tags(const std::vector<std::string>& tags) {
  std::string out;
  for (const auto& t : tags) out += (out.empty() ? "" : "|") + t;
  return out;
}

class row_builder {
 public:
  row_builder() : cells_(std::size(columns)) {}
  row_builder& set(field f, const std::string& v) {
    for (std::size_t c = 0; c < std::size(columns); ++c) {
      if (columns[c] == f) cells_[c] = v;
    }
    return *this;
  }
  std::vector<std::string> take() { return std::move(cells_); }

 private:
  std::vector<std::string> cells_;
};

}  // namespace

flat_table export_flat(const org::spec& s, const nlohmann::json& doc) {
  flat_table t;
  for (const field f : columns) t.header.push_back(export_header(f));
  for (const auto& x : s.instansi) {
    t.rows.push_back(row_builder()
                         .set(field::row_kind, "instansi")
                         .set(field::instansi_id, x.id)
                         .set(field::instansi, x.name)
                         .set(field::pejabat_berwenang, x.pejabat_berwenang.value_or(""))
                         .take());
  }
  for (const auto& u : s.units) {
    t.rows.push_back(row_builder()
                         .set(field::row_kind, "unit")
                         .set(field::instansi_id, u.instansi.value_or(""))
                         .set(field::unit_id, u.id)
                         .set(field::unit, u.name)
                         .set(field::unit_kind, u.kind)
                         .set(field::parent_unit_id, u.parent.value_or(""))
                         .set(field::unit_head_id, u.head.value_or(""))
                         .set(field::unit_tags, join_tags(u.tags))
                         .take());
  }
  // A position's first employee shares its row; further ones get rows of their own.
  std::unordered_map<std::string, std::vector<const org::employee_spec*>> holders;
  for (const auto& e : s.employees) holders[e.position].push_back(&e);
  for (const auto& p : s.positions) {
    row_builder b;
    b.set(field::row_kind, "jabatan")
        .set(field::unit_id, p.unit)
        .set(field::position_id, p.id)
        .set(field::title, p.title)
        .set(field::position_kind, p.kind)
        .set(field::jenis_jabatan, p.jenis)
        .set(field::jenjang, p.jenjang.value_or(""))
        .set(field::atasan_id, p.atasan.value_or(""))
        .set(field::position_tags, join_tags(p.tags));
    const auto h = holders.find(p.id);
    if (h != holders.end() && !h->second.empty())
      b.set(field::nip, h->second.front()->nip)
          .set(field::name, h->second.front()->name)
          .set(field::sebagai, h->second.front()->sebagai);
    t.rows.push_back(b.take());
    if (h == holders.end()) continue;
    for (std::size_t k = 1; k < h->second.size(); ++k) {
      t.rows.push_back(row_builder()
                           .set(field::row_kind, "pegawai")
                           .set(field::position_id, p.id)
                           .set(field::nip, h->second[k]->nip)
                           .set(field::name, h->second[k]->name)
                           .set(field::sebagai, h->second[k]->sebagai)
                           .take());
    }
  }
  // Employees of a position the org does not have (the loader would refuse them) are kept too.
  std::unordered_map<std::string, bool> known;
  for (const auto& p : s.positions) known[p.id] = true;
  for (const auto& e : s.employees) {
    if (known.count(e.position)) continue;
    t.rows.push_back(row_builder()
                         .set(field::row_kind, "pegawai")
                         .set(field::position_id, e.position)
                         .set(field::nip, e.nip)
                         .set(field::name, e.name)
                         .set(field::sebagai, e.sebagai)
                         .take());
  }
  for (const auto& [section, kind] : {std::pair{"delegations", "delegasi"}, std::pair{"teams", "tim"}}) {
    const auto it = doc.find(section);
    if (it == doc.end() || !it->is_array()) continue;
    for (const auto& item : *it) {
      t.rows.push_back(row_builder().set(field::row_kind, kind).set(field::data, item.dump()).take());
    }
  }
  return t;
}

std::string to_csv(const flat_table& t) {
  // A byte order mark, so that Excel opens the file as UTF-8.
  std::string out = "\xEF\xBB\xBF";
  const auto line = [&](const std::vector<std::string>& cells) {
    for (std::size_t c = 0; c < cells.size(); ++c) out += (c == 0 ? "" : ",") + csv_field(cells[c]);
    out += "\r\n";
  };
  line(t.header);
  for (const auto& r : t.rows) line(r);
  return out;
}

}  // namespace perwal::import
