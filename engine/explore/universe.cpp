// The small org universe (universe.hpp), built: the standard structure's
// forms as templates, what the rulesets test (tags, team fields), and the
// builder of the two instansi. Queries and scenarios are in their own files.
#include "engine/explore/universe.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string_view>

#include "engine/eval/render.hpp"

namespace perwal::explore {

namespace {

using json = nlohmann::json;

// ---- templates (docs/reference.md §1 kinds) ------------------------------------------
// The typical structure of each kind of perangkat daerah comes from the
// standard structure (data/perangkat-daerah.json): one row per form, one
// inner row per unit kerja with its key (for ids), kind, the kind and jenis
// of its head, and the key of the unit it sits in ("" = the perangkat daerah
// itself). A UPTD appears twice: led by a Pengawas and led by a Pejabat
// Fungsional.
struct inner_row {
  std::string key, kind, head_kind, head_jenis, parent;
};

struct pd_row {
  std::string key, kind, head_kind, head_jenis;
  std::string nest_under;  // a perangkat daerah kind it sits in (kelurahan in a kecamatan), "" = the root
  std::vector<inner_row> inner;
};

// The universe's instansi take the provincial jenis of a head where the
// regulation distinguishes one (the Sekretaris Daerah is a JPT Madya), so
// both JPT ranks appear in it.
constexpr bool provincial_heads = true;

std::vector<pd_row> pd_templates(const pd_structure& s) {
  std::vector<pd_row> rows;
  for (const auto& f : s.perangkat_daerah) {
    pd_row r{f.kunci, f.jenis_unit, f.kepala.jabatan, f.kepala.jenis_for(provincial_heads), f.induk, {}};
    for (const auto& u : f.unit_kerja) {
      const auto* h = s.head_of_inner(u.jenis_unit);
      r.inner.push_back({u.kunci, u.jenis_unit, h ? h->jabatan : std::string(), s.inner_head_jenis(u), u.induk});
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

// The head of an inner unit of each canonical kind.
std::string head_kind_for_unit(const pd_structure& s, std::string_view unit_kind) {
  const auto* h = s.head_of_inner(unit_kind);
  return h ? h->jabatan : std::string();
}

position_meta make_meta(std::string id, std::string unit, std::string pd, std::string inst) {
  position_meta m;
  m.id = std::move(id);
  m.unit = std::move(unit);
  m.pd = std::move(pd);
  m.instansi = std::move(inst);
  return m;
}

// Walks every expression of a ruleset: f(expression, kinds of perangkat
// daerah of the table it belongs to, or none).
void each_expr(const compiled_ruleset& r, const std::function<void(const cexpr&, const std::vector<code>&)>& f) {
  std::function<void(const cexpr&, const std::vector<code>&)> walk = [&](const cexpr& e,
                                                                         const std::vector<code>& kinds) {
    f(e, kinds);
    for (const auto& k : e.kids) walk(k, kinds);
  };
  auto opt = [&](const std::optional<cexpr>& e, const std::vector<code>& kinds = {}) {
    if (e) walk(*e, kinds);
  };
  for (const auto& g : r.rules) {
    opt(g.when);
    opt(g.require);
  }
  for (const auto& t : r.kedudukan) opt(t.when, t.pd_kinds);
  // Role expressions (who acts, who is copied, to whom a report goes) as
  // path expressions, so what they read counts too.
  auto roles = [&](const std::vector<cpath>& paths) {
    if (paths.empty()) return;
    cexpr e;
    e.op = expr_op::path;
    e.paths = paths;
    walk(e, {});
  };
  for (const auto& rep : r.reports) {
    opt(rep.when);
    opt(rep.require);
    roles(rep.to);
    for (const auto& a : rep.also_to) roles(a);
  }
  for (const auto& w : r.workflows) {
    opt(w.when);
    roles(w.issuer);
    for (const auto& s : w.steps) {
      opt(s.where);
      for (const auto* role : {&s.by, &s.from, &s.to}) roles(*role);
      for (const auto& cc : s.cc) roles(cc);
      for (const auto& k : s.checks) {
        opt(k.when);
        opt(k.require);
      }
    }
    if (w.refusal) {
      roles(w.refusal->by);
      opt(w.refusal->where);
    }
  }
}

// The tags the rulesets test or select by (has_tag, tagged), each with the kind
// of perangkat daerah whose table tests it ("" when a rule tests it elsewhere).
std::vector<std::pair<std::string, std::string>> tests_of_tags(const std::vector<const compiled_ruleset*>& rs) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto* r : rs) {
    each_expr(*r, [&](const cexpr& e, const std::vector<code>& kinds) {
      for (const auto& p : e.paths) {
        for (const auto& s : p.steps) {
          if (s.p != prop::has_tag && s.p != prop::tagged) continue;
          std::pair<std::string, std::string> item{s.text, kinds.empty() ? "" : r->vocab.name(kinds.front())};
          if (std::find(out.begin(), out.end(), item) == out.end()) out.push_back(item);
        }
      }
    });
  }
  return out;
}

// The tags the rulesets test on an instansi (`….instansi.has_tag("…")`): the
// universe's second instansi carries them on its root unit, the first not.
std::vector<std::string> instansi_tags(const std::vector<const compiled_ruleset*>& rs) {
  std::vector<std::string> out;
  for (const auto* r : rs) {
    each_expr(*r, [&](const cexpr& e, const std::vector<code>&) {
      for (const auto& p : e.paths) {
        for (std::size_t k = 1; k < p.steps.size(); ++k) {
          if (p.steps[k].p != prop::has_tag || p.steps[k - 1].p != prop::instansi) continue;
          if (std::find(out.begin(), out.end(), p.steps[k].text) == out.end()) out.push_back(p.steps[k].text);
        }
      }
    });
  }
  return out;
}

// A value of each declared delegation field that makes a delegation in order:
// its scope names `covered`, its dates are one day (a period of no months).
nlohmann::json delegation_fields(const compiled_ruleset& r, const std::string& covered) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, t] : r.schema.delegation) {
    switch (t.k) {
      case field_type::kind::positions:
        out[name] = nlohmann::json::array({covered});
        break;
      case field_type::kind::position:
        out[name] = covered;
        break;
      case field_type::kind::date:
        out[name] = "2025-01-01";
        break;
      case field_type::kind::boolean:
        out[name] = true;
        break;
      case field_type::kind::number:
        out[name] = 1;
        break;
      case field_type::kind::text:
        out[name] = "uji";
        break;
      default:
        break;  // codes, units and records: left unstated
    }
  }
  return out;
}

