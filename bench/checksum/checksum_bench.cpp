// Micro-benchmark: how fast one core can check a snapshot's bytes, over the
// file mapped as the load maps it (bench/RESULTS.md, "Why the missed targets
// are missed"): the snapshot's checksum (XXH3 through libxxhash's dispatch,
// engine/org/snapshot_checksum.cpp) against a plain sum of the file's 64-bit
// words (what reading it costs at all). Not built by CMake; by hand:
//
//   c++ -O2 -std=c++20 -I. -DPERWAL_XXH3_DISPATCH bench/checksum/checksum_bench.cpp \
//     engine/org/snapshot_checksum.cpp -lxxhash -o /tmp/checksum_bench
//   /tmp/checksum_bench ORG.snap
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "engine/org/snapshot_format.hpp"

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
    for (std::size_t i = 0; i + 8 <= n; i += 8) {
      std::uint64_t w = 0;
      std::memcpy(&w, p + i, 8);
      s += w;
    }
    return s;
  });
  time_it("checksum", n, [&] { return perwal::org::snapshot_detail::checksum(p, n); });
  ::munmap(mapped, n);
  ::close(fd);
}
