// The decision log as an auditor queries it: GET /v1/decisions (filters,
// pages, its errors), `perwal log export`, and an older SQLite log brought
// to the current schema by `perwal db migrate` with its hash chain intact;
// the WAL's checkpoints and the SHA-256 the chain is made of.
#include <sqlite3.h>

#include <fstream>
#include <set>
#include <thread>

#include "server/digest.hpp"
#include "server/journal.hpp"
#include "server/store.hpp"
#include "server_support.hpp"

namespace {

const std::string denied_query = R"({"type": "kedudukan", "position": "pp.dispangtan.penyuluh-pertanian-15"})";

std::vector<std::string> ids_of(const json& page) {
  std::vector<std::string> out;
  for (const auto& r : page["decisions"]) out.push_back(r["decision_id"]);
  return out;
}

// Every id of a listing, page after page (`query` without cursor).
std::vector<std::string> all_pages(httplib::Client& c, const std::string& query, std::size_t& pages) {
  std::vector<std::string> out;
  std::string cursor;
  pages = 0;
  do {
    const auto page = parse(c.Get(("/v1/decisions?" + query + (cursor.empty() ? "" : "&cursor=" + cursor)).c_str()));
    ++pages;
    for (const auto& id : ids_of(page)) out.push_back(id);
    cursor = page["next_cursor"].is_null() ? "" : page["next_cursor"].get<std::string>();
    REQUIRE(pages < 100);
  } while (!cursor.empty());
  return out;
}

struct cli_result {
  int status = -1;
  std::string out;  // stdout only
};

cli_result perwal_cli(const std::string& args) {
  const std::string cmd = "cd '" + perwal::testing::source_dir().string() + "' && '" PERWAL_BINARY "' " + args;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  REQUIRE(pipe != nullptr);
  cli_result r;
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
  const int raw = ::pclose(pipe);
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return r;
}

// A log as perwal wrote it before the rule index (schema 1, user_version 0):
// three chained rows whose results cite rules, and one row from before the chain.
void write_old_log(const fs::path& file) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
  const auto exec = [&](const std::string& sql) {
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    INFO((err ? err : ""));
    sqlite3_free(err);
    REQUIRE(rc == SQLITE_OK);
  };
  exec(
      "CREATE TABLE decisions (id TEXT PRIMARY KEY, time_ms INTEGER NOT NULL, ruleset TEXT NOT NULL, ruleset_hash "
      "TEXT NOT NULL, org TEXT NOT NULL, org_version INTEGER NOT NULL, org_hash TEXT NOT NULL, outcome TEXT NOT NULL,"
      " query TEXT NOT NULL, result TEXT NOT NULL, seq INTEGER, prev_hash TEXT, row_hash TEXT) WITHOUT ROWID");
  exec("CREATE INDEX decisions_time ON decisions (time_ms)");
  exec("CREATE UNIQUE INDEX decisions_seq ON decisions (seq)");
  exec(
      "INSERT INTO decisions VALUES ('0-old', 1700000000000, 'r', 'h', 'default', 1, 'oh', 'denied', '{}',"
      " '{\"decision\":\"denied\",\"violations\":[{\"rule\":\"lama.aturan\"}]}', NULL, NULL, NULL)");
  std::string previous;
  const char* results[] = {
      R"({"decision":"denied","violations":[{"rule":"kedudukan.dinas"}],"warnings":[{"rule":"w.satu"}]})",
      R"({"decision":"allowed","violations":[],"warnings":[],"needs":[],"next":[{"rule":"alur.langkah"}]})",
      R"({"decision":"incomplete","needs":[{"rule":"kedudukan.dinas"},{"rule":"bukti.lain"}]})"};
  const char* outcomes[] = {"denied", "allowed", "incomplete"};
  for (int i = 0; i < 3; ++i) {
    const perwal::server::decision_record r{"1-row-" + std::to_string(i),
                                            1767225600000 + i * 1000,
                                            "r",
                                            "h",
                                            i == 2 ? "kota" : "default",
                                            "oh",
                                            1,
                                            outcomes[i],
                                            R"({"type":"x"})",
                                            results[i],
                                            {}};
    const auto hash = perwal::server::chain_hash(previous, i + 1, r);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db,
                               "INSERT INTO decisions VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                               -1, &st, nullptr) == SQLITE_OK);
    int k = 1;
    for (const auto* t : {&r.id}) sqlite3_bind_text(st, k++, t->c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, k++, r.time_ms);
    for (const auto* t : {&r.ruleset, &r.ruleset_hash, &r.org})
      sqlite3_bind_text(st, k++, t->c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, k++, r.org_version);
    for (const auto* t : {&r.org_hash, &r.outcome, &r.query, &r.result}) {
      sqlite3_bind_text(st, k++, t->c_str(), -1, SQLITE_TRANSIENT);
    }
    sqlite3_bind_int64(st, k++, i + 1);
    sqlite3_bind_text(st, k++, previous.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, k++, hash.c_str(), -1, SQLITE_TRANSIENT);
    REQUIRE(sqlite3_step(st) == SQLITE_DONE);
    sqlite3_finalize(st);
    previous = hash;
  }
  sqlite3_close(db);
}

// Whether the log's decisions lie in a rowid table (schema 4): a WITHOUT
// ROWID table has no rowid to select.
bool decisions_have_rowids(const fs::path& file) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  const bool ok = sqlite3_prepare_v2(db, "SELECT rowid FROM decisions", -1, &st, nullptr) == SQLITE_OK;
  sqlite3_finalize(st);
  sqlite3_close(db);
  return ok;
}

}  // namespace

