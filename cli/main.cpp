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
//   perwal serve --rules FILE_OR_DIR... --org ORG [options]   (the decision API: server/serve.hpp)
// Exit: 0 allowed / clean, 1 denied or incomplete (lint --strict: warnings;
// test: a failing example; diff: a semantic difference), 2 bad input or usage.
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/import_export.hpp"
#include "cli/lsp.hpp"
#include "engine/common/json_input.hpp"
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
#include "engine/syntax/format.hpp"
#include "engine/testing/examples.hpp"
#include "server/ruleset_search.hpp"
#include "server/serve.hpp"
#include "server/store.hpp"

namespace {

constexpr int exit_ok = 0;
constexpr int exit_denied = 1;
constexpr int exit_bad_input = 2;

const char* const usage_text =
    "usage:\n"
    "  perwal check --rules FILE.perwal --org ORG.json --query QUERY.json|- [--format text|json] [--lang id|en] "
    "[--explain]\n"
    "  perwal audit --rules FILE.perwal --org ORG.json [--format text|json] [--lang id|en] [--threads N]\n"
    "  perwal lint  FILE.perwal [--strict | --strict=CODE,...] [--allow|-A CODE,...] [--deny|-D CODE,...]\n"
    "               [--lang id|en]   # codes: docs/diagnostics.md; --lang defaults to en here\n"
    "  perwal test  FILE.perwal|FOLDER [--format text|json|junit]   # the examples inside each ruleset\n"
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
    "  perwal log verify [--data DIR]   # the decision log's hash chain: exit 0 intact, 1 broken\n"
    "  perwal schema --rules FILE.perwal|ID org|query|decision   # the JSON Schema for this regulation\n"
    "  perwal lsp   # a language server on stdio (diagnostics, hover, definition, symbols, completion, format)\n"
    "  perwal fmt [--check | -w] FILE.perwal...   # the canonical layout: print it, check it (exit 1 and a diff),\n"
    "                                             #   or write it back\n"
    "  perwal --version | COMMAND --help\n"
    "  (with any command that reads an org: --strict-nip refuses a NIP that is not of the national form, 18\n"
    "   digits; by default it is a warning)\n"
    "  (with any command that reads a ruleset: --include-anywhere lets `include` name a file outside the\n"
    "   ruleset's folder, by an absolute path or `..`; refused by default)\n";

struct options {
  std::string command;
  std::string rules, org, query, output, format = "text";
  perwal::lang language = perwal::lang::id;
  bool lang_given = false;
  bool explain = false;
  bool include_anywhere = false;  // `include` may leave the ruleset's folder
  bool strict_nip = false;        // a NIP not of the national form refuses the org
  perwal::lint_options lint;      // lint: which warnings are dropped and which fail
  unsigned threads = 1;           // audit
  std::vector<std::string> positional;
};

int usage_error(const std::string& message) {
  std::cerr << "perwal: " << message << "\n" << usage_text << perwal::server::serve_usage;
  return exit_bad_input;
}

// "W012,W013" into `into`; every code must be a warning code of the catalogue.
bool add_codes(const std::string& option, const std::string& list, std::set<std::string, std::less<>>& into,
               std::string& error) {
  std::stringstream ss(list);
  bool any = false;
  for (std::string code; std::getline(ss, code, ',');) {
    if (code.empty()) continue;
    if (!perwal::is_warning_code(code)) {
      error = option + ": " + code + " is not a warning code (see docs/diagnostics.md)";
      return false;
    }
    into.insert(code);
    any = true;
  }
  if (!any) error = option + " needs a warning code, e.g. W012";
  return any;
}

std::optional<options> parse_args(int argc, char** argv, std::string& error) {
  options o;
  if (argc < 2) {
    error = "missing command";
    return std::nullopt;
  }
  o.command = argv[1];
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](std::string& into) {
      if (i + 1 >= argc) {
        error = "option " + a + " needs a value";
        return false;
      }
      into = argv[++i];
      return true;
    };
    if (a == "--rules") {
      if (!value(o.rules)) return std::nullopt;
    } else if (a == "--org") {
      if (!value(o.org)) return std::nullopt;
    } else if (a == "-o" || a == "--output") {
      if (!value(o.output)) return std::nullopt;
    } else if (a == "--include-anywhere") {
      o.include_anywhere = true;
    } else if (a == "--strict-nip") {
      o.strict_nip = true;
    } else if (a == "--query") {
      if (!value(o.query)) return std::nullopt;
    } else if (a == "--format") {
      if (!value(o.format)) return std::nullopt;
      // `test` also writes JUnit XML for CI systems.
      if (o.format != "text" && o.format != "json" && !(o.format == "junit" && o.command == "test")) {
        error = "--format must be text or json" + std::string(o.command == "test" ? " (or junit)" : "");
        return std::nullopt;
      }
    } else if (a == "--lang") {
      std::string l;
      if (!value(l)) return std::nullopt;
      if (l != "id" && l != "en") {
        error = "--lang must be id or en";
        return std::nullopt;
      }
      o.language = l == "en" ? perwal::lang::en : perwal::lang::id;
      o.lang_given = true;
    } else if (a == "--threads") {
      std::string n;
      if (!value(n)) return std::nullopt;
      if (n.empty() || n.size() > 3 || n.find_first_not_of("0123456789") != std::string::npos || std::stoi(n) < 1) {
        error = "--threads must be a number from 1 to 999";
        return std::nullopt;
      }
      o.threads = static_cast<unsigned>(std::stoi(n));
    } else if (a == "--explain") {
      o.explain = true;
    } else if (a == "--strict") {
      o.lint.strict = true;
    } else if (a.rfind("--strict=", 0) == 0) {
      if (!add_codes("--strict", a.substr(9), o.lint.deny, error)) return std::nullopt;
    } else if (a == "--allow" || a == "-A" || a == "--deny" || a == "-D") {
      std::string list;
      if (!value(list)) return std::nullopt;
      const bool allow = a == "--allow" || a == "-A";
      if (!add_codes(allow ? "--allow" : "--deny", list, allow ? o.lint.allow : o.lint.deny, error)) {
        return std::nullopt;
      }
    } else if (a.rfind("--", 0) == 0) {
      error = "unknown option " + a;
      return std::nullopt;
    } else {
      o.positional.push_back(a);
    }
  }
  for (const auto& c : o.lint.allow) {
    if (o.lint.deny.count(c)) {
      error = c + " is both allowed and denied";
      return std::nullopt;
    }
  }
  return o;
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

