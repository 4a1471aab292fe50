// A query on any text, over the bundled org: an input error or a decision,
// rendered in both languages and as JSON, never a crash. The batch reader of
// simple queries, given the text as a batch of one, takes it only when
// read_query accepts it too, and reads it the same; the tree it gives for it
// is the one json_input::parse builds.
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/common/json_input.hpp"
#include "engine/eval/evaluator.hpp"
#include "engine/eval/render.hpp"
#include "engine/eval/simple_batch.hpp"
#include "fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace perwal;
  static const evaluator ev(fuzz::rules(), fuzz::fixture_org());
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  json_input::failure bad;
  const auto q = json_input::parse(text, bad);
  static simple_batch batch;
  const std::string as_batch = "[" + std::string(text) + "]";
  if (batch.parse(as_batch) && batch.size() == 1) {
    query fast;
    if (batch.read(0, *fuzz::rules(), *fuzz::fixture_org(), fast)) {
      diagnostics e;
      query general;
      if (!q || !read_query(*q, *fuzz::rules(), *fuzz::fixture_org(), e, general) || !(general == fast))
        fuzz::broken("the simple batch reader took a query that read_query reads otherwise");
    }
    if (const auto tree = batch.tree(0)) {
      json_input::failure why;
      const auto all = json_input::parse(as_batch, why);
      if (!all || json_input::dump(*tree) != json_input::dump((*all)[0]))
        fuzz::broken("the batch reader's tree of a query differs from json_input::parse's");
    }
  }
  if (!q) return 0;
  diagnostics errors;
  const auto d = ev.check(*q, errors);
  if (!d) {
    if (!errors.has_errors()) fuzz::broken("a query refused without an error");
    return 0;
  }
  for (const lang l : {lang::id, lang::en}) {
    const render_context rc{*fuzz::rules(), *fuzz::fixture_org(), l};
    (void)json_input::dump(to_json(*d, rc));
    (void)to_text(*d, rc, true);
  }
  return 0;
}
