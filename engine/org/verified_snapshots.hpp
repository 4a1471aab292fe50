// The snapshots this user has verified in full, so that loading one again,
// unchanged, need not hash its 1.7 GB and check its records once more
// (docs/snapshot.md, "What is verified when").
//
// A record names a file by its device and inode and holds what changes
// whenever the file's bytes are written through the file system: its size,
// its modification and status-change times (the status-change time cannot be
// set back by any user), and the snapshot's own table checksum, with a
// fingerprint of the checks that were run. A load that finds a matching
// record skips the checksums and record checks; any write to the file, a
// copy, a rename over it or a newer perwal's checks make the record not
// match, and the next load verifies in full again.
//
// A file is recorded only when it was last changed at least `settle` before
// the verification: timestamps come from a coarse clock, so a write just
// after an earlier one may leave them as they were (the "racy" file git's
// index guards against the same way).
//
// The records live in a directory of their own, trusted only when it and
// each record belong to this user and nobody else may write them.
// PERWAL_VERIFY_SNAPSHOTS=always (or any value but "once", the default)
// turns the records off: every load verifies in full.
#pragma once

#include <sys/stat.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>

namespace perwal::org {

// What identifies one state of a file: fstat of the descriptor that was read.
struct file_identity {
  std::uint64_t device = 0, inode = 0, size = 0;
  std::int64_t modified_ns = 0, changed_ns = 0;
  [[nodiscard]] static std::optional<file_identity> of(int fd);
  [[nodiscard]] static file_identity of(const struct stat& st);
  friend bool operator==(const file_identity&, const file_identity&) = default;
};

class verified_snapshots {
 public:
  // A file changed less than this before it was verified is not recorded.
  static constexpr std::chrono::seconds settle{2};
  // At most this many records are kept (the oldest go first): one per
  // snapshot file verified, most of which a user keeps for a while.
  static constexpr std::size_t max_records = 256;

  // The records in effect: $PERWAL_CACHE_DIR/verified-snapshots, else under
  // $XDG_CACHE_HOME/perwal or $HOME/.cache/perwal; none when
  // PERWAL_VERIFY_SNAPSHOTS asks for every load to verify or no directory is known.
  [[nodiscard]] static std::optional<verified_snapshots> from_environment();
  explicit verified_snapshots(std::filesystem::path dir) : dir_(std::move(dir)) {}

  // Was the file, exactly as it is now, verified in full by checks with this
  // fingerprint? False whenever anything is missing, unreadable or not trusted.
  [[nodiscard]] bool vouch_for(const file_identity& file, std::uint64_t fingerprint) const;
  // Records a file just verified in full (best effort: a failure to write
  // only means the next load verifies in full again). `now`: the time of
  // the verification.
  void record(const file_identity& file, std::uint64_t fingerprint,
              std::chrono::system_clock::time_point now = std::chrono::system_clock::now()) const;

  [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }

 private:
  [[nodiscard]] std::filesystem::path entry(const file_identity& file) const;
  [[nodiscard]] bool dir_trusted() const;
  void prune() const;
  std::filesystem::path dir_;
};

}  // namespace perwal::org
