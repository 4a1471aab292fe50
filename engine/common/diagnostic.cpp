#include "engine/common/diagnostic.hpp"

#include <algorithm>
#include <string_view>

namespace perwal {

std::string source_range::where() const {
  std::string out = file ? file->name : std::string("<input>");
  if (begin.line > 0) out += ":" + std::to_string(begin.line) + ":" + std::to_string(begin.column);
  return out;
}

void diagnostics::error(const source_range& r, std::string message, std::vector<std::string> notes) {
  items_.push_back({severity::error, std::move(message), r, std::move(notes)});
}

void diagnostics::warning(const source_range& r, std::string message, std::vector<std::string> notes) {
  items_.push_back({severity::warning, std::move(message), r, std::move(notes)});
}

bool diagnostics::has_errors() const {
  return error_count() > 0;
}

std::size_t diagnostics::error_count() const {
  return static_cast<std::size_t>(
      std::count_if(items_.begin(), items_.end(), [](const diagnostic& d) { return d.level == severity::error; }));
}

std::vector<diagnostic> diagnostics::sorted() const {
  auto out = items_;
  std::stable_sort(out.begin(), out.end(), [](const diagnostic& a, const diagnostic& b) {
    const std::string fa = a.range.file ? a.range.file->name : "";
    const std::string fb = b.range.file ? b.range.file->name : "";
    if (fa != fb) return fa < fb;
    if (a.range.begin.byte != b.range.begin.byte) return a.range.begin.byte < b.range.begin.byte;
    return a.level < b.level;
  });
  return out;
}

void diagnostics::append(const diagnostics& other) {
  items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

namespace {
std::string_view line_at(const source_file& f, std::uint32_t byte) {
  const std::string_view text = f.text;
  if (byte > text.size()) byte = static_cast<std::uint32_t>(text.size());
  std::size_t start = text.rfind('\n', byte == 0 ? 0 : byte - 1);
  start = (start == std::string_view::npos || byte == 0) ? 0 : start + 1;
  if (byte > 0 && byte <= text.size() && text[byte - 1] == '\n') start = byte;
  std::size_t end = text.find('\n', start);
  if (end == std::string_view::npos) end = text.size();
  return text.substr(start, end - start);
}
}  // namespace

std::string render(const diagnostic& d) {
  std::string out = d.range.where();
  out += d.level == severity::error ? ": error: " : d.level == severity::warning ? ": warning: " : ": note: ";
  out += d.message;
  out += '\n';
  if (d.range.file && d.range.begin.line > 0) {
    const auto line = line_at(*d.range.file, d.range.begin.byte);
    out += "  ";
    out += line;
    out += "\n  ";
    for (std::uint32_t i = 1; i < d.range.begin.column && i <= line.size(); ++i)
      out += line[i - 1] == '\t' ? '\t' : ' ';
    out += "^\n";
  }
  for (const auto& n : d.notes) out += "  note: " + n + "\n";
  return out;
}

std::string render(const diagnostics& ds) {
  std::string out;
  for (const auto& d : ds.sorted()) out += render(d);
  return out;
}

}  // namespace perwal
