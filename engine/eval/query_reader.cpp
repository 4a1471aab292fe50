// Reading a JSON query into a typed one: ids become org indices, names
// become vocabulary codes, and every problem is reported with its JSON path.
#include <algorithm>
#include <array>
#include <string_view>

#include "engine/common/dates.hpp"
#include "engine/common/spelling.hpp"
#include "engine/compile/json_schema.hpp"
#include "engine/eval/query.hpp"

namespace perwal {

namespace {

using json = nlohmann::json;
using org::index;
using org::none;

// Where a value sits in the query: "" (the query itself), "team" or
// "steps[2]". Spelled into a JSON path only when an error names it.
struct where {
  std::string_view parent;
  std::size_t i = std::string::npos;  // the index in `parent` when it is a list
  [[nodiscard]] std::string self() const {
    std::string out(parent);
    if (i != std::string::npos) out += "[" + std::to_string(i) + "]";
    return out;
  }
  [[nodiscard]] std::string operator()(std::string_view key) const {
    auto out = self();
    if (!out.empty()) out += '.';
    return out.append(key);
  }
};

// A field name against another: names are a few bytes, so they are compared
// by length, then byte by byte inline, not by a call to memcmp for each of
// the candidates a query's fields are checked against.
bool same_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i]) return false;
  return true;
}

class query_reader {
 public:
  query_reader(const compiled_ruleset& r, const org::org_graph& o, diagnostics& errs)
      : rules_(r), org_(o), errs_(errs) {}

  void error(std::string path, message m) { errs_.report(location::json(std::move(path)), std::move(m)); }
  [[nodiscard]] std::size_t error_count() const { return errs_.error_count(); }

  // A step's fields beyond those every step has (its action's declared
  // ones), noted in order by one walk of the step's map.
  struct noted_fields {
    std::size_t count = 0;
    std::array<std::pair<std::string_view, const json*>, 8> fields{};  // (the longest list has 8)
    // Every field of the step is noted (fewer than 8 of them).
    [[nodiscard]] bool complete() const { return count < fields.size(); }
    void add(std::string_view key, const json& value) {
      if (count < fields.size()) fields[count++] = {key, &value};
    }
  };
  // The fields a query of any type may have (json_schema.cpp's query_fields
  // lists each type's), each read into a place of its own by one walk of the
  // query object: the reader then finds one without comparing names again.
  struct top {
    enum place : std::uint8_t {
      type,
      ruleset,
      position,
      atasan,
      mode,
      assignee,
      owner_unit,
      assigned_by,
      team,
      steps,
      from,
      to,
      as,
      also_to,
      count
    };
  };
  static constexpr top::place top_place_of(std::string_view name) {
    switch (name.size()) {
      case 2:
        return name == "to" ? top::to : name == "as" ? top::as : top::count;
      case 4:
        return name == "type"   ? top::type
               : name == "from" ? top::from
               : name == "mode" ? top::mode
               : name == "team" ? top::team
                                : top::count;
      case 5:
        return name == "steps" ? top::steps : top::count;
      case 6:
        return name == "atasan" ? top::atasan : top::count;
      case 7:
        return name == "ruleset" ? top::ruleset : name == "also_to" ? top::also_to : top::count;
      case 8:
        return name == "position" ? top::position : name == "assignee" ? top::assignee : top::count;
      case 10:
        return name == "owner_unit" ? top::owner_unit : top::count;
      case 11:
        return name == "assigned_by" ? top::assigned_by : top::count;
      default:
        return top::count;
    }
  }
  static constexpr std::array<std::string_view, top::count> top_names = {
      "type",        "ruleset", "position", "atasan", "mode", "assignee", "owner_unit",
      "assigned_by", "team",    "steps",    "from",   "to",   "as",       "also_to"};
  // Each name placed where top_names says it is.
  static constexpr bool places_match_names() {
    for (std::size_t i = 0; i < top_names.size(); ++i)
      if (top_place_of(top_names[i]) != i) return false;
    return true;
  }
  // The places of a type's fields, as bits.
  static std::uint32_t places_of(const std::vector<std::string>& fields) {
    std::uint32_t bits = 0;
    for (const auto& f : fields) bits |= std::uint32_t{1} << top_place_of(f);  // top::count: a bit no field has
    return bits;
  }
  // Notes every field of query object `q` in its place; false (nothing
  // noted) when one has no place, so that it is no field of any type.
  bool note_top(const json& q) {
    top_values_.fill(nullptr);
    top_present_ = 0;
    for (const auto& [key, value] : q.get_ref<const json::object_t&>()) {
      const auto k = top_place_of(key);
      if (k == top::count) return false;
      top_values_[k] = &value;
      top_present_ |= std::uint32_t{1} << k;
    }
    top_object_ = &q;
    return true;
  }
  // Field `p` of query object `q`: from its place when q's fields are noted.
  [[nodiscard]] const json* top_field(const json& q, top::place p) const {
    return &q == top_object_ ? top_values_[p] : search(q, top_names[p]);
  }
  // The places of the fields noted (bits).
  [[nodiscard]] std::uint32_t top_present() const { return top_present_; }
  // A penugasan step's fields, sorted by one walk of its map: those every
  // step may have into places of their own (read with no name compared
  // again), the others (its action's declared fields) noted in order.
  struct step_fields {
    enum known : std::uint8_t { action, by, from, to, cc, contents, reason, count };
    std::array<const json*, known::count> value{};
    noted_fields others;
    // The place of a field every step may have, or count.
    static known place_of(std::string_view name) {
      switch (name.size()) {
        case 2:
          return name == "by" ? by : name == "cc" ? cc : name == "to" ? to : count;
        case 4:
          return name == "from" ? from : count;
        case 6:
          return name == "action" ? action : name == "reason" ? reason : count;
        case 8:
          return name == "contents" ? contents : count;
        default:
          return count;
      }
    }
  };
  const step_fields& note_step(const json& step) {
    step_.value.fill(nullptr);
    step_.others.count = 0;
    for (const auto& [key, value] : step.get_ref<const json::object_t&>()) {
      if (const auto k = step_fields::place_of(key); k != step_fields::count)
        step_.value[k] = &value;
      else
        step_.others.add(key, value);
    }
    return step_;
  }
  // obj[key], or nullptr when absent.
  [[nodiscard]] const json* field(const json& obj, std::string_view key) const {
    if (&obj == top_object_) {
      const auto k = top_place_of(key);
      return k == top::count ? nullptr : top_values_[k];
    }
    return search(obj, key);
  }
  // obj[key] by a search of its map: apart, so that field() stays small.
  [[gnu::noinline]] static const json* search(const json& obj, std::string_view key) {
    const auto it = obj.find(key);
    return it == obj.end() ? nullptr : &*it;
  }

