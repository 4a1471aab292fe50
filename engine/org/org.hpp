// A compiled org (perwal-org/1, docs/reference.md §2): units, positions, employees,
// instansi, delegations and teams, validated against a ruleset's vocabulary,
// held as a Boost.Graph plus precomputed indices so that every query the
// evaluator asks (ancestor, unit organisasi, perangkat daerah, instansi,
// atasan chain, delegation) costs O(1) or O(depth), never a walk of the org.
//
// An org_graph is immutable after load and safe to share across threads.
#pragma once

#include <array>
#include <atomic>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/common/diagnostic.hpp"
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

// Strings (ids, names, titles, NIPs, tags) are views into the org_graph's
// own string arena (or the string table of its mapped snapshot): a national org has ~13M items, and a std::string per
// field (32 bytes + a heap block) would cost gigabytes. They live as long as
// the org_graph.
using tag_list = std::span<const std::string_view>;

struct instansi {
  std::string_view id;
  std::string_view name;
  index pejabat_berwenang = none;  // position
  index root_unit = none;          // the pemerintah_daerah unit
};

struct unit {
  std::string_view id;
  std::string_view name;
  code kind = no_code;
  index parent = none;  // unit
  index head = none;    // position
  tag_list tags;
  // computed at load
  index instansi = none;          // instansi index
  index perangkat_daerah = none;  // unit: nearest self-or-ancestor of a PD kind (none above PD level)
  index unit_organisasi = none;   // unit: nearest self-or-ancestor of a UO kind, else the PD, else none
  std::uint32_t depth = 0;        // root = 0
  // DFS interval over the parent forest: post is the last pre-order number
  // inside the subtree, so the subtree is exactly the units with pre in [pre, post].
  std::uint32_t pre = 0, post = 0;
};

// The fields a kedudukan or pelaporan check reads come first (48 bytes, one
// or two adjacent cache lines); title, tags and DFS numbers follow them.
struct position {
  std::string_view id;
  code kind = no_code;
  code jenis = no_code;
  code jenjang = no_code;  // no_code unless jenis is fungsional
  // computed at load: the kind of its perangkat daerah (which kedudukan
  // table applies), copied here so a check does not read the unit's record
  code pd_kind = no_code;
  index unit = none;
  index atasan = none;  // position
  // computed at load
  index heads = none;  // unit this position heads, if any
  // The perangkat daerah of its unit, copied here at load so that a
  // kedudukan or pelaporan check reads it without the unit's record (one
  // dependent cache miss fewer for the position and one for its atasan).
  index perangkat_daerah = none;
  // Does it receive a delegation (as `to`)? Most do not, and a check that
  // asks then reads no delegation index.
  bool receives_delegation = false;
  // The head of its unit organisasi (what `pimpinan_unit` names: the head of
  // the unit's unit organisasi, or of the unit itself outside one), copied
  // here at load: a pelaporan check's `from.pimpinan_unit` then reads no
  // unit record (two dependent cache misses on a national org).
  index pimpinan_unit = none;
  // The id itself when it is at most 16 bytes long (then `id` views it
  // here, set when the org is frozen): looking a position up by its id then
  // compares bytes that arrive with the record, not a third cache miss.
  std::array<char, 16> id_inline{};
  std::string_view title;
  tag_list tags;
  std::uint32_t depth = 0;          // length of the atasan chain
  std::uint32_t pre = 0, post = 0;  // DFS interval over the atasan forest, as for units
};

// Is a position id kept in its own record (position::id_inline)?
[[nodiscard]] constexpr bool inline_id(std::string_view id) {
  return !id.empty() && id.size() <= std::tuple_size_v<decltype(position::id_inline)>;
}

// How an employee holds a position: definitively, or acting in it (Pelaksana
// Tugas, Pelaksana Harian) beside a position held definitively. A NIP names
// the position its holder holds definitively.
enum class acting : std::uint8_t { definitif, plt, plh };
[[nodiscard]] std::optional<acting> acting_from_name(std::string_view name);  // "", "plt", "plh"
[[nodiscard]] std::string_view acting_name(acting a);                         // "", "plt", "plh"

struct employee {
  std::string_view nip;
  std::string_view name;
  index position = none;
  acting as = acting::definitif;
};

