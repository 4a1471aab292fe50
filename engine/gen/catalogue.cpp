// The generator's catalogues: the Dinas and Badan it plants, the family lists
// it draws from, and the standard structure (data/perangkat-daerah.json)
// resolved into the catalogue the builder reads. Separate: data, no drawing.
#include <stdexcept>

#include "engine/gen/org_gen_internal.hpp"

namespace perwal::gen::detail {
namespace {

// Lists of jabatan fungsional families (codes of data/perangkat-daerah.json,
// space-separated; a repeated code is drawn more often), resolved into
// family indices by the catalogue. The lists are the ones the generator has
// always drawn from: its earlier byte-string lists ended at the first
// Analis Kebijakan (a NUL byte), so a list that named it first drew only it.
// Written as drawn, the output stays byte-identical; longer lists would
// change every generated org.
constexpr std::string_view f_admin = "analis";
constexpr std::string_view f_hukum = "perancang-pu analis-hukum";
constexpr std::string_view f_audit = "auditor auditor auditor ppupd ppupd";
constexpr std::string_view f_pkm =
    "dokter dokter-gigi perawat perawat perawat bidan bidan bidan apoteker pranata-lab nutrisionis sanitarian "
    "penyuluh-kesmas perekam-medis";
constexpr std::string_view f_rsud =
    "dokter dokter dokter-gigi perawat perawat perawat perawat perawat bidan apoteker asisten-apoteker pranata-lab "
    "nutrisionis perekam-medis radiografer fisioterapis";
constexpr std::string_view f_school = "guru";
constexpr std::string_view f_kec = "psm psm";

}  // namespace

// The Dinas and Badan of a Pemerintah Daerah. Index 0 is the Dinas Pendidikan
// (satuan pendidikan), 1 the Dinas Kesehatan (puskesmas).
const std::array<pd_entry, 24> pd_catalogue = {{
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

catalogue::catalogue(const pd_structure& s) {
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
  f_admin = fams_of(::perwal::gen::detail::f_admin, s);
  f_hukum = fams_of(::perwal::gen::detail::f_hukum, s);
  f_audit = fams_of(::perwal::gen::detail::f_audit, s);
  f_pkm = fams_of(::perwal::gen::detail::f_pkm, s);
  f_rsud = fams_of(::perwal::gen::detail::f_rsud, s);
  f_school = fams_of(::perwal::gen::detail::f_school, s);
  f_kec = fams_of(::perwal::gen::detail::f_kec, s);
  f_dokter = fams_of("dokter", s);  // dokter spesialis under an RSUD's direktur
  for (const auto& e : pd_catalogue) pd_fams.push_back(fams_of(e.fams, s));
}

std::uint8_t catalogue::jenjang(const std::string& code, const pd_structure& s) {
  for (std::size_t i = 0; i < s.jenjang.size(); ++i)
    if (s.jenjang[i].kode == code) return static_cast<std::uint8_t>(i);
  throw std::runtime_error("gen-org: the structure has no jenjang " + code);
}

std::vector<std::pair<std::uint32_t, std::uint8_t>> catalogue::bands(const std::vector<weighted>& w,
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

std::string catalogue::fams_of(std::string_view codes, const pd_structure& s) {
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

}  // namespace perwal::gen::detail
