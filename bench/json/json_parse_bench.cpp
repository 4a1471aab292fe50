// Micro-benchmark: parsing a POST /v1/check batch body with nlohmann::json
// (what the server does) against simdjson (DOM), alone and followed by the
// conversion to the nlohmann::json tree the evaluator takes. Not built by
// CMake (simdjson is not a dependency of perwal; bench/*.cpp is perwal_bench's
// glob, so it lives in a folder of its own); build and run by hand:
//
//   apt-get install libsimdjson-dev
//   c++ -O2 -std=c++20 bench/json/json_parse_bench.cpp -lsimdjson -o /tmp/json_parse_bench
//   /tmp/json_parse_bench BODY.json [ITERATIONS]
#include <simdjson.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace {

nlohmann::json to_nlohmann(simdjson::dom::element e) {
  using simdjson::dom::element_type;
  switch (e.type()) {
    case element_type::ARRAY: {
      nlohmann::json out = nlohmann::json::array();
      const simdjson::dom::array items = e.get_array().value_unsafe();  // a named copy: the result is a temporary
      for (auto child : items) out.push_back(to_nlohmann(child));
      return out;
    }
    case element_type::OBJECT: {
      nlohmann::json out = nlohmann::json::object();
      const simdjson::dom::object fields = e.get_object().value_unsafe();
      for (auto field : fields) out[std::string(field.key)] = to_nlohmann(field.value);
      return out;
    }
    case element_type::STRING:
      return std::string(e.get_string().value_unsafe());
    case element_type::INT64:
      return e.get_int64().value_unsafe();
    case element_type::UINT64:
      return e.get_uint64().value_unsafe();
    case element_type::DOUBLE:
      return e.get_double().value_unsafe();
    case element_type::BOOL:
      return e.get_bool().value_unsafe();
    case element_type::NULL_VALUE:
      return nullptr;
  }
  return nullptr;
}

template <typename F>
double per_parse_us(int n, F&& f) {
  f();  // warm up
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) f();
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() / n;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: json_parse_bench BODY.json [ITERATIONS]\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string body = ss.str();
  const int n = argc > 2 ? std::atoi(argv[2]) : 200;
  std::size_t sink = 0;
  const double nl = per_parse_us(n, [&] { sink += nlohmann::json::parse(body).size(); });
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(body);
  const double sj = per_parse_us(n, [&] { sink += parser.parse(padded).get_array().size(); });
  const double sj_nl = per_parse_us(n, [&] { sink += to_nlohmann(parser.parse(padded).value()).size(); });
  const bool same = to_nlohmann(parser.parse(padded).value()) == nlohmann::json::parse(body);
  std::cout << "body " << body.size() << " bytes, " << n << " iterations (sink " << sink << ")\n"
            << "nlohmann::json::parse           " << nl << " us\n"
            << "simdjson dom parse              " << sj << " us\n"
            << "simdjson parse + nlohmann tree  " << sj_nl << " us  (same tree: " << (same ? "yes" : "NO") << ")\n";
  return same ? 0 : 1;
}
