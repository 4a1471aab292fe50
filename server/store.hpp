// Durable state of `perwal serve`: uploaded orgs (every version kept) and the
// decision log, behind two interfaces with two backends each. SQLite (the
// default) keeps them in embedded databases under the data directory, in WAL
// mode; PostgreSQL (--store postgresql://…) keeps them in one database that
// several replicas share, and tells every replica of a new org version or a
// reload (LISTEN/NOTIFY). Both decision logs commit in groups (the first
// waiting request commits for everyone queued behind it) so that many
// concurrent requests share one transaction and one fsync, and both chain
// every row to the one before it by hash.
#pragma once

#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace perwal::server {

// A store failure (open, schema, write, a lost database connection); the
// message names the database. The API answers it with 503.
struct store_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One SQLite connection; closed on destruction.
class sqlite_db {
 public:
  sqlite_db(const std::filesystem::path& file, bool full_sync, bool read_only = false);
  ~sqlite_db();
  sqlite_db(const sqlite_db&) = delete;
  sqlite_db& operator=(const sqlite_db&) = delete;

  void exec(const char* sql);
  [[nodiscard]] sqlite3* handle() const { return db_; }
  [[nodiscard]] const std::string& name() const { return name_; }
  [[noreturn]] void fail(const std::string& what) const;

 private:
  sqlite3* db_ = nullptr;
  std::string name_;
};

// A prepared statement, reset after each use.
class statement {
 public:
  statement(sqlite_db& db, const char* sql);
  ~statement();
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;

  statement& bind(int i, const std::string& text);
  statement& bind(int i, std::int64_t value);
  bool step();  // true while a row is available
  void run();   // a statement without rows
  void reset();
  [[nodiscard]] std::string text(int column) const;
  [[nodiscard]] std::int64_t integer(int column) const;

 private:
  sqlite_db& db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// Times in the log are milliseconds since 1970 (UTC). The API and the CLI
// write them as "2026-12-05T08:30:00.000Z" and read a date ("2026-12-05",
// midnight UTC) or a date and time with Z or an offset ("…T08:30:00+07:00").
[[nodiscard]] std::string time_text(std::int64_t ms);
[[nodiscard]] std::optional<std::int64_t> parse_time(std::string_view text);

// ---- orgs -------------------------------------------------------------------

struct stored_org {
  std::string id;
  std::int64_t version = 0;
  std::int64_t created_ms = 0;
  std::string hash;
  std::string body;  // the perwal-org/1 document as uploaded
};

// How much the org store keeps: org ids, versions per id (older ones are
// removed), and the bytes of every version kept.
struct org_quota {
  std::int64_t max_orgs = 100;
  std::int64_t max_versions = 10;
  std::int64_t max_bytes = std::int64_t{1} << 30;
};

// An upload the quota does not allow (nothing was stored).
struct quota_exceeded : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// What another replica changed in a shared store.
struct store_change {
  enum class kind : std::uint8_t {
    org,     // a new version of `org` (the latest may be newer still); no org: any of them
    reload,  // a replica reloaded its rulesets: reload too
    resync,  // the watch was interrupted and a reload was missed: build everything again
  };
  kind what = kind::org;
  std::string org;
  std::int64_t version = 0;
};

// A running watch; stops (and joins its thread) when destroyed.
class store_watch {
 public:
  virtual ~store_watch() = default;
};

// Uploaded orgs; each upload adds a version. Thread-safe.
class org_store {
 public:
  virtual ~org_store() = default;
  // Stores a new version of `id` and returns it (durable when this returns),
  // removing versions beyond the quota; throws quota_exceeded when a new id
  // or the bytes would go over it.
  [[nodiscard]] virtual stored_org put(const std::string& id, const std::string& body, const std::string& hash) = 0;
  // The latest version of each org.
  [[nodiscard]] virtual std::vector<stored_org> latest() = 0;
  // One version (0: the latest), or nullopt.
  [[nodiscard]] virtual std::optional<stored_org> get(const std::string& id, std::int64_t version) = 0;
  // A shared store tells the other replicas that this one reloaded (a store
  // of one server has no one to tell).
  virtual void announce_reload() {}
  // A shared store calls `on_change` (on a thread of its own) whenever another
  // replica stores an org version or reloads; nullptr when nothing is shared.
  [[nodiscard]] virtual std::unique_ptr<store_watch> watch(std::function<void(const store_change&)> /*on_change*/) {
    return nullptr;
  }
};

class sqlite_org_store final : public org_store {
 public:
  sqlite_org_store(const std::filesystem::path& file, bool full_sync, org_quota quota = {});
  [[nodiscard]] stored_org put(const std::string& id, const std::string& body, const std::string& hash) override;
  [[nodiscard]] std::vector<stored_org> latest() override;
  [[nodiscard]] std::optional<stored_org> get(const std::string& id, std::int64_t version) override;

