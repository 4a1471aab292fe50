// Loading an org (perwal-org/1): parse, validate while collecting every
// error, then freeze into the Boost.Graph and the precomputed indices.
//
// Validation runs in passes so that references may point forwards: read
// instansi, units, positions and employees (registering ids and NIPs), then
// resolve the references that may name a later item, then read delegations
// and teams (everything they name is known by then), then check the shape of
// the parent and atasan forests. Errors carry their JSON location and are
// reported sorted by it, so the order does not depend on the passes.
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

// Typed access to the fields of one item, reporting what is missing or of
// the wrong type.
class item_reader {
 public:
  item_reader(error_sink& errors, section sec, index item, const json& obj)
      : errors_(errors), sec_(sec), item_(item), obj_(obj) {}

  void error(field f, std::string message, index sub = none) { errors_.add(sec_, item_, f, sub, std::move(message)); }

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

  // A required, non-empty identifier.
  [[nodiscard]] const std::string* id(field f) {
    const std::string* s = string(f, true);
    if (s != nullptr && s->empty()) {
      error(f, "must not be empty");
      return nullptr;
    }
    return s;
  }

  // A code of `cat`; `what` names the category in messages ("unit kind").
  [[nodiscard]] code code_value(const std::string* s, field f, const vocabulary& vocab, category cat,
                                std::string_view what) {
    if (s == nullptr) return no_code;
    if (const auto c = vocab.find(cat, *s)) return *c;
    error(f, "unknown " + std::string(what) + " " + quote(*s));
    return no_code;
  }
  [[nodiscard]] code required_code(field f, const vocabulary& vocab, category cat, std::string_view what) {
    return code_value(string(f, true), f, vocab, cat, what);
  }

  // Optional array of strings; null counts as absent. Appends to `pool`.
  template <class Intern>
  void tags(std::vector<std::string_view>& pool, Intern&& intern) {
    const json* v = get(field::tags);
    if (v == nullptr || v->is_null()) return;
    if (!v->is_array()) {
      error(field::tags, std::string("expected an array of strings, got ") + v->type_name());
      return;
    }
    for (std::size_t j = 0; j < v->size(); ++j) {
      if (const std::string* s = string_value(&(*v)[j], field::tags, true, static_cast<index>(j))) {
        pool.push_back(intern(*s));
      }
    }
  }

 private:
  error_sink& errors_;
  section sec_;
  index item_;
  const json& obj_;
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

// Builds one org_graph: validation (the read_/resolve_/check_ passes), then
// freezing (the index_ steps and the graph).
struct loader {
  loader(const json& doc_, const vocabulary& vocab_, const structure& shape_, org_graph& out)
      : doc(doc_), vocab(vocab_), shape(shape_), g(out) {
    pemerintah_daerah = vocab.find(category::unit_kind, "pemerintah_daerah").value_or(no_code);
    fungsional = vocab.find(category::jenis, "fungsional").value_or(no_code);
  }

  const json& doc;
  const vocabulary& vocab;
  const structure& shape;
  org_graph& g;
  error_sink errors;
  code pemerintah_daerah = no_code;
  code fungsional = no_code;

  // References kept (as pointers into `doc`) until their targets are known.
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

  [[nodiscard]] std::string_view intern(const std::string& s) { return g.strings_.add(s); }

  void read_tags(item_reader& r, bool is_unit, index i) {
    const auto first = static_cast<std::uint32_t>(g.tag_pool_.size());
    r.tags(g.tag_pool_, [this](const std::string& t) { return intern(t); });
    const auto count = static_cast<std::uint32_t>(g.tag_pool_.size() - first);
    if (count != 0) tags_.push_back({is_unit, i, first, count});
  }

  // ---- validation ----

