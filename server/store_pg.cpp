// The PostgreSQL backend of the store (--store postgresql://…), through
// libpq: orgs and the decision log in one database that every replica
// shares. Schema migrations are versioned (table perwal_schema) and run
// under an advisory lock, so replicas started together migrate once. The
// hash chain spans replicas: its end is one row (chain_head) that each
// group commit locks FOR UPDATE, so commits of all replicas form one
// sequence. A new org version or a reload is announced with NOTIFY in the
// transaction that makes it; every replica LISTENs.
#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <atomic>
#include <nlohmann/json.hpp>
#include <random>

#include "server/store.hpp"

namespace perwal::server {

namespace {

using json = nlohmann::json;

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// The URL as it may be shown: without its password (user:PASSWORD@ or ?password=).
std::string shown(std::string url) {
  const auto scheme = url.find("://");
  const auto at = url.find('@');
  if (scheme != std::string::npos && at != std::string::npos) {
    const auto colon = url.find(':', scheme + 3);
    if (colon != std::string::npos && colon < at) url = url.substr(0, colon) + ":***" + url.substr(at);
  }
  for (auto p = url.find("password="); p != std::string::npos; p = url.find("password=", p + 1)) {
    const auto end = std::min(url.find('&', p), url.size());
    url.replace(p + 9, end - p - 9, "***");
  }
  return url;
}

struct result_deleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using result = std::unique_ptr<PGresult, result_deleter>;

// One connection. A lost connection is opened again by the next call
// (a database that is down costs that call a store_error: 503).
class pg_conn {
 public:
  explicit pg_conn(std::string url) : url_(std::move(url)) { connect(); }
  ~pg_conn() { PQfinish(conn_); }
  pg_conn(const pg_conn&) = delete;
  pg_conn& operator=(const pg_conn&) = delete;

  // A statement with text parameters; throws store_error unless it succeeded.
  result exec(const char* sql, const std::vector<std::string>& params = {}) {
    ensure();
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) values.push_back(p.c_str());
    result r(params.empty() ? PQexec(conn_, sql)
                            : PQexecParams(conn_, sql, static_cast<int>(values.size()), nullptr, values.data(), nullptr,
                                           nullptr, 0));
    const auto status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      std::string why = r ? PQresultErrorMessage(r.get()) : PQerrorMessage(conn_);
      while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
      throw store_error(shown(url_) + ": " + why);
    }
    return r;
  }
  // Rolls back a failed transaction, if the connection still stands.
  void rollback() noexcept {
    if (conn_ && PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) != PQTRANS_IDLE)
      PQclear(PQexec(conn_, "ROLLBACK"));
  }
  [[nodiscard]] PGconn* handle() {
    ensure();
    return conn_;
  }
  [[nodiscard]] const std::string& url() const { return url_; }

 private:
  void connect() {
    // connect_timeout first: the URL's own setting, if any, comes after and wins.
    const char* keys[] = {"connect_timeout", "dbname", nullptr};
    const char* values[] = {"3", url_.c_str(), nullptr};
    if (conn_) PQfinish(conn_);
    conn_ = PQconnectdbParams(keys, values, 1);
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
      std::string why = conn_ ? PQerrorMessage(conn_) : "out of memory";
      while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
      // Freed here: thrown from the constructor, no destructor would free it.
      if (conn_) PQfinish(conn_);
      conn_ = nullptr;
      throw store_error(shown(url_) + ": cannot connect: " + why);
    }
    // The server's notices (a shutdown's "terminating connection") go to the log, named.
    PQsetNoticeProcessor(
        conn_, [](void*, const char* message) { std::fprintf(stderr, "perwal serve: PostgreSQL: %s", message); },
        nullptr);
    PQclear(PQexec(conn_, "SET client_min_messages = warning"));
  }
  void ensure() {
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK) connect();
  }

  std::string url_;
  PGconn* conn_ = nullptr;
};

std::string value(const result& r, int row, int column) {
  return {PQgetvalue(r.get(), row, column), static_cast<std::size_t>(PQgetlength(r.get(), row, column))};
}
std::int64_t number(const result& r, int row, int column) {
  return std::stoll(value(r, row, column));
}

// ---- schema -----------------------------------------------------------------

struct migration {
  int version;
  const char* name;
  const char* sql;
};

