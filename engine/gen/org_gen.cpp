// The synthetic org generator (org_gen.hpp).
//
// Each instansi is built as a small compact model (units, positions,
// delegations, teams as integers) from its own seeded generator, so it can be
// rebuilt at will: the document is written section by section (units, then
// positions, employees, delegations, teams), rebuilding each instansi once per
// section, and at most one instansi's model is in memory at a time.
//
// Planted violations follow Perwal Kota Padang Panjang 48/2024: each planted
// item is built so that exactly one rule of that ruleset's audit fails on it
// (a kedudukan table, the base atasan_langsung rule, a delegasi rule or the
// team-leader rule); every other item is built to pass.
#include "engine/gen/org_gen.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string_view>

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
constexpr std::array<const char*, 8> jenjang_code = {"ahli_utama", "ahli_madya", "ahli_muda", "ahli_pertama",
                                                     "penyelia",   "mahir",      "terampil",  "pemula"};
constexpr std::array<const char*, 8> jenjang_label = {"Ahli Utama", "Ahli Madya", "Ahli Muda", "Ahli Pertama",
                                                      "Penyelia",   "Mahir",      "Terampil",  "Pemula"};

// ---- planted rules ------------------------------------------------------------

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
constexpr std::array<const char*, 18> rule_name = {"",
                                                   "kedudukan.sekretariat_daerah",
                                                   "kedudukan.sekretariat_dprd",
                                                   "kedudukan.inspektorat",
                                                   "kedudukan.dinas",
                                                   "kedudukan.badan",
                                                   "kedudukan.bpbd",
                                                   "kedudukan.dpmptsp",
                                                   "kedudukan.rsud",
                                                   "kedudukan.kecamatan",
                                                   "kedudukan.kelurahan",
                                                   "kedudukan.uptd_pengawas",
                                                   "kedudukan.puskesmas",
                                                   "kedudukan.satuan_pendidikan",
                                                   "kedudukan.atasan_langsung",
                                                   "delegasi.pemberi_minimal_pengawas",
                                                   "delegasi.pemberi_atasan",
                                                   "tim.ketua_fungsional_pelaksana"};

// ---- catalogues ---------------------------------------------------------------------

enum class cat : std::uint8_t { ahli, terampil, both };
struct family {
  const char* title;
  cat category;
};
// Jabatan fungsional families (fixtures/common/orgkit.py FAM, abridged).
constexpr std::array<family, 52> families = {{
    {"Analis Kebijakan", cat::ahli},                     // 0
    {"Analis Sumber Daya Manusia Aparatur", cat::ahli},  // 1
    {"Pranata Sumber Daya Manusia Aparatur", cat::terampil},
    {"Analis Keuangan Pusat dan Daerah", cat::ahli},
    {"Perencana", cat::ahli},  // 4
    {"Pranata Komputer", cat::both},
    {"Arsiparis", cat::both},
    {"Pranata Hubungan Masyarakat", cat::both},
    {"Pengelola Pengadaan Barang/Jasa", cat::ahli},  // 8
    {"Perancang Peraturan Perundang-undangan", cat::ahli},
    {"Analis Hukum", cat::ahli},
    {"Auditor", cat::both},  // 11
    {"Pengawas Penyelenggaraan Urusan Pemerintahan di Daerah", cat::ahli},
    {"Dokter", cat::ahli},  // 13
    {"Dokter Gigi", cat::ahli},
    {"Perawat", cat::both},  // 15
    {"Bidan", cat::both},
    {"Apoteker", cat::ahli},
    {"Asisten Apoteker", cat::terampil},
    {"Pranata Laboratorium Kesehatan", cat::both},  // 19
    {"Nutrisionis", cat::both},
    {"Sanitarian", cat::both},
    {"Epidemiolog Kesehatan", cat::ahli},  // 22
    {"Penyuluh Kesehatan Masyarakat", cat::ahli},
    {"Perekam Medis", cat::both},
    {"Radiografer", cat::both},  // 25
    {"Fisioterapis", cat::both},
    {"Guru", cat::ahli},  // 27
    {"Pengawas Sekolah", cat::ahli},
    {"Penilik", cat::ahli},
    {"Pamong Belajar", cat::ahli},  // 30
    {"Teknik Jalan dan Jembatan", cat::both},
    {"Teknik Pengairan", cat::both},
    {"Penata Ruang", cat::ahli},
    {"Teknik Tata Bangunan dan Perumahan", cat::both},  // 34
    {"Pengendali Dampak Lingkungan", cat::both},
    {"Polisi Pamong Praja", cat::both},  // 36
    {"Pemadam Kebakaran", cat::terampil},
    {"Pekerja Sosial", cat::both},  // 38
    {"Penyuluh Keluarga Berencana", cat::both},
    {"Penguji Kendaraan Bermotor", cat::both},  // 40
    {"Administrator Database Kependudukan", cat::both},
    {"Adyatama Kepariwisataan dan Ekonomi Kreatif", cat::ahli},
    {"Penyuluh Pertanian", cat::both},  // 43
    {"Medik Veteriner", cat::ahli},
    {"Paramedik Veteriner", cat::terampil},
    {"Pengawas Perdagangan", cat::both},  // 46
    {"Penera", cat::both},
    {"Pustakawan", cat::both},  // 48
    {"Penata Penanggulangan Bencana", cat::both},
    {"Penggerak Swadaya Masyarakat", cat::both},  // 50
    {"Statistisi", cat::both},
}};
using fams = std::string_view;  // family indices as bytes (a compact, constexpr-friendly list)

