// perwal — command line (docs/reference.md §5).
//   perwal check --rules FILE --org ORG --query QUERY|- [--format text|json] [--lang id|en] [--explain]
//   perwal audit --rules FILE --org ORG [--format text|json] [--lang id|en] [--threads N]
//   perwal lint  FILE [--strict | --strict=CODE,…] [--allow|-A CODE,…] [--deny|-D CODE,…] [--lang id|en]
//   perwal test  FILE
//   perwal diff  A B [--format text|json] [--lang id|en]
//   perwal explore-org FILE [FILE2]
//   perwal gen-org --scale city|province|nation [--seed N] [--violations PER_10K] [--instansi N] -o ORG.json
//                  [--report REPORT.json] [--rules FILE] [--structure FILE]
//                  (the synthetic org generator: engine/gen/org_gen.hpp)
//   perwal compile-org ORG.json --rules FILE -o ORG.snap   (docs/snapshot.md)
//   perwal import FILE.csv|FILE.xlsx [--mapping M] [--dictionary D] [--keep-going] [--lang id|en] -o ORG.json
//   perwal export ORG.json --format csv|xlsx -o FILE           (cli/import_export.cpp, docs/import.md)
//   perwal report --rules R --org ORG [--format html|pdf|xlsx] [--lang id|en] -o FILE   (engine/report)
//   perwal serve --rules FILE_OR_DIR... --org ORG [options]   (the decision API: server/serve.hpp)
// Exit: 0 allowed / clean, 1 denied or incomplete (lint --strict: warnings;
// test: a failing example; diff: a semantic difference), 2 bad input or usage.
// CLI11 parses (cli/commands.hpp); each subcommand is one add_NAME function below.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/import_export.hpp"
#include "cli/law.hpp"
#include "cli/lsp.hpp"
#include "engine/common/dates.hpp"
#include "engine/common/json_input.hpp"
#include "engine/common/markup.hpp"
#include "engine/common/pd_structure.hpp"
#include "engine/common/progress.hpp"
#include "engine/compile/json_schema.hpp"
#include "engine/compile/lint.hpp"
#include "engine/compile/ruleset.hpp"
#include "engine/eval/evaluator.hpp"
#include "engine/eval/render.hpp"
#include "engine/explore/diff.hpp"
#include "engine/explore/semantic_lint.hpp"
#include "engine/explore/universe.hpp"
#include "engine/gen/org_gen.hpp"
#include "engine/report/report.hpp"
#include "engine/syntax/format.hpp"
#include "engine/testing/examples.hpp"
#include "server/ruleset_search.hpp"
#include "server/serve.hpp"
#include "server/store.hpp"