// The keys below team.field("…") in a path, or empty when the path reads no team field.
std::vector<std::string> team_field_keys(const cpath& p) {
  std::vector<std::string> keys;
  bool in_field = false;
  for (const auto& s : p.steps) {
    if (s.p == prop::field && p.base == base_name::team) in_field = true;
    if (in_field) keys.push_back(s.text);
  }
  return keys;
}

void set_path(nlohmann::json& obj, const std::vector<std::string>& keys, const nlohmann::json& value) {
  nlohmann::json* cur = &obj;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (!cur->is_object()) *cur = nlohmann::json::object();
    cur = &(*cur)[keys[i]];
  }
  if (value.is_array()) {
    if (!cur->is_array()) *cur = nlohmann::json::array();
    for (const auto& v : value) {
      if (std::find(cur->begin(), cur->end(), v) == cur->end()) cur->push_back(v);
    }
  } else if (cur->is_null() || !value.is_string() || value != "ada") {
    *cur = value;
  }
}

nlohmann::json literal_value(const cexpr& e, const vocabulary& v) {
  switch (e.op) {
    case expr_op::number:
      return e.number;
    case expr_op::string:
      return e.text;
    case expr_op::boolean:
      return e.boolean;
    case expr_op::code_lit:
      return e.literal == no_code ? nlohmann::json() : nlohmann::json(v.name(e.literal));
    default:
      return nlohmann::json();
  }
}

