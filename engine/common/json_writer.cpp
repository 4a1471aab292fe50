#include "engine/common/json_writer.hpp"

#include <cstring>
#include <nlohmann/json.hpp>

#include "engine/common/json_input.hpp"

namespace perwal::json_out {

namespace {

// Whether any of the 8 bytes at `p` is a control character, '"' or '\\'
// (bytes of multi-byte UTF-8 characters are all >= 0x80: never).
bool needs_escape(const char* p) {
  constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  std::uint64_t x = 0;
  std::memcpy(&x, p, 8);
  const auto zero_byte = [&](std::uint64_t v) { return (v - ones) & ~v & highs; };
  const std::uint64_t below_space = (x - ones * 0x20) & ~x & highs;  // some byte < 0x20
  return (below_space | zero_byte(x ^ (ones * '"')) | zero_byte(x ^ (ones * '\\'))) != 0;
}

}  // namespace

void append_string(std::string& out, std::string_view s) {
  if (!json_input::is_valid_utf8(s)) {
    // Rare (ids and texts are checked at load): nlohmann's own replacement rules.
    out += nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return;
  }
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  std::size_t plain = 0;  // start of the run not yet copied
  for (std::size_t i = 0; i < s.size(); ++i) {
    // Eight bytes at a time while none needs escaping (most text needs none).
    while (s.size() - i >= 8 && !needs_escape(s.data() + i)) i += 8;
    if (i == s.size()) break;
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += "\\u00";
        out += hex[c >> 4];
        out += hex[c & 0xF];
    }
  }
  out.append(s.data() + plain, s.size() - plain);
  out += '"';
}

}  // namespace perwal::json_out
