// Internal to the reference evaluator: the org spec walked plainly, by
// linear scans and recursion up parent and atasan chains (no index).
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "engine/compile/ruleset.hpp"
#include "engine/org/org_spec.hpp"

namespace perwal::reference::detail {

constexpr int none = -1;

class spec_walks {
 public:
  spec_walks(const compiled_ruleset& r, const org::spec& o) : rules(r), org(o) {}
  const compiled_ruleset& rules;
  const org::spec& org;

  // ---- the org, by linear scans --------------------------------------------------
  [[nodiscard]] int unit_by_id(const std::string& id) const {
    for (std::size_t i = 0; i < org.units.size(); ++i) {
      if (org.units[i].id == id) return static_cast<int>(i);
    }
    return none;
  }
  // A position id, or the NIP of an employee holding one.
  [[nodiscard]] int position_ref(const std::string& ref) const {
    for (std::size_t i = 0; i < org.positions.size(); ++i) {
      if (org.positions[i].id == ref) return static_cast<int>(i);
    }
    for (const auto& e : org.employees) {
      if (e.nip == ref) return position_ref(e.position);
    }
    return none;
  }
  [[nodiscard]] int position_ref(const std::optional<std::string>& ref) const {
    return ref ? position_ref(*ref) : none;
  }
  [[nodiscard]] code unit_kind(int u) const { return code_of(category::unit_kind, org.units[u].kind); }
  [[nodiscard]] code position_kind(int p) const { return code_of(category::position_kind, org.positions[p].kind); }
  [[nodiscard]] code jenis(int p) const { return code_of(category::jenis, org.positions[p].jenis); }
  [[nodiscard]] code code_of(category cat, const std::string& name) const {
    return rules.vocab.find(cat, name).value_or(no_code);
  }
  [[nodiscard]] int parent(int u) const { return org.units[u].parent ? unit_by_id(*org.units[u].parent) : none; }
  [[nodiscard]] int unit_of(int p) const { return p == none ? none : unit_by_id(org.positions[p].unit); }
  [[nodiscard]] int atasan_of(int p) const { return position_ref(org.positions[p].atasan); }
  [[nodiscard]] int head(int u) const { return position_ref(org.units[u].head); }
  [[nodiscard]] int root(int u) const {
    if (u == none) return none;
    for (std::size_t guard = 0; parent(u) != none && guard <= org.units.size(); ++guard) u = parent(u);
    return u;
  }
  [[nodiscard]] int instansi(int u) const {
    const int r = root(u);
    if (r == none || !org.units[r].instansi) return none;
    for (std::size_t i = 0; i < org.instansi.size(); ++i) {
      if (org.instansi[i].id == *org.units[r].instansi) return static_cast<int>(i);
    }
    return none;
  }
  [[nodiscard]] int berwenang(int u) const {
    const int i = instansi(u);
    return i == none ? none : position_ref(org.instansi[i].pejabat_berwenang);
  }
  // The nearest self-or-ancestor of a perangkat daerah kind.
  [[nodiscard]] int pd_of(int u) const {
    if (u == none) return none;
    const auto& kinds = rules.shape.perangkat_daerah_kinds;
    if (std::find(kinds.begin(), kinds.end(), unit_kind(u)) != kinds.end()) return u;
    return pd_of(parent(u));
  }
  [[nodiscard]] bool uo_counts_in(code kind, code pd_kind) const {
    for (const auto& [k, pds] : rules.shape.unit_organisasi_within) {
      if (k == kind) return std::find(pds.begin(), pds.end(), pd_kind) != pds.end();
    }
    return true;
  }
  // The unit organisasi: the nearest self-or-ancestor of a UO kind inside the
  // perangkat daerah, else the perangkat daerah, else the unit itself.
  [[nodiscard]] int uo_of(int u) const {
    if (u == none) return none;
    const int pd = pd_of(u);
    if (pd == none) return u;
    for (int cur = u; cur != none; cur = parent(cur)) {
      const auto& kinds = rules.shape.unit_organisasi_kinds;
      const bool uo_kind = std::find(kinds.begin(), kinds.end(), unit_kind(cur)) != kinds.end();
      if ((uo_kind && uo_counts_in(unit_kind(cur), unit_kind(pd))) || cur == pd) return cur;
    }
    return u;
  }
  [[nodiscard]] bool unit_within(int u, int top) const {
    for (std::size_t guard = 0; u != none && guard <= org.units.size(); ++guard, u = parent(u)) {
      if (u == top) return true;
    }
    return false;
  }
  // The units in pre-order: roots then children, each in document order.
  void preorder(int u, std::vector<int>& out) const {
    out.push_back(u);
    for (std::size_t c = 0; c < org.units.size(); ++c) {
      if (parent(static_cast<int>(c)) == u) preorder(static_cast<int>(c), out);
    }
  }
  [[nodiscard]] int unit_of_kind(int inst, code k) const {
    std::vector<int> order;
    for (std::size_t u = 0; u < org.units.size(); ++u) {
      if (parent(static_cast<int>(u)) == none) preorder(static_cast<int>(u), order);
    }
    for (int u : order) {
      if (instansi(u) == inst && unit_kind(u) == k) return u;
    }
    return none;
  }
  [[nodiscard]] bool is_fp_or_pelaksana(int p) const {
    const auto j = jenis(p);
    return j == rules.known.fungsional || j == rules.known.pelaksana;
  }
  // Whether a is p or above p on its atasan chain.
  [[nodiscard]] bool superior_of(int a, int p) const {
    for (std::size_t guard = 0; p != none && guard <= org.positions.size(); ++guard, p = atasan_of(p)) {
      if (p == a) return true;
    }
    return false;
  }
  [[nodiscard]] std::vector<int> chain_above(int p) const {
    std::vector<int> out;
    for (int cur = atasan_of(p); cur != none && out.size() < 64; cur = atasan_of(cur)) out.push_back(cur);
    return out;
  }
};

}  // namespace perwal::reference::detail
