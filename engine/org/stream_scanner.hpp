// Internal to engine/org: the tokenizer under the streaming reader
// (org_stream.cpp): JSON tokens of the text, strings decoded into a scratch
// buffer, code lookups cached. Header-only so the hot loop stays inline.
#pragma once

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/org/org.hpp"

namespace perwal::org::stream_detail {

// Thrown to abandon the streaming read; never escapes load_streaming.
struct give_up {};

[[noreturn]] inline void fail() {
  throw give_up{};
}

struct string_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// Code lookups by name, cached per category: vocabulary::find allocates a
// std::string per call, and the org names the same few dozen codes millions
// of times.
class code_cache {
 public:
  explicit code_cache(const vocabulary& vocab) : vocab_(vocab) {}
  [[nodiscard]] code get(category cat, std::string_view name) {
    auto& map = maps_[static_cast<std::size_t>(cat)];
    if (const auto it = map.find(name); it != map.end()) return it->second;
    const auto c = vocab_.find(cat, name);
    if (!c) fail();
    map.emplace(std::string(name), *c);
    return *c;
  }

 private:
  const vocabulary& vocab_;
  std::array<std::unordered_map<std::string, code, string_hash, std::equal_to<>>, category_count> maps_;
};

// Appends the UTF-8 encoding of code point `cp`.
inline void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// The JSON tokens of the text, strict RFC 8259 as nlohmann reads it.
class scanner {
 public:
  scanner(std::string_view text, std::function<void(const char*)> drop_before)
      : p_(text.data()), end_(text.data() + text.size()), drop_(std::move(drop_before)) {}

  void ws() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }
  [[nodiscard]] char peek() {
    ws();
    if (p_ == end_) fail();
    return *p_;
  }
  void expect(char c) {
    if (peek() != c) fail();
    ++p_;
  }
  // After an element: true for ',', false for `close`.
  [[nodiscard]] bool next(char close) {
    const char c = peek();
    ++p_;
    if (c == ',') return true;
    if (c != close) fail();
    return false;
  }
  [[nodiscard]] bool at_end() {
    ws();
    return p_ == end_;
  }
  // Consumes `null` if it comes next.
  [[nodiscard]] bool null() {
    if (peek() != 'n') return false;
    literal("null");
    return true;
  }
  [[nodiscard]] const char* position() const { return p_; }
  // Tells the owner of the text that nothing before here is needed again.
  void release() {
    if (drop_) drop_(p_);
  }

