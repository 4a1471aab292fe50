// Rows into an org: see importer.hpp. Two passes: the first reads every row
// into units, positions and employees (merging a unit repeated on every row
// of a flat sheet, refusing a row that contradicts an earlier one); the
// second resolves what may name a later row (a parent unit by name, an
// atasan by NIP), infers unit heads, and writes the spec.
#include "engine/import/importer.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <unordered_map>

#include "engine/common/json_input.hpp"
#include "engine/org/org.hpp"

namespace perwal::import {

namespace {

// Upper case without spaces, dots, underscores or hyphens: "Nip Atasan" = "NIP_ATASAN".
std::string header_key(std::string_view h) {
  std::string out;
  for (const char c : h) {
    if (c == ' ' || c == '.' || c == '_' || c == '-' || c == '\t') continue;
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

// Lower case, runs of spaces as one, trimmed: dictionary matching.
std::string fold(std::string_view s) {
  std::string out;
  for (const char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (!out.empty() && out.back() != ' ') out += ' ';
      continue;
    }
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

// "Dinas Kesehatan" -> "dinas-kesehatan": ids made from names.
std::string slug(std::string_view s) {
  std::string out;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) {
      out += static_cast<char>(std::tolower(u));
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "x" : out;
}

std::vector<std::string> split_tags(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    const auto bar = s.find('|', start);
    const auto t = trim(std::string_view(s).substr(start, bar == std::string::npos ? std::string::npos : bar - start));
    if (!t.empty()) out.push_back(t);
    if (bar == std::string::npos) break;
    start = bar + 1;
  }
  return out;
}

bool yes(const std::string& v) {
  const auto f = fold(v);
  return f == "ya" || f == "y" || f == "yes" || f == "1" || f == "true" || f == "x";
}

struct unit_rec {
  std::string id;  // final id
  std::string name, kind, parent_id, parent_name, instansi, head;
  std::vector<std::string> tags;
  cell_ref origin;
  bool refused = false;
  bool stated = false;  // defined by a row of its own (not only named as a parent)
};

struct position_rec {
  std::string id;
  std::string title, kind, jenis, unit_key, atasan_id, atasan_nip;
  std::optional<std::string> jenjang;
  std::vector<std::string> tags;
  bool head = false;
  cell_ref origin, atasan_cell;
  bool refused = false;
};

class importer {
 public:
  importer(const mapping& m, const dictionary& d, const vocabulary& v, result& r)
      : map_(m), dict_(d), vocab_(v), r_(r) {}

  void read(const sheet& s) {
    // the column of each field in this sheet
    std::array<long, field_count> col{};
    col.fill(-1);
    bool any = false;
    for (std::size_t f = 0; f < field_count; ++f) {
      for (const auto& h : map_.headers[f]) {
        const auto key = header_key(h);
        for (std::size_t c = 0; c < s.header.size() && col[f] < 0; ++c) {
          if (header_key(s.header[c]) == key) col[f] = static_cast<long>(c);
        }
        if (col[f] >= 0) break;
      }
      any = any || col[f] >= 0;
    }
    if (col[static_cast<std::size_t>(field::head)] >= 0 || col[static_cast<std::size_t>(field::unit_head_id)] >= 0) {
      heads_given_ = true;
    }
    if (!any) {
      if (!s.rows.empty() || !s.header.empty()) {
        r_.refused.push_back({{s.label(), 0, ""}, msg("import.no-columns", std::to_string(s.rows.size()))});
      }
      return;
    }
    for (const auto& row : s.rows) {
      ++r_.rows_read;
      const row_view v{s, row, col};
      const auto before = r_.refused.size();
      read_row(v);
      if (r_.refused.size() == before) ++r_.rows_placed;
    }
  }

  void finish();

 private:
  struct row_view {
    const sheet& s;
    const sheet_row& row;
    const std::array<long, field_count>& col;
    [[nodiscard]] bool has(field f) const { return col[static_cast<std::size_t>(f)] >= 0; }
    [[nodiscard]] std::string get(field f) const {
      const long c = col[static_cast<std::size_t>(f)];
      if (c < 0 || static_cast<std::size_t>(c) >= row.cells.size()) return {};
      return trim(row.cells[static_cast<std::size_t>(c)]);
    }
    [[nodiscard]] cell_ref at(field f) const {
      const long c = col[static_cast<std::size_t>(f)];
      if (c < 0) return {s.label(), row.number, ""};
      return {s.label(), row.number, s.header[static_cast<std::size_t>(c)] + " (" + column_letter(c) + ")"};
    }
    [[nodiscard]] cell_ref at_row() const { return {s.label(), row.number, ""}; }
  };

  void refuse(cell_ref at, message m) { r_.refused.push_back({std::move(at), std::move(m)}); }

  void read_row(const row_view& v);
  void read_instansi(const row_view& v);
  std::optional<std::string> read_unit(const row_view& v, bool required);
  void read_position(const row_view& v, const std::string& unit_key);
  void read_employee(const row_view& v, const std::string& position_id);
  void read_data(const row_view& v, bool team);

  // A code: the cell's text when it is one already, else the dictionary's
  // first entry that matches one of `inputs`. Records the inference.
  std::optional<std::string> infer(category cat, const std::vector<dictionary_entry>& entries,
                                   const std::vector<std::pair<std::string, std::string>>& inputs,
                                   const cell_ref& where);
  void note(std::string cat, std::string input, std::string code, std::string rule, const cell_ref& where);

  std::string instansi_root(const std::string& instansi_id);
  std::string unit_for_parent_name(const std::string& name, const cell_ref& where);

  const mapping& map_;
  const dictionary& dict_;
  const vocabulary& vocab_;
  result& r_;
  bool heads_given_ = false;

  std::vector<org::instansi_spec> instansi_;
  std::vector<cell_ref> instansi_origin_;
  std::unordered_map<std::string, std::size_t> instansi_index_;
  std::vector<unit_rec> units_;
  std::unordered_map<std::string, std::size_t> unit_index_;  // key -> units_
  std::vector<position_rec> positions_;
  std::unordered_map<std::string, std::size_t> position_index_;
  std::map<std::string, std::size_t> title_count_;  // derived position ids
  std::vector<org::employee_spec> employees_;
  std::unordered_map<std::string, std::size_t> nip_index_;
  std::vector<org::delegation_spec> delegations_;
  std::vector<org::team_spec> teams_;
  std::map<std::tuple<std::string, std::string, std::string>, std::size_t> inference_index_;
};

void importer::note(std::string cat, std::string input, std::string code, std::string rule, const cell_ref& where) {
  auto key = std::make_tuple(cat, input, code);
  auto [it, fresh] = inference_index_.try_emplace(key, r_.inferences.size());
  if (fresh) r_.inferences.push_back({std::move(cat), std::move(input), std::move(code), std::move(rule), {}});
  r_.inferences[it->second].where.push_back(where);
}

std::optional<std::string> importer::infer(category cat, const std::vector<dictionary_entry>& entries,
                                           const std::vector<std::pair<std::string, std::string>>& inputs,
                                           const cell_ref& where) {
  // a code as given (the first input is the cell meant for codes)
  if (!inputs.empty() && !inputs.front().second.empty()) {
    if (vocab_.find(cat, inputs.front().second)) return inputs.front().second;
  }
  for (const auto& e : entries) {
    const auto in = std::find_if(inputs.begin(), inputs.end(), [&](const auto& x) { return x.first == e.from; });
    if (in == inputs.end() || in->second.empty()) continue;
    const auto text = fold(in->second);
    const auto want = fold(e.text);
    const bool hit = e.match == dictionary_entry::how::equals   ? text == want
                     : e.match == dictionary_entry::how::prefix ? text.rfind(want, 0) == 0
                                                                : text.find(want) != std::string::npos;
    if (!hit) continue;
    const char* how = e.match == dictionary_entry::how::equals   ? "equals"
                      : e.match == dictionary_entry::how::prefix ? "prefix"
                                                                 : "contains";
    note(std::string(category_name(cat)), in->second, e.code, e.from + " " + how + " \"" + e.text + "\"", where);
    return e.code;
  }
  return std::nullopt;
}

void importer::read_row(const row_view& v) {
  const std::string kind = fold(v.get(field::row_kind));
  if (kind == "instansi") return read_instansi(v);
  if (kind == "delegasi") return read_data(v, false);
  if (kind == "tim") return read_data(v, true);
  if (kind == "pegawai") return read_employee(v, v.get(field::position_id));
  const bool has_unit = !v.get(field::unit_id).empty() || !v.get(field::unit).empty();
  // a sheet of employees: NIP, NAMA, ID_JABATAN of a position stated elsewhere
  if (kind.empty() && !v.get(field::nip).empty() && !v.get(field::position_id).empty() && v.get(field::title).empty() &&
      !has_unit) {
    return read_employee(v, v.get(field::position_id));
  }
  const bool has_position = !v.get(field::position_id).empty() || !v.get(field::title).empty();
  if (kind == "unit" || (kind.empty() && !has_position && v.get(field::nip).empty())) {
    if (!v.get(field::instansi_id).empty() || !v.get(field::instansi).empty()) read_instansi(v);
    if (v.get(field::unit_id).empty() && v.get(field::unit).empty()) {
      if (kind == "unit" || (v.get(field::instansi_id).empty() && v.get(field::instansi).empty())) {
        refuse(v.at_row(), msg("import.empty-row"));
      }
      return;
    }
    (void)read_unit(v, true);
    return;
  }
  if (!kind.empty() && kind != "jabatan")
    return refuse(v.at(field::row_kind), msg("import.row-kind", v.get(field::row_kind)));
  if (!has_position) return refuse(v.at(field::title), msg("import.no-position"));  // a NIP alone
  if (!v.get(field::instansi_id).empty() || !v.get(field::instansi).empty()) read_instansi(v);
  const auto unit_key = read_unit(v, false);
  if (!unit_key) return;
  read_position(v, *unit_key);
}

void importer::read_instansi(const row_view& v) {
  std::string id = v.get(field::instansi_id);
  const std::string name = v.get(field::instansi);
  if (id.empty() && name.empty()) return refuse(v.at(field::instansi_id), msg("import.empty-row"));
  if (id.empty()) id = slug(name);
  const auto [it, fresh] = instansi_index_.try_emplace(id, instansi_.size());
  if (fresh) {
    instansi_.push_back({id, name, std::nullopt});
    instansi_origin_.push_back(v.at(field::instansi_id));
  }
  auto& x = instansi_[it->second];
  if (x.name.empty()) x.name = name;
  const std::string pejabat = v.get(field::pejabat_berwenang);
  if (!pejabat.empty()) {
    if (x.pejabat_berwenang && *x.pejabat_berwenang != pejabat) {
      return refuse(v.at(field::pejabat_berwenang),
                    msg("import.conflict", "instansi " + id, "PEJABAT_BERWENANG", *x.pejabat_berwenang, pejabat));
    }
    x.pejabat_berwenang = pejabat;
  }
}

// The key of the row's unit, defining or merging it; nullopt when the row is refused.
std::optional<std::string> importer::read_unit(const row_view& v, bool unit_row) {
  const std::string id = v.get(field::unit_id);
  const std::string name = v.get(field::unit);
  if (id.empty() && name.empty()) {
    refuse(v.at(v.has(field::unit_id) ? field::unit_id : field::unit), msg("import.no-unit"));
    return std::nullopt;
  }
  const std::string parent_id = v.get(field::parent_unit_id);
  const std::string parent_name = v.get(field::parent_unit);
  // Without ids a unit is its name under its parent's name ("Sekretariat" recurs in every dinas).
  const std::string key = !id.empty() ? id : "\x1f" + name + "\x1f" + parent_id + parent_name;
  const auto [it, fresh] = unit_index_.try_emplace(key, units_.size());
  if (fresh) {
    unit_rec u;
    u.id = id;
    u.name = name;
    u.origin = v.at(!id.empty() ? field::unit_id : field::unit);
    units_.push_back(std::move(u));
  }
  unit_rec& u = units_[it->second];
  if (u.refused) {
    refuse(v.at(field::unit), msg("import.unit-refused", u.id.empty() ? u.name : u.id, std::to_string(u.origin.row)));
    return std::nullopt;
  }
  // the unit's fields: the first row that states one defines it; later rows must agree
  const auto merge = [&](std::string& have, const std::string& got, field f) {
    if (got.empty()) return true;
    if (have.empty() || have == got) {
      have = got;
      return true;
    }
    refuse(v.at(f), msg("import.conflict", "unit " + (u.id.empty() ? u.name : u.id), export_header(f), have, got));
    return false;
  };
  if (!merge(u.name, name, field::unit) || !merge(u.kind, v.get(field::unit_kind), field::unit_kind) ||
      !merge(u.parent_id, parent_id, field::parent_unit_id) || !merge(u.parent_name, parent_name, field::parent_unit) ||
      !merge(u.head, v.get(field::unit_head_id), field::unit_head_id)) {
    return std::nullopt;
  }
  std::string instansi = v.get(field::instansi_id);
  if (instansi.empty() && !v.get(field::instansi).empty()) instansi = slug(v.get(field::instansi));
  if (!merge(u.instansi, instansi, field::instansi_id)) return std::nullopt;
  if (unit_row || v.has(field::unit_tags)) {
    for (auto& t : split_tags(v.get(field::unit_tags))) {
      if (std::find(u.tags.begin(), u.tags.end(), t) == u.tags.end()) u.tags.push_back(std::move(t));
    }
  }
  // a row that only names the unit by id does not state it (a sheet of units should)
  if (unit_row || !name.empty() || !v.get(field::unit_kind).empty() || !parent_id.empty() || !parent_name.empty()) {
    u.stated = true;
  }
  return key;
}

void importer::read_position(const row_view& v, const std::string& unit_key) {
  position_rec p;
  p.id = v.get(field::position_id);
  p.title = v.get(field::title);
  p.unit_key = unit_key;
  p.origin = v.at(!p.id.empty() ? field::position_id : field::title);
  const cell_ref where = v.at(field::title);
  const std::string jenis_text = v.get(field::jenis_jabatan);
  const auto jenis = infer(category::jenis, dict_.jenis,
                           {{"jenis_jabatan", jenis_text}, {"eselon", v.get(field::eselon)}, {"title", p.title}},
                           v.at(field::jenis_jabatan));
  if (!jenis) {
    return refuse(v.at(field::jenis_jabatan), msg("import.no-inference", "jenis",
                                                  jenis_text.empty() ? p.title : jenis_text, "JENIS_JABATAN/ESELON"));
  }
  p.jenis = *jenis;
  auto kind = infer(category::position_kind, dict_.position_kind,
                    {{"position_kind", v.get(field::position_kind)}, {"title", p.title}}, where);
  if (!kind && (p.jenis == "fungsional" || p.jenis == "pelaksana")) {
    kind = p.jenis;
    note("position_kind", p.title, p.jenis, "jenis " + p.jenis, where);
  }
  if (!kind) {
    const std::string given = v.get(field::position_kind);
    return refuse(v.at(given.empty() ? field::title : field::position_kind),
                  msg("import.no-inference", "position_kind", given.empty() ? p.title : given, "KODE_JABATAN"));
  }
  p.kind = *kind;
  const std::string jenjang_text = v.get(field::jenjang);
  if (p.jenis == "fungsional") {
    p.jenjang = infer(category::jenjang, dict_.jenjang, {{"jenjang", jenjang_text}, {"title", p.title}},
                      v.at(jenjang_text.empty() ? field::title : field::jenjang));
    if (!p.jenjang) {
      return refuse(v.at(jenjang_text.empty() ? field::title : field::jenjang),
                    msg("import.no-inference", "jenjang", jenjang_text.empty() ? p.title : jenjang_text, "JENJANG"));
    }
  } else if (!jenjang_text.empty()) {
    return refuse(v.at(field::jenjang), msg("import.jenjang-not-fungsional", jenjang_text, p.jenis));
  }
  p.atasan_id = v.get(field::atasan_id);
  p.atasan_nip = v.get(field::atasan_nip);
  p.atasan_cell = v.at(!p.atasan_id.empty() ? field::atasan_id : field::atasan_nip);
  p.head = yes(v.get(field::head));
  p.tags = split_tags(v.get(field::position_tags));
  const std::string nip = v.get(field::nip);
  if (!nip.empty() && (nip.find_first_of("eE") != std::string::npos || nip.find('.') != std::string::npos)) {
    return refuse(v.at(field::nip), msg("import.nip-number", nip));
  }
  if (p.id.empty()) {
    // No id column: one position per row, named after its unit and title.
    const std::string base = (units_[unit_index_.at(unit_key)].id.empty() ? slug(units_[unit_index_.at(unit_key)].name)
                                                                          : units_[unit_index_.at(unit_key)].id) +
                             "." + slug(p.title);
    const std::size_t n = ++title_count_[base];
    p.id = n == 1 ? base : base + "-" + std::to_string(n);
  }
  const auto [it, fresh] = position_index_.try_emplace(p.id, positions_.size());
  if (!fresh) {
    return refuse(v.at(field::position_id),
                  msg("import.duplicate", "ID_JABATAN", p.id, std::to_string(positions_[it->second].origin.row)));
  }
  positions_.push_back(std::move(p));
  if (!nip.empty()) read_employee(v, positions_.back().id);
}

void importer::read_employee(const row_view& v, const std::string& position_id) {
  const std::string nip = v.get(field::nip);
  if (nip.empty()) return refuse(v.at(field::nip), msg("import.no-nip"));
  if (nip.find_first_of("eE") != std::string::npos || nip.find('.') != std::string::npos) {
    return refuse(v.at(field::nip), msg("import.nip-number", nip));
  }
  if (position_id.empty()) return refuse(v.at(field::position_id), msg("import.no-position"));
  // "Plt"/"Plh": acting in this position beside the one the NIP holds definitively.
  std::string sebagai = v.get(field::sebagai);
  std::transform(sebagai.begin(), sebagai.end(), sebagai.begin(), [](unsigned char c) { return std::tolower(c); });
  sebagai.erase(std::remove(sebagai.begin(), sebagai.end(), '.'), sebagai.end());
  if (sebagai == "definitif") sebagai.clear();
  if (!org::acting_from_name(sebagai))
    return refuse(v.at(field::sebagai), msg("import.sebagai", v.get(field::sebagai)));
  if (sebagai.empty()) {
    const auto [it, fresh] = nip_index_.try_emplace(nip, employees_.size());
    if (!fresh) {
      return refuse(v.at(field::nip),
                    msg("import.duplicate", "NIP", nip, std::to_string(r_.employee_origin[it->second].row)));
    }
  }
  employees_.push_back({nip, v.get(field::name), position_id, sebagai});
  r_.employee_origin.push_back(v.at(field::nip));
}

void importer::read_data(const row_view& v, bool team) {
  const std::string text = v.get(field::data);
  json_input::failure why;
  const auto obj = json_input::parse(text, why);
  if (!obj || !obj->is_object()) {
    return refuse(v.at(field::data), msg("import.bad-data", obj ? "not an object" : why.message));
  }
  nlohmann::json doc = {{"schema", "perwal-org/1"}};
  for (const char* section : {"instansi", "units", "positions", "employees", "delegations", "teams"}) {
    doc[section] = nlohmann::json::array();
  }
  doc[team ? "teams" : "delegations"].push_back(*obj);
  diagnostics errors;
  const auto s = org::read_spec(doc, errors);
  if (!s) {
    return refuse(v.at(field::data), msg("import.bad-data", errors.items().front().path_line(language::en)));
  }
  if (team) {
    teams_.push_back(s->teams.front());
    r_.team_origin.push_back(v.at(field::data));
  } else {
    delegations_.push_back(s->delegations.front());
    r_.delegation_origin.push_back(v.at(field::data));
  }
}

// The root unit of an instansi named by id; made from the instansi when no row states it.
std::string importer::instansi_root(const std::string& instansi_id) {
  for (const auto& u : units_) {
    if (!u.refused && u.parent_id.empty() && u.parent_name.empty() && u.instansi == instansi_id &&
        u.kind == "pemerintah_daerah") {
      return u.id;
    }
  }
  unit_rec root;
  const auto& x = instansi_[instansi_index_.at(instansi_id)];
  root.id = instansi_id + ".pemda";
  root.name = x.name;
  root.kind = "pemerintah_daerah";
  root.instansi = instansi_id;
  root.origin = instansi_origin_[instansi_index_.at(instansi_id)];
  root.stated = true;
  note("unit_kind", x.name, "pemerintah_daerah", "the instansi's root unit", root.origin);
  unit_index_.emplace(
      "\x1f"
      "root:" +
          instansi_id,
      units_.size());
  units_.push_back(std::move(root));
  return units_.back().id;
}

void importer::finish() {
  // Unit ids and kinds (a name-only unit gets a slug of its name, made unique).
  std::set<std::string> taken;
  for (const auto& u : units_) {
    if (!u.id.empty()) taken.insert(u.id);
  }
  std::unordered_map<std::string, std::vector<std::size_t>> by_name;
  for (std::size_t i = 0; i < units_.size(); ++i) by_name[units_[i].name].push_back(i);
  for (auto& u : units_) {
    if (!u.id.empty()) continue;
    std::string base = slug(u.name);
    if (by_name[u.name].size() > 1 && !u.parent_name.empty()) base = slug(u.parent_name) + "." + base;
    std::string id = base;
    for (int n = 2; taken.count(id); ++n) id = base + "-" + std::to_string(n);
    taken.insert(id);
    u.id = id;
  }
  // Parents named only by name: the unit of that name, or a new one.
  const std::size_t stated = units_.size();
  for (std::size_t i = 0; i < stated; ++i) {
    if (units_[i].refused || !units_[i].parent_id.empty() || units_[i].parent_name.empty()) continue;
    const std::string& pname = units_[i].parent_name;
    std::vector<std::size_t> same;
    for (std::size_t j = 0; j < units_.size(); ++j) {
      if (units_[j].name == pname && j != i) same.push_back(j);
    }
    if (same.size() > 1) {
      units_[i].refused = true;
      refuse(units_[i].origin, msg("import.parent-ambiguous", pname));
      continue;
    }
    if (same.empty()) {
      unit_rec p;
      p.name = pname;
      std::string id = slug(pname);
      for (int n = 2; taken.count(id); ++n) id = slug(pname) + "-" + std::to_string(n);
      taken.insert(id);
      p.id = id;
      p.instansi = units_[i].instansi;
      p.origin = units_[i].origin;
      p.stated = true;
      units_.push_back(std::move(p));
      same.push_back(units_.size() - 1);
    }
    units_[i].parent_id = units_[same.front()].id;
  }
  // Kinds (a unit only named by id, never stated, is unknown).
  for (std::size_t i = 0; i < stated; ++i) {
    unit_rec& u = units_[i];
    if (u.refused || u.stated) continue;
    u.refused = true;
    refuse(u.origin, msg("import.unknown-unit", u.id));
  }
  for (auto& u : units_) {
    if (u.refused) continue;
    const auto kind = infer(category::unit_kind, dict_.unit_kind, {{"unit_kind", u.kind}, {"name", u.name}}, u.origin);
    if (!kind) {
      u.refused = true;
      refuse(u.origin, msg("import.no-inference", "unit_kind", u.kind.empty() ? u.name : u.kind, "JENIS_UNIT"));
      continue;
    }
    u.kind = *kind;
  }
  // Units without a parent sit under their instansi's root.
  for (std::size_t i = 0; i < units_.size(); ++i) {
    unit_rec& u = units_[i];
    if (u.refused || !u.parent_id.empty() || u.kind == "pemerintah_daerah" || u.instansi.empty()) continue;
    if (!instansi_index_.count(u.instansi)) continue;  // the validator names the missing instansi
    const std::string root = instansi_root(u.instansi);
    units_[i].parent_id = root;
  }
  std::unordered_map<std::string, std::size_t> unit_by_id;
  for (std::size_t i = 0; i < units_.size(); ++i) unit_by_id.emplace(units_[i].id, i);
  // Positions: atasan by NIP must name someone in the data; refused units refuse their positions.
  for (auto& p : positions_) {
    const unit_rec& u = units_[unit_index_.at(p.unit_key)];
    if (u.refused) {
      p.refused = true;
      refuse(p.origin, msg("import.unit-refused", u.id, std::to_string(u.origin.row)));
      continue;
    }
    if (!p.atasan_nip.empty() && p.atasan_id.empty() && !nip_index_.count(p.atasan_nip) &&
        !position_index_.count(p.atasan_nip)) {
      p.refused = true;
      refuse(p.atasan_cell, msg("import.no-atasan", p.atasan_nip));
    }
  }
  // Heads: KEPALA_UNIT marks them; without that column, the one structural
  // position of the unit whose atasan sits outside it.
  for (const auto& p : positions_) {
    if (p.refused || !p.head) continue;
    unit_rec& u = units_[unit_index_.at(p.unit_key)];
    if (!u.head.empty() && u.head != p.id) {
      refuse(p.origin, msg("import.conflict", "unit " + u.id, "KEPALA_UNIT", u.head, p.id));
      continue;
    }
    u.head = p.id;
  }
  if (!heads_given_) {
    std::unordered_map<std::string, std::string> unit_of;  // position id or NIP -> unit id
    for (const auto& p : positions_) unit_of[p.id] = units_[unit_index_.at(p.unit_key)].id;
    for (const auto& e : employees_) {
      if (unit_of.count(e.position)) unit_of[e.nip] = unit_of[e.position];
    }
    std::unordered_map<std::string, std::vector<const position_rec*>> candidates;
    for (const auto& p : positions_) {
      if (p.refused || p.jenis == "fungsional" || p.jenis == "pelaksana") continue;
      const std::string& unit = units_[unit_index_.at(p.unit_key)].id;
      const std::string atasan = !p.atasan_id.empty() ? p.atasan_id : p.atasan_nip;
      const auto au = unit_of.find(atasan);
      if (atasan.empty() || au == unit_of.end() || au->second != unit) candidates[unit].push_back(&p);
    }
    for (auto& u : units_) {
      const auto c = candidates.find(u.id);
      if (u.refused || !u.head.empty() || c == candidates.end() || c->second.size() != 1) continue;
      u.head = c->second.front()->id;
      note("head", u.name, c->second.front()->title, "the one structural position of the unit",
           c->second.front()->origin);
    }
  }
  // The spec.
  org::spec& s = r_.org;
  s.instansi = instansi_;
  for (const auto& u : units_) {
    if (u.refused) continue;
    org::unit_spec x;
    x.id = u.id;
    x.name = u.name;
    x.kind = u.kind;
    if (!u.parent_id.empty()) x.parent = u.parent_id;
    if (!u.instansi.empty()) x.instansi = u.instansi;
    if (!u.head.empty()) x.head = u.head;
    x.tags = u.tags;
    s.units.push_back(std::move(x));
    r_.unit_origin.push_back(u.origin);
  }
  std::set<std::string> placed;
  for (const auto& p : positions_) {
    if (p.refused) continue;
    org::position_spec x;
    x.id = p.id;
    x.title = p.title;
    x.kind = p.kind;
    x.jenis = p.jenis;
    x.jenjang = p.jenjang;
    x.unit = units_[unit_index_.at(p.unit_key)].id;
    if (!p.atasan_id.empty()) {
      x.atasan = p.atasan_id;
    } else if (!p.atasan_nip.empty()) {
      x.atasan = p.atasan_nip;
    }
    x.tags = p.tags;
    placed.insert(p.id);
    s.positions.push_back(std::move(x));
    r_.position_origin.push_back(p.origin);
  }
  std::vector<cell_ref> employee_origin;
  for (std::size_t i = 0; i < employees_.size(); ++i) {
    const auto& e = employees_[i];
    if (!placed.count(e.position) && position_index_.count(e.position)) {
      // on its own row (a sheet of employees), the employee says why; on the position's row that said it
      const cell_ref& at = r_.employee_origin[i];
      const cell_ref& pos = positions_[position_index_.at(e.position)].origin;
      if (at.sheet != pos.sheet || at.row != pos.row) refuse(at, msg("import.position-refused", e.position));
      continue;
    }
    s.employees.push_back(e);
    employee_origin.push_back(r_.employee_origin[i]);
  }
  r_.employee_origin = std::move(employee_origin);
  s.delegations = delegations_;
  s.teams = teams_;
}

// "positions[41].atasan" -> (section, 41, "atasan"); section empty when not an item.
std::tuple<std::string, std::size_t, std::string> split_path(const std::string& path) {
  const auto open = path.find('[');
  const auto close = path.find(']');
  if (open == std::string::npos || close == std::string::npos || close < open) return {"", 0, ""};
  std::size_t i = 0;
  for (std::size_t k = open + 1; k < close; ++k) {
    if (!std::isdigit(static_cast<unsigned char>(path[k]))) return {"", 0, ""};
    i = i * 10 + static_cast<std::size_t>(path[k] - '0');
  }
  std::string rest = close + 1 < path.size() && path[close + 1] == '.' ? path.substr(close + 2) : "";
  return {path.substr(0, open), i, rest};
}

template <class T>
void erase_marked(std::vector<T>& items, std::vector<cell_ref>& origin, const std::set<std::size_t>& marked) {
  std::vector<T> kept;
  std::vector<cell_ref> kept_origin;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (marked.count(i)) continue;
    kept.push_back(std::move(items[i]));
    if (i < origin.size()) kept_origin.push_back(std::move(origin[i]));
  }
  items = std::move(kept);
  origin = std::move(kept_origin);
}

}  // namespace

std::string problem::line(language l) const {
  std::string where = at.sheet;
  if (at.row > 0) where += (l == language::id ? ": baris " : ": row ") + std::to_string(at.row);
  if (!at.column.empty()) where += (l == language::id ? ", kolom " : ", column ") + at.column;
  return where + ": " + render_message(text, l);
}

result import_sheets(const std::vector<sheet>& sheets, const mapping& m, const dictionary& d, const vocabulary& vocab) {
  result r;
  importer imp(m, d, vocab, r);
  for (const auto& s : sheets) imp.read(s);
  imp.finish();
  return r;
}

bool validate(result& r, const vocabulary& vocab, const org::structure& shape, bool keep_going) {
  // Each round takes out the items in error; what referred to them fails in
  // the next round. Bounded: every round removes at least one item.
  for (;;) {
    diagnostics errors;
    const auto g = org::build(r.org, vocab, shape, errors);
    if (g) {
      for (const auto& w : errors.items()) {
        auto [section, i, rest] = split_path(w.at.json_path);
        cell_ref at = section == "employees" && i < r.employee_origin.size() ? r.employee_origin[i]
                                                                             : cell_ref{"org", 0, w.at.json_path};
        r.warnings.push_back({at, w.text});
      }
      return true;
    }
    std::map<std::string, std::set<std::size_t>> marked;
    for (const auto& e : errors.items()) {
      auto [section, i, rest] = split_path(e.at.json_path);
      std::vector<cell_ref>* origin = section == "units"         ? &r.unit_origin
                                      : section == "positions"   ? &r.position_origin
                                      : section == "employees"   ? &r.employee_origin
                                      : section == "delegations" ? &r.delegation_origin
                                      : section == "teams"       ? &r.team_origin
                                                                 : nullptr;
      cell_ref at = origin != nullptr && i < origin->size() ? (*origin)[i] : cell_ref{"org", 0, ""};
      if (!rest.empty()) at.column = at.column.empty() ? rest : at.column + " → " + rest;
      r.refused.push_back({at, e.text});
      if (origin != nullptr) marked[section].insert(i);
    }
    if (!keep_going || marked.empty()) return false;
    if (r.rows_placed >= errors.error_count()) r.rows_placed -= std::min(r.rows_placed, errors.error_count());
    erase_marked(r.org.units, r.unit_origin, marked["units"]);
    erase_marked(r.org.positions, r.position_origin, marked["positions"]);
    erase_marked(r.org.employees, r.employee_origin, marked["employees"]);
    erase_marked(r.org.delegations, r.delegation_origin, marked["delegations"]);
    erase_marked(r.org.teams, r.team_origin, marked["teams"]);
  }
}

std::string report_text(const result& r, language l) {
  const bool id = l == language::id;
  std::string out;
  out += id ? "Impor: " : "Import: ";
  out += std::to_string(r.rows_read) + (id ? " baris dibaca; " : " rows read; ") + std::to_string(r.org.units.size()) +
         (id ? " unit, " : " units, ") + std::to_string(r.org.positions.size()) + (id ? " jabatan, " : " positions, ") +
         std::to_string(r.org.employees.size()) + (id ? " pegawai; " : " employees; ") +
         std::to_string(r.refused.size()) + (id ? " ditolak\n" : " refused\n");
  if (!r.inferences.empty()) {
    out += id ? "\nDisimpulkan dari kamus:\n" : "\nInferred from the dictionary:\n";
    for (const auto& x : r.inferences) {
      out += "  " + x.category + ": \"" + x.input + "\" -> " + x.code + "  [" + x.rule + "]  ";
      out += std::to_string(x.where.size()) + (id ? " kali: " : (x.where.size() == 1 ? " time: " : " times: "));
      std::string last_sheet;
      for (std::size_t k = 0; k < x.where.size(); ++k) {
        if (k > 0) out += ", ";
        if (x.where[k].sheet != last_sheet) out += x.where[k].sheet + (id ? " baris " : " row ");
        last_sheet = x.where[k].sheet;
        out += std::to_string(x.where[k].row);
      }
      out += "\n";
    }
  }
  if (!r.warnings.empty()) {
    out += id ? "\nPeringatan:\n" : "\nWarnings:\n";
    for (const auto& p : r.warnings) out += "  " + p.line(l) + "\n";
  }
  if (!r.refused.empty()) {
    out += id ? "\nBaris yang tidak dapat ditempatkan:\n" : "\nRows that could not be placed:\n";
    for (const auto& p : r.refused) out += "  " + p.line(l) + "\n";
  }
  return out;
}

}  // namespace perwal::import
