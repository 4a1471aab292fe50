// Reading JSON that comes from outside (org files, queries, HTTP bodies,
// snapshot metadata): nesting is bounded before any tree is built, because
// copying, printing or destroying a tree recurses once per level and a
// hostile document of 100k levels would exhaust the stack. Numbers out of
// range and invalid UTF-8 are ordinary input errors, never exceptions that
// escape, and no message echoes bytes that are not valid UTF-8.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace perwal::json_input {

// Deeper than any document perwal defines (an org needs about 6 levels, a
// query or a team's free-form field a few more).
inline constexpr std::size_t max_depth = 64;

struct failure {
  std::size_t byte = 0;  // where the reader stopped (0-based)
  std::string message;   // English, valid UTF-8, without a location
  bool too_deep = false;
  bool located = true;  // false: `byte` means nothing (a number out of range)
  bool duplicate = false;
  std::string key;  // the duplicate key, quoted as JSON
};

// A key written twice in one object (RFC 8259 leaves the meaning open; a
// reader that keeps the last would lose data silently): where the second is.
struct duplicate_key {
  std::size_t byte = 0;
  std::string key;
};
std::optional<duplicate_key> duplicate_key_at(std::string_view text);

// The byte offset of the bracket that opens level max_depth + 1, if any
// (strings and escapes are skipped; the text need not be valid JSON).
std::optional<std::size_t> too_deep_at(std::string_view text, std::size_t max_depth = json_input::max_depth);

// The document, or why it is not one. Never throws.
std::optional<nlohmann::json> parse(std::string_view text, failure& why, std::size_t max_depth = json_input::max_depth);

// 1-based line and column of a byte offset.
struct line_column {
  std::size_t line = 1, column = 1;
};
line_column locate(std::string_view text, std::size_t byte);

// Whether text is well-formed UTF-8.
bool is_valid_utf8(std::string_view text);
// text with every byte that is not part of valid UTF-8 replaced by U+FFFD.
std::string valid_utf8(std::string_view text);

// A JSON value as text that never throws on invalid UTF-8 (replaced).
std::string dump(const nlohmann::json& value, int indent = -1);

}  // namespace perwal::json_input
