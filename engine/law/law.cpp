#include "engine/law/law.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <regex>

#include "engine/common/spelling.hpp"

namespace perwal::law {
namespace {

// How an item's number is printed; each style is one level of a list, and a
// level is known by its style (the first style met opens a level below).
enum class style {
  pasal,
  lampiran,
  paren_num,
  roman,
  upper,
  num,
  lower,
  lower_roman,
  num_paren,
  lower_paren,
  paren_lower
};

struct marker {
  style how;
  std::string value;  // as cited: "(1)", "I", "A", "1", "a", "1)", "a)", "(a)"
  std::string rest;   // the line after the marker
};

std::string key_of(style s) {
  switch (s) {
    case style::pasal:
      return "pasal";
    case style::lampiran:
      return "lampiran";
    case style::paren_num:
      return "ayat";
    case style::roman:
    case style::num:
    case style::num_paren:
      return "angka";
    case style::lower_roman:
      return "butir";
    default:
      return "huruf";
  }
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string trim(std::string_view s) {
  const auto* ws = " \t\r\f\v";
  const auto b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  return std::string(s.substr(b, s.find_last_not_of(ws) - b + 1));
}

// A line without the list bullets the extraction put in front ("- ", "* ").
std::string unbullet(std::string_view line) {
  auto s = trim(line);
  while (s.size() >= 2 && (s[0] == '-' || s[0] == '*') && (s[1] == ' ' || s[1] == '\t')) s = trim(s.substr(2));
  while (!s.empty() && s[0] == '_') s = trim(s.substr(1));  // "__Pasal 10": an underline the OCR kept
  if (s.size() == 1 && (s[0] == '-' || s[0] == '*')) s.clear();
  return s;
}

int roman_value(std::string_view r) {
  static const std::string_view numerals[] = {"I",  "II",  "III",  "IV",  "V",  "VI",  "VII",  "VIII",  "IX",  "X",
                                              "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX"};
  for (int i = 0; i < 20; ++i)
    if (numerals[i] == r) return i + 1;
  return 0;
}

// The number an item value stands for (1 for "1", "a", "A", "I", "(1)", "1)"), 0 if none.
int ordinal(style s, std::string_view v) {
  std::string core;
  for (char c : v)
    if (std::isalnum(static_cast<unsigned char>(c))) core += c;
  if (core.empty()) return 0;
  switch (s) {
    case style::roman:
      return roman_value(core);
    case style::lower_roman: {
      std::string upper;
      for (char c : core) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      return roman_value(upper);
    }
    case style::upper:
    case style::lower:
    case style::lower_paren:
    case style::paren_lower:
      return core.size() == 1 ? std::tolower(static_cast<unsigned char>(core[0])) - 'a' + 1 : 0;
    default:
      return std::all_of(core.begin(), core.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })
                 ? std::stoi(core)
                 : 0;
  }
}

// How item `k` of a style is printed ("3", "c", "3)", "(3)").
std::string value_for(style s, int k) {
  const auto letter = [&](char base) { return std::string(1, static_cast<char>(base + k - 1)); };
  switch (s) {
    case style::paren_num:
      return "(" + std::to_string(k) + ")";
    case style::num:
      return std::to_string(k);
    case style::num_paren:
      return std::to_string(k) + ")";
    case style::upper:
      return letter('A');
    case style::lower:
      return letter('a');
    case style::lower_paren:
      return letter('a') + ")";
    case style::paren_lower:
      return "(" + letter('a') + ")";
    default:
      return {};
  }
}

// The item marker a line starts with, every reading of it (an "I." may be
// Roman one or the letter after H).
std::vector<marker> markers_of(const std::string& s) {
  static const std::regex paren_num(R"(^\((\d{1,2})\)\s*(.*)$)");
  static const std::regex paren_lower(R"(^\(([a-z])\)\s*(.*)$)");
  static const std::regex dotted(R"(^([0-9]{1,2}|[A-Za-z]|[IVX]{1,5}|[ivx]{1,5})\.(?:\s+(.*)|$))");
  static const std::regex closed(R"(^([0-9]{1,2}|[a-z])[)}](?:\s*(.*))$)");  // "1}": an OCR slip for "1)"
  std::smatch m;
  std::vector<marker> out;
  if (std::regex_match(s, m, paren_num)) {
    out.push_back({style::paren_num, "(" + m[1].str() + ")", m[2].str()});
  } else if (std::regex_match(s, m, paren_lower)) {
    out.push_back({style::paren_lower, "(" + m[1].str() + ")", m[2].str()});
  } else if (std::regex_match(s, m, dotted)) {
    const auto v = m[1].str();
    const auto rest = m[2].matched ? m[2].str() : std::string();
    if (std::isdigit(static_cast<unsigned char>(v[0]))) {
      out.push_back({style::num, v, rest});
    } else {
      if (roman_value(v) > 0) out.push_back({style::roman, v, rest});
      if (ordinal(style::lower_roman, v) > 0 && std::islower(static_cast<unsigned char>(v[0])))
        out.push_back({style::lower_roman, v, rest});
      if (v.size() == 1)
        out.push_back({std::isupper(static_cast<unsigned char>(v[0])) ? style::upper : style::lower, v, rest});
    }
  } else if (std::regex_match(s, m, closed)) {
    const auto v = m[1].str();
    out.push_back(
        {std::isdigit(static_cast<unsigned char>(v[0])) ? style::num_paren : style::lower_paren, v + ")", m[2].str()});
  }
  return out;
}

// The style and printed value of a restored marker written as "angka 1)".
std::optional<marker> marker_of_part(const part& p) {
  const auto& v = p.value;
  if (v.empty()) return std::nullopt;
  if (p.key == "ayat") return marker{style::paren_num, v, {}};
  if (p.key == "angka") {
    if (v.back() == ')') return marker{style::num_paren, v, {}};
    if (roman_value(v) > 0) return marker{style::roman, v, {}};
    return marker{style::num, v, {}};
  }
  if (p.key == "butir") return marker{style::lower_roman, v, {}};
  if (p.key == "huruf") {
    if (v.front() == '(') return marker{style::paren_lower, v, {}};
    if (v.back() == ')') return marker{style::lower_paren, v, {}};
    return marker{std::isupper(static_cast<unsigned char>(v[0])) ? style::upper : style::lower, v, {}};
  }
  return std::nullopt;
}

struct restoration {
  std::vector<part> marker;  // empty: the line is text, not an item
  bool drop = false;         // the line is no word of the law (a marker the OCR misplaced)
  bool insert = false;       // '+': an item whose heading is lost, placed before the line
  std::string starts;        // what the line (bullets stripped) starts with
  bool whole = false;        // `starts` ended in '$': the whole line
  int line = 0;              // in the restoration file
  bool used = false;

