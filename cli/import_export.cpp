// `perwal import` and `perwal export` (docs/import.md): spreadsheets to and
// from perwal-org/1, on engine/import.
//   perwal import FILE.csv|FILE.xlsx [FILE…] [--mapping M] [--dictionary D] [--rules R] [--keep-going]
//                 [--report FILE] [--lang id|en] -o ORG.json
//   perwal export ORG.json --format csv|xlsx -o FILE
#include "cli/import_export.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "engine/common/json_input.hpp"
#include "engine/common/pd_structure.hpp"
#include "engine/common/progress.hpp"
#include "engine/compile/ruleset.hpp"
#include "engine/import/importer.hpp"
#include "server/ruleset_search.hpp"

namespace perwal::cli {

namespace {

constexpr int exit_ok = 0;
constexpr int exit_bad_input = 2;

std::optional<std::string> slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool ends_with(std::string s, std::string_view tail) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// Writes `text` to `path` through a temporary file, so a failed run leaves no half-written output.
bool write_file(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!(out << text) || !out.flush()) return false;
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  return !ec;
}

struct import_args {
  std::vector<std::string> files;
  std::string mapping, dictionary, rules, report, out;
  bool keep_going = false;
  lang language = lang::id;
};

}  // namespace

int run_import(int argc, char** argv, const std::function<int(const std::string&)>& usage_error) {
  import_args a;
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto value = [&](std::string& into) {
      if (i + 1 >= argc) return false;
      into = argv[++i];
      return true;
    };
    if (arg == "--mapping" || arg == "--dictionary" || arg == "--rules" || arg == "--report" || arg == "-o" ||
        arg == "--output" || arg == "--lang") {
      std::string v;
      if (!value(v)) return usage_error("option " + arg + " needs a value");
      if (arg == "--mapping") a.mapping = v;
      if (arg == "--dictionary") a.dictionary = v;
      if (arg == "--rules") a.rules = v;
      if (arg == "--report") a.report = v;
      if (arg == "-o" || arg == "--output") a.out = v;
      if (arg == "--lang") {
        if (v != "id" && v != "en") return usage_error("--lang must be id or en");
        a.language = v == "en" ? lang::en : lang::id;
      }
    } else if (arg == "--keep-going") {
      a.keep_going = true;
    } else if (arg.rfind("-", 0) == 0) {
      return usage_error("unknown option " + arg + " for import");
    } else {
      a.files.push_back(arg);
    }
  }
  if (a.files.empty() || a.out.empty()) return usage_error("import needs a FILE.csv or FILE.xlsx and -o ORG.json");
  const bool en = a.language == lang::en;
  // The codes come from a ruleset: --rules, else the national base one.
  std::string error;
  const auto rules_path = server::find_ruleset(a.rules.empty() ? "permenpanrb-7-2022" : a.rules, error);
  if (!rules_path) {
    std::cerr << "perwal import: " << error << "\n";
    return exit_bad_input;
  }
  diagnostics diags;
  const auto rules = compile_ruleset(*rules_path, diags);
  if (!rules) {
    std::cerr << render(diags);
    return exit_bad_input;
  }
  progress shown("perwal import");
  try {
    import::mapping m = import::default_mapping();
    if (!a.mapping.empty()) {
      const auto text = slurp(a.mapping);
      if (!text)
        throw import::read_error(a.mapping + ": cannot read the file", a.mapping + ": berkas tidak dapat dibaca");
      m = import::read_mapping(*text, a.mapping);
    }
    std::string dict_path = a.dictionary;
    if (dict_path.empty()) {
      const auto found = find_resource("data/import-dictionary.json");
      if (!found) {
        throw import::read_error(
            "the bundled dictionary data/import-dictionary.json was not found; name one with --dictionary",
            "kamus bawaan data/import-dictionary.json tidak ditemukan; sebut kamus dengan --dictionary");
      }
      dict_path = found->string();
    }
    const auto dict_text = slurp(dict_path);
    if (!dict_text)
      throw import::read_error(dict_path + ": cannot read the file", dict_path + ": berkas tidak dapat dibaca");
    const auto dict = import::read_dictionary(*dict_text, dict_path);
    std::vector<import::sheet> sheets;
    for (const auto& f : a.files) {
      shown.phase(f);
      if (ends_with(f, ".xlsx")) {
        for (auto& s : import::read_xlsx(f)) sheets.push_back(std::move(s));
      } else if (ends_with(f, ".csv") || ends_with(f, ".txt")) {
        const auto text = slurp(f);
        if (!text) throw import::read_error(f + ": cannot read the file", f + ": berkas tidak dapat dibaca");
        sheets.push_back(import::read_csv(*text, f));
      } else {
        throw import::read_error(f + ": expected a .csv or .xlsx file", f + ": seharusnya berkas .csv atau .xlsx");
      }
    }
    std::size_t rows = 0;
    for (const auto& s : sheets) rows += s.rows.size();
    shown.update(0, rows, en ? "rows" : "baris");
    auto r = import::import_sheets(sheets, m, dict, rules->vocab);
    shown.update(rows, rows, en ? "rows" : "baris");
    shown.phase(en ? "checking the org" : "memeriksa org");
    const bool row_refused = !r.refused.empty();
    const bool valid = import::validate(r, rules->vocab, rules->shape, a.keep_going || row_refused);
    shown.done();
    const std::string report = import::report_text(r, a.language);
    if (a.report.empty()) {
      std::cerr << report;
    } else if (!write_file(a.report, report)) {
      std::cerr << a.report << (en ? ": cannot write the report\n" : ": laporan tidak dapat ditulis\n");
      return exit_bad_input;
    }
    if (!r.refused.empty() && !a.keep_going) {
      std::cerr << (en ? "perwal import: " + std::to_string(r.refused.size()) +
                             " problem(s); nothing written (--keep-going writes what could be placed)\n"
                       : "perwal import: " + std::to_string(r.refused.size()) +
                             " masalah; tidak ada yang ditulis (--keep-going menulis yang dapat ditempatkan)\n");
      return exit_bad_input;
    }
    if (!valid) return exit_bad_input;
    if (!write_file(a.out, org::to_json(r.org).dump(2) + "\n")) {
      std::cerr << a.out << (en ? ": cannot write the org file\n" : ": berkas org tidak dapat ditulis\n");
      return exit_bad_input;
    }
    return exit_ok;
  } catch (const import::read_error& e) {
    shown.done();
    std::cerr << "perwal import: " << (en ? std::string(e.what()) : e.id_text) << "\n";
    return exit_bad_input;
  }
}

