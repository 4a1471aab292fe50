#include "engine/compile/source_reader.hpp"

#include <fstream>
#include <sstream>

namespace perwal {

namespace fs = std::filesystem;

std::string source_reader::identity(const fs::path& path) const {
  return path.lexically_normal().generic_string();
}

std::optional<std::string> disk_reader::read(const fs::path& path) const {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
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

std::optional<std::string> memory_reader::read(const fs::path& path) const {
  auto it = files_.find(source_reader::identity(path));
  if (it == files_.end()) return std::nullopt;
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
