#include "engine/common/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace perwal {

progress::progress(std::string label) : progress(std::move(label), ::isatty(STDERR_FILENO) == 1) {}

progress::progress(std::string label, bool enabled)
    : label_(std::move(label)), enabled_(enabled), start_(std::chrono::steady_clock::now()), last_() {}

void progress::draw(const std::string& text) {
  std::string line = "\r" + label_ + ": " + text;
  const std::size_t width = line.size();
  if (width < last_width_) line.append(last_width_ - width, ' ');  // wipe the longer line before
  last_width_ = width;
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
  drawn_ = true;
}

void progress::phase(const std::string& what) {
  if (!enabled_) return;
  draw(what + "…");
}

void progress::update(std::uint64_t n, std::uint64_t total, const std::string& unit) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (n != total && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  std::string text = std::to_string(n);
  if (total > 0) {
    text += " / " + std::to_string(total) + " " + unit + " (" + std::to_string(n * 100 / total) + "%)";
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    if (n > 0 && n < total && elapsed > 0.5) {
      const auto eta = static_cast<std::uint64_t>(elapsed * static_cast<double>(total - n) / static_cast<double>(n));
      text += ", ETA " + std::to_string(eta) + " s";
    }
  } else {
    text += " " + unit;
  }
  draw(text);
}

void progress::done() {
  if (!enabled_ || !drawn_) return;
  // Wipe the line: what the command prints next starts on a clean line.
  std::fputs(("\r" + std::string(last_width_, ' ') + "\r").c_str(), stderr);
  std::fflush(stderr);
  drawn_ = false;
  last_width_ = 0;
}

}  // namespace perwal
