// A compiled org (perwal-org/1, CONTRACT §2): units, positions, employees,
// instansi, delegations and teams, validated against a ruleset's vocabulary,
// held as a Boost.Graph plus precomputed indices so that every query the
// evaluator asks (ancestor, unit organisasi, perangkat daerah, instansi,
// atasan chain, delegation) costs O(1) or O(depth), never a walk of the org.
//
// An org_graph is immutable after load and safe to share across threads.
#pragma once

#include <array>
#include <boost/graph/adjacency_list.hpp>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/common/vocabulary.hpp"

namespace perwal::org {

using index = std::uint32_t;
inline constexpr index none = 0xFFFFFFFFu;

// What the ruleset tells the org about structure: which unit kinds make a
// Perangkat Daerah (or an independent work unit) and which make a unit
// organisasi. The nearest unit at or above a position's unit whose kind is in
// the set is its perangkat daerah / unit organisasi.
struct structure {
  std::vector<code> perangkat_daerah_kinds;
  std::vector<code> unit_organisasi_kinds;
  // A unit organisasi kind may count only inside some kinds of perangkat
  // daerah (a sekretariat leads a unit organisasi in a dinas, not in a
  // kecamatan). Kinds not listed here count everywhere.
  std::vector<std::pair<code, std::vector<code>>> unit_organisasi_within;
};

struct instansi {
  std::string id;
  std::string name;
  index pejabat_berwenang = none;  // position
  index root_unit = none;          // the pemerintah_daerah unit
};

struct unit {
  std::string id;
  std::string name;
  code kind = no_code;
  index parent = none;  // unit
  index head = none;    // position
  std::vector<std::string> tags;
  // computed at load
  index instansi = none;          // instansi index
  index perangkat_daerah = none;  // unit: nearest self-or-ancestor of a PD kind (none above PD level)
  index unit_organisasi = none;   // unit: nearest self-or-ancestor of a UO kind, else the PD, else none
  std::uint32_t depth = 0;        // root = 0
  // DFS interval over the parent forest: post is the last pre-order number
  // inside the subtree, so the subtree is exactly the units with pre in [pre, post].
  std::uint32_t pre = 0, post = 0;
};

struct position {
  std::string id;
  std::string title;
  code kind = no_code;
  code jenis = no_code;
  code jenjang = no_code;  // no_code unless jenis is fungsional
  index unit = none;
  index atasan = none;  // position
  std::vector<std::string> tags;
  // computed at load
  std::uint32_t depth = 0;          // length of the atasan chain
  std::uint32_t pre = 0, post = 0;  // DFS interval over the atasan forest, as for units
  index heads = none;               // unit this position heads, if any
};

struct employee {
  std::string nip;
  std::string name;
  index position = none;
};

struct delegation {
  index from = none;  // position
  index to = none;    // position
  code authority = no_code;
  std::string basis;
  std::string json_path;  // "delegations[3]", for reports
};

struct team_target {
  std::string sasaran;
  std::string indikator;
  nlohmann::json nilai;  // null when absent
};

struct team {
  std::string id;
  std::string name;
  index owner_unit = none;
  index established_by = none;  // position (or none)
  index ketua = none;           // position (or none)
  std::vector<index> anggota;   // positions
  team_target target;
  nlohmann::json extra;  // every field of the team object as given
  std::string json_path;
};

// One input error: a JSON path (or "file:line:column" for syntax errors) and
// a message, e.g. {"positions[41].atasan", "no position \"x.kabag-orgg\""}.
struct load_error {
  std::string path;
  std::string message;
  [[nodiscard]] std::string to_string() const { return path + ": " + message; }
};

// Vertex and edge kinds of the structural graph.
enum class vertex_kind : std::uint8_t { unit, position, employee, team };
enum class edge_kind : std::uint8_t { parent, atasan, in_unit, heads, holds, delegates, ketua, anggota, owns };
struct vertex_props {
  vertex_kind kind;
  index item;  // index into units/positions/employees/teams
};
struct edge_props {
  edge_kind kind;
};
using graph_type = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, vertex_props, edge_props>;

class org_graph {
 public:
  // Parses and validates `text` (a perwal-org/1 document). On any error
  // returns nullptr and fills `errors` with every problem found (never only
  // the first, never a silent drop). `source_name` is used for syntax errors.
  [[nodiscard]] static std::shared_ptr<const org_graph> load(std::string_view text, std::string_view source_name,
                                                             const vocabulary& vocab, const structure& shape,
                                                             std::vector<load_error>& errors);
  [[nodiscard]] static std::shared_ptr<const org_graph> load(const nlohmann::json& doc, const vocabulary& vocab,
                                                             const structure& shape, std::vector<load_error>& errors);

