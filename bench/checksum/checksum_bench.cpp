// Micro-benchmark: how fast one core can check a snapshot's bytes, over the
// file mapped as the load maps it (bench/RESULTS.md, "Why the missed targets
// are missed"): the snapshot's own checksum (engine/org/snapshot_format.hpp)
// against a plain sum of the file's 64-bit words (what reading it costs at
// all) and, when built with PERWAL_WITH_XXH3, XXH3 and XXH64 from Debian's
// libxxhash-dev (not a dependency of perwal). Not built by CMake; by hand:
//
//   c++ -O2 -std=c++20 -I. bench/checksum/checksum_bench.cpp -o /tmp/checksum_bench
//   apt-get install -y libxxhash-dev    # then add -DPERWAL_WITH_XXH3
//   /tmp/checksum_bench ORG.snap
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>

#include "engine/org/snapshot_format.hpp"
#ifdef PERWAL_WITH_XXH3
#define XXH_INLINE_ALL
#include <xxhash.h>
#endif

namespace {

template <class Fn>
void time_it(const char* name, std::size_t n, const Fn& fn) {
  for (int rep = 0; rep < 3; ++rep) {
    const auto start = std::chrono::steady_clock::now();
    const std::uint64_t h = fn();
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%-9s %8.1f ms %6.2f GB/s  (%016llx)\n", name, s * 1e3, static_cast<double>(n) / s / 1e9,
                static_cast<unsigned long long>(h));
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: checksum_bench FILE\n");
    return 2;
  }
  const int fd = ::open(argv[1], O_RDONLY);
  const off_t size = fd < 0 ? -1 : ::lseek(fd, 0, SEEK_END);
  if (size <= 0) {
    std::fprintf(stderr, "%s: cannot read\n", argv[1]);
    return 2;
  }
  const auto n = static_cast<std::size_t>(size);
  void* mapped = ::mmap(nullptr, n, PROT_READ, MAP_SHARED | MAP_POPULATE, fd, 0);
  if (mapped == MAP_FAILED) {
    std::fprintf(stderr, "%s: cannot map\n", argv[1]);
    return 2;
  }
  const char* p = static_cast<const char*>(mapped);
  time_it("sum", n, [&] {
    std::uint64_t s = 0;
    for (std::size_t i = 0; i + 8 <= n; i += 8) s += perwal::org::snapshot_detail::read64(p + i);
    return s;
  });
  time_it("checksum", n, [&] { return perwal::org::snapshot_detail::checksum(p, n); });
#ifdef PERWAL_WITH_XXH3
  time_it("xxh3", n, [&] { return XXH3_64bits(p, n); });
  time_it("xxh64", n, [&] { return XXH64(p, n, 0); });
#endif
  ::munmap(mapped, n);
  ::close(fd);
}
