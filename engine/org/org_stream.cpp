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
//
// The tokenizer it reads with is stream_scanner.hpp; here: the reader of the
// document's sections and items.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <functional>
#include <string>
#include <unordered_map>

#include "engine/common/json_input.hpp"
#include "engine/org/org.hpp"
#include "engine/org/org_build.hpp"
#include "engine/org/stream_scanner.hpp"

namespace perwal::org {

using namespace stream_detail;

namespace {

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
    g.positions_.build().reserve(positions);
    prefer_huge_pages(g.positions_.data(), positions * sizeof(position));
    g.employees_.build().reserve(employees);
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
      if (std::find(unknown_sections.begin(), unknown_sections.end(), key) != unknown_sections.end()) fail();
      unknown_sections.emplace_back(key);
      in.skip_value();
    }
  }
  std::vector<std::string> unknown_sections;

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
    unknown_keys.clear();
    if (in.peek() == '}') {
      (void)in.next('}');
      return;
    }
    do {
      on(in.key());
    } while (in.next('}'));
  }

  // A field perwal does not read: kept out of the org, but a key written
  // twice in one object is an error the reference loader reports (known
  // keys are caught by their `seen` bit).
  std::vector<std::string> unknown_keys;
  void skip_unknown(std::string_view key) {
    if (std::find(unknown_keys.begin(), unknown_keys.end(), key) != unknown_keys.end()) fail();
    unknown_keys.emplace_back(key);
    in.skip_value();
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
  // A position's title, kept once however many positions bear it.
  repeated_texts<std::string_view> titles;
  [[nodiscard]] std::string_view keep_title() {
    if (in.null()) return {};
    const std::string_view s = in.string();  // (perhaps the scanner's scratch: the copy is the key)
    return titles.get(s, [&] {
      const std::string_view kept = keep(s);
      return std::pair{kept, kept};
    });
  }
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

  // A reference is most often to an item met just before (the previous
  // position's atasan or unit, the position after the previous employee's):
  // checking those one or two by their id skips the hash table, whose
  // lookups are cache misses in a national org. Ids are unique among the
  // items read, so a guess that matches is what find() would answer; one
  // that does not falls back to find(). A guess is `none` or any index;
  // only those below `limit` (items complete and registered) are tried.
  template <class Items>
  [[nodiscard]] static index guess(const Items& items, std::string_view target, index a, index b, std::size_t limit) {
    if (a < limit && items[a].id == target) return a;
    if (b < limit && items[b].id == target) return b;
    return none;
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
        g.tag_pool_.build().push_back(keep(in.string()));
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
        skip_unknown(key);
      }
    });
    if ((seen & f_id) == 0) fail();
  }

  void read_unit() {
    const auto i = static_cast<index>(g.units_.size());
    g.units_.build().emplace_back();
    unit_root.push_back(1);
    unit_no_instansi.push_back(1);
    std::uint32_t seen = 0;
    fields([&](std::string_view key) {
      unit& u = g.units_.build()[i];
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
          if (const index hit = guess(g.units_, *ref, last_parent, i - 1, i); hit != none) {
            u.parent = hit;
          } else {
            unit_ref(u.parent, ref_kind::unit_parent, i, *ref);
          }
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
        skip_unknown(key);
      }
    });
    if ((seen & (f_id | f_kind)) != (f_id | f_kind)) fail();
    last_parent = g.units_[i].parent;
  }
  index last_parent = none;

  void read_position() {
    const auto i = static_cast<index>(g.positions_.size());
    g.positions_.build().emplace_back();
    std::uint32_t seen = 0;
    code jenjang = no_code;
    bool jenjang_given = false;
    std::uint64_t id_hash = 0;
    fields([&](std::string_view key) {
      position& p = g.positions_.build()[i];
      if (key == "id") {
        mark(seen, f_id);
        p.id = keep_id();
        // registered once the object is read: its slot is fetched meanwhile
        id_hash = id_table::hash(p.id);
        g.position_ids_.prefetch(id_hash);
      } else if (key == "title") {
        mark(seen, f_title);
        p.title = keep_title();
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
        const std::string_view ref = in.string();
        if (const index hit = guess(g.units_, ref, last_unit, last_unit + 1, g.units_.size()); hit != none) {
          p.unit = hit;
        } else {
          unit_ref(p.unit, ref_kind::pos_unit, i, ref);
        }
      } else if (key == "atasan") {
        mark(seen, f_atasan);
        if (const auto ref = reference()) {
          if (const index hit = guess(g.positions_, *ref, last_atasan, i - 1, i); hit != none) {
            p.atasan = hit;
          } else {
            position_ref(p.atasan, ref_kind::pos_atasan, i, *ref);
          }
        }
      } else if (key == "tags") {
        mark(seen, f_tags);
        read_tags(false, i);
      } else {
        skip_unknown(key);
      }
    });
    constexpr std::uint32_t required = f_id | f_kind | f_jenis | f_unit;
    if ((seen & required) != required) fail();
    position& p = g.positions_.build()[i];
    if (g.position_ids_.insert(p.id, id_hash, i, freezer::position_key(g)) != none) fail();
    last_unit = p.unit;
    last_atasan = p.atasan;
    if (jenjang_given) {
      // only a fungsional position has a jenjang
      if (p.jenis != fungsional) fail();
      p.jenjang = jenjang;
    } else if (p.jenis == fungsional) {
      fail();  // and every one has one
    }
  }
  index last_unit = none, last_atasan = none;

  void read_employee() {
    const auto i = static_cast<index>(g.employees_.size());
    g.employees_.build().emplace_back();
    std::uint32_t seen = 0;
    std::uint64_t nip_hash = 0;
    fields([&](std::string_view key) {
      employee& e = g.employees_.build()[i];
      if (key == "nip") {
        mark(seen, f_nip);
        e.nip = keep_id();
        nip_hash = id_table::hash(e.nip);  // registered below; its slot fetched meanwhile
        g.nips_.prefetch(nip_hash);
      } else if (key == "sebagai") {
        if (in.peek() != '"') fail();
        const auto as = acting_from_name(in.string());
        if (!as) fail();
        e.as = *as;
      } else if (key == "name") {
        mark(seen, f_name);
        e.name = keep_optional();
      } else if (key == "position") {
        mark(seen, f_position);
        if (in.peek() != '"') fail();
        const std::string_view ref = in.string();
        // an employee's position is a position id, never a NIP
        if (const index hit = guess(g.positions_, ref, last_held + 1, last_held, g.positions_.size()); hit != none) {
          e.position = hit;
        } else if (const index p = g.position_ids_.find(ref, freezer::position_key(g)); p != none) {
          e.position = p;
        } else {
          defer(ref_kind::holder, i, ref);
        }
      } else {
        skip_unknown(key);
      }
    });
    if ((seen & (f_nip | f_position)) != (f_nip | f_position)) fail();
    // Only the position held definitively is the NIP's (Plt/Plh beside it).
    const employee& e = g.employees_.build()[i];
    if (e.as == acting::definitif && g.nips_.insert(e.nip, nip_hash, i, freezer::nip_key(g)) != none) fail();
    last_held = e.position;
  }
  index last_held = none;

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
        // Other fields are what `fields delegation` declares (scope, period):
        // kept as given, for delegation.<field>.
        in.ws();
        const char* start = in.position();
        skip_unknown(key);
        json_input::failure bad;
        auto value = json_input::parse(std::string_view(start, static_cast<std::size_t>(in.position() - start)), bad);
        if (!value) fail();
        if (!d.extra.is_object()) d.extra = nlohmann::json::object();
        d.extra[std::string(key)] = std::move(*value);
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
    json_input::failure bad;  // (skip_value has refused duplicate keys and deep values)
    auto team = json_input::parse(std::string_view(start, static_cast<std::size_t>(in.position() - start)), bad);
    if (!team) fail();
    g.teams_[i].extra = std::move(*team);
  }

  // ---- after the pass ----

  void resolve_pending() {
    for (const pending_ref& r : pending) {
      switch (r.kind) {
        case ref_kind::unit_parent:
          g.units_.build()[r.item].parent = must(find_unit(r.target));
          break;
        case ref_kind::pos_unit:
          g.positions_.build()[r.item].unit = must(find_unit(r.target));
          break;
        case ref_kind::unit_instansi:
          g.units_.build()[r.item].instansi = must(instansi_ids.find(r.target, freezer::instansi_key(g)));
          break;
        case ref_kind::holder:
          g.employees_.build()[r.item].position = must(g.position_ids_.find(r.target, freezer::position_key(g)));
          break;
        default:
          break;  // position references: once every holder is known
      }
    }
    for (const pending_ref& r : pending) {
      switch (r.kind) {
        case ref_kind::unit_head:
          g.units_.build()[r.item].head = must(find_position(r.target));
          break;
        case ref_kind::pos_atasan:
          g.positions_.build()[r.item].atasan = must(find_position(r.target));
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
    const auto roots = find_roots(g.units_.build(), &unit::parent, cycle);
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
    (void)find_roots(g.positions_.build(), &position::atasan, cycle);
    // a unit's head sits in that unit (loader::check_heads)
    for (index i = 0; i < g.units_.size(); ++i) {
      const index head = g.units_[i].head;
      if (head != none && g.positions_[head].unit != i) fail();
    }
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
