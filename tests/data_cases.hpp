// Data-driven cases as test cases of their own: each file of a data folder
// is registered with Catch2 before the session runs, under a name that says
// which file it is (`golden/jambi/012-…`), so ctest lists, runs and reports
// each one apart and a failing case does not hide the others.
#pragma once

#include <catch2/catch.hpp>
#include <deque>
#include <filesystem>
#include <functional>
#include <string>

namespace perwal::testing {

class data_case final : public Catch::ITestInvoker {
 public:
  explicit data_case(std::function<void()> run) : run_(std::move(run)) {}
  void invoke() const override { run_(); }

 private:
  std::function<void()> run_;
};

// Registers `run` as the test case `name` with `tags` ("[golden]"). Call it
// during static initialisation (from a namespace-scope initializer).
inline void register_case(std::string name, std::string tags, std::function<void()> run, const char* file,
                          std::size_t line) {
  // Catch keeps references to the name and tags: they live as long as the program.
  static std::deque<std::string> names;
  names.push_back(std::move(name));
  const std::string& stored_name = names.back();
  names.push_back(std::move(tags));
  const std::string& stored_tags = names.back();
  Catch::AutoReg(new data_case(std::move(run)), Catch::SourceLineInfo(file, line), Catch::StringRef(),
                 Catch::NameAndTags{stored_name, stored_tags});
}

// The files of `folder` whose extension is `ext`, sorted (none if the folder is missing).
inline std::vector<std::filesystem::path> data_files(const std::filesystem::path& folder, const std::string& ext) {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(folder, ec)) {
    if (e.path().extension() == ext) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace perwal::testing
