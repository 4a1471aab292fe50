// Loading an org (perwal-org/1): read the document into a spec (org_spec.hpp),
// validate the spec while collecting every error, then freeze into the
// Boost.Graph and the precomputed indices. org::build() validates a spec made
// in code with the same passes, so a spec and its document give the same org
// or the same errors.
//
// The JSON reader reports what is not of the document's shape (sections,
// objects, JSON types) and notes which fields it reported, so validation
// skips them. Validation runs in passes so that references may point
// forwards: take instansi, units, positions and employees (registering ids
// and NIPs), then resolve the references that may name a later item, then
// delegations and teams (everything they name is known by then), then check
// the shape of the parent and atasan forests. Errors carry their JSON
// location and are reported sorted by it, so the order does not depend on
// the passes (nor on which of the reader and the validator found them).
//
// Everything after validation is linear and iterative: orgs reach millions
// of positions and chains thousands deep.
#include "engine/org/org.hpp"

#include <algorithm>
#include <bitset>
#include <numeric>
#include <optional>
#include <tuple>
#include <utility>

#include "engine/org/org_build.hpp"
#include "engine/org/org_spec.hpp"

namespace perwal::org {

namespace {

using json = nlohmann::json;

constexpr std::size_t max_errors = 200;

// Top-level sections, in the order their errors are reported.
enum class section : std::uint8_t { document, schema, instansi, units, positions, employees, delegations, teams };
constexpr std::array<std::string_view, 8> section_names = {"$",         "schema",    "instansi",    "units",
                                                           "positions", "employees", "delegations", "teams"};

// Item fields, in the order errors within one item are reported.
// clang-format off
enum class field : std::uint8_t {
  none, id, nip, name, title, kind, jenis, jenjang, parent, instansi, unit, atasan, head, pejabat_berwenang,
  position, from, to, authority, basis, owner_unit, established_by, ketua, anggota, target, target_sasaran,
  target_indikator, tags, count_
};
// Name in an error path.
constexpr std::array<std::string_view, static_cast<std::size_t>(field::count_)> field_paths = {
    "", "id", "nip", "name", "title", "kind", "jenis", "jenjang", "parent", "instansi", "unit", "atasan", "head",
    "pejabat_berwenang", "position", "from", "to", "authority", "basis", "owner_unit", "established_by", "ketua",
    "anggota", "target", "target.sasaran", "target.indikator", "tags"};
// clang-format on

[[nodiscard]] std::string_view section_name(section s) {
  return section_names[static_cast<std::size_t>(s)];
}
[[nodiscard]] std::string_view field_path(field f) {
  return field_paths[static_cast<std::size_t>(f)];
}
[[nodiscard]] constexpr std::uint32_t field_bit(field f) {
  return std::uint32_t{1} << static_cast<unsigned>(f);
}
static_assert(static_cast<std::size_t>(field::count_) <= 32, "a field mask is 32 bits");

// Key of the field inside its JSON object (nested fields drop their prefix).
[[nodiscard]] std::string_view field_key(field f) {
  const std::string_view p = field_path(f);
  const auto dot = p.rfind('.');
  return dot == std::string_view::npos ? p : p.substr(dot + 1);
}

[[nodiscard]] std::string item_path(section s, index i) {
  return std::string(section_name(s)) + "[" + std::to_string(i) + "]";
}

// A value quoted as JSON, so odd characters in ids stay readable.
[[nodiscard]] std::string quote(std::string_view s) {
  return json(s).dump(-1, ' ', false, json::error_handler_t::replace);
}

struct located_error {
  section sec;
  field fld;
  index item;  // none: the section itself
  index sub;   // element of an array field, or none
  std::uint32_t seq;
  std::string message;
};

// Sort slot of an optional index: absent sorts first.
[[nodiscard]] std::uint64_t slot(index i) {
  return i == none ? 0 : std::uint64_t{i} + 1;
}

[[nodiscard]] bool comes_before(const located_error& a, const located_error& b) {
  return std::tuple(a.sec, slot(a.item), a.fld, slot(a.sub), a.seq) <
         std::tuple(b.sec, slot(b.item), b.fld, slot(b.sub), b.seq);
}

[[nodiscard]] std::string path_of(const located_error& e) {
  std::string p(section_name(e.sec));
  if (e.item != none) p += "[" + std::to_string(e.item) + "]";
  if (e.fld != field::none) {
    p += '.';
    p += field_path(e.fld);
  }
  if (e.sub != none) p += "[" + std::to_string(e.sub) + "]";
  return p;
}

// Collects errors in any order and reports the first `max_errors` by input
// location. Holds at most a few times the cap, so a hopeless input of
// millions of items does not also cost millions of messages.
class error_sink {
 public:
  void add(section s, index item, field f, index sub, std::string message) {
    errors_.push_back({s, f, item, sub, seq_++, std::move(message)});
    ++total_;
    if (errors_.size() >= 4 * max_errors) keep_first();
  }
  void add(section s, std::string message) { add(s, none, field::none, none, std::move(message)); }
  [[nodiscard]] bool empty() const { return total_ == 0; }

  void flush(std::vector<load_error>& out) {
    std::sort(errors_.begin(), errors_.end(), comes_before);
    const std::size_t shown = std::min(errors_.size(), max_errors);
    out.reserve(out.size() + shown + 1);
    for (std::size_t i = 0; i < shown; ++i) out.push_back({path_of(errors_[i]), std::move(errors_[i].message)});
    if (total_ > max_errors) out.push_back({"...", "more errors not shown"});
    errors_.clear();
  }

 private:
  void keep_first() {
    std::nth_element(errors_.begin(), errors_.begin() + max_errors, errors_.end(), comes_before);
    errors_.resize(max_errors);
  }
  std::vector<located_error> errors_;
  std::uint32_t seq_ = 0;
  std::size_t total_ = 0;
};

// Typed access to the fields of one JSON item, reporting what is missing or
// of the wrong type. Every field it reports is marked in `broken` (bit f for
// field f), so that validation does not report it again.
class item_reader {
 public:
  item_reader(error_sink& errors, section sec, index item, const json& obj, std::uint32_t& broken)
      : errors_(errors), sec_(sec), item_(item), obj_(obj), broken_(broken) {}

  void error(field f, std::string message, index sub = none) {
    broken_ |= field_bit(f);
    errors_.add(sec_, item_, f, sub, std::move(message));
  }

  [[nodiscard]] const json* get(field f) const {
    const auto it = obj_.find(field_key(f));
    return it == obj_.end() ? nullptr : &*it;
  }

  // The string at `v`; nullptr when absent or null (an error when required)
  // or of another type (always an error).
  [[nodiscard]] const std::string* string_value(const json* v, field f, bool required, index sub = none) {
    if (v == nullptr) {
      if (required) error(f, "missing required field", sub);
      return nullptr;
    }
    if (v->is_string()) return &v->get_ref<const std::string&>();
    if (v->is_null() && !required) return nullptr;
    error(f, std::string(required ? "expected a string" : "expected a string or null") + ", got " + v->type_name(),
          sub);
    return nullptr;
  }
  [[nodiscard]] const std::string* string(field f, bool required) { return string_value(get(f), f, required); }

