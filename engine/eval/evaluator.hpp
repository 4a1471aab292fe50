// Evaluation as a pure function: a compiled ruleset + an org graph + a typed
// query → a decision (engine/eval/decision.hpp). No text, no JSON, no
// language: queries are read at the edge (engine/eval/query.hpp) and
// decisions rendered there (engine/eval/render.hpp).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "engine/eval/decision.hpp"
#include "engine/eval/query.hpp"

namespace perwal {

class evaluator {
 public:
  // `trace`: record how each decision was reached; without it a query
  // allocates far less (for servers and batch callers that do not show it).
  evaluator(std::shared_ptr<const compiled_ruleset> rules, std::shared_ptr<const org::org_graph> org,
            bool trace = true);

  [[nodiscard]] decision evaluate(const query& q) const;
  // The same into `d` (cleared first, its lists' memory kept): a caller that
  // checks many queries on one thread reuses one decision, and a kedudukan,
  // pelaporan, penugasan or tim check that finds nothing then allocates
  // nothing (a penugasan still to complete: the candidates of each missing step).
  void evaluate(const query& q, decision& d) const;
  // Every kedudukan, delegation and team of the org, on `threads` threads
  // (the findings and their order do not depend on the thread count).
  [[nodiscard]] decision audit(unsigned threads = 1) const;
  // The same, calling `on_progress(items checked, items in all)` from the
  // calling thread as the work goes (for a progress line); the work is then
  // cut into small chunks that the threads take in turn.
  [[nodiscard]] decision audit(unsigned threads,
                               const std::function<void(std::size_t, std::size_t)>& on_progress) const;

  // At the edge: reads a JSON query, then evaluates it. On bad input returns
  // nullopt and reports into `errors` (JSON paths inside the query).
  [[nodiscard]] std::optional<decision> check(const nlohmann::json& q, diagnostics& errors) const;
  // The same into a reused decision; false (and `d` unspecified) on bad input.
  // The query is read into storage the calling thread keeps (a penugasan's
  // steps keep their memory from one query to the next).
  [[nodiscard]] bool check(const nlohmann::json& q, diagnostics& errors, decision& d) const;

  [[nodiscard]] const compiled_ruleset& rules() const { return *rules_; }
  [[nodiscard]] const org::org_graph& org() const { return *org_; }
  [[nodiscard]] const std::shared_ptr<const compiled_ruleset>& rules_ptr() const { return rules_; }
  [[nodiscard]] const std::shared_ptr<const org::org_graph>& org_ptr() const { return org_; }

 private:
  std::shared_ptr<const compiled_ruleset> rules_;
  std::shared_ptr<const org::org_graph> org_;
  bool trace_;
};

}  // namespace perwal
