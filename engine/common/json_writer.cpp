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

void put(std::string& out, char c) {
  out += c;
}
void put(std::string& out, std::string_view s) {
  out.append(s.data(), s.size());
}
void put(writer& out, char c) {
  out.put(c);
}
void put(writer& out, std::string_view s) {
  out.put(s);
}

// `s` quoted and escaped into `out` (a std::string or a writer): runs that
// need no escaping are copied whole.
template <class Out>
void write_string(Out& out, std::string_view s) {
  if (!json_input::is_valid_utf8(s)) {
    // Rare (ids and texts are checked at load): nlohmann's own replacement rules.
    put(out, nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    return;
  }
  static constexpr char hex[] = "0123456789abcdef";
  put(out, '"');
  std::size_t plain = 0;  // start of the run not yet copied
  for (std::size_t i = 0; i < s.size(); ++i) {
    // Eight bytes at a time while none needs escaping (most text needs none).
    while (s.size() - i >= 8 && !needs_escape(s.data() + i)) i += 8;
    if (i == s.size()) break;
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    put(out, s.substr(plain, i - plain));
    plain = i + 1;
    switch (c) {
      case '"':
        put(out, "\\\"");
        break;
      case '\\':
        put(out, "\\\\");
        break;
      case '\b':
        put(out, "\\b");
        break;
      case '\t':
        put(out, "\\t");
        break;
      case '\n':
        put(out, "\\n");
        break;
      case '\f':
        put(out, "\\f");
        break;
      case '\r':
        put(out, "\\r");
        break;
      default:
        put(out, "\\u00");
        put(out, hex[c >> 4]);
        put(out, hex[c & 0xF]);
    }
  }
  put(out, s.substr(plain));
  put(out, '"');
}

}  // namespace

void append_string(std::string& out, std::string_view s) {
  write_string(out, s);
}

void writer::string(std::string_view s) {
  write_string(*this, s);
}

}  // namespace perwal::json_out
