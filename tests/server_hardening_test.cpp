// `perwal serve` against a hostile client: request bodies that would crash or
// exhaust a careless server are answered 4xx, and the server keeps serving.
// Inputs are generated here, not stored.
#include <sqlite3.h>

#include "server/tokens.hpp"
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

namespace {

// `perwal serve ARGS` expected to refuse to start: its exit status and output
// (bounded by `timeout`, so a server that starts after all cannot hang the test).
std::pair<int, std::string> refused_start(const std::string& args) {
  return shell("cd '" + perwal::testing::source_dir().string() + "' && timeout 60 '" PERWAL_BINARY "' serve " + args);
}

}  // namespace

TEST_CASE("serve: the port is exclusive; a second server on it fails to start", "[server][hardening]") {
  temp_dir dir;
  server_process first(dir.path, pp_args());
  const auto [status, out] =
      refused_start("--rules " + pp_rules + " --org " + pp_org + " --bind 127.0.0.1 --port " +
                    std::to_string(first.port()) + " --data '" + (dir.path / "data2").string() + "'");
  CHECK(status == 2);
  CHECK_THAT(out, Catch::Contains("cannot listen on 127.0.0.1:" + std::to_string(first.port())));
  auto c = first.client();
  const auto ok = post_json(c, "/v1/check", analis_query);
  REQUIRE(ok);
  CHECK(ok->status == 200);
}

TEST_CASE("serve: a draft is never the default ruleset by accident", "[server][hardening]") {
  temp_dir dir;
  const auto rules = dir.path / "rules";
  fs::create_directories(rules);
  for (const char* f : {"permenpanrb-7-2022.perwal", "padang-panjang-48-2024.perwal", "bukittinggi-rancangan.perwal"}) {
    fs::copy_file(repo(std::string("rulesets/") + f), rules / f);
  }
  const std::string common = " --org " + pp_org + " --port 0 --data '" + (dir.path / "data").string() + "'";
  // the base and a city are both in force: which one answers must be said
  const auto [status, out] = refused_start("--rules '" + rules.string() + "'" + common);
  CHECK(status == 2);
  CHECK_THAT(out, Catch::Contains("bukittinggi-rancangan (draft)"));
  CHECK_THAT(out, Catch::Contains("--default-ruleset ID"));
  // one ruleset in force beside a draft: that one, not the draft (first in name order)
  fs::remove(rules / "permenpanrb-7-2022.perwal");
  server_process server(dir.path, {"--rules", rules.string(), "--org", pp_org},
                        {"PERWAL_PATH=" + repo("rulesets").string()});
  auto c = server.client();
  const auto health = parse(c.Get("/healthz"));
  CHECK(health["default_ruleset"] == "padang-panjang-48-2024");
}

TEST_CASE("serve: --max-body caps the body as decoded, gzip and chunked alike", "[server][hardening]") {
  temp_dir dir;
  auto args = pp_args();
  args.insert(args.end(), {"--max-body", "100000"});
  server_process server(dir.path, args);
  // 4 MB of JSON whitespace around a query: a few KB once gzipped, so the
  // declared length passes and only the decoded size can be caught
  const std::string big = std::string(4u << 20, ' ') + analis_query;
  {
    auto c = server.client();
    c.set_compress(true);
    expect_error(post_json(c, "/v1/check", big), 413, "payload_too_large", "larger than 100000 bytes");
  }
  {
    auto c = server.client();
    std::size_t sent = 0;
    const auto chunked = c.Post(
        "/v1/check",
        [&](std::size_t, httplib::DataSink& sink) {
          const std::string piece(64 * 1024, ' ');
          if (sent < (8u << 20)) {
            sent += piece.size();
            return sink.write(piece.data(), piece.size());
          }
          sink.done();
          return true;
        },
        "application/json");
    // the server answers 413 as soon as the cap is passed, or drops the connection mid-upload
    if (chunked) {
      expect_error(chunked, 413, "payload_too_large", "larger than 100000 bytes");
    }
    CHECK(sent < (8u << 20));  // it stopped reading long before the 8 MB end
  }
  // within the cap, a chunked body is read as usual
  {
    auto c = server.client();
    bool done = false;
    const auto ok = c.Post(
        "/v1/check",
        [&](std::size_t, httplib::DataSink& sink) {
          if (!done) {
            done = true;
            return sink.write(analis_query.data(), analis_query.size());
          }
          sink.done();
          return true;
        },
        "application/json");
    REQUIRE(ok);
    CHECK(ok->status == 200);
  }
  auto c = server.client();
  const auto health = c.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
}

