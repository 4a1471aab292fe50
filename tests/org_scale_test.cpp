// The national-scale org paths against the reference: the streaming JSON
// reader (org_graph::load) must build the same org_graph as the nlohmann
// loader (org_graph::load_reference) for every valid org and report the same
// errors for every invalid one; a snapshot must load back to the same org.
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "engine/compile/ruleset.hpp"
#include "engine/org/org.hpp"
#include "engine/org/snapshot_format.hpp"

namespace {

namespace fs = std::filesystem;
using perwal::compiled_ruleset;
using perwal::diagnostics;
using perwal::org::org_graph;
using org_index = perwal::org::index;

fs::path source_dir() {
#ifdef PERWAL_SOURCE_DIR
  return PERWAL_SOURCE_DIR;
#else
  return fs::current_path();
#endif
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::shared_ptr<const compiled_ruleset>> all_rulesets() {
  std::vector<std::shared_ptr<const compiled_ruleset>> out;
  for (const auto& entry : fs::directory_iterator(source_dir() / "rulesets")) {
    if (entry.path().extension() != ".perwal") continue;
    perwal::diagnostics diags;
    if (auto r = perwal::compile_ruleset(entry.path(), diags)) out.push_back(std::move(r));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a->header.id < b->header.id; });
  return out;
}

// Every org JSON in the repository: the fixtures, the cross org, tests/data.
std::vector<fs::path> all_orgs() {
  std::vector<fs::path> out;
  for (const auto& dir : {source_dir() / "fixtures", source_dir() / "tests" / "data"}) {
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
      if (entry.path().extension() != ".json") continue;
      if (dir == source_dir() / "fixtures" && entry.path().filename() != "org.json") continue;
      out.push_back(entry.path());
    }
  }
  out.push_back(source_dir() / "tests" / "cross" / "org.json");
  std::sort(out.begin(), out.end());
  return out;
}

std::string text_of(const diagnostics& errors) {
  std::string out;
  for (const auto& e : errors.items()) out += e.path_line() + "\n";
  return out;
}

}  // namespace

TEST_CASE("the streaming reader builds what the reference loader builds", "[org][scale]") {
  const auto rulesets = all_rulesets();
  REQUIRE(rulesets.size() >= 4);
  int streamed = 0;
  for (const auto& path : all_orgs()) {
    const std::string text = slurp(path);
    for (const auto& r : rulesets) {
      INFO(path.string() << " under " << r->header.id);
      diagnostics ref_errors, errors;
      const auto ref = org_graph::load_reference(text, path.string(), r->vocab, r->shape, ref_errors);
      const auto fast = org_graph::load(text, path.string(), r->vocab, r->shape, errors);
      const auto direct = org_graph::load_streaming(text, r->vocab, r->shape);
      CHECK(text_of(errors) == text_of(ref_errors));
      REQUIRE(bool(fast) == bool(ref));
      if (!ref) {
        CHECK_FALSE(direct);
        continue;
      }
      CHECK(fast->canonical_dump() == ref->canonical_dump());
      if (direct) {
        ++streamed;
        CHECK(direct->canonical_dump() == ref->canonical_dump());
      }
    }
  }
  CHECK(streamed >= 5);  // the fixtures and the cross org do not fall back
}

