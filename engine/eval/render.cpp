// Decisions rendered for other tools (CONTRACT §4 JSON) and for a person.
#include <algorithm>

#include "engine/eval/decision.hpp"

namespace perwal {

namespace {
nlohmann::json finding_json(const finding& f) {
  nlohmann::json j = {{"rule", f.rule}, {"strength", f.strength}, {"citation", f.citation}, {"message", f.message}};
  j["path"] = f.path;
  j["hint"] = f.hint;
  return j;
}
}  // namespace

nlohmann::json to_json(const decision& d) {
  nlohmann::json j;
  j["decision"] = d.outcome;
  j["ruleset"] = d.ruleset;
  if (d.checked) j["checked"] = *d.checked;
  if (d.scope) j["scope"] = *d.scope;
  if (d.regulation_scope) j["regulation_scope"] = *d.regulation_scope;
  if (d.workflow) j["workflow"] = *d.workflow;
  j["violations"] = nlohmann::json::array();
  for (const auto& v : d.violations) j["violations"].push_back(finding_json(v));
  j["warnings"] = nlohmann::json::array();
  for (const auto& w : d.warnings) j["warnings"].push_back(finding_json(w));
  if (d.type != "audit") {
    j["next"] = nlohmann::json::array();
    for (const auto& n : d.next) {
      nlohmann::json x = {{"action", n.action}, {"step", n.step}, {"rule", n.rule}, {"citation", n.citation}};
      x["by"] = n.by.size() == 1 ? nlohmann::json(n.by.front()) : nlohmann::json(n.by);
      // What the missing step needs (candidates per role), only where the step names it.
      if (!n.from.empty()) x["from"] = n.from;
      if (!n.to.empty()) x["to"] = n.to;
      if (!n.cc.empty()) x["cc"] = n.cc;
      if (!n.contents.empty()) x["contents"] = n.contents;
      j["next"].push_back(std::move(x));
    }
    j["trace"] = d.trace;
  }
  return j;
}

std::string to_text(const decision& d, bool explain, lang language) {
  const bool en = language == lang::en;
  auto word = [&](const std::string& outcome) -> std::string {
    if (outcome == "allowed") return en ? "ALLOWED" : "DIPERBOLEHKAN";
    if (outcome == "denied") return en ? "DENIED" : "DITOLAK";
    return en ? "INCOMPLETE" : "BELUM LENGKAP";
  };
  std::string out = (en ? "Decision: " : "Keputusan: ") + word(d.outcome) + "  (" + d.ruleset + ")\n";
  if (d.checked) out += (en ? "Checked: " : "Diperiksa: ") + std::to_string(*d.checked) + "\n";
  if (d.scope) {
    out += (en ? "Scope: " : "Lingkup: ") + *d.scope;
    if (d.regulation_scope) out += " → " + *d.regulation_scope;
    out += "\n";
  }
  if (d.workflow) out += (en ? "Workflow: " : "Alur: ") + *d.workflow + "\n";
  auto list = [&](const std::vector<finding>& fs, const std::string& title) {
    if (fs.empty()) return;
    out += "\n" + title + " (" + std::to_string(fs.size()) + "):\n";
    std::size_t i = 0;
    for (const auto& f : fs) {
      out += "  " + std::to_string(++i) + ". [" + f.strength + "] " + f.rule + "\n";
      out += "     " + f.message + "\n";
      out += "     " + std::string(en ? "Article: " : "Pasal: ") + f.citation + "\n";
      if (!f.path.empty()) {
        out += "     " + std::string(en ? "Org path: " : "Jalur organisasi: ");
        for (std::size_t k = 0; k < f.path.size(); ++k) out += (k ? " → " : "") + f.path[k];
        out += "\n";
      }
      if (!f.hint.empty()) out += "     " + std::string(en ? "Fix: " : "Perbaikan: ") + f.hint + "\n";
    }
  };
  if (d.checked && d.violations.size() + d.warnings.size() > 0) {
    // An audit can list many findings: first how many of each rule, with its article.
    std::vector<std::pair<std::string, std::pair<std::size_t, std::string>>> counts;
    for (const auto* fs : {&d.violations, &d.warnings}) {
      for (const auto& f : *fs) {
        auto it = std::find_if(counts.begin(), counts.end(), [&](const auto& c) { return c.first == f.rule; });
        if (it == counts.end())
          counts.push_back({f.rule, {1, f.citation}});
        else
          ++it->second.first;
      }
    }
    out += "\n" + std::string(en ? "Summary by rule:" : "Ringkasan per aturan:") + "\n";
    for (const auto& [rule, c] : counts) {
      out += "  " + std::to_string(c.first) + " × " + rule + " — " + c.second + "\n";
    }
  }
  list(d.violations, en ? "Violations" : "Pelanggaran");
  list(d.warnings, en ? "Warnings" : "Peringatan");
  if (!d.next.empty()) {
    out += "\n" + std::string(en ? "Next steps:" : "Langkah berikutnya:") + "\n";
    for (const auto& n : d.next) {
      out += "  - " + n.action + " (" + n.step + ")" + (en ? " by " : " oleh ");
      for (std::size_t k = 0; k < n.by.size(); ++k) out += (k ? ", " : "") + n.by[k];
      if (n.by.empty()) out += en ? "(nobody in the org data)" : "(tidak ada dalam data organisasi)";
      out += " — " + n.citation + "\n";
    }
  }
  if (explain && !d.trace.empty()) {
    out += "\n" + std::string(en ? "Explanation (rules considered):" : "Penjelasan (aturan yang diperiksa):") + "\n";
    for (const auto& t : d.trace) out += "  " + t + "\n";
  }
  return out;
}

}  // namespace perwal
