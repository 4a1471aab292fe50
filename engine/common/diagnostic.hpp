// Diagnostics as values, one type for every input the engine reads (ruleset
// text, org and query JSON): a severity, a stable code (docs/diagnostics.md),
// a location (a source range, or a JSON path), related locations (notes with
// their own place), and a message id with its arguments. The words are chosen
// at the edge, in English or Indonesian, from the catalogue (messages.cpp):
//   file:line:column: error: message
//     <the source line>
//     ^
//     note: …
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/common/lang.hpp"

namespace perwal {

// A source file kept alive by whatever refers into it.
struct source_file {
  std::string name;  // as given by the user (relative paths stay relative)
  std::string text;
};

struct source_pos {
  std::uint32_t byte = 0;
  std::uint32_t line = 0;    // 1-based; 0 = unknown
  std::uint32_t column = 0;  // 1-based
};

struct source_range {
  std::shared_ptr<const source_file> file;
  source_pos begin, end;
  [[nodiscard]] std::string where() const;  // "file:line:column"
};

// Where a diagnostic points: a range of a source text or, for a JSON input,
// a path inside the document ("units[3].parent"); range.file then names the
// file, if any.
struct location {
  source_range range;
  std::string json_path;
  location() = default;
  location(source_range r) : range(std::move(r)) {}  // NOLINT: a range is a location
  [[nodiscard]] static location json(std::string path, std::shared_ptr<const source_file> file = nullptr);
  // A whole file (no line): "file".
  [[nodiscard]] static location file(std::string name);
  [[nodiscard]] bool empty() const { return !range.file && range.begin.line == 0 && json_path.empty(); }
  // "file:line:column", "file: path" or "path".
  [[nodiscard]] std::string where() const;
};

enum class severity : std::uint8_t { error, warning, note };
// The language a message is rendered in (the one type for the whole project).
using language = lang;

// A message of the catalogue and its arguments ({0}, {1}, … in its texts).
struct message {
  std::string id;
  std::vector<std::string> args;
};

template <class... Args>
[[nodiscard]] message msg(std::string id, Args&&... args) {
  return message{std::move(id), {std::string(std::forward<Args>(args))...}};
}

// A note, with its own place when it has one ({at} in its text).
struct related {
  location at;
  message text;
};

[[nodiscard]] inline related note(message m, location at = {}) {
  return related{std::move(at), std::move(m)};
}

struct diagnostic {
  severity level = severity::error;
  std::string code;  // "E021", "W012": stable, for --allow and `allow`
  message text;
  location at;
  std::vector<related> notes;

  [[nodiscard]] std::string message_text(language l = language::en) const;
  [[nodiscard]] std::string note_text(std::size_t i, language l = language::en) const;
  // "where: message" on one line, no severity, no notes (an org's or a
  // query's errors are listed like this: "org.json: units[3].parent: no unit \"x\"").
  [[nodiscard]] std::string line(language l = language::en) const;
  // The same without the file when the place is a JSON path inside it
  // ("units[3].parent: no unit \"x\""), for a caller that names the file itself.
  [[nodiscard]] std::string path_line(language l = language::en) const;
};

// ---- the catalogue ---------------------------------------------------------
struct message_entry {
  std::string_view id;
  std::string_view code;  // empty for notes
  severity level;
  std::string_view en, id_text;  // English, Indonesian
};
[[nodiscard]] std::span<const message_entry> message_catalogue();
[[nodiscard]] const message_entry* find_message(std::string_view id);
// Whether `code` names a warning of the catalogue (what --allow and `allow` accept).
[[nodiscard]] bool is_warning_code(std::string_view code);
[[nodiscard]] bool is_known_code(std::string_view code);
// The message's text with its arguments; `at` fills {at}.
[[nodiscard]] std::string render_message(const message& m, language l, const location& at = {});
// An entry whose placeholders have names ({atasan}), filled from `args`: the
// sentences of decisions (engine/eval/messages.hpp).
[[nodiscard]] std::string render_named(std::string_view id, language l,
                                       std::initializer_list<std::pair<std::string_view, std::string_view>> args = {});

class diagnostics {
 public:
  // The code and severity come from the catalogue entry of `m.id`.
  void report(location at, message m, std::vector<related> notes = {});
  void error(const source_range& r, message m, std::vector<related> notes = {});
  void warning(const source_range& r, message m, std::vector<related> notes = {});
  [[nodiscard]] bool has_errors() const;
  [[nodiscard]] std::size_t error_count() const;
  [[nodiscard]] std::size_t warning_count() const;
  [[nodiscard]] const std::vector<diagnostic>& items() const { return items_; }
  [[nodiscard]] bool empty() const { return items_.empty(); }
  // Sorted by file, position, then severity; stable for equal keys.
  [[nodiscard]] std::vector<diagnostic> sorted() const;
  void append(const diagnostics& other);
  // Drops the warnings whose code is in `codes`; returns how many.
  std::size_t suppress(const std::set<std::string, std::less<>>& codes);

 private:
  std::vector<diagnostic> items_;
};

struct render_options {
  language lang = language::en;
  bool codes = false;  // "warning[W012]:" instead of "warning:"
};

// "file:3:14: error: message\n  <line>\n  ^\n  note: …\n" for a terminal.
[[nodiscard]] std::string render(const diagnostic& d, const render_options& o = {});
[[nodiscard]] std::string render(const diagnostics& ds, const render_options& o = {});

}  // namespace perwal
