// The machine's dependent-miss latency, measured in the same run as the
// queries (bench/probe.cpp): a pointer chase over a random cyclic
// permutation of a buffer much larger than the last-level cache.
#pragma once

#include <optional>

namespace perwal_bench {

// Registers probe_miss_latency/4k_pages and /huge_pages (call before the
// query benchmarks, so that they run first).
void register_miss_latency_probes();

// Frees the probe's buffer (the query benchmarks call it before loading an org).
void release_probe_buffer();

// The median ns per dependent load of the probe runs so far in this process,
// with 4 KiB pages or with huge pages; nullopt when that probe has not run.
[[nodiscard]] std::optional<double> miss_latency_ns(bool huge_pages);

}  // namespace perwal_bench
