// The code vocabulary shared by a compiled ruleset and the orgs compiled
// against it (docs/reference.md §1). Codes are interned once: a `code` is a small
// integer, equal names share one id even when they belong to several
// categories (`asisten` is both a unit kind and a position kind).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace perwal {

using code = std::uint16_t;
inline constexpr code no_code = 0xFFFF;

enum class category : std::uint8_t {
  jenis,          // rank class of a position, ordered
  jenjang,        // level of a functional position, ordered
  unit_kind,      // kind of unit (root, perangkat daerah, inner)
  position_kind,  // kind of position
  scope,          // the contract's four assignment scopes
  mode,           // penunjukan, pengajuan_sukarela
  action,         // workflow step actions
  content,        // letter contents codes
  authority,      // delegated authorities
  team_role,      // ketua, anggota
  report_as,      // individu, anggota_tim, ketua_tim, …
  count_
};
inline constexpr std::size_t category_count = static_cast<std::size_t>(category::count_);

[[nodiscard]] std::string_view category_name(category c);
[[nodiscard]] std::optional<category> category_from_name(std::string_view name);

class vocabulary {
 public:
  // Adds `name` to `cat` with a rank (higher is more senior; 0 when the
  // category is unordered). Returns false when it is already there. A new
  // name needs room: the caller asks full() first (the compiler says why).
  bool add(category cat, std::string_view name, int rank = 0, std::string label = {});

  [[nodiscard]] std::optional<code> find(category cat, std::string_view name) const;
  [[nodiscard]] std::optional<code> find_any(std::string_view name) const;
  // Inline: a snapshot's load asks it for every code of 13 million records.
  [[nodiscard]] bool contains(category cat, code c) const {
    const auto& ranks = rank_[static_cast<std::size_t>(cat)];
    return c < ranks.size() && ranks[c] >= 0;
  }
  [[nodiscard]] const std::string& name(code c) const { return names_[c]; }
  // Human label ("Kepala Bagian"); falls back to the code name.
  [[nodiscard]] const std::string& label(code c) const;
  // Rank within an ordered category; codes in one tier share a rank.
  [[nodiscard]] int rank(category cat, code c) const;
  [[nodiscard]] bool ordered(category cat) const;
  [[nodiscard]] std::vector<code> codes(category cat) const;
  [[nodiscard]] std::size_t size() const { return names_.size(); }
  // Every name a vocabulary can hold: codes are 16 bits and no_code is taken.
  static constexpr std::size_t capacity = no_code;
  [[nodiscard]] bool full() const { return names_.size() >= capacity; }

 private:
  code intern(std::string_view name);
  // Looked up by string_view without building a std::string (heterogeneous lookup).
  struct name_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, code, name_hash, std::equal_to<>> ids_;
  std::vector<std::string> names_;
  std::vector<std::string> labels_;
  // membership and rank per category, indexed by code (-1 = not a member)
  std::array<std::vector<int>, category_count> rank_;
  // each category's codes, in the order added: a small category is searched
  // by comparing its few names (a query's `as`, `mode`, a step's `action`)
  std::array<std::vector<code>, category_count> members_;
  std::array<bool, category_count> ordered_{};
};

}  // namespace perwal