  // The string value `v` of field `key` (nullptr: absent), not copied (ids
  // are looked up, not kept), or nullptr.
  const std::string* string_value(const json* v, std::string_view key, const where& at, bool required) {
    if (v == nullptr || v->is_null()) {
      if (required) error(at(key), msg("query.required"));
      return nullptr;
    }
    if (!v->is_string()) {
      error(at(key), msg("query.not-string"));
      return nullptr;
    }
    return &v->get_ref<const std::string&>();
  }

  // The position ids a query names (up to 16) and its unit's, gathered (no
  // error reported) and asked for all at once before they are read one by
  // one: each lookup then finds its records on their way rather than waiting
  // for two dependent misses of its own.
  class named_positions {
   public:
    void add(const json* v) {
      if (v != nullptr && v->is_string() && n_ < ids_.size()) ids_[n_++] = v->get_ref<const std::string&>();
    }
    void add_unit(const json* v) {
      if (v != nullptr && v->is_string()) unit_ = v->get_ref<const std::string&>();
    }
    // `atasan_of_first`: how many of the positions added first have their atasan read by the check.
    void prefetch(const org::org_graph& org, std::size_t atasan_of_first = 16) {
      org.prefetch_positions({ids_.data(), n_}, {&unit_, unit_.empty() ? 0U : 1U}, atasan_of_first,
                             {hashes_.data(), n_});
    }
    // find_position for `id`, with the hash prefetch() computed when `id` is
    // one of the added strings (the same characters, not an equal copy).
    [[nodiscard]] index find(const org::org_graph& org, std::string_view id, org::org_graph::with_atasan atasan) const {
      for (std::size_t i = 0; i < n_; ++i) {
        if (ids_[i].data() == id.data() && ids_[i].size() == id.size())
          return org.find_position(id, hashes_[i], atasan);
      }
      return org.find_position(id, atasan);
    }

