#include "engine/common/diagnostic.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_map>

namespace perwal {

std::string source_range::where() const {
  std::string out = file ? file->name : std::string("<input>");
  if (begin.line > 0) out += ":" + std::to_string(begin.line) + ":" + std::to_string(begin.column);
  return out;
}

location location::json(std::string path, std::shared_ptr<const source_file> file) {
  location l;
  l.json_path = std::move(path);
  l.range.file = std::move(file);
  return l;
}

std::string diagnostic::line(language l) const {
  return at.empty() ? message_text(l) : at.where() + ": " + message_text(l);
}

std::string diagnostic::path_line(language l) const {
  return at.json_path.empty() ? line(l) : at.json_path + ": " + message_text(l);
}

location location::file(std::string name) {
  return location(source_range{std::make_shared<const source_file>(source_file{std::move(name), ""}), {}, {}});
}

std::string location::where() const {
  if (json_path.empty()) return range.where();
  return range.file ? range.file->name + ": " + json_path : json_path;
}

const message_entry* find_message(std::string_view id) {
  // Built once (thread-safe static): rendering a decision looks up a few entries per finding.
  static const auto by_id = [] {
    std::unordered_map<std::string_view, const message_entry*> m;
    for (const auto& e : message_catalogue()) m.emplace(e.id, &e);
    return m;
  }();
  const auto it = by_id.find(id);
  return it == by_id.end() ? nullptr : it->second;
}

std::string render_named(std::string_view id, language l,
                         std::initializer_list<std::pair<std::string_view, std::string_view>> args) {
  const auto* e = find_message(id);
  if (!e) return std::string(id);  // visible, never lost (a test checks every id exists)
  const std::string_view text = l == language::id && !e->id_text.empty() ? e->id_text : e->en;
  std::string out;
  out.reserve(text.size() + 32);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{') {
      const auto close = text.find('}', i);
      if (close != std::string_view::npos) {
        const auto name = text.substr(i + 1, close - i - 1);
        const auto arg = std::find_if(args.begin(), args.end(), [&](const auto& a) { return a.first == name; });
        if (arg != args.end()) {
          out += arg->second;
          i = close;
          continue;
        }
      }
    }
    out += text[i];
  }
  return out;
}

bool is_known_code(std::string_view code) {
  const auto all = message_catalogue();
  return !code.empty() && std::any_of(all.begin(), all.end(), [&](const message_entry& e) { return e.code == code; });
}

bool is_warning_code(std::string_view code) {
  const auto all = message_catalogue();
  return !code.empty() && std::any_of(all.begin(), all.end(), [&](const message_entry& e) {
    return e.code == code && e.level == severity::warning;
  });
}

std::string render_message(const message& m, language l, const location& at) {
  const auto* e = find_message(m.id);
  // An id missing from the catalogue shows itself and its arguments: visible, never lost.
  if (!e) {
    std::string out = m.id;
    for (const auto& a : m.args) out += " " + a;
    return out;
  }
  const std::string_view text = l == language::id && !e->id_text.empty() ? e->id_text : e->en;
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{') {
      const auto close = text.find('}', i);
      if (close != std::string_view::npos) {
        const auto key = text.substr(i + 1, close - i - 1);
        if (key == "at") {
          out += at.where();
          i = close;
          continue;
        }
        if (!key.empty() && key.size() <= 2 &&
            std::all_of(key.begin(), key.end(), [](char c) { return c >= '0' && c <= '9'; })) {
          const auto n = static_cast<std::size_t>(std::stoul(std::string(key)));
          if (n < m.args.size()) out += m.args[n];
          i = close;
          continue;
        }
      }
    }
    out += text[i];
  }
  return out;
}

std::string diagnostic::message_text(language l) const {
  return render_message(text, l, at);
}

std::string diagnostic::note_text(std::size_t i, language l) const {
  return render_message(notes.at(i).text, l, notes.at(i).at);
}

void diagnostics::report(location at, message m, std::vector<related> notes) {
  diagnostic d;
  const auto* e = find_message(m.id);
  d.level = e ? e->level : severity::error;
  d.code = e ? std::string(e->code) : std::string();
  d.text = std::move(m);
  d.at = std::move(at);
  d.notes = std::move(notes);
  items_.push_back(std::move(d));
}

void diagnostics::error(const source_range& r, message m, std::vector<related> notes) {
  report(r, std::move(m), std::move(notes));
  items_.back().level = severity::error;
}

void diagnostics::warning(const source_range& r, message m, std::vector<related> notes) {
  report(r, std::move(m), std::move(notes));
  items_.back().level = severity::warning;
}

bool diagnostics::has_errors() const {
  return error_count() > 0;
}

std::size_t diagnostics::error_count() const {
  return static_cast<std::size_t>(
      std::count_if(items_.begin(), items_.end(), [](const diagnostic& d) { return d.level == severity::error; }));
}

std::size_t diagnostics::warning_count() const {
  return static_cast<std::size_t>(
      std::count_if(items_.begin(), items_.end(), [](const diagnostic& d) { return d.level == severity::warning; }));
}

std::vector<diagnostic> diagnostics::sorted() const {
  auto out = items_;
  std::stable_sort(out.begin(), out.end(), [](const diagnostic& a, const diagnostic& b) {
    const std::string fa = a.at.range.file ? a.at.range.file->name : "";
    const std::string fb = b.at.range.file ? b.at.range.file->name : "";
    if (fa != fb) return fa < fb;
    if (a.at.range.begin.byte != b.at.range.begin.byte) return a.at.range.begin.byte < b.at.range.begin.byte;
    return a.level < b.level;
  });
  return out;
}

void diagnostics::append(const diagnostics& other) {
  items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

std::size_t diagnostics::suppress(const std::set<std::string, std::less<>>& codes) {
  const auto before = items_.size();
  std::erase_if(items_, [&](const diagnostic& d) { return d.level == severity::warning && codes.count(d.code) > 0; });
  return before - items_.size();
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

std::string_view level_word(severity s, language l) {
  if (l == language::id) return s == severity::error ? "galat" : s == severity::warning ? "peringatan" : "catatan";
  return s == severity::error ? "error" : s == severity::warning ? "warning" : "note";
}
}  // namespace

std::string render(const diagnostic& d, const render_options& o) {
  std::string out = d.at.where();
  out += ": ";
  out += level_word(d.level, o.lang);
  if (o.codes && !d.code.empty()) out += "[" + d.code + "]";
  out += ": ";
  out += d.message_text(o.lang);
  out += '\n';
  const auto& r = d.at.range;
  if (d.at.json_path.empty() && r.file && r.begin.line > 0) {
    const auto line = line_at(*r.file, r.begin.byte);
    out += "  ";
    out += line;
    out += "\n  ";
    for (std::uint32_t i = 1; i < r.begin.column && i <= line.size(); ++i) out += line[i - 1] == '\t' ? '\t' : ' ';
    out += "^\n";
  }
  for (std::size_t i = 0; i < d.notes.size(); ++i) {
    out += "  ";
    out += level_word(severity::note, o.lang);
    out += ": " + d.note_text(i, o.lang) + "\n";
  }
  return out;
}

std::string render(const diagnostics& ds, const render_options& o) {
  std::string out;
  for (const auto& d : ds.sorted()) out += render(d, o);
  return out;
}

}  // namespace perwal