namespace {

using perwal::cli::exit_bad_input;
using perwal::cli::exit_denied;
using perwal::cli::exit_ok;
using perwal::cli::usage_error;

const char* const usage_text =
    "usage:\n"
    "  perwal check --rules FILE.perwal --org ORG.json --query QUERY.json|- [--format text|json] [--lang id|en] "
    "[--explain] [--quote]\n"
    "  perwal audit --rules FILE.perwal --org ORG.json [--format text|json] [--lang id|en] [--threads N] [--quote]\n"
    "  perwal lint  FILE.perwal [--strict | --strict=CODE,...] [--allow|-A CODE,...] [--deny|-D CODE,...]\n"
    "               [--lang id|en]   # codes: docs/diagnostics.md; --lang defaults to en here\n"
    "  perwal test  FILE.perwal|FOLDER [--format text|json|junit] [--lang id|en]   # the examples inside each\n"
    "               #   ruleset; --lang defaults to en here\n"
    "  perwal diff  A.perwal B.perwal [--format text|json] [--lang id|en]\n"
    "  perwal explore-org FILE.perwal [FILE2.perwal]   # the generated org lint and diff search\n"
    "  perwal gen-org --scale city|province|nation [--seed N] [--violations PER_10K] [--instansi N] -o ORG.json\n"
    "                 [--report REPORT.json]   # a synthetic org with planted violations (docs/gen-org.md)\n"
    "                 [--rules FILE]           # the ruleset the planted violations target (default: the bundled\n"
    "                                          #   padang-panjang-48-2024.perwal)\n"
    "                 [--structure FILE]       # the Perangkat Daerah structure (default: data/perangkat-daerah.json)\n"
    "  perwal compile-org ORG.json --rules FILE.perwal -o ORG.snap   # a snapshot that --org loads in a blink\n"
    "  perwal import FILE.csv|FILE.xlsx [FILE...] [--mapping M] [--dictionary D] [--keep-going] [--lang id|en]\n"
    "                [--rules R] [--report FILE] -o ORG.json   # a spreadsheet into an org (docs/import.md)\n"
    "  perwal export ORG.json --format csv|xlsx -o FILE   # an org as the flat sheet import reads back\n"
    "  perwal report --rules FILE.perwal --org ORG.json [--format html|pdf|xlsx] [--lang id|en] [--date YYYY-MM-DD]\n"
    "                -o FILE   # the audit as a document: summary, findings with holders, org charts\n"
    "  perwal log verify [--data DIR | --store URL]   # the decision log's hash chain: exit 0 intact, 1 broken\n"
    "  perwal log export --since TIME [--until TIME] [--outcome O] [--rule ID] [--org ID] --format ndjson|csv\n"
    "                [-o FILE] [--data DIR | --store URL]   # a span of the decision log, oldest first\n"
    "  perwal db migrate [--store URL | --data DIR]   # the store's schema brought to this perwal's version\n"
    "  perwal schema --rules FILE.perwal|ID org|query|decision   # the JSON Schema for this regulation\n"
    "  perwal lsp   # a language server on stdio (diagnostics, hover, definition, references, rename, quick fixes,\n"
    "               #   symbols, completion, format)\n"
    "  perwal fmt [--check | -w] FILE.perwal...   # the canonical layout: print it, check it (exit 1 and a diff),\n"
    "                                             #   or write it back\n"
    "  perwal law FILE.txt... [--article CITATION]   # a regulation's text split into its articles (the cites'\n"
    "                                             #   targets), or one article's words\n"
    "  perwal --version | COMMAND --help\n"
    "  (with any command that reads an org: --strict-nip refuses a NIP that is not of the national form, 18\n"
    "   digits; by default it is a warning)\n"
    "  (with any command that reads a ruleset: --include-anywhere lets `include` name a file outside the\n"
    "   ruleset's folder, by an absolute path or `..`; refused by default)\n";

struct options {
  std::string rules, org, query, output, format = "text";
  perwal::lang language = perwal::lang::id;
  bool lang_given = false;
  bool explain = false;
  bool quote = false;             // the cited articles' words beside the citations
  bool include_anywhere = false;  // `include` may leave the ruleset's folder
  bool strict_nip = false;        // a NIP not of the national form refuses the org
  perwal::lint_options lint;      // lint: which warnings are dropped and which fail
  unsigned threads = 1;           // audit
  std::vector<std::string> positional;
  // As typed, checked by finish():
  std::string lang_text, threads_text, strict_codes;
  std::vector<std::string> allow_lists, deny_lists;
  const CLI::Option *lang_option = nullptr, *threads_option = nullptr;
};

// The warning codes of the catalogue, for "did you mean".
std::vector<std::string> warning_codes() {
  std::vector<std::string> codes;
  for (const auto& e : perwal::message_catalogue())
    if (perwal::is_warning_code(e.code) && std::find(codes.begin(), codes.end(), e.code) == codes.end())
      codes.emplace_back(e.code);
  return codes;
}

// "W012,W013" into `into`; every code must be a warning code of the catalogue.
void add_codes(const std::string& option, const std::string& list, std::set<std::string, std::less<>>& into) {
  std::stringstream ss(list);
  bool any = false;
  for (std::string code; std::getline(ss, code, ',');) {
    if (code.empty()) continue;
    if (!perwal::is_warning_code(code))
      usage_error(option + ": " + code +
                  perwal::cli::say(" is not a warning code (see docs/diagnostics.md)",
                                   " bukan kode peringatan (lihat docs/diagnostics.md)") +
                  perwal::cli::did_you_mean(code, warning_codes()));
    into.insert(code);
    any = true;
  }
  if (!any) usage_error(option + " needs a warning code, e.g. W012");
}

// The options most commands share; each command declares the ones it reads.
CLI::Option* add_rules(CLI::App& sub, options& o) {
  return sub.add_option("--rules", o.rules, "a ruleset file or the id of a bundled one")->type_name("FILE|ID");
}
void add_org(CLI::App& sub, options& o) {
  sub.add_option("--org", o.org, "the org: perwal-org/1 JSON or a compiled snapshot")->type_name("ORG");
  sub.add_flag("--strict-nip", o.strict_nip, "refuse a NIP that is not of the national form (18 digits)");
}
void add_include_anywhere(CLI::App& sub, options& o) {
  sub.add_flag("--include-anywhere", o.include_anywhere,
               "let `include` name a file outside the ruleset's folder (refused by default)");
}
void add_lang(CLI::App& sub, options& o) {
  o.lang_option = sub.add_option("--lang", o.lang_text, "the language of the output: id or en")->type_name("id|en");
}
void add_format(CLI::App& sub, options& o, const std::string& choices) {
  sub.add_option("--format", o.format, "the output: " + choices)->type_name(choices);
}

// The values CLI11 left as typed, checked with the messages perwal always gave.
enum class formats : std::uint8_t { text_json, text_json_junit, report };

void finish(options& o, formats allowed = formats::text_json) {
  if (o.lang_option != nullptr && o.lang_option->count() > 0) {
    o.language = perwal::cli::english(o.lang_text) ? perwal::lang::en : perwal::lang::id;
    o.lang_given = true;
  }
  if (allowed == formats::report) {
    if (o.format != "html" && o.format != "pdf" && o.format != "xlsx")
      usage_error(perwal::cli::say("--format must be html, pdf or xlsx", "--format harus html, pdf atau xlsx") +
                  perwal::cli::did_you_mean(o.format, {"html", "pdf", "xlsx"}));
  } else if (o.format != "text" && o.format != "json" &&
             !(allowed == formats::text_json_junit && o.format == "junit")) {
    // `test` also writes JUnit XML for CI systems.
    const bool junit = allowed == formats::text_json_junit;
    usage_error(perwal::cli::say("--format must be text or json", "--format harus text atau json") +
                (junit ? perwal::cli::say(" (or junit)", " (atau junit)") : std::string()) +
                perwal::cli::did_you_mean(o.format, junit ? std::vector<std::string>{"text", "json", "junit"}
                                                          : std::vector<std::string>{"text", "json"}));
  }
  if (o.threads_option != nullptr && o.threads_option->count() > 0) {
    const auto& n = o.threads_text;
    if (n.empty() || n.size() > 3 || n.find_first_not_of("0123456789") != std::string::npos || std::stoi(n) < 1)
      usage_error(
          perwal::cli::say("--threads must be a number from 1 to 999", "--threads harus bilangan 1 sampai 999"));
    o.threads = static_cast<unsigned>(std::stoi(n));
  }
  for (const auto& l : o.allow_lists) add_codes("--allow", l, o.lint.allow);
  for (const auto& l : o.deny_lists) add_codes("--deny", l, o.lint.deny);
  for (const auto& c : o.lint.allow) {
    if (o.lint.deny.count(c))
      usage_error(c + perwal::cli::say(" is both allowed and denied", " diizinkan sekaligus ditolak"));
  }
}

// Why `path` cannot be read as a file, in `l`, or empty when it can: the
// system's reason, or that it is a directory.
std::string unreadable_reason(const std::string& path, perwal::lang l) {
  const bool en = l == perwal::lang::en;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return en ? "it is a directory" : "itu sebuah direktori, bukan berkas";
  if (std::ifstream(path, std::ios::binary)) return {};
  const int e = errno;
  if (e == ENOENT) return en ? "no such file" : "berkas itu tidak ada";
  if (e == EACCES) return en ? "permission denied" : "izin akses ditolak";
  return std::strerror(e);
}

std::optional<std::string> read_all(const std::string& path) {
  if (path == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    return ss.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The one place the environment reaches the compiler: PERWAL_PATH, the
// folders where `extends` bases are looked for (after the extending file's
// own), then the bundled or installed rulesets, so a new regulation written
// anywhere can extend the national base.
std::vector<std::filesystem::path> search_path_from_env() {
  const char* env = std::getenv("PERWAL_PATH");
  auto dirs = env ? perwal::split_search_path(env) : std::vector<std::filesystem::path>{};
  for (const auto& root : perwal::resource_roots()) dirs.push_back(root / "rulesets");
  return dirs;
}

perwal::compile_options compiler_options(const options& o) {
  return {search_path_from_env(), nullptr, o.include_anywhere};
}

// Input errors speak English unless a language was asked for (as lint does).
perwal::lang error_language(const options& o) {
  return o.lang_given ? o.language : perwal::lang::en;
}

// A ruleset file, or the id of a bundled one (server/ruleset_search.hpp).
std::shared_ptr<const perwal::compiled_ruleset> load_rules(const options& o, const std::string& path_or_id,
                                                           bool show_warnings) {
  std::string error;
  const auto path = perwal::server::find_ruleset(path_or_id, error, error_language(o));
  if (!path) {
    std::cerr << "perwal: " << error << "\n";
    return nullptr;
  }
  perwal::diagnostics diags;
  auto rules = perwal::compile_ruleset(*path, diags, compiler_options(o));
  if (!rules || show_warnings) std::cerr << perwal::render(diags, {error_language(o)});
  return rules;
}

// An org file: perwal-org/1 JSON or a compiled snapshot (told apart by content).
// Its warnings (a NIP not of the national form) are shown; with
// --strict-nip they refuse the org.
std::shared_ptr<const perwal::org::org_graph> load_org(const std::string& path, const perwal::compiled_ruleset& r,
                                                       perwal::lang l, bool strict_nip = false,
                                                       perwal::progress* shown = nullptr) {
  if (const auto why = unreadable_reason(path, l); !why.empty()) {
    if (shown != nullptr) shown->done();
    std::cerr << path << (l == perwal::lang::en ? ": cannot read the org file: " : ": berkas org tidak dapat dibaca: ")
              << why << "\n";
    return nullptr;
  }
  perwal::diagnostics errors;
  auto org = perwal::org::org_graph::load_file(path, r.vocab, r.shape, errors);
  if (shown != nullptr && !errors.empty()) shown->done();
  // "org.json: positions[41].atasan: message", "org.json:3:14: message"
  bool refused = false;
  for (auto e : errors.items()) {
    if (e.level == perwal::severity::warning && strict_nip && e.code == "W100") {
      // the same finding as the catalogue's error (E109)
      e.level = perwal::severity::error;
      e.code = "E109";
      if (e.text.id == "org.nip-form") e.text.id = "org.nip-form-strict";
      refused = true;
    }
    const bool warning = e.level == perwal::severity::warning;
    std::cerr << (warning ? (l == perwal::lang::en ? "warning: " : "peringatan: ") : "") << e.line(l) << "\n";
  }
  return refused ? nullptr : org;
}

int outcome_exit(perwal::outcome result) {
  return result == perwal::outcome::allowed ? exit_ok : exit_denied;
}

int run_check(const options& o) {
  if (o.rules.empty() || o.org.empty() || o.query.empty()) {
    return usage_error(
        perwal::cli::say("check needs --rules, --org and --query", "check memerlukan --rules, --org dan --query"));
  }
  auto rules = load_rules(o, o.rules, false);
  if (!rules) return exit_bad_input;
  auto org = load_org(o.org, *rules, error_language(o), o.strict_nip);
  if (!org) return exit_bad_input;
  const std::string qname = o.query == "-" ? "<stdin>" : o.query;
  if (o.query != "-") {
    const auto l = error_language(o);
    if (const auto why = unreadable_reason(o.query, l); !why.empty()) {
      std::cerr << qname
                << (l == perwal::lang::en ? ": cannot read the query file: " : ": berkas kueri tidak dapat dibaca: ")
                << why << "\n";
      return exit_bad_input;
    }
  }
  auto text = read_all(o.query);
  if (!text) {
    std::cerr << qname << perwal::cli::say(": cannot read the query file\n", ": berkas kueri tidak dapat dibaca\n");
    return exit_bad_input;
  }
  perwal::json_input::failure bad;
  auto parsed = perwal::json_input::parse(*text, bad);
  if (!parsed) {
    // (a syntax error's message names its line and column already)
    const auto at = perwal::json_input::locate(*text, bad.byte);
    std::cerr << qname << perwal::cli::say(": invalid JSON: ", ": JSON tidak sah: ") << bad.message;
    if (bad.too_deep)
      std::cerr << perwal::cli::say(" at line ", " pada baris ") << at.line << perwal::cli::say(", column ", ", kolom ")
                << at.column;
    std::cerr << "\n";
    return exit_bad_input;
  }
  const nlohmann::json q = std::move(*parsed);
  perwal::evaluator ev(rules, org);
  const perwal::render_context rc{*rules, *org, o.language, o.quote};
  const bool batch = q.is_array();
  const std::vector<nlohmann::json> queries = batch ? q.get<std::vector<nlohmann::json>>() : std::vector{q};
  nlohmann::json out = nlohmann::json::array();
  int worst = exit_ok;
  for (std::size_t i = 0; i < queries.size(); ++i) {
    perwal::diagnostics errors;
    auto d = ev.check(queries[i], errors);
    const std::string prefix = batch ? "[" + std::to_string(i) + "]" : "";
    if (!d) {
      nlohmann::json errs = nlohmann::json::array();
      for (const auto& e : errors.items()) {
        const auto& at = e.at.json_path;
        const std::string path = prefix + (at.empty() || prefix.empty() ? "" : ".") + at;
        const std::string message = e.message_text(error_language(o));
        std::cerr << qname << ": " << (path.empty() ? "" : path + ": ") << message << "\n";
        errs.push_back({{"path", path}, {"code", e.code}, {"message", message}});
      }
      if (batch) out.push_back({{"error", errs}});
      worst = exit_bad_input;
      continue;
    }
    if (worst != exit_bad_input) worst = std::max(worst, outcome_exit(d->result));
    if (o.format == "json") {
      out.push_back(perwal::to_json(*d, rc));
    } else {
      if (batch) std::cout << "== " << prefix << " " << perwal::decision_kind_name(d->kind) << "\n";
      std::cout << perwal::to_text(*d, rc, o.explain);
      if (batch) std::cout << "\n";
    }
  }
  // A single bad query prints nothing on stdout: its errors went to stderr.
  if (o.format == "json" && (batch || !out.empty())) std::cout << (batch ? out : out[0]).dump(2) << "\n";
  return worst;
}

int run_audit(const options& o) {
  if (o.rules.empty() || o.org.empty()) {
    return usage_error(perwal::cli::say("audit needs --rules and --org", "audit memerlukan --rules dan --org"));
  }
  auto rules = load_rules(o, o.rules, false);
  if (!rules) return exit_bad_input;
  // Progress on a terminal only: a pipe or a file sees the same output as before.
  perwal::progress shown("perwal audit");
  const bool en = o.language == perwal::lang::en;
  shown.phase(en ? "reading the org" : "membaca org");
  auto org = load_org(o.org, *rules, error_language(o), o.strict_nip, &shown);
  if (!org) return exit_bad_input;
  perwal::evaluator ev(rules, org, false);
  const auto on_progress = [&](std::size_t done, std::size_t total) {
    shown.update(done, total, en ? "items checked" : "butir diperiksa");
  };
  const auto d = shown.enabled() ? ev.audit(o.threads, on_progress) : ev.audit(o.threads);
  shown.done();
  const perwal::render_context rc{*rules, *org, o.language, o.quote};
  if (o.format == "json") {
    std::cout << perwal::to_json(d, rc).dump(2) << "\n";
  } else {
    std::cout << rules->header.title << "\n"
              << std::string(o.language == perwal::lang::en ? "Org: " : "Organisasi: ") << o.org << "\n\n"
              << perwal::to_text(d, rc, o.quote);
  }
  return outcome_exit(d.result);
}

// `perwal report`: the audit as a document (engine/report): HTML, PDF or XLSX.
int run_report(const options& o, const std::string& date) {
  if (o.rules.empty() || o.org.empty() || o.output.empty())
    return usage_error(
        perwal::cli::say("report needs --rules, --org and -o", "report memerlukan --rules, --org dan -o"));
  if (o.format == "pdf") {  // said before a province's audit, not after it
    if (const auto why = perwal::report::pdf_unavailable(o.language); !why.empty()) {
      std::cerr << "perwal report: " << why << "\n";
      return exit_bad_input;
    }
  }
  auto rules = load_rules(o, o.rules, false);
  if (!rules) return exit_bad_input;
  perwal::progress shown("perwal report");
  const bool en = o.language == perwal::lang::en;
  shown.phase(en ? "reading the org" : "membaca org");
  auto org = load_org(o.org, *rules, error_language(o), o.strict_nip, &shown);
  if (!org) return exit_bad_input;
  shown.phase(en ? "auditing" : "mengaudit");
  perwal::evaluator ev(rules, org, false);
  const auto d = ev.audit(o.threads);
  shown.phase(en ? "writing " + o.output : "menulis " + o.output);
  const auto report = perwal::report::build(d, *rules, *org, o.language, date);
  std::string error;
  bool written = false;
  if (o.format == "xlsx") {
    written = perwal::report::write_xlsx(report, o.output, error);
  } else {
    const std::string html = perwal::report::to_html(report, *org, perwal::report::html_options_for(*org));
    if (o.format == "pdf") {
      written = perwal::report::html_to_pdf(html, o.output, o.language, error);
    } else {
      std::ofstream out(o.output, std::ios::binary);
      out << html;
      written = static_cast<bool>(out);
      if (!written) error = o.output + ": " + (en ? "cannot write the file" : "berkas tidak dapat ditulis");
    }
  }
  shown.done();
  if (!written) {
    std::cerr << "perwal report: " << error << "\n";
    return exit_bad_input;
  }
  std::cerr << report.headline << " → " << o.output << "\n";
  return exit_ok;
}

int run_compile_org(const options& o) {
  if (o.positional.size() != 1 || o.rules.empty() || o.output.empty()) {
    return usage_error(perwal::cli::say("compile-org needs one org file, --rules and -o",
                                        "compile-org memerlukan satu berkas org, --rules dan -o"));
  }
  auto rules = load_rules(o, o.rules, false);
  if (!rules) return exit_bad_input;
  const std::string& path = o.positional[0];
  perwal::progress shown("perwal compile-org");
  const bool en = o.language == perwal::lang::en;
  shown.phase(en ? "reading " + path : "membaca " + path);
  auto org = load_org(path, *rules, error_language(o), o.strict_nip, &shown);
  if (!org) return exit_bad_input;
  shown.phase(en ? "writing " + o.output : "menulis " + o.output);
  perwal::diagnostics errors;
  const bool written = org->write_snapshot(o.output, path, rules->vocab, rules->shape, errors);
  shown.done();
  if (!written) {
    for (const auto& e : errors.items()) std::cerr << e.line(error_language(o)) << "\n";
    return exit_bad_input;
  }
  return exit_ok;
}

int run_lint(const options& o) {
  if (o.positional.size() != 1) {
    return usage_error(perwal::cli::say("lint needs one ruleset file", "lint memerlukan satu berkas ruleset"));
  }
  perwal::diagnostics diags;
  auto rules = perwal::compile_ruleset(o.positional[0], diags, compiler_options(o));
  if (rules) {
    perwal::lint(*rules, diags);
    perwal::explore::semantic_lint(rules, diags);
  }
  perwal::apply_allows(rules.get(), o.lint, diags);
  // English unless --lang says otherwise; codes shown, for --allow and `allow`.
  const auto lang = o.lang_given && o.language == perwal::lang::id ? perwal::language::id : perwal::language::en;
  // The summary comes last, on its own line, also when stdout and stderr go to one place.
  std::cout.flush();
  std::cerr << perwal::render(diags, {lang, true}) << std::flush;
  const auto errors = diags.error_count();
  const auto warnings = diags.items().size() - errors;
  const bool id = lang == perwal::language::id;
  std::cout << o.positional[0] << ": " << errors << (id ? " galat, " : " error(s), ") << warnings
            << (id ? " peringatan" : " warning(s)") << std::endl;
  if (errors > 0) return exit_bad_input;
  return perwal::warnings_fail(diags, o.lint) ? exit_denied : exit_ok;
}

// Compares two regulations rule by rule, with a distinguishing scenario per
// semantic difference. Exit: 0 no semantic difference, 1 differences, 2 bad input.
int run_diff(const options& o) {
  if (o.positional.size() != 2) {
    return usage_error(perwal::cli::say("diff needs two ruleset files", "diff memerlukan dua berkas ruleset"));
  }
  auto a = load_rules(o, o.positional[0], false);
  auto b = load_rules(o, o.positional[1], false);
  if (!a || !b) return exit_bad_input;
  const auto report = perwal::explore::diff(a, b, {o.positional[0], o.positional[1]});
  if (o.format == "json") {
    std::cout << perwal::explore::to_json(report).dump(2) << "\n";
  } else {
    std::cout << perwal::explore::to_text(report, o.language);
  }
  return report.semantic_differences() > 0 ? exit_denied : exit_ok;
}

int run_explore_org(const options& o) {
  if (o.positional.empty() || o.positional.size() > 2)
    return usage_error(perwal::cli::say("explore-org needs one or two ruleset files",
                                        "explore-org memerlukan satu atau dua berkas ruleset"));
  std::vector<std::shared_ptr<const perwal::compiled_ruleset>> kept;
  std::vector<const perwal::compiled_ruleset*> rules;
  for (const auto& f : o.positional) {
    auto r = load_rules(o, f, false);
    if (!r) return exit_bad_input;
    rules.push_back(r.get());
    kept.push_back(std::move(r));
  }
  for (const auto& org : perwal::explore::build_universe(rules))
    std::cout << perwal::org::to_json(org.spec).dump(2) << "\n";
  return exit_ok;
}

// `perwal test FILE|FOLDER [--format text|json|junit]`: the examples written
// inside each ruleset (a folder: every .perwal file in it, in name order).
int run_test(const options& o) {
  if (o.positional.size() != 1)
    return usage_error(
        perwal::cli::say("test needs one ruleset file or folder", "test memerlukan satu berkas atau folder ruleset"));
  if (o.format != "text" && o.format != "json" && o.format != "junit") {
    return usage_error(
        perwal::cli::say("test --format takes text, json or junit", "test --format menerima text, json atau junit"));
  }
  std::vector<std::string> files;
  std::error_code ec;
  if (std::filesystem::is_directory(o.positional[0], ec)) {
    for (const auto& e : std::filesystem::directory_iterator(o.positional[0], ec)) {
      if (e.path().extension() == ".perwal") files.push_back(e.path().string());
    }
    std::sort(files.begin(), files.end());
    if (files.empty())
      return usage_error(perwal::cli::say("no .perwal file in ", "tidak ada berkas .perwal di ") + o.positional[0]);
  } else {
    files.push_back(o.positional[0]);
  }
  std::size_t passed = 0, total = 0;
  nlohmann::json report = nlohmann::json::array();
  std::string junit;
  for (const auto& file : files) {
    auto rules = load_rules(o, file, false);
    if (!rules) return exit_bad_input;
    const auto results = perwal::run_examples(rules, error_language(o));
    nlohmann::json examples = nlohmann::json::array();
    std::size_t file_failed = 0;
    std::string cases;
    for (const auto& r : results) {
      ++total;
      passed += r.passed ? 1 : 0;
      file_failed += r.passed ? 0 : 1;
      examples.push_back({{"title", r.title}, {"passed", r.passed}, {"where", r.where}, {"problems", r.problems}});
      cases += "    <testcase classname=\"" + perwal::xml_escaped(rules->header.id) + "\" name=\"" +
               perwal::xml_escaped(r.title) + "\"";
      if (r.passed) {
        cases += "/>\n";
      } else {
        std::string problems;
        for (const auto& p : r.problems) problems += p + "\n";
        cases += ">\n      <failure message=\"" + perwal::xml_escaped(r.where) + "\">" + perwal::xml_escaped(problems) +
                 "</failure>\n    </testcase>\n";
      }
      if (o.format != "text") continue;
      if (r.passed) {
        std::cout << perwal::render_message(perwal::msg("test.ok"), error_language(o)) << r.title << "\n";
        continue;
      }
      std::cout << perwal::render_message(perwal::msg("test.fail"), error_language(o)) << r.title << "  (" << r.where
                << ")\n";
      for (const auto& p : r.problems) std::cout << "        " << p << "\n";
    }
    report.push_back({{"file", file},
                      {"ruleset", rules->header.id},
                      {"passed", results.size() - file_failed},
                      {"failed", file_failed},
                      {"examples", examples}});
    junit += "  <testsuite name=\"" + perwal::xml_escaped(file) + "\" tests=\"" + std::to_string(results.size()) +
             "\" failures=\"" + std::to_string(file_failed) + "\">\n" + cases + "  </testsuite>\n";
  }
  if (o.format == "json") {
    std::cout << report.dump(2) << "\n";
  } else if (o.format == "junit") {
    std::cout << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites tests=\"" << total << "\" failures=\""
              << total - passed << "\">\n"
              << junit << "</testsuites>\n";
  } else {
    // English unless --lang is given, as lint does (scripts read the summary).
    std::cout << perwal::render_message(
                     perwal::msg("test.summary", std::to_string(passed), std::to_string(total - passed)),
                     error_language(o))
              << "\n";
  }
  return passed == total ? exit_ok : exit_denied;
}

// A whole unsigned number in [lo, hi], or nullopt.
std::optional<std::uint64_t> parse_number(const std::string& text, std::uint64_t lo, std::uint64_t hi) {
  std::uint64_t v = 0;
  const auto* end = text.data() + text.size();
  const auto res = std::from_chars(text.data(), end, v);
  if (text.empty() || res.ec != std::errc() || res.ptr != end || v < lo || v > hi) return std::nullopt;
  return v;
}

struct gen_args {
  perwal::gen::options opts;
  std::string scale, seed, violations, instansi;  // as typed
  std::string out, report, rules, structure;
};

// gen-org's values, checked with messages that name the option.
void finish(gen_args& g, const CLI::App& sub) {
  if (sub.count("--scale") == 0)
    usage_error(perwal::cli::say("gen-org needs --scale city|province|nation",
                                 "gen-org memerlukan --scale city|province|nation"));
  if (!perwal::gen::parse_scale(g.scale, g.opts.scale))
    usage_error(perwal::cli::choice_error("--scale", g.scale, {"city", "province", "nation"}));
  if (sub.count("--seed") > 0) {
    const auto n = parse_number(g.seed, 0, UINT64_MAX);
    if (!n) usage_error(perwal::cli::say("--seed must be a whole number", "--seed harus bilangan bulat"));
    g.opts.seed = *n;
  }
  if (sub.count("--violations") > 0) {
    const auto n = parse_number(g.violations, 0, 10000);
    if (!n)
      usage_error(
          perwal::cli::say("--violations must be a whole number from 0 to 10000 (per 10,000 checked items)",
                           "--violations harus bilangan bulat 0 sampai 10000 (per 10.000 butir yang diperiksa)"));
    g.opts.violations_per_10k = static_cast<std::uint32_t>(*n);
  }
  if (sub.count("--instansi") > 0) {
    const auto n = parse_number(g.instansi, 1, 100000);
    if (!n)
      usage_error(perwal::cli::say("--instansi must be a whole number from 1 to 100000",
                                   "--instansi harus bilangan bulat 1 sampai 100000"));
    g.opts.instansi = static_cast<std::uint32_t>(*n);
  }
  if (g.out.empty()) usage_error(perwal::cli::say("gen-org needs -o ORG.json", "gen-org memerlukan -o ORG.json"));
}

// Writes the org to -o, the report to --report (or stdout), a summary to stderr.
int run_gen_org(const gen_args& g) {
  const auto start = std::chrono::steady_clock::now();
  // The planted violations target a ruleset: --rules, else the bundled Padang Panjang one.
  std::string rules_path = g.rules;
  if (rules_path.empty()) {
    const auto found = perwal::find_resource("rulesets/padang-panjang-48-2024.perwal");
    if (!found) {
      std::cerr << "perwal gen-org: the bundled ruleset padang-panjang-48-2024.perwal was not found; name one with "
                   "--rules FILE (or set PERWAL_SHARE_DIR)\n";
      return exit_bad_input;
    }
    rules_path = found->string();
  }
  const auto rules = load_rules(options{}, rules_path, false);
  if (!rules) return exit_bad_input;
  std::optional<perwal::pd_structure> structure;
  if (!g.structure.empty()) {
    try {
      structure = perwal::load_pd_structure(g.structure);
    } catch (const std::exception& e) {
      std::cerr << e.what() << "\n";
      return exit_bad_input;
    }
  }
  perwal::gen::options opts = g.opts;
  opts.rules = rules.get();
  opts.structure = structure ? &*structure : nullptr;
  std::ofstream out(g.out, std::ios::binary | std::ios::trunc);
  if (!out) {
    std::cerr << g.out << perwal::cli::say(": cannot write the org file\n", ": berkas org tidak dapat ditulis\n");
    return exit_bad_input;
  }
  perwal::gen::report r;
  perwal::progress shown("perwal gen-org");
  shown.phase("generating " + std::string(perwal::gen::scale_name(g.opts.scale)) + " -> " + g.out);
  try {
    r = perwal::gen::generate(opts, out);
    shown.done();
  } catch (const std::runtime_error& e) {
    // The structure lacks what the generator needs, or the ruleset a planted item's rule.
    shown.done();
    out.close();
    std::filesystem::remove(g.out);
    std::cerr << "perwal " << e.what() << "\n";
    return exit_bad_input;
  }
  out.close();
  if (!out) {
    std::cerr << g.out << perwal::cli::say(": error while writing the org file\n", ": galat saat menulis berkas org\n");
    return exit_bad_input;
  }
  const std::string report = perwal::gen::to_json(r) + "\n";
  if (g.report.empty()) {
    std::cout << report;
  } else {
    std::ofstream rep(g.report, std::ios::binary | std::ios::trunc);
    if (!(rep << report)) {
      std::cerr << g.report
                << perwal::cli::say(": cannot write the report file\n", ": berkas laporan tidak dapat ditulis\n");
      return exit_bad_input;
    }
  }
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  std::cerr << "perwal gen-org: " << perwal::gen::scale_name(g.opts.scale) << " seed " << g.opts.seed << ": "
            << r.instansi << " instansi, " << r.units << " units, " << r.positions << " positions, " << r.employees
            << " employees, " << r.teams << " teams, " << r.delegations << " delegations; " << r.planted
            << " planted of " << r.checked << " checked -> " << g.out << " in " << took.count() << " s\n";
  return exit_ok;
}

// `perwal log export`: a span of the decision log as NDJSON (one decision a
// line, as GET /v1/decisions/{id} gives it) or CSV, read a page at a time.
struct export_args {
  std::string data = "perwal-data", store, since, until, outcome, rule, org, format = "ndjson", output;
};

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

int run_log_export(const export_args& a) {
  namespace srv = perwal::server;
  srv::decision_filter f;
  const auto since = srv::parse_time(a.since);
  if (!since) return usage_error("--since: not a date or time: \"" + a.since + "\" (2026-12-05, 2026-12-05T08:30:00Z)");
  f.since_ms = since;
  if (!a.until.empty()) {
    f.until_ms = srv::parse_time(a.until);
    if (!f.until_ms)
      return usage_error("--until: not a date or time: \"" + a.until + "\" (2026-12-05, 2026-12-05T08:30:00Z)");
    if (*f.until_ms <= *f.since_ms) return usage_error("--until must be later than --since");
  }
  if (!a.outcome.empty() && a.outcome != "allowed" && a.outcome != "denied" && a.outcome != "incomplete")
    return usage_error("--outcome must be allowed, denied or incomplete" +
                       perwal::cli::did_you_mean(a.outcome, {"allowed", "denied", "incomplete"}));
  f.outcome = a.outcome;
  f.rule = a.rule;
  f.org = a.org;
  f.limit = srv::max_page_rows;
  f.with_result = true;
  std::ofstream file;
  if (!a.output.empty()) {
    file.open(a.output, std::ios::binary);
    if (!file) {
      std::cerr << a.output << ": cannot write the export\n";
      return exit_bad_input;
    }
  }
  std::ostream& out = a.output.empty() ? std::cout : file;
  const bool csv = a.format == "csv";
  if (csv) out << "decision_id,time,ruleset,ruleset_hash,org,org_version,org_hash,outcome,rules,query,result\r\n";
  std::size_t n = 0;
  try {
    const auto reader = srv::open_log_reader(a.store, a.data);
    for (;;) {
      const auto page = reader->list(f);
      for (const auto& r : page.rows) {
        std::string rules;
        for (const auto& rule : r.rules) rules += (rules.empty() ? "" : " ") + rule;
        if (csv) {
          out << csv_field(r.id) << ',' << srv::time_text(r.time_ms) << ',' << csv_field(r.ruleset) << ','
              << r.ruleset_hash << ',' << csv_field(r.org) << ',' << r.org_version << ',' << r.org_hash << ','
              << r.outcome << ',' << csv_field(rules) << ',' << csv_field(r.query) << ',' << csv_field(r.result)
              << "\r\n";
        } else {
          nlohmann::json j = {{"decision_id", r.id},    {"time", srv::time_text(r.time_ms)},
                              {"ruleset", r.ruleset},   {"ruleset_hash", r.ruleset_hash},
                              {"org", r.org},           {"org_version", r.org_version},
                              {"org_hash", r.org_hash}, {"outcome", r.outcome},
                              {"rules", r.rules}};
          // The logged JSON goes out as logged.
          auto line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
          line.pop_back();
          out << line << ",\"query\":" << r.query << ",\"result\":" << r.result << "}\n";
        }
        ++n;
      }
      if (!page.more) break;
      f.after_ms = page.rows.back().time_ms;
      f.after_id = page.rows.back().id;
    }
  } catch (const srv::store_error& e) {
    std::cerr << "perwal log export: " << e.what() << "\n";
    return exit_bad_input;
  }
  out.flush();
  if (!out) {
    std::cerr << (a.output.empty() ? std::string("standard output") : a.output) << ": cannot write the export\n";
    return exit_bad_input;
  }
  std::cerr << "perwal log export: " << n << " decisions" << (a.output.empty() ? "" : " -> " + a.output) << "\n";
  return exit_ok;
}

// `perwal db migrate`: the store's schema brought to this perwal's version.
int run_db_migrate(const std::string& store, const std::string& data) {
  try {
    const auto done = perwal::server::migrate_store(store, data);
    for (const auto& line : done) std::cout << "applied " << line << "\n";
    std::cout << (done.empty() ? "the schema is current\n" : "the schema is current now\n");
    return exit_ok;
  } catch (const perwal::server::store_error& e) {
    std::cerr << "perwal db migrate: " << e.what() << "\n";
    return exit_bad_input;
  }
}

// `perwal log verify [--data DIR | --store URL]`: the decision log's hash chain, row by row.
int run_log_verify(const std::filesystem::path& data, const std::string& store) {
  try {
    if (!store.empty() && !perwal::server::is_postgres_url(store))
      return usage_error("--store must be a PostgreSQL URL (postgresql://USER@HOST:PORT/DB)");
    const auto v = store.empty() ? perwal::server::verify_decision_log(data / "decisions.db")
                                 : perwal::server::verify_pg_log(store);
    for (const auto& p : v.problems) std::cout << "BROKEN: " << p << "\n";
    std::cout << (v.problems.empty() ? "intact" : "broken") << ": " << v.rows << " chained rows";
    if (v.rows > 0) std::cout << " (" << v.first_seq << " to " << v.last_seq << ")";
    if (v.unchained > 0) std::cout << ", " << v.unchained << " rows from before the chain (not checked)";
    std::cout << "\n";
    if (v.rows > 0) {
      std::cout << "last row " << v.last_seq << " has hash " << v.last_hash
                << "\n(keep it elsewhere: rows removed from the end are only seen against it; rows removed from the "
                   "start may be retention)\n";
    }
    return v.problems.empty() ? exit_ok : exit_denied;
  } catch (const perwal::server::store_error& e) {
    std::cerr << "perwal log verify: " << e.what() << "\n";
    return exit_bad_input;
  }
}

// `perwal fmt [--check | -w] FILE…`: only whitespace changes (engine/syntax/format.hpp).
int run_fmt(const std::vector<std::string>& files, bool check, bool write) {
  if (files.empty())
    return usage_error(
        perwal::cli::say("fmt needs at least one FILE.perwal", "fmt memerlukan sedikitnya satu FILE.perwal"));
  if (check && write)
    return usage_error(
        perwal::cli::say("fmt: --check and -w exclude each other", "fmt: --check dan -w tidak bisa bersamaan"));
  bool unformatted = false;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) {
      std::cerr << perwal::cli::say("perwal fmt: cannot read ", "perwal fmt: tidak dapat membaca ") << f << ": "
                << std::strerror(errno) << "\n";
      return exit_bad_input;
    }
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string formatted = perwal::format_ruleset(text);
    if (check) {
      if (formatted != text) {
        unformatted = true;
        std::cout << perwal::line_diff(f, text, formatted);
      }
    } else if (write) {
      if (formatted == text) continue;
      std::ofstream out(f, std::ios::binary | std::ios::trunc);
      out << formatted;
      if (!out) {
        std::cerr << perwal::cli::say("perwal fmt: cannot write ", "perwal fmt: tidak dapat menulis ") << f << ": "
                  << std::strerror(errno) << "\n";
        return exit_bad_input;
      }
      std::cerr << perwal::cli::say("formatted ", "dirapikan ") << f << "\n";
    } else {
      std::cout << formatted;
    }
  }
  return unformatted ? exit_denied : exit_ok;
}

// `perwal schema --rules R org|query|decision`: the JSON Schema for this regulation.
int run_schema(const options& o, const std::string& kind) {
  if (o.rules.empty() || kind.empty())
    return usage_error(perwal::cli::say("schema needs --rules R and one of org, query, decision",
                                        "schema memerlukan --rules R dan salah satu dari org, query, decision"));
  const auto rules = load_rules(o, o.rules, false);
  if (!rules) return exit_bad_input;
  std::cout << perwal::json_schema(*rules, kind)->dump(2) << "\n";
  return exit_ok;
}

// ---- The subcommands: one function each declares its options and returns what runs it.

using perwal::cli::commands;

void add_check(commands& c) {
  auto& sub = c.add("check", "answer queries against an org");
  auto o = std::make_shared<options>();
  add_rules(sub, *o);
  add_org(sub, *o);
  sub.add_option("--query", o->query, "the query file, or - for standard input")->type_name("QUERY.json|-");
  add_format(sub, *o, "text|json");
  add_lang(sub, *o);
  sub.add_flag("--explain", o->explain, "show why: every rule that applied, with the cited articles' words");
  sub.add_flag("--quote", o->quote, "the cited articles' words: \"quote\" beside each \"citation\" in JSON");
  add_include_anywhere(sub, *o);
  c.on_run(sub, [o] {
    finish(*o);
    return run_check(*o);
  });
}

void add_audit(commands& c) {
  auto& sub = c.add("audit", "check every position, team and delegation of an org");
  auto o = std::make_shared<options>();
  add_rules(sub, *o);
  add_org(sub, *o);
  add_format(sub, *o, "text|json");
  add_lang(sub, *o);
  o->threads_option = sub.add_option("--threads", o->threads_text, "threads to audit on (1 to 999)")->type_name("N");
  sub.add_flag("--quote", o->quote, "the cited articles' words: \"quote\" beside each \"citation\" in JSON");
  add_include_anywhere(sub, *o);
  c.on_run(sub, [o] {
    finish(*o);
    return run_audit(*o);
  });
}

void add_lint(commands& c) {
  auto& sub = c.add("lint", "compile a ruleset and report its errors and warnings");
  auto o = std::make_shared<options>();
  sub.add_option("file", o->positional, "the ruleset")->type_name("FILE.perwal");
  // `--strict` alone fails on any warning; `--strict=W012,W013` on those.
  auto* strict = sub.add_flag("--strict", o->strict_codes, "warnings fail (exit 1); --strict=CODE,... only those");
  sub.add_option("-A,--allow", o->allow_lists, "drop these warnings")
      ->type_name("CODE,...")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  sub.add_option("-D,--deny", o->deny_lists, "these warnings fail (exit 1)")
      ->type_name("CODE,...")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  add_lang(sub, *o);
  add_include_anywhere(sub, *o);
  c.on_run(sub, [o, strict, &c] {
    // A bare flag's value is "true"; `--strict=` names no code (CLI11 reads it as bare).
    const auto& typed = c.typed();
    if (std::find(typed.begin(), typed.end(), "--strict=") != typed.end()) add_codes("--strict", "", o->lint.deny);
    o->lint.strict = o->strict_codes == "true";
    if (strict->count() > 0 && !o->lint.strict) add_codes("--strict", o->strict_codes, o->lint.deny);
    finish(*o);
    return run_lint(*o);
  });
}

void add_test(commands& c) {
  auto& sub = c.add("test", "run the examples written inside each ruleset");
  auto o = std::make_shared<options>();
  sub.add_option("file", o->positional, "a ruleset, or a folder of them")->type_name("FILE.perwal|FOLDER");
  add_format(sub, *o, "text|json|junit");
  add_lang(sub, *o);
  add_include_anywhere(sub, *o);
  c.on_run(sub, [o] {
    finish(*o, formats::text_json_junit);
    return run_test(*o);
  });
}

void add_diff(commands& c) {
  auto& sub = c.add("diff", "compare two regulations rule by rule");
  auto o = std::make_shared<options>();
  sub.add_option("files", o->positional, "the two rulesets")->type_name("A.perwal B.perwal");
  add_format(sub, *o, "text|json");
  add_lang(sub, *o);
  add_include_anywhere(sub, *o);
  c.on_run(sub, [o] {
    finish(*o);
    return run_diff(*o);
  });
}

void add_explore_org(commands& c) {
  auto& sub = c.add("explore-org", "the generated orgs that lint and diff search");
  auto o = std::make_shared<options>();
  sub.add_option("files", o->positional, "one or two rulesets")->type_name("FILE.perwal");
  add_lang(sub, *o);  // accepted as it always was (the orgs printed are JSON)
  add_include_anywhere(sub, *o);
  c.on_run(sub, [o] {
    finish(*o);
    return run_explore_org(*o);
  });
}

void add_report(commands& c) {
  auto& sub = c.add("report", "the audit of an org as a document for the Sekda: HTML, PDF or XLSX");
  auto o = std::make_shared<options>();
  o->format = "html";
  auto date = std::make_shared<std::string>();
  add_rules(sub, *o);
  add_org(sub, *o);
  add_format(sub, *o, "html|pdf|xlsx");
  add_lang(sub, *o);
  sub.add_option("-o,--output", o->output, "the document to write")->type_name("FILE");
  sub.add_option("--date", *date, "the date the report bears (default: today)")->type_name("YYYY-MM-DD");
  o->threads_option = sub.add_option("--threads", o->threads_text, "threads to audit on (1 to 999)")->type_name("N");
  add_include_anywhere(sub, *o);
  c.on_run(sub, [o, date] {
    finish(*o, formats::report);
    if (!date->empty() && !perwal::days_from_date(*date))
      usage_error(perwal::cli::say("--date must be a date YYYY-MM-DD", "--date harus tanggal YYYY-MM-DD"));
    return run_report(*o, date->empty() ? perwal::report::today() : *date);
  });
}

void add_compile_org(commands& c) {
  auto& sub = c.add("compile-org", "compile an org into a snapshot that loads in a blink");
  auto o = std::make_shared<options>();
  sub.add_option("org", o->positional, "the org")->type_name("ORG.json");
  add_rules(sub, *o);
  sub.add_option("-o,--output", o->output, "the snapshot to write")->type_name("ORG.snap");
  sub.add_flag("--strict-nip", o->strict_nip, "refuse a NIP that is not of the national form (18 digits)");
  add_lang(sub, *o);
  add_include_anywhere(sub, *o);
  c.on_run(sub, [o] {
    finish(*o);
    return run_compile_org(*o);
  });
}

void add_gen_org(commands& c) {
  auto& sub = c.add("gen-org", "a synthetic org with planted violations");
  auto g = std::make_shared<gen_args>();
  sub.add_option("--scale", g->scale, "city, province or nation")->type_name("city|province|nation");
  sub.add_option("--seed", g->seed, "the random seed")->type_name("N");
  sub.add_option("--violations", g->violations, "planted violations per 10,000 checked items")->type_name("PER_10K");
  sub.add_option("--instansi", g->instansi, "how many instansi (1 to 100000)")->type_name("N");
  sub.add_option("-o,--out", g->out, "the org to write")->type_name("ORG.json");
  sub.add_option("--report", g->report, "the report (default: standard output)")->type_name("REPORT.json");
  sub.add_option("--rules", g->rules, "the ruleset the planted violations target")->type_name("FILE");
  sub.add_option("--structure", g->structure, "the Perangkat Daerah structure")->type_name("FILE");
  perwal::cli::add_message_lang(sub);
  c.on_run(sub, [g, &sub] {
    finish(*g, sub);
    return run_gen_org(*g);
  });
}

void add_serve(commands& c) {
  auto& sub = c.add("serve", "the decision API over HTTP");
  auto a = std::make_shared<perwal::server::serve_args>();
  perwal::server::add_serve_options(sub, *a);
  perwal::cli::add_message_lang(sub);
  c.on_run(sub, [a, &sub] {
    std::string error;
    auto config = perwal::server::make_config(sub, *a, error, perwal::cli::message_language());
    if (!config) return usage_error(error);
    config->search_path = search_path_from_env();
    return perwal::server::serve(*config);
  });
}

// Where the decision log is: the SQLite file under --data, or the PostgreSQL
// store of `perwal serve --store`, its URL checked while parsing.
void add_log_location(CLI::App& sub, std::string& data, std::string& store) {
  sub.add_option("--data", data, "the server's data folder (default perwal-data)")->type_name("DIR");
  sub.add_option("--store", store, "the PostgreSQL store of perwal serve --store (postgresql://USER@HOST:PORT/DB)")
      ->type_name("URL")
      ->each([](const std::string& url) {
        if (!perwal::server::is_postgres_url(url))
          usage_error(perwal::cli::say("--store must be a PostgreSQL URL (postgresql://USER@HOST:PORT/DB)",
                                       "--store harus URL PostgreSQL (postgresql://USER@HOST:PORT/DB)"));
      });
}

void add_log(commands& c) {
  auto& log = c.add("log", "the decision log");
  auto& verify = c.add("verify", "check the decision log's hash chain", &log);
  auto data = std::make_shared<std::string>("perwal-data");
  auto store = std::make_shared<std::string>();
  add_log_location(verify, *data, *store);
  perwal::cli::add_message_lang(verify);
  c.on_run(verify, [data, store] { return run_log_verify(*data, *store); });

  auto& ex = c.add("export", "a span of the decision log as NDJSON or CSV", &log);
  auto a = std::make_shared<export_args>();
  ex.add_option("--since", a->since, "the first time (2026-12-05 or 2026-12-05T08:30:00Z)")
      ->type_name("TIME")
      ->required();
  ex.add_option("--until", a->until, "the end, not included")->type_name("TIME");
  ex.add_option("--outcome", a->outcome, "only allowed, denied or incomplete")->type_name("OUTCOME");
  ex.add_option("--rule", a->rule, "only decisions citing this rule")->type_name("ID");
  ex.add_option("--org", a->org, "only decisions about this org")->type_name("ID");
  ex.add_option("--format", a->format, "ndjson (default) or csv")->type_name("ndjson|csv");
  ex.add_option("-o,--output", a->output, "the file (default: standard output)")->type_name("FILE");
  add_log_location(ex, a->data, a->store);
  perwal::cli::add_message_lang(ex);
  c.on_run(ex, [a] {
    if (a->format != "ndjson" && a->format != "csv")
      return usage_error(perwal::cli::say("--format must be ndjson or csv", "--format harus ndjson atau csv") +
                         perwal::cli::did_you_mean(a->format, {"ndjson", "csv"}));
    return run_log_export(*a);
  });
}

void add_db(commands& c) {
  auto& db = c.add("db", "the server's store");
  auto& migrate = c.add("migrate", "bring the store's schema to this perwal's version", &db);
  auto data = std::make_shared<std::string>("perwal-data");
  auto store = std::make_shared<std::string>();
  add_log_location(migrate, *data, *store);
  perwal::cli::add_message_lang(migrate);
  c.on_run(migrate, [data, store] { return run_db_migrate(*store, *data); });
}

void add_schema(commands& c) {
  auto& sub = c.add("schema", "the JSON Schema of an org, a query or a decision for a regulation");
  auto o = std::make_shared<options>();
  auto kind = std::make_shared<std::string>();
  add_rules(sub, *o);
  sub.add_option("kind", *kind, "org, query or decision")->type_name("org|query|decision");
  add_include_anywhere(sub, *o);
  add_lang(sub, *o);
  c.on_run(sub, [o, kind] {
    if (!kind->empty() && *kind != "org" && *kind != "query" && *kind != "decision")
      return usage_error(perwal::cli::say("schema: unexpected argument ", "schema: argumen tak terduga ") + *kind +
                         " (perwal schema --rules R org|query|decision)" +
                         perwal::cli::did_you_mean(*kind, {"org", "query", "decision"}));
    finish(*o);
    return run_schema(*o, *kind);
  });
}

void add_lsp(commands& c) {
  auto& sub = c.add("lsp", "a language server on standard input and output");
  auto extra = std::make_shared<std::vector<std::string>>();
  sub.add_option("args", *extra)->group("");  // none are taken: said below
  c.on_run(sub, [extra] {
    if (!extra->empty())
      return usage_error(
          perwal::cli::say("lsp takes no arguments: it speaks the Language Server Protocol on stdio",
                           "lsp tidak menerima argumen: ia berbicara Language Server Protocol lewat stdio"));
    return perwal::lsp::serve(std::cin, std::cout, search_path_from_env());
  });
}

void add_fmt(commands& c) {
  auto& sub = c.add("fmt", "print, check or rewrite rulesets in the canonical layout");
  struct fmt_args {
    std::vector<std::string> files;
    bool check = false, write = false;
  };
  auto f = std::make_shared<fmt_args>();
  sub.add_option("files", f->files, "the rulesets")->type_name("FILE.perwal...");
  sub.add_flag("--check", f->check, "exit 1 and print a diff when a file is not in the layout");
  sub.add_flag("-w,--write", f->write, "write the layout back into each file");
  perwal::cli::add_message_lang(sub);
  c.on_run(sub, [f] { return run_fmt(f->files, f->check, f->write); });
}

// `perwal help-man PAGE.1.in`: the manual page with a section per command
// from the parser itself (the build writes man/perwal.1 with it). Hidden.
void add_help_man(commands& c) {
  auto& sub = c.add("help-man", "the manual page, from the parser's own help");
  sub.group("");
  auto page = std::make_shared<std::string>();
  sub.add_option("template", *page, "the page with a line @COMMANDS@")->required();
  c.on_run(sub, [page, &c] {
    const auto text = read_all(*page);
    if (!text) return usage_error("help-man: cannot read " + *page);
    std::cout << c.manual(*text);
    return exit_ok;
  });
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && (std::string(argv[1]) == "--version" || std::string(argv[1]) == "-V")) {
    std::cout << "perwal " << PERWAL_VERSION << "\n"
              << "rule language: perwal DSL 1 (docs/dsl.md)\n"
              << "org format: perwal-org/1\n"
              << "org snapshot format: " << perwal::org::snapshot_format() << "\n";
    return exit_ok;
  }
  commands c(std::string(usage_text) + perwal::server::serve_usage);
  add_check(c);
  add_audit(c);
  add_lint(c);
  add_test(c);
  add_diff(c);
  add_explore_org(c);
  add_gen_org(c);
  add_compile_org(c);
  add_report(c);
  perwal::cli::add_import(c);
  perwal::cli::add_export(c);
  add_serve(c);
  add_log(c);
  add_db(c);
  add_schema(c);
  add_lsp(c);
  add_fmt(c);
  perwal::cli::add_law(c);
  add_help_man(c);
  return c.run(argc, argv);
}
