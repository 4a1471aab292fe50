// Reading a JSON query into a typed one: ids become org indices, names
// become vocabulary codes, and every problem is reported with its JSON path.
#include <algorithm>
#include <set>

#include "engine/common/dates.hpp"
#include "engine/common/spelling.hpp"
#include "engine/compile/json_schema.hpp"
#include "engine/eval/query.hpp"

namespace perwal {

namespace {

using json = nlohmann::json;
using org::index;
using org::none;

class query_reader {
 public:
  query_reader(const compiled_ruleset& r, const org::org_graph& o, diagnostics& errs)
      : rules_(r), org_(o), errs_(errs) {}

  void error(std::string path, message m) { errs_.report(location::json(std::move(path)), std::move(m)); }
  [[nodiscard]] std::size_t error_count() const { return errs_.error_count(); }

  // The JSON path of `key` inside the object at `path`: built only for an error.
  static std::string at(std::string_view path, std::string_view key) { return std::string(path).append(key); }

  // The string at q[key] (not copied: ids are looked up, not kept), or nullptr.
  const std::string* string_field(const json& q, std::string_view key, std::string_view path, bool required) {
    const auto it = q.find(key);
    if (it == q.end() || it->is_null()) {
      if (required) error(at(path, key), msg("query.required"));
      return nullptr;
    }
    if (!it->is_string()) {
      error(at(path, key), msg("query.not-string"));
      return nullptr;
    }
    return &it->get_ref<const std::string&>();
  }

  // "no position …", "no unit …", "no team …": with the org's id nearest to
  // the one given when one is near (a misspelt "x.kabid-aptka").
  template <class Items>
  static message unknown(const std::string& id, const Items& items, const char* plain) {
    nearest_finder near(id, true);
    for (const auto& item : items) near.consider(item.id);
    if (near.best().empty()) return msg(plain, id);
    return msg(std::string(plain) + ".near", id, near.best());
  }
  [[nodiscard]] message no_position(const std::string& id) const {
    return unknown(id, org_.positions(), "query.no-position");
  }
  [[nodiscard]] message no_unit(const std::string& id) const { return unknown(id, org_.units(), "query.no-unit"); }
  [[nodiscard]] message no_team(const std::string& id) const { return unknown(id, org_.teams(), "query.no-team"); }

  index position(const json& q, std::string_view key, std::string_view path, bool required) {
    auto s = string_field(q, key, path, required);
    if (!s) return none;
    const auto p = org_.find_position(*s);
    if (p == none) error(at(path, key), no_position(*s));
    return p;
  }

  index unit(const json& q, std::string_view key, std::string_view path, bool required) {
    auto s = string_field(q, key, path, required);
    if (!s) return none;
    const auto u = org_.find_unit(*s);
    if (u == none) error(at(path, key), no_unit(*s));
    return u;
  }

  code code_of(category cat, const json& q, std::string_view key, std::string_view path, bool required) {
    auto s = string_field(q, key, path, required);
    if (!s) return no_code;
    auto c = rules_.vocab.find(cat, *s);
    if (!c) {
      std::string known;
      for (auto k : rules_.vocab.codes(cat)) known += (known.empty() ? "" : ", ") + rules_.vocab.name(k);
      error(at(path, key), msg("query.unknown-code", category_name(cat), *s, known));
      return no_code;
    }
    return *c;
  }

  // The fields the schema declares for this step's action, each read as its
  // type (the ones read above already are): a value of the wrong type is an
  // error at its path, never a silent null. Undeclared fields are kept.
  void typed_fields(const json& s, code action, const std::string& path) {
    const auto declared = rules_.schema.step.find(action);
    if (declared == rules_.schema.step.end()) return;
    static const std::set<std::string> read_above = {"action", "by", "from", "to", "cc", "contents", "reason"};
    for (const auto& entry : declared->second) {
      const auto& name = entry.first;
      const field_type& type = entry.second;  // not a structured binding: lambdas below capture it
      if (read_above.count(name) || !s.contains(name) || s[name].is_null()) continue;
      const auto& v = s[name];
      bool ok = true;
      switch (type.k) {
        case field_type::kind::position:
          if (v.is_string())
            (void)position(s, name, path, false);
          else
            ok = false;
          break;
        case field_type::kind::positions:
          (void)positions(s, name, path);
          break;
        case field_type::kind::unit:
          if (v.is_string())
            (void)unit(s, name, path, false);
          else
            ok = false;
          break;
        case field_type::kind::number:
          ok = v.is_number();
          break;
        case field_type::kind::text:
          ok = v.is_string();
          break;
        case field_type::kind::date:
          ok = v.is_string() && days_from_date(v.get_ref<const std::string&>()).has_value();
          break;
        case field_type::kind::boolean:
          ok = v.is_boolean();
          break;
        case field_type::kind::coded:
          if (type.is_set) {
            ok = v.is_array() && std::all_of(v.begin(), v.end(), [&](const json& x) {
                   return x.is_string() && rules_.vocab.find(*type.cat, x.get_ref<const std::string&>()).has_value();
                 });
          } else {
            ok = v.is_string() && rules_.vocab.find(*type.cat, v.get_ref<const std::string&>()).has_value();
          }
          break;
        case field_type::kind::record:
          ok = v.is_object();
          break;
      }
      if (!ok) error(path + name, msg("query.field-type", type.spelled));
    }
  }