const migration migrations[] = {
    {1, "orgs: every uploaded version",
     "CREATE TABLE orgs (id text NOT NULL, version bigint NOT NULL, created_ms bigint NOT NULL,"
     " hash text NOT NULL, body text NOT NULL, PRIMARY KEY (id, version))"},
    {2, "decision log: hash-chained rows and the chain's end",
     "CREATE TABLE decisions (seq bigint PRIMARY KEY, id text NOT NULL UNIQUE, time_ms bigint NOT NULL,"
     " ruleset text NOT NULL, ruleset_hash text NOT NULL, org text NOT NULL, org_version bigint NOT NULL,"
     " org_hash text NOT NULL, outcome text NOT NULL, query text NOT NULL, result text NOT NULL,"
     " prev_hash text NOT NULL, row_hash text NOT NULL);"
     "CREATE INDEX decisions_time ON decisions (time_ms, id);"
     "CREATE TABLE chain_head (one boolean PRIMARY KEY DEFAULT true CHECK (one), seq bigint NOT NULL,"
     " hash text NOT NULL);"
     "INSERT INTO chain_head (seq, hash) VALUES (0, '')"},
    {3, "decision log: the rules each decision cites, for ?rule=",
     "ALTER TABLE decisions ADD COLUMN rules text[] NOT NULL DEFAULT '{}';"
     "CREATE INDEX decisions_rules ON decisions USING gin (rules);"
     "CREATE INDEX decisions_outcome ON decisions (outcome, time_ms, id);"
     "CREATE INDEX decisions_org ON decisions (org, time_ms, id)"},
    {4, "reloads counted, so a replica that lost its connection knows whether it missed one",
     "CREATE TABLE reload_count (one boolean PRIMARY KEY DEFAULT true CHECK (one), n bigint NOT NULL);"
     "INSERT INTO reload_count (n) VALUES (0)"},
    {5, "batch records: a batch of checks logged as one row",
     "ALTER TABLE decisions ADD COLUMN batch_size bigint;"
     "ALTER TABLE decisions ADD COLUMN outcomes text;"
     "ALTER TABLE decisions ADD COLUMN batch text"},
};
constexpr int pg_schema = 5;

// Any advisory lock key of this program's own: migrations run one at a time.
constexpr const char* migration_lock = "SELECT pg_advisory_lock(7305150201)";
constexpr const char* migration_unlock = "SELECT pg_advisory_unlock(7305150201)";

std::vector<std::string> migrate(pg_conn& db) {
  db.exec(migration_lock);
  std::vector<std::string> done;
  try {
    db.exec(
        "CREATE TABLE IF NOT EXISTS perwal_schema (version integer PRIMARY KEY, name text NOT NULL,"
        " applied_at timestamptz NOT NULL DEFAULT now())");
    const auto r = db.exec("SELECT COALESCE(MAX(version), 0) FROM perwal_schema");
    const auto current = number(r, 0, 0);
    if (current > pg_schema) {
      throw store_error(shown(db.url()) + ": the database's schema is version " + std::to_string(current) +
                        ", newer than this perwal's (" + std::to_string(pg_schema) + "): upgrade perwal");
    }
    for (const auto& m : migrations) {
      if (m.version <= current) continue;
      db.exec("BEGIN");
      try {
        db.exec(m.sql);
        db.exec("INSERT INTO perwal_schema (version, name) VALUES ($1, $2)", {std::to_string(m.version), m.name});
        db.exec("COMMIT");
      } catch (...) {
        db.rollback();
        throw;
      }
      done.push_back("schema " + std::to_string(m.version) + ": " + m.name);
    }
  } catch (...) {
    try {
      db.exec(migration_unlock);
    } catch (const store_error&) {
    }
    throw;
  }
  db.exec(migration_unlock);
  return done;
}

std::string instance_id() {
  std::random_device rd;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%08x%08x", rd(), rd());
  return buf;
}

constexpr const char* org_channel = "perwal_orgs";
constexpr const char* reload_channel = "perwal_reload";

// ---- orgs -------------------------------------------------------------------

stored_org org_of(const result& r, int row) {
  return {value(r, row, 0), number(r, row, 1), number(r, row, 2), value(r, row, 3), value(r, row, 4)};
}

// LISTENs on its own connection and calls back for every other replica's change.
class pg_watch final : public store_watch {
 public:
  pg_watch(std::string url, std::string self, std::function<void(const store_change&)> on_change)
      : url_(std::move(url)), self_(std::move(self)), on_change_(std::move(on_change)) {
    thread_ = std::thread([this] { run(); });
  }
  ~pg_watch() override {
    stopping_ = true;
    thread_.join();
  }
  pg_watch(const pg_watch&) = delete;
  pg_watch& operator=(const pg_watch&) = delete;

