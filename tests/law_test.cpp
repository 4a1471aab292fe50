// The regulations' texts split into articles (engine/law), every bundled
// cite checked against them, and the law quoted where it is cited: CLI
// --explain and --quote, the server's ?quote=1.
#include "engine/law/law.hpp"

#include <catch2/catch.hpp>

#include "engine/compile/json_schema.hpp"
#include "engine/compile/ruleset.hpp"
#include "explore_support.hpp"
#include "server_support.hpp"

namespace {

perwal::law::text read_text(const std::vector<std::string>& files) {
  perwal::law::text t;
  for (const auto& f : files) {
    const auto path = perwal::testing::source_dir() / f;
    auto restore = path;
    restore.replace_extension(".restore");
    const auto restorations = fs::exists(restore) ? perwal::testing::slurp(restore) : std::string();
    t.add_file(perwal::testing::slurp(path), restorations, f, restore.string());
  }
  return t;
}

std::string words_of(const perwal::law::text& t, const std::string& citation) {
  const auto* a = t.find(citation);
  return a ? t.full_text(*a) : std::string("(no such article: " + citation + ")");
}

// Compiles `text` as a ruleset beside the bundled ones (its `text` header resolves from rulesets/).
std::pair<std::shared_ptr<const perwal::compiled_ruleset>, perwal::diagnostics> compile_beside(
    const std::string& name, const std::string& text) {
  perwal::diagnostics diags;
  const auto dir = perwal::testing::source_dir() / "rulesets";
  auto r = perwal::compile_ruleset_text((dir / name).string(), text, dir, diags);
  return {r, diags};
}

}  // namespace

TEST_CASE("law: each regulation's text splits into its Pasal and Lampiran", "[law]") {
  const auto pp = read_text(
      {"regulations/padang-panjang-48-2024-batang-tubuh.txt", "regulations/padang-panjang-48-2024-lampiran.txt"});
  const auto bkt = read_text({"regulations/bukittinggi-rancangan-sistem-kerja.txt"});
  const auto jambi = read_text({"regulations/jambi-13-2025.txt"});
  const auto pas = read_text({"regulations/pasuruan-41-2023-lampiran.txt"});
  for (const auto* t : {&pp, &bkt, &jambi, &pas}) CHECK(t->errors().empty());
  // The counts regulations/README.md gives for each text.
  CHECK(pp.count("pasal") == 18);
  CHECK(pp.count("lampiran") == 5);
  CHECK(bkt.count("pasal") == 20);
  CHECK(bkt.count("lampiran") == 2);
  // Jambi's body as printed has no Pasal 19 (Pasal 18 is followed by Pasal 20; docs/readings/jambi-13-2025.md).
  CHECK(jambi.count("pasal") == 20);
  CHECK(jambi.find("Pasal 19") == nullptr);
  CHECK(jambi.find("Pasal 21") != nullptr);
  CHECK(jambi.count("lampiran") == 1);
  CHECK(pas.count("pasal") == 0);
  CHECK(pas.count("lampiran") == 3);
  // Pasal run 1..N in order, none twice.
  for (const auto* t : {&pp, &bkt}) {
    int expected = 1;
    for (const auto& a : t->articles()) {
      if (a.path.size() == 1 && a.path[0].key == "pasal") CHECK(a.path[0].value == std::to_string(expected++));
    }
  }

  // Specific articles' words.
  CHECK(words_of(pp, "Pasal 1 angka 3") == "Wali Kota adalah Wali Kota Padang Panjang.");
  CHECK(words_of(pp, "Pasal 5 ayat (1)").starts_with("Pejabat Fungsional dan pelaksana berkedudukan di bawah"));
  // Restored: the heading "Pasal 13" is missing from the text (Pasal 14 refers to it).
  CHECK(words_of(pp, "Pasal 13 ayat (1)") ==
        "Pejabat Fungsional dan pelaksana yang berperan sebagai anggota tim kerja melaporkan pelaksanaan tugas "
        "kepada ketua tim.");
  CHECK(words_of(pp, "Pasal 12").starts_with("Pejabat Fungsional dan pelaksana yang ditugaskan secara individu"));
  CHECK(pp.find("Pasal 12 ayat (1)") == nullptr);
  // An unmarked item numbered by its position between marked ones.
  CHECK(words_of(pp, "Lampiran II angka I huruf A angka 2 huruf a angka 7") ==
        "kepala bagian merumuskan strategi pencapaian target kinerjanya;");
  CHECK(words_of(bkt, "Pasal 7 ayat (1) huruf f") == "pemanfaatan teknologi informasi dan komunikasi.");
  CHECK(words_of(bkt, "Pasal 10 ayat (1) huruf b") == "pengajuan sukarela.");
  CHECK(words_of(jambi, "Pasal 21").find("mulai berlaku") != std::string::npos);
  CHECK(words_of(pas, "Lampiran I huruf B angka 2 huruf A angka 2 huruf d angka 3") ==
        "melaporkan hasil kinerjanya kepada ketua tim.");
  // "angka 1" finds an item printed "1)"; a Lampiran without a number is "Lampiran huruf A".
  CHECK(pas.find("Lampiran I huruf B angka 1 huruf b angka 1") != nullptr);
  CHECK(jambi.find("Lampiran huruf A angka 1") != nullptr);
  // Near misses are offered.
  CHECK(pp.nearest(perwal::law::parse_citation("Pasal 13 ayat (4)")).starts_with("Pasal 13 ayat ("));
  CHECK(pp.find("Pasal 19") == nullptr);
}

