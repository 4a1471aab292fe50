#include "server/tokens.hpp"

#include <fstream>
#include <sstream>

#include "server/digest.hpp"

namespace perwal::server {

namespace {

constexpr std::array<std::pair<std::string_view, scope>, 4> scope_names = {
    {{"check", scope::check}, {"read-log", scope::read_log}, {"write-org", scope::write_org}, {"admin", scope::admin}}};

bool from_hex(std::string_view hex, std::array<unsigned char, 32>& out) {
  if (hex.size() != 64) return false;
  const auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < 32; ++i) {
    const int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<unsigned char>(hi * 16 + lo);
  }
  return true;
}

// Without an early exit: the time taken does not tell how much matched.
bool same(const unsigned char* a, const unsigned char* b, std::size_t n) {
  unsigned char diff = 0;
  for (std::size_t i = 0; i < n; ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace

std::string_view scope_name(scope s) {
  for (const auto& [name, value] : scope_names) {
    if (value == s) return name;
  }
  return "?";
}

std::optional<token_table> token_table::read(const std::string& path, std::string& error) {
  std::ifstream in(path);
  if (!in) {
    error = path + ": cannot read the token file";
    return std::nullopt;
  }
  token_table t;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    std::istringstream words(line);
    std::string scopes, digest, name;
    if (!(words >> scopes)) continue;  // blank or comment
    const std::string where = path + ":" + std::to_string(number) + ": ";
    entry e;
    std::getline(words >> digest >> std::ws, name);
    if (!from_hex(digest, e.hash)) {
      error = where + "expected SCOPES SHA256-OF-TOKEN [NAME] (the hash as 64 hex digits: printf %s TOKEN | sha256sum)";
      return std::nullopt;
    }
    std::istringstream list(scopes);
    for (std::string one; std::getline(list, one, ',');) {
      unsigned bit = 0;
      for (const auto& [known, value] : scope_names) {
        if (one == known) bit = static_cast<unsigned>(value);
      }
      if (bit == 0) {
        error = where + "unknown scope \"" + one + "\" (check, read-log, write-org or admin)";
        return std::nullopt;
      }
      e.scopes |= bit;
    }
    e.name = name;
    t.entries_.push_back(std::move(e));
  }
  return t;
}

bool token_table::grants(scope s) const {
  if (has_admin()) return true;
  for (const auto& e : entries_) {
    if ((e.scopes & static_cast<unsigned>(s)) != 0) return true;
  }
  return false;
}

unsigned token_table::scopes_of(std::string_view token) const {
  if (token.empty()) return 0;
  unsigned found = 0;
  if (has_admin() && token.size() == admin_.size() &&
      same(reinterpret_cast<const unsigned char*>(token.data()), reinterpret_cast<const unsigned char*>(admin_.data()),
           admin_.size())) {
    found = all_scopes;
  }
  const auto presented = sha256(token);
  for (const auto& e : entries_) {  // every entry compared, whichever matches
    if (same(presented.data(), e.hash.data(), e.hash.size())) found |= e.scopes;
  }
  return found;
}

}  // namespace perwal::server