struct delegation {
  index from = none;  // position
  index to = none;    // position
  code authority = no_code;
  std::string_view basis;
  nlohmann::json extra;   // the object's other fields (delegation.<field>); null when there are none
  std::string json_path;  // "delegations[3]", for reports
};

// A JSON value an org read from a snapshot keeps as its text (checked to be
// JSON when the snapshot was loaded) and parses when first read: a national
// org has ~36k teams whose trees most commands never look at, and building
// them was a third of the snapshot's load. Reading is thread-safe.
class lazy_json {
 public:
  lazy_json() = default;
  lazy_json(const lazy_json& other) { *this = other; }
  lazy_json& operator=(const lazy_json& other);
  lazy_json& operator=(nlohmann::json value);
  // The value of `text`, which must outlive this and be valid JSON.
  void defer(std::string_view text);
  [[nodiscard]] const nlohmann::json& get() const {
    if (!parsed_.load(std::memory_order_acquire)) parse();
    return value_;
  }

 private:
  void parse() const;
  std::string_view text_;
  mutable nlohmann::json value_;
  mutable std::atomic<bool> parsed_{true};
};

struct team_target {
  std::string_view sasaran;
  std::string_view indikator;
  lazy_json nilai;  // null when absent
};

struct team {
  std::string_view id;
  std::string_view name;
  index owner_unit = none;
  index established_by = none;  // position (or none)
  index ketua = none;           // position (or none)
  std::vector<index> anggota;   // positions
  team_target target;
  lazy_json extra;  // every field of the team object as given
  std::string json_path;
};

// Input errors are diagnostics (engine/common/diagnostic.hpp), codes
// E100–E109 (and the warning W100): a JSON path in the file ("org.json: positions[41].atasan"), or
// file:line:column for a syntax error, and a message of the catalogue, e.g.
// `no position "x.kabag-orgg"`. At most 200 are reported, then "more errors
// not shown".

// Warnings (W100) for NIPs not of the national form (18 digits), at their
// JSON path ("employees[3].nip"): the first 20, then a count of the rest.
// The loaders add them to a valid org's diagnostics; `perwal --strict-nip`
// makes them errors.
void check_nips(const class org_graph& g, diagnostics& out, const std::shared_ptr<const source_file>& file = nullptr);
[[nodiscard]] bool national_nip(std::string_view nip);

// The format number of the snapshots this build reads and writes (`perwal --version`).
[[nodiscard]] std::uint32_t snapshot_format();

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
// Compressed sparse row: two flat arrays per direction with 32-bit vertex
// and edge indices, instead of a std::list-backed vertex and edge record each
// (adjacency_list needs ~100 bytes per edge; this ~13).
using graph_type = boost::compressed_sparse_row_graph<boost::bidirectionalS, vertex_props, edge_props,
                                                      boost::no_property, std::uint32_t, std::uint32_t>;

// Asks the kernel to back [p, p + bytes) with huge pages where it can: the
// national org's tables are gigabytes read at random, and with 4 KiB pages
// most lookups would also miss the TLB. A hint; harmless where unsupported.
void prefer_huge_pages(const void* p, std::size_t bytes);

// A vector of `n` copies of `value`, its memory advised before first touch.
template <class T>
void assign_huge(std::vector<T>& v, std::size_t n, const T& value) {
  v.clear();
  v.shrink_to_fit();
  v.reserve(n);
  prefer_huge_pages(v.data(), n * sizeof(T));
  v.assign(n, value);
}

// A read-only array that either owns its elements (an org built from JSON)
// or views elements owned elsewhere (a mapped snapshot, whose owner the
// org_graph keeps alive): a snapshot's big arrays are then used in place,
// never copied. Reads pick the source with one well-predicted branch, so a
// builder may grow the owned vector freely through build().
template <class T>
class array_ref {
 public:
  // The owned elements, to fill; drops any view.
  [[nodiscard]] std::vector<T>& build() {
    view_ = nullptr;
    view_size_ = 0;
    return own_;
  }
  // Views `n` elements at `p`, which must outlive this array.
  void view(const T* p, std::size_t n) {
    own_ = {};
    view_ = p;
    view_size_ = n;
  }
  [[nodiscard]] const T* data() const { return view_ != nullptr ? view_ : own_.data(); }
  [[nodiscard]] std::size_t size() const { return view_ != nullptr ? view_size_ : own_.size(); }
  [[nodiscard]] bool empty() const { return size() == 0; }
  [[nodiscard]] const T& operator[](std::size_t i) const { return data()[i]; }
  [[nodiscard]] const T* begin() const { return data(); }
  [[nodiscard]] const T* end() const { return data() + size(); }
  [[nodiscard]] const T& front() const { return data()[0]; }
  [[nodiscard]] const T& back() const { return data()[size() - 1]; }
  [[nodiscard]] std::span<const T> span() const { return {data(), size()}; }
  [[nodiscard]] bool viewed() const { return view_ != nullptr; }

