// The perwal DSL grammar (docs/dsl.md). Rules are empty structs; the parse
// tree selector at the end names the ones the AST builder reads. Commit
// points are `expect<R>`: failing there raises a parse error whose message
// comes from the `error_message` table in perwal_errors.hpp.
#pragma once

#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze_traits.hpp>
#include <tao/pegtl/contrib/parse_tree.hpp>

namespace perwal::grammar {

namespace pegtl = tao::pegtl;
using namespace tao::pegtl;  // NOLINT: grammar vocabulary (seq, sor, star, …)

// A commit point: once here, R must match (error text: error_message<R>).
// Raising explicitly (not only through control::failure) keeps this working
// inside the parse tree, whose control does not forward failures of rules it
// does not store.
template <typename R>
struct expect : sor<R, tao::pegtl::raise<expect<R>>> {};

// ---- lexical ---------------------------------------------------------------
// The grammar recurses through a few rules (`not`, brackets, lists, an
// example's JSON); each is wrapped in nested<>, one level of the parser's
// stack. Beyond max_nesting levels the parse stops (nesting_exceeded) before
// the stack can overflow, whatever the text hides in comments or strings.
inline constexpr std::size_t max_nesting = 200;
struct nesting_exceeded {
  tao::pegtl::position at;
};
inline thread_local std::size_t nesting_depth = 0;  // reset by the parser; one parse per thread

template <typename R>
struct nested {
  using rule_t = nested;
  using subs_t = tao::pegtl::type_list<R>;
  template <tao::pegtl::apply_mode A, tao::pegtl::rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename... States>
  static bool match(ParseInput& in, States&&... st) {
    if (nesting_depth >= max_nesting) throw nesting_exceeded{in.position()};
    ++nesting_depth;
    struct leave {
      ~leave() { --nesting_depth; }
    } on_exit;
    return Control<R>::template match<A, M, Action, Control>(in, st...);
  }
};
}  // namespace perwal::grammar

// For pegtl::analyze (tests/grammar_test.cpp): nested<R> matches as R.
template <typename Name, typename R>
struct tao::pegtl::analyze_traits<Name, perwal::grammar::nested<R>> : analyze_seq_traits<R> {};