// A ruleset file, or the id of a bundled one (server/ruleset_search.hpp).
std::shared_ptr<const perwal::compiled_ruleset> load_rules(const options& o, const std::string& path_or_id,
                                                           bool show_warnings) {
  std::string error;
  const auto path = perwal::server::find_ruleset(path_or_id, error);
  if (!path) {
    std::cerr << "perwal: " << error << "\n";
    return nullptr;
  }
  perwal::diagnostics diags;
  auto rules = perwal::compile_ruleset(*path, diags, compiler_options(o));
  if (!rules || show_warnings) std::cerr << perwal::render(diags);
  return rules;
}

// Input errors speak English unless a language was asked for (as lint does).
perwal::lang error_language(const options& o) {
  return o.lang_given ? o.language : perwal::lang::en;
}

// An org file: perwal-org/1 JSON or a compiled snapshot (told apart by content).
// Its warnings (a NIP not of the national form) are shown; with
// --strict-nip they refuse the org.
std::shared_ptr<const perwal::org::org_graph> load_org(const std::string& path, const perwal::compiled_ruleset& r,
                                                       perwal::lang l, bool strict_nip = false,
                                                       perwal::progress* shown = nullptr) {
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
  if (o.rules.empty() || o.org.empty() || o.query.empty()) return usage_error("check needs --rules, --org and --query");
  auto rules = load_rules(o, o.rules, false);
  if (!rules) return exit_bad_input;
  auto org = load_org(o.org, *rules, error_language(o), o.strict_nip);
  if (!org) return exit_bad_input;
  auto text = read_all(o.query);
  const std::string qname = o.query == "-" ? "<stdin>" : o.query;
  if (!text) {
    std::cerr << qname << ": cannot read the query file\n";
    return exit_bad_input;
  }
  perwal::json_input::failure bad;
  auto parsed = perwal::json_input::parse(*text, bad);
  if (!parsed) {
    // (a syntax error's message names its line and column already)
    const auto at = perwal::json_input::locate(*text, bad.byte);
    std::cerr << qname << ": invalid JSON: " << bad.message;
    if (bad.too_deep) std::cerr << " at line " << at.line << ", column " << at.column;
    std::cerr << "\n";
    return exit_bad_input;
  }
  const nlohmann::json q = std::move(*parsed);
  perwal::evaluator ev(rules, org);
  const perwal::render_context rc{*rules, *org, o.language};
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
  if (o.rules.empty() || o.org.empty()) return usage_error("audit needs --rules and --org");
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
  const perwal::render_context rc{*rules, *org, o.language};
  if (o.format == "json") {
    std::cout << perwal::to_json(d, rc).dump(2) << "\n";
  } else {
    std::cout << rules->header.title << "\n"
              << std::string(o.language == perwal::lang::en ? "Org: " : "Organisasi: ") << o.org << "\n\n"
              << perwal::to_text(d, rc, false);
  }
  return outcome_exit(d.result);
}

