// Helpers shared by the data-driven tests.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "engine/eval/evaluator.hpp"
#include "engine/eval/render.hpp"

namespace perwal::testing {

inline std::filesystem::path source_dir() {
  return PERWAL_SOURCE_DIR;
}

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// PERWAL_UPDATE_GOLDEN=1 rewrites expected files instead of comparing: for
// adding a case, never for making a failing one pass unread.
inline bool updating_golden() {
  const char* v = std::getenv("PERWAL_UPDATE_GOLDEN");
  return v != nullptr && std::string(v) == "1";
}

// A decision as a reader sees it, rendered in one language: what the tests
// compare (the decision itself holds references, not text).
struct finding_view {
  std::string rule, strength, citation, message, hint;
  std::vector<std::string> path;
};
struct next_view {
  std::string action, step, rule, citation;
  std::vector<std::string> by;
};
struct decision_view {
  std::string outcome;
  std::optional<std::string> scope, regulation_scope, workflow;
  std::vector<finding_view> violations, warnings, needs;
  std::vector<next_view> next;
  std::vector<std::string> trace, considered;
  std::optional<std::size_t> checked;
  nlohmann::json json;  // to_json
  std::string text;     // to_text with the explanation
};

inline decision_view view(const perwal::decision& d, const perwal::evaluator& ev, perwal::lang l = perwal::lang::id) {
  const perwal::render_context rc{ev.rules(), ev.org(), l};
  decision_view v;
  v.json = perwal::to_json(d, rc);
  v.text = perwal::to_text(d, rc, true);
  v.outcome = v.json["decision"].get<std::string>();
  if (v.json.contains("scope")) v.scope = v.json["scope"].get<std::string>();
  if (v.json.contains("regulation_scope")) v.regulation_scope = v.json["regulation_scope"].get<std::string>();
  if (v.json.contains("workflow")) v.workflow = v.json["workflow"].get<std::string>();
  if (v.json.contains("checked")) v.checked = v.json["checked"].get<std::size_t>();
  auto findings = [](const nlohmann::json& arr) {
    std::vector<finding_view> out;
    for (const auto& f : arr) {
      out.push_back({f["rule"], f["strength"], f["citation"], f["message"], f["hint"],
                     f["path"].get<std::vector<std::string>>()});
    }
    return out;
  };
  v.violations = findings(v.json["violations"]);
  v.warnings = findings(v.json["warnings"]);
  v.needs = findings(v.json["needs"]);
  if (v.json.contains("next")) {
    for (const auto& n : v.json["next"]) {
      next_view x{n["action"], n["step"], n["rule"], n["citation"], {}};
      x.by = n["by"].is_string() ? std::vector<std::string>{n["by"].get<std::string>()}
                                 : n["by"].get<std::vector<std::string>>();
      v.next.push_back(std::move(x));
    }
  }
  if (v.json.contains("trace")) v.trace = v.json["trace"].get<std::vector<std::string>>();
  for (const auto* r : d.considered) v.considered.push_back(r->name);
  return v;
}

// A query's errors as "path: message" lines (English), in order.
inline std::vector<std::string> error_lines(const perwal::diagnostics& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors.items()) out.push_back(e.path_line());
  return out;
}
inline std::string error_text(const perwal::diagnostics& errors) {
  std::string all;
  for (const auto& line : error_lines(errors)) all += line + "\n";
  return all;
}

// Reads and evaluates a JSON query, rendered in `l`; nullopt (and `errors`) for a bad query.
inline std::optional<decision_view> check(const perwal::evaluator& ev, const nlohmann::json& q,
                                          perwal::diagnostics& errors, perwal::lang l = perwal::lang::id) {
  auto d = ev.check(q, errors);
  if (!d) return std::nullopt;
  return view(*d, ev, l);
}

// The names of the rules behind findings (violations or warnings), as a set.
inline std::set<std::string> rule_names(const std::vector<finding_view>& findings) {
  std::set<std::string> out;
  for (const auto& f : findings) out.insert(f.rule);
  return out;
}

}  // namespace perwal::testing
