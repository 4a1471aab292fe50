#include "engine/common/vocabulary.hpp"

#include <stdexcept>

namespace perwal {

namespace {
constexpr std::array<std::string_view, category_count> category_names = {
    "jenis",  "jenjang", "unit_kind", "position_kind", "scope",    "mode",
    "action", "content", "authority", "team_role",     "report_as"};
}  // namespace

std::string_view category_name(category c) {
  return category_names[static_cast<std::size_t>(c)];
}

std::optional<category> category_from_name(std::string_view name) {
  for (std::size_t i = 0; i < category_count; ++i) {
    if (category_names[i] == name) return static_cast<category>(i);
  }
  return std::nullopt;
}

code vocabulary::intern(std::string_view name) {
  auto it = ids_.find(std::string(name));
  if (it != ids_.end()) return it->second;
  // A code past no_code would wrap onto another name's.
  if (full()) throw std::length_error("vocabulary: more than 65,535 names");
  const auto id = static_cast<code>(names_.size());
  ids_.emplace(std::string(name), id);
  names_.emplace_back(name);
  labels_.emplace_back();
  for (auto& r : rank_) r.push_back(-1);
  return id;
}

bool vocabulary::add(category cat, std::string_view name, int rank, std::string label) {
  const code id = intern(name);
  auto& ranks = rank_[static_cast<std::size_t>(cat)];
  if (ranks[id] >= 0) return false;
  ranks[id] = rank;
  members_[static_cast<std::size_t>(cat)].push_back(id);
  if (rank > 0) ordered_[static_cast<std::size_t>(cat)] = true;
  if (!label.empty()) labels_[id] = std::move(label);
  return true;
}

std::optional<code> vocabulary::find(category cat, std::string_view name) const {
  // Up to 8 names: compared one by one, cheaper than hashing the name.
  if (const auto& members = members_[static_cast<std::size_t>(cat)]; members.size() <= 8) {
    for (const code c : members)
      if (names_[c] == name) return c;
    return std::nullopt;
  }
  auto id = find_any(name);
  if (id && contains(cat, *id)) return id;
  return std::nullopt;
}

std::optional<code> vocabulary::find_any(std::string_view name) const {
  auto it = ids_.find(name);
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

const std::string& vocabulary::label(code c) const {
  return labels_[c].empty() ? names_[c] : labels_[c];
}

int vocabulary::rank(category cat, code c) const {
  const auto& ranks = rank_[static_cast<std::size_t>(cat)];
  return c < ranks.size() ? ranks[c] : -1;
}

bool vocabulary::ordered(category cat) const {
  return ordered_[static_cast<std::size_t>(cat)];
}

std::vector<code> vocabulary::codes(category cat) const {
  std::vector<code> out;
  const auto& ranks = rank_[static_cast<std::size_t>(cat)];
  for (std::size_t i = 0; i < ranks.size(); ++i) {
    if (ranks[i] >= 0) out.push_back(static_cast<code>(i));
  }
  return out;
}

}  // namespace perwal