int run_compile_org(const options& o) {
  if (o.positional.size() != 1 || o.rules.empty() || o.output.empty()) {
    return usage_error("compile-org needs one org file, --rules and -o");
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
  if (o.positional.size() != 1) return usage_error("lint needs one ruleset file");
  perwal::diagnostics diags;
  auto rules = perwal::compile_ruleset(o.positional[0], diags, compiler_options(o));
  if (rules) {
    perwal::lint(*rules, diags);
    perwal::explore::semantic_lint(rules, diags);
  }
  perwal::apply_allows(rules.get(), o.lint, diags);
  // English unless --lang says otherwise; codes shown, for --allow and `allow`.
  const auto lang = o.lang_given && o.language == perwal::lang::id ? perwal::language::id : perwal::language::en;
  std::cerr << perwal::render(diags, {lang, true});
  const auto errors = diags.error_count();
  const auto warnings = diags.items().size() - errors;
  std::cout << o.positional[0] << ": " << errors << " error(s), " << warnings << " warning(s)\n";
  if (errors > 0) return exit_bad_input;
  return perwal::warnings_fail(diags, o.lint) ? exit_denied : exit_ok;
}

// Compares two regulations rule by rule, with a distinguishing scenario per
// semantic difference. Exit: 0 no semantic difference, 1 differences, 2 bad input.
int run_diff(const options& o) {
  if (o.positional.size() != 2) return usage_error("diff needs two ruleset files");
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
  if (o.positional.empty() || o.positional.size() > 2) return usage_error("explore-org needs one or two ruleset files");
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

// XML text content: the five characters XML reserves.
std::string xml_escaped(std::string_view s) {
  std::string out;
  for (char ch : s) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += ch;
    }
  }
  return out;
}