namespace {

// The ruleset each bundled org is written for.
struct org_case {
  fs::path org;
  fs::path rules;
};
std::vector<org_case> bundled_orgs() {
  const fs::path src = source_dir();
  return {{src / "fixtures/padang-panjang/org.json", src / "rulesets/padang-panjang-48-2024.perwal"},
          {src / "fixtures/jambi/org.json", src / "rulesets/jambi-13-2025.perwal"},
          {src / "fixtures/bukittinggi/org.json", src / "rulesets/bukittinggi-rancangan.perwal"},
          {src / "fixtures/pasuruan/org.json", src / "rulesets/pasuruan-41-2023.perwal"},
          {src / "tests/cross/org.json", src / "rulesets/permenpanrb-7-2022.perwal"}};
}

std::shared_ptr<const compiled_ruleset> compile(const fs::path& path) {
  perwal::diagnostics diags;
  auto r = perwal::compile_ruleset(path, diags);
  REQUIRE(r);
  return r;
}

// A scratch file that is removed again.
struct temp_file {
  fs::path path;
  explicit temp_file(const std::string& name)
      : path(fs::temp_directory_path() / ("perwal-test-" + std::to_string(::getpid()) + "-" + name)) {}
  ~temp_file() {
    std::error_code ec;
    fs::remove(path, ec);
  }
  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;
};

void write_bytes(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

std::string run(const std::string& args, int& status) {
  const std::string cmd = "'" PERWAL_BINARY "' " + args + " 2>&1";
  FILE* pipe = ::popen(cmd.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf{};
  for (std::size_t n; (n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0;) out.append(buf.data(), n);
  status = WEXITSTATUS(::pclose(pipe));
  return out;
}

// A synthetic perwal-org/1 of `instansi` instansi with ~`per` positions each,
// in the canonical codes: units, heads, staff, employees, delegations, teams.
std::string synthetic_org(int instansi, int per) {
  std::string units, positions, employees, delegations, teams, inst;
  const auto sep = [](std::string& s) {
    if (!s.empty()) s += ",\n";
  };
  long long nip = 199001012015031000LL;
  for (int i = 0; i < instansi; ++i) {
    const std::string x = "i" + std::to_string(i);
    sep(inst);
    inst += R"({"id": ")" + x + R"(", "name": "Pemda )" + x + R"(", "pejabat_berwenang": ")" + x + R"(.p1"})";
    const auto unit = [&](int u, const std::string& kind, int parent) {
      sep(units);
      units += R"({"id": ")" + x + ".u" + std::to_string(u) + R"(", "name": "Unit \u00e9 )" + std::to_string(u) +
               R"(", "kind": ")" + kind + R"(", "parent": )" +
               (parent < 0 ? std::string("null, \"instansi\": \"" + x + "\"")
                           : "\"" + x + ".u" + std::to_string(parent) + "\"") +
               R"(, "head": ")" + x + ".p" + std::to_string(u) + R"(", "tags": ["t)" + std::to_string(u % 3) + "\"]}";
    };
    const auto position = [&](int p, const std::string& kind, const std::string& jenis, int u, int atasan) {
      sep(positions);
      positions += R"({"id": ")" + x + ".p" + std::to_string(p) + R"(", "title": "Jabatan \")" + std::to_string(p) +
                   R"(\"", "kind": ")" + kind + R"(", "jenis": ")" + jenis + "\"" +
                   (jenis == "fungsional" ? R"(, "jenjang": "ahli_muda")" : "") + R"(, "unit": ")" + x + ".u" +
                   std::to_string(u) + R"(", "atasan": )" +
                   (atasan < 0 ? std::string("null") : "\"" + x + ".p" + std::to_string(atasan) + "\"") +
                   R"(, "extra": {"a": [1, 2.5e3, true, null]}})";
      sep(employees);
      employees += R"({"nip": ")" + std::to_string(++nip) + R"(", "name": "Pegawai", "position": ")" + x + ".p" +
                   std::to_string(p) + "\"}";
    };
    unit(0, "pemerintah_daerah", -1);
    position(0, "kepala_daerah", "kepala_daerah", 0, -1);
    unit(1, "sekretariat_daerah", 0);
    position(1, "sekretaris_daerah", "jpt_pratama", 1, 0);
    for (int d = 0; d < 4; ++d) {
      const int b = 2 + d * 3;
      unit(b, "dinas", 0);
      position(b, "kepala_dinas", "jpt_pratama", b, 0);
      unit(b + 1, "bidang", b);
      position(b + 1, "kepala_bidang", "administrator", b + 1, b);
      unit(b + 2, "seksi", b + 1);
      position(b + 2, "kepala_seksi", "pengawas", b + 2, b + 1);
      sep(delegations);
      delegations += R"({"from": ")" + x + ".p" + std::to_string(b + 1) + R"(", "to": ")" + x + ".p" +
                     std::to_string(20 + d) + R"(", "authority": "penilai_kinerja", "basis": "SK )" +
                     std::to_string(d) + "\"}";
      sep(teams);
      teams += R"({"id": ")" + x + ".t" + std::to_string(d) + R"(", "name": "Tim", "owner_unit": ")" + x + ".u" +
               std::to_string(b + 1) + R"(", "ketua": ")" + x + ".p" + std::to_string(20 + d) + R"(", "anggota": [")" +
               x + ".p" + std::to_string(24 + d) + R"("], "target": {"nilai": )" + std::to_string(d) + "}}";
    }
    for (int p = 14; p < per; ++p) {
      const int seksi = 4 + 3 * (p % 4);
      position(p, p % 2 == 0 ? "fungsional" : "pelaksana", p % 2 == 0 ? "fungsional" : "pelaksana", seksi, seksi);
    }
  }
  return "{\"schema\": \"perwal-org/1\",\n\"instansi\": [\n" + inst + "],\n\"units\": [\n" + units +
         "],\n\"positions\": [\n" + positions + "],\n\"employees\": [\n" + employees + "],\n\"delegations\": [\n" +
         delegations + "],\n\"teams\": [\n" + teams + "]}\n";
}

}  // namespace

TEST_CASE("a snapshot's checksum is XXH3, the same whatever vector unit computes it", "[org][snapshot]") {
  // A file written on one processor is read on another: the library's
  // dispatch must not change the hash. Known values of XXH3-64 (seed 0),
  // empty, short and long (striped) input.
  using perwal::org::snapshot_detail::checksum;
  std::string long_text;
  for (int i = 0; i < 1000; ++i) long_text += static_cast<char>('a' + i % 26);
  CHECK(checksum("", 0) == 0x2d06800538d394c2ULL);
  CHECK(checksum("perwal", 6) == 0x80676577433d0728ULL);
  CHECK(checksum(long_text.data(), long_text.size()) == 0xe153425558d7da5dULL);
}