  // The field into `out` when it is a string (else reported as above).
  void read(field f, bool required, std::string& out) {
    if (const std::string* s = string(f, required)) out = *s;
  }
  void read(field f, std::optional<std::string>& out) {
    if (const std::string* s = string(f, false)) out = *s;
  }

  // Optional array of strings; null counts as absent. Elements that are
  // not strings are reported and left out.
  void tags(std::vector<std::string>& out) {
    const json* v = get(field::tags);
    if (v == nullptr || v->is_null()) return;
    if (!v->is_array()) {
      error(field::tags, std::string("expected an array of strings, got ") + v->type_name());
      return;
    }
    for (std::size_t j = 0; j < v->size(); ++j) {
      if (const std::string* s = string_value(&(*v)[j], field::tags, true, static_cast<index>(j))) out.push_back(*s);
    }
  }

 private:
  error_sink& errors_;
  section sec_;
  index item_;
  const json& obj_;
  std::uint32_t& broken_;
};

// "cycle a -> b -> a", starting at the member that comes first in the input;
// very long cycles are abbreviated.
template <class It, class IdOf>
[[nodiscard]] std::string cycle_text(It first, It last, IdOf&& id_of) {
  constexpr std::ptrdiff_t shown = 10;
  const It lowest = std::min_element(first, last);
  const std::ptrdiff_t len = last - first;
  const std::ptrdiff_t start = lowest - first;
  std::string text = "cycle ";
  for (std::ptrdiff_t k = 0; k < len; ++k) {
    if (len > 2 * shown && k == shown) {
      text += "... (" + std::to_string(len - shown) + " more) -> ";
      break;
    }
    text += id_of(first[(start + k) % len]);
    text += " -> ";
  }
  text += id_of(*lowest);
  return text;
}

// Orders a forest given by `link`: pre-order numbers (roots and children in
// input order), depth, and `post` = the last pre-order number inside the
// subtree, so the subtree of x is exactly [x.pre, x.post]. Iterative; the
// forest must be acyclic.
template <class Node>
void order_forest(std::vector<Node>& nodes, index Node::*link, std::vector<index>& by_pre) {
  const auto n = static_cast<index>(nodes.size());
  // children lists in CSR form
  std::vector<index> first(std::size_t{n} + 1, 0);
  for (const Node& x : nodes) {
    if (x.*link != none) ++first[x.*link + 1];
  }
  std::partial_sum(first.begin(), first.end(), first.begin());
  std::vector<index> children(first[n]);
  {
    std::vector<index> cursor(first.begin(), first.end() - 1);
    for (index v = 0; v < n; ++v) {
      if (nodes[v].*link != none) children[cursor[nodes[v].*link]++] = v;
    }
  }
  by_pre.clear();
  by_pre.reserve(n);
  std::vector<index> stack;
  for (index v = n; v-- > 0;) {
    if (nodes[v].*link == none) stack.push_back(v);
  }
  while (!stack.empty()) {
    const index v = stack.back();
    stack.pop_back();
    Node& x = nodes[v];
    x.pre = static_cast<std::uint32_t>(by_pre.size());
    x.post = x.pre;
    x.depth = x.*link == none ? 0 : nodes[x.*link].depth + 1;
    by_pre.push_back(v);
    for (index c = first[v + 1]; c-- > first[v];) stack.push_back(children[c]);
  }
  // children follow their parent in pre-order: walking backwards finishes
  // every subtree before its root
  for (index k = n; k-- > 0;) {
    const Node& x = nodes[by_pre[k]];
    if (x.*link != none) {
      Node& up = nodes[x.*link];
      up.post = std::max(up.post, x.post);
    }
  }
}

[[nodiscard]] std::uint64_t kind_key(index instansi_index, code kind) {
  return (std::uint64_t{instansi_index} << 16) | kind;
}

// Drops nlohmann's "[json.exception…] parse error at line L, column C: "
// prefix: the location is reported in our own form.
[[nodiscard]] std::string explanation(std::string_view what) {
  if (what.starts_with("[json.exception.")) {
    if (const auto end = what.find("] "); end != std::string_view::npos) what.remove_prefix(end + 2);
  }
  if (what.starts_with("parse error")) {
    if (const auto colon = what.find(": "); colon != std::string_view::npos) what.remove_prefix(colon + 2);
  }
  return std::string(what);
}

// "name:line:column" of the character at 1-based `byte` (the last one the
// parser read; one past the end at end of input).
[[nodiscard]] std::string syntax_location(std::string_view text, std::size_t byte, std::string_view source_name) {
  const std::size_t offset = std::min(byte == 0 ? 0 : byte - 1, text.size());
  const std::string_view before = text.substr(0, offset);
  const auto line = 1 + std::count(before.begin(), before.end(), '\n');
  const auto last_newline = before.rfind('\n');
  const std::size_t column = offset - (last_newline == std::string_view::npos ? 0 : last_newline + 1) + 1;
  return std::string(source_name) + ":" + std::to_string(line) + ":" + std::to_string(column);
}

}  // namespace

// What the JSON reader found that a spec cannot say: sections that were not
// arrays, items that were not objects, fields of the wrong JSON type (all
// reported already), and the team objects as given.
struct read_notes {
  bool instansi_ok = true;
  bool units_ok = true;
  bool positions_ok = true;
  // Per section, per item: bit f set when field f was reported; the bit of
  // field::none when the item was not an object (then it is left empty).
  std::array<std::vector<std::uint32_t>, section_names.size()> broken;
  // (team, element) of anggota elements that were not strings, in order.
  std::vector<std::pair<index, index>> broken_anggota;
  // A jenjang that is not a string is reported only if the position may
  // have one at all (which needs its jenis resolved): the message waits here.
  std::unordered_map<index, std::string> jenjang_errors;
  std::vector<const json*> team_objects;
};

// Keys of the typed team fields (what team_spec::fields leaves out).
constexpr std::array<std::string_view, 7> team_keys = {"id",    "name",    "owner_unit", "established_by",
                                                       "ketua", "anggota", "target"};

// Reads a perwal-org/1 document into a spec, reporting what is not of the
// document's shape (sections, objects, JSON types). References and codes
// are left to the validator.
struct json_reader {
  error_sink& errors;
  spec& out;
  read_notes& notes;

  // false when the document is not an object (nothing else is read).
  [[nodiscard]] bool read(const json& doc) {
    if (!doc.is_object()) {
      errors.add(section::document, std::string("expected an object, got ") + doc.type_name());
      return false;
    }
    check_schema(doc);
    const json* instansi_arr = section_array(doc, section::instansi, true, notes.instansi_ok);
    const json* unit_arr = section_array(doc, section::units, true, notes.units_ok);
    const json* position_arr = section_array(doc, section::positions, true, notes.positions_ok);
    const json* employee_arr = section_array(doc, section::employees, false, notes.positions_ok);
    bool unused = true;
    const json* delegation_arr = section_array(doc, section::delegations, false, unused);
    const json* team_arr = section_array(doc, section::teams, false, unused);
    read_items(instansi_arr, section::instansi, out.instansi, &json_reader::read_instansi);
    read_items(unit_arr, section::units, out.units, &json_reader::read_unit);
    read_items(position_arr, section::positions, out.positions, &json_reader::read_position);
    read_items(employee_arr, section::employees, out.employees, &json_reader::read_employee);
    read_items(delegation_arr, section::delegations, out.delegations, &json_reader::read_delegation);
    notes.team_objects.assign(count(team_arr), nullptr);
    read_items(team_arr, section::teams, out.teams, &json_reader::read_team_item);
    return true;
  }

