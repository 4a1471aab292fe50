// The standard structure of each kind of Perangkat Daerah and the catalogues
// of positions (data/perangkat-daerah.json, format perwal-perangkat-daerah/1;
// data/README.md describes it). One file, read by the synthetic org generator
// (engine/gen), the exploration universe (engine/explore) and the fixture kit
// (fixtures/common/orgkit.py), so the three build orgs from one description.
//
// Where the file is found (pd_structure_path): the PERWAL_STRUCTURE
// environment variable (a file), else data/perangkat-daerah.json under the
// first resource root that has it (resource_roots).
#pragma once

#include <filesystem>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace perwal {

// The head of a unit: position kind (`jabatan`) and rank class (`jenis`).
struct pd_head {
  std::string jabatan, jenis;
  std::string jenis_provinsi;  // "" = as `jenis`; a provincial government's head differs (Sekda: JPT Madya)
  // The jenis in a provincial (true) or kabupaten/kota (false) government.
  [[nodiscard]] const std::string& jenis_for(bool provinsi) const {
    return provinsi && !jenis_provinsi.empty() ? jenis_provinsi : jenis;
  }
};

// An inner unit (unit kerja) of a form: its key (for ids), kind, the key of
// the unit it sits in ("" = the Perangkat Daerah itself), and the jenis of its
// head when it differs from the kind's default (`unit_kerja` table).
struct pd_inner_unit {
  std::string kunci, jenis_unit, induk, jenis_kepala;
};

// One standard form of a kind of Perangkat Daerah. A kind may have several
// (a UPTD led by a Pengawas, and one led by a Pejabat Fungsional).
struct pd_form {
  std::string kunci, jenis_unit;
  pd_head kepala;
  std::string induk;  // the kind of Perangkat Daerah it sits in ("" = directly under the Pemerintah Daerah)
  std::vector<pd_inner_unit> unit_kerja;
};

enum class fp_category : std::uint8_t { ahli, terampil, keduanya };

struct fp_family {
  std::string kode, nama;
  fp_category kategori = fp_category::ahli;
};

struct pd_jenjang {
  std::string kode, nama;
  fp_category kategori = fp_category::ahli;
};

struct weighted {
  std::string nama;  // a jenjang code or a pelaksana title
  int bobot = 0;
};

struct pd_structure {
  std::vector<std::string> jenis_jabatan;                   // rank classes, highest first
  pd_head pemerintah_daerah;                                // the head of the root unit (kepala daerah)
  std::vector<std::pair<std::string, pd_head>> unit_kerja;  // inner unit kind -> its head, in file order
  std::vector<pd_form> perangkat_daerah;                    // in file order
  std::vector<pd_jenjang> jenjang;                          // in file order (most senior first)
  std::vector<weighted> sebaran_ahli, sebaran_terampil;     // shares of the jenjang of a new FP, by category
  int persen_ahli = 55;                                     // share of ahli in a `keduanya` family (percent)
  std::map<std::string, int> persen_ahli_menurut_jabatan;   // per family code, overriding persen_ahli
  std::vector<fp_family> jabatan_fungsional;                // in file order
  std::vector<weighted> jabatan_pelaksana;                  // titles with weights, in file order

  // The head of an inner unit kind; nullptr if the file has none.
  [[nodiscard]] const pd_head* head_of_inner(std::string_view unit_kind) const;
  // The head of a Perangkat Daerah kind or an inner unit kind (the first form of a kind).
  [[nodiscard]] const pd_head* head_of(std::string_view unit_kind) const;
  // The forms of a kind, in file order.
  [[nodiscard]] std::vector<const pd_form*> forms(std::string_view unit_kind) const;
  [[nodiscard]] const pd_form* form(std::string_view kunci) const;
  [[nodiscard]] const fp_family* family(std::string_view kode) const;
  [[nodiscard]] const pd_jenjang* find_jenjang(std::string_view kode) const;
  // The jenis of an inner unit's head in a form (its override, else the kind's default).
  [[nodiscard]] std::string inner_head_jenis(const pd_inner_unit& u) const;
};

// Parses perwal-perangkat-daerah/1; throws std::runtime_error naming `where`
// and the field on anything malformed (unknown format, missing field, an
// inner unit or family referring to something undefined).
[[nodiscard]] pd_structure parse_pd_structure(const nlohmann::json& doc, const std::string& where);
[[nodiscard]] pd_structure load_pd_structure(const std::filesystem::path& file);

// Folders that may hold perwal's bundled files (data/, rulesets/), in order:
// $PERWAL_SHARE_DIR; <executable>/../share/perwal (an installed binary); the
// source tree the engine was built from; <install prefix>/share/perwal.
[[nodiscard]] std::vector<std::filesystem::path> resource_roots();
// The first root holding `relative` (e.g. "rulesets/padang-panjang-48-2024.perwal").
[[nodiscard]] std::optional<std::filesystem::path> find_resource(const std::filesystem::path& relative);

// $PERWAL_STRUCTURE, else data/perangkat-daerah.json under a resource root;
// throws std::runtime_error listing where it looked when there is none.
[[nodiscard]] std::filesystem::path pd_structure_path();
// The structure at pd_structure_path(), loaded once (thread-safe).
[[nodiscard]] const pd_structure& standard_pd_structure();

}  // namespace perwal
