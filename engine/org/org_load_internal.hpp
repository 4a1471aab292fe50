// Internal to engine/org: what the JSON reader (org_json_reader.hpp), the
// validator (org_validate.hpp), the freezer and the loaders share: sections
// and fields with their JSON paths, the sorted error sink, forest ordering.
#pragma once

#include <algorithm>
#include <array>
#include <bitset>
#include <functional>
#include <nlohmann/json.hpp>
#include <numeric>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/org/org.hpp"
#include "engine/org/org_build.hpp"
#include "engine/org/org_spec.hpp"

namespace perwal::org {

namespace load_detail {

using json = nlohmann::json;

inline constexpr std::size_t max_errors = 200;

// Top-level sections, in the order their errors are reported.
enum class section : std::uint8_t { document, schema, instansi, units, positions, employees, delegations, teams };
inline constexpr std::array<std::string_view, 8> section_names = {"$",         "schema",    "instansi",    "units",
                                                                  "positions", "employees", "delegations", "teams"};

// Item fields, in the order errors within one item are reported.
// clang-format off
enum class field : std::uint8_t {
  none, id, nip, name, title, kind, jenis, jenjang, parent, instansi, unit, atasan, head, pejabat_berwenang,
  position, from, to, authority, basis, owner_unit, established_by, ketua, anggota, target, target_sasaran,
  target_indikator, tags, sebagai, count_
};
// Name in an error path.
inline constexpr std::array<std::string_view, static_cast<std::size_t>(field::count_)> field_paths = {
    "", "id", "nip", "name", "title", "kind", "jenis", "jenjang", "parent", "instansi", "unit", "atasan", "head",
    "pejabat_berwenang", "position", "from", "to", "authority", "basis", "owner_unit", "established_by", "ketua",
    "anggota", "target", "target.sasaran", "target.indikator", "tags", "sebagai"};
// clang-format on

[[nodiscard]] inline std::string_view section_name(section s) {
  return section_names[static_cast<std::size_t>(s)];
}
[[nodiscard]] inline std::string_view field_path(field f) {
  return field_paths[static_cast<std::size_t>(f)];
}
[[nodiscard]] inline constexpr std::uint32_t field_bit(field f) {
  return std::uint32_t{1} << static_cast<unsigned>(f);
}
static_assert(static_cast<std::size_t>(field::count_) <= 32, "a field mask is 32 bits");

// Key of the field inside its JSON object (nested fields drop their prefix).
[[nodiscard]] inline std::string_view field_key(field f) {
  const std::string_view p = field_path(f);
  const auto dot = p.rfind('.');
  return dot == std::string_view::npos ? p : p.substr(dot + 1);
}

[[nodiscard]] inline std::string item_path(section s, index i) {
  return std::string(section_name(s)) + "[" + std::to_string(i) + "]";
}

// A value quoted as JSON, so odd characters in ids stay readable.
[[nodiscard]] inline std::string quote(std::string_view s) {
  return json(s).dump(-1, ' ', false, json::error_handler_t::replace);
}

struct located_error {
  section sec;
  field fld;
  index item;  // none: the section itself
  index sub;   // element of an array field, or none
  std::uint32_t seq;
  message text;
};

// Sort slot of an optional index: absent sorts first.
[[nodiscard]] inline std::uint64_t slot(index i) {
  return i == none ? 0 : std::uint64_t{i} + 1;
}

[[nodiscard]] inline bool comes_before(const located_error& a, const located_error& b) {
  return std::tuple(a.sec, slot(a.item), a.fld, slot(a.sub), a.seq) <
         std::tuple(b.sec, slot(b.item), b.fld, slot(b.sub), b.seq);
}

[[nodiscard]] inline std::string path_of(const located_error& e) {
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
  void add(section s, index item, field f, index sub, message m) {
    errors_.push_back({s, f, item, sub, seq_++, std::move(m)});
    ++total_;
    if (errors_.size() >= 4 * max_errors) keep_first();
  }
  void add(section s, message m) { add(s, none, field::none, none, std::move(m)); }
  [[nodiscard]] bool empty() const { return total_ == 0; }

  // The first max_errors by input location, as diagnostics at their JSON
  // paths in `file` (null: no file named).
  // `refine` may reword each error shown (a "did you mean" known only once
  // every id is read).
  void flush(diagnostics& out, const std::shared_ptr<const source_file>& file,
             const std::function<void(message&)>& refine = {}) {
    std::sort(errors_.begin(), errors_.end(), comes_before);
    const std::size_t shown = std::min(errors_.size(), max_errors);
    for (std::size_t i = 0; i < shown; ++i) {
      if (refine) refine(errors_[i].text);
      out.report(location::json(path_of(errors_[i]), file), std::move(errors_[i].text));
    }
    if (total_ > max_errors) out.report(location::json("...", file), msg("org.more"));
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

  void error(field f, message m, index sub = none) {
    broken_ |= field_bit(f);
    errors_.add(sec_, item_, f, sub, std::move(m));
  }

  [[nodiscard]] const json* get(field f) const {
    const auto it = obj_.find(field_key(f));
    return it == obj_.end() ? nullptr : &*it;
  }

  // The string at `v`; nullptr when absent or null (an error when required)
  // or of another type (always an error).
  [[nodiscard]] const std::string* string_value(const json* v, field f, bool required, index sub = none) {
    if (v == nullptr) {
      if (required) error(f, msg("org.missing"), sub);
      return nullptr;
    }
    if (v->is_string()) return &v->get_ref<const std::string&>();
    if (v->is_null() && !required) return nullptr;
    error(f, msg(required ? "org.expected-string" : "org.expected-string-or-null", v->type_name()), sub);
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
      error(field::tags, msg("org.expected-strings", v->type_name()));
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

// "a -> b -> a", starting at the member that comes first in the input;
// very long cycles are abbreviated.
template <class It, class IdOf>
[[nodiscard]] inline std::string cycle_text(It first, It last, IdOf&& id_of) {
  constexpr std::ptrdiff_t shown = 10;
  const It lowest = std::min_element(first, last);
  const std::ptrdiff_t len = last - first;
  const std::ptrdiff_t start = lowest - first;
  std::string text;
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
inline void order_forest(std::vector<Node>& nodes, index Node::*link, std::vector<index>& by_pre) {
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

[[nodiscard]] inline std::uint64_t kind_key(index instansi_index, code kind) {
  return (std::uint64_t{instansi_index} << 16) | kind;
}

// Drops nlohmann's "[json.exception…] parse error at line L, column C: "
// prefix: the location is reported in our own form.
[[nodiscard]] inline std::string explanation(std::string_view what) {
  if (what.starts_with("[json.exception.")) {
    if (const auto end = what.find("] "); end != std::string_view::npos) what.remove_prefix(end + 2);
  }
  if (what.starts_with("parse error")) {
    if (const auto colon = what.find(": "); colon != std::string_view::npos) what.remove_prefix(colon + 2);
  }
  return std::string(what);
}

}  // namespace load_detail

using namespace load_detail;  // NOLINT: internal header, the loader's own vocabulary

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
  std::unordered_map<index, message> jenjang_errors;
  std::vector<const json*> team_objects;
};

// Keys of the typed team fields (what team_spec::fields leaves out).
inline constexpr std::array<std::string_view, 7> team_keys = {"id",    "name",    "owner_unit", "established_by",
                                                              "ketua", "anggota", "target"};

// Reads a perwal-org/1 document into a spec, reporting what is not of the
// document's shape (sections, objects, JSON types). References and codes
// are left to the validator.

}  // namespace perwal::org
