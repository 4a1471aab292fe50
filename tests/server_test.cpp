// `perwal serve` as a client meets it: the server runs as a child process on
// 127.0.0.1 (a free port, read from --port-file), every endpoint and error
// path is exercised over HTTP, and the process is always killed at the end of
// a test, even when an assertion fails.
#include "server_support.hpp"

TEST_CASE("serve: check answers the CLI's decisions, each with a decision_id", "[server]") {
  temp_dir dir;
  server_process server(dir.path, pp_args());
  auto c = server.client();

  const auto single = parse(post_json(c, "/v1/check?trace=1", analis_query));
  CHECK(single["decision"] == "allowed");
  CHECK(!single["decision_id"].get<std::string>().empty());
  write_file(dir.path / "q.json", analis_query);
  CHECK(without_id(single) ==
        cli_json("check --rules " + pp_rules + " --org " + pp_org + " --query " + (dir.path / "q.json").string()));

  // Without ?trace=1 the trace is skipped (an empty list), everything else is the same.
  auto quick = without_id(parse(post_json(c, "/v1/check", analis_query)));
  CHECK(quick["trace"].empty());
  auto traced = without_id(single);
  traced["trace"] = json::array();
  CHECK(quick == traced);

  // Every golden query in one batch: the CLI's array, in order, ids all distinct.
  const auto golden = golden_queries();
  const auto& batch = golden.good;
  REQUIRE(batch.size() > 50);
  write_file(dir.path / "batch.json", batch.dump());
  const auto served = parse(post_json(c, "/v1/check?trace=1", batch.dump()));
  const auto expected =
      cli_json("check --rules " + pp_rules + " --org " + pp_org + " --query " + (dir.path / "batch.json").string());
  REQUIRE(served.size() == expected.size());
  std::set<std::string> ids;
  for (std::size_t i = 0; i < served.size(); ++i) {
    INFO("query " << i << ": " << batch[i].dump());
    CHECK(without_id(served[i]) == expected[i]);
    ids.insert(served[i]["decision_id"].get<std::string>());
  }
  CHECK(ids.size() == served.size());
  // Its kedudukan and pelaporan queries alone: a batch the server reads without
  // a tree per query (engine/eval/simple_batch.hpp), answered as the CLI answers.
  json simple = json::array();
  for (const auto& q : batch)
    if (q["type"] == "kedudukan" || (q["type"] == "pelaporan" && !q.contains("team"))) simple.push_back(q);
  REQUIRE(simple.size() > 20);
  write_file(dir.path / "simple.json", simple.dump());
  const auto served_simple = parse(post_json(c, "/v1/check?trace=1", simple.dump()));
  const auto expected_simple =
      cli_json("check --rules " + pp_rules + " --org " + pp_org + " --query " + (dir.path / "simple.json").string());
  REQUIRE(served_simple.size() == expected_simple.size());
  for (std::size_t i = 0; i < served_simple.size(); ++i) {
    INFO("query " << i << ": " << simple[i].dump());
    CHECK(without_id(served_simple[i]) == expected_simple[i]);
  }
  // The golden bad queries: 400 with the error the suite expects.
  REQUIRE(!golden.bad.empty());
  for (const auto& [query, error] : golden.bad) {
    INFO(query.dump());
    expect_error(post_json(c, "/v1/check", query.dump()), 400, "bad_query", error);
  }

  // English messages on request; a query may name its ruleset itself.
  const auto en = parse(post_json(
      c, "/v1/check?lang=en",
      R"({"type": "kedudukan", "position": "pp.dispangtan.penyuluh-pertanian-15", "ruleset": "padang-panjang-48-2024"})"));
  CHECK(en["decision"] == "denied");
  CHECK(server.stop(SIGTERM) == 0);
}