  // A string; the view lives until the next call (it may be the scratch
  // buffer when the string has escapes).
  [[nodiscard]] std::string_view string() {
    expect('"');
    const char* start = p_;
    skip_plain_words();
    while (p_ != end_) {
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        const std::string_view s(start, static_cast<std::size_t>(p_ - start));
        ++p_;
        return s;
      }
      if (c == '\\' || c >= 0x80 || c < 0x20) return slow_string(start);
      ++p_;
    }
    fail();
  }

  static constexpr std::size_t max_skip_depth = 16;

  // Any value, checked and skipped.
  void skip_value() {
    // Containers are tracked on an explicit stack: the depth is the input's.
    // The keys of each open object are kept: one written twice is refused
    // here as the reference loader refuses it.
    std::string open;
    std::array<std::vector<std::string>, max_skip_depth + 1> keys;
    const auto new_key = [&] {
      auto& seen = keys[open.size()];
      const std::string_view k = key();
      if (std::find(seen.begin(), seen.end(), k) != seen.end()) fail();
      seen.emplace_back(k);
    };
    do {
      const char c = peek();
      if (c == '{' || c == '[') {
        ++p_;
        if (peek() == (c == '{' ? '}' : ']')) {
          ++p_;
        } else {
          open += c;
          // Deep values are unusual: the reference loader decides (and
          // refuses beyond json_input::max_depth with the place).
          if (open.size() > max_skip_depth) fail();
          if (c == '{') {
            keys[open.size()].clear();
            new_key();
          }
          continue;
        }
      } else {
        scalar();
      }
      while (!open.empty()) {
        const bool obj = open.back() == '{';
        if (next(obj ? '}' : ']')) {
          if (obj) new_key();
          break;
        }
        open.pop_back();
      }
    } while (!open.empty());
  }

  // An object key and its colon.
  std::string_view key() {
    const std::string_view k = string();
    expect(':');
    return k;
  }

 private:
  void literal(std::string_view word) {
    if (static_cast<std::size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word) fail();
    p_ += word.size();
  }

  void scalar() {
    switch (peek()) {
      case '"':
        (void)string();
        return;
      case 't':
        literal("true");
        return;
      case 'f':
        literal("false");
        return;
      case 'n':
        literal("null");
        return;
      default:
        number();
    }
  }

  // Skips 8 bytes at a time while none of them ends the string or needs a
  // closer look (a quote, a backslash, a control character, non-ASCII).
  void skip_plain_words() {
    constexpr std::uint64_t ones = 0x0101010101010101ULL;
    constexpr std::uint64_t highs = 0x8080808080808080ULL;
    const auto has_zero = [](std::uint64_t v) { return (v - ones) & ~v & highs; };
    while (end_ - p_ >= 8) {
      std::uint64_t v = 0;
      std::memcpy(&v, p_, 8);
      const std::uint64_t special =
          has_zero(v ^ (ones * '"')) | has_zero(v ^ (ones * '\\')) | ((v - ones * 0x20) & ~v & highs) | (v & highs);
      if (special != 0) return;
      p_ += 8;
    }
  }

  [[nodiscard]] bool digit() const { return p_ != end_ && *p_ >= '0' && *p_ <= '9'; }

  // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? whose value is finite
  // (nlohmann rejects an overflowing number).
  void number() {
    const char* start = p_;
    if (*p_ == '-') ++p_;
    if (!digit()) fail();
    if (*p_ == '0') {
      ++p_;
    } else {
      while (digit()) ++p_;
    }
    bool simple = true;
    if (p_ != end_ && *p_ == '.') {
      ++p_;
      if (!digit()) fail();
      while (digit()) ++p_;
      simple = false;
    }
    if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
      ++p_;
      if (p_ != end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (!digit()) fail();
      while (digit()) ++p_;
      simple = false;
    }
    if (simple && p_ - start <= 300) return;
    double value = 0;
    const auto [ptr, ec] = std::from_chars(start, p_, value);
    if (ec != std::errc() || ptr != p_ || !std::isfinite(value)) fail();
  }

  [[nodiscard]] unsigned hex4() {
    if (end_ - p_ < 4) fail();
    unsigned v = 0;
    for (int k = 0; k < 4; ++k, ++p_) {
      const char c = *p_;
      v <<= 4;
      if (c >= '0' && c <= '9') {
        v |= static_cast<unsigned>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        v |= static_cast<unsigned>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        v |= static_cast<unsigned>(c - 'A' + 10);
      } else {
        fail();
      }
    }
    return v;
  }

  void escape() {
    if (p_ == end_) fail();
    const char c = *p_++;
    switch (c) {
      case '"':
        scratch_ += '"';
        return;
      case '\\':
        scratch_ += '\\';
        return;
      case '/':
        scratch_ += '/';
        return;
      case 'b':
        scratch_ += '\b';
        return;
      case 'f':
        scratch_ += '\f';
        return;
      case 'n':
        scratch_ += '\n';
        return;
      case 'r':
        scratch_ += '\r';
        return;
      case 't':
        scratch_ += '\t';
        return;
      case 'u':
        break;
      default:
        fail();
    }
    std::uint32_t cp = hex4();
    if (cp >= 0xDC00 && cp <= 0xDFFF) fail();
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') fail();
      p_ += 2;
      const std::uint32_t low = hex4();
      if (low < 0xDC00 || low > 0xDFFF) fail();
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    append_utf8(scratch_, cp);
  }

  [[nodiscard]] bool continuation(std::size_t k, unsigned char lo = 0x80, unsigned char hi = 0xBF) const {
    if (static_cast<std::size_t>(end_ - p_) <= k) return false;
    const auto c = static_cast<unsigned char>(p_[k]);
    return c >= lo && c <= hi;
  }

  // One well-formed UTF-8 sequence (RFC 3629), as nlohmann checks it.
  void utf8() {
    const auto c = static_cast<unsigned char>(*p_);
    std::size_t len = 0;
    bool ok = false;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2, ok = continuation(1);
    } else if (c == 0xE0) {
      len = 3, ok = continuation(1, 0xA0) && continuation(2);
    } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
      len = 3, ok = continuation(1) && continuation(2);
    } else if (c == 0xED) {
      len = 3, ok = continuation(1, 0x80, 0x9F) && continuation(2);
    } else if (c == 0xF0) {
      len = 4, ok = continuation(1, 0x90) && continuation(2) && continuation(3);
    } else if (c >= 0xF1 && c <= 0xF3) {
      len = 4, ok = continuation(1) && continuation(2) && continuation(3);
    } else if (c == 0xF4) {
      len = 4, ok = continuation(1, 0x80, 0x8F) && continuation(2) && continuation(3);
    }
    if (!ok) fail();
    scratch_.append(p_, len);
    p_ += len;
  }

  [[nodiscard]] std::string_view slow_string(const char* start) {
    scratch_.assign(start, p_);
    while (p_ != end_) {
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        ++p_;
        return scratch_;
      }
      if (c < 0x20) fail();
      if (c == '\\') {
        ++p_;
        escape();
      } else if (c >= 0x80) {
        utf8();
      } else {
        scratch_ += static_cast<char>(c);
        ++p_;
      }
    }
    fail();
  }

  const char* p_;
  const char* end_;
  std::function<void(const char*)> drop_;
  std::string scratch_;
};

}  // namespace perwal::org::stream_detail