 private:
  std::vector<T> own_;
  const T* view_ = nullptr;
  std::size_t view_size_ = 0;
};

// Append-only storage for the org's strings: big blocks that never move, so
// the string_views handed out stay valid.
class string_arena {
 public:
  [[nodiscard]] std::string_view add(std::string_view s);
  [[nodiscard]] std::size_t bytes() const { return total_; }

 private:
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* cursor_ = nullptr;
  std::size_t left_ = 0;
  std::size_t total_ = 0;
};

// id -> index as open addressing with linear probing over a power-of-two
// array of slots (load <= 1/2). A slot holds the index and 32 bits of the
// key's hash: probing past other keys and growing never touch the items,
// and a hit reads back the key from the item it names once, so no string is
// stored twice.
class id_table {
 public:
  // `key_of(i)` is the id of item i.
  template <class KeyOf>
  [[nodiscard]] index find(std::string_view key, KeyOf&& key_of) const;
  // Inserts `i` under `key` unless present; returns the index already there, or none.
  template <class KeyOf>
  index insert(std::string_view key, index i, KeyOf&& key_of);
  // The same with the key's hash() computed by the caller, who may have
  // prefetch()ed its slot meanwhile: a national table is hundreds of MB and
  // each insert would otherwise wait for a cache miss.
  template <class KeyOf>
  index insert(std::string_view key, std::uint64_t key_hash, index i, KeyOf&& key_of);
  // Asks for the slot where the search for a key of this hash starts.
  // Every helper whose only effect is a prefetch is always inlined: GCC
  // takes such a function for one without effects and deletes the calls
  // to it (measured: GCC 12 at -O2 left no prefetch of a record in the
  // binary while prefetch_record was an out-of-line function).
  [[gnu::always_inline]] void prefetch(std::uint64_t key_hash) const {
    if (!slots_.empty()) __builtin_prefetch(slots_.data() + (key_hash & (slots_.size() - 1)), 1);
  }
  // Asks for slot `s` (a home()) ahead of a find().
  [[gnu::always_inline]] void prefetch_slot(std::size_t s) const { __builtin_prefetch(slots_.data() + s); }
  void reserve_for(std::size_t n);
  // The slot where the search for a key of this hash starts, and the slots'
  // count: an array parallel to the slots can be read together with them.
  [[nodiscard]] std::size_t home(std::uint64_t key_hash) const { return key_hash & (slots_.size() - 1); }
  [[nodiscard]] std::size_t slot_count() const { return slots_.size(); }
  [[nodiscard]] index item_at(std::size_t s) const { return slots_[s].item; }
  // find() with the key's hash() already computed.
  template <class KeyOf>
  [[nodiscard]] index find(std::string_view key, std::uint64_t key_hash, KeyOf&& key_of) const;
  [[nodiscard]] static std::uint64_t hash(std::string_view s);

 private:
  struct slot {
    index item;
    std::uint32_t hash;  // the key's hash, low half: its home slot and a quick inequality test
  };
  void grow();
  array_ref<slot> slots_;
  std::size_t size_ = 0;  // items inserted, while the table is built (a snapshot's tables are only viewed)
  friend struct snapshot_io;
};

class org_graph {
 public:
  org_graph() = default;
  // Not copyable: a short position id views bytes inside its own record
  // (position::id_inline), so a copied record would view the original's.
  org_graph(const org_graph&) = delete;
  org_graph& operator=(const org_graph&) = delete;