  void check_schema(const json& doc) {
    const auto it = doc.find("schema");
    if (it == doc.end()) {
      errors.add(section::schema, "missing required field");
    } else if (!it->is_string()) {
      errors.add(section::schema, std::string("expected a string, got ") + it->type_name());
    } else if (it->get_ref<const std::string&>() != "perwal-org/1") {
      errors.add(section::schema,
                 "unsupported schema " + quote(it->get_ref<const std::string&>()) + " (expected \"perwal-org/1\")");
    }
  }

  // The array of section `s`, or nullptr. A missing optional section (or
  // null) is empty; anything else that is not an array clears `ok`.
  [[nodiscard]] const json* section_array(const json& doc, section s, bool required, bool& ok) {
    const auto it = doc.find(section_name(s));
    if (it == doc.end() || (!required && it->is_null())) {
      if (required) {
        errors.add(s, "missing required field");
        ok = false;
      }
      return nullptr;
    }
    if (!it->is_array()) {
      errors.add(s, std::string("expected an array, got ") + it->type_name());
      ok = false;
      return nullptr;
    }
    if (it->size() >= none) {
      errors.add(s, "too many items");
      ok = false;
      return nullptr;
    }
    return &*it;
  }

  [[nodiscard]] static index count(const json* arr) { return arr == nullptr ? 0 : static_cast<index>(arr->size()); }

  // Each element of `arr` into `items` (an item that is not an object stays
  // empty, marked so).
  template <class Item>
  void read_items(const json* arr, section s, std::vector<Item>& items,
                  void (json_reader::*read_one)(item_reader&, index, const json&, Item&)) {
    const index n = count(arr);
    items.resize(n);
    auto& broken = notes.broken[static_cast<std::size_t>(s)];
    broken.assign(n, 0);
    for (index i = 0; i < n; ++i) {
      const json& obj = (*arr)[i];
      if (!obj.is_object()) {
        broken[i] = field_bit(field::none);
        errors.add(s, i, field::none, none, std::string("expected an object, got ") + obj.type_name());
        continue;
      }
      item_reader r(errors, s, i, obj, broken[i]);
      (this->*read_one)(r, i, obj, items[i]);
    }
  }

  void read_instansi(item_reader& r, index, const json&, instansi_spec& x) {
    r.read(field::id, true, x.id);
    r.read(field::name, false, x.name);
    r.read(field::pejabat_berwenang, x.pejabat_berwenang);
  }

  void read_unit(item_reader& r, index, const json&, unit_spec& u) {
    r.read(field::id, true, u.id);
    r.read(field::name, false, u.name);
    r.read(field::kind, true, u.kind);
    r.read(field::parent, u.parent);  // absent, null or broken: no parent (the validator tells them apart)
    r.read(field::instansi, u.instansi);
    r.read(field::head, u.head);
    r.tags(u.tags);
  }

  void read_position(item_reader& r, index i, const json&, position_spec& p) {
    r.read(field::id, true, p.id);
    r.read(field::title, false, p.title);
    r.read(field::kind, true, p.kind);
    r.read(field::jenis, true, p.jenis);
    if (const json* v = r.get(field::jenjang); v != nullptr && !v->is_null()) {
      if (v->is_string()) {
        p.jenjang = v->get<std::string>();
      } else {
        notes.broken[static_cast<std::size_t>(section::positions)][i] |= field_bit(field::jenjang);
        notes.jenjang_errors.emplace(i, std::string("expected a string, got ") + v->type_name());
      }
    }
    r.read(field::unit, true, p.unit);
    r.read(field::atasan, p.atasan);
    r.tags(p.tags);
  }

  void read_employee(item_reader& r, index, const json&, employee_spec& e) {
    r.read(field::nip, true, e.nip);
    r.read(field::name, false, e.name);
    r.read(field::position, true, e.position);
  }

  void read_delegation(item_reader& r, index, const json&, delegation_spec& d) {
    r.read(field::from, true, d.from);
    r.read(field::to, true, d.to);
    r.read(field::authority, true, d.authority);
    r.read(field::basis, false, d.basis);
  }

  void read_team_item(item_reader& r, index i, const json& obj, team_spec& t) {
    notes.team_objects[i] = &obj;
    read_team(r, i, obj, t, notes.broken_anggota);
  }

  // One team object (also what freezer::read_teams reads).
  void read_team(item_reader& r, index i, const json& obj, team_spec& t,
                 std::vector<std::pair<index, index>>& broken_anggota) {
    r.read(field::id, true, t.id);
    r.read(field::name, false, t.name);
    r.read(field::owner_unit, true, t.owner_unit);
    r.read(field::established_by, t.established_by);
    r.read(field::ketua, t.ketua);
    if (const json* v = r.get(field::anggota); v != nullptr && !v->is_null()) {
      if (!v->is_array()) {
        r.error(field::anggota, std::string("expected an array, got ") + v->type_name());
      } else {
        t.anggota.reserve(v->size());
        for (std::size_t j = 0; j < v->size(); ++j) {
          const auto sub = static_cast<index>(j);
          const std::string* ref = r.string_value(&(*v)[j], field::anggota, true, sub);
          if (ref == nullptr) broken_anggota.emplace_back(i, sub);
          t.anggota.push_back(ref == nullptr ? std::string() : *ref);
        }
      }
    }
    if (const json* v = r.get(field::target); v != nullptr && !v->is_null()) {
      if (!v->is_object()) {
        r.error(field::target, std::string("expected an object, got ") + v->type_name());
      } else {
        team_target_spec target;
        std::uint32_t target_broken = 0;
        item_reader tr(errors, section::teams, i, *v, target_broken);
        tr.read(field::target_sasaran, false, target.sasaran);
        tr.read(field::target_indikator, false, target.indikator);
        if (const auto it = v->find("nilai"); it != v->end()) target.nilai = *it;
        t.target = std::move(target);
      }
    }
    for (const auto& [key, value] : obj.items()) {
      if (std::find(team_keys.begin(), team_keys.end(), key) == team_keys.end()) t.fields[key] = value;
    }
  }
};

// Validates a spec into one org_graph (the build_/resolve_/check_ passes);
// freezer::freeze then makes the indices. `notes` (from the JSON reader,
// else null) says which fields were reported already.
struct loader {
  loader(const spec& s_, const read_notes* notes_, const vocabulary& vocab_, const structure& shape_, org_graph& out,
         error_sink& errors_)
      : s(s_), notes(notes_), vocab(vocab_), shape(shape_), g(out), errors(errors_) {
    pemerintah_daerah = vocab.find(category::unit_kind, "pemerintah_daerah").value_or(no_code);
    fungsional = vocab.find(category::jenis, "fungsional").value_or(no_code);
    if (notes != nullptr) {
      units_ok_ = notes->units_ok;
      positions_ok_ = notes->positions_ok;
      instansi_ok_ = notes->instansi_ok;
    }
  }

