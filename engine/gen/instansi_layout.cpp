// The layout of one instansi: its Sekretariat Daerah, DPRD secretariat,
// Inspektorat, each Dinas and Badan with its UPTD, schools, puskesmas, RSUD
// and kecamatan. Apart from the records they are made of (instansi_builder.cpp).
#include <algorithm>

#include "engine/gen/org_gen_internal.hpp"

namespace perwal::gen::detail {

void builder::build() {
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

// ---- structure ---------------------------------------------------------------
void builder::root() {
  const bool prov = plan_.kind == region::provinsi;
  const auto u = unit(nobody, uk::pemerintah_daerah, plan_.name);
  const char* kd = prov ? "Gubernur" : plan_.kind == region::kota ? "Wali Kota" : "Bupati";
  const auto& h = cat_.head(uk::pemerintah_daerah, prov);
  head(u, h.first, h.second, nobody, std::string(kd) + " " + plan_.place);
  kepala_daerah_ = units[u].head;
  root_ = u;
}

void builder::sekretariat_daerah(std::uint32_t budget) {
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
      const auto kabag = headed(au, uk::bagian, bn, ap, std::string("Kepala ") + bn, &bu);
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
std::uint32_t builder::subunits(std::uint32_t parent, uk kind, const char* label, std::uint32_t atasan,
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
    const auto h = headed(parent, kind, n_, atasan, "Kepala " + n_);
    if (first == nobody) first = h;
  }
  return first;
}

void builder::sekretariat_dprd(std::uint32_t budget) {
  std::uint32_t setwan = 0;
  const auto sekwan =
      headed(root_, uk::sekretariat_dprd, "Sekretariat DPRD", kepala_daerah_, "Sekretaris DPRD", &setwan);
  static constexpr std::array<const char*, 3> bagian = {"Bagian Umum dan Keuangan",
                                                        "Bagian Persidangan dan Perundang-undangan",
                                                        "Bagian Fasilitasi Penganggaran dan Pengawasan"};
  for (const char* bn : bagian) {
    std::uint32_t bu = 0;
    const auto kabag = headed(setwan, uk::bagian, bn, sekwan, std::string("Kepala ") + bn, &bu);
    const auto kasubbag = subunits(bu, uk::subbagian, "Subbagian", kabag, 2);
    staff(bu, kabag, around(std::max<std::uint32_t>(3, budget / 3)), cat_.f_admin, 35,
          {{sekwan, rule::sekretariat_dprd, setwan}, {kasubbag, rule::sekretariat_dprd}});
  }
}

void builder::inspektorat(std::uint32_t budget) {
  std::uint32_t insp = 0, sekr = 0;
  const auto inspektur = headed(root_, uk::inspektorat, "Inspektorat", kepala_daerah_, "Inspektur", &insp);
  const auto sekretaris =
      headed(insp, uk::sekretariat, "Sekretariat Inspektorat", inspektur, "Sekretaris Inspektorat", &sekr);
  const auto kasubbag = subunits(sekr, uk::subbagian, "Subbagian", sekretaris, 2);
  const std::vector<wrong> w = {{inspektur, rule::inspektorat, insp}, {kasubbag, rule::inspektorat}};
  staff(sekr, sekretaris, around(std::max<std::uint32_t>(3, budget / 6)), cat_.f_admin, 40, w);
  static constexpr std::array<const char*, 4> wilayah = {"I", "II", "III", "IV"};
  for (const char* wl : wilayah) {
    std::uint32_t iu = 0;
    const std::string n = std::string("Inspektur Pembantu Wilayah ") + wl;
    const auto irban = headed(insp, uk::inspektur_pembantu, n, inspektur, n, &iu);
    team_group(iu, irban, inspektur,
               staff(iu, irban, around(std::max<std::uint32_t>(3, budget / 5)), cat_.f_audit, 5, w), nobody);
  }
}

// A Dinas, Badan, DPMPTSP or BPBD: head, sekretariat with subbagian, bidang
// with seksi, staff where Lampiran II places them, UPTD.
void builder::perangkat_daerah(std::uint32_t idx, std::uint32_t budget, std::uint32_t uptd_budget) {
  const auto& e = pd_catalogue[idx];
  std::uint32_t pd = 0, sekr = 0;
  const bool pelaksana_head = cat_.head(e.kind, plan_.kind == region::provinsi).first == pk::kepala_pelaksana;
  const char* head_title = pelaksana_head ? "Kepala Pelaksana " : "Kepala ";
  const auto kadis = headed(root_, e.kind, e.name, kepala_daerah_, head_title + std::string(e.name), &pd, e.tag);
  const auto sekretaris = headed(pd, uk::sekretariat, "Sekretariat", kadis, std::string("Sekretaris ") + e.name, &sekr);
  const auto kasubbag = subunits(sekr, uk::subbagian, "Subbagian", sekretaris, r_.between(2, 3));
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
    kabids.push_back(headed(pd, uk::bidang, e.bidang[i], kadis, std::string("Kepala ") + e.bidang[i], &bu));
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
        r_.percent(40) ? subunits(bidang_units[i], uk::seksi, "Seksi", kabids[i], r_.between(1, 2)) : nobody;
    std::vector<wrong> w = {{kadis, table, pd}, {kasubbag, table}};
    if (kasi != nobody) w.push_back({kasi, table});
    const std::uint32_t n = around(per_group);
    const std::uint32_t other_kabid = kabids[(i + 1) % nb];
    bidang_staff(bidang_units[i], kabids[i], kadis, pd, n, cat_.pd_fams[idx], w, nb > 1 ? other_kabid : nobody, kasi);
  }
  uptd_all(idx, pd, kadis, uptd_budget);
}

void builder::uptd_all(std::uint32_t idx, std::uint32_t pd, std::uint32_t kadis, std::uint32_t budget) {
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
      const auto katu = headed(u, uk::tata_usaha, "Subbagian Tata Usaha " + un, h, "Kepala Subbagian Tata Usaha " + un);
      staff(u, h, size, cat_.pd_fams[idx], 40, {{katu, rule::uptd_pengawas}});
    }
    left -= std::min(left, size + 1);
  }
}

