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
