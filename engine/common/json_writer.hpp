// Compact JSON written straight into a string, for the answers the server
// sends by the million: no document tree is built. The bytes are those
// nlohmann::json's dump() (json_input::dump) writes for the same document:
// no spaces, strings escaped alike (UTF-8 kept, control characters as
// \b \t \n \f \r or \u00xx, invalid UTF-8 replaced by U+FFFD). Objects print
// their keys in the order written: callers write them sorted, as a parsed
// document (std::map) would print them.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

namespace perwal::json_out {

// `s` as a JSON string, quoted and escaped, appended to `out`.
void append_string(std::string& out, std::string_view s);

class writer {
 public:
  explicit writer(std::string& out) : out_(out) {}

  writer& begin_object() { return open('{'); }
  writer& end_object() { return close('}'); }
  writer& begin_array() { return open('['); }
  writer& end_array() { return close(']'); }
  // An object's next key; its value follows. Keys are the project's own
  // names (letters, digits, '_'): written as they are, without escaping.
  writer& key(std::string_view k) {
    separate();
    out_ += '"';
    out_.append(k.data(), k.size()).append("\":", 2);
    first_ = true;
    return *this;
  }
  writer& value(std::string_view s) {
    separate();
    append_string(out_, s);
    return *this;
  }
  writer& value(std::uint64_t n) {
    separate();
    char digits[24];
    out_.append(digits, std::to_chars(digits, digits + sizeof digits, n).ptr);
    return *this;
  }

 private:
  // A comma before every value but the first of its container or the one after a key.
  void separate() {
    if (!first_) out_ += ',';
    first_ = false;
  }
  writer& open(char c) {
    separate();
    out_ += c;
    first_ = true;
    return *this;
  }
  writer& close(char c) {
    out_ += c;
    first_ = false;
    return *this;
  }

  std::string& out_;
  bool first_ = true;
};

}  // namespace perwal::json_out
