// `perwal import`: spreadsheet rows (sheet.hpp) into a perwal-org/1 spec.
//
// A mapping (JSON, docs/import.md) says which header holds which field; the
// built-in default knows SIASN-style names (NIP, NAMA, JABATAN,
// JENIS_JABATAN, ESELON, JENJANG, UNIT_KERJA, UNIT_INDUK, NIP_ATASAN, …).
// Every sheet of every file is read with the same mapping, and a row gives
// whatever its columns hold: a unit, a position in a unit, the employee who
// holds it. So one flat sheet (one row per employee) and separate sheets or
// files of units, positions and employees both work.
//
// A dictionary (JSON, data/import-dictionary.json by default) turns unit
// names, jabatan titles, eselon and jenis jabatan into the codes of the base
// ruleset; every such inference is recorded for the import report. Rows that
// cannot be placed are refused with their sheet, row and column; the caller
// decides (exit 2, or --keep-going).
#pragma once

#include <array>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "engine/common/diagnostic.hpp"
#include "engine/import/sheet.hpp"
#include "engine/org/org_spec.hpp"

namespace perwal::import {

// The fields a column may hold. Names are plumbing (English); the headers
// they match are the office's (Indonesian).
enum class field : std::uint8_t {
  row_kind,           // BARIS: unit, jabatan, pegawai, instansi, delegasi, tim (empty: from the columns)
  nip,                // NIP
  name,               // NAMA: the employee's name
  position_id,        // ID_JABATAN
  title,              // JABATAN: the jabatan title
  position_kind,      // KODE_JABATAN: a position kind code
  jenis_jabatan,      // JENIS_JABATAN: a jenis code, or "Struktural", "Fungsional", "Pelaksana", …
  eselon,             // ESELON: "II.b", "III.a", …
  jenjang,            // JENJANG: a jenjang code or "Ahli Muda", …
  head,               // KEPALA_UNIT: "ya" on the position that leads its unit
  atasan_id,          // ID_ATASAN: the atasan's position id
  atasan_nip,         // NIP_ATASAN: the atasan's NIP
  unit_id,            // ID_UNIT_KERJA
  unit,               // UNIT_KERJA: the unit's name
  unit_kind,          // JENIS_UNIT: a unit kind code
  parent_unit_id,     // ID_UNIT_INDUK
  parent_unit,        // UNIT_INDUK: the parent unit's name
  unit_head_id,       // ID_KEPALA_UNIT: on a unit row, the position that leads it
  instansi_id,        // ID_INSTANSI
  instansi,           // INSTANSI: the instansi's name
  pejabat_berwenang,  // PEJABAT_BERWENANG: position id or NIP
  position_tags,      // TAG_JABATAN: tags separated by |
  unit_tags,          // TAG_UNIT
  data,               // DATA: a delegation's or team's JSON object (what export writes)
  sebagai,            // SEBAGAI: "Plt" or "Plh" when the NIP holds this position as acting (empty: definitive)
  count_
};
inline constexpr std::size_t field_count = static_cast<std::size_t>(field::count_);
[[nodiscard]] std::string_view field_name(field f);

struct mapping {
  // Per field, the headers that may hold it, tried in order (compared
  // ignoring case, spaces, dots and underscores).
  std::array<std::vector<std::string>, field_count> headers;
};
// The built-in mapping for SIASN-style exports (and for what export writes).
[[nodiscard]] mapping default_mapping();
// A mapping file: {"schema": "perwal-import-mapping/1", "columns": {"nip": "NIP PEGAWAI", "title": ["JABATAN"]}};
// fields not named keep their default headers. Throws read_error.
[[nodiscard]] mapping read_mapping(const std::string& text, const std::string& file);
// The header a field is written under by export (the first default header).
[[nodiscard]] std::string export_header(field f);

// One dictionary entry: when the input text `from` (a unit name, a title,
// an eselon, a jenis jabatan) equals, starts with or contains `text`
// (ignoring case and repeated spaces), the code is `code`.
struct dictionary_entry {
  std::string from;  // "name", "title", "eselon", "jenis_jabatan", "jenjang"
  enum class how : std::uint8_t { equals, prefix, contains } match = how::prefix;
  std::string text;
  std::string code;
};
struct dictionary {
  std::vector<dictionary_entry> unit_kind, position_kind, jenis, jenjang;
};
// {"schema": "perwal-import-dictionary/1", "unit_kind": [{"prefix": "Dinas ", "code": "dinas"}, …], …}.
// Throws read_error naming the entry.
[[nodiscard]] dictionary read_dictionary(const std::string& text, const std::string& file);

// Where something came from: a sheet, a row, a column.
struct cell_ref {
  std::string sheet;  // sheet::label()
  std::uint32_t row = 0;
  std::string column;  // the header, and its letter: "NIP_ATASAN (K)"
};

// A refused row (or a problem with a whole sheet: row 0).
struct problem {
  cell_ref at;
  message text;  // a catalogue message (engine/common/messages.cpp, import.*)
  [[nodiscard]] std::string line(language l) const;
};

// A code the importer chose from the dictionary.
struct inference {
  std::string category;  // "unit_kind", "position_kind", "jenis", "jenjang", "head"
  std::string input;     // the text it was inferred from
  std::string code;      // what it became
  std::string rule;      // the dictionary entry that matched, e.g. `prefix "Kepala Bidang"`
  std::vector<cell_ref> where;
};

struct result {
  org::spec org;
  std::vector<problem> refused;       // rows not placed
  std::vector<problem> warnings;      // placed, but the org validator warns (a NIP not of the national form)
  std::vector<inference> inferences;  // grouped by (category, input, code)
  std::size_t rows_read = 0, rows_placed = 0;
  // For each spec item, the row it came from (to put the org validator's errors back on rows).
  std::vector<cell_ref> unit_origin, position_origin, employee_origin, delegation_origin, team_origin;
};

// Reads every row of `sheets` into an org. A cell that already holds a code
// of `vocab` is taken as given; other text goes through the dictionary.
// Never throws for bad rows: they are refused.
[[nodiscard]] result import_sheets(const std::vector<sheet>& sheets, const mapping& m, const dictionary& d,
                                   const vocabulary& vocab);
// Runs the org validator (org::build) on the result; each error is put back
// on the row its item came from. With `keep_going`, the items in error are
// taken out (and whatever then refers to them, in further rounds) until the
// org is valid; without it they are only reported. Returns whether the org
// that is left is valid.
bool validate(result& r, const vocabulary& vocab, const org::structure& shape, bool keep_going);

// The report: what was read, every inference, every refused row.
[[nodiscard]] std::string report_text(const result& r, language l);

// ---- export ----
// The flat sheet export writes and import reads back with the default mapping:
// instansi rows, unit rows, position rows (with their employee), then
// delegation and team rows (their JSON object in DATA).
struct flat_table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};
// `doc` is the document `s` was read from: delegations and teams are written
// as their whole JSON objects (every field kept).
[[nodiscard]] flat_table export_flat(const org::spec& s, const nlohmann::json& doc);
[[nodiscard]] std::string to_csv(const flat_table& t);

}  // namespace perwal::import
