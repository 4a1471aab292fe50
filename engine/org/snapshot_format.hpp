// Internal to engine/org: the snapshot file format (docs/snapshot.md) as
// org_snapshot.cpp writes and reads it: the checksum, the header, section
// table and records, and the read-only file mapping.
#pragma once

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "engine/org/org.hpp"

namespace perwal::org::snapshot_detail {

inline constexpr std::array<char, 8> magic = {'P', 'E', 'R', 'W', 'A', 'L', 'S', 'N'};
inline constexpr std::uint32_t format_version = 8;
// Each section starts at a multiple of this from the payload's start (the
// payload itself starts at a multiple of 32 in the file, and mapped files
// start on a page), so every array is aligned for its elements where it lies.
inline constexpr std::uint64_t section_align = 64;
inline constexpr std::array<char, section_align> zero_pad{};

[[nodiscard]] constexpr std::uint64_t align_section(std::uint64_t offset) {
  return (offset + section_align - 1) / section_align * section_align;
}
inline constexpr std::uint32_t byte_order_mark = 0x01020304;

// ---- checksum ----

// The 64-bit XXH3 of `n` bytes (Debian's libxxhash; snapshot_checksum.cpp),
// run on the widest vector unit the processor has. The first load of a
// snapshot hashes all of it (1.7 GB nationally): ~60 ms on one core, where
// the scalar hash of formats up to 7 took ~190 ms.
[[nodiscard]] std::uint64_t checksum(const char* data, std::size_t n);

// What the codes in a snapshot mean: every code's name and category
// memberships, and the structure. A snapshot compiled against another
// vocabulary would decode codes wrongly, so it is refused.
[[nodiscard]] inline std::uint64_t vocabulary_hash(const vocabulary& vocab, const structure& shape) {
  std::string text;
  for (std::size_t c = 0; c < vocab.size(); ++c) {
    text += vocab.name(static_cast<code>(c));
    text += ':';
    for (std::size_t cat = 0; cat < category_count; ++cat) {
      text += std::to_string(vocab.rank(static_cast<category>(cat), static_cast<code>(c)));
      text += ',';
    }
    text += ';';
  }
  const auto codes = [&](const std::vector<code>& cs) {
    for (const code c : cs) text += std::to_string(c) + ",";
    text += '|';
  };
  codes(shape.perangkat_daerah_kinds);
  codes(shape.unit_organisasi_kinds);
  for (const auto& [k, pds] : shape.unit_organisasi_within) {
    text += std::to_string(k) + "<";
    codes(pds);
  }
  return checksum(text.data(), text.size());
}

// ---- file layout ----

struct header {
  std::array<char, 8> magic;
  std::uint32_t version;
  std::uint32_t byte_order;
  std::uint64_t vocab_hash;
  std::uint64_t source_size;
  std::uint64_t source_hash;
  std::uint64_t payload_size;
  std::uint64_t table_checksum;
  std::uint32_t section_count;
  std::uint32_t reserved;
  // The address the file is prelinked for: the strings and tag lists the
  // position, employee and tag records point to are where they lie when the
  // whole file is mapped here (0: they are offsets from the file's start).
  std::uint64_t base;
  std::uint64_t layout;  // record_layout() of the build that wrote it
  std::array<std::uint64_t, 2> reserved2;
};
static_assert(sizeof(header) == 96);
static_assert(offsetof(header, version) == 8);

struct section_entry {
  std::uint32_t id;
  std::uint32_t elem_size;
  std::uint64_t offset;  // from the payload's start
  std::uint64_t count;
  std::uint64_t checksum;  // of the section's bytes
};

enum section_id : std::uint32_t {
  s_strings = 1,
  s_instansi,
  s_units,
  s_positions,
  s_employees,
  s_delegations,
  s_teams,
  s_anggota,
  s_tags,
  s_positions_by_unit_pre,
  s_unit_first_pos,
  s_unit_last_pos,
  s_unit_by_pre,
  s_delegation_first,
  s_team_first,
  s_delegation_list,
  s_team_list,
  s_employee_by_position,
  s_unit_of_kind,
  s_unit_ids,
  s_position_ids,
  s_team_ids,
  s_nips,
  s_position_slot_atasan,
  section_count_
};

struct str_ref {
  std::uint32_t offset;
  std::uint32_t size;
};
struct instansi_rec {
  str_ref id, name;
  std::uint32_t pejabat, root;
};
// Units, positions, employees and the tag table are stored as the structs
// themselves (org::unit, org::position, org::employee, std::string_view), their
// string_views and tag spans pointing where the string and tag sections lie
// when the file is mapped at header::base: used in place, never converted.
// This fingerprint of their layout (sizes, field offsets, and how a
// string_view and a span hold their pointer and length) guards against a file
// written by a build that lays them out otherwise.
[[nodiscard]] std::uint64_t record_layout();

// Where a prelinked snapshot prefers to be mapped: one of 1,024 slots of
// 64 GiB from 16 TiB up, picked by its source's hash (so that different orgs
// in one process rarely want the same one), or 0 when it would not fit one.
[[nodiscard]] inline std::uint64_t preferred_base(std::uint64_t source_hash, std::uint64_t file_size) {
  constexpr std::uint64_t slot = std::uint64_t{1} << 36;
  if (file_size > slot) return 0;
  return (std::uint64_t{1} << 44) + (source_hash % 1024) * slot;
}
struct delegation_rec {
  std::uint32_t from, to;
  std::uint16_t authority, pad;
  str_ref basis, extra;  // extra: the object's other fields as JSON text, empty when none
};
struct team_rec {
  str_ref id, name;
  std::uint32_t owner, by, ketua, anggota_first, anggota_count;
  str_ref sasaran, indikator, nilai, extra;
};
struct kind_rec {
  std::uint64_t key;
  std::uint32_t unit, pad;
};

// A malformed snapshot (after the checksum passed: a bug or a forgery).
struct malformed {
  std::string what;
};
// A section whose bytes do not match their checksum.
struct corrupt {};

// A read-only mapping of a whole file.
class mapped_file {
 public:
  // `populate`: fault every page in now (a snapshot is read whole at once,
  // to verify its checksums), in one call rather than page by page.
  // `at`: the address to map it at if that range is free (else anywhere;
  // at() says which).
  explicit mapped_file(const std::string& path, bool populate = false, std::uint64_t at = 0) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) return;
    struct stat st {};
    if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) return;
    size_ = static_cast<std::size_t>(st.st_size);
    ok_ = true;
    if (size_ == 0) return;
