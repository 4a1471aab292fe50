// perwal's side of the peer comparison (bench/peers/README.md): the
// in-process evaluator, trace off as a server runs it, over a JSONL query file.
//
//   perwal_peer RULES.perwal ORG.json QUERIES.jsonl DECISIONS.txt [--passes N] [--min-seconds S] [--threads T]
//
// With --threads T above 1 it also measures throughput with T threads sharing
// the one evaluator (const; the org graph is immutable after load and shared
// across threads, as in `perwal serve`), each taking every T-th query:
// the figure to set beside a peer server that uses T cores.
//
// Writes one line per query to DECISIONS.txt: "allow" for `allowed`, "deny" for
// `denied` and `incomplete` (the peers answer allow/deny only), then a tab and
// perwal's own outcome and, for penugasan, the contract scope it derived, so
// the comparison can count each kind. Prints one JSON
// object with the timing to stdout.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "engine/compile/ruleset.hpp"
#include "engine/eval/evaluator.hpp"

namespace {

using clock_type = std::chrono::steady_clock;

std::string slurp(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  const auto k = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

nlohmann::json summary(const std::vector<double>& ns, double best_pass_s, std::size_t n) {
  return {{"median_ns", percentile(ns, 0.5)},
          {"p10_ns", percentile(ns, 0.1)},
          {"p90_ns", percentile(ns, 0.9)},
          {"decisions_per_s", best_pass_s > 0 ? static_cast<double>(n) / best_pass_s : 0}};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::cerr << "usage: perwal_peer RULES.perwal ORG.json QUERIES.jsonl DECISIONS.txt [--passes N] [--min-seconds S] "
                 "[--threads T]\n";
    return 2;
  }
  int passes = 5;
  double min_seconds = 3;
  unsigned threads = 1;
  for (int i = 5; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--passes") passes = std::max(1, std::stoi(argv[i + 1]));
    if (flag == "--min-seconds") min_seconds = std::stod(argv[i + 1]);
    if (flag == "--threads") threads = static_cast<unsigned>(std::clamp(std::stoi(argv[i + 1]), 1, 256));
  }
  perwal::diagnostics diags;
  const auto rules = perwal::compile_ruleset(argv[1], diags);
  if (!rules || diags.has_errors()) {
    std::cerr << "perwal_peer: the ruleset does not compile\n";
    return 2;
  }
  const auto t_org = clock_type::now();
  perwal::diagnostics load_errors;
  const auto org = perwal::org::org_graph::load(slurp(argv[2]), argv[2], rules->vocab, rules->shape, load_errors);
  const double org_load_s = std::chrono::duration<double>(clock_type::now() - t_org).count();
  if (!org || !load_errors.empty()) {
    std::cerr << "perwal_peer: the org does not load"
              << (load_errors.empty() ? "" : ": " + load_errors.items().front().line()) << "\n";
    return 2;
  }
  std::vector<std::string> lines;
  {
    std::ifstream in(argv[3]);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) lines.push_back(line);
    }
  }
  std::vector<nlohmann::json> queries;
  queries.reserve(lines.size());
  std::vector<std::string> types;
  for (const auto& l : lines) {
    queries.push_back(nlohmann::json::parse(l));
    types.push_back(queries.back().value("type", ""));
  }

  // Trace off: a server does not record the explanation (evaluator ctor).
  const perwal::evaluator ev(rules, org, false);

  // The decisions, once, written out for the agreement check.
  std::ofstream out(argv[4]);
  for (std::size_t i = 0; i < queries.size(); ++i) {
    perwal::diagnostics errs;
    const auto d = ev.check(queries[i], errs);
    if (!d) {
      std::cerr << "perwal_peer: query " << i + 1 << " is bad input: " << perwal::render(errs);
      return 2;
    }
    const auto scope = d->scope ? perwal::contract_scope_names[static_cast<std::size_t>(*d->scope)] : "-";
    out << (d->result == perwal::outcome::allowed ? "allow" : "deny") << '\t' << perwal::outcome_name(d->result) << '\t'
        << scope << '\n';
  }
  out.close();

  // Timing: every decision timed on its own, over repeated passes (at least
  // `passes`, and until `min_seconds` have gone by). Two variants: the parsed
  // query (as a server that already holds the JSON) and parse + check from the
  // JSONL text (closer to what the wasm and HTTP peers pay for their input).
  std::vector<double> check_ns, parse_ns;
  // Latency by query type as well (kedudukan and penugasan cost differently).
  std::map<std::string, std::vector<double>> by_type;
  double best_check = 0, best_parse = 0;
  std::size_t sink = 0;
  const auto started = clock_type::now();
  for (int pass = 0; pass < passes || std::chrono::duration<double>(clock_type::now() - started).count() < min_seconds;
       ++pass) {
    const auto p0 = clock_type::now();
    for (std::size_t i = 0; i < queries.size(); ++i) {
      const auto t0 = clock_type::now();
      perwal::diagnostics errs;
      const auto d = ev.check(queries[i], errs);
      const auto t1 = clock_type::now();
      sink += d ? static_cast<std::size_t>(d->result) + 1 : 0;
      check_ns.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count());
      by_type[types[i]].push_back(check_ns.back());
    }
    const double pc = std::chrono::duration<double>(clock_type::now() - p0).count();
    best_check = best_check == 0 ? pc : std::min(best_check, pc);
    const auto p1 = clock_type::now();
    for (const auto& l : lines) {
      const auto t0 = clock_type::now();
      const auto q = nlohmann::json::parse(l);
      perwal::diagnostics errs;
      const auto d = ev.check(q, errs);
      const auto t1 = clock_type::now();
      sink += d ? static_cast<std::size_t>(d->result) + 1 : 0;
      parse_ns.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count());
    }
    const double pp = std::chrono::duration<double>(clock_type::now() - p1).count();
    best_parse = best_parse == 0 ? pp : std::min(best_parse, pp);
    if (pass > 1000) break;
  }
  // Throughput on `threads` threads: wall time of a whole pass over the
  // queries, split by stride, the fastest of the passes.
  nlohmann::json threaded = nullptr;
  if (threads > 1) {
    double best = 0;
    std::vector<std::size_t> sinks(threads, 0);
    const auto t_started = clock_type::now();
    for (int pass = 0;
         pass < passes || std::chrono::duration<double>(clock_type::now() - t_started).count() < min_seconds; ++pass) {
      const auto p0 = clock_type::now();
      {
        std::vector<std::jthread> workers;
        for (unsigned t = 0; t < threads; ++t) {
          workers.emplace_back([&, t] {
            for (std::size_t i = t; i < queries.size(); i += threads) {
              perwal::diagnostics errs;
              const auto d = ev.check(queries[i], errs);
              sinks[t] += d ? static_cast<std::size_t>(d->result) + 1 : 0;
            }
          });
        }
      }
      const double pt = std::chrono::duration<double>(clock_type::now() - p0).count();
      best = best == 0 ? pt : std::min(best, pt);
      if (pass > 1000) break;
    }
    for (const auto x : sinks) sink += x;
    threaded = {{"threads", threads}, {"decisions_per_s", static_cast<double>(queries.size()) / best}};
  }
  nlohmann::json per_type = nlohmann::json::object();
  for (const auto& [type, ns] : by_type) {
    per_type[type] = {
        {"median_ns", percentile(ns, 0.5)}, {"p10_ns", percentile(ns, 0.1)}, {"p90_ns", percentile(ns, 0.9)}};
  }
  const nlohmann::json result = {{"engine", "perwal"},
                                 {"queries", queries.size()},
                                 {"samples", check_ns.size()},
                                 {"org_load_s", org_load_s},
                                 {"check", summary(check_ns, best_check, queries.size())},
                                 {"parse_and_check", summary(parse_ns, best_parse, queries.size())},
                                 {"by_type", per_type},
                                 {"threaded", threaded},
                                 {"sink", sink}};
  std::cout << result.dump() << "\n";
  return 0;
}