   private:
    // Only the first n_ of each are read: not zeroed (a check would pay for it).
    std::array<std::string_view, 16> ids_;
    std::array<std::uint64_t, 16> hashes_;
    std::size_t n_ = 0;
    std::string_view unit_;
  };
  // While one is alive, position_value looks ids up through `named` (their hashes reused).
  class looking_up_through {
   public:
    looking_up_through(query_reader& r, const named_positions& named) : r_(r) { r_.named_ = &named; }
    ~looking_up_through() { r_.named_ = nullptr; }
    looking_up_through(const looking_up_through&) = delete;
    looking_up_through& operator=(const looking_up_through&) = delete;

   private:
    query_reader& r_;
  };

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

  index position(const json& q, std::string_view key, const where& at, bool required) {
    return position_value(field(q, key), key, at, required);
  }
  index position_value(const json* v, std::string_view key, const where& at, bool required,
                       org::org_graph::with_atasan atasan = org::org_graph::with_atasan::yes) {
    auto s = string_value(v, key, at, required);
    if (!s) return none;
    const auto p = named_ != nullptr ? named_->find(org_, *s, atasan) : org_.find_position(*s, atasan);
    if (p == none) error(at(key), no_position(*s));
    return p;
  }

  index unit(const json& q, std::string_view key, const where& at, bool required) {
    return unit_value(field(q, key), key, at, required);
  }
  index unit_value(const json* v, std::string_view key, const where& at, bool required) {
    auto s = string_value(v, key, at, required);
    if (!s) return none;
    const auto u = org_.find_unit(*s);
    if (u == none) error(at(key), no_unit(*s));
    return u;
  }

  code code_of(category cat, const json& q, std::string_view key, const where& at, bool required) {
    return code_value(cat, field(q, key), key, at, required);
  }
  code code_value(category cat, const json* v, std::string_view key, const where& at, bool required) {
    auto s = string_value(v, key, at, required);
    if (!s) return no_code;
    auto c = rules_.vocab.find(cat, *s);
    if (!c) {
      std::string known;
      for (auto k : rules_.vocab.codes(cat)) known += (known.empty() ? "" : ", ") + rules_.vocab.name(k);
      error(at(key), msg("query.unknown-code", category_name(cat), *s, known));
      return no_code;
    }
    return *c;
  }

