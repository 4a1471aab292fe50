// The message catalogue: every sentence perwal says about a decision, in
// Indonesian and English, with named placeholders (`{atasan}`). Rendering
// (render.cpp) picks an entry and fills it; nothing else makes prose.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "engine/common/lang.hpp"

namespace perwal::messages {

enum class id : std::uint16_t {
  // labels
  nobody,
  no_unit,
  or_word,
  no_reason,
  // findings and fixes
  misplaced_default,
  misplaced_no_atasan,
  misplaced_wrong_kind,
  misplaced_outside_pd,
  misplaced_fix_candidate,
  misplaced_fix_place,
  scope_uncovered,
  scope_uncovered_fix,
  no_mechanism,
  no_mechanism_fix,
  actor_missing,
  actor_role_empty,
  actor_wrong,
  actor_fix,
  copy_missing,
  copy_missing_fix,
  contents_missing,
  contents_missing_fix,
  step_condition,
  step_skipped,
  step_skipped_fix,
  wrong_issuer,
  wrong_issuer_fix,
  refused,
  refused_fix,
  refused_by_wrong_official,
  refused_by_wrong_official_fix,
  refused_without_reason,
  refused_without_reason_fix,
  report_unregulated,
  report_misdirected,
  report_misdirected_fix,
  // trace lines
  trace_atasan_chain,
  trace_not_applicable,
  trace_permitted,
  trace_broken,
  trace_held,
  trace_level,
  trace_penilai,
  trace_pimpinan,
  trace_override,
  trace_refines,
  trace_replaces,
  trace_not_fp,
  trace_no_table,
  trace_scope,
  trace_workflow,
  trace_step_unnamed,
  trace_refusal,
  trace_review_chain,
  // the text report
  text_decision,
  text_allowed,
  text_denied,
  text_incomplete,
  text_checked,
  text_scope,
  text_workflow,
  text_summary,
  text_violations,
  text_warnings,
  text_article,
  text_org_path,
  text_fix,
  text_next,
  text_by,
  text_nobody_in_org,
  text_explanation,
  count_
};

// The entry in `language`, placeholders filled from `args` ({name} → value).
[[nodiscard]] std::string format(id m, lang language,
                                 std::initializer_list<std::pair<std::string_view, std::string_view>> args = {});
// The entry as written (for tests that check every entry has both languages).
[[nodiscard]] std::string_view pattern(id m, lang language);

}  // namespace perwal::messages
