// Rendering at the edge: a decision (data) becomes the JSON other tools
// read, or text for a person, in Indonesian or English, from the message
// catalogue (messages.hpp). The same decision renders in either language.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "engine/common/lang.hpp"
#include "engine/eval/decision.hpp"

namespace perwal {

// What a decision refers into, and the language to speak.
struct render_context {
  const compiled_ruleset& rules;
  const org::org_graph& org;
  lang language = lang::id;
  // The cited articles' words (compiled_ruleset::quotes): a "quote" beside
  // each "citation" in JSON, a quoted line under each article in text. Off:
  // the JSON is exactly as without quotes.
  bool quote = false;
};

// The decision as other tools read it (decision, ruleset, violations and
// warnings with rule, strength, citation, message, hint and org path; next
// steps; the trace as lines).
// Written as JSON text (compact, keys in byte order) by write_json, which
// appends it to `out`, with a "decision_id" field when one is given; to_json
// is the same document parsed, for callers that work on the tree.
void write_json(const decision& d, const render_context& c, std::string& out, std::string_view decision_id = {});
[[nodiscard]] nlohmann::json to_json(const decision& d, const render_context& c);
// For a person: the decision, each violation with its article, the next
// steps; with `explain`, every rule considered and the override applied.
// With `explain` (or c.quote) each article's words are quoted under it.
[[nodiscard]] std::string to_text(const decision& d, const render_context& c, bool explain);

// The pieces, for callers that show one thing.
[[nodiscard]] std::string message_of(const finding& f, const render_context& c);
// What an audit found: "N temuan pada M jabatan dari K yang diperiksa" (and
// the items that need evidence), in `l`.
[[nodiscard]] std::string audit_headline(const decision& d, lang l);
[[nodiscard]] std::string hint_of(const finding& f, const render_context& c);
[[nodiscard]] std::vector<std::string> trace_lines(const decision& d, const render_context& c);
// The id of a node of a finding's path ("pp.x.kabid", "delegations[3]", a team id).
[[nodiscard]] std::string node_id(const node_ref& n, const decision& d, const org::org_graph& org);
[[nodiscard]] std::vector<std::string> path_ids(const finding& f, const decision& d, const org::org_graph& org);
// The JSON name of a next step's action: the first action code of its step.
// The evidence a `needs` item asks for: facts as JSON paths in their object,
// or `contents:<code>` for a letter's unstated contents.
[[nodiscard]] std::vector<std::string> evidence_of(const finding& f, const compiled_ruleset& rules);
[[nodiscard]] std::string next_action_name(const next_step& n, const compiled_ruleset& rules);

}  // namespace perwal
