// The evaluation plan (engine/compile/plan.cpp): which leaves of the bundled
// rulesets' conditions are planned and how, the rules indexed by query kind
// and the kedudukan tables by kind of perangkat daerah; and, on every
// condition of every bundled ruleset over its city's fixture org, that a
// planned condition reads exactly as the interpreter reads it (holds, fails
// or unknown, and the facts found unstated).
#include <catch2/catch.hpp>
#include <functional>
#include <stdexcept>

#include "engine/compile/ruleset.hpp"
#include "engine/eval/context.hpp"
#include "test_support.hpp"

namespace {

using perwal::cexpr;
using perwal::compiled_ruleset;
using perwal::leaf_plan;
using perwal::eval::truth;
using test = leaf_plan::test;

std::shared_ptr<const compiled_ruleset> bundled(const std::string& id) {
  perwal::diagnostics d;
  auto r = perwal::compile_ruleset(perwal::testing::source_dir() / "rulesets" / (id + ".perwal"), d);
  INFO(perwal::testing::error_text(d));
  REQUIRE(r);
  return r;
}

const perwal::generic_rule& rule_named(const compiled_ruleset& r, std::string_view name) {
  for (const auto& g : r.rules)
    if (g.info.name == name) return g;
  FAIL("no rule " << name);
  throw std::logic_error("unreachable");
}

perwal::code code_of(const compiled_ruleset& r, perwal::category cat, std::string_view name) {
  const auto c = r.vocab.find(cat, name);
  REQUIRE(c);
  return *c;
}

// A copy of `e` whose every node has the plan `t` (general: the interpreter
// reads every leaf; unplanned: each is planned as it is read).
cexpr with_plans(cexpr e, test t) {
  e.leaf = leaf_plan{};
  e.leaf.t = t;
  e.quick.clear();
  for (auto& k : e.kids) k = with_plans(k, t);
  return e;
}

void each_node(const cexpr& e, const std::function<void(const cexpr&)>& f) {
  f(e);
  for (const auto& k : e.kids) each_node(k, f);
}

}  // namespace

TEST_CASE("plan: the national base's kedudukan leaves are planned by shape", "[plan]") {
  const auto r = bundled("permenpanrb-7-2022");
  using perwal::category;
  const auto fungsional = code_of(*r, category::jenis, "fungsional");
  const auto pelaksana = code_of(*r, category::jenis, "pelaksana");

  const auto& atasan_langsung = rule_named(*r, "kedudukan.atasan_langsung");
  // when position.jenis in [fungsional, pelaksana]
  REQUIRE(atasan_langsung.when);
  const auto& when = atasan_langsung.when->leaf;
  CHECK(when.t == test::in_codes);
  CHECK(when.base == perwal::base_name::position);
  CHECK(when.field == perwal::prop::jenis);
  REQUIRE(when.code_count == 2);
  CHECK(when.codes[0] == fungsional);
  CHECK(when.codes[1] == pelaksana);
  // require atasan.jenis in [...] or atasan.delegated(penilai_kinerja) or (atasan.jenis == fungsional and
  // atasan.is_head)
  REQUIRE(atasan_langsung.require);
  const auto& req = *atasan_langsung.require;
  CHECK(req.leaf.t == test::general);  // a connective
  REQUIRE(req.kids.size() == 3);
  CHECK(req.kids[0].leaf.t == test::in_codes);
  CHECK(req.kids[0].leaf.code_count == 3);
  CHECK(req.kids[1].leaf.t == test::alone);
  CHECK(req.kids[1].leaf.field == perwal::prop::delegated);
  REQUIRE(req.kids[2].kids.size() == 2);
  CHECK(req.kids[2].kids[0].leaf.t == test::in_codes);
  CHECK(req.kids[2].kids[0].leaf.codes[0] == fungsional);
  CHECK(req.kids[2].kids[1].leaf.t == test::alone);
  CHECK(req.kids[2].kids[1].leaf.field == perwal::prop::is_head);
  // Laid out for the quick reading, in reading order: the `or`'s operands
  // (the `and`'s two), each leading to the next or to the verdict.
  using step = perwal::condition_step;
  REQUIRE(req.quick.size() == 4);
  CHECK(req.quick[0].leaf == req.kids[0].leaf);
  CHECK(req.quick[0].on_true == step::holds);
  CHECK(req.quick[0].on_false == 1);
  CHECK(req.quick[1].leaf == req.kids[1].leaf);
  CHECK(req.quick[1].on_true == step::holds);
  CHECK(req.quick[1].on_false == 2);
  CHECK(req.quick[2].leaf == req.kids[2].kids[0].leaf);
  CHECK(req.quick[2].on_true == 3);
  CHECK(req.quick[2].on_false == step::fails);
  CHECK(req.quick[3].leaf == req.kids[2].kids[1].leaf);
  CHECK(req.quick[3].on_true == step::holds);
  CHECK(req.quick[3].on_false == step::fails);
  CHECK(req.kids[0].quick.empty());  // only a condition's root has one
  REQUIRE(atasan_langsung.when->quick.size() == 1);
  CHECK(atasan_langsung.when->quick[0].leaf == when);

  // require atasan.jenis >= pengawas: by rank in `jenis`, the literal's rank kept.
  const auto& penilai = rule_named(*r, "kedudukan.penilai_minimal_pengawas");
  REQUIRE(penilai.require);
  const auto& ge = penilai.require->kids.at(0).leaf;
  CHECK(ge.t == test::ordered);
  CHECK(ge.op == perwal::expr_op::ge);
  REQUIRE(ge.cat_count == 1);
  CHECK(ge.cats[0] == category::jenis);
  CHECK(ge.literal_rank[0] == r->vocab.rank(category::jenis, code_of(*r, category::jenis, "pengawas")));

  // Every generic rule is indexed under its query kind, once, in order.
  std::size_t indexed = 0;
  for (std::size_t q = 0; q < perwal::query_kind_count; ++q) {
    const auto& on = r->rules_on[q];
    CHECK(std::is_sorted(on.begin(), on.end()));
    for (const auto i : on) CHECK(static_cast<std::size_t>(r->rules[i].on) == q);
    indexed += on.size();
  }
  CHECK(indexed == r->rules.size());
  CHECK(r->rules_on[static_cast<std::size_t>(perwal::query_kind::kedudukan)].size() == 3);
}