  [[nodiscard]] bool matches(const std::string& s) const { return whole ? s == starts : s.starts_with(starts); }
};

bool is_pasal_heading(const std::string& s, std::string& number) {
  static const std::regex re(R"(^Pasal\s+(\d{1,3}[A-Z]?)$)");
  std::smatch m;
  if (!std::regex_match(s, m, re)) return false;
  number = m[1].str();
  return true;
}

bool is_lampiran_heading(const std::string& s, std::string& number) {
  static const std::regex re(R"(^LAMPIRAN(?:\s+([IVX]{1,5}))?$)");
  std::smatch m;
  if (!std::regex_match(s, m, re)) return false;
  number = m[1].matched ? m[1].str() : std::string();
  return true;
}

// Lines that are not the law's words: page numbers, catchwords at a page's
// foot ("6. Penyesuaian..."), chapter and section headings (Pasal numbers
// run through them, so they are no step of a citation).
bool is_noise(const std::string& s) {
  static const std::regex page(R"(^-?\s*\d{1,3}\s*-?$)");
  static const std::regex catchword(R"(^\S+(\s+\S+)?\s*(\.\.\.|…)$)");
  static const std::regex heading(R"(^(BAB\s+[IVXLY1l]+|Bagian\s+Ke[a-z]+|Paragraf\s+\d+)\b.*$)");
  return std::regex_match(s, page) || (s.size() < 60 && std::regex_match(s, catchword)) ||
         (std::regex_match(s, heading) && s.size() < 120);
}

// Where the words of the regulation stop until the next heading: the
// signatures, the promulgation, the initials table.
bool is_closing(const std::string& s) {
  static const std::regex re(
      R"(^((Pj\.|Plt\.|PJ\.|PLT\.)\s*)?(WALI\s?KOTA|WALIKOTA)\s+[A-Z ]+,?$|^(Ditetapkan|Diundangkan)\s+di\b.*|^No\s*\tJabatan.*|^SEKRETARIS DAERAH.*|^BERITA DAERAH.*|^NOREG\b.*)");
  return std::regex_match(s, re);
}

bool has_lower(const std::string& s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return std::islower(static_cast<unsigned char>(c)); });
}

