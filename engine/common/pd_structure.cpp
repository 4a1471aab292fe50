#include "engine/common/pd_structure.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace perwal {

namespace {

using json = nlohmann::json;

[[noreturn]] void fail(const std::string& where, const std::string& what) {
  throw std::runtime_error(where + ": " + what);
}

const json& field(const json& obj, const char* key, const std::string& where) {
  if (!obj.is_object() || !obj.contains(key)) fail(where, std::string("missing \"") + key + "\"");
  return obj[key];
}

std::string text(const json& obj, const char* key, const std::string& where) {
  const auto& v = field(obj, key, where);
  if (!v.is_string() || v.get_ref<const std::string&>().empty())
    fail(where, std::string("\"") + key + "\" must be a non-empty string");
  return v.get<std::string>();
}

// A string or null ("" for null or absent).
std::string text_or_null(const json& obj, const char* key, const std::string& where) {
  if (!obj.contains(key) || obj[key].is_null()) return {};
  return text(obj, key, where);
}

int number(const json& obj, const char* key, const std::string& where) {
  const auto& v = field(obj, key, where);
  if (!v.is_number_integer() || v.get<long long>() < 0 || v.get<long long>() > 1000000)
    fail(where, std::string("\"") + key + "\" must be a whole number from 0 to 1000000");
  return v.get<int>();
}

const json& array(const json& obj, const char* key, const std::string& where) {
  const auto& v = field(obj, key, where);
  if (!v.is_array()) fail(where, std::string("\"") + key + "\" must be an array");
  return v;
}

fp_category category_of(const std::string& s, const std::string& where) {
  if (s == "ahli") return fp_category::ahli;
  if (s == "terampil") return fp_category::terampil;
  if (s == "keduanya") return fp_category::keduanya;
  fail(where, "kategori must be ahli, terampil or keduanya, not \"" + s + "\"");
}

pd_head head(const json& obj, const std::string& where) {
  const auto& k = field(obj, "kepala", where);
  const auto w = where + ".kepala";
  pd_head h;
  h.jabatan = text(k, "jabatan", w);
  h.jenis = text(k, "jenis", w);
  h.jenis_provinsi = text_or_null(k, "jenis_provinsi", w);
  return h;
}

std::vector<weighted> shares(const json& obj, const char* key, const char* name_key, const std::string& where) {
  std::vector<weighted> out;
  const auto& a = array(obj, key, where);
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto w = where + "." + key + "[" + std::to_string(i) + "]";
    out.push_back({text(a[i], name_key, w), number(a[i], "bobot", w)});
  }
  if (out.empty()) fail(where, std::string("\"") + key + "\" is empty");
  return out;
}

}  // namespace

const pd_head* pd_structure::head_of_inner(std::string_view unit_kind) const {
  for (const auto& [k, h] : unit_kerja)
    if (k == unit_kind) return &h;
  return nullptr;
}

const pd_head* pd_structure::head_of(std::string_view unit_kind) const {
  if (unit_kind == "pemerintah_daerah") return &pemerintah_daerah;
  for (const auto& f : perangkat_daerah)
    if (f.jenis_unit == unit_kind) return &f.kepala;
  return head_of_inner(unit_kind);
}

std::vector<const pd_form*> pd_structure::forms(std::string_view unit_kind) const {
  std::vector<const pd_form*> out;
  for (const auto& f : perangkat_daerah)
    if (f.jenis_unit == unit_kind) out.push_back(&f);
  return out;
}

const pd_form* pd_structure::form(std::string_view kunci) const {
  for (const auto& f : perangkat_daerah)
    if (f.kunci == kunci) return &f;
  return nullptr;
}

const fp_family* pd_structure::family(std::string_view kode) const {
  for (const auto& f : jabatan_fungsional)
    if (f.kode == kode) return &f;
  return nullptr;
}

const pd_jenjang* pd_structure::find_jenjang(std::string_view kode) const {
  for (const auto& j : jenjang)
    if (j.kode == kode) return &j;
  return nullptr;
}

