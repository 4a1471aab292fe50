// The ids of the sentences perwal says about a decision. Their texts, in
// Indonesian and English with named placeholders (`{atasan}`), are entries
// of the one message catalogue (engine/common/messages.cpp); rendering
// (render.cpp) picks one and fills it, nothing else makes prose.
#pragma once

#include <array>
#include <string_view>

namespace perwal::messages {

inline constexpr std::string_view nobody = "decision.nobody";
inline constexpr std::string_view no_unit = "decision.no-unit";
inline constexpr std::string_view or_word = "decision.or-word";
inline constexpr std::string_view no_reason = "decision.no-reason";
inline constexpr std::string_view misplaced_default = "decision.misplaced-default";
inline constexpr std::string_view misplaced_no_atasan = "decision.misplaced-no-atasan";
inline constexpr std::string_view misplaced_wrong_kind = "decision.misplaced-wrong-kind";
inline constexpr std::string_view misplaced_outside_pd = "decision.misplaced-outside-pd";
inline constexpr std::string_view misplaced_fix_candidate = "decision.misplaced-fix-candidate";
inline constexpr std::string_view misplaced_fix_place = "decision.misplaced-fix-place";
inline constexpr std::string_view scope_uncovered = "decision.scope-uncovered";
inline constexpr std::string_view scope_uncovered_fix = "decision.scope-uncovered-fix";
inline constexpr std::string_view no_mechanism = "decision.no-mechanism";
inline constexpr std::string_view no_mechanism_fix = "decision.no-mechanism-fix";
inline constexpr std::string_view actor_missing = "decision.actor-missing";
inline constexpr std::string_view actor_role_empty = "decision.actor-role-empty";
inline constexpr std::string_view actor_wrong = "decision.actor-wrong";
inline constexpr std::string_view actor_fix = "decision.actor-fix";
inline constexpr std::string_view copy_missing = "decision.copy-missing";
inline constexpr std::string_view copy_missing_fix = "decision.copy-missing-fix";
inline constexpr std::string_view contents_missing = "decision.contents-missing";
inline constexpr std::string_view contents_missing_fix = "decision.contents-missing-fix";
inline constexpr std::string_view facts_unstated = "decision.facts-unstated";
inline constexpr std::string_view facts_unstated_fix = "decision.facts-unstated-fix";
inline constexpr std::string_view contents_unstated = "decision.contents-unstated";
inline constexpr std::string_view contents_unstated_fix = "decision.contents-unstated-fix";
inline constexpr std::string_view values_found = "decision.values-found";
inline constexpr std::string_view addressee_missing = "decision.addressee-missing";
inline constexpr std::string_view addressee_missing_fix = "decision.addressee-missing-fix";
inline constexpr std::string_view step_condition = "decision.step-condition";
inline constexpr std::string_view step_skipped = "decision.step-skipped";
inline constexpr std::string_view step_skipped_fix = "decision.step-skipped-fix";
inline constexpr std::string_view wrong_issuer = "decision.wrong-issuer";
inline constexpr std::string_view wrong_issuer_fix = "decision.wrong-issuer-fix";
inline constexpr std::string_view refused = "decision.refused";
inline constexpr std::string_view refused_fix = "decision.refused-fix";
inline constexpr std::string_view refused_by_wrong_official = "decision.refused-by-wrong-official";
inline constexpr std::string_view refused_by_wrong_official_fix = "decision.refused-by-wrong-official-fix";
inline constexpr std::string_view refused_without_reason = "decision.refused-without-reason";
inline constexpr std::string_view refused_without_reason_fix = "decision.refused-without-reason-fix";
inline constexpr std::string_view report_unregulated = "decision.report-unregulated";
inline constexpr std::string_view report_misdirected = "decision.report-misdirected";
inline constexpr std::string_view report_misdirected_fix = "decision.report-misdirected-fix";
inline constexpr std::string_view trace_atasan_chain = "decision.trace-atasan-chain";
inline constexpr std::string_view trace_not_applicable = "decision.trace-not-applicable";
inline constexpr std::string_view trace_permitted = "decision.trace-permitted";
inline constexpr std::string_view trace_broken = "decision.trace-broken";
inline constexpr std::string_view trace_held = "decision.trace-held";
inline constexpr std::string_view trace_level = "decision.trace-level";
inline constexpr std::string_view trace_penilai = "decision.trace-penilai";
inline constexpr std::string_view trace_pimpinan = "decision.trace-pimpinan";
inline constexpr std::string_view trace_override = "decision.trace-override";
inline constexpr std::string_view trace_refines = "decision.trace-refines";
inline constexpr std::string_view trace_replaces = "decision.trace-replaces";
inline constexpr std::string_view trace_not_fp = "decision.trace-not-fp";
inline constexpr std::string_view trace_no_table = "decision.trace-no-table";
inline constexpr std::string_view trace_scope = "decision.trace-scope";
inline constexpr std::string_view trace_workflow = "decision.trace-workflow";
inline constexpr std::string_view trace_step_unnamed = "decision.trace-step-unnamed";
inline constexpr std::string_view trace_refusal = "decision.trace-refusal";
inline constexpr std::string_view trace_repealed = "decision.trace-repealed";
inline constexpr std::string_view trace_review_chain = "decision.trace-review-chain";
inline constexpr std::string_view text_decision = "decision.text-decision";
inline constexpr std::string_view text_allowed = "decision.text-allowed";
inline constexpr std::string_view text_denied = "decision.text-denied";
inline constexpr std::string_view text_incomplete = "decision.text-incomplete";
inline constexpr std::string_view text_checked = "decision.text-checked";
inline constexpr std::string_view text_scope = "decision.text-scope";
inline constexpr std::string_view text_workflow = "decision.text-workflow";
inline constexpr std::string_view text_summary = "decision.text-summary";
inline constexpr std::string_view text_violations = "decision.text-violations";
inline constexpr std::string_view text_needs = "decision.text-needs";
inline constexpr std::string_view text_audit = "decision.text-audit";
inline constexpr std::string_view text_warnings = "decision.text-warnings";
inline constexpr std::string_view text_article = "decision.text-article";
inline constexpr std::string_view text_org_path = "decision.text-org-path";
inline constexpr std::string_view text_fix = "decision.text-fix";
inline constexpr std::string_view text_next = "decision.text-next";
inline constexpr std::string_view text_by = "decision.text-by";
inline constexpr std::string_view text_nobody_in_org = "decision.text-nobody-in-org";
inline constexpr std::string_view text_explanation = "decision.text-explanation";

// Every id above, for the test that each has both languages.
inline constexpr std::array all = {
    nobody,
    no_unit,
    or_word,
    no_reason,
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
    facts_unstated,
    facts_unstated_fix,
    contents_unstated,
    contents_unstated_fix,
    values_found,
    addressee_missing,
    addressee_missing_fix,
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
    trace_repealed,
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
    text_needs,
    text_audit,
    text_article,
    text_org_path,
    text_fix,
    text_next,
    text_by,
    text_nobody_in_org,
    text_explanation,
};

}  // namespace perwal::messages