namespace {

// Sends `request` on a fresh connection to 127.0.0.1:port and resets the
// connection at once (SO_LINGER 0), before the answer can be read.
void send_and_reset(int port, const std::string& request) {
  const int fd = connect_local(port);
  REQUIRE(fd >= 0);
  {
    for (std::size_t sent = 0; sent < request.size();) {
      const auto n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += static_cast<std::size_t>(n);
    }
    std::array<char, 256> first{};
    (void)::recv(fd, first.data(), first.size(), 0);  // the answer has started
    linger reset{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
  }
  ::close(fd);
}

}  // namespace

TEST_CASE("serve: clients that hang up mid-answer do not stop the server", "[server][hardening]") {
  temp_dir dir;
  server_process server(dir.path, pp_args());
  // an answer of several MB (a traced batch), abandoned once it has started:
  // the server's next writes meet a reset connection
  std::string batch = "[";
  for (int i = 0; i < 3000; ++i) batch += (i ? "," : "") + analis_query;
  batch += "]";
  const std::string request =
      "POST /v1/check?trace=1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: " +
      std::to_string(batch.size()) + "\r\n\r\n" + batch;
  for (int i = 0; i < 3; ++i) send_and_reset(server.port(), request);
  auto c = server.client();
  const auto health = c.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
  CHECK(server.stop(SIGTERM) == 0);
}

TEST_CASE("serve: 200 slow clients holding connections do not starve the others", "[server][hardening]") {
  temp_dir dir;
  server_process server(dir.path, pp_args());
  // each sends half a request line and then nothing: a slowloris
  std::vector<int> slow;
  for (int i = 0; i < 200; ++i) {
    const int fd = connect_local(server.port());
    REQUIRE(fd >= 0);
    {
      const std::string part = "GET /healthz HTTP/1.1\r\nHost: slow\r\n";
      (void)::send(fd, part.data(), part.size(), MSG_NOSIGNAL);
    }
    slow.push_back(fd);
  }
  std::this_thread::sleep_for(500ms);  // let the server take them all
  auto c = server.client();
  c.set_read_timeout(5, 0);
  const auto started = std::chrono::steady_clock::now();
  const auto health = c.Get("/healthz");
  const auto waited = std::chrono::steady_clock::now() - started;
  for (const int fd : slow) ::close(fd);
  REQUIRE(health);
  CHECK(health->status == 200);
  CHECK(waited < 5s);
}

TEST_CASE("serve: uploads, the decision log and reload need a token with the scope; checks may stay open",
          "[server][hardening][tokens]") {
  temp_dir dir;
  // tokens are listed by their SHA-256 only (here: of "uploader" and "auditor")
  write_file(dir.path / "tokens",
             "# scopes  sha256 of the token  name\n"
             "write-org " +
                 perwal::server::sha256_hex("uploader") +
                 " bkpsdm\n"
                 "read-log,check " +
                 perwal::server::sha256_hex("auditor") + "\n");
  server_process server(
      dir.path, {"--rules", pp_rules, "--org", pp_org, "--token-file", (dir.path / "tokens").string()}, {}, false);
  const std::string org_text = perwal::testing::slurp(repo(pp_org));
  auto anonymous = server.anonymous_client();
  auto uploader = server.anonymous_client();
  uploader.set_bearer_token_auth("uploader");
  auto auditor = server.anonymous_client();
  auditor.set_bearer_token_auth("auditor");

  // checks are open
  const auto d = parse(post_json(anonymous, "/v1/check", analis_query));
  const std::string log_path = "/v1/decisions/" + d["decision_id"].get<std::string>();
  // uploads: 401 without a token, 403 with one lacking write-org, in both languages
  const auto no_token = anonymous.Put("/v1/orgs/kota", org_text, "application/json");
  expect_error(no_token, 401, "unauthorized", "needs a token with scope write-org");
  CHECK(no_token->get_header_value("WWW-Authenticate") == "Bearer");
  expect_error(anonymous.Put("/v1/orgs/kota?lang=id", org_text, "application/json"), 401, "unauthorized",
               "memerlukan token dengan cakupan write-org");
  expect_error(auditor.Put("/v1/orgs/kota", org_text, "application/json"), 403, "forbidden", "lacks scope write-org");
  auto wrong = server.anonymous_client();
  wrong.set_bearer_token_auth("uploader2");
  expect_error(wrong.Put("/v1/orgs/kota", org_text, "application/json"), 401, "unauthorized", "write-org");
  const auto uploaded = uploader.Put("/v1/orgs/kota", org_text, "application/json");
  REQUIRE(uploaded);
  CHECK(uploaded->status == 201);
  // the decision log: read-log
  expect_error(anonymous.Get(log_path.c_str()), 401, "unauthorized", "read-log");
  expect_error(uploader.Get(log_path.c_str()), 403, "forbidden", "read-log");
  CHECK(parse(auditor.Get(log_path.c_str()))["result"] == d);
  // reload: no token has scope admin and there is no admin token, so it is disabled
  expect_error(post_json(auditor, "/v1/reload", ""), 404, "not_found", "disabled");
}

TEST_CASE("serve: --require-token-for-checks closes checks and audits to callers without scope check",
          "[server][hardening][tokens]") {
  temp_dir dir;
  write_file(dir.path / "tokens", "check " + perwal::server::sha256_hex("checker") + "\n");
  server_process server(dir.path, {"--rules", pp_rules, "--org", pp_org, "--token-file", (dir.path / "tokens").string(),
                                   "--require-token-for-checks"});
  auto anonymous = server.anonymous_client();
  expect_error(post_json(anonymous, "/v1/check", analis_query), 401, "unauthorized", "scope check");
  expect_error(post_json(anonymous, "/v1/audit", ""), 401, "unauthorized", "scope check");
  auto checker = server.anonymous_client();
  checker.set_bearer_token_auth("checker");
  const auto ok = post_json(checker, "/v1/check", analis_query);
  REQUIRE(ok);
  CHECK(ok->status == 200);
  // the admin token holds every scope
  auto admin = server.client();
  CHECK(post_json(admin, "/v1/check", analis_query)->status == 200);
  auto health = anonymous.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);  // health stays open
}

