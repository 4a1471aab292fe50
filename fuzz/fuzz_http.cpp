// The API's request path on any request: the input's first line is
// "METHOD PATH?QUERY" (an optional "Authorization: Bearer T" second line),
// the rest the body. Dispatched to the handlers as `perwal serve` does after
// cpp-httplib has read a request; every answer must be a JSON 2xx or 4xx,
// never a 5xx, an escaped exception or a sanitizer report.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

#include "fuzz/fuzz_support.hpp"
#include "server/api.hpp"

namespace {

using namespace perwal::server;

struct fixture {
  std::filesystem::path data;
  config c;
  snapshot_source source;
  std::unique_ptr<org_store> store;
  std::unique_ptr<decision_log> log;
  std::unique_ptr<detail::api> api;

  fixture() {
    char dir[] = "/tmp/perwal-fuzz-http-XXXXXX";
    if (::mkdtemp(dir) == nullptr) perwal::fuzz::broken("mkdtemp failed");
    data = dir;
    c.rules = {(perwal::fuzz::source_dir() / "rulesets/padang-panjang-48-2024.perwal").string()};
    c.org_file = (perwal::fuzz::source_dir() / "fixtures/padang-panjang/org.json").string();
    c.admin_token = "fuzz-admin";
    c.tokens.set_admin(c.admin_token);
    c.log.full_sync = false;
    c.log.max_rows = 1000;
    c.quota.max_orgs = 3;
    source = {c.rules, "", c.org_file, {{perwal::fuzz::source_dir() / "rulesets"}, nullptr}};
    store = std::make_unique<sqlite_org_store>(data / "orgs.db", false, c.quota);
    log = std::make_unique<sqlite_decision_log>(data / "decisions.db", c.log);
    build_failure failure;
    auto first = build_snapshot(source, *store, nullptr, failure);
    if (!first) perwal::fuzz::broken("the bundled ruleset and org do not load: " + failure.message);
    api = std::make_unique<detail::api>(c, source, *store, *log, std::move(first));
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static fixture f;
  const std::string input(reinterpret_cast<const char*>(data), size);
  std::size_t end = input.find('\n');
  std::string line = input.substr(0, end);
  std::string body = end == std::string::npos ? std::string() : input.substr(end + 1);
  httplib::Request req;
  const auto space = line.find(' ');
  req.method = line.substr(0, space);
  std::string target = space == std::string::npos ? "/" : line.substr(space + 1);
  if (body.rfind("Authorization: ", 0) == 0) {
    const auto eol = body.find('\n');
    req.set_header("Authorization", body.substr(15, eol == std::string::npos ? std::string::npos : eol - 15));
    body = eol == std::string::npos ? std::string() : body.substr(eol + 1);
  }
  const auto question = target.find('?');
  req.path = target.substr(0, question);
  if (question != std::string::npos) {
    std::string query = target.substr(question + 1);
    for (std::size_t at = 0; at <= query.size();) {
      const auto amp = std::min(query.find('&', at), query.size());
      const std::string pair = query.substr(at, amp - at);
      const auto eq = pair.find('=');
      req.params.emplace(pair.substr(0, eq), eq == std::string::npos ? std::string() : pair.substr(eq + 1));
      at = amp + 1;
    }
  }
  httplib::Response res;
  f.api->dispatch(req, body, res);
  if (res.status >= 500 && res.status != 503 && res.status != 507) {
    perwal::fuzz::broken("HTTP " + std::to_string(res.status) + " for " + line + ": " + res.body);
  }
  return 0;
}