TEST_CASE("law: restorations are checked, and the text is cut where the signatures start", "[law]") {
  perwal::law::text t;
  t.add_file("Pasal 1\n(1) Satu.\nDua tanpa nomor.\nWALI KOTA CONTOH,\nttd\nPasal 2\nTiga.\n",
             "ayat (2) | Dua tanpa nomor.\nangka 9 | tidak ada baris ini\n", "x.txt", "x.restore");
  REQUIRE(t.errors().size() == 1);
  CHECK(t.errors()[0].line == 2);
  CHECK_THAT(t.errors()[0].message, Catch::Contains("tidak ada baris ini"));
  CHECK(words_of(t, "Pasal 1 ayat (2)") == "Dua tanpa nomor.");
  CHECK(words_of(t, "Pasal 1") == "(1) Satu. (2) Dua tanpa nomor.");  // no signature
  CHECK(words_of(t, "Pasal 2") == "Tiga.");
  CHECK(perwal::law::shorten(std::string(400, 'a') + " b", 300).size() <= 300);
  CHECK(perwal::law::shorten("kata kata kata kata", 12) == "kata kata…");
}

TEST_CASE("law: every cite of every bundled ruleset names an article of its text", "[law]") {
  std::size_t checked = 0;
  for (const auto* f : {"rulesets/padang-panjang-48-2024.perwal", "rulesets/bukittinggi-rancangan.perwal",
                        "rulesets/jambi-13-2025.perwal", "rulesets/pasuruan-41-2023.perwal",
                        "tests/fictional/perbup-contoh-99-2026.perwal"}) {
    INFO(f);
    perwal::diagnostics diags;
    perwal::compile_options options;
    options.search_path = {perwal::testing::source_dir() / "rulesets"};
    const auto r = perwal::compile_ruleset(perwal::testing::source_dir() / f, diags, options);
    INFO(perwal::testing::error_text(diags));
    REQUIRE(r);
    CHECK(!r->text_files.empty());
    std::size_t quoted = 0;
    for (const auto& c : r->cites) {
      if (c.where.file && c.where.file->name.ends_with(fs::path(f).filename().string()) && !c.quote.empty()) ++quoted;
    }
    CHECK(quoted > 5);
    checked += quoted;
  }
  CHECK(checked > 400);
  // The national base has no text: its cites are not checked and carry no quote.
  perwal::diagnostics diags;
  const auto base =
      perwal::compile_ruleset(perwal::testing::source_dir() / "rulesets/permenpanrb-7-2022.perwal", diags);
  REQUIRE(base);
  CHECK(base->text_files.empty());
  CHECK(base->quotes.empty());
}

TEST_CASE("law: a misspelt cite is an error at its line and column with the nearest article", "[law]") {
  auto text = perwal::testing::slurp(perwal::testing::source_dir() / "rulesets/padang-panjang-48-2024.perwal");
  const std::string good = "cite Pasal 13 ayat (1)";
  const auto at = text.find(good);
  REQUIRE(at != std::string::npos);
  text.replace(at, good.size(), "cite Pasal 13 ayat (4)");
  const auto [r, diags] = compile_beside("padang-panjang-48-2024.perwal", text);
  CHECK(!r);
  const auto errors = perwal::testing::error_lines(diags);
  REQUIRE(!diags.items().empty());
  const auto& d = diags.items().front();
  CHECK(d.code == "E073");
  std::size_t line = 1;
  for (std::size_t i = 0; i < at; ++i) line += text[i] == '\n';
  CHECK(d.at.range.begin.line == line);
  CHECK(d.at.range.begin.column == at - text.rfind('\n', at) + 5);  // at "Pasal", after "cite "
  CHECK_THAT(d.message_text(), Catch::Contains("\"Pasal 13 ayat (4)\" names no article"));
  REQUIRE(!d.notes.empty());
  CHECK_THAT(d.note_text(0), Catch::Contains("did you mean \"Pasal 13 ayat ("));

  // A missing text file is an error too; a `quote` of the ruleset's own is its quotation.
  const auto [r2, d2] = compile_beside("x.perwal", R"(ruleset x {
  cite_as "X"
  text "../regulations/no-such-file.txt"
  extends permenpanrb-7-2022
}
)");
  CHECK(!r2);
  REQUIRE(!d2.items().empty());
  CHECK(d2.items().front().code == "E071");
}