  // Reads an org from a file: a compiled snapshot (recognised by its magic,
  // not its name) or perwal-org/1 JSON. Errors name `path`.
  [[nodiscard]] static std::shared_ptr<const org_graph> load_file(const std::string& path, const vocabulary& vocab,
                                                                  const structure& shape, diagnostics& errors);
  // Does `bytes` begin like a snapshot (its magic)?
  [[nodiscard]] static bool is_snapshot(std::string_view bytes);
  // Reads a snapshot written by write_snapshot. Rejects (never crashes on)
  // any file that is not an intact snapshot of this format compiled against
  // the same vocabulary and structure, with one error naming `path`.
  [[nodiscard]] static std::shared_ptr<const org_graph> load_snapshot(const std::string& path, const vocabulary& vocab,
                                                                      const structure& shape, diagnostics& errors);
  // Writes the snapshot; `source_path` is the file it was loaded from (its
  // size and content hash are recorded). Returns false with an error on I/O
  // failure.
  [[nodiscard]] bool write_snapshot(const std::string& path, const std::string& source_path, const vocabulary& vocab,
                                    const structure& shape, diagnostics& errors) const;

  // Parses and validates `text` (a perwal-org/1 document). On any error
  // returns nullptr and fills `errors` with every problem found (never only
  // the first, never a silent drop). `source_name` is used for syntax errors.
  [[nodiscard]] static std::shared_ptr<const org_graph> load(std::string_view text, std::string_view source_name,
                                                             const vocabulary& vocab, const structure& shape,
                                                             diagnostics& errors);
  [[nodiscard]] static std::shared_ptr<const org_graph> load(const nlohmann::json& doc, const vocabulary& vocab,
                                                             const structure& shape, diagnostics& errors);
  // The reference loader: nlohmann builds the whole document, then the same
  // validation as load(doc). load(text) gives the same result (or the same
  // errors) through a streaming reader; tests compare the two.
  [[nodiscard]] static std::shared_ptr<const org_graph> load_reference(std::string_view text,
                                                                       std::string_view source_name,
                                                                       const vocabulary& vocab, const structure& shape,
                                                                       diagnostics& errors);

  // The streaming reader (org_stream.cpp): the org, or nullptr for anything
  // it does not accept (then load_reference decides and explains).
  [[nodiscard]] static std::shared_ptr<const org_graph> load_streaming(std::string_view text, const vocabulary& vocab,
                                                                       const structure& shape);

  [[nodiscard]] const std::vector<instansi>& instansis() const { return instansi_; }
  [[nodiscard]] std::span<const unit> units() const { return units_.span(); }
  // Positions and employees are a mapped snapshot's records where they lie
  // (org_snapshot.cpp), or arrays of their own for an org read from JSON.
  [[nodiscard]] std::span<const position> positions() const { return positions_.span(); }
  [[nodiscard]] std::span<const employee> employees() const { return employees_.span(); }
  // Are the positions and employees a snapshot's records used where they
  // lie (the file mapped at the address it was prelinked for), not copies?
  [[nodiscard]] bool records_mapped() const { return backing_ != nullptr && positions_.viewed(); }
  // How a snapshot's sections were checked as it was loaded: in full (every
  // checksum and record), or not again because this user had verified the
  // same, unchanged file in full before (verified_snapshots.hpp).
  enum class snapshot_check : std::uint8_t { not_a_snapshot, in_full, on_record };
  [[nodiscard]] snapshot_check snapshot_checked() const { return snapshot_checked_; }
  [[nodiscard]] const std::vector<delegation>& delegations() const { return delegations_; }
  [[nodiscard]] const std::vector<team>& teams() const { return teams_; }
  // Built from the records on first use, whether the org was read from JSON
  // or from a snapshot: the checks read the precomputed indices instead.
  [[nodiscard]] const graph_type& graph() const;
  // The vertex of an item in graph(): units first, then positions, employees, teams.
  [[nodiscard]] graph_type::vertex_descriptor vertex_of(vertex_kind k, index i) const {
    return vertex_base_[static_cast<std::size_t>(k)] + i;
  }

