// Internal to engine/gen: what the generator's files share: the seeded random
// source, the vocabulary and planted rules, the catalogue, the model of one
// instansi and its builder.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/common/pd_structure.hpp"
#include "engine/gen/org_gen.hpp"

namespace perwal::gen::detail {

// ---- deterministic randomness ----------------------------------------------

// splitmix64: the same sequence on every platform and standard library.
struct rng {
  std::uint64_t state;

  explicit rng(std::uint64_t seed) : state(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n), n > 0 (multiply-shift on the high 32 bits).
  std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(((next() >> 32) * n) >> 32); }
  std::uint32_t between(std::uint32_t lo, std::uint32_t hi) { return lo + below(hi - lo + 1); }
  bool percent(std::uint32_t pct) { return below(100) < pct; }
  template <typename T, std::size_t N>
  const T& pick(const std::array<T, N>& a) {
    return a[below(static_cast<std::uint32_t>(N))];
  }
};

inline std::uint64_t mix(std::uint64_t a, std::uint64_t b) {
  rng r(a ^ (b * 0xd1342543de82ef95ULL));
  r.next();
  return r.next();
}

// ---- vocabulary (canonical codes of permenpanrb-7-2022) ---------------------

enum class uk : std::uint8_t {
  pemerintah_daerah,
  sekretariat_daerah,
  sekretariat_dprd,
  inspektorat,
  dinas,
  badan,
  dpmptsp,
  bpbd,
  rsud,
  kecamatan,
  kelurahan,
  uptd,
  puskesmas,
  satuan_pendidikan,
  asisten,
  wakil_direktur,
  bagian,
  subbagian,
  bidang,
  seksi,
  sekretariat,
  inspektur_pembantu,
  tata_usaha
};
inline constexpr std::array<const char*, 23> unit_kind_code = {"pemerintah_daerah",
                                                               "sekretariat_daerah",
                                                               "sekretariat_dprd",
                                                               "inspektorat",
                                                               "dinas",
                                                               "badan",
                                                               "dpmptsp",
                                                               "bpbd",
                                                               "rsud",
                                                               "kecamatan",
                                                               "kelurahan",
                                                               "uptd",
                                                               "puskesmas",
                                                               "satuan_pendidikan",
                                                               "asisten",
                                                               "wakil_direktur",
                                                               "bagian",
                                                               "subbagian",
                                                               "bidang",
                                                               "seksi",
                                                               "sekretariat",
                                                               "inspektur_pembantu",
                                                               "tata_usaha"};

enum class pk : std::uint8_t {
  kepala_daerah,
  sekretaris_daerah,
  asisten,
  kepala_bagian,
  kepala_subbagian,
  sekretaris_dprd,
  inspektur,
  inspektur_pembantu,
  sekretaris,
  kepala_dinas,
  kepala_badan,
  kepala_pelaksana,
  kepala_bidang,
  kepala_seksi,
  camat,
  lurah,
  kepala_uptd,
  kepala_tata_usaha,
  direktur,
  wakil_direktur,
  kepala_puskesmas,
  kepala_satuan_pendidikan,
  fungsional,
  pelaksana
};
inline constexpr std::array<const char*, 24> position_kind_code = {"kepala_daerah",
                                                                   "sekretaris_daerah",
                                                                   "asisten",
                                                                   "kepala_bagian",
                                                                   "kepala_subbagian",
                                                                   "sekretaris_dprd",
                                                                   "inspektur",
                                                                   "inspektur_pembantu",
                                                                   "sekretaris",
                                                                   "kepala_dinas",
                                                                   "kepala_badan",
                                                                   "kepala_pelaksana",
                                                                   "kepala_bidang",
                                                                   "kepala_seksi",
                                                                   "camat",
                                                                   "lurah",
                                                                   "kepala_uptd",
                                                                   "kepala_tata_usaha",
                                                                   "direktur",
                                                                   "wakil_direktur",
                                                                   "kepala_puskesmas",
                                                                   "kepala_satuan_pendidikan",
                                                                   "fungsional",
                                                                   "pelaksana"};

enum class jn : std::uint8_t { kepala_daerah, jpt_madya, jpt_pratama, administrator, pengawas, fungsional, pelaksana };
inline constexpr std::array<const char*, 7> jenis_code = {"kepala_daerah", "jpt_madya",  "jpt_pratama", "administrator",
                                                          "pengawas",      "fungsional", "pelaksana"};

