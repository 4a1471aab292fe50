// The parsed form of one .perwal file: plain data, every node with its
// source range so later phases can point back at the text.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/common/diagnostic.hpp"

namespace perwal::ast {

struct name {
  std::string text;
  source_range where;
};

struct citation_part {
  std::string key;    // as written: "Lampiran", "pasal", …
  std::string value;  // "III", "(1)", "a"
};

struct citation {
  std::vector<citation_part> parts;
  std::string note;   // a quoted free note instead of parts
  std::string quote;  // `quote "…"`: the article's words, given by the ruleset
  source_range where;
};

struct text_pair {
  std::string id, en;
  source_range where;
  [[nodiscard]] bool empty() const { return id.empty() && en.empty(); }
};

// ---- expressions -----------------------------------------------------------
struct path_step {
  name prop;
  std::vector<name> args;  // codes or strings (strings keep their quotes stripped, flagged below)
  std::vector<bool> arg_is_string;
};

struct path {
  name base;
  std::vector<path_step> steps;
  source_range where;
};

struct expr {
  enum class kind {
    path_union,
    number,
    string,
    boolean,
    date,  // a date literal: `text` holds it as written (YYYY-MM-DD)
    list,
    compare,
    in,
    is_null,
    not_null,
    and_,
    or_,
    not_,
    call,   // `text`(kids…): a built-in function
    every,  // every `var` in kids[0]: kids[1]
    some    // some `var` in kids[0]: kids[1]
  };
  kind k = kind::boolean;
  std::vector<path> paths;  // path_union: one or more paths joined by '|'
  double number = 0;
  std::string text;  // string literal, compare operator, function name
  name var;          // the bound name of a quantifier
  bool boolean = false;
  std::vector<expr> kids;
  source_range where;
};

// ---- declarations ----------------------------------------------------------
// `fields step a, b { f type, … }`, `fields team { … }`, `fields record r { … }`.
struct field_decl {
  name field;
  name type;  // a built-in type, a code category or a record name
  bool is_set = false;
};

struct fields_decl {
  enum class subject { step, team, delegation, record };
  subject what = subject::step;
  std::vector<name> actions;  // step
  name record;                // record
  std::vector<field_decl> fields;
  source_range where;
};
enum class strength { wajib, dilarang, boleh, diutamakan };

struct header {
  name id;
  std::string title, cite_as, number, region, status, enacted, promulgated, in_force, example_org;
  int year = 0;
  std::optional<name> extends;
  std::vector<name> texts;  // `text "…"`: the regulation's text files, as written
  source_range where;
};

struct code_item {
  name code;
  std::string label;
};

struct codes_decl {
  name category;
  std::vector<std::vector<code_item>> tiers;  // highest first
  source_range where;
};

struct define_decl {
  name what;
  std::vector<name> kinds;
  std::vector<std::vector<name>> within;  // per kind: the perangkat daerah kinds it is limited to (empty: all)
  std::vector<citation> cites;
  bool is_override = false;
  source_range where;
};

struct scope_decl {
  name scope;
  std::vector<name> covers;
  std::vector<citation> cites;
  source_range where;
};

struct under_entry {
  std::vector<name> kinds;
  int level = 0;
  bool penilai = false;
  bool pimpinan_unit = false;
  source_range where;
};

struct review_chain {
  std::vector<name> kinds;
  std::vector<citation> cites;
  source_range where;
};

// Fields shared by every rule-like declaration.
struct rule_common {
  name rule;
  strength level = strength::wajib;
  bool strength_given = false;
  std::vector<citation> cites;
  std::optional<expr> when;
  std::optional<expr> require;
  text_pair message, hint;
  bool is_override = false;
  source_range where;
};

struct kedudukan_decl {
  rule_common common;
  std::vector<name> pd_kinds;
  std::vector<under_entry> under;
  std::vector<review_chain> reviews;
};

struct rule_decl {
  rule_common common;
  name on;
};

struct report_decl {
  rule_common common;
  std::vector<name> as;
  std::vector<std::vector<path>> to;       // each `to` clause: a union of paths
  std::vector<std::vector<path>> also_to;  // each addressee the same report is also owed to
};

// `check name strength { require … cite … message … }` inside a step.
struct check_decl {
  rule_common common;  // rule = the check's own name (without the step's)
};

struct step_decl {
  name step;
  std::vector<check_decl> checks;
  std::vector<name> actions;
  std::vector<path> by, from, to;     // unions
  std::vector<std::vector<path>> cc;  // each required tembusan: a union
  std::vector<citation> cc_cites;
  std::vector<name> contents;
  std::vector<citation> contents_cites;
  std::optional<expr> where_cond;
  bool optional = false;
  std::vector<citation> cites;
  text_pair message, hint;
  source_range where;
};

struct refusal_decl {
  std::vector<path> by;
  bool reason_required = false;
  std::optional<expr> where_cond;  // what a refusal must be (`step.<field>` of the penolakan step)
  std::vector<citation> cites;
  text_pair message, hint;
  source_range where;
};

struct workflow_decl {
  rule_common common;
  std::optional<name> mode;
  std::vector<name> scopes;
  std::vector<path> issuer;
  std::vector<citation> issuer_cites;
  std::vector<step_decl> steps;
  std::optional<refusal_decl> refusal;
};

struct refine_decl {
  rule_common common;  // rule = the refined name; only the clauses given are set
  bool has_cite = false;
};

struct repeal_decl {
  name rule;
  std::vector<citation> cites;
  std::string reason;
  source_range where;
};

struct example_decl {
  std::string title;
  std::string org;
  std::string query_json;
  source_range query_where;
  std::optional<std::string> decision;
  std::vector<name> violations, warnings, needs, next;
  std::optional<name> scope;
  source_range where;
};

struct include_decl {
  std::string path;
  source_range where;
};

// `allow W012 because "…"`
struct allow_decl {
  std::vector<name> codes;
  std::string reason;
  source_range where;
};

struct file {
  std::shared_ptr<const source_file> source;
  std::optional<header> head;
  std::vector<include_decl> includes;
  std::vector<allow_decl> allows;
  std::vector<codes_decl> codes;
  std::vector<fields_decl> fields;
  std::vector<define_decl> defines;
  std::vector<scope_decl> scopes;
  std::vector<kedudukan_decl> kedudukan;
  std::vector<rule_decl> rules;
  std::vector<report_decl> reports;
  std::vector<workflow_decl> workflows;
  std::vector<refine_decl> refines;
  std::vector<repeal_decl> repeals;
  std::vector<example_decl> examples;
};

}  // namespace perwal::ast
