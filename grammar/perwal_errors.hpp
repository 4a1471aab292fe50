// Every commit point of the grammar and the message shown when it fails.
// must_if<> refuses to compile a raise without a message, so each
// `expect<R>` in perwal_grammar.hpp has a line here.
#pragma once

#include <tao/pegtl.hpp>

#include "grammar/perwal_grammar.hpp"

namespace perwal::grammar {

template <typename>
inline constexpr const char* error_message = nullptr;

#define COMMA ,
#define PERWAL_ERROR(rule, text) \
  template <>                    \
  inline constexpr const char* error_message<expect<rule>> = text
PERWAL_ERROR(string_close, "unterminated string: expected '\"' before the end of the line");
PERWAL_ERROR(code_ref, "expected a code (an identifier such as kepala_bagian)");
PERWAL_ERROR(call_arg, "expected an argument (a code or a quoted string)");
PERWAL_ERROR(one<')'>, "expected ')' to close the argument list");
PERWAL_ERROR(path_step, "expected a property name after '.'");
PERWAL_ERROR(path, "expected a role expression (for example assignee.penilai)");
PERWAL_ERROR(expr, "expected a condition (for example assignee.jenis in [fungsional, pelaksana])");
PERWAL_ERROR(paren_close, "expected ')' to close the parenthesised condition");
PERWAL_ERROR(operand, "expected a value: a role expression, a code, a number, a string or a [list]");
PERWAL_ERROR(list_close, "expected ']' to close the list");
PERWAL_ERROR(kw_null, "expected 'null' after 'is' / 'is not'");
PERWAL_ERROR(not_expr, "expected a condition after 'not' / 'and'");
PERWAL_ERROR(and_expr, "expected a condition after 'or'");
PERWAL_ERROR(cite_value, "expected the value of the citation part (for example 'Pasal 5', 'ayat (1)', 'huruf a')");
PERWAL_ERROR(
    citation,
    "expected a citation: parts such as 'Pasal 5 ayat (1)' or 'Lampiran III huruf A angka 2', or a quoted note");
PERWAL_ERROR(cite_quote, "expected the article's words as a quoted string after 'quote'");
PERWAL_ERROR(string_lit, "expected a quoted string");
PERWAL_ERROR(message_en, "expected the English message as a quoted string after 'en'");
PERWAL_ERROR(hint_en, "expected the English hint as a quoted string after 'en'");
PERWAL_ERROR(number, "expected a number");
PERWAL_ERROR(header_value, "expected a quoted string or a number");
PERWAL_ERROR(status_value, "expected 'draft' or 'enacted'");
PERWAL_ERROR(date, "expected a date as YYYY-MM-DD");
PERWAL_ERROR(slug, "expected a ruleset id (lower case letters, digits and '-', e.g. padang-panjang-48-2024)");
PERWAL_ERROR(lbrace, "expected '{'");
PERWAL_ERROR(rbrace, "expected '}'");
PERWAL_ERROR(header_close,
             "expected a header field (title, cite_as, number, year, region, status, enacted, promulgated, "
             "in_force, extends, example_org, text) or '}'");
PERWAL_ERROR(category_name,
             "expected a code category (jenis, jenjang, unit_kind, position_kind, scope, mode, "
             "action, content, authority, team_role, report_as)");
PERWAL_ERROR(code_item, "expected a code after ','");
PERWAL_ERROR(code_tier, "expected a code");
PERWAL_ERROR(codes_close, "expected ',' or '>' and another code, or '}' to close the codes");
PERWAL_ERROR(define_name, "expected the name of the definition (perangkat_daerah or unit_organisasi)");
PERWAL_ERROR(scope_name, "expected the name of the regulation's scope");
PERWAL_ERROR(equals, "expected '='");
PERWAL_ERROR(code_list, "expected a list of codes separated by ','");
PERWAL_ERROR(define_item, "expected a unit kind after ','");
PERWAL_ERROR(define_list, "expected the unit kinds of the definition, separated by ','");
PERWAL_ERROR(cite_clause, "expected 'cite' and the article this rests on: every rule needs a citation");
PERWAL_ERROR(block_close, "expected a clause of this block or '}'");
PERWAL_ERROR(under_level, "expected the level number after 'level'");
PERWAL_ERROR(rule_name, "expected a rule name (dotted identifiers, e.g. penugasan.penunjukan.lintas_unit)");
PERWAL_ERROR(strength, "expected the rule's strength: wajib, dilarang, boleh or diutamakan");
PERWAL_ERROR(kw_for, "expected 'for' and the kinds of Perangkat Daerah this table covers");
PERWAL_ERROR(kw_on, "expected 'on' and the query the rule checks (kedudukan, penugasan, pelaporan, tim, delegasi)");
PERWAL_ERROR(kw_as, "expected 'as' and the kinds of report (individu, anggota_tim, ketua_tim, …)");
PERWAL_ERROR(query_kind, "expected the query the rule checks (kedudukan, penugasan, pelaporan, tim, delegasi)");
PERWAL_ERROR(role_expr, "expected a role expression (for example owner.pimpinan_unit)");
PERWAL_ERROR(step_name, "expected the step's name");
PERWAL_ERROR(step_actions, "expected the step's action (for example surat_permohonan_pelibatan)");
PERWAL_ERROR(kw_required, "expected 'required' after 'reason'");
PERWAL_ERROR(overridable, "expected a rule, kedudukan, report, workflow or define after 'override'");
PERWAL_ERROR(json_value, "expected the query as a JSON object");
PERWAL_ERROR(expectation,
             "expected allowed, denied, incomplete, 'violation RULE', 'warning RULE', 'needs RULE', "
             "'next ACTION' or 'scope SCOPE'");
PERWAL_ERROR(diag_code, "expected a diagnostic code after 'allow' (for example W012; see docs/diagnostics.md)");
PERWAL_ERROR(kw_because, "expected 'because' and a quoted reason: every allow says why the warning does not apply");
PERWAL_ERROR(allow_reason, "expected the reason as a quoted string after 'because'");
PERWAL_ERROR(sor<fields_step COMMA w<fields_team> COMMA w<fields_delegation> COMMA fields_record>,
             "expected what the fields belong to: 'step ACTION, …', 'team', 'delegation' or 'record NAME'");
PERWAL_ERROR(fields_close, "expected a field (a name and its type) or '}'");
PERWAL_ERROR(field_type,
             "expected the field's type: position, positions, unit, number, text, date, boolean, a code category "
             "(or 'set' and a category), or a record name");
PERWAL_ERROR(record_name, "expected the record's name after 'record'");
PERWAL_ERROR(quant_var, "expected the name to bind after 'every' / 'some'");
PERWAL_ERROR(kw_in, "expected 'in' and the set to range over");
PERWAL_ERROR(one<':'>, "expected ':' and the condition each element is checked against");
PERWAL_ERROR(check_name, "expected the check's name after 'check'");
PERWAL_ERROR(repeal_reason, "expected the reason as a quoted string after 'because'");
PERWAL_ERROR(end_of_file,
             "expected a declaration (include, allow, codes, fields, define, scope, kedudukan, rule, report, "
             "workflow, refine, repeal, override, example)");
#undef PERWAL_ERROR
#undef COMMA

struct errors {
  template <typename Rule>
  static constexpr const char* message = error_message<Rule>;
};

template <typename Rule>
using control = tao::pegtl::must_if<errors>::control<Rule>;

}  // namespace perwal::grammar