TEST_CASE("serve: a malformed token file stops the start with its line", "[server][hardening][tokens]") {
  temp_dir dir;
  write_file(dir.path / "tokens", "write-org " + perwal::server::sha256_hex("x") + "\nsuperuser abc\n");
  const auto [status, out] =
      refused_start("--rules " + pp_rules + " --org " + pp_org + " --port 0 --data '" + (dir.path / "data").string() +
                    "' --token-file '" + (dir.path / "tokens").string() + "'");
  CHECK(status == 2);
  CHECK_THAT(out, Catch::Contains("tokens:2: expected SCOPES SHA256-OF-TOKEN"));
}

TEST_CASE("serve: stored orgs have a quota of ids, versions and bytes", "[server][hardening]") {
  temp_dir dir;
  const std::string org_text = perwal::testing::slurp(repo(pp_org));
  // room for two ids, two versions each, and a little over three copies of the org
  server_process server(dir.path, {"--rules", pp_rules, "--org", pp_org, "--max-orgs", "2", "--max-org-versions", "2",
                                   "--max-store-bytes", std::to_string(org_text.size() * 3 + 100)});
  auto c = server.client();
  const auto put = [&](const std::string& id, const std::string& text) {
    return c.Put(("/v1/orgs/" + id).c_str(), text, "application/json");
  };
  REQUIRE(put("a", org_text)->status == 201);
  REQUIRE(put("a", org_text + " ")->status == 200);
  // a third version of "a" pushes out the first: still within the bytes
  REQUIRE(put("a", org_text + "  ")->status == 200);
  CHECK(c.Get("/v1/orgs/a?version=1")->status == 404);
  CHECK(c.Get("/v1/orgs/a?version=3")->status == 200);
  // a second id fits in the count but not in the bytes (2 kept + 1 new > 3 copies + 100)
  expect_error(put("b", org_text + std::string(200, ' ')), 507, "quota_exceeded", "--max-store-bytes");
  REQUIRE(put("b", org_text)->status == 201);
  // a third id is over the count
  expect_error(put("c", org_text), 507, "quota_exceeded", "--max-orgs 2");
  // nothing was stored by a refused upload
  CHECK(c.Get("/v1/orgs/c")->status == 404);
  CHECK(parse(c.Get("/v1/orgs"))["orgs"].size() == 3);  // default, a, b
}