TEST_CASE("serve: the decision log listed by time, outcome, rule and org, a page at a time", "[server][log]") {
  temp_dir dir;
  server_process server(dir.path, pp_args());
  auto c = server.client();
  const auto batch = parse(post_json(
      c, "/v1/check",
      "[" + analis_query + "," + denied_query + "," + analis_query + "," + denied_query + "," + denied_query + "]"));
  REQUIRE(batch.size() == 5);
  const auto audit = parse(post_json(c, "/v1/audit", ""));
  std::vector<std::string> all, denied;
  for (const auto& d : batch) {
    all.push_back(d["decision_id"]);
    if (d["decision"] == "denied") denied.push_back(d["decision_id"]);
  }
  all.push_back(audit["decision_id"]);
  if (audit["decision"] == "denied") denied.push_back(audit["decision_id"]);
  const std::string rule = batch[1]["violations"][0]["rule"];
  // The denied decisions that cite `rule`, read from the decisions themselves.
  std::vector<std::string> denied_citing;
  for (const auto* d : {&batch[0], &batch[1], &batch[2], &batch[3], &batch[4], &audit}) {
    bool cites = false;
    for (const char* list : {"violations", "warnings", "needs"}) {
      for (const auto& f : (*d)[list]) cites = cites || f["rule"] == rule;
    }
    if (cites && (*d)["decision"] == "denied") denied_citing.push_back((*d)["decision_id"]);
  }
  REQUIRE(denied_citing.size() >= 3);

  const auto whole = parse(c.Get("/v1/decisions"));
  CHECK(ids_of(whole) == all);  // (time, id) order: the batch shares its time, its ids count up
  CHECK(whole["next_cursor"].is_null());
  CHECK(whole["limit"] == 100);
  const auto& first = whole["decisions"][1];
  CHECK(first["outcome"] == "denied");
  CHECK(first["query"] == json::parse(denied_query));
  CHECK(first["org"] == "default");
  CHECK(first["org_version"] == 1);
  CHECK(first["ruleset"] == "padang-panjang-48-2024");
  CHECK(first["time"].get<std::string>().size() == 24);
  CHECK(!first.contains("result"));  // GET /v1/decisions/{id} has it
  CHECK(std::find(first["rules"].begin(), first["rules"].end(), rule) != first["rules"].end());
  CHECK(whole["decisions"][0]["rules"].empty());  // allowed: cites nothing
  CHECK(whole["decisions"][5]["query"] == json({{"type", "audit"}}));

  CHECK(ids_of(parse(c.Get("/v1/decisions?outcome=denied"))) == denied);
  CHECK(ids_of(parse(c.Get(("/v1/decisions?outcome=denied&rule=" + rule).c_str()))) == denied_citing);
  const auto by_rule = parse(c.Get(("/v1/decisions?rule=" + rule).c_str()));
  for (const auto& r : by_rule["decisions"]) {
    CHECK(std::find(r["rules"].begin(), r["rules"].end(), rule) != r["rules"].end());
  }
  CHECK(by_rule["decisions"].size() >= denied.size());
  CHECK(parse(c.Get("/v1/decisions?rule=no.such.rule"))["decisions"].empty());
  CHECK(ids_of(parse(c.Get("/v1/decisions?org=default"))) == all);
  CHECK(parse(c.Get("/v1/decisions?org=kota-lain"))["decisions"].empty());
  CHECK(ids_of(parse(c.Get("/v1/decisions?since=2000-01-01&until=2999-01-01T00:00:00%2B07:00"))) == all);
  CHECK(parse(c.Get("/v1/decisions?since=2999-01-01"))["decisions"].empty());
  CHECK(parse(c.Get("/v1/decisions?until=2000-01-01T00:00Z"))["decisions"].empty());
  // since is inclusive, until exclusive: the first decision's own time splits the log there.
  const std::string t0 = whole["decisions"][0]["time"];
  CHECK(ids_of(parse(c.Get(("/v1/decisions?until=" + t0).c_str()))).empty());
  CHECK(ids_of(parse(c.Get(("/v1/decisions?since=" + t0).c_str()))).front() == all.front());

  // Pages: every row once, in the same order; a page of new rows after the last cursor.
  std::size_t pages = 0;
  CHECK(all_pages(c, "limit=2", pages) == all);
  CHECK(pages == 3);
  CHECK(all_pages(c, "limit=1&outcome=denied", pages) == denied);
  CHECK(pages == denied.size());
  const auto last = parse(c.Get("/v1/decisions?limit=5"));
  REQUIRE(last["next_cursor"].is_string());
  const auto more = parse(post_json(c, "/v1/check", analis_query));
  const auto rest = parse(c.Get(("/v1/decisions?limit=5&cursor=" + last["next_cursor"].get<std::string>()).c_str()));
  CHECK(ids_of(rest) == std::vector<std::string>{all.back(), more["decision_id"]});
  CHECK(parse(c.Get("/v1/decisions?limit=5000"))["limit"] == 1000);  // capped

  // Bad parameters: 400 naming the parameter, in English or, with ?lang=id, Indonesian.
  expect_error(c.Get("/v1/decisions?limit=0"), 400, "bad_parameter", "limit: must be a whole number");
  expect_error(c.Get("/v1/decisions?limit=ten"), 400, "bad_parameter", "limit:");
  expect_error(c.Get("/v1/decisions?cursor=zz"), 400, "bad_parameter", "cursor: not a cursor");
  expect_error(c.Get("/v1/decisions?cursor=31323a"), 400, "bad_parameter", "cursor:");
  expect_error(c.Get("/v1/decisions?since=yesterday"), 400, "bad_parameter", "since: not a date");
  expect_error(c.Get("/v1/decisions?until=2026-02-30"), 400, "bad_parameter", "until: not a date");
  expect_error(c.Get("/v1/decisions?since=2026-01-01T10:00"), 400, "bad_parameter", "since:");  // no zone
  expect_error(c.Get("/v1/decisions?since=2026-02-01&until=2026-01-01"), 400, "bad_parameter", "until: must be later");
  expect_error(c.Get("/v1/decisions?outcome=denid"), 400, "bad_parameter", "outcome: must be allowed, denied or");
  expect_error(c.Get("/v1/decisions?outcome=denid"), 400, "bad_parameter", "did you mean \"denied\"");
  expect_error(c.Get("/v1/decisions?outcome=denid&lang=id"), 400, "bad_parameter", "maksud Anda \"denied\"");
  expect_error(c.Get("/v1/decisions?limit=0&lang=id"), 400, "bad_parameter", "limit: harus bilangan bulat");
  expect_error(c.Get("/v1/decisions?org=a/b"), 400, "bad_parameter", "org: not an org id");
  expect_error(c.Get("/v1/decisions?outcom=denied"), 400, "bad_parameter", "outcom: not a parameter");
  expect_error(c.Get("/v1/decisions?outcom=denied"), 400, "bad_parameter", "did you mean \"outcome\"");
  // The log needs scope read-log, as GET /v1/decisions/{id}.
  auto anonymous = server.anonymous_client();
  expect_error(anonymous.Get("/v1/decisions"), 401, "unauthorized", "read-log");
  CHECK(server.stop(SIGTERM) == 0);

  // perwal log export: the same rows from the file, with their results.
  const auto data = (dir.path / "data").string();
  const auto ndjson = perwal_cli("log export --since 2000-01-01 --format ndjson --data '" + data + "' 2>/dev/null");
  REQUIRE(ndjson.status == 0);
  std::istringstream lines(ndjson.out);
  std::vector<std::string> exported;
  for (std::string line; std::getline(lines, line);) {
    const auto j = json::parse(line);
    exported.push_back(j["decision_id"]);
    // A decision of a batch ("BATCH/INDEX") was logged without its result.
    if (j["decision_id"].get<std::string>().find('/') != std::string::npos) {
      CHECK(j["result"].is_null());
    } else {
      CHECK(j["result"]["decision_id"] == j["decision_id"]);
    }
    CHECK(j.contains("rules"));
  }
  std::vector<std::string> expected = all;
  expected.push_back(more["decision_id"]);
  CHECK(exported == expected);
  const auto file = dir.path / "denied.csv";
  const auto csv = perwal_cli("log export --since 2000-01-01 --outcome denied --rule " + rule + " --format csv -o '" +
                              file.string() + "' --data '" + data + "' 2>&1");
  CHECK(csv.status == 0);
  CHECK_THAT(csv.out, Catch::Contains(std::to_string(denied_citing.size()) + " decisions"));
  const auto text = perwal::testing::slurp(file);
  CHECK(text.rfind("decision_id,time,ruleset,ruleset_hash,org,org_version,org_hash,outcome,rules,query,result\r\n",
                   0) == 0);
  // CRLF line ends; a result's own newlines (none in compact JSON) would be quoted.
  CHECK(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) == denied_citing.size() + 1);
  for (const auto& id : denied_citing) CHECK_THAT(text, Catch::Contains(id + ","));
  CHECK_THAT(text, Catch::Contains(",denied,"));
  CHECK_THAT(text, Catch::Contains("\"{\"\"position\"\":"));  // the query, quoted as CSV quotes
  // A span after every decision: nothing, and still exit 0.
  const auto none = perwal_cli("log export --since 2999-01-01 --data '" + data + "' 2>/dev/null");
  CHECK(none.status == 0);
  CHECK(none.out.empty());
}

