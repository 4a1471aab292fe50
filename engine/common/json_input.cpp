#include "engine/common/json_input.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

namespace perwal::json_input {

std::optional<std::size_t> too_deep_at(std::string_view text, std::size_t limit) {
  std::size_t depth = 0;
  bool in_string = false, escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

namespace {

// A key as written, its escapes decoded only when it has any.
std::string decoded_key(std::string_view quoted) {
  if (quoted.find('\\') == std::string_view::npos) return std::string(quoted.substr(1, quoted.size() - 2));
  try {
    return nlohmann::json::parse(quoted).get<std::string>();
  } catch (const nlohmann::json::exception&) {
    return std::string(quoted);  // malformed: the parser reports it
  }
}

}  // namespace

std::optional<duplicate_key> duplicate_key_at(std::string_view text) {
  // One frame per open container: whether it is an object, whether a key is
  // expected next, and where its keys start in `keys` (the keys of the open
  // objects as written, quoted: no copies; escapes decoded only to compare).
  struct frame {
    bool object = false;
    bool expect_key = false;
    std::size_t first_key = 0;
  };
  std::vector<frame> open;
  std::vector<std::string_view> keys;
  const auto same = [](std::string_view a, std::string_view b) {
    if (a.find('\\') == std::string_view::npos && b.find('\\') == std::string_view::npos) return a == b;
    return decoded_key(a) == decoded_key(b);
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      const std::size_t start = i;
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\') ++i;
      }
      if (i >= text.size()) return std::nullopt;  // unterminated: the parser reports it
      if (!open.empty() && open.back().object && open.back().expect_key) {
        frame& f = open.back();
        f.expect_key = false;
        const auto key = text.substr(start, i + 1 - start);
        for (std::size_t k = f.first_key; k < keys.size(); ++k) {
          if (same(keys[k], key)) return duplicate_key{start, decoded_key(key)};
        }
        keys.push_back(key);
      }
    } else if (c == '{' || c == '[') {
      open.push_back({c == '{', c == '{', keys.size()});
    } else if ((c == '}' || c == ']') && !open.empty()) {
      keys.resize(open.back().first_key);
      open.pop_back();
    } else if (c == ',' && !open.empty() && open.back().object) {
      open.back().expect_key = true;
    }
  }
  return std::nullopt;
}

std::optional<nlohmann::json> parse(std::string_view text, failure& why, std::size_t limit) {
  if (auto at = too_deep_at(text, limit)) {
    why = failure{};
    why.byte = *at;
    why.message = "JSON nested deeper than " + std::to_string(limit) + " levels";
    why.too_deep = true;
    return std::nullopt;
  }
  try {
    auto doc = nlohmann::json::parse(text.begin(), text.end());
    if (auto dup = duplicate_key_at(text)) {  // exact now that the text is known to be JSON
      const std::string quoted = dump(nlohmann::json(dup->key));
      why = failure{};
      why.byte = dup->byte;
      why.message = "duplicate key " + quoted + " (a key may appear once in an object)";
      why.duplicate = true;
      why.key = quoted;
      return std::nullopt;
    }
    return doc;
  } catch (const nlohmann::json::parse_error& e) {
    why = failure{};
    why.byte = e.byte > 0 ? e.byte - 1 : 0;
    why.message = valid_utf8(e.what());
  } catch (const nlohmann::json::exception& e) {  // e.g. 1e999: out of range
    why = failure{};
    why.message = valid_utf8(e.what());
    why.located = false;
  }
  return std::nullopt;
}

line_column locate(std::string_view text, std::size_t byte) {
  line_column at;
  for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++at.line;
      at.column = 1;
    } else {
      ++at.column;
    }
  }
  return at;
}

namespace {

// Length of the well-formed UTF-8 sequence at s[i] (no overlongs, no
// surrogates, nothing above U+10FFFF), or 0.
std::size_t sequence_at(const unsigned char* s, std::size_t n, std::size_t i) {
  const unsigned char c = s[i];
  std::size_t len = 0;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF)
    len = 2;
  else if (c >= 0xE0 && c <= 0xEF)
    len = 3;
  else if (c >= 0xF0 && c <= 0xF4)
    len = 4;
  if (len == 0 || i + len > n) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    if ((s[i + k] & 0xC0) != 0x80) return 0;
  }
  if (len == 3 && ((c == 0xE0 && s[i + 1] < 0xA0) || (c == 0xED && s[i + 1] >= 0xA0))) return 0;
  if (len == 4 && ((c == 0xF0 && s[i + 1] < 0x90) || (c == 0xF4 && s[i + 1] >= 0x90))) return 0;
  return len;
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  // ASCII 16 bytes at a time (a snapshot's string table is ~0.45 GB, almost
  // all ASCII); a byte with its high bit set is checked as a sequence.
  constexpr std::uint64_t highs = 0x8080808080808080ULL;
  for (std::size_t i = 0; i < n;) {
    if (n - i >= 16) {
      std::uint64_t a = 0, b = 0;
      std::memcpy(&a, s + i, 8);
      std::memcpy(&b, s + i + 8, 8);
      if (((a | b) & highs) == 0) {
        i += 16;
        continue;
      }
    }
    if (s[i] < 0x80) {
      ++i;
      continue;
    }
    const std::size_t len = sequence_at(s, n, i);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t len = sequence_at(s, text.size(), i);
    if (len == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(text.substr(i, len));
      i += len;
    }
  }
  return out;
}

std::string dump(const nlohmann::json& value, int indent) {
  return value.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace perwal::json_input