// Team fields with values that make the rulesets' tests on them hold.
nlohmann::json wanted_team_fields(const std::vector<const compiled_ruleset*>& rs) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto* r : rs) {
    each_expr(*r, [&](const cexpr& e, const std::vector<code>&) {
      auto path_keys = [&](const cexpr& k) {
        return k.op == expr_op::path && k.paths.size() == 1 ? team_field_keys(k.paths[0]) : std::vector<std::string>{};
      };
      if (e.op == expr_op::in && e.kids.size() == 2) {
        const auto keys = path_keys(e.kids[1]);
        const auto item = literal_value(e.kids[0], r->vocab);
        if (!keys.empty() && !item.is_null()) set_path(out, keys, nlohmann::json::array({item}));
      } else if ((e.op == expr_op::eq || e.op == expr_op::ge || e.op == expr_op::le) && e.kids.size() == 2) {
        for (std::size_t i = 0; i < 2; ++i) {
          const auto keys = path_keys(e.kids[i]);
          const auto value = literal_value(e.kids[1 - i], r->vocab);
          if (!keys.empty() && !value.is_null()) set_path(out, keys, value);
        }
      } else if (e.op == expr_op::not_null && !e.kids.empty()) {
        const auto keys = path_keys(e.kids[0]);
        if (!keys.empty()) set_path(out, keys, "ada");
      }
    });
  }
  return out;
}

class builder {
 public:
  builder(const std::vector<const compiled_ruleset*>& rulesets, const pd_structure& structure)
      : rs_(rulesets), structure_(structure), templates_(pd_templates(structure)) {}

  universe_org build() {
    universe_org out;
    out.name = "universe";
    const auto kinds = pd_kinds();
    build_instansi("a", "Kota A", kinds);
    std::vector<std::string> b_kinds;
    for (const auto& k : kinds) {
      if ((k == "sekretariat_daerah" || k == "dinas") && b_kinds.size() < 2) b_kinds.push_back(k);
    }
    for (const auto& k : kinds) {
      if (b_kinds.size() < 2 && std::find(b_kinds.begin(), b_kinds.end(), k) == b_kinds.end()) b_kinds.push_back(k);
    }
    build_instansi("b", "Kota B", b_kinds);
    units_["b.pemda"].tags = instansi_tags(rs_);
    add_tagged_pds();
    add_delegation();
    add_teams();
    for (auto& [id, u] : units_) {
      if (heads_.count(id)) u.head = heads_[id];
    }
    out.spec.instansi = std::move(instansi_);
    for (const auto& id : unit_order_) out.spec.units.push_back(units_[id]);
    out.spec.positions = std::move(positions_);
    out.spec.delegations = std::move(delegations_);
    out.spec.teams = std::move(teams_);
    out.positions = std::move(meta_);
    out.pd_units = std::move(pd_units_);
    out.team_fields = wanted_team_fields(rs_);
    return out;
  }

 private:
  // Does every ruleset declare this code?
  [[nodiscard]] std::vector<std::string> shared_jenjang() const {
    std::vector<std::string> out;
    if (rs_.empty()) return out;
    for (auto c : rs_.front()->vocab.codes(category::jenjang)) {
      const auto& n = rs_.front()->vocab.name(c);
      if (has(category::jenjang, n)) out.push_back(n);
    }
    return out;
  }

  [[nodiscard]] bool has(category c, std::string_view name) const {
    return !name.empty() && std::all_of(rs_.begin(), rs_.end(),
                                        [&](const compiled_ruleset* r) { return r->vocab.find(c, name).has_value(); });
  }

  // Kinds of perangkat daerah any ruleset defines (and all declare), the
  // canonical ones in template order first.
  [[nodiscard]] std::vector<std::string> pd_kinds() const {
    std::vector<std::string> defined;
    for (const auto* r : rs_) {
      for (auto k : r->shape.perangkat_daerah_kinds) {
        const auto& n = r->vocab.name(k);
        if (has(category::unit_kind, n) && std::find(defined.begin(), defined.end(), n) == defined.end())
          defined.push_back(n);
      }
    }
    std::vector<std::string> out;
    for (const auto& row : templates_) {
      const std::string k(row.kind);
      if (std::find(defined.begin(), defined.end(), k) != defined.end() &&
          std::find(out.begin(), out.end(), k) == out.end())
        out.push_back(k);
    }
    for (const auto& k : defined) {
      if (std::find(out.begin(), out.end(), k) == out.end()) out.push_back(k);
    }
    return out;
  }