  const spec& s;
  const read_notes* notes;
  const vocabulary& vocab;
  const structure& shape;
  org_graph& g;
  error_sink& errors;
  code pemerintah_daerah = no_code;
  code fungsional = no_code;

  // References kept (as pointers into the spec) until their targets are known.
  struct unit_refs {
    const std::string* parent = nullptr;
    const std::string* instansi = nullptr;
    const std::string* head = nullptr;
    bool root = false;            // parent absent or null
    bool instansi_absent = true;  // instansi absent or null
  };
  std::vector<unit_refs> unit_refs_;
  std::vector<const std::string*> atasan_refs_;
  std::vector<const std::string*> pejabat_refs_;
  std::unordered_map<std::string, index> instansi_ids_;
  // A section that is not an array makes every reference into it fail;
  // those failures are not reported again.
  bool units_ok_ = true;
  bool positions_ok_ = true;
  bool instansi_ok_ = true;
  std::vector<tag_ref> tags_;

  [[nodiscard]] std::string_view intern(const std::string& x) { return g.strings_.add(x); }

  template <class T>
  [[nodiscard]] static const std::string* ref(const std::optional<T>& v) {
    return v ? &*v : nullptr;
  }

  // The fields of item `i` the reader reported (0 for a spec).
  [[nodiscard]] std::uint32_t broken(section sec, index i) const {
    return notes == nullptr ? 0 : notes->broken[static_cast<std::size_t>(sec)][i];
  }
  [[nodiscard]] static bool has(std::uint32_t mask, field f) { return (mask & field_bit(f)) != 0; }
  [[nodiscard]] static bool skipped(std::uint32_t mask) { return has(mask, field::none); }

  void read_tags(const std::vector<std::string>& tags, bool is_unit, index i) {
    const auto first = static_cast<std::uint32_t>(g.tag_pool_.size());
    for (const std::string& t : tags) g.tag_pool_.push_back(intern(t));
    const auto count = static_cast<std::uint32_t>(g.tag_pool_.size() - first);
    if (count != 0) tags_.push_back({is_unit, i, first, count});
  }

  // A required identifier: not empty (unless its field was reported).
  [[nodiscard]] bool valid_id(const std::string& id, std::uint32_t mask, section sec, index i, field f) {
    if (has(mask, f)) return false;
    if (id.empty()) {
      errors.add(sec, i, f, none, "must not be empty");
      return false;
    }
    return true;
  }

  // A code of `cat`; `what` names the category in messages ("unit kind").
  [[nodiscard]] code code_of(const std::string& name, std::uint32_t mask, section sec, index i, field f, category cat,
                             std::string_view what) {
    if (has(mask, f)) return no_code;
    if (const auto c = vocab.find(cat, name)) return *c;
    errors.add(sec, i, f, none, "unknown " + std::string(what) + " " + quote(name));
    return no_code;
  }

  // ---- validation ----

  [[nodiscard]] bool validate() {
    if (notes == nullptr && !fits()) return false;
    build_instansi();
    build_units();
    build_positions();
    build_employees();
    resolve_forward_refs();
    build_delegations();
    build_teams();
    check_unit_forest();
    check_atasan_forest();
    return errors.empty();
  }

  // Every section of a spec can be indexed (the reader checks a document's).
  [[nodiscard]] bool fits() {
    bool ok = true;
    const auto check = [&](section sec, std::size_t n) {
      if (n < none) return;
      errors.add(sec, "too many items");
      ok = false;
    };
    check(section::instansi, s.instansi.size());
    check(section::units, s.units.size());
    check(section::positions, s.positions.size());
    check(section::employees, s.employees.size());
    check(section::delegations, s.delegations.size());
    check(section::teams, s.teams.size());
    return ok;
  }

  void report_duplicate(index first, std::string_view id, section sec, index i, field f, std::string_view what) {
    errors.add(sec, i, f, none,
               "duplicate " + std::string(what) + " " + quote(id) + " (first at " + item_path(sec, first) + ")");
  }
  void register_id(std::unordered_map<std::string, index>& ids, const std::string& id, section sec, index i, field f,
                   std::string_view what) {
    const auto [it, inserted] = ids.try_emplace(id, i);
    if (!inserted) report_duplicate(it->second, id, sec, i, f, what);
  }
  template <class KeyOf>
  void register_id(id_table& ids, KeyOf&& key_of, std::string_view id, section sec, index i, field f,
                   std::string_view what) {
    if (const index first = ids.insert(id, i, key_of); first != none) report_duplicate(first, id, sec, i, f, what);
  }

  void build_instansi() {
    const auto n = static_cast<index>(s.instansi.size());
    g.instansi_.resize(n);
    pejabat_refs_.resize(n, nullptr);
    instansi_ids_.reserve(n);
    for (index i = 0; i < n; ++i) {
      const std::uint32_t mask = broken(section::instansi, i);
      if (skipped(mask)) continue;
      const instansi_spec& in = s.instansi[i];
      instansi& x = g.instansi_[i];
      if (valid_id(in.id, mask, section::instansi, i, field::id)) {
        x.id = intern(in.id);
        register_id(instansi_ids_, in.id, section::instansi, i, field::id, "instansi id");
      }
      x.name = intern(in.name);
      pejabat_refs_[i] = ref(in.pejabat_berwenang);
    }
  }

  void build_units() {
    const auto n = static_cast<index>(s.units.size());
    g.units_.resize(n);
    unit_refs_.resize(n);
    g.unit_ids_.reserve_for(n);
    for (index i = 0; i < n; ++i) {
      const std::uint32_t mask = broken(section::units, i);
      if (skipped(mask)) continue;
      const unit_spec& in = s.units[i];
      unit& u = g.units_[i];
      unit_refs& refs = unit_refs_[i];
      if (valid_id(in.id, mask, section::units, i, field::id)) {
        u.id = intern(in.id);
        register_id(g.unit_ids_, freezer::unit_key(g), u.id, section::units, i, field::id, "unit id");
      }
      u.name = intern(in.name);
      u.kind = code_of(in.kind, mask, section::units, i, field::kind, category::unit_kind, "unit kind");
      // a parent or instansi of the wrong type is neither absent nor a reference
      refs.root = !in.parent && !has(mask, field::parent);
      refs.parent = ref(in.parent);
      refs.instansi_absent = !in.instansi && !has(mask, field::instansi);
      refs.instansi = ref(in.instansi);
      refs.head = ref(in.head);
      read_tags(in.tags, true, i);
    }
  }

