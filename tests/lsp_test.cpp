// `perwal lsp` driven by a scripted JSON-RPC session over stdio: what an
// editor sends when a drafter opens a ruleset, mistypes, fixes, hovers.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "explore_support.hpp"
#include "test_support.hpp"

using json = nlohmann::json;

namespace {

std::string framed(const json& message) {
  const auto body = message.dump();
  return "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

// The server's messages, in order.
std::vector<json> messages_of(const std::string& out) {
  std::vector<json> all;
  std::size_t at = 0;
  while ((at = out.find("Content-Length: ", at)) != std::string::npos) {
    const auto length = std::stoul(out.substr(at + 16));
    const auto body = out.find("\r\n\r\n", at) + 4;
    all.push_back(json::parse(out.substr(body, length)));
    at = body + length;
  }
  return all;
}

const json* answer(const std::vector<json>& all, int id) {
  for (const auto& m : all) {
    if (m.contains("id") && m["id"] == id) return &m;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("perwal lsp: diagnostics as you type, hover, definition, symbols, formatting", "[lsp][cli]") {
  const auto path = perwal::testing::source_dir() / "tests/fictional/perbup-contoh-99-2026.perwal";
  const auto text = perwal::testing::slurp(path);
  const std::string uri = "file://" + path.string();
  std::string typo = text;
  typo.replace(typo.find("count(team.anggota)"), 5, "cout");
  const auto line = [&] {
    std::size_t n = 0;
    for (std::size_t i = 0; i < text.find("rule tim.jumlah_anggota"); ++i) n += text[i] == '\n';
    return n;
  }();
  const json at_rule = {{"textDocument", {{"uri", uri}}}, {"position", {{"line", line}, {"character", 8}}}};
  std::string session;
  for (const json& m : {json{{"jsonrpc", "2.0"}, {"id", 1}, {"method", "initialize"}, {"params", {{"locale", "en"}}}},
                        json{{"jsonrpc", "2.0"},
                             {"method", "textDocument/didOpen"},
                             {"params", {{"textDocument", {{"uri", uri}, {"languageId", "perwal"}, {"text", typo}}}}}},
                        json{{"jsonrpc", "2.0"},
                             {"method", "textDocument/didChange"},
                             {"params", {{"textDocument", {{"uri", uri}}}, {"contentChanges", {{{"text", text}}}}}}},
                        json{{"jsonrpc", "2.0"}, {"id", 2}, {"method", "textDocument/hover"}, {"params", at_rule}},
                        json{{"jsonrpc", "2.0"}, {"id", 3}, {"method", "textDocument/definition"}, {"params", at_rule}},
                        json{{"jsonrpc", "2.0"},
                             {"id", 4},
                             {"method", "textDocument/documentSymbol"},
                             {"params", {{"textDocument", {{"uri", uri}}}}}},
                        json{{"jsonrpc", "2.0"}, {"id", 5}, {"method", "no/such"}, {"params", json::object()}}}) {
    session += framed(m);
  }
  session += "Content-Length: 9\r\n\r\nnot json!";  // garbage: an error answer, not a crash
  session += framed({{"jsonrpc", "2.0"}, {"id", 6}, {"method", "shutdown"}});
  session += framed({{"jsonrpc", "2.0"}, {"method", "exit"}});
  const auto in = std::filesystem::temp_directory_path() / ("perwal-lsp-" + std::to_string(::getpid()));
  std::ofstream(in, std::ios::binary) << session;
  const auto run = perwal::testing::perwal_cli("lsp < '" + in.string() + "'");
  std::filesystem::remove(in);
  CHECK(run.status == 0);  // shutdown came before exit
  const auto all = messages_of(run.out);

  REQUIRE(answer(all, 1));
  CHECK((*answer(all, 1))["result"]["capabilities"]["hoverProvider"] == true);
  std::vector<json> published;
  for (const auto& m : all) {
    if (m.value("method", "") == "textDocument/publishDiagnostics") published.push_back(m["params"]);
  }
  REQUIRE(published.size() == 2);
  REQUIRE(published[0]["diagnostics"].size() == 1);
  const auto& typo_diag = published[0]["diagnostics"][0];
  CHECK(typo_diag["code"] == "E065");
  CHECK(typo_diag["severity"] == 1);
  CHECK_THAT(typo_diag["message"].get<std::string>(), Catch::Contains("did you mean \"count\"?"));
  CHECK(typo_diag["range"]["start"]["line"] == line + 2);  // the `require` two lines below the rule
  CHECK(published[1]["diagnostics"].empty());              // fixed

  REQUIRE(answer(all, 2));
  const auto hover = (*answer(all, 2))["result"]["contents"]["value"].get<std::string>();
  CHECK_THAT(hover, Catch::Contains("tim.jumlah_anggota") &&
                        Catch::Contains("Perbup Contoh 99/2026, Pasal 4 ayat (2)") && Catch::Contains("wajib"));
  REQUIRE(answer(all, 3));
  CHECK((*answer(all, 3))["result"]["range"]["start"]["line"] == line);
  REQUIRE(answer(all, 4));
  bool listed = false;
  for (const auto& s : (*answer(all, 4))["result"]) listed = listed || s["name"] == "tim.anggota_fungsional_pelaksana";
  CHECK(listed);
  REQUIRE(answer(all, 5));
  CHECK((*answer(all, 5))["error"]["code"] == -32601);
  bool parse_error = false;
  for (const auto& m : all) parse_error = parse_error || (m.contains("error") && m["error"]["code"] == -32700);
  CHECK(parse_error);
  CHECK(answer(all, 6));
}

namespace {

// Runs one scripted session (initialize in English first, shutdown and exit last); the server's messages.
std::vector<json> lsp_session(const std::vector<json>& requests) {
  std::string session =
      framed({{"jsonrpc", "2.0"}, {"id", 0}, {"method", "initialize"}, {"params", {{"locale", "en"}}}});
  for (const auto& m : requests) session += framed(m);
  session += framed({{"jsonrpc", "2.0"}, {"id", 999}, {"method", "shutdown"}});
  session += framed({{"jsonrpc", "2.0"}, {"method", "exit"}});
  const auto in = std::filesystem::temp_directory_path() / ("perwal-lsp-rename-" + std::to_string(::getpid()));
  std::ofstream(in, std::ios::binary) << session;
  const auto run = perwal::testing::perwal_cli("lsp < '" + in.string() + "'");
  std::filesystem::remove(in);
  CHECK(run.status == 0);
  return messages_of(run.out);
}

json request(int id, const std::string& method, json params) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}};
}

json at(const std::string& uri, std::size_t line, std::size_t character) {
  return {{"textDocument", {{"uri", uri}}}, {"position", {{"line", line}, {"character", character}}}};
}

// The 0-based line of the first line of `text` that starts with `prefix`.
std::size_t line_of(const std::string& text, const std::string& prefix) {
  std::size_t line = 0;
  for (std::size_t i = 0; i < text.find("\n" + prefix) + 1; ++i) line += text[i] == '\n';
  return line;
}

// The text a range covers (ASCII lines).
std::string text_at(const std::string& text, const json& range) {
  std::size_t start = 0;
  for (std::size_t l = 0; l < range["start"]["line"].get<std::size_t>(); ++l) start = text.find('\n', start) + 1;
  return text.substr(start + range["start"]["character"].get<std::size_t>(),
                     range["end"]["character"].get<std::size_t>() - range["start"]["character"].get<std::size_t>());
}

}  // namespace

TEST_CASE("perwal lsp: rename a code or a rule id across a ruleset and its base, references, prepareRename",
          "[lsp][cli]") {
  const auto path = perwal::testing::source_dir() / "tests/fictional/perbup-contoh-99-2026.perwal";
  const auto base_path = perwal::testing::source_dir() / "rulesets/permenpanrb-7-2022.perwal";
  const auto text = perwal::testing::slurp(path);
  const auto base_text = perwal::testing::slurp(base_path);
  const std::string uri = "file://" + path.string(), base_uri = "file://" + base_path.string();
  const auto codes_line = line_of(text, "codes scope {");             // codes scope { dalam_pd "…", lintas_pd "…" }
  const auto refine_line = line_of(text, "refine penugasan.subjek");  // refine penugasan.subjek { cite Pasal 6 }
  const auto all = lsp_session({
      {{"jsonrpc", "2.0"},
       {"method", "textDocument/didOpen"},
       {"params", {{"textDocument", {{"uri", uri}, {"languageId", "perwal"}, {"text", text}}}}}},
      request(1, "textDocument/prepareRename", at(uri, codes_line, 16)),
      request(2, "textDocument/rename",
              [&] {
                auto p = at(uri, codes_line, 16);
                p["newName"] = "dalam_satu_pd";
                return p;
              }()),
      request(3, "textDocument/rename",
              [&] {
                auto p = at(uri, refine_line, 10);
                p["newName"] = "penugasan.pemberi_tugas";
                return p;
              }()),
      request(4, "textDocument/references",
              [&] {
                auto p = at(uri, refine_line, 10);
                p["context"] = {{"includeDeclaration", false}};
                return p;
              }()),
      request(5, "textDocument/prepareRename", at(uri, refine_line, 2)),  // the keyword `refine`
      request(6, "textDocument/rename",
              [&] {
                auto p = at(uri, codes_line, 16);
                p["newName"] = "Dalam PD";
                return p;
              }()),
      request(7, "textDocument/rename",
              [&] {
                auto p = at(uri, codes_line, 16);
                p["newName"] = "lintas_pd";  // already a code
                return p;
              }()),
  });
  REQUIRE(answer(all, 0));
  CHECK((*answer(all, 0))["result"]["capabilities"]["renameProvider"]["prepareProvider"] == true);

  REQUIRE(answer(all, 1));
  CHECK((*answer(all, 1))["result"]["placeholder"] == "dalam_pd");
  CHECK((*answer(all, 1))["result"]["range"]["start"]["character"] == 14);

  // The code: every use in the file, none in a comment, a string or a longer name.
  REQUIRE(answer(all, 2));
  const auto& code_edits = (*answer(all, 2))["result"]["changes"];
  REQUIRE(code_edits.contains(uri));
  CHECK(code_edits[uri].size() >= 3);
  bool declaration = false;
  for (const auto& e : code_edits[uri]) {
    CHECK(text_at(text, e["range"]) == "dalam_pd");
    CHECK(e["newText"] == "dalam_satu_pd");
    declaration = declaration || e["range"]["start"]["line"] == codes_line;
  }
  CHECK(declaration);
  CHECK_FALSE(code_edits.contains(base_uri));  // the base does not know the code

  // The rule id: its refine here and its declaration in the base (found through `extends`).
  REQUIRE(answer(all, 3));
  const auto& rule_edits = (*answer(all, 3))["result"]["changes"];
  REQUIRE(rule_edits.contains(uri));
  REQUIRE(rule_edits.contains(base_uri));
  const auto base_rule_line = line_of(base_text, "rule penugasan.subjek");
  bool base_declared = false;
  for (const auto& e : rule_edits[base_uri]) {
    CHECK(text_at(base_text, e["range"]) == "penugasan.subjek");
    base_declared = base_declared || e["range"]["start"]["line"] == base_rule_line;
  }
  CHECK(base_declared);
  for (const auto& e : rule_edits[uri]) CHECK(text_at(text, e["range"]) == "penugasan.subjek");

  // References without the declaration: the refine, not the base's `rule` line.
  REQUIRE(answer(all, 4));
  bool refine_found = false, declaration_found = false;
  for (const auto& loc : (*answer(all, 4))["result"]) {
    refine_found = refine_found || (loc["uri"] == uri && loc["range"]["start"]["line"] == refine_line);
    declaration_found =
        declaration_found || (loc["uri"] == base_uri && loc["range"]["start"]["line"] == base_rule_line);
  }
  CHECK(refine_found);
  CHECK_FALSE(declaration_found);

  REQUIRE(answer(all, 5));
  CHECK((*answer(all, 5))["result"].is_null());  // a keyword is not renamed
  REQUIRE(answer(all, 6));
  CHECK((*answer(all, 6))["error"]["code"] == -32602);
  CHECK_THAT((*answer(all, 6))["error"]["message"].get<std::string>(), Catch::Contains("not a valid code"));
  REQUIRE(answer(all, 7));
  CHECK_THAT((*answer(all, 7))["error"]["message"].get<std::string>(), Catch::Contains("already names"));
}

TEST_CASE("perwal lsp: a quick fix for each \"did you mean\" diagnostic", "[lsp][cli]") {
  const auto path = perwal::testing::source_dir() / "tests/fictional/perbup-contoh-99-2026.perwal";
  const auto text = perwal::testing::slurp(path);
  const std::string uri = "file://" + path.string();
  std::string typo = text;
  typo.replace(typo.find("count(team.anggota)"), 5, "cout");
  const auto typo_line = [&] {
    std::size_t n = 0;
    for (std::size_t i = 0; i < typo.find("cout(team.anggota)"); ++i) n += typo[i] == '\n';
    return n;
  }();
  const auto all = lsp_session({
      {{"jsonrpc", "2.0"},
       {"method", "textDocument/didOpen"},
       {"params", {{"textDocument", {{"uri", uri}, {"languageId", "perwal"}, {"text", typo}}}}}},
      request(1, "textDocument/codeAction",
              {{"textDocument", {{"uri", uri}}},
               {"range",
                {{"start", {{"line", typo_line}, {"character", 0}}}, {"end", {{"line", typo_line}, {"character", 0}}}}},
               {"context", {{"diagnostics", json::array()}}}}),
      request(2, "textDocument/codeAction",
              {{"textDocument", {{"uri", uri}}},
               {"range", {{"start", {{"line", 0}, {"character", 0}}}, {"end", {{"line", 1}, {"character", 0}}}}},
               {"context", {{"diagnostics", json::array()}}}}),
  });
  json published;
  for (const auto& m : all) {
    if (m.value("method", "") == "textDocument/publishDiagnostics") published = m["params"]["diagnostics"];
  }
  REQUIRE(published.size() == 1);
  CHECK(published[0]["data"]["fix"] == "count");
  REQUIRE(answer(all, 1));
  const auto& actions = (*answer(all, 1))["result"];
  REQUIRE(actions.size() == 1);
  CHECK(actions[0]["kind"] == "quickfix");
  CHECK(actions[0]["title"] == "Replace with \"count\"");
  const auto& edit = actions[0]["edit"]["changes"][uri][0];
  CHECK(text_at(typo, edit["range"]) == "cout");
  // Applied, the fix gives back the file as it was.
  std::string fixed = typo;
  fixed.replace(typo.find("cout(team.anggota)"), 4, edit["newText"].get<std::string>());
  CHECK(fixed == text);
  REQUIRE(answer(all, 2));
  CHECK((*answer(all, 2))["result"].empty());  // no fix on lines without a typo
}

TEST_CASE("perwal lsp: hover on a rule or a cite shows the article's words", "[lsp][cli][law]") {
  const auto path = perwal::testing::source_dir() / "tests/fictional/perbup-contoh-99-2026.perwal";
  const auto text = perwal::testing::slurp(path);
  const std::string uri = "file://" + path.string();
  const auto rule_line = line_of(text, "rule tim.jumlah_anggota");
  const auto cite_line = line_of(text.substr(0), "  cite Pasal 4 ayat (2)");
  const auto all =
      lsp_session({{{"jsonrpc", "2.0"},
                    {"method", "textDocument/didOpen"},
                    {"params", {{"textDocument", {{"uri", uri}, {"languageId", "perwal"}, {"text", text}}}}}},
                   request(1, "textDocument/hover", at(uri, rule_line, 8)),
                   request(2, "textDocument/hover", at(uri, cite_line, 10))});
  REQUIRE(answer(all, 1));
  const auto on_rule = (*answer(all, 1))["result"]["contents"]["value"].get<std::string>();
  CHECK_THAT(on_rule, Catch::Contains("Pasal 4 ayat (2)") &&
                          Catch::Contains("> Anggota Tim Kerja paling banyak 15 (lima belas) orang."));
  REQUIRE(answer(all, 2));
  const auto on_cite = (*answer(all, 2))["result"]["contents"]["value"].get<std::string>();
  CHECK(on_cite == "**Pasal 4 ayat (2)**\n\n> Anggota Tim Kerja paling banyak 15 (lima belas) orang.");
}