TEST_CASE("a snapshot loads back to the same org", "[org][scale][snapshot]") {
  for (const auto& c : bundled_orgs()) {
    INFO(c.org.string());
    const auto rules = compile(c.rules);
    diagnostics errors;
    const auto json = org_graph::load_file(c.org.string(), rules->vocab, rules->shape, errors);
    REQUIRE(json);
    const temp_file snap("roundtrip.snap");
    REQUIRE(json->write_snapshot(snap.path.string(), c.org.string(), rules->vocab, rules->shape, errors));
    const auto back = org_graph::load_file(snap.path.string(), rules->vocab, rules->shape, errors);
    INFO(text_of(errors));
    REQUIRE(back);
    CHECK(back->canonical_dump() == json->canonical_dump());
    // While `back` holds the address the file is prelinked for, a second
    // load of it is mapped elsewhere and its records relocated: both paths.
    CHECK(back->records_mapped());
    const auto direct = org_graph::load_snapshot(snap.path.string(), rules->vocab, rules->shape, errors);
    REQUIRE(direct);
    CHECK_FALSE(direct->records_mapped());
    CHECK(direct->canonical_dump() == json->canonical_dump());
    // A position id of at most 16 bytes lives in its record, and beside
    // each slot of the id table lies the atasan of the position in it (both
    // so that a lookup waits for fewer cache misses): on all three loads,
    // and neither changes what is found.
    for (const auto* g : {json.get(), back.get(), direct.get()}) {
      CHECK_THAT(g->canonical_dump(), Catch::Contains("position slot hints off: 0\n"));
      std::size_t in_record = 0;
      for (org_index i = 0; i < g->positions().size(); ++i) {
        const auto& p = g->positions()[i];
        const bool short_id = p.id.size() <= 16;
        CHECK((p.id.data() == p.id_inline.data()) == short_id);
        in_record += short_id ? 1 : 0;
        CHECK(g->find_position(p.id) == i);
      }
      CHECK(in_record > 0);
      // Asking for many positions' records at once (ids, NIPs, unknown and
      // empty ids, more than one batch of 16) is a hint only: every lookup
      // after it answers as before.
      std::vector<std::string_view> asked;
      for (const auto& p : g->positions()) asked.push_back(p.id);
      for (const auto& e : g->employees()) asked.push_back(e.nip);
      asked.insert(asked.end(), {"", "no-such-position", "x"});
      std::vector<org_index> found;
      for (const auto id : asked) found.push_back(g->find_position(id));
      // Units beside them (more than the four asked for, unknown and empty ids too).
      std::vector<std::string_view> units;
      for (const auto& u : g->units()) units.push_back(u.id);
      units.insert(units.begin(), {"", "no-such-unit"});
      std::vector<org_index> found_units;
      for (const auto id : units) found_units.push_back(g->find_unit(id));
      g->prefetch_positions(asked, units);
      for (std::size_t k = 0; k < asked.size(); ++k) CHECK(g->find_position(asked[k]) == found[k]);
      // Without their atasan (all, or all but the first few): the same answers.
      for (const std::size_t with_atasan : {std::size_t{0}, std::size_t{3}, std::size_t{17}}) {
        g->prefetch_positions(asked, units, with_atasan);
        for (std::size_t k = 0; k < asked.size(); ++k) {
          CHECK(g->find_position(asked[k], org_graph::with_atasan::no) == found[k]);
        }
      }
      // Each id's hash written on the way (ids, NIPs, unknown ones, past one
      // batch of 16): a lookup with it finds what a lookup without it finds.
      std::vector<std::uint64_t> hashes(asked.size(), 0);
      g->prefetch_positions(asked, units, 5, hashes);
      for (std::size_t k = 0; k < asked.size(); ++k) {
        CHECK(g->find_position(asked[k], hashes[k]) == found[k]);
        CHECK(g->find_position(asked[k], hashes[k], org_graph::with_atasan::no) == found[k]);
      }
      CHECK(g->find_position(asked[0], hashes[1]) != found[0]);  // the hash does decide where the search looks
      std::vector<std::uint64_t> too_few(asked.size() - 1);
      CHECK_THROWS_AS(g->prefetch_positions(asked, units, 5, too_few), std::invalid_argument);
      for (std::size_t k = 0; k < units.size(); ++k) CHECK(g->find_unit(units[k]) == found_units[k]);
      CHECK(found.back() == perwal::org::none);
      CHECK(found_units[1] == perwal::org::none);
      g->prefetch_positions({}, units);  // units alone
      CHECK(g->find_unit(units[2]) == found_units[2]);
    }
  }
  org_graph empty;
  const std::array<std::string_view, 2> ids{"a", ""};
  empty.prefetch_positions(ids, ids);  // no table yet: nothing to ask for
  std::array<std::uint64_t, 2> hashes{};
  empty.prefetch_positions(ids, {}, 2, hashes);  // but each id's hash, still
  CHECK(empty.find_position("a", hashes[0]) == perwal::org::none);
  CHECK(hashes[0] != hashes[1]);
  CHECK(empty.find_position("a") == perwal::org::none);
  CHECK(empty.find_unit("a") == perwal::org::none);
}