TEST_CASE("log export and db migrate: bad options exit 2 and say why", "[cli][log]") {
  temp_dir dir;
  const auto missing = perwal_cli("log export --since 2026-01-01 --data '" + dir.path.string() + "' 2>&1");
  CHECK(missing.status == 2);
  CHECK_THAT(missing.out, Catch::Contains("no decision log here"));
  const auto no_since = perwal_cli("log export --format csv 2>&1");
  CHECK(no_since.status == 2);
  CHECK_THAT(no_since.out, Catch::Contains("--since"));
  const auto bad_time = perwal_cli("log export --since 2026-13-01 2>&1");
  CHECK(bad_time.status == 2);
  CHECK_THAT(bad_time.out, Catch::Contains("--since: not a date or time: \"2026-13-01\""));
  const auto bad_format = perwal_cli("log export --since 2026-01-01 --format jsonl 2>&1");
  CHECK(bad_format.status == 2);
  CHECK_THAT(bad_format.out, Catch::Contains("--format must be ndjson or csv"));
  const auto bad_outcome = perwal_cli("log export --since 2026-01-01 --outcome deny 2>&1");
  CHECK(bad_outcome.status == 2);
  CHECK_THAT(bad_outcome.out, Catch::Contains("denied"));
  const auto bad_store = perwal_cli("db migrate --store mysql://x 2>&1");
  CHECK(bad_store.status == 2);
  CHECK_THAT(bad_store.out, Catch::Contains("--store must be a PostgreSQL URL"));
  // A database that is not there: a clear message, exit 2, no hang.
  const auto no_server = perwal_cli("db migrate --store 'postgresql://nobody@/x?host=" + dir.path.string() + "' 2>&1");
  CHECK(no_server.status == 2);
  CHECK_THAT(no_server.out, Catch::Contains("cannot connect"));
  const auto serve_bad_store =
      perwal_cli("serve --rules " + pp_rules + " --org " + pp_org + " --store sqlite:x.db 2>&1");
  CHECK(serve_bad_store.status == 2);
  CHECK_THAT(serve_bad_store.out, Catch::Contains("--store must be a PostgreSQL URL"));
}

