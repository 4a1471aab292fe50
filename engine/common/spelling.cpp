#include "engine/common/spelling.hpp"

#include <algorithm>
#include <numeric>

namespace perwal {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Rows i-2, i-1 and i of the table; a swap of two neighbouring letters
  // ("kabdi" for "kabid") counts as one edit, the commonest typo.
  std::vector<std::size_t> before(b.size() + 1), above(b.size() + 1), row(b.size() + 1);
  std::iota(row.begin(), row.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    before.swap(above);
    above.swap(row);
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      row[j] = std::min({above[j] + 1, row[j - 1] + 1, above[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) row[j] = std::min(row[j], before[j - 2] + 1);
    }
  }
  return row[b.size()];
}

namespace {

// The digits of a name, in order ("x.bid2.fp10" -> "210").
std::string digits_of(std::string_view s) {
  std::string out;
  for (const char c : s)
    if (c >= '0' && c <= '9') out += c;
  return out;
}

}  // namespace

nearest_finder::nearest_finder(std::string_view name, bool numbered)
    : name_(name), numbered_(numbered), best_distance_(std::clamp<std::size_t>((name.size() + 2) / 3, 1, 3) + 1) {}

void nearest_finder::consider(std::string_view c) {
  if (best_distance_ == 0) return;
  // Only a strictly nearer candidate replaces the best: `limit` edits at most.
  const std::size_t limit = best_distance_ - 1;
  const std::size_t n = name_.size();
  if ((c.size() > n ? c.size() - n : n - c.size()) > limit) return;
  // As edit_distance, rows i-2, i-1 and i.
  before_.assign(c.size() + 1, 0);
  above_.assign(c.size() + 1, 0);
  row_.resize(c.size() + 1);
  std::iota(row_.begin(), row_.end(), std::size_t{0});
  for (std::size_t i = 1; i <= n; ++i) {
    before_.swap(above_);
    above_.swap(row_);
    row_[0] = i;
    std::size_t lowest = i;
    for (std::size_t j = 1; j <= c.size(); ++j) {
      row_[j] = std::min({above_[j] + 1, row_[j - 1] + 1, above_[j - 1] + (name_[i - 1] == c[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && name_[i - 1] == c[j - 2] && name_[i - 2] == c[j - 1])
        row_[j] = std::min(row_[j], before_[j - 2] + 1);
      lowest = std::min(lowest, row_[j]);
    }
    // Every path through this row is too far already (a swap reaches back
    // two rows, so both must be).
    if (lowest > limit && *std::min_element(above_.begin(), above_.end()) > limit) return;
  }
  if (row_[c.size()] > limit || (numbered_ && digits_of(c) != digits_of(name_))) return;
  best_ = std::string(c);
  best_distance_ = row_[c.size()];
}

std::string nearest_name(std::string_view name, const std::vector<std::string>& candidates) {
  nearest_finder f(name);
  for (const auto& c : candidates) f.consider(c);
  return f.best();
}

}  // namespace perwal