  void build_positions() {
    const auto n = static_cast<index>(s.positions.size());
    g.positions_.resize(n);
    atasan_refs_.resize(n, nullptr);
    g.position_ids_.reserve_for(n);
    for (index i = 0; i < n; ++i) {
      const std::uint32_t mask = broken(section::positions, i);
      if (skipped(mask)) continue;
      const position_spec& in = s.positions[i];
      position& p = g.positions_[i];
      if (valid_id(in.id, mask, section::positions, i, field::id)) {
        p.id = intern(in.id);
        register_id(g.position_ids_, freezer::position_key(g), p.id, section::positions, i, field::id, "position id");
      }
      p.title = intern(in.title);
      p.kind = code_of(in.kind, mask, section::positions, i, field::kind, category::position_kind, "position kind");
      p.jenis = code_of(in.jenis, mask, section::positions, i, field::jenis, category::jenis, "jenis");
      build_jenjang(in, mask, i, p);
      if (!has(mask, field::unit)) p.unit = resolve_unit(in.unit, section::positions, i, field::unit);
      atasan_refs_[i] = ref(in.atasan);
      read_tags(in.tags, false, i);
    }
  }

  // A jenjang belongs to fungsional positions only, and every one has one.
  void build_jenjang(const position_spec& in, std::uint32_t mask, index i, position& p) {
    const bool given = in.jenjang.has_value() || has(mask, field::jenjang);
    const bool is_fungsional = p.jenis != no_code && p.jenis == fungsional;
    if (given && p.jenis != no_code && !is_fungsional) {
      errors.add(section::positions, i, field::jenjang, none,
                 "only a fungsional position has a jenjang (jenis is " + quote(vocab.name(p.jenis)) + ")");
      return;
    }
    if (!given) return;               // CONTRACT §1 gives jenjang to fungsional positions; it is optional data
    if (has(mask, field::jenjang)) {  // not a string
      errors.add(section::positions, i, field::jenjang, none, notes->jenjang_errors.at(i));
      return;
    }
    p.jenjang = code_of(*in.jenjang, mask, section::positions, i, field::jenjang, category::jenjang, "jenjang");
  }

  void build_employees() {
    const auto n = static_cast<index>(s.employees.size());
    g.employees_.resize(n);
    g.nips_.reserve_for(n);
    for (index i = 0; i < n; ++i) {
      const std::uint32_t mask = broken(section::employees, i);
      if (skipped(mask)) continue;
      const employee_spec& in = s.employees[i];
      employee& e = g.employees_[i];
      if (valid_id(in.nip, mask, section::employees, i, field::nip)) {
        e.nip = intern(in.nip);
        register_id(g.nips_, freezer::nip_key(g), e.nip, section::employees, i, field::nip, "NIP");
      }
      e.name = intern(in.name);
      if (!has(mask, field::position)) {
        const index found = g.position_ids_.find(in.position, freezer::position_key(g));
        if (found != none) {
          e.position = found;
        } else if (positions_ok_) {
          errors.add(section::employees, i, field::position, none, "no position " + quote(in.position));
        }
      }
    }
  }

  [[nodiscard]] index resolve_unit(const std::string& id, section sec, index i, field f) {
    if (const index found = g.unit_ids_.find(id, freezer::unit_key(g)); found != none) return found;
    if (units_ok_) errors.add(sec, i, f, none, "no unit " + quote(id));
    return none;
  }

  [[nodiscard]] index resolve_instansi(const std::string& id, section sec, index i, field f) {
    const auto it = instansi_ids_.find(id);
    if (it != instansi_ids_.end()) return it->second;
    if (instansi_ok_) errors.add(sec, i, f, none, "no instansi " + quote(id));
    return none;
  }

  // A position id, or the NIP of the employee holding the position.
  [[nodiscard]] index resolve_position(const std::string& id, section sec, index i, field f, index sub = none) {
    if (const index found = g.position_ids_.find(id, freezer::position_key(g)); found != none) return found;
    // none when that employee's own position is broken (reported there)
    if (const index found = g.nips_.find(id, freezer::nip_key(g)); found != none) return g.employees_[found].position;
    if (positions_ok_) errors.add(sec, i, f, sub, "no position " + quote(id));
    return none;
  }

  // References that may name an item read after the referring one.
  void resolve_forward_refs() {
    for (index i = 0; i < g.instansi_.size(); ++i) {
      if (pejabat_refs_[i] != nullptr) {
        g.instansi_[i].pejabat_berwenang =
            resolve_position(*pejabat_refs_[i], section::instansi, i, field::pejabat_berwenang);
      }
    }
    for (index i = 0; i < g.units_.size(); ++i) {
      const unit_refs& refs = unit_refs_[i];
      unit& u = g.units_[i];
      if (refs.parent != nullptr) u.parent = resolve_unit(*refs.parent, section::units, i, field::parent);
      if (refs.instansi != nullptr) u.instansi = resolve_instansi(*refs.instansi, section::units, i, field::instansi);
      if (refs.head != nullptr) u.head = resolve_position(*refs.head, section::units, i, field::head);
    }
    for (index i = 0; i < g.positions_.size(); ++i) {
      if (atasan_refs_[i] != nullptr) {
        g.positions_[i].atasan = resolve_position(*atasan_refs_[i], section::positions, i, field::atasan);
      }
    }
  }

  void build_delegations() {
    const auto n = static_cast<index>(s.delegations.size());
    g.delegations_.resize(n);
    for (index i = 0; i < n; ++i) {
      delegation& d = g.delegations_[i];
      d.json_path = item_path(section::delegations, i);
      const std::uint32_t mask = broken(section::delegations, i);
      if (skipped(mask)) continue;
      const delegation_spec& in = s.delegations[i];
      if (!has(mask, field::from)) d.from = resolve_position(in.from, section::delegations, i, field::from);
      if (!has(mask, field::to)) d.to = resolve_position(in.to, section::delegations, i, field::to);
      d.authority =
          code_of(in.authority, mask, section::delegations, i, field::authority, category::authority, "authority");
      d.basis = intern(in.basis);
    }
  }

  void build_teams() {
    const auto n = static_cast<index>(s.teams.size());
    g.teams_.resize(n);
    g.team_ids_.reserve_for(n);
    for (index i = 0; i < n; ++i) {
      g.teams_[i].json_path = item_path(section::teams, i);
      const std::uint32_t mask = broken(section::teams, i);
      if (skipped(mask)) continue;
      g.teams_[i].extra = notes != nullptr ? *notes->team_objects[i] : to_json(s.teams[i]);
      build_team(i, s.teams[i], mask, notes != nullptr ? notes->broken_anggota : no_broken_anggota);
    }
  }

  static inline const std::vector<std::pair<index, index>> no_broken_anggota;

