// Typed queries: what a caller asks, read once at the edge from JSON into
// org indices and vocabulary codes. Evaluation takes only these; a JSON
// query that cannot be read gets errors with the JSON path of each problem.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "engine/common/diagnostic.hpp"
#include "engine/compile/ruleset.hpp"
#include "engine/org/org.hpp"

namespace perwal {

// A team as the rules see it: one of the org's, or given inline in a query.
struct team_input {
  std::string id;                   // "(inline)" when an inline team has none
  org::index org_team = org::none;  // the org's team; none: given inline
  org::index owner_unit = org::none;
  org::index established_by = org::none;
  org::index ketua = org::none;
  std::vector<org::index> anggota;
  bool has_target = false;
  code role = no_code;  // the assignee's role (penugasan)
  // Every field of the team object, for `team.field("…")`: the org's own
  // (not copied), or the inline object's copy.
  const nlohmann::json* org_fields = nullptr;
  nlohmann::json inline_fields;
  [[nodiscard]] const nlohmann::json& fields() const { return org_fields ? *org_fields : inline_fields; }
};

// One step of an assignment as the caller says it was taken.
struct step_input {
  code action = no_code;
  org::index by = org::none, from = org::none, to = org::none;
  std::vector<org::index> cc;
  std::vector<code> contents;
  std::string reason;
  nlohmann::json fields;  // the step object as given, for `step.<field>`
  std::uint32_t at = 0;   // its index in the query's steps
};

struct kedudukan_query {
  org::index position = org::none;
  org::index atasan = org::none;  // as proposed, or the org's own
};

struct penugasan_query {
  org::index assignee = org::none;
  org::index owner_unit = org::none;
  org::index assigned_by = org::none;  // none: the signer of the assignment letter
  code mode = no_code;
  std::optional<team_input> team;  // with its role
  std::vector<step_input> steps;
};

struct pelaporan_query {
  org::index from = org::none, to = org::none;
  // The other addressees the same report went to (`also_to`); nullopt: not stated.
  std::optional<std::vector<org::index>> also_to;
  code as = no_code;
  std::optional<team_input> team;
};

struct tim_query {
  team_input team;
};

struct audit_query {};

using query = std::variant<kedudukan_query, penugasan_query, pelaporan_query, tim_query, audit_query>;

// Reads a JSON query (the documented query format) against a ruleset's
// vocabulary and an org. On bad input returns nullopt and reports each
// problem into `errors` (codes E200–E205), located by its JSON path inside
// the query (`steps[2].by`; empty for the query itself).
[[nodiscard]] std::optional<query> read_query(const nlohmann::json& q, const compiled_ruleset& rules,
                                              const org::org_graph& org, diagnostics& errors);

// The team of the org at index `t`, as the rules see it.
[[nodiscard]] team_input team_of(const org::org_graph& org, org::index t);

}  // namespace perwal
