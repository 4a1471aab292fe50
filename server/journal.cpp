#include "server/journal.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <bit>
#include <cerrno>
#include <cstring>

namespace perwal::server {

namespace {

std::string system_error_text(const std::filesystem::path& path, const char* what) {
  return path.string() + ": " + what + ": " + std::strerror(errno);
}

// A frame: magic, body length (u32), body, checksum of the body (u64).
constexpr std::uint32_t frame_magic = 0x314A5750;  // "PWJ1"
constexpr std::size_t frame_overhead = 4 + 4 + 8;

// The frame's checksum: a 64-bit hash over 32-byte stripes in four lanes
// (the multiply-rotate round of the xxHash family). It is what snapshots
// up to format 7 used; snapshots moved to XXH3, the journal did not, so a
// journal a killed server of an earlier version left is still read whole
// (a frame whose checksum does not match ends the recovery).
std::uint64_t frame_checksum(const char* data, std::size_t n) {
  constexpr std::uint64_t p1 = 0x9E3779B185EBCA87ULL, p2 = 0xC2B2AE3D27D4EB4FULL, p3 = 0x165667B19E3779F9ULL;
  const auto round = [](std::uint64_t acc, std::uint64_t w) { return std::rotl(acc + w * p2, 31) * p1; };
  const auto read64 = [](const char* p) {
    std::uint64_t w = 0;
    std::memcpy(&w, p, 8);
    return w;
  };
  std::array<std::uint64_t, 4> lane = {p1 + p2, p2, 0, std::uint64_t{0} - p1};
  std::size_t k = 0;
  for (; k + 32 <= n; k += 32) {
    for (std::size_t l = 0; l < 4; ++l) lane[l] = round(lane[l], read64(data + k + 8 * l));
  }
  std::uint64_t h = std::rotl(lane[0], 1) + std::rotl(lane[1], 7) + std::rotl(lane[2], 12) + std::rotl(lane[3], 18);
  h += n;
  for (; k + 8 <= n; k += 8) h = std::rotl(h ^ round(0, read64(data + k)), 27) * p1 + p3;
  for (; k < n; ++k) h = std::rotl(h ^ (static_cast<unsigned char>(data[k]) * p3), 11) * p1;
  h ^= h >> 33;
  h *= p2;
  h ^= h >> 29;
  h *= p3;
  return h ^ (h >> 32);
}

template <class T>
void put(std::string& out, T v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}
void put_text(std::string& out, std::string_view s) {
  put(out, static_cast<std::uint32_t>(s.size()));
  out.append(s);
}

// Reads the body's fields in order; false once it runs past the end.
class body_reader {
 public:
  explicit body_reader(std::string_view body) : rest_(body) {}
  template <class T>
  bool get(T& v) {
    if (rest_.size() < sizeof v) return false;
    std::memcpy(&v, rest_.data(), sizeof v);
    rest_.remove_prefix(sizeof v);
    return true;
  }
  bool text(std::string& s) {
    std::uint32_t n = 0;
    if (!get(n) || rest_.size() < n) return false;
    s.assign(rest_.data(), n);
    rest_.remove_prefix(n);
    return true;
  }
  [[nodiscard]] bool done() const { return rest_.empty(); }

 private:
  std::string_view rest_;
};

// A record's fields in their order in a frame, before its rules: the one
// list the writer and the reader both follow. `text` and `number` take each
// field and say whether it could be written or read.
template <class Record, class Text, class Number>
bool each_field(Record& r, Text&& text, Number&& number) {
  return text(r.id) && number(r.time_ms) && text(r.ruleset) && text(r.ruleset_hash) && text(r.org) &&
         text(r.org_hash) && number(r.org_version) && text(r.outcome) && text(r.query) && text(r.result) &&
         number(r.batch_size) && text(r.outcomes) && text(r.batch);
}

bool decode_body(std::string_view body, decision_record& r) {
  body_reader in(body);
  std::uint32_t rules = 0;
  const auto text = [&](std::string& s) { return in.text(s); };
  const auto number = [&](auto& v) { return in.get(v); };
  if (!each_field(r, text, number) || !in.get(rules)) return false;
  for (std::uint32_t i = 0; i < rules; ++i) {
    if (!in.text(r.rules.emplace_back())) return false;
  }
  return in.done();
}

}  // namespace

journal_file::journal_file(std::filesystem::path path) : path_(std::move(path)) {
  // A fresh file a stopped process created but had not renamed into place yet: empty by construction.
  std::error_code ignored;
  std::filesystem::remove(path_.string() + ".new", ignored);
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd_ < 0) throw store_error(system_error_text(path_, "cannot open the decision journal"));
  struct stat st {};
  if (::fstat(fd_, &st) != 0) {
    const auto message = system_error_text(path_, "cannot read the decision journal");
    ::close(fd_);
    throw store_error(message);
  }
  size_ = static_cast<std::uint64_t>(st.st_size);
}

