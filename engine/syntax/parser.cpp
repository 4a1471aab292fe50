// Phase 1: text -> parse tree (PEGTL) -> AST. Syntax errors become
// diagnostics with file:line:column; the AST keeps a source range per node.
#include "engine/syntax/parser.hpp"

#include <charconv>
#include <cstdlib>
#include <tao/pegtl/contrib/parse_tree.hpp>

#include "grammar/perwal_errors.hpp"
#include "grammar/perwal_grammar.hpp"

namespace perwal::syntax {

namespace pegtl = tao::pegtl;
namespace g = perwal::grammar;
using node = pegtl::parse_tree::node;

namespace {

class builder {
 public:
  builder(std::shared_ptr<const source_file> src, diagnostics& diags) : src_(std::move(src)), diags_(diags) {}

  // Whole numbers (year, level) with a diagnostic instead of an exception when out of range.
  int int_of(const node& n) const {
    const auto text = n.string_view();
    int value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr != text.data() + text.size()) {
      diags_.error(range(n), msg("syntax.number", text));
      return 0;
    }
    return value;
  }

  source_range range(const node& n) const {
    source_range r;
    r.file = src_;
    const auto b = n.begin();
    r.begin = {static_cast<std::uint32_t>(b.byte), static_cast<std::uint32_t>(b.line),
               static_cast<std::uint32_t>(b.column)};
    const auto e = n.end();
    r.end = {static_cast<std::uint32_t>(e.byte), static_cast<std::uint32_t>(e.line),
             static_cast<std::uint32_t>(e.column)};
    return r;
  }

  ast::name name_of(const node& n) const { return {std::string(n.string_view()), range(n)}; }

