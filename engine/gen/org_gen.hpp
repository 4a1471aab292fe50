// Deterministic synthetic orgs (perwal-org/1, docs/reference.md §2) for benchmarks and
// scale tests: a city (one instansi), a province (a provincial government and
// its kabupaten/kota) or the nation (546 instansi), built from the canonical
// vocabulary of the base ruleset, with teams (some cross-unit), delegations
// and a controlled rate of planted violations whose count is reported so that
// an audit of the output can be checked for exactness.
//
// The document is streamed to the output: the national org (~6.5M positions)
// is never held in memory.
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace perwal {
struct compiled_ruleset;
struct pd_structure;
}  // namespace perwal

namespace perwal::gen {

enum class scale : std::uint8_t { city, province, nation };

struct options {
  enum scale scale = scale::city;
  std::uint64_t seed = 1;
  // Planted violations per 10,000 checked items (positions that are FP or
  // pelaksana, delegations, teams). 0 plants none.
  std::uint32_t violations_per_10k = 10;
  // 0: the scale's default number of instansi; otherwise this many.
  std::uint32_t instansi = 0;
  // The ruleset the planted violations target (required): the report names
  // its rules (a kedudukan table by the kind it covers, the others by what
  // they test). The org itself does not depend on it.
  const compiled_ruleset* rules = nullptr;
  // The standard structure (data/perangkat-daerah.json); nullptr: the one at
  // pd_structure_path().
  const pd_structure* structure = nullptr;
};

// What was generated, and the audit it must produce under the ruleset the
// planted violations are written against (`ruleset`).
struct report {
  std::string ruleset;  // ruleset id the planted violations target
  std::uint64_t instansi = 0, units = 0, positions = 0, employees = 0, teams = 0, delegations = 0;
  std::uint64_t checked = 0;  // items an audit checks (FP/pelaksana positions + delegations + teams)
  std::uint64_t planted = 0;  // violations an audit must report
  std::map<std::string, std::uint64_t> planted_by_rule;  // rule name -> count
  std::vector<std::string> sample_ids;                   // a few planted item ids, for spot checks
};

[[nodiscard]] const char* scale_name(enum scale s);
// Parses "city" | "province" | "nation"; false on anything else.
[[nodiscard]] bool parse_scale(const std::string& text, enum scale& out);

// Writes the org to `out` and returns what it wrote. Same options, same bytes.
// Throws std::invalid_argument without `rules`, std::runtime_error when the
// structure lacks what the generator needs or a planted item's rule is not in
// the ruleset.
report generate(const options& opts, std::ostream& out);

// The report as a JSON object (two-space indented), the shape `perwal gen-org`
// writes: ruleset, the counts, checked, planted, planted_by_rule, sample_ids.
[[nodiscard]] std::string to_json(const report& r);

}  // namespace perwal::gen
