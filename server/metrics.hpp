// Counters and a latency histogram for `GET /metrics`, in the Prometheus
// text exposition format. Thread-safe; one short lock per request.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace perwal::server {

class metrics {
 public:
  // Upper bounds of the latency histogram, in seconds.
  static constexpr std::array<double, 12> buckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                     0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

  void request(const std::string& endpoint, const std::string& method, int status, std::chrono::nanoseconds took);
  void decisions(const std::string& outcome, std::uint64_t n = 1);
  void reload(bool ok);
  void set_generation(std::uint64_t g);
  // Every metric as Prometheus text.
  [[nodiscard]] std::string render() const;

 private:
  struct histogram {
    std::array<std::uint64_t, buckets.size()> counts{};  // per bucket, not cumulative
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;  // endpoint, method, status
  std::map<std::string, histogram> latency_;                                     // by endpoint
  std::map<std::string, std::uint64_t> decisions_;                               // by outcome
  std::uint64_t reloads_ok_ = 0, reloads_failed_ = 0, generation_ = 0;
};

}  // namespace perwal::server
