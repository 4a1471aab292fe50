// Who may call what: bearer tokens with scopes. A token file lists one token
// per line as the SHA-256 of the token (never the token itself) and its
// scopes; the admin token (--admin-token-file or PERWAL_ADMIN_TOKEN) holds
// every scope. Presented tokens are hashed and compared in constant time.
//   # scopes            sha256 of the token                                   name
//   write-org,read-log  2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae  bkpsdm
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/digest.hpp"

namespace perwal::server {

// A bit each. `check`: POST /v1/check and /v1/audit when checks need a token;
// `read_log`: the decision log; `write_org`: uploading orgs; `admin`: reload.
enum class scope : std::uint8_t { check = 1, read_log = 2, write_org = 4, admin = 8 };
inline constexpr unsigned all_scopes = 15;
[[nodiscard]] std::string_view scope_name(scope s);

class token_table {
 public:
  // Reads a token file; nullopt with "file:line: reason" in `error`.
  [[nodiscard]] static std::optional<token_table> read(const std::string& path, std::string& error);
  void set_admin(std::string token) { admin_ = std::move(token); }
  [[nodiscard]] bool has_admin() const { return !admin_.empty(); }
  // Whether any token holds `s` (a route nobody may call is disabled).
  [[nodiscard]] bool grants(scope s) const;
  // The scopes of a presented token (0: not a token of this server).
  [[nodiscard]] unsigned scopes_of(std::string_view token) const;

 private:
  struct entry {
    std::array<unsigned char, 32> hash{};
    unsigned scopes = 0;
    std::string name;
  };
  std::vector<entry> entries_;
  std::string admin_;
};

}  // namespace perwal::server