 private:
  std::mutex mutex_;
  sqlite_db db_;
  org_quota quota_;
};

// ---- decision log -------------------------------------------------------------

struct decision_record {
  std::string id;
  std::int64_t time_ms = 0;
  std::string ruleset, ruleset_hash;
  std::string org, org_hash;
  std::int64_t org_version = 0;
  std::string outcome;
  std::string query;   // JSON text
  std::string result;  // JSON text (the decision as returned)
  // The rule ids the result cites (violations, warnings, needs, next), for
  // the listing's ?rule=. Derived from `result`, so not part of the hash.
  std::vector<std::string> rules;
  // A batch record (batch_size > 0) logs a whole POST /v1/check batch in one
  // row: `query` is the request body as received, `result` is empty, the
  // ruleset fields hold the rulesets used (several: joined by U+001F),
  // `outcome` is "batch", `rules` every rule any of its decisions cites,
  // `outcomes` one letter per decision (a, d, i) and `batch` the rest
  // (batch_detail). Its decisions are "ID/0" … "ID/n-1".
  std::int64_t batch_size = 0;
  std::string outcomes{};
  std::string batch{};
  // A decision read out of a batch record: the options it was rendered with
  // ("lang=id trace=0 quote=0"); its result was not logged (empty) and is
  // evaluated again when asked for. Empty for a row of its own.
  std::string batch_options{};
};

// The per-decision part of a batch record, kept as text in its `batch`
// column: "OPTIONS\nRULES\nDECISIONS" where RULES are the rule ids cited
// (U+001F between them) and DECISIONS one entry per decision, comma-separated:
// "R:I.I…" (R the index of its ruleset, each I the index of a rule it cites).
struct batch_detail {
  std::string options;
  std::vector<std::string> rules;
  struct item {
    std::size_t ruleset = 0;
    std::vector<std::size_t> rules;
  };
  std::vector<item> items;
  [[nodiscard]] std::string encode() const;
  // nullopt when `text` is not one.
  [[nodiscard]] static std::optional<batch_detail> decode(std::string_view text);
};
// The letter a batch record keeps for an outcome ('a', 'd', 'i'), and back.
[[nodiscard]] char outcome_letter(std::string_view outcome);
[[nodiscard]] std::string outcome_of_letter(char letter);
// Splits "ID/INDEX" (INDEX decimal without leading zeros); false otherwise.
[[nodiscard]] bool split_batch_id(std::string_view id, std::string& base, std::size_t& index);
// Shared by both backends' readers (decision_filter is below):
// decision `index` of batch record `b`, nullopt when it has no such decision.
[[nodiscard]] std::optional<decision_record> batch_decision(const decision_record& b, std::size_t index);

// The rule ids a decision's JSON cites: the "rule" of every violation,
// warning, need and next step, each once, sorted. Empty for text that is not
// a decision.
[[nodiscard]] std::vector<std::string> rules_cited(const std::string& result_json);

// A page of the log: rows in (time, id) order, from the cursor on.
struct decision_filter {
  std::optional<std::int64_t> since_ms;  // inclusive
  std::optional<std::int64_t> until_ms;  // exclusive
  std::string outcome, rule, org;        // empty: any
  std::size_t limit = 100;
  // Where the previous page ended: its last row's time and id.
  std::optional<std::int64_t> after_ms;
  std::string after_id;
  bool with_result = false;  // also read each row's result (the export)
};
struct decision_page {
  std::vector<decision_record> rows;
  bool more = false;  // rows follow the last one
};

// Adds to `page` the decisions of batch record `b` from index `from` on that
// pass `f` (outcome and rule; the row's time and org passed already), until
// the page holds f.limit rows and knows whether more follow. Returns false
// once the page is full.
bool expand_batch(const decision_record& b, const decision_filter& f, std::size_t from, decision_page& page);
// Where a listing resumes: after (after_ms, after_id) or, when after_id is a
// decision of a batch, at its batch row from the next index on.
struct resume_point {
  std::string id;        // compare rows with >= when `within` is set, > otherwise
  bool within = false;   // after_id was "ID/INDEX": resume inside batch ID
  std::size_t from = 0;  // its next index
};
[[nodiscard]] resume_point resume_of(const decision_filter& f);

// The opaque cursor of a page that has more: its last row's position.
[[nodiscard]] std::string page_cursor(const decision_record& last);
// Reads a cursor into `f` (after_ms, after_id); false when it is not one.
[[nodiscard]] bool read_cursor(const std::string& cursor, decision_filter& f);
// The most rows a page holds, whatever limit is asked.
inline constexpr std::size_t max_page_rows = 1000;

struct log_options {
  bool full_sync = true;      // SQLite synchronous=FULL: also survives power loss, costs an fsync per group commit
  int retention_days = 0;     // 0: keep every decision
  std::int64_t max_rows = 0;  // 0: no limit
};

// The hash that chains a row to the one before it: SHA-256 over the previous
// row's hash, the row's sequence number and every field, each length-prefixed
// (so no two rows can be written alike by moving text between fields).
[[nodiscard]] std::string chain_hash(const std::string& previous, std::int64_t seq, const decision_record& r);

// What `perwal log verify` found in a decision log.
struct log_verification {
  std::int64_t rows = 0;       // chained rows checked
  std::int64_t unchained = 0;  // rows written before the chain existed
  std::int64_t first_seq = 0, last_seq = 0;
  std::string last_hash;              // record it: removing the newest rows is only seen against it
  std::vector<std::string> problems;  // empty: intact
};
// Checks rows given in seq order, one call each (the part shared by both backends).
class chain_checker {
 public:
  explicit chain_checker(log_verification& out) : out_(out) {}
  void row(const decision_record& r, std::int64_t seq, const std::string& prev, const std::string& hash);
  void finish();

