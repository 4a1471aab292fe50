// Durable state of `perwal serve`, in embedded SQLite databases under the
// data directory: uploaded orgs (every version kept) and the decision log.
// Both use WAL mode; the decision log commits in groups (the first waiting
// request commits for everyone queued behind it) so that many concurrent
// requests share one transaction and one fsync.
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace perwal::server {

// An SQLite failure (open, schema, write); the message names the database.
struct store_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One SQLite connection; closed on destruction.
class sqlite_db {
 public:
  sqlite_db(const std::filesystem::path& file, bool full_sync);
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

// ---- orgs -------------------------------------------------------------------

struct stored_org {
  std::string id;
  std::int64_t version = 0;
  std::int64_t created_ms = 0;
  std::string hash;
  std::string body;  // the perwal-org/1 document as uploaded
};

// Uploaded orgs; each upload adds a version. Thread-safe.
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

class org_store {
 public:
  org_store(const std::filesystem::path& file, bool full_sync, org_quota quota = {});
  // Stores a new version of `id` and returns it (durable when this returns),
  // removing versions beyond the quota; throws quota_exceeded when a new id
  // or the bytes would go over it.
  [[nodiscard]] stored_org put(const std::string& id, const std::string& body, const std::string& hash);
  // The latest version of each org.
  [[nodiscard]] std::vector<stored_org> latest();
  // One version (0: the latest), or nullopt.
  [[nodiscard]] std::optional<stored_org> get(const std::string& id, std::int64_t version);

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
};

struct log_options {
  bool full_sync = true;      // synchronous=FULL: also survives power loss, costs an fsync per group commit
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
// Reads the log at `file` (read-only) and checks every row's hash and its link
// to the row before. Throws store_error when the file cannot be read.
[[nodiscard]] log_verification verify_decision_log(const std::filesystem::path& file);

// Append-only log of decisions. append() returns once the records are
// committed, so a decision returned to a client is already on disk. Each row
// carries its sequence number, the previous row's hash and its own
// (chain_hash), so a changed, inserted or deleted row is detectable.
class decision_log {
 public:
  decision_log(const std::filesystem::path& file, log_options options);
  ~decision_log();  // stops retention; every append() has returned by then
  decision_log(const decision_log&) = delete;
  decision_log& operator=(const decision_log&) = delete;

  // Blocks until `records` are committed in one transaction (possibly with
  // other callers' records). Throws store_error when the commit failed.
  void append(std::vector<decision_record> records);
  [[nodiscard]] std::optional<decision_record> find(const std::string& id);
  // A new unique, time-ordered decision id; next_ids: `n` of them at once.
  [[nodiscard]] std::string next_id() { return next_ids(1).front(); }
  [[nodiscard]] std::vector<std::string> next_ids(std::size_t n);
  // Rows dropped by retention so far.
  [[nodiscard]] std::uint64_t pruned() const;

 private:
  struct pending;
  void lead(std::unique_lock<std::mutex>& lock);
  void hand_over();
  void commit(const std::vector<pending*>& group);
  void retention_loop();
  void prune();

  log_options options_;
  sqlite_db write_db_;
  std::unique_ptr<statement> insert_;  // prepared once, used by the committing thread
  std::mutex read_mutex_;
  sqlite_db read_db_;

  mutable std::mutex mutex_;
  std::condition_variable wake_retention_;
  std::vector<pending*> queue_;  // appends waiting for the next commit
  bool busy_ = false;            // a thread is using write_db_ (a commit or retention)
  bool stopping_ = false;
  std::uint64_t pruned_ = 0;

  std::uint32_t nonce_ = 0;
  std::uint64_t counter_ = 0;  // guarded by mutex_
  std::int64_t last_seq_ = 0;  // the chain's end: used by the committing thread only
  std::string last_hash_;
  std::thread retention_;
};

}  // namespace perwal::server
