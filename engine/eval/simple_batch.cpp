// A batch of simple queries read from its text with simdjson's DOM parser,
// which validates the whole document (structure, strings, numbers, UTF-8,
// escapes) as json_input::parse does; what the two could read differently (a
// key twice, nesting past json_input::max_depth) is never in a query taken
// or a tree given here.
#include "engine/eval/simple_batch.hpp"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <vector>

#include "engine/common/json_input.hpp"
#include "engine/compile/json_schema.hpp"

namespace perwal {

namespace dom = simdjson::dom;

struct simple_batch::document {
  dom::parser parser;
  std::vector<dom::element> items;  // objects, each
};

namespace {

// An object's fields by name, for the few names a simple query may have;
// false when it has another, one twice, or one whose value is not a string
// (`list_name`'s: an array). Every query taken is read this way, so a taken
// batch holds no key twice and nests three levels at most, as
// json_input::parse requires.
struct simple_fields {
  // `names`: the query type's fields (query_fields); `list_field`: the one
  // that may be a list of strings.
  explicit simple_fields(const std::vector<std::string>& n, std::string_view list_field = {})
      : names(n), list_name(list_field) {}
  const std::vector<std::string>& names;
  std::array<std::optional<std::string_view>, 8> strings{};  // by the index in names (the longest list has 8)
  std::string_view list_name;
  std::optional<dom::array> list;  // its value