 private:
  log_verification& out_;
  std::int64_t previous_seq_ = 0;
  std::string previous_hash_;
};
// Reads the log at `file` (read-only) and checks every row's hash and its link
// to the row before. Throws store_error when the file cannot be read.
[[nodiscard]] log_verification verify_decision_log(const std::filesystem::path& file);

// Reads a decision log: one row by id, or a page.
class decision_reader {
 public:
  virtual ~decision_reader() = default;
  [[nodiscard]] virtual std::optional<decision_record> find(const std::string& id) = 0;
  [[nodiscard]] virtual decision_page list(const decision_filter& f) = 0;
};

// Append-only log of decisions. append() returns once the records are
// committed, so a decision returned to a client is already durable. Each row
// carries its sequence number, the previous row's hash and its own
// (chain_hash), so a changed, inserted or deleted row is detectable.
class decision_log : public decision_reader {
 public:
  decision_log();
  ~decision_log() override = default;
  decision_log(const decision_log&) = delete;
  decision_log& operator=(const decision_log&) = delete;

  // Blocks until `records` are committed in one transaction (possibly with
  // other callers' records). Throws store_error when the commit failed.
  // (An SQLite log at --log-sync normal: until they are in its journal.)
  virtual void append(std::vector<decision_record> records);
  // A new unique, time-ordered decision id; next_ids: `n` of them at once.
  [[nodiscard]] std::string next_id() { return next_ids(1).front(); }
  [[nodiscard]] std::vector<std::string> next_ids(std::size_t n);
  // Rows dropped by retention so far.
  [[nodiscard]] std::uint64_t pruned() const;

