// Heap allocations counted on the calling thread: perwal_bench replaces the
// global operator new (bench/alloc_count.cpp, this binary only) so that a
// benchmark can report allocations per query beside its latency.
#pragma once

#include <cstdint>

namespace perwal_bench {

struct alloc_tally {
  std::uint64_t count = 0;
  std::uint64_t bytes = 0;
};

// Allocations through operator new on this thread since it started.
[[nodiscard]] alloc_tally thread_allocations() noexcept;

}  // namespace perwal_bench
