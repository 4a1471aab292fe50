// The batch reader of simple queries (engine/eval/simple_batch.hpp) against
// read_query: over every golden scenario's query, and variants of them, a
// query it takes reads to the same typed query, and it declines every query
// that read_query refuses or that is not simple.
#include "engine/eval/simple_batch.hpp"

#include <catch2/catch.hpp>
#include <map>

#include "engine/common/json_input.hpp"
#include "engine/compile/ruleset.hpp"
#include "engine/eval/query.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using json = nlohmann::json;
using perwal::testing::slurp;
using perwal::testing::source_dir;

namespace {

struct city {
  std::shared_ptr<const perwal::compiled_ruleset> rules;
  std::shared_ptr<const perwal::org::org_graph> org;
};

const city& load(const fs::path& folder) {
  static std::map<std::string, city> cache;
  if (auto it = cache.find(folder.string()); it != cache.end()) return it->second;
  const json suite = json::parse(slurp(folder / "suite.json"));
  perwal::diagnostics diags;
  perwal::compile_options options;
  options.search_path = {source_dir() / "rulesets"};
  auto rules = perwal::compile_ruleset(source_dir() / suite["rules"].get<std::string>(), diags, options);
  REQUIRE(rules);
  const auto org_file = suite["org"].get<std::string>();
  auto org = perwal::org::org_graph::load(slurp(source_dir() / org_file), org_file, rules->vocab, rules->shape, diags);
  REQUIRE(org);
  return cache.emplace(folder.string(), city{rules, org}).first->second;
}

// What the reader may take: a kedudukan or pelaporan whose every field is a
// string (also_to: a list of strings). Whether the ids exist is its to check.
bool simple_shape(const json& q) {
  if (!q.is_object() || !q.contains("type") || !q["type"].is_string()) return false;
  const auto type = q["type"].get<std::string>();
  if (type != "kedudukan" && type != "pelaporan") return false;
  for (const auto& [key, v] : q.items()) {
    if (key == "also_to" && type == "pelaporan") {
      if (!v.is_array()) return false;
      for (const auto& x : v)
        if (!x.is_string()) return false;
    } else if (!v.is_string()) {
      return false;
    }
  }
  return true;
}

struct outcome {
  bool fast = false, general = false;
  perwal::query fast_query, general_query;
  std::string tree, parsed;  // the reader's tree and json_input::parse's of the batch, dumped ("" when none)
  [[nodiscard]] bool same() const { return fast_query == general_query; }
};

// The query read both ways, the batch reader's given it as a batch of one.
outcome both_ways(const std::string& text, const city& c) {
  outcome out;
  perwal::simple_batch batch;
  if (batch.parse("[" + text + "]")) {
    REQUIRE(batch.size() == 1);
    out.fast = batch.read(0, *c.rules, *c.org, out.fast_query);
    if (const auto t = batch.tree(0)) out.tree = perwal::json_input::dump(*t);
  }
  perwal::json_input::failure why;
  // As the general way parses a batch: the whole array (its depth counted from it).
  if (const auto all = perwal::json_input::parse("[" + text + "]", why))
    out.parsed = perwal::json_input::dump((*all)[0]);
  const auto q = perwal::json_input::parse(text, why);
  if (q) {
    perwal::diagnostics errors;
    out.general = perwal::read_query(*q, *c.rules, *c.org, errors, out.general_query);
  }
  return out;
}

std::vector<fs::path> golden_cities() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(source_dir() / "tests" / "golden"))
    if (e.is_directory() && fs::exists(e.path() / "suite.json")) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("simple batch: every golden query read as read_query reads it, or declined", "[simple_batch]") {
  std::size_t taken = 0, simple = 0, declined = 0;
  for (const auto& folder : golden_cities()) {
    const auto& c = load(folder);
    for (const auto& e : fs::directory_iterator(folder)) {
      if (e.path().filename() == "suite.json" || e.path().extension() != ".json") continue;
      const json scenario = json::parse(slurp(e.path()));
      if (!scenario.contains("query")) continue;
      const json& q = scenario["query"];
      INFO(e.path().string() << "\n" << q.dump());
      const auto r = both_ways(q.dump(), c);
      CHECK(r.tree == r.parsed);  // every query's tree, simple or not
      if (simple_shape(q)) {
        ++simple;
        // A simple query is taken exactly when read_query accepts it, and reads the same.
        CHECK(r.fast == r.general);
        if (r.fast) CHECK(r.same());
      } else {
        CHECK_FALSE(r.fast);
      }
      r.fast ? ++taken : ++declined;
    }
  }
  // The golden suites hold simple queries of both kinds, and others.
  CHECK(simple > 100);
  CHECK(taken > 100);
  CHECK(declined > 100);
}