  // An array of position ids or NIPs at q[key].
  std::vector<index> positions(const json& q, const std::string& key, const std::string& path) {
    std::vector<index> out;
    const auto it = q.find(key);
    if (it == q.end() || it->is_null()) return out;
    if (!it->is_array()) {
      error(path + key, msg("query.not-position-list"));
      return out;
    }
    for (std::size_t i = 0; i < it->size(); ++i) {
      const auto& a = (*it)[i];
      const std::string ap = path + key + "[" + std::to_string(i) + "]";
      if (!a.is_string()) {
        error(ap, msg("query.not-string"));
        continue;
      }
      const auto x = org_.find_position(a.get_ref<const std::string&>());
      if (x == none)
        error(ap, no_position(a.get_ref<const std::string&>()));
      else
        out.push_back(x);
    }
    return out;
  }

  std::vector<code> contents(const json& s, const std::string& p) {
    std::vector<code> out;
    const auto it = s.find("contents");
    if (it == s.end() || it->is_null()) return out;
    if (!it->is_array()) {
      error(p + "contents", msg("query.not-contents-list"));
      return out;
    }
    for (std::size_t k = 0; k < it->size(); ++k) {
      const auto& c = (*it)[k];
      const std::string cp = p + "contents[" + std::to_string(k) + "]";
      if (!c.is_string()) {
        error(cp, msg("query.not-string"));
        continue;
      }
      auto code_id = rules_.vocab.find(category::content, c.get_ref<const std::string&>());
      if (!code_id)
        error(cp, msg("query.unknown-content", c.get_ref<const std::string&>()));
      else
        out.push_back(*code_id);
    }
    return out;
  }

  // A team: an id of the org's teams, or an inline object in the org's team form.
  std::optional<team_input> team(const json& t, const std::string& path) {
    if (t.is_string()) return org_team(t.get_ref<const std::string&>(), path);
    if (!t.is_object()) {
      error(path, msg("query.not-team"));
      return std::nullopt;
    }
    const std::string p = path + ".";
    if (t.contains("id") && t["id"].is_string() && !t.contains("owner_unit")) {
      return org_team(t["id"].get_ref<const std::string&>(), p + "id");
    }
    team_input v;
    v.id = t.contains("id") && t["id"].is_string() ? t["id"].get<std::string>() : std::string("(inline)");
    v.owner_unit = unit(t, "owner_unit", p, true);
    v.established_by = position(t, "established_by", p, false);
    v.ketua = position(t, "ketua", p, false);
    v.anggota = positions(t, "anggota", p);
    v.has_target = t.contains("target") && !t["target"].is_null();
    v.inline_fields = t;
    return v;
  }

  std::optional<team_input> org_team(const std::string& id, const std::string& path) {
    const auto i = org_.find_team(id);
    if (i == none) {
      error(path, no_team(id));
      return std::nullopt;
    }
    return team_of(org_, i);
  }

  std::vector<step_input> steps(const json& q) {
    std::vector<step_input> out;
    if (!q.contains("steps") || q["steps"].is_null()) return out;
    if (!q["steps"].is_array()) {
      error("steps", msg("query.not-steps"));
      return out;
    }
    for (std::size_t i = 0; i < q["steps"].size(); ++i) {
      const auto& s = q["steps"][i];
      const std::string p = "steps[" + std::to_string(i) + "].";
      if (!s.is_object()) {
        error("steps[" + std::to_string(i) + "]", msg("query.not-step"));
        continue;
      }
      step_input g;
      g.at = static_cast<std::uint32_t>(i);
      g.action = code_of(category::action, s, "action", p, true);
      g.by = position(s, "by", p, false);
      g.from = position(s, "from", p, false);
      g.to = position(s, "to", p, false);
      g.cc = positions(s, "cc", p);
      g.contents = contents(s, p);
      if (s.contains("reason") && s["reason"].is_string()) g.reason = s["reason"].get<std::string>();
      typed_fields(s, g.action, p);
      g.fields = s;
      out.push_back(std::move(g));
    }
    return out;
  }

