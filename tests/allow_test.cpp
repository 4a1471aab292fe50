// Switching lint warnings off by code: `allow CODE because "…"` in a ruleset,
// --allow / -A and --deny / -D / --strict=CODES on the command line.
#include <catch2/catch.hpp>

#include "engine/compile/lint.hpp"
#include "explore_support.hpp"

namespace {

const std::string head = R"(ruleset t { title "t" cite_as "T 1/2024" extends permenpanrb-7-2022 }
)";

std::string compile_errors(const std::string& body, std::shared_ptr<const perwal::compiled_ruleset>* out = nullptr) {
  perwal::diagnostics diags;
  auto rules = perwal::compile_ruleset_text("t.perwal", head + body, perwal::testing::source_dir() / "rulesets", diags);
  if (out) *out = rules;
  std::string errors;
  for (const auto& d : diags.sorted()) {
    if (d.level == perwal::severity::error) errors += d.code + " " + d.message_text() + "\n";
  }
  return errors;
}

}  // namespace

TEST_CASE("allow: the statement, its reason and its codes", "[allow][compile]") {
  std::shared_ptr<const perwal::compiled_ruleset> rules;
  CHECK(compile_errors("allow W012, W004 because \"examples come later\"\n", &rules).empty());
  REQUIRE(rules);
  REQUIRE(rules->allows.size() == 2);
  CHECK(rules->allows[0].code == "W012");
  CHECK(rules->allows[1].code == "W004");
  CHECK(rules->allows[0].reason == "examples come later");
  CHECK(rules->allows[0].where.begin.line == 2);

  CHECK(compile_errors("allow W999 because \"x\"\n") ==
        "E056 allow W999: no such diagnostic code (see docs/diagnostics.md)\n");
  CHECK(compile_errors("allow E021 because \"x\"\n") ==
        "E057 allow E021: only a warning can be allowed, not an error\n");
  CHECK(compile_errors("allow W012 because \"  \"\n") ==
        "E058 allow W012: the reason is empty; say why the warning does not apply\n");
  // A missing reason is a syntax error.
  CHECK(compile_errors("allow W012\n") ==
        "E001 expected 'because' and a quoted reason: every allow says why the warning does not apply\n");
  CHECK(compile_errors("allow W012 because\n") == "E001 expected the reason as a quoted string after 'because'\n");
  CHECK(compile_errors("allow because \"x\"\n") ==
        "E001 expected a diagnostic code after 'allow' (for example W012; see docs/diagnostics.md)\n");
}

TEST_CASE("allow: a ruleset's allows and the options drop warnings; deny keeps them", "[allow][lint]") {
  std::shared_ptr<const perwal::compiled_ruleset> rules;
  REQUIRE(compile_errors("allow W001 because \"x\"\n", &rules).empty());
  const auto f = std::make_shared<perwal::source_file>(perwal::source_file{"t.perwal", "x"});
  const perwal::source_range r{f, {0, 1, 1}, {0, 1, 1}};
  auto make = [&] {
    perwal::diagnostics d;
    d.report(r, perwal::msg("scope-uncovered", "dalam_unit"));  // W001
    d.report(r, perwal::msg("workflow-no-example", "w"));       // W012
    d.report(r, perwal::msg("example-no-query", "e"));          // E053: never dropped
    return d;
  };
  auto d = make();
  CHECK(perwal::apply_allows(rules.get(), {}, d) == 1);
  CHECK(d.items().size() == 2);
  CHECK_FALSE(perwal::warnings_fail(d, {}));
  CHECK(perwal::warnings_fail(d, {{}, {}, true}));
  CHECK(perwal::warnings_fail(d, {{}, {"W012"}, false}));
  CHECK_FALSE(perwal::warnings_fail(d, {{}, {"W004"}, false}));

  d = make();
  CHECK(perwal::apply_allows(rules.get(), {{"W012"}, {}, false}, d) == 2);
  d = make();
  CHECK(perwal::apply_allows(rules.get(), {{}, {"W001"}, false}, d) == 0);  // denied: the ruleset's allow yields
  d = make();
  CHECK(perwal::apply_allows(nullptr, {{"W001"}, {}, false}, d) == 1);
}

TEST_CASE("perwal lint: --allow, --deny, --strict=CODES and a ruleset's allow", "[allow][cli]") {
  using perwal::testing::perwal_cli;
  const std::string file = " tests/data/lint/allowed.perwal";
  // The file allows W003, W010, W012 and W013; W004 (an always-false rule) is left.
  auto plain = perwal_cli("lint" + file, true);
  INFO(plain.out);
  CHECK(plain.status == 0);
  CHECK_THAT(plain.out, Catch::Contains("0 error(s), 1 warning(s)"));
  CHECK_THAT(plain.out, Catch::Contains("warning[W004]: rule \"penugasan.tidak_pernah\" is unreachable"));
  CHECK(perwal_cli("lint --strict" + file).status == 1);
  CHECK(perwal_cli("lint --strict -A W004" + file).status == 0);
  CHECK(perwal_cli("lint --strict --allow W001,W004" + file).status == 0);
  CHECK(perwal_cli("lint --strict=W001" + file).status == 0);
  CHECK(perwal_cli("lint --strict=W001,W004" + file).status == 1);
  CHECK(perwal_cli("lint -D W004" + file).status == 1);
  // --deny is stronger than the ruleset's allow.
  auto denied = perwal_cli("lint --deny W003" + file, true);
  CHECK(denied.status == 1);
  CHECK_THAT(denied.out, Catch::Contains("warning[W003]"));
  // Indonesian on request.
  CHECK_THAT(perwal_cli("lint --lang id" + file, true).out, Catch::Contains("peringatan[W004]: aturan"));
  // Usage errors: not a warning code, or one both allowed and denied.
  auto bad = perwal_cli("lint --allow E021" + file, true);
  CHECK(bad.status == 2);
  CHECK_THAT(bad.out, Catch::Contains("--allow: E021 is not a warning code"));
  CHECK(perwal_cli("lint -A W012 -D W012" + file).status == 2);
  CHECK(perwal_cli("lint --strict=" + file).status == 2);
}
