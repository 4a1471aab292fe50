// Typed queries: what a caller asks, read once at the edge from JSON into
// org indices and vocabulary codes. Evaluation takes only these; a JSON
// query that cannot be read gets errors with the JSON path of each problem.
#pragma once

#include <boost/container/small_vector.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/common/diagnostic.hpp"
#include "engine/compile/ruleset.hpp"
#include "engine/org/org.hpp"

namespace perwal {

// A team as the rules see it: one of the org's, or given inline in a query.
// It refers to what it was read from (the org's team, or the query's JSON),
// which outlives it: reading one copies nothing. Move-only: `anggota` may
// point into its own `inline_anggota`, which a move keeps in place.
struct team_input {
  team_input() = default;
  team_input(team_input&&) = default;
  team_input& operator=(team_input&&) = default;
  team_input(const team_input&) = delete;
  team_input& operator=(const team_input&) = delete;

  std::string_view id;              // "(inline)" when an inline team has none
  org::index org_team = org::none;  // the org's team; none: given inline
  org::index owner_unit = org::none;
  org::index established_by = org::none;
  org::index ketua = org::none;
  std::span<const org::index> anggota;  // the org's list, or inline_anggota
  std::vector<org::index> inline_anggota;
  bool has_target = false;
  code role = no_code;  // the assignee's role (penugasan)
  // Every field of the team object, for `team.field("…")`: the org's, or the
  // query's inline object; null: none (a role without a team).
  const nlohmann::json* field_object = nullptr;
  [[nodiscard]] const nlohmann::json& fields() const;
  // The same team read the same way (its members compared, not where they are kept).
  friend bool operator==(const team_input& a, const team_input& b);
};

// One step of an assignment as the caller says it was taken. Its lists stay
// inside the step while short (a letter copies a few officials and states a
// few contents), so reading one does not allocate.
struct step_input {
  code action = no_code;
  org::index by = org::none, from = org::none, to = org::none;
  boost::container::small_vector<org::index, 4> cc;
  boost::container::small_vector<code, 8> contents;
  std::string_view reason;                 // in the query's JSON
  const nlohmann::json* fields = nullptr;  // the step object as given, for `step.<field>`
  std::uint32_t at = 0;                    // its index in the query's steps
  bool contents_stated = false;            // `contents` is given (null too): what the letter states is said
  friend bool operator==(const step_input&, const step_input&) = default;
};

struct kedudukan_query {
  org::index position = org::none;
  org::index atasan = org::none;  // as proposed, or the org's own
  friend bool operator==(const kedudukan_query&, const kedudukan_query&) = default;
};

struct penugasan_query {
  org::index assignee = org::none;
  org::index owner_unit = org::none;
  org::index assigned_by = org::none;  // none: the signer of the assignment letter
  code mode = no_code;
  std::optional<team_input> team;  // with its role
  std::vector<step_input> steps;
  friend bool operator==(const penugasan_query&, const penugasan_query&) = default;
};

struct pelaporan_query {
  org::index from = org::none, to = org::none;
  // The other addressees the same report went to (`also_to`); nullopt: not stated.
  std::optional<std::vector<org::index>> also_to;
  code as = no_code;
  std::optional<team_input> team;
  friend bool operator==(const pelaporan_query&, const pelaporan_query&) = default;
};

struct tim_query {
  team_input team;
  friend bool operator==(const tim_query&, const tim_query&) = default;
};

struct audit_query {
  friend bool operator==(const audit_query&, const audit_query&) = default;
};

// Two typed queries compare equal when they read the same (tests compare readers with it).
using query = std::variant<kedudukan_query, penugasan_query, pelaporan_query, tim_query, audit_query>;

// Reads a JSON query (the documented query format) against a ruleset's
// vocabulary and an org. On bad input returns nullopt and reports each
// problem into `errors` (codes E200–E205), located by its JSON path inside
// the query (`steps[2].by`; empty for the query itself). The typed query
// refers to `q` (a step's fields, a reason, an inline team): `q` must outlive it.
[[nodiscard]] std::optional<query> read_query(const nlohmann::json& q, const compiled_ruleset& rules,
                                              const org::org_graph& org, diagnostics& errors);
// The same into `into`, keeping what its lists have allocated when it holds
// a query of the same kind: a thread that reads many queries reuses one.
// False (and `into` unspecified) on bad input.
[[nodiscard]] bool read_query(const nlohmann::json& q, const compiled_ruleset& rules, const org::org_graph& org,
                              diagnostics& errors, query& into);

// The team of the org at index `t`, as the rules see it (its lists not copied).
[[nodiscard]] team_input team_of(const org::org_graph& org, org::index t);

}  // namespace perwal
