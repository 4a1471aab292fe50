#include "server/metrics.hpp"

#include <sstream>

namespace perwal::server {

void metrics::request(const std::string& endpoint, const std::string& method, int status,
                      std::chrono::nanoseconds took) {
  const double seconds = std::chrono::duration<double>(took).count();
  std::size_t bucket = 0;
  while (bucket < buckets.size() && seconds > buckets[bucket]) ++bucket;
  std::lock_guard lock(mutex_);
  ++requests_[{endpoint, method, status}];
  auto& h = latency_[endpoint];
  if (bucket < buckets.size()) ++h.counts[bucket];
  ++h.count;
  h.sum += seconds;
}

void metrics::decisions(const std::string& outcome, std::uint64_t n) {
  std::lock_guard lock(mutex_);
  decisions_[outcome] += n;
}

void metrics::reload(bool ok) {
  std::lock_guard lock(mutex_);
  ++(ok ? reloads_ok_ : reloads_failed_);
}

void metrics::set_generation(std::uint64_t g) {
  std::lock_guard lock(mutex_);
  generation_ = g;
}

std::string metrics::render() const {
  std::lock_guard lock(mutex_);
  std::ostringstream out;
  out << "# HELP perwal_http_requests_total HTTP requests by endpoint, method and status.\n"
      << "# TYPE perwal_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [endpoint, method, status] = key;
    out << "perwal_http_requests_total{endpoint=\"" << endpoint << "\",method=\"" << method << "\",status=\"" << status
        << "\"} " << n << "\n";
  }
  out << "# HELP perwal_http_request_duration_seconds Time spent handling a request, by endpoint.\n"
      << "# TYPE perwal_http_request_duration_seconds histogram\n";
  for (const auto& [endpoint, h] : latency_) {
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < buckets.size(); ++i) {
      cumulative += h.counts[i];
      out << "perwal_http_request_duration_seconds_bucket{endpoint=\"" << endpoint << "\",le=\"" << buckets[i] << "\"} "
          << cumulative << "\n";
    }
    out << "perwal_http_request_duration_seconds_bucket{endpoint=\"" << endpoint << "\",le=\"+Inf\"} " << h.count
        << "\n"
        << "perwal_http_request_duration_seconds_sum{endpoint=\"" << endpoint << "\"} " << h.sum << "\n"
        << "perwal_http_request_duration_seconds_count{endpoint=\"" << endpoint << "\"} " << h.count << "\n";
  }
  out << "# HELP perwal_decisions_total Decisions returned, by outcome.\n"
      << "# TYPE perwal_decisions_total counter\n";
  for (const auto& [outcome, n] : decisions_)
    out << "perwal_decisions_total{outcome=\"" << outcome << "\"} " << n << "\n";
  out << "# HELP perwal_reloads_total Reloads of rulesets and orgs, by result.\n"
      << "# TYPE perwal_reloads_total counter\n"
      << "perwal_reloads_total{result=\"ok\"} " << reloads_ok_ << "\n"
      << "perwal_reloads_total{result=\"failed\"} " << reloads_failed_ << "\n"
      << "# HELP perwal_snapshot_generation Generation of the snapshot now serving (bumped by reloads and uploads).\n"
      << "# TYPE perwal_snapshot_generation gauge\n"
      << "perwal_snapshot_generation " << generation_ << "\n";
  return out.str();
}

}  // namespace perwal::server
