// A batch of simple queries read from its text with simdjson's DOM parser,
// which validates the whole document (structure, strings, UTF-8) as
// json_input::parse does; what the two could read differently (a key twice,
// nesting past json_input::max_depth) is never in a query taken here.
#include "engine/eval/simple_batch.hpp"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <vector>

namespace perwal {

namespace dom = simdjson::dom;

struct simple_batch::document {
  dom::parser parser;
  std::vector<dom::object> items;
};

namespace {

// An object's fields by name, for the few names a simple query may have;
// false when it has another, one twice, or one whose value is not a string
// (`list_name`'s: an array). Every query taken is read this way, so a taken
// batch holds no key twice and nests three levels at most, as
// json_input::parse requires.
template <std::size_t N>
struct simple_fields {
  explicit simple_fields(std::array<std::string_view, N> n, std::string_view list_field = {})
      : names(n), list_name(list_field) {}
  std::array<std::string_view, N> names;
  std::array<std::optional<std::string_view>, N> strings{};
  std::string_view list_name;      // the one field that may be a list of strings
  std::optional<dom::array> list;  // its value

  bool read(const dom::object& o) {
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
    return strings[static_cast<std::size_t>(std::find(names.begin(), names.end(), name) - names.begin())];
  }
};

// A position given by id, or none when absent or unknown.
org::index position_of(const org::org_graph& org, const std::optional<std::string_view>& id) {
  return id ? org.find_position(*id) : org::none;
}

bool kedudukan(const dom::object& o, const org::org_graph& org, query& into) {
  simple_fields<4> f({"type", "ruleset", "position", "atasan"});
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
  simple_fields<7> f({"type", "ruleset", "from", "to", "as", "team", "also_to"}, "also_to");
  if (!f.read(o)) return false;
  const auto from = position_of(org, f["from"]), to = position_of(org, f["to"]);
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
    doc_->items.push_back(e.get_object().value_unsafe());
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
  const auto& o = doc_->items[i];
  std::string_view type;
  if (o["type"].get(type) != simdjson::SUCCESS) return false;
  if (type == "kedudukan") return kedudukan(o, org, into);
  if (type == "pelaporan") return pelaporan(o, rules, org, into);
  return false;
}

}  // namespace perwal
