// The streaming reader for perwal-org/1: one pass over the text for the
// known schema, straight into the compact org_graph.
//
// Why not nlohmann or simdjson: a national org is a 1.5–2 GB document.
// nlohmann builds a tree of it (measured: 2M positions took 6.4 s and 4 GB);
// simdjson (DOM or On-Demand) needs the whole padded document plus a
// structural index of 4 bytes per structural character (~5 per item field),
// which together pass the 3 GB budget before the org itself is built. This
// reader keeps nothing of the text: strings are copied into the org's arena
// as they are met, references are resolved on the spot when their target was
// already read (the usual top-down order) and kept as a copied string
// otherwise, and pages already read can be dropped by the caller.
//
// It accepts only what it fully understands and what is valid: at the first
// surprise (any error, an unusual construct such as a duplicate field, a
// number it cannot vouch for) it gives up and returns nullptr, and
// org_graph::load runs the reference loader, which reports every error in
// its usual form. So for a valid document the two give the same org_graph
// (tests compare canonical dumps), and for an invalid one the same errors.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <functional>
#include <string>
#include <unordered_map>

#include "engine/org/org.hpp"
#include "engine/org/org_build.hpp"

namespace perwal::org {

namespace {

// Thrown to abandon the streaming read; never escapes load_streaming.
struct give_up {};

[[noreturn]] void fail() {
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
void append_utf8(std::string& out, std::uint32_t cp) {
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

  // Any value, checked and skipped.
  void skip_value() {
    // Containers are tracked on an explicit stack: the depth is the input's.
    std::string open;
    do {
      const char c = peek();
      if (c == '{' || c == '[') {
        ++p_;
        if (peek() == (c == '{' ? '}' : ']')) {
          ++p_;
        } else {
          open += c;
          if (c == '{') key();
          continue;
        }
      } else {
        scalar();
      }
      while (!open.empty()) {
        const bool obj = open.back() == '{';
        if (next(obj ? '}' : ']')) {
          if (obj) key();
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

// Fields of the items, as bits of a "seen" mask (a repeated field gives up).
enum item_field : std::uint32_t {
  f_id = 1U << 0,
  f_name = 1U << 1,
  f_kind = 1U << 2,
  f_parent = 1U << 3,
  f_instansi = 1U << 4,
  f_head = 1U << 5,
  f_tags = 1U << 6,
  f_title = 1U << 7,
  f_jenis = 1U << 8,
  f_jenjang = 1U << 9,
  f_unit = 1U << 10,
  f_atasan = 1U << 11,
  f_nip = 1U << 12,
  f_position = 1U << 13,
  f_from = 1U << 14,
  f_to = 1U << 15,
  f_authority = 1U << 16,
  f_basis = 1U << 17,
  f_pejabat = 1U << 18,
};

void mark(std::uint32_t& seen, item_field f) {
  if ((seen & f) != 0) fail();
  seen |= f;
}

}  // namespace

struct stream_reader {
  stream_reader(std::string_view text, std::function<void(const char*)> drop, const vocabulary& vocab_,
                const structure& shape_, org_graph& out)
      : in(text, std::move(drop)), codes(vocab_), vocab(vocab_), shape(shape_), g(out) {
    pemerintah_daerah = vocab.find(category::unit_kind, "pemerintah_daerah").value_or(no_code);
    fungsional = vocab.find(category::jenis, "fungsional").value_or(no_code);
  }

  scanner in;
  code_cache codes;
  const vocabulary& vocab;
  const structure& shape;
  org_graph& g;
  code pemerintah_daerah = no_code;
  code fungsional = no_code;
  id_table instansi_ids;
  std::vector<tag_ref> tags;

  // A reference whose target had not been read yet when it was met.
  enum class ref_kind : std::uint8_t {
    unit_parent,
    unit_instansi,
    unit_head,
    pos_unit,
    pos_atasan,
    pejabat,
    holder,
    from,
    to
  };
  struct pending_ref {
    ref_kind kind;
    index item;
    std::string_view target;  // in `pending_text`
  };
  std::vector<pending_ref> pending;
  string_arena pending_text;
  // Per unit: parent absent or null (a root); instansi absent or null.
  std::vector<std::uint8_t> unit_root, unit_no_instansi;

  // ---- the document ----

  // Room for as many positions and employees as the text could hold, so
  // that the vectors never move (a move would copy gigabytes and, for a
  // moment, hold them twice). Only the pages used count: the rest is
  // address space.
  void reserve(std::size_t text_size) {
    const std::size_t positions = text_size / 96 + 16;  // a position is ~100+ bytes of JSON
    const std::size_t employees = text_size / 48 + 16;  // an employee ~50+
    g.positions_.reserve(positions);
    prefer_huge_pages(g.positions_.data(), positions * sizeof(position));
    g.employees_.reserve(employees);
    prefer_huge_pages(g.employees_.data(), employees * sizeof(employee));
    // Id tables sized for a compact org (a position and its employee take
    // ~260 bytes): growing a table of millions by doubling would write it
    // twice over. An org of another shape just grows as usual.
    const std::size_t expected = text_size / 256;
    g.position_ids_.reserve_for(expected);
    g.nips_.reserve_for(expected);
  }

  void read() {
    in.expect('{');
    unsigned seen = 0;
    if (in.peek() != '}') {
      do {
        section(in.key(), seen);
      } while (in.next('}'));
    } else {
      (void)in.next('}');
    }
    if (!in.at_end() || (seen & 0xF) != 0xF) fail();  // schema, instansi, units, positions are required
  }

  void section(std::string_view key, unsigned& seen) {
    const auto once = [&](unsigned bit) {
      if ((seen & bit) != 0) fail();
      seen |= bit;
    };
    if (key == "schema") {
      once(1);
      if (in.peek() != '"' || in.string() != "perwal-org/1") fail();
    } else if (key == "instansi") {
      once(2);
      items(true, [&] { read_instansi(); });
    } else if (key == "units") {
      once(4);
      items(true, [&] { read_unit(); });
    } else if (key == "positions") {
      once(8);
      items(true, [&] { read_position(); });
    } else if (key == "employees") {
      once(16);
      items(false, [&] { read_employee(); });
    } else if (key == "delegations") {
      once(32);
      items(false, [&] { read_delegation(); });
    } else if (key == "teams") {
      once(64);
      items(false, [&] { read_team(); });
    } else {
      in.skip_value();
    }
  }

  // An array of objects; an optional section may be null.
  template <class Read>
  void items(bool required, Read&& read_item) {
    if (!required && in.null()) return;
    in.expect('[');
    if (in.peek() == ']') {
      (void)in.next(']');
      return;
    }
    do {
      if (in.peek() != '{') fail();
      read_item();
      in.release();
    } while (in.next(']'));
  }

  // Calls `on(key)` for each field of the object that comes next.
  template <class On>
  void fields(On&& on) {
    in.expect('{');
    if (in.peek() == '}') {
      (void)in.next('}');
      return;
    }
    do {
      on(in.key());
    } while (in.next('}'));
  }

  // ---- values ----

  [[nodiscard]] std::string_view keep(std::string_view s) { return g.strings_.add(s); }
  [[nodiscard]] std::string_view keep_id() {
    if (in.peek() != '"') fail();
    const std::string_view s = in.string();
    if (s.empty()) fail();
    return keep(s);
  }
  // A string or null (then empty): optional text fields.
  [[nodiscard]] std::string_view keep_optional() { return in.null() ? std::string_view{} : keep(in.string()); }
  [[nodiscard]] code required_code(category cat) {
    if (in.peek() != '"') fail();
    return codes.get(cat, in.string());
  }
  // A reference: the string, or nothing for null.
  [[nodiscard]] std::optional<std::string_view> reference() {
    if (in.null()) return std::nullopt;
    if (in.peek() != '"') fail();
    return in.string();
  }
  void defer(ref_kind kind, index item, std::string_view target) {
    pending.push_back({kind, item, pending_text.add(target)});
  }

  // Position references resolve to a position id first, so a NIP only
  // counts once every position is known: until then, defer.
  void position_ref(index& slot, ref_kind kind, index item, std::string_view target) {
    if (const index p = g.position_ids_.find(target, freezer::position_key(g)); p != none) {
      slot = p;
    } else {
      defer(kind, item, target);
    }
  }
  void unit_ref(index& slot, ref_kind kind, index item, std::string_view target) {
    if (const index u = g.unit_ids_.find(target, freezer::unit_key(g)); u != none) {
      slot = u;
    } else {
      defer(kind, item, target);
    }
  }

  void read_tags(bool is_unit, index item) {
    if (in.null()) return;
    in.expect('[');
    const auto first = static_cast<std::uint32_t>(g.tag_pool_.size());
    if (in.peek() != ']') {
      do {
        if (in.peek() != '"') fail();
        g.tag_pool_.push_back(keep(in.string()));
      } while (in.next(']'));
    } else {
      (void)in.next(']');
    }
    const auto count = static_cast<std::uint32_t>(g.tag_pool_.size() - first);
    if (count != 0) tags.push_back({is_unit, item, first, count});
  }

  // ---- items ----

  void read_instansi() {
    const auto i = static_cast<index>(g.instansi_.size());
    g.instansi_.emplace_back();
    std::uint32_t seen = 0;
    fields([&](std::string_view key) {
      instansi& x = g.instansi_[i];
      if (key == "id") {
        mark(seen, f_id);
        x.id = keep_id();
        if (instansi_ids.insert(x.id, i, freezer::instansi_key(g)) != none) fail();
      } else if (key == "name") {
        mark(seen, f_name);
        x.name = keep_optional();
      } else if (key == "pejabat_berwenang") {
        mark(seen, f_pejabat);
        if (const auto ref = reference()) position_ref(x.pejabat_berwenang, ref_kind::pejabat, i, *ref);
      } else {
        in.skip_value();
      }
    });
    if ((seen & f_id) == 0) fail();
  }

  void read_unit() {
    const auto i = static_cast<index>(g.units_.size());
    g.units_.emplace_back();
    unit_root.push_back(1);
    unit_no_instansi.push_back(1);
    std::uint32_t seen = 0;
    fields([&](std::string_view key) {
      unit& u = g.units_[i];
      if (key == "id") {
        mark(seen, f_id);
        u.id = keep_id();
        if (g.unit_ids_.insert(u.id, i, freezer::unit_key(g)) != none) fail();
      } else if (key == "name") {
        mark(seen, f_name);
        u.name = keep_optional();
      } else if (key == "kind") {
        mark(seen, f_kind);
        u.kind = required_code(category::unit_kind);
      } else if (key == "parent") {
        mark(seen, f_parent);
        if (const auto ref = reference()) {
          unit_root[i] = 0;
          unit_ref(u.parent, ref_kind::unit_parent, i, *ref);
        }
      } else if (key == "instansi") {
        mark(seen, f_instansi);
        if (const auto ref = reference()) {
          unit_no_instansi[i] = 0;
          const index x = instansi_ids.find(*ref, freezer::instansi_key(g));
          if (x != none) {
            u.instansi = x;
          } else {
            defer(ref_kind::unit_instansi, i, *ref);
          }
        }
      } else if (key == "head") {
        mark(seen, f_head);
        if (const auto ref = reference()) position_ref(u.head, ref_kind::unit_head, i, *ref);
      } else if (key == "tags") {
        mark(seen, f_tags);
        read_tags(true, i);
      } else {
        in.skip_value();
      }
    });
    if ((seen & (f_id | f_kind)) != (f_id | f_kind)) fail();
  }

  void read_position() {
    const auto i = static_cast<index>(g.positions_.size());
    g.positions_.emplace_back();
    std::uint32_t seen = 0;
    code jenjang = no_code;
    bool jenjang_given = false;
    fields([&](std::string_view key) {
      position& p = g.positions_[i];
      if (key == "id") {
        mark(seen, f_id);
        p.id = keep_id();
        if (g.position_ids_.insert(p.id, i, freezer::position_key(g)) != none) fail();
      } else if (key == "title") {
        mark(seen, f_title);
        p.title = keep_optional();
      } else if (key == "kind") {
        mark(seen, f_kind);
        p.kind = required_code(category::position_kind);
      } else if (key == "jenis") {
        mark(seen, f_jenis);
        p.jenis = required_code(category::jenis);
      } else if (key == "jenjang") {
        mark(seen, f_jenjang);
        if (!in.null()) {
          jenjang_given = true;
          jenjang = required_code(category::jenjang);
        }
      } else if (key == "unit") {
        mark(seen, f_unit);
        if (in.peek() != '"') fail();
        unit_ref(p.unit, ref_kind::pos_unit, i, in.string());
      } else if (key == "atasan") {
        mark(seen, f_atasan);
        if (const auto ref = reference()) position_ref(p.atasan, ref_kind::pos_atasan, i, *ref);
      } else if (key == "tags") {
        mark(seen, f_tags);
        read_tags(false, i);
      } else {
        in.skip_value();
      }
    });
    constexpr std::uint32_t required = f_id | f_kind | f_jenis | f_unit;
    if ((seen & required) != required) fail();
    position& p = g.positions_[i];
    if (jenjang_given) {
      // only a fungsional position has a jenjang
      if (p.jenis != fungsional) fail();
      p.jenjang = jenjang;
    }
  }

  void read_employee() {
    const auto i = static_cast<index>(g.employees_.size());
    g.employees_.emplace_back();
    std::uint32_t seen = 0;
    fields([&](std::string_view key) {
      employee& e = g.employees_[i];
      if (key == "nip") {
        mark(seen, f_nip);
        e.nip = keep_id();
        if (g.nips_.insert(e.nip, i, freezer::nip_key(g)) != none) fail();
      } else if (key == "name") {
        mark(seen, f_name);
        e.name = keep_optional();
      } else if (key == "position") {
        mark(seen, f_position);
        if (in.peek() != '"') fail();
        const std::string_view ref = in.string();
        // an employee's position is a position id, never a NIP
        if (const index p = g.position_ids_.find(ref, freezer::position_key(g)); p != none) {
          e.position = p;
        } else {
          defer(ref_kind::holder, i, ref);
        }
      } else {
        in.skip_value();
      }
    });
    if ((seen & (f_nip | f_position)) != (f_nip | f_position)) fail();
  }

  void read_delegation() {
    const auto i = static_cast<index>(g.delegations_.size());
    g.delegations_.emplace_back();
    g.delegations_[i].json_path = "delegations[" + std::to_string(i) + "]";
    std::uint32_t seen = 0;
    fields([&](std::string_view key) {
      delegation& d = g.delegations_[i];
      const auto required_ref = [&](index& slot, ref_kind kind) {
        if (in.peek() != '"') fail();
        position_ref(slot, kind, i, in.string());
      };
      if (key == "from") {
        mark(seen, f_from);
        required_ref(d.from, ref_kind::from);
      } else if (key == "to") {
        mark(seen, f_to);
        required_ref(d.to, ref_kind::to);
      } else if (key == "authority") {
        mark(seen, f_authority);
        d.authority = required_code(category::authority);
      } else if (key == "basis") {
        mark(seen, f_basis);
        d.basis = keep_optional();
      } else {
        in.skip_value();
      }
    });
    constexpr std::uint32_t required = f_from | f_to | f_authority;
    if ((seen & required) != required) fail();
  }

  // Teams are few and keep their whole object (team.field("…") reads any
  // field): nlohmann parses the object's text, and the reference loader's
  // own code reads it once every position is known.
  void read_team() {
    const auto i = static_cast<index>(g.teams_.size());
    g.teams_.emplace_back();
    g.teams_[i].json_path = "teams[" + std::to_string(i) + "]";
    in.ws();
    const char* start = in.position();
    in.skip_value();
    g.teams_[i].extra = nlohmann::json::parse(start, in.position());
  }

  // ---- after the pass ----

  void resolve_pending() {
    for (const pending_ref& r : pending) {
      switch (r.kind) {
        case ref_kind::unit_parent:
          g.units_[r.item].parent = must(find_unit(r.target));
          break;
        case ref_kind::pos_unit:
          g.positions_[r.item].unit = must(find_unit(r.target));
          break;
        case ref_kind::unit_instansi:
          g.units_[r.item].instansi = must(instansi_ids.find(r.target, freezer::instansi_key(g)));
          break;
        case ref_kind::holder:
          g.employees_[r.item].position = must(g.position_ids_.find(r.target, freezer::position_key(g)));
          break;
        default:
          break;  // position references: once every holder is known
      }
    }
    for (const pending_ref& r : pending) {
      switch (r.kind) {
        case ref_kind::unit_head:
          g.units_[r.item].head = must(find_position(r.target));
          break;
        case ref_kind::pos_atasan:
          g.positions_[r.item].atasan = must(find_position(r.target));
          break;
        case ref_kind::pejabat:
          g.instansi_[r.item].pejabat_berwenang = must(find_position(r.target));
          break;
        case ref_kind::from:
          g.delegations_[r.item].from = must(find_position(r.target));
          break;
        case ref_kind::to:
          g.delegations_[r.item].to = must(find_position(r.target));
          break;
        default:
          break;
      }
    }
    pending = {};
    pending_text = {};
  }
  [[nodiscard]] static index must(index i) {
    if (i == none) fail();
    return i;
  }
  [[nodiscard]] index find_unit(std::string_view id) const { return g.unit_ids_.find(id, freezer::unit_key(g)); }
  // A position id, or the NIP of the employee holding the position.
  [[nodiscard]] index find_position(std::string_view ref) const {
    if (const index p = g.position_ids_.find(ref, freezer::position_key(g)); p != none) return p;
    if (const index e = g.nips_.find(ref, freezer::nip_key(g)); e != none) return g.employees_[e].position;
    return none;
  }

  // The checks of the reference loader's check_unit_forest and
  // check_atasan_forest, without messages.
  void check_forests() {
    const auto cycle = [](auto, auto) { fail(); };
    const auto roots = find_roots(g.units_, &unit::parent, cycle);
    for (index i = 0; i < g.units_.size(); ++i) {
      const unit& u = g.units_[i];
      if (unit_root[i] != 0) {
        if (u.kind != pemerintah_daerah || unit_no_instansi[i] != 0) fail();
        instansi& x = g.instansi_[u.instansi];
        if (x.root_unit != none) fail();
        x.root_unit = i;
      } else if (u.kind == pemerintah_daerah) {
        fail();
      } else if (unit_no_instansi[i] == 0 && g.units_[roots[i]].instansi != u.instansi) {
        fail();
      }
    }
    for (const instansi& x : g.instansi_) {
      if (x.root_unit == none) fail();
    }
    (void)find_roots(g.positions_, &position::atasan, cycle);
  }

  void finish() {
    resolve_pending();
    if (!freezer::read_teams(g, vocab, shape)) fail();
    check_forests();
    unit_root = {};
    unit_no_instansi = {};
    freezer::freeze(g, shape, tags);
  }
};

namespace {

std::shared_ptr<const org_graph> read_stream(std::string_view text, const std::function<void(const char*)>& drop,
                                             const vocabulary& vocab, const structure& shape) {
  auto g = std::make_shared<org_graph>();
  try {
    stream_reader r(text, drop, vocab, shape, *g);
    r.reserve(text.size());
    r.read();
    r.finish();
  } catch (const give_up&) {
    return nullptr;
  } catch (const nlohmann::json::exception&) {
    return nullptr;
  }
  return g;
}

}  // namespace

std::shared_ptr<const org_graph> org_graph::load_streaming(std::string_view text, const vocabulary& vocab,
                                                           const structure& shape) {
  return read_stream(text, {}, vocab, shape);
}

std::shared_ptr<const org_graph> load_streaming_dropping(std::string_view text,
                                                         const std::function<void(const char*)>& drop,
                                                         const vocabulary& vocab, const structure& shape) {
  return read_stream(text, drop, vocab, shape);
}

}  // namespace perwal::org