  // The typed fields of team `i` (its `extra` and json_path are set).
  void build_team(index i, const team_spec& in, std::uint32_t mask,
                  const std::vector<std::pair<index, index>>& broken_anggota) {
    team& t = g.teams_[i];
    if (valid_id(in.id, mask, section::teams, i, field::id)) {
      t.id = intern(in.id);
      register_id(g.team_ids_, freezer::team_key(g), t.id, section::teams, i, field::id, "team id");
    }
    t.name = intern(in.name);
    if (!has(mask, field::owner_unit)) t.owner_unit = resolve_unit(in.owner_unit, section::teams, i, field::owner_unit);
    if (in.established_by) {
      t.established_by = resolve_position(*in.established_by, section::teams, i, field::established_by);
    }
    if (in.ketua) t.ketua = resolve_position(*in.ketua, section::teams, i, field::ketua);
    t.anggota.reserve(in.anggota.size());
    for (std::size_t j = 0; j < in.anggota.size(); ++j) {
      const auto sub = static_cast<index>(j);
      const bool bad = std::binary_search(broken_anggota.begin(), broken_anggota.end(), std::pair(i, sub));
      t.anggota.push_back(bad ? none : resolve_position(in.anggota[j], section::teams, i, field::anggota, sub));
    }
    if (in.target) {
      t.target.sasaran = intern(in.target->sasaran);
      t.target.indikator = intern(in.target->indikator);
      t.target.nilai = in.target->nilai;
    }
  }

  // Parent cycles; each root is a pemerintah_daerah naming its instansi, one
  // per instansi, and every inner unit agrees with the instansi it inherits.
  void check_unit_forest() {
    const auto roots = find_roots(g.units_, &unit::parent, [&](auto first, auto last) {
      errors.add(section::units, *std::min_element(first, last), field::parent, none,
                 cycle_text(first, last, [&](index u) { return g.units_[u].id; }));
    });
    for (index i = 0; i < g.units_.size(); ++i) {
      const unit_refs& refs = unit_refs_[i];
      const unit& u = g.units_[i];
      if (refs.root) {
        check_root(i);
      } else if (refs.parent != nullptr && u.kind != no_code && u.kind == pemerintah_daerah) {
        errors.add(section::units, i, field::parent, none,
                   "a pemerintah_daerah unit is the root of its instansi; its parent must be null");
      } else if (u.instansi != none && roots[i] != none && unit_refs_[roots[i]].root) {
        const unit& root = g.units_[roots[i]];
        if (root.instansi != none && root.instansi != u.instansi) {
          errors.add(section::units, i, field::instansi, none,
                     "unit lies under " + quote(root.id) + " of instansi " + quote(g.instansi_[root.instansi].id) +
                         ", not " + quote(g.instansi_[u.instansi].id));
        }
      }
    }
    if (!units_ok_) return;
    for (index i = 0; i < g.instansi_.size(); ++i) {
      const instansi& x = g.instansi_[i];
      if (x.root_unit != none || x.id.empty() || instansi_ids_.at(std::string(x.id)) != i) continue;
      errors.add(section::instansi, i, field::none, none,
                 "no root unit (expected a unit of kind \"pemerintah_daerah\" with parent null and instansi " +
                     quote(x.id) + ")");
    }
  }

  void check_root(index i) {
    const unit& u = g.units_[i];
    if (u.kind != no_code && u.kind != pemerintah_daerah) {
      errors.add(section::units, i, field::parent, none,
                 "only a pemerintah_daerah unit may have no parent (kind is " + quote(vocab.name(u.kind)) + ")");
    }
    if (unit_refs_[i].instansi_absent) {
      errors.add(section::units, i, field::instansi, none, "required on a root unit");
      return;
    }
    if (u.instansi == none) return;  // broken reference, reported
    instansi& x = g.instansi_[u.instansi];
    if (x.root_unit == none) {
      x.root_unit = i;
    } else {
      errors.add(section::units, i, field::instansi, none,
                 "instansi " + quote(x.id) + " already has root unit " + quote(g.units_[x.root_unit].id));
    }
  }

  void check_atasan_forest() {
    (void)find_roots(g.positions_, &position::atasan, [&](auto first, auto last) {
      errors.add(section::positions, *std::min_element(first, last), field::atasan, none,
                 cycle_text(first, last, [&](index p) { return g.positions_[p].id; }));
    });
  }
};

// The freezing steps of freezer::freeze.
struct freeze_steps {
  org_graph& g;
  const structure& shape;

  // Only for a valid org: every reference resolved, no cycles.
  void freeze(std::span<const tag_ref> tags) {
    for (const tag_ref& t : tags) {
      const tag_list span(g.tag_pool_.data() + t.first, t.count);
      if (t.unit) {
        g.units_[t.item].tags = span;
      } else {
        g.positions_[t.item].tags = span;
      }
    }
    order_forest(g.units_, &unit::parent, g.unit_by_pre_.build());
    {
      std::vector<index> positions_by_pre;
      order_forest(g.positions_, &position::atasan, positions_by_pre);
    }
    index_unit_context();
    index_heads();
    index_positions_by_unit();
    index_employees();
    index_delegations();
    index_teams();
    build_graph();
  }

  [[nodiscard]] bool uo_counts_in(code kind, code pd_kind) const {
    for (const auto& [k, pds] : shape.unit_organisasi_within) {
      if (k == kind) return std::find(pds.begin(), pds.end(), pd_kind) != pds.end();
    }
    return true;
  }

  // instansi, perangkat daerah, unit organisasi and unit_of_kind, in
  // pre-order so that every parent is done before its children.
  void index_unit_context() {
    std::bitset<0x10000> pd_kinds, uo_kinds;
    for (const code k : shape.perangkat_daerah_kinds) pd_kinds.set(k);
    for (const code k : shape.unit_organisasi_kinds) uo_kinds.set(k);
    g.unit_of_kind_.reserve(g.units_.size() / 4 + 16);
    for (const index v : g.unit_by_pre_) {
      unit& u = g.units_[v];
      const unit* up = u.parent == none ? nullptr : &g.units_[u.parent];
      if (up != nullptr) u.instansi = up->instansi;  // a root keeps its own
      u.perangkat_daerah = pd_kinds[u.kind] ? v : (up != nullptr ? up->perangkat_daerah : none);
      if (u.perangkat_daerah == none) {
        u.unit_organisasi = none;  // above PD level
      } else if ((uo_kinds[u.kind] && uo_counts_in(u.kind, g.units_[u.perangkat_daerah].kind)) ||
                 u.perangkat_daerah == v) {
        u.unit_organisasi = v;  // a UO itself, or a PD with no UO at or above this unit inside it
      } else {
        u.unit_organisasi = up->unit_organisasi;  // same PD as the parent, so the search stops at it too
      }
      g.unit_of_kind_.try_emplace(kind_key(u.instansi, u.kind), v);
    }
  }

  // A position heading several units (an acting head) keeps the first.
  void index_heads() {
    for (index v = 0; v < g.units_.size(); ++v) {
      const index h = g.units_[v].head;
      if (h != none && g.positions_[h].heads == none) g.positions_[h].heads = v;
    }
  }