std::string pd_structure::inner_head_jenis(const pd_inner_unit& u) const {
  if (!u.jenis_kepala.empty()) return u.jenis_kepala;
  const auto* h = head_of_inner(u.jenis_unit);
  return h ? h->jenis : std::string();
}

pd_structure parse_pd_structure(const json& doc, const std::string& where) {
  if (!doc.is_object()) fail(where, "not a JSON object");
  if (!doc.contains("format") || doc["format"] != "perwal-perangkat-daerah/1")
    fail(where, "\"format\" must be \"perwal-perangkat-daerah/1\"");
  pd_structure s;
  for (const auto& j : array(doc, "jenis_jabatan", where)) {
    if (!j.is_string()) fail(where, "jenis_jabatan holds strings");
    s.jenis_jabatan.push_back(j.get<std::string>());
  }
  auto known_jenis = [&](const std::string& j, const std::string& w) {
    if (std::find(s.jenis_jabatan.begin(), s.jenis_jabatan.end(), j) == s.jenis_jabatan.end())
      fail(w, "jenis \"" + j + "\" is not in jenis_jabatan");
  };
  auto check_head = [&](const pd_head& h, const std::string& w) {
    known_jenis(h.jenis, w);
    if (!h.jenis_provinsi.empty()) known_jenis(h.jenis_provinsi, w);
  };
  s.pemerintah_daerah = head(field(doc, "pemerintah_daerah", where), where + ".pemerintah_daerah");
  check_head(s.pemerintah_daerah, where + ".pemerintah_daerah");
  const auto& uk = array(doc, "unit_kerja", where);
  for (std::size_t i = 0; i < uk.size(); ++i) {
    const auto w = where + ".unit_kerja[" + std::to_string(i) + "]";
    const auto kind = text(uk[i], "jenis_unit", w);
    if (s.head_of_inner(kind)) fail(w, "unit kind \"" + kind + "\" is listed twice");
    s.unit_kerja.emplace_back(kind, head(uk[i], w));
    check_head(s.unit_kerja.back().second, w);
  }
  const auto& pds = array(doc, "perangkat_daerah", where);
  for (std::size_t i = 0; i < pds.size(); ++i) {
    const auto w = where + ".perangkat_daerah[" + std::to_string(i) + "]";
    pd_form f;
    f.kunci = text(pds[i], "kunci", w);
    if (s.form(f.kunci)) fail(w, "kunci \"" + f.kunci + "\" is used twice");
    f.jenis_unit = text(pds[i], "jenis_unit", w);
    f.kepala = head(pds[i], w);
    check_head(f.kepala, w);
    f.induk = text_or_null(pds[i], "induk", w);
    const auto& inner = array(pds[i], "unit_kerja", w);
    for (std::size_t k = 0; k < inner.size(); ++k) {
      const auto wi = w + ".unit_kerja[" + std::to_string(k) + "]";
      pd_inner_unit u;
      u.kunci = text(inner[k], "kunci", wi);
      u.jenis_unit = text(inner[k], "jenis_unit", wi);
      u.induk = text_or_null(inner[k], "induk", wi);
      u.jenis_kepala = text_or_null(inner[k], "jenis_kepala", wi);
      if (!s.head_of_inner(u.jenis_unit)) fail(wi, "unit kind \"" + u.jenis_unit + "\" is not in unit_kerja");
      if (!u.induk.empty() && std::none_of(f.unit_kerja.begin(), f.unit_kerja.end(),
                                           [&](const pd_inner_unit& x) { return x.kunci == u.induk; }))
        fail(wi, "induk \"" + u.induk + "\" is not an earlier unit of this form");
      if (!u.jenis_kepala.empty()) known_jenis(u.jenis_kepala, wi);
      f.unit_kerja.push_back(std::move(u));
    }
    s.perangkat_daerah.push_back(std::move(f));
  }
  for (const auto& f : s.perangkat_daerah) {
    if (!f.induk.empty() && s.forms(f.induk).empty())
      fail(where, "perangkat_daerah \"" + f.kunci + "\": induk \"" + f.induk + "\" is not a kind of perangkat daerah");
  }
  const auto& jj = array(doc, "jenjang", where);
  for (std::size_t i = 0; i < jj.size(); ++i) {
    const auto w = where + ".jenjang[" + std::to_string(i) + "]";
    s.jenjang.push_back({text(jj[i], "kode", w), text(jj[i], "nama", w), category_of(text(jj[i], "kategori", w), w)});
  }
  const auto& seb = field(doc, "sebaran_jenjang", where);
  s.sebaran_ahli = shares(seb, "ahli", "jenjang", where + ".sebaran_jenjang");
  s.sebaran_terampil = shares(seb, "terampil", "jenjang", where + ".sebaran_jenjang");
  for (const auto* list : {&s.sebaran_ahli, &s.sebaran_terampil}) {
    for (const auto& x : *list)
      if (!s.find_jenjang(x.nama)) fail(where + ".sebaran_jenjang", "jenjang \"" + x.nama + "\" is not in jenjang");
  }
  const auto& pa = field(doc, "persen_ahli", where);
  s.persen_ahli = number(pa, "bawaan", where + ".persen_ahli");
  if (pa.contains("menurut_jabatan")) {
    for (const auto& [k, v] : pa["menurut_jabatan"].items()) {
      if (!v.is_number_integer()) fail(where + ".persen_ahli", "menurut_jabatan." + k + " must be a whole number");
      s.persen_ahli_menurut_jabatan[k] = v.get<int>();
    }
  }
  const auto& fams = array(doc, "jabatan_fungsional", where);
  for (std::size_t i = 0; i < fams.size(); ++i) {
    const auto w = where + ".jabatan_fungsional[" + std::to_string(i) + "]";
    fp_family f{text(fams[i], "kode", w), text(fams[i], "nama", w), category_of(text(fams[i], "kategori", w), w)};
    if (s.family(f.kode)) fail(w, "kode \"" + f.kode + "\" is used twice");
    s.jabatan_fungsional.push_back(std::move(f));
  }
  s.jabatan_pelaksana = shares(doc, "jabatan_pelaksana", "nama", where);
  return s;
}