TEST_CASE("an older SQLite log is migrated: its chain intact, its rules indexed", "[server][log][cli]") {
  temp_dir dir;
  const auto data = dir.path / "data";
  fs::create_directories(data);
  write_old_log(data / "decisions.db");
  CHECK_FALSE(decisions_have_rowids(data / "decisions.db"));
  const std::string at = " --data '" + data.string() + "'";
  const auto before = perwal_cli("log verify" + at);
  REQUIRE(before.status == 0);
  CHECK_THAT(before.out, Catch::Contains("intact: 3 chained rows"));
  // An unmigrated log is exported as it is, but cannot be asked for a rule.
  CHECK(perwal_cli("log export --since 2000-01-01" + at + " 2>/dev/null").out.size() > 100);
  const auto unindexed = perwal_cli("log export --since 2000-01-01 --rule kedudukan.dinas" + at + " 2>&1");
  CHECK(unindexed.status == 2);
  CHECK_THAT(unindexed.out, Catch::Contains("perwal db migrate"));

  const auto migrated = perwal_cli("db migrate" + at);
  CHECK(migrated.status == 0);
  CHECK_THAT(migrated.out, Catch::Contains("applied schema 1"));
  CHECK_THAT(migrated.out, Catch::Contains("applied schema 2: the rules each decision cites"));
  CHECK_THAT(migrated.out, Catch::Contains("applied schema 3: batch records"));
  CHECK_THAT(migrated.out, Catch::Contains("applied schema 4: decisions in a rowid table"));
  CHECK(decisions_have_rowids(data / "decisions.db"));
  CHECK(perwal_cli("db migrate" + at).out == "the schema is current\n");
  const auto after = perwal_cli("log verify" + at);
  CHECK(after.status == 0);
  CHECK(after.out == before.out);  // the same rows, the same last hash

  const auto cited = perwal_cli("log export --since 2000-01-01 --rule kedudukan.dinas" + at + " 2>/dev/null");
  REQUIRE(cited.status == 0);
  std::vector<std::string> ids;
  std::istringstream lines(cited.out);
  for (std::string line; std::getline(lines, line);) ids.push_back(json::parse(line)["decision_id"]);
  CHECK(ids == std::vector<std::string>{"1-row-0", "1-row-2"});

  // The server on the migrated log: old rows listed with their rules, new rows chained after them.
  server_process server(dir.path, pp_args());
  auto c = server.client();
  const auto old_rows = parse(c.Get("/v1/decisions?rule=lama.aturan"));
  CHECK(ids_of(old_rows) == std::vector<std::string>{"0-old"});  // the unchained row too
  CHECK(ids_of(parse(c.Get("/v1/decisions?org=kota"))) == std::vector<std::string>{"1-row-2"});
  CHECK(parse(c.Get("/v1/decisions?rule=bukti.lain"))["decisions"][0]["rules"] ==
        json({"bukti.lain", "kedudukan.dinas"}));
  parse(post_json(c, "/v1/check", denied_query));
  CHECK(server.stop(SIGTERM) == 0);
  const auto chained = perwal_cli("log verify" + at);
  CHECK(chained.status == 0);
  CHECK_THAT(chained.out, Catch::Contains("intact: 4 chained rows (1 to 4)"));
}

TEST_CASE("decision log: times, cursors and the rules a decision cites", "[log]") {
  using perwal::server::parse_time;
  CHECK(parse_time("1970-01-01") == 0);
  CHECK(parse_time("2026-12-05") == 1796428800000);
  CHECK(parse_time("2026-12-05T00:00:00Z") == 1796428800000);
  CHECK(parse_time("2026-12-05 07:00+07:00") == 1796428800000);
  CHECK(parse_time("2026-12-04T17:00:00-0700") == 1796428800000);
  CHECK(parse_time("2026-12-05T00:00:01.5Z") == 1796428801500);
  CHECK(parse_time("2024-02-29") == 1709164800000);  // a leap day
  for (const char* bad : {"", "2026", "2026-12-5", "2025-02-29", "2026-13-01", "2026-12-05T24:00Z", "2026-12-05T10:00",
                          "2026-12-05T10:00:00", "2026-12-05T10:00Zjunk", "2026-12-05T10:00:00.Z", "yesterday",
                          "2026-12-05T10:60Z", "2026-12-05T10:00+25:00"}) {
    INFO(bad);
    CHECK(!parse_time(bad));
  }
  CHECK(perwal::server::time_text(1796428801500) == "2026-12-05T00:00:01.500Z");
  CHECK(parse_time(perwal::server::time_text(1796428801500)) == 1796428801500);

  perwal::server::decision_record last;
  last.id = "1a24-abc-000007";
  last.time_ms = 1796428801500;
  perwal::server::decision_filter f;
  REQUIRE(perwal::server::read_cursor(perwal::server::page_cursor(last), f));
  CHECK(f.after_ms == 1796428801500);
  CHECK(f.after_id == last.id);
  for (const char* bad : {"", "z", "abc", "313a", "323a313a78", "313a3a78", "313a31"}) {
    INFO(bad);
    perwal::server::decision_filter g;
    CHECK(!perwal::server::read_cursor(bad, g));
  }

  CHECK(
      perwal::server::rules_cited(
          R"({"violations":[{"rule":"b"}],"warnings":[{"rule":"a"}],"needs":[{"rule":"b"}],"next":[{"rule":"c"}]})") ==
      std::vector<std::string>{"a", "b", "c"});
  CHECK(perwal::server::rules_cited(R"({"decision":"allowed","violations":[]})").empty());
  CHECK(perwal::server::rules_cited("not json").empty());
}