  // The fields the schema declares for this step's action, each read as its
  // type (the ones every step may have are read above): a value of the
  // wrong type is an error at its path, never a silent null. Undeclared
  // fields are kept. The step's other fields (noted by note_step, or, past
  // the few it notes, its whole map) are walked in the order of their names.
  void typed_fields(const json& s, code action, const where& at) {
    const auto declared = rules_.schema.step.find(action);
    if (declared == rules_.schema.step.end()) return;
    const auto& others = step_.others;
    if (others.complete()) {
      for (std::size_t k = 0; k < others.count; ++k)
        typed_field(others.fields[k].first, *others.fields[k].second, declared->second, at);
      return;
    }
    for (const auto& [name, v] : s.get_ref<const json::object_t&>())
      if (step_fields::place_of(name) == step_fields::count) typed_field(name, v, declared->second, at);
  }
  void typed_field(std::string_view name, const json& v, const field_map& declared, const where& at) {
    if (v.is_null()) return;
    const auto entry = declared.find(name);
    if (entry == declared.end()) return;
    const field_type& type = entry->second;
    bool ok = true;
    switch (type.k) {
      case field_type::kind::position:
        if (v.is_string())
          (void)position_value(&v, name, at, false);
        else
          ok = false;
        break;
      case field_type::kind::positions:
        positions_value(&v, name, at, [](index) {});
        break;
      case field_type::kind::unit:
        if (v.is_string())
          (void)unit_value(&v, name, at, false);
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
    if (!ok) error(at(name), msg("query.field-type", type.spelled));
  }

  // An array of position ids or NIPs at q[key], each passed to `add`.
  template <class Add>
  void positions(const json& q, std::string_view key, const where& at, const Add& add) {
    positions_value(field(q, key), key, at, add);
  }
  template <class Add>
  void positions_value(const json* it, std::string_view key, const where& at, const Add& add) {
    if (it == nullptr || it->is_null()) return;
    if (!it->is_array()) {
      error(at(key), msg("query.not-position-list"));
      return;
    }
    for (std::size_t i = 0; i < it->size(); ++i) {
      const auto& a = (*it)[i];
      if (!a.is_string()) {
        error(at(key) + "[" + std::to_string(i) + "]", msg("query.not-string"));
        continue;
      }
      const auto x = org_.find_position(a.get_ref<const std::string&>());
      if (x == none)
        error(at(key) + "[" + std::to_string(i) + "]", no_position(a.get_ref<const std::string&>()));
      else
        add(x);
    }
  }

  template <class Out>
  void contents(const json* it, const where& at, Out& out) {
    if (it == nullptr || it->is_null()) return;
    if (!it->is_array()) {
      error(at("contents"), msg("query.not-contents-list"));
      return;
    }
    for (std::size_t k = 0; k < it->size(); ++k) {
      const auto& c = (*it)[k];
      if (!c.is_string()) {
        error(at("contents") + "[" + std::to_string(k) + "]", msg("query.not-string"));
        continue;
      }
      auto code_id = rules_.vocab.find(category::content, c.get_ref<const std::string&>());
      if (!code_id)
        error(at("contents") + "[" + std::to_string(k) + "]",
              msg("query.unknown-content", c.get_ref<const std::string&>()));
      else
        out.push_back(*code_id);
    }
  }

  // A team at q["team"]: an id of the org's teams, or an inline object in
  // the org's team form (read in place: the team refers to `t`). Sets `out`
  // unless the team cannot be read at all.
  void team(const json& t, std::optional<team_input>& out) {
    if (t.is_string()) return org_team(t.get_ref<const std::string&>(), "team", out);
    if (!t.is_object()) {
      error("team", msg("query.not-team"));
      return;
    }
    const auto id = t.find("id");
    const bool has_id = id != t.end() && id->is_string();
    if (has_id && !t.contains("owner_unit")) return org_team(id->get_ref<const std::string&>(), "team.id", out);
    auto& v = out.emplace();
    v.id = has_id ? std::string_view(id->get_ref<const std::string&>()) : std::string_view("(inline)");
    const where at{"team"};
    v.owner_unit = unit(t, "owner_unit", at, true);
    v.established_by = position(t, "established_by", at, false);
    v.ketua = position(t, "ketua", at, false);
    positions(t, "anggota", at, [&](index x) { v.inline_anggota.push_back(x); });
    v.anggota = v.inline_anggota;
    const auto target = t.find("target");
    v.has_target = target != t.end() && !target->is_null();
    v.field_object = &t;
  }

  void org_team(const std::string& id, const char* path, std::optional<team_input>& out) {
    const auto i = org_.find_team(id);
    if (i == none) {
      error(path, no_team(id));
      return;
    }
    out.emplace(team_of(org_, i));
  }

  // The steps into `out` (emptied first, its memory kept).
  void steps(const json& q, std::vector<step_input>& out) {
    out.clear();
    const json* list = field(q, "steps");
    if (list == nullptr || list->is_null()) return;
    if (!list->is_array()) {
      error("steps", msg("query.not-steps"));
      return;
    }
    for (std::size_t i = 0; i < list->size(); ++i) {
      const auto& s = (*list)[i];
      const where at{"steps", i};
      if (!s.is_object()) {
        error(at.self(), msg("query.not-step"));
        continue;
      }
      const auto& f = note_step(s).value;
      auto& g = out.emplace_back();
      g.fields = &s;
      g.at = static_cast<std::uint32_t>(i);
      g.action = code_value(category::action, f[step_fields::action], "action", at, true);
      // Whose letter it is matters, not their atasan (the roles are walked from the assignee and the owner).
      constexpr auto alone = org::org_graph::with_atasan::no;
      g.by = position_value(f[step_fields::by], "by", at, false, alone);
      g.from = position_value(f[step_fields::from], "from", at, false, alone);
      g.to = position_value(f[step_fields::to], "to", at, false, alone);
      positions_value(f[step_fields::cc], "cc", at, [&](index x) { g.cc.push_back(x); });
      g.contents_stated = f[step_fields::contents] != nullptr;
      contents(f[step_fields::contents], at, g.contents);
      if (const json* reason = f[step_fields::reason]; reason != nullptr && reason->is_string())
        g.reason = reason->get_ref<const std::string&>();
      typed_fields(s, g.action, at);
    }
  }

  bool kedudukan(const json& q, query& into) {
    auto& k = into.emplace<kedudukan_query>();
    const auto before = error_count();
    k.position = position_value(top_field(q, top::position), "position", {}, true);
    const json* atasan = top_field(q, top::atasan);
    const bool given = atasan != nullptr && !atasan->is_null();
    k.atasan = given ? position_value(atasan, "atasan", {}, true)
                     : (k.position == none ? none : org_.positions()[k.position].atasan);
    return error_count() == before;
  }

  bool penugasan(const json& q, query& into) {
    // A penugasan read into a penugasan keeps the memory of its steps.
    auto* held = std::get_if<penugasan_query>(&into);
    auto& p = held ? *held : into.emplace<penugasan_query>();
    p.team.reset();
    const auto before = error_count();
    named_positions named;
    named.add(field(q, "assignee"));
    named.add(field(q, "assigned_by"));
    named.add_unit(field(q, "owner_unit"));
    if (const json* list = field(q, "steps"); list != nullptr && list->is_array()) {
      for (const auto& s : list->get_ref<const json::array_t&>()) {
        if (!s.is_object()) continue;
        const auto& f = note_step(s).value;
        for (const auto k : {step_fields::by, step_fields::from, step_fields::to}) named.add(f[k]);
      }
    }
    named.prefetch(org_, 1);  // the assignee's atasan: its penilai is walked from there
    const looking_up_through hashed(*this, named);
    p.assignee = position(q, "assignee", {}, true);
    p.owner_unit = unit(q, "owner_unit", {}, true);
    p.assigned_by = position_value(field(q, "assigned_by"), "assigned_by", {}, false, org::org_graph::with_atasan::no);
    p.mode = code_of(category::mode, q, "mode", {}, true);
    if (const json* tt = field(q, "team"); tt != nullptr && !tt->is_null()) {
      const auto& t = *tt;
      code role = no_code;
      if (t.is_object() && t.contains("role")) {
        role = code_of(category::team_role, t, "role", where{"team"}, true);
      } else if (t.is_object()) {
        error("team.role", msg("query.team-role-required"));
      }
      if (t.is_object() && (t.contains("id") || t.contains("owner_unit"))) {
        team(t, p.team);
      } else if (!t.is_object()) {
        error("team", msg("query.not-team-role"));
      }
      if (!p.team) p.team.emplace();  // a role without a team: the rules still see the role
      p.team->role = role;
    }
    steps(q, p.steps);
    return error_count() == before;
  }

  bool pelaporan(const json& q, query& into) {
    auto& r = into.emplace<pelaporan_query>();
    const auto before = error_count();
    const json *from = top_field(q, top::from), *to = top_field(q, top::to);
    named_positions named;
    named.add(from);
    named.add(to);
    named.prefetch(org_);
    const looking_up_through hashed(*this, named);
    r.from = position_value(from, "from", {}, true);
    r.to = position_value(to, "to", {}, true);
    r.as = code_value(category::report_as, top_field(q, top::as), "as", {}, true);
    if (top_field(q, top::also_to) != nullptr) {
      auto& also = r.also_to.emplace();
      positions(q, "also_to", {}, [&](index x) { also.push_back(x); });
    }
    const json* tt = top_field(q, top::team);
    if (tt != nullptr && !tt->is_null()) team(*tt, r.team);
    const auto& k = rules_.known;
    const bool needs_team = r.as != no_code && (r.as == k.anggota_tim || r.as == k.ketua_tim);
    if (needs_team && !r.team && tt == nullptr) error("team", msg("query.team-needed"));
    return error_count() == before;
  }

  bool tim(const json& q, query& into) {
    const json* tt = field(q, "team");
    if (tt == nullptr) {
      error("team", msg("query.team-required"));
      return false;
    }
    const auto before = error_count();
    std::optional<team_input> tm;
    team(*tt, tm);
    if (!tm || error_count() > before) return false;
    into.emplace<tim_query>(tim_query{std::move(*tm)});
    return true;
  }

 private:
  const compiled_ruleset& rules_;
  const org::org_graph& org_;
  diagnostics& errs_;
  const json* top_object_ = nullptr;
  std::array<const json*, top::count> top_values_{};
  std::uint32_t top_present_ = 0;
  step_fields step_;
  const named_positions* named_ = nullptr;  // see looking_up_through
};
static_assert(query_reader::places_match_names());

}  // namespace

