#include "server/store.hpp"

#include <cstdio>
#include <random>

#include "server/digest.hpp"

namespace perwal::server {

namespace {

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

// ---- sqlite helpers -----------------------------------------------------------

sqlite_db::sqlite_db(const std::filesystem::path& file, bool full_sync) : name_(file.string()) {
  if (sqlite3_open_v2(name_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    const std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw store_error(name_ + ": cannot open: " + why);
  }
  try {
    // Writers of another connection may hold the lock for one commit; wait for it.
    sqlite3_busy_timeout(db_, 10000);
    exec("PRAGMA journal_mode=WAL");
    exec(full_sync ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
  } catch (...) {
    sqlite3_close_v2(db_);
    throw;
  }
}

sqlite_db::~sqlite_db() {
  sqlite3_close_v2(db_);
}

void sqlite_db::exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    const std::string why = err ? err : "unknown error";
    sqlite3_free(err);
    throw store_error(name_ + ": " + why);
  }
}

void sqlite_db::fail(const std::string& what) const {
  throw store_error(name_ + ": " + what + ": " + sqlite3_errmsg(db_));
}

statement::statement(sqlite_db& db, const char* sql) : db_(db) {
  if (sqlite3_prepare_v2(db.handle(), sql, -1, &stmt_, nullptr) != SQLITE_OK) db.fail("prepare");
}

statement::~statement() {
  sqlite3_finalize(stmt_);
}

statement& statement::bind(int i, const std::string& text) {
  sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

statement& statement::bind(int i, std::int64_t value) {
  sqlite3_bind_int64(stmt_, i, value);
  return *this;
}

bool statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  sqlite3_reset(stmt_);
  db_.fail("step");
}

void statement::run() {
  while (step()) {
  }
  reset();
}

void statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string statement::text(int column) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))) : std::string();
}

