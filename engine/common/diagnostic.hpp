// Diagnostics as values: severity, message, source range, notes. Collected
// in a sorted list so output order is stable; rendered as
// `file:line:column: error: message`, the source line and a caret.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

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

enum class severity : std::uint8_t { error, warning, note };

struct diagnostic {
  severity level = severity::error;
  std::string message;
  source_range range;
  std::vector<std::string> notes;
};

class diagnostics {
 public:
  void error(const source_range& r, std::string message, std::vector<std::string> notes = {});
  void warning(const source_range& r, std::string message, std::vector<std::string> notes = {});
  [[nodiscard]] bool has_errors() const;
  [[nodiscard]] std::size_t error_count() const;
  [[nodiscard]] const std::vector<diagnostic>& items() const { return items_; }
  // Sorted by file, position, then severity; stable for equal keys.
  [[nodiscard]] std::vector<diagnostic> sorted() const;
  void append(const diagnostics& other);

 private:
  std::vector<diagnostic> items_;
};

// "file:3:14: error: message\n  <line>\n  ^\n" for a terminal.
[[nodiscard]] std::string render(const diagnostic& d);
[[nodiscard]] std::string render(const diagnostics& ds);

}  // namespace perwal