// A position id of at most 16 bytes is kept in its record (the other
// checks are in the test above): one byte more or less, or another last
// byte, is another id.
TEST_CASE("position ids of 15, 16 and 17 bytes that share their first bytes are told apart", "[org][scale]") {
  const auto rules = compile(source_dir() / "rulesets/permenpanrb-7-2022.perwal");
  const std::string doc = R"({"schema": "perwal-org/1",
    "instansi": [{"id": "kota-x", "name": "Pemerintah Kota X", "pejabat_berwenang": "x.walikota"}],
    "units": [
      {"id": "x.pemda", "name": "Pemerintah Kota X", "kind": "pemerintah_daerah", "parent": null, "instansi": "kota-x", "head": "x.walikota"},
      {"id": "x.setda", "name": "Sekretariat Daerah", "kind": "sekretariat_daerah", "parent": "x.pemda", "head": "x.sekda"}],
    "positions": [
      {"id": "x.walikota", "title": "Wali Kota", "kind": "kepala_daerah", "jenis": "kepala_daerah", "unit": "x.pemda", "atasan": null},
      {"id": "x.sekda", "title": "Sekretaris Daerah", "kind": "sekretaris_daerah", "jenis": "jpt_madya", "unit": "x.setda", "atasan": "x.walikota"},
      {"id": "x.analis-123456", "title": "Analis", "kind": "fungsional", "jenis": "fungsional", "jenjang": "ahli_muda", "unit": "x.setda", "atasan": "x.sekda"},
      {"id": "x.analis-1234567", "title": "Analis", "kind": "fungsional", "jenis": "fungsional", "jenjang": "ahli_muda", "unit": "x.setda", "atasan": "x.sekda"},
      {"id": "x.analis-12345678", "title": "Analis", "kind": "fungsional", "jenis": "fungsional", "jenjang": "ahli_muda", "unit": "x.setda", "atasan": "x.sekda"}]})";
  diagnostics errors;
  const auto g = org_graph::load(doc, "inline.json", rules->vocab, rules->shape, errors);
  INFO(text_of(errors));
  REQUIRE(g);
  for (const std::string id : {"x.analis-123456", "x.analis-1234567", "x.analis-12345678"}) {
    INFO(id);
    const auto k = g->find_position(id);
    REQUIRE(k != perwal::org::none);
    CHECK(g->positions()[k].id == id);
    CHECK((g->positions()[k].id.data() == g->positions()[k].id_inline.data()) == (id.size() <= 16));
  }
  for (const std::string other : {"x.analis-1234", "x.analis-12345679", "x.analis-123456789", "x.analis-1234568"}) {
    INFO(other);
    CHECK(g->find_position(other) == perwal::org::none);
  }
}

TEST_CASE("a title borne by many positions is kept once, in the org and in its snapshot", "[org][scale][snapshot]") {
  const auto c = bundled_orgs().front();  // Padang Panjang
  const auto rules = compile(c.rules);
  diagnostics errors;
  const auto json = org_graph::load_file(c.org.string(), rules->vocab, rules->shape, errors);
  REQUIRE(json);
  const temp_file snap("titles.snap");
  REQUIRE(json->write_snapshot(snap.path.string(), c.org.string(), rules->vocab, rules->shape, errors));
  const auto back = org_graph::load_file(snap.path.string(), rules->vocab, rules->shape, errors);
  REQUIRE(back);
  REQUIRE(back->records_mapped());
  for (const auto* g : {json.get(), back.get()}) {
    std::map<std::string_view, const char*> first;  // a title's text -> the bytes its first bearer views
    std::size_t repeated = 0, copies = 0;
    for (const auto& p : g->positions()) {
      if (p.title.empty()) continue;
      const auto [it, fresh] = first.emplace(p.title, p.title.data());
      if (fresh) continue;
      ++repeated;
      copies += p.title.data() != it->second ? 1 : 0;
    }
    CHECK(repeated > 0);
    CHECK(copies == 0);
  }
}

TEST_CASE("a snapshot's team fields are parsed when first read, once, from any thread", "[org][scale][snapshot]") {
  const auto c = bundled_orgs().front();  // Padang Panjang: 15 teams
  const auto rules = compile(c.rules);
  diagnostics errors;
  const auto json = org_graph::load_file(c.org.string(), rules->vocab, rules->shape, errors);
  REQUIRE(json);
  REQUIRE(json->teams().size() >= 10);
  const temp_file snap("teams.snap");
  REQUIRE(json->write_snapshot(snap.path.string(), c.org.string(), rules->vocab, rules->shape, errors));
  const auto back = org_graph::load_file(snap.path.string(), rules->vocab, rules->shape, errors);
  REQUIRE(back);
  // Four threads read every team's fields at once; each sees what the JSON load built.
  std::vector<std::string> seen(4);
  std::vector<std::thread> readers;
  for (std::size_t t = 0; t < seen.size(); ++t) {
    readers.emplace_back([&, t] {
      for (const auto& team : back->teams()) seen[t] += team.extra.get().dump() + team.target.nilai.get().dump();
    });
  }
  for (auto& r : readers) r.join();
  std::string expected;
  for (const auto& team : json->teams()) expected += team.extra.get().dump() + team.target.nilai.get().dump();
  for (const auto& s : seen) CHECK(s == expected);
  // the same value object on every read: parsed once
  CHECK(&back->teams()[0].extra.get() == &back->teams()[0].extra.get());
}