 private:
  void run() {
    bool first = true, had_connection = true;
    while (!stopping_) {
      try {
        pg_conn db(url_);
        db.exec((std::string("LISTEN ") + org_channel + "; LISTEN " + reload_channel).c_str());
        // Changes made while no one listened are found by looking: uploads
        // since the snapshot was built (at start) or while the connection
        // was down, and a reload missed meanwhile (the count moved).
        const auto reloads = number(db.exec("SELECT n FROM reload_count"), 0, 0);
        if (!first && !had_connection && reloads != reloads_seen_) {
          on_change_({store_change::kind::resync, {}, 0});
        } else if (first || !had_connection) {
          on_change_({store_change::kind::org, {}, 0});
        }
        reloads_seen_ = reloads;
        first = false;
        had_connection = true;
        listen(db);
      } catch (const store_error&) {
        had_connection = false;
      } catch (const std::exception&) {
        had_connection = false;  // a callback's failure: start over with a resync
      }
      for (int i = 0; i < 2 && !stopping_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }

  // Returns when the connection is lost or the watch stops.
  void listen(pg_conn& db) {
    PGconn* conn = db.handle();
    while (!stopping_) {
      pollfd p{PQsocket(conn), POLLIN, 0};
      if (p.fd < 0) return;
      if (::poll(&p, 1, 200) < 0) continue;
      if (PQconsumeInput(conn) == 0 || PQstatus(conn) != CONNECTION_OK) return;
      while (PGnotify* n = PQnotifies(conn)) {
        const std::string channel = n->relname, payload = n->extra;
        PQfreemem(n);
        deliver(channel, payload);
      }
    }
  }

  // Payloads: "<instance> <org> <version>" and "<instance> <reloads so far>".
  void deliver(const std::string& channel, const std::string& payload) {
    const auto first = payload.find(' ');
    if (channel == reload_channel && first != std::string::npos) {
      try {
        reloads_seen_ = std::max<std::int64_t>(reloads_seen_, std::stoll(payload.substr(first + 1)));
      } catch (const std::exception&) {
      }
    }
    if (payload.substr(0, first) == self_) return;  // this replica's own change
    if (channel == reload_channel) {
      on_change_({store_change::kind::reload, {}, 0});
      return;
    }
    const auto second = payload.find(' ', first + 1);
    if (first == std::string::npos || second == std::string::npos) return;
    store_change c{store_change::kind::org, payload.substr(first + 1, second - first - 1), 0};
    try {
      c.version = std::stoll(payload.substr(second + 1));
    } catch (const std::exception&) {
      return;
    }
    on_change_(c);
  }

  std::string url_, self_;
  std::function<void(const store_change&)> on_change_;
  std::int64_t reloads_seen_ = 0;  // reload_count as last seen (the watch's thread only)
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

class pg_org_store final : public org_store {
 public:
  pg_org_store(const std::string& url, org_quota quota) : db_(url), quota_(quota), self_(instance_id()) {
    migrate(db_);
  }

  stored_org put(const std::string& id, const std::string& body, const std::string& hash) override {
    std::lock_guard lock(mutex_);
    db_.exec("BEGIN");
    try {
      // Replicas upload at once: the quota and the next version are counted under a lock.
      db_.exec("LOCK TABLE orgs IN SHARE ROW EXCLUSIVE MODE");
      auto r = db_.exec("SELECT COALESCE(MAX(version), 0) FROM orgs WHERE id = $1", {id});
      stored_org o{id, number(r, 0, 0) + 1, now_ms(), hash, body};
      r = db_.exec("SELECT COUNT(DISTINCT id), COALESCE(SUM(octet_length(body)), 0) FROM orgs");
      const std::int64_t ids = number(r, 0, 0), bytes = number(r, 0, 1);
      if (o.version == 1 && ids >= quota_.max_orgs) {
        throw quota_exceeded(std::to_string(ids) + " orgs are stored, the most this server keeps (--max-orgs " +
                             std::to_string(quota_.max_orgs) + ")");
      }
      const std::int64_t oldest_kept = o.version - quota_.max_versions + 1;
      r = db_.exec("SELECT COALESCE(SUM(octet_length(body)), 0) FROM orgs WHERE id = $1 AND version < $2",
                   {id, std::to_string(oldest_kept)});
      const std::int64_t freed = number(r, 0, 0);
      const auto size = static_cast<std::int64_t>(body.size());
      if (bytes - freed + size > quota_.max_bytes) {
        throw quota_exceeded("storing " + std::to_string(size) + " more bytes would pass the store's " +
                             std::to_string(quota_.max_bytes) + " bytes (--max-store-bytes); " +
                             std::to_string(bytes - freed) + " are kept");
      }
      db_.exec("INSERT INTO orgs (id, version, created_ms, hash, body) VALUES ($1, $2, $3, $4, $5)",
               {o.id, std::to_string(o.version), std::to_string(o.created_ms), o.hash, o.body});
      db_.exec("DELETE FROM orgs WHERE id = $1 AND version < $2", {id, std::to_string(oldest_kept)});
      // Delivered to the other replicas when (and only if) this commits.
      db_.exec("SELECT pg_notify($1, $2)", {org_channel, self_ + " " + id + " " + std::to_string(o.version)});
      db_.exec("COMMIT");
      return o;
    } catch (...) {
      db_.rollback();
      throw;
    }
  }

  std::vector<stored_org> latest() override {
    std::lock_guard lock(mutex_);
    const auto r =
        db_.exec("SELECT DISTINCT ON (id) id, version, created_ms, hash, body FROM orgs ORDER BY id, version DESC");
    std::vector<stored_org> out;
    for (int i = 0; i < PQntuples(r.get()); ++i) out.push_back(org_of(r, i));
    return out;
  }

  std::optional<stored_org> get(const std::string& id, std::int64_t version) override {
    std::lock_guard lock(mutex_);
    const auto r = db_.exec(
        "SELECT id, version, created_ms, hash, body FROM orgs WHERE id = $1 AND version = CASE WHEN $2::bigint > 0 "
        "THEN $2::bigint ELSE (SELECT MAX(version) FROM orgs WHERE id = $1) END",
        {id, std::to_string(version)});
    if (PQntuples(r.get()) == 0) return std::nullopt;
    return org_of(r, 0);
  }

  void announce_reload() override {
    std::lock_guard lock(mutex_);
    // Counted and announced in one transaction.
    db_.exec(
        "WITH counted AS (UPDATE reload_count SET n = n + 1 RETURNING n) SELECT pg_notify($1, $2 || ' ' || n)"
        " FROM counted",
        {reload_channel, self_});
  }

  std::unique_ptr<store_watch> watch(std::function<void(const store_change&)> on_change) override {
    return std::make_unique<pg_watch>(db_.url(), self_, std::move(on_change));
  }

 private:
  std::mutex mutex_;
  pg_conn db_;
  org_quota quota_;
  std::string self_;  // this replica, in its notifications
};

// ---- decision log -------------------------------------------------------------

// A row as record_of reads it; the result, when asked for, follows as column 13.
constexpr const char* decision_columns =
    "id, time_ms, ruleset, ruleset_hash, org, org_version, org_hash, outcome, query, rules, batch_size, outcomes, "
    "batch";

decision_record record_of(const result& r, int row, bool with_result) {
  decision_record d{value(r, row, 0),
                    number(r, row, 1),
                    value(r, row, 2),
                    value(r, row, 3),
                    value(r, row, 4),
                    value(r, row, 6),
                    number(r, row, 5),
                    value(r, row, 7),
                    value(r, row, 8),
                    {},
                    {}};
  // text[] as PostgreSQL writes it: {a,"b c"}; rule ids are plain words, quoted only if not.
  const auto rules = value(r, row, 9);
  std::string item;
  bool quoted = false;
  for (std::size_t i = 1; i + 1 < rules.size(); ++i) {
    const char c = rules[i];
    if (c == '"') {
      quoted = !quoted;
    } else if (c == '\\' && i + 2 < rules.size()) {
      item += rules[++i];
    } else if (c == ',' && !quoted) {
      d.rules.push_back(std::move(item));
      item.clear();
    } else {
      item += c;
    }
  }
  if (!item.empty()) d.rules.push_back(std::move(item));
  if (!PQgetisnull(r.get(), row, 10)) {
    d.batch_size = number(r, row, 10);
    d.outcomes = value(r, row, 11);
    d.batch = value(r, row, 12);
  }
  if (with_result && d.batch_size == 0) d.result = value(r, row, 13);
  return d;
}

// A page of the log; a batch record is listed as its decisions. Rows are
// read f.limit + 1 at a time until the page is full (a batch row may hold
// many decisions that pass the filter, or none).
decision_page list_pg(pg_conn& db, const decision_filter& f) {
  const auto resume = resume_of(f);
  std::optional<std::int64_t> after_ms = f.after_ms;
  std::string after_id = resume.id;
  bool within = resume.within;
  decision_page page;
  for (;;) {
    std::string sql =
        std::string("SELECT ") + decision_columns + (f.with_result ? ", result" : "") + " FROM decisions WHERE true";
    std::vector<std::string> params;
    const auto add = [&](const std::string& condition, std::vector<std::string> values) {
      std::string c = condition;
      for (auto& v : values) {
        params.push_back(std::move(v));
        const auto at = c.find('?');
        c.replace(at, 1, "$" + std::to_string(params.size()));
      }
      sql += " AND " + c;
    };
    if (f.since_ms) add("time_ms >= ?", {std::to_string(*f.since_ms)});
    if (f.until_ms) add("time_ms < ?", {std::to_string(*f.until_ms)});
    if (!f.outcome.empty()) {
      add("(outcome = ? OR (batch_size > 0 AND strpos(outcomes, ?) > 0))",
          {f.outcome, std::string(1, outcome_letter(f.outcome))});
    }
    if (!f.org.empty()) add("org = ?", {f.org});
    if (!f.rule.empty()) add("rules @> ARRAY[?::text]", {f.rule});
    if (after_ms) {
      add(within ? "(time_ms, id) >= (?::bigint, ?::text)" : "(time_ms, id) > (?::bigint, ?::text)",
          {std::to_string(*after_ms), after_id});
    }
    sql += " ORDER BY time_ms, id LIMIT " + std::to_string(f.limit + 1);
    const auto r = db.exec(sql.c_str(), params);
    const int n = PQntuples(r.get());
    for (int i = 0; i < n; ++i) {
      auto d = record_of(r, i, f.with_result);
      const bool at_cursor = within && d.id == after_id;
      if (d.batch_size > 0) {
        if (!expand_batch(d, f, at_cursor ? resume.from : 0, page)) return page;
        continue;
      }
      if (at_cursor) continue;
      if (page.rows.size() == f.limit) {
        page.more = true;
        return page;
      }
      page.rows.push_back(std::move(d));
    }
    if (static_cast<std::size_t>(n) <= f.limit) return page;
    after_ms = number(r, n - 1, 1);
    after_id = value(r, n - 1, 0);
    within = false;
  }
}

std::optional<decision_record> find_pg(pg_conn& db, const std::string& id) {
  std::string base;
  std::size_t index = 0;
  const bool in_batch = split_batch_id(id, base, index);
  const auto r = db.exec((std::string("SELECT ") + decision_columns + ", result FROM decisions WHERE id = $1").c_str(),
                         {in_batch ? base : id});
  if (PQntuples(r.get()) == 0) return std::nullopt;
  auto d = record_of(r, 0, true);
  if (in_batch) return batch_decision(d, index);
  if (d.batch_size > 0) return std::nullopt;  // a batch's own id names no one decision
  return d;
}

class pg_log_reader final : public decision_reader {
 public:
  explicit pg_log_reader(const std::string& url) : db_(url) {}
  std::optional<decision_record> find(const std::string& id) override { return find_pg(db_, id); }
  decision_page list(const decision_filter& f) override { return list_pg(db_, f); }

 private:
  pg_conn db_;
};

// Rows chained after (seq, hash): the last seq and hash, and the rows as one
// JSON array for json_to_recordset.
struct chained_rows {
  std::int64_t seq;
  std::string hash, batch;
};
chained_rows chained(const std::vector<const decision_record*>& rows, std::int64_t seq, std::string hash) {
  json batch = json::array();
  for (const auto* r : rows) {
    ++seq;
    std::string row = chain_hash(hash, seq, *r);
    batch.push_back({{"seq", seq},
                     {"id", r->id},
                     {"time_ms", r->time_ms},
                     {"ruleset", r->ruleset},
                     {"ruleset_hash", r->ruleset_hash},
                     {"org", r->org},
                     {"org_version", r->org_version},
                     {"org_hash", r->org_hash},
                     {"outcome", r->outcome},
                     {"query", r->query},
                     {"result", r->result},
                     {"prev_hash", hash},
                     {"row_hash", row},
                     {"rules", r->rules},
                     {"batch_size", r->batch_size > 0 ? json(r->batch_size) : json(nullptr)},
                     {"outcomes", r->batch_size > 0 ? json(r->outcomes) : json(nullptr)},
                     {"batch", r->batch_size > 0 ? json(r->batch) : json(nullptr)}});
    hash = std::move(row);
  }
  return {seq, std::move(hash), batch.dump(-1, ' ', false, json::error_handler_t::replace)};
}

class pg_decision_log final : public decision_log {
 public:
  pg_decision_log(const std::string& url, log_options options) : options_(options), write_db_(url), read_db_(url) {
    migrate(write_db_);
    if (options_.retention_days > 0 || options_.max_rows > 0) exclusive([this] { return prune(); });
    retention_ = std::thread([this] {
      while (sleep_for(std::chrono::seconds(30))) {
        if (options_.retention_days > 0 || options_.max_rows > 0) exclusive([this] { return prune(); });
      }
    });
  }
  ~pg_decision_log() override {
    stop();
    retention_.join();
  }
  pg_decision_log(const pg_decision_log&) = delete;
  pg_decision_log& operator=(const pg_decision_log&) = delete;

  std::optional<decision_record> find(const std::string& id) override {
    std::lock_guard lock(read_mutex_);
    return find_pg(read_db_, id);
  }
  decision_page list(const decision_filter& f) override {
    std::lock_guard lock(read_mutex_);
    return list_pg(read_db_, f);
  }

 protected:
  // A group is chained after the log's end (chain_head) and inserted in one
  // transaction that moves the end. Two ways, chosen by whether another
  // replica wrote since this one's last group:
  // - alone: one statement, its own transaction, moves the end from where
  //   this replica left it and inserts the rows chained after that: one
  //   round trip. If another replica has moved the end meanwhile, the UPDATE
  //   (after waiting for that commit) matches nothing, nothing is inserted,
  //   and the group goes the second way.
  // - shared: BEGIN, lock the end (SELECT … FOR UPDATE: the replicas' commits
  //   queue here in turn), insert, move it, COMMIT: three round trips.
  // Either way the commits of every replica form one sequence, and the
  // answer waits for COMMIT, which with synchronous_commit on (the default)
  // returns after the WAL is flushed: an acknowledged decision is durable.
  void write_group(const std::vector<const decision_record*>& rows) override {
    try {
      if (alone_ && head_known_) {
        const auto [seq, hash, batch] = chained(rows, head_seq_, head_hash_);
        const auto moved = write_db_.exec(
            "WITH moved AS (UPDATE chain_head SET seq = $4, hash = $5 WHERE seq = $2 AND hash = $3 RETURNING 1),"
            " added AS (INSERT INTO decisions (seq, id, time_ms, ruleset, ruleset_hash, org, org_version, org_hash,"
            " outcome, query, result, prev_hash, row_hash, rules, batch_size, outcomes, batch) SELECT x.* FROM "
            "json_to_recordset($1::json) AS x"
            " (seq bigint, id text, time_ms bigint, ruleset text, ruleset_hash text, org text, org_version bigint,"
            " org_hash text, outcome text, query text, result text, prev_hash text, row_hash text, rules text[],"
            " batch_size bigint, outcomes text, batch text)"
            " CROSS JOIN moved)"
            " SELECT COUNT(*) FROM moved",
            {batch, std::to_string(head_seq_), head_hash_, std::to_string(seq), hash});
        if (number(moved, 0, 0) == 1) {
          head_seq_ = seq;
          head_hash_ = hash;
          return;
        }
        alone_ = false;
      }
      const auto head = write_db_.exec("BEGIN; SELECT seq, hash FROM chain_head FOR UPDATE");
      const std::int64_t start = number(head, 0, 0);
      const std::string start_hash = value(head, 0, 1);
      // Nobody wrote since this replica's last group: the next one goes the short way.
      alone_ = head_known_ && start == head_seq_ && start_hash == head_hash_;
      const auto [seq, hash, batch] = chained(rows, start, start_hash);
      write_db_.exec(
          "WITH added AS (INSERT INTO decisions (seq, id, time_ms, ruleset, ruleset_hash, org, org_version, org_hash,"
          " outcome, query, result, prev_hash, row_hash, rules, batch_size, outcomes, batch) SELECT * FROM "
          "json_to_recordset($1::json) AS x"
          " (seq bigint, id text, time_ms bigint, ruleset text, ruleset_hash text, org text, org_version bigint,"
          " org_hash text, outcome text, query text, result text, prev_hash text, row_hash text, rules text[],"
          " batch_size bigint, outcomes text, batch text))"
          " UPDATE chain_head SET seq = $2, hash = $3",
          {batch, std::to_string(seq), hash});
      write_db_.exec("COMMIT");
      head_seq_ = seq;
      head_hash_ = hash;
      head_known_ = true;
    } catch (...) {
      head_known_ = false;  // committed or not: the end is read again
      alone_ = false;
      write_db_.rollback();
      throw;
    }
  }

 private:
  std::uint64_t prune() {
    try {
      std::uint64_t removed = 0;
      if (options_.retention_days > 0) {
        const auto r = write_db_.exec("DELETE FROM decisions WHERE time_ms < $1",
                                      {std::to_string(now_ms() - std::int64_t{options_.retention_days} * 86'400'000)});
        removed += std::stoull(PQcmdTuples(r.get()));
      }
      if (options_.max_rows > 0) {
        const auto r = write_db_.exec(
            "DELETE FROM decisions WHERE seq <= (SELECT seq FROM decisions ORDER BY seq DESC LIMIT 1 OFFSET $1)",
            {std::to_string(options_.max_rows)});
        removed += std::stoull(PQcmdTuples(r.get()));
      }
      return removed;
    } catch (const std::exception&) {
      return 0;  // best effort: the next round
    }
  }

  log_options options_;
  pg_conn write_db_;
  // The chain's end as this replica left it, and whether no other replica
  // wrote before its last group (used by the committing thread only).
  bool head_known_ = false, alone_ = false;
  std::int64_t head_seq_ = 0;
  std::string head_hash_;
  std::mutex read_mutex_;
  pg_conn read_db_;
  std::thread retention_;
};

}  // namespace

std::unique_ptr<org_store> open_pg_org_store(const std::string& url, org_quota quota) {
  return std::make_unique<pg_org_store>(url, quota);
}

std::unique_ptr<decision_log> open_pg_decision_log(const std::string& url, log_options options) {
  return std::make_unique<pg_decision_log>(url, options);
}

std::unique_ptr<decision_reader> open_pg_log_reader(const std::string& url) {
  return std::make_unique<pg_log_reader>(url);
}

std::vector<std::string> migrate_pg(const std::string& url) {
  pg_conn db(url);
  return migrate(db);
}

log_verification verify_pg_log(const std::string& url) {
  pg_conn db(url);
  log_verification out;
  chain_checker check(out);
  // A page at a time, in seq order: the whole log never sits in memory.
  std::int64_t after = 0;
  for (;;) {
    const auto r = db.exec(
        "SELECT id, time_ms, ruleset, ruleset_hash, org, org_version, org_hash, outcome, query, result, seq,"
        " prev_hash, row_hash, batch_size, outcomes, batch FROM decisions WHERE seq > $1 ORDER BY seq LIMIT 1000",
        {std::to_string(after)});
    const int n = PQntuples(r.get());
    for (int i = 0; i < n; ++i) {
      decision_record d{value(r, i, 0),
                        number(r, i, 1),
                        value(r, i, 2),
                        value(r, i, 3),
                        value(r, i, 4),
                        value(r, i, 6),
                        number(r, i, 5),
                        value(r, i, 7),
                        value(r, i, 8),
                        value(r, i, 9),
                        {}};
      if (!PQgetisnull(r.get(), i, 13)) {
        d.batch_size = number(r, i, 13);
        d.outcomes = value(r, i, 14);
        d.batch = value(r, i, 15);
      }
      after = number(r, i, 10);
      check.row(d, after, value(r, i, 11), value(r, i, 12));
    }
    if (n < 1000) break;
  }
  check.finish();
  // The chain's end is kept apart from the rows: rows removed from the end show against it.
  const auto head = db.exec("SELECT seq, hash FROM chain_head");
  if (out.rows > 0 && (number(head, 0, 0) != out.last_seq || value(head, 0, 1) != out.last_hash)) {
    out.problems.push_back("the chain ends at row " + value(head, 0, 0) + ", but the last row is " +
                           std::to_string(out.last_seq) + ": rows were removed from the end or changed");
  }
  return out;
}

}  // namespace perwal::server
