// XLSX: a zip of XML parts. Reading goes through libzip (the archive) and
// pugixml (the parts); writing through libxlsxwriter. All three are Debian
// packages; see README.md for why these and not a hand-written reader.
#include <xlsxwriter.h>
#include <zip.h>

#include <memory>
#include <pugixml.hpp>
#include <unordered_map>

#include "engine/import/sheet.hpp"

namespace perwal::import {

namespace {

// A part larger than this is refused: a crafted zip can claim gigabytes.
constexpr zip_uint64_t max_part_bytes = 1ULL << 30;

class archive {
 public:
  explicit archive(const std::string& path) : path_(path) {
    int err = 0;
    zip_ = zip_open(path.c_str(), ZIP_RDONLY, &err);
    if (zip_ == nullptr) {
      throw read_error(path + ": not an XLSX workbook (cannot open it as a zip archive)",
                       path + ": bukan buku kerja XLSX (tidak dapat dibuka sebagai arsip zip)");
    }
  }
  archive(const archive&) = delete;
  archive& operator=(const archive&) = delete;
  ~archive() { zip_discard(zip_); }

  [[nodiscard]] bool has(const std::string& name) const { return zip_name_locate(zip_, name.c_str(), 0) >= 0; }

  [[nodiscard]] std::string read(const std::string& name) const {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(zip_, name.c_str(), 0, &st) != 0 || (st.valid & ZIP_STAT_SIZE) == 0) {
      throw read_error(path_ + ": the workbook has no part " + name,
                       path_ + ": buku kerja tidak memiliki bagian " + name);
    }
    if (st.size > max_part_bytes) {
      throw read_error(path_ + ": part " + name + " is too large", path_ + ": bagian " + name + " terlalu besar");
    }
    const std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> f(zip_fopen(zip_, name.c_str(), 0), zip_fclose);
    std::string out(st.size, '\0');
    if (!f || zip_fread(f.get(), out.data(), st.size) != static_cast<zip_int64_t>(st.size)) {
      throw read_error(path_ + ": cannot read part " + name + " (corrupt workbook)",
                       path_ + ": bagian " + name + " tidak dapat dibaca (buku kerja rusak)");
    }
    return out;
  }

  [[nodiscard]] pugi::xml_document xml(const std::string& name) const {
    const std::string text = read(name);
    pugi::xml_document doc;
    if (!doc.load_buffer(text.data(), text.size())) {
      throw read_error(path_ + ": part " + name + " is not well-formed XML",
                       path_ + ": bagian " + name + " bukan XML yang sah");
    }
    return doc;
  }

 private:
  std::string path_;
  zip_t* zip_ = nullptr;
};

// Every <t> below `node`, joined: a rich-text string is split into runs.
std::string text_of(const pugi::xml_node& node) {
  std::string out;
  for (const auto& t : node.select_nodes(".//*[local-name()='t']")) out += t.node().text().get();
  return out;
}

// "BC12" -> 54 (0-based column); -1 when there are no letters.
long column_of(const char* ref) {
  long col = 0;
  bool any = false;
  for (; *ref >= 'A' && *ref <= 'Z'; ++ref) {
    col = col * 26 + (*ref - 'A' + 1);
    any = true;
    if (col > 16384) return -1;
  }
  return any ? col - 1 : -1;
}

// A relationship target is relative to xl/ unless it starts with '/'.
std::string part_path(const std::string& target) {
  if (!target.empty() && target[0] == '/') return target.substr(1);
  return "xl/" + target;
}

sheet read_worksheet(const archive& zip, const std::string& part, const std::vector<std::string>& shared,
                     const std::string& file, const std::string& name) {
  const auto doc = zip.xml(part);
  sheet s;
  s.file = file;
  s.name = name;
  std::uint32_t next_row = 1;
  bool header_seen = false;
  for (const auto& row : doc.child("worksheet").child("sheetData").children("row")) {
    const std::uint32_t number = row.attribute("r") ? row.attribute("r").as_uint() : next_row;
    next_row = number + 1;
    std::vector<std::string> cells;
    long next_col = 0;
    for (const auto& c : row.children("c")) {
      long col = c.attribute("r") ? column_of(c.attribute("r").value()) : next_col;
      if (col < 0) col = next_col;
      next_col = col + 1;
      const std::string type = c.attribute("t").value();
      std::string value;
      if (type == "s") {
        const auto k = c.child("v").text().as_ullong(shared.size());
        if (k >= shared.size()) {
          throw read_error(
              s.label() + ": row " + std::to_string(number) + ": a cell names a missing shared string",
              s.label() + ": baris " + std::to_string(number) + ": sel menunjuk string bersama yang tidak ada");
        }
        value = shared[k];
      } else if (type == "inlineStr") {
        value = text_of(c.child("is"));
      } else if (type == "b") {
        value = std::string(c.child("v").text().get()) == "1" ? "TRUE" : "FALSE";
      } else {
        value = c.child("v").text().get();  // a number, a formula's string result, or empty
      }
      if (cells.size() <= static_cast<std::size_t>(col)) cells.resize(static_cast<std::size_t>(col) + 1);
      cells[static_cast<std::size_t>(col)] = std::move(value);
    }
    bool blank = true;
    for (const auto& v : cells) blank = blank && v.find_first_not_of(" \t") == std::string::npos;
    if (blank) continue;
    if (!header_seen) {
      s.header = std::move(cells);
      header_seen = true;
    } else {
      s.rows.push_back({number, std::move(cells)});
    }
  }
  return s;
}

}  // namespace