TEST_CASE("law: a ruleset's own quote for a text not in the repository", "[law]") {
  const auto [r, diags] = compile_beside("quoted.perwal", R"(ruleset quoted {
  cite_as "Perwal Contoh 1/2026"
  extends permenpanrb-7-2022
}
rule penugasan.contoh wajib on penugasan {
  cite Pasal 3 ayat (1) quote "Penugasan dilakukan secara tertulis."
  when assignee.jenis == fungsional
  require true
  message "Contoh."
}
)");
  INFO(perwal::testing::error_text(diags));
  REQUIRE(r);
  CHECK(perwal::quote_of(*r, "Perwal Contoh 1/2026, Pasal 3 ayat (1)") == "Penugasan dilakukan secara tertulis.");
  bool found = false;
  for (const auto* info : r->all_rules()) {
    if (info->name == "penugasan.contoh") {
      found = true;
      CHECK(perwal::quote_of(*r, *info) == "Penugasan dilakukan secara tertulis.");
    }
  }
  CHECK(found);
}

TEST_CASE("law: check --explain quotes the article, --quote adds \"quote\" to the JSON, the default has none",
          "[law][cli]") {
  temp_dir dir;
  const std::string query = R"({"type": "kedudukan", "position": "pp.dispangtan.penyuluh-pertanian-15"})";
  write_file(dir.path / "q.json", query);
  const std::string args =
      "check --rules " + pp_rules + " --org " + pp_org + " --query " + (dir.path / "q.json").string();
  const auto plain = perwal::testing::perwal_cli(args + " --format json");
  const auto quoted = perwal::testing::perwal_cli(args + " --format json --quote");
  const auto j = json::parse(plain.out);
  const auto q = json::parse(quoted.out);
  REQUIRE(!j["violations"].empty());
  CHECK(plain.out.find("\"quote\"") == std::string::npos);
  for (const auto& v : q["violations"]) {
    REQUIRE(v.contains("quote"));
    CHECK(!v["quote"].get<std::string>().empty());
    CHECK(v["quote"].get<std::string>().size() <= 2 * perwal::law_quote_max + 64);
  }
  // Apart from the quotes, the same decision.
  auto stripped = q;
  for (auto& v : stripped["violations"]) v.erase("quote");
  for (auto& v : stripped["warnings"]) v.erase("quote");
  for (auto& v : stripped["needs"]) v.erase("quote");
  for (auto& v : stripped["next"]) v.erase("quote");
  CHECK(stripped == j);

  const auto text = perwal::testing::perwal_cli(args + " --explain");
  const auto first = q["violations"][0]["quote"].get<std::string>();
  CHECK_THAT(text.out, Catch::Contains("«" + first.substr(0, first.find('\n')) + "»"));
  CHECK(perwal::testing::perwal_cli(args).out.find("«") == std::string::npos);
}

TEST_CASE("law: the server quotes on ?quote=1 only", "[law][server]") {
  temp_dir dir;
  server_process server(dir.path, pp_args());
  auto c = server.client();
  const std::string query = R"({"type": "kedudukan", "position": "pp.dispangtan.penyuluh-pertanian-15"})";
  const auto plain = post_json(c, "/v1/check", query);
  const auto quoted = post_json(c, "/v1/check?quote=1", query);
  REQUIRE(plain);
  REQUIRE(quoted);
  CHECK(plain->body.find("\"quote\"") == std::string::npos);
  const auto j = parse(quoted);
  REQUIRE(!j["violations"].empty());
  CHECK(!j["violations"][0]["quote"].get<std::string>().empty());
  const auto audit = parse(post_json(c, "/v1/audit?quote=1", "{}"));
  REQUIRE(!audit["violations"].empty());
  CHECK(audit["violations"][0].contains("quote"));
  CHECK(post_json(c, "/v1/audit", "{}")->body.find("\"quote\"") == std::string::npos);
  CHECK(server.stop(SIGTERM) == 0);
}