TEST_CASE("serve: audit, rulesets and the decision log", "[server]") {
  temp_dir dir;
  server_process server(dir.path, pp_args());
  auto c = server.client();

  const auto audit = parse(post_json(c, "/v1/audit", ""));
  CHECK(without_id(audit) == cli_json("audit --rules " + pp_rules + " --org " + pp_org));
  const auto audit_by_field = parse(post_json(c, "/v1/audit", R"({"ruleset": "padang-panjang-48-2024"})"));
  CHECK(without_id(audit_by_field) == without_id(audit));

  const auto list = parse(c.Get("/v1/rulesets"));
  CHECK(list["default"] == "padang-panjang-48-2024");
  REQUIRE(list["rulesets"].size() == 1);
  const auto& meta = list["rulesets"][0];
  CHECK(meta["id"] == "padang-panjang-48-2024");
  CHECK(meta["cite_as"] == "Perwal Kota Padang Panjang 48/2024");
  CHECK(meta["year"] == 2024);
  CHECK(meta["region"] == "Kota Padang Panjang");
  CHECK(!meta["status"].get<std::string>().empty());
  CHECK(!meta["title"].get<std::string>().empty());
  CHECK(meta["content_hash"].get<std::string>().size() == 64);  // SHA-256, hex
  const auto one = parse(c.Get("/v1/rulesets/padang-panjang-48-2024"));
  CHECK(one["source"] == perwal::testing::slurp(repo(pp_rules)));
  CHECK(one["content_hash"] == meta["content_hash"]);
  // The JSON Schemas of the ruleset, as `perwal schema` writes them.
  const auto query_schema = parse(c.Get("/v1/rulesets/padang-panjang-48-2024/schema/query"));
  CHECK(query_schema["$schema"] == "https://json-schema.org/draft/2020-12/schema");
  CHECK(query_schema["oneOf"].size() == 5);
  CHECK(c.Get("/v1/rulesets/padang-panjang-48-2024/schema/nope")->status == 404);

  const auto d = parse(post_json(c, "/v1/check", analis_query));
  const auto logged = parse(c.Get(("/v1/decisions/" + d["decision_id"].get<std::string>()).c_str()));
  CHECK(logged["result"] == d);
  CHECK(logged["query"] == json::parse(analis_query));
  CHECK(logged["ruleset"] == "padang-panjang-48-2024");
  CHECK(logged["ruleset_hash"] == meta["content_hash"]);
  CHECK(logged["org"] == "default");
  CHECK(logged["org_version"] == 1);
  CHECK(logged["outcome"] == "allowed");
  CHECK(!logged["time"].get<std::string>().empty());
  const auto logged_audit = parse(c.Get(("/v1/decisions/" + audit["decision_id"].get<std::string>()).c_str()));
  CHECK(logged_audit["result"] == audit);

  // The same logged decision in either language (re-rendered from the identical ruleset and org).
  const auto wrong =
      parse(post_json(c, "/v1/check", R"({"type": "kedudukan", "position": "pp.dispangtan.penyuluh-pertanian-15"})"));
  const auto wrong_id = wrong["decision_id"].get<std::string>();
  const auto in_en = parse(c.Get(("/v1/decisions/" + wrong_id + "?lang=en").c_str()));
  const auto in_id = parse(c.Get(("/v1/decisions/" + wrong_id + "?lang=id").c_str()));
  CHECK(in_id["result"] == wrong);
  CHECK(in_en["result"]["violations"][0]["rule"] == wrong["violations"][0]["rule"]);
  CHECK(in_en["result"]["violations"][0]["message"] != wrong["violations"][0]["message"]);
  CHECK(in_en["result"]["violations"][0]["hint"].get<std::string>().rfind("Set the ", 0) == 0);
  const auto asked_in_en = parse(
      post_json(c, "/v1/check?lang=en", R"({"type": "kedudukan", "position": "pp.dispangtan.penyuluh-pertanian-15"})"));
  CHECK(without_id(in_en["result"]) == without_id(asked_in_en));
  expect_error(c.Get(("/v1/decisions/" + wrong_id + "?lang=fr").c_str()), 400, "bad_parameter", "lang");

  const auto health = parse(c.Get("/healthz"));
  CHECK(health["status"] == "ok");
  CHECK(server.stop(SIGINT) == 0);
}

TEST_CASE("serve: an org snapshot (perwal compile-org) serves the same decisions as its JSON", "[server]") {
  temp_dir dir;
  const auto snap = (dir.path / "pp.snap").string();
  const std::string compile = "cd '" + perwal::testing::source_dir().string() +
                              "' && '" PERWAL_BINARY "' compile-org " + pp_org + " --rules " + pp_rules + " -o '" +
                              snap + "' 2>/dev/null";
  REQUIRE(std::system(compile.c_str()) == 0);
  server_process server(dir.path, {"--rules", pp_rules, "--org", snap});
  auto c = server.client();
  CHECK(without_id(parse(post_json(c, "/v1/audit", ""))) == cli_json("audit --rules " + pp_rules + " --org " + pp_org));
  // Every golden query in one batch (with traces): the CLI's answers from the JSON org.
  const auto batch = golden_queries().good;
  REQUIRE(batch.size() > 50);
  write_file(dir.path / "batch.json", batch.dump());
  const auto served = parse(post_json(c, "/v1/check?trace=1", batch.dump()));
  const auto expected =
      cli_json("check --rules " + pp_rules + " --org " + pp_org + " --query " + (dir.path / "batch.json").string());
  REQUIRE(served.size() == expected.size());
  for (std::size_t i = 0; i < served.size(); ++i) {
    INFO("query " << i << ": " << batch[i].dump());
    CHECK(without_id(served[i]) == expected[i]);
  }
  CHECK(server.stop(SIGINT) == 0);
}