TEST_CASE("a snapshot keeps a team's fields however deeply they nest", "[org][scale][snapshot]") {
  // The load checks team JSON with the org reader's tokenizer, which tracks
  // 16 levels; deeper values (the loaders allow 64) are decided by nlohmann.
  const auto c = bundled_orgs().front();
  const auto rules = compile(c.rules);
  auto doc = nlohmann::json::parse(slurp(c.org));
  REQUIRE_FALSE(doc["teams"].empty());
  nlohmann::json deep = "dasar";
  for (int k = 0; k < 40; ++k) deep = nlohmann::json::array({deep, k});
  doc["teams"][0]["catatan"] = deep;
  const temp_file org("deep-team.json"), snap("deep-team.snap");
  write_bytes(org.path, doc.dump());
  diagnostics errors;
  const auto json = org_graph::load_file(org.path.string(), rules->vocab, rules->shape, errors);
  INFO(text_of(errors));
  REQUIRE(json);
  REQUIRE(json->teams()[0].extra.get().contains("catatan"));
  REQUIRE(json->write_snapshot(snap.path.string(), org.path.string(), rules->vocab, rules->shape, errors));
  const auto back = org_graph::load_file(snap.path.string(), rules->vocab, rules->shape, errors);
  REQUIRE(back);
  CHECK(back->teams()[0].extra.get() == json->teams()[0].extra.get());
  CHECK(back->canonical_dump() == json->canonical_dump());
}

TEST_CASE("perwal audit says the same from the JSON and from the snapshot", "[org][scale][snapshot][cli]") {
  for (const auto& c : bundled_orgs()) {
    INFO(c.org.string());
    const temp_file snap("audit.snap");
    int status = 0;
    const std::string compiled =
        run("compile-org '" + c.org.string() + "' --rules '" + c.rules.string() + "' -o '" + snap.path.string() + "'",
            status);
    INFO(compiled);
    REQUIRE(status == 0);
    int from_json = 0, from_snap = 0;
    const std::string rules = " --rules '" + c.rules.string() + "' --format json";
    const std::string a = run("audit --org '" + c.org.string() + "'" + rules, from_json);
    const std::string b = run("audit --org '" + snap.path.string() + "'" + rules, from_snap);
    CHECK(from_json == from_snap);
    CHECK(a == b);
  }
}

namespace {

// A snapshot edited the way a forger would: sections changed in place, then
// every checksum made right again, so only the reader's own checks stand.
struct forgery {
  std::string bytes;
  perwal::org::snapshot_detail::header h{};
  std::vector<perwal::org::snapshot_detail::section_entry> table;

  explicit forgery(std::string b) : bytes(std::move(b)) {
    std::memcpy(&h, bytes.data(), sizeof h);
    table.resize(h.section_count);
    std::memcpy(table.data(), bytes.data() + sizeof h, table.size() * sizeof table[0]);
  }
  char* payload() { return bytes.data() + sizeof h + table.size() * sizeof table[0]; }
  perwal::org::snapshot_detail::section_entry& entry(std::uint32_t id) {
    for (auto& e : table) {
      if (e.id == id) return e;
    }
    FAIL("no section " << id);
    return table.front();
  }
  template <class T>
  T* items(std::uint32_t id) {
    return reinterpret_cast<T*>(payload() + entry(id).offset);
  }
  std::string sealed() {
    for (auto& e : table)
      e.checksum = perwal::org::snapshot_detail::checksum(payload() + e.offset, e.count * e.elem_size);
    h.table_checksum = perwal::org::snapshot_detail::table_checksum(h, table);
    std::memcpy(bytes.data(), &h, sizeof h);
    std::memcpy(bytes.data() + sizeof h, table.data(), table.size() * sizeof table[0]);
    return bytes;
  }
};

}  // namespace

