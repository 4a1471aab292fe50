// The mapping (which header holds which field) and the dictionary (which
// text means which code): both small JSON files the auditor may edit.
#include <algorithm>
#include <cctype>
#include <set>

#include "engine/common/json_input.hpp"
#include "engine/import/importer.hpp"

namespace perwal::import {

namespace {

struct field_info {
  field f;
  std::string_view name;                            // in the mapping file
  std::initializer_list<std::string_view> headers;  // default headers, the first is what export writes
};

const field_info fields[] = {
    {field::row_kind, "row_kind", {"BARIS"}},
    {field::nip, "nip", {"NIP", "NIP_BARU"}},
    {field::name, "name", {"NAMA", "NAMA_PEGAWAI", "NAMA_LENGKAP"}},
    {field::position_id, "position_id", {"ID_JABATAN"}},
    {field::title, "title", {"JABATAN", "NAMA_JABATAN"}},
    {field::position_kind, "position_kind", {"KODE_JABATAN"}},
    {field::jenis_jabatan, "jenis_jabatan", {"JENIS_JABATAN"}},
    {field::eselon, "eselon", {"ESELON"}},
    {field::jenjang, "jenjang", {"JENJANG", "JENJANG_JABATAN"}},
    {field::head, "head", {"KEPALA_UNIT"}},
    {field::atasan_id, "atasan_id", {"ID_ATASAN", "ID_JABATAN_ATASAN"}},
    {field::atasan_nip, "atasan_nip", {"NIP_ATASAN"}},
    {field::unit_id, "unit_id", {"ID_UNIT_KERJA", "ID_UNOR"}},
    {field::unit, "unit", {"UNIT_KERJA", "UNOR", "NAMA_UNOR"}},
    {field::unit_kind, "unit_kind", {"JENIS_UNIT"}},
    {field::parent_unit_id, "parent_unit_id", {"ID_UNIT_INDUK", "ID_UNOR_INDUK"}},
    {field::parent_unit, "parent_unit", {"UNIT_INDUK", "UNOR_INDUK"}},
    {field::unit_head_id, "unit_head_id", {"ID_KEPALA_UNIT"}},
    {field::instansi_id, "instansi_id", {"ID_INSTANSI"}},
    {field::instansi, "instansi", {"INSTANSI", "NAMA_INSTANSI"}},
    {field::pejabat_berwenang, "pejabat_berwenang", {"PEJABAT_BERWENANG"}},
    {field::position_tags, "position_tags", {"TAG_JABATAN"}},
    {field::unit_tags, "unit_tags", {"TAG_UNIT"}},
    {field::data, "data", {"DATA"}},
    {field::sebagai, "sebagai", {"SEBAGAI", "STATUS_JABATAN"}},
};
static_assert(std::size(fields) == field_count);

nlohmann::json parse_json(const std::string& text, const std::string& file, std::string_view what_en,
                          std::string_view what_id) {
  json_input::failure why;
  auto doc = json_input::parse(text, why);
  if (!doc) {
    const auto at = json_input::locate(text, why.byte);
    const std::string where = file + ":" + std::to_string(at.line) + ":" + std::to_string(at.column);
    throw read_error(where + ": invalid JSON in the " + std::string(what_en) + ": " + why.message,
                     where + ": JSON tidak sah dalam " + std::string(what_id) + ": " + why.message);
  }
  if (!doc->is_object()) {
    throw read_error(file + ": the " + std::string(what_en) + " must be a JSON object",
                     file + ": " + std::string(what_id) + " harus berupa objek JSON");
  }
  return *doc;
}

}  // namespace

std::string_view field_name(field f) {
  return fields[static_cast<std::size_t>(f)].name;
}

mapping default_mapping() {
  mapping m;
  for (const auto& fi : fields) {
    for (const auto h : fi.headers) m.headers[static_cast<std::size_t>(fi.f)].emplace_back(h);
  }
  return m;
}

std::string export_header(field f) {
  return std::string(*fields[static_cast<std::size_t>(f)].headers.begin());
}

mapping read_mapping(const std::string& text, const std::string& file) {
  const auto doc = parse_json(text, file, "mapping", "pemetaan");
  if (doc.value("schema", "") != "perwal-import-mapping/1") {
    throw read_error(file + ": schema: expected \"perwal-import-mapping/1\"",
                     file + ": schema: seharusnya \"perwal-import-mapping/1\"");
  }
  mapping m = default_mapping();
  const auto columns = doc.find("columns");
  if (columns == doc.end()) return m;
  if (!columns->is_object()) {
    throw read_error(file + ": columns: expected an object", file + ": columns: harus berupa objek");
  }
  for (const auto& item : columns->items()) {
    const std::string key = item.key();  // not a structured binding: the lambda below captures it
    const auto& value = item.value();
    const auto fi = std::find_if(std::begin(fields), std::end(fields), [&](const auto& x) { return x.name == key; });
    if (fi == std::end(fields)) {
      std::string known;
      for (const auto& x : fields) known += (known.empty() ? "" : ", ") + std::string(x.name);
      throw read_error(file + ": columns." + key + ": unknown field (known: " + known + ")",
                       file + ": columns." + key + ": kolom tidak dikenal (yang dikenal: " + known + ")");
    }
    std::vector<std::string> headers;
    if (value.is_string()) {
      headers.push_back(value.get<std::string>());
    } else if (value.is_array() &&
               std::all_of(value.begin(), value.end(), [](const auto& v) { return v.is_string(); })) {
      for (const auto& v : value) headers.push_back(v.get<std::string>());
    } else {
      throw read_error(file + ": columns." + key + ": expected a header name or an array of them",
                       file + ": columns." + key + ": harus berupa nama kolom atau larik nama kolom");
    }
    m.headers[static_cast<std::size_t>(fi->f)] = std::move(headers);
  }
  return m;
}

dictionary read_dictionary(const std::string& text, const std::string& file) {
  const auto doc = parse_json(text, file, "dictionary", "kamus");
  if (doc.value("schema", "") != "perwal-import-dictionary/1") {
    throw read_error(file + ": schema: expected \"perwal-import-dictionary/1\"",
                     file + ": schema: seharusnya \"perwal-import-dictionary/1\"");
  }
  dictionary d;
  const std::pair<const char*, std::vector<dictionary_entry>*> sections[] = {
      {"unit_kind", &d.unit_kind}, {"position_kind", &d.position_kind}, {"jenis", &d.jenis}, {"jenjang", &d.jenjang}};
  for (const auto& [name, into] : sections) {
    const auto it = doc.find(name);
    if (it == doc.end()) continue;
    if (!it->is_array()) {
      throw read_error(file + ": " + name + ": expected an array of entries",
                       file + ": " + name + ": harus berupa larik entri");
    }
    for (std::size_t i = 0; i < it->size(); ++i) {
      const auto& e = (*it)[i];
      const std::string where = file + ": " + name + "[" + std::to_string(i) + "]";
      dictionary_entry x;
      int matches = 0;
      for (const auto& [key, how] :
           {std::pair{"equals", dictionary_entry::how::equals}, std::pair{"prefix", dictionary_entry::how::prefix},
            std::pair{"contains", dictionary_entry::how::contains}}) {
        if (e.is_object() && e.contains(key) && e[key].is_string()) {
          x.match = how;
          x.text = e[key].get<std::string>();
          ++matches;
        }
      }
      if (!e.is_object() || matches != 1 || !e.contains("code") || !e["code"].is_string() || x.text.empty()) {
        throw read_error(where + ": expected {\"prefix\"|\"equals\"|\"contains\": \"text\", \"code\": \"…\"}",
                         where + ": seharusnya {\"prefix\"|\"equals\"|\"contains\": \"teks\", \"code\": \"…\"}");
      }
      x.code = e["code"].get<std::string>();
      const std::string default_from = std::string(name) == "unit_kind" ? "name" : "title";
      x.from = e.value("from", default_from);
      static const std::set<std::string, std::less<>> inputs = {"name", "title", "eselon", "jenis_jabatan", "jenjang"};
      if (!inputs.count(x.from)) {
        throw read_error(where + ".from: expected name, title, eselon, jenis_jabatan or jenjang",
                         where + ".from: seharusnya name, title, eselon, jenis_jabatan atau jenjang");
      }
      into->push_back(std::move(x));
    }
  }
  return d;
}

}  // namespace perwal::import