// A batch is one record of the log (one row, one link of the chain), its
// decisions "BATCH/INDEX": each read back as sent, listed as a row of its
// own under every filter and across pages, and a changed record is detected.
TEST_CASE("serve: a batch logged as one record, its decisions addressable and listed", "[server][log][cli]") {
  temp_dir dir;
  const auto data = dir.path / "data";
  const std::string at = " --data '" + data.string() + "'";
  std::vector<std::string> all;
  json batch;
  {
    server_process server(dir.path, pp_args());
    auto c = server.client();
    all.push_back(parse(post_json(c, "/v1/check", analis_query))["decision_id"]);
    std::this_thread::sleep_for(2ms);
    batch = parse(post_json(
        c, "/v1/check?quote=1",
        "[" + analis_query + "," + denied_query + "," + analis_query + "," + denied_query + "," + denied_query + "]"));
    REQUIRE(batch.size() == 5);
    const std::string first = batch[0]["decision_id"];
    const auto base = first.substr(0, first.find('/'));
    for (std::size_t i = 0; i < batch.size(); ++i) {
      CHECK(batch[i]["decision_id"] == base + "/" + std::to_string(i));
      all.push_back(batch[i]["decision_id"]);
      // Read back: the same decision as sent (evaluated again: its result was not logged), quotes and all.
      const auto logged = parse(c.Get(("/v1/decisions/" + base + "/" + std::to_string(i)).c_str()));
      CHECK(logged["result"] == batch[i]);
      CHECK(logged["decision_id"] == batch[i]["decision_id"]);
      CHECK(logged["outcome"] == batch[i]["decision"]);
      CHECK(logged["query"] == json::parse(i == 0 || i == 2 ? analis_query : denied_query));
    }
    CHECK(batch[1]["decision"] == "denied");
    CHECK(batch[1]["violations"][0].contains("quote"));
    // In English on request.
    const auto en = parse(c.Get(("/v1/decisions/" + base + "/1?lang=en").c_str()));
    CHECK(en["result"]["decision_id"] == base + "/1");
    CHECK(en["result"]["violations"][0]["rule"] == batch[1]["violations"][0]["rule"]);
    // Ids that name no decision: the batch itself, an index past its end, one written with a leading zero.
    for (const auto& bad : {base, base + "/5", base + "/01", base + "/x"}) {
      expect_error(c.Get(("/v1/decisions/" + bad).c_str()), 404, "unknown_decision", bad);
    }
    std::this_thread::sleep_for(2ms);
    all.push_back(parse(post_json(c, "/v1/check", denied_query))["decision_id"]);

    std::size_t pages = 0;
    CHECK(all_pages(c, "limit=100", pages) == all);
    CHECK(all_pages(c, "limit=2", pages) == all);  // pages that begin and end inside the batch
    CHECK(pages == 4);
    const std::vector<std::string> denied = {all[2], all[4], all[5], all[6]};
    CHECK(all_pages(c, "outcome=denied&limit=3", pages) == denied);
    CHECK(all_pages(c, "outcome=allowed&limit=1", pages) == std::vector<std::string>{all[0], all[1], all[3]});
    const std::string rule = batch[1]["violations"][0]["rule"];
    CHECK(all_pages(c, "rule=" + rule, pages) == denied);
    CHECK(all_pages(c, "org=default", pages) == all);
    const auto listed = parse(c.Get("/v1/decisions?limit=3"));
    CHECK(listed["decisions"][2]["decision_id"] == all[2]);
    CHECK(listed["decisions"][2]["outcome"] == "denied");
    CHECK(listed["decisions"][2]["rules"].size() >= 1);
    CHECK(listed["decisions"][2]["query"] == json::parse(denied_query));
    CHECK(server.stop(SIGTERM) == 0);
  }
  // The export lists each decision of the batch; a batched decision's result was not logged: null.
  const auto exported = perwal_cli("log export --since 2000-01-01" + at);
  REQUIRE(exported.status == 0);
  std::vector<json> lines;
  std::istringstream in(exported.out);
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
  REQUIRE(lines.size() == all.size());
  CHECK(lines[1]["decision_id"] == all[1]);
  CHECK(lines[1]["result"].is_null());
  CHECK(lines[0]["result"]["decision_id"] == all[0]);

  // Three records, three links of the chain.
  const auto intact = perwal_cli("log verify" + at);
  CHECK(intact.status == 0);
  CHECK_THAT(intact.out, Catch::Contains("intact: 3 chained rows (1 to 3)"));
  // A batch record changed afterwards (one outcome, or a query of its body) is detected.
  const auto tamper = [&](const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open((data / "decisions.db").c_str(), &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    CHECK(sqlite3_changes(db) == 1);
    sqlite3_close(db);
  };
  tamper("UPDATE decisions SET outcomes = 'aaaaa' WHERE batch_size = 5");
  const auto changed = perwal_cli("log verify" + at + " 2>&1");
  CHECK(changed.status != 0);
  CHECK_THAT(changed.out, Catch::Contains("row 2 (decision " + all[1].substr(0, all[1].find('/')) +
                                          "): its contents do not match its hash"));
  tamper("UPDATE decisions SET outcomes = 'adadd' WHERE batch_size = 5");
  CHECK(perwal_cli("log verify" + at).status == 0);  // put back: intact again
  tamper("UPDATE decisions SET query = replace(query, 'analis-1', 'analis-2') WHERE batch_size = 5");
  CHECK(perwal_cli("log verify" + at + " 2>&1").status != 0);
}

namespace {

// A decision log whose writing is observed: one writer at a time, the groups
// it is given, and a record whose id starts with "poison" failing its group.
class observed_log final : public perwal::server::decision_log {
 public:
  std::atomic<int> writers{0};
  std::atomic<bool> overlapped{false};
  std::atomic<std::size_t> groups{0};
  std::mutex written_mutex;
  std::set<std::string> written;

  ~observed_log() override { stop(); }
  std::optional<perwal::server::decision_record> find(const std::string&) override { return std::nullopt; }
  perwal::server::decision_page list(const perwal::server::decision_filter&) override { return {}; }
  bool retention(const std::function<std::uint64_t()>& fn) { return exclusive(fn); }
  // Entered alone, as write_group is: it overlapped when another writer is in.
  void enter() {
    if (writers.fetch_add(1) != 0) overlapped = true;
  }
  void leave() { writers.fetch_sub(1); }

 protected:
  void write_group(const std::vector<const perwal::server::decision_record*>& rows) override {
    enter();
    ++groups;
    std::this_thread::sleep_for(std::chrono::microseconds(200));  // long enough for others to queue behind
    const bool poisoned =
        std::any_of(rows.begin(), rows.end(), [](const auto* r) { return r->id.starts_with("poison"); });
    if (!poisoned) {
      std::lock_guard lock(written_mutex);
      for (const auto* r : rows) written.insert(r->id);
    }
    leave();
    if (poisoned) throw perwal::server::store_error("disk on fire");
  }
};

perwal::server::decision_record record_with_id(std::string id) {
  perwal::server::decision_record r;
  r.id = std::move(id);
  r.outcome = "allowed";
  r.query = R"({"type":"kedudukan"})";
  r.result = R"({"decision":"allowed"})";
  return r;
}

}  // namespace

// Group commit: many threads append at once, one writes for the group queued
// behind it while the others wait. Each append returns only once its records
// are written (or throws the group's error), never two writers at a time,
// retention never beside a writer, and no append is left waiting.
TEST_CASE("decision log: concurrent appends commit in groups, each answered once its group is written", "[log]") {
  observed_log log;
  constexpr int threads = 8, per_thread = 150;
  std::atomic<int> acknowledged_unwritten{0}, failed{0}, poison_acknowledged{0};
  std::atomic<bool> appending{true};
  std::thread retention([&] {
    while (appending) {
      log.retention([&] {
        log.enter();
        std::this_thread::sleep_for(std::chrono::microseconds(100));
        log.leave();
        return std::uint64_t{0};
      });
      std::this_thread::sleep_for(std::chrono::microseconds(300));
    }
  });
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        const bool poison = t == 0 && i % 50 == 7;
        const std::string id = (poison ? "poison-" : "d-") + std::to_string(t) + "-" + std::to_string(i);
        std::vector<perwal::server::decision_record> records;
        records.push_back(record_with_id(id));
        try {
          log.append(std::move(records));
          if (poison) ++poison_acknowledged;
          std::lock_guard lock(log.written_mutex);
          if (!log.written.contains(id)) ++acknowledged_unwritten;
        } catch (const perwal::server::store_error& e) {
          CHECK(std::string(e.what()) == "disk on fire");
          ++failed;
        }
      }
    });
  }
  for (auto& w : workers) w.join();
  appending = false;
  retention.join();

  CHECK_FALSE(log.overlapped.load());
  CHECK(acknowledged_unwritten == 0);
  CHECK(poison_acknowledged == 0);
  // Each of the 3 poisoned appends fails, with whatever shared its group.
  CHECK(failed >= 3);
  std::size_t written = 0;
  {
    std::lock_guard lock(log.written_mutex);
    written = log.written.size();
  }
  CHECK(written + static_cast<std::size_t>(failed.load()) == std::size_t{threads} * per_thread);
  // Grouped: fewer writes than appends (8 threads queue behind a 200 µs write).
  CHECK(log.groups < std::size_t{threads} * per_thread);

  // The SQLite log under the same load: every acknowledged decision is in
  // it, chained.
  temp_dir dir;
  const auto file = dir.path / "decisions.db";
  std::vector<std::string> ids;
  {
    perwal::server::sqlite_decision_log sqlite(file, perwal::server::log_options{false, 0, 0});
    std::mutex ids_mutex;
    std::vector<std::thread> writers;
    for (int t = 0; t < 4; ++t) {
      writers.emplace_back([&] {
        for (int i = 0; i < 50; ++i) {
          const auto id = sqlite.next_id();
          std::vector<perwal::server::decision_record> records;
          records.push_back(record_with_id(id));
          sqlite.append(std::move(records));
          std::lock_guard lock(ids_mutex);
          ids.push_back(id);
        }
      });
    }
    for (auto& w : writers) w.join();
    for (const auto& id : ids) {
      INFO(id);
      CHECK(sqlite.find(id).has_value());
    }
  }
  const auto v = perwal::server::verify_decision_log(file);
  CHECK(v.problems.empty());
  CHECK(v.rows == 200);
}