TEST_CASE("query: a field its type does not have is refused with its JSON path; the OpenAPI Query lists the fields",
          "[query][server]") {
  // The generated JSON Schema, the reader's list and the OpenAPI document agree, type by type.
  perwal::diagnostics diags;
  perwal::compile_options options;
  options.search_path = {perwal::testing::source_dir() / "rulesets"};
  const auto rules = perwal::compile_ruleset(perwal::testing::source_dir() / pp_rules, diags, options);
  REQUIRE(rules);
  const auto generated = *perwal::json_schema(*rules, "query");
  const auto openapi = json::parse(perwal::testing::slurp(perwal::testing::source_dir() / "server/openapi.json"));
  const auto& served = openapi["components"]["schemas"]["Query"]["oneOf"];
  REQUIRE(served.size() == generated["oneOf"].size());
  for (std::size_t i = 0; i < served.size(); ++i) {
    const auto type = generated["oneOf"][i]["properties"]["type"]["const"].get<std::string>();
    INFO(type);
    std::set<std::string> fields, in_schema, in_openapi;
    for (const auto& f : perwal::query_fields(type)) fields.insert(f);
    for (const auto& [k, v] : generated["oneOf"][i]["properties"].items()) in_schema.insert(k);
    for (const auto& [k, v] : served[i]["properties"].items()) in_openapi.insert(k);
    CHECK(served[i]["properties"]["type"]["enum"][0] == type);
    CHECK(fields == in_schema);
    CHECK(fields == in_openapi);
    CHECK(served[i]["additionalProperties"] == false);
    CHECK(served[i]["required"] == generated["oneOf"][i]["required"]);
  }

  temp_dir dir;
  server_process server(dir.path, pp_args());
  auto c = server.client();
  const auto r = post_json(c, "/v1/check", R"({"type": "kedudukan", "position": "pp.bag-org.analis-1", "atsan": "x"})");
  expect_error(r, 400, "bad_query", "atsan");
  const auto body = json::parse(r->body);
  CHECK_THAT(body.dump(), Catch::Contains("\"path\":\"atsan\"") && Catch::Contains("did you mean \\\"atasan\\\"?"));
  // In a batch the path names the query.
  const auto batch = post_json(c, "/v1/check", R"([{"type": "audit"}, {"type": "tim", "team": "t", "owner": 1}])");
  expect_error(batch, 400, "bad_query", "owner");
  CHECK_THAT(batch->body, Catch::Contains("[1].owner"));
  // "ruleset" is a field of every type.
  const auto named =
      post_json(c, "/v1/check",
                R"({"type": "kedudukan", "position": "pp.bag-org.analis-1", "ruleset": "padang-panjang-48-2024"})");
  REQUIRE(named);
  CHECK(named->status == 200);
  CHECK(server.stop(SIGTERM) == 0);
}

TEST_CASE("perwal law: the split listed, one article printed, bad input refused", "[law][cli]") {
  using perwal::testing::perwal_cli;
  const auto list = perwal_cli(
      "law regulations/padang-panjang-48-2024-batang-tubuh.txt regulations/padang-panjang-48-2024-lampiran.txt");
  CHECK(list.status == 0);
  CHECK_THAT(list.out, Catch::EndsWith("18 Pasal, 5 Lampiran, 399 articles\n"));
  CHECK_THAT(list.out,
             Catch::Contains("\n  Pasal 13 ayat (1)  regulations/padang-panjang-48-2024-batang-tubuh.txt:146"));
  const auto one = perwal_cli("law regulations/jambi-13-2025.txt --article \"Pasal 18 ayat (1)\"");
  CHECK(one.status == 0);
  CHECK(one.out ==
        "Pasal 18 ayat (1) (regulations/jambi-13-2025.txt:235)\n"
        "Ketua tim dapat diberikan tugas tambahan sebagai pejabat pelaksana teknis kegiatan.\n");
  const auto missing = perwal_cli("law regulations/jambi-13-2025.txt --article \"Pasal 19\"", true);
  CHECK(missing.status == 2);
  CHECK_THAT(missing.out, Catch::Contains("\"Pasal 19\" names no article (did you mean \"Pasal 18\"?)"));
  const auto no_file = perwal_cli("law regulations/no-such.txt", true);
  CHECK(no_file.status == 2);
  CHECK_THAT(no_file.out, Catch::Contains("cannot read regulations/no-such.txt: No such file"));
  CHECK(perwal_cli("law regulations", true).status == 2);
}
