// Teams (tim kerja) and delegations: the generic rules on `tim` and on
// `delegasi`, for one team of a query or of the org, or one delegation.
#include "engine/eval/context.hpp"

namespace perwal::eval {

void check_team(const context& c, const team_input& tm, decision& d) {
  bindings b;
  b.team = &tm;
  const auto path = [&] {
    std::vector<node_ref> nodes;
    if (tm.org_team == none) {
      d.inline_team = tm.id;
      nodes.push_back({node_ref::kind::inline_team, none});
    } else {
      nodes.push_back({node_ref::kind::team, tm.org_team});
    }
    if (tm.ketua != none) nodes.push_back(context::at_position(tm.ketua));
    return nodes;
  };
  c.run_generic(query_kind::tim, b, path, d);
}

void check_delegation(const context& c, const org::delegation& dl, decision& d) {
  bindings b;
  b.delegation = &dl;
  const auto path = [&] {
    const auto k = static_cast<index>(&dl - c.org.delegations().data());
    return std::vector<node_ref>{
        {node_ref::kind::delegation, k}, context::at_position(dl.from), context::at_position(dl.to)};
  };
  c.run_generic(query_kind::delegasi, b, path, d);
}

}  // namespace perwal::eval
