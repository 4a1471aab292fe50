// A bounded "small org universe": orgs generated from what a ruleset (or two)
// declares, and the queries a tool can ask about them. `perwal diff` and the
// semantic checks of `perwal lint` search this universe for concrete
// scenarios; nothing here knows a particular city.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/common/pd_structure.hpp"
#include "engine/compile/ruleset.hpp"
#include "engine/eval/evaluator.hpp"
#include "engine/org/org_spec.hpp"

namespace perwal::explore {

// What the generator knows about one position it wrote (the org graph of a
// ruleset would derive unit organisasi differently per ruleset; these facts
// do not depend on it).
struct position_meta {
  std::string id;
  std::string unit;      // unit id
  std::string pd;        // id of the perangkat daerah unit it belongs to ("" for the kepala daerah)
  std::string instansi;  // "a" or "b"
  std::string jenis;
  bool staff = false;  // fungsional or pelaksana under a head (not itself a head)
  bool head = false;
};

struct universe_org {
  std::string name;
  org::spec spec;  // perwal-org/1, typed: org::to_json(spec) prints it
  std::vector<position_meta> positions;
  std::vector<std::string> pd_units;  // ids of the perangkat daerah units, in generation order
  // Team fields the rulesets test (`team.field("keputusan").nomor is not null`),
  // with values that make those tests hold: merged into a team variant.
  nlohmann::json team_fields = nlohmann::json::object();
};

// A group of queries that differ in one choice (the atasan, the recipient of
// a report, the issuer): rules that each hold for some member but never
// together are in conflict.
struct query_family {
  std::string type;     // kedudukan | pelaporan | penugasan | tim
  std::string subject;  // for messages: "position a.dinas.bid1.fp", …
  std::vector<nlohmann::json> queries;
};

struct bounds {
  std::size_t max_steps = 16;          // steps appended when completing a penugasan
  std::size_t outside_candidates = 3;  // candidate atasan / recipients outside the perangkat daerah
  std::size_t assignees_per_pd = 2;    // penugasan subjects per perangkat daerah
  std::size_t owners_in_pd = 3;        // owner units inside the assignee's perangkat daerah
};

// Orgs whose codes every given ruleset declares (two instansi, one
// perangkat daerah of each kind the rulesets define, typical inner units,
// fungsional and pelaksana under each head, a delegation and some teams).
// The typical structure of each kind comes from the standard Perangkat Daerah
// structure (data/perangkat-daerah.json, engine/common/pd_structure.hpp).
[[nodiscard]] std::vector<universe_org> build_universe(const std::vector<const compiled_ruleset*>& rulesets);
[[nodiscard]] std::vector<universe_org> build_universe(const std::vector<const compiled_ruleset*>& rulesets,
                                                       const pd_structure& structure);

// The queries asked about one org, in families. Penugasan queries carry no
// steps: complete them per ruleset with complete_steps().
[[nodiscard]] std::vector<query_family> enumerate_queries(const universe_org& org,
                                                          const std::vector<const compiled_ruleset*>& rulesets,
                                                          const bounds& limits = {});

// Fills a penugasan's steps by following the evaluator's `next`: start with
// none, take the first missing step, write it with the first candidate of each
// role, repeat until the decision is no longer incomplete (at most max_steps).
[[nodiscard]] nlohmann::json complete_steps(const evaluator& ev, nlohmann::json query, std::size_t max_steps);

// The org cut down to what a query names: the units and positions it
// mentions, their units' and atasan chains, heads, the instansi officials,
// the teams and delegations that touch them.
[[nodiscard]] org::spec trim_org(const org::spec& org, const nlohmann::json& query);

// A trimmed org as scenarios print it: its perwal-org/1 document without the
// employees section (the universe has no employees; scenarios have never
// listed the empty section).
[[nodiscard]] nlohmann::json trimmed_json(const org::spec& org);

// Small orgs, each with one delegation of the appraisal authority (the
// generated one, and variants: from a pelaksana, to a pelaksana, from outside
// the delegate's chain, between two fungsional): what `audit` checks of them.
[[nodiscard]] std::vector<org::spec> delegation_orgs(const universe_org& org);

// Loads a universe org for a ruleset (nullptr if its codes do not fit, which
// build_universe avoids).
[[nodiscard]] std::shared_ptr<const org::org_graph> load(const universe_org& org, const compiled_ruleset& rules);

// Outcome and rule names of a decision: what two evaluations are compared on.
struct signature {
  std::string outcome;
  std::vector<std::string> violations, warnings;
  bool operator==(const signature&) const = default;
};
[[nodiscard]] signature signature_of(const decision& d);

}  // namespace perwal::explore
