// The pending-decisions journal of an SQLite decision log kept at
// --log-sync normal. An answered decision must survive `kill -9`; at
// synchronous=NORMAL that only needs its bytes handed to the kernel, so the
// request's thread appends its records to this file with one write() and
// answers, and a thread of the log's own copies them into the database in
// large transactions (server/store.cpp). A record reaches the database in
// the journal's order, so the hash chain is the one the database would have
// had; once everything in the file is in the database the file is emptied.
// Opening the log copies into the database the records a killed process
// left in the file (those it had not copied yet) before anything else.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "server/store.hpp"

namespace perwal::server {

// An append-only file, written whole or not at all.
class journal_file {
 public:
  // Opens (creating it) for appending; throws store_error.
  explicit journal_file(std::filesystem::path path);
  ~journal_file();
  journal_file(const journal_file&) = delete;
  journal_file& operator=(const journal_file&) = delete;

  // Appends `bytes`; on a failed or short write the file is cut back to
  // what it held and store_error is thrown (nothing of `bytes` stays).
  void append(std::string_view bytes);
  // Empties the file (everything in it is in the database), in place: for
  // the open, before any append.
  void clear();
  // The same while appends may come: an empty file renamed over this one
  // (appends go on into it at once) and the old one returned, to be closed
  // by the caller outside its lock (freeing a long file's pages takes a while).
  [[nodiscard]] int start_afresh();
  // The whole file, as a killed process left it.
  [[nodiscard]] std::string read_all() const;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

// Appends one record to `out`: a length-prefixed, checksummed frame of its
// fields (all but batch_options, which only a read sets). A record's place
// in the log is its place in the file.
void encode_journal_record(const decision_record& r, std::string& out);
// The whole records of `bytes`, in order. Stops at the first frame that is
// cut short or does not match its checksum (a write a crash interrupted):
// `dropped` is then the number of bytes from there to the end.
[[nodiscard]] std::vector<decision_record> decode_journal(std::string_view bytes, std::size_t& dropped);

}  // namespace perwal::server
