// Pointer-chase probe (bench/probe.hpp). The buffer (PERWAL_BENCH_PROBE_MB,
// default 1024 MiB, 32× the L3 of the project's machine) is cut into 64-byte
// lines; each line holds the address of the next one, the lines forming one
// random cycle (Sattolo's shuffle), so every load depends on the one before
// and lands on a line the prefetchers cannot guess. One benchmark iteration
// is one load: the benchmark's time per iteration is ns per dependent load.
// With 4 KiB pages (madvise MADV_NOHUGEPAGE) almost every load also misses
// the TLB; with MADV_HUGEPAGE (2 MiB pages, when the kernel grants them)
// mostly not, which is the figure to compare a query's memory traffic with
// when its data sit on huge pages.
#include "probe.hpp"

#include <benchmark/benchmark.h>
#include <sys/mman.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace perwal_bench {
namespace {

constexpr std::size_t line_bytes = 64;
constexpr std::size_t huge_page = std::size_t{2} << 20;

std::size_t probe_bytes() {
  const char* env = std::getenv("PERWAL_BENCH_PROBE_MB");
  const std::size_t mb = env != nullptr ? std::strtoull(env, nullptr, 10) : 1024;
  return std::max<std::size_t>(mb, 4) << 20;
}

// The chase buffer: mapped, aligned to 2 MiB, advised, filled with the cycle.
class chase_buffer {
 public:
  chase_buffer(std::size_t bytes, bool huge) : bytes_(bytes) {
    map_bytes_ = bytes + huge_page;
    map_ = mmap(nullptr, map_bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map_ == MAP_FAILED) throw std::runtime_error("probe: cannot map the chase buffer");
    const auto addr = reinterpret_cast<std::uintptr_t>(map_);
    base_ = reinterpret_cast<char*>((addr + huge_page - 1) / huge_page * huge_page);
    madvise(base_, bytes_, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
    const std::size_t lines = bytes_ / line_bytes;
    std::vector<std::uint32_t> next(lines);
    for (std::size_t i = 0; i < lines; ++i) next[i] = static_cast<std::uint32_t>(i);
    // Sattolo: a uniformly random permutation with a single cycle.
    std::mt19937_64 rng(42);
    for (std::size_t i = lines - 1; i > 0; --i) {
      std::uniform_int_distribution<std::size_t> pick(0, i - 1);
      std::swap(next[i], next[pick(rng)]);
    }
    for (std::size_t i = 0; i < lines; ++i)
      *reinterpret_cast<char**>(base_ + i * line_bytes) = base_ + next[i] * line_bytes;
    huge_kb_ = anon_huge_kb();
  }
  chase_buffer(const chase_buffer&) = delete;
  chase_buffer& operator=(const chase_buffer&) = delete;
  ~chase_buffer() { munmap(map_, map_bytes_); }

  [[nodiscard]] char* start() const { return base_; }
  [[nodiscard]] std::size_t bytes() const { return bytes_; }
  [[nodiscard]] long huge_kb() const { return huge_kb_; }

 private:
  // AnonHugePages of this process: how much of the buffer the kernel put on huge pages.
  static long anon_huge_kb() {
    std::ifstream in("/proc/self/smaps_rollup");
    std::string line;
    while (std::getline(in, line))
      if (line.rfind("AnonHugePages:", 0) == 0) return std::stol(line.substr(14));
    return -1;
  }

  std::size_t bytes_;
  std::size_t map_bytes_ = 0;
  void* map_ = nullptr;
  char* base_ = nullptr;
  long huge_kb_ = 0;
};

// Per probe run: (CPU ns spent, ns per load).
std::vector<std::pair<double, double>>& measured(bool huge) {
  static std::vector<std::pair<double, double>> small_pages, huge_pages;
  return huge ? huge_pages : small_pages;
}

double thread_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

// One buffer at a time, kept across the repetitions of a probe.
std::unique_ptr<chase_buffer> buffer;
bool buffer_huge = false;

void bm_probe(benchmark::State& state, bool huge) {
  if (!buffer || buffer_huge != huge || buffer->bytes() != probe_bytes()) {
    buffer.reset();
    buffer = std::make_unique<chase_buffer>(probe_bytes(), huge);
    buffer_huge = huge;
  }
  char* p = buffer->start();
  // Warm-up: a pass of chasing so that the timed loads are steady state.
  for (int i = 0; i < 100000; ++i) p = *reinterpret_cast<char**>(p);
  const double t0 = thread_cpu_ns();
  for (auto _ : state) {
    p = *reinterpret_cast<char**>(p);
    benchmark::DoNotOptimize(p);
  }
  const double spent = thread_cpu_ns() - t0;
  measured(huge).emplace_back(spent, spent / static_cast<double>(state.iterations()));
  state.counters["buffer_MB"] = static_cast<double>(buffer->bytes() >> 20);
  state.counters["anon_huge_MB"] = static_cast<double>(buffer->huge_kb()) / 1024.0;
}

}  // namespace

void register_miss_latency_probes() {
  benchmark::RegisterBenchmark("probe_miss_latency/4k_pages", bm_probe, false)->Unit(benchmark::kNanosecond);
  benchmark::RegisterBenchmark("probe_miss_latency/huge_pages", bm_probe, true)->Unit(benchmark::kNanosecond);
}

void release_probe_buffer() {
  buffer.reset();
}

std::optional<double> miss_latency_ns(bool huge_pages) {
  const auto& runs = measured(huge_pages);
  if (runs.empty()) return std::nullopt;
  // The runs that count, not the framework's short trial runs: those at least
  // half as long as the longest.
  double longest = 0;
  for (const auto& r : runs) longest = std::max(longest, r.first);
  std::vector<double> v;
  for (const auto& r : runs)
    if (r.first >= longest / 2) v.push_back(r.second);
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace perwal_bench
