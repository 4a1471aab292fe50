// Records of snapshots verified in full (engine/org/verified_snapshots.hpp):
// a record vouches for one file exactly as it was, and a snapshot load skips
// its checks only for such a file.
#include "engine/org/verified_snapshots.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>

#include "engine/compile/ruleset.hpp"
#include "engine/org/org.hpp"
#include "test_support.hpp"

namespace {

namespace fs = std::filesystem;
using perwal::diagnostics;
using perwal::org::file_identity;
using perwal::org::org_graph;
using perwal::org::verified_snapshots;
using perwal::testing::source_dir;
using checked = org_graph::snapshot_check;
using namespace std::chrono_literals;

// A scratch directory that is removed again.
struct temp_dir {
  fs::path path;
  explicit temp_dir(const std::string& name)
      : path(fs::temp_directory_path() / ("perwal-test-" + std::to_string(::getpid()) + "-" + name)) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~temp_dir() {
    std::error_code ec;
    fs::permissions(path, fs::perms::owner_all, ec);
    fs::remove_all(path, ec);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
};

// An environment variable set for one scope (unset: nullopt), restored after.
struct scoped_env {
  std::string name;
  std::optional<std::string> saved;
  scoped_env(std::string n, const std::optional<std::string>& value) : name(std::move(n)) {
    if (const char* v = std::getenv(name.c_str())) saved = v;
    set(value);
  }
  ~scoped_env() { set(saved); }
  scoped_env(const scoped_env&) = delete;
  scoped_env& operator=(const scoped_env&) = delete;
  void set(const std::optional<std::string>& value) const {
    if (value)
      ::setenv(name.c_str(), value->c_str(), 1);
    else
      ::unsetenv(name.c_str());
  }
};

file_identity identity_of(const fs::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return file_identity::of(st);
}

void write_text(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
}

// Overwrites one byte in place (the same inode), as a damaged or edited file would be.
void poke(const fs::path& p, std::size_t at, char byte) {
  std::fstream f(p, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(static_cast<std::streamoff>(at));
  f.put(byte);
}

char byte_at(const fs::path& p, std::size_t at) {
  std::ifstream f(p, std::ios::binary);
  f.seekg(static_cast<std::streamoff>(at));
  return static_cast<char>(f.get());
}

}  // namespace

TEST_CASE("a record vouches for a file only exactly as it was verified", "[org][snapshot]") {
  const temp_dir dir("records");
  const verified_snapshots records(dir.path / "verified-snapshots");
  const fs::path file = dir.path / "org.snap";
  write_text(file, "snapshot bytes");
  const auto id = identity_of(file);
  const auto later = std::chrono::system_clock::now() + verified_snapshots::settle + 1s;

  SECTION("a file changed within the last moments is not recorded") {
    records.record(id, 7);
    CHECK_FALSE(records.vouch_for(id, 7));
    CHECK((!fs::exists(records.dir()) || fs::is_empty(records.dir())));
  }
  SECTION("recorded, then changed") {
    records.record(id, 7, later);
    REQUIRE(records.vouch_for(id, 7));
    CHECK((fs::status(records.dir()).permissions() & (fs::perms::group_all | fs::perms::others_all)) ==
          fs::perms::none);
    CHECK_FALSE(records.vouch_for(id, 8));  // another fingerprint: other checks, another header
    const std::array<void (*)(file_identity&), 5> changes = {
        [](file_identity& f) { ++f.device; }, [](file_identity& f) { ++f.inode; }, [](file_identity& f) { ++f.size; },
        [](file_identity& f) { ++f.modified_ns; }, [](file_identity& f) { ++f.changed_ns; }};
    for (const auto change : changes) {
      auto changed = id;
      change(changed);
      CHECK_FALSE(records.vouch_for(changed, 7));
    }
    std::this_thread::sleep_for(20ms);   // past the coarse clock's tick
    write_text(file, "snapshot bytes");  // the same bytes written again
    CHECK_FALSE(records.vouch_for(identity_of(file), 7));
  }
  SECTION("a record anyone else may write, or not a record, is not trusted") {
    records.record(id, 7, later);
    REQUIRE(records.vouch_for(id, 7));
    fs::permissions(records.dir(), fs::perms::group_write, fs::perm_options::add);
    CHECK_FALSE(records.vouch_for(id, 7));
    fs::permissions(records.dir(), fs::perms::group_write, fs::perm_options::remove);
    REQUIRE(records.vouch_for(id, 7));
    const fs::path entry = fs::directory_iterator(records.dir())->path();
    fs::permissions(entry, fs::perms::others_write, fs::perm_options::add);
    CHECK_FALSE(records.vouch_for(id, 7));
    fs::remove(entry);
    write_text(dir.path / "elsewhere", "perwal-verified-snapshot 1");
    fs::create_symlink(dir.path / "elsewhere", entry);
    CHECK_FALSE(records.vouch_for(id, 7));
    fs::remove(entry);
    write_text(entry, std::string(500, 'x'));
    fs::permissions(entry, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
    CHECK_FALSE(records.vouch_for(id, 7));
  }
  SECTION("at most max_records are kept") {
    for (std::size_t k = 0; k < verified_snapshots::max_records + 5; ++k) {
      auto other = id;
      other.inode += k + 1;
      records.record(other, 7, later);
    }
    std::size_t kept = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(records.dir())) ++kept;
    CHECK(kept == verified_snapshots::max_records);
  }
  SECTION("PERWAL_VERIFY_SNAPSHOTS and the cache directory") {
    const scoped_env cache("PERWAL_CACHE_DIR", dir.path.string());
    {
      const scoped_env policy("PERWAL_VERIFY_SNAPSHOTS", std::nullopt);
      const auto in_effect = verified_snapshots::from_environment();
      REQUIRE(in_effect);
      CHECK(in_effect->dir() == dir.path / "verified-snapshots");
    }
    for (const char* every_load : {"always", "ALWAYS", "no"}) {
      const scoped_env policy("PERWAL_VERIFY_SNAPSHOTS", std::string(every_load));
      CHECK_FALSE(verified_snapshots::from_environment());
    }
    const scoped_env once("PERWAL_VERIFY_SNAPSHOTS", std::string("once"));
    CHECK(verified_snapshots::from_environment());
  }
}

TEST_CASE("a snapshot verified in full once loads on record until the file changes", "[org][snapshot]") {
  const temp_dir dir("on-record");
  const scoped_env cache("PERWAL_CACHE_DIR", dir.path.string());
  const scoped_env policy("PERWAL_VERIFY_SNAPSHOTS", std::nullopt);
  diagnostics errors;
  const auto rules = perwal::compile_ruleset(source_dir() / "rulesets/permenpanrb-7-2022.perwal", errors);
  REQUIRE(rules);
  const fs::path json = source_dir() / "tests/cross/org.json", snap = dir.path / "cross.snap";
  std::string reference;
  {
    const auto org = org_graph::load_file(json.string(), rules->vocab, rules->shape, errors);
    REQUIRE(org);
    CHECK(org->snapshot_checked() == checked::not_a_snapshot);
    REQUIRE(org->write_snapshot(snap.string(), json.string(), rules->vocab, rules->shape, errors));
    reference = org->canonical_dump();
  }
  const auto load = [&](checked expected) {
    diagnostics errs;
    auto g = org_graph::load_file(snap.string(), rules->vocab, rules->shape, errs);
    REQUIRE(g);
    CHECK(g->snapshot_checked() == expected);
    CHECK(g->canonical_dump() == reference);
    return g;
  };
  // Just written: verified in full, and not recorded (its times may not yet tell a later write apart).
  load(checked::in_full);
  load(checked::in_full);
  std::this_thread::sleep_for(verified_snapshots::settle + 200ms);
  load(checked::in_full);  // now recorded
  {
    const auto first = load(checked::on_record);
    CHECK(first->records_mapped());
    // While it holds the address the file is prelinked for, another load is
    // relocated elsewhere, and checked in full: a record spares only the checks.
    const auto second = load(checked::in_full);
    CHECK_FALSE(second->records_mapped());
  }
  {
    const scoped_env always("PERWAL_VERIFY_SNAPSHOTS", std::string("always"));
    load(checked::in_full);
  }
  load(checked::on_record);
  // Under a ruleset of another vocabulary the header still refuses it.
  {
    diagnostics errs;
    const auto jambi = perwal::compile_ruleset(source_dir() / "rulesets/jambi-13-2025.perwal", errs);
    REQUIRE(jambi);
    CHECK_FALSE(org_graph::load_file(snap.string(), jambi->vocab, jambi->shape, errs));
    CHECK_THAT(errs.items().at(0).message_text(), Catch::Contains("stale"));
  }
  // One byte changed in place (the same inode and size): checked in full again, and refused.
  const auto size = fs::file_size(snap);
  const std::size_t middle = size / 2;
  const char original = byte_at(snap, middle);
  poke(snap, middle, static_cast<char>(original ^ 0x20));
  {
    diagnostics errs;
    CHECK_FALSE(org_graph::load_file(snap.string(), rules->vocab, rules->shape, errs));
    REQUIRE(errs.items().size() == 1);
    CHECK(errs.items()[0].message_text() == "checksum mismatch (corrupt snapshot)");
  }
  // Put back: the same bytes as verified, but written since, so verified again.
  poke(snap, middle, original);
  load(checked::in_full);
}
