// The queries asked about one universe org, in families (enumerate_queries):
// separate from building the org, which it only reads.
#include <algorithm>
#include <map>
#include <set>
#include <string_view>

#include "engine/explore/universe.hpp"

namespace perwal::explore {

namespace {

using json = nlohmann::json;

}  // namespace

namespace {

// Facts about the generated org, indexed for enumerating queries.
struct org_index {
  std::map<std::string, const position_meta*> by_id;
  std::map<std::string, std::string> atasan;        // position -> atasan
  std::map<std::string, std::string> head_of_unit;  // unit -> head
  std::map<std::string, std::string> parent_of;     // unit -> parent
  std::vector<const perwal::org::team_spec*> teams;

  explicit org_index(const universe_org& org) {
    for (const auto& m : org.positions) by_id[m.id] = &m;
    for (const auto& p : org.spec.positions) {
      if (p.atasan) atasan[p.id] = *p.atasan;
    }
    for (const auto& u : org.spec.units) {
      if (u.head) head_of_unit[u.id] = *u.head;
      if (u.parent) parent_of[u.id] = *u.parent;
    }
    for (const auto& t : org.spec.teams) teams.push_back(&t);
  }

  [[nodiscard]] std::vector<std::string> chain(const std::string& p) const {
    std::vector<std::string> out;
    for (auto it = atasan.find(p); it != atasan.end() && out.size() < 32; it = atasan.find(it->second)) {
      out.push_back(it->second);
    }
    return out;
  }
};

void add_unit_head(std::vector<std::string>& out, const org_index& ix, const std::string& unit) {
  auto it = ix.head_of_unit.find(unit);
  if (it != ix.head_of_unit.end() && std::find(out.begin(), out.end(), it->second) == out.end())
    out.push_back(it->second);
}

void add_unique(std::vector<std::string>& v, const std::string& x) {
  if (!x.empty() && std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
}

// Codes of a category every ruleset declares, in the first ruleset's order.
std::vector<std::string> shared_codes(const std::vector<const compiled_ruleset*>& rs, category c) {
  std::vector<std::string> out;
  for (auto k : rs.front()->vocab.codes(c)) {
    const auto& n = rs.front()->vocab.name(k);
    if (std::all_of(rs.begin(), rs.end(), [&](const compiled_ruleset* r) { return r->vocab.find(c, n).has_value(); }))
      out.push_back(n);
  }
  return out;
}

// Heads of the first perangkat daerah units other than `pd` (in instansi a),
// and one in the other instansi.
std::vector<std::string> outside_heads(const universe_org& org, const org_index& ix, const std::string& pd,
                                       const std::string& inst, std::size_t n) {
  std::vector<std::string> out;
  for (const auto& u : org.pd_units) {
    if (out.size() >= n) break;
    if (u == pd || u.rfind(inst + ".", 0) != 0 || !ix.head_of_unit.count(u)) continue;
    add_unit_head(out, ix, u);
  }
  for (const auto& u : org.pd_units) {
    if (u.rfind(inst + ".", 0) == 0 || !ix.head_of_unit.count(u)) continue;
    add_unit_head(out, ix, u);
    break;
  }
  return out;
}

}  // namespace

std::vector<query_family> enumerate_queries(const universe_org& org, const std::vector<const compiled_ruleset*>& rs,
                                            const bounds& limits) {
  std::vector<query_family> out;
  if (rs.empty()) return out;
  const org_index ix(org);
  const auto staff_like = [](const position_meta& m) { return m.jenis == "fungsional" || m.jenis == "pelaksana"; };

  // kedudukan: each fungsional or pelaksana under every position of its
  // perangkat daerah, the heads above it, and a few outside.
  // Structural heads too: some regulations place them (a lurah under the camat).
  for (const auto& m : org.positions) {
    if (!(staff_like(m) || m.head) || m.pd.empty()) continue;
    query_family f{"kedudukan", "position " + m.id, {}};
    std::vector<std::string> cands;
    for (const auto& o : org.positions) {
      if (o.pd == m.pd && o.id != m.id) add_unique(cands, o.id);
    }
    for (const auto& c : ix.chain(m.id)) add_unique(cands, c);
    for (const auto& c : outside_heads(org, ix, m.pd, m.instansi, limits.outside_candidates)) add_unique(cands, c);
    for (const auto& c : cands) f.queries.push_back({{"type", "kedudukan"}, {"position", m.id}, {"atasan", c}});
    out.push_back(std::move(f));
  }

  // pelaporan: each fungsional staff (and team member) reporting as each
  // kind, to the officials around it.
  const auto as_codes = shared_codes(rs, category::report_as);
  std::vector<std::string> reporters;
  for (const auto& m : org.positions) {
    if (m.staff && m.jenis == "fungsional") add_unique(reporters, m.id);
  }
  for (const auto* t : ix.teams) {
    if (t->ketua) add_unique(reporters, *t->ketua);
    for (const auto& a : t->anggota) add_unique(reporters, a);
  }
  // heads report too: results up a review chain, a team's appraiser to the head of its perangkat daerah
  for (const auto& m : org.positions) {
    if (m.head && !m.pd.empty()) add_unique(reporters, m.id);
  }
  for (const auto& from : reporters) {
    const auto* m = ix.by_id.at(from);
    std::vector<std::string> targets = ix.chain(from);
    for (const auto& o : org.positions) {
      if (o.pd == m->pd && o.head) add_unique(targets, o.id);
    }
    const perwal::org::team_spec* team = nullptr;
    // the first team it is in, else one it leads the owner of or appraises a member of
    for (int pass = 0; pass < 2 && !team; ++pass) {
      for (const auto* t : ix.teams) {
        bool member = t->ketua.value_or("") == from;
        std::vector<std::string> ids;
        if (t->ketua) ids.push_back(*t->ketua);
        for (const auto& a : t->anggota) ids.push_back(a);
        for (const auto& id : ids) member = member || id == from;
        if (pass == 1) {
          const auto& owner = t->owner_unit;
          member = ix.head_of_unit.count(owner) && ix.head_of_unit.at(owner) == from;
          for (const auto& id : ids) {
            const auto up = ix.atasan.find(id);
            member = member || (up != ix.atasan.end() && up->second == from);
          }
        }
        if (!member) continue;
        team = t;
        break;
      }
    }
    if (team) {
      add_unit_head(targets, ix, team->owner_unit);
      if (team->ketua) add_unique(targets, *team->ketua);
      for (const auto& id : team->anggota) {
        add_unique(targets, id);
        for (const auto& c : ix.chain(id)) add_unique(targets, c);
      }
    }
    for (const auto& c : outside_heads(org, ix, m->pd, m->instansi, limits.outside_candidates)) add_unique(targets, c);
    for (const auto& as : as_codes) {
      const bool team_report = as == "anggota_tim" || as == "ketua_tim";
      for (const bool with_team : {false, true}) {
        if ((with_team && !team) || (!with_team && team_report)) continue;
        query_family f{"pelaporan", "from " + from + " as " + as + (with_team ? " (team)" : ""), {}};
        for (const auto& to : targets) {
          if (to == from) continue;
          json q = {{"type", "pelaporan"}, {"from", from}, {"to", to}, {"as", as}};
          if (with_team) q["team"] = team->id;
          f.queries.push_back(std::move(q));
        }
        out.push_back(std::move(f));
      }
    }
  }

  // tim: each team as given, and with its establishing official or its ketua
  // changed.
  for (const auto* t : ix.teams) {
    const auto& owner = t->owner_unit;
    query_family est{"tim", "team " + t->id + " (established_by)", {}};
    est.queries.push_back({{"type", "tim"}, {"team", t->id}});
    std::vector<std::string> who;
    add_unit_head(who, ix, owner);
    for (const auto& c : ix.chain(ix.head_of_unit.count(owner) ? ix.head_of_unit.at(owner) : "")) add_unique(who, c);
    for (const auto& w : who) {
      perwal::org::team_spec inline_team = *t;
      inline_team.established_by = w;
      est.queries.push_back({{"type", "tim"}, {"team", perwal::org::to_json(inline_team)}});
    }
    out.push_back(std::move(est));
    query_family ket{"tim", "team " + t->id + " (ketua)", {}};
    std::vector<std::string> leaders;
    for (const auto& a : t->anggota) add_unique(leaders, a);
    add_unit_head(leaders, ix, owner);
    for (const auto& l : leaders) {
      perwal::org::team_spec inline_team = *t;
      inline_team.ketua = l;
      ket.queries.push_back({{"type", "tim"}, {"team", perwal::org::to_json(inline_team)}});
    }
    perwal::org::team_spec without = *t;
    without.ketua.reset();
    ket.queries.push_back({{"type", "tim"}, {"team", perwal::org::to_json(without)}});
    out.push_back(std::move(ket));
    // the fields the rulesets test, with and without a ketua
    if (!org.team_fields.empty()) {
      query_family fields{"tim", "team " + t->id + " (fields)", {}};
      json with = perwal::org::to_json(*t);  // the tested fields are free-form: merged into the team's JSON
      with.merge_patch(org.team_fields);
      fields.queries.push_back({{"type", "tim"}, {"team", with}});
      with.erase("ketua");
      fields.queries.push_back({{"type", "tim"}, {"team", with}});
      out.push_back(std::move(fields));
    }
  }

  // penugasan: per perangkat daerah a few subjects (fungsional, pelaksana, a
  // pengawas), each for owners in its own unit, its perangkat daerah, another
  // perangkat daerah and the other instansi; each mode and team role.
  const auto modes = shared_codes(rs, category::mode);
  auto roles = shared_codes(rs, category::team_role);
  roles.insert(roles.begin(), "");
  for (const auto& pd : org.pd_units) {
    std::vector<const position_meta*> subjects;
    std::size_t fps = 0;
    const position_meta* pelaksana = nullptr;
    const position_meta* pengawas = nullptr;
    // Staff placed as regulations usually want them first: under an
    // administrator, then a JPT, a pengawas, a fungsional head.
    auto preference = [&](const position_meta& m) {
      const auto it = ix.atasan.find(m.id);
      const auto* up = it == ix.atasan.end() || !ix.by_id.count(it->second) ? nullptr : ix.by_id.at(it->second);
      const std::string j = up ? up->jenis : "";
      return j == "administrator" ? 0 : j.rfind("jpt", 0) == 0 ? 1 : j == "pengawas" ? 2 : 3;
    };
    std::vector<const position_meta*> fps_here;
    for (const auto& m : org.positions) {
      if (m.pd != pd) continue;
      if (m.staff && m.jenis == "fungsional" && m.id.find("delegasi") == std::string::npos) fps_here.push_back(&m);
      if (m.staff && m.jenis == "pelaksana" && (!pelaksana || preference(m) < preference(*pelaksana))) pelaksana = &m;
      if (m.head && m.jenis == "pengawas" && m.unit != m.pd && !pengawas) pengawas = &m;
    }
    std::stable_sort(fps_here.begin(), fps_here.end(),
                     [&](const position_meta* x, const position_meta* y) { return preference(*x) < preference(*y); });
    for (const auto* m : fps_here) {
      if (fps++ < limits.assignees_per_pd) subjects.push_back(m);
    }
    if (pelaksana) subjects.push_back(pelaksana);
    if (pengawas) subjects.push_back(pengawas);
    for (const auto* s : subjects) {
      std::vector<std::string> owners = {s->unit, s->pd};
      std::size_t in_pd = 0;
      for (const auto& [u, parent] : ix.parent_of) {
        if (in_pd >= limits.owners_in_pd) break;
        const auto h = ix.head_of_unit.find(u);
        if (h == ix.head_of_unit.end() || !ix.by_id.count(h->second) || ix.by_id.at(h->second)->pd != s->pd) continue;
        if (std::find(owners.begin(), owners.end(), u) != owners.end()) continue;
        owners.push_back(u);
        ++in_pd;
      }
      for (const auto& u : org.pd_units) {
        if (u != s->pd && u.rfind(s->instansi + ".", 0) == 0) {
          add_unique(owners, u);
          break;
        }
      }
      for (const auto& u : org.pd_units) {
        if (u.rfind(s->instansi + ".", 0) != 0) {
          add_unique(owners, u);
          break;
        }
      }
      for (const auto& mode : modes) {
        for (const auto& owner : owners) {
          for (const auto& role : roles) {
            if (!role.empty() && !s->staff) continue;
            json q = {{"type", "penugasan"}, {"mode", mode}, {"assignee", s->id}, {"owner_unit", owner}};
            if (!role.empty()) {
              json team = {{"owner_unit", owner}, {"role", role}, {"anggota", json::array()}};
              if (role == "ketua")
                team["ketua"] = s->id;
              else
                team["anggota"].push_back(s->id);
              q["team"] = std::move(team);
            }
            out.push_back({"penugasan",
                           s->id + " for " + owner + " (" + mode + (role.empty() ? "" : ", " + role) + ")",
                           {std::move(q)}});
          }
        }
      }
    }
  }
  return out;
}

}  // namespace perwal::explore