  static std::string unquote(std::string_view s) {
    std::string out;
    if (s.size() >= 2) s = s.substr(1, s.size() - 2);
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '\\' && i + 1 < s.size()) {
        ++i;
        out += s[i] == 'n' ? '\n' : s[i] == 't' ? '\t' : s[i];
      } else {
        out += s[i];
      }
    }
    return out;
  }

  static std::vector<ast::name> names_of(const builder& b, const node& list) {
    std::vector<ast::name> out;
    for (const auto& c : list.children) out.push_back(b.name_of(*c));
    return out;
  }

  ast::citation citation_of(const node& n) const {
    ast::citation c;
    c.where = range(n);
    for (const auto& part : n.children) {
      if (part->is_type<g::cite_note>()) {
        c.note = unquote(part->string_view());
      } else if (part->is_type<g::cite_quote>()) {
        c.quote = unquote(part->string_view());
      } else if (part->is_type<g::cite_part_bare>()) {  // an unnumbered Lampiran
        c.parts.push_back({std::string(part->children.at(0)->string_view()), std::string()});
      } else {  // cite_part: cite_key, cite_value
        c.parts.push_back(
            {std::string(part->children.at(0)->string_view()), std::string(part->children.at(1)->string_view())});
      }
    }
    return c;
  }

  std::vector<ast::citation> cites_of(const node& cite_clause) const {
    std::vector<ast::citation> out;
    for (const auto& c : cite_clause.children) out.push_back(citation_of(*c));
    return out;
  }

  ast::text_pair text_of(const node& n) const {
    ast::text_pair t;
    t.where = range(n);
    for (const auto& c : n.children) {
      if (c->is_type<g::message_en>() || c->is_type<g::hint_en>()) {
        t.en = unquote(c->string_view());
      } else {
        t.id = unquote(c->string_view());
      }
    }
    return t;
  }

  ast::path path_of(const node& n) const {
    ast::path p;
    p.where = range(n);
    for (const auto& c : n.children) {
      if (c->is_type<g::path_base>()) {
        p.base = name_of(*c);
      } else {  // path_step: path_prop [call_args]
        ast::path_step s;
        s.prop = name_of(*c->children.at(0));
        if (c->children.size() > 1) {
          for (const auto& a : c->children[1]->children) {
            const auto text = a->string_view();
            const bool quoted = !text.empty() && text.front() == '"';
            s.args.push_back({quoted ? unquote(text) : std::string(text), range(*a)});
            s.arg_is_string.push_back(quoted);
          }
        }
        p.steps.push_back(std::move(s));
      }
    }
    return p;
  }

  std::vector<ast::path> union_of(const node& role_expr) const {
    std::vector<ast::path> out;
    for (const auto& c : role_expr.children) out.push_back(path_of(*c));
    return out;
  }

  ast::expr expr_of(const node& n) const {
    ast::expr e;
    e.where = range(n);
    if (n.is_type<g::or_expr>() || n.is_type<g::and_expr>()) {
      if (n.children.size() == 1) return expr_of(*n.children[0]);
      e.k = n.is_type<g::or_expr>() ? ast::expr::kind::or_ : ast::expr::kind::and_;
      for (const auto& c : n.children) e.kids.push_back(expr_of(*c));
      return e;
    }
    if (n.is_type<g::negation>()) {
      e.k = ast::expr::kind::not_;
      e.kids.push_back(expr_of(*n.children.at(0)));
      return e;
    }
    if (n.is_type<g::quantifier>()) {  // quant_every|quant_some, quant_var, operand, body
      e.k = n.children.at(0)->is_type<g::quant_every>() ? ast::expr::kind::every : ast::expr::kind::some;
      e.var = name_of(*n.children.at(1));
      e.kids.push_back(expr_of(*n.children.at(2)));
      e.kids.push_back(expr_of(*n.children.at(3)));
      return e;
    }
    if (n.is_type<g::func_call>()) {
      e.k = ast::expr::kind::call;
      e.text = std::string(n.children.at(0)->string_view());
      for (std::size_t i = 1; i < n.children.size(); ++i) e.kids.push_back(expr_of(*n.children[i]));
      return e;
    }
    if (n.is_type<g::date>()) {
      e.k = ast::expr::kind::date;
      e.text = std::string(n.string_view());
      return e;
    }
    if (n.is_type<g::comparison>()) {
      ast::expr left = expr_of(*n.children.at(0));
      if (n.children.size() == 1) return left;
      const node& tail = *n.children[1];
      e.kids.push_back(std::move(left));
      if (tail.is_type<g::cmp_tail>()) {
        e.k = ast::expr::kind::compare;
        e.text = std::string(tail.children.at(0)->string_view());
        e.kids.push_back(expr_of(*tail.children.at(1)));
      } else if (tail.is_type<g::in_tail>()) {
        e.k = ast::expr::kind::in;
        e.kids.push_back(expr_of(*tail.children.at(0)));
      } else {  // null_tail
        e.k = (!tail.children.empty() && tail.children[0]->is_type<g::is_not>()) ? ast::expr::kind::not_null
                                                                                 : ast::expr::kind::is_null;
      }
      return e;
    }
    if (n.is_type<g::role_expr>()) {
      e.k = ast::expr::kind::path_union;
      e.paths = union_of(n);
      return e;
    }
    if (n.is_type<g::number>()) {
      e.k = ast::expr::kind::number;
      e.number = std::strtod(std::string(n.string_view()).c_str(), nullptr);  // no exception on overflow
      return e;
    }
    if (n.is_type<g::string_lit>()) {
      e.k = ast::expr::kind::string;
      e.text = unquote(n.string_view());
      return e;
    }
    if (n.is_type<g::bool_true>() || n.is_type<g::bool_false>()) {
      e.k = ast::expr::kind::boolean;
      e.boolean = n.is_type<g::bool_true>();
      return e;
    }
    if (n.is_type<g::list_literal>()) {
      e.k = ast::expr::kind::list;
      for (const auto& c : n.children) e.kids.push_back(expr_of(*c));
      return e;
    }
    // when_clause / require_clause / where_clause wrap one expression
    if (!n.children.empty()) return expr_of(*n.children[0]);
    return e;
  }

  ast::strength strength_of(const node& n) const {
    const auto s = n.string_view();
    if (s == "dilarang") return ast::strength::dilarang;
    if (s == "boleh") return ast::strength::boleh;
    if (s == "diutamakan") return ast::strength::diutamakan;
    return ast::strength::wajib;
  }

  // Reads the clauses every rule-like block may carry; returns false for
  // clauses it does not know so the caller can handle them.
  bool common_clause(const node& c, ast::rule_common& r) const {
    if (c.is_type<g::cite_clause>()) {
      auto more = cites_of(c);
      r.cites.insert(r.cites.end(), more.begin(), more.end());
    } else if (c.is_type<g::when_clause>()) {
      r.when = expr_of(c);
    } else if (c.is_type<g::require_clause>()) {
      r.require = expr_of(c);
    } else if (c.is_type<g::message_clause>()) {
      r.message = text_of(c);
    } else if (c.is_type<g::hint_clause>()) {
      r.hint = text_of(c);
    } else if (c.is_type<g::strength_clause>()) {
      r.level = strength_of(*c.children.at(0));
      r.strength_given = true;
    } else {
      return false;
    }
    return true;
  }

  void header_of(const node& n, ast::file& f) const {
    ast::header h;
    h.where = range(n);
    for (const auto& c : n.children) {
      if (c->is_type<g::slug>()) {
        h.id = name_of(*c);
        continue;
      }
      const node* v = c->children.empty() ? nullptr : c->children.back().get();
      const auto text = v ? std::string(v->string_view()) : std::string();
      const auto str = v && v->is_type<g::string_lit>() ? unquote(text) : text;
      if (c->is_type<g::hf_title>())
        h.title = str;
      else if (c->is_type<g::hf_cite_as>())
        h.cite_as = str;
      else if (c->is_type<g::hf_number>())
        h.number = v && !v->children.empty() && v->children[0]->is_type<g::string_lit>()
                       ? unquote(v->children[0]->string_view())
                       : str;
      else if (c->is_type<g::hf_year>())
        h.year = int_of(*v);
      else if (c->is_type<g::hf_region>())
        h.region = str;
      else if (c->is_type<g::hf_status>())
        h.status = text;
      else if (c->is_type<g::hf_extends>())
        h.extends = name_of(*v);
      else if (c->is_type<g::hf_example_org>())
        h.example_org = str;
      else if (c->is_type<g::hf_text>())
        h.texts.push_back(ast::name{str, range(*v)});
      else if (c->is_type<g::hf_date>()) {
        const auto key = c->children.at(0)->string_view();
        (key == "enacted" ? h.enacted : key == "promulgated" ? h.promulgated : h.in_force) = text;
      }
    }
    f.head = std::move(h);
  }

  void decl_of(const node& n, ast::file& f, bool is_override) const {
    if (n.is_type<g::override_decl>()) {
      decl_of(*n.children.at(0), f, true);
      return;
    }
    if (n.is_type<g::include_decl>()) {
      f.includes.push_back({unquote(n.children.at(0)->string_view()), range(n)});
    } else if (n.is_type<g::allow_decl>()) {
      ast::allow_decl d;
      d.where = range(n);
      for (const auto& c : n.children) {
        if (c->is_type<g::diag_code>()) d.codes.push_back(name_of(*c));
        if (c->is_type<g::allow_reason>()) d.reason = unquote(c->string_view());
      }
      f.allows.push_back(std::move(d));
    } else if (n.is_type<g::codes_decl>()) {
      ast::codes_decl d;
      d.where = range(n);
      for (const auto& c : n.children) {
        if (c->is_type<g::category_name>()) {
          d.category = name_of(*c);
        } else {  // code_tier
          std::vector<ast::code_item> tier;
          for (const auto& item : c->children) {
            ast::code_item ci;
            ci.code = name_of(*item->children.at(0));
            if (item->children.size() > 1) ci.label = unquote(item->children[1]->string_view());
            tier.push_back(std::move(ci));
          }
          d.tiers.push_back(std::move(tier));
        }
      }
      f.codes.push_back(std::move(d));
    } else if (n.is_type<g::repeal_decl>()) {
      ast::repeal_decl d;
      d.where = range(n);
      for (const auto& c : n.children) {
        if (c->is_type<g::rule_name>()) d.rule = name_of(*c);
        if (c->is_type<g::cite_clause>()) d.cites = cites_of(*c);
        if (c->is_type<g::repeal_reason>()) d.reason = unquote(c->string_view());
      }
      f.repeals.push_back(std::move(d));
    } else if (n.is_type<g::fields_decl>()) {
      ast::fields_decl d;
      d.where = range(n);
      for (const auto& c : n.children) {
        if (c->is_type<g::fields_step>()) {
          d.what = ast::fields_decl::subject::step;
          d.actions = names_of(*this, *c->children.at(0));
        } else if (c->is_type<g::fields_team>()) {
          d.what = ast::fields_decl::subject::team;
        } else if (c->is_type<g::fields_delegation>()) {
          d.what = ast::fields_decl::subject::delegation;
        } else if (c->is_type<g::fields_record>()) {
          d.what = ast::fields_decl::subject::record;
          d.record = name_of(*c->children.at(0));
        } else if (c->is_type<g::field_item>()) {
          ast::field_decl fd;
          fd.field = name_of(*c->children.at(0));
          const auto& type = *c->children.at(1);
          fd.is_set = !type.children.empty() && type.children[0]->is_type<g::field_set>();
          // The type's name is the identifier after an optional `set`.
          const auto text = type.string_view();
          const auto at = text.find_last_of(" \t\n");
          fd.type = {std::string(at == std::string_view::npos ? text : text.substr(at + 1)), range(type)};
          d.fields.push_back(std::move(fd));
        }
      }
      f.fields.push_back(std::move(d));
    } else if (n.is_type<g::define_decl>()) {
      ast::define_decl d;
      d.where = range(n);
      d.is_override = is_override;
      for (const auto& c : n.children) {
        if (c->is_type<g::define_name>()) {
          d.what = name_of(*c);
        } else if (c->is_type<g::define_item>()) {
          d.kinds.push_back(name_of(*c->children.at(0)));
          d.within.push_back(c->children.size() > 1 ? names_of(*this, *c->children[1]->children.at(0))
                                                    : std::vector<ast::name>{});
        } else if (c->is_type<g::cite_clause>()) {
          d.cites = cites_of(*c);
        }
      }
      f.defines.push_back(std::move(d));
    } else if (n.is_type<g::scope_decl>()) {
      ast::scope_decl d;
      d.where = range(n);
      d.scope = name_of(*n.children.at(0));
      d.covers = names_of(*this, *n.children.at(1));
      d.cites = cites_of(*n.children.at(2));
      f.scopes.push_back(std::move(d));
    } else if (n.is_type<g::kedudukan_decl>()) {
      ast::kedudukan_decl d;
      d.common.where = range(n);
      d.common.is_override = is_override;
      for (const auto& c : n.children) {
        if (c->is_type<g::rule_name>())
          d.common.rule = name_of(*c);
        else if (c->is_type<g::strength>())
          d.common.level = strength_of(*c), d.common.strength_given = true;
        else if (c->is_type<g::code_list>())
          d.pd_kinds = names_of(*this, *c);
        else if (c->is_type<g::under_clause>()) {
          ast::under_entry u;
          u.where = range(*c);
          for (const auto& x : c->children) {
            if (x->is_type<g::code_list>())
              u.kinds = names_of(*this, *x);
            else if (x->is_type<g::under_level>())
              u.level = int_of(*x);
            else if (x->string_view() == "penilai")
              u.penilai = true;
            else if (x->string_view() == "pimpinan_unit")
              u.pimpinan_unit = true;
          }
          d.under.push_back(std::move(u));
        } else if (c->is_type<g::review_clause>()) {
          ast::review_chain r;
          r.where = range(*c);
          for (const auto& x : c->children) {
            if (x->is_type<g::code_ref>())
              r.kinds.push_back(name_of(*x));
            else
              r.cites = cites_of(*x);
          }
          d.reviews.push_back(std::move(r));
        } else {
          common_clause(*c, d.common);
        }
      }
      f.kedudukan.push_back(std::move(d));
    } else if (n.is_type<g::rule_decl>()) {
      ast::rule_decl d;
      d.common.where = range(n);
      d.common.is_override = is_override;
      for (const auto& c : n.children) {
        if (c->is_type<g::rule_name>())
          d.common.rule = name_of(*c);
        else if (c->is_type<g::strength>())
          d.common.level = strength_of(*c), d.common.strength_given = true;
        else if (c->is_type<g::query_kind>())
          d.on = name_of(*c);
        else
          common_clause(*c, d.common);
      }
      f.rules.push_back(std::move(d));
    } else if (n.is_type<g::report_decl>()) {
      ast::report_decl d;
      d.common.where = range(n);
      d.common.is_override = is_override;
      for (const auto& c : n.children) {
        if (c->is_type<g::rule_name>())
          d.common.rule = name_of(*c);
        else if (c->is_type<g::strength>())
          d.common.level = strength_of(*c), d.common.strength_given = true;
        else if (c->is_type<g::code_list>())
          d.as = names_of(*this, *c);
        else if (c->is_type<g::to_clause>())
          d.to.push_back(union_of(*c->children.at(0)));
        else if (c->is_type<g::also_to_clause>())
          d.also_to.push_back(union_of(*c->children.at(0)));
        else
          common_clause(*c, d.common);
      }
      f.reports.push_back(std::move(d));
    } else if (n.is_type<g::workflow_decl>()) {
      f.workflows.push_back(workflow_of(n, is_override));
    } else if (n.is_type<g::refine_decl>()) {
      ast::refine_decl d;
      d.common.where = range(n);
      for (const auto& c : n.children) {
        if (c->is_type<g::rule_name>())
          d.common.rule = name_of(*c);
        else
          common_clause(*c, d.common);
      }
      d.has_cite = !d.common.cites.empty();
      f.refines.push_back(std::move(d));
    } else if (n.is_type<g::example_decl>()) {
      f.examples.push_back(example_of(n));
    }
  }

  ast::workflow_decl workflow_of(const node& n, bool is_override) const {
    ast::workflow_decl d;
    d.common.where = range(n);
    d.common.is_override = is_override;
    for (const auto& c : n.children) {
      if (c->is_type<g::rule_name>())
        d.common.rule = name_of(*c);
      else if (c->is_type<g::strength>())
        d.common.level = strength_of(*c), d.common.strength_given = true;
      else if (c->is_type<g::mode_clause>())
        d.mode = name_of(*c->children.at(0));
      else if (c->is_type<g::scope_clause>()) {
        auto more = names_of(*this, *c->children.at(0));
        d.scopes.insert(d.scopes.end(), more.begin(), more.end());
      } else if (c->is_type<g::issuer_clause>()) {
        d.issuer = union_of(*c->children.at(0));
        if (c->children.size() > 1) d.issuer_cites = cites_of(*c->children[1]);
      } else if (c->is_type<g::step_decl>()) {
        d.steps.push_back(step_of(*c));
      } else if (c->is_type<g::refusal_decl>()) {
        ast::refusal_decl r;
        r.where = range(*c);
        for (const auto& x : c->children) {
          if (x->is_type<g::by_clause>())
            r.by = union_of(*x->children.at(0));
          else if (x->is_type<g::reason_required>())
            r.reason_required = true;
          else if (x->is_type<g::cite_clause>())
            r.cites = cites_of(*x);
          else if (x->is_type<g::message_clause>())
            r.message = text_of(*x);
          else if (x->is_type<g::hint_clause>())
            r.hint = text_of(*x);
          else if (x->is_type<g::where_clause>())
            r.where_cond = expr_of(*x);
        }
        d.refusal = std::move(r);
      } else {
        common_clause(*c, d.common);
      }
    }
    return d;
  }

  ast::step_decl step_of(const node& n) const {
    ast::step_decl s;
    s.where = range(n);
    for (const auto& c : n.children) {
      if (c->is_type<g::step_name>())
        s.step = name_of(*c);
      else if (c->is_type<g::step_actions>())
        s.actions = names_of(*this, *c);
      else if (c->is_type<g::by_clause>())
        s.by = union_of(*c->children.at(0));
      else if (c->is_type<g::from_clause>())
        s.from = union_of(*c->children.at(0));
      else if (c->is_type<g::to_clause>())
        s.to = union_of(*c->children.at(0));
      else if (c->is_type<g::cc_clause>()) {
        for (const auto& x : c->children) {
          if (x->is_type<g::role_expr>())
            s.cc.push_back(union_of(*x));
          else
            s.cc_cites = cites_of(*x);
        }
      } else if (c->is_type<g::contents_clause>()) {
        s.contents = names_of(*this, *c->children.at(0));
        if (c->children.size() > 1) s.contents_cites = cites_of(*c->children[1]);
      } else if (c->is_type<g::where_clause>()) {
        s.where_cond = expr_of(*c);
      } else if (c->is_type<g::optional_flag>()) {
        s.optional = true;
      } else if (c->is_type<g::check_decl>()) {
        ast::check_decl k;
        k.common.where = range(*c);
        for (const auto& x : c->children) {
          if (x->is_type<g::check_name>())
            k.common.rule = name_of(*x);
          else if (x->is_type<g::strength>())
            k.common.level = strength_of(*x), k.common.strength_given = true;
          else
            common_clause(*x, k.common);
        }
        s.checks.push_back(std::move(k));
      } else if (c->is_type<g::cite_clause>()) {
        auto more = cites_of(*c);
        s.cites.insert(s.cites.end(), more.begin(), more.end());
      } else if (c->is_type<g::message_clause>()) {
        s.message = text_of(*c);
      } else if (c->is_type<g::hint_clause>()) {
        s.hint = text_of(*c);
      }
    }
    return s;
  }

  ast::example_decl example_of(const node& n) const {
    ast::example_decl e;
    e.where = range(n);
    for (const auto& c : n.children) {
      if (c->is_type<g::string_lit>())
        e.title = unquote(c->string_view());
      else if (c->is_type<g::org_clause>())
        e.org = unquote(c->children.at(0)->string_view());
      else if (c->is_type<g::query_clause>()) {
        e.query_json = std::string(c->children.at(0)->string_view());
        e.query_where = range(*c->children.at(0));
      } else if (c->is_type<g::decision_value>())
        e.decision = std::string(c->string_view());
      else if (c->is_type<g::exp_violation>())
        e.violations.push_back(name_of(*c->children.at(0)));
      else if (c->is_type<g::exp_warning>())
        e.warnings.push_back(name_of(*c->children.at(0)));
      else if (c->is_type<g::exp_needs>())
        e.needs.push_back(name_of(*c->children.at(0)));
      else if (c->is_type<g::exp_next>())
        e.next.push_back(name_of(*c->children.at(0)));
      else if (c->is_type<g::exp_scope>())
        e.scope = name_of(*c->children.at(0));
    }
    return e;
  }

 private:
  std::shared_ptr<const source_file> src_;
  diagnostics& diags_;
};

}  // namespace

