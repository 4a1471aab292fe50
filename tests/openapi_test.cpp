// server/openapi.json against the server itself: every route the router
// answers is an operation of the document and every operation a route, each
// with an operationId and the security the route enforces; every error code
// the server sources send is in the Error schema's list and the reverse.
#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>

#include "server/serve.hpp"
#include "test_support.hpp"

namespace {

using json = nlohmann::json;

json openapi() {
  return json::parse(perwal::testing::slurp(perwal::testing::source_dir() / "server/openapi.json"));
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The security requirement a route's scope stands for: none, optional
// (checks need a token only with --require-token-for-checks), or the scope.
json security_for(const std::string& scope) {
  if (scope.empty()) return json::array();
  if (scope == "check") return json::array({json::object(), {{"bearer", {"check"}}}});
  return json::array({{{"bearer", {scope}}}});
}

}  // namespace

TEST_CASE("openapi: the router and the document list the same operations, each with its security",
          "[server][openapi]") {
  const auto doc = openapi();
  REQUIRE(doc["openapi"].get<std::string>().rfind("3.1.", 0) == 0);
  const auto routes = perwal::server::route_table();
  REQUIRE(routes.size() >= 14);

  std::set<std::pair<std::string, std::string>> served, documented;
  for (const auto& r : routes) {
    INFO(r.method << " " << r.pattern);
    served.emplace(r.pattern, lower(r.method));
    REQUIRE(doc["paths"].contains(r.pattern));
    REQUIRE(doc["paths"][r.pattern].contains(lower(r.method)));
    const auto& op = doc["paths"][r.pattern][lower(r.method)];
    CHECK(op["security"] == security_for(r.scope));
    if (!r.scope.empty()) {
      // Without a token 401, with one that lacks the scope 403.
      CHECK(op["responses"].contains("401"));
      CHECK(op["responses"].contains("403"));
    }
  }
  std::set<std::string> ids;
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      INFO(method << " " << path);
      documented.emplace(path, method);
      CHECK(served.count({path, method}) == 1);  // the document names no route the server lacks
      REQUIRE(op.contains("operationId"));
      CHECK(ids.insert(op["operationId"].get<std::string>()).second);
      // Every status the server may send has a body described: JSON errors through the default.
      CHECK(op["responses"].contains("default"));
      CHECK(op["responses"].contains("200"));
      // A "{…}" segment of the path is a path parameter of the operation.
      std::set<std::string> params;
      for (const auto& p : op.value("parameters", json::array())) {
        const auto& resolved =
            p.contains("$ref") ? doc["components"]["parameters"][p["$ref"].get<std::string>().substr(24)] : p;
        if (resolved["in"] == "path") params.insert(resolved["name"].get<std::string>());
      }
      std::set<std::string> segments;
      const std::regex brace("\\{([a-z_]+)\\}");
      for (std::sregex_iterator it(path.begin(), path.end(), brace), end; it != end; ++it) segments.insert((*it)[1]);
      CHECK(params == segments);
    }
  }
  CHECK(served == documented);
  CHECK(doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer");
}

TEST_CASE("openapi: the Error schema lists every error code the server sends, and no other", "[server][openapi]") {
  const auto doc = openapi();
  std::set<std::string> listed;
  for (const auto& c : doc["components"]["schemas"]["Error"]["properties"]["error"]["enum"])
    listed.insert(c.get<std::string>());
  // fail(STATUS, "code", …), fail_in(…), {STATUS, "code", …} (an http_error,
  // also over two lines) and the error handler's `{res.status, too_large ? "code" : "code"`, in every
  // source of server/.
  std::set<std::string> sent;
  const std::regex call(
      R"re((?:fail|fail_in)\(\d{3},\s*"([a-z_]+)"|\{\s*\d{3},\s*"([a-z_]+)"|\{[\w.]+,\s*\w+ \? "([a-z_]+)"\s*:\s*"([a-z_]+)")re");
  for (const auto& entry : std::filesystem::directory_iterator(perwal::testing::source_dir() / "server")) {
    const auto ext = entry.path().extension();
    if (ext != ".cpp" && ext != ".hpp") continue;
    const auto text = perwal::testing::slurp(entry.path());
    for (std::sregex_iterator it(text.begin(), text.end(), call), end; it != end; ++it) {
      for (std::size_t g = 1; g < it->size(); ++g) {
        if ((*it)[g].matched) sent.insert((*it)[g]);
      }
    }
  }
  // The patterns still find the forms that are easy to miss.
  CHECK(sent.count("reload_failed") == 1);
  CHECK(sent.count("payload_too_large") == 1);
  CHECK(sent.count("bad_request") == 1);
  CHECK(sent.size() >= 20);
  CHECK(sent == listed);
}