std::int64_t statement::integer(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

// ---- orgs -------------------------------------------------------------------

org_store::org_store(const std::filesystem::path& file, bool full_sync, org_quota quota)
    : db_(file, full_sync), quota_(quota) {
  db_.exec(
      "CREATE TABLE IF NOT EXISTS orgs ("
      " id TEXT NOT NULL, version INTEGER NOT NULL, created_ms INTEGER NOT NULL,"
      " hash TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (id, version))");
}

stored_org org_store::put(const std::string& id, const std::string& body, const std::string& hash) {
  std::lock_guard lock(mutex_);
  db_.exec("BEGIN IMMEDIATE");
  try {
    statement last(db_, "SELECT COALESCE(MAX(version), 0) FROM orgs WHERE id = ?1");
    last.bind(1, id);
    last.step();
    stored_org o{id, last.integer(0) + 1, now_ms(), hash, body};
    last.reset();
    statement usage(db_, "SELECT COUNT(DISTINCT id), COALESCE(SUM(LENGTH(CAST(body AS BLOB))), 0) FROM orgs");
    usage.step();
    const std::int64_t ids = usage.integer(0), bytes = usage.integer(1);
    usage.reset();
    if (o.version == 1 && ids >= quota_.max_orgs) {
      throw quota_exceeded(std::to_string(ids) + " orgs are stored, the most this server keeps (--max-orgs " +
                           std::to_string(quota_.max_orgs) + ")");
    }
    // versions that this one pushes out of the quota
    const std::int64_t oldest_kept = o.version - quota_.max_versions + 1;
    statement dropped(db_,
                      "SELECT COALESCE(SUM(LENGTH(CAST(body AS BLOB))), 0) FROM orgs WHERE id = ?1 AND version < ?2");
    dropped.bind(1, id).bind(2, oldest_kept);
    dropped.step();
    const std::int64_t freed = dropped.integer(0);
    dropped.reset();
    const auto size = static_cast<std::int64_t>(body.size());
    if (bytes - freed + size > quota_.max_bytes) {
      throw quota_exceeded("storing " + std::to_string(size) + " more bytes would pass the store's " +
                           std::to_string(quota_.max_bytes) + " bytes (--max-store-bytes); " +
                           std::to_string(bytes - freed) + " are kept");
    }
    statement insert(db_, "INSERT INTO orgs (id, version, created_ms, hash, body) VALUES (?1, ?2, ?3, ?4, ?5)");
    insert.bind(1, o.id).bind(2, o.version).bind(3, o.created_ms).bind(4, o.hash).bind(5, o.body).run();
    statement prune(db_, "DELETE FROM orgs WHERE id = ?1 AND version < ?2");
    prune.bind(1, id).bind(2, oldest_kept).run();
    db_.exec("COMMIT");
    return o;
  } catch (...) {
    sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

std::vector<stored_org> org_store::latest() {
  std::lock_guard lock(mutex_);
  statement q(db_,
              "SELECT id, version, created_ms, hash, body FROM orgs o WHERE version = "
              "(SELECT MAX(version) FROM orgs WHERE id = o.id) ORDER BY id");
  std::vector<stored_org> out;
  while (q.step()) out.push_back({q.text(0), q.integer(1), q.integer(2), q.text(3), q.text(4)});
  return out;
}

std::optional<stored_org> org_store::get(const std::string& id, std::int64_t version) {
  std::lock_guard lock(mutex_);
  statement q(db_,
              "SELECT id, version, created_ms, hash, body FROM orgs WHERE id = ?1 AND "
              "version = CASE WHEN ?2 > 0 THEN ?2 ELSE (SELECT MAX(version) FROM orgs WHERE id = ?1) END");
  q.bind(1, id).bind(2, version);
  if (!q.step()) return std::nullopt;
  return stored_org{q.text(0), q.integer(1), q.integer(2), q.text(3), q.text(4)};
}

// ---- decision log -------------------------------------------------------------

// Records of one append() call and whether their group committed; lives on
// the caller's stack until `done`.
struct decision_log::pending {
  std::vector<decision_record> records;
  bool done = false;
  std::string error;  // empty when committed
  std::condition_variable wake;
};

namespace {

bool has_column(sqlite_db& db, const char* table, const char* column) {
  statement q(db, (std::string("SELECT 1 FROM pragma_table_info('") + table + "') WHERE name = ?1").c_str());
  q.bind(1, std::string(column));
  return q.step();
}

sqlite_db& with_decision_schema(sqlite_db& db) {
  db.exec(
      "CREATE TABLE IF NOT EXISTS decisions ("
      " id TEXT PRIMARY KEY, time_ms INTEGER NOT NULL, ruleset TEXT NOT NULL, ruleset_hash TEXT NOT NULL,"
      " org TEXT NOT NULL, org_version INTEGER NOT NULL, org_hash TEXT NOT NULL, outcome TEXT NOT NULL,"
      " query TEXT NOT NULL, result TEXT NOT NULL, seq INTEGER, prev_hash TEXT, row_hash TEXT) WITHOUT ROWID");
  // A log from before the hash chain gains its columns; its old rows stay unchained.
  if (!has_column(db, "decisions", "seq")) {
    db.exec("ALTER TABLE decisions ADD COLUMN seq INTEGER");
    db.exec("ALTER TABLE decisions ADD COLUMN prev_hash TEXT");
    db.exec("ALTER TABLE decisions ADD COLUMN row_hash TEXT");
  }
  db.exec("CREATE INDEX IF NOT EXISTS decisions_time ON decisions (time_ms)");
  db.exec("CREATE UNIQUE INDEX IF NOT EXISTS decisions_seq ON decisions (seq)");
  return db;
}

void add_field(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
}

}  // namespace

std::string chain_hash(const std::string& previous, std::int64_t seq, const decision_record& r) {
  std::string all;
  for (const std::string_view f :
       {std::string_view(previous), std::string_view(r.id), std::string_view(r.ruleset),
        std::string_view(r.ruleset_hash), std::string_view(r.org), std::string_view(r.org_hash),
        std::string_view(r.outcome), std::string_view(r.query), std::string_view(r.result)}) {
    add_field(all, f);
  }
  for (const std::int64_t n : {seq, r.time_ms, r.org_version}) add_field(all, std::to_string(n));
  return sha256_hex(all);
}

decision_log::decision_log(const std::filesystem::path& file, log_options options)
    : options_(options), write_db_(file, options.full_sync), read_db_(file, options.full_sync) {
  with_decision_schema(write_db_);
  insert_ = std::make_unique<statement>(
      write_db_,
      "INSERT INTO decisions (id, time_ms, ruleset, ruleset_hash, org, org_version, org_hash, outcome, query, result,"
      " seq, prev_hash, row_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
  statement end(write_db_, "SELECT seq, row_hash FROM decisions WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1");
  if (end.step()) {
    last_seq_ = end.integer(0);
    last_hash_ = end.text(1);
  }
  std::random_device rd;
  nonce_ = rd();
  prune();
  retention_ = std::thread([this] { retention_loop(); });
}

decision_log::~decision_log() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_retention_.notify_one();
  retention_.join();
}

std::vector<std::string> decision_log::next_ids(std::size_t n) {
  std::uint64_t first = 0;
  {
    std::lock_guard lock(mutex_);
    first = counter_ + 1;
    counter_ += n;
  }
  // Time first, so ids sort by time and inserts append to the primary key;
  // a random per-process nonce keeps ids of processes started together (replicas) apart.
  const auto ms = static_cast<unsigned long long>(now_ms());
  std::vector<std::string> ids;
  ids.reserve(n);
  char buf[64];
  for (std::size_t i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof buf, "%011llx-%08x-%06llx", ms, nonce_, static_cast<unsigned long long>(first + i));
    ids.emplace_back(buf);
  }
  return ids;
}

void decision_log::append(std::vector<decision_record> records) {
  pending mine;
  mine.records = std::move(records);
  std::unique_lock lock(mutex_);
  if (stopping_) throw store_error("the decision log is closed");
  queue_.push_back(&mine);
  // Whoever finds the database free commits everything queued; the others
  // sleep until their group is done. Each thread wakes once, not on every commit.
  while (!mine.done) {
    if (!busy_) {
      lead(lock);
    } else {
      mine.wake.wait(lock);
    }
  }
  if (!mine.error.empty()) throw store_error(mine.error);
}

void decision_log::lead(std::unique_lock<std::mutex>& lock) {
  busy_ = true;
  std::vector<pending*> group;
  group.swap(queue_);
  lock.unlock();
  commit(group);
  lock.lock();
  for (auto* p : group) {
    p->done = true;
    p->wake.notify_one();
  }
  hand_over();
}

// Frees the database (mutex_ held) and wakes the first queued append, which leads the next group.
void decision_log::hand_over() {
  busy_ = false;
  if (!queue_.empty()) queue_.front()->wake.notify_one();
}

void decision_log::retention_loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_retention_.wait_for(lock, std::chrono::seconds(30), [&] { return stopping_; });
    if (stopping_ || (options_.retention_days == 0 && options_.max_rows == 0)) continue;
    if (busy_) continue;  // under load: the next round
    busy_ = true;
    lock.unlock();
    prune();
    lock.lock();
    hand_over();
  }
}

