// The records of snapshots verified in full (verified_snapshots.hpp).
#include "engine/org/verified_snapshots.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace perwal::org {

namespace {

std::int64_t nanoseconds(const struct timespec& t) {
  return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

// The one line a record holds.
std::string record_text(const file_identity& f, std::uint64_t fingerprint) {
  std::array<char, 160> line{};
  const int n = std::snprintf(line.data(), line.size(),
                              "perwal-verified-snapshot 1 %016" PRIx64 " %" PRIu64 " %" PRId64 " %" PRId64 "\n",
                              fingerprint, f.size, f.modified_ns, f.changed_ns);
  return {line.data(), static_cast<std::size_t>(std::max(n, 0))};
}

// Owned by this user and writable by nobody else.
bool owned_privately(const struct stat& st) {
  return st.st_uid == ::geteuid() && (st.st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

std::optional<std::filesystem::path> env_path(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::filesystem::path(v);
}

}  // namespace

file_identity file_identity::of(const struct stat& st) {
  return {static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino),
          static_cast<std::uint64_t>(st.st_size), nanoseconds(st.st_mtim), nanoseconds(st.st_ctim)};
}

std::optional<file_identity> file_identity::of(int fd) {
  struct stat st {};
  if (fd < 0 || ::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return of(st);
}

std::optional<verified_snapshots> verified_snapshots::from_environment() {
  // "once" (or unset) keeps records; "always", or any value not understood, verifies every load.
  if (const char* policy = std::getenv("PERWAL_VERIFY_SNAPSHOTS");
      policy != nullptr && *policy != '\0' && std::string_view(policy) != "once")
    return std::nullopt;
  std::optional<std::filesystem::path> base = env_path("PERWAL_CACHE_DIR");
  if (!base) {
    if (auto xdg = env_path("XDG_CACHE_HOME"))
      base = *xdg / "perwal";
    else if (auto home = env_path("HOME"))
      base = *home / ".cache" / "perwal";
  }
  if (!base) return std::nullopt;
  return verified_snapshots(*base / "verified-snapshots");
}

std::filesystem::path verified_snapshots::entry(const file_identity& file) const {
  std::array<char, 40> name{};
  std::snprintf(name.data(), name.size(), "%" PRIx64 "-%" PRIx64, file.device, file.inode);
  return dir_ / name.data();
}

bool verified_snapshots::dir_trusted() const {
  struct stat st {};
  return ::lstat(dir_.c_str(), &st) == 0 && S_ISDIR(st.st_mode) && owned_privately(st);
}

bool verified_snapshots::vouch_for(const file_identity& file, std::uint64_t fingerprint) const {
  if (!dir_trusted()) return false;
  const int fd = ::open(entry(file).c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st {};
  std::array<char, 160> buf{};
  ssize_t n = -1;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && owned_privately(st) &&
      static_cast<std::size_t>(st.st_size) < buf.size())
    n = ::read(fd, buf.data(), buf.size());
  ::close(fd);
  return n > 0 && std::string_view(buf.data(), static_cast<std::size_t>(n)) == record_text(file, fingerprint);
}

void verified_snapshots::record(const file_identity& file, std::uint64_t fingerprint,
                                std::chrono::system_clock::time_point now) const {
  const auto settled_before =
      std::chrono::duration_cast<std::chrono::nanoseconds>((now - settle).time_since_epoch()).count();
  if (file.modified_ns > settled_before || file.changed_ns > settled_before) return;
  std::error_code ec;
  std::filesystem::create_directories(dir_.parent_path(), ec);
  if (::mkdir(dir_.c_str(), 0700) != 0 && errno != EEXIST) return;
  if (!dir_trusted()) return;
  const auto target = entry(file);
  const auto tmp = target.string() + ".tmp-" + std::to_string(::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return;
  const std::string text = record_text(file, fingerprint);
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  if (::close(fd) != 0 || !written || std::rename(tmp.c_str(), target.c_str()) != 0) {
    std::remove(tmp.c_str());
    return;
  }
  prune();
}

void verified_snapshots::prune() const {
  std::error_code ec;
  std::vector<std::pair<std::filesystem::file_time_type, std::filesystem::path>> records;
  for (const auto& e : std::filesystem::directory_iterator(dir_, ec)) {
    std::error_code ignored;
    if (e.is_regular_file(ignored)) records.emplace_back(e.last_write_time(ignored), e.path());
  }
  if (records.size() <= max_records) return;
  std::sort(records.begin(), records.end());
  for (std::size_t k = 0; k < records.size() - max_records; ++k) std::filesystem::remove(records[k].second, ec);
}

}  // namespace perwal::org