constexpr std::string_view f_admin = "\x00\x01\x03\x04\x05\x06\x07\x08\x02";
constexpr std::string_view f_hukum = "\x09\x0a\x00\x06";
constexpr std::string_view f_audit = "\x0b\x0b\x0b\x0c\x0c";
constexpr std::string_view f_pkm = "\x0d\x0e\x0f\x0f\x0f\x10\x10\x10\x11\x13\x14\x15\x17\x18";
constexpr std::string_view f_rsud = "\x0d\x0d\x0e\x0f\x0f\x0f\x0f\x0f\x10\x11\x12\x13\x14\x18\x19\x1a";
constexpr std::string_view f_school = "\x1b";
constexpr std::string_view f_kec = "\x32\x32\x00\x29";
constexpr std::array<std::string_view, 4> pelaksana_titles = {
    "Pengadministrasi Perkantoran", "Operator Layanan Operasional", "Penata Layanan Operasional",
    "Pengelola Layanan Operasional"};

struct pd_entry {
  const char* name;
  uk kind;
  pk head;
  const char* tag;  // nullptr: none
  std::array<const char*, 4> bidang;
  std::string_view fams;
  const char* uptd;  // nullptr: none
};

// The Dinas and Badan of a Pemerintah Daerah. Index 0 is the Dinas Pendidikan
// (satuan pendidikan), 1 the Dinas Kesehatan (puskesmas).
constexpr std::array<pd_entry, 24> pd_catalogue = {{
    {"Dinas Pendidikan",
     uk::dinas,
     pk::kepala_dinas,
     "urusan:pendidikan",
     {"Bidang Pembinaan Sekolah", "Bidang Pendidikan Anak Usia Dini dan Nonformal",
      "Bidang Guru dan Tenaga Kependidikan", "Bidang Kurikulum"},
     "\x1c\x1d\x1e\x00\x04",
     nullptr},
    {"Dinas Kesehatan",
     uk::dinas,
     pk::kepala_dinas,
     "urusan:kesehatan",
     {"Bidang Kesehatan Masyarakat", "Bidang Pencegahan dan Pengendalian Penyakit", "Bidang Pelayanan Kesehatan",
      "Bidang Sumber Daya Kesehatan"},
     "\x16\x15\x14\x17\x11",
     "UPTD Laboratorium Kesehatan"},
    {"Dinas Pekerjaan Umum dan Penataan Ruang",
     uk::dinas,
     pk::kepala_dinas,
     "urusan:pekerjaan_umum",
     {"Bidang Bina Marga", "Bidang Sumber Daya Air", "Bidang Cipta Karya", "Bidang Penataan Ruang"},
     "\x1f\x20\x21\x22",
     "UPTD Peralatan dan Perbekalan"},
    {"Dinas Perumahan Rakyat dan Kawasan Permukiman",
     uk::dinas,
     pk::kepala_dinas,
     "urusan:kawasan_permukiman",
     {"Bidang Perumahan", "Bidang Kawasan Permukiman", "Bidang Pertanahan", nullptr},
     "\x22\x21",
     nullptr},
    {"Satuan Polisi Pamong Praja",
     uk::dinas,
     pk::kepala_dinas,
     "urusan:ketenteraman_ketertiban",
     {"Bidang Penegakan Peraturan Daerah", "Bidang Ketertiban Umum", "Bidang Perlindungan Masyarakat", nullptr},
     "\x24\x24\x24",
     nullptr},
    {"Dinas Pemadam Kebakaran dan Penyelamatan",
     uk::dinas,
     pk::kepala_dinas,
     "urusan:kebakaran",
     {"Bidang Pemadaman", "Bidang Penyelamatan", "Bidang Pencegahan", nullptr},
     "\x25\x25",
     nullptr},
    {"Dinas Sosial",
     uk::dinas,
     pk::kepala_dinas,
     "urusan:sosial",
     {"Bidang Rehabilitasi Sosial", "Bidang Perlindungan dan Jaminan Sosial", "Bidang Pemberdayaan Sosial", nullptr},
     "\x26\x26\x00",
     "UPTD Panti Sosial"},
    {"Dinas Pengendalian Penduduk dan Keluarga Berencana",
     uk::dinas,
     pk::kepala_dinas,
     "urusan:keluarga_berencana",
     {"Bidang Pengendalian Penduduk", "Bidang Keluarga Berencana", "Bidang Pemberdayaan Perempuan", nullptr},
     "\x27\x27\x00",
     nullptr},
    {"Dinas Kependudukan dan Pencatatan Sipil",
     uk::dinas,
     pk::kepala_dinas,
     "urusan:kependudukan",
     {"Bidang Pelayanan Pendaftaran Penduduk", "Bidang Pelayanan Pencatatan Sipil",
      "Bidang Pengelolaan Informasi Administrasi Kependudukan", nullptr},
     "\x29\x29\x05",
     nullptr},
    {"Dinas Perhubungan",
     uk::dinas,
     pk::kepala_dinas,
     "urusan:perhubungan",
     {"Bidang Lalu Lintas", "Bidang Angkutan", "Bidang Sarana dan Prasarana", nullptr},
     "\x28\x28\x00",
     "UPTD Pengujian Kendaraan Bermotor"},
    {"Dinas Komunikasi dan Informatika",
     uk::dinas,
     pk::kepala_dinas,
     "urusan:komunikasi_informatika",
     {"Bidang Informasi dan Komunikasi Publik", "Bidang Aplikasi Informatika", "Bidang Statistik dan Persandian",
      nullptr},
     "\x07\x05\x33",
     nullptr},
    {"Dinas Lingkungan Hidup",
     uk::dinas,
     pk::kepala_dinas,
     "urusan:lingkungan_hidup",
     {"Bidang Tata Lingkungan", "Bidang Pengendalian Pencemaran", "Bidang Pengelolaan Sampah", nullptr},
     "\x23\x23",
     "UPTD Pengelolaan Sampah"},
    {"Dinas Pertanian dan Ketahanan Pangan",
     uk::dinas,
     pk::kepala_dinas,
     "urusan:pertanian",
     {"Bidang Tanaman Pangan", "Bidang Hortikultura", "Bidang Peternakan", "Bidang Ketahanan Pangan"},
     "\x2b\x2b\x2b\x2c\x2d",
     "UPTD Pusat Kesehatan Hewan"},
    {"Dinas Perdagangan, Koperasi dan Usaha Mikro",
     uk::dinas,
     pk::kepala_dinas,
     "urusan:perdagangan",
     {"Bidang Perdagangan", "Bidang Koperasi", "Bidang Usaha Mikro", "Bidang Metrologi Legal"},
     "\x2e\x2f\x00",
     "UPTD Metrologi Legal"},
    {"Dinas Pariwisata, Pemuda dan Olahraga",
     uk::dinas,
     pk::kepala_dinas,
     "urusan:pariwisata",
     {"Bidang Destinasi Pariwisata", "Bidang Pemasaran", "Bidang Kepemudaan dan Olahraga", nullptr},
     "\x2a\x2a\x00",
     nullptr},
    {"Dinas Perpustakaan dan Kearsipan",
     uk::dinas,
     pk::kepala_dinas,
     "urusan:perpustakaan",
     {"Bidang Perpustakaan", "Bidang Kearsipan", nullptr, nullptr},
     "\x30\x30\x06\x06",
     nullptr},
    {"Dinas Tenaga Kerja dan Perindustrian",
     uk::dinas,
     pk::kepala_dinas,
     "urusan:tenaga_kerja",
     {"Bidang Penempatan Tenaga Kerja", "Bidang Hubungan Industrial", "Bidang Perindustrian", nullptr},
     "\x00\x2e",
     "UPTD Balai Latihan Kerja"},
    {"Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah",
     uk::badan,
     pk::kepala_badan,
     "urusan:perencanaan",
     {"Bidang Pemerintahan dan Pembangunan Manusia", "Bidang Perekonomian dan Sumber Daya Alam",
      "Bidang Infrastruktur dan Kewilayahan", "Bidang Penelitian dan Pengembangan"},
     "\x04\x04\x00",
     nullptr},
    {"Badan Keuangan Daerah",
     uk::badan,
     pk::kepala_badan,
     "urusan:keuangan",
     {"Bidang Anggaran", "Bidang Perbendaharaan", "Bidang Akuntansi", "Bidang Aset"},
     "\x03\x03\x00",
     nullptr},
    {"Badan Pendapatan Daerah",
     uk::badan,
     pk::kepala_badan,
     "urusan:pajak_daerah",
     {"Bidang Pendataan dan Penetapan", "Bidang Penagihan", "Bidang Pengembangan Pendapatan", nullptr},
     "\x03\x00",
     "UPTD Pengelolaan Pendapatan"},
    {"Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
     uk::badan,
     pk::kepala_badan,
     "urusan:kepegawaian",
     {"Bidang Mutasi dan Promosi", "Bidang Pengembangan Kompetensi", "Bidang Penilaian Kinerja", nullptr},
     "\x01\x01\x02",
     nullptr},
    {"Badan Kesatuan Bangsa dan Politik",
     uk::badan,
     pk::kepala_badan,
     "urusan:kesatuan_bangsa_politik",
     {"Bidang Ideologi dan Wawasan Kebangsaan", "Bidang Politik Dalam Negeri", "Bidang Ketahanan Ekonomi dan Sosial",
      nullptr},
     "\x00",
     nullptr},
    {"Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
     uk::dpmptsp,
     pk::kepala_dinas,
     "urusan:penanaman_modal",
     {"Bidang Penanaman Modal", "Bidang Perizinan", "Bidang Pengaduan dan Informasi", nullptr},
     "\x00\x05",
     nullptr},
    {"Badan Penanggulangan Bencana Daerah",
     uk::bpbd,
     pk::kepala_pelaksana,
     "urusan:kebencanaan",
     {"Bidang Pencegahan dan Kesiapsiagaan", "Bidang Kedaruratan dan Logistik", "Bidang Rehabilitasi dan Rekonstruksi",
      nullptr},
     "\x31\x31",
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
  builder(std::uint64_t seed, const instansi_plan& plan, std::uint32_t per_10k)
      : r_(seed), plant_r_(mix(seed, 0x706c616e74ULL)), plan_(plan), per_10k_(per_10k) {
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
  // A unit and its head in one step; returns the head.
  std::uint32_t headed(std::uint32_t parent, uk kind, std::string unit_name, pk hk, jn jenis, std::uint32_t atasan,
                       std::string title, std::uint32_t* unit_out = nullptr, const char* tag = nullptr) {
    const auto u = unit(parent, kind, std::move(unit_name), tag);
    if (unit_out) *unit_out = u;
    return head(u, hk, jenis, atasan, std::move(title));
  }

  std::uint8_t jenjang_for(cat c) {
    if (c == cat::both) c = r_.percent(55) ? cat::ahli : cat::terampil;
    // Shares per mille, as in fixtures/common/orgkit.py; Ahli Utama is rare in a Pemerintah Daerah.
    const auto x = r_.below(1000);
    if (c == cat::ahli) return x < 400 ? 3 : x < 780 ? 2 : x < 995 ? 1 : 0;
    return x < 40 ? 7 : x < 440 ? 6 : x < 800 ? 5 : 4;
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
      p.title = r_.below(static_cast<std::uint32_t>(pelaksana_titles.size()));
    } else {
      p.kind = pk::fungsional;
      p.jenis = jn::fungsional;
      p.title = static_cast<std::uint8_t>(fs[r_.below(static_cast<std::uint32_t>(fs.size()))]);
      p.jenjang = jenjang_for(families[p.title].category);
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
    head(u, pk::kepala_daerah, jn::kepala_daerah, nobody, std::string(kd) + " " + plan_.place);
    kepala_daerah_ = units[u].head;
    root_ = u;
  }

  void sekretariat_daerah(std::uint32_t budget) {
    const bool prov = plan_.kind == region::provinsi;
    std::uint32_t setda = 0;
    sekda_ = headed(root_, uk::sekretariat_daerah, "Sekretariat Daerah", pk::sekretaris_daerah,
                    prov ? jn::jpt_madya : jn::jpt_pratama, kepala_daerah_, "Sekretaris Daerah", &setda);
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
      const auto ap = headed(setda, uk::asisten, asisten[a], pk::asisten, jn::jpt_pratama, sekda_, asisten[a], &au);
      for (const char* bn : bagian[a]) {
        std::uint32_t bu = 0;
        const auto kabag =
            headed(au, uk::bagian, bn, pk::kepala_bagian, jn::administrator, ap, std::string("Kepala ") + bn, &bu);
        const auto kasubbag = subunits(bu, uk::subbagian, "Subbagian", pk::kepala_subbagian, kabag, 2);
        const fams fs = std::string_view(bn).find("Hukum") != std::string_view::npos ? f_hukum : f_admin;
        team_group(bu, kabag, sekda_,
                   staff(bu, kabag, around(per_bagian), fs, 30,
                         {{ap, rule::sekretariat_daerah, au}, {kasubbag, rule::sekretariat_daerah}}),
                   kasubbag);
      }
    }
  }

  // `n` inner units (subbagian, seksi) under `parent` with their heads;
  // returns the first head (or nobody).
  std::uint32_t subunits(std::uint32_t parent, uk kind, const char* label, pk hk, std::uint32_t atasan,
                         std::uint32_t n) {
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
      const auto h = headed(parent, kind, n_, hk, jn::pengawas, atasan, "Kepala " + n_);
      if (first == nobody) first = h;
    }
    return first;
  }

  void sekretariat_dprd(std::uint32_t budget) {
    std::uint32_t setwan = 0;
    const auto sekwan = headed(root_, uk::sekretariat_dprd, "Sekretariat DPRD", pk::sekretaris_dprd, jn::jpt_pratama,
                               kepala_daerah_, "Sekretaris DPRD", &setwan);
    static constexpr std::array<const char*, 3> bagian = {"Bagian Umum dan Keuangan",
                                                          "Bagian Persidangan dan Perundang-undangan",
                                                          "Bagian Fasilitasi Penganggaran dan Pengawasan"};
    for (const char* bn : bagian) {
      std::uint32_t bu = 0;
      const auto kabag = headed(setwan, uk::bagian, bn, pk::kepala_bagian, jn::administrator, sekwan,
                                std::string("Kepala ") + bn, &bu);
      const auto kasubbag = subunits(bu, uk::subbagian, "Subbagian", pk::kepala_subbagian, kabag, 2);
      staff(bu, kabag, around(std::max<std::uint32_t>(3, budget / 3)), f_admin, 35,
            {{sekwan, rule::sekretariat_dprd, setwan}, {kasubbag, rule::sekretariat_dprd}});
    }
  }

  void inspektorat(std::uint32_t budget) {
    std::uint32_t insp = 0, sekr = 0;
    const auto inspektur = headed(root_, uk::inspektorat, "Inspektorat", pk::inspektur, jn::jpt_pratama, kepala_daerah_,
                                  "Inspektur", &insp);
    const auto sekretaris = headed(insp, uk::sekretariat, "Sekretariat Inspektorat", pk::sekretaris, jn::administrator,
                                   inspektur, "Sekretaris Inspektorat", &sekr);
    const auto kasubbag = subunits(sekr, uk::subbagian, "Subbagian", pk::kepala_subbagian, sekretaris, 2);
    const std::vector<wrong> w = {{inspektur, rule::inspektorat, insp}, {kasubbag, rule::inspektorat}};
    staff(sekr, sekretaris, around(std::max<std::uint32_t>(3, budget / 6)), f_admin, 40, w);
    static constexpr std::array<const char*, 4> wilayah = {"I", "II", "III", "IV"};
    for (const char* wl : wilayah) {
      std::uint32_t iu = 0;
      const std::string n = std::string("Inspektur Pembantu Wilayah ") + wl;
      const auto irban =
          headed(insp, uk::inspektur_pembantu, n, pk::inspektur_pembantu, jn::administrator, inspektur, n, &iu);
      team_group(iu, irban, inspektur, staff(iu, irban, around(std::max<std::uint32_t>(3, budget / 5)), f_audit, 5, w),
                 nobody);
    }
  }

  // A Dinas, Badan, DPMPTSP or BPBD: head, sekretariat with subbagian, bidang
  // with seksi, staff where Lampiran II places them, UPTD.
  void perangkat_daerah(std::uint32_t idx, std::uint32_t budget, std::uint32_t uptd_budget) {
    const auto& e = pd_catalogue[idx];
    std::uint32_t pd = 0, sekr = 0;
    const char* head_title = e.head == pk::kepala_pelaksana ? "Kepala Pelaksana " : "Kepala ";
    const auto kadis = headed(root_, e.kind, e.name, e.head, jn::jpt_pratama, kepala_daerah_,
                              head_title + std::string(e.name), &pd, e.tag);
    const auto sekretaris = headed(pd, uk::sekretariat, "Sekretariat", pk::sekretaris, jn::administrator, kadis,
                                   std::string("Sekretaris ") + e.name, &sekr);
    const auto kasubbag =
        subunits(sekr, uk::subbagian, "Subbagian", pk::kepala_subbagian, sekretaris, r_.between(2, 3));
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
      kabids.push_back(headed(pd, uk::bidang, e.bidang[i], pk::kepala_bidang, jn::administrator, kadis,
                              std::string("Kepala ") + e.bidang[i], &bu));
      bidang_units.push_back(bu);
    }
    if (e.kind == uk::dpmptsp) {
      // Lampiran II huruf E: FP under the Kepala Dinas or the Sekretaris, never a kepala bidang.
      const std::vector<wrong> w = {{kabids[0], rule::dpmptsp}, {kasubbag, rule::dpmptsp}};
      staff(pd, kadis, around(per_group * nb), e.fams, 25, w);
      staff(sekr, sekretaris, around(per_group), f_admin, 40, w);
      return;
    }
    staff(sekr, sekretaris, around(per_group), f_admin, 40, {{kadis, table}, {kasubbag, table}});
    for (std::uint32_t i = 0; i < nb; ++i) {
      const auto kasi =
          r_.percent(40) ? subunits(bidang_units[i], uk::seksi, "Seksi", pk::kepala_seksi, kabids[i], r_.between(1, 2))
                         : nobody;
      std::vector<wrong> w = {{kadis, table, pd}, {kasubbag, table}};
      if (kasi != nobody) w.push_back({kasi, table});
      const std::uint32_t n = around(per_group);
      const std::uint32_t other_kabid = kabids[(i + 1) % nb];
      bidang_staff(bidang_units[i], kabids[i], kadis, pd, n, e.fams, w, nb > 1 ? other_kabid : nobody, kasi);
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
      k.jenjang = 1;
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
    const fams own_family(&family_byte_[positions[koord].title], 1);
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
        const auto h = headed(pd, uk::uptd, un, pk::kepala_uptd, jn::fungsional, kadis, "Kepala " + un, &u);
        positions[h].jenjang = 1;
        // Lampiran II huruf I covers UPTD led by a Pengawas; here only the base
        // rule applies, which a kepala daerah as atasan breaks.
        staff(u, h, size, e.fams, 20, {{kepala_daerah_, rule::atasan_langsung}});
      } else {
        const auto h = headed(pd, uk::uptd, un, pk::kepala_uptd, jn::pengawas, kadis, "Kepala " + un, &u);
        const auto katu = headed(u, uk::tata_usaha, "Subbagian Tata Usaha " + un, pk::kepala_tata_usaha, jn::pengawas,
                                 h, "Kepala Subbagian Tata Usaha " + un);
        staff(u, h, size, e.fams, 40, {{katu, rule::uptd_pengawas}});
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
      const auto h = headed(disdik_unit_, uk::satuan_pendidikan, n, pk::kepala_satuan_pendidikan, jn::fungsional,
                            disdik_, "Kepala " + n, &u);
      positions[h].jenjang = 1;
      staff(u, h, size, f_school, 12, w);
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
          headed(dinkes_unit_, uk::puskesmas, n, pk::kepala_puskesmas, jn::fungsional, dinkes_, "Kepala " + n, &u);
      positions[h].jenjang = r_.percent(70) ? 2 : 1;
      const auto katu = headed(u, uk::tata_usaha, "Subbagian Tata Usaha " + n, pk::kepala_tata_usaha, jn::pengawas, h,
                               "Kepala Subbagian Tata Usaha " + n);
      const std::vector<wrong> w = {
          {dinkes_, rule::puskesmas}, {katu, rule::puskesmas}, {dinkes_, rule::dinas, dinkes_unit_}};
      const std::uint32_t size = r_.between(25, 65);
      // A planted team is led by the Kepala Subbagian Tata Usaha: the Kepala
      // Puskesmas is itself a Pejabat Fungsional, a valid ketua.
      team_group(u, katu, h, staff(u, h, size, f_pkm, 15, w), nobody);
      left -= std::min(left, size + 2);
    }
  }

  // RSUD: direktur, wakil direktur, bidang and bagian (with seksi and
  // subbagian), dokter under the direktur (Lampiran II huruf F).
  void rsud_all(std::uint32_t budget, std::uint32_t count) {
    for (std::uint32_t i = 0; i < count; ++i) {
      const std::string n = "Rumah Sakit Umum Daerah " + place();
      std::uint32_t ru = 0;
      const auto dir = headed(root_, uk::rsud, n, pk::direktur, jn::jpt_pratama, kepala_daerah_, "Direktur " + n, &ru);
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
            headed(ru, uk::wakil_direktur, wadir[a], pk::wakil_direktur, jn::administrator, dir, wadir[a], &wu);
        w.push_back({wd, rule::rsud});
        for (const char* in : inner[a]) {
          const bool bid = a == 0;
          std::uint32_t iu = 0;
          const auto h = headed(wu, bid ? uk::bidang : uk::bagian, in, bid ? pk::kepala_bidang : pk::kepala_bagian,
                                jn::administrator, wd, std::string("Kepala ") + in, &iu);
          const auto sub = subunits(iu, bid ? uk::seksi : uk::subbagian, bid ? "Seksi" : "Subbagian",
                                    bid ? pk::kepala_seksi : pk::kepala_subbagian, h, 2);
          w.push_back({sub, rule::rsud});
          groups.emplace_back(iu, h);
        }
      }
      staff(ru, dir, around(b / 10), "\x0d", 0, w);  // dokter spesialis under the direktur
      for (std::size_t g = 0; g < groups.size(); ++g) {
        const auto [u, h] = groups[g];
        const bool clinical = g < 2;
        team_group(
            u, h, dir,
            staff(u, h, around(b * (clinical ? 35 : 10) / 100), clinical ? f_rsud : f_admin, clinical ? 8 : 40, w),
            nobody);
      }
    }
  }

  void kecamatan_all(std::uint32_t budget, bool kota) {
    std::uint32_t left = budget;
    while (left > 0) {
      const std::string kn = place();
      std::uint32_t ku = 0, su = 0;
      const auto camat = headed(root_, uk::kecamatan, "Kecamatan " + kn, pk::camat, jn::administrator, kepala_daerah_,
                                "Camat " + kn, &ku);
      const auto sekcam = headed(ku, uk::sekretariat, "Sekretariat Kecamatan " + kn, pk::sekretaris, jn::administrator,
                                 camat, "Sekretaris Kecamatan " + kn, &su);
      const auto kasi = subunits(ku, uk::seksi, "Seksi", pk::kepala_seksi, camat, r_.between(3, 4));
      const std::uint32_t size = r_.between(6, 16);
      staff(ku, camat, size, f_kec, 45, {{sekcam, rule::kecamatan, su}, {kasi, rule::kecamatan}});
      left -= std::min(left, size + 8);
      const std::uint32_t nkel = kota ? r_.between(3, 8) : r_.between(0, 3);
      std::uint32_t prev_lurah = nobody;
      for (std::uint32_t k = 0; k < nkel && left > 0; ++k) {
        const std::string ln = place();
        std::uint32_t lu = 0;
        const auto lurah =
            headed(ku, uk::kelurahan, "Kelurahan " + ln, pk::lurah, jn::pengawas, camat, "Lurah " + ln, &lu);
        const auto kasi_kel = subunits(lu, uk::seksi, "Seksi", pk::kepala_seksi, lurah, 2);
        std::vector<wrong> w = {{kasi_kel, rule::kelurahan}};
        if (prev_lurah != nobody) w.push_back({prev_lurah, rule::kelurahan});
        const std::uint32_t ks = r_.between(3, 9);
        team_group(lu, lurah, lurah, staff(lu, lurah, ks, f_kec, 50, w), kasi_kel);
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
  // Each family index as a byte, so one family can be viewed as a `fams` list.
  std::array<char, families.size()> family_byte_ = [] {
    std::array<char, families.size()> a{};
    for (std::size_t i = 0; i < a.size(); ++i) a[i] = static_cast<char>(i);
    return a;
  }();
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
  document(const options& o, std::ostream& out) : o_(o), w_(out), plans_(make_plans(o)) {}

  report write() {
    rep_.ruleset = "padang-panjang-48-2024";
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
      builder b(mix(o_.seed, i + 1), plans_[i], o_.violations_per_10k);
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
        w_.str(std::string(families[x.title].title) + " " + jenjang_label[x.jenjang]);
      } else if (x.kind == pk::pelaksana) {
        w_.str(pelaksana_titles[x.title]);
      } else {
        w_.str(b.names[x.title]);
      }
      w_.raw(",\"kind\":\"").raw(position_kind_code[static_cast<std::size_t>(x.kind)]);
      w_.raw("\",\"jenis\":\"").raw(jenis_code[static_cast<std::size_t>(x.jenis)]).raw("\"");
      if (x.jenjang != no_jenjang) w_.raw(",\"jenjang\":\"").raw(jenjang_code[x.jenjang]).raw("\"");
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
    auto& n = rep_.planted_by_rule[rule_name[static_cast<std::size_t>(r)]];
    if (n++ < 2) rep_.sample_ids.push_back(std::move(id));  // the first two of each rule
  }

  const options& o_;
  writer w_;
  std::vector<instansi_plan> plans_;
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
  document d(opts, out);
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