inline constexpr std::uint8_t no_jenjang = 0xff;

// ---- planted rules ------------------------------------------------------------
// What a planted item breaks; the rule's name comes from the compiled ruleset
// the generator is given (planted_rule_names).

enum class rule : std::uint8_t {
  none,
  sekretariat_daerah,
  sekretariat_dprd,
  inspektorat,
  dinas,
  badan,
  bpbd,
  dpmptsp,
  rsud,
  kecamatan,
  kelurahan,
  uptd_pengawas,
  puskesmas,
  satuan_pendidikan,
  atasan_langsung,
  delegasi_minimal,
  delegasi_atasan,
  tim_ketua
};
inline constexpr std::size_t rule_count = 18;
// The kind of Perangkat Daerah whose kedudukan table each table rule is (in
// enum order from sekretariat_daerah to satuan_pendidikan).
inline constexpr std::array<uk, 13> table_kind = {uk::sekretariat_daerah,
                                                  uk::sekretariat_dprd,
                                                  uk::inspektorat,
                                                  uk::dinas,
                                                  uk::badan,
                                                  uk::bpbd,
                                                  uk::dpmptsp,
                                                  uk::rsud,
                                                  uk::kecamatan,
                                                  uk::kelurahan,
                                                  uk::uptd,
                                                  uk::puskesmas,
                                                  uk::satuan_pendidikan};

// ---- catalogues (catalogue.cpp) -------------------------------------------------------

using fams = std::string_view;  // resolved: family indices as bytes (a compact list)

// The generator's own variety: the Dinas and Badan it plants, their bidang and
// families (heads come from the standard structure).
struct pd_entry {
  const char* name;
  uk kind;
  const char* tag;  // nullptr: none
  std::array<const char*, 4> bidang;
  std::string_view fams;  // family codes
  const char* uptd;       // nullptr: none
};

// The Dinas and Badan of a Pemerintah Daerah (catalogue.cpp).
extern const std::array<pd_entry, 24> pd_catalogue;

inline constexpr std::array<const char*, 20> place_a = {
    "Sungai", "Batu",  "Tanjung", "Bukit",  "Koto",    "Padang", "Muara",   "Pulau",  "Teluk",  "Lubuk",
    "Air",    "Pasir", "Rantau",  "Tebing", "Kampung", "Talang", "Simpang", "Lembah", "Gunung", "Pauh"};
inline constexpr std::array<const char*, 20> place_b = {
    "Jaya", "Raya",   "Indah",  "Baru",    "Tinggi", "Panjang", "Hilir", "Hulu",   "Sari",    "Makmur",
    "Mas",  "Gadang", "Tengah", "Selatan", "Utara",  "Barat",   "Timur", "Permai", "Lestari", "Sejahtera"};
inline constexpr std::array<const char*, 24> male = {"Afrizal", "Hendri", "Zulkifli", "Rahmat", "Fauzi",   "Ilham",
                                                     "Rizki",   "Andika", "Firdaus",  "Arif",   "Budi",    "Irwan",
                                                     "Wahyu",   "Fadli",  "Syahrul",  "Zainal", "Heru",    "Indra",
                                                     "Junaidi", "Lukman", "Taufik",   "Yudi",   "Bambang", "Darmawan"};
inline constexpr std::array<const char*, 24> female = {"Yusnidar", "Elfi",     "Fitri",  "Yulia", "Rahmi", "Nurhayati",
                                                       "Desi",     "Lisa",     "Mira",   "Rina",  "Siska", "Yanti",
                                                       "Afni",     "Mardiana", "Sri",    "Dewi",  "Ratna", "Sari",
                                                       "Novia",    "Intan",    "Annisa", "Putri", "Wulan", "Kartika"};
inline constexpr std::array<const char*, 16> last_m = {
    "Putra", "Saputra", "Hidayat", "Effendi", "Rahman",   "Pratama",  "Kurniawan", "Yusuf",
    "Anwar", "Maulana", "Rizal",   "Hakim",   "Ramadhan", "Nasution", "Wijaya",    "Irawan"};
inline constexpr std::array<const char*, 16> last_f = {
    "Yanti",  "Wati",    "Sari",    "Putri",    "Rahmawati", "Susanti", "Handayani", "Fitriani",
    "Novita", "Lestari", "Oktavia", "Agustina", "Hasanah",   "Wahyuni", "Safitri",   "Aulia"};

