// SHA-256 (OpenSSL) for what must be tamper-evident: tokens, org and
// ruleset contents in the decision log, and the log's hash chain.
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace perwal::server {

[[nodiscard]] std::array<unsigned char, 32> sha256(std::string_view data);
// Lowercase hex.
[[nodiscard]] std::string sha256_hex(std::string_view data);

}  // namespace perwal::server