// `perwal test FILE|FOLDER [--format text|json|junit]`: the examples written
// inside each ruleset (a folder: every .perwal file in it, in name order).
int run_test(const options& o) {
  if (o.positional.size() != 1) return usage_error("test needs one ruleset file or folder");
  if (o.format != "text" && o.format != "json" && o.format != "junit") {
    return usage_error("test --format takes text, json or junit");
  }
  std::vector<std::string> files;
  std::error_code ec;
  if (std::filesystem::is_directory(o.positional[0], ec)) {
    for (const auto& e : std::filesystem::directory_iterator(o.positional[0], ec)) {
      if (e.path().extension() == ".perwal") files.push_back(e.path().string());
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) return usage_error("no .perwal file in " + o.positional[0]);
  } else {
    files.push_back(o.positional[0]);
  }
  std::size_t passed = 0, total = 0;
  nlohmann::json report = nlohmann::json::array();
  std::string junit;
  for (const auto& file : files) {
    auto rules = load_rules(o, file, false);
    if (!rules) return exit_bad_input;
    const auto results = perwal::run_examples(rules);
    nlohmann::json examples = nlohmann::json::array();
    std::size_t file_failed = 0;
    std::string cases;
    for (const auto& r : results) {
      ++total;
      passed += r.passed ? 1 : 0;
      file_failed += r.passed ? 0 : 1;
      examples.push_back({{"title", r.title}, {"passed", r.passed}, {"where", r.where}, {"problems", r.problems}});
      cases +=
          "    <testcase classname=\"" + xml_escaped(rules->header.id) + "\" name=\"" + xml_escaped(r.title) + "\"";
      if (r.passed) {
        cases += "/>\n";
      } else {
        std::string problems;
        for (const auto& p : r.problems) problems += p + "\n";
        cases += ">\n      <failure message=\"" + xml_escaped(r.where) + "\">" + xml_escaped(problems) +
                 "</failure>\n    </testcase>\n";
      }
      if (o.format != "text") continue;
      if (r.passed) {
        std::cout << "ok    " << r.title << "\n";
        continue;
      }
      std::cout << "FAIL  " << r.title << "  (" << r.where << ")\n";
      for (const auto& p : r.problems) std::cout << "        " << p << "\n";
    }
    report.push_back({{"file", file},
                      {"ruleset", rules->header.id},
                      {"passed", results.size() - file_failed},
                      {"failed", file_failed},
                      {"examples", examples}});
    junit += "  <testsuite name=\"" + xml_escaped(file) + "\" tests=\"" + std::to_string(results.size()) +
             "\" failures=\"" + std::to_string(file_failed) + "\">\n" + cases + "  </testsuite>\n";
  }
  if (o.format == "json") {
    std::cout << report.dump(2) << "\n";
  } else if (o.format == "junit") {
    std::cout << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites tests=\"" << total << "\" failures=\""
              << total - passed << "\">\n"
              << junit << "</testsuites>\n";
  } else {
    std::cout << passed << " passed, " << (total - passed) << " failed\n";
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
  std::string out, report, rules, structure;
};

// gen-org has options of its own; errors name the option.
std::optional<gen_args> parse_gen_args(int argc, char** argv, std::string& error) {
  gen_args g;
  bool have_scale = false;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    if (i + 1 >= argc) {
      error = a.rfind("-", 0) == 0 ? "option " + a + " needs a value" : "unexpected argument " + a;
      return std::nullopt;
    }
    const std::string v = argv[++i];
    if (a == "--scale") {
      if (!perwal::gen::parse_scale(v, g.opts.scale)) {
        error = "--scale must be city, province or nation";
        return std::nullopt;
      }
      have_scale = true;
    } else if (a == "--seed") {
      const auto n = parse_number(v, 0, UINT64_MAX);
      if (!n) {
        error = "--seed must be a whole number";
        return std::nullopt;
      }
      g.opts.seed = *n;
    } else if (a == "--violations") {
      const auto n = parse_number(v, 0, 10000);
      if (!n) {
        error = "--violations must be a whole number from 0 to 10000 (per 10,000 checked items)";
        return std::nullopt;
      }
      g.opts.violations_per_10k = static_cast<std::uint32_t>(*n);
    } else if (a == "--instansi") {
      const auto n = parse_number(v, 1, 100000);
      if (!n) {
        error = "--instansi must be a whole number from 1 to 100000";
        return std::nullopt;
      }
      g.opts.instansi = static_cast<std::uint32_t>(*n);
    } else if (a == "-o" || a == "--out") {
      g.out = v;
    } else if (a == "--report") {
      g.report = v;
    } else if (a == "--rules") {
      g.rules = v;
    } else if (a == "--structure") {
      g.structure = v;
    } else {
      error = "unknown option " + a + " for gen-org";
      return std::nullopt;
    }
  }
  if (!have_scale) error = "gen-org needs --scale city|province|nation";
  if (error.empty() && g.out.empty()) error = "gen-org needs -o ORG.json";
  if (!error.empty()) return std::nullopt;
  return g;
}