  bool read(const dom::object& o) {
    if (names.size() > strings.size()) return false;
    for (const auto field : o) {
      const auto at = std::find(names.begin(), names.end(), field.key);
      if (at == names.end()) return false;
      if (!list_name.empty() && field.key == list_name) {
        if (list || !field.value.is_array()) return false;
        list = field.value.get_array().value_unsafe();
        continue;
      }
      auto& slot = strings[static_cast<std::size_t>(at - names.begin())];
      if (slot || !field.value.is_string()) return false;
      slot = field.value.get_string().value_unsafe();
    }
    return true;
  }
  [[nodiscard]] std::optional<std::string_view> operator[](std::string_view name) const {
    const auto at = std::find(names.begin(), names.end(), name);
    return at == names.end() ? std::nullopt : strings[static_cast<std::size_t>(at - names.begin())];
  }
};

// A position given by id, or none when absent or unknown.
org::index position_of(const org::org_graph& org, const std::optional<std::string_view>& id) {
  return id ? org.find_position(*id) : org::none;
}

bool kedudukan(const dom::object& o, const org::org_graph& org, query& into) {
  simple_fields f(query_fields("kedudukan"));
  if (!f.read(o)) return false;
  const auto position = position_of(org, f["position"]);
  if (position == org::none) return false;
  const auto given = f["atasan"];
  const auto atasan = given ? org.find_position(*given) : org.positions()[position].atasan;
  if (given && atasan == org::none) return false;
  auto& k = into.emplace<kedudukan_query>();
  k.position = position;
  k.atasan = atasan;
  return true;
}

bool pelaporan(const dom::object& o, const compiled_ruleset& rules, const org::org_graph& org, query& into) {
  simple_fields f(query_fields("pelaporan"), "also_to");
  if (!f.read(o)) return false;
  const auto from_id = f["from"], to_id = f["to"];
  if (!from_id || !to_id) return false;
  const std::array<std::string_view, 2> both{*from_id, *to_id};
  std::array<std::uint64_t, 2> hashes{};
  org.prefetch_positions(both, {}, 2, hashes);  // both lookups' misses at once, each id hashed once
  const auto from = org.find_position(*from_id, hashes[0]), to = org.find_position(*to_id, hashes[1]);
  const auto as_name = f["as"];
  const auto as = as_name ? rules.vocab.find(category::report_as, *as_name) : std::nullopt;
  if (from == org::none || to == org::none || !as) return false;
  const auto team_id = f["team"];
  const auto team = team_id ? org.find_team(*team_id) : org::none;
  if (team_id && team == org::none) return false;
  const auto& k = rules.known;
  if (!team_id && (*as == k.anggota_tim || *as == k.ketua_tim)) return false;  // read_query says the team is needed
  std::vector<org::index> also;
  if (f.list) {
    for (const dom::element x : *f.list) {
      if (!x.is_string()) return false;
      const auto p = org.find_position(x.get_string().value_unsafe());
      if (p == org::none) return false;
      also.push_back(p);
    }
  }
  auto& r = into.emplace<pelaporan_query>();
  r.from = from;
  r.to = to;
  r.as = *as;
  if (f.list) r.also_to = std::move(also);
  if (team != org::none) r.team.emplace(team_of(org, team));
  return true;
}

// `e` as the tree nlohmann's parser builds from its text (non-negative
// integers unsigned, as it reads them): false when an object holds a key
// twice or `e` nests past json_input::max_depth (`depth`: e's level, the
// document's being 1).
bool to_tree(dom::element e, std::size_t depth, nlohmann::json& out) {
  if (depth > json_input::max_depth) return false;
  switch (e.type()) {
    case dom::element_type::ARRAY: {
      out = nlohmann::json::array();
      const dom::array a = e.get_array().value_unsafe();
      for (const dom::element x : a)
        if (!to_tree(x, depth + 1, out.emplace_back())) return false;
      return true;
    }
    case dom::element_type::OBJECT: {
      out = nlohmann::json::object();
      auto& fields = out.get_ref<nlohmann::json::object_t&>();
      const dom::object o = e.get_object().value_unsafe();
      for (const auto field : o) {
        const auto [at, fresh] = fields.try_emplace(std::string(field.key));
        if (!fresh || !to_tree(field.value, depth + 1, at->second)) return false;
      }
      return true;
    }
    case dom::element_type::INT64: {
      const std::int64_t v = e.get_int64().value_unsafe();
      if (v >= 0)
        out = static_cast<std::uint64_t>(v);
      else
        out = v;
      return true;
    }
    case dom::element_type::UINT64:
      out = e.get_uint64().value_unsafe();
      return true;
    case dom::element_type::DOUBLE:
      out = e.get_double().value_unsafe();
      return true;
    case dom::element_type::STRING:
      out = std::string(e.get_string().value_unsafe());
      return true;
    case dom::element_type::BOOL:
      out = e.get_bool().value_unsafe();
      return true;
    case dom::element_type::NULL_VALUE:
      out = nullptr;
      return true;
  }
  return false;
}

}  // namespace

simple_batch::simple_batch() : doc_(std::make_unique<document>()) {}
simple_batch::~simple_batch() = default;

bool simple_batch::parse(std::string_view text) {
  doc_->items.clear();
  if (text.size() > max_text) return false;
  // A single query (an object) is not parsed here at all.
  const auto first = text.find_first_not_of(" \t\n\r");
  if (first == std::string_view::npos || text[first] != '[') return false;
  dom::element root;
  if (doc_->parser.parse(text.data(), text.size()).get(root) != simdjson::SUCCESS) return false;
  if (!root.is_array()) return false;
  const dom::array items = root.get_array().value_unsafe();
  for (const dom::element e : items) {
    if (!e.is_object()) {
      doc_->items.clear();
      return false;
    }
    doc_->items.push_back(e);
  }
  return true;
}

std::size_t simple_batch::size() const {
  return doc_->items.size();
}

std::optional<std::string_view> simple_batch::ruleset(std::size_t i) const {
  const auto v = doc_->items[i]["ruleset"];
  if (v.error() == simdjson::NO_SUCH_FIELD) return std::string_view();
  std::string_view s;
  if (v.get(s) != simdjson::SUCCESS) return std::nullopt;
  return s;
}

bool simple_batch::read(std::size_t i, const compiled_ruleset& rules, const org::org_graph& org, query& into) const {
  const dom::object o = doc_->items[i].get_object().value_unsafe();
  std::string_view type;
  if (o["type"].get(type) != simdjson::SUCCESS) return false;
  if (type == "kedudukan") return kedudukan(o, org, into);
  if (type == "pelaporan") return pelaporan(o, rules, org, into);
  return false;
}

std::optional<nlohmann::json> simple_batch::tree(std::size_t i) const {
  nlohmann::json out;
  if (!to_tree(doc_->items[i], 2, out)) return std::nullopt;  // an item is at level 2
  return out;
}

}  // namespace perwal