TEST_CASE("serve: errors in Indonesian with ?lang=id, English without, the nearest id suggested", "[server][lang]") {
  temp_dir dir;
  server_process server(dir.path, pp_args());
  auto c = server.client();
  expect_error(c.Get("/v1/rulesets/padang-panjang-48-202"), 404, "unknown_ruleset",
               "unknown ruleset \"padang-panjang-48-202\" (did you mean \"padang-panjang-48-2024\"?)");
  expect_error(c.Get("/v1/rulesets/padang-panjang-48-202?lang=id"), 404, "unknown_ruleset",
               "ruleset \"padang-panjang-48-202\" tidak dikenal (maksud Anda \"padang-panjang-48-2024\"?)");
  expect_error(post_json(c, "/v1/check?org=defalt", analis_query), 404, "unknown_org",
               "unknown org \"defalt\" (did you mean \"default\"?)");
  expect_error(post_json(c, "/v1/check?org=defalt&lang=id", analis_query), 404, "unknown_org",
               "org \"defalt\" tidak dikenal (maksud Anda \"default\"?)");
  expect_error(post_json(c, "/v1/check?lang=id", "{\"type\": "), 400, "invalid_json", "JSON tidak sah");
  expect_error(post_json(c, "/v1/check?lang=id", "[]"), 400, "bad_query", "array kosong tidak memuat kueri");
  expect_error(post_json(c, "/v1/check?lang=id", R"({"type": "kedudukan", "position": "pp.sekdaa"})"), 400, "bad_query",
               "position: tidak ada jabatan atau pegawai \"pp.sekdaa\" (maksud Anda \"pp.sekda\"?)");
  expect_error(c.Get("/nope?lang=id"), 404, "not_found", "tidak ada endpoint /nope");
  expect_error(c.Get("/v1/decisions/nope?lang=id"), 404, "unknown_decision", "tidak ada keputusan \"nope\"");
  expect_error(c.Get("/v1/orgs/default?version=x&lang=id"), 400, "bad_parameter", "bukan bilangan");
  CHECK(server.stop(SIGINT) == 0);
}