std::string collapse(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
    } else {
      if (space) out += ' ';
      space = false;
      out += c;
    }
  }
  return out;
}

std::vector<restoration> read_restorations(std::string_view content, const std::string& file,
                                           std::vector<restore_error>& errors) {
  std::vector<restoration> out;
  int n = 0;
  std::size_t at = 0;
  while (at <= content.size()) {
    auto end = content.find('\n', at);
    if (end == std::string_view::npos) end = content.size();
    const auto line = trim(content.substr(at, end - at));
    ++n;
    at = end + 1;
    if (line.empty() || line[0] == '#') continue;
    const auto bar = line.find('|');
    if (bar == std::string::npos) {
      errors.push_back(
          {file, n, "expected 'MARKER | start of the line' (for example 'angka 1 | Penentuan Kedudukan')"});
      continue;
    }
    restoration r;
    r.line = n;
    r.starts = trim(line.substr(bar + 1));
    if (r.starts.size() > 1 && r.starts.back() == '$') {
      r.starts = trim(r.starts.substr(0, r.starts.size() - 1));
      r.whole = true;
    }
    auto m = trim(line.substr(0, bar));
    r.drop = m == "drop";
    if (!m.empty() && m[0] == '+') {
      r.insert = true;
      m = trim(m.substr(1));
    }
    if (m != "-" && !r.drop) {
      // One marker, or a whole path: the item goes under the article the path's head names.
      r.marker = parse_citation(m);
      const bool heading = r.marker.size() == 1 && (r.marker[0].key == "pasal" || r.marker[0].key == "lampiran");
      if (r.marker.empty() || (heading && r.insert) || (!heading && !marker_of_part(r.marker.back()))) {
        errors.push_back({file, n,
                          "\"" + m +
                              "\" is not a marker (Pasal 4, ayat (1), huruf a, angka 1), or a path to one; '+' before "
                              "it; - for text; drop)"});
        continue;
      }
    }
    if (r.starts.empty()) {
      errors.push_back({file, n, "the start of the line to restore is empty"});
      continue;
    }
    out.push_back(std::move(r));
    if (end == content.size()) break;
  }
  return out;
}

}  // namespace

text::text() {
  articles_.push_back(article{});
}