TEST_CASE("a damaged or foreign snapshot is refused, never trusted", "[org][scale][snapshot]") {
  const auto c = bundled_orgs().back();  // the cross org: small
  const auto rules = compile(c.rules);
  diagnostics errors;
  const auto org = org_graph::load_file(c.org.string(), rules->vocab, rules->shape, errors);
  REQUIRE(org);
  const temp_file good("good.snap"), bad("bad.snap");
  REQUIRE(org->write_snapshot(good.path.string(), c.org.string(), rules->vocab, rules->shape, errors));
  const std::string bytes = slurp(good.path);
  REQUIRE(bytes.size() > 1000);

  const auto refused = [&](const std::string& damaged) -> std::string {
    write_bytes(bad.path, damaged);
    diagnostics errs;
    const auto g = org_graph::load_file(bad.path.string(), rules->vocab, rules->shape, errs);
    if (g) return "";
    REQUIRE(!errs.empty());
    // a damaged magic makes it JSON to the loader: then a syntax error at 1:1
    CHECK(errs.items()[0].at.where().rfind(bad.path.string(), 0) == 0);
    return errs.items()[0].message_text();
  };

  SECTION("truncated anywhere") {
    for (std::size_t n = 8; n < bytes.size(); n += (n < 200 ? 1 : 97)) {
      INFO(n);
      const std::string why = refused(bytes.substr(0, n));
      CHECK_THAT(why, Catch::Contains("truncated"));
    }
  }
  SECTION("a byte changed anywhere") {
    for (std::size_t k = 0; k < bytes.size(); k += (k < 200 ? 1 : 101)) {
      INFO(k);
      std::string damaged = bytes;
      damaged[k] = static_cast<char>(damaged[k] ^ 0x5A);
      CHECK_FALSE(refused(damaged).empty());
    }
  }
  SECTION("a byte changed in any section is a checksum mismatch, even where the content check fails too") {
    // Checksums are verified while the records are read: a damaged section
    // whose content also fails a range check must still be reported as
    // corrupt (the checksum decides), never loaded.
    const forgery f(bytes);
    const std::size_t payload_at = sizeof f.h + f.table.size() * sizeof f.table[0];
    std::size_t sections_seen = 0;
    for (const auto& e : f.table) {
      const std::size_t n = e.count * e.elem_size;
      if (n == 0) continue;
      ++sections_seen;
      for (const std::size_t k : {std::size_t{0}, n / 2, n - 1}) {
        for (const int bit : {0x01, 0x80}) {
          INFO("section " << e.id << " byte " << k << " bit " << bit);
          std::string damaged = bytes;
          char& flipped = damaged[payload_at + e.offset + k];
          flipped = static_cast<char>(flipped ^ bit);
          CHECK(refused(damaged) == "checksum mismatch (corrupt snapshot)");
        }
      }
    }
    CHECK(sections_seen >= 20);
  }
  SECTION("each reason in words") {
    CHECK(refused(bytes + "x").find("unexpected bytes") != std::string::npos);
    std::string other = bytes;
    other[8] = 9;  // the format version
    CHECK(refused(other) == "snapshot format 9, this perwal reads format 8 — run perwal compile-org again");
    other[8] = 7;  // format 7: the sections' checksums the scalar hash, not XXH3
    CHECK(refused(other) == "snapshot format 7, this perwal reads format 8 — run perwal compile-org again");
    other[8] = 6;  // format 6: no pimpinan unit in the position records
    CHECK(refused(other) == "snapshot format 6, this perwal reads format 8 — run perwal compile-org again");
    other[8] = 5;  // format 5: position ids all in the string table, no atasan hints
    CHECK(refused(other) == "snapshot format 5, this perwal reads format 8 — run perwal compile-org again");
    other[8] = 4;  // format 4: units converted on load, not prelinked
    CHECK(refused(other) == "snapshot format 4, this perwal reads format 8 — run perwal compile-org again");
    other[8] = 3;  // format 3: positions and employees converted on load, not prelinked
    CHECK(refused(other) == "snapshot format 3, this perwal reads format 8 — run perwal compile-org again");
    CHECK(refused(other.substr(0, 70)) ==
          "snapshot format 3, this perwal reads format 8 — run perwal compile-org again");  // shorter than a header
    std::string flipped = bytes;
    flipped[bytes.size() / 2] = static_cast<char>(flipped[bytes.size() / 2] ^ 1);
    CHECK(refused(flipped) == "checksum mismatch (corrupt snapshot)");
    diagnostics errs;
    const auto under_jambi = compile(source_dir() / "rulesets/jambi-13-2025.perwal");
    CHECK_FALSE(org_graph::load_snapshot(good.path.string(), under_jambi->vocab, under_jambi->shape, errs));
    REQUIRE(errs.items().size() == 1);
    CHECK_THAT(errs.items()[0].message_text(), Catch::Contains("stale"));
    CHECK(errs.items()[0].code == "E108");
    errs = {};
    CHECK_FALSE(org_graph::load_snapshot(c.org.string(), rules->vocab, rules->shape, errs));
    REQUIRE(errs.items().size() == 1);
    CHECK(errs.items()[0].message_text() == "not a perwal snapshot");
    CHECK(errs.items()[0].message_text(perwal::lang::id) == "bukan snapshot perwal");
    CHECK(refused("").find("perwal-org") == std::string::npos);  // empty: a JSON syntax error, not a crash
  }
  SECTION("forged with valid checksums: every index, code and string is checked") {
    namespace sd = perwal::org::snapshot_detail;
    {  // a unit's kind outside the vocabulary (it indexes the labels when rendered)
      forgery f(bytes);
      f.items<perwal::org::unit>(sd::s_units)[0].kind = 60000;
      CHECK(refused(f.sealed()) == "malformed snapshot: unit kind");
    }
    {  // a position's jenis that is a code of another category (a unit kind)
      forgery f(bytes);
      f.items<perwal::org::position>(sd::s_positions)[0].jenis = f.items<perwal::org::unit>(sd::s_units)[0].kind;
      CHECK(refused(f.sealed()) == "malformed snapshot: position jenis");
    }
    {  // a build that lays its records out otherwise
      forgery f(bytes);
      f.h.layout ^= 1;
      CHECK(refused(f.sealed()) ==
            "snapshot written by a perwal build that lays out its records otherwise — run perwal compile-org again");
    }
    {  // a long position id pointing past the string table (its records are used where they lie)
      forgery f(bytes);
      auto* records = f.items<perwal::org::position>(sd::s_positions);
      auto* long_id = std::find_if(records, records + f.entry(sd::s_positions).count,
                                   [](const perwal::org::position& p) { return !perwal::org::inline_id(p.id); });
      REQUIRE(long_id != records + f.entry(sd::s_positions).count);
      long_id->id = std::string_view(long_id->id.data() + f.entry(sd::s_strings).count, long_id->id.size());
      CHECK(refused(f.sealed()) == "malformed snapshot: string outside the string table");
    }
    {  // a short position id viewing bytes other than its record's own (here the next record's)
      forgery f(bytes);
      auto& p = f.items<perwal::org::position>(sd::s_positions)[0];
      REQUIRE(perwal::org::inline_id(p.id));
      p.id = std::string_view(p.id.data() + sizeof(perwal::org::position), p.id.size());
      CHECK(refused(f.sealed()) == "malformed snapshot: position id outside its record");
    }
    {  // a short position id that is not UTF-8
      forgery f(bytes);
      auto& p = f.items<perwal::org::position>(sd::s_positions)[0];
      REQUIRE(perwal::org::inline_id(p.id));
      p.id_inline[0] = static_cast<char>(0xC3);
      p.id_inline[1] = 'x';
      CHECK(refused(f.sealed()) == "malformed snapshot: string not UTF-8");
    }
    {  // an employee's name pointing before it
      forgery f(bytes);
      auto& e = f.items<perwal::org::employee>(sd::s_employees)[0];
      e.name = std::string_view(e.name.data() - (std::uintptr_t{1} << 40), e.name.size());
      CHECK(refused(f.sealed()) == "malformed snapshot: string outside the string table");
    }
    {  // a flag byte that is no bool
      forgery f(bytes);
      auto* p = f.items<char>(sd::s_positions);
      p[offsetof(perwal::org::position, receives_delegation)] = 2;
      CHECK(refused(f.sealed()) == "malformed snapshot: position receives_delegation");
    }
    {  // a flag that says a delegation where the index has none
      forgery f(bytes);
      auto* p = f.items<perwal::org::position>(sd::s_positions);
      const auto n = f.entry(sd::s_positions).count;
      const auto* first = f.items<std::uint32_t>(sd::s_delegation_first);
      std::size_t k = 0;
      while (k < n && first[k + 1] > first[k]) ++k;
      REQUIRE(k < n);
      reinterpret_cast<char*>(p + k)[offsetof(perwal::org::position, receives_delegation)] = 1;
      CHECK(refused(f.sealed()) == "malformed snapshot: position receives_delegation");
    }
    {  // a pimpinan unit other than the one its unit names
      forgery f(bytes);
      auto& p = f.items<perwal::org::position>(sd::s_positions)[0];
      p.pimpinan_unit = p.pimpinan_unit == 0 ? 1 : 0;
      CHECK(refused(f.sealed()) == "malformed snapshot: position pimpinan unit");
    }
    {  // a tag list pointing between two tags (Padang Panjang tags positions; the cross org only units)
      const auto pp = bundled_orgs().front();
      REQUIRE(pp.org.string().find("padang-panjang") != std::string::npos);
      const auto pp_rules = compile(pp.rules);
      const auto pp_org = org_graph::load_file(pp.org.string(), pp_rules->vocab, pp_rules->shape, errors);
      REQUIRE(pp_org);
      const temp_file pp_snap("tags.snap");
      REQUIRE(pp_org->write_snapshot(pp_snap.path.string(), pp.org.string(), pp_rules->vocab, pp_rules->shape, errors));
      forgery f(slurp(pp_snap.path));
      auto* p = f.items<perwal::org::position>(sd::s_positions);
      const auto n = f.entry(sd::s_positions).count;
      std::size_t k = 0;
      while (k < n && p[k].tags.empty()) ++k;
      REQUIRE(k < n);  // the org tags some position
      p[k].tags = {reinterpret_cast<const std::string_view*>(reinterpret_cast<const char*>(p[k].tags.data()) + 1),
                   p[k].tags.size()};
      write_bytes(bad.path, f.sealed());
      diagnostics errs;
      CHECK_FALSE(org_graph::load_file(bad.path.string(), pp_rules->vocab, pp_rules->shape, errs));
      REQUIRE(errs.items().size() == 1);
      CHECK(errs.items()[0].message_text() == "malformed snapshot: tags outside the tag table");
    }
    {  // a team's object that is no object: checked when loaded, though parsed only when read
      forgery f(bytes);
      REQUIRE(f.entry(sd::s_teams).count > 0);
      const auto extra = f.items<sd::team_rec>(sd::s_teams)[0].extra;
      char& first = f.items<char>(sd::s_strings)[extra.offset];
      REQUIRE(first == '{');
      first = '[';
      CHECK(refused(f.sealed()) == "malformed snapshot: team JSON");
    }
    {  // an employee index past the employees (checked by the helper thread, after the employees)
      forgery f(bytes);
      REQUIRE(f.entry(sd::s_employee_by_position).count > 0);
      f.items<std::uint32_t>(sd::s_employee_by_position)[0] =
          static_cast<std::uint32_t>(f.entry(sd::s_employees).count);
      CHECK(refused(f.sealed()) == "malformed snapshot: employee by position");
    }
    {  // a position not one deeper than its atasan (a chain that could be a cycle)
      forgery f(bytes);
      f.items<perwal::org::position>(sd::s_positions)[0].depth += 7;
      CHECK(refused(f.sealed()) == "malformed snapshot: atasan chains");
    }
    {  // a unit not one deeper than its parent
      forgery f(bytes);
      f.items<perwal::org::unit>(sd::s_units)[0].depth += 7;
      CHECK(refused(f.sealed()) == "malformed snapshot: unit parents");
    }
    {  // a delegation's authority out of range
      forgery f(bytes);
      REQUIRE(f.entry(sd::s_delegations).count > 0);
      f.items<sd::delegation_rec>(sd::s_delegations)[0].authority = 65535;
      CHECK(refused(f.sealed()) == "malformed snapshot: delegation authority");
    }
    {  // bytes that are not UTF-8 in the string table
      forgery f(bytes);
      const auto id = f.items<sd::team_rec>(sd::s_teams)[0].id;
      f.items<char>(sd::s_strings)[id.offset] = static_cast<char>(0xFF);
      CHECK(refused(f.sealed()) == "malformed snapshot: string table not UTF-8");
    }
    {  // no section table at all (found by fuzz_snapshot: a copy from a null table under UBSan)
      forgery f(bytes);
      f.h.section_count = 0;
      f.table.clear();
      const std::string damaged = f.sealed().substr(0, sizeof f.h) + bytes.substr(sizeof f.h);
      CHECK_FALSE(refused(damaged).empty());
    }
    {  // the positions-by-unit list one shorter than the units' ranges say: read past its end before
      forgery f(bytes);
      auto& list = f.entry(sd::s_positions_by_unit_pre);
      REQUIRE(list.count > 0);
      --list.count;
      std::memset(f.payload() + list.offset + list.count * sizeof(std::uint32_t), 0, sizeof(std::uint32_t));
      auto& first = f.entry(sd::s_unit_first_pos);
      auto* offsets = f.items<std::uint32_t>(sd::s_unit_first_pos);
      offsets[first.count - 1] -= 1;  // the CSR's end matches the shorter list
      CHECK(refused(f.sealed()) == "malformed snapshot: positions by unit");
    }
  }
}

