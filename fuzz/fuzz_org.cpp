// The org loaders on any text: the streaming reader and the reference loader
// give the same org or the same errors, and never crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace perwal;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto& r = *fuzz::rules();
  diagnostics fast, slow;
  const auto a = org::org_graph::load(text, "fuzz.json", r.vocab, r.shape, fast);
  const auto b = org::org_graph::load_reference(text, "fuzz.json", r.vocab, r.shape, slow);
  if ((a == nullptr) != (b == nullptr)) fuzz::broken("the two org loaders disagree on whether it loads");
  if (a == nullptr && fast.empty()) fuzz::broken("an org refused without an error");
  if (a != nullptr && a->canonical_dump() != b->canonical_dump())
    fuzz::broken("the two org loaders build different orgs");
  for (const auto& e : fast.items()) (void)e.line(lang::id);
  return 0;
}