TEST_CASE("simple batch: variants taken and declined as read_query accepts and refuses them", "[simple_batch]") {
  const auto& c = load(source_dir() / "tests" / "golden" / "padang-panjang");
  const auto& positions = c.org->positions();
  REQUIRE(positions.size() > 3);
  std::string a, b;
  for (const auto& p : positions) {
    if (p.atasan == perwal::org::none) continue;
    a = p.id;
    b = positions[p.atasan].id;
    break;
  }
  REQUIRE_FALSE(a.empty());
  const auto taken = [&](const std::string& text) {
    INFO(text);
    const auto r = both_ways(text, c);
    CHECK(r.fast);
    CHECK(r.general);
    CHECK(r.same());
  };
  const auto declined = [&](const std::string& text, bool general) {
    INFO(text);
    const auto r = both_ways(text, c);
    CHECK_FALSE(r.fast);
    CHECK(r.general == general);
  };
  const std::string pa = "\"position\":\"" + a + "\"";
  taken("{\"type\":\"kedudukan\"," + pa + "}");
  taken("{\"type\":\"kedudukan\"," + pa + ",\"atasan\":\"" + b + "\"}");
  taken("{\"ruleset\":\"x\",\"type\":\"kedudukan\"," + pa + "}");
  taken("{\"type\":\"kedudukan\",\"\\u0070osition\":\"" + a + "\"}");  // an escaped key is the same key
  taken("{\"type\":\"pelaporan\",\"from\":\"" + a + "\",\"to\":\"" + b +
        "\",\"as\":\"hasil_kegiatan\",\"also_to\":[\"" + b + "\"]}");
  declined("{\"type\":\"kedudukan\",\"position\":\"no-such-position\"}", false);
  declined("{\"type\":\"kedudukan\"," + pa + ",\"atasan\":\"no-such-position\"}", false);
  declined("{\"type\":\"kedudukan\"," + pa + ",\"atsan\":\"" + b + "\"}", false);  // unknown field
  declined("{\"type\":\"kedudukan\"," + pa + "," + pa + "}", false);               // a key twice
  declined("{\"type\":\"kedudukan\"," + pa + ",\"\\u0070osition\":\"" + a + "\"}", false);
  declined("{\"type\":\"kedudukan\"," + pa + ",\"atasan\":null}", true);  // null: the general way's
  declined("{\"type\":\"kedudukan\",\"position\":7}", false);
  declined("{\"type\":\"pelaporan\",\"from\":\"" + a + "\",\"to\":\"" + b + "\",\"as\":\"no-such-kind\"}", false);
  declined(
      "{\"type\":\"pelaporan\",\"from\":\"" + a + "\",\"to\":\"" + b + "\",\"as\":\"hasil_kegiatan\",\"also_to\":[1]}",
      false);
  declined("{\"type\":\"pelaporan\",\"from\":\"" + a + "\",\"to\":\"" + b +
               "\",\"as\":\"hasil_kegiatan\",\"also_to\":[],\"also_to\":[]}",
           false);  // a list twice
  declined("{\"type\":\"tim\",\"team\":\"no-such-team\"}", false);
  declined("{\"type\":\"audit\"}", true);

  // Trees as json_input::parse builds them: numbers of each kind, escapes, nesting.
  for (const std::string text :
       {R"({"n":[0,-0,-0.0,1,-1,1.0,1e2,1E-400,18446744073709551615,9223372036854775807,-9223372036854775808]})",
        R"({"s":"\u0000\ud83d\ude00\"\\é","b":[true,false,null],"o":{"z":{},"a":[]}})"}) {
    INFO(text);
    const auto r = both_ways(text, c);
    CHECK_FALSE(r.tree.empty());
    CHECK(r.tree == r.parsed);
  }
  const auto nested = [](std::size_t k) {  // in a batch the item is at level 2, then k arrays
    return "{\"a\":" + std::string(k, '[') + std::string(k, ']') + "}";
  };
  CHECK_FALSE(both_ways(nested(62), c).tree.empty());
  CHECK(both_ways(nested(62), c).tree == both_ways(nested(62), c).parsed);
  CHECK(both_ways(nested(63), c).tree.empty());  // past json_input::max_depth, as parse says
  CHECK(both_ways(nested(63), c).parsed.empty());
  CHECK(both_ways(R"({"a":{"b":1,"b":2}})", c).tree.empty());  // a key twice, deeper

  perwal::simple_batch batch;
  CHECK_FALSE(batch.parse("{\"type\":\"kedudukan\"}"));  // not a batch
  CHECK_FALSE(batch.parse("[{\"type\":\"kedudukan\"},1]"));
  CHECK_FALSE(batch.parse("[{\"type\":\"kedudukan\"},]"));                // not JSON
  CHECK_FALSE(batch.parse("[{\"type\":\"kedu\xff\"}]"));                  // not UTF-8
  CHECK_FALSE(batch.parse(std::string(70, '[') + std::string(70, ']')));  // not objects
  // Longer than max_text (its buffers would stay that large): the general way's.
  std::string long_text = "[{\"type\":\"kedudukan\",\"position\":\"";
  long_text.append(perwal::simple_batch::max_text, 'x');
  CHECK_FALSE(batch.parse(long_text + "\"}]"));
  REQUIRE(batch.parse("[{\"type\":\"kedudukan\"},{\"ruleset\":\"r\"},{\"ruleset\":1}]"));
  CHECK(batch.size() == 3);
  CHECK(batch.ruleset(0) == std::string_view());
  CHECK(batch.ruleset(1) == std::string_view("r"));
  CHECK_FALSE(batch.ruleset(2).has_value());
}
