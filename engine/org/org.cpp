// The org graph's lookups: ids and NIPs, unit and atasan forests,
// positions under a unit, delegations, teams. Loading is in org_load.cpp,
// validation in org_validate.hpp, freezing in org_freeze.cpp.
#include <algorithm>
#include <stdexcept>

#include "engine/org/org_load_internal.hpp"  // kind_key

namespace perwal::org {

std::optional<acting> acting_from_name(std::string_view name) {
  if (name.empty()) return acting::definitif;
  if (name == "plt") return acting::plt;
  if (name == "plh") return acting::plh;
  return std::nullopt;
}

std::string_view acting_name(acting a) {
  switch (a) {
    case acting::plt:
      return "plt";
    case acting::plh:
      return "plh";
    case acting::definitif:
      break;
  }
  return "";
}

index org_graph::find_position(std::string_view id_or_nip, std::uint64_t h, with_atasan atasan) const {
  // A check reads the position's record and its atasan's. With the slot
  // where the search starts comes the atasan of the position there (usually
  // the one asked for): both records are then asked for at once, two
  // dependent cache misses for a cold national query rather than three.
  const bool atasan_wanted = atasan == with_atasan::yes;
  if (atasan_wanted && !position_slot_atasan_.empty()) prefetch_record(position_slot_atasan_[position_ids_.home(h)]);
  // The record's own atasan too, once it arrives: for a position found
  // past its home slot.
  const auto id_of = [&](index k) {
    const position& r = positions_[k];
    if (atasan_wanted) prefetch_record(r.atasan);
    return r.id;
  };
  if (const index p = position_ids_.find(id_or_nip, h, id_of); p != none) return p;
  if (const index e = nips_.find(id_or_nip, h, [this](index k) { return employees_[k].nip; }); e != none) {
    return employees_[e].position;
  }
  return none;
}

void org_graph::prefetch_positions(std::span<const std::string_view> ids, std::span<const std::string_view> unit_ids,
                                   std::size_t atasan_of_first, std::span<std::uint64_t> hashes) const {
  constexpr std::size_t chunk = 16, most_units = 4;
  std::array<std::size_t, chunk> home;  // each entry written before it is read (no zeroing: a check pays for it)
  std::array<std::size_t, most_units> unit_home;
  const bool hash_out = !hashes.empty();
  if (hash_out && hashes.size() < ids.size()) throw std::invalid_argument("prefetch_positions: a hash for every id");
  // The units (a query names one or two) go out with the first chunk of positions.
  std::size_t units = unit_ids_.slot_count() == 0 ? 0 : std::min(most_units, unit_ids.size());
  const bool any_positions = position_ids_.slot_count() != 0;
  const bool hints = !position_slot_atasan_.empty();
  for (std::size_t first = 0; first < ids.size() || units != 0; first += chunk) {
    const std::size_t n = std::min(chunk, ids.size() - std::min(first, ids.size()));
    // First level, every id at once: the slot where its search starts (and,
    // for a position, the atasan hint beside it).
    for (std::size_t i = 0; i < units; ++i) {
      unit_home[i] = unit_ids_.home(id_table::hash(unit_ids[i]));
      unit_ids_.prefetch_slot(unit_home[i]);
    }
    const std::size_t hinted = !hints || first >= atasan_of_first ? 0 : std::min(n, atasan_of_first - first);
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t h = id_table::hash(ids[first + i]);
      if (hash_out) hashes[first + i] = h;
      if (!any_positions) continue;
      home[i] = position_ids_.home(h);
      position_ids_.prefetch_slot(home[i]);
      if (i < hinted) __builtin_prefetch(&position_slot_atasan_[home[i]]);
    }
    // Second level: the records those name (an item usually sits in its
    // home slot), their loads independent of one another.
    for (std::size_t i = 0; i < units; ++i) {
      if (const index u = unit_ids_.item_at(unit_home[i]); u < units_.size()) __builtin_prefetch(&units_[u]);
    }
    for (std::size_t i = 0; any_positions && i < n; ++i) {
      prefetch_record(position_ids_.item_at(home[i]));
      if (i < hinted) prefetch_record(position_slot_atasan_[home[i]]);
    }
    units = 0;
  }
}

index org_graph::find_unit(std::string_view id) const {
  return unit_ids_.find(id, [this](index k) { return units_[k].id; });
}

index org_graph::find_team(std::string_view id) const {
  return team_ids_.find(id, [this](index k) { return teams_[k].id; });
}

namespace {
constexpr std::size_t arena_block = std::size_t{16} << 20;
}  // namespace

