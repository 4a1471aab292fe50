// Outside JSON is read with bounded nesting and never throws; JSON written
// straight (json_out) is byte for byte what a dump of the same document gives.
#include "engine/common/json_input.hpp"

#include <catch2/catch.hpp>

#include "engine/common/json_writer.hpp"

namespace ji = perwal::json_input;

TEST_CASE("json_input: nesting beyond the bound is refused before a tree is built", "[json][hardening]") {
  const std::string deep = std::string(200000, '[') + std::string(200000, ']');
  ji::failure why;
  CHECK_FALSE(ji::parse(deep, why));
  CHECK(why.too_deep);
  CHECK(why.byte == ji::max_depth);  // the bracket opening level 65
  CHECK(why.message == "JSON nested deeper than 64 levels");
  const std::string ok = std::string(ji::max_depth, '[') + std::string(ji::max_depth, ']');
  CHECK(ji::parse(ok, why));
}

TEST_CASE("json_input: brackets inside strings do not count", "[json][hardening]") {
  const std::string text = "{\"a\": \"" + std::string(500, '[') + "\\\"" + std::string(500, '{') + "\"}";
  CHECK_FALSE(ji::too_deep_at(text));
  ji::failure why;
  auto doc = ji::parse(text, why);
  REQUIRE(doc);
  CHECK((*doc)["a"].get<std::string>().size() == 1001);
}

TEST_CASE("json_input: numbers out of range and bad UTF-8 are input errors", "[json][hardening]") {
  ji::failure why;
  CHECK_FALSE(ji::parse("{\"x\": 1e999}", why));
  CHECK_FALSE(why.message.empty());
  CHECK_FALSE(ji::parse("{\"x\": \"\xff\xfe\"}", why));
  CHECK(ji::valid_utf8(why.message) == why.message);
  CHECK(ji::valid_utf8("a\xff"
                       "b") ==
        "a\xEF\xBF\xBD"
        "b");
  CHECK(ji::valid_utf8("\xC3\xA9") == "\xC3\xA9");          // é stays
  CHECK(ji::valid_utf8("\xED\xA0\x80") != "\xED\xA0\x80");  // a surrogate does not
  nlohmann::json j = std::string("\xff");
  CHECK(ji::dump(j) == "\"\xEF\xBF\xBD\"");
}

TEST_CASE("json_input: locate gives 1-based line and column", "[json]") {
  auto at = ji::locate("{\n  \"a\": x}", 9);
  CHECK(at.line == 2);
  CHECK(at.column == 8);
}

TEST_CASE("json_input: is_valid_utf8 finds a bad byte wherever it lies in a long text", "[json][hardening]") {
  // The check skips ASCII 16 bytes at a time: a bad or good multi-byte
  // sequence must be seen at every offset within and across those blocks.
  const std::string ascii(40, 'a');
  CHECK(ji::is_valid_utf8(ascii));
  CHECK(ji::is_valid_utf8(""));
  for (std::size_t at = 0; at <= ascii.size(); ++at) {
    INFO(at);
    std::string good = ascii;
    good.insert(at, "\xC3\xA9");  // é
    CHECK(ji::is_valid_utf8(good));
    std::string four = ascii;
    four.insert(at, "\xF0\x9F\x98\x80");
    CHECK(ji::is_valid_utf8(four));
    std::string bad = ascii;
    bad.insert(at, "\xFF");
    CHECK_FALSE(ji::is_valid_utf8(bad));
    std::string cut = ascii.substr(0, at) + "\xE2\x82";  // a sequence cut short by the end
    CHECK_FALSE(ji::is_valid_utf8(cut));
    std::string lone = ascii;
    lone.insert(at, "\x80");  // a continuation byte with no lead
    CHECK_FALSE(ji::is_valid_utf8(lone));
    std::string surrogate = ascii;
    surrogate.insert(at, "\xED\xA0\x80");  // U+D800 encoded: not UTF-8
    CHECK_FALSE(ji::is_valid_utf8(surrogate));
  }
}

TEST_CASE("json_out: strings and documents written as a dump writes them", "[json]") {
  std::vector<std::string> strings = {
      "",
      "pp.bag-org.analis-1",
      "quote \" backslash \\ slash / tab \t newline \n cr \r bs \b ff \f",
      std::string("nul \0 unit-separator \x1f del \x7f", sizeof("nul \0 unit-separator \x1f del \x7f") - 1),
      "Pasal 7 ayat (2) huruf b — “Sekretaris Daerah” é 中 😀",
      "bad \xC3 end",            // truncated sequence
      "overlong \xC0\xAF",       // not UTF-8 at all
      "surrogate \xED\xA0\x80",  // encoded surrogate
      "\xF4\x90\x80\x80",        // above U+10FFFF
  };
  // Each kind of byte at every offset of the eight-byte steps.
  for (const std::string special : {"\"", "\\", "\x01", "\x1f", " ", "\x7f", "é", "\xC3"}) {
    for (std::size_t k = 0; k <= 20; ++k) strings.push_back(std::string(k, 'a') + special + std::string(20 - k, '~'));
  }
  for (const auto& s : strings) {
    std::string out;
    perwal::json_out::append_string(out, s);
    CHECK(out == ji::dump(nlohmann::json(s)));
  }
  std::string out;
  {  // the text is complete when the writer ends
    perwal::json_out::writer w(out);
    w.begin_object()
        .key("a")
        .begin_array()
        .value("x")
        .begin_object()
        .end_object()
        .begin_array()
        .end_array()
        .end_array();
    w.key("b")
        .value(std::uint64_t{42})
        .key("c")
        .begin_array()
        .value(std::uint64_t{1})
        .value(std::uint64_t{2})
        .end_array()
        .key("d")
        .begin_object()
        .key("e")
        .value("")
        .end_object();
    w.end_object();
  }
  CHECK(out == R"({"a":["x",{},[]],"b":42,"c":[1,2],"d":{"e":""}})");
  CHECK(out == ji::dump(nlohmann::json::parse(out)));
  // Appended after what `out` held, growing it in steps: a long document
  // written token by token is the same as one string's dump.
  std::string doc = "prefix:";
  nlohmann::json expected = nlohmann::json::array();
  {
    perwal::json_out::writer big(doc);
    big.begin_array();
    for (std::uint64_t i = 0; i < 5000; ++i) {
      big.value(i).value(strings[i % strings.size()]);
      expected.push_back(i);
      expected.push_back(strings[i % strings.size()]);
    }
    big.end_array();
  }
  CHECK(doc == "prefix:" + ji::dump(expected));
}

TEST_CASE("json_input: a duplicate key is found in its own object only, escapes decoded", "[json][hardening]") {
  CHECK_FALSE(ji::duplicate_key_at(R"({"a":{"a":1},"b":[{"a":2},{"a":3}],"c":{"b":1}})"));
  CHECK_FALSE(ji::duplicate_key_at(R"({"x":[{"a":1}],"a":2,"y":"\"a\""})"));
  const std::string escaped = R"({"b":0,"a":1,"\u0061":2})";
  const auto dup = ji::duplicate_key_at(escaped);
  REQUIRE(dup);
  CHECK(dup->key == "a");
  CHECK(dup->byte == escaped.find("\"\\u0061\""));
  const std::string later = R"({"a":1,"b":{"c":1,"d":{}},"a":3})";
  const auto dup2 = ji::duplicate_key_at(later);
  REQUIRE(dup2);
  CHECK(dup2->byte == later.rfind("\"a\""));
}