std::vector<sheet> read_xlsx(const std::string& path) {
  const archive zip(path);
  std::vector<std::string> shared;
  if (zip.has("xl/sharedStrings.xml")) {
    const auto doc = zip.xml("xl/sharedStrings.xml");
    for (const auto& si : doc.child("sst").children("si")) shared.push_back(text_of(si));
  }
  std::unordered_map<std::string, std::string> targets;  // relationship id -> part
  const auto rels = zip.xml("xl/_rels/workbook.xml.rels");
  for (const auto& r : rels.child("Relationships").children("Relationship")) {
    targets[r.attribute("Id").value()] = part_path(r.attribute("Target").value());
  }
  std::vector<sheet> out;
  const auto workbook = zip.xml("xl/workbook.xml");
  for (const auto& sh : workbook.child("workbook").child("sheets").children("sheet")) {
    const auto it = targets.find(sh.attribute("r:id").value());
    if (it == targets.end()) {
      throw read_error(path + ": sheet " + sh.attribute("name").value() + " has no part in the workbook",
                       path + ": lembar " + sh.attribute("name").value() + " tidak memiliki bagian dalam buku kerja");
    }
    out.push_back(read_worksheet(zip, it->second, shared, path, sh.attribute("name").value()));
  }
  return out;
}

void write_xlsx(const std::string& path, const std::string& sheet_name, const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows) {
  // constant_memory streams rows to disk: a national org has millions.
  lxw_workbook_options options{};
  options.constant_memory = LXW_TRUE;
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &options);
  if (wb == nullptr) throw read_error(path + ": cannot write the workbook", path + ": buku kerja tidak dapat ditulis");
  lxw_worksheet* ws = workbook_add_worksheet(wb, sheet_name.c_str());
  lxw_error err = ws == nullptr ? LXW_ERROR_MEMORY_MALLOC_FAILED : LXW_NO_ERROR;
  const auto put = [&](lxw_row_t r, const std::vector<std::string>& cells) {
    for (std::size_t c = 0; c < cells.size() && err == LXW_NO_ERROR; ++c) {
      if (cells[c].empty()) continue;
      err = worksheet_write_string(ws, r, static_cast<lxw_col_t>(c), cells[c].c_str(), nullptr);
    }
  };
  if (err == LXW_NO_ERROR) put(0, header);
  for (std::size_t r = 0; r < rows.size() && err == LXW_NO_ERROR; ++r) put(static_cast<lxw_row_t>(r + 1), rows[r]);
  const lxw_error closed = workbook_close(wb);
  if (err == LXW_NO_ERROR) err = closed;
  if (err != LXW_NO_ERROR) {
    throw read_error(path + ": cannot write the workbook: " + lxw_strerror(err),
                     path + ": buku kerja tidak dapat ditulis: " + lxw_strerror(err));
  }
}

}  // namespace perwal::import