  // Position kinds listed in the `under` entries of the rulesets' tables for
  // a kind of perangkat daerah, lowest level number first.
  [[nodiscard]] std::vector<std::pair<int, std::string>> table_kinds(const std::string& pd_kind) const {
    std::vector<std::pair<int, std::string>> out;
    for (const auto* r : rs_) {
      for (const auto& t : r->kedudukan) {
        // A table shared by several kinds lists the heads of each; only a
        // table of this kind alone says what this kind has.
        const bool covers = t.pd_kinds.size() == 1 && r->vocab.name(t.pd_kinds.front()) == pd_kind;
        if (!covers) continue;
        for (const auto& e : t.under) {
          for (auto k : e.kinds) {
            std::pair<int, std::string> item{e.level, r->vocab.name(k)};
            if (std::find(out.begin(), out.end(), item) == out.end()) out.push_back(item);
          }
        }
      }
    }
    std::stable_sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    return out;
  }

  // Unit organisasi kinds some ruleset limits to this kind of perangkat daerah.
  [[nodiscard]] std::vector<std::string> uo_kinds_within(const std::string& pd_kind) const {
    std::vector<std::string> out;
    for (const auto* r : rs_) {
      for (const auto& [uo, within] : r->shape.unit_organisasi_within) {
        const bool here =
            std::any_of(within.begin(), within.end(), [&](code c) { return r->vocab.name(c) == pd_kind; });
        const auto& n = r->vocab.name(uo);
        if (here && has(category::unit_kind, n) && std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
      }
    }
    return out;
  }

  [[nodiscard]] std::string position_kind_or(const std::string& wanted, const std::string& fallback) const {
    if (has(category::position_kind, wanted)) return wanted;
    return fallback;
  }

  [[nodiscard]] std::string head_for_new_unit_kind(const std::string& unit_kind) const {
    for (const auto& k : {head_kind_for_unit(structure_, unit_kind), "kepala_" + unit_kind, unit_kind}) {
      if (has(category::position_kind, k)) return k;
    }
    return position_kind_or("kepala_bidang", "");
  }

  void add_unit(const std::string& id, const std::string& name, const std::string& kind, const std::string& parent,
                const std::string& inst = "") {
    org::unit_spec u{id, name, kind, {}, {}, {}, {}};
    if (!parent.empty()) u.parent = parent;
    if (!inst.empty()) u.instansi = inst;
    units_[id] = std::move(u);
    unit_order_.push_back(id);
  }

  void add_position(const position_meta& m, const std::string& title, const std::string& kind, const std::string& jenis,
                    const std::string& atasan) {
    org::position_spec p{m.id, title, kind, jenis, {}, m.unit, {}, {}};
    // Fungsional positions take every jenjang the rulesets share, in turn, so a
    // rule about one jenjang has positions to apply to.
    if (jenis == "fungsional") {
      const auto levels = shared_jenjang();
      if (!levels.empty()) p.jenjang = levels[jenjang_turn_++ % levels.size()];
    }
    if (!atasan.empty()) p.atasan = atasan;
    positions_.push_back(std::move(p));
    meta_.push_back(m);
    meta_.back().jenis = jenis;
    atasan_of_[m.id] = atasan;
  }

  // A head and, under it, one fungsional and one pelaksana of its unit.
  void add_head(const std::string& id, const std::string& unit, const std::string& kind, const std::string& jenis,
                const std::string& atasan, const std::string& pd, const std::string& inst, bool leads_unit) {
    position_meta m = make_meta(id, unit, pd, inst);
    m.head = true;
    add_position(m, label(kind) + " " + unit, kind, jenis, atasan);
    if (leads_unit) heads_[unit] = id;
    const std::string base = leads_unit ? unit : id;
    if (has(category::position_kind, "fungsional") && has(category::jenis, "fungsional")) {
      position_meta fp = make_meta(base + ".fp", unit, pd, inst);
      fp.staff = true;
      add_position(fp, "Pejabat Fungsional " + unit, "fungsional", "fungsional", id);
    }
    if (has(category::position_kind, "pelaksana") && has(category::jenis, "pelaksana")) {
      position_meta pl = make_meta(base + ".pel", unit, pd, inst);
      pl.staff = true;
      add_position(pl, "Pelaksana " + unit, "pelaksana", "pelaksana", id);
    }
  }

  [[nodiscard]] std::string label(const std::string& kind) const {
    auto c = rs_.front()->vocab.find(category::position_kind, kind);
    return c ? rs_.front()->vocab.label(*c) : kind;
  }

  void build_instansi(const std::string& inst, const std::string& name, const std::vector<std::string>& kinds) {
    const std::string root = inst + ".pemda";
    const std::string kd = inst + ".kepala_daerah";
    add_unit(root, "Pemerintah " + name, "pemerintah_daerah", "", "kota-" + inst);
    position_meta m = make_meta(kd, root, "", inst);
    m.head = true;
    const auto& kd_head = structure_.pemerintah_daerah;
    add_position(m, "Kepala Daerah " + name, position_kind_or(kd_head.jabatan, kd_head.jabatan), kd_head.jenis, "");
    heads_[root] = kd;
    std::map<std::string, std::pair<std::string, std::string>> built;  // pd kind -> (unit id, head id)
    std::set<std::string> used_keys;
    for (const auto& kind : kinds) {
      bool templated = false;
      for (const auto& row : templates_) {
        if (row.kind != kind) continue;
        templated = true;
        auto parent = std::make_pair(root, kd);
        if (!row.nest_under.empty() && built.count(std::string(row.nest_under)))
          parent = built[std::string(row.nest_under)];
        const auto ids = build_pd(inst, std::string(row.key), row, parent.first, parent.second);
        if (!built.count(kind)) built[kind] = ids;
        used_keys.insert(std::string(row.key));
      }
      if (!templated) {
        std::string key = kind;
        std::replace(key.begin(), key.end(), '_', '-');
        pd_row generic{key, kind, "", "administrator", "", {}};
        built[kind] = build_pd(inst, key, generic, root, kd);
      }
    }
    const std::string berwenang = built.count("sekretariat_daerah") ? built["sekretariat_daerah"].second : kd;
    instansi_.push_back({"kota-" + inst, "Pemerintah " + name, berwenang});
  }

  // One perangkat daerah: its unit and head, the template's inner units, and
  // what the rulesets add (unit organisasi kinds limited to this kind, kinds
  // of atasan its kedudukan tables list that no position has yet).
  std::pair<std::string, std::string> build_pd(const std::string& inst, const std::string& key, const pd_row& row,
                                               const std::string& parent_unit, const std::string& parent_head) {
    const std::string kind(row.kind);
    const std::string pd = inst + "." + key;
    const auto listed = table_kinds(kind);
    std::string head_kind(row.head_kind);
    if (head_kind.empty() || !has(category::position_kind, head_kind)) {
      head_kind = listed.empty() ? "" : listed.front().second;
      if (head_kind.empty()) head_kind = head_for_new_unit_kind(kind);
    }
    std::string head_jenis(row.head_jenis);
    if (!has(category::jenis, head_jenis)) head_jenis = "administrator";
    add_unit(pd, rs_.front()->vocab.label(*rs_.front()->vocab.find(category::unit_kind, kind)) + " " + key, kind,
             parent_unit);
    pd_units_.push_back(pd);
    const std::string head = pd + ".kepala";
    if (!head_kind.empty()) add_head(head, pd, head_kind, head_jenis, parent_head, pd, inst, true);
    std::set<std::string> kinds_here = {head_kind};
    std::map<std::string, std::pair<std::string, std::string>> made;  // inner key -> (unit id, head id)
    for (const auto& in : row.inner) {
      const std::string ukind(in.kind), hkind(in.head_kind);
      if (!has(category::unit_kind, ukind) || !has(category::position_kind, hkind)) continue;
      auto parent = std::make_pair(pd, head);
      if (!in.parent.empty() && made.count(std::string(in.parent))) parent = made[std::string(in.parent)];
      const std::string uid = pd + "." + std::string(in.key);
      add_unit(uid, label(hkind) + " " + std::string(in.key), ukind, parent.first);
      add_head(uid + ".kepala", uid, hkind, std::string(in.head_jenis), parent.second, pd, inst, true);
      made[std::string(in.key)] = {uid, uid + ".kepala"};
      kinds_here.insert(hkind);
    }
    std::set<std::string> unit_kinds_here;
    for (const auto& in : row.inner) unit_kinds_here.insert(std::string(in.kind));
    for (const auto& uk : uo_kinds_within(kind)) {
      if (unit_kinds_here.count(uk)) continue;
      const auto hk = head_for_new_unit_kind(uk);
      if (hk.empty()) continue;
      const std::string uid = pd + "." + uk;
      add_unit(uid, uk, uk, pd);
      add_head(uid + ".kepala", uid, hk, "administrator", head, pd, inst, true);
      kinds_here.insert(hk);
    }
    for (const auto& [level, k] : listed) {
      if (kinds_here.count(k) || !has(category::position_kind, k)) continue;
      add_head(pd + "." + k, pd, k, level <= 1 ? head_jenis : "administrator", head, pd, inst, false);
      kinds_here.insert(k);
    }
    return {pd, head};
  }

  // For each tag a ruleset tests, a perangkat daerah that carries it (on
  // the unit and its head), of the kind whose table tests it.
  void add_tagged_pds() {
    const auto kinds = pd_kinds();
    if (kinds.empty()) return;
    const auto fallback =
        std::find(kinds.begin(), kinds.end(), "dinas") != kinds.end() ? std::string("dinas") : kinds.front();
    std::size_t n = 0;
    for (const auto& [tag, table_kind] : tests_of_tags(rs_)) {
      const std::string kind = std::find(kinds.begin(), kinds.end(), table_kind) != kinds.end() ? table_kind : fallback;
      const pd_row* row = nullptr;
      for (const auto& r : templates_) {
        if (r.kind == kind && !row) row = &r;
      }
      pd_row generic{"", "", "", "administrator", "", {}};
      if (!row) {
        generic.kind = kind;
        row = &generic;
      }
      const std::string key = "tag" + std::to_string(++n);
      std::string parent = "a.pemda", parent_head = "a.kepala_daerah";
      const auto [pd, head] = build_pd("a", key, *row, parent, parent_head);
      units_[pd].tags = {tag};
      for (auto& p : positions_) {
        if (p.id == head) p.tags = {tag};
      }
    }
  }

  // In each perangkat daerah of instansi a, a delegation of the appraisal
  // authority from a head (an inner unit's, else the perangkat daerah's) to a
  // fungsional of its unit, and a fungsional placed under that delegate.
  void add_delegation() {
    if (!has(category::authority, "penilai_kinerja") || !has(category::jenis, "fungsional")) return;
    const auto pds = pd_units_;
    for (const auto& pd : pds) {
      if (pd.rfind("a.", 0) != 0) continue;
      std::optional<position_meta> head;
      for (const auto& m : meta_) {
        if (m.pd != pd || !m.head) continue;
        const bool inner = m.unit != m.pd && (m.jenis == "administrator" || m.jenis == "pengawas");
        if (inner || (!head && m.unit == m.pd)) head = m;
        if (inner) break;
      }
      if (!head) continue;
      const position_meta h = *head;
      position_meta del = make_meta(h.unit + ".fp-delegasi", h.unit, h.pd, h.instansi);
      del.staff = true;
      add_position(del, "Pejabat Fungsional penerima delegasi " + h.unit, "fungsional", "fungsional", h.id);
      position_meta under = make_meta(h.unit + ".fp-bawah-delegasi", h.unit, h.pd, h.instansi);
      under.staff = true;
      add_position(under, "Pejabat Fungsional di bawah delegasi " + h.unit, "fungsional", "fungsional", del.id);
      delegations_.push_back(org::delegation_spec{h.id, del.id, "penilai_kinerja", "Keputusan uji pendelegasian",
                                                  delegation_fields(*rs_.front(), under.id)});
    }
  }

  [[nodiscard]] const position_meta* find(const std::string& id) const {
    for (const auto& m : meta_) {
      if (m.id == id) return &m;
    }
    return nullptr;
  }

  // The first fungsional / pelaksana staff of a unit, or "".
  [[nodiscard]] std::string staff_of(const std::string& unit, std::string_view suffix) const {
    const std::string id = unit + std::string(suffix);
    return find(id) ? id : std::string();
  }

  void add_team(const std::string& id, const std::string& owner, const std::string& established_by,
                const std::string& ketua, const std::vector<std::string>& anggota) {
    org::team_spec t;
    t.id = id;
    t.name = "Tim " + id;
    t.owner_unit = owner;
    if (!established_by.empty()) t.established_by = established_by;
    if (!ketua.empty()) t.ketua = ketua;
    for (const auto& a : anggota) {
      if (!a.empty()) t.anggota.push_back(a);
    }
    t.target = org::team_target_spec{"Sasaran uji", "Indikator uji", 1, {}};
    teams_.push_back(std::move(t));
  }

  // A team per perangkat daerah of instansi a (owned by it, led by its
  // fungsional), a team across unit organisasi, one whose ketua is outside the
  // owner's unit, and one across instansi.
  void add_teams() {
    std::vector<std::string> inner_units;  // inner units of instansi a with staff
    for (const auto& pd : pd_units_) {
      if (pd.rfind("a.", 0) != 0) continue;
      const auto fp = staff_of(pd, ".fp");
      const auto pel = staff_of(pd, ".pel");
      if (fp.empty() || !heads_.count(pd)) continue;
      add_team("t." + pd, pd, heads_[pd], fp, {pel});
    }
    for (const auto& [unit, head] : heads_) {
      if (unit.rfind("a.", 0) == 0 && unit != "a.pemda" &&
          std::find(pd_units_.begin(), pd_units_.end(), unit) == pd_units_.end() && !staff_of(unit, ".fp").empty())
        inner_units.push_back(unit);
    }
    std::sort(inner_units.begin(), inner_units.end());
    if (inner_units.size() >= 2) {
      const auto& own = inner_units[0];
      // another unit outside `own`'s perangkat daerah if there is one
      std::string other = inner_units[1];
      const auto* own_meta = find(staff_of(own, ".fp"));
      for (const auto& u : inner_units) {
        const auto* m = find(staff_of(u, ".fp"));
        if (m && own_meta && m->pd != own_meta->pd) {
          other = u;
          break;
        }
      }
      add_team("t.lintas-unit", own, heads_[own], staff_of(own, ".fp"),
               {staff_of(own, ".pel"), staff_of(other, ".fp")});
      add_team("t.ketua-luar", own, heads_[own], staff_of(other, ".pel"), {staff_of(own, ".fp")});
      const std::string b_fp = staff_of("b.dinas.bid1", ".fp").empty() ? std::string() : "b.dinas.bid1.fp";
      std::string remote = b_fp;
      if (remote.empty()) {
        for (const auto& m : meta_) {
          if (m.instansi == "b" && m.staff) {
            remote = m.id;
            break;
          }
        }
      }
      if (!remote.empty()) add_team("t.lintas-instansi", own, heads_[own], staff_of(own, ".fp"), {remote});
    }
  }

  const std::vector<const compiled_ruleset*>& rs_;
  std::size_t jenjang_turn_ = 0;  // the next jenjang a fungsional position takes
  const pd_structure& structure_;
  std::vector<pd_row> templates_;
  std::vector<org::instansi_spec> instansi_;
  std::vector<org::position_spec> positions_;
  std::vector<org::delegation_spec> delegations_;
  std::vector<org::team_spec> teams_;
  std::map<std::string, org::unit_spec> units_;
  std::vector<std::string> unit_order_;
  std::map<std::string, std::string> heads_;      // unit -> head position
  std::map<std::string, std::string> atasan_of_;  // position -> atasan
  std::vector<position_meta> meta_;
  std::vector<std::string> pd_units_;
};

}  // namespace

std::vector<universe_org> build_universe(const std::vector<const compiled_ruleset*>& rulesets) {
  if (rulesets.empty()) return {};
  return build_universe(rulesets, standard_pd_structure());
}

std::vector<universe_org> build_universe(const std::vector<const compiled_ruleset*>& rulesets,
                                         const pd_structure& structure) {
  if (rulesets.empty()) return {};
  builder b(rulesets, structure);
  return {b.build()};
}

}  // namespace perwal::explore