  // Lookups by id. find_position accepts a position id or an employee NIP.
  // Whether the position's atasan record is asked for on the way (a
  // kedudukan or pelaporan check reads it; a penugasan's letter writers'
  // atasan are never read, and their misses would only queue before the others).
  enum class with_atasan : bool { no, yes };
  [[nodiscard]] index find_position(std::string_view id_or_nip, with_atasan atasan = with_atasan::yes) const {
    return find_position(id_or_nip, id_table::hash(id_or_nip), atasan);
  }
  // The same with the id's lookup hash, as prefetch_positions wrote it: a
  // query's ids are then hashed once, not twice.
  [[nodiscard]] index find_position(std::string_view id_or_nip, std::uint64_t id_hash,
                                    with_atasan atasan = with_atasan::yes) const;
  // Asks for the records of several positions at once (ids; a NIP or an
  // unknown id costs its hash and a useless prefetch), and of units beside
  // them: a query naming several (pelaporan's from and to, a penugasan's
  // steps and owner unit) then waits for two dependent misses in all rather
  // than two per record. A hint only: the find_position and find_unit calls
  // that follow answer as they would without it.
  // `atasan_of_first`: how many of the ids (the first) have their atasan's record asked for too.
  // `hashes`: empty, or one per id, where each id's lookup hash is written for find_position.
  void prefetch_positions(std::span<const std::string_view> ids, std::span<const std::string_view> unit_ids = {},
                          std::size_t atasan_of_first = std::numeric_limits<std::size_t>::max(),
                          std::span<std::uint64_t> hashes = {}) const;
  [[nodiscard]] index find_unit(std::string_view id) const;
  [[nodiscard]] index find_team(std::string_view id) const;

  // Is unit `a` the same as or an ancestor of unit `b`? O(1).
  [[nodiscard]] bool unit_contains(index a, index b) const;
  // Is position `a` the same as or above position `b` in the atasan chain? O(1).
  [[nodiscard]] bool superior_of(index a, index b) const;
  // The unit organisasi of unit `u`: its own `unit_organisasi`, or `u` itself
  // outside one (above PD level); none for none.
  [[nodiscard]] index unit_organisasi_of(index u) const {
    if (u >= units_.size()) return none;
    const index uo = units_[u].unit_organisasi;
    return uo == none ? u : uo;
  }
  // The head of unit_organisasi_of(u) (what the rules call `pimpinan_unit`), or none.
  [[nodiscard]] index pimpinan_of_unit(index u) const {
    const index uo = unit_organisasi_of(u);
    return uo == none ? none : units_[uo].head;
  }
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
  // Delegations received by position `p` (a view into the graph: no copy).
  [[nodiscard]] std::span<const index> delegations_to(index p) const;
  // The first unit of kind `k` in instansi `i` (in pre-order), or none. O(1).
  [[nodiscard]] index unit_of_kind(index instansi, code k) const;
  // Teams in which position `p` is ketua or anggota.
  [[nodiscard]] std::vector<index> teams_of(index p) const;
  // The employee holding a position, or none.
  [[nodiscard]] index employee_of(index p) const;

  // Input JSON path of a unit / position ("units[3]"), for reports. Items
  // keep their input order, so the index is the position in the input.
  [[nodiscard]] std::string unit_path(index u) const { return "units[" + std::to_string(u) + "]"; }
  [[nodiscard]] std::string position_path(index p) const { return "positions[" + std::to_string(p) + "]"; }

  // Every field, index and edge in a fixed textual form, for tests that
  // compare two loads (JSON vs snapshot, streaming vs reference).
  [[nodiscard]] std::string canonical_dump() const;