// ---- the rule each planted item breaks (planted_rules.cpp) ---------------------------

std::array<std::string, rule_count> planted_rule_names(const compiled_ruleset& r);
// What a planted item of each rule does, for the error when a ruleset has no such rule.
extern const std::array<const char*, rule_count> rule_about;

// ---- the catalogue, from the standard structure (catalogue.cpp) ----------------------

struct family {
  std::string title;
  fp_category category;
};

struct catalogue {
  std::vector<family> families;
  std::string family_bytes;  // each family index as a byte, so one family can be viewed as a `fams` list
  std::vector<std::string> jenjang_code, jenjang_label;
  std::uint8_t madya = 0, muda = 0;  // jenjang of FP heads and koordinator
  // jenjang of a new FP: the first band whose bound (per mille) is above a draw
  std::vector<std::pair<std::uint32_t, std::uint8_t>> ahli_bands, terampil_bands;
  std::uint32_t both_ahli_pct = 55;
  std::vector<std::string> pelaksana_titles;
  // The head (kind, jenis) of each unit kind, in a kabupaten/kota and in a province.
  std::array<std::pair<pk, jn>, unit_kind_code.size()> head_kab{}, head_prov{};
  std::pair<pk, jn> uptd_fp_head{};  // the UPTD led by a Pejabat Fungsional (its own form)
  std::string f_admin, f_hukum, f_audit, f_pkm, f_rsud, f_school, f_kec, f_dokter;
  std::vector<std::string> pd_fams;  // per pd_catalogue entry

  explicit catalogue(const pd_structure& s);

  [[nodiscard]] const std::pair<pk, jn>& head(uk kind, bool prov) const {
    return (prov ? head_prov : head_kab)[static_cast<std::size_t>(kind)];
  }

 private:
  static std::uint8_t jenjang(const std::string& code, const pd_structure& s);
  static std::vector<std::pair<std::uint32_t, std::uint8_t>> bands(const std::vector<weighted>& w,
                                                                   const pd_structure& s);
  static std::string fams_of(std::string_view codes, const pd_structure& s);
};

// ---- the model of one instansi ------------------------------------------------------

inline constexpr std::uint32_t nobody = 0xffffffffU;

struct unit_rec {
  std::uint32_t parent = nobody, head = nobody, name = 0;
  uk kind{};
  const char* tag = nullptr;
};

struct pos_rec {
  std::uint32_t unit = 0, atasan = nobody;
  std::uint32_t title = 0;  // structural: index into names; FP: family; pelaksana: title index
  pk kind{};
  jn jenis{};
  std::uint8_t jenjang = no_jenjang;
  bool vacant = false;
  rule planted = rule::none;
};

struct deleg_rec {
  std::uint32_t from = 0, to = 0, pd = 0;  // pd: the unit whose head signs the basis
  rule planted = rule::none;
};

struct team_rec {
  std::uint32_t owner = 0, established_by = 0, ketua = 0, name = 0, nilai = 0;
  std::vector<std::uint32_t> anggota;
  rule planted = rule::none;
};

enum class region : std::uint8_t { provinsi, kabupaten, kota };

struct instansi_plan {
  region kind{};
  std::uint32_t budget = 0;  // target positions
  std::string name;          // "Pemerintah Kota Sungai Jaya"
  std::string place;         // "Sungai Jaya"
};

// A misplacement this staff group may receive: the wrong atasan, the one rule
// of the audit it breaks and, for a post placed directly in the wrong unit,
// that unit.
struct wrong {
  std::uint32_t atasan;
  rule r;
  std::uint32_t unit = 0xffffffffU;
};

// ---- the builder of one instansi -------------------------------------------------------
// Its records, staff, delegations and teams: instansi_builder.cpp; the layout
// of the instansi and its Perangkat Daerah: instansi_layout.cpp.

class builder {
 public:
  builder(std::uint64_t seed, const instansi_plan& plan, std::uint32_t per_10k, const catalogue& cat)
      : r_(seed), plant_r_(mix(seed, 0x706c616e74ULL)), plan_(plan), per_10k_(per_10k), cat_(cat) {
    acc_ = r_.below(10000);  // a random phase, so instansi do not plant in lockstep
  }

  std::vector<unit_rec> units;
  std::vector<pos_rec> positions;
  std::vector<deleg_rec> delegations;
  std::vector<team_rec> teams;
  std::vector<std::string> names;  // unit names, structural titles, team names

