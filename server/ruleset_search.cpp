#include "server/ruleset_search.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "engine/common/spelling.hpp"

namespace perwal::server {

namespace fs = std::filesystem;

std::vector<std::string> ruleset_search_path() {
  std::vector<std::string> dirs;
  auto add = [&](const std::string& d) {
    if (!d.empty() && std::find(dirs.begin(), dirs.end(), d) == dirs.end()) dirs.push_back(d);
  };
  if (const char* env = std::getenv("PERWAL_PATH")) {
    const std::string list = env;
    for (std::size_t start = 0, end = 0; start <= list.size(); start = end + 1) {
      end = std::min(list.find(':', start), list.size());
      add(list.substr(start, end - start));
    }
  }
  // An installed binary finds its data relative to itself, wherever the
  // prefix given to `cmake --install` put it.
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  bool installed = false;
  if (!ec) {
    const fs::path beside = (exe.parent_path() / PERWAL_RULESET_RELDIR).lexically_normal();
    installed = fs::is_directory(beside, ec);
    if (installed) add(beside.string());
  }
  // A binary in its build tree prefers the source tree's rulesets (the ones
  // being edited) to a copy installed earlier.
  if (!installed) add(PERWAL_SOURCE_RULESET_DIR);
  add(PERWAL_RULESET_DIR);
  return dirs;
}

std::optional<std::string> find_ruleset(const std::string& value, std::string& error, lang language) {
  const bool en = language == lang::en;
  const std::string suffix = ".perwal";
  std::error_code ec;
  const bool is_path =
      value.empty() || fs::exists(value, ec) || value.find('/') != std::string::npos ||
      (value.size() >= suffix.size() && value.compare(value.size() - suffix.size(), suffix.size(), suffix) == 0);
  if (is_path) return value;
  const auto dirs = ruleset_search_path();
  for (const auto& d : dirs) {
    const fs::path candidate = fs::path(d) / (value + suffix);
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
  }
  // The bundled or installed id nearest to the one typed.
  nearest_finder near(value);
  for (const auto& d : dirs) {
    for (const auto& e : fs::directory_iterator(d, ec))
      if (e.path().extension() == suffix) near.consider(e.path().stem().string());
  }
  error =
      (en ? "no ruleset file and no ruleset with id \"" : "tidak ada berkas ruleset dan tidak ada ruleset ber-id \"") +
      value + "\"" +
      (near.best().empty() ? "" : (en ? " (did you mean \"" : " (maksud Anda \"") + near.best() + "\"?)") +
      (en ? ": looked for " : ": dicari ") + value + suffix + (en ? " in\n" : " di\n");
  for (const auto& d : dirs) error += "  " + d + "\n";
  error += en ? "(set PERWAL_PATH to a ':'-separated list of folders to search more)"
              : "(isi PERWAL_PATH dengan daftar folder dipisah ':' untuk mencari di tempat lain)";
  return std::nullopt;
}

}  // namespace perwal::server
