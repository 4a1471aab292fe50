// The document streamed to the output: a buffered JSON writer, the NIP of
// each employee, and the sections written one instansi at a time, counting
// the report as they go. Apart from what is built (the builder).
#include <charconv>
#include <cstdio>
#include <ostream>
#include <stdexcept>
#include <string_view>

#include "engine/common/json_writer.hpp"
#include "engine/compile/ruleset.hpp"
#include "engine/gen/org_gen_internal.hpp"

namespace perwal::gen::detail {
namespace {

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
    json_out::append_string(buf_, s);
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
                               rule_about[static_cast<std::size_t>(r)] +
                               "); plant none (--violations 0) or use another");
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

report write_document(const options& o, std::ostream& out, const catalogue& cat, const compiled_ruleset& rules) {
  document d(o, out, cat, rules);
  return d.write();
}

}  // namespace perwal::gen::detail
