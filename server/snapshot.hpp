// What `perwal serve` answers from: the compiled rulesets and every org
// compiled under each of them, frozen in one immutable snapshot. Requests
// take a shared_ptr to the current snapshot; a reload or an upload builds a
// new one and swaps it in, so a request never sees half of a change.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/compile/ruleset.hpp"
#include "engine/org/org.hpp"
#include "server/store.hpp"

namespace perwal::server {

struct ruleset_entry {
  std::shared_ptr<const compiled_ruleset> rules;
  std::string file;    // as given on the command line (or found in a directory)
  std::string sha256;  // of every source file (names and texts): the decision log's ruleset hash
};

// One version of an org, compiled under every loaded ruleset it is valid for.
struct org_entry {
  std::string id;
  std::int64_t version = 0;
  std::int64_t created_ms = 0;
  std::string hash;
  std::string source;                                                   // "upload", or the --org file
  std::shared_ptr<const std::string> body;                              // the perwal-org/1 text
  std::map<std::string, std::shared_ptr<const org::org_graph>> graphs;  // by ruleset id
  std::map<std::string, diagnostics> errors;                            // rulesets it does not load under
};

struct snapshot {
  std::uint64_t generation = 0;
  std::vector<std::string> order;  // ruleset ids in load order
  std::map<std::string, ruleset_entry> rulesets;
  std::string default_ruleset;
  std::map<std::string, std::shared_ptr<const org_entry>> orgs;  // "default" is the --org file

  [[nodiscard]] const ruleset_entry* ruleset(const std::string& id) const;
  [[nodiscard]] const org_entry* org(const std::string& id) const;
};

inline constexpr const char* default_org_id = "default";

// SHA-256 of an org's text, as the decision log and the org metadata give it.
[[nodiscard]] std::string content_hash(std::string_view text);

// Why a snapshot could not be built: a message and, for a broken ruleset,
// its diagnostics (file:line:column) as JSON and as terminal text.
struct build_failure {
  std::string message;
  nlohmann::json diagnostics = nlohmann::json::array();
  std::string rendered;
};

struct snapshot_source {
  std::vector<std::string> rules;  // files or directories of *.perwal
  std::string default_ruleset;     // empty: the first ruleset loaded
  std::string org_file;            // the default org
  compile_options compile;         // the search path for `extends` bases
};

// Compiles every ruleset, loads the default org file and the latest version
// of every stored org. `previous` (may be null) keeps the default org's version
// counting across reloads. Returns nullptr and fills `failure` on any error
// in a ruleset or in the default org.
[[nodiscard]] std::shared_ptr<const snapshot> build_snapshot(const snapshot_source& source, org_store& store,
                                                             const snapshot* previous, build_failure& failure);

// Compiles `body` under every ruleset of `s`.
[[nodiscard]] std::shared_ptr<org_entry> compile_org(const snapshot& s, std::string id, std::int64_t version,
                                                     std::int64_t created_ms, std::string source,
                                                     std::shared_ptr<const std::string> body);

// A copy of `s` with `org` added or replaced, one generation later.
[[nodiscard]] std::shared_ptr<const snapshot> with_org(const snapshot& s, std::shared_ptr<const org_entry> org);

}  // namespace perwal::server