void builder::schools(std::uint32_t budget, bool prov) {
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
    const auto h = headed(disdik_unit_, uk::satuan_pendidikan, n, disdik_, "Kepala " + n, &u);
    positions[h].jenjang = cat_.madya;
    staff(u, h, size, cat_.f_school, 12, w);
    left -= std::min(left, size + 1);
  }
}

// Puskesmas: led by a Pejabat Fungsional (Lampiran II huruf J) under the
// Kepala Dinas Kesehatan, with a Kepala Subbagian Tata Usaha (Pengawas).
void builder::puskesmas_all(std::uint32_t budget) {
  std::uint32_t left = budget;
  while (left > 0) {
    const std::string n = "Puskesmas " + place();
    std::uint32_t u = 0;
    const auto h = headed(dinkes_unit_, uk::puskesmas, n, dinkes_, "Kepala " + n, &u);
    positions[h].jenjang = r_.percent(70) ? cat_.muda : cat_.madya;
    const auto katu = headed(u, uk::tata_usaha, "Subbagian Tata Usaha " + n, h, "Kepala Subbagian Tata Usaha " + n);
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
void builder::rsud_all(std::uint32_t budget, std::uint32_t count) {
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
      const auto wd = headed(ru, uk::wakil_direktur, wadir[a], dir, wadir[a], &wu);
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
      team_group(u, h, dir,
                 staff(u, h, around(b * (clinical ? 35 : 10) / 100), clinical ? cat_.f_rsud : cat_.f_admin,
                       clinical ? 8 : 40, w),
                 nobody);
    }
  }
}

void builder::kecamatan_all(std::uint32_t budget, bool kota) {
  std::uint32_t left = budget;
  while (left > 0) {
    const std::string kn = place();
    std::uint32_t ku = 0, su = 0;
    const auto camat = headed(root_, uk::kecamatan, "Kecamatan " + kn, kepala_daerah_, "Camat " + kn, &ku);
    const auto sekcam =
        headed(ku, uk::sekretariat, "Sekretariat Kecamatan " + kn, camat, "Sekretaris Kecamatan " + kn, &su);
    const auto kasi = subunits(ku, uk::seksi, "Seksi", camat, r_.between(3, 4));
    const std::uint32_t size = r_.between(6, 16);
    staff(ku, camat, size, cat_.f_kec, 45, {{sekcam, rule::kecamatan, su}, {kasi, rule::kecamatan}});
    left -= std::min(left, size + 8);
    const std::uint32_t nkel = kota ? r_.between(3, 8) : r_.between(0, 3);
    std::uint32_t prev_lurah = nobody;
    for (std::uint32_t k = 0; k < nkel && left > 0; ++k) {
      const std::string ln = place();
      std::uint32_t lu = 0;
      const auto lurah = headed(ku, uk::kelurahan, "Kelurahan " + ln, camat, "Lurah " + ln, &lu);
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

}  // namespace perwal::gen::detail
