// The snapshot reader on any bytes (through a memory file, as it maps a
// path): refused with one error, or an org that audits without a crash.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/eval/evaluator.hpp"
#include "fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace perwal;
  const auto& r = *fuzz::rules();
  static const int fd = memfd_create("perwal-fuzz-snapshot", 0);
  if (fd < 0) fuzz::broken("memfd_create failed");
  if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != static_cast<ssize_t>(size)) fuzz::broken("memfd write");
  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  diagnostics errors;
  const auto g = org::org_graph::load_snapshot(path, r.vocab, r.shape, errors);
  if (!g) {
    if (errors.items().size() != 1) fuzz::broken("a snapshot refused without exactly one error");
    return 0;
  }
  (void)evaluator(fuzz::rules(), g).audit();
  return 0;
}
