// Compact JSON written straight into a string, for the answers the server
// sends by the million: no document tree is built. The bytes are those
// nlohmann::json's dump() (json_input::dump) writes for the same document:
// no spaces, strings escaped alike (UTF-8 kept, control characters as
// \b \t \n \f \r or \u00xx, invalid UTF-8 replaced by U+FFFD). Objects print
// their keys in the order written: callers write them sorted, as a parsed
// document (std::map) would print them.
#pragma once

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace perwal::json_out {

// `s` as a JSON string, quoted and escaped, appended to `out`.
void append_string(std::string& out, std::string_view s);

// Writes into `out` through a cursor of its own: `out` grows ahead of the
// text in steps and is cut to the text when the writer ends, so each token
// costs a copy, not a string append. Nothing else may touch `out` while the
// writer lives.
class writer {
 public:
  explicit writer(std::string& out) : out_(out), len_(out.size()) {}
  ~writer() { out_.resize(len_); }
  writer(const writer&) = delete;
  writer& operator=(const writer&) = delete;

  writer& begin_object() { return open('{'); }
  writer& end_object() { return close('}'); }
  writer& begin_array() { return open('['); }
  writer& end_array() { return close(']'); }
  // An object's next key; its value follows. Keys are the project's own
  // names (letters, digits, '_'): written as they are, without escaping.
  writer& key(std::string_view k) {
    char* p = room(k.size() + 4);
    if (!first_) *p++ = ',';
    *p++ = '"';
    std::memcpy(p, k.data(), k.size());
    p += k.size();
    *p++ = '"';
    *p++ = ':';
    len_ = static_cast<std::size_t>(p - out_.data());
    first_ = true;
    return *this;
  }
  writer& value(std::string_view s) {
    separate();
    string(s);
    return *this;
  }
  writer& value(std::uint64_t n) {
    separate();
    char* p = room(24);
    len_ = static_cast<std::size_t>(std::to_chars(p, p + 24, n).ptr - out_.data());
    return *this;
  }

  // Room for n more bytes after the text; where they go. `out` is lengthened
  // by a short step (what resize zero-fills), its capacity growing by doubling.
  char* room(std::size_t n) {
    if (out_.size() - len_ < n) out_.resize(len_ + std::max(n, std::size_t{512}));
    return out_.data() + len_;
  }
  void put(char c) {
    *room(1) = c;
    ++len_;
  }
  void put(std::string_view s) {
    std::memcpy(room(s.size()), s.data(), s.size());
    len_ += s.size();
  }

 private:
  void string(std::string_view s);  // quoted and escaped as append_string does
  // A comma before every value but the first of its container or the one after a key.
  void separate() {
    if (!first_) put(',');
    first_ = false;
  }
  writer& open(char c) {
    separate();
    put(c);
    first_ = true;
    return *this;
  }
  writer& close(char c) {
    put(c);
    first_ = false;
    return *this;
  }

  std::string& out_;
  std::size_t len_;  // the text's length; out_ may hold more
  bool first_ = true;
};

}  // namespace perwal::json_out
