// Progress on stderr for long commands, only when stderr is a terminal: a
// pipe or a log file gets nothing (their output stays the same as before).
// One line, rewritten in place: "perwal audit: 41 200 / 120 000 positions (34%), ETA 12 s".
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace perwal {

class progress {
 public:
  // `enabled` defaults to whether stderr is a terminal.
  explicit progress(std::string label);
  progress(std::string label, bool enabled);
  progress(const progress&) = delete;
  progress& operator=(const progress&) = delete;
  ~progress() { done(); }

  // A phase without a count ("reading the org").
  void phase(const std::string& what);
  // `n` of `total` items of `unit` done (total 0: unknown); redrawn at most ten times a second.
  void update(std::uint64_t n, std::uint64_t total, const std::string& unit);
  // Wipes the line (idempotent): call before printing anything else on stderr.
  void done();
  [[nodiscard]] bool enabled() const { return enabled_; }

 private:
  void draw(const std::string& text);
  std::string label_;
  bool enabled_ = false;
  bool drawn_ = false;
  std::size_t last_width_ = 0;
  std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace perwal