  // Counting sort of positions by their unit's pre-order number: the
  // positions of a unit subtree [pre, post] are then one slice.
  void index_positions_by_unit() {
    const auto nu = static_cast<index>(g.units_.size());
    auto& first = g.unit_first_pos_.build();
    first.assign(std::size_t{nu} + 1, 0);
    for (const position& p : g.positions_) ++first[g.units_[p.unit].pre + 1];
    std::partial_sum(first.begin(), first.end(), first.begin());
    auto& by_pre = g.positions_by_unit_pre_.build();
    by_pre.resize(g.positions_.size());
    {
      std::vector<std::uint32_t> cursor(first.begin(), first.end() - 1);
      for (index p = 0; p < g.positions_.size(); ++p) {
        by_pre[cursor[g.units_[g.positions_[p].unit].pre]++] = p;
      }
    }
    auto& last = g.unit_last_pos_.build();
    last.resize(nu);
    for (index k = 0; k < nu; ++k) last[k] = first[g.units_[g.unit_by_pre_[k]].post + 1];
  }

  // A position held by several employees keeps the first.
  void index_employees() {
    auto& by_position = g.employee_by_position_.build();
    by_position.assign(g.positions_.size(), none);
    for (index e = 0; e < g.employees_.size(); ++e) {
      index& slot_of = by_position[g.employees_[e].position];
      if (slot_of == none) slot_of = e;
    }
  }

  // Groups (position, item) pairs by position in CSR form, keeping input order.
  static void group_by_position(std::size_t positions, const std::vector<std::pair<index, index>>& pairs,
                                std::vector<std::uint32_t>& first, std::vector<index>& items) {
    first.assign(positions + 1, 0);
    for (const auto& [p, item] : pairs) ++first[p + 1];
    std::partial_sum(first.begin(), first.end(), first.begin());
    items.resize(pairs.size());
    std::vector<std::uint32_t> cursor(first.begin(), first.end() - 1);
    for (const auto& [p, item] : pairs) items[cursor[p]++] = item;
  }

  void index_delegations() {
    std::vector<std::pair<index, index>> pairs;
    pairs.reserve(g.delegations_.size());
    for (index d = 0; d < g.delegations_.size(); ++d) pairs.emplace_back(g.delegations_[d].to, d);
    group_by_position(g.positions_.size(), pairs, g.delegation_first_.build(), g.delegation_list_.build());
  }

  // A position that is both ketua and anggota (or listed twice) is a member once.
  void index_teams() {
    std::vector<std::pair<index, index>> pairs;
    std::vector<index> members;
    for (index t = 0; t < g.teams_.size(); ++t) {
      const team& x = g.teams_[t];
      members.assign(x.anggota.begin(), x.anggota.end());
      if (x.ketua != none) members.push_back(x.ketua);
      std::sort(members.begin(), members.end());
      members.erase(std::unique(members.begin(), members.end()), members.end());
      for (const index p : members) pairs.emplace_back(p, t);
    }
    group_by_position(g.positions_.size(), pairs, g.team_first_.build(), g.team_list_.build());
  }

  // Edges in a fixed order (units, positions, employees, delegations,
  // teams), then one counting sort into CSR form by Boost.
  void build_graph() {
    const std::size_t nu = g.units_.size(), np = g.positions_.size(), ne = g.employees_.size();
    const std::size_t nt = g.teams_.size();
    g.vertex_base_ = {0, static_cast<std::uint32_t>(nu), static_cast<std::uint32_t>(nu + np),
                      static_cast<std::uint32_t>(nu + np + ne)};
    std::vector<std::pair<std::uint32_t, std::uint32_t>> ends;
    std::vector<edge_props> props;
    const std::size_t expected = nu * 2 + np * 2 + ne + g.delegations_.size() + nt * 2;
    ends.reserve(expected);
    props.reserve(expected);
    const auto edge = [&](vertex_kind fk, index from, vertex_kind tk, index to, edge_kind k) {
      ends.emplace_back(g.vertex_of(fk, from), g.vertex_of(tk, to));
      props.push_back(edge_props{k});
    };
    using vk = vertex_kind;
    for (index u = 0; u < nu; ++u) {
      if (g.units_[u].parent != none) edge(vk::unit, u, vk::unit, g.units_[u].parent, edge_kind::parent);
      if (g.units_[u].head != none) edge(vk::position, g.units_[u].head, vk::unit, u, edge_kind::heads);
    }
    for (index p = 0; p < np; ++p) {
      const position& x = g.positions_[p];
      if (x.atasan != none) edge(vk::position, p, vk::position, x.atasan, edge_kind::atasan);
      edge(vk::position, p, vk::unit, x.unit, edge_kind::in_unit);
    }
    for (index e = 0; e < ne; ++e) edge(vk::employee, e, vk::position, g.employees_[e].position, edge_kind::holds);
    for (const delegation& d : g.delegations_) edge(vk::position, d.from, vk::position, d.to, edge_kind::delegates);
    for (index t = 0; t < nt; ++t) {
      const team& x = g.teams_[t];
      edge(vk::team, t, vk::unit, x.owner_unit, edge_kind::owns);
      if (x.ketua != none) edge(vk::team, t, vk::position, x.ketua, edge_kind::ketua);
      for (const index p : x.anggota) edge(vk::team, t, vk::position, p, edge_kind::anggota);
    }
    g.graph_ = graph_type(boost::edges_are_unsorted_multi_pass, ends.begin(), ends.end(), props.begin(),
                          static_cast<std::uint32_t>(nu + np + ne + nt));
    ends = {};
    props = {};
    set_vertex_props(g, g.graph_);
  }

  static void set_vertex_props(const org_graph& g, graph_type& graph) {
    const auto count = [&](vertex_kind k) -> std::size_t {
      switch (k) {
        case vertex_kind::unit:
          return g.units_.size();
        case vertex_kind::position:
          return g.positions_.size();
        case vertex_kind::employee:
          return g.employees_.size();
        case vertex_kind::team:
          return g.teams_.size();
      }
      return 0;
    };
    for (const vertex_kind k : {vertex_kind::unit, vertex_kind::position, vertex_kind::employee, vertex_kind::team}) {
      const std::size_t n = count(k);
      for (std::size_t i = 0; i < n; ++i) graph[g.vertex_of(k, static_cast<index>(i))] = {k, static_cast<index>(i)};
    }
  }
};

void freezer::freeze(org_graph& g, const structure& shape, std::span<const tag_ref> tags) {
  freeze_steps{g, shape}.freeze(tags);
}

bool freezer::read_teams(org_graph& g, const vocabulary& vocab, const structure& shape) {
  error_sink errors;
  const spec no_spec;
  spec unused;
  read_notes notes;
  json_reader reader{errors, unused, notes};
  loader l(no_spec, nullptr, vocab, shape, g, errors);
  g.team_ids_.reserve_for(g.teams_.size());
  std::vector<std::pair<index, index>> broken_anggota;
  for (index i = 0; i < g.teams_.size(); ++i) {
    const json& obj = g.teams_[i].extra;
    if (!obj.is_object()) return false;
    team_spec t;
    std::uint32_t mask = 0;
    item_reader r(errors, section::teams, i, obj, mask);
    reader.read_team(r, i, obj, t, broken_anggota);
    if (!errors.empty()) return false;
    l.build_team(i, t, mask, broken_anggota);
    if (!errors.empty()) return false;
  }
  return true;
}

void freezer::set_vertex_props(const org_graph& g, graph_type& graph) {
  freeze_steps::set_vertex_props(g, graph);
}

std::shared_ptr<const org_graph> org_graph::load(std::string_view text, std::string_view source_name,
                                                 const vocabulary& vocab, const structure& shape,
                                                 std::vector<load_error>& errors) {
  // The streaming reader gives up on anything invalid or unusual; the
  // reference loader then produces the complete error list.
  if (auto g = load_streaming(text, vocab, shape)) return g;
  return load_reference(text, source_name, vocab, shape, errors);
}

std::shared_ptr<const org_graph> org_graph::load_reference(std::string_view text, std::string_view source_name,
                                                           const vocabulary& vocab, const structure& shape,
                                                           std::vector<load_error>& errors) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    errors.push_back({syntax_location(text, e.byte, source_name), explanation(e.what())});
    return nullptr;
  } catch (const nlohmann::json::exception& e) {  // e.g. a number out of range
    errors.push_back({std::string(source_name), explanation(e.what())});
    return nullptr;
  }
  return load(doc, vocab, shape, errors);
}

