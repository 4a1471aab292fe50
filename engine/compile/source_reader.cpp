#include "engine/compile/source_reader.hpp"

#include <fstream>

namespace perwal {

namespace fs = std::filesystem;

std::string source_reader::identity(const fs::path& path) const {
  return path.lexically_normal().generic_string();
}

std::string_view note_id(read_failure f) {
  switch (f) {
    case read_failure::missing:
      return "read.missing";
    case read_failure::not_regular:
      return "read.not-regular";
    case read_failure::too_large:
      return "read.too-large";
    case read_failure::directory:
      return "read.directory";
    case read_failure::unreadable:
      break;
  }
  return "read.unreadable";
}

std::optional<std::string> disk_reader::read(const fs::path& path, read_failure* why) const {
  const auto fail = [why](read_failure f) -> std::optional<std::string> {
    if (why != nullptr) *why = f;
    return std::nullopt;
  };
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status))
    return fail(ec && ec != std::errc::no_such_file_or_directory ? read_failure::unreadable : read_failure::missing);
  if (fs::is_directory(status)) return fail(read_failure::directory);
  if (!fs::is_regular_file(status)) return fail(read_failure::not_regular);
  const auto size = fs::file_size(path, ec);
  if (ec) return fail(read_failure::unreadable);
  if (size > max_source_bytes) return fail(read_failure::too_large);
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(read_failure::unreadable);
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  text.resize(static_cast<std::size_t>(in.gcount()));  // a file that shrank meanwhile
  return text;
}

std::string disk_reader::identity(const fs::path& path) const {
  std::error_code ec;
  auto canonical = fs::weakly_canonical(path, ec);
  return ec ? source_reader::identity(path) : canonical.string();
}

std::shared_ptr<const disk_reader> disk_reader::shared() {
  static const auto one = std::make_shared<const disk_reader>();
  return one;
}

memory_reader::memory_reader(std::initializer_list<std::pair<const std::string, std::string>> files) {
  for (const auto& [path, text] : files) add(path, text);
}

void memory_reader::add(const fs::path& path, std::string text) {
  files_[source_reader::identity(path)] = std::move(text);
}

std::optional<std::string> memory_reader::read(const fs::path& path, read_failure* why) const {
  auto it = files_.find(source_reader::identity(path));
  if (it == files_.end()) {
    if (why != nullptr) *why = read_failure::missing;
    return std::nullopt;
  }
  return it->second;
}

std::vector<fs::path> split_search_path(std::string_view list) {
  std::vector<fs::path> out;
  while (!list.empty()) {
    const auto colon = list.find(':');
    const auto part = list.substr(0, colon);
    if (!part.empty()) out.emplace_back(std::string(part));
    if (colon == std::string_view::npos) break;
    list.remove_prefix(colon + 1);
  }
  return out;
}

}  // namespace perwal
