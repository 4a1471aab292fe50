// The synthetic org generator (org_gen.hpp).
//
// Each instansi is built as a small compact model (units, positions,
// delegations, teams as integers) from its own seeded generator, so it can be
// rebuilt at will: the document is written section by section (units, then
// positions, employees, delegations, teams), rebuilding each instansi once per
// section, and at most one instansi's model is in memory at a time.
//
// The heads of every kind of unit, the jabatan fungsional families, jenjang
// and pelaksana titles come from the standard Perangkat Daerah structure
// (data/perangkat-daerah.json); the Dinas and Badan it plants, their names
// and sizes are the generator's own variety.
//
// Planted violations are built against the kedudukan tables of Perwal Kota
// Padang Panjang 48/2024 (Lampiran II) and the base rules: each planted item
// is built so that exactly one rule of the audit fails on it (a kedudukan
// table, the rule listing an atasan's jenis, a delegasi rule or the
// team-leader rule); every other item is built to pass. The rules' names are
// found in the compiled ruleset the generator is given (planted_rule_names).
#include "engine/gen/org_gen.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <functional>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string_view>

#include "engine/common/pd_structure.hpp"
#include "engine/compile/ruleset.hpp"

namespace perwal::gen {
namespace {

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

std::uint64_t mix(std::uint64_t a, std::uint64_t b) {
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
constexpr std::array<const char*, 23> unit_kind_code = {"pemerintah_daerah",
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
constexpr std::array<const char*, 24> position_kind_code = {"kepala_daerah",
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
constexpr std::array<const char*, 7> jenis_code = {"kepala_daerah", "jpt_madya",  "jpt_pratama", "administrator",
                                                   "pengawas",      "fungsional", "pelaksana"};

constexpr std::uint8_t no_jenjang = 0xff;

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
constexpr std::size_t rule_count = 18;
// The kind of Perangkat Daerah whose kedudukan table each table rule is (in
// enum order from sekretariat_daerah to satuan_pendidikan).
constexpr std::array<uk, 13> table_kind = {uk::sekretariat_daerah, uk::sekretariat_dprd, uk::inspektorat, uk::dinas,
                                           uk::badan,              uk::bpbd,             uk::dpmptsp,     uk::rsud,
                                           uk::kecamatan,          uk::kelurahan,        uk::uptd,        uk::puskesmas,
                                           uk::satuan_pendidikan};

// ---- catalogues ---------------------------------------------------------------------

// Lists of jabatan fungsional families (codes of data/perangkat-daerah.json,
// space-separated; a repeated code is drawn more often), resolved into
// family indices by the catalogue. The lists are the ones the generator has
// always drawn from: its earlier byte-string lists ended at the first
// Analis Kebijakan (a NUL byte), so a list that named it first drew only it.
// Written as drawn, the output stays byte-identical; longer lists would
// change every generated org.
using fams = std::string_view;  // resolved: family indices as bytes (a compact list)

constexpr std::string_view f_admin = "analis";
constexpr std::string_view f_hukum = "perancang-pu analis-hukum";
constexpr std::string_view f_audit = "auditor auditor auditor ppupd ppupd";
constexpr std::string_view f_pkm = "dokter dokter-gigi perawat perawat perawat bidan bidan bidan apoteker pranata-lab nutrisionis sanitarian penyuluh-kesmas perekam-medis";
constexpr std::string_view f_rsud = "dokter dokter dokter-gigi perawat perawat perawat perawat perawat bidan apoteker asisten-apoteker pranata-lab nutrisionis perekam-medis radiografer fisioterapis";
constexpr std::string_view f_school = "guru";
constexpr std::string_view f_kec = "psm psm";
// The generator's own variety: the Dinas and Badan it plants, their bidang and
// families (heads come from the standard structure).
struct pd_entry {
  const char* name;
  uk kind;
  const char* tag;  // nullptr: none
  std::array<const char*, 4> bidang;
  std::string_view fams;  // family codes
  const char* uptd;  // nullptr: none
};

// The Dinas and Badan of a Pemerintah Daerah. Index 0 is the Dinas Pendidikan
// (satuan pendidikan), 1 the Dinas Kesehatan (puskesmas).
constexpr std::array<pd_entry, 24> pd_catalogue = {{
    {"Dinas Pendidikan",
     uk::dinas,
     "urusan:pendidikan",
     {"Bidang Pembinaan Sekolah", "Bidang Pendidikan Anak Usia Dini dan Nonformal",
      "Bidang Guru dan Tenaga Kependidikan", "Bidang Kurikulum"},
     "pengawas-sekolah penilik pamong-belajar",
     nullptr},
    {"Dinas Kesehatan",
     uk::dinas,
     "urusan:kesehatan",
     {"Bidang Kesehatan Masyarakat", "Bidang Pencegahan dan Pengendalian Penyakit", "Bidang Pelayanan Kesehatan",
      "Bidang Sumber Daya Kesehatan"},
     "epidemiolog sanitarian nutrisionis penyuluh-kesmas apoteker",
     "UPTD Laboratorium Kesehatan"},
    {"Dinas Pekerjaan Umum dan Penataan Ruang",
     uk::dinas,
     "urusan:pekerjaan_umum",
     {"Bidang Bina Marga", "Bidang Sumber Daya Air", "Bidang Cipta Karya", "Bidang Penataan Ruang"},
     "teknik-jalan teknik-pengairan penata-ruang teknik-tata-bangunan",
     "UPTD Peralatan dan Perbekalan"},
    {"Dinas Perumahan Rakyat dan Kawasan Permukiman",
     uk::dinas,
     "urusan:kawasan_permukiman",
     {"Bidang Perumahan", "Bidang Kawasan Permukiman", "Bidang Pertanahan", nullptr},
     "teknik-tata-bangunan penata-ruang",
     nullptr},
    {"Satuan Polisi Pamong Praja",
     uk::dinas,
     "urusan:ketenteraman_ketertiban",
     {"Bidang Penegakan Peraturan Daerah", "Bidang Ketertiban Umum", "Bidang Perlindungan Masyarakat", nullptr},
     "polpp polpp polpp",
     nullptr},
    {"Dinas Pemadam Kebakaran dan Penyelamatan",
     uk::dinas,
     "urusan:kebakaran",
     {"Bidang Pemadaman", "Bidang Penyelamatan", "Bidang Pencegahan", nullptr},
     "pemadam pemadam",
     nullptr},
    {"Dinas Sosial",
     uk::dinas,
     "urusan:sosial",
     {"Bidang Rehabilitasi Sosial", "Bidang Perlindungan dan Jaminan Sosial", "Bidang Pemberdayaan Sosial", nullptr},
     "pekerja-sosial pekerja-sosial",
     "UPTD Panti Sosial"},
    {"Dinas Pengendalian Penduduk dan Keluarga Berencana",
     uk::dinas,
     "urusan:keluarga_berencana",
     {"Bidang Pengendalian Penduduk", "Bidang Keluarga Berencana", "Bidang Pemberdayaan Perempuan", nullptr},
     "penyuluh-kb penyuluh-kb",
     nullptr},
    {"Dinas Kependudukan dan Pencatatan Sipil",
     uk::dinas,
     "urusan:kependudukan",
     {"Bidang Pelayanan Pendaftaran Penduduk", "Bidang Pelayanan Pencatatan Sipil",
      "Bidang Pengelolaan Informasi Administrasi Kependudukan", nullptr},
     "adminduk adminduk pranata-komputer",
     nullptr},
    {"Dinas Perhubungan",
     uk::dinas,
     "urusan:perhubungan",
     {"Bidang Lalu Lintas", "Bidang Angkutan", "Bidang Sarana dan Prasarana", nullptr},
     "penguji-kendaraan penguji-kendaraan",
     "UPTD Pengujian Kendaraan Bermotor"},
    {"Dinas Komunikasi dan Informatika",
     uk::dinas,
     "urusan:komunikasi_informatika",
     {"Bidang Informasi dan Komunikasi Publik", "Bidang Aplikasi Informatika", "Bidang Statistik dan Persandian",
      nullptr},
     "pranata-humas pranata-komputer statistisi",
     nullptr},
    {"Dinas Lingkungan Hidup",
     uk::dinas,
     "urusan:lingkungan_hidup",
     {"Bidang Tata Lingkungan", "Bidang Pengendalian Pencemaran", "Bidang Pengelolaan Sampah", nullptr},
     "pengendali-dampak pengendali-dampak",
     "UPTD Pengelolaan Sampah"},
    {"Dinas Pertanian dan Ketahanan Pangan",
     uk::dinas,
     "urusan:pertanian",
     {"Bidang Tanaman Pangan", "Bidang Hortikultura", "Bidang Peternakan", "Bidang Ketahanan Pangan"},
     "penyuluh-pertanian penyuluh-pertanian penyuluh-pertanian medik-veteriner paramedik-veteriner",
     "UPTD Pusat Kesehatan Hewan"},
    {"Dinas Perdagangan, Koperasi dan Usaha Mikro",
     uk::dinas,
     "urusan:perdagangan",
     {"Bidang Perdagangan", "Bidang Koperasi", "Bidang Usaha Mikro", "Bidang Metrologi Legal"},
     "pengawas-perdagangan penera",
     "UPTD Metrologi Legal"},
    {"Dinas Pariwisata, Pemuda dan Olahraga",
     uk::dinas,
     "urusan:pariwisata",
     {"Bidang Destinasi Pariwisata", "Bidang Pemasaran", "Bidang Kepemudaan dan Olahraga", nullptr},
     "adyatama adyatama",
     nullptr},
    {"Dinas Perpustakaan dan Kearsipan",
     uk::dinas,
     "urusan:perpustakaan",
     {"Bidang Perpustakaan", "Bidang Kearsipan", nullptr, nullptr},
     "pustakawan pustakawan arsiparis arsiparis",
     nullptr},
    {"Dinas Tenaga Kerja dan Perindustrian",
     uk::dinas,
     "urusan:tenaga_kerja",
     {"Bidang Penempatan Tenaga Kerja", "Bidang Hubungan Industrial", "Bidang Perindustrian", nullptr},
     "analis",
     "UPTD Balai Latihan Kerja"},
    {"Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah",
     uk::badan,
     "urusan:perencanaan",
     {"Bidang Pemerintahan dan Pembangunan Manusia", "Bidang Perekonomian dan Sumber Daya Alam",
      "Bidang Infrastruktur dan Kewilayahan", "Bidang Penelitian dan Pengembangan"},
     "perencana perencana",
     nullptr},
    {"Badan Keuangan Daerah",
     uk::badan,
     "urusan:keuangan",
     {"Bidang Anggaran", "Bidang Perbendaharaan", "Bidang Akuntansi", "Bidang Aset"},
     "analis-keuangan analis-keuangan",
     nullptr},
    {"Badan Pendapatan Daerah",
     uk::badan,
     "urusan:pajak_daerah",
     {"Bidang Pendataan dan Penetapan", "Bidang Penagihan", "Bidang Pengembangan Pendapatan", nullptr},
     "analis-keuangan",
     "UPTD Pengelolaan Pendapatan"},
    {"Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
     uk::badan,
     "urusan:kepegawaian",
     {"Bidang Mutasi dan Promosi", "Bidang Pengembangan Kompetensi", "Bidang Penilaian Kinerja", nullptr},
     "analis-sdm analis-sdm pranata-sdm",
     nullptr},
    {"Badan Kesatuan Bangsa dan Politik",
     uk::badan,
     "urusan:kesatuan_bangsa_politik",
     {"Bidang Ideologi dan Wawasan Kebangsaan", "Bidang Politik Dalam Negeri", "Bidang Ketahanan Ekonomi dan Sosial",
      nullptr},
     "analis",
     nullptr},
    {"Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
     uk::dpmptsp,
     "urusan:penanaman_modal",
     {"Bidang Penanaman Modal", "Bidang Perizinan", "Bidang Pengaduan dan Informasi", nullptr},
     "analis",
     nullptr},
    {"Badan Penanggulangan Bencana Daerah",
     uk::bpbd,
     "urusan:kebencanaan",
     {"Bidang Pencegahan dan Kesiapsiagaan", "Bidang Kedaruratan dan Logistik", "Bidang Rehabilitasi dan Rekonstruksi",
      nullptr},
     "penata-pb penata-pb",
     nullptr},
}};

constexpr std::array<const char*, 20> place_a = {"Sungai",  "Batu",   "Tanjung", "Bukit",  "Koto",   "Padang", "Muara",
                                                 "Pulau",   "Teluk",  "Lubuk",   "Air",    "Pasir",  "Rantau", "Tebing",
                                                 "Kampung", "Talang", "Simpang", "Lembah", "Gunung", "Pauh"};
constexpr std::array<const char*, 20> place_b = {"Jaya",  "Raya",  "Indah",  "Baru",   "Tinggi",  "Panjang",  "Hilir",
                                                 "Hulu",  "Sari",  "Makmur", "Mas",    "Gadang",  "Tengah",   "Selatan",
                                                 "Utara", "Barat", "Timur",  "Permai", "Lestari", "Sejahtera"};
constexpr std::array<const char*, 24> male = {"Afrizal", "Hendri", "Zulkifli", "Rahmat", "Fauzi",   "Ilham",
                                              "Rizki",   "Andika", "Firdaus",  "Arif",   "Budi",    "Irwan",
                                              "Wahyu",   "Fadli",  "Syahrul",  "Zainal", "Heru",    "Indra",
                                              "Junaidi", "Lukman", "Taufik",   "Yudi",   "Bambang", "Darmawan"};
constexpr std::array<const char*, 24> female = {"Yusnidar", "Elfi",     "Fitri",  "Yulia", "Rahmi", "Nurhayati",
                                                "Desi",     "Lisa",     "Mira",   "Rina",  "Siska", "Yanti",
                                                "Afni",     "Mardiana", "Sri",    "Dewi",  "Ratna", "Sari",
                                                "Novia",    "Intan",    "Annisa", "Putri", "Wulan", "Kartika"};
constexpr std::array<const char*, 16> last_m = {"Putra",     "Saputra",  "Hidayat", "Effendi", "Rahman", "Pratama",
                                                "Kurniawan", "Yusuf",    "Anwar",   "Maulana", "Rizal",  "Hakim",
                                                "Ramadhan",  "Nasution", "Wijaya",  "Irawan"};
constexpr std::array<const char*, 16> last_f = {"Yanti",     "Wati",     "Sari",    "Putri",   "Rahmawati", "Susanti",
                                                "Handayani", "Fitriani", "Novita",  "Lestari", "Oktavia",   "Agustina",
                                                "Hasanah",   "Wahyuni",  "Safitri", "Aulia"};

// ---- the rule each planted item breaks, found in the compiled ruleset ----------------
// By what a rule is about, not by its name: a kedudukan table by the kind of
// Perangkat Daerah it covers; the other rules by what their `require` tests.

bool any_expr(const cexpr& e, const std::function<bool(const cexpr&)>& f) {
  if (f(e)) return true;
  return std::any_of(e.kids.begin(), e.kids.end(), [&](const cexpr& k) { return any_expr(k, f); });
}

// A path expression `base.steps…` (exactly these steps).
bool is_path(const cexpr& e, base_name base, std::initializer_list<prop> steps) {
  if (e.op != expr_op::path || e.paths.size() != 1 || e.paths[0].base != base) return false;
  const auto& s = e.paths[0].steps;
  return std::equal(s.begin(), s.end(), steps.begin(), steps.end(),
                    [](const cstep& a, prop b) { return a.p == b; });
}

// The wajib generic rule on `on` whose require has a sub-expression `test` holds for.
std::string generic_rule(const compiled_ruleset& r, query_kind on, const std::function<bool(const cexpr&)>& test) {
  for (const auto& g : r.rules) {
    if (g.on == on && g.info.level == strength::wajib && g.require && any_expr(*g.require, test)) return g.info.name;
  }
  return {};
}

std::array<std::string, rule_count> planted_rule_names(const compiled_ruleset& r) {
  std::array<std::string, rule_count> names;
  // Kedudukan tables: the first table covering the kind of Perangkat Daerah.
  for (std::size_t i = 0; i < table_kind.size(); ++i) {
    const auto kind = r.vocab.find(category::unit_kind, unit_kind_code[static_cast<std::size_t>(table_kind[i])]);
    if (!kind) continue;
    for (const auto& t : r.kedudukan) {
      if (std::find(t.pd_kinds.begin(), t.pd_kinds.end(), *kind) == t.pd_kinds.end()) continue;
      names[i + static_cast<std::size_t>(rule::sekretariat_daerah)] = t.info.name;
      break;
    }
  }
  // An FP under the kepala daerah: the rule listing the jenis an atasan may
  // have (`atasan.jenis in [...]`), without the kepala daerah's.
  const auto kd = r.vocab.find(category::jenis, "kepala_daerah");
  names[static_cast<std::size_t>(rule::atasan_langsung)] = generic_rule(r, query_kind::kedudukan, [&](const cexpr& e) {
    if (e.op != expr_op::in || e.kids.size() != 2 || !is_path(e.kids[0], base_name::atasan, {prop::jenis})) return false;
    return e.kids[1].op == expr_op::list && std::none_of(e.kids[1].kids.begin(), e.kids[1].kids.end(), [&](const cexpr& k) {
             return k.op == expr_op::code_lit && kd && k.literal == *kd;
           });
  });
  // A team led by a structural official: `team.ketua.jenis in [...]`.
  names[static_cast<std::size_t>(rule::tim_ketua)] = generic_rule(r, query_kind::tim, [](const cexpr& e) {
    return e.op == expr_op::in && e.kids.size() == 2 && is_path(e.kids[0], base_name::team, {prop::ketua, prop::jenis});
  });
  // A delegation given by an FP: a lower bound on `delegation.from.jenis`.
  names[static_cast<std::size_t>(rule::delegasi_minimal)] = generic_rule(r, query_kind::delegasi, [](const cexpr& e) {
    return (e.op == expr_op::ge || e.op == expr_op::gt) && e.kids.size() == 2 &&
           is_path(e.kids[0], base_name::delegation, {prop::from, prop::jenis});
  });
  // A delegation from outside the delegate's chain: `delegation.from in delegation.to.superiors`.
  names[static_cast<std::size_t>(rule::delegasi_atasan)] = generic_rule(r, query_kind::delegasi, [](const cexpr& e) {
    return e.op == expr_op::in && e.kids.size() == 2 && is_path(e.kids[0], base_name::delegation, {prop::from}) &&
           is_path(e.kids[1], base_name::delegation, {prop::to, prop::superiors});
  });
  return names;
}

// What a planted item of each rule does, for the error when a ruleset has no such rule.
constexpr std::array<const char*, rule_count> rule_about = {"",
                                                            "a kedudukan table for sekretariat_daerah",
                                                            "a kedudukan table for sekretariat_dprd",
                                                            "a kedudukan table for inspektorat",
                                                            "a kedudukan table for dinas",
                                                            "a kedudukan table for badan",
                                                            "a kedudukan table for bpbd",
                                                            "a kedudukan table for dpmptsp",
                                                            "a kedudukan table for rsud",
                                                            "a kedudukan table for kecamatan",
                                                            "a kedudukan table for kelurahan",
                                                            "a kedudukan table for uptd",
                                                            "a kedudukan table for puskesmas",
                                                            "a kedudukan table for satuan_pendidikan",
                                                            "a wajib kedudukan rule `atasan.jenis in [...]`",
                                                            "a wajib delegasi rule bounding `delegation.from.jenis`",
                                                            "a wajib delegasi rule `delegation.from in delegation.to.superiors`",
                                                            "a wajib tim rule `team.ketua.jenis in [...]`"};

// ---- the catalogue, from the standard structure ------------------------------------
// data/perangkat-daerah.json resolved once per document: the families, jenjang,
// pelaksana titles and the head of each kind of unit. Where the generator
// departs from the file on purpose, it says so here:
//   - an Ahli Utama is rare in a Pemerintah Daerah: it takes the top
//     `ahli_utama_per_mille` of the ahli shares (the file gives it none);
//   - a family of both categories is ahli with the file's default share
//     (persen_ahli.bawaan), never a per-family one;
//   - pelaksana titles are drawn evenly (the file's weights are for fixtures).
constexpr std::uint32_t ahli_utama_per_mille = 5;

template <typename E, std::size_t N>
E code_index(const std::array<const char*, N>& codes, const std::string& name, const char* what) {
  for (std::size_t i = 0; i < N; ++i)
    if (name == codes[i]) return static_cast<E>(i);
  throw std::runtime_error(std::string("gen-org: the structure names the ") + what + " \"" + name +
                           "\", which the generator does not know");
}

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

  explicit catalogue(const pd_structure& s) {
    if (s.jabatan_fungsional.size() > 255) throw std::runtime_error("gen-org: more than 255 jabatan fungsional");
    for (std::size_t i = 0; i < s.jabatan_fungsional.size(); ++i) {
      families.push_back({s.jabatan_fungsional[i].nama, s.jabatan_fungsional[i].kategori});
      family_bytes.push_back(static_cast<char>(i));
    }
    for (const auto& j : s.jenjang) {
      jenjang_code.push_back(j.kode);
      jenjang_label.push_back(j.nama);
    }
    madya = jenjang("ahli_madya", s);
    muda = jenjang("ahli_muda", s);
    ahli_bands = bands(s.sebaran_ahli, s);
    terampil_bands = bands(s.sebaran_terampil, s);
    ahli_bands.back().first -= ahli_utama_per_mille;
    ahli_bands.emplace_back(1000, jenjang("ahli_utama", s));
    both_ahli_pct = static_cast<std::uint32_t>(s.persen_ahli);
    for (const auto& t : s.jabatan_pelaksana) pelaksana_titles.push_back(t.nama);
    for (std::size_t k = 0; k < unit_kind_code.size(); ++k) {
      for (const bool prov : {false, true}) {
        const auto* h = s.head_of(unit_kind_code[k]);
        if (!h)
          throw std::runtime_error(std::string("gen-org: the structure has no head for unit kind ") + unit_kind_code[k]);
        (prov ? head_prov : head_kab)[k] = {code_index<pk>(position_kind_code, h->jabatan, "position kind"),
                                            code_index<jn>(jenis_code, h->jenis_for(prov), "jenis")};
      }
    }
    const pd_form* fp_led = nullptr;
    for (const auto* f : s.forms("uptd"))
      if (f->kepala.jenis == "fungsional" && !fp_led) fp_led = f;
    if (!fp_led) throw std::runtime_error("gen-org: the structure has no UPTD led by a Pejabat Fungsional");
    uptd_fp_head = {code_index<pk>(position_kind_code, fp_led->kepala.jabatan, "position kind"),
                    code_index<jn>(jenis_code, fp_led->kepala.jenis, "jenis")};
    f_admin = fams_of(::perwal::gen::f_admin, s);
    f_hukum = fams_of(::perwal::gen::f_hukum, s);
    f_audit = fams_of(::perwal::gen::f_audit, s);
    f_pkm = fams_of(::perwal::gen::f_pkm, s);
    f_rsud = fams_of(::perwal::gen::f_rsud, s);
    f_school = fams_of(::perwal::gen::f_school, s);
    f_kec = fams_of(::perwal::gen::f_kec, s);
    f_dokter = fams_of("dokter", s);  // dokter spesialis under an RSUD's direktur
    for (const auto& e : pd_catalogue) pd_fams.push_back(fams_of(e.fams, s));
  }

  [[nodiscard]] const std::pair<pk, jn>& head(uk kind, bool prov) const {
    return (prov ? head_prov : head_kab)[static_cast<std::size_t>(kind)];
  }

 private:
  static std::uint8_t jenjang(const std::string& code, const pd_structure& s) {
    for (std::size_t i = 0; i < s.jenjang.size(); ++i)
      if (s.jenjang[i].kode == code) return static_cast<std::uint8_t>(i);
    throw std::runtime_error("gen-org: the structure has no jenjang " + code);
  }
  static std::vector<std::pair<std::uint32_t, std::uint8_t>> bands(const std::vector<weighted>& w,
                                                                   const pd_structure& s) {
    std::uint32_t total = 0, acc = 0;
    for (const auto& x : w) total += static_cast<std::uint32_t>(x.bobot);
    if (total == 0) throw std::runtime_error("gen-org: a sebaran_jenjang has no weight");
    std::vector<std::pair<std::uint32_t, std::uint8_t>> out;
    for (const auto& x : w) {
      acc += static_cast<std::uint32_t>(x.bobot);
      out.emplace_back(acc * 1000 / total, jenjang(x.nama, s));
    }
    return out;
  }
  static std::string fams_of(std::string_view codes, const pd_structure& s) {
    std::string out;
    while (!codes.empty()) {
      const auto sp = codes.find(' ');
      const auto c = codes.substr(0, sp);
      codes = sp == std::string_view::npos ? std::string_view() : codes.substr(sp + 1);
      bool found = false;
      for (std::size_t i = 0; i < s.jabatan_fungsional.size() && !found; ++i) {
        if (s.jabatan_fungsional[i].kode == c) {
          out.push_back(static_cast<char>(i));
          found = true;
        }
      }
      if (!found) throw std::runtime_error("gen-org: the structure has no jabatan fungsional " + std::string(c));
    }
    return out;
  }
};

// ---- the model of one instansi ------------------------------------------------------

constexpr std::uint32_t nobody = 0xffffffffU;

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

  void build() {
    root();
    const std::uint32_t b = plan_.budget;
    const bool prov = plan_.kind == region::provinsi;
    const bool kota = plan_.kind == region::kota;
    sekretariat_daerah(b * (prov ? 3 : 2) / 100);
    sekretariat_dprd(b * 2 / 100);
    inspektorat(b * 2 / 100);
    const std::uint32_t core = b * (prov ? 22 : kota ? 19 : 18) / 100;
    const std::uint32_t uptd_share = b * (prov ? 16 : 6) / 100;
    for (std::uint32_t i = 0; i < pd_catalogue.size(); ++i) {
      const auto w = r_.between(60, 140);
      perangkat_daerah(i, core * w / 100 / static_cast<std::uint32_t>(pd_catalogue.size()),
                       uptd_share * w / 100 / static_cast<std::uint32_t>(pd_catalogue.size()));
    }
    schools(b * (prov ? 40 : kota ? 40 : 44) / 100, prov);
    if (!prov) puskesmas_all(b * (kota ? 12 : 13) / 100);
    rsud_all(b * (prov ? 14 : 9) / 100, prov ? r_.between(2, 5) : kota ? 1 : r_.between(1, 2));
    if (!prov) kecamatan_all(b * (kota ? 8 : 7) / 100, kota);
  }

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
  std::uint32_t unit(std::uint32_t parent, uk kind, std::string n, const char* tag = nullptr) {
    unit_rec u;
    u.parent = parent;
    u.kind = kind;
    u.name = name(std::move(n));
    u.tag = tag;
    units.push_back(u);
    return static_cast<std::uint32_t>(units.size() - 1);
  }
  std::uint32_t head(std::uint32_t u, pk kind, jn jenis, std::uint32_t atasan, std::string title,
                     std::uint8_t jenjang = no_jenjang) {
    pos_rec p;
    p.unit = u;
    p.atasan = atasan;
    p.kind = kind;
    p.jenis = jenis;
    p.jenjang = jenjang;
    p.title = name(std::move(title));
    p.vacant = r_.percent(2);
    positions.push_back(p);
    const auto id = static_cast<std::uint32_t>(positions.size() - 1);
    units[u].head = id;
    if (jenis == jn::fungsional) tick();  // an FP head is checked too
    return id;
  }
  // A unit and its head in one step; returns the head. The head's kind and
  // jenis are the standard structure's for the unit kind (`as`: another form's).
  std::uint32_t headed(std::uint32_t parent, uk kind, std::string unit_name, std::uint32_t atasan, std::string title,
                       std::uint32_t* unit_out = nullptr, const char* tag = nullptr,
                       const std::pair<pk, jn>* as = nullptr) {
    const auto u = unit(parent, kind, std::move(unit_name), tag);
    if (unit_out) *unit_out = u;
    const auto& h = as ? *as : cat_.head(kind, plan_.kind == region::provinsi);
    return head(u, h.first, h.second, atasan, std::move(title));
  }

  std::uint8_t jenjang_for(fp_category c) {
    if (c == fp_category::keduanya) c = r_.percent(cat_.both_ahli_pct) ? fp_category::ahli : fp_category::terampil;
    // Shares per mille, from the standard structure (with the rare Ahli Utama: see catalogue).
    const auto x = r_.below(1000);
    const auto& bands = c == fp_category::ahli ? cat_.ahli_bands : cat_.terampil_bands;
    for (const auto& [bound, j] : bands)
      if (x < bound) return j;
    return bands.back().second;
  }

  // One FP or pelaksana in `u` under `atasan`; planted with one of `wrongs`
  // when one is due. Returns the position.
  std::uint32_t member(std::uint32_t u, std::uint32_t atasan, fams fs, std::uint32_t pelaksana_pct,
                       const std::vector<wrong>& wrongs) {
    pos_rec p;
    p.unit = u;
    p.atasan = atasan;
    if (r_.percent(pelaksana_pct)) {
      p.kind = pk::pelaksana;
      p.jenis = jn::pelaksana;
      p.title = r_.below(static_cast<std::uint32_t>(cat_.pelaksana_titles.size()));
    } else {
      p.kind = pk::fungsional;
      p.jenis = jn::fungsional;
      p.title = static_cast<std::uint8_t>(fs[r_.below(static_cast<std::uint32_t>(fs.size()))]);
      p.jenjang = jenjang_for(cat_.families[p.title].category);
    }
    p.vacant = r_.percent(4);
    tick();
    if (!wrongs.empty() && take_due()) {
      const auto& w = wrongs[plant_r_.below(static_cast<std::uint32_t>(wrongs.size()))];
      p.atasan = w.atasan;
      p.planted = w.r;
      if (w.unit != nobody) p.unit = w.unit;
    }
    positions.push_back(p);
    const auto id = static_cast<std::uint32_t>(positions.size() - 1);
    if (p.jenis == jn::fungsional) fp_pool_.push_back(id);
    return id;
  }

  // `n` staff in `u` under `atasan`; returns the first.
  std::uint32_t staff(std::uint32_t u, std::uint32_t atasan, std::uint32_t n, fams fs, std::uint32_t pelaksana_pct,
                      const std::vector<wrong>& wrongs) {
    const auto first = static_cast<std::uint32_t>(positions.size());
    for (std::uint32_t i = 0; i < n; ++i) member(u, atasan, fs, pelaksana_pct, wrongs);
    return first;
  }

  std::uint32_t around(std::uint32_t mean) { return std::max<std::uint32_t>(1, mean * r_.between(60, 140) / 100); }

  std::string place() { return std::string(r_.pick(place_a)) + " " + r_.pick(place_b); }

  // ---- structure ---------------------------------------------------------------
  void root() {
    const bool prov = plan_.kind == region::provinsi;
    const auto u = unit(nobody, uk::pemerintah_daerah, plan_.name);
    const char* kd = prov ? "Gubernur" : plan_.kind == region::kota ? "Wali Kota" : "Bupati";
    const auto& h = cat_.head(uk::pemerintah_daerah, prov);
    head(u, h.first, h.second, nobody, std::string(kd) + " " + plan_.place);
    kepala_daerah_ = units[u].head;
    root_ = u;
  }

  void sekretariat_daerah(std::uint32_t budget) {
    std::uint32_t setda = 0;
    sekda_ = headed(root_, uk::sekretariat_daerah, "Sekretariat Daerah", kepala_daerah_, "Sekretaris Daerah", &setda);
    static constexpr std::array<const char*, 3> asisten = {"Asisten Pemerintahan dan Kesejahteraan Rakyat",
                                                           "Asisten Perekonomian dan Pembangunan",
                                                           "Asisten Administrasi Umum"};
    static constexpr std::array<std::array<const char*, 3>, 3> bagian = {
        {{"Bagian Pemerintahan", "Bagian Kesejahteraan Rakyat", "Bagian Hukum"},
         {"Bagian Perekonomian", "Bagian Administrasi Pembangunan", "Bagian Pengadaan Barang dan Jasa"},
         {"Bagian Organisasi", "Bagian Umum", "Bagian Protokol dan Komunikasi Pimpinan"}}};
    const std::uint32_t per_bagian = std::max<std::uint32_t>(4, budget / 9);
    for (std::size_t a = 0; a < asisten.size(); ++a) {
      std::uint32_t au = 0;
      const auto ap = headed(setda, uk::asisten, asisten[a], sekda_, asisten[a], &au);
      for (const char* bn : bagian[a]) {
        std::uint32_t bu = 0;
        const auto kabag =
            headed(au, uk::bagian, bn, ap, std::string("Kepala ") + bn, &bu);
        const auto kasubbag = subunits(bu, uk::subbagian, "Subbagian", kabag, 2);
        const fams fs = std::string_view(bn).find("Hukum") != std::string_view::npos ? cat_.f_hukum : cat_.f_admin;
        team_group(bu, kabag, sekda_,
                   staff(bu, kabag, around(per_bagian), fs, 30,
                         {{ap, rule::sekretariat_daerah, au}, {kasubbag, rule::sekretariat_daerah}}),
                   kasubbag);
      }
    }
  }

  // `n` inner units (subbagian, seksi) under `parent` with their heads;
  // returns the first head (or nobody).
  std::uint32_t subunits(std::uint32_t parent, uk kind, const char* label, std::uint32_t atasan, std::uint32_t n) {
    static constexpr std::array<const char*, 6> subbagian_topics = {
        "Umum dan Kepegawaian", "Keuangan", "Program dan Pelaporan", "Perencanaan", "Tata Usaha", "Aset"};
    static constexpr std::array<const char*, 6> seksi_topics = {"Pemerintahan",
                                                                "Ketenteraman dan Ketertiban Umum",
                                                                "Pemberdayaan Masyarakat",
                                                                "Pelayanan Umum",
                                                                "Kesejahteraan Sosial",
                                                                "Pembangunan"};
    const auto& topics = kind == uk::seksi ? seksi_topics : subbagian_topics;
    std::uint32_t first = nobody;
    const std::uint32_t start = r_.below(static_cast<std::uint32_t>(topics.size()));
    for (std::uint32_t i = 0; i < n; ++i) {
      std::string n_ = std::string(label) + " " + topics[(start + i) % topics.size()];
      const auto h = headed(parent, kind, n_, atasan, "Kepala " + n_);
      if (first == nobody) first = h;
    }
    return first;
  }

  void sekretariat_dprd(std::uint32_t budget) {
    std::uint32_t setwan = 0;
    const auto sekwan = headed(root_, uk::sekretariat_dprd, "Sekretariat DPRD",
                               kepala_daerah_, "Sekretaris DPRD", &setwan);
    static constexpr std::array<const char*, 3> bagian = {"Bagian Umum dan Keuangan",
                                                          "Bagian Persidangan dan Perundang-undangan",
                                                          "Bagian Fasilitasi Penganggaran dan Pengawasan"};
    for (const char* bn : bagian) {
      std::uint32_t bu = 0;
      const auto kabag = headed(setwan, uk::bagian, bn, sekwan,
                                std::string("Kepala ") + bn, &bu);
      const auto kasubbag = subunits(bu, uk::subbagian, "Subbagian", kabag, 2);
      staff(bu, kabag, around(std::max<std::uint32_t>(3, budget / 3)), cat_.f_admin, 35,
            {{sekwan, rule::sekretariat_dprd, setwan}, {kasubbag, rule::sekretariat_dprd}});
    }
  }

  void inspektorat(std::uint32_t budget) {
    std::uint32_t insp = 0, sekr = 0;
    const auto inspektur = headed(root_, uk::inspektorat, "Inspektorat", kepala_daerah_,
                                  "Inspektur", &insp);
    const auto sekretaris = headed(insp, uk::sekretariat, "Sekretariat Inspektorat",
                                   inspektur, "Sekretaris Inspektorat", &sekr);
    const auto kasubbag = subunits(sekr, uk::subbagian, "Subbagian", sekretaris, 2);
    const std::vector<wrong> w = {{inspektur, rule::inspektorat, insp}, {kasubbag, rule::inspektorat}};
    staff(sekr, sekretaris, around(std::max<std::uint32_t>(3, budget / 6)), cat_.f_admin, 40, w);
    static constexpr std::array<const char*, 4> wilayah = {"I", "II", "III", "IV"};
    for (const char* wl : wilayah) {
      std::uint32_t iu = 0;
      const std::string n = std::string("Inspektur Pembantu Wilayah ") + wl;
      const auto irban =
          headed(insp, uk::inspektur_pembantu, n, inspektur, n, &iu);
      team_group(iu, irban, inspektur, staff(iu, irban, around(std::max<std::uint32_t>(3, budget / 5)), cat_.f_audit, 5, w),
                 nobody);
    }
  }

  // A Dinas, Badan, DPMPTSP or BPBD: head, sekretariat with subbagian, bidang
  // with seksi, staff where Lampiran II places them, UPTD.
  void perangkat_daerah(std::uint32_t idx, std::uint32_t budget, std::uint32_t uptd_budget) {
    const auto& e = pd_catalogue[idx];
    std::uint32_t pd = 0, sekr = 0;
    const bool pelaksana_head = cat_.head(e.kind, plan_.kind == region::provinsi).first == pk::kepala_pelaksana;
    const char* head_title = pelaksana_head ? "Kepala Pelaksana " : "Kepala ";
    const auto kadis = headed(root_, e.kind, e.name, kepala_daerah_,
                              head_title + std::string(e.name), &pd, e.tag);
    const auto sekretaris = headed(pd, uk::sekretariat, "Sekretariat", kadis,
                                   std::string("Sekretaris ") + e.name, &sekr);
    const auto kasubbag =
        subunits(sekr, uk::subbagian, "Subbagian", sekretaris, r_.between(2, 3));
    if (idx == 0) disdik_ = kadis, disdik_unit_ = pd;
    if (idx == 1) dinkes_ = kadis, dinkes_unit_ = pd;
    const rule table = e.kind == uk::badan ? rule::badan : e.kind == uk::bpbd ? rule::bpbd : rule::dinas;
    std::uint32_t nb = 0;
    while (nb < e.bidang.size() && e.bidang[nb]) ++nb;
    const std::uint32_t per_group = std::max<std::uint32_t>(3, budget / (nb + 1));
    std::vector<std::uint32_t> kabids;
    std::vector<std::uint32_t> bidang_units;
    for (std::uint32_t i = 0; i < nb; ++i) {
      std::uint32_t bu = 0;
      kabids.push_back(headed(pd, uk::bidang, e.bidang[i], kadis,
                              std::string("Kepala ") + e.bidang[i], &bu));
      bidang_units.push_back(bu);
    }
    if (e.kind == uk::dpmptsp) {
      // Lampiran II huruf E: FP under the Kepala Dinas or the Sekretaris, never a kepala bidang.
      const std::vector<wrong> w = {{kabids[0], rule::dpmptsp}, {kasubbag, rule::dpmptsp}};
      staff(pd, kadis, around(per_group * nb), cat_.pd_fams[idx], 25, w);
      staff(sekr, sekretaris, around(per_group), cat_.f_admin, 40, w);
      return;
    }
    staff(sekr, sekretaris, around(per_group), cat_.f_admin, 40, {{kadis, table}, {kasubbag, table}});
    for (std::uint32_t i = 0; i < nb; ++i) {
      const auto kasi =
          r_.percent(40) ? subunits(bidang_units[i], uk::seksi, "Seksi", kabids[i], r_.between(1, 2))
                         : nobody;
      std::vector<wrong> w = {{kadis, table, pd}, {kasubbag, table}};
      if (kasi != nobody) w.push_back({kasi, table});
      const std::uint32_t n = around(per_group);
      const std::uint32_t other_kabid = kabids[(i + 1) % nb];
      bidang_staff(bidang_units[i], kabids[i], kadis, pd, n, cat_.pd_fams[idx], w, nb > 1 ? other_kabid : nobody, kasi);
    }
    uptd_all(idx, pd, kadis, uptd_budget);
  }

  // Staff of a bidang, with (sometimes) a koordinator FP holding a delegated
  // appraisal authority and a few FP under it, and a team.
  void bidang_staff(std::uint32_t bu, std::uint32_t kabid, std::uint32_t kadis, std::uint32_t pd, std::uint32_t n,
                    fams fs, const std::vector<wrong>& w, std::uint32_t other_kabid, std::uint32_t kasi) {
    const auto first = static_cast<std::uint32_t>(positions.size());
    if (n >= 8 && r_.percent(35)) {
      // The koordinator: an FP Ahli Madya (never planted: others sit under it).
      pos_rec k;
      k.unit = bu;
      k.atasan = kabid;
      k.kind = pk::fungsional;
      k.jenis = jn::fungsional;
      k.title = static_cast<std::uint8_t>(fs[0]);
      k.jenjang = cat_.madya;
      tick();
      positions.push_back(k);
      const auto koord = static_cast<std::uint32_t>(positions.size() - 1);
      delegation(kabid, koord, pd, other_kabid, n - 1);
      staff(bu, kabid, n - 1, fs, 35, w);
    } else {
      staff(bu, kabid, n, fs, 35, w);
    }
    team_group(bu, kabid, kadis, first, kasi);
  }

  // A delegation of penilai_kinerja from `kabid` to `koord`. Planted: either
  // the authority comes from a kepala bidang who is not the delegate's
  // superior (delegasi.pemberi_atasan), or the koordinator passes it on to an
  // FP under it (delegasi.pemberi_minimal_pengawas). Valid: some FP then sit
  // under the koordinator.
  void delegation(std::uint32_t kabid, std::uint32_t koord, std::uint32_t pd, std::uint32_t other_kabid,
                  std::uint32_t rest) {
    tick();
    const bool plant = take_due();
    const bool foreign = plant && other_kabid != nobody && plant_r_.percent(50);
    delegations.push_back(foreign ? deleg_rec{other_kabid, koord, pd, rule::delegasi_atasan}
                                  : deleg_rec{kabid, koord, pd, rule::none});
    // The FP under the koordinator; under the kepala bidang when its
    // delegation is not valid (the same posts either way).
    const std::uint32_t subs = std::min<std::uint32_t>(rest, r_.between(2, 4));
    const auto first = static_cast<std::uint32_t>(positions.size());
    const fams own_family(&cat_.family_bytes[positions[koord].title], 1);
    for (std::uint32_t i = 0; i < subs; ++i) member(positions[koord].unit, foreign ? kabid : koord, own_family, 0, {});
    if (!plant || foreign) return;
    if (subs == 0) {
      ++due_;  // nobody to pass it on to: give the due plant back
      return;
    }
    // The first subordinate is never planted (an empty wrong list), so the
    // koordinator is its superior.
    tick();
    delegations.push_back({koord, first, pd, rule::delegasi_minimal});
  }

  // A team owned by unit `u`, set up by `by`, led by one of its staff (from
  // `first` on); some teams take members from other Perangkat Daerah. A
  // planted team is led by a structural official of the unit.
  void team_group(std::uint32_t u, std::uint32_t unit_head, std::uint32_t by, std::uint32_t first,
                  std::uint32_t other_head) {
    // Every draw is made before looking at what was planted, so the rest of
    // the instansi does not depend on the rate.
    if (positions.size() - first < 5 || !r_.percent(45)) return;
    static constexpr std::array<const char*, 8> topics = {
        "Tim Reformasi Birokrasi",  "Tim Percepatan Layanan",  "Tim Penyusunan Dokumen Perencanaan",
        "Tim Pengelolaan Data",     "Tim Evaluasi Kinerja",    "Tim Sistem Pemerintahan Berbasis Elektronik",
        "Tim Pengendalian Program", "Tim Penanganan Pengaduan"};
    const char* topic = r_.pick(topics);
    const std::uint32_t nilai = r_.between(60, 100), k = r_.between(2, 6);
    const std::uint64_t ketua_draw = r_.next(), at_draw = r_.next();
    std::array<std::uint64_t, 3> cross{};
    std::uint32_t ncross = 0;
    if (fp_pool_.size() > 20 && r_.percent(40)) {
      ncross = r_.between(1, 3);
      for (auto& c : cross) c = r_.next();
    }
    // Ketua and members: unplanted FP and pelaksana of the unit.
    std::vector<std::uint32_t> own;
    for (auto p = first; p < positions.size(); ++p)
      if (positions[p].unit == u && positions[p].planted == rule::none &&
          (positions[p].jenis == jn::fungsional || positions[p].jenis == jn::pelaksana))
        own.push_back(p);
    if (own.size() < 3) return;
    team_rec t;
    t.owner = u;
    t.established_by = by;
    t.ketua = own[ketua_draw % own.size()];
    t.name = name(std::string(topic) + " " + names[units[u].name]);
    t.nilai = nilai;
    const std::size_t size = std::min<std::size_t>(own.size() - 1, k);
    for (std::size_t i = 0; t.anggota.size() < size; ++i) {
      const auto p = own[(at_draw + i) % own.size()];
      if (p != t.ketua) t.anggota.push_back(p);
    }
    // Cross-unit: members from elsewhere in the instansi.
    for (std::uint32_t i = 0; i < ncross; ++i) {
      const auto p = fp_pool_[cross[i] % (fp_pool_.size() - 10)];
      if (positions[p].unit != u && std::find(t.anggota.begin(), t.anggota.end(), p) == t.anggota.end())
        t.anggota.push_back(p);
    }
    tick();
    if (take_due()) {
      t.ketua = other_head != nobody && plant_r_.percent(50) ? other_head : unit_head;
      t.planted = rule::tim_ketua;
    }
    teams.push_back(std::move(t));
  }

  void uptd_all(std::uint32_t idx, std::uint32_t pd, std::uint32_t kadis, std::uint32_t budget) {
    const auto& e = pd_catalogue[idx];
    if (!e.uptd || budget == 0) return;
    std::uint32_t left = budget;
    for (std::uint32_t n = 1; left > 0; ++n) {
      const std::uint32_t size = r_.between(6, 30);
      const bool fp_led = idx == 12 || r_.percent(10);  // the Puskeswan is led by a medik veteriner
      const std::string un = std::string(e.uptd) + (n > 1 || left > size ? " " + std::to_string(n) : "");
      std::uint32_t u = 0;
      if (fp_led) {
        const auto h = headed(pd, uk::uptd, un, kadis, "Kepala " + un, &u, nullptr, &cat_.uptd_fp_head);
        positions[h].jenjang = cat_.madya;
        // Lampiran II huruf I covers UPTD led by a Pengawas; here only the base
        // rule applies, which a kepala daerah as atasan breaks.
        staff(u, h, size, cat_.pd_fams[idx], 20, {{kepala_daerah_, rule::atasan_langsung}});
      } else {
        const auto h = headed(pd, uk::uptd, un, kadis, "Kepala " + un, &u);
        const auto katu = headed(u, uk::tata_usaha, "Subbagian Tata Usaha " + un,
                                 h, "Kepala Subbagian Tata Usaha " + un);
        staff(u, h, size, cat_.pd_fams[idx], 40, {{katu, rule::uptd_pengawas}});
      }
      left -= std::min(left, size + 1);
    }
  }

  void schools(std::uint32_t budget, bool prov) {
    std::uint32_t left = budget, sd = 0, smp = 0, sma = 0;
    const std::vector<wrong> w = {{disdik_, rule::satuan_pendidikan}, {disdik_, rule::dinas, disdik_unit_}};
    while (left > 0) {
      const auto x = r_.below(100);
      std::string n;
      std::uint32_t size = 0;
      if (prov) {
        n = x < 55 ? "SMA Negeri " + std::to_string(++sma) : "SMK Negeri " + std::to_string(++smp);
        size = r_.between(25, 70);
      } else if (x < 70) {
        n = "SD Negeri " + std::to_string(++sd);
        size = r_.between(8, 18);
      } else {
        n = "SMP Negeri " + std::to_string(++smp);
        size = r_.between(20, 45);
      }
      n += " " + plan_.place;
      std::uint32_t u = 0;
      const auto h = headed(disdik_unit_, uk::satuan_pendidikan, n,
                            disdik_, "Kepala " + n, &u);
      positions[h].jenjang = cat_.madya;
      staff(u, h, size, cat_.f_school, 12, w);
      left -= std::min(left, size + 1);
    }
  }

  // Puskesmas: led by a Pejabat Fungsional (Lampiran II huruf J) under the
  // Kepala Dinas Kesehatan, with a Kepala Subbagian Tata Usaha (Pengawas).
  void puskesmas_all(std::uint32_t budget) {
    std::uint32_t left = budget;
    while (left > 0) {
      const std::string n = "Puskesmas " + place();
      std::uint32_t u = 0;
      const auto h =
          headed(dinkes_unit_, uk::puskesmas, n, dinkes_, "Kepala " + n, &u);
      positions[h].jenjang = r_.percent(70) ? cat_.muda : cat_.madya;
      const auto katu = headed(u, uk::tata_usaha, "Subbagian Tata Usaha " + n, h,
                               "Kepala Subbagian Tata Usaha " + n);
      const std::vector<wrong> w = {
          {dinkes_, rule::puskesmas}, {katu, rule::puskesmas}, {dinkes_, rule::dinas, dinkes_unit_}};
      const std::uint32_t size = r_.between(25, 65);
      // A planted team is led by the Kepala Subbagian Tata Usaha: the Kepala
      // Puskesmas is itself a Pejabat Fungsional, a valid ketua.
      team_group(u, katu, h, staff(u, h, size, cat_.f_pkm, 15, w), nobody);
      left -= std::min(left, size + 2);
    }
  }

  // RSUD: direktur, wakil direktur, bidang and bagian (with seksi and
  // subbagian), dokter under the direktur (Lampiran II huruf F).
  void rsud_all(std::uint32_t budget, std::uint32_t count) {
    for (std::uint32_t i = 0; i < count; ++i) {
      const std::string n = "Rumah Sakit Umum Daerah " + place();
      std::uint32_t ru = 0;
      const auto dir = headed(root_, uk::rsud, n, kepala_daerah_, "Direktur " + n, &ru);
      const std::uint32_t b = budget / count;
      std::vector<wrong> w;
      std::vector<std::pair<std::uint32_t, std::uint32_t>> groups;  // unit, head
      static constexpr std::array<const char*, 2> wadir = {"Wakil Direktur Pelayanan",
                                                           "Wakil Direktur Umum dan Keuangan"};
      static constexpr std::array<std::array<const char*, 2>, 2> inner = {
          {{"Bidang Pelayanan Medik", "Bidang Keperawatan"}, {"Bagian Umum dan Kepegawaian", "Bagian Keuangan"}}};
      for (std::size_t a = 0; a < wadir.size(); ++a) {
        std::uint32_t wu = 0;
        const auto wd =
            headed(ru, uk::wakil_direktur, wadir[a], dir, wadir[a], &wu);
        w.push_back({wd, rule::rsud});
        for (const char* in : inner[a]) {
          const bool bid = a == 0;
          std::uint32_t iu = 0;
          const auto h = headed(wu, bid ? uk::bidang : uk::bagian, in, wd, std::string("Kepala ") + in, &iu);
          const auto sub = subunits(iu, bid ? uk::seksi : uk::subbagian, bid ? "Seksi" : "Subbagian", h, 2);
          w.push_back({sub, rule::rsud});
          groups.emplace_back(iu, h);
        }
      }
      staff(ru, dir, around(b / 10), cat_.f_dokter, 0, w);  // dokter spesialis under the direktur
      for (std::size_t g = 0; g < groups.size(); ++g) {
        const auto [u, h] = groups[g];
        const bool clinical = g < 2;
        team_group(
            u, h, dir,
            staff(u, h, around(b * (clinical ? 35 : 10) / 100), clinical ? cat_.f_rsud : cat_.f_admin, clinical ? 8 : 40, w),
            nobody);
      }
    }
  }

  void kecamatan_all(std::uint32_t budget, bool kota) {
    std::uint32_t left = budget;
    while (left > 0) {
      const std::string kn = place();
      std::uint32_t ku = 0, su = 0;
      const auto camat = headed(root_, uk::kecamatan, "Kecamatan " + kn, kepala_daerah_,
                                "Camat " + kn, &ku);
      const auto sekcam = headed(ku, uk::sekretariat, "Sekretariat Kecamatan " + kn,
                                 camat, "Sekretaris Kecamatan " + kn, &su);
      const auto kasi = subunits(ku, uk::seksi, "Seksi", camat, r_.between(3, 4));
      const std::uint32_t size = r_.between(6, 16);
      staff(ku, camat, size, cat_.f_kec, 45, {{sekcam, rule::kecamatan, su}, {kasi, rule::kecamatan}});
      left -= std::min(left, size + 8);
      const std::uint32_t nkel = kota ? r_.between(3, 8) : r_.between(0, 3);
      std::uint32_t prev_lurah = nobody;
      for (std::uint32_t k = 0; k < nkel && left > 0; ++k) {
        const std::string ln = place();
        std::uint32_t lu = 0;
        const auto lurah =
            headed(ku, uk::kelurahan, "Kelurahan " + ln, camat, "Lurah " + ln, &lu);
        const auto kasi_kel = subunits(lu, uk::seksi, "Seksi", lurah, 2);
        std::vector<wrong> w = {{kasi_kel, rule::kelurahan}};
        if (prev_lurah != nobody) w.push_back({prev_lurah, rule::kelurahan});
        const std::uint32_t ks = r_.between(3, 9);
        team_group(lu, lurah, lurah, staff(lu, lurah, ks, cat_.f_kec, 50, w), kasi_kel);
        prev_lurah = lurah;
        left -= std::min(left, ks + 3);
      }
    }
  }

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

// ---- the plan of instansi ------------------------------------------------------------

// Average positions per instansi at each scale (city 10k; province 250k over
// 20 instansi; nation 6.5M over 546).
std::uint32_t average_size(enum scale s) {
  switch (s) {
    case scale::city:
      return 10000;
    case scale::province:
      return 12500;
    case scale::nation:
      return 11905;
  }
  return 10000;
}

std::uint32_t default_instansi(enum scale s) {
  switch (s) {
    case scale::city:
      return 1;
    case scale::province:
      return 20;
    case scale::nation:
      return 546;
  }
  return 1;
}

instansi_plan region_plan(rng& r, region kind) {
  instansi_plan p;
  p.kind = kind;
  p.place = std::string(r.pick(place_a)) + " " + r.pick(place_b);
  p.name = std::string(kind == region::provinsi ? "Pemerintah Provinsi "
                       : kind == region::kota   ? "Pemerintah Kota "
                                                : "Pemerintah Kabupaten ") +
           p.place;
  return p;
}

// Kinds in order: a city is kota only; a province is one provinsi and its
// kabupaten/kota; the nation is provinces each followed by their kabupaten/kota
// (38 + 508 at 546 instansi).
std::vector<region> region_kinds(rng& r, enum scale s, std::uint32_t n) {
  std::vector<region> kinds;
  if (s == scale::city) return std::vector<region>(n, region::kota);
  const std::uint32_t provinces = s == scale::province ? 1 : std::max<std::uint32_t>(1, (n * 38 + 273) / 546);
  std::vector<std::uint32_t> below(provinces, 0);
  const std::uint32_t rest = n - std::min(n, provinces);
  for (std::uint32_t i = 0; i < rest; ++i) ++below[i < provinces * 5 ? i % provinces : r.below(provinces)];
  for (std::uint32_t p = 0; p < provinces && kinds.size() < n; ++p) {
    kinds.push_back(region::provinsi);
    for (std::uint32_t k = 0; k < below[p]; ++k) kinds.push_back(r.percent(80) ? region::kabupaten : region::kota);
  }
  return kinds;
}

std::vector<instansi_plan> make_plans(const options& o) {
  rng r(mix(o.seed, 0x706c616eULL));
  const std::uint32_t n = o.instansi ? o.instansi : default_instansi(o.scale);
  std::vector<instansi_plan> plans;
  std::vector<std::uint64_t> weight;
  std::uint64_t total_weight = 0;
  for (const region k : region_kinds(r, o.scale, n)) {
    plans.push_back(region_plan(r, k));
    // Provincial governments are larger (SMA/SMK teachers, provincial hospitals).
    const std::uint64_t w = k == region::provinsi ? r.between(180, 300) : r.between(45, 150);
    weight.push_back(w);
    total_weight += w;
  }
  const std::uint64_t target = static_cast<std::uint64_t>(average_size(o.scale)) * plans.size();
  for (std::size_t i = 0; i < plans.size(); ++i)
    plans[i].budget = static_cast<std::uint32_t>(plans.size() == 1 ? target : target * weight[i] / total_weight);
  return plans;
}

// ---- output -----------------------------------------------------------------------------

// Buffered writing: the national document is ~2 GB, written in 1 MiB blocks.
class writer {
 public:
  explicit writer(std::ostream& out) : out_(out) { buf_.reserve(block + 4096); }
  writer(const writer&) = delete;
  writer& operator=(const writer&) = delete;
  ~writer() { flush(); }

  writer& raw(std::string_view s) {
    buf_.append(s);
    if (buf_.size() >= block) flush();
    return *this;
  }
  writer& num(std::uint64_t v) {
    char tmp[24];
    const auto res = std::to_chars(tmp, tmp + sizeof tmp, v);
    buf_.append(tmp, res.ptr);
    return *this;
  }
  // A JSON string; the catalogues hold plain ASCII, escaped anyway.
  writer& str(std::string_view s) {
    buf_.push_back('"');
    for (const char c : s) {
      if (c == '"' || c == '\\') buf_.push_back('\\');
      if (static_cast<unsigned char>(c) < 0x20) {
        buf_.append("\\u00");
        buf_.push_back("0123456789abcdef"[(c >> 4) & 0xf]);
        buf_.push_back("0123456789abcdef"[c & 0xf]);
        continue;
      }
      buf_.push_back(c);
    }
    buf_.push_back('"');
    return *this;
  }
  // "i12.u345"
  writer& id(std::uint32_t inst, char what, std::uint32_t n) {
    buf_.append("\"i");
    num(inst);
    buf_.push_back('.');
    buf_.push_back(what);
    num(n);
    buf_.push_back('"');
    return *this;
  }
  void flush() {
    out_.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
    buf_.clear();
  }

 private:
  static constexpr std::size_t block = 1U << 20;
  std::ostream& out_;
  std::string buf_;
};

std::string id_text(std::uint32_t inst, char what, std::uint32_t n) {
  return "i" + std::to_string(inst) + "." + what + std::to_string(n);
}

// A unique 18-digit NIP for the n-th employee of the document: n is mapped
// bijectively (a multiplier prime to the space) onto birth date x appointment
// (21-26 years later) x sex x serial, so no two employees share one.
struct nip_parts {
  char text[19];
  bool female;
};
nip_parts make_nip(std::uint64_t n, std::uint64_t offset) {
  constexpr std::uint64_t space = 34ULL * 12 * 28 * 6 * 12 * 2 * 999;
  std::uint64_t m = (n % space * 2654435761ULL + offset) % space;
  const auto serial = m % 999 + 1;
  m /= 999;
  const auto sex = m % 2 + 1;
  m /= 2;
  const auto tmt_month = m % 12 + 1;
  m /= 12;
  const auto tmt_after = m % 6 + 21;
  m /= 6;
  const auto day = m % 28 + 1;
  m /= 28;
  const auto month = m % 12 + 1;
  m /= 12;
  const auto year = 1966 + m;
  nip_parts p{};
  std::snprintf(p.text, sizeof p.text, "%04u%02u%02u%04u%02u%u%03u", static_cast<unsigned>(year),
                static_cast<unsigned>(month), static_cast<unsigned>(day), static_cast<unsigned>(year + tmt_after),
                static_cast<unsigned>(tmt_month), static_cast<unsigned>(sex), static_cast<unsigned>(serial));
  p.female = sex == 2;
  return p;
}

class document {
 public:
  document(const options& o, std::ostream& out, const catalogue& cat, const compiled_ruleset& rules)
      : o_(o), w_(out), plans_(make_plans(o)), cat_(cat), rules_(rules), rule_names_(planted_rule_names(rules)) {}

  report write() {
    rep_.ruleset = rules_.header.id;
    rep_.instansi = plans_.size();
    w_.raw("{\"schema\":\"perwal-org/1\",\n\"instansi\":[");
    for (std::uint32_t i = 0; i < plans_.size(); ++i) {
      w_.raw(i ? ",\n{\"id\":\"i" : "\n{\"id\":\"i").num(i + 1).raw("\",\"name\":").str(plans_[i].name);
      w_.raw(",\"pejabat_berwenang\":").id(i + 1, 'p', 1).raw("}");  // p1: the Sekretaris Daerah
    }
    section("units", &document::units);
    section("positions", &document::positions);
    section("employees", &document::employees);
    section("delegations", &document::delegations);
    section("teams", &document::teams);
    w_.raw("]}\n");
    w_.flush();
    return std::move(rep_);
  }

 private:
  using emit_fn = void (document::*)(std::uint32_t, const builder&);

  // One array, every instansi rebuilt from its own seed.
  void section(const char* key, emit_fn emit) {
    w_.raw("],\n\"").raw(key).raw("\":[");
    first_ = true;
    for (std::uint32_t i = 0; i < plans_.size(); ++i) {
      builder b(mix(o_.seed, i + 1), plans_[i], o_.violations_per_10k, cat_);
      b.build();
      (this->*emit)(i + 1, b);
    }
  }
  void item() {
    w_.raw(first_ ? "\n" : ",\n");
    first_ = false;
  }

  void units(std::uint32_t inst, const builder& b) {
    count(inst, b);
    for (std::uint32_t u = 0; u < b.units.size(); ++u) {
      const auto& x = b.units[u];
      item();
      w_.raw("{\"id\":").id(inst, 'u', u).raw(",\"name\":").str(b.names[x.name]);
      w_.raw(",\"kind\":\"").raw(unit_kind_code[static_cast<std::size_t>(x.kind)]).raw("\",\"parent\":");
      if (x.parent == nobody) {
        w_.raw("null,\"instansi\":\"i").num(inst).raw("\"");
      } else {
        w_.id(inst, 'u', x.parent);
      }
      w_.raw(",\"head\":").id(inst, 'p', x.head);
      if (x.tag) w_.raw(",\"tags\":[").str(x.tag).raw("]");
      w_.raw("}");
    }
  }

  void positions(std::uint32_t inst, const builder& b) {
    for (std::uint32_t p = 0; p < b.positions.size(); ++p) {
      const auto& x = b.positions[p];
      item();
      w_.raw("{\"id\":").id(inst, 'p', p).raw(",\"title\":");
      if (x.kind == pk::fungsional) {
        w_.str(cat_.families[x.title].title + " " + cat_.jenjang_label[x.jenjang]);
      } else if (x.kind == pk::pelaksana) {
        w_.str(cat_.pelaksana_titles[x.title]);
      } else {
        w_.str(b.names[x.title]);
      }
      w_.raw(",\"kind\":\"").raw(position_kind_code[static_cast<std::size_t>(x.kind)]);
      w_.raw("\",\"jenis\":\"").raw(jenis_code[static_cast<std::size_t>(x.jenis)]).raw("\"");
      if (x.jenjang != no_jenjang) w_.raw(",\"jenjang\":\"").raw(cat_.jenjang_code[x.jenjang]).raw("\"");
      w_.raw(",\"unit\":").id(inst, 'u', x.unit).raw(",\"atasan\":");
      if (x.atasan == nobody) {
        w_.raw("null}");
      } else {
        w_.id(inst, 'p', x.atasan).raw("}");
      }
    }
  }

  void employees(std::uint32_t inst, const builder& b) {
    for (std::uint32_t p = 0; p < b.positions.size(); ++p) {
      if (b.positions[p].vacant) continue;
      const auto nip = make_nip(employee_no_, o_.seed * 7919);
      rng r(mix(o_.seed ^ 0x6e616d65ULL, employee_no_));
      ++employee_no_;
      item();
      w_.raw("{\"nip\":\"").raw(nip.text).raw("\",\"name\":");
      w_.str(std::string(nip.female ? r.pick(female) : r.pick(male)) + " " +
             (nip.female ? r.pick(last_f) : r.pick(last_m)));
      w_.raw(",\"position\":").id(inst, 'p', p).raw("}");
    }
  }

  void delegations(std::uint32_t inst, const builder& b) {
    for (const auto& d : b.delegations) {
      item();
      w_.raw("{\"from\":").id(inst, 'p', d.from).raw(",\"to\":").id(inst, 'p', d.to);
      w_.raw(",\"authority\":\"penilai_kinerja\",\"basis\":");
      w_.str("Keputusan " + b.names[b.positions[b.units[d.pd].head].title] + " Nomor 800/" +
             std::to_string(100 + d.to % 900) + "/2025");
      w_.raw("}");
    }
  }

  void teams(std::uint32_t inst, const builder& b) {
    for (std::uint32_t t = 0; t < b.teams.size(); ++t) {
      const auto& x = b.teams[t];
      item();
      w_.raw("{\"id\":").id(inst, 't', t).raw(",\"name\":").str(b.names[x.name]);
      w_.raw(",\"owner_unit\":").id(inst, 'u', x.owner).raw(",\"established_by\":").id(inst, 'p', x.established_by);
      w_.raw(",\"ketua\":").id(inst, 'p', x.ketua).raw(",\"anggota\":[");
      for (std::size_t a = 0; a < x.anggota.size(); ++a) (a ? w_.raw(",") : w_).id(inst, 'p', x.anggota[a]);
      w_.raw("],\"target\":{\"sasaran\":").str("Tercapainya sasaran " + b.names[x.name]);
      w_.raw(",\"indikator\":\"Persentase capaian target kinerja\",\"nilai\":").num(x.nilai).raw("}}");
    }
  }

  // The report's counts, taken in the first pass.
  void count(std::uint32_t inst, const builder& b) {
    rep_.units += b.units.size();
    rep_.positions += b.positions.size();
    rep_.delegations += b.delegations.size();
    rep_.teams += b.teams.size();
    rep_.checked += b.delegations.size() + b.teams.size();
    for (std::uint32_t p = 0; p < b.positions.size(); ++p) {
      const auto& x = b.positions[p];
      if (!x.vacant) ++rep_.employees;
      if (x.jenis == jn::fungsional || x.jenis == jn::pelaksana) ++rep_.checked;
      planted(x.planted, id_text(inst, 'p', p));
    }
    for (const auto& d : b.delegations) planted(d.planted, id_text(inst, 'p', d.to));
    for (std::uint32_t t = 0; t < b.teams.size(); ++t) planted(b.teams[t].planted, id_text(inst, 't', t));
  }
  void planted(rule r, std::string id) {
    if (r == rule::none) return;
    ++rep_.planted;
    const auto& name = rule_names_[static_cast<std::size_t>(r)];
    if (name.empty())
      throw std::runtime_error("gen-org: ruleset " + rules_.header.id + " has no rule for a planted item (" +
                               rule_about[static_cast<std::size_t>(r)] + "); plant none (--violations 0) or use another");
    auto& n = rep_.planted_by_rule[name];
    if (n++ < 2) rep_.sample_ids.push_back(std::move(id));  // the first two of each rule
  }

  const options& o_;
  writer w_;
  std::vector<instansi_plan> plans_;
  const catalogue& cat_;
  const compiled_ruleset& rules_;
  std::array<std::string, rule_count> rule_names_;
  report rep_;
  bool first_ = true;
  std::uint64_t employee_no_ = 0;
};

}  // namespace

const char* scale_name(enum scale s) {
  switch (s) {
    case scale::city:
      return "city";
    case scale::province:
      return "province";
    case scale::nation:
      return "nation";
  }
  return "city";
}

bool parse_scale(const std::string& text, enum scale& out) {
  for (const auto s : {scale::city, scale::province, scale::nation}) {
    if (text == scale_name(s)) {
      out = s;
      return true;
    }
  }
  return false;
}

report generate(const options& opts, std::ostream& out) {
  if (!opts.rules) throw std::invalid_argument("gen-org: options.rules must be the ruleset the planted items target");
  const catalogue cat(opts.structure ? *opts.structure : standard_pd_structure());
  document d(opts, out, cat, *opts.rules);
  return d.write();
}

std::string to_json(const report& r) {
  nlohmann::json j;
  j["ruleset"] = r.ruleset;
  j["instansi"] = r.instansi;
  j["units"] = r.units;
  j["positions"] = r.positions;
  j["employees"] = r.employees;
  j["teams"] = r.teams;
  j["delegations"] = r.delegations;
  j["checked"] = r.checked;
  j["planted"] = r.planted;
  j["planted_by_rule"] = r.planted_by_rule;
  j["sample_ids"] = r.sample_ids;
  return j.dump(2);
}

}  // namespace perwal::gen
