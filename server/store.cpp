#include "server/store.hpp"

#include <pthread.h>
#include <semaphore.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "server/digest.hpp"
#include "server/journal.hpp"

namespace perwal::server {

namespace {

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

// ---- sqlite helpers -----------------------------------------------------------

sqlite_db::sqlite_db(const std::filesystem::path& file, bool full_sync, bool read_only) : name_(file.string()) {
  const int flags =
      (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(name_.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    const std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw store_error(name_ + ": cannot open: " + why);
  }
  try {
    // Writers of another connection may hold the lock for one commit; wait for it.
    sqlite3_busy_timeout(db_, 10000);
    if (read_only) return;
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

sqlite_org_store::sqlite_org_store(const std::filesystem::path& file, bool full_sync, org_quota quota)
    : db_(file, full_sync), quota_(quota) {
  db_.exec(
      "CREATE TABLE IF NOT EXISTS orgs ("
      " id TEXT NOT NULL, version INTEGER NOT NULL, created_ms INTEGER NOT NULL,"
      " hash TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (id, version))");
}

stored_org sqlite_org_store::put(const std::string& id, const std::string& body, const std::string& hash) {
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

std::vector<stored_org> sqlite_org_store::latest() {
  std::lock_guard lock(mutex_);
  statement q(db_,
              "SELECT id, version, created_ms, hash, body FROM orgs o WHERE version = "
              "(SELECT MAX(version) FROM orgs WHERE id = o.id) ORDER BY id");
  std::vector<stored_org> out;
  while (q.step()) out.push_back({q.text(0), q.integer(1), q.integer(2), q.text(3), q.text(4)});
  return out;
}

std::optional<stored_org> sqlite_org_store::get(const std::string& id, std::int64_t version) {
  std::lock_guard lock(mutex_);
  statement q(db_,
              "SELECT id, version, created_ms, hash, body FROM orgs WHERE id = ?1 AND "
              "version = CASE WHEN ?2 > 0 THEN ?2 ELSE (SELECT MAX(version) FROM orgs WHERE id = ?1) END");
  q.bind(1, id).bind(2, version);
  if (!q.step()) return std::nullopt;
  return stored_org{q.text(0), q.integer(1), q.integer(2), q.text(3), q.text(4)};
}

// ---- times and cursors ----------------------------------------------------------

namespace {

// Days since 1970-01-01 of a civil date (proleptic Gregorian).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool digits(std::string_view s, std::size_t at, std::size_t n, int& out) {
  if (at + n > s.size()) return false;
  out = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

}  // namespace

std::string time_text(std::int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return std::string(buf) + "." + std::to_string(1000 + ms % 1000).substr(1) + "Z";
}

std::optional<std::int64_t> parse_time(std::string_view s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, ms = 0;
  if (!digits(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' || !digits(s, 8, 2, d))
    return std::nullopt;
  static constexpr int month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (mo < 1 || mo > 12 || d < 1 || d > month_days[mo - 1] || (mo == 2 && d == 29 && !leap)) return std::nullopt;
  std::int64_t offset_min = 0;
  std::size_t i = 10;
  if (i < s.size()) {
    if ((s[i] != 'T' && s[i] != ' ') || !digits(s, i + 1, 2, h) || i + 3 >= s.size() || s[i + 3] != ':' ||
        !digits(s, i + 4, 2, mi))
      return std::nullopt;
    i += 6;
    if (i < s.size() && s[i] == ':') {
      if (!digits(s, i + 1, 2, sec)) return std::nullopt;
      i += 3;
      if (i < s.size() && s[i] == '.') {
        std::size_t n = 0;
        int scale = 100;
        for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++n) {
          ms += (s[i] - '0') * scale;
          scale /= 10;
        }
        if (n == 0) return std::nullopt;
      }
    }
    if (h > 23 || mi > 59 || sec > 59) return std::nullopt;
    if (i == s.size()) return std::nullopt;  // a time needs its zone: Z or an offset
    if (s[i] == 'Z' && i + 1 == s.size()) {
      i += 1;
    } else if (s[i] == '+' || s[i] == '-') {
      int oh = 0, om = 0;
      const bool colon = i + 3 < s.size() && s[i + 3] == ':';
      if (!digits(s, i + 1, 2, oh) || !digits(s, i + (colon ? 4 : 3), 2, om) || oh > 23 || om > 59) return std::nullopt;
      offset_min = (s[i] == '-' ? -1 : 1) * (oh * 60 + om);
      i += colon ? 6 : 5;
    } else {
      return std::nullopt;
    }
  }
  if (i != s.size()) return std::nullopt;
  const std::int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return ((days * 24 + h) * 60 + mi - offset_min) * 60'000 + sec * 1000 + ms;
}

std::string page_cursor(const decision_record& last) {
  static constexpr char hex[] = "0123456789abcdef";
  const std::string plain = "1:" + std::to_string(last.time_ms) + ":" + last.id;
  std::string out;
  for (const unsigned char c : plain) {
    out += hex[c >> 4];
    out += hex[c & 15];
  }
  return out;
}

bool read_cursor(const std::string& cursor, decision_filter& f) {
  if (cursor.empty() || cursor.size() % 2 != 0 || cursor.size() > 600) return false;
  std::string plain;
  for (std::size_t i = 0; i < cursor.size(); i += 2) {
    int v = 0;
    for (const char c : {cursor[i], cursor[i + 1]}) {
      const int nibble = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
      if (nibble < 0) return false;
      v = v * 16 + nibble;
    }
    plain += static_cast<char>(v);
  }
  if (plain.rfind("1:", 0) != 0) return false;
  const auto colon = plain.find(':', 2);
  if (colon == std::string::npos || colon == 2 || colon + 1 == plain.size()) return false;
  std::int64_t ms = 0;
  for (std::size_t i = 2; i < colon; ++i) {
    if (plain[i] < '0' || plain[i] > '9' || ms > (std::int64_t{1} << 50)) return false;
    ms = ms * 10 + (plain[i] - '0');
  }
  f.after_ms = ms;
  f.after_id = plain.substr(colon + 1);
  return true;
}

std::vector<std::string> rules_cited(const std::string& result_json) {
  std::set<std::string> rules;
  const auto doc = nlohmann::json::parse(result_json, nullptr, false);
  if (!doc.is_object()) return {};
  for (const char* list : {"violations", "warnings", "needs", "next"}) {
    const auto it = doc.find(list);
    if (it == doc.end() || !it->is_array()) continue;
    for (const auto& item : *it) {
      if (item.is_object() && item.contains("rule") && item["rule"].is_string()) rules.insert(item["rule"]);
    }
  }
  return {rules.begin(), rules.end()};
}

// ---- batch records (both backends) -------------------------------------------------

std::string batch_detail::encode() const {
  std::string out = options;
  out += '\n';
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (i) out += '\x1f';
    out += rules[i];
  }
  out += '\n';
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(items[i].ruleset);
    out += ':';
    for (std::size_t k = 0; k < items[i].rules.size(); ++k) {
      if (k) out += '.';
      out += std::to_string(items[i].rules[k]);
    }
  }
  return out;
}

namespace {

std::vector<std::string_view> split_view(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  if (text.empty()) return out;
  std::size_t i = 0;
  for (;;) {
    const auto j = text.find(sep, i);
    out.push_back(text.substr(i, j == std::string_view::npos ? std::string_view::npos : j - i));
    if (j == std::string_view::npos) break;
    i = j + 1;
  }
  return out;
}

bool read_index(std::string_view text, std::size_t& out) {
  if (text.empty() || text.size() > 9 || (text.size() > 1 && text[0] == '0')) return false;
  out = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + static_cast<std::size_t>(c - '0');
  }
  return true;
}

}  // namespace

std::optional<batch_detail> batch_detail::decode(std::string_view text) {
  const auto lines = split_view(text, '\n');
  if (lines.size() != 3) return std::nullopt;
  batch_detail d;
  d.options = std::string(lines[0]);
  for (const auto rule : split_view(lines[1], '\x1f')) d.rules.emplace_back(rule);
  for (const auto entry : split_view(lines[2], ',')) {
    const auto colon = entry.find(':');
    item it;
    if (colon == std::string_view::npos || !read_index(entry.substr(0, colon), it.ruleset)) return std::nullopt;
    for (const auto r : split_view(entry.substr(colon + 1), '.')) {
      std::size_t k = 0;
      if (!read_index(r, k) || k >= d.rules.size()) return std::nullopt;
      it.rules.push_back(k);
    }
    d.items.push_back(std::move(it));
  }
  return d;
}

char outcome_letter(std::string_view outcome) {
  return outcome.empty() ? '?' : outcome.front();  // allowed, denied, incomplete
}

std::string outcome_of_letter(char letter) {
  switch (letter) {
    case 'a':
      return "allowed";
    case 'd':
      return "denied";
    case 'i':
      return "incomplete";
    default:
      return "unknown";
  }
}

bool split_batch_id(std::string_view id, std::string& base, std::size_t& index) {
  const auto slash = id.find('/');
  if (slash == std::string_view::npos || slash == 0 || !read_index(id.substr(slash + 1), index)) return false;
  base = std::string(id.substr(0, slash));
  return true;
}

namespace {

// The parts of a batch record that its decisions share, read once per record.
struct batch_view {
  const decision_record& b;
  batch_detail detail;
  std::vector<std::string_view> rulesets, hashes;
  std::optional<nlohmann::json> queries;  // the request body, parsed when a decision is first read

  explicit batch_view(const decision_record& record) : b(record) {
    auto d = batch_detail::decode(b.batch);
    const auto n = static_cast<std::size_t>(b.batch_size);
    rulesets = split_view(b.ruleset, '\x1f');
    hashes = split_view(b.ruleset_hash, '\x1f');
    if (!d || d->items.size() != n || b.outcomes.size() != n || rulesets.size() != hashes.size()) {
      throw store_error("batch record " + b.id + " is malformed");
    }
    detail = std::move(*d);
  }

  decision_record decision(std::size_t i, bool with_result) {
    if (!queries) {
      queries = nlohmann::json::parse(b.query, nullptr, false);
      if (!queries->is_array() || queries->size() != static_cast<std::size_t>(b.batch_size)) {
        throw store_error("batch record " + b.id + ": its queries do not parse as an array of " +
                          std::to_string(b.batch_size));
      }
    }
    const auto& item = detail.items[i];
    if (item.ruleset >= rulesets.size()) throw store_error("batch record " + b.id + " is malformed");
    decision_record d;
    d.id = b.id + "/" + std::to_string(i);
    d.time_ms = b.time_ms;
    d.ruleset = std::string(rulesets[item.ruleset]);
    d.ruleset_hash = std::string(hashes[item.ruleset]);
    d.org = b.org;
    d.org_hash = b.org_hash;
    d.org_version = b.org_version;
    d.outcome = outcome_of_letter(b.outcomes[i]);
    d.query = (*queries)[i].dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    // The result of a batched decision is not logged; an export says so with null.
    if (with_result) d.result = "null";
    for (const auto k : item.rules) d.rules.push_back(detail.rules[k]);
    std::sort(d.rules.begin(), d.rules.end());
    d.batch_options = detail.options.empty() ? " " : detail.options;
    return d;
  }
};

}  // namespace

std::optional<decision_record> batch_decision(const decision_record& b, std::size_t index) {
  if (b.batch_size <= 0 || index >= static_cast<std::size_t>(b.batch_size)) return std::nullopt;
  batch_view v(b);
  return v.decision(index, false);
}

bool expand_batch(const decision_record& b, const decision_filter& f, std::size_t from, decision_page& page) {
  batch_view v(b);
  const char want = f.outcome.empty() ? 0 : outcome_letter(f.outcome);
  std::optional<std::size_t> rule;
  if (!f.rule.empty()) {
    const auto it = std::find(v.detail.rules.begin(), v.detail.rules.end(), f.rule);
    if (it == v.detail.rules.end()) return true;
    rule = static_cast<std::size_t>(it - v.detail.rules.begin());
  }
  for (std::size_t i = from; i < static_cast<std::size_t>(b.batch_size); ++i) {
    if (want && b.outcomes[i] != want) continue;
    if (rule) {
      const auto& cited = v.detail.items[i].rules;
      if (std::find(cited.begin(), cited.end(), *rule) == cited.end()) continue;
    }
    if (page.rows.size() >= f.limit) {
      page.more = true;
      return false;
    }
    page.rows.push_back(v.decision(i, f.with_result));
  }
  return true;
}

resume_point resume_of(const decision_filter& f) {
  resume_point r;
  std::size_t index = 0;
  if (split_batch_id(f.after_id, r.id, index)) {
    r.within = true;
    r.from = index + 1;
  } else {
    r.id = f.after_id;
  }
  return r;
}

// ---- decision log: group commit (both backends) ----------------------------------

// Records of one append() call and whether their group committed; lives on
// the caller's stack until it is posted. It is posted exactly once: when its
// group is committed, or when it is to lead the next group. Posted, not
// notified under the mutex: a woken thread then does not go straight back
// to sleep on the mutex its waker still holds (on a 2-core VM those extra
// sleeps and wake-ups were a tenth of the server's time under single
// checks), and POSIX lets the owner destroy a semaphore as soon as its wait
// has returned, while the poster may still be inside sem_post.
struct decision_log::pending {
  std::vector<decision_record> records;
  bool done = false;  // written under mutex_ before the post, read by the owner after it
  std::string error;  // empty when committed
  sem_t posted{};
  pending() { sem_init(&posted, 0, 0); }
  ~pending() { sem_destroy(&posted); }
  pending(const pending&) = delete;
  pending& operator=(const pending&) = delete;
  void post() { sem_post(&posted); }
  void wait() {
    while (sem_wait(&posted) != 0 && errno == EINTR) {
    }
  }
};

decision_log::decision_log() {
  std::random_device rd;
  nonce_ = rd();
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
  // sleep until posted: their group is done, or the first of them leads the next.
  if (busy_) {
    lock.unlock();
    mine.wait();
    if (mine.done) {
      if (!mine.error.empty()) throw store_error(mine.error);
      return;
    }
    lock.lock();  // chosen to lead: busy_ was kept set for it
  } else {
    busy_ = true;
  }
  lead(mine, lock);
  if (!mine.error.empty()) throw store_error(mine.error);
}

void decision_log::lead(pending& self, std::unique_lock<std::mutex>& lock) {
  std::vector<pending*> group;
  group.swap(queue_);  // self among them
  lock.unlock();
  std::vector<const decision_record*> rows;
  for (const auto* p : group) {
    for (const auto& r : p->records) rows.push_back(&r);
  }
  std::string error;
  try {
    write_group(rows);
  } catch (const std::exception& e) {
    error = e.what();
    if (error.empty()) error = "the decision log could not be written";
  }
  lock.lock();
  for (auto* p : group) {
    p->error = error;
    p->done = true;
  }
  pending* next = hand_over();
  lock.unlock();
  for (auto* p : group)
    if (p != &self) p->post();
  if (next) next->post();
}

// With mutex_ held: frees the writer, or keeps it for the first queued
// append, returned to be posted (it leads the next group).
decision_log::pending* decision_log::hand_over() {
  if (queue_.empty()) {
    busy_ = false;
    return nullptr;
  }
  return queue_.front();
}

bool decision_log::exclusive(const std::function<std::uint64_t()>& fn) {
  std::unique_lock lock(mutex_);
  if (stopping_) return false;
  if (busy_) return true;  // under load: the next round
  busy_ = true;
  lock.unlock();
  const auto removed = fn();
  lock.lock();
  pruned_ += removed;
  pending* next = hand_over();
  lock.unlock();
  if (next) next->post();
  return true;
}

bool decision_log::sleep_for(std::chrono::seconds period) {
  std::unique_lock lock(mutex_);
  wake_sleeper_.wait_for(lock, period, [&] { return stopping_; });
  return !stopping_;
}

void decision_log::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_sleeper_.notify_all();
}

std::uint64_t decision_log::pruned() const {
  std::lock_guard lock(mutex_);
  return pruned_;
}

// ---- decision log: SQLite -----------------------------------------------------------

namespace {

bool has_column(sqlite_db& db, const char* table, const char* column) {
  statement q(db, (std::string("SELECT 1 FROM pragma_table_info('") + table + "') WHERE name = ?1").c_str());
  q.bind(1, std::string(column));
  return q.step();
}

bool has_table(sqlite_db& db, const char* table) {
  statement q(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1");
  q.bind(1, std::string(table));
  return q.step();
}

std::int64_t user_version(sqlite_db& db) {
  statement q(db, "PRAGMA user_version");
  q.step();
  return q.integer(0);
}

void add_field(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
}

constexpr const char* rules_of_row =
    "COALESCE((SELECT group_concat(rule, char(31)) FROM decision_rules r WHERE r.decision_id = d.id), '')";

std::vector<std::string> split_rules(const std::string& text) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto j = std::min(text.find('\x1f', i), text.size());
    out.push_back(text.substr(i, j - i));
    i = j + 1;
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The columns a row of the log is read with (read_row): `batches` false for
// a log that predates batch records (schema < 3).
std::string row_columns(bool with_rules, bool batches) {
  return std::string("id, time_ms, ruleset, ruleset_hash, org, org_version, org_hash, outcome, query, ") +
         (with_rules ? rules_of_row : "''") + (batches ? ", batch_size, outcomes, batch" : ", NULL, NULL, NULL");
}

decision_record read_row(const statement& q) {
  decision_record r{
      q.text(0), q.integer(1),          q.text(2), q.text(3), q.text(4), q.text(6), q.integer(5), q.text(7), q.text(8),
      {},        split_rules(q.text(9))};
  r.batch_size = q.integer(10);
  if (r.batch_size > 0) {
    r.outcomes = q.text(11);
    r.batch = q.text(12);
  }
  return r;
}

// One page of the log; `with_rules` false for a log that predates the side
// table, `batches` for one that predates batch records. A batch record is
// listed as its decisions, each a row of the page.
decision_page list_sqlite(sqlite_db& db, const decision_filter& f, bool with_rules, bool batches) {
  if (!with_rules && !f.rule.empty()) {
    throw store_error(db.name() + ": this log predates the rule index: run perwal db migrate --data DIR");
  }
  const auto resume = resume_of(f);
  std::string sql =
      "SELECT " + row_columns(with_rules, batches) + (f.with_result ? ", result" : "") + " FROM decisions d WHERE 1";
  if (f.since_ms) sql += " AND time_ms >= ?1";
  if (f.until_ms) sql += " AND time_ms < ?2";
  if (!f.outcome.empty())
    sql += batches ? " AND (outcome = ?3 OR (batch_size > 0 AND instr(outcomes, ?9) > 0))" : " AND outcome = ?3";
  if (!f.org.empty()) sql += " AND org = ?4";
  if (!f.rule.empty()) sql += " AND id IN (SELECT decision_id FROM decision_rules WHERE rule = ?5)";
  if (f.after_ms) sql += resume.within ? " AND (time_ms, id) >= (?6, ?7)" : " AND (time_ms, id) > (?6, ?7)";
  // No LIMIT: a batch row holds many decisions, or none that pass; rows are read until the page is full.
  sql += " ORDER BY time_ms, id";
  statement q(db, sql.c_str());
  if (f.since_ms) q.bind(1, *f.since_ms);
  if (f.until_ms) q.bind(2, *f.until_ms);
  if (!f.outcome.empty()) q.bind(3, f.outcome);
  if (!f.outcome.empty() && batches) q.bind(9, std::string(1, outcome_letter(f.outcome)));
  if (!f.org.empty()) q.bind(4, f.org);
  if (!f.rule.empty()) q.bind(5, f.rule);
  if (f.after_ms) q.bind(6, *f.after_ms).bind(7, resume.id);
  decision_page page;
  while (q.step()) {
    auto r = read_row(q);
    const bool at_cursor = resume.within && r.id == resume.id;
    if (r.batch_size > 0) {
      if (!expand_batch(r, f, at_cursor ? resume.from : 0, page)) break;
      continue;
    }
    if (at_cursor) continue;
    if (page.rows.size() == f.limit) {
      page.more = true;
      break;
    }
    if (f.with_result) r.result = q.text(13);
    page.rows.push_back(std::move(r));
  }
  q.reset();
  return page;
}

std::optional<decision_record> find_sqlite(sqlite_db& db, const std::string& id, bool batches) {
  std::string base;
  std::size_t index = 0;
  const bool in_batch = batches && split_batch_id(id, base, index);
  statement q(db, ("SELECT " + row_columns(false, batches) + ", result FROM decisions WHERE id = ?1").c_str());
  q.bind(1, in_batch ? base : id);
  if (!q.step()) return std::nullopt;
  auto r = read_row(q);
  if (in_batch) return batch_decision(r, index);
  if (r.batch_size > 0) return std::nullopt;  // a batch's own id names no one decision
  r.result = q.text(13);
  return r;
}

// A reader that writes nothing to the file (perwal log export).
class sqlite_log_reader final : public decision_reader {
 public:
  explicit sqlite_log_reader(const std::filesystem::path& file) : db_(file, false, true) {
    if (!has_table(db_, "decisions")) throw store_error(file.string() + ": not a decision log");
    with_rules_ = has_table(db_, "decision_rules");
    batches_ = has_column(db_, "decisions", "batch_size");
  }
  std::optional<decision_record> find(const std::string& id) override { return find_sqlite(db_, id, batches_); }
  decision_page list(const decision_filter& f) override { return list_sqlite(db_, f, with_rules_, batches_); }

 private:
  sqlite_db db_;
  bool with_rules_ = false;
  bool batches_ = false;
};

}  // namespace

std::vector<std::string> migrate_sqlite_log(sqlite_db& db) {
  std::vector<std::string> done;
  const auto version = user_version(db);
  if (version > sqlite_log_schema) {
    throw store_error(db.name() + ": the log's schema is version " + std::to_string(version) +
                      ", newer than this perwal's (" + std::to_string(sqlite_log_schema) + "): upgrade perwal");
  }
  const auto step = [&](std::int64_t to, const std::string& what, const std::function<void()>& run) {
    if (version >= to) return;
    db.exec("BEGIN IMMEDIATE");
    try {
      run();
      db.exec(("PRAGMA user_version = " + std::to_string(to)).c_str());
      db.exec("COMMIT");
    } catch (...) {
      sqlite3_exec(db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
    done.push_back("schema " + std::to_string(to) + ": " + what);
  };
  step(1, "decision log with its hash chain", [&] {
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
  });
  // The rules each decision cites, in a side table: the rows themselves (and
  // so their hashes) stay as they were. Filled from the logged results.
  step(2, "the rules each decision cites (for ?rule=), filled from the logged results", [&] {
    db.exec(
        "CREATE TABLE decision_rules (rule TEXT NOT NULL, decision_id TEXT NOT NULL,"
        " PRIMARY KEY (rule, decision_id)) WITHOUT ROWID");
    db.exec("CREATE INDEX decision_rules_decision ON decision_rules (decision_id)");
    db.exec(
        "CREATE TRIGGER decisions_forget_rules AFTER DELETE ON decisions BEGIN"
        " DELETE FROM decision_rules WHERE decision_id = old.id; END");
    db.exec("CREATE INDEX IF NOT EXISTS decisions_outcome ON decisions (outcome, time_ms)");
    statement rows(db, "SELECT id, result FROM decisions");
    statement add(db, "INSERT OR IGNORE INTO decision_rules (rule, decision_id) VALUES (?1, ?2)");
    while (rows.step()) {
      const auto id = rows.text(0);
      for (const auto& rule : rules_cited(rows.text(1))) add.bind(1, rule).bind(2, id).run();
    }
    rows.reset();
  });
  // A POST /v1/check batch in one row (batch_decision): the rows before stay as they were.
  step(3, "batch records: a batch of checks logged as one row", [&] {
    db.exec("ALTER TABLE decisions ADD COLUMN batch_size INTEGER");
    db.exec("ALTER TABLE decisions ADD COLUMN outcomes TEXT");
    db.exec("ALTER TABLE decisions ADD COLUMN batch TEXT");
  });
  // In a WITHOUT ROWID table a row lies in the id's own b-tree, so each key
  // comparison of an insert's search read a large row whole (a batch's body,
  // hundreds of KB over overflow pages): ~1 GB/s of reads under a stream of
  // batches. A rowid table keeps rows apart from the index on id.
  step(4, "decisions in a rowid table: an insert no longer reads large rows whole", [&] {
    constexpr const char* columns =
        "id, time_ms, ruleset, ruleset_hash, org, org_version, org_hash, outcome, query, result, seq, prev_hash,"
        " row_hash, batch_size, outcomes, batch";
    db.exec(
        "CREATE TABLE decisions_rowid ("
        " id TEXT PRIMARY KEY, time_ms INTEGER NOT NULL, ruleset TEXT NOT NULL, ruleset_hash TEXT NOT NULL,"
        " org TEXT NOT NULL, org_version INTEGER NOT NULL, org_hash TEXT NOT NULL, outcome TEXT NOT NULL,"
        " query TEXT NOT NULL, result TEXT NOT NULL, seq INTEGER, prev_hash TEXT, row_hash TEXT,"
        " batch_size INTEGER, outcomes TEXT, batch TEXT)");
    db.exec((std::string("INSERT INTO decisions_rowid (") + columns + ") SELECT " + columns +
             " FROM decisions ORDER BY time_ms, id")
                .c_str());
    db.exec("DROP TRIGGER decisions_forget_rules");  // the rules stay: their decisions move, not go
    db.exec("DROP TABLE decisions");
    db.exec("ALTER TABLE decisions_rowid RENAME TO decisions");
    db.exec("CREATE INDEX decisions_time ON decisions (time_ms)");
    db.exec("CREATE UNIQUE INDEX decisions_seq ON decisions (seq)");
    db.exec("CREATE INDEX decisions_outcome ON decisions (outcome, time_ms)");
    db.exec(
        "CREATE TRIGGER decisions_forget_rules AFTER DELETE ON decisions BEGIN"
        " DELETE FROM decision_rules WHERE decision_id = old.id; END");
  });
  return done;
}

std::string chain_hash(const std::string& previous, std::int64_t seq, const decision_record& r) {
  std::string all;
  for (const std::string_view f :
       {std::string_view(previous), std::string_view(r.id), std::string_view(r.ruleset),
        std::string_view(r.ruleset_hash), std::string_view(r.org), std::string_view(r.org_hash),
        std::string_view(r.outcome), std::string_view(r.query), std::string_view(r.result)}) {
    add_field(all, f);
  }
  for (const std::int64_t n : {seq, r.time_ms, r.org_version}) add_field(all, std::to_string(n));
  if (r.batch_size > 0) {
    // A batch record: its decisions' outcomes, ruleset and rules are covered too.
    add_field(all, "batch");
    add_field(all, std::to_string(r.batch_size));
    add_field(all, r.outcomes);
    add_field(all, r.batch);
  }
  return sha256_hex(all);
}

// The log's own threads are named (at most 15 bytes) so that `top -H`, `ps
// -L` and a profiler tell them from the request threads.
namespace {
void name_this_thread(const char* name) {
  (void)pthread_setname_np(pthread_self(), name);
}
}  // namespace

wal_checkpointer::wal_checkpointer(sqlite_db& writer, const std::filesystem::path& file, bool full_sync)
    : writer_(writer), db_(file, full_sync) {
  sqlite3_wal_hook(writer_.handle(), &wal_checkpointer::on_commit, this);
  thread_ = std::thread([this] { run(); });
}

wal_checkpointer::~wal_checkpointer() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
  sqlite3_wal_autocheckpoint(writer_.handle(), background_pages);  // replaces the hook
}

// Called by SQLite on the committing thread after each commit, with the
// WAL's length in pages.
int wal_checkpointer::on_commit(void* self, sqlite3* db, const char* schema, int pages) {
  auto& c = *static_cast<wal_checkpointer*>(self);
  if (pages >= inline_pages) {
    // Behind: once the thread's copy (if one is running) has finished, the
    // rest is copied here, while no commit can add to it, so that the next
    // one can reuse the WAL from its start.
    std::lock_guard copy(c.copying_);
    if (sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr) == SQLITE_OK) ++c.inline_;
  } else if (pages >= background_pages && !c.wanted_.exchange(true)) {
    // The flag is set before the lock is taken, and the thread reads it under
    // the lock: the wake-up cannot be lost. One wake-up per request, not per commit.
    std::lock_guard lock(c.mutex_);
    c.wake_.notify_one();
  }
  return SQLITE_OK;
}

void wal_checkpointer::run() {
  name_this_thread("perwal-wal-ckpt");
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [&] { return stop_ || wanted_.load(); });
    if (stop_) return;
    lock.unlock();
    wanted_ = false;  // commits from now on may ask again
    {
      // PASSIVE: copies what no reader still needs, never waits for or
      // blocks the writer. A failure (busy) is retried at the next request.
      std::lock_guard copy(copying_);
      if (sqlite3_wal_checkpoint_v2(db_.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr) == SQLITE_OK)
        ++background_;
    }
    lock.lock();
  }
}

sqlite_decision_log::sqlite_decision_log(const std::filesystem::path& file, log_options options)
    : options_(options),
      write_db_(file, options.full_sync),
      read_db_(file, options.full_sync),
      checkpointer_(write_db_, file, options.full_sync) {
  (void)migrate_sqlite_log(write_db_);
  insert_ = std::make_unique<statement>(
      write_db_,
      "INSERT INTO decisions (id, time_ms, ruleset, ruleset_hash, org, org_version, org_hash, outcome, query, result,"
      " seq, prev_hash, row_hash, batch_size, outcomes, batch)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)");
  insert_rule_ = std::make_unique<statement>(
      write_db_, "INSERT OR IGNORE INTO decision_rules (rule, decision_id) VALUES (?1, ?2)");
  statement end(write_db_, "SELECT seq, row_hash FROM decisions WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1");
  if (end.step()) {
    last_seq_ = end.integer(0);
    last_hash_ = end.text(1);
  }
  exclusive([this] { return prune(); });
  if (!options_.full_sync) {
    journal_ = std::make_unique<journal_file>(journal_path(file));
    recover_journal();
    copier_ = std::thread([this] { drain_journal(); });
  }
  retention_ = std::thread([this] {
    while (sleep_for(std::chrono::seconds(30))) {
      if (options_.retention_days > 0 || options_.max_rows > 0) exclusive([this] { return prune(); });
    }
  });
}

sqlite_decision_log::~sqlite_decision_log() {
  if (copier_.joinable()) {
    {
      std::lock_guard lock(journal_mutex_);
      journal_stop_ = true;
    }
    journal_copied_.notify_all();
    copier_.join();  // it copies what is left first (or leaves it in the journal for the next open)
  }
  stop();
  retention_.join();
}

std::filesystem::path sqlite_decision_log::journal_path(const std::filesystem::path& file) {
  return file.string() + ".pending";
}

// What a killed process left in the journal: the records not yet in the
// database (by id: those it had copied before it died are skipped) are
// copied in, in their order, before anything else reads or writes the log.
void sqlite_decision_log::recover_journal() {
  std::size_t dropped = 0;
  const auto entries = decode_journal(journal_->read_all(), dropped);
  if (dropped > 0) {
    std::cerr << journal_->path().string() << ": the last " << dropped
              << " bytes are not a whole record (a write cut short; never answered): left out\n";
  }
  statement known(write_db_, "SELECT 1 FROM decisions WHERE id = ?1");
  std::vector<const decision_record*> rows;
  for (const auto& r : entries) {
    const bool in_database = known.bind(1, r.id).step();
    known.reset();
    if (!in_database) rows.push_back(&r);
  }
  if (!rows.empty()) {
    std::lock_guard writer(writer_mutex_);
    write_group(rows);  // throws store_error: the log does not open, the journal is kept
    std::cerr << journal_->path().string() << ": " << rows.size()
              << " answered decisions a stopped process had not copied: copied into the log\n";
  }
  journal_->clear();
}

void sqlite_decision_log::append(std::vector<decision_record> records) {
  if (!journal_) {
    decision_log::append(std::move(records));
    return;
  }
  std::string frames;  // encoded before the lock: it is held for the write alone
  std::vector<std::size_t> sizes;
  sizes.reserve(records.size());
  for (const auto& r : records) {
    const auto before = frames.size();
    encode_journal_record(r, frames);
    sizes.push_back(frames.size() - before);
  }
  std::unique_lock lock(journal_mutex_);
  // Bounded: when the database is that far behind, appends wait for the copy.
  const bool room = journal_copied_.wait_for(lock, std::chrono::seconds(30),
                                             [&] { return pending_bytes_ < max_pending_bytes || journal_stop_; });
  if (journal_stop_) throw store_error("the decision log is closed");
  if (!room) throw store_error("the decision log is behind: " + (copy_error_.empty() ? "busy" : copy_error_));
  journal_->append(frames);  // throws: nothing journaled, so nothing answered
  journaled_ += static_cast<std::int64_t>(records.size());
  pending_bytes_ += frames.size();
  for (std::size_t i = 0; i < records.size(); ++i) pending_.push_back({std::move(records[i]), sizes[i]});
  if (copier_asleep_) journal_copied_.notify_all();  // the first append after a quiet spell
}

// The copying thread: takes the oldest journaled records (at most one
// transaction's worth), commits them, and once the journal holds nothing
// the database lacks, empties it. Appends do not wake it (no wake-up per
// request): it looks every 2 ms while there is nothing to copy, and after
// 100 ms of nothing sleeps until the next append wakes it.
void sqlite_decision_log::drain_journal() {
  name_this_thread("perwal-log-copy");
  std::unique_lock lock(journal_mutex_);
  std::vector<const decision_record*> rows;
  int idle_looks = 0;
  while (true) {
    if (pending_.empty()) {
      if (journal_stop_) return;
      if (++idle_looks < 50) {
        journal_copied_.wait_for(lock, std::chrono::milliseconds(2));
      } else {
        copier_asleep_ = true;
        journal_copied_.wait(lock, [&] { return !pending_.empty() || journal_stop_; });
        copier_asleep_ = false;
      }
      continue;
    }
    idle_looks = 0;
    rows.clear();
    std::size_t bytes = 0;
    for (const auto& p : pending_) {  // elements stay in place while appends add behind them
      if (rows.size() == max_commit_rows || (!rows.empty() && bytes + p.bytes > max_commit_bytes)) break;
      rows.push_back(&p.record);
      bytes += p.bytes;
    }
    lock.unlock();
    std::string error;
    try {
      std::lock_guard writer(writer_mutex_);
      write_group(rows);
    } catch (const std::exception& e) {
      error = e.what();
    }
    lock.lock();
    if (!error.empty()) {
      copy_error_ = error;
      journal_copied_.notify_all();
      if (journal_stop_) return;  // the journal keeps them for the next open
      journal_copied_.wait_for(lock, std::chrono::milliseconds(100));
      continue;
    }
    copy_error_.clear();
    for (std::size_t i = 0; i < rows.size(); ++i) {
      pending_bytes_ -= pending_.front().bytes;
      pending_.pop_front();
    }
    copied_ += static_cast<std::int64_t>(rows.size());
    int old_journal = -1;
    if (pending_.empty()) {
      try {
        old_journal = journal_->start_afresh();
      } catch (const store_error& e) {
        copy_error_ = e.what();  // a longer journal: its records are skipped by id on the next open
      }
    }
    journal_copied_.notify_all();
    if (old_journal >= 0) {
      lock.unlock();
      ::close(old_journal);
      lock.lock();
    }
  }
}

void sqlite_decision_log::flush() {
  if (!journal_) return;
  std::unique_lock lock(journal_mutex_);
  const auto target = journaled_;
  if (!journal_copied_.wait_for(lock, std::chrono::seconds(30), [&] { return copied_ >= target; })) {
    throw store_error("the decision log has not copied its newest decisions into the database" +
                      (copy_error_.empty() ? std::string() : ": " + copy_error_));
  }
}

void sqlite_decision_log::write_group(const std::vector<const decision_record*>& rows) {
  const std::int64_t chain_seq = last_seq_;
  std::string chain_hash_before = last_hash_;
  try {
    write_db_.exec("BEGIN");
    auto& insert = *insert_;
    for (const auto* p : rows) {
      const auto& r = *p;
      const std::int64_t seq = last_seq_ + 1;
      std::string row = chain_hash(last_hash_, seq, r);
      insert.bind(1, r.id).bind(2, r.time_ms).bind(3, r.ruleset).bind(4, r.ruleset_hash).bind(5, r.org);
      insert.bind(6, r.org_version).bind(7, r.org_hash).bind(8, r.outcome).bind(9, r.query).bind(10, r.result);
      insert.bind(11, seq).bind(12, last_hash_).bind(13, row);
      if (r.batch_size > 0) insert.bind(14, r.batch_size).bind(15, r.outcomes).bind(16, r.batch);
      insert.run();
      for (const auto& rule : r.rules) insert_rule_->bind(1, rule).bind(2, r.id).run();
      last_seq_ = seq;
      last_hash_ = std::move(row);
    }
    write_db_.exec("COMMIT");
  } catch (const store_error&) {
    insert_->reset();
    insert_rule_->reset();
    sqlite3_exec(write_db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    last_seq_ = chain_seq;  // the chain ends at the last committed row again
    last_hash_ = std::move(chain_hash_before);
    throw;
  }
}

std::uint64_t sqlite_decision_log::prune() {
  std::lock_guard writer(writer_mutex_);
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
    return static_cast<std::uint64_t>(removed);
  } catch (const store_error&) {
    return 0;  // Retention is best effort: a busy database is pruned on the next round.
  }
}

std::optional<decision_record> sqlite_decision_log::find(const std::string& id) {
  flush();  // what was answered can be read
  std::lock_guard lock(read_mutex_);
  return find_sqlite(read_db_, id, true);
}

decision_page sqlite_decision_log::list(const decision_filter& f) {
  flush();
  std::lock_guard lock(read_mutex_);
  return list_sqlite(read_db_, f, true, true);
}

// ---- verification -----------------------------------------------------------------

void chain_checker::row(const decision_record& r, std::int64_t seq, const std::string& prev, const std::string& hash) {
  const std::string where = "row " + std::to_string(seq) + " (decision " + r.id + ")";
  if (chain_hash(prev, seq, r) != hash) out_.problems.push_back(where + ": its contents do not match its hash");
  if (r.batch_size > 0) {
    const auto d = batch_detail::decode(r.batch);
    if (!d || d->items.size() != static_cast<std::size_t>(r.batch_size) ||
        r.outcomes.size() != static_cast<std::size_t>(r.batch_size)) {
      out_.problems.push_back(where + ": a batch record that does not read as one");
    }
  }
  if (out_.rows > 0) {
    if (seq != previous_seq_ + 1) {
      out_.problems.push_back("rows " + std::to_string(previous_seq_ + 1) + " to " + std::to_string(seq - 1) +
                              " are missing");
    }
    if (prev != previous_hash_) out_.problems.push_back(where + ": does not follow the row before it");
  } else {
    out_.first_seq = seq;
  }
  ++out_.rows;
  previous_seq_ = seq;
  previous_hash_ = hash;
}

void chain_checker::finish() {
  out_.last_seq = previous_seq_;
  out_.last_hash = previous_hash_;
}

log_verification verify_decision_log(const std::filesystem::path& file) {
  if (!std::filesystem::is_regular_file(file)) throw store_error(file.string() + ": no decision log here");
  sqlite_db db(file, false, true);
  log_verification out;
  chain_checker check(out);
  try {
    {
      statement q(db, "SELECT COUNT(*) FROM decisions WHERE seq IS NULL");
      if (q.step()) out.unchained = q.integer(0);
    }
    const bool batches = has_column(db, "decisions", "batch_size");
    statement q(db, (std::string("SELECT id, time_ms, ruleset, ruleset_hash, org, org_version, org_hash, outcome,"
                                 " query, result, seq, prev_hash, row_hash, ") +
                     (batches ? "batch_size, outcomes, batch" : "NULL, NULL, NULL") +
                     " FROM decisions WHERE seq IS NOT NULL ORDER BY seq")
                        .c_str());
    while (q.step()) {
      decision_record r{q.text(0),    q.integer(1), q.text(2), q.text(3), q.text(4), q.text(6),
                        q.integer(5), q.text(7),    q.text(8), q.text(9), {}};
      r.batch_size = q.integer(13);
      if (r.batch_size > 0) {
        r.outcomes = q.text(14);
        r.batch = q.text(15);
      }
      check.row(r, q.integer(10), q.text(11), q.text(12));
    }
  } catch (const store_error& e) {
    throw store_error(file.string() + ": not a decision log: " + e.what());
  }
  check.finish();
  return out;
}

// ---- opening a store ----------------------------------------------------------

bool is_postgres_url(const std::string& store) {
  return store.rfind("postgresql://", 0) == 0 || store.rfind("postgres://", 0) == 0;
}

namespace {

void check_store(const std::string& store) {
  if (!store.empty() && !is_postgres_url(store)) {
    throw store_error("--store " + store +
                      ": not a PostgreSQL URL (postgresql://USER@HOST:PORT/DB); without --store the SQLite files "
                      "under --data are used");
  }
}

}  // namespace

stores open_stores(const std::string& store, const std::filesystem::path& data_dir, org_quota quota,
                   log_options options) {
  check_store(store);
  stores out;
  if (is_postgres_url(store)) {
    out.orgs = open_pg_org_store(store, quota);
    out.log = open_pg_decision_log(store, options);
  } else {
    out.orgs = std::make_unique<sqlite_org_store>(data_dir / "orgs.db", true, quota);
    out.log = std::make_unique<sqlite_decision_log>(data_dir / "decisions.db", options);
  }
  return out;
}

std::unique_ptr<decision_reader> open_log_reader(const std::string& store, const std::filesystem::path& data_dir) {
  check_store(store);
  if (is_postgres_url(store)) return open_pg_log_reader(store);
  const auto file = data_dir / "decisions.db";
  if (!std::filesystem::is_regular_file(file)) throw store_error(file.string() + ": no decision log here");
  return std::make_unique<sqlite_log_reader>(file);
}

std::vector<std::string> migrate_store(const std::string& store, const std::filesystem::path& data_dir) {
  check_store(store);
  if (is_postgres_url(store)) return migrate_pg(store);
  const auto file = data_dir / "decisions.db";
  if (!std::filesystem::is_regular_file(file)) throw store_error(file.string() + ": no decision log here");
  sqlite_db db(file, true);
  return migrate_sqlite_log(db);
}

}  // namespace perwal::server