namespace perwal::grammar {

struct line_comment : seq<sor<one<'#'>, two<'/'>>, until<eolf>> {};
struct ws : star<sor<space, line_comment, one<';'>>> {};  // ';' is an optional clause separator
template <typename R>
struct w : seq<R, ws> {};  // a token and the blanks after it

struct ident_first : ranges<'a', 'z', 'A', 'Z', '_'> {};
struct ident_other : ranges<'a', 'z', 'A', 'Z', '0', '9', '_'> {};
struct identifier : seq<ident_first, star<ident_other>> {};
struct dotted_name : seq<identifier, star<one<'.'>, identifier>> {};
struct slug : seq<ranges<'a', 'z', '0', '9'>, star<ranges<'a', 'z', '0', '9', '-', '-', '_', '_'>>> {};

struct escaped : seq<one<'\\'>, one<'"', '\\', 'n', 't'>> {};
struct string_char : sor<escaped, not_one<'"', '\\', '\n'>> {};
struct string_body : star<string_char> {};
struct string_close : one<'"'> {};
struct string_lit : seq<one<'"'>, string_body, expect<string_close>> {};
struct number : seq<opt<one<'-'>>, plus<digit>, opt<one<'.'>, plus<digit>>> {};
struct date : seq<rep<4, digit>, one<'-'>, rep<2, digit>, one<'-'>, rep<2, digit>> {};

#define PERWAL_KW(name, text) \
  struct name : TAO_PEGTL_KEYWORD(text) {}
PERWAL_KW(kw_ruleset, "ruleset");
PERWAL_KW(kw_title, "title");
PERWAL_KW(kw_cite_as, "cite_as");
PERWAL_KW(kw_number, "number");
PERWAL_KW(kw_year, "year");
PERWAL_KW(kw_region, "region");
PERWAL_KW(kw_status, "status");
PERWAL_KW(kw_enacted, "enacted");
PERWAL_KW(kw_promulgated, "promulgated");
PERWAL_KW(kw_in_force, "in_force");
PERWAL_KW(kw_draft, "draft");
PERWAL_KW(kw_extends, "extends");
PERWAL_KW(kw_example_org, "example_org");
PERWAL_KW(kw_include, "include");
PERWAL_KW(kw_allow, "allow");
PERWAL_KW(kw_because, "because");
PERWAL_KW(kw_codes, "codes");
PERWAL_KW(kw_define, "define");
PERWAL_KW(kw_scope, "scope");
PERWAL_KW(kw_kedudukan, "kedudukan");
PERWAL_KW(kw_for, "for");
PERWAL_KW(kw_under, "under");
PERWAL_KW(kw_level, "level");
PERWAL_KW(kw_penilai, "penilai");
PERWAL_KW(kw_pimpinan_unit, "pimpinan_unit");
PERWAL_KW(kw_review, "review");
PERWAL_KW(kw_rule, "rule");
PERWAL_KW(kw_on, "on");
PERWAL_KW(kw_cite, "cite");
PERWAL_KW(kw_quote, "quote");
PERWAL_KW(kw_text, "text");
PERWAL_KW(kw_when, "when");
PERWAL_KW(kw_require, "require");
PERWAL_KW(kw_message, "message");
PERWAL_KW(kw_hint, "hint");
PERWAL_KW(kw_en, "en");
PERWAL_KW(kw_report, "report");
PERWAL_KW(kw_as, "as");
PERWAL_KW(kw_to, "to");
PERWAL_KW(kw_workflow, "workflow");
PERWAL_KW(kw_mode, "mode");
PERWAL_KW(kw_issuer, "issuer");
PERWAL_KW(kw_step, "step");
PERWAL_KW(kw_by, "by");
PERWAL_KW(kw_from, "from");
PERWAL_KW(kw_cc, "cc");
PERWAL_KW(kw_contents, "contents");
PERWAL_KW(kw_where, "where");
PERWAL_KW(kw_optional, "optional");
PERWAL_KW(kw_refusal, "refusal");
PERWAL_KW(kw_reason, "reason");
PERWAL_KW(kw_required, "required");
PERWAL_KW(kw_refine, "refine");
PERWAL_KW(kw_strength, "strength");
PERWAL_KW(kw_override, "override");
PERWAL_KW(kw_example, "example");
PERWAL_KW(kw_org, "org");
PERWAL_KW(kw_query, "query");
PERWAL_KW(kw_expect, "expect");
PERWAL_KW(kw_violation, "violation");
PERWAL_KW(kw_warning, "warning");
PERWAL_KW(kw_needs, "needs");
PERWAL_KW(kw_next, "next");
PERWAL_KW(kw_and, "and");
PERWAL_KW(kw_or, "or");
PERWAL_KW(kw_not, "not");
PERWAL_KW(kw_in, "in");
PERWAL_KW(kw_is, "is");
PERWAL_KW(kw_null, "null");
PERWAL_KW(kw_true, "true");
PERWAL_KW(kw_every, "every");
PERWAL_KW(kw_some, "some");
PERWAL_KW(kw_fields, "fields");
PERWAL_KW(kw_record, "record");
PERWAL_KW(kw_team, "team");
PERWAL_KW(kw_delegation, "delegation");
PERWAL_KW(kw_set, "set");
PERWAL_KW(kw_check, "check");
PERWAL_KW(kw_repeal, "repeal");
PERWAL_KW(kw_also_to, "also_to");
PERWAL_KW(kw_false, "false");
#undef PERWAL_KW

struct lbrace : one<'{'> {};
struct rbrace : one<'}'> {};
struct equals : one<'='> {};
struct comma : one<','> {};

// ---- shared pieces ---------------------------------------------------------
struct rule_name : dotted_name {};
struct code_ref : identifier {};
struct code_list : seq<w<code_ref>, star<w<comma>, w<expect<code_ref>>>> {};
struct strength : sor<TAO_PEGTL_KEYWORD("wajib"), TAO_PEGTL_KEYWORD("dilarang"), TAO_PEGTL_KEYWORD("boleh"),
                      TAO_PEGTL_KEYWORD("diutamakan")> {};

// cite Lampiran III huruf A angka 2 huruf a, Pasal 8 ayat (4)
struct cite_key : seq<sor<TAO_PEGTL_ISTRING("lampiran"), TAO_PEGTL_ISTRING("bab"), TAO_PEGTL_ISTRING("bagian"),
                          TAO_PEGTL_ISTRING("paragraf"), TAO_PEGTL_ISTRING("pasal"), TAO_PEGTL_ISTRING("ayat"),
                          TAO_PEGTL_ISTRING("huruf"), TAO_PEGTL_ISTRING("angka"), TAO_PEGTL_ISTRING("butir")>,
                      not_at<ident_other>> {};
// "(2)", "5", "b", and a Lampiran's "1)" / "a)" items.
struct cite_value : sor<seq<one<'('>, plus<alnum>, one<')'>>, seq<plus<alnum>, opt<one<')'>>>> {};
struct cite_part : seq<w<cite_key>, w<expect<cite_value>>> {};
// A regulation with a single, unnumbered annex cites it as "Lampiran huruf B …".
struct cite_bare_key : seq<TAO_PEGTL_ISTRING("lampiran"), not_at<ident_other>> {};
struct cite_part_bare : seq<w<cite_bare_key>, at<w<cite_key>>> {};
struct cite_note : string_lit {};
// `quote "…"`: the article's words, for a text the repository does not hold.
struct cite_quote : string_lit {};
struct cite_quote_clause : seq<w<kw_quote>, w<expect<cite_quote>>> {};
// Parts, optionally followed by a quoted note ("(pembukaan)"), or a note alone;
// either may carry its own quotation.
struct citation : sor<seq<w<cite_note>, opt<cite_quote_clause>>,
                      seq<opt<cite_part_bare>, plus<cite_part>, opt<w<cite_note>>, opt<cite_quote_clause>>> {};
struct cite_clause : seq<w<kw_cite>, expect<citation>, star<w<comma>, expect<citation>>> {};

struct message_en : string_lit {};
struct message_clause : seq<w<kw_message>, w<expect<string_lit>>, opt<w<kw_en>, w<expect<message_en>>>> {};
struct hint_en : string_lit {};
struct hint_clause : seq<w<kw_hint>, w<expect<string_lit>>, opt<w<kw_en>, w<expect<hint_en>>>> {};

// ---- expressions -----------------------------------------------------------
struct expr;
struct call_arg : sor<string_lit, identifier> {};
struct call_args : seq<one<'('>, ws, opt<w<call_arg>, star<w<comma>, w<expect<call_arg>>>>, expect<one<')'>>> {};
struct path_base : identifier {};
struct path_prop : identifier {};
struct path_step : seq<path_prop, opt<call_args>> {};
struct path : seq<path_base, star<one<'.'>, expect<path_step>>> {};
struct role_expr : seq<w<path>, star<w<one<'|'>>, w<expect<path>>>> {};

struct bool_true : kw_true {};
struct bool_false : kw_false {};
struct paren_close : one<')'> {};
struct paren_expr : nested<seq<w<one<'('>>, expect<expr>, w<expect<paren_close>>>> {};
struct operand;
struct list_close : one<']'> {};
struct list_literal
    : nested<seq<w<one<'['>>, opt<w<operand>, star<w<comma>, w<expect<operand>>>>, w<expect<list_close>>>> {};
// `count(team.anggota)`, `months_between(step.mulai, step.selesai)`: a built-in
// function over expressions (docs/dsl.md lists them).
struct func_name : identifier {};
struct func_call
    : nested<seq<func_name, one<'('>, ws, opt<w<expr>, star<w<comma>, w<expect<expr>>>>, w<expect<paren_close>>>> {};
struct operand : sor<paren_expr, w<date>, w<number>, w<string_lit>, w<bool_true>, w<bool_false>, list_literal,
                     w<func_call>, role_expr> {};
struct cmp_op : sor<string<'=', '='>, string<'!', '='>, string<'<', '='>, string<'>', '='>, one<'<'>, one<'>'>> {};
struct cmp_tail : seq<w<cmp_op>, expect<operand>> {};
struct in_tail : seq<w<kw_in>, expect<operand>> {};
struct is_not : kw_not {};
struct null_tail : seq<w<kw_is>, opt<w<is_not>>, w<expect<kw_null>>> {};
struct comparison : seq<operand, opt<sor<cmp_tail, in_tail, null_tail>>> {};
struct not_expr;
struct negation : nested<seq<w<kw_not>, expect<not_expr>>> {};
// `every m in team.anggota: m.jenis in [fungsional, pelaksana]` (and `some`):
// the body is one comparison or negation; wrap and/or in parentheses.
struct quant_every : kw_every {};
struct quant_some : kw_some {};
struct quant_var : identifier {};
struct quantifier : nested<seq<w<sor<quant_every, quant_some>>, w<expect<quant_var>>, w<expect<kw_in>>, expect<operand>,
                               w<expect<one<':'>>>, expect<not_expr>>> {};
struct not_expr : sor<negation, quantifier, comparison> {};
struct and_expr : seq<not_expr, star<w<kw_and>, expect<not_expr>>> {};
struct or_expr : seq<and_expr, star<w<kw_or>, expect<and_expr>>> {};
struct expr : seq<or_expr> {};  // seq<>, not inheritance: or_expr must run as itself to be kept in the tree

struct when_clause : seq<w<kw_when>, expect<expr>> {};
struct require_clause : seq<w<kw_require>, expect<expr>> {};

// ---- header ----------------------------------------------------------------
struct status_value : sor<kw_draft, kw_enacted> {};
struct date_key : sor<kw_enacted, kw_promulgated, kw_in_force> {};
struct header_value : sor<string_lit, number> {};
struct hf_title : seq<w<kw_title>, w<expect<string_lit>>> {};
struct hf_cite_as : seq<w<kw_cite_as>, w<expect<string_lit>>> {};
struct hf_number : seq<w<kw_number>, w<expect<header_value>>> {};
struct hf_year : seq<w<kw_year>, w<expect<number>>> {};
struct hf_region : seq<w<kw_region>, w<expect<string_lit>>> {};
struct hf_status : seq<w<kw_status>, w<expect<status_value>>> {};
struct hf_date : seq<w<date_key>, w<expect<date>>> {};
struct hf_extends : seq<w<kw_extends>, w<expect<slug>>> {};
struct hf_example_org : seq<w<kw_example_org>, w<expect<string_lit>>> {};
// `text "../regulations/x.txt"`: the regulation's words, which the cites must name (repeatable).
struct hf_text : seq<w<kw_text>, w<expect<string_lit>>> {};
struct header_field : sor<hf_title, hf_cite_as, hf_number, hf_year, hf_region, hf_status, hf_date, hf_extends,
                          hf_example_org, hf_text> {};
struct header_close : rbrace {};
struct header : seq<w<kw_ruleset>, w<expect<slug>>, w<expect<lbrace>>, star<header_field>, w<expect<header_close>>> {};

// ---- declarations ----------------------------------------------------------
struct include_decl : seq<w<kw_include>, w<expect<string_lit>>> {};

// `allow W012, W013 because "…"`: warnings of these codes are not reported
// for this ruleset (docs/diagnostics.md); the reason is required.
struct diag_code : seq<ranges<'A', 'Z'>, plus<digit>> {};
struct allow_reason : string_lit {};
struct allow_decl : seq<w<kw_allow>, w<expect<diag_code>>, star<w<comma>, w<expect<diag_code>>>, w<expect<kw_because>>,
                        w<expect<allow_reason>>> {};

struct category_name : identifier {};
struct code_label : string_lit {};
struct code_item : seq<w<code_ref>, opt<w<code_label>>> {};
struct code_tier : seq<code_item, star<w<comma>, expect<code_item>>> {};
struct codes_close : rbrace {};
struct codes_decl : seq<w<kw_codes>, w<expect<category_name>>, w<expect<lbrace>>, expect<code_tier>,
                        star<w<one<'>'>>, expect<code_tier>>, w<expect<codes_close>>> {};

struct define_name : identifier {};
// `sekretariat [dinas, badan]`: the kind counts only inside those kinds of perangkat daerah.
struct define_within : seq<w<one<'['>>, expect<code_list>, w<expect<list_close>>> {};
struct define_item : seq<w<code_ref>, opt<define_within>> {};
struct define_list : seq<define_item, star<w<comma>, expect<define_item>>> {};
struct define_decl
    : seq<w<kw_define>, w<expect<define_name>>, w<expect<equals>>, expect<define_list>, expect<cite_clause>> {};

struct scope_name : identifier {};
struct scope_decl : seq<w<kw_scope>, w<expect<scope_name>>, w<expect<equals>>, expect<code_list>, expect<cite_clause>> {
};

struct block_close : rbrace {};

// The schema of the data the rules read: `fields step surat_penugasan { durasi_bulan number }`,
// `fields team { keputusan keputusan_tim }`, `fields record keputusan_tim { nomor text, memuat set isi_keputusan }`.
struct field_name : identifier {};
struct field_set : kw_set {};
struct field_type : seq<opt<w<field_set>>, identifier> {};
struct field_item : seq<w<field_name>, w<expect<field_type>>> {};
struct fields_step : seq<w<kw_step>, expect<code_list>> {};
struct fields_team : kw_team {};
struct fields_delegation : kw_delegation {};
struct record_name : identifier {};
struct fields_record : seq<w<kw_record>, w<expect<record_name>>> {};
struct fields_close : rbrace {};
struct fields_decl : seq<w<kw_fields>, expect<sor<fields_step, w<fields_team>, w<fields_delegation>, fields_record>>,
                         w<expect<lbrace>>, opt<field_item, star<opt<w<comma>>, field_item>>, w<expect<fields_close>>> {
};

struct under_flag : sor<kw_penilai, kw_pimpinan_unit> {};
struct under_level : number {};
struct under_clause
    : seq<w<kw_under>, expect<code_list>, opt<w<kw_level>, w<expect<under_level>>>, star<w<under_flag>>> {};
struct review_clause
    : seq<w<kw_review>, w<expect<code_ref>>, star<w<one<'>'>>, w<expect<code_ref>>>, opt<cite_clause>> {};
struct kedudukan_clause : sor<cite_clause, under_clause, review_clause, message_clause, hint_clause> {};
struct kedudukan_decl
    : seq<w<kw_kedudukan>, w<expect<rule_name>>, w<expect<strength>>, w<expect<kw_for>>, expect<code_list>,
          opt<when_clause>, w<expect<lbrace>>, star<kedudukan_clause>, w<expect<block_close>>> {};

struct query_kind : identifier {};
struct rule_clause : sor<cite_clause, when_clause, require_clause, message_clause, hint_clause> {};
struct rule_decl : seq<w<kw_rule>, w<expect<rule_name>>, w<expect<strength>>, w<expect<kw_on>>, w<expect<query_kind>>,
                       w<expect<lbrace>>, star<rule_clause>, w<expect<block_close>>> {};

struct to_clause : seq<w<kw_to>, expect<role_expr>> {};
// `also_to <role>`: the same report is owed to this addressee as well.
struct also_to_clause : seq<w<kw_also_to>, expect<role_expr>> {};
struct report_clause
    : sor<cite_clause, to_clause, also_to_clause, when_clause, require_clause, message_clause, hint_clause> {};
struct report_decl : seq<w<kw_report>, w<expect<rule_name>>, w<expect<strength>>, w<expect<kw_as>>, expect<code_list>,
                         w<expect<lbrace>>, star<report_clause>, w<expect<block_close>>> {};

struct mode_clause : seq<w<kw_mode>, w<expect<code_ref>>> {};
struct scope_clause : seq<w<kw_scope>, expect<code_list>> {};
struct issuer_clause : seq<w<kw_issuer>, expect<role_expr>, opt<cite_clause>> {};
struct by_clause : seq<w<kw_by>, expect<role_expr>> {};
struct from_clause : seq<w<kw_from>, expect<role_expr>> {};
struct cc_clause : seq<w<kw_cc>, expect<role_expr>, star<w<comma>, expect<role_expr>>, opt<cite_clause>> {};
struct contents_clause : seq<w<kw_contents>, expect<code_list>, opt<cite_clause>> {};
struct where_clause : seq<w<kw_where>, expect<expr>> {};
struct optional_flag : kw_optional {};
struct check_name : identifier {};
struct check_decl : seq<w<kw_check>, w<expect<check_name>>, w<expect<strength>>, w<expect<lbrace>>, star<rule_clause>,
                        w<expect<block_close>>> {};
struct step_clause : sor<by_clause, from_clause, to_clause, cc_clause, contents_clause, where_clause, w<optional_flag>,
                         check_decl, cite_clause, message_clause, hint_clause> {};
struct step_name : identifier {};
struct step_actions : seq<w<code_ref>, star<w<one<'|'>>, w<expect<code_ref>>>> {};
struct step_decl : seq<w<kw_step>, w<expect<step_name>>, expect<step_actions>, w<expect<lbrace>>, star<step_clause>,
                       w<expect<block_close>>> {};
struct reason_required : seq<w<kw_reason>, w<expect<kw_required>>> {};
struct refusal_clause : sor<by_clause, reason_required, where_clause, cite_clause, message_clause, hint_clause> {};
struct refusal_decl : seq<w<kw_refusal>, w<expect<lbrace>>, star<refusal_clause>, w<expect<block_close>>> {};
struct workflow_clause : sor<mode_clause, scope_clause, cite_clause, when_clause, issuer_clause, step_decl,
                             refusal_decl, message_clause, hint_clause> {};
struct workflow_decl : seq<w<kw_workflow>, w<expect<rule_name>>, w<expect<strength>>, w<expect<lbrace>>,
                           star<workflow_clause>, w<expect<block_close>>> {};

struct strength_clause : seq<w<kw_strength>, w<expect<strength>>> {};
struct refine_clause : sor<cite_clause, when_clause, require_clause, message_clause, hint_clause, strength_clause> {};
struct refine_decl
    : seq<w<kw_refine>, w<expect<rule_name>>, w<expect<lbrace>>, star<refine_clause>, w<expect<block_close>>> {};

// `repeal kedudukan.x cite Pasal 20 because "…"`: a base rule this regulation does not keep.
struct repeal_reason : string_lit {};
struct repeal_decl
    : seq<w<kw_repeal>, w<expect<rule_name>>, expect<cite_clause>, opt<w<kw_because>, w<expect<repeal_reason>>>> {};

struct overridable : sor<define_decl, kedudukan_decl, rule_decl, report_decl, workflow_decl> {};
struct override_decl : seq<w<kw_override>, expect<overridable>> {};

// Examples carry a JSON query verbatim: balanced braces, strings respected.
struct json_object;
struct json_array;
struct json_text : sor<string_lit, json_object, json_array, not_one<'{', '}', '[', ']', '"'>> {};
struct json_object : nested<seq<one<'{'>, star<json_text>, expect<rbrace>>> {};
struct json_array : nested<seq<one<'['>, star<json_text>, expect<list_close>>> {};
struct json_value : sor<json_object, json_array> {};
struct decision_value
    : sor<TAO_PEGTL_KEYWORD("allowed"), TAO_PEGTL_KEYWORD("denied"), TAO_PEGTL_KEYWORD("incomplete")> {};
struct exp_violation : seq<w<kw_violation>, w<expect<rule_name>>> {};
struct exp_warning : seq<w<kw_warning>, w<expect<rule_name>>> {};
// `expect needs rule`: the rule cannot be decided without evidence the data lacks.
struct exp_needs : seq<w<kw_needs>, w<expect<rule_name>>> {};
struct exp_next : seq<w<kw_next>, w<expect<code_ref>>> {};
struct exp_scope : seq<w<kw_scope>, w<expect<code_ref>>> {};
struct expectation : sor<exp_violation, exp_warning, exp_needs, exp_next, exp_scope, w<decision_value>> {};
struct org_clause : seq<w<kw_org>, w<expect<string_lit>>> {};
struct query_clause : seq<w<kw_query>, w<expect<json_value>>> {};
struct expect_clause : seq<w<kw_expect>, expect<expectation>> {};
struct example_clause : sor<org_clause, query_clause, expect_clause> {};
struct example_decl
    : seq<w<kw_example>, w<expect<string_lit>>, w<expect<lbrace>>, star<example_clause>, w<expect<block_close>>> {};

struct decl : sor<include_decl, allow_decl, codes_decl, fields_decl, define_decl, scope_decl, kedudukan_decl, rule_decl,
                  report_decl, workflow_decl, refine_decl, repeal_decl, override_decl, example_decl> {};
struct end_of_file : eof {};
struct file : seq<ws, opt<header>, star<decl>, expect<end_of_file>> {};

// ---- what the parse tree keeps ---------------------------------------------
template <typename Rule>
using selector = tao::pegtl::parse_tree::selector<
    Rule,
    tao::pegtl::parse_tree::store_content::on<
        slug, string_lit, number, date, rule_name, func_name, func_call, quant_every, quant_some, quant_var, quantifier,
        field_name, field_set, field_type, field_item, fields_step, fields_team, fields_delegation, record_name,
        fields_record, fields_decl, check_name, check_decl, repeal_reason, repeal_decl, also_to_clause, code_ref,
        code_list, strength, cite_key, cite_value, cite_part, cite_bare_key, cite_part_bare, cite_note, cite_quote,
        citation, cite_clause, message_clause, message_en, hint_clause, hint_en, call_arg, call_args, path_base,
        path_prop, path_step, path, role_expr, bool_true, bool_false, list_literal, cmp_op, cmp_tail, in_tail, is_not,
        null_tail, comparison, negation, and_expr, or_expr, when_clause, require_clause, status_value, date_key,
        header_value, hf_title, hf_cite_as, hf_number, hf_year, hf_region, hf_status, hf_date, hf_extends,
        hf_example_org, hf_text, header, include_decl, category_name, code_label, code_item, diag_code, allow_reason,
        allow_decl, code_tier, codes_decl, define_name, define_within, define_item, define_decl, scope_name, scope_decl,
        under_flag, under_level, under_clause, review_clause, kedudukan_decl, query_kind, rule_decl, to_clause,
        report_decl, mode_clause, scope_clause, issuer_clause, by_clause, from_clause, cc_clause, contents_clause,
        where_clause, optional_flag, step_name, step_actions, step_decl, reason_required, refusal_decl, workflow_decl,
        strength_clause, refine_decl, override_decl, json_value, decision_value, exp_violation, exp_warning, exp_needs,
        exp_next, exp_scope, org_clause, query_clause, example_decl>>;

}  // namespace perwal::grammar
