// Phases declare and merge. declare: the header of the top file and the
// codes of every layer (base first), then the codes the engine itself needs.
// merge: definitions, the scope table and the rules of each layer, base
// first; a later layer's `override` replaces a rule by name and `refine`
// changes parts of it, each leaving a note of what it replaced.
#include <algorithm>
#include <cctype>

#include "engine/common/spelling.hpp"
#include "engine/compile/phases.hpp"

namespace perwal::compile {

namespace {

// False once the vocabulary is full (the error said so; later codes are not read).
bool collect_codes(state& s, const layer& l) {
  for (const auto& d : l.file.codes) {
    const auto cat = category_from_name(d.category.text);
    if (!cat) {
      s.diags.error(d.category.where, msg("unknown-category", d.category.text),
                    {note(msg("unknown-category.list",
                              "jenis, jenjang, unit_kind, position_kind, scope, mode, action, "
                              "content, authority, team_role, report_as"))});
      continue;
    }
    const int tiers = static_cast<int>(d.tiers.size());
    for (int t = 0; t < tiers; ++t) {
      for (const auto& item : d.tiers[static_cast<std::size_t>(t)]) {
        const int rank = tiers > 1 ? tiers - t : 0;
        auto& vocab = s.out->vocab;
        if (vocab.full() && !vocab.find_any(item.code.text)) {
          // Codes are 16 bits: the first name past the last one is the error, the rest would repeat it.
          s.diags.error(item.code.where, msg("too-many-codes", std::to_string(vocabulary::capacity)));
          return false;
        }
        if (!vocab.add(*cat, item.code.text, rank, item.label)) {
          s.diags.error(item.code.where, msg("duplicate-code", item.code.text, category_name(*cat)));
        }
      }
    }
  }
  return true;
}

void lookup_known(state& s) {
  auto& k = s.out->known;
  const auto& v = s.out->vocab;
  auto get = [&](category c, std::string_view n) { return v.find(c, n).value_or(no_code); };
  k.fungsional = get(category::jenis, "fungsional");
  k.pelaksana = get(category::jenis, "pelaksana");
  k.pemerintah_daerah = get(category::unit_kind, "pemerintah_daerah");
  k.penunjukan = get(category::mode, "penunjukan");
  k.pengajuan_sukarela = get(category::mode, "pengajuan_sukarela");
  k.penolakan = get(category::action, "penolakan");
  k.ketua = get(category::team_role, "ketua");
  k.anggota = get(category::team_role, "anggota");
  for (std::size_t i = 0; i < 4; ++i) k.contract_scopes[i] = get(category::scope, contract_scope_names[i]);
}

// "did you mean" the rule of the merged layers nearest to a name that is none
// of them (a misspelt `refine`, `override` or `repeal`).
std::vector<related> rule_notes(const state& s, std::string_view name) {
  nearest_finder near(name);
  for (const auto& [n, slot] : s.slots) near.consider(n);
  if (near.best().empty()) return {};
  return {note(msg("did-you-mean", near.best()))};
}

void merge_layer(state& s, const layer& l) {
  for (const auto& d : l.file.defines) {
    std::vector<code>* target = nullptr;
    if (d.what.text == "perangkat_daerah")
      target = &s.out->shape.perangkat_daerah_kinds;
    else if (d.what.text == "unit_organisasi")
      target = &s.out->shape.unit_organisasi_kinds;
    else {
      s.diags.error(d.what.where, msg("unknown-definition", d.what.text),
                    {note(msg("unknown-definition.list", "perangkat_daerah, unit_organisasi"))});
      continue;
    }
    const bool exists = s.defined.count(d.what.text) > 0;
    if (exists && !d.is_override) {
      s.diags.error(d.what.where, msg("already-defined", d.what.text));
      continue;
    }
    if (!exists && d.is_override) {
      s.diags.error(d.what.where, msg("override-define-no-base", d.what.text));
    }
    if (d.cites.empty()) s.diags.error(d.where, msg("definition-no-citation", d.what.text));
    *target = codes_in(s, category::unit_kind, d.kinds);
    if (d.what.text == "unit_organisasi") s.out->shape.unit_organisasi_within.clear();
    for (std::size_t i = 0; i < d.within.size(); ++i) {
      if (d.within[i].empty()) continue;
      if (d.what.text != "unit_organisasi") {
        s.diags.error(d.within[i].front().where, msg("within-not-uo"));
        continue;
      }
      auto kind = s.out->vocab.find(category::unit_kind, d.kinds[i].text);
      if (kind) s.out->shape.unit_organisasi_within.push_back({*kind, codes_in(s, category::unit_kind, d.within[i])});
    }
    s.defined.insert(d.what.text);
    if (d.what.text == "unit_organisasi") s.out->shape_citation = render_citations(s, d.cites, l.cite_as);
  }

  if (!l.file.scopes.empty()) {
    s.out->scope_of.fill(no_code);
    s.scope_where = l.file.scopes.front().where;
  }
  for (const auto& decl : l.file.scopes) {
    const auto reg = code_in(s, category::scope, decl.scope);
    for (const auto& c : decl.covers) {
      const auto it = std::find(contract_scope_names.begin(), contract_scope_names.end(), c.text);
      if (it == contract_scope_names.end()) {
        s.diags.error(c.where, msg("not-contract-scope", c.text),
                      {note(msg("not-contract-scope.list",
                                "dalam_unit, lintas_unit, lintas_perangkat_daerah, lintas_instansi"))});
        continue;
      }
      const auto i = static_cast<std::size_t>(it - contract_scope_names.begin());
      if (s.out->scope_of[i] != no_code) {
        s.diags.error(c.where, msg("contract-scope-covered", c.text, s.out->vocab.name(s.out->scope_of[i])));
        continue;
      }
      if (reg) {
        s.out->scope_of[i] = *reg;
        s.out->scope_citation[i] = render_citations(s, decl.cites, l.cite_as);
      }
    }
  }

  auto place = [&](rule_variant v) {
    auto& common = common_of(v);
    const std::string name = common.rule.text;
    auto it = s.slots.find(name);
    if (it != s.slots.end() && !common.is_override) {
      s.diags.error(common.rule.where, msg("duplicate-rule", name),
                    {note(msg("duplicate-rule.first"), common_of(it->second.decl).rule.where)});
      return;
    }
    if (it == s.slots.end() && common.is_override) {
      s.diags.error(common.rule.where, msg("override-unknown", name), rule_notes(s, name));
      return;
    }
    if (!common.strength_given) s.diags.error(common.rule.where, msg("no-strength", name));
    rule_slot slot;
    slot.ruleset = l.id;
    slot.citation = render_citations(s, common.cites, l.cite_as);
    if (common.cites.empty()) {
      s.diags.error(common.rule.where, msg("no-citation", name), {note(msg("no-citation.hint"))});
    }
    if (it != s.slots.end()) {
      if (it->second.decl.index() != v.index()) {
        s.diags.error(common.rule.where, msg("override-kind", name));
        return;
      }
      slot.overrides = override_note{override_kind::replaces, it->second.ruleset, it->second.citation};
      slot.order = it->second.order;
      it->second = std::move(slot);
      it->second.decl = std::move(v);
    } else {
      slot.order = s.order++;
      slot.decl = std::move(v);
      s.slots.emplace(name, std::move(slot));
    }
  };
  for (const auto& d : l.file.kedudukan) place(d);
  for (const auto& d : l.file.rules) place(d);
  for (const auto& d : l.file.reports) place(d);
  for (const auto& d : l.file.workflows) place(d);

  for (const auto& r : l.file.refines) {
    auto it = s.slots.find(r.common.rule.text);
    if (it == s.slots.end()) {
      s.diags.error(r.common.rule.where, msg("refine-unknown", r.common.rule.text), rule_notes(s, r.common.rule.text));
      continue;
    }
    auto& slot = it->second;
    auto& c = common_of(slot.decl);
    if (slot.ruleset == l.id) {
      s.diags.error(r.common.rule.where, msg("refine-same-ruleset", r.common.rule.text));
      continue;
    }
    slot.overrides = override_note{override_kind::refines, slot.ruleset, slot.citation};
    slot.ruleset = l.id;
    // The rule now rests on this file: its warnings point at the refine.
    c.rule.where = r.common.rule.where;
    if (r.has_cite) {
      c.cites = r.common.cites;
      slot.citation = render_citations(s, r.common.cites, l.cite_as);
    } else {
      s.diags.error(r.common.rule.where, msg("refine-no-citation", r.common.rule.text));
    }
    // A new condition under the base's words would explain the old rule.
    if ((r.common.when || r.common.require) && r.common.message.empty()) {
      s.diags.warning(r.common.rule.where, msg("refine-keeps-message", r.common.rule.text));
    }
    if (r.common.when) c.when = r.common.when;
    if (r.common.require) c.require = r.common.require;
    if (!r.common.message.empty()) c.message = r.common.message;
    if (!r.common.hint.empty()) c.hint = r.common.hint;
    if (r.common.strength_given) c.level = r.common.level;
  }
}

// The query kind a merged rule checks.
query_kind kind_of_slot(const rule_slot& slot) {
  if (std::holds_alternative<ast::kedudukan_decl>(slot.decl)) return query_kind::kedudukan;
  if (std::holds_alternative<ast::report_decl>(slot.decl)) return query_kind::pelaporan;
  if (std::holds_alternative<ast::workflow_decl>(slot.decl)) return query_kind::penugasan;
  const auto& on = std::get<ast::rule_decl>(slot.decl).on.text;
  for (auto q :
       {query_kind::kedudukan, query_kind::penugasan, query_kind::pelaporan, query_kind::tim, query_kind::delegasi}) {
    if (query_kind_name(q) == on) return q;
  }
  return query_kind::kedudukan;
}

void apply_repeals(state& s, const layer& l) {
  for (const auto& r : l.file.repeals) {
    auto it = s.slots.find(r.rule.text);
    if (it == s.slots.end()) {
      s.diags.error(r.rule.where, msg("repeal-unknown", r.rule.text), rule_notes(s, r.rule.text));
      continue;
    }
    if (it->second.ruleset == l.id) {
      s.diags.error(r.rule.where, msg("repeal-own", r.rule.text));
      continue;
    }
    s.out->repealed.push_back({r.rule.text, kind_of_slot(it->second), it->second.ruleset, it->second.citation,
                               render_citations(s, r.cites, l.cite_as), r.reason});
    s.slots.erase(it);
  }
}

void check_scope_table(state& s) {
  for (std::size_t i = 0; i < 4; ++i) {
    if (s.out->scope_of[i] == no_code) {
      s.diags.warning(s.scope_where, msg("scope-uncovered", contract_scope_names[i]));
    }
  }
}

}  // namespace

ast::rule_common& common_of(rule_variant& v) {
  return std::visit([](auto& d) -> ast::rule_common& { return d.common; }, v);
}

void declare(state& s, const std::vector<layer>& layers) {
  auto& header = s.out->header;
  const auto& head = *layers.back().file.head;
  header.id = head.id.text;
  header.title = head.title;
  header.cite_as = head.cite_as;
  header.number = head.number;
  header.region = head.region;
  header.status = head.status;
  header.enacted = head.enacted;
  header.promulgated = head.promulgated;
  header.in_force = head.in_force;
  header.year = head.year;
  header.extends = head.extends ? head.extends->text : std::string();
  for (auto it = layers.rbegin(); it != layers.rend(); ++it) header.chain.push_back(it->id);
  s.out->source_text = layers.back().file.source->text;

  for (const auto& l : layers) s.cite_as_of[l.id] = l.cite_as;
  for (const auto& l : layers) {
    if (!collect_codes(s, l)) break;
  }
  lookup_known(s);
}

void merge(state& s, const std::vector<layer>& layers) {
  for (const auto& l : layers) {
    merge_layer(s, l);
    apply_repeals(s, l);
  }
  check_scope_table(s);
}

}  // namespace perwal::compile
