// A spreadsheet as the importer sees it: named sheets of text cells, the
// first row a header. CSV files and XLSX workbooks are read into this shape
// (csv.cpp, xlsx.cpp), so the mapping and the inference never know which
// format the auditor exported.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace perwal::import {

struct sheet_row {
  std::uint32_t number = 0;  // the row number a spreadsheet program shows (header = 1)
  std::vector<std::string> cells;
};

struct sheet {
  std::string file;  // as given by the user
  std::string name;  // the sheet's name in a workbook; empty for a CSV file
  std::vector<std::string> header;
  std::vector<sheet_row> rows;  // data rows (after the header), blank rows left out
  // "data.csv" or "data.xlsx [Pegawai]", for messages.
  [[nodiscard]] std::string label() const { return name.empty() ? file : file + " [" + name + "]"; }
};

// A file that cannot be read as a table at all (not a zip, broken quotes, …);
// `what()` is English, `id_text` Indonesian.
class read_error : public std::runtime_error {
 public:
  read_error(const std::string& en, std::string id) : std::runtime_error(en), id_text(std::move(id)) {}
  std::string id_text;
};

// "A", …, "Z", "AA": the column letter a spreadsheet program shows (0-based index).
[[nodiscard]] std::string column_letter(std::size_t index);

// Text that is not valid UTF-8 is taken as Windows-1252 (what Excel writes
// for "CSV" on an Indonesian Windows) and converted; valid UTF-8 is kept.
[[nodiscard]] std::string to_utf8(std::string text);

// ---- CSV (csv.cpp, through libcsv) ----
// Reads `text` (the whole file) as one sheet: a UTF-8 byte order mark is
// dropped, the separator (`,`, `;` or tab) is the one the header line uses
// most, quoted fields may hold separators, quotes ("") and line breaks, and
// lines may end in CRLF. Throws read_error on malformed quoting.
[[nodiscard]] sheet read_csv(std::string text, const std::string& file);
// One field as CSV writes it (quoted when it needs to be).
[[nodiscard]] std::string csv_field(const std::string& value);

// ---- XLSX (xlsx.cpp, through libzip and pugixml) ----
// Every worksheet of the workbook at `path`, in workbook order.
[[nodiscard]] std::vector<sheet> read_xlsx(const std::string& path);
// Writes one sheet named `sheet_name` (libxlsxwriter): every cell as text.
void write_xlsx(const std::string& path, const std::string& sheet_name, const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows);

}  // namespace perwal::import
