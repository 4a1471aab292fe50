// Freezing a validated org: forest orders, unit context (unit organisasi,
// perangkat daerah, instansi) and CSR indices (the Boost graph is built on
// first use, from the same records: see org_graph::graph). Linear and
// iterative: orgs reach millions of positions and chains thousands deep.
#include "engine/org/org_json_reader.hpp"
#include "engine/org/org_validate.hpp"

namespace perwal::org {

struct freeze_steps {
  org_graph& g;
  const structure& shape;

  // Only for a valid org: every reference resolved, no cycles.
  void freeze(std::span<const tag_ref> tags) {
    for (const tag_ref& t : tags) {
      const tag_list span(g.tag_pool_.data() + t.first, t.count);
      if (t.unit) {
        g.units_.build()[t.item].tags = span;
      } else {
        g.positions_.build()[t.item].tags = span;
      }
    }
    order_forest(g.units_.build(), &unit::parent, g.unit_by_pre_.build());
    {
      std::vector<index> positions_by_pre;
      order_forest(g.positions_.build(), &position::atasan, positions_by_pre);
    }
    index_unit_context();
    index_heads();
    index_positions_by_unit();
    index_employees();
    index_delegations();
    index_teams();
    inline_short_ids();
    index_slot_atasan();
    // The Boost graph is built on first use, as for a snapshot: no check,
    // audit or report walks it, and for a national org it was 7 % of the
    // JSON load and a few hundred MB.
    number_vertices(g);
    g.graph_deferred_ = true;
  }

  // Short position ids moved into their records (position::id_inline); the
  // records no longer move once the org is frozen.
  void inline_short_ids() {
    for (position& p : g.positions_.build()) {
      if (!inline_id(p.id)) continue;
      std::copy(p.id.begin(), p.id.end(), p.id_inline.begin());
      p.id = std::string_view(p.id_inline.data(), p.id.size());
    }
  }

  // The atasan of the position in each slot of the position id table
  // (org_graph::position_slot_atasan_). The records are read in slot order,
  // at random: each is asked for a few slots ahead.
  void index_slot_atasan() {
    const id_table& ids = g.position_ids_;
    const std::size_t n = ids.slot_count();
    auto& hints = g.position_slot_atasan_.build();
    assign_huge(hints, n, none);
    constexpr std::size_t ahead = 16;
    for (std::size_t s = 0; s < n; ++s) {
      if (s + ahead < n) {
        if (const index k = ids.item_at(s + ahead); k != none) __builtin_prefetch(&g.positions_[k].atasan);
      }
      if (const index k = ids.item_at(s); k != none) hints[s] = g.positions_[k].atasan;
    }
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
      unit& u = g.units_.build()[v];
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

  // A position heading several units (an acting head) keeps the first; every
  // position gets its unit's perangkat daerah and its kind, and the head of
  // its unit organisasi (index_unit_context ran first).
  void index_heads() {
    for (position& p : g.positions_.build()) {
      p.perangkat_daerah = p.unit < g.units_.size() ? g.units_[p.unit].perangkat_daerah : none;
      p.pd_kind = p.perangkat_daerah != none ? g.units_[p.perangkat_daerah].kind : no_code;
      p.pimpinan_unit = g.pimpinan_of_unit(p.unit);
    }
    for (index v = 0; v < g.units_.size(); ++v) {
      const index h = g.units_[v].head;
      if (h != none && g.positions_[h].heads == none) g.positions_.build()[h].heads = v;
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
    for (const auto& [to, d] : pairs) g.positions_.build()[to].receives_delegation = true;
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
  static void number_vertices(org_graph& g) {
    const std::size_t nu = g.units_.size(), np = g.positions_.size(), ne = g.employees_.size();
    g.vertex_base_ = {0, static_cast<std::uint32_t>(nu), static_cast<std::uint32_t>(nu + np),
                      static_cast<std::uint32_t>(nu + np + ne)};
  }

  // `out`: the graph of g's items, whose references are all in range.
  static void build_graph(const org_graph& g, graph_type& out) {
    const std::size_t nu = g.units_.size(), np = g.positions_.size(), ne = g.employees_.size();
    const std::size_t nt = g.teams_.size();
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
    out = graph_type(boost::edges_are_unsorted_multi_pass, ends.begin(), ends.end(), props.begin(),
                     static_cast<std::uint32_t>(nu + np + ne + nt));
    ends = {};
    props = {};
    set_vertex_props(g, out);
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
    const json& obj = g.teams_[i].extra.get();
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

void freezer::number_vertices(org_graph& g) {
  freeze_steps::number_vertices(g);
}

void freezer::build_graph(const org_graph& g, graph_type& out) {
  freeze_steps::build_graph(g, out);
}

}  // namespace perwal::org