std::string_view syntax_message_id(std::string_view en) {
  // grammar/perwal_errors.hpp, message by message (a test checks that each
  // has its line here).
  static constexpr std::pair<std::string_view, std::string_view> table[] = {
      {"unterminated string: expected '\"' before the end of the line",
       "string tidak ditutup: seharusnya ada '\"' sebelum akhir baris"},
      {"expected a code (an identifier such as kepala_bagian)",
       "seharusnya sebuah kode (pengenal seperti kepala_bagian)"},
      {"expected an argument (a code or a quoted string)", "seharusnya sebuah argumen (kode atau string berpetik)"},
      {"expected ')' to close the argument list", "seharusnya ')' untuk menutup daftar argumen"},
      {"expected a property name after '.'", "seharusnya nama properti setelah '.'"},
      {"expected a role expression (for example assignee.penilai)",
       "seharusnya ekspresi peran (misalnya assignee.penilai)"},
      {"expected a condition (for example assignee.jenis in [fungsional, pelaksana])",
       "seharusnya sebuah syarat (misalnya assignee.jenis in [fungsional, pelaksana])"},
      {"expected ')' to close the parenthesised condition", "seharusnya ')' untuk menutup syarat dalam kurung"},
      {"expected a value: a role expression, a code, a number, a string or a [list]",
       "seharusnya sebuah nilai: ekspresi peran, kode, bilangan, string atau [daftar]"},
      {"expected ']' to close the list", "seharusnya ']' untuk menutup daftar"},
      {"expected 'null' after 'is' / 'is not'", "seharusnya 'null' setelah 'is' / 'is not'"},
      {"expected a condition after 'not' / 'and'", "seharusnya syarat setelah 'not' / 'and'"},
      {"expected a condition after 'or'", "seharusnya syarat setelah 'or'"},
      {"expected the article's words as a quoted string after 'quote'",
       "seharusnya bunyi pasal sebagai string berpetik setelah 'quote'"},
      {"expected the value of the citation part (for example 'Pasal 5', 'ayat (1)', 'huruf a')",
       "seharusnya nilai bagian kutipan (misalnya 'Pasal 5', 'ayat (1)', 'huruf a')"},
      {"expected a citation: parts such as 'Pasal 5 ayat (1)' or 'Lampiran III huruf A angka 2', or a quoted note",
       "seharusnya kutipan: bagian seperti 'Pasal 5 ayat (1)' atau 'Lampiran III huruf A angka 2', atau catatan "
       "berpetik"},
      {"expected a quoted string", "seharusnya string berpetik"},
      {"expected the English message as a quoted string after 'en'",
       "seharusnya pesan berbahasa Inggris sebagai string berpetik setelah 'en'"},
      {"expected the English hint as a quoted string after 'en'",
       "seharusnya petunjuk berbahasa Inggris sebagai string berpetik setelah 'en'"},
      {"expected a number", "seharusnya sebuah bilangan"},
      {"expected a quoted string or a number", "seharusnya string berpetik atau bilangan"},
      {"expected 'draft' or 'enacted'", "seharusnya 'draft' atau 'enacted'"},
      {"expected a date as YYYY-MM-DD", "seharusnya tanggal berbentuk YYYY-MM-DD"},
      {"expected a ruleset id (lower case letters, digits and '-', e.g. padang-panjang-48-2024)",
       "seharusnya id ruleset (huruf kecil, angka dan '-', mis. padang-panjang-48-2024)"},
      {"expected '{'", "seharusnya '{'"},
      {"expected '}'", "seharusnya '}'"},
      {"expected a header field (title, cite_as, number, year, region, status, enacted, promulgated, in_force, "
       "extends, example_org, text) or '}'",
       "seharusnya medan kepala (title, cite_as, number, year, region, status, enacted, promulgated, in_force, "
       "extends, example_org, text) atau '}'"},
      {"expected a code category (jenis, jenjang, unit_kind, position_kind, scope, mode, action, content, authority, "
       "team_role, report_as)",
       "seharusnya kategori kode (jenis, jenjang, unit_kind, position_kind, scope, mode, action, content, authority, "
       "team_role, report_as)"},
      {"expected a code after ','", "seharusnya kode setelah ','"},
      {"expected a code", "seharusnya sebuah kode"},
      {"expected ',' or '>' and another code, or '}' to close the codes",
       "seharusnya ',' atau '>' dan kode berikutnya, atau '}' untuk menutup daftar kode"},
      {"expected the name of the definition (perangkat_daerah or unit_organisasi)",
       "seharusnya nama definisi (perangkat_daerah atau unit_organisasi)"},
      {"expected the name of the regulation's scope", "seharusnya nama lingkup peraturan"},
      {"expected '='", "seharusnya '='"},
      {"expected a list of codes separated by ','", "seharusnya daftar kode yang dipisahkan ','"},
      {"expected a unit kind after ','", "seharusnya jenis unit setelah ','"},
      {"expected the unit kinds of the definition, separated by ','",
       "seharusnya jenis-jenis unit dari definisi itu, dipisahkan ','"},
      {"expected 'cite' and the article this rests on: every rule needs a citation",
       "seharusnya 'cite' dan pasal yang menjadi dasarnya: setiap aturan memerlukan kutipan"},
      {"expected a clause of this block or '}'", "seharusnya klausa blok ini atau '}'"},
      {"expected the level number after 'level'", "seharusnya nomor tingkat setelah 'level'"},
      {"expected a rule name (dotted identifiers, e.g. penugasan.penunjukan.lintas_unit)",
       "seharusnya nama aturan (pengenal bertitik, mis. penugasan.penunjukan.lintas_unit)"},
      {"expected the rule's strength: wajib, dilarang, boleh or diutamakan",
       "seharusnya kekuatan aturan: wajib, dilarang, boleh atau diutamakan"},
      {"expected 'for' and the kinds of Perangkat Daerah this table covers",
       "seharusnya 'for' dan jenis Perangkat Daerah yang dicakup tabel ini"},
      {"expected 'on' and the query the rule checks (kedudukan, penugasan, pelaporan, tim, delegasi)",
       "seharusnya 'on' dan kueri yang diperiksa aturan itu (kedudukan, penugasan, pelaporan, tim, delegasi)"},
      {"expected 'as' and the kinds of report (individu, anggota_tim, ketua_tim, …)",
       "seharusnya 'as' dan jenis laporan (individu, anggota_tim, ketua_tim, …)"},
      {"expected the query the rule checks (kedudukan, penugasan, pelaporan, tim, delegasi)",
       "seharusnya kueri yang diperiksa aturan itu (kedudukan, penugasan, pelaporan, tim, delegasi)"},
      {"expected a role expression (for example owner.pimpinan_unit)",
       "seharusnya ekspresi peran (misalnya owner.pimpinan_unit)"},
      {"expected the step's name", "seharusnya nama langkah"},
      {"expected the step's action (for example surat_permohonan_pelibatan)",
       "seharusnya tindakan langkah (misalnya surat_permohonan_pelibatan)"},
      {"expected 'required' after 'reason'", "seharusnya 'required' setelah 'reason'"},
      {"expected a rule, kedudukan, report, workflow or define after 'override'",
       "seharusnya 'rule', 'kedudukan', 'report', 'workflow' atau 'define' setelah 'override'"},
      {"expected the query as a JSON object", "seharusnya kueri berupa objek JSON"},
      {"expected allowed, denied, incomplete, 'violation RULE', 'warning RULE', 'needs RULE', 'next ACTION' or 'scope "
       "SCOPE'",
       "seharusnya 'allowed', 'denied', 'incomplete', 'violation ATURAN', 'warning ATURAN', 'needs ATURAN', 'next "
       "TINDAKAN' atau 'scope LINGKUP'"},
      {"expected a diagnostic code after 'allow' (for example W012; see docs/diagnostics.md)",
       "seharusnya kode diagnostik setelah 'allow' (misalnya W012; lihat docs/diagnostics.md)"},
      {"expected 'because' and a quoted reason: every allow says why the warning does not apply",
       "seharusnya 'because' dan alasan berpetik: setiap 'allow' menyebut mengapa peringatan itu tidak berlaku"},
      {"expected the reason as a quoted string after 'because'",
       "seharusnya alasan sebagai string berpetik setelah 'because'"},
      {"expected what the fields belong to: 'step ACTION, …', 'team', 'delegation' or 'record NAME'",
       "seharusnya pemilik medan-medan itu: 'step TINDAKAN, …', 'team', 'delegation' atau 'record NAMA'"},
      {"expected a field (a name and its type) or '}'", "seharusnya sebuah medan (nama dan tipenya) atau '}'"},
      {"expected the field's type: position, positions, unit, number, text, date, boolean, a code category (or 'set' "
       "and a category), or a record name",
       "seharusnya tipe medan: position, positions, unit, number, text, date, boolean, kategori kode (atau 'set' dan "
       "sebuah kategori), atau nama record"},
      {"expected the record's name after 'record'", "seharusnya nama record setelah 'record'"},
      {"expected the name to bind after 'every' / 'some'", "seharusnya nama yang diikat setelah 'every' / 'some'"},
      {"expected 'in' and the set to range over", "seharusnya 'in' dan himpunan yang dijelajahi"},
      {"expected ':' and the condition each element is checked against",
       "seharusnya ':' dan syarat yang diperiksa pada setiap unsurnya"},
      {"expected the check's name after 'check'", "seharusnya nama pemeriksaan setelah 'check'"},
      {"expected a declaration (include, allow, codes, fields, define, scope, kedudukan, rule, report, workflow, "
       "refine, repeal, override, example)",
       "seharusnya sebuah deklarasi (include, allow, codes, fields, define, scope, kedudukan, rule, report, workflow, "
       "refine, repeal, override, example)"},

  };
  for (const auto& [e, id] : table)
    if (e == en) return id;
  return {};
}