// Writes the org to -o, the report to --report (or stdout), a summary to stderr.
int run_gen_org(int argc, char** argv) {
  std::string error;
  const auto g = parse_gen_args(argc, argv, error);
  if (!g) return usage_error(error);
  const auto start = std::chrono::steady_clock::now();
  // The planted violations target a ruleset: --rules, else the bundled Padang Panjang one.
  std::string rules_path = g->rules;
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
  if (!g->structure.empty()) {
    try {
      structure = perwal::load_pd_structure(g->structure);
    } catch (const std::exception& e) {
      std::cerr << e.what() << "\n";
      return exit_bad_input;
    }
  }
  perwal::gen::options opts = g->opts;
  opts.rules = rules.get();
  opts.structure = structure ? &*structure : nullptr;
  std::ofstream out(g->out, std::ios::binary | std::ios::trunc);
  if (!out) {
    std::cerr << g->out << ": cannot write the org file\n";
    return exit_bad_input;
  }
  perwal::gen::report r;
  perwal::progress shown("perwal gen-org");
  shown.phase("generating " + std::string(perwal::gen::scale_name(g->opts.scale)) + " -> " + g->out);
  try {
    r = perwal::gen::generate(opts, out);
    shown.done();
  } catch (const std::runtime_error& e) {
    // The structure lacks what the generator needs, or the ruleset a planted item's rule.
    shown.done();
    out.close();
    std::filesystem::remove(g->out);
    std::cerr << "perwal " << e.what() << "\n";
    return exit_bad_input;
  }
  out.close();
  if (!out) {
    std::cerr << g->out << ": error while writing the org file\n";
    return exit_bad_input;
  }
  const std::string report = perwal::gen::to_json(r) + "\n";
  if (g->report.empty()) {
    std::cout << report;
  } else {
    std::ofstream rep(g->report, std::ios::binary | std::ios::trunc);
    if (!(rep << report)) {
      std::cerr << g->report << ": cannot write the report file\n";
      return exit_bad_input;
    }
  }
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  std::cerr << "perwal gen-org: " << perwal::gen::scale_name(g->opts.scale) << " seed " << g->opts.seed << ": "
            << r.instansi << " instansi, " << r.units << " units, " << r.positions << " positions, " << r.employees
            << " employees, " << r.teams << " teams, " << r.delegations << " delegations; " << r.planted
            << " planted of " << r.checked << " checked -> " << g->out << " in " << took.count() << " s\n";
  return exit_ok;
}

// `perwal serve` has options of its own (server/serve.hpp).
int run_serve(int argc, char** argv) {
  std::string error;
  auto c = perwal::server::parse_config(argc - 2, argv + 2, error);
  if (!c) return usage_error(error);
  c->search_path = search_path_from_env();
  try {
    return perwal::server::serve(*c);
  } catch (const std::exception& e) {
    std::cerr << "perwal serve: internal error: " << e.what() << "\n";
    return exit_bad_input;
  }
}

}  // namespace

// `perwal log verify [--data DIR]`: the decision log's hash chain, row by row.
int run_log(int argc, char** argv) {
  std::filesystem::path data = "perwal-data";
  if (argc < 3 || std::string(argv[2]) != "verify")
    return usage_error("log needs a subcommand: log verify [--data DIR]");
  for (int i = 3; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--data" && i + 1 < argc) {
      data = argv[++i];
    } else {
      return usage_error("log verify: unknown option " + a);
    }
  }
  try {
    const auto v = perwal::server::verify_decision_log(data / "decisions.db");
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

// The usage lines of one command (its line and the indented ones after it),
// or empty when usage_text has no such command.
std::string usage_of(const std::string& command) {
  std::istringstream in(usage_text);
  std::string line, out;
  bool inside = false;
  for (const std::string head = "  perwal " + command + " "; std::getline(in, line);) {
    if (line.rfind("  perwal ", 0) == 0 || line.rfind("  (", 0) == 0) inside = line.rfind(head, 0) == 0;
    if (inside) out += line + "\n";
  }
  return out;
}

// `perwal COMMAND --help` / `-h`: that command's usage on stdout, exit 0.
std::optional<int> command_help(int argc, char** argv) {
  const std::string command = argv[1];
  bool asked = false;
  for (int i = 2; i < argc; ++i) asked |= std::string(argv[i]) == "--help" || std::string(argv[i]) == "-h";
  if (!asked) return std::nullopt;
  if (command == "serve") {
    std::cout << "usage:\n" << perwal::server::serve_usage;
    return exit_ok;
  }
  const std::string usage = usage_of(command);
  if (usage.empty()) return usage_error("unknown command \"" + command + "\"");
  std::cout << "usage:\n"
            << usage
            << "  (--include-anywhere: `include` may name a file outside the ruleset's folder; refused by default)\n";
  return exit_ok;
}

// `perwal fmt [--check | -w] FILE…`: only whitespace changes (engine/syntax/format.hpp).
int run_fmt(int argc, char** argv) {
  bool check = false, write = false;
  std::vector<std::string> files;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--check")
      check = true;
    else if (a == "-w" || a == "--write")
      write = true;
    else if (!a.empty() && a[0] == '-')
      return usage_error("fmt: unknown option " + a + " (use --check or -w)");
    else
      files.push_back(a);
  }
  if (files.empty()) return usage_error("fmt needs at least one FILE.perwal");
  if (check && write) return usage_error("fmt: --check and -w exclude each other");
  bool unformatted = false;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) {
      std::cerr << "perwal fmt: cannot read " << f << ": " << std::strerror(errno) << "\n";
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
        std::cerr << "perwal fmt: cannot write " << f << ": " << std::strerror(errno) << "\n";
        return exit_bad_input;
      }
      std::cerr << "formatted " << f << "\n";
    } else {
      std::cout << formatted;
    }
  }
  return unformatted ? exit_denied : exit_ok;
}

