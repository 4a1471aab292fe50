// Internal to engine/org: the steps shared by the loaders (the nlohmann
// reference loader in org.cpp, the streaming reader in org_stream.cpp) and
// the snapshot reader. Not part of the org API.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <numeric>
#include <span>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/org/org.hpp"

namespace perwal::org {

// Texts that repeat, kept once: a national org has millions of positions and
// a few hundred titles. `V` is what is kept for a text (its view in the
// org's strings, its place in a snapshot's string table); the key views a
// copy that outlives this. At most `limit` distinct texts are remembered, so
// an org whose titles all differ costs a failed look-up each, no more memory.
template <class V>
class repeated_texts {
 public:
  static constexpr std::size_t limit = 1U << 16;
  // The value kept for a text equal to `s`; the first time, `keep()`'s:
  // a pair of a view of the text that outlives this, and the value.
  template <class Keep>
  [[nodiscard]] V get(std::string_view s, Keep&& keep) {
    if (const auto it = seen_.find(s); it != seen_.end()) return it->second;
    const auto [stable, value] = keep();
    if (seen_.size() < limit) seen_.emplace(stable, value);
    return value;
  }

 private:
  std::unordered_map<std::string_view, V> seen_;
};

// The tags of one unit or position: a slice of org_graph::tag_pool_. Spans
// are made once the pool stops growing.
struct tag_ref {
  bool unit;
  index item;
  std::uint32_t first;
  std::uint32_t count;
};

// Turns validated items into the frozen org: tag spans, forest orders, unit
// context and CSR indices (the Boost graph when first asked for). Only for
// a valid org (every reference resolved, no cycles).
struct freezer {
  static void freeze(org_graph& g, const structure& shape, std::span<const tag_ref> tags);
  // Reads each team from its object (in `extra`; json_path set) exactly as
  // the reference loader does; false at the first error. Positions,
  // employees and units must be complete.
  static bool read_teams(org_graph& g, const vocabulary& vocab, const structure& shape);
  // The first vertex of each kind (vertex_of), from the item counts.
  static void number_vertices(org_graph& g);
  // g's Boost graph, from its items (when first asked for).
  static void build_graph(const org_graph& g, graph_type& out);
  // An item's key, for the id tables (which confirm a hash hit by reading it).
  static auto unit_key(const org_graph& g) {
    return [&g](index k) { return g.units_[k].id; };
  }
  static auto position_key(const org_graph& g) {
    return [&g](index k) { return g.positions_[k].id; };
  }
  static auto nip_key(const org_graph& g) {
    return [&g](index k) { return g.employees_[k].nip; };
  }
  static auto team_key(const org_graph& g) {
    return [&g](index k) { return g.teams_[k].id; };
  }
  static auto instansi_key(const org_graph& g) {
    return [&g](index k) { return g.instansi_[k].id; };
  }
};

// The streaming reader over a mapped file: `drop(p)` is told, between
// items, that the text before `p` will not be read again.
[[nodiscard]] std::shared_ptr<const org_graph> load_streaming_dropping(std::string_view text,
                                                                       const std::function<void(const char*)>& drop,
                                                                       const vocabulary& vocab, const structure& shape);

// Walks a forest given by `link` (none = root) once, without recursion.
// Calls `on_cycle(first, last)` with the nodes of each cycle, in link order,
// and returns every node's root (none for nodes on or hanging below a cycle).
template <class Node, class OnCycle>
[[nodiscard]] std::vector<index> find_roots(const std::vector<Node>& nodes, index Node::*link, OnCycle&& on_cycle) {
  enum : std::uint8_t { unseen, on_path, done };
  const auto n = static_cast<index>(nodes.size());
  std::vector<std::uint8_t> state(n, unseen);
  std::vector<index> root(n, none);  // while on the path: the node's place in `path`
  std::vector<index> path;
  for (index start = 0; start < n; ++start) {
    if (state[start] != unseen) continue;
    path.clear();
    index result = none;
    for (index v = start;;) {
      state[v] = on_path;
      root[v] = static_cast<index>(path.size());
      path.push_back(v);
      const index up = nodes[v].*link;
      if (up == none) {
        result = v;
        break;
      }
      if (state[up] == done) {
        result = root[up];
        break;
      }
      if (state[up] == on_path) {
        on_cycle(path.cbegin() + root[up], path.cend());
        break;
      }
      v = up;
    }
    for (const index v : path) {
      state[v] = done;
      root[v] = result;
    }
  }
  return root;
}

}  // namespace perwal::org