  void build();

 private:
  // ---- planting ----------------------------------------------------------
  // Every checked item advances the accumulator; an item that can carry a
  // planted violation takes one when one is due.
  void tick() {
    acc_ += per_10k_;
    while (acc_ >= 10000) {
      acc_ -= 10000;
      ++due_;
    }
  }
  bool take_due() {
    if (due_ == 0) return false;
    --due_;
    return true;
  }

  // ---- records ---------------------------------------------------------------
  std::uint32_t name(std::string s) {
    names.push_back(std::move(s));
    return static_cast<std::uint32_t>(names.size() - 1);
  }
  std::uint32_t unit(std::uint32_t parent, uk kind, std::string n, const char* tag = nullptr);
  std::uint32_t head(std::uint32_t u, pk kind, jn jenis, std::uint32_t atasan, std::string title,
                     std::uint8_t jenjang = no_jenjang);
  std::uint32_t headed(std::uint32_t parent, uk kind, std::string unit_name, std::uint32_t atasan, std::string title,
                       std::uint32_t* unit_out = nullptr, const char* tag = nullptr,
                       const std::pair<pk, jn>* as = nullptr);
  std::uint8_t jenjang_for(fp_category c);
  std::uint32_t member(std::uint32_t u, std::uint32_t atasan, fams fs, std::uint32_t pelaksana_pct,
                       const std::vector<wrong>& wrongs);
  std::uint32_t staff(std::uint32_t u, std::uint32_t atasan, std::uint32_t n, fams fs, std::uint32_t pelaksana_pct,
                      const std::vector<wrong>& wrongs);

  std::uint32_t around(std::uint32_t mean) { return std::max<std::uint32_t>(1, mean * r_.between(60, 140) / 100); }

  std::string place() { return std::string(r_.pick(place_a)) + " " + r_.pick(place_b); }

  // ---- structure ---------------------------------------------------------------
  void root();
  void sekretariat_daerah(std::uint32_t budget);
  std::uint32_t subunits(std::uint32_t parent, uk kind, const char* label, std::uint32_t atasan, std::uint32_t n);
  void sekretariat_dprd(std::uint32_t budget);
  void inspektorat(std::uint32_t budget);
  void perangkat_daerah(std::uint32_t idx, std::uint32_t budget, std::uint32_t uptd_budget);
  void uptd_all(std::uint32_t idx, std::uint32_t pd, std::uint32_t kadis, std::uint32_t budget);
  void schools(std::uint32_t budget, bool prov);
  void puskesmas_all(std::uint32_t budget);
  void rsud_all(std::uint32_t budget, std::uint32_t count);
  void kecamatan_all(std::uint32_t budget, bool kota);

  // ---- delegations and teams ------------------------------------------------------
  void bidang_staff(std::uint32_t bu, std::uint32_t kabid, std::uint32_t kadis, std::uint32_t pd, std::uint32_t n,
                    fams fs, const std::vector<wrong>& w, std::uint32_t other_kabid, std::uint32_t kasi);
  void delegation(std::uint32_t kabid, std::uint32_t koord, std::uint32_t pd, std::uint32_t other_kabid,
                  std::uint32_t rest);
  void team_group(std::uint32_t u, std::uint32_t unit_head, std::uint32_t by, std::uint32_t first,
                  std::uint32_t other_head);

  rng r_;        // the structure
  rng plant_r_;  // the planted items' choices: the rate changes only what is planted
  const instansi_plan& plan_;
  std::uint32_t per_10k_;
  std::uint32_t acc_ = 0, due_ = 0;
  std::uint32_t root_ = 0, kepala_daerah_ = 0, sekda_ = 0;
  std::uint32_t disdik_ = 0, disdik_unit_ = 0, dinkes_ = 0, dinkes_unit_ = 0;
  std::vector<std::uint32_t> fp_pool_;  // FP so far, for cross-unit team members
  const catalogue& cat_;
};

// ---- the plan of instansi (org_gen.cpp) ----------------------------------------------

std::vector<instansi_plan> make_plans(const options& o);

// ---- the document (org_document.cpp) ---------------------------------------------------

// Streams the perwal-org/1 document for `o` to `out`; returns the report.
report write_document(const options& o, std::ostream& out, const catalogue& cat, const compiled_ruleset& rules);

}  // namespace perwal::gen::detail
