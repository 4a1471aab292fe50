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
//
// The files: org_gen_internal.hpp (what they share), catalogue.cpp,
// planted_rules.cpp, instansi_builder.cpp and instansi_layout.cpp (one
// instansi), org_document.cpp (the streamed document and its report); here:
// the plan of instansi and the entry points.
#include "engine/gen/org_gen.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "engine/common/pd_structure.hpp"
#include "engine/gen/org_gen_internal.hpp"

namespace perwal::gen {
namespace detail {

// ---- the plan of instansi ------------------------------------------------------------

namespace {

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

}  // namespace

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

}  // namespace detail

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
  const detail::catalogue cat(opts.structure ? *opts.structure : standard_pd_structure());
  return detail::write_document(opts, out, cat, *opts.rules);
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
