// The spreadsheet readers and the importer on any bytes: a CSV file, or (when
// it starts as a zip does) an XLSX workbook. Bad input is a read_error or
// refused rows, never a crash, a hang or an exception of another kind; what
// imports, validates or is refused with a message.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>

#include "engine/import/importer.hpp"
#include "engine/import/sheet.hpp"
#include "fuzz/fuzz_support.hpp"

namespace {

const perwal::import::dictionary& bundled_dictionary() {
  static const auto d = [] {
    const auto file = perwal::fuzz::source_dir() / "data/import-dictionary.json";
    return perwal::import::read_dictionary(perwal::fuzz::slurp(file), file.string());
  }();
  return d;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace perwal;
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  std::vector<import::sheet> sheets;
  try {
    if (bytes.rfind("PK", 0) == 0) {
      // libzip reads files: the workbook goes through a private temporary one.
      static const std::string path = "/tmp/perwal-fuzz-sheet-" + std::to_string(::getpid()) + ".xlsx";
      std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
      sheets = import::read_xlsx(path);
    } else {
      sheets.push_back(import::read_csv(bytes, "fuzz.csv"));
    }
  } catch (const import::read_error& e) {
    if (std::string(e.what()).empty() || e.id_text.empty()) fuzz::broken("a read error without a message");
    return 0;
  }
  const auto& r = *fuzz::rules();
  auto result = import::import_sheets(sheets, import::default_mapping(), bundled_dictionary(), r.vocab);
  for (const auto& p : result.refused) {
    if (p.line(language::en).empty() || p.line(language::id).empty()) fuzz::broken("a refused row without a message");
  }
  (void)import::validate(result, r.vocab, r.shape, true);
  (void)import::report_text(result, language::id);
  return 0;
}