TEST_CASE("serve: HTTPS with --tls-cert and --tls-key", "[server][hardening][tls]") {
  temp_dir dir;
  const auto cert = dir.path / "cert.pem", key = dir.path / "key.pem";
  const std::string make = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -keyout '" +
                           key.string() + "' -out '" + cert.string() + "' >/dev/null 2>&1";
  REQUIRE(std::system(make.c_str()) == 0);
  server_process server(dir.path,
                        {"--rules", pp_rules, "--org", pp_org, "--tls-cert", cert.string(), "--tls-key", key.string()});
  auto c = server.client();  // https://, the self-signed certificate not verified
  const auto ok = post_json(c, "/v1/check", analis_query);
  REQUIRE(ok);
  CHECK(ok->status == 200);
  CHECK_THAT(server.log(), Catch::Contains("listening on https://127.0.0.1:"));
  // plain HTTP on the TLS port gets nothing
  httplib::Client plain("127.0.0.1", server.port());
  plain.set_read_timeout(5, 0);
  const auto refused = plain.Get("/healthz");
  CHECK((!refused || refused->status >= 400));
  // a key that does not belong to the certificate stops the start
  const auto other = dir.path / "other.pem";
  REQUIRE(std::system(("openssl genrsa -out '" + other.string() + "' 2048 >/dev/null 2>&1").c_str()) == 0);
  const auto [status, out] =
      refused_start("--rules " + pp_rules + " --org " + pp_org + " --port 0 --data '" + (dir.path / "data2").string() +
                    "' --tls-cert '" + cert.string() + "' --tls-key '" + other.string() + "'");
  CHECK(status == 2);
  CHECK_THAT(out, Catch::Contains("as a TLS certificate and its private key"));
}

