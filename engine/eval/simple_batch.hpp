// Reading a batch of queries (a JSON array, as POST /v1/check takes it)
// without building a JSON tree for each query. Most traffic is simple:
// kedudukan and pelaporan queries whose every field is a string naming what
// the org and the ruleset have. Those are read straight from the text
// (simdjson); any other query of the batch is given as the tree
// json_input::parse would have built for it, for read_query. This reader
// never reports a problem: it takes a query or declines it, and a declined
// batch is read the general way (json_input::parse, then read_query), which
// also says what is wrong. A query it takes reads to the same typed query as
// read_query gives, and a tree it gives is the one json_input::parse gives
// (tests/simple_batch_test.cpp; the query fuzzer checks both on every input).
#pragma once

#include <cstddef>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "engine/compile/ruleset.hpp"
#include "engine/eval/query.hpp"
#include "engine/org/org.hpp"

namespace perwal {

class simple_batch {
 public:
  simple_batch();
  ~simple_batch();
  simple_batch(const simple_batch&) = delete;
  simple_batch& operator=(const simple_batch&) = delete;

  // Takes `text` when it is valid JSON, an array of objects, of at most
  // max_text bytes; false otherwise. Keeps its buffers from one text to the
  // next (a thread reading many batches reuses one reader): about 15 bytes
  // per byte of the longest text taken, which max_text bounds.
  static constexpr std::size_t max_text = std::size_t{4} << 20;
  [[nodiscard]] bool parse(std::string_view text);
  [[nodiscard]] std::size_t size() const;
  // Item i's "ruleset": "" when absent, nullopt when it is not a string.
  // The view lives until the next parse.
  [[nodiscard]] std::optional<std::string_view> ruleset(std::size_t i) const;
  // Item i into `into` when it is simple (see above; no key twice); false: declined.
  [[nodiscard]] bool read(std::size_t i, const compiled_ruleset& rules, const org::org_graph& org, query& into) const;
  // Item i as the tree json_input::parse reads for it; nullopt when an
  // object in it holds a key twice or it nests past json_input::max_depth
  // (the general way reports those).
  [[nodiscard]] std::optional<nlohmann::json> tree(std::size_t i) const;

 private:
  struct document;
  std::unique_ptr<document> doc_;
};

}  // namespace perwal
