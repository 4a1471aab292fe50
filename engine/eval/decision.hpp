// Decisions (CONTRACT §4) and the evaluator that produces them from a
// compiled ruleset, a compiled org and a query (CONTRACT §3).
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "engine/compile/ruleset.hpp"
#include "engine/org/org.hpp"

namespace perwal {

enum class lang : std::uint8_t { id, en };

struct finding {
  std::string rule;
  std::string strength;
  std::string citation;
  std::string message;
  std::string hint;
  std::vector<std::string> path;
};

struct next_action {
  std::string action;
  std::vector<std::string> by;
  std::string step;
  std::string rule;
  std::string citation;
  // What the missing step needs, as candidate position ids per role: the
  // letter's sender (`from`), addressee (`to`), each copy (`cc`: one of each
  // inner list), and the contents codes it must carry.
  std::vector<std::string> from, to;
  std::vector<std::vector<std::string>> cc;
  std::vector<std::string> contents;
};

struct decision {
  std::string outcome;  // allowed | denied | incomplete
  std::string ruleset;
  std::string type;                             // query type
  std::optional<std::string> scope;             // contract scope (penugasan)
  std::optional<std::string> regulation_scope;  // the regulation's own scope name
  std::optional<std::string> workflow;
  std::vector<finding> violations, warnings;
  std::vector<next_action> next;
  std::vector<std::string> trace;
  bool traced = true;                   // whether `trace` was recorded (the evaluator can skip it for speed)
  std::vector<std::string> considered;  // names of the rules that were evaluated (held, broken or permitted)
  std::optional<std::size_t> checked;   // audit
  // Report rules whose `as` and `when` held (pelaporan), whether or not they
  // decided: for tools that explore which rules can apply (lint).
  std::vector<std::string> applicable;
  std::vector<std::string> resolved;  // of those, the ones whose `to` named someone
};

// A problem with the query itself (bad input: exit 2 / HTTP 400).
struct query_error {
  std::string path;  // JSON path inside the query, e.g. "steps[2].by"
  std::string message;
  [[nodiscard]] std::string to_string() const { return path.empty() ? message : path + ": " + message; }
};

class evaluator {
 public:
  // `trace`: record the explanation; without it a query allocates far less
  // (for servers and batch callers that do not show it).
  evaluator(std::shared_ptr<const compiled_ruleset> rules, std::shared_ptr<const org::org_graph> org,
            lang language = lang::id, bool trace = true);

  // Checks one query. On bad input returns nullopt and fills `errors`.
  [[nodiscard]] std::optional<decision> check(const nlohmann::json& query, std::vector<query_error>& errors) const;
  // Every kedudukan, delegation and team of the org, on `threads` threads
  // (the findings and their order do not depend on the thread count).
  [[nodiscard]] decision audit(unsigned threads = 1) const;

  [[nodiscard]] const compiled_ruleset& rules() const { return *rules_; }
  [[nodiscard]] const org::org_graph& org() const { return *org_; }
  [[nodiscard]] lang language() const { return lang_; }

 private:
  std::shared_ptr<const compiled_ruleset> rules_;
  std::shared_ptr<const org::org_graph> org_;
  lang lang_;
  bool trace_;
};

[[nodiscard]] nlohmann::json to_json(const decision& d);
// For a person: the decision, each violation with its article, the next
// steps; with `explain`, every rule considered and the override applied.
[[nodiscard]] std::string to_text(const decision& d, bool explain, lang language);

}  // namespace perwal