TEST_CASE("plan: a city's kedudukan tables are indexed by kind of perangkat daerah", "[plan]") {
  const auto r = bundled("padang-panjang-48-2024");
  const auto dinas = code_of(*r, perwal::category::unit_kind, "dinas");
  const auto tables = r->kedudukan_tables_for(dinas);
  REQUIRE(tables.size() == 1);
  CHECK(r->kedudukan[tables[0]].info.name == "kedudukan.dinas");
  // Every table is found under each kind it lists, and under no other.
  for (std::size_t i = 0; i < r->kedudukan.size(); ++i) {
    for (std::size_t k = 0; k < r->kedudukan_for_pd_kind.size(); ++k) {
      const auto& kinds = r->kedudukan[i].pd_kinds;
      const bool lists = std::find(kinds.begin(), kinds.end(), static_cast<perwal::code>(k)) != kinds.end();
      const auto under = r->kedudukan_tables_for(static_cast<perwal::code>(k));
      CHECK(lists == (std::find(under.begin(), under.end(), i) != under.end()));
    }
  }
  CHECK(r->kedudukan_tables_for(perwal::no_code).empty());
  // A path of two steps (`pd.head.jenis == pengawas`) is left to the
  // interpreter, and so the whole condition is read from its tree.
  bool two_steps = false;
  for (const auto& tb : r->kedudukan) {
    if (tb.info.name == "kedudukan.uptd_pengawas" && tb.when) {
      CHECK(tb.when->kids.at(0).leaf.t == test::general);
      CHECK(tb.when->quick.empty());
      two_steps = true;
    }
    // `not (atasan.delegated(penilai_kinerja) and atasan.perangkat_daerah == pd)`: the name on the right kept.
    if (tb.info.name == "kedudukan.dinas") {
      REQUIRE(tb.when);
      REQUIRE(tb.when->quick.size() == 2);
      // `not`: the conjunction's verdicts swapped.
      CHECK(tb.when->quick[0].leaf.field == perwal::prop::delegated);
      CHECK(tb.when->quick[0].on_true == 1);
      CHECK(tb.when->quick[0].on_false == perwal::condition_step::holds);
      CHECK(tb.when->quick[1].leaf.t == test::bound);
      CHECK(tb.when->quick[1].leaf.right == perwal::base_name::pd);
      CHECK(tb.when->quick[1].on_true == perwal::condition_step::fails);
      CHECK(tb.when->quick[1].on_false == perwal::condition_step::holds);
    }
  }
  CHECK(two_steps);
}

