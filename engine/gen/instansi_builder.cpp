// The builder's records: units and their heads, staff (where a planted
// violation lands), delegations and teams. Apart from the layout
// (instansi_layout.cpp), which decides where each of them goes.
#include <algorithm>

#include "engine/gen/org_gen_internal.hpp"

namespace perwal::gen::detail {

// ---- records ---------------------------------------------------------------

std::uint32_t builder::unit(std::uint32_t parent, uk kind, std::string n, const char* tag) {
  unit_rec u;
  u.parent = parent;
  u.kind = kind;
  u.name = name(std::move(n));
  u.tag = tag;
  units.push_back(u);
  return static_cast<std::uint32_t>(units.size() - 1);
}

std::uint32_t builder::head(std::uint32_t u, pk kind, jn jenis, std::uint32_t atasan, std::string title,
                            std::uint8_t jenjang) {
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
std::uint32_t builder::headed(std::uint32_t parent, uk kind, std::string unit_name, std::uint32_t atasan,
                              std::string title, std::uint32_t* unit_out, const char* tag,
                              const std::pair<pk, jn>* as) {
  const auto u = unit(parent, kind, std::move(unit_name), tag);
  if (unit_out) *unit_out = u;
  const auto& h = as ? *as : cat_.head(kind, plan_.kind == region::provinsi);
  return head(u, h.first, h.second, atasan, std::move(title));
}

std::uint8_t builder::jenjang_for(fp_category c) {
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
std::uint32_t builder::member(std::uint32_t u, std::uint32_t atasan, fams fs, std::uint32_t pelaksana_pct,
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
std::uint32_t builder::staff(std::uint32_t u, std::uint32_t atasan, std::uint32_t n, fams fs,
                             std::uint32_t pelaksana_pct, const std::vector<wrong>& wrongs) {
  const auto first = static_cast<std::uint32_t>(positions.size());
  for (std::uint32_t i = 0; i < n; ++i) member(u, atasan, fs, pelaksana_pct, wrongs);
  return first;
}
// ---- delegations and teams ------------------------------------------------------

// Staff of a bidang, with (sometimes) a koordinator FP holding a delegated
// appraisal authority and a few FP under it, and a team.
void builder::bidang_staff(std::uint32_t bu, std::uint32_t kabid, std::uint32_t kadis, std::uint32_t pd,
                           std::uint32_t n, fams fs, const std::vector<wrong>& w, std::uint32_t other_kabid,
                           std::uint32_t kasi) {
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
void builder::delegation(std::uint32_t kabid, std::uint32_t koord, std::uint32_t pd, std::uint32_t other_kabid,
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
void builder::team_group(std::uint32_t u, std::uint32_t unit_head, std::uint32_t by, std::uint32_t first,
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

}  // namespace perwal::gen::detail
