// A typed description of an org: the fields of a perwal-org/1 document
// (docs/reference.md §2) as plain structs, for code that makes orgs (the explore
// universe, tests) instead of reading them. build() validates a spec exactly
// as the JSON loader validates the document to_json() makes of it: the same
// messages, at the JSON path each item would have in that document
// ("positions[3].atasan"), and the same freezing. The JSON loader itself
// reads a document into a spec and builds that, so there is one validator.
//
// Codes (unit kind, position kind, jenis, jenjang, authority) are names, not
// vocabulary `code`s: a spec does not depend on a ruleset (explore builds one
// org for two rulesets, whose vocabularies number codes differently), an
// unknown name is reported by build() with the loader's message, and
// to_json() needs the names anyway.
//
// Conventions: an empty name, title or basis is the same as an absent one;
// a std::nullopt reference is an absent one (a unit with no parent is a
// root); required fields (ids, kinds, a position's unit, an employee's
// position, a delegation's ends, a team's owner_unit) are always written by
// to_json(), so an empty one is reported as the document's "" would be.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "engine/common/vocabulary.hpp"
#include "engine/org/org.hpp"

namespace perwal::org {

struct instansi_spec {
  std::string id;
  std::string name;
  std::optional<std::string> pejabat_berwenang;  // position id or NIP
};

struct unit_spec {
  std::string id;
  std::string name;
  std::string kind;                     // unit kind name
  std::optional<std::string> parent;    // unit id; nullopt: a root (written as null)
  std::optional<std::string> instansi;  // instansi id; required on a root
  std::optional<std::string> head;      // position id or NIP
  std::vector<std::string> tags;
};

struct position_spec {
  std::string id;
  std::string title;
  std::string kind;                    // position kind name
  std::string jenis;                   // jenis name
  std::optional<std::string> jenjang;  // jenjang name; fungsional positions only
  std::string unit;                    // unit id
  std::optional<std::string> atasan;   // position id or NIP
  std::vector<std::string> tags;
};

struct employee_spec {
  std::string nip;
  std::string name;
  std::string position;  // position id
  std::string sebagai;   // "" (definitive), "plt" or "plh": acting in this position
};

struct delegation_spec {
  std::string from;       // position id or NIP
  std::string to;         // position id or NIP
  std::string authority;  // authority name
  std::string basis;
  // Every other field of the delegation object, as given: the fields a
  // ruleset declares with `fields delegation { … }` (its scope, its period)
  // that rules read as delegation.<field>.
  nlohmann::json fields = nlohmann::json::object();
};

struct team_target_spec {
  std::string sasaran;
  std::string indikator;
  nlohmann::json nilai;  // null: absent
  // The target object as read from JSON, written back as it was: a field
  // given as null is a stated "none", not an absent one (rules tell them apart).
  nlohmann::json given;
};

struct team_spec {
  std::string id;
  std::string name;
  std::string owner_unit;                     // unit id
  std::optional<std::string> established_by;  // position id or NIP
  std::optional<std::string> ketua;           // position id or NIP
  std::vector<std::string> anggota;           // position ids or NIPs
  std::optional<team_target_spec> target;
  // Every other field of the team object, as given: fields the regulations
  // define (`keputusan`, …) that rules read with team.field("…"). Keys of
  // the typed fields above are ignored here.
  nlohmann::json fields = nlohmann::json::object();
};

struct spec {
  std::vector<instansi_spec> instansi;
  std::vector<unit_spec> units;
  std::vector<position_spec> positions;
  std::vector<employee_spec> employees;
  std::vector<delegation_spec> delegations;
  std::vector<team_spec> teams;
};

// Validates `s` against the vocabulary and structure and freezes it. On any
// error returns nullptr and appends every problem found to `errors`, as
// org_graph::load(to_json(s), …) would.
[[nodiscard]] std::shared_ptr<const org_graph> build(const spec& s, const vocabulary& vocab, const structure& shape,
                                                     diagnostics& errors);

// The perwal-org/1 document of `s` (every section present, even empty).
[[nodiscard]] nlohmann::json to_json(const spec& s);
// One item as its JSON object in the document.
[[nodiscard]] nlohmann::json to_json(const instansi_spec& x);
[[nodiscard]] nlohmann::json to_json(const unit_spec& u);
[[nodiscard]] nlohmann::json to_json(const position_spec& p);
[[nodiscard]] nlohmann::json to_json(const employee_spec& e);
[[nodiscard]] nlohmann::json to_json(const delegation_spec& d);
// One team as a JSON object: `fields` with the typed fields over it (what a
// team's `extra` holds, and what a query names as an inline team).
[[nodiscard]] nlohmann::json to_json(const team_spec& t);

// Reads a perwal-org/1 document into a spec, checking only its shape (an
// object, the schema, arrays of objects, fields of the right JSON type).
// References and codes are not resolved: build() does that. On a shape
// error returns nullopt and appends those errors (with their paths) to
// `errors`; org_graph::load of the same document would report them and any
// further ones.
[[nodiscard]] std::optional<spec> read_spec(const nlohmann::json& doc, diagnostics& errors);

}  // namespace perwal::org
