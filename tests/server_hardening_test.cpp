// `perwal serve` against a hostile client: request bodies that would crash or
// exhaust a careless server are answered 4xx, and the server keeps serving.
// Inputs are generated here, not stored.
#include "server_support.hpp"

TEST_CASE("serve: hostile JSON bodies are 400s, and the server keeps serving", "[server][hardening]") {
  temp_dir dir;
  server_process server(dir.path, pp_args());
  auto c = server.client();
  // 100,000 levels in a query value: printing or copying it would overflow the stack
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  expect_error(
      post_json(c, "/v1/check", R"({"type": "kedudukan", "position": "pp.bag-org.analis-1", "x": )" + deep + "}"), 400,
      "invalid_json", "JSON nested deeper than 64 levels at line 1, column ");
  expect_error(post_json(c, "/v1/check", "[" + deep + "]"), 400, "invalid_json", "nested deeper");
  // an org is read by the org loader: its error code and place
  expect_error(c.Put("/v1/orgs/deep", R"({"schema": "perwal-org/1", "teams": [{"target": {"nilai": )" + deep + "}}]}",
                     "application/json"),
               400, "bad_org", "org:1:119: JSON nested deeper than 64 levels");
  // a number out of range, bytes that are not UTF-8, a key written twice
  expect_error(post_json(c, "/v1/check", R"({"type": "kedudukan", "position": 1e999})"), 400, "invalid_json",
               "invalid JSON");
  const auto bad_utf8 = post_json(c, "/v1/check", "{\"type\": \"kedudukan\", \"position\": \"\xff\xfe\"}");
  expect_error(bad_utf8, 400, "invalid_json", "invalid JSON");
  expect_error(post_json(c, "/v1/check", R"({"type": "kedudukan", "type": "audit"})"), 400, "invalid_json",
               "duplicate key \"type\"");
  // still serving
  const auto ok = post_json(c, "/v1/check", analis_query);
  REQUIRE(ok);
  CHECK(ok->status == 200);
  CHECK(server.stop(SIGTERM) == 0);
}