 private:
  std::vector<instansi> instansi_;
  array_ref<unit> units_;
  array_ref<position> positions_;
  array_ref<employee> employees_;
  std::vector<delegation> delegations_;
  std::vector<team> teams_;
  // The snapshot mapping that the viewed arrays and strings point into
  // (null for an org built from JSON). Declared first: destroyed last.
  std::shared_ptr<const void> backing_;
  mutable graph_type graph_;
  bool graph_deferred_ = false;  // graph() builds graph_ when first asked
  snapshot_check snapshot_checked_ = snapshot_check::not_a_snapshot;
  mutable std::once_flag graph_once_;
  string_arena strings_;
  array_ref<std::string_view> tag_pool_;  // the tags of units and positions, each a slice
  id_table unit_ids_, position_ids_, team_ids_, nips_;
  // Per slot of position_ids_: the atasan of the position in it (none when
  // empty). A hint, read with the slot where a search starts, so that the
  // atasan's record is asked for as early as the position's own; a wrong
  // hint costs a useless prefetch, never a wrong answer.
  array_ref<index> position_slot_atasan_;
  // Asks for position p's record: its first and last cache lines (asking
  // too for the middle one of a record spanning three measured no faster).
  // None or past the end: nothing. Always inlined (see id_table::prefetch).
  [[gnu::always_inline]] void prefetch_record(index p) const {
    if (p >= positions_.size()) return;  // none, or a corrupt hint: nothing to fetch
    const auto* r = reinterpret_cast<const char*>(&positions_[p]);
    __builtin_prefetch(r);
    __builtin_prefetch(r + sizeof(position) - 1);
  }
  array_ref<index> positions_by_unit_pre_;   // positions sorted by their unit's pre-order
  array_ref<std::uint32_t> unit_first_pos_;  // per unit pre-order slot: begin offset
  array_ref<std::uint32_t> unit_last_pos_;   // end offset of the unit's subtree slice
  array_ref<index> unit_by_pre_;             // unit index by pre-order number
  // position p -> delegation_list_[delegation_first_[p] .. delegation_first_[p + 1]) (as `to`), and likewise
  // the teams it is ketua or anggota of; one flat array each instead of a vector per position.
  array_ref<std::uint32_t> delegation_first_, team_first_;
  array_ref<index> delegation_list_, team_list_;
  std::array<std::uint32_t, 4> vertex_base_{};  // first vertex of each vertex_kind
  array_ref<index> employee_by_position_;
  std::unordered_map<std::uint64_t, index> unit_of_kind_;  // (instansi << 16 | kind) -> unit
  friend struct loader;
  friend struct freezer;
  friend struct freeze_steps;
  friend struct stream_reader;
  friend struct snapshot_io;
};

inline std::uint64_t id_table::hash(std::string_view s) {
  // Eight bytes at a time, multiply-xorshift mixing: ids are short, and the
  // low bits pick the slot. Fixed (no seed): snapshots store the tables.
  std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ s.size();
  std::size_t k = 0;
  for (; k + 8 <= s.size(); k += 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, s.data() + k, 8);
    h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
    h ^= h >> 32;
  }
  std::uint64_t w = 0;
  if (k < s.size()) std::memcpy(&w, s.data() + k, s.size() - k);
  h = (h ^ w) * 0xC4CEB9FE1A85EC53ULL;
  h ^= h >> 29;
  h *= 0x9E3779B97F4A7C15ULL;
  return h ^ (h >> 32);
}

template <class KeyOf>
index id_table::find(std::string_view key, KeyOf&& key_of) const {
  return find(key, hash(key), key_of);
}

template <class KeyOf>
index id_table::find(std::string_view key, std::uint64_t h, KeyOf&& key_of) const {
  if (slots_.empty()) return none;
  const auto tag = static_cast<std::uint32_t>(h);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t s = h & mask;; s = (s + 1) & mask) {
    const slot& x = slots_[s];
    if (x.item == none) return none;
    if (x.hash == tag && key_of(x.item) == key) return x.item;
  }
}

template <class KeyOf>
index id_table::insert(std::string_view key, index i, KeyOf&& key_of) {
  return insert(key, hash(key), i, key_of);
}

template <class KeyOf>
index id_table::insert(std::string_view key, std::uint64_t h, index i, KeyOf&& key_of) {
  if ((size_ + 1) * 2 > slots_.size()) grow();
  std::vector<slot>& slots = slots_.build();
  const auto tag = static_cast<std::uint32_t>(h);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t s = h & mask;; s = (s + 1) & mask) {
    slot& x = slots[s];
    if (x.item == none) {
      x = {i, tag};
      ++size_;
      return none;
    }
    if (x.hash == tag && key_of(x.item) == key) return x.item;
  }
}

// Rehashing needs no key: a slot's home is its hash's low bits, kept.
inline void id_table::grow() {
  std::vector<slot> old = std::move(slots_.build());
  std::vector<slot>& slots = slots_.build();
  assign_huge(slots, std::max<std::size_t>(16, old.size() * 2), slot{none, 0});
  const std::size_t mask = slots.size() - 1;
  for (const slot& x : old) {
    if (x.item == none) continue;
    std::size_t s = x.hash & mask;
    while (slots[s].item != none) s = (s + 1) & mask;
    slots[s] = x;
  }
}

inline void id_table::reserve_for(std::size_t n) {
  if (size_ != 0) return;
  std::size_t cap = 16;
  while (cap < 2 * n) cap *= 2;
  assign_huge(slots_.build(), cap, slot{none, 0});
}

}  // namespace perwal::org