 protected:
  // Writes one group in one transaction, chained after the last committed
  // row; throws store_error (nothing of the group is then written). Called
  // by one thread at a time.
  virtual void write_group(const std::vector<const decision_record*>& rows) = 0;
  // Runs `fn` (retention) with the writer to itself, unless a commit is under
  // way (then false: try again later). Returns false once stopping.
  bool exclusive(const std::function<std::uint64_t()>& fn);
  // Waits up to `period` or until stop(); false once stopping.
  bool sleep_for(std::chrono::seconds period);
  // Refuses further appends and wakes sleep_for(); for derived destructors.
  void stop();

 private:
  struct pending;
  void lead(pending& self, std::unique_lock<std::mutex>& lock);
  pending* hand_over();

  mutable std::mutex mutex_;
  std::condition_variable wake_sleeper_;
  std::vector<pending*> queue_;  // appends waiting for the next commit
  bool busy_ = false;            // a thread is writing (a commit or retention)
  bool stopping_ = false;
  std::uint64_t pruned_ = 0;
  std::uint32_t nonce_ = 0;
  std::uint64_t counter_ = 0;  // guarded by mutex_
};

// Checkpoints a WAL database from a thread of its own, with a connection of
// its own: the committing thread no longer copies the WAL into the database
// (and, under synchronous=FULL, waits for that copy's fsync) once every
// ~1,000 pages. Under steady writes that copy always lags by the frames
// committed while it ran, and the WAL is reused from its start only once
// everything in it is copied: so at `inline_pages` the committing thread
// waits for a copy of the thread's still running, then copies the remainder
// itself, and the WAL stays bounded (by `inline_pages` and one commit) as
// with SQLite's own automatic checkpoint.
class wal_checkpointer {
 public:
  static constexpr int background_pages = 1000;  // SQLite's own automatic checkpoint's default
  static constexpr int inline_pages = 4000;
  // Takes over `writer`'s automatic checkpoint (its WAL hook).
  wal_checkpointer(sqlite_db& writer, const std::filesystem::path& file, bool full_sync);
  ~wal_checkpointer();  // gives the writer its automatic checkpoint back
  wal_checkpointer(const wal_checkpointer&) = delete;
  wal_checkpointer& operator=(const wal_checkpointer&) = delete;
  // Checkpoints run so far: by the thread, and by the committing thread past the bound.
  [[nodiscard]] std::uint64_t background() const { return background_; }
  [[nodiscard]] std::uint64_t inline_runs() const { return inline_; }

 private:
  static int on_commit(void* self, sqlite3* db, const char* schema, int pages);
  void run();

  sqlite_db& writer_;
  sqlite_db db_;
  std::mutex copying_;  // held by whoever is checkpointing
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;                // guarded by mutex_
  std::atomic<bool> wanted_{false};  // a checkpoint is asked for and not yet begun
  std::atomic<std::uint64_t> background_{0}, inline_{0};
  std::thread thread_;
};

class journal_file;

// At --log-sync normal (kill -9 safe, not power-loss safe) an append goes to
// the journal next to the database (`decisions.db.pending`,
// server/journal.hpp) with one write() by the request's own thread, and a
// thread of the log's own copies the journal into the database in large
// transactions: no request waits for another's commit. Reads first wait
// until everything answered is in the database; the next open copies in
// what a killed process left in the journal. At FULL, appends commit in
// groups as decision_log does (each group's fsync before the answer).
class sqlite_decision_log final : public decision_log {
 public:
  sqlite_decision_log(const std::filesystem::path& file, log_options options);
  ~sqlite_decision_log() override;  // copies the journal in, stops retention; every append() has returned by then
  [[nodiscard]] const wal_checkpointer& checkpointer() const { return checkpointer_; }

