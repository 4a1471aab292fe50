// Google Benchmark: ruleset compile, org load, and per-query latency on the
// bundled Padang Panjang fixture. Run: build/bench/perwal_bench
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>

#include "engine/common/json_input.hpp"
#include "engine/compile/ruleset.hpp"
#include "engine/eval/evaluator.hpp"
#include "engine/eval/render.hpp"
#include "engine/eval/simple_batch.hpp"

namespace {

const std::string rules_path = std::string(PERWAL_SOURCE_DIR) + "/rulesets/padang-panjang-48-2024.perwal";
const std::string org_path = std::string(PERWAL_SOURCE_DIR) + "/fixtures/padang-panjang/org.json";

std::string slurp(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::shared_ptr<const perwal::compiled_ruleset> rules() {
  static auto r = [] {
    perwal::diagnostics d;
    return perwal::compile_ruleset(rules_path, d);
  }();
  return r;
}

std::shared_ptr<const perwal::org::org_graph> org() {
  static auto o = [] {
    perwal::diagnostics errs;
    return perwal::org::org_graph::load(slurp(org_path), org_path, rules()->vocab, rules()->shape, errs);
  }();
  return o;
}

void bm_compile_ruleset(benchmark::State& state) {
  for (auto _ : state) {
    perwal::diagnostics d;
    benchmark::DoNotOptimize(perwal::compile_ruleset(rules_path, d));
  }
}
BENCHMARK(bm_compile_ruleset)->Unit(benchmark::kMillisecond);

void bm_load_org(benchmark::State& state) {
  const auto text = slurp(org_path);
  for (auto _ : state) {
    perwal::diagnostics errs;
    benchmark::DoNotOptimize(perwal::org::org_graph::load(text, org_path, rules()->vocab, rules()->shape, errs));
  }
}
BENCHMARK(bm_load_org)->Unit(benchmark::kMillisecond);

// state.range(0): 1 records the explanation trace (as the CLI does), 0 does not (as a server may).
void run_query(benchmark::State& state, const char* text) {
  if (!rules() || !org()) {
    state.SkipWithError("fixture or ruleset failed to load");
    return;
  }
  perwal::evaluator ev(rules(), org(), state.range(0) != 0);
  const auto q = nlohmann::json::parse(text);
  for (auto _ : state) {
    perwal::diagnostics errs;
    benchmark::DoNotOptimize(ev.check(q, errs));
  }
}

// The pure path alone: the query read once at the edge, then only evaluation.
void run_typed(benchmark::State& state, const char* text) {
  if (!rules() || !org()) {
    state.SkipWithError("fixture or ruleset failed to load");
    return;
  }
  perwal::evaluator ev(rules(), org(), state.range(0) != 0);
  perwal::diagnostics errs;
  const auto json = nlohmann::json::parse(text);  // the typed query refers to it
  const auto q = perwal::read_query(json, *rules(), *org(), errs);
  if (!q) {
    state.SkipWithError("the query does not read");
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(ev.evaluate(*q));
}

// Rendering one decision as JSON (what a server adds per decision), in Indonesian.
void run_render(benchmark::State& state, const char* text) {
  if (!rules() || !org()) {
    state.SkipWithError("fixture or ruleset failed to load");
    return;
  }
  perwal::evaluator ev(rules(), org(), state.range(0) != 0);
  perwal::diagnostics errs;
  const auto d = ev.check(nlohmann::json::parse(text), errs);
  if (!d) {
    state.SkipWithError("the query does not read");
    return;
  }
  const perwal::render_context rc{*rules(), *org(), perwal::lang::id};
  for (auto _ : state) benchmark::DoNotOptimize(perwal::to_json(*d, rc).dump());
}

constexpr const char* kedudukan_query = R"({"type": "kedudukan", "position": "pp.bag-org.analis-1"})";
constexpr const char* penugasan_query = R"({"type": "penugasan", "mode": "penunjukan", "assignee": "pp.dinkes.analis-2",
    "owner_unit": "pp.setda.bag-org",
    "steps": [
      {"action": "surat_permohonan_pelibatan", "from": "pp.kabag-org", "to": "pp.dinkes.kabid-p2p",
       "cc": ["pp.asisten-adm"], "contents": ["maksud_tujuan", "kompetensi", "target_kinerja", "durasi"]},
      {"action": "persetujuan", "by": "pp.dinkes.kabid-p2p"},
      {"action": "rekomendasi", "by": "pp.dinkes.kabid-p2p"},
      {"action": "surat_penugasan", "by": "pp.dinkes.kabid-p2p"}]})";

void bm_kedudukan_evaluate(benchmark::State& state) {
  run_typed(state, kedudukan_query);
}
BENCHMARK(bm_kedudukan_evaluate)->Arg(1)->Arg(0);

void bm_penugasan_evaluate(benchmark::State& state) {
  run_typed(state, penugasan_query);
}
BENCHMARK(bm_penugasan_evaluate)->Arg(1)->Arg(0);

void bm_kedudukan_render_json(benchmark::State& state) {
  run_render(state, kedudukan_query);
}
BENCHMARK(bm_kedudukan_render_json)->Arg(1)->Arg(0);

void bm_kedudukan(benchmark::State& state) {
  run_query(state, R"({"type": "kedudukan", "position": "pp.bag-org.analis-1"})");
}
BENCHMARK(bm_kedudukan)->Arg(1)->Arg(0);

void bm_pelaporan(benchmark::State& state) {
  run_query(state, R"({"type": "pelaporan", "from": "pp.bag-org.analis-1", "to": "pp.kabag-org", "as": "individu"})");
}
BENCHMARK(bm_pelaporan)->Arg(1)->Arg(0);

// Reading a batch body of 1,000 queries into typed queries, the two ways the
// server can (POST /v1/check): parsed into a tree then read_query, or by the
// simple batch reader straight from the text. Kedudukan and pelaporan queries
// over every FP and pelaksana with an atasan, alternating. Per query.
std::string simple_batch_body() {
  auto body = nlohmann::json::array();
  const auto& positions = org()->positions();
  for (std::size_t p = 0; p < positions.size() && body.size() < 1000; ++p) {
    const auto& pos = positions[p];
    if (pos.atasan == perwal::org::none) continue;
    if (body.size() % 2 == 0)
      body.push_back({{"type", "kedudukan"}, {"position", pos.id}});
    else
      body.push_back({{"type", "pelaporan"}, {"from", pos.id}, {"to", positions[pos.atasan].id}, {"as", "individu"}});
  }
  return body.dump();
}

void bm_batch_read_tree(benchmark::State& state) {
  const auto text = simple_batch_body();
  perwal::query q;
  for (auto _ : state) {
    perwal::json_input::failure why;
    const auto body = perwal::json_input::parse(text, why);
    for (const auto& item : *body) {
      perwal::diagnostics errs;
      if (!perwal::read_query(item, *rules(), *org(), errs, q)) state.SkipWithError("a query does not read");
      benchmark::DoNotOptimize(q);
    }
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(bm_batch_read_tree)->Unit(benchmark::kMicrosecond);

void bm_batch_read_simple(benchmark::State& state) {
  const auto text = simple_batch_body();
  perwal::simple_batch batch;
  perwal::query q;
  for (auto _ : state) {
    if (!batch.parse(text)) state.SkipWithError("the batch is declined");
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (!batch.read(i, *rules(), *org(), q)) state.SkipWithError("a query is declined");
      benchmark::DoNotOptimize(q);
    }
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(bm_batch_read_simple)->Unit(benchmark::kMicrosecond);

void bm_penugasan_lintas_unit(benchmark::State& state) {
  run_query(state, R"({"type": "penugasan", "mode": "penunjukan", "assignee": "pp.dinkes.analis-2",
    "owner_unit": "pp.setda.bag-org",
    "steps": [
      {"action": "surat_permohonan_pelibatan", "from": "pp.kabag-org", "to": "pp.dinkes.kabid-p2p",
       "cc": ["pp.asisten-adm"], "contents": ["maksud_tujuan", "kompetensi", "target_kinerja", "durasi"]},
      {"action": "persetujuan", "by": "pp.dinkes.kabid-p2p"},
      {"action": "rekomendasi", "by": "pp.dinkes.kabid-p2p"},
      {"action": "surat_penugasan", "by": "pp.dinkes.kabid-p2p"}]})");
}
BENCHMARK(bm_penugasan_lintas_unit)->Arg(1)->Arg(0);

void bm_audit(benchmark::State& state) {
  if (!rules() || !org()) {
    state.SkipWithError("fixture or ruleset failed to load");
    return;
  }
  perwal::evaluator ev(rules(), org());
  for (auto _ : state) benchmark::DoNotOptimize(ev.audit());
}
BENCHMARK(bm_audit)->Unit(benchmark::kMillisecond);

}  // namespace