  [[nodiscard]] const std::vector<instansi>& instansis() const { return instansi_; }
  [[nodiscard]] const std::vector<unit>& units() const { return units_; }
  [[nodiscard]] const std::vector<position>& positions() const { return positions_; }
  [[nodiscard]] const std::vector<employee>& employees() const { return employees_; }
  [[nodiscard]] const std::vector<delegation>& delegations() const { return delegations_; }
  [[nodiscard]] const std::vector<team>& teams() const { return teams_; }
  [[nodiscard]] const graph_type& graph() const { return graph_; }
  // The vertex of an item in graph(): units first, then positions, employees, teams.
  [[nodiscard]] graph_type::vertex_descriptor vertex_of(vertex_kind k, index i) const {
    return vertex_base_[static_cast<std::size_t>(k)] + i;
  }

  // Lookups by id. find_position accepts a position id or an employee NIP.
  [[nodiscard]] index find_position(std::string_view id_or_nip) const;
  [[nodiscard]] index find_unit(std::string_view id) const;
  [[nodiscard]] index find_team(std::string_view id) const;

  // Is unit `a` the same as or an ancestor of unit `b`? O(1).
  [[nodiscard]] bool unit_contains(index a, index b) const;
  // Is position `a` the same as or above position `b` in the atasan chain? O(1).
  [[nodiscard]] bool superior_of(index a, index b) const;
  // Lowest common ancestor of two units (none when in different trees). O(depth).
  [[nodiscard]] index common_unit(index a, index b) const;
  // Position ids from `p` up through its atasan chain to the top (p first).
  [[nodiscard]] std::vector<index> atasan_chain(index p) const;
  // Units from `u` up to its root (u first).
  [[nodiscard]] std::vector<index> unit_chain(index u) const;
  // Positions whose unit lies in the subtree of `u` (u included), in unit
  // pre-order; a contiguous slice of a precomputed array, O(result).
  [[nodiscard]] std::pair<const index*, const index*> positions_under(index u) const;
  // Does position `p` hold a delegated authority (as `to` of a delegation)?
  [[nodiscard]] bool has_delegation(index p, code authority) const;
  // Delegations received by position `p`.
  [[nodiscard]] std::vector<index> delegations_to(index p) const;
  // The first unit of kind `k` in instansi `i` (in pre-order), or none. O(1).
  [[nodiscard]] index unit_of_kind(index instansi, code k) const;
  // Teams in which position `p` is ketua or anggota.
  [[nodiscard]] std::vector<index> teams_of(index p) const;
  // The employee holding a position, or none.
  [[nodiscard]] index employee_of(index p) const;

  // Input JSON path of a unit / position ("units[3]"), for reports.
  [[nodiscard]] std::string unit_path(index u) const { return "units[" + std::to_string(unit_src_[u]) + "]"; }
  [[nodiscard]] std::string position_path(index p) const {
    return "positions[" + std::to_string(position_src_[p]) + "]";
  }

 private:
  std::vector<instansi> instansi_;
  std::vector<unit> units_;
  std::vector<position> positions_;
  std::vector<employee> employees_;
  std::vector<delegation> delegations_;
  std::vector<team> teams_;
  graph_type graph_;
  std::unordered_map<std::string, index> unit_ids_, position_ids_, team_ids_, nips_;
  std::vector<std::uint32_t> unit_src_, position_src_;  // index in the input arrays
  std::vector<index> positions_by_unit_pre_;            // positions sorted by their unit's pre-order
  std::vector<std::uint32_t> unit_first_pos_;           // per unit pre-order slot: begin offset
  std::vector<std::uint32_t> unit_last_pos_;            // end offset of the unit's subtree slice
  std::vector<index> unit_by_pre_;                      // unit index by pre-order number
  // position p -> delegation_list_[delegation_first_[p] .. delegation_first_[p + 1]) (as `to`), and likewise
  // the teams it is ketua or anggota of; one flat array each instead of a vector per position.
  std::vector<std::uint32_t> delegation_first_, team_first_;
  std::vector<index> delegation_list_, team_list_;
  std::array<std::size_t, 4> vertex_base_{};  // first vertex of each vertex_kind
  std::vector<index> employee_by_position_;
  std::unordered_map<std::uint64_t, index> unit_of_kind_;  // (instansi << 16 | kind) -> unit
  friend struct loader;
};

}  // namespace perwal::org