void text::add_file(std::string_view content, std::string_view restorations, const std::string& file,
                    const std::string& restore_file) {
  files_.push_back(file);
  auto restores = read_restorations(restorations, restore_file.empty() ? file : restore_file, errors_);
  std::size_t next_restore = 0;

  struct open {
    style how;
    std::size_t node;
  };
  std::vector<open> stack;  // the items open, outermost first; empty: at the root
  // Where a restored marker goes: where its style is open inside the Pasal or
  // Lampiran, else one level below the innermost open item.
  auto restored_depth = [&stack](style how) {
    for (std::size_t d = stack.size(); d-- > 0;) {
      if (stack[d].how == style::pasal || stack[d].how == style::lampiran) break;
      if (stack[d].how == how) return d;
    }
    return stack.size();
  };
  enum class mode { before, words, header, closed } state = mode::before;

  std::map<std::size_t, style> style_of;  // the style of each item of this file
  auto add = [&](std::size_t parent, part p, int line) {
    article a;
    a.path = articles_[parent].path;
    a.path.push_back(std::move(p));
    a.citation = render_path(a.path);
    a.file = file;
    a.line = line;
    a.parent = parent;
    articles_.push_back(std::move(a));
    const auto i = articles_.size() - 1;
    articles_[parent].children.push_back(i);
    return i;
  };
  // Lines added to an item after its first, each with where it starts in
  // its words and its line: an item whose marker was lost is one of them.
  std::map<std::size_t, std::vector<std::pair<std::size_t, int>>> later_lines;
  auto append = [&](std::size_t node, const std::string& words) {
    auto& own = articles_[node].own;
    if (!own.empty()) own += ' ';
    own += words;
  };
  auto append_line = [&](std::size_t node, const std::string& words, int line) {
    const auto at = articles_[node].own.empty() ? 0 : articles_[node].own.size() + 1;
    append(node, words);
    later_lines[node].emplace_back(at, line);
  };
  // An item that continues the list open at its style, or opens a level.
  // The same style may serve at two levels ("1." under "a." under "1."):
  // the innermost list it continues wins; a first item opens a level below.
  auto accepts = [&](const marker& m) -> std::optional<std::size_t> {  // the stack depth it goes at
    for (std::size_t d = stack.size(); d-- > 0;) {
      const auto& o = stack[d];
      if (o.how == style::pasal || o.how == style::lampiran) break;
      if (o.how != m.how) continue;
      const auto& cur = articles_[o.node].path.back().value;
      if (ordinal(m.how, m.value) == ordinal(m.how, cur) + 1) return d;
    }
    if (ordinal(m.how, m.value) == 1) return stack.size();
    return std::nullopt;
  };
  auto place = [&](const marker& m, std::size_t depth, int line) {
    stack.resize(depth);
    const auto parent = stack.empty() ? std::size_t{0} : stack.back().node;
    // "(1)" is an ayat in a Pasal; in a Lampiran it is cited as an angka.
    const bool in_lampiran = !stack.empty() && stack.front().how == style::lampiran;
    const auto key = m.how == style::paren_num && in_lampiran ? std::string("angka") : key_of(m.how);
    const auto node = add(parent, part{key, m.value}, line);
    style_of[node] = m.how;
    stack.push_back({m.how, node});
    if (!m.rest.empty()) append(node, collapse(m.rest));
  };
  auto heading = [&](style how, const std::string& value, int line) {
    // A Lampiran heading again (a page header) continues the one open.
    if (how == style::lampiran) {
      for (auto c : articles_[0].children) {
        if (articles_[c].path.back().key == "lampiran" && articles_[c].path.back().value == value &&
            articles_[c].file == file) {
          state = mode::header;
          return;
        }
      }
    }
    stack.clear();
    const auto node = add(0, part{key_of(how), value}, line);
    style_of[node] = how;
    stack.push_back({how, node});
    state = how == style::lampiran ? mode::header : mode::words;
  };

  int line_no = 0;
  std::size_t at = 0;
  while (at < content.size()) {
    auto end = content.find('\n', at);
    if (end == std::string_view::npos) end = content.size();
    auto s = unbullet(content.substr(at, end - at));
    at = end + 1;
    ++line_no;
    if (s.empty()) continue;

    std::optional<marker> forced;
    bool forced_text = false;
    if (next_restore < restores.size() && restores[next_restore].matches(s)) {
      auto& r = restores[next_restore++];
      r.used = true;
      if (r.drop) continue;
      if (r.marker.empty()) {
        forced_text = true;
      } else if (r.marker.size() == 1 && (r.marker[0].key == "pasal" || r.marker[0].key == "lampiran")) {
        heading(r.marker[0].key == "pasal" ? style::pasal : style::lampiran, r.marker[0].value, line_no);
        if (state == mode::header) state = mode::words;
      } else {
        forced = marker_of_part(r.marker.back());
        if (!r.insert) {
          auto own = markers_of(s);
          forced->rest = own.empty() ? s : own.front().rest;
        }
        if (r.marker.size() > 1) {
          // Under the article the path names: the open items become its ancestors.
          const std::vector<part> parent_path(r.marker.begin(), r.marker.end() - 1);
          const auto* parent = find(parent_path);
          if (!parent || !style_of.count(static_cast<std::size_t>(parent - articles_.data()))) {
            errors_.push_back({restore_file.empty() ? file : restore_file, r.line,
                               "\"" + render_path(parent_path) + "\" is no article of this file before this line"});
            forced.reset();
          } else {
            stack.clear();
            for (auto n = static_cast<std::size_t>(parent - articles_.data()); n != 0; n = articles_[n].parent)
              stack.insert(stack.begin(), {style_of[n], n});
            place(*forced, stack.size(), line_no);
            forced.reset();
            if (!r.insert) continue;
          }
        } else if (r.insert) {
          place(*forced, restored_depth(forced->how), line_no);
          forced.reset();
        }
      }
    }

    std::string number;
    if (!forced && !forced_text) {
      if (is_pasal_heading(s, number)) {
        heading(style::pasal, number, line_no);
        continue;
      }
      if (is_lampiran_heading(s, number)) {
        heading(style::lampiran, number, line_no);
        continue;
      }
    }
    if (state == mode::before) continue;
    if (is_closing(s)) {
      state = mode::closed;
      continue;
    }
    if (state == mode::closed) continue;
    if (!forced && is_noise(s)) continue;

    const auto readings = forced_text ? std::vector<marker>{} : forced ? std::vector<marker>{*forced} : markers_of(s);
    if (state == mode::header) {
      if (readings.empty() && !has_lower(s)) continue;  // the Lampiran's heading block
      state = mode::words;
    }
    bool placed = false;
    if (forced) {
      place(*forced, restored_depth(forced->how), line_no);
      placed = true;
    } else {
      // A reading that continues an open list wins over one that opens a level.
      for (int pass = 0; pass < 2 && !placed; ++pass) {
        for (const auto& m : readings) {
          const auto depth = accepts(m);
          if (depth && ((*depth < stack.size()) == (pass == 0))) {
            place(m, *depth, line_no);
            placed = true;
            break;
          }
        }
      }
    }
    if (!placed && !forced_text) {
      // A gap of g items after as many unmarked lines: those lines are the
      // items whose markers the extraction lost, numbered by position.
      for (const auto& m : readings) {
        if (m.how == style::roman || m.how == style::lower_roman || stack.empty()) continue;
        const auto top = stack.back().node;
        const auto& lines = later_lines[top];
        int first = 0;          // the number the first lost item takes
        std::size_t depth = 0;  // where the lost items and `m` go
        if (stack.back().how == m.how) {
          first = ordinal(m.how, articles_[top].path.back().value) + 1;
          depth = stack.size() - 1;
        } else if (std::none_of(stack.begin(), stack.end(), [&](const open& o) { return o.how == m.how; })) {
          first = 1;
          depth = stack.size();
        } else {
          continue;
        }
        const auto gap = ordinal(m.how, m.value) - first;
        if (gap < 1 || lines.size() != static_cast<std::size_t>(gap)) continue;
        auto segments = lines;
        const auto own = articles_[top].own;
        articles_[top].own = trim(own.substr(0, segments.front().first));
        later_lines.erase(top);
        for (std::size_t i = 0; i < segments.size(); ++i) {
          const auto from = segments[i].first;
          const auto to = i + 1 < segments.size() ? segments[i + 1].first : own.size();
          place(marker{m.how, value_for(m.how, first + static_cast<int>(i)), trim(own.substr(from, to - from))}, depth,
                segments[i].second);
          depth = stack.size() - 1;
        }
        place(m, depth, line_no);
        placed = true;
        break;
      }
    }
    if (!placed) append_line(stack.empty() ? std::size_t{0} : stack.back().node, collapse(s), line_no);
  }
  for (const auto& r : restores) {
    if (!r.used) {
      errors_.push_back({restore_file.empty() ? file : restore_file, r.line,
                         "no line starting with \"" + r.starts + "\" after the previous restoration"});
    }
  }
}