  std::optional<query> kedudukan(const json& q) {
    kedudukan_query k;
    const auto before = error_count();
    k.position = position(q, "position", "", true);
    const auto atasan = q.find("atasan");
    const bool given = atasan != q.end() && !atasan->is_null();
    k.atasan =
        given ? position(q, "atasan", "", true) : (k.position == none ? none : org_.positions()[k.position].atasan);
    if (error_count() > before) return std::nullopt;
    return k;
  }

  std::optional<query> penugasan(const json& q) {
    penugasan_query p;
    const auto before = error_count();
    p.assignee = position(q, "assignee", "", true);
    p.owner_unit = unit(q, "owner_unit", "", true);
    p.assigned_by = position(q, "assigned_by", "", false);
    p.mode = code_of(category::mode, q, "mode", "", true);
    if (q.contains("team") && !q["team"].is_null()) {
      const auto& t = q["team"];
      code role = no_code;
      if (t.is_object() && t.contains("role")) {
        role = code_of(category::team_role, t, "role", "team.", true);
      } else if (t.is_object()) {
        error("team.role", msg("query.team-role-required"));
      }
      if (t.is_object() && (t.contains("id") || t.contains("owner_unit"))) {
        if (auto v = team(t, "team")) p.team = std::move(*v);
      } else if (!t.is_object()) {
        error("team", msg("query.not-team-role"));
      }
      if (!p.team) p.team.emplace();  // a role without a team: the rules still see the role
      p.team->role = role;
    }
    p.steps = steps(q);
    if (error_count() > before) return std::nullopt;
    return p;
  }

  std::optional<query> pelaporan(const json& q) {
    pelaporan_query r;
    const auto before = error_count();
    r.from = position(q, "from", "", true);
    r.to = position(q, "to", "", true);
    r.as = code_of(category::report_as, q, "as", "", true);
    if (q.contains("also_to")) r.also_to = positions(q, "also_to", "");
    if (q.contains("team") && !q["team"].is_null()) r.team = team(q["team"], "team");
    const auto& k = rules_.known;
    const bool needs_team = r.as != no_code && (r.as == k.anggota_tim || r.as == k.ketua_tim);
    if (needs_team && !r.team && !q.contains("team")) error("team", msg("query.team-needed"));
    if (error_count() > before) return std::nullopt;
    return r;
  }

  std::optional<query> tim(const json& q) {
    if (!q.contains("team")) {
      error("team", msg("query.team-required"));
      return std::nullopt;
    }
    const auto before = error_count();
    auto tm = team(q["team"], "team");
    if (!tm || error_count() > before) return std::nullopt;
    return tim_query{std::move(*tm)};
  }

 private:
  const compiled_ruleset& rules_;
  const org::org_graph& org_;
  diagnostics& errs_;
};

}  // namespace

team_input team_of(const org::org_graph& o, index t) {
  const auto& tm = o.teams()[t];
  team_input v;
  v.id = tm.id;
  v.org_team = t;
  v.owner_unit = tm.owner_unit;
  v.established_by = tm.established_by;
  v.ketua = tm.ketua;
  v.anggota = tm.anggota;
  v.has_target = !tm.target.sasaran.empty() || !tm.target.indikator.empty() || !tm.target.nilai.is_null();
  v.org_fields = &tm.extra;
  return v;
}

std::optional<query> read_query(const json& q, const compiled_ruleset& rules, const org::org_graph& org,
                                diagnostics& errors) {
  if (!q.is_object()) {
    errors.report(location::json(""), msg("query.not-object"));
    return std::nullopt;
  }
  const auto type = q.find("type");
  if (type == q.end() || !type->is_string()) {
    errors.report(location::json("type"), msg("query.type-required"));
    return std::nullopt;
  }
  const auto& t = type->get_ref<const std::string&>();
  // A field the query type does not have is refused, not ignored: a
  // misspelt "atsan" would otherwise be a query without its atasan.
  if (const auto& fields = query_fields(t); !fields.empty()) {
    bool unknown = false;
    for (const auto& [key, value] : q.items()) {
      if (std::find(fields.begin(), fields.end(), key) != fields.end()) continue;
      std::string list;
      for (const auto& f : fields) list += (list.empty() ? "" : ", ") + f;
      const auto near = nearest_name(key, fields);
      errors.report(location::json(key), near.empty() ? msg("query.unknown-field", key, t, list)
                                                      : msg("query.unknown-field.near", key, t, near));
      unknown = true;
    }
    if (unknown) return std::nullopt;
  }
  query_reader rd(rules, org, errors);
  if (t == "audit") return audit_query{};
  if (t == "kedudukan") return rd.kedudukan(q);
  if (t == "penugasan") return rd.penugasan(q);
  if (t == "pelaporan") return rd.pelaporan(q);
  if (t == "tim") return rd.tim(q);
  errors.report(location::json("type"), msg("query.type-unknown", t));
  return std::nullopt;
}

}  // namespace perwal
