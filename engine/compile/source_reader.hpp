// Where the compiler's input comes from. The compiler reads every file (the
// top ruleset, its includes, the bases it extends) through a source_reader
// and looks for bases only in the folders it is given: it never reads the
// environment or depends on the working directory by itself.
//   disk_reader   — files on disk (the default);
//   memory_reader — a map from path to text, for tests, editors and servers
//                   that hold rulesets in memory.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace perwal {

// Why a file could not be read (each has a note in the message catalogue).
enum class read_failure : std::uint8_t { missing, not_regular, too_large, unreadable, directory };
[[nodiscard]] std::string_view note_id(read_failure f);

// Rulesets are text of a few hundred kilobytes; a bigger file is refused
// rather than read into memory (a device such as /dev/zero never ends).
inline constexpr std::uintmax_t max_source_bytes = std::uintmax_t{16} << 20;

class source_reader {
 public:
  virtual ~source_reader() = default;
  // The text of `path`, or nullopt (and the reason in `why`, if given).
  [[nodiscard]] virtual std::optional<std::string> read(const std::filesystem::path& path,
                                                        read_failure* why = nullptr) const = 0;
  // A key equal for two paths naming the same file (include cycles are found by it).
  [[nodiscard]] virtual std::string identity(const std::filesystem::path& path) const;
};

class disk_reader final : public source_reader {
 public:
  [[nodiscard]] std::optional<std::string> read(const std::filesystem::path& path,
                                                read_failure* why = nullptr) const override;
  // The canonical path, symlinks resolved as far as the file exists.
  [[nodiscard]] std::string identity(const std::filesystem::path& path) const override;
  // One shared instance (the default reader of compile_options).
  [[nodiscard]] static std::shared_ptr<const disk_reader> shared();
};

// Paths are compared after lexical normalisation ("a/./b/../c" is "a/c");
// relative and absolute paths are different files.
class memory_reader final : public source_reader {
 public:
  memory_reader() = default;
  memory_reader(std::initializer_list<std::pair<const std::string, std::string>> files);
  void add(const std::filesystem::path& path, std::string text);
  [[nodiscard]] std::optional<std::string> read(const std::filesystem::path& path,
                                                read_failure* why = nullptr) const override;

 private:
  std::map<std::string, std::string> files_;
};

// "a:b::c" -> {a, b, c}: a search path as PERWAL_PATH writes it (empty parts skipped).
[[nodiscard]] std::vector<std::filesystem::path> split_search_path(std::string_view list);

}  // namespace perwal
