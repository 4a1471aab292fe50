// `perwal diff` rendered: the report as JSON and as text (English or Bahasa
// Indonesia). Separate from computing it.
#include "engine/explore/diff_internal.hpp"

namespace perwal::explore {

using namespace diff_detail;

// ---- rendering ---------------------------------------------------------------
namespace {

using json = nlohmann::json;

json expect_json(const signature& s) {
  return {{"decision", s.outcome}, {"violations", s.violations}, {"warnings", s.warnings}};
}

json scenario_json(const diff_report& r, const scenario& s) {
  json j = {{"org", s.org}, {"query", s.query}, {"trimmed", s.trimmed}};
  j["expect"] = {{r.key_a, expect_json(s.a)}, {r.key_b, expect_json(s.b)}};
  return j;
}

std::string bound_text(const search_bounds& b, bool en) {
  return std::to_string(b.orgs) + (en ? " org(s) (" : " organisasi (") + std::to_string(b.units) +
         (en ? " units, " : " unit, ") + std::to_string(b.positions) + (en ? " positions), " : " jabatan), ") +
         std::to_string(b.queries) + (en ? " queries, " : " kueri, ") + std::to_string(b.evaluations) +
         (en ? " evaluations, at most " : " evaluasi, paling banyak ") + std::to_string(b.max_steps) +
         (en ? " steps per penugasan" : " langkah per penugasan");
}

}  // namespace

json to_json(const diff_report& r) {
  json j;
  j["a"] = {{"ruleset", r.id_a}, {"file", r.file_a}, {"key", r.key_a}};
  j["b"] = {{"ruleset", r.id_b}, {"file", r.file_b}, {"key", r.key_b}};
  std::map<std::string, std::size_t> counts;
  for (const auto& e : r.entries) ++counts[e.status];
  j["summary"] = {{"added", counts["added"]},
                  {"removed", counts["removed"]},
                  {"changed", counts["changed"]},
                  {"unchanged", counts["unchanged"]},
                  {"semantic_differences", r.semantic_differences()}};
  j["search"] = {{"orgs", r.search.orgs},
                 {"units", r.search.units},
                 {"positions", r.search.positions},
                 {"queries", r.search.queries},
                 {"evaluations", r.search.evaluations},
                 {"max_steps", r.search.max_steps},
                 {"differing_queries", r.search.differing}};
  j["entries"] = json::array();
  for (const auto& e : r.entries) {
    json x = {{"kind", e.kind}, {"name", e.name}, {"status", e.status}};
    if (!e.name_b.empty()) x["name_b"] = e.name_b;
    x["a"] = {{"strength", e.strength_a}, {"citation", e.citation_a}, {"where", e.where_a}};
    x["b"] = {{"strength", e.strength_b}, {"citation", e.citation_b}, {"where", e.where_b}};
    if (e.citation_changed) x["citation_changed"] = true;
    x["changes"] = json::array();
    for (const auto& c : e.changes) x["changes"].push_back({{"what", c.what}, {"a", c.a}, {"b", c.b}, {"how", c.how}});
    if (e.semantic()) {
      if (e.example) {
        x["scenario"] = scenario_json(r, *e.example);
      } else {
        x["scenario"] = nullptr;
        x["scenario_note"] = "none found within " + bound_text(r.search, true);
      }
    }
    j["entries"].push_back(std::move(x));
  }
  return j;
}

std::string to_text(const diff_report& r, lang language) {
  const bool en = language == lang::en;
  auto t = [&](std::string_view id, std::string_view e) { return std::string(en ? e : id); };
  std::string out = "A: " + r.id_a + " (" + r.file_a + ")\nB: " + r.id_b + " (" + r.file_b + ")\n";
  std::map<std::string, std::size_t> counts;
  for (const auto& e : r.entries) ++counts[e.status];
  out += t("Ditambah ", "Added ") + std::to_string(counts["added"]) + t(", dihapus ", ", removed ") +
         std::to_string(counts["removed"]) + t(", diubah ", ", changed ") + std::to_string(counts["changed"]) +
         t(", tetap ", ", unchanged ") + std::to_string(counts["unchanged"]) + "\n";
  if (r.search.queries > 0) out += t("Pencarian: ", "Search: ") + bound_text(r.search, en) + "\n";
  auto status_word = [&](const std::string& s) {
    if (s == "added") return t("DITAMBAH", "ADDED");
    if (s == "removed") return t("DIHAPUS", "REMOVED");
    if (s == "changed") return t("DIUBAH", "CHANGED");
    return t("TETAP", "UNCHANGED");
  };
  auto decision_line = [&](const std::string& key, const signature& s) {
    std::string line = "      " + key + ": " + s.outcome;
    if (!s.violations.empty()) line += " — " + join(s.violations, ", ");
    if (!s.warnings.empty()) line += t(" (peringatan: ", " (warnings: ") + join(s.warnings, ", ") + ")";
    return line + "\n";
  };
  for (const auto& e : r.entries) {
    if (!e.semantic()) continue;
    const std::string label = e.kind == e.name ? e.name : e.kind + " " + e.name;  // "scope", not "scope scope"
    out += "\n[" + status_word(e.status) + "] " + label + (e.name_b.empty() ? "" : " ~ " + e.name_b);
    if (!e.strength_a.empty() || !e.strength_b.empty())
      out += " (" + (e.strength_a.empty() ? "-" : e.strength_a) + " / " + (e.strength_b.empty() ? "-" : e.strength_b) +
             ")";
    out += "\n";
    auto side = [&](const std::string& cite, const std::string& where) {
      return cite + (where.empty() ? "" : "  [" + where + "]") + "\n";
    };
    if (!e.citation_a.empty() || !e.where_a.empty()) out += "    A: " + side(e.citation_a, e.where_a);
    if (!e.citation_b.empty() || !e.where_b.empty()) out += "    B: " + side(e.citation_b, e.where_b);
    for (const auto& c : e.changes) {
      out += "    - " + c.what + " " + c.how + ": ";
      if (c.how == "added")
        out += c.b;
      else if (c.how == "removed")
        out += c.a;
      else
        out += c.a + "  →  " + c.b;
      out += "\n";
    }
    if (e.example) {
      const auto& s = *e.example;
      out += t("    Skenario pembeda: ", "    Distinguishing scenario: ") + s.query.dump() + "\n";
      out += decision_line(r.key_a, s.a);
      out += decision_line(r.key_b, s.b);
      out +=
          t("      organisasi: ", "      org: ") + std::to_string(s.org["units"].size()) + t(" unit, ", " units, ") +
          std::to_string(s.org["positions"].size()) + t(" jabatan", " positions") +
          (s.trimmed ? t(" (dipangkas)", " (trimmed)") : "") +
          t("; --format json memuat org dan kueri siap uji\n", "; --format json gives the org and query for a test\n");
    } else {
      out += t("    Tidak ditemukan skenario pembeda dalam ", "    No distinguishing scenario found within ") +
             bound_text(r.search, en) + "\n";
    }
  }
  bool header = false;
  for (const auto& e : r.entries) {
    if (e.semantic()) continue;
    if (!header) out += t("\nTetap:\n", "\nUnchanged:\n");
    header = true;
    out += "  " + e.kind + " " + e.name + (e.citation_changed ? t("  (pasal berbeda)", "  (cited differently)") : "") +
           "\n";
    if (!e.citation_a.empty() || !e.citation_b.empty()) {
      out += "    A: " + e.citation_a + "\n";
      out += "    B: " + e.citation_b + "\n";
    }
  }
  return out;
}

}  // namespace perwal::explore