std::shared_ptr<const org_graph> org_graph::load(const nlohmann::json& doc, const vocabulary& vocab,
                                                 const structure& shape, std::vector<load_error>& errors) {
  // The document into a spec (reporting what is not of its shape), then the
  // spec's validation, told which fields were reported already.
  error_sink sink;
  spec s;
  read_notes notes;
  if (!json_reader{sink, s, notes}.read(doc)) {
    sink.flush(errors);
    return nullptr;
  }
  auto g = std::make_shared<org_graph>();
  loader l(s, &notes, vocab, shape, *g, sink);
  const bool valid = l.validate();
  sink.flush(errors);
  if (!valid) return nullptr;
  freezer::freeze(*g, shape, l.tags_);
  return g;
}

std::shared_ptr<const org_graph> build(const spec& s, const vocabulary& vocab, const structure& shape,
                                       std::vector<load_error>& errors) {
  error_sink sink;
  auto g = std::make_shared<org_graph>();
  loader l(s, nullptr, vocab, shape, *g, sink);
  const bool valid = l.validate();
  sink.flush(errors);
  if (!valid) return nullptr;
  freezer::freeze(*g, shape, l.tags_);
  return g;
}

std::optional<spec> read_spec(const nlohmann::json& doc, std::vector<load_error>& errors) {
  error_sink sink;
  spec s;
  read_notes notes;
  if (json_reader{sink, s, notes}.read(doc)) {
    // a jenjang of the wrong type, which load() reports only where a jenjang may be
    for (const auto& [i, message] : notes.jenjang_errors) {
      sink.add(section::positions, i, field::jenjang, none, message);
    }
  }
  if (sink.empty()) return s;
  sink.flush(errors);
  return std::nullopt;
}

index org_graph::find_position(std::string_view id_or_nip) const {
  if (const index p = position_ids_.find(id_or_nip, [this](index k) { return positions_[k].id; }); p != none) return p;
  if (const index e = nips_.find(id_or_nip, [this](index k) { return employees_[k].nip; }); e != none) {
    return employees_[e].position;
  }
  return none;
}

index org_graph::find_unit(std::string_view id) const {
  return unit_ids_.find(id, [this](index k) { return units_[k].id; });
}

index org_graph::find_team(std::string_view id) const {
  return team_ids_.find(id, [this](index k) { return teams_[k].id; });
}

namespace {
constexpr std::size_t arena_block = std::size_t{16} << 20;
}  // namespace

std::string_view string_arena::add(std::string_view s) {
  if (s.empty()) return {};
  if (s.size() > left_) {
    if (s.size() > arena_block / 4) {  // a long string gets a block of its own
      auto block = std::make_unique<char[]>(s.size());
      std::memcpy(block.get(), s.data(), s.size());
      blocks_.push_back(std::move(block));
      total_ += s.size();
      return {blocks_.back().get(), s.size()};
    }
    blocks_.push_back(std::make_unique_for_overwrite<char[]>(arena_block));
    cursor_ = blocks_.back().get();
    prefer_huge_pages(cursor_, arena_block);
    left_ = arena_block;
  }
  std::memcpy(cursor_, s.data(), s.size());
  const std::string_view out(cursor_, s.size());
  cursor_ += s.size();
  left_ -= s.size();
  total_ += s.size();
  return out;
}

bool org_graph::unit_contains(index a, index b) const {
  if (a >= units_.size() || b >= units_.size()) return false;
  return units_[a].pre <= units_[b].pre && units_[b].pre <= units_[a].post;
}

bool org_graph::superior_of(index a, index b) const {
  if (a >= positions_.size() || b >= positions_.size()) return false;
  return positions_[a].pre <= positions_[b].pre && positions_[b].pre <= positions_[a].post;
}

index org_graph::common_unit(index a, index b) const {
  if (a >= units_.size() || b >= units_.size()) return none;
  while (a != b) {
    if (a == none || b == none) return none;  // different trees
    const std::uint32_t da = units_[a].depth, db = units_[b].depth;
    if (da >= db) a = units_[a].parent;
    if (db >= da) b = units_[b].parent;
  }
  return a;
}

std::vector<index> org_graph::atasan_chain(index p) const {
  std::vector<index> chain;
  if (p >= positions_.size()) return chain;
  chain.reserve(positions_[p].depth + 1);
  for (; p != none; p = positions_[p].atasan) chain.push_back(p);
  return chain;
}

std::vector<index> org_graph::unit_chain(index u) const {
  std::vector<index> chain;
  if (u >= units_.size()) return chain;
  chain.reserve(units_[u].depth + 1);
  for (; u != none; u = units_[u].parent) chain.push_back(u);
  return chain;
}

std::pair<const index*, const index*> org_graph::positions_under(index u) const {
  if (u >= units_.size()) return {nullptr, nullptr};
  const index* base = positions_by_unit_pre_.data();
  const std::uint32_t pre = units_[u].pre;
  return {base + unit_first_pos_[pre], base + unit_last_pos_[pre]};
}

bool org_graph::has_delegation(index p, code authority) const {
  if (p >= positions_.size()) return false;
  for (std::uint32_t k = delegation_first_[p]; k < delegation_first_[p + 1]; ++k) {
    if (delegations_[delegation_list_[k]].authority == authority) return true;
  }
  return false;
}

std::vector<index> org_graph::delegations_to(index p) const {
  if (p >= positions_.size()) return {};
  return {delegation_list_.begin() + delegation_first_[p], delegation_list_.begin() + delegation_first_[p + 1]};
}

index org_graph::unit_of_kind(index instansi_index, code k) const {
  const auto it = unit_of_kind_.find(kind_key(instansi_index, k));
  return it == unit_of_kind_.end() ? none : it->second;
}

std::vector<index> org_graph::teams_of(index p) const {
  if (p >= positions_.size()) return {};
  return {team_list_.begin() + team_first_[p], team_list_.begin() + team_first_[p + 1]};
}

index org_graph::employee_of(index p) const {
  return p < employee_by_position_.size() ? employee_by_position_[p] : none;
}

}  // namespace perwal::org
