// A regulation's text split into its articles: Pasal, ayat, huruf, angka and
// the Lampiran's items (Lampiran I, huruf A, angka 1, huruf a, angka 1), …),
// each with its canonical citation and its text, looked up by a ruleset's
// structured `cite`. The text is the plain, OCR'd copy in regulations/; the
// numbering the extraction lost is restored by a sidecar file (FILE.restore)
// rather than by editing the law's text.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace perwal::law {

// One step of a citation path: key lower-case ("lampiran", "pasal", "ayat",
// "huruf", "angka", "butir"), value as printed ("II", "5", "(2)", "b", "1)"; an
// unnumbered Lampiran has the empty value).
struct part {
  std::string key, value;
  bool operator==(const part&) const = default;
};

struct article {
  std::vector<part> path;  // from the top of the text
  std::string citation;    // "Lampiran I huruf B angka 1", "Pasal 5 ayat (2) huruf b"
  std::string own;         // its words before its first item, whitespace collapsed
  std::string file;        // the text file it comes from
  int line = 0;            // 1-based line of its marker or heading
  std::size_t parent = 0;  // index in articles(); the root is 0 and its own parent
  std::vector<std::size_t> children;
};

// A problem with a restoration file: "file:line: message".
struct restore_error {
  std::string file;
  int line = 0;
  std::string message;
};

class text {
 public:
  text();
  // Splits `content` (of `file`) into articles under the root; a ruleset's
  // body and Lampiran may be two files of one text. `restorations` is the
  // sidecar's content (may be empty); its problems go to errors().
  void add_file(std::string_view content, std::string_view restorations, const std::string& file,
                const std::string& restore_file = {});

  [[nodiscard]] const std::vector<article>& articles() const { return articles_; }
  [[nodiscard]] const std::vector<restore_error>& errors() const { return errors_; }
  [[nodiscard]] const std::vector<std::string>& files() const { return files_; }
  // The article a citation path names, or nullptr. Keys compare without case;
  // "angka 1" also finds an item printed "1)" or "(1)" when the level has no "1.".
  [[nodiscard]] const article* find(const std::vector<part>& path) const;
  // The article at `path` with the text of its items: "(1) … a. … b. …".
  [[nodiscard]] std::string full_text(const article& a) const;
  // The citation of the article nearest to `path` (the deepest prefix that
  // exists, then the closest of its items by spelling), for "did you mean".
  [[nodiscard]] std::string nearest(const std::vector<part>& path) const;
  // The number of articles whose last part has `key` ("pasal": the Pasal count).
  [[nodiscard]] std::size_t count(std::string_view key) const;
  // The article a citation written as text names ("Pasal 5 ayat (2)").
  [[nodiscard]] const article* find(std::string_view citation) const;

 private:
  std::vector<article> articles_;
  std::vector<restore_error> errors_;
  std::vector<std::string> files_;
};

// The parts of a citation written as text: "Lampiran huruf A angka 1)" ->
// {lampiran ""}, {huruf A}, {angka 1)}. Words that are not citation keys end it.
[[nodiscard]] std::vector<part> parse_citation(std::string_view s);
// "Pasal 5 ayat (2)" from its parts.
[[nodiscard]] std::string render_path(const std::vector<part>& path);
// `s` cut at a word boundary to at most `max` bytes (UTF-8 safe) with "…".
[[nodiscard]] std::string shorten(std::string_view s, std::size_t max = 300);

}  // namespace perwal::law