// The WAL is copied into the database by the log's own checkpoint thread,
// not by the committing thread; the committing thread checkpoints by itself
// only once the WAL is past its bound (here: a reader holds an old snapshot,
// so no checkpoint can finish), and the WAL file stays within that bound.
TEST_CASE("decision log: the WAL is checkpointed by a thread of its own and stays bounded", "[log]") {
  using perwal::server::wal_checkpointer;
  temp_dir dir;
  const auto file = dir.path / "decisions.db";
  const std::string padding(20'000, 'x');  // ~5 pages a record
  const auto append = [&](perwal::server::sqlite_decision_log& log, int n) {
    for (int i = 0; i < n; ++i) {
      auto r = record_with_id(log.next_id());
      r.query = R"({"type":"kedudukan","pad":")" + padding + "\"}";
      std::vector<perwal::server::decision_record> records;
      records.push_back(std::move(r));
      log.append(std::move(records));
    }
  };
  const auto wal_bytes = [&] { return std::filesystem::file_size(file.string() + "-wal"); };
  constexpr std::uintmax_t frame = 4096 + 24, header = 32;  // a WAL frame: a page and its header
  {
    perwal::server::sqlite_decision_log log(file, perwal::server::log_options{false, 0, 0});
    append(log, 3000);  // ~15,000 frames through the WAL: far past the bound, were it never reset
    // The thread has run (it is asked at ~1,000 pages, i.e. every ~200 records;
    // up to 5 s more for a machine too busy to have scheduled it yet).
    for (int waited = 0; log.checkpointer().background() == 0 && waited < 250; ++waited)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK(log.checkpointer().background() >= 1);
    // Reused from its start, at the latest, once the committing thread has
    // completed a copy at the bound: one record's frames past it at most.
    CHECK(wal_bytes() <= header + (wal_checkpointer::inline_pages + 50) * frame);

    // A reader keeps its snapshot: no checkpoint gets past it, the WAL grows
    // to the bound, and there the committing thread checkpoints by itself.
    sqlite3* reader = nullptr;
    REQUIRE(sqlite3_open_v2(file.c_str(), &reader, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_exec(reader, "BEGIN; SELECT count(*) FROM decisions;", nullptr, nullptr, nullptr) == SQLITE_OK);
    append(log, 2000);
    log.flush();  // at --log-sync normal the log's own thread copies the journal in: wait for it
    CHECK(log.checkpointer().inline_runs() >= 1);
    sqlite3_exec(reader, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_close(reader);
  }
  const auto v = perwal::server::verify_decision_log(file);
  CHECK(v.problems.empty());
  CHECK(v.rows == 5000);
}

// At --log-sync normal an append is one write() to the journal beside the
// database, copied in by the log's own thread: what was answered reads back
// at once (a read waits for the copy), a closed log leaves the journal
// empty, and a killed process's journal is copied in on the next open: the
// records it had not copied yet, in their order, skipping those it had and
// a frame a crash cut short.
TEST_CASE("decision log at --log-sync normal: the journal, read back at once and recovered after a kill", "[log]") {
  using perwal::server::decision_record;
  using perwal::server::sqlite_decision_log;
  temp_dir dir;
  const auto file = dir.path / "decisions.db";
  const auto journal = sqlite_decision_log::journal_path(file);
  const perwal::server::log_options normal{false, 0, 0};
  std::vector<std::string> ids;
  std::atomic<int> unread{0};
  {
    sqlite_decision_log log(file, normal);
    std::mutex ids_mutex;
    std::vector<std::thread> writers;
    for (int t = 0; t < 4; ++t) {
      writers.emplace_back([&] {
        for (int i = 0; i < 100; ++i) {
          const auto id = log.next_id();
          std::vector<decision_record> records;
          records.push_back(record_with_id(id));
          log.append(std::move(records));
          if (!log.find(id)) ++unread;
          std::lock_guard lock(ids_mutex);
          ids.push_back(id);
        }
      });
    }
    for (auto& w : writers) w.join();
  }
  CHECK(unread == 0);
  CHECK(std::filesystem::file_size(journal) == 0);
  CHECK(decisions_have_rowids(file));  // a new log is created at schema 4
  {
    // Its threads named, for top -H and profilers.
    sqlite_decision_log log(file, normal);
    std::set<std::string> names;
    for (int look = 0; look < 500 && names.count("perwal-wal-ckpt") + names.count("perwal-log-copy") < 2; ++look) {
      if (look > 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));  // each names itself as it starts
      names.clear();
      for (const auto& task : fs::directory_iterator("/proc/self/task")) {
        std::ifstream comm(task.path() / "comm");
        std::string name;
        std::getline(comm, name);
        names.insert(name);
      }
    }
    CHECK(names.count("perwal-log-copy") == 1);
    CHECK(names.count("perwal-wal-ckpt") == 1);
  }
  auto v = perwal::server::verify_decision_log(file);
  CHECK(v.problems.empty());
  CHECK(v.rows == 400);

  // What a killed process leaves: two records it had copied, three it had
  // not (one citing a rule), then the start of a frame.
  std::string frames;
  {
    sqlite_decision_log log(file, normal);
    for (const auto& id : {ids[398], ids[399]}) {
      auto copied = log.find(id);
      REQUIRE(copied);
      perwal::server::encode_journal_record(*copied, frames);
    }
  }
  std::vector<decision_record> lost;
  for (const char* id : {"lost-1", "lost-2", "lost-3"}) lost.push_back(record_with_id(id));
  lost[1].outcome = "denied";
  lost[1].result = R"({"decision":"denied","violations":[{"rule":"kedudukan.jf_di_bawah_pimpinan"}]})";
  lost[1].rules = {"kedudukan.jf_di_bawah_pimpinan"};
  for (const auto& r : lost) perwal::server::encode_journal_record(r, frames);
  std::string torn;
  perwal::server::encode_journal_record(record_with_id("never-answered"), torn);
  {
    std::ofstream out(journal, std::ios::binary | std::ios::trunc);
    out << frames << torn.substr(0, torn.size() / 2);
  }
  std::size_t dropped = 0;
  CHECK(perwal::server::decode_journal(frames + torn.substr(0, torn.size() / 2), dropped).size() == 5);
  CHECK(dropped == torn.size() / 2);
  {
    sqlite_decision_log log(file, normal);  // copies the three in
    for (const auto& r : lost) {
      INFO(r.id);
      const auto found = log.find(r.id);
      REQUIRE(found);
      CHECK(found->outcome == r.outcome);
      CHECK(found->result == r.result);
    }
    CHECK_FALSE(log.find("never-answered"));
    perwal::server::decision_filter cites;  // the rules it cites are indexed too
    cites.rule = "kedudukan.jf_di_bawah_pimpinan";
    const auto page = log.list(cites);
    REQUIRE(page.rows.size() == 1);
    CHECK(page.rows[0].id == "lost-2");
  }
  CHECK(std::filesystem::file_size(journal) == 0);
  v = perwal::server::verify_decision_log(file);
  CHECK(v.problems.empty());
  CHECK(v.rows == 403);  // the two it had copied are not there twice

  // A damaged frame ends what is read: the records after it are not taken
  // as the journal's (their order is no longer known).
  std::string damaged = frames;
  damaged[damaged.size() / 2] ^= 0x40;
  CHECK(perwal::server::decode_journal(damaged, dropped).size() < 5);
  CHECK(dropped > 0);
}

TEST_CASE("decision log: a journal frame an earlier perwal wrote is still read, and written alike", "[log]") {
  // Written by the journal of commit c08160c (before snapshots moved to
  // XXH3, whose checksum the journal then shared): a server of that version
  // killed with this in its journal must have it copied in by this one.
  const std::string hex =
      "50574a31c8000000030000006a2d3100b232f29a01000016000000706164616e672d70616e6a616e672d34382d323032340200"
      "000072680700000064656661756c74020000006f6803000000000000000600000064656e696564230000007b2274797065223a"
      "226b65647564756b616e222c22706f736974696f6e223a2270227d150000007b226465636973696f6e223a2264656e696564"
      "227d00000000000000000000000000000000010000001e0000006b65647564756b616e2e6a665f64695f62617761685f7069"
      "6d70696e616e58864c4d8a910dea";
  std::string frame;
  for (std::size_t k = 0; k + 1 < hex.size(); k += 2)
    frame += static_cast<char>(std::stoi(hex.substr(k, 2), nullptr, 16));
  std::size_t dropped = 1;
  const auto read = perwal::server::decode_journal(frame, dropped);
  CHECK(dropped == 0);
  REQUIRE(read.size() == 1);
  const auto& r = read[0];
  CHECK(r.id == "j-1");
  CHECK(r.time_ms == 1765000000000);
  CHECK(r.ruleset == "padang-panjang-48-2024");
  CHECK(r.org_version == 3);
  CHECK(r.outcome == "denied");
  CHECK(r.query == R"({"type":"kedudukan","position":"p"})");
  CHECK(r.rules == std::vector<std::string>{"kedudukan.jf_di_bawah_pimpinan"});
  std::string again;
  perwal::server::encode_journal_record(r, again);
  CHECK(again == frame);
  frame[frame.size() - 1] ^= 0x01;  // its checksum no longer matches: nothing is taken
  CHECK(perwal::server::decode_journal(frame, dropped).empty());
  CHECK(dropped == frame.size());
}

TEST_CASE("sha256: the standard's test vectors, from several threads at once", "[log]") {
  // FIPS 180-2's examples; each thread hashes with a context of its own.
  const std::string million_a(1'000'000, 'a');
  const auto hash_all = [&] {
    return std::vector<std::string>{perwal::server::sha256_hex(""), perwal::server::sha256_hex("abc"),
                                    perwal::server::sha256_hex(million_a)};
  };
  const std::vector<std::string> expected = {"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                                             "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                                             "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"};
  CHECK(hash_all() == expected);
  std::vector<std::string> other;
  std::thread t([&] {
    for (int i = 0; i < 50; ++i) other = hash_all();
  });
  for (int i = 0; i < 50; ++i) CHECK(hash_all() == expected);
  t.join();
  CHECK(other == expected);
}
