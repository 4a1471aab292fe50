// Helpers shared by the explorer, diff and semantic lint tests.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <memory>
#include <string>

#include "engine/compile/ruleset.hpp"
#include "test_support.hpp"

namespace perwal::testing {

// A ruleset from text; its base and includes are looked up in rulesets/.
inline std::shared_ptr<const compiled_ruleset> compile_text(const std::string& name, const std::string& text) {
  diagnostics diags;
  auto r = compile_ruleset_text(name, text, source_dir() / "rulesets", diags);
  INFO(render(diags));
  REQUIRE(r);
  return r;
}

inline std::shared_ptr<const compiled_ruleset> bundled(const std::string& id) {
  const auto path = source_dir() / "rulesets" / (id + ".perwal");
  return compile_text(path.string(), slurp(path));
}

// `text` with the first `from` at or after `anchor` replaced by `to`.
inline std::string replace_after(std::string text, const std::string& anchor, const std::string& from,
                                 const std::string& to) {
  const auto a = text.find(anchor);
  REQUIRE(a != std::string::npos);
  const auto at = text.find(from, a);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

struct cli_result {
  int status = -1;
  std::string out;  // stdout only
};

// Runs the perwal binary from the repository root (stderr discarded unless `merge`).
inline cli_result perwal_cli(const std::string& args, bool merge = false) {
  const std::string cmd = "cd '" + source_dir().string() + "' && PERWAL_PATH='" + (source_dir() / "rulesets").string() +
                          "' '" PERWAL_BINARY "' " + args + (merge ? " 2>&1" : " 2>/dev/null");
  cli_result r;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), static_cast<int>(buf.size()), pipe)) r.out += buf.data();
  const int raw = ::pclose(pipe);
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return r;
}

// A temporary file unique to this process and call (ctest runs tests in parallel).
inline std::filesystem::path temp_file(const std::string& stem, const std::string& ext) {
  static int calls = 0;
  return std::filesystem::temp_directory_path() /
         ("perwal-" + stem + "-" + std::to_string(::getpid()) + "-" + std::to_string(++calls) + ext);
}

}  // namespace perwal::testing
