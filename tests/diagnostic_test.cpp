// One diagnostic type: codes from the catalogue, related locations, JSON
// paths, and the words chosen at the edge (English or Indonesian).
#include "engine/common/diagnostic.hpp"

#include <catch2/catch.hpp>
#include <cctype>
#include <map>
#include <set>

#include "engine/compile/ruleset.hpp"
#include "engine/org/org.hpp"
#include "test_support.hpp"

using perwal::language;
using perwal::msg;

namespace {

std::shared_ptr<const perwal::source_file> file(std::string name, std::string text) {
  return std::make_shared<perwal::source_file>(perwal::source_file{std::move(name), std::move(text)});
}

perwal::source_range at(const std::shared_ptr<const perwal::source_file>& f, std::uint32_t byte, std::uint32_t line,
                        std::uint32_t column) {
  return {f, {byte, line, column}, {byte, line, column}};
}

}  // namespace

TEST_CASE("the catalogue: unique ids, one severity per code, both languages", "[diagnostic]") {
  std::set<std::string_view> ids;
  std::map<std::string_view, perwal::severity> level_of;
  for (const auto& e : perwal::message_catalogue()) {
    INFO(e.id);
    CHECK(ids.insert(e.id).second);
    CHECK_FALSE(e.en.empty());
    CHECK_FALSE(e.id_text.empty());
    if (e.code.empty()) {
      CHECK(e.level == perwal::severity::note);
      continue;
    }
    CHECK(e.code.size() == 4);
    CHECK(e.code[0] == (e.level == perwal::severity::error ? 'E' : 'W'));
    auto [it, fresh] = level_of.emplace(e.code, e.level);
    if (!fresh) CHECK(it->second == e.level);
  }
  CHECK(perwal::is_warning_code("W012"));
  CHECK_FALSE(perwal::is_warning_code("E021"));
  CHECK(perwal::is_known_code("E021"));
  CHECK_FALSE(perwal::is_known_code("W999"));
}

TEST_CASE("a diagnostic takes its code and severity from its message", "[diagnostic]") {
  const auto f = file("t.perwal", "rule a.b wajib on kedudukan {\n}\n");
  perwal::diagnostics diags;
  diags.report(at(f, 5, 1, 6), msg("duplicate-rule", "a.b"),
               {perwal::note(msg("duplicate-rule.first"), at(f, 0, 1, 1))});
  diags.report(at(f, 5, 1, 6), msg("rule-unreachable", "a.b"));
  REQUIRE(diags.items().size() == 2);
  CHECK(diags.items()[0].code == "E021");
  CHECK(diags.items()[0].level == perwal::severity::error);
  CHECK(diags.items()[1].code == "W004");
  CHECK(diags.items()[1].level == perwal::severity::warning);
  CHECK(diags.error_count() == 1);
  CHECK(diags.warning_count() == 1);
  // The note keeps its own place; the text shows it where the message says.
  CHECK(diags.items()[0].notes[0].at.range.begin.line == 1);
  CHECK(perwal::render(diags.items()[0]) ==
        "t.perwal:1:6: error: duplicate rule \"a.b\"\n"
        "  rule a.b wajib on kedudukan {\n"
        "       ^\n"
        "  note: first defined at t.perwal:1:1; write `override` to replace a base rule\n");
  CHECK(perwal::render(diags.items()[0], {language::id, true}) ==
        "t.perwal:1:6: galat[E021]: aturan \"a.b\" ganda\n"
        "  rule a.b wajib on kedudukan {\n"
        "       ^\n"
        "  catatan: pertama didefinisikan di t.perwal:1:1; tulis `override` untuk mengganti aturan induk\n");
  CHECK(perwal::render(diags.items()[1], {language::en, true}).rfind("t.perwal:1:6: warning[W004]: rule", 0) == 0);
}