  [[nodiscard]] bool validate() {
    if (!doc.is_object()) {
      errors.add(section::document, std::string("expected an object, got ") + doc.type_name());
      return false;
    }
    check_schema();
    const json* instansi_arr = section_array(section::instansi, true, instansi_ok_);
    const json* unit_arr = section_array(section::units, true, units_ok_);
    const json* position_arr = section_array(section::positions, true, positions_ok_);
    const json* employee_arr = section_array(section::employees, false, positions_ok_);
    bool unused = true;
    const json* delegation_arr = section_array(section::delegations, false, unused);
    const json* team_arr = section_array(section::teams, false, unused);

    read_instansi(instansi_arr);
    read_units(unit_arr);
    read_positions(position_arr);
    read_employees(employee_arr);
    resolve_forward_refs();
    read_delegations(delegation_arr);
    read_teams(team_arr);
    check_unit_forest();
    check_atasan_forest();
    return errors.empty();
  }

  void check_schema() {
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
  [[nodiscard]] const json* section_array(section s, bool required, bool& ok) {
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

  [[nodiscard]] bool is_item(const json& obj, section s, index i) {
    if (obj.is_object()) return true;
    errors.add(s, i, field::none, none, std::string("expected an object, got ") + obj.type_name());
    return false;
  }

  void report_duplicate(index first, std::string_view id, section s, index i, field f, std::string_view what) {
    errors.add(s, i, f, none,
               "duplicate " + std::string(what) + " " + quote(id) + " (first at " + item_path(s, first) + ")");
  }
  void register_id(std::unordered_map<std::string, index>& ids, const std::string& id, section s, index i, field f,
                   std::string_view what) {
    const auto [it, inserted] = ids.try_emplace(id, i);
    if (!inserted) report_duplicate(it->second, id, s, i, f, what);
  }
  template <class KeyOf>
  void register_id(id_table& ids, KeyOf&& key_of, std::string_view id, section s, index i, field f,
                   std::string_view what) {
    if (const index first = ids.insert(id, i, key_of); first != none) report_duplicate(first, id, s, i, f, what);
  }

  void read_instansi(const json* arr) {
    const index n = count(arr);
    g.instansi_.resize(n);
    pejabat_refs_.resize(n, nullptr);
    instansi_ids_.reserve(n);
    for (index i = 0; i < n; ++i) {
      const json& obj = (*arr)[i];
      if (!is_item(obj, section::instansi, i)) continue;
      item_reader r(errors, section::instansi, i, obj);
      instansi& x = g.instansi_[i];
      if (const std::string* id = r.id(field::id)) {
        x.id = intern(*id);
        register_id(instansi_ids_, *id, section::instansi, i, field::id, "instansi id");
      }
      if (const std::string* name = r.string(field::name, false)) x.name = intern(*name);
      pejabat_refs_[i] = r.string(field::pejabat_berwenang, false);
    }
  }

  void read_units(const json* arr) {
    const index n = count(arr);
    g.units_.resize(n);
    unit_refs_.resize(n);
    g.unit_ids_.reserve_for(n);
    for (index i = 0; i < n; ++i) {
      const json& obj = (*arr)[i];
      if (!is_item(obj, section::units, i)) continue;
      item_reader r(errors, section::units, i, obj);
      unit& u = g.units_[i];
      unit_refs& refs = unit_refs_[i];
      if (const std::string* id = r.id(field::id)) {
        u.id = intern(*id);
        register_id(g.unit_ids_, freezer::unit_key(g), u.id, section::units, i, field::id, "unit id");
      }
      if (const std::string* name = r.string(field::name, false)) u.name = intern(*name);
      u.kind = r.required_code(field::kind, vocab, category::unit_kind, "unit kind");
      const json* parent = r.get(field::parent);
      refs.root = parent == nullptr || parent->is_null();
      refs.parent = r.string_value(parent, field::parent, false);
      const json* inst = r.get(field::instansi);
      refs.instansi_absent = inst == nullptr || inst->is_null();
      refs.instansi = r.string_value(inst, field::instansi, false);
      refs.head = r.string(field::head, false);
      read_tags(r, true, i);
    }
  }

  void read_positions(const json* arr) {
    const index n = count(arr);
    g.positions_.resize(n);
    atasan_refs_.resize(n, nullptr);
    g.position_ids_.reserve_for(n);
    for (index i = 0; i < n; ++i) {
      const json& obj = (*arr)[i];
      if (!is_item(obj, section::positions, i)) continue;
      item_reader r(errors, section::positions, i, obj);
      position& p = g.positions_[i];
      if (const std::string* id = r.id(field::id)) {
        p.id = intern(*id);
        register_id(g.position_ids_, freezer::position_key(g), p.id, section::positions, i, field::id, "position id");
      }
      if (const std::string* title = r.string(field::title, false)) p.title = intern(*title);
      p.kind = r.required_code(field::kind, vocab, category::position_kind, "position kind");
      p.jenis = r.required_code(field::jenis, vocab, category::jenis, "jenis");
      read_jenjang(r, p);
      if (const std::string* u = r.string(field::unit, true))
        p.unit = resolve_unit(*u, section::positions, i, field::unit);
      atasan_refs_[i] = r.string(field::atasan, false);
      read_tags(r, false, i);
    }
  }

  // A jenjang belongs to fungsional positions only, and every one has one.
  void read_jenjang(item_reader& r, position& p) {
    const json* v = r.get(field::jenjang);
    const bool given = v != nullptr && !v->is_null();
    const bool is_fungsional = p.jenis != no_code && p.jenis == fungsional;
    if (given && p.jenis != no_code && !is_fungsional) {
      r.error(field::jenjang, "only a fungsional position has a jenjang (jenis is " + quote(vocab.name(p.jenis)) + ")");
      return;
    }
    if (!given) return;  // CONTRACT §1 gives jenjang to fungsional positions; it is optional data
    p.jenjang =
        r.code_value(r.string_value(v, field::jenjang, true), field::jenjang, vocab, category::jenjang, "jenjang");
  }

  void read_employees(const json* arr) {
    const index n = count(arr);
    g.employees_.resize(n);
    g.nips_.reserve_for(n);
    for (index i = 0; i < n; ++i) {
      const json& obj = (*arr)[i];
      if (!is_item(obj, section::employees, i)) continue;
      item_reader r(errors, section::employees, i, obj);
      employee& e = g.employees_[i];
      if (const std::string* nip = r.id(field::nip)) {
        e.nip = intern(*nip);
        register_id(g.nips_, freezer::nip_key(g), e.nip, section::employees, i, field::nip, "NIP");
      }
      if (const std::string* name = r.string(field::name, false)) e.name = intern(*name);
      if (const std::string* pos = r.string(field::position, true)) {
        const index found = g.position_ids_.find(*pos, freezer::position_key(g));
        if (found != none) {
          e.position = found;
        } else if (positions_ok_) {
          errors.add(section::employees, i, field::position, none, "no position " + quote(*pos));
        }
      }
    }
  }

  [[nodiscard]] index resolve_unit(const std::string& ref, section s, index i, field f) {
    if (const index found = g.unit_ids_.find(ref, freezer::unit_key(g)); found != none) return found;
    if (units_ok_) errors.add(s, i, f, none, "no unit " + quote(ref));
    return none;
  }

  [[nodiscard]] index resolve_instansi(const std::string& ref, section s, index i, field f) {
    const auto it = instansi_ids_.find(ref);
    if (it != instansi_ids_.end()) return it->second;
    if (instansi_ok_) errors.add(s, i, f, none, "no instansi " + quote(ref));
    return none;
  }

  // A position id, or the NIP of the employee holding the position.
  [[nodiscard]] index resolve_position(const std::string& ref, section s, index i, field f, index sub = none) {
    if (const index found = g.position_ids_.find(ref, freezer::position_key(g)); found != none) return found;
    // none when that employee's own position is broken (reported there)
    if (const index found = g.nips_.find(ref, freezer::nip_key(g)); found != none) return g.employees_[found].position;
    if (positions_ok_) errors.add(s, i, f, sub, "no position " + quote(ref));
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

  void read_delegations(const json* arr) {
    const index n = count(arr);
    g.delegations_.resize(n);
    for (index i = 0; i < n; ++i) {
      const json& obj = (*arr)[i];
      delegation& d = g.delegations_[i];
      d.json_path = item_path(section::delegations, i);
      if (!is_item(obj, section::delegations, i)) continue;
      item_reader r(errors, section::delegations, i, obj);
      if (const std::string* from = r.string(field::from, true)) {
        d.from = resolve_position(*from, section::delegations, i, field::from);
      }
      if (const std::string* to = r.string(field::to, true)) {
        d.to = resolve_position(*to, section::delegations, i, field::to);
      }
      d.authority = r.required_code(field::authority, vocab, category::authority, "authority");
      if (const std::string* basis = r.string(field::basis, false)) d.basis = intern(*basis);
    }
  }

  void read_teams(const json* arr) {
    const index n = count(arr);
    g.teams_.resize(n);
    g.team_ids_.reserve_for(n);
    for (index i = 0; i < n; ++i) {
      const json& obj = (*arr)[i];
      g.teams_[i].json_path = item_path(section::teams, i);
      if (!is_item(obj, section::teams, i)) continue;
      g.teams_[i].extra = obj;
      read_team(i);
    }
  }

  // The fields of team `i` from its object, already in `extra`.
  void read_team(index i) {
    {
      team& t = g.teams_[i];
      const json& obj = t.extra;
      item_reader r(errors, section::teams, i, obj);
      if (const std::string* id = r.id(field::id)) {
        t.id = intern(*id);
        register_id(g.team_ids_, freezer::team_key(g), t.id, section::teams, i, field::id, "team id");
      }
      if (const std::string* name = r.string(field::name, false)) t.name = intern(*name);
      if (const std::string* owner = r.string(field::owner_unit, true)) {
        t.owner_unit = resolve_unit(*owner, section::teams, i, field::owner_unit);
      }
      if (const std::string* by = r.string(field::established_by, false)) {
        t.established_by = resolve_position(*by, section::teams, i, field::established_by);
      }
      if (const std::string* ketua = r.string(field::ketua, false)) {
        t.ketua = resolve_position(*ketua, section::teams, i, field::ketua);
      }
      read_anggota(r, i, t);
      read_target(r, i, t);
    }
  }

  void read_anggota(item_reader& r, index i, team& t) {
    const json* v = r.get(field::anggota);
    if (v == nullptr || v->is_null()) return;
    if (!v->is_array()) {
      r.error(field::anggota, std::string("expected an array, got ") + v->type_name());
      return;
    }
    t.anggota.reserve(v->size());
    for (std::size_t j = 0; j < v->size(); ++j) {
      const auto sub = static_cast<index>(j);
      const std::string* ref = r.string_value(&(*v)[j], field::anggota, true, sub);
      t.anggota.push_back(ref == nullptr ? none : resolve_position(*ref, section::teams, i, field::anggota, sub));
    }
  }

  void read_target(item_reader& r, index i, team& t) {
    const json* v = r.get(field::target);
    if (v == nullptr || v->is_null()) return;
    if (!v->is_object()) {
      r.error(field::target, std::string("expected an object, got ") + v->type_name());
      return;
    }
    item_reader tr(errors, section::teams, i, *v);
    if (const std::string* s = tr.string(field::target_sasaran, false)) t.target.sasaran = intern(*s);
    if (const std::string* s = tr.string(field::target_indikator, false)) t.target.indikator = intern(*s);
    if (const auto it = v->find("nilai"); it != v->end()) t.target.nilai = *it;
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
  const json no_doc;
  loader l(no_doc, vocab, shape, g);
  g.team_ids_.reserve_for(g.teams_.size());
  for (index i = 0; i < g.teams_.size(); ++i) {
    if (!g.teams_[i].extra.is_object()) return false;
    l.read_team(i);
    if (!l.errors.empty()) return false;
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
  auto g = std::make_shared<org_graph>();
  loader l(doc, vocab, shape, *g);
  const bool valid = l.validate();
  l.errors.flush(errors);
  if (!valid) return nullptr;
  freezer::freeze(*g, shape, l.tags_);
  return g;
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