const nlohmann::json& team_input::fields() const {
  static const nlohmann::json none_given;
  return field_object ? *field_object : none_given;
}

bool operator==(const team_input& a, const team_input& b) {
  return a.id == b.id && a.org_team == b.org_team && a.owner_unit == b.owner_unit &&
         a.established_by == b.established_by && a.ketua == b.ketua &&
         std::equal(a.anggota.begin(), a.anggota.end(), b.anggota.begin(), b.anggota.end()) &&
         a.has_target == b.has_target && a.role == b.role && a.field_object == b.field_object;
}

team_input team_of(const org::org_graph& o, index t) {
  const auto& tm = o.teams()[t];
  team_input v;
  v.id = tm.id;
  v.org_team = t;
  v.owner_unit = tm.owner_unit;
  v.established_by = tm.established_by;
  v.ketua = tm.ketua;
  v.anggota = tm.anggota;
  v.has_target = !tm.target.sasaran.empty() || !tm.target.indikator.empty() || !tm.target.nilai.get().is_null();
  v.field_object = &tm.extra.get();
  return v;
}

namespace {

enum class query_type : std::uint8_t { kedudukan, penugasan, pelaporan, tim, audit, unknown };
constexpr std::array<std::string_view, 5> type_names = {"kedudukan", "penugasan", "pelaporan", "tim", "audit"};

// The type named `t`, told apart by length and a letter, then compared once.
query_type type_named(std::string_view t) {
  query_type guess = query_type::unknown;
  switch (t.size()) {
    case 9:
      guess = t[0] == 'k' ? query_type::kedudukan : t[2] == 'n' ? query_type::penugasan : query_type::pelaporan;
      break;
    case 3:
      guess = query_type::tim;
      break;
    case 5:
      guess = query_type::audit;
      break;
    default:
      return query_type::unknown;
  }
  return t == type_names[static_cast<std::size_t>(guess)] ? guess : query_type::unknown;
}

// A known type's fields (query_fields' list) and their places
// (query_reader::top) as bits, each worked out once.
struct type_fields {
  const std::vector<std::string>* names;
  std::uint32_t places;
};
const type_fields& fields_of(query_type type) {
  static const auto known = [] {
    std::array<type_fields, type_names.size()> lists{};
    for (std::size_t i = 0; i < type_names.size(); ++i) {
      const auto& f = query_fields(type_names[i]);
      lists[i] = {&f, query_reader::places_of(f)};
    }
    return lists;
  }();
  return known[static_cast<std::size_t>(type)];
}

}  // namespace