// `perwal schema --rules R org|query|decision`: the JSON Schema for this regulation.
int run_schema(int argc, char** argv) {
  options o;
  std::string kind;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--rules" && i + 1 < argc)
      o.rules = argv[++i];
    else if (a == "--include-anywhere")
      o.include_anywhere = true;
    else if (a == "org" || a == "query" || a == "decision")
      kind = a;
    else
      return usage_error("schema: unexpected argument " + a + " (perwal schema --rules R org|query|decision)");
  }
  if (o.rules.empty() || kind.empty()) return usage_error("schema needs --rules R and one of org, query, decision");
  const auto rules = load_rules(o, o.rules, false);
  if (!rules) return exit_bad_input;
  std::cout << perwal::json_schema(*rules, kind)->dump(2) << "\n";
  return exit_ok;
}

int main(int argc, char** argv) {
  if (argc >= 2 && (std::string(argv[1]) == "--version" || std::string(argv[1]) == "-V")) {
    std::cout << "perwal " << PERWAL_VERSION << "\n"
              << "rule language: perwal DSL 1 (docs/dsl.md)\n"
              << "org format: perwal-org/1\n"
              << "org snapshot format: " << perwal::org::snapshot_format() << "\n";
    return exit_ok;
  }
  if (argc >= 2) {
    if (const auto help = command_help(argc, argv)) return *help;
  }
  if (argc >= 2 && std::string(argv[1]) == "serve") return run_serve(argc, argv);
  if (argc >= 2 && std::string(argv[1]) == "log") return run_log(argc, argv);
  if (argc >= 2 && std::string(argv[1]) == "fmt") return run_fmt(argc, argv);
  if (argc >= 2 && std::string(argv[1]) == "schema") return run_schema(argc, argv);
  if (argc >= 2 && std::string(argv[1]) == "lsp") {
    if (argc > 2) return usage_error("lsp takes no arguments: it speaks the Language Server Protocol on stdio");
    return perwal::lsp::serve(std::cin, std::cout, search_path_from_env());
  }
  if (argc >= 2 && (std::string(argv[1]) == "import" || std::string(argv[1]) == "export")) {
    try {
      return std::string(argv[1]) == "import" ? perwal::cli::run_import(argc, argv, usage_error)
                                              : perwal::cli::run_export(argc, argv, usage_error);
    } catch (const std::exception& e) {
      std::cerr << "perwal " << argv[1] << ": internal error: " << e.what() << "\n";
      return exit_bad_input;
    }
  }
  if (argc >= 2 && std::string(argv[1]) == "gen-org") {
    try {
      return run_gen_org(argc, argv);
    } catch (const std::exception& e) {
      std::cerr << "perwal gen-org: internal error: " << e.what() << "\n";
      return exit_bad_input;
    }
  }
  std::string error;
  auto o = parse_args(argc, argv, error);
  if (!o) return usage_error(error);
  try {
    if (o->command == "check") return run_check(*o);
    if (o->command == "audit") return run_audit(*o);
    if (o->command == "lint") return run_lint(*o);
    if (o->command == "test") return run_test(*o);
    if (o->command == "diff") return run_diff(*o);
    if (o->command == "explore-org") return run_explore_org(*o);
    if (o->command == "compile-org") return run_compile_org(*o);
    if (o->command == "--help" || o->command == "help" || o->command == "-h") {
      std::cout << usage_text << perwal::server::serve_usage;
      return exit_ok;
    }
  } catch (const std::exception& e) {
    std::cerr << "perwal: internal error: " << e.what() << "\n";
    return exit_bad_input;
  }
  return usage_error("unknown command \"" + o->command + "\"");
}