  void append(std::vector<decision_record> records) override;
  [[nodiscard]] std::optional<decision_record> find(const std::string& id) override;
  [[nodiscard]] decision_page list(const decision_filter& f) override;
  // Returns once every record appended so far is in the database (at once at FULL).
  void flush();
  // The journal's file, next to the database.
  [[nodiscard]] static std::filesystem::path journal_path(const std::filesystem::path& file);

  // The journal's bounds: what one transaction copies (so the WAL stays
  // within wal_checkpointer's bound plus one such commit), and how much
  // may wait in memory before appends wait for the copy.
  static constexpr std::size_t max_commit_rows = 4096, max_commit_bytes = 128 << 10;
  static constexpr std::size_t max_pending_bytes = std::size_t{64} << 20;

 protected:
  void write_group(const std::vector<const decision_record*>& rows) override;

 private:
  std::uint64_t prune();
  void recover_journal();
  void drain_journal();  // the copying thread

  log_options options_;
  std::mutex writer_mutex_;  // write_db_ to one of the copying thread and retention at a time
  sqlite_db write_db_;
  std::unique_ptr<statement> insert_, insert_rule_;  // prepared once, used by the committing thread
  std::mutex read_mutex_;
  sqlite_db read_db_;
  std::int64_t last_seq_ = 0;  // the chain's end: used by the committing thread only
  std::string last_hash_;
  std::thread retention_;
  wal_checkpointer checkpointer_;  // after write_db_: stopped before it closes

  // --log-sync normal only (journal_ null at FULL).
  struct journaled {
    decision_record record;
    std::size_t bytes = 0;  // its frame in the journal
  };
  std::unique_ptr<journal_file> journal_;
  std::mutex journal_mutex_;                // everything below
  std::condition_variable journal_copied_;  // after each copy, and on stop
  std::deque<journaled> pending_;           // journaled, not yet in the database, in order
  std::size_t pending_bytes_ = 0;
  std::int64_t journaled_ = 0, copied_ = 0;  // records journaled and copied since the open
  std::string copy_error_;                   // the last copy's failure, while it lasts
  bool journal_stop_ = false;
  bool copier_asleep_ = false;  // the copying thread waits for an append to wake it
  std::thread copier_;
};

// The schema version of an SQLite decision log this perwal writes, and the
// migrations that bring an older one to it (each keeps every row and so the
// hash chain). Returns what was done, one line each.
inline constexpr int sqlite_log_schema = 4;
std::vector<std::string> migrate_sqlite_log(sqlite_db& db);

// ---- opening a store ----------------------------------------------------------

// --store: empty (SQLite under the data directory) or a PostgreSQL URL.
[[nodiscard]] bool is_postgres_url(const std::string& store);

struct stores {
  std::unique_ptr<org_store> orgs;
  std::unique_ptr<decision_log> log;
};
// Opens both (migrating the schema first). Throws store_error.
[[nodiscard]] stores open_stores(const std::string& store, const std::filesystem::path& data_dir, org_quota quota,
                                 log_options options);
// A reader of the log that writes nothing (perwal log export).
[[nodiscard]] std::unique_ptr<decision_reader> open_log_reader(const std::string& store,
                                                               const std::filesystem::path& data_dir);
// Brings the store's schema to this perwal's version (perwal db migrate);
// returns what was done, one line each (empty: it was current).
[[nodiscard]] std::vector<std::string> migrate_store(const std::string& store, const std::filesystem::path& data_dir);

// ---- PostgreSQL (server/store_pg.cpp) ---------------------------------------------

[[nodiscard]] std::unique_ptr<org_store> open_pg_org_store(const std::string& url, org_quota quota);
[[nodiscard]] std::unique_ptr<decision_log> open_pg_decision_log(const std::string& url, log_options options);
[[nodiscard]] std::unique_ptr<decision_reader> open_pg_log_reader(const std::string& url);
[[nodiscard]] std::vector<std::string> migrate_pg(const std::string& url);
[[nodiscard]] log_verification verify_pg_log(const std::string& url);

}  // namespace perwal::server
