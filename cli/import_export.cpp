// `perwal import` and `perwal export` (docs/import.md): spreadsheets to and
// from perwal-org/1, on engine/import.
//   perwal import FILE.csv|FILE.xlsx [FILE…] [--mapping M] [--dictionary D] [--rules R] [--keep-going]
//                 [--report FILE] [--lang id|en] -o ORG.json
//   perwal export ORG.json --format csv|xlsx -o FILE
#include "cli/import_export.hpp"

#include <CLI/CLI.hpp>
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
  std::string lang_text;
};

}  // namespace

namespace {

int run_import(const import_args& a) {
  if (a.files.empty() || a.out.empty())
    return usage_error(say("import needs a FILE.csv or FILE.xlsx and -o ORG.json",
                           "import memerlukan FILE.csv atau FILE.xlsx dan -o ORG.json"));
  const bool en = a.language == lang::en;
  // The codes come from a ruleset: --rules, else the national base one.
  std::string error;
  const auto rules_path = server::find_ruleset(a.rules.empty() ? "permenpanrb-7-2022" : a.rules, error, a.language);
  if (!rules_path) {
    std::cerr << "perwal import: " << error << "\n";
    return exit_bad_input;
  }
  diagnostics diags;
  const auto rules = compile_ruleset(*rules_path, diags);
  if (!rules) {
    std::cerr << render(diags, {a.language});
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

int run_export(const std::string& in, const std::string& format, const std::string& out) {
  if (in.empty() || out.empty() || format.empty())
    return usage_error(say("export needs ORG.json, --format csv|xlsx and -o FILE",
                           "export memerlukan ORG.json, --format csv|xlsx dan -o FILE"));
  if (format != "csv" && format != "xlsx")
    return usage_error(choice_error("--format", format, {"csv", "xlsx"}, say(" for export", " untuk export")));
  const auto text = slurp(in);
  if (!text) {
    std::cerr << in << say(": cannot read the org file\n", ": berkas org tidak dapat dibaca\n");
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
        std::cerr << out << say(": cannot write the file\n", ": berkas tidak dapat ditulis\n");
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

}  // namespace

void add_import(commands& c) {
  auto& sub = c.add("import", "spreadsheets (CSV, XLSX) into a perwal-org/1 org");
  auto a = std::make_shared<import_args>();
  sub.add_option("files", a->files, "the sheets")->type_name("FILE.csv|FILE.xlsx...");
  sub.add_option("--mapping", a->mapping, "which column holds which field")->type_name("M");
  sub.add_option("--dictionary", a->dictionary, "names of units and jabatan (default: the bundled one)")
      ->type_name("D");
  sub.add_option("--rules", a->rules, "the ruleset whose codes the org uses (default permenpanrb-7-2022)")
      ->type_name("R");
  sub.add_option("--report", a->report, "the report (default: standard error)")->type_name("FILE");
  sub.add_option("-o,--output", a->out, "the org to write")->type_name("ORG.json");
  sub.add_option("--lang", a->lang_text, "the language of the report: id or en")->type_name("id|en");
  sub.add_flag("--keep-going", a->keep_going, "write what could be placed despite refused rows");
  c.on_run(sub, [a, &sub] {
    if (sub.count("--lang") > 0) a->language = english(a->lang_text) ? lang::en : lang::id;
    return run_import(*a);
  });
}

void add_export(commands& c) {
  auto& sub = c.add("export", "an org as the flat sheet import reads back");
  struct export_args {
    std::vector<std::string> org;
    std::string format, out;
  };
  auto a = std::make_shared<export_args>();
  sub.add_option("org", a->org, "the org")->type_name("ORG.json");
  sub.add_option("--format", a->format, "csv or xlsx")->type_name("csv|xlsx");
  sub.add_option("-o,--output", a->out, "the file to write")->type_name("FILE");
  add_message_lang(sub);
  c.on_run(sub, [a] {
    if (a->org.size() > 1) return usage_error(say("export takes one org file", "export menerima satu berkas org"));
    return run_export(a->org.empty() ? std::string() : a->org.front(), a->format, a->out);
  });
}

}  // namespace perwal::cli