TEST_CASE("serve: bad input answers JSON errors in the CLI's words, never a crash", "[server]") {
  temp_dir dir;
  auto args = pp_args();
  args.insert(args.end(), {"--max-body", "100000"});
  server_process server(dir.path, args);
  auto c = server.client();

  expect_error(post_json(c, "/v1/check", "{\"type\": "), 400, "invalid_json", "invalid JSON");
  expect_error(post_json(c, "/v1/check", "[]"), 400, "bad_query", "empty array");
  expect_error(post_json(c, "/v1/check", "42"), 400, "bad_query", "a query must be a JSON object");
  expect_error(post_json(c, "/v1/check", R"({"position": "x"})"), 400, "bad_query", "type: required");
  // The same message and JSON paths as `perwal check` prints.
  const auto unknown = post_json(c, "/v1/check", perwal::testing::slurp(repo("tests/data/cli/query_unknown_ids.json")));
  expect_error(unknown, 400, "bad_query", "assignee: ");
  const auto cli = [&] {
    const std::string cmd = "cd '" + perwal::testing::source_dir().string() +
                            "' && '" PERWAL_BINARY "' check --rules " + pp_rules + " --org " + pp_org +
                            " --query tests/data/cli/query_unknown_ids.json 2>&1";
    FILE* pipe = ::popen(cmd.c_str(), "r");
    std::string out;
    std::array<char, 4096> buf{};
    while (std::fgets(buf.data(), static_cast<int>(buf.size()), pipe)) out += buf.data();
    ::pclose(pipe);
    return out;
  }();
  const auto unknown_body = json::parse(unknown->body);
  for (const auto& e : unknown_body["errors"]) {
    CHECK_THAT(cli, Catch::Contains(e["path"].get<std::string>() + ": " + e["message"].get<std::string>()));
  }
  // In a batch, paths are prefixed with the query's index, and nothing is decided.
  const auto batch = post_json(c, "/v1/check", "[" + analis_query + R"(, {"type": "kedudukan", "position": "nope"}])");
  expect_error(batch, 400, "bad_query", "[1].position: no position or employee \"nope\"");

  expect_error(post_json(c, "/v1/check?ruleset=nope", analis_query), 404, "unknown_ruleset",
               "unknown ruleset \"nope\"");
  expect_error(post_json(c, "/v1/check", R"({"type": "kedudukan", "position": "pp.bag-org.analis-1", "ruleset": "x"})"),
               404, "unknown_ruleset", "unknown ruleset \"x\"");
  expect_error(post_json(c, "/v1/check", R"({"type": "kedudukan", "ruleset": 7})"), 400, "bad_query",
               "ruleset: must be");
  expect_error(post_json(c, "/v1/check?org=nope", analis_query), 404, "unknown_org", "unknown org \"nope\"");
  expect_error(post_json(c, "/v1/check?lang=fr", analis_query), 400, "bad_parameter", "lang");
  expect_error(post_json(c, "/v1/audit", "[1]"), 400, "bad_query", "audit");
  expect_error(post_json(c, "/v1/audit?ruleset=nope", ""), 404, "unknown_ruleset", "nope");
  expect_error(c.Get("/v1/rulesets/nope"), 404, "unknown_ruleset", "nope");
  expect_error(c.Get("/v1/decisions/nope"), 404, "unknown_decision", "nope");
  expect_error(c.Get("/v1/orgs/nope"), 404, "unknown_org", "nope");
  expect_error(c.Get("/v1/orgs/default?version=7"), 404, "unknown_org_version", "7");
  expect_error(c.Get("/v1/orgs/default?version=x"), 400, "bad_parameter", "version");
  expect_error(c.Get("/nope"), 404, "not_found", "/nope");
  expect_error(c.Get("/v1/check/"), 404, "not_found", "/v1/check/");
  const auto wrong_method = c.Delete("/v1/check");
  expect_error(wrong_method, 405, "method_not_allowed", "POST");
  CHECK(wrong_method->get_header_value("Allow") == "POST");
  expect_error(c.Get("/v1/check"), 405, "method_not_allowed", "POST");
  expect_error(post_json(c, "/v1/rulesets", "{}"), 405, "method_not_allowed", "GET");
  auto anonymous = server.anonymous_client();
  expect_error(post_json(anonymous, "/v1/reload", ""), 401, "unauthorized", "Bearer");

  // Bodies over --max-body: 413, whatever the Content-Type.
  const std::string big(200000, ' ');
  expect_error(post_json(c, "/v1/check", big), 413, "payload_too_large", "100000");
  // A form-typed body (curl -d's default) is still read as JSON, beyond cpp-httplib's 8 KiB form limit.
  const std::string padded = std::string(20000, ' ') + analis_query;
  const auto form = c.Post("/v1/check", padded, "application/x-www-form-urlencoded");
  REQUIRE(form);
  CHECK(form->status == 200);

  // Raw bytes that are not HTTP, and a POST without Content-Length (an empty body by RFC 9112).
  httplib::Client raw_client("127.0.0.1", server.port());
  for (const std::string& raw :
       {std::string("\x01\x02garbage\r\n\r\n"), std::string("POST /v1/audit HTTP/1.1\r\n"
                                                            "Host: x\r\nConnection: close\r\n\r\n")}) {
    const int fd = connect_local(server.port());
    REQUIRE(fd >= 0);
    REQUIRE(::write(fd, raw.data(), raw.size()) == static_cast<ssize_t>(raw.size()));
    timeval limit{60, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    // The POST asked to close; the garbage connection stays open, so stop after its error body.
    const bool until_eof = raw.rfind("POST", 0) == 0;
    std::string answer;
    std::array<char, 4096> buf{};
    ssize_t n = 0;
    while ((n = ::read(fd, buf.data(), buf.size())) > 0) {
      answer.append(buf.data(), static_cast<std::size_t>(n));
      if (!until_eof && answer.find("\r\n\r\n") != std::string::npos && answer.back() == '}') break;
    }
    ::close(fd);
    INFO(answer);
    CHECK_THAT(answer, Catch::StartsWith("HTTP/1.1 "));
    if (raw.rfind("POST", 0) == 0) CHECK_THAT(answer, Catch::Contains("\"checked\""));
  }
  CHECK(parse(c.Get("/healthz"))["status"] == "ok");
  CHECK(server.stop(SIGTERM) == 0);
}

TEST_CASE("serve: uploaded orgs are validated, versioned and survive a restart", "[server]") {
  temp_dir dir;
  const auto org_text = perwal::testing::slurp(repo(pp_org));
  std::string first_hash;
  {
    server_process server(dir.path, pp_args());
    auto c = server.client();
    // The loader's JSON paths for a broken org; nothing stored.
    auto broken = json::parse(org_text);
    broken["positions"][0]["atasan"] = "pp.no-such-position";
    const auto bad = c.Put("/v1/orgs/kota", broken.dump(), "application/json");
    expect_error(bad, 400, "bad_org", "positions[0].atasan");
    CHECK(json::parse(bad->body)["errors"][0]["path"] == "positions[0].atasan");
    expect_error(c.Put("/v1/orgs/kota", "{", "application/json"), 400, "bad_org", "org:");
    expect_error(c.Get("/v1/orgs/kota"), 404, "unknown_org", "kota");
    expect_error(c.Put("/v1/orgs/default", org_text, "application/json"), 409, "read_only", "--org");
    expect_error(c.Put("/v1/orgs/bad%20id", org_text, "application/json"), 400, "bad_org_id", "letters");
    expect_error(c.Put("/v1/orgs/kota?ruleset=nope", org_text, "application/json"), 404, "unknown_ruleset", "nope");

    const auto v1 = c.Put("/v1/orgs/kota", org_text, "application/json");
    REQUIRE(v1);
    CHECK(v1->status == 201);
    CHECK(json::parse(v1->body)["version"] == 1);
    // A changed org: the analis now sits under the wrong atasan, so the same query is denied.
    auto changed = json::parse(org_text);
    for (auto& p : changed["positions"]) {
      if (p["id"] == "pp.bag-org.analis-1") p["atasan"] = "pp.sekda";
    }
    const auto v2 = c.Put("/v1/orgs/kota", changed.dump(), "application/json");
    REQUIRE(v2);
    CHECK(v2->status == 200);
    CHECK(json::parse(v2->body)["version"] == 2);
    first_hash = json::parse(v1->body)["hash"];

    const auto d = parse(post_json(c, "/v1/check?org=kota", analis_query));
    const auto logged = parse(c.Get(("/v1/decisions/" + d["decision_id"].get<std::string>()).c_str()));
    CHECK(logged["org"] == "kota");
    CHECK(logged["org_version"] == 2);
    CHECK(parse(c.Get(("/v1/decisions/" + d["decision_id"].get<std::string>() + "?lang=id").c_str()))["result"] == d);
    CHECK(parse(post_json(c, "/v1/check", analis_query))["decision"] == "allowed");  // the default org is untouched
    const auto got = parse(c.Get("/v1/orgs/kota"));
    CHECK(got["version"] == 2);
    CHECK(got["org"] == changed);
    CHECK(parse(c.Get("/v1/orgs/kota?version=1"))["org"] == json::parse(org_text));
    const auto list = parse(c.Get("/v1/orgs"));
    CHECK(list["orgs"].size() == 2);
    CHECK(server.stop(SIGTERM) == 0);
  }
  // Same --data directory: the uploaded org and its versions are back.
  server_process again(dir.path, pp_args());
  auto c = again.client();
  const auto got = parse(c.Get("/v1/orgs/kota"));
  CHECK(got["version"] == 2);
  CHECK(parse(c.Get("/v1/orgs/kota?version=1"))["hash"] == first_hash);
  const auto d = parse(post_json(c, "/v1/check?org=kota", analis_query));
  CHECK(d["decision"] == parse(post_json(c, "/v1/check?org=kota&trace=1", analis_query))["decision"]);
  const auto v3 = c.Put("/v1/orgs/kota", org_text, "application/json");
  REQUIRE(v3);
  CHECK(json::parse(v3->body)["version"] == 3);
  // A decision on version 2 cannot be re-rendered once version 3 serves: 409; the decision as sent stays.
  expect_error(c.Get(("/v1/decisions/" + d["decision_id"].get<std::string>() + "?lang=en").c_str()), 409,
               "decision_stale", "kota");
  CHECK(parse(c.Get(("/v1/decisions/" + d["decision_id"].get<std::string>()).c_str()))["result"] == d);
  CHECK(again.stop(SIGTERM) == 0);
}

// Both log modes: FULL (also survives a power loss) and NORMAL (kill -9 only;
// the mode the throughput figures in bench/RESULTS.md are also given for).
namespace {
std::vector<std::string> pp_args_with_log_sync(const std::string& sync) {
  auto args = pp_args();
  args.insert(args.end(), {"--log-sync", sync});
  return args;
}
}  // namespace

TEST_CASE("serve: an acknowledged decision survives kill -9", "[server]") {
  const std::string sync = GENERATE("full", "normal");
  CAPTURE(sync);
  temp_dir dir;
  std::string single_id;
  json single, batch;
  {
    server_process server(dir.path, pp_args_with_log_sync(sync));
    auto c = server.client();
    single = parse(post_json(c, "/v1/check", analis_query));
    single_id = single["decision_id"];
    batch = parse(post_json(c, "/v1/check", perwal::testing::slurp(repo("tests/data/cli/query_batch.json"))));
    REQUIRE(batch.size() == 3);
    CHECK(server.stop(SIGKILL) == -1);  // killed, no drain
  }
  server_process again(dir.path, pp_args_with_log_sync(sync));
  auto c = again.client();
  CHECK(parse(c.Get(("/v1/decisions/" + single_id).c_str()))["result"] == single);
  for (const auto& d : batch) {
    CHECK(parse(c.Get(("/v1/decisions/" + d["decision_id"].get<std::string>()).c_str()))["result"] == d);
  }
  // New ids after the restart do not collide with the old ones.
  CHECK(parse(post_json(c, "/v1/check", analis_query))["decision_id"] != single_id);
  CHECK(again.stop(SIGTERM) == 0);
}

TEST_CASE("serve: an acknowledged batch survives kill -9, every decision of it listed", "[server][log]") {
  const std::string sync = GENERATE("full", "normal");
  CAPTURE(sync);
  temp_dir dir;
  json batch;
  {
    server_process server(dir.path, pp_args_with_log_sync(sync));
    auto c = server.client();
    std::string body = "[";
    for (int i = 0; i < 200; ++i) body += (i ? "," : "") + analis_query;
    batch = parse(post_json(c, "/v1/check", body + "]"));
    REQUIRE(batch.size() == 200);
    CHECK(server.stop(SIGKILL) == -1);  // killed right after the answer, no drain
  }
  server_process again(dir.path, pp_args_with_log_sync(sync));
  auto c = again.client();
  const auto page = parse(c.Get("/v1/decisions?limit=1000"));
  REQUIRE(page["decisions"].size() == 200);
  for (std::size_t i = 0; i < 200; ++i) {
    CHECK(page["decisions"][i]["decision_id"] == batch[i]["decision_id"]);
    CHECK(page["decisions"][i]["outcome"] == batch[i]["decision"]);
  }
  CHECK(parse(c.Get(("/v1/decisions/" + batch[199]["decision_id"].get<std::string>()).c_str()))["result"] ==
        batch[199]);
  CHECK(again.stop(SIGTERM) == 0);
}

TEST_CASE("serve: --log-max-rows keeps only the newest decisions", "[server]") {
  temp_dir dir;
  std::vector<std::string> ids;
  {
    server_process server(dir.path, pp_args());
    auto c = server.client();
    for (int i = 0; i < 4; ++i) {
      ids.push_back(parse(post_json(c, "/v1/check", analis_query))["decision_id"]);
      std::this_thread::sleep_for(5ms);  // distinct milliseconds: retention cuts by time
    }
    CHECK(server.stop(SIGTERM) == 0);
  }
  auto args = pp_args();
  args.insert(args.end(), {"--log-max-rows", "2"});
  server_process again(dir.path, args);  // retention runs at start, then every 30 s
  auto c = again.client();
  CHECK(c.Get(("/v1/decisions/" + ids[0]).c_str())->status == 404);
  CHECK(c.Get(("/v1/decisions/" + ids[1]).c_str())->status == 404);
  CHECK(c.Get(("/v1/decisions/" + ids[2]).c_str())->status == 200);
  CHECK(c.Get(("/v1/decisions/" + ids[3]).c_str())->status == 200);
  CHECK(again.stop(SIGTERM) == 0);
}

TEST_CASE("serve: reload swaps rulesets atomically and keeps the old ones on a broken file", "[server]") {
  temp_dir dir;
  const auto rules_dir = dir.path / "rules";
  fs::create_directories(rules_dir);
  fs::copy_file(repo("rulesets/permenpanrb-7-2022.perwal"), rules_dir / "permenpanrb-7-2022.perwal");
  const auto pp = rules_dir / "padang-panjang-48-2024.perwal";
  const auto pp_text = perwal::testing::slurp(repo(pp_rules));
  write_file(pp, pp_text);
  write_file(dir.path / "token", "s3cret\n");
  server_process server(dir.path, {"--rules", rules_dir.string(), "--default-ruleset", "padang-panjang-48-2024",
                                   "--org", pp_org, "--admin-token-file", (dir.path / "token").string()});
  auto c = server.client();
  const auto before = parse(c.Get("/v1/rulesets"));
  CHECK(before["rulesets"].size() == 2);
  const auto hash_before = parse(c.Get("/v1/rulesets/padang-panjang-48-2024"))["content_hash"];

  auto anonymous = server.anonymous_client();
  expect_error(post_json(anonymous, "/v1/reload", ""), 401, "unauthorized", "Bearer");
  c.set_bearer_token_auth("wrong");
  expect_error(post_json(c, "/v1/reload", ""), 401, "unauthorized", "Bearer");
  c.set_bearer_token_auth("s3cret");

  // Checks keep running on other connections while the server reloads.
  std::atomic<bool> stop{false};
  std::atomic<int> ok{0}, bad{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 2; ++t) {
    clients.emplace_back([&] {
      auto cc = server.client();
      while (!stop) {
        auto r = cc.Post("/v1/check", analis_query, "application/json");
        ++((r && r->status == 200 && json::parse(r->body)["decision"] == "allowed") ? ok : bad);
      }
    });
  }
  std::uint64_t generation = before["generation"];
  for (int i = 0; i < 4; ++i) {
    write_file(pp, pp_text + "\n// reload " + std::to_string(i) + "\n");
    const auto r = parse(post_json(c, "/v1/reload", ""));
    CHECK(r["generation"].get<std::uint64_t>() > generation);
    generation = r["generation"];
  }
  // A broken ruleset: 422 with its diagnostics, and the last good one keeps serving.
  write_file(pp, pp_text + "\nthis is not perwal\n");
  const auto broken = post_json(c, "/v1/reload", "");
  expect_error(broken, 422, "reload_failed", "does not compile");
  const auto body = json::parse(broken->body);
  REQUIRE(!body["errors"].empty());
  CHECK_THAT(body["errors"][0]["where"].get<std::string>(), Catch::Contains("padang-panjang-48-2024.perwal:"));
  CHECK(body["errors"][0]["line"].get<int>() > 0);
  CHECK(body["errors"][0]["column"].get<int>() > 0);
  CHECK_THAT(body["rendered"].get<std::string>(), Catch::Contains("error"));
  stop = true;
  for (auto& t : clients) t.join();
  CHECK(bad == 0);
  CHECK(ok > 0);
  CHECK(parse(c.Get("/healthz"))["generation"] == generation);
  const auto after = parse(c.Get("/v1/rulesets/padang-panjang-48-2024"));
  CHECK(after["content_hash"] != hash_before);  // the last good reload, not the broken file
  CHECK_THAT(after["source"].get<std::string>(), Catch::Contains("// reload 3"));
  CHECK(parse(post_json(c, "/v1/check", analis_query))["decision"] == "allowed");

  // The admin token can also come from the environment.
  temp_dir other;
  server_process by_env(other.path, pp_args(), {"PERWAL_ADMIN_TOKEN=from-env"}, false);
  auto e = by_env.client();
  e.set_bearer_token_auth("from-env");
  CHECK(parse(post_json(e, "/v1/reload", ""))["generation"] == 2);
  CHECK(by_env.stop(SIGTERM) == 0);

  const auto metrics = c.Get("/metrics");
  REQUIRE(metrics);
  CHECK_THAT(metrics->body, Catch::Contains("perwal_reloads_total{result=\"ok\"} 4"));
  CHECK_THAT(metrics->body, Catch::Contains("perwal_reloads_total{result=\"failed\"} 1"));
  CHECK(server.stop(SIGTERM) == 0);
}

TEST_CASE("serve: metrics, the OpenAPI document and a draining stop", "[server]") {
  temp_dir dir;
  server_process server(dir.path, pp_args());
  auto c = server.client();
  parse(post_json(c, "/v1/check", analis_query));
  parse(post_json(c, "/v1/check", R"({"type": "kedudukan", "position": "pp.dispangtan.penyuluh-pertanian-15"})"));
  c.Get("/nope");

  const auto m = c.Get("/metrics");
  REQUIRE(m);
  CHECK_THAT(m->get_header_value("Content-Type"), Catch::StartsWith("text/plain"));
  for (const auto* line :
       {"perwal_http_requests_total{endpoint=\"/v1/check\",method=\"POST\",status=\"200\"} 2",
        "perwal_http_requests_total{endpoint=\"unmatched\",method=\"GET\",status=\"404\"} 1",
        "perwal_http_request_duration_seconds_count{endpoint=\"/v1/check\"} 2",
        "perwal_http_request_duration_seconds_bucket{endpoint=\"/v1/check\",le=\"+Inf\"} 2",
        "perwal_decisions_total{outcome=\"allowed\"} 1", "perwal_decisions_total{outcome=\"denied\"} 1",
        "# TYPE perwal_http_request_duration_seconds histogram"}) {
    CHECK_THAT(m->body, Catch::Contains(line));
  }

  // The served document is the file in the repository, and it names every route.
  const auto served = parse(c.Get("/openapi.json"));
  CHECK(served == json::parse(perwal::testing::slurp(repo("server/openapi.json"))));
  CHECK(served["openapi"].get<std::string>().rfind("3.", 0) == 0);
  for (const auto& [path, method] :
       std::vector<std::pair<std::string, std::string>>{{"/v1/check", "post"},
                                                        {"/v1/audit", "post"},
                                                        {"/v1/rulesets", "get"},
                                                        {"/v1/rulesets/{id}", "get"},
                                                        {"/v1/rulesets/{id}/schema/{kind}", "get"},
                                                        {"/v1/orgs", "get"},
                                                        {"/v1/orgs/{id}", "get"},
                                                        {"/v1/orgs/{id}", "put"},
                                                        {"/v1/decisions/{id}", "get"},
                                                        {"/v1/reload", "post"},
                                                        {"/healthz", "get"},
                                                        {"/metrics", "get"},
                                                        {"/openapi.json", "get"}}) {
    INFO(method << " " << path);
    CHECK(served["paths"].contains(path));
    CHECK(served["paths"][path].contains(method));
  }

  // SIGTERM while a large batch is in flight: the batch is answered, then the server exits 0.
  json big = json::array();
  for (int i = 0; i < 3000; ++i) big.push_back(json::parse(analis_query));
  int in_flight_status = -1;
  std::size_t in_flight_size = 0;
  std::thread t([&] {
    auto cc = server.client();
    if (auto r = cc.Post("/v1/check", big.dump(), "application/json")) {
      in_flight_status = r->status;
      if (r->status == 200) in_flight_size = json::parse(r->body).size();
    }
  });
  std::this_thread::sleep_for(5ms);
  const int status = server.stop(SIGTERM);
  t.join();
  CHECK(status == 0);
  // Either the batch was in flight and answered in full, or it came after the listener closed.
  if (in_flight_status == 200) CHECK(in_flight_size == 3000);
  CHECK_THAT(server.log(), Catch::Contains("draining"));
}

TEST_CASE("serve: usage errors and bad inputs at start exit 2", "[server]") {
  temp_dir dir;
  auto run = [&](const std::string& args) {
    const std::string cmd = "cd '" + perwal::testing::source_dir().string() + "' && '" PERWAL_BINARY "' serve " + args +
                            " --port 0 --data '" + (dir.path / "data").string() + "' 2>&1";
    FILE* pipe = ::popen(cmd.c_str(), "r");
    std::string out;
    std::array<char, 4096> buf{};
    while (std::fgets(buf.data(), static_cast<int>(buf.size()), pipe)) out += buf.data();
    const int raw = ::pclose(pipe);
    return std::make_pair(WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, out);
  };
  auto [status, out] = run("--rules " + pp_rules);
  CHECK(status == 2);
  CHECK_THAT(out, Catch::Contains("serve needs --rules and --org"));
  std::tie(status, out) = run("--rules tests/data/cli/ruleset_malformed.perwal --org " + pp_org);
  CHECK(status == 2);
  CHECK_THAT(out, Catch::Contains("ruleset_malformed.perwal:"));
  std::tie(status, out) = run("--rules " + pp_rules + " --org tests/data/cli/query_batch.json");
  CHECK(status == 2);
  CHECK_THAT(out, Catch::Contains("query_batch.json"));
  std::tie(status, out) = run("--rules " + pp_rules + " --org " + pp_org + " --port 99999");
  CHECK(status == 2);
  CHECK_THAT(out, Catch::Contains("--port"));
  std::tie(status, out) = run("--rules " + pp_rules + " --org " + pp_org + " --default-ruleset nope");
  CHECK(status == 2);
  CHECK_THAT(out, Catch::Contains("no ruleset \"nope\""));
}