pd_structure load_pd_structure(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error(file.string() + ": cannot read the Perangkat Daerah structure");
  json doc;
  try {
    doc = json::parse(in);
  } catch (const json::exception& e) {
    throw std::runtime_error(file.string() + ": not JSON: " + e.what());
  }
  return parse_pd_structure(doc, file.string());
}

std::vector<std::filesystem::path> resource_roots() {
  std::vector<std::filesystem::path> roots;
  if (const char* env = std::getenv("PERWAL_SHARE_DIR"); env && *env) roots.emplace_back(env);
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) roots.push_back(exe.parent_path().parent_path() / "share" / "perwal");
#ifdef PERWAL_RESOURCE_SOURCE_DIR
  roots.emplace_back(PERWAL_RESOURCE_SOURCE_DIR);
#endif
#ifdef PERWAL_RESOURCE_INSTALL_DIR
  roots.emplace_back(PERWAL_RESOURCE_INSTALL_DIR);
#endif
  return roots;
}

std::optional<std::filesystem::path> find_resource(const std::filesystem::path& relative) {
  for (const auto& root : resource_roots()) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(root / relative, ec)) return root / relative;
  }
  return std::nullopt;
}

std::filesystem::path pd_structure_path() {
  if (const char* env = std::getenv("PERWAL_STRUCTURE"); env && *env) return env;
  const std::filesystem::path rel = std::filesystem::path("data") / "perangkat-daerah.json";
  if (auto found = find_resource(rel)) return *found;
  std::string looked;
  for (const auto& r : resource_roots()) looked += (looked.empty() ? "" : ", ") + (r / rel).string();
  throw std::runtime_error("the Perangkat Daerah structure (data/perangkat-daerah.json) was not found; looked in " +
                           looked + "; set PERWAL_STRUCTURE to the file or PERWAL_SHARE_DIR to its share folder");
}

const pd_structure& standard_pd_structure() {
  static const pd_structure s = load_pd_structure(pd_structure_path());
  return s;
}

}  // namespace perwal