std::string_view string_arena::add(std::string_view s) {
  if (s.empty()) return {};
  if (s.size() > left_) {
    if (s.size() > arena_block / 4) {  // a long string gets a block of its own
      auto block = std::make_unique<char[]>(s.size());
      std::memcpy(block.get(), s.data(), s.size());
      blocks_.push_back(std::move(block));
      total_ += s.size();
      return {blocks_.back().get(), s.size()};
    }
    blocks_.push_back(std::make_unique_for_overwrite<char[]>(arena_block));
    cursor_ = blocks_.back().get();
    prefer_huge_pages(cursor_, arena_block);
    left_ = arena_block;
  }
  std::memcpy(cursor_, s.data(), s.size());
  const std::string_view out(cursor_, s.size());
  cursor_ += s.size();
  left_ -= s.size();
  total_ += s.size();
  return out;
}

bool org_graph::unit_contains(index a, index b) const {
  if (a >= units_.size() || b >= units_.size()) return false;
  return units_[a].pre <= units_[b].pre && units_[b].pre <= units_[a].post;
}

bool org_graph::superior_of(index a, index b) const {
  if (a >= positions_.size() || b >= positions_.size()) return false;
  return positions_[a].pre <= positions_[b].pre && positions_[b].pre <= positions_[a].post;
}

index org_graph::common_unit(index a, index b) const {
  if (a >= units_.size() || b >= units_.size()) return none;
  while (a != b) {
    if (a == none || b == none) return none;  // different trees
    const std::uint32_t da = units_[a].depth, db = units_[b].depth;
    if (da >= db) a = units_[a].parent;
    if (db >= da) b = units_[b].parent;
  }
  return a;
}

std::vector<index> org_graph::atasan_chain(index p) const {
  std::vector<index> chain;
  if (p >= positions_.size()) return chain;
  chain.reserve(positions_[p].depth + 1);
  for (; p != none; p = positions_[p].atasan) chain.push_back(p);
  return chain;
}

std::vector<index> org_graph::unit_chain(index u) const {
  std::vector<index> chain;
  if (u >= units_.size()) return chain;
  chain.reserve(units_[u].depth + 1);
  for (; u != none; u = units_[u].parent) chain.push_back(u);
  return chain;
}

std::pair<const index*, const index*> org_graph::positions_under(index u) const {
  if (u >= units_.size()) return {nullptr, nullptr};
  const index* base = positions_by_unit_pre_.data();
  const std::uint32_t pre = units_[u].pre;
  return {base + unit_first_pos_[pre], base + unit_last_pos_[pre]};
}

bool org_graph::has_delegation(index p, code authority) const {
  if (p >= positions_.size()) return false;
  for (std::uint32_t k = delegation_first_[p]; k < delegation_first_[p + 1]; ++k) {
    if (delegations_[delegation_list_[k]].authority == authority) return true;
  }
  return false;
}

std::span<const index> org_graph::delegations_to(index p) const {
  // The flag is in the record a caller has just read: most positions then
  // cost no read of the delegation index.
  if (p >= positions_.size() || !positions_[p].receives_delegation) return {};
  return {delegation_list_.data() + delegation_first_[p], delegation_first_[p + 1] - delegation_first_[p]};
}

index org_graph::unit_of_kind(index instansi_index, code k) const {
  const auto it = unit_of_kind_.find(kind_key(instansi_index, k));
  return it == unit_of_kind_.end() ? none : it->second;
}

std::vector<index> org_graph::teams_of(index p) const {
  if (p >= positions_.size()) return {};
  return {team_list_.begin() + team_first_[p], team_list_.begin() + team_first_[p + 1]};
}

index org_graph::employee_of(index p) const {
  return p < employee_by_position_.size() ? employee_by_position_[p] : none;
}

lazy_json& lazy_json::operator=(const lazy_json& other) {
  if (this == &other) return *this;
  if (other.parsed_.load(std::memory_order_acquire)) {
    *this = other.value_;
  } else {
    defer(other.text_);
  }
  return *this;
}

lazy_json& lazy_json::operator=(nlohmann::json value) {
  value_ = std::move(value);
  text_ = {};
  parsed_.store(true, std::memory_order_release);
  return *this;
}

void lazy_json::defer(std::string_view text) {
  text_ = text;
  value_ = nullptr;
  parsed_.store(false, std::memory_order_release);
}

void lazy_json::parse() const {
  static std::mutex parsing;  // once per value, so one lock for all is enough
  const std::lock_guard<std::mutex> hold(parsing);
  if (parsed_.load(std::memory_order_relaxed)) return;
  value_ = nlohmann::json::parse(text_.begin(), text_.end(), nullptr, false);
  if (value_.is_discarded()) value_ = nullptr;  // cannot happen: the text was checked when loaded
  parsed_.store(true, std::memory_order_release);
}

}  // namespace perwal::org