int run_export(int argc, char** argv, const std::function<int(const std::string&)>& usage_error) {
  std::string in, format, out;
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--format" || arg == "-o" || arg == "--output") {
      if (i + 1 >= argc) return usage_error("option " + arg + " needs a value");
      (arg == "--format" ? format : out) = argv[++i];
    } else if (arg.rfind("-", 0) == 0) {
      return usage_error("unknown option " + arg + " for export");
    } else if (in.empty()) {
      in = arg;
    } else {
      return usage_error("export takes one org file");
    }
  }
  if (in.empty() || out.empty() || format.empty())
    return usage_error("export needs ORG.json, --format csv|xlsx and -o FILE");
  if (format != "csv" && format != "xlsx") return usage_error("--format must be csv or xlsx for export");
  const auto text = slurp(in);
  if (!text) {
    std::cerr << in << ": cannot read the org file\n";
    return exit_bad_input;
  }
  json_input::failure why;
  const auto doc = json_input::parse(*text, why);
  if (!doc) {
    const auto at = json_input::locate(*text, why.byte);
    std::cerr << in << ":" << at.line << ":" << at.column << ": invalid JSON: " << why.message << "\n";
    return exit_bad_input;
  }
  diagnostics errors;
  const auto s = org::read_spec(*doc, errors);
  if (!s) {
    for (const auto& e : errors.items()) std::cerr << in << ": " << e.path_line() << "\n";
    return exit_bad_input;
  }
  const auto table = import::export_flat(*s, *doc);
  try {
    if (format == "csv") {
      if (!write_file(out, import::to_csv(table))) {
        std::cerr << out << ": cannot write the file\n";
        return exit_bad_input;
      }
    } else {
      import::write_xlsx(out, "perwal-org", table.header, table.rows);
    }
  } catch (const import::read_error& e) {
    std::cerr << "perwal export: " << e.what() << "\n";
    return exit_bad_input;
  }
  return exit_ok;
}

}  // namespace perwal::cli
