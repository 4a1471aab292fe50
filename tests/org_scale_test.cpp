// The national-scale org paths against the reference: the streaming JSON
// reader (org_graph::load) must build the same org_graph as the nlohmann
// loader (org_graph::load_reference) for every valid org and report the same
// errors for every invalid one; a snapshot must load back to the same org.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "engine/compile/ruleset.hpp"
#include "engine/org/org.hpp"

namespace {

namespace fs = std::filesystem;
using perwal::compiled_ruleset;
using perwal::org::load_error;
using perwal::org::org_graph;

fs::path source_dir() {
#ifdef PERWAL_SOURCE_DIR
  return PERWAL_SOURCE_DIR;
#else
  return fs::current_path();
#endif
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::shared_ptr<const compiled_ruleset>> all_rulesets() {
  std::vector<std::shared_ptr<const compiled_ruleset>> out;
  for (const auto& entry : fs::directory_iterator(source_dir() / "rulesets")) {
    if (entry.path().extension() != ".perwal") continue;
    perwal::diagnostics diags;
    if (auto r = perwal::compile_ruleset(entry.path(), diags)) out.push_back(std::move(r));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a->header.id < b->header.id; });
  return out;
}

// Every org JSON in the repository: the fixtures, the cross org, tests/data.
std::vector<fs::path> all_orgs() {
  std::vector<fs::path> out;
  for (const auto& dir : {source_dir() / "fixtures", source_dir() / "tests" / "data"}) {
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
      if (entry.path().extension() != ".json") continue;
      if (dir == source_dir() / "fixtures" && entry.path().filename() != "org.json") continue;
      out.push_back(entry.path());
    }
  }
  out.push_back(source_dir() / "tests" / "cross" / "org.json");
  std::sort(out.begin(), out.end());
  return out;
}

std::string text_of(const std::vector<load_error>& errors) {
  std::string out;
  for (const auto& e : errors) out += e.to_string() + "\n";
  return out;
}

}  // namespace

TEST_CASE("the streaming reader builds what the reference loader builds", "[org][scale]") {
  const auto rulesets = all_rulesets();
  REQUIRE(rulesets.size() >= 4);
  int streamed = 0;
  for (const auto& path : all_orgs()) {
    const std::string text = slurp(path);
    for (const auto& r : rulesets) {
      INFO(path.string() << " under " << r->header.id);
      std::vector<load_error> ref_errors, errors;
      const auto ref = org_graph::load_reference(text, path.string(), r->vocab, r->shape, ref_errors);
      const auto fast = org_graph::load(text, path.string(), r->vocab, r->shape, errors);
      const auto direct = org_graph::load_streaming(text, r->vocab, r->shape);
      CHECK(text_of(errors) == text_of(ref_errors));
      REQUIRE(bool(fast) == bool(ref));
      if (!ref) {
        CHECK_FALSE(direct);
        continue;
      }
      CHECK(fast->canonical_dump() == ref->canonical_dump());
      if (direct) {
        ++streamed;
        CHECK(direct->canonical_dump() == ref->canonical_dump());
      }
    }
  }
  CHECK(streamed >= 5);  // the fixtures and the cross org do not fall back
}