bool read_query(const json& q, const compiled_ruleset& rules, const org::org_graph& org, diagnostics& errors,
                query& into) {
  if (!q.is_object()) {
    errors.report(location::json(""), msg("query.not-object"));
    return false;
  }
  query_reader rd(rules, org, errors);
  const bool noted = rd.note_top(q);  // field(q, …) searches q's map when not
  const json* type = rd.top_field(q, query_reader::top::type);
  if (type == nullptr || !type->is_string()) {
    errors.report(location::json("type"), msg("query.type-required"));
    return false;
  }
  // Compared as a view: each comparison with a type name looks at the length first.
  const std::string_view t = type->get_ref<const std::string&>();
  const auto kind = type_named(t);
  if (kind == query_type::unknown) {
    errors.report(location::json("type"), msg("query.type-unknown", t));
    return false;
  }
  // A field the query type does not have is refused, not ignored: a
  // misspelt "atsan" would otherwise be a query without its atasan.
  const auto& [names, places] = fields_of(kind);
  if (!(noted && (rd.top_present() & ~places) == 0)) {
    const auto& fields = *names;
    bool unknown = false;
    for (auto it = q.begin(); it != q.end(); ++it) {
      const std::string& key = it.key();
      if (std::any_of(fields.begin(), fields.end(), [&](const std::string& f) { return same_name(f, key); })) continue;
      std::string list;
      for (const auto& f : fields) list += (list.empty() ? "" : ", ") + f;
      const auto near = nearest_name(key, fields);
      errors.report(location::json(key), near.empty() ? msg("query.unknown-field", key, t, list)
                                                      : msg("query.unknown-field.near", key, t, near));
      unknown = true;
    }
    if (unknown) return false;
  }
  switch (kind) {
    case query_type::kedudukan:
      return rd.kedudukan(q, into);
    case query_type::penugasan:
      return rd.penugasan(q, into);
    case query_type::pelaporan:
      return rd.pelaporan(q, into);
    case query_type::tim:
      return rd.tim(q, into);
    case query_type::audit:
      into.emplace<audit_query>();
      return true;
    case query_type::unknown:
      break;
  }
  return false;
}

std::optional<query> read_query(const json& q, const compiled_ruleset& rules, const org::org_graph& org,
                                diagnostics& errors) {
  query typed;
  if (!read_query(q, rules, org, errors, typed)) return std::nullopt;
  return typed;
}

}  // namespace perwal