TEST_CASE("plan: every planned condition reads as the interpreter reads it", "[plan]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"padang-panjang-48-2024", "padang-panjang"},
      {"jambi-13-2025", "jambi"},
      {"pasuruan-41-2023", "pasuruan"},
      {"bukittinggi-rancangan", "bukittinggi"},
  };
  for (const auto& [id, city] : cases) {
    DYNAMIC_SECTION(id) {
      const auto r = bundled(id);
      perwal::diagnostics d;
      const auto org = perwal::org::org_graph::load_file(
          (perwal::testing::source_dir() / "fixtures" / city / "org.json").string(), r->vocab, r->shape, d);
      INFO(perwal::testing::error_text(d));
      REQUIRE(org);
      const perwal::eval::context ctx(*r, *org);
      const auto n = static_cast<perwal::org::index>(org->positions().size());
      REQUIRE(n > 10);

      std::size_t planned_leaves = 0, evaluations = 0, quick_conditions = 0, quick_decided = 0;
      std::array<std::size_t, 3> seen{};  // holds, fails, unknown
      perwal::for_each_condition(*r, [&](const cexpr& cond) {
        each_node(cond, [&](const cexpr& e) {
          CHECK(e.leaf.t != test::unplanned);
          planned_leaves += e.leaf.t != test::general && e.leaf.t != test::unplanned ? 1 : 0;
        });
        quick_conditions += cond.quick.empty() ? 0 : 1;
        const auto interpreted = with_plans(cond, test::general);
        const auto on_the_fly = with_plans(cond, test::unplanned);
        for (perwal::org::index p = 0; p < n; ++p) {
          // Each position with its own atasan, then with another position proposed as atasan.
          for (const auto atasan : {org->positions()[p].atasan, static_cast<perwal::org::index>((p * 31 + 7) % n)}) {
            perwal::eval::bindings b;
            b.position = b.assignee = b.from = p;
            b.atasan = b.to = atasan;
            b.pd = ctx.pd_of(p);
            b.issuer = static_cast<perwal::org::index>((p * 17 + 3) % n);
            b.owner = ctx.unit_of(b.issuer);
            std::vector<std::string> facts_planned, facts_interpreted, facts_fly;
            const auto planned = ctx.check(cond, b, &facts_planned);
            REQUIRE(planned == ctx.check(interpreted, b, &facts_interpreted));
            REQUIRE(planned == ctx.check(on_the_fly, b, &facts_fly));
            REQUIRE(facts_planned == facts_interpreted);
            REQUIRE(facts_planned == facts_fly);
            REQUIRE(ctx.truthy(cond, b) == ctx.truthy(interpreted, b));
            // The quick reading, when it decides, decides as the interpreter.
            if (bool holds = false; ctx.quick_condition(cond.quick, b, holds)) {
              REQUIRE(ctx.check(interpreted, b, nullptr) == (holds ? truth::holds : truth::fails));
              ++quick_decided;
            }
            ++seen[static_cast<std::size_t>(planned)];
            ++evaluations;
          }
        }
      });
      INFO("planned leaves " << planned_leaves << ", evaluations " << evaluations << ", quick conditions "
                             << quick_conditions << ", decided quickly " << quick_decided);
      CHECK(planned_leaves >= 20);
      CHECK(quick_conditions >= 5);
      CHECK(quick_decided * 2 > evaluations / 4);  // a good share of all readings
      CHECK(seen[static_cast<std::size_t>(truth::holds)] > 0);
      CHECK(seen[static_cast<std::size_t>(truth::fails)] > 0);
    }
  }
}

TEST_CASE("plan: a quick reading's code bits give the code test's verdict on every code", "[plan]") {
  for (const char* id :
       {"permenpanrb-7-2022", "padang-panjang-48-2024", "jambi-13-2025", "pasuruan-41-2023", "bukittinggi-rancangan"}) {
    DYNAMIC_SECTION(id) {
      const auto r = bundled(id);
      std::size_t with_bits = 0, tests_of_codes = 0;
      perwal::for_each_condition(*r, [&](const cexpr& cond) {
        for (const auto& s : cond.quick) {
          if (!perwal::code_test(s.leaf, 0, r->vocab)) {
            CHECK_FALSE(s.code_bits);  // bits only for a test of a code
            continue;
          }
          ++tests_of_codes;
          if (!s.code_bits) continue;
          ++with_bits;
          for (std::size_t c = 0; c < r->vocab.size(); ++c) {
            const unsigned at = static_cast<unsigned>(c) - s.first_code;
            const bool bit = at < 64 ? ((s.bits >> at) & 1U) != 0 : s.outside;
            REQUIRE(bit == *perwal::code_test(s.leaf, static_cast<perwal::code>(c), r->vocab));
          }
        }
      });
      CHECK(tests_of_codes > 0);
      CHECK(with_bits == tests_of_codes);  // every bundled test of a code fits in 64 bits
    }
  }
}