const article* text::find(const std::vector<part>& path) const {
  std::size_t node = 0;
  for (const auto& p : path) {
    const auto key = lower(p.key);
    const article* exact = nullptr;
    const article* loose = nullptr;
    for (auto c : articles_[node].children) {
      const auto& last = articles_[c].path.back();
      if (last.key != key) continue;
      if (last.value == p.value) {
        exact = &articles_[c];
        break;
      }
      // "angka 1" for an item printed "1)" or "(1)", "huruf a" for "a)" or "(a)".
      if (!loose &&
          ((last.value.size() == p.value.size() + 1 && last.value.back() == ')' && last.value.starts_with(p.value)) ||
           last.value == "(" + p.value + ")")) {
        loose = &articles_[c];
      }
    }
    const auto* hit = exact ? exact : loose;
    if (!hit) return nullptr;
    node = static_cast<std::size_t>(hit - articles_.data());
  }
  return node == 0 ? nullptr : &articles_[node];
}

const article* text::find(std::string_view citation) const {
  return find(parse_citation(citation));
}

std::string text::full_text(const article& a) const {
  std::string out = a.own;
  for (auto c : a.children) {
    const auto& child = articles_[c];
    const auto& last = child.path.back();
    std::string label = last.value;
    if (last.key == "pasal" || last.key == "lampiran")
      label = render_path({last});
    else if (!label.empty() && label.back() != ')')
      label += '.';
    auto words = full_text(child);
    if (!out.empty()) out += ' ';
    out += label;
    if (!words.empty()) out += ' ' + words;
  }
  return out;
}

