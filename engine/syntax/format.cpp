#include "engine/syntax/format.hpp"

#include <algorithm>
#include <cstdint>

namespace perwal {

namespace {

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = text.find('\n', start);
    if (end == std::string_view::npos) {
      if (start < text.size()) out.emplace_back(text.substr(start));
      break;
    }
    out.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string trim(std::string s) {
  for (auto& c : s) {
    if (c == '\t') c = ' ';
  }
  if (!s.empty() && s.back() == '\r') s.pop_back();
  const auto first = s.find_first_not_of(' ');
  if (first == std::string::npos) return {};
  const auto last = s.find_last_not_of(' ');
  return s.substr(first, last - first + 1);
}

// The net change of nesting a line makes, outside strings and comments, and
// how many closers it starts with.
struct nesting {
  int delta = 0;
  int leading_closers = 0;
};

nesting nesting_of(const std::string& line) {
  nesting n;
  bool in_string = false, leading = true;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '#' || (c == '/' && i + 1 < line.size() && line[i + 1] == '/')) break;
    if (c == '"')
      in_string = true, leading = false;
    else if (c == '{' || c == '[')
      ++n.delta, leading = false;
    else if (c == '}' || c == ']') {
      --n.delta;
      if (leading) ++n.leading_closers;
    } else if (c != ' ')
      leading = false;
  }
  return n;
}

bool starts_with_word(const std::string& line, std::string_view word) {
  return line.size() > word.size() && line.compare(0, word.size(), word) == 0 && line[word.size()] == ' ';
}

// A line that continues the clause above it: one step deeper than its block.
bool continues(const std::string& line) {
  return starts_with_word(line, "en") || starts_with_word(line, "and") || starts_with_word(line, "or") ||
         starts_with_word(line, "quote");
}

// `define …` and `scope …` run until their `cite`, over several lines if need be.
bool opens_definition(const std::string& line) {
  return starts_with_word(line, "define") || starts_with_word(line, "scope") || line.rfind("override define ", 0) == 0;
}
bool has_cite(const std::string& line) {
  return starts_with_word(line, "cite") || line.find(" cite ") != std::string::npos;
}

}  // namespace

std::string format_ruleset(std::string_view text) {
  std::string out;
  int depth = 0;
  bool blank_pending = false;
  bool definition_open = false;  // inside a `define`/`scope` that has not reached its `cite`
  for (const auto& raw : lines_of(text)) {
    const std::string line = trim(raw);
    if (line.empty()) {
      blank_pending = !out.empty();
      continue;
    }
    if (blank_pending) out += "\n";
    blank_pending = false;
    const auto n = nesting_of(line);
    const bool opening = depth == 0 && opens_definition(line);
    const int indent =
        std::max(0, depth - n.leading_closers) + (continues(line) || (definition_open && !opening) ? 1 : 0);
    out += std::string(static_cast<std::size_t>(indent) * 2, ' ') + line + "\n";
    if (opening) definition_open = true;
    if (definition_open && line[0] != '#' && has_cite(line)) definition_open = false;
    depth = std::max(0, depth + n.delta);
  }
  return out;
}

std::string line_diff(std::string_view name, std::string_view before, std::string_view after) {
  const auto a = lines_of(before), b = lines_of(after);
  // Longest common subsequence of lines, then the edits around it.
  std::vector<std::vector<std::uint32_t>> lcs(a.size() + 1, std::vector<std::uint32_t>(b.size() + 1, 0));
  for (std::size_t i = a.size(); i-- > 0;) {
    for (std::size_t j = b.size(); j-- > 0;) {
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  std::string out = "--- " + std::string(name) + "\n+++ " + std::string(name) + " (formatted)\n";
  std::size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (i < a.size() && j < b.size() && a[i] == b[j]) {
      ++i, ++j;
    } else if (j < b.size() && (i == a.size() || lcs[i][j + 1] >= lcs[i + 1][j])) {
      out += std::to_string(i + 1) + ": +" + b[j] + "\n";
      ++j;
    } else {
      out += std::to_string(i + 1) + ": -" + a[i] + "\n";
      ++i;
    }
  }
  return out;
}

}  // namespace perwal