TEST_CASE("a JSON input's diagnostic points at a JSON path", "[diagnostic]") {
  perwal::diagnostics diags;
  diags.report(perwal::location::json("units[3].parent", file("org.json", "{}")), msg("syntax", "unknown unit \"x\""));
  const auto& d = diags.items().front();
  CHECK(d.at.where() == "org.json: units[3].parent");
  CHECK(perwal::render(d) == "org.json: units[3].parent: error: unknown unit \"x\"\n");
  CHECK(perwal::location::json("[0].assignee").where() == "[0].assignee");
}

TEST_CASE("warnings are suppressed by code, errors never", "[diagnostic]") {
  const auto f = file("t.perwal", "x\n");
  perwal::diagnostics diags;
  diags.report(at(f, 0, 1, 1), msg("rule-unreachable", "a"));
  diags.report(at(f, 0, 1, 1), msg("workflow-no-example", "w"));
  diags.report(at(f, 0, 1, 1), msg("no-under"));
  CHECK(diags.suppress({"W004", "E045"}) == 1);
  REQUIRE(diags.items().size() == 2);
  CHECK(diags.items()[0].code == "W012");
  CHECK(diags.items()[1].code == "E045");
}

TEST_CASE("compiler diagnostics render in Indonesian", "[diagnostic][compile]") {
  auto reader = std::make_shared<perwal::memory_reader>();
  perwal::diagnostics diags;
  auto rules =
      perwal::compile_ruleset_text("t.perwal", "ruleset t { cite_as \"T\" extends nope }\n", ".", diags, {{}, reader});
  CHECK(rules == nullptr);
  CHECK(perwal::render(diags, {language::id, false}) ==
        "t.perwal:1:33: galat: ruleset induk \"nope\" tidak ditemukan\n"
        "  ruleset t { cite_as \"T\" extends nope }\n"
        "                                  ^\n"
        "  catatan: dicari di ./nope.perwal; atur PERWAL_PATH ke folder ruleset induk\n");
}

TEST_CASE("docs/diagnostics.md lists every code of the catalogue", "[diagnostic]") {
  const auto doc = perwal::testing::slurp(perwal::testing::source_dir() / "docs/diagnostics.md");
  for (const auto& e : perwal::message_catalogue()) {
    if (e.code.empty()) continue;
    INFO(e.id);
    CHECK(doc.find("| " + std::string(e.code) + " | `" + std::string(e.id) + "` |") != std::string::npos);
  }
}

TEST_CASE("the Indonesian side of the catalogue has no English left in it", "[diagnostic][lang]") {
  // Words that are English and never Indonesian, padded so that they match
  // whole words only.
  const std::vector<std::string> english{" the ",     " changed ", " of ",    " must ",  " step ",    " expected ",
                                         " should ",  " cannot ",  " is ",    " and ",   " with ",    " which ",
                                         " not ",     " from ",    " only ",  " when ",  " missing ", " unknown ",
                                         " already ", " needs ",   " this ",  " that ",  " has ",     " was ",
                                         " there ",   " does ",    " found ", " given ", " allowed ", " denied "};
  // What is not prose: code names in backquotes, quoted values and the
  // placeholders.
  const auto prose = [](std::string_view text) {
    std::string out = " ";
    char closing = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
      const char c = text[i];
      if (closing != 0) {
        if (c == closing) closing = 0;
        continue;
      }
      if (c == '`' || c == '"') {
        closing = c;
      } else if (c == '{') {
        closing = '}';
      } else if (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_') {
        // has_tag is a name, not "has"
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      } else {
        out += ' ';
      }
    }
    return out + " ";
  };
  std::size_t checked = 0;
  for (const auto& e : perwal::message_catalogue()) {
    const std::string id_text = prose(e.id_text);
    for (const auto& w : english) {
      INFO(e.id << ": " << e.id_text);
      CHECK(id_text.find(w) == std::string::npos);
    }
    // The scan itself finds English where there is some: the English side.
    if (prose(e.en).find(" the ") != std::string::npos) ++checked;
  }
  CHECK(checked > 50);
}