std::string text::nearest(const std::vector<part>& path) const {
  // The deepest prefix that exists …
  std::size_t node = 0;
  std::size_t depth = 0;
  for (; depth < path.size(); ++depth) {
    std::vector<part> prefix(path.begin(), path.begin() + static_cast<std::ptrdiff_t>(depth + 1));
    const auto* a = find(prefix);
    if (!a) break;
    node = static_cast<std::size_t>(a - articles_.data());
  }
  // … then, below it, the article whose citation is spelt nearest.
  const auto wanted = render_path(path);
  nearest_finder finder(wanted);
  std::vector<std::size_t> todo{node};
  while (!todo.empty()) {
    const auto n = todo.back();
    todo.pop_back();
    if (n != 0) finder.consider(articles_[n].citation);
    for (auto c : articles_[n].children) todo.push_back(c);
  }
  if (!finder.best().empty()) return finder.best();
  return node == 0 ? std::string() : articles_[node].citation;
}

std::size_t text::count(std::string_view key) const {
  return static_cast<std::size_t>(std::count_if(articles_.begin() + 1, articles_.end(),
                                                [&](const article& a) { return a.path.back().key == key; }));
}

std::vector<part> parse_citation(std::string_view s) {
  static const std::vector<std::string> keys{"lampiran", "pasal", "ayat", "huruf", "angka", "butir"};
  std::vector<std::string> words;
  std::string w;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == ',' || c == '\n') {
      if (!w.empty()) words.push_back(std::move(w));
      w.clear();
    } else {
      w += c;
    }
  }
  if (!w.empty()) words.push_back(std::move(w));
  std::vector<part> out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const auto k = lower(words[i]);
    if (std::find(keys.begin(), keys.end(), k) == keys.end()) break;
    const bool next_is_key =
        i + 1 >= words.size() || std::find(keys.begin(), keys.end(), lower(words[i + 1])) != keys.end();
    if (k == "lampiran" && next_is_key) {
      out.push_back({k, ""});
      continue;
    }
    if (i + 1 >= words.size()) break;
    out.push_back({k, words[++i]});
  }
  return out;
}

std::string render_path(const std::vector<part>& path) {
  std::string out;
  for (const auto& p : path) {
    if (!out.empty()) out += ' ';
    std::string key = p.key;
    if (!key.empty()) key[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(key[0])));
    if (key != "Pasal" && key != "Lampiran") key = lower(key);
    out += key;
    if (!p.value.empty()) out += ' ' + p.value;
  }
  return out;
}

std::string shorten(std::string_view s, std::size_t max) {
  if (s.size() <= max) return std::string(s);
  const std::string_view ellipsis = "…";
  std::size_t cut = max > ellipsis.size() ? max - ellipsis.size() : 0;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 character
  if (const auto space = s.rfind(' ', cut); space != std::string_view::npos && space > cut / 2) cut = space;
  auto out = std::string(s.substr(0, cut));
  while (!out.empty() && (out.back() == ' ' || out.back() == ',' || out.back() == ';')) out.pop_back();
  return out + std::string(ellipsis);
}

}  // namespace perwal::law
