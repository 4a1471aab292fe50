// The ruleset compiler on any text: diagnostics, never a crash, a hang or an
// exception; a ruleset is produced exactly when there is no error.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace perwal;
  const std::string text(reinterpret_cast<const char*>(data), size);
  diagnostics diags;
  const compile_options options{{fuzz::source_dir() / "rulesets"}, nullptr};
  auto rules = compile_ruleset_text("fuzz.perwal", text, fuzz::source_dir() / "rulesets", diags, options);
  if ((rules == nullptr) != diags.has_errors()) fuzz::broken("a ruleset and errors disagree");
  (void)render(diags);
  return 0;
}
