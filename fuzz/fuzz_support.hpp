// Shared by the libFuzzer harnesses: the bundled Padang Panjang ruleset and
// org, compiled once per process. A harness aborts (a crash libFuzzer
// records) only when perwal breaks a promise: an exception escaping a
// loader, two loaders disagreeing, a refusal without an error.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include "engine/compile/ruleset.hpp"
#include "engine/org/org.hpp"

namespace perwal::fuzz {

inline std::filesystem::path source_dir() {
  return PERWAL_SOURCE_DIR;
}

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

[[noreturn]] inline void broken(const std::string& what) {
  std::cerr << "perwal fuzz: " << what << "\n";
  std::abort();
}

inline const std::shared_ptr<const compiled_ruleset>& rules() {
  static const auto r = [] {
    diagnostics d;
    auto c = compile_ruleset(source_dir() / "rulesets/padang-panjang-48-2024.perwal", d,
                             {{source_dir() / "rulesets"}, nullptr});
    if (!c) broken("the bundled ruleset does not compile:\n" + render(d));
    return c;
  }();
  return r;
}

inline const std::shared_ptr<const org::org_graph>& fixture_org() {
  static const auto g = [] {
    diagnostics d;
    auto o = org::org_graph::load_file((source_dir() / "fixtures/padang-panjang/org.json").string(), rules()->vocab,
                                       rules()->shape, d);
    if (!o) broken("the bundled org does not load");
    return o;
  }();
  return g;
}

}  // namespace perwal::fuzz
