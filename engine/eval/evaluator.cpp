// The evaluator: dispatches a typed query to its check, and runs the
// whole-org audit on several threads.
#include "engine/eval/evaluator.hpp"

#include <algorithm>
#include <atomic>
#include <thread>
#include <unordered_set>

#include "engine/common/overloaded.hpp"
#include "engine/eval/context.hpp"

namespace perwal {

using eval::context;

namespace {

void finish(decision& d) {
  if (!d.violations.empty())
    d.result = outcome::denied;
  else if (!d.next.empty() || !d.needs.empty())
    d.result = outcome::incomplete;
  else
    d.result = outcome::allowed;
}

// Explanations name the base rules the regulation repealed that would have
// applied to this kind of query, with the repealing article.
void note_repealed(const compiled_ruleset& rules, decision& d) {
  std::vector<trace_event> notes;
  for (const auto& r : rules.repealed) {
    if (query_kind_name(r.on) == decision_kind_name(d.kind)) notes.emplace_back(traced::repealed{&r});
  }
  d.trace.insert(d.trace.begin(), notes.begin(), notes.end());
}

}  // namespace

evaluator::evaluator(std::shared_ptr<const compiled_ruleset> rules, std::shared_ptr<const org::org_graph> org,
                     bool trace)
    : rules_(std::move(rules)), org_(std::move(org)), trace_(trace) {}

decision evaluator::evaluate(const query& q) const {
  if (std::holds_alternative<audit_query>(q)) return audit();
  decision d;
  evaluate(q, d);
  return d;
}

void evaluator::evaluate(const query& q, decision& d) const {
  if (std::holds_alternative<audit_query>(q)) {
    d = audit();
    return;
  }
  const context c(*rules_, *org_);
  d.clear();
  d.traced = trace_;
  std::visit(overloaded{
                 [&](const kedudukan_query& k) {
                   d.kind = decision_kind::kedudukan;
                   eval::check_kedudukan(c, k.position, k.atasan, d);
                 },
                 [&](const penugasan_query& p) {
                   d.kind = decision_kind::penugasan;
                   eval::check_penugasan(c, p, d);
                 },
                 [&](const pelaporan_query& p) {
                   d.kind = decision_kind::pelaporan;
                   eval::check_pelaporan(c, p, d);
                 },
                 [&](const tim_query& t) {
                   d.kind = decision_kind::tim;
                   eval::check_team(c, t.team, d);
                 },
                 [&](const audit_query&) {},
             },
             q);
  if (d.traced) note_repealed(*rules_, d);
  finish(d);
}

std::optional<decision> evaluator::check(const nlohmann::json& q, diagnostics& errors) const {
  auto typed = read_query(q, *rules_, *org_, errors);
  if (!typed) return std::nullopt;
  return evaluate(*typed);
}

bool evaluator::check(const nlohmann::json& q, diagnostics& errors, decision& d) const {
  // Each thread reads its queries into one typed query, whose lists keep
  // their memory from one query to the next (the evaluator stays shared and
  // const). Between calls it is never read: the next call reads it anew.
  thread_local query typed;
  if (!read_query(q, *rules_, *org_, errors, typed)) return false;
  evaluate(typed, d);
  return true;
}

namespace eval {

decision audit_slice(const compiled_ruleset& r, const org::org_graph& o, std::size_t begin, std::size_t end) {
  std::unordered_set<const rule_info*> seen;
  const context c(r, o, &seen);  // one context per thread: its guards are per query
  const std::size_t np = o.positions().size(), nd = o.delegations().size();
  decision d;
  d.kind = decision_kind::audit;
  d.traced = false;  // an audit reports findings; per-item traces would be thrown away
  std::size_t checked = 0;
  for (std::size_t k = begin; k < end; ++k) {
    if (k < np) {
      const auto p = static_cast<index>(k);
      if (!c.is_fp_or_pelaksana(p)) continue;  // neither FP nor pelaksana: not checked, not counted
      check_kedudukan(c, p, o.positions()[p].atasan, d);
    } else if (k < np + nd) {
      check_delegation(c, o.delegations()[k - np], d);
    } else {
      check_team(c, team_of(o, static_cast<index>(k - np - nd)), d);
    }
    ++checked;
  }
  d.checked = checked;
  return d;
}

}  // namespace eval

namespace {

// Slices merge in item order, so the findings are the same for any thread count and any cut.
decision merge_slices(std::vector<decision>& slices) {
  decision d;
  d.kind = decision_kind::audit;
  d.traced = false;
  std::size_t checked = 0;
  std::unordered_set<const rule_info*> named;
  for (auto& one : slices) {
    checked += *one.checked;
    for (auto* r : one.considered) {
      if (named.insert(r).second) d.considered.push_back(r);
    }
    std::move(one.violations.begin(), one.violations.end(), std::back_inserter(d.violations));
    std::move(one.warnings.begin(), one.warnings.end(), std::back_inserter(d.warnings));
    std::move(one.needs.begin(), one.needs.end(), std::back_inserter(d.needs));
  }
  d.checked = checked;
  d.result = d.violations.empty() ? outcome::allowed : outcome::denied;
  return d;
}

}  // namespace

decision evaluator::audit(unsigned threads) const {
  const std::size_t total = org_->positions().size() + org_->delegations().size() + org_->teams().size();
  constexpr std::size_t min_slice = 256;  // below this a thread costs more than it saves
  const std::size_t parts = std::clamp<std::size_t>(threads, 1, std::max<std::size_t>(1, total / min_slice));
  std::vector<decision> slices(parts);
  {
    std::vector<std::jthread> workers;
    for (std::size_t i = 1; i < parts; ++i) {
      workers.emplace_back(
          [&, i] { slices[i] = eval::audit_slice(*rules_, *org_, total * i / parts, total * (i + 1) / parts); });
    }
    slices[0] = eval::audit_slice(*rules_, *org_, 0, total / parts);
  }  // joins
  return merge_slices(slices);
}

decision evaluator::audit(unsigned threads, const std::function<void(std::size_t, std::size_t)>& on_progress) const {
  if (!on_progress) return audit(threads);
  const std::size_t total = org_->positions().size() + org_->delegations().size() + org_->teams().size();
  // ~200 chunks: a smooth progress line, and little cost per chunk.
  const std::size_t chunk = std::max<std::size_t>(256, total / 200 + 1);
  const std::size_t chunks = std::max<std::size_t>(1, (total + chunk - 1) / chunk);
  std::vector<decision> slices(chunks);
  std::atomic<std::size_t> next{0}, done{0};
  const auto work = [&](bool report) {
    for (std::size_t c = next++; c < chunks; c = next++) {
      const std::size_t first = std::min(total, c * chunk), last = std::min(total, (c + 1) * chunk);
      slices[c] = eval::audit_slice(*rules_, *org_, first, last);
      done += last - first;
      if (report) on_progress(done.load(), total);
    }
  };
  {
    std::vector<std::jthread> workers;
    for (unsigned i = 1; i < std::max(1U, threads); ++i) workers.emplace_back([&] { work(false); });
    work(true);
  }  // joins
  on_progress(total, total);
  return merge_slices(slices);
}

}  // namespace perwal