void decision_log::commit(const std::vector<pending*>& group) {
  const std::int64_t chain_seq = last_seq_;
  std::string chain_hash_before = last_hash_;
  try {
    write_db_.exec("BEGIN");
    auto& insert = *insert_;
    for (const auto* p : group) {
      for (const auto& r : p->records) {
        const std::int64_t seq = last_seq_ + 1;
        std::string row = chain_hash(last_hash_, seq, r);
        insert.bind(1, r.id).bind(2, r.time_ms).bind(3, r.ruleset).bind(4, r.ruleset_hash).bind(5, r.org);
        insert.bind(6, r.org_version).bind(7, r.org_hash).bind(8, r.outcome).bind(9, r.query).bind(10, r.result);
        insert.bind(11, seq).bind(12, last_hash_).bind(13, row);
        insert.run();
        last_seq_ = seq;
        last_hash_ = std::move(row);
      }
    }
    write_db_.exec("COMMIT");
  } catch (const store_error& e) {
    insert_->reset();
    sqlite3_exec(write_db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    last_seq_ = chain_seq;  // the chain ends at the last committed row again
    last_hash_ = std::move(chain_hash_before);
    for (auto* p : group) p->error = e.what();
  }
}

void decision_log::prune() {
  try {
    std::int64_t removed = 0;
    if (options_.retention_days > 0) {
      statement del(write_db_, "DELETE FROM decisions WHERE time_ms < ?1");
      del.bind(1, now_ms() - std::int64_t{options_.retention_days} * 86'400'000).run();
      removed += sqlite3_changes(write_db_.handle());
    }
    if (options_.max_rows > 0) {
      statement del(write_db_,
                    "DELETE FROM decisions WHERE time_ms < (SELECT time_ms FROM decisions ORDER BY time_ms DESC "
                    "LIMIT 1 OFFSET ?1)");
      del.bind(1, options_.max_rows - 1).run();
      removed += sqlite3_changes(write_db_.handle());
    }
    std::lock_guard lock(mutex_);
    pruned_ += static_cast<std::uint64_t>(removed);
  } catch (const store_error&) {
    // Retention is best effort: a busy database is pruned on the next round.
  }
}

std::uint64_t decision_log::pruned() const {
  std::lock_guard lock(mutex_);
  return pruned_;
}

std::optional<decision_record> decision_log::find(const std::string& id) {
  std::lock_guard lock(read_mutex_);
  statement q(read_db_,
              "SELECT id, time_ms, ruleset, ruleset_hash, org, org_version, org_hash, outcome, query, result "
              "FROM decisions WHERE id = ?1");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  decision_record r{q.text(0), q.integer(1), q.text(2), q.text(3), q.text(4),
                    q.text(6), q.integer(5), q.text(7), q.text(8), q.text(9)};
  return r;
}

log_verification verify_decision_log(const std::filesystem::path& file) {
  if (!std::filesystem::is_regular_file(file)) throw store_error(file.string() + ": no decision log here");
  sqlite3* raw = nullptr;
  if (sqlite3_open_v2(file.string().c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    const std::string why = raw ? sqlite3_errmsg(raw) : "out of memory";
    sqlite3_close(raw);
    throw store_error(file.string() + ": cannot open: " + why);
  }
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> db(raw, sqlite3_close);
  log_verification out;
  const auto run = [&](const char* sql, auto&& each) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db.get(), sql, -1, &st, nullptr) != SQLITE_OK) {
      throw store_error(file.string() + ": not a decision log: " + sqlite3_errmsg(db.get()));
    }
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> guard(st, sqlite3_finalize);
    int rc = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) each(st);
    if (rc != SQLITE_DONE) throw store_error(file.string() + ": " + sqlite3_errmsg(db.get()));
  };
  const auto text = [](sqlite3_stmt* st, int i) {
    const auto* p = sqlite3_column_text(st, i);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(st, i)))
             : std::string();
  };
  run("SELECT COUNT(*) FROM decisions WHERE seq IS NULL",
      [&](sqlite3_stmt* st) { out.unchained = sqlite3_column_int64(st, 0); });
  std::int64_t previous_seq = 0;
  std::string previous_hash;
  run("SELECT id, time_ms, ruleset, ruleset_hash, org, org_version, org_hash, outcome, query, result, seq, prev_hash,"
      " row_hash FROM decisions WHERE seq IS NOT NULL ORDER BY seq",
      [&](sqlite3_stmt* st) {
        const decision_record r{text(st, 0), sqlite3_column_int64(st, 1), text(st, 2), text(st, 3), text(st, 4),
                                text(st, 6), sqlite3_column_int64(st, 5), text(st, 7), text(st, 8), text(st, 9)};
        const std::int64_t seq = sqlite3_column_int64(st, 10);
        const std::string prev = text(st, 11), row = text(st, 12);
        const std::string where = "row " + std::to_string(seq) + " (decision " + r.id + ")";
        if (chain_hash(prev, seq, r) != row) out.problems.push_back(where + ": its contents do not match its hash");
        if (out.rows > 0) {
          if (seq != previous_seq + 1) {
            out.problems.push_back("rows " + std::to_string(previous_seq + 1) + " to " + std::to_string(seq - 1) +
                                   " are missing");
          }
          if (prev != previous_hash) out.problems.push_back(where + ": does not follow the row before it");
        } else {
          out.first_seq = seq;
        }
        ++out.rows;
        previous_seq = seq;
        previous_hash = row;
      });
  out.last_seq = previous_seq;
  out.last_hash = previous_hash;
  return out;
}

}  // namespace perwal::server