namespace {

void sql(const fs::path& db, const std::string& statement) {
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(db.string().c_str(), &raw) == SQLITE_OK);
  INFO(statement);
  CHECK(sqlite3_exec(raw, statement.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(raw);
}

std::pair<int, std::string> verify(const fs::path& data) {
  return shell("'" PERWAL_BINARY "' log verify --data '" + data.string() + "'");
}

}  // namespace

TEST_CASE("the decision log is hash-chained: perwal log verify finds a changed or deleted row",
          "[server][hardening][log]") {
  temp_dir dir;
  {
    server_process server(dir.path, pp_args());
    auto c = server.client();
    for (int i = 0; i < 5; ++i) REQUIRE(post_json(c, "/v1/check", analis_query)->status == 200);
    std::string batch = "[" + analis_query + "," + analis_query + "]";
    REQUIRE(post_json(c, "/v1/check", batch)->status == 200);
    CHECK(server.stop(SIGTERM) == 0);
  }
  const auto data = dir.path / "data";
  const auto db = data / "decisions.db";
  auto [status, out] = verify(data);
  CHECK(status == 0);
  CHECK_THAT(out, Catch::Contains("intact: 6 chained rows (1 to 6)"));  // the batch is one record

  sql(db, "UPDATE decisions SET outcome = 'denied' WHERE seq = 3");  // an allowed check rewritten
  std::tie(status, out) = verify(data);
  CHECK(status == 1);
  CHECK_THAT(out, Catch::Contains("BROKEN: row 3"));
  CHECK_THAT(out, Catch::Contains("its contents do not match its hash"));

  sql(db, "DELETE FROM decisions WHERE seq = 3");
  std::tie(status, out) = verify(data);
  CHECK(status == 1);
  CHECK_THAT(out, Catch::Contains("rows 3 to 3 are missing"));
  CHECK_THAT(out, Catch::Contains("row 4"));

  // the oldest rows removed (as retention does) leave an intact chain
  sql(db, "DELETE FROM decisions WHERE seq <= 4");
  std::tie(status, out) = verify(data);
  CHECK(status == 0);
  CHECK_THAT(out, Catch::Contains("intact: 2 chained rows (5 to 6)"));
  CHECK(verify(dir.path / "nowhere").first == 2);
}

TEST_CASE("serve: a corrupt store is refused at start, never replaced", "[server][hardening]") {
  temp_dir dir;
  const auto data = dir.path / "data";
  fs::create_directories(data);
  const std::string garbage = "this is not a SQLite database, but somebody's orgs may be in it\n";
  write_file(data / "orgs.db", garbage);
  const auto [status, out] =
      refused_start("--rules " + pp_rules + " --org " + pp_org + " --port 0 --data '" + data.string() + "'");
  CHECK(status == 2);
  CHECK_THAT(out, Catch::Contains("orgs.db"));
  CHECK_THAT(out, Catch::Contains("not a database"));
  CHECK(perwal::testing::slurp(data / "orgs.db") == garbage);
}

TEST_CASE("serve: a full disk answers 503 and loses no acknowledged decision", "[server][hardening]") {
  temp_dir dir;
  // no file of the server may grow past 2 MB: the decision log soon cannot
  server_process server(dir.path, pp_args(), {"RLIMIT_FSIZE=2000000"});
  auto c = server.client();
  std::string batch = "[";
  for (int i = 0; i < 200; ++i) batch += (i ? "," : "") + analis_query;
  batch += "]";
  std::vector<std::string> acknowledged;
  int refused = 0;
  for (int round = 0; round < 60 && refused == 0; ++round) {
    const auto r = post_json(c, "/v1/check?trace=1", batch);
    REQUIRE(r);
    if (r->status == 200) {
      for (const auto& d : json::parse(r->body)) acknowledged.push_back(d["decision_id"]);
    } else {
      INFO(r->body);
      CHECK(r->status == 503);
      CHECK(json::parse(r->body)["error"] == "store_unavailable");
      ++refused;
    }
  }
  CHECK(refused == 1);  // the disk filled up within the bounded loop
  // still serving: health, and every acknowledged decision can be read back
  const auto health = c.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
  REQUIRE_FALSE(acknowledged.empty());
  for (const auto& id : {acknowledged.front(), acknowledged.back()}) {
    const auto logged = c.Get(("/v1/decisions/" + id).c_str());
    REQUIRE(logged);
    CHECK(logged->status == 200);
  }
  CHECK(server.stop(SIGTERM) == 0);
}