std::optional<ast::file> parse(std::shared_ptr<const source_file> src, diagnostics& diags) {
  pegtl::memory_input in(src->text.data(), src->text.size(), src->name);
  g::nesting_depth = 0;
  try {
    auto root = pegtl::parse_tree::parse<g::file, g::selector, pegtl::nothing, g::control>(in);
    if (!root) {
      source_range r;
      r.file = src;
      r.begin = {0, 1, 1};
      diags.error(r, msg("syntax.unparsed"));
      return std::nullopt;
    }
    builder b(src, diags);
    ast::file f;
    f.source = src;
    const auto errors_before = diags.error_count();
    for (const auto& c : root->children) {
      if (c->is_type<g::header>())
        b.header_of(*c, f);
      else
        b.decl_of(*c, f, false);
    }
    if (diags.error_count() > errors_before) return std::nullopt;
    return f;
  } catch (const g::nesting_exceeded& e) {
    const source_pos at{static_cast<std::uint32_t>(e.at.byte), static_cast<std::uint32_t>(e.at.line),
                        static_cast<std::uint32_t>(e.at.column)};
    diags.error(source_range{src, at, at}, msg("syntax.nesting", std::to_string(g::max_nesting)));
    return std::nullopt;
  } catch (const pegtl::parse_error& e) {
    source_range r;
    r.file = src;
    if (!e.positions().empty()) {
      const auto& p = e.positions().front();
      r.begin = {static_cast<std::uint32_t>(p.byte), static_cast<std::uint32_t>(p.line),
                 static_cast<std::uint32_t>(p.column)};
    }
    const std::string en(e.message());
    const std::string_view id = syntax_message_id(en);
    diags.error(r, msg("syntax", en, id.empty() ? en : std::string(id)));
    return std::nullopt;
  }
}

}  // namespace perwal::syntax