journal_file::~journal_file() {
  if (fd_ >= 0) ::close(fd_);
}

void journal_file::append(std::string_view bytes) {
  std::size_t at = 0;
  while (at < bytes.size()) {
    const auto n = ::write(fd_, bytes.data() + at, bytes.size() - at);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const auto message = system_error_text(path_, "cannot write the decision journal");
      // Nothing of a record may stay half-written: the next append would follow it.
      if (at > 0 && ::ftruncate(fd_, static_cast<off_t>(size_)) != 0) {
        throw store_error(message + " (and cannot cut it back: restart the server)");
      }
      throw store_error(message);
    }
    at += static_cast<std::size_t>(n);
  }
  size_ += bytes.size();
}

void journal_file::clear() {
  if (::ftruncate(fd_, 0) != 0) throw store_error(system_error_text(path_, "cannot empty the decision journal"));
  size_ = 0;
}

int journal_file::start_afresh() {
  const auto fresh_path = std::filesystem::path(path_.string() + ".new");
  const int fresh = ::open(fresh_path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
  if (fresh < 0) throw store_error(system_error_text(fresh_path, "cannot create the decision journal"));
  if (::rename(fresh_path.c_str(), path_.c_str()) != 0) {
    const auto message = system_error_text(path_, "cannot replace the decision journal");
    ::close(fresh);
    throw store_error(message);
  }
  const int old = fd_;
  fd_ = fresh;
  size_ = 0;
  return old;
}

std::string journal_file::read_all() const {
  std::string out(size_, '\0');
  std::size_t at = 0;
  while (at < out.size()) {
    const auto n = ::pread(fd_, out.data() + at, out.size() - at, static_cast<off_t>(at));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw store_error(system_error_text(path_, "cannot read the decision journal"));
    if (n == 0) break;
    at += static_cast<std::size_t>(n);
  }
  out.resize(at);
  return out;
}

void encode_journal_record(const decision_record& r, std::string& out) {
  const std::size_t start = out.size();
  put(out, frame_magic);
  put(out, std::uint32_t{0});  // the body's length, set below
  const std::size_t body = out.size();
  (void)each_field(
      r,
      [&](const std::string& t) {
        put_text(out, t);
        return true;
      },
      [&](auto v) {
        put(out, v);
        return true;
      });
  put(out, static_cast<std::uint32_t>(r.rules.size()));
  for (const auto& rule : r.rules) put_text(out, rule);
  const auto length = static_cast<std::uint32_t>(out.size() - body);
  std::memcpy(out.data() + start + 4, &length, 4);
  put(out, frame_checksum(out.data() + body, length));
}

std::vector<decision_record> decode_journal(std::string_view bytes, std::size_t& dropped) {
  std::vector<decision_record> out;
  std::size_t at = 0;
  while (bytes.size() - at >= frame_overhead) {
    std::uint32_t magic = 0, length = 0;
    std::memcpy(&magic, bytes.data() + at, 4);
    std::memcpy(&length, bytes.data() + at + 4, 4);
    if (magic != frame_magic || bytes.size() - at - frame_overhead < length) break;
    const std::string_view body = bytes.substr(at + 8, length);
    std::uint64_t sum = 0;
    std::memcpy(&sum, bytes.data() + at + 8 + length, 8);
    decision_record r;
    if (sum != frame_checksum(body.data(), body.size()) || !decode_body(body, r)) break;
    out.push_back(std::move(r));
    at += frame_overhead + length;
  }
  dropped = bytes.size() - at;
  return out;
}

}  // namespace perwal::server
