// The compiler's phases and the state they hand on (internal to
// engine/compile). The pipeline that calls them in order is compile() in
// ruleset.cpp:
//   load     (load.cpp)    — the file, its includes, the chain of bases it extends;
//   declare  (merge.cpp)   — the header, every layer's codes, the codes the engine knows;
//   merge    (merge.cpp)   — definitions, scopes and rules layer by layer (base
//                            first), `override` and `refine` applied by name;
//   resolve  (rules.cpp, on resolve.cpp) — each merged rule to its compiled
//                            form: names, codes and role expressions checked
//                            against the vocabulary and the query type;
//   check    (check.cpp)   — unreachable rules, the examples;
//   freeze   (check.cpp)   — the content hash; the ruleset becomes const.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "engine/common/diagnostic.hpp"
#include "engine/compile/ruleset.hpp"
#include "engine/law/law.hpp"
#include "engine/syntax/ast.hpp"

namespace perwal::compile {

// One ruleset file with its includes merged in.
struct layer {
  ast::file file;
  std::string id;
  std::string cite_as;
  std::filesystem::path dir;
};

using rule_variant = std::variant<ast::kedudukan_decl, ast::rule_decl, ast::report_decl, ast::workflow_decl>;

[[nodiscard]] ast::rule_common& common_of(rule_variant& v);

// A rule as merged across layers: its declaration, the layer its text and
// its citations come from, and what it replaced.
struct rule_slot {
  rule_variant decl;
  std::string citation;
  std::string ruleset;
  std::optional<override_note> overrides;
  std::size_t order = 0;
};

// What one compilation has built so far.
struct state {
  state(diagnostics& d, const compile_options& o);

  diagnostics& diags;
  const compile_options& options;
  const source_reader& reader;
  std::shared_ptr<compiled_ruleset> out;
  std::vector<std::shared_ptr<const source_file>> sources;       // in load order
  std::vector<std::shared_ptr<const source_file>> text_sources;  // the regulation texts and their restorations
  std::map<std::string, rule_slot> slots;                        // merged rules by name
  std::set<std::string> defined;                                 // definitions made so far
  std::map<std::string, std::string> cite_as_of;                 // ruleset id -> its cite_as
  // cite_as -> the regulation's text its layer names (`text "…"`); a layer
  // without one is not checked.
  std::map<std::string, std::shared_ptr<const law::text>> texts;
  std::set<std::pair<std::string, std::uint32_t>> cites_seen;  // (file, byte): each cite checked once
  source_range scope_where;                                    // the scope table in force
  std::vector<code> step_actions;                         // while resolving a step's `where` or checks: its actions
  std::vector<std::pair<std::string, value_type>> bound;  // names bound by every/some, innermost last
  std::size_t order = 0;                                  // the next new rule's place
};

// ---- the phases, in pipeline order -----------------------------------------
// Layers from the root base up to `top`; nullopt when one cannot be loaded.
[[nodiscard]] std::optional<std::vector<layer>> load(state& s, std::shared_ptr<const source_file> top,
                                                     const std::filesystem::path& dir);
// Each layer's regulation text, split into articles (texts.cpp); after load.
void read_texts(state& s, const std::vector<layer>& layers);
void declare(state& s, const std::vector<layer>& layers);
// The data schema from every layer's `fields` (schema.cpp); after declare.
void declare_schema(state& s, const std::vector<layer>& layers);
void merge(state& s, const std::vector<layer>& layers);
void resolve(state& s);
void check(state& s, const layer& top);
[[nodiscard]] std::shared_ptr<const compiled_ruleset> freeze(state& s);

// ---- shared by the phases ---------------------------------------------------
// "Perwal … 48/2024, Pasal 5 ayat (1); Lampiran II". Each cite is checked
// against the text of the layer cited as `cite_as` (an error when it names no
// article) and its quotation kept with the rendered citation (texts.cpp).
[[nodiscard]] std::string render_citations(state& s, const std::vector<ast::citation>& cites,
                                           const std::string& cite_as);
// A code of `cat` named `n`; an error when it is not declared as one.
[[nodiscard]] std::optional<code> code_in(state& s, category cat, const ast::name& n);
[[nodiscard]] std::vector<code> codes_in(state& s, category cat, const std::vector<ast::name>& ns);
// Role expressions and conditions (resolve.cpp).
[[nodiscard]] std::vector<cpath> resolve_union(state& s, const std::vector<ast::path>& ps, query_kind q);
[[nodiscard]] std::optional<cexpr> resolve_cond(state& s, const std::optional<ast::expr>& e, query_kind q);

}  // namespace perwal::compile