TEST_CASE("a mid-sized synthetic org through every path", "[org][scale]") {
  const auto rules = compile(source_dir() / "rulesets/permenpanrb-7-2022.perwal");
  const std::string text = synthetic_org(10, 2000);
  diagnostics errors;
  const auto ref = org_graph::load_reference(text, "synthetic.json", rules->vocab, rules->shape, errors);
  INFO(text_of(errors));
  REQUIRE(ref);
  CHECK(ref->positions().size() == 20000);
  const auto streamed = org_graph::load_streaming(text, rules->vocab, rules->shape);
  REQUIRE(streamed);
  const std::string dump = ref->canonical_dump();
  CHECK(streamed->canonical_dump() == dump);
  const temp_file json("synthetic.json"), snap("synthetic.snap");
  write_bytes(json.path, text);
  const auto from_file = org_graph::load_file(json.path.string(), rules->vocab, rules->shape, errors);
  REQUIRE(from_file);
  CHECK(from_file->canonical_dump() == dump);
  REQUIRE(from_file->write_snapshot(snap.path.string(), json.path.string(), rules->vocab, rules->shape, errors));
  const auto back = org_graph::load_file(snap.path.string(), rules->vocab, rules->shape, errors);
  REQUIRE(back);
  CHECK(back->canonical_dump() == dump);
  // lookups agree with the items
  for (org_index p = 0; p < back->positions().size(); p += 997) {
    CHECK(back->find_position(back->positions()[p].id) == p);
    CHECK(back->find_position(back->employees()[p].nip) == back->employees()[p].position);
  }
}
