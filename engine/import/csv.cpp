// CSV through libcsv (Debian's libcsv-dev): it handles RFC 4180 quoting,
// doubled quotes, line breaks inside quotes and CR/LF/CRLF line ends. Around
// it: the byte order mark Excel writes, the separator Indonesian Excel uses
// (`;`, because `,` is the decimal comma there), and encoding.
#include <csv.h>

#include <array>
#include <cstring>
#include <memory>

#include "engine/import/sheet.hpp"

namespace perwal::import {

std::string column_letter(std::size_t index) {
  std::string s;
  for (std::size_t n = index + 1; n > 0; n = (n - 1) / 26) s.insert(s.begin(), static_cast<char>('A' + (n - 1) % 26));
  return s;
}

namespace {

// The length of the valid UTF-8 sequence at `p`, or 0.
std::size_t utf8_length(const unsigned char* p, const unsigned char* end) {
  const unsigned char c = p[0];
  std::size_t n = 0;
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0 && c >= 0xC2) {
    n = 2;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3;
  } else if ((c & 0xF8) == 0xF0 && c <= 0xF4) {
    n = 4;
  } else {
    return 0;
  }
  if (end - p < static_cast<std::ptrdiff_t>(n)) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((p[k] & 0xC0) != 0x80) return 0;
  }
  return n;
}

bool valid_utf8(const std::string& s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    const std::size_t n = utf8_length(p, end);
    if (n == 0) return false;
    p += n;
  }
  return true;
}

// Windows-1252's 0x80–0x9F (the rest of the byte range is Latin-1).
constexpr std::array<char16_t, 32> cp1252_high = {0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                                  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
                                                  0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                                  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// The separator the header line uses most (outside quotes); `,` when none.
char detect_separator(const std::string& text) {
  std::size_t comma = 0, semicolon = 0, tab = 0;
  bool quoted = false;
  for (const char c : text) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n' || c == '\r') break;
    comma += c == ',';
    semicolon += c == ';';
    tab += c == '\t';
  }
  if (semicolon > comma && semicolon >= tab) return ';';
  if (tab > comma && tab > semicolon) return '\t';
  return ',';
}

struct collector {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> current;
};

void on_field(void* s, std::size_t len, void* data) {
  auto* c = static_cast<collector*>(data);
  c->current.emplace_back(s == nullptr ? "" : std::string(static_cast<const char*>(s), len));
}

void on_record(int, void* data) {
  auto* c = static_cast<collector*>(data);
  c->records.push_back(std::move(c->current));
  c->current.clear();
}

// The spreadsheet row number of each record libcsv returns: libcsv skips
// empty lines and a quoted field may span lines, so count line ends outside
// quotes (CRLF, LF or CR as one) and keep the rows that are not empty.
std::vector<std::uint32_t> record_rows(const std::string& text) {
  std::vector<std::uint32_t> rows;
  std::uint32_t row = 1;
  bool quoted = false, empty = true;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') quoted = !quoted;
    if (!quoted && (c == '\n' || c == '\r')) {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      if (!empty) rows.push_back(row);
      ++row;
      empty = true;
      continue;
    }
    empty = false;
  }
  if (!empty) rows.push_back(row);
  return rows;
}

bool blank(const std::vector<std::string>& cells) {
  for (const auto& c : cells) {
    if (c.find_first_not_of(" \t") != std::string::npos) return false;
  }
  return true;
}

}  // namespace

std::string to_utf8(std::string text) {
  if (valid_utf8(text)) return text;
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      out += ch;
    } else if (c < 0xA0) {
      append_utf8(out, cp1252_high[c - 0x80]);
    } else {
      append_utf8(out, c);
    }
  }
  return out;
}

sheet read_csv(std::string text, const std::string& file) {
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
  text = to_utf8(std::move(text));
  csv_parser p{};
  if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
    throw read_error(file + ": cannot start the CSV reader", file + ": pembaca CSV tidak dapat dimulai");
  }
  const std::unique_ptr<csv_parser, void (*)(csv_parser*)> guard(&p, csv_free);
  csv_set_delim(&p, static_cast<unsigned char>(detect_separator(text)));
  collector c;
  const bool parsed = csv_parse(&p, text.data(), text.size(), on_field, on_record, &c) == text.size() &&
                      csv_fini(&p, on_field, on_record, &c) == 0;
  if (!parsed) {
    // libcsv stops at the malformed quote; the records read so far say where.
    const auto row = std::to_string(c.records.size() + 1);
    throw read_error(file + ": row " + row + ": " + csv_strerror(csv_error(&p)) +
                         " (a quote inside a quoted field must be doubled: \"\")",
                     file + ": baris " + row +
                         ": tanda kutip tidak berpasangan (tanda kutip di dalam kolom "
                         "berkutip harus ditulis ganda: \"\")");
  }
  sheet s;
  s.file = file;
  if (c.records.empty()) return s;
  const auto rows = record_rows(text);
  s.header = std::move(c.records.front());
  for (auto& h : s.header) {
    while (!h.empty() && (h.back() == ' ' || h.back() == '\t')) h.pop_back();
    while (!h.empty() && (h.front() == ' ' || h.front() == '\t')) h.erase(0, 1);
  }
  for (std::size_t i = 1; i < c.records.size(); ++i) {
    if (blank(c.records[i])) continue;
    const auto number = i < rows.size() ? rows[i] : static_cast<std::uint32_t>(i + 1);
    s.rows.push_back({number, std::move(c.records[i])});
  }
  return s;
}

std::string csv_field(const std::string& value) {
  const bool quote = value.find_first_of(",;\"\r\n") != std::string::npos ||
                     (!value.empty() && (value.front() == ' ' || value.back() == ' '));
  if (!quote) return value;
  std::string out = "\"";
  for (const char ch : value) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

}  // namespace perwal::import
