// Helpers shared by the data-driven tests.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "engine/eval/decision.hpp"

namespace perwal::testing {

inline std::filesystem::path source_dir() {
  return PERWAL_SOURCE_DIR;
}

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// PERWAL_UPDATE_GOLDEN=1 rewrites expected files instead of comparing: for
// adding a case, never for making a failing one pass unread.
inline bool updating_golden() {
  const char* v = std::getenv("PERWAL_UPDATE_GOLDEN");
  return v != nullptr && std::string(v) == "1";
}

// The names of the rules behind findings (violations or warnings), as a set.
inline std::set<std::string> rule_names(const std::vector<perwal::finding>& findings) {
  std::set<std::string> out;
  for (const auto& f : findings) out.insert(f.rule);
  return out;
}

}  // namespace perwal::testing