#ifdef MADV_POPULATE_READ
    const bool populate_later = populate;  // after the huge-page advice below
#else
    const bool populate_later = false;
#endif
    const int flags = MAP_PRIVATE | (populate && !populate_later ? MAP_POPULATE : 0);
    void* p = MAP_FAILED;
#ifdef MAP_FIXED_NOREPLACE
    if (at != 0) {
      // never replaces a mapping; a kernel without the flag takes it as a hint
      p = ::mmap(reinterpret_cast<void*>(at), size_, PROT_READ, flags | MAP_FIXED_NOREPLACE, fd_, 0);
      if (p != MAP_FAILED && reinterpret_cast<std::uintptr_t>(p) != at) {
        ::munmap(p, size_);
        p = MAP_FAILED;
      }
    }
#endif
    if (p == MAP_FAILED) p = ::mmap(nullptr, size_, PROT_READ, flags, fd_, 0);
    if (p == MAP_FAILED) {
      ok_ = false;
      return;
    }
    data_ = static_cast<const char*>(p);
    if (populate_later) {
      // Pages read from disk now come in 2 MiB folios where the kernel can
      // (one page table entry each; see block_writer), then all are mapped.
      (void)::madvise(p, size_, MADV_HUGEPAGE);
#ifdef MADV_POPULATE_READ
      (void)::madvise(p, size_, MADV_POPULATE_READ);
#endif
    }
  }
  ~mapped_file() {
    if (data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
    if (fd_ >= 0) ::close(fd_);
  }
  mapped_file(const mapped_file&) = delete;
  mapped_file& operator=(const mapped_file&) = delete;

  [[nodiscard]] bool ok() const {
    return ok_;
  }
  [[nodiscard]] std::size_t size() const {
    return size_;
  }
  // The descriptor that was mapped (open as long as this is).
  [[nodiscard]] int fd() const {
    return fd_;
  }
  [[nodiscard]] std::string_view text() const {
    return {data_ == nullptr ? "" : data_, size_};
  }
  void advise(int advice) const {
    if (data_ != nullptr) (void)::madvise(const_cast<char*>(data_), size_, advice);
  }
  // Gives back the pages wholly before `p`: they will not be read again
  // (and if they were, the kernel would read them from the file anew).
  void drop_before(const char* p) {
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    const std::size_t upto = static_cast<std::size_t>(p - data_) / page * page;
    constexpr std::size_t step = std::size_t{64} << 20;
    if (upto < dropped_ + step) return;
    (void)::madvise(const_cast<char*>(data_) + dropped_, upto - dropped_, MADV_DONTNEED);
    dropped_ = upto;
  }

 private:
  int fd_ = -1;
  const char* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t dropped_ = 0;
  bool ok_ = false;
};

// The checksum that guards the header and the section table.
[[nodiscard]] inline std::uint64_t table_checksum(header h, const std::vector<section_entry>& table) {
  h.table_checksum = 0;
  std::string bytes(reinterpret_cast<const char*>(&h), sizeof h);
  bytes.append(reinterpret_cast<const char*>(table.data()), table.size() * sizeof(section_entry));
  return checksum(bytes.data(), bytes.size());
}

}  // namespace perwal::org::snapshot_detail
