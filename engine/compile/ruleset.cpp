// Phases 2–4 of the compiler:
//   load   — the file, its includes, and the chain of rulesets it extends;
//   merge  — codes, definitions, scopes and rules layer by layer (base first),
//            applying `override` and `refine` by name;
//   resolve— every code and role expression checked against the vocabulary
//            and the query type it runs on; the result is frozen.
#include "engine/compile/ruleset.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <variant>

#include "engine/syntax/parser.hpp"

namespace perwal {

std::string_view strength_name(strength s) {
  switch (s) {
    case strength::wajib:
      return "wajib";
    case strength::dilarang:
      return "dilarang";
    case strength::boleh:
      return "boleh";
    case strength::diutamakan:
      return "diutamakan";
  }
  return "wajib";
}

std::string_view query_kind_name(query_kind q) {
  static constexpr std::array<std::string_view, 5> names = {"kedudukan", "penugasan", "pelaporan", "tim", "delegasi"};
  return names[static_cast<std::size_t>(q)];
}

std::vector<const rule_info*> compiled_ruleset::all_rules() const {
  std::vector<const rule_info*> out;
  for (const auto& r : rules) out.push_back(&r.info);
  for (const auto& r : kedudukan) out.push_back(&r.info);
  for (const auto& r : reports) out.push_back(&r.info);
  for (const auto& w : workflows) {
    out.push_back(&w.info);
    for (const auto& s : w.steps) out.push_back(&s.info);
  }
  return out;
}

namespace {

namespace fs = std::filesystem;

std::optional<std::string> read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// One ruleset file with its includes merged in.
struct layer {
  ast::file file;
  std::string id;
  std::string cite_as;
  fs::path dir;
};

std::string render_part(const ast::citation_part& p) {
  std::string key = p.key;
  std::string lower = key;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  std::string value = p.value;
  if (lower == "ayat" && (value.empty() || value.front() != '(')) value = "(" + value + ")";
  // Keep the regulation's customary capitalisation: Pasal and Lampiran upper, the rest lower.
  if (lower == "pasal" || lower == "lampiran" || lower == "bab" || lower == "bagian" || lower == "paragraf") {
    key = lower;
    key[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(key[0])));
  } else {
    key = lower;
  }
  return value.empty() ? key : key + " " + value;
}

std::string render_citations(const std::vector<ast::citation>& cites, const std::string& cite_as) {
  std::string out;
  for (const auto& c : cites) {
    std::string one;
    for (const auto& p : c.parts) {
      if (!one.empty()) one += ' ';
      one += render_part(p);
    }
    if (!c.note.empty()) one += (one.empty() ? "" : " ") + c.note;
    if (out.empty()) {
      out = cite_as.empty() ? one : cite_as + ", " + one;
    } else {
      out += "; " + one;
    }
  }
  return out;
}

using rule_variant = std::variant<ast::kedudukan_decl, ast::rule_decl, ast::report_decl, ast::workflow_decl>;

ast::rule_common& common_of(rule_variant& v) {
  return std::visit([](auto& d) -> ast::rule_common& { return d.common; }, v);
}

// A rule as merged across layers: its declaration, the layer its text and
// its citations come from, and what it replaced.
struct rule_slot {
  rule_variant decl;
  std::string citation;
  std::string ruleset;
  std::optional<override_note> overrides;
  std::size_t order = 0;
};

struct context_names {
  std::vector<std::pair<std::string_view, std::pair<base_name, value_type>>> bases;
};

const context_names& names_for(query_kind q) {
  static const context_names kedudukan{{{"position", {base_name::position, value_type::position}},
                                        {"atasan", {base_name::atasan, value_type::position}},
                                        {"pd", {base_name::pd, value_type::unit}}}};
  static const context_names penugasan{{{"assignee", {base_name::assignee, value_type::position}},
                                        {"owner", {base_name::owner, value_type::unit}},
                                        {"issuer", {base_name::issuer, value_type::position}},
                                        {"mode", {base_name::mode, value_type::code_val}},
                                        {"scope", {base_name::scope, value_type::code_val}},
                                        {"contract_scope", {base_name::contract_scope, value_type::code_val}},
                                        {"team", {base_name::team, value_type::team}},
                                        {"role", {base_name::role, value_type::code_val}},
                                        {"step", {base_name::step, value_type::step}}}};
  static const context_names pelaporan{{{"from", {base_name::from, value_type::position}},
                                        {"to", {base_name::to, value_type::position}},
                                        {"as", {base_name::as, value_type::code_val}},
                                        {"team", {base_name::team, value_type::team}}}};
  static const context_names tim{{{"team", {base_name::team, value_type::team}}}};
  static const context_names delegasi{{{"delegation", {base_name::delegation, value_type::delegation}}}};
  switch (q) {
    case query_kind::kedudukan:
      return kedudukan;
    case query_kind::penugasan:
      return penugasan;
    case query_kind::pelaporan:
      return pelaporan;
    case query_kind::tim:
      return tim;
    case query_kind::delegasi:
      return delegasi;
  }
  return kedudukan;
}

std::string_view type_name(value_type t) {
  switch (t) {
    case value_type::position:
      return "a position";
    case value_type::unit:
      return "a unit";
    case value_type::team:
      return "a team";
    case value_type::positions:
      return "a set of positions";
    case value_type::units:
      return "a set of units";
    case value_type::delegation:
      return "a delegation";
    case value_type::step:
      return "a step";
    case value_type::code_val:
      return "a code";
    case value_type::boolean:
      return "a condition";
    default:
      return "a value";
  }
}

struct prop_spec {
  std::string_view name;
  prop p;
  value_type from;
  value_type to;
  std::optional<category> code_cat;  // category of the code it yields
  std::optional<category> arg_cat;   // arguments are codes of this category (repeatable)
  bool string_arg = false;
};

const std::vector<prop_spec>& prop_table() {
  using vt = value_type;
  static const std::vector<prop_spec> table = {
      {"id", prop::id, vt::position, vt::string, {}, {}, false},
      {"kind", prop::kind, vt::position, vt::code_val, category::position_kind, {}, false},
      {"jenis", prop::jenis, vt::position, vt::code_val, category::jenis, {}, false},
      {"jenjang", prop::jenjang, vt::position, vt::code_val, category::jenjang, {}, false},
      {"unit", prop::unit, vt::position, vt::unit, {}, {}, false},
      {"atasan", prop::atasan, vt::position, vt::position, {}, {}, false},
      {"penilai", prop::penilai, vt::position, vt::position, {}, {}, false},
      {"pimpinan_unit", prop::pimpinan_unit, vt::position, vt::position, {}, {}, false},
      {"kepala_pd", prop::kepala_pd, vt::position, vt::position, {}, {}, false},
      {"unit_organisasi", prop::unit_organisasi, vt::position, vt::unit, {}, {}, false},
      {"perangkat_daerah", prop::perangkat_daerah, vt::position, vt::unit, {}, {}, false},
      {"instansi", prop::instansi, vt::position, vt::unit, {}, {}, false},
      {"pejabat_berwenang", prop::pejabat_berwenang, vt::position, vt::position, {}, {}, false},
      {"heads", prop::heads, vt::position, vt::unit, {}, {}, false},
      {"is_head", prop::is_head, vt::position, vt::boolean, {}, {}, false},
      {"superiors", prop::superiors, vt::position, vt::positions, {}, {}, false},
      {"delegated", prop::delegated, vt::position, vt::boolean, {}, category::authority, false},
      {"has_tag", prop::has_tag, vt::position, vt::boolean, {}, {}, true},
      {"id", prop::id, vt::unit, vt::string, {}, {}, false},
      {"kind", prop::kind, vt::unit, vt::code_val, category::unit_kind, {}, false},
      {"head", prop::head, vt::unit, vt::position, {}, {}, false},
      {"parent", prop::parent, vt::unit, vt::unit, {}, {}, false},
      {"unit_organisasi", prop::unit_organisasi, vt::unit, vt::unit, {}, {}, false},
      {"perangkat_daerah", prop::perangkat_daerah, vt::unit, vt::unit, {}, {}, false},
      {"instansi", prop::instansi, vt::unit, vt::unit, {}, {}, false},
      {"pimpinan_unit", prop::pimpinan_unit, vt::unit, vt::position, {}, {}, false},
      {"kepala_pd", prop::kepala_pd, vt::unit, vt::position, {}, {}, false},
      {"pejabat_berwenang", prop::pejabat_berwenang, vt::unit, vt::position, {}, {}, false},
      {"has_tag", prop::has_tag, vt::unit, vt::boolean, {}, {}, true},
      {"find", prop::find, vt::unit, vt::unit, {}, category::unit_kind, false},
      {"holders", prop::holders, vt::unit, vt::positions, {}, category::position_kind, false},
      {"id", prop::id, vt::team, vt::string, {}, {}, false},
      {"owner", prop::owner, vt::team, vt::unit, {}, {}, false},
      {"ketua", prop::ketua, vt::team, vt::position, {}, {}, false},
      {"anggota", prop::anggota, vt::team, vt::positions, {}, {}, false},
      {"members", prop::members, vt::team, vt::positions, {}, {}, false},
      {"established_by", prop::established_by, vt::team, vt::position, {}, {}, false},
      {"cross_unit", prop::cross_unit, vt::team, vt::boolean, {}, {}, false},
      {"cross_instansi", prop::cross_instansi, vt::team, vt::boolean, {}, {}, false},
      {"has_target", prop::has_target, vt::team, vt::boolean, {}, {}, false},
      {"field", prop::field, vt::team, vt::json, {}, {}, true},
      {"role", prop::role, vt::team, vt::code_val, category::team_role, {}, false},
      {"from", prop::from, vt::delegation, vt::position, {}, {}, false},
      {"to", prop::to, vt::delegation, vt::position, {}, {}, false},
      {"authority", prop::authority, vt::delegation, vt::code_val, category::authority, {}, false},
  };
  return table;
}

class compiler {
 public:
  explicit compiler(diagnostics& d) : diags_(d) {}

  std::shared_ptr<compiled_ruleset> run(std::shared_ptr<const source_file> top, const fs::path& dir) {
    std::vector<layer> layers;
    std::set<std::string> seen;
    if (!load_chain(std::move(top), dir, layers, seen, source_range{})) return nullptr;
    out_ = std::make_shared<compiled_ruleset>();
    const auto& head = *layers.back().file.head;
    out_->header.id = head.id.text;
    out_->header.title = head.title;
    out_->header.cite_as = head.cite_as;
    out_->header.number = head.number;
    out_->header.region = head.region;
    out_->header.status = head.status;
    out_->header.enacted = head.enacted;
    out_->header.promulgated = head.promulgated;
    out_->header.in_force = head.in_force;
    out_->header.year = head.year;
    out_->header.extends = head.extends ? head.extends->text : std::string();
    for (auto it = layers.rbegin(); it != layers.rend(); ++it) out_->header.chain.push_back(it->id);
    out_->source_text = layers.back().file.source->text;

    for (const auto& l : layers) cite_as_of_[l.id] = l.cite_as;
    for (const auto& l : layers) collect_codes(l);
    lookup_known();
    for (const auto& l : layers) merge_layer(l);
    check_scope_table();
    build_rules();
    for (const auto& ex : layers.back().file.examples) add_example(ex, layers.back());
    hash_sources();
    if (diags_.has_errors()) return nullptr;
    derive_engine_rules(*out_);
    return out_;
  }

 private:
  // ---- load -----------------------------------------------------------------
  std::optional<ast::file> parse_with_includes(std::shared_ptr<const source_file> src, const fs::path& dir,
                                               std::set<std::string>& seen) {
    auto parsed = syntax::parse(src, diags_);
    if (!parsed) return std::nullopt;
    sources_.push_back(src);
    for (const auto& inc : parsed->includes) {
      const fs::path p = dir / inc.path;
      const std::string key = fs::weakly_canonical(p).string();
      if (seen.count(key)) {
        diags_.error(inc.where, "include cycle: \"" + inc.path + "\" is already being read");
        continue;
      }
      auto text = read_file(p);
      if (!text) {
        diags_.error(inc.where, "cannot read included file \"" + p.string() + "\"");
        continue;
      }
      seen.insert(key);
      auto sub = parse_with_includes(std::make_shared<source_file>(source_file{p.string(), std::move(*text)}),
                                     p.parent_path(), seen);
      if (!sub) continue;
      if (sub->head) diags_.error(sub->head->where, "an included file holds declarations only, not a ruleset header");
      append(*parsed, std::move(*sub));
    }
    return parsed;
  }

  static void append(ast::file& into, ast::file&& from) {
    auto move_all = [](auto& dst, auto& src) { std::move(src.begin(), src.end(), std::back_inserter(dst)); };
    move_all(into.codes, from.codes);
    move_all(into.defines, from.defines);
    move_all(into.scopes, from.scopes);
    move_all(into.kedudukan, from.kedudukan);
    move_all(into.rules, from.rules);
    move_all(into.reports, from.reports);
    move_all(into.workflows, from.workflows);
    move_all(into.refines, from.refines);
    move_all(into.examples, from.examples);
  }

  bool load_chain(std::shared_ptr<const source_file> src, const fs::path& dir, std::vector<layer>& layers,
                  std::set<std::string>& ids, const source_range& from) {
    std::set<std::string> seen;
    auto file = parse_with_includes(src, dir, seen);
    if (!file) return false;
    if (!file->head) {
      source_range r{src, {0, 1, 1}, {0, 1, 1}};
      diags_.error(r, "a ruleset starts with its header: ruleset <id> { title …; cite_as …; … }");
      return false;
    }
    const auto& head = *file->head;
    if (head.cite_as.empty()) diags_.error(head.where, "the header needs cite_as: the regulation's name in citations");
    if (!head.status.empty() && head.status != "draft" && head.status != "enacted") {
      diags_.error(head.where, "status must be draft or enacted");
    }
    if (ids.count(head.id.text)) {
      diags_.error(from.file ? from : head.id.where, "extends cycle: ruleset " + head.id.text + " extends itself");
      return false;
    }
    ids.insert(head.id.text);
    if (head.extends) {
      // The base is looked up beside this file, then in each folder of PERWAL_PATH.
      std::vector<fs::path> dirs = {dir};
      if (const char* env = std::getenv("PERWAL_PATH")) {
        std::stringstream ss(env);
        for (std::string part; std::getline(ss, part, ':');) {
          if (!part.empty()) dirs.emplace_back(part);
        }
      }
      fs::path base;
      std::optional<std::string> text;
      std::string looked;
      for (const auto& d : dirs) {
        base = d / (head.extends->text + ".perwal");
        text = read_file(base);
        if (text) break;
        looked += (looked.empty() ? "" : ", ") + base.string();
      }
      if (!text) {
        diags_.error(head.extends->where, "cannot find the base ruleset \"" + head.extends->text + "\"",
                     {"looked for " + looked + "; set PERWAL_PATH to the folder of the base rulesets"});
        return false;
      }
      auto base_src = std::make_shared<source_file>(source_file{base.string(), std::move(*text)});
      if (!load_chain(base_src, base.parent_path(), layers, ids, head.extends->where)) return false;
      if (layers.back().id != head.extends->text) {
        diags_.error(head.extends->where, "file " + base.string() + " declares ruleset \"" + layers.back().id +
                                              "\", not \"" + head.extends->text + "\"");
      }
    }
    std::string id = head.id.text;  // `head` refers into `file`, which is moved next
    std::string cite_as = head.cite_as;
    layers.push_back(layer{std::move(*file), std::move(id), std::move(cite_as), dir});
    return true;
  }

  // ---- codes ----------------------------------------------------------------
  void collect_codes(const layer& l) {
    for (const auto& d : l.file.codes) {
      const auto cat = category_from_name(d.category.text);
      if (!cat) {
        diags_.error(d.category.where, "unknown code category \"" + d.category.text + "\"",
                     {"categories: jenis, jenjang, unit_kind, position_kind, scope, mode, action, content, "
                      "authority, team_role, report_as"});
        continue;
      }
      const int tiers = static_cast<int>(d.tiers.size());
      for (int t = 0; t < tiers; ++t) {
        for (const auto& item : d.tiers[static_cast<std::size_t>(t)]) {
          const int rank = tiers > 1 ? tiers - t : 0;
          if (!out_->vocab.add(*cat, item.code.text, rank, item.label)) {
            diags_.error(item.code.where, "code \"" + item.code.text + "\" is already declared in category " +
                                              std::string(category_name(*cat)));
          }
        }
      }
    }
  }

  void lookup_known() {
    auto& k = out_->known;
    const auto& v = out_->vocab;
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

  std::optional<code> code_in(category cat, const ast::name& n) {
    if (auto c = out_->vocab.find(cat, n.text)) return c;
    std::string msg = "unknown " + std::string(category_name(cat)) + " \"" + n.text + "\"";
    if (out_->vocab.find_any(n.text)) msg += " (it is declared, but not as a " + std::string(category_name(cat)) + ")";
    diags_.error(n.where, msg, {"declare it with: codes " + std::string(category_name(cat)) + " { " + n.text + " }"});
    return std::nullopt;
  }

  std::vector<code> codes_in(category cat, const std::vector<ast::name>& ns) {
    std::vector<code> out;
    for (const auto& n : ns) {
      if (auto c = code_in(cat, n)) out.push_back(*c);
    }
    return out;
  }

  // ---- merge ----------------------------------------------------------------
  void merge_layer(const layer& l) {
    for (const auto& d : l.file.defines) {
      std::vector<code>* target = nullptr;
      if (d.what.text == "perangkat_daerah")
        target = &out_->shape.perangkat_daerah_kinds;
      else if (d.what.text == "unit_organisasi")
        target = &out_->shape.unit_organisasi_kinds;
      else {
        diags_.error(d.what.where, "unknown definition \"" + d.what.text + "\"",
                     {"definitions: perangkat_daerah, unit_organisasi"});
        continue;
      }
      const bool exists = defined_.count(d.what.text) > 0;
      if (exists && !d.is_override) {
        diags_.error(d.what.where, "\"" + d.what.text + "\" is already defined; write `override define` to replace it");
        continue;
      }
      if (!exists && d.is_override) {
        diags_.error(d.what.where, "override define " + d.what.text + ": no base ruleset defines it");
      }
      if (d.cites.empty()) diags_.error(d.where, "definition " + d.what.text + " has no citation");
      *target = codes_in(category::unit_kind, d.kinds);
      if (d.what.text == "unit_organisasi") out_->shape.unit_organisasi_within.clear();
      for (std::size_t i = 0; i < d.within.size(); ++i) {
        if (d.within[i].empty()) continue;
        if (d.what.text != "unit_organisasi") {
          diags_.error(d.within[i].front().where, "a [perangkat daerah] limit applies to unit_organisasi only");
          continue;
        }
        auto kind = out_->vocab.find(category::unit_kind, d.kinds[i].text);
        if (kind) out_->shape.unit_organisasi_within.push_back({*kind, codes_in(category::unit_kind, d.within[i])});
      }
      defined_.insert(d.what.text);
      if (d.what.text == "unit_organisasi") out_->shape_citation = render_citations(d.cites, l.cite_as);
    }

    if (!l.file.scopes.empty()) {
      out_->scope_of.fill(no_code);
      scope_where_ = l.file.scopes.front().where;
    }
    for (const auto& s : l.file.scopes) {
      const auto reg = code_in(category::scope, s.scope);
      for (const auto& c : s.covers) {
        const auto it = std::find(contract_scope_names.begin(), contract_scope_names.end(), c.text);
        if (it == contract_scope_names.end()) {
          diags_.error(c.where, "\"" + c.text + "\" is not a contract scope",
                       {"contract scopes: dalam_unit, lintas_unit, lintas_perangkat_daerah, lintas_instansi"});
          continue;
        }
        const auto i = static_cast<std::size_t>(it - contract_scope_names.begin());
        if (out_->scope_of[i] != no_code) {
          diags_.error(c.where, "contract scope " + c.text + " is already covered by scope " +
                                    out_->vocab.name(out_->scope_of[i]));
          continue;
        }
        if (reg) {
          out_->scope_of[i] = *reg;
          out_->scope_citation[i] = render_citations(s.cites, l.cite_as);
        }
      }
    }

    auto place = [&](rule_variant v) {
      auto& common = common_of(v);
      const std::string name = common.rule.text;
      auto it = slots_.find(name);
      if (it != slots_.end() && !common.is_override) {
        diags_.error(common.rule.where, "duplicate rule \"" + name + "\"",
                     {"first defined at " + common_of(it->second.decl).rule.where.where() +
                      "; write `override` to replace a base rule"});
        return;
      }
      if (it == slots_.end() && common.is_override) {
        diags_.error(common.rule.where, "override of \"" + name + "\": no base ruleset defines a rule of that name");
        return;
      }
      if (!common.strength_given) diags_.error(common.rule.where, "rule \"" + name + "\" has no strength");
      rule_slot slot;
      slot.ruleset = l.id;
      slot.citation = render_citations(common.cites, l.cite_as);
      if (common.cites.empty()) {
        diags_.error(common.rule.where, "rule \"" + name + "\" has no citation",
                     {"every rule must cite the article it rests on: cite Pasal …, Lampiran …"});
      }
      if (it != slots_.end()) {
        if (it->second.decl.index() != v.index()) {
          diags_.error(common.rule.where, "override of \"" + name + "\" must be the same kind of rule as the base");
          return;
        }
        slot.overrides = override_note{override_kind::replaces, it->second.ruleset, it->second.citation};
        slot.order = it->second.order;
        it->second = std::move(slot);
        it->second.decl = std::move(v);
      } else {
        slot.order = order_++;
        slot.decl = std::move(v);
        slots_.emplace(name, std::move(slot));
      }
    };
    for (const auto& d : l.file.kedudukan) place(d);
    for (const auto& d : l.file.rules) place(d);
    for (const auto& d : l.file.reports) place(d);
    for (const auto& d : l.file.workflows) place(d);

    for (const auto& r : l.file.refines) {
      auto it = slots_.find(r.common.rule.text);
      if (it == slots_.end()) {
        diags_.error(r.common.rule.where, "refine of \"" + r.common.rule.text + "\": no such rule in the base");
        continue;
      }
      auto& slot = it->second;
      auto& c = common_of(slot.decl);
      if (slot.ruleset == l.id) {
        diags_.error(r.common.rule.where,
                     "refine of \"" + r.common.rule.text + "\": it is defined in this same ruleset; edit it instead");
        continue;
      }
      slot.overrides = override_note{override_kind::refines, slot.ruleset, slot.citation};
      slot.ruleset = l.id;
      if (r.has_cite) {
        c.cites = r.common.cites;
        slot.citation = render_citations(r.common.cites, l.cite_as);
      } else {
        diags_.error(r.common.rule.where, "refine of \"" + r.common.rule.text + "\" needs its own citation");
      }
      if (r.common.when) c.when = r.common.when;
      if (r.common.require) c.require = r.common.require;
      if (!r.common.message.empty()) c.message = r.common.message;
      if (!r.common.hint.empty()) c.hint = r.common.hint;
      if (r.common.strength_given) c.level = r.common.level;
    }
  }

  void check_scope_table() {
    for (std::size_t i = 0; i < 4; ++i) {
      if (out_->scope_of[i] == no_code) {
        diags_.warning(scope_where_, "contract scope " + std::string(contract_scope_names[i]) +
                                         " is not covered by any scope: assignments in it are denied");
      }
    }
  }

  // ---- resolve --------------------------------------------------------------
  std::optional<cpath> resolve_path(const ast::path& p, query_kind q) {
    cpath out;
    out.where = p.where;
    out.text = p.base.text;
    const auto& ctx = names_for(q);
    auto found =
        std::find_if(ctx.bases.begin(), ctx.bases.end(), [&](const auto& b) { return b.first == p.base.text; });
    if (found == ctx.bases.end()) {
      std::string names;
      for (const auto& b : ctx.bases) names += (names.empty() ? "" : ", ") + std::string(b.first);
      diags_.error(p.base.where,
                   "unknown name \"" + p.base.text + "\" in a " + std::string(query_kind_name(q)) + " rule",
                   {"names here: " + names + "; a bare code must be declared with `codes`"});
      return std::nullopt;
    }
    out.base = found->second.first;
    value_type t = found->second.second;
    std::optional<category> cat;
    if (out.base == base_name::mode) cat = category::mode;
    if (out.base == base_name::scope || out.base == base_name::contract_scope) cat = category::scope;
    if (out.base == base_name::role) cat = category::team_role;
    if (out.base == base_name::as) cat = category::report_as;
    for (const auto& s : p.steps) {
      out.text += "." + s.prop.text;
      cstep step;
      // step.<field>, and <json>.<field>: any field of the query's step object, or
      // of a JSON value reached by team.field("…"); checked at run time.
      if (t == value_type::step || t == value_type::json) {
        step.p = prop::field;
        step.text = s.prop.text;
        t = value_type::json;
        out.steps.push_back(std::move(step));
        continue;
      }
      const bool is_set = t == value_type::positions || t == value_type::units;
      const value_type elem = t == value_type::positions ? value_type::position
                              : t == value_type::units   ? value_type::unit
                                                         : t;
      const auto& table = prop_table();
      auto spec = std::find_if(table.begin(), table.end(),
                               [&](const prop_spec& ps) { return ps.name == s.prop.text && ps.from == elem; });
      if (spec == table.end()) {
        std::string props;
        for (const auto& ps : table) {
          if (ps.from == elem) props += (props.empty() ? "" : ", ") + std::string(ps.name);
        }
        diags_.error(s.prop.where, "\"" + s.prop.text + "\" is not a property of " + std::string(type_name(t)),
                     {props.empty() ? std::string("it has no properties") : "properties: " + props});
        return std::nullopt;
      }
      step.p = spec->p;
      if (spec->string_arg) {
        if (s.args.size() != 1 || !s.arg_is_string[0]) {
          diags_.error(s.prop.where, s.prop.text + " takes one quoted string, e.g. has_tag(\"urusan:kepegawaian\")");
          return std::nullopt;
        }
        step.text = s.args[0].text;
      } else if (spec->arg_cat) {
        if (s.args.empty()) {
          diags_.error(s.prop.where,
                       s.prop.text + " needs at least one " + std::string(category_name(*spec->arg_cat)) + " argument");
          return std::nullopt;
        }
        for (const auto& a : s.args) {
          if (auto c = code_in(*spec->arg_cat, a)) step.codes.push_back(*c);
        }
      } else if (!s.args.empty()) {
        diags_.error(s.prop.where, s.prop.text + " takes no arguments");
      }
      value_type next = spec->to;
      if (is_set) {
        if (next == value_type::position || next == value_type::positions)
          next = value_type::positions;
        else if (next == value_type::unit || next == value_type::units)
          next = value_type::units;
        else {
          diags_.error(s.prop.where, "\"" + s.prop.text + "\" cannot be taken of a set",
                       {"only properties naming positions or units apply to each member of a set"});
          return std::nullopt;
        }
      }
      cat = spec->code_cat;
      t = next;
      out.steps.push_back(std::move(step));
    }
    out.type = t;
    if (t == value_type::code_val) out.code_cat = cat;
    return out;
  }

  static std::optional<category> code_cat_of(const cpath& p) { return p.code_cat; }

  std::vector<cpath> resolve_union(const std::vector<ast::path>& ps, query_kind q) {
    std::vector<cpath> out;
    for (const auto& p : ps) {
      auto c = resolve_path(p, q);
      if (!c) continue;
      if (c->type != value_type::position && c->type != value_type::positions) {
        diags_.error(p.where, "\"" + c->text + "\" names " + std::string(type_name(c->type)) +
                                  ", but an official (a position) is expected here");
        continue;
      }
      out.push_back(std::move(*c));
    }
    return out;
  }

  // A bare identifier that is not a base name is a code literal.
  bool is_code_literal(const ast::expr& e, query_kind q) const {
    if (e.k != ast::expr::kind::path_union || e.paths.size() != 1 || !e.paths[0].steps.empty()) return false;
    const auto& ctx = names_for(q);
    return std::none_of(ctx.bases.begin(), ctx.bases.end(),
                        [&](const auto& b) { return b.first == e.paths[0].base.text; });
  }

  std::optional<cexpr> resolve_expr(const ast::expr& e, query_kind q, std::optional<category> expect_cat = {}) {
    cexpr out;
    out.where = e.where;
    using k = ast::expr::kind;
    switch (e.k) {
      case k::number:
        out.op = expr_op::number;
        out.number = e.number;
        return out;
      case k::string:
        out.op = expr_op::string;
        out.text = e.text;
        return out;
      case k::boolean:
        out.op = expr_op::boolean;
        out.boolean = e.boolean;
        return out;
      case k::path_union: {
        if (is_code_literal(e, q)) {
          const auto& n = e.paths[0].base;
          out.op = expr_op::code_lit;
          if (expect_cat) {
            auto c = code_in(*expect_cat, n);
            if (!c) return std::nullopt;
            out.literal = *c;
          } else {
            auto c = out_->vocab.find_any(n.text);
            if (!c) {
              std::string names;
              for (const auto& b : names_for(q).bases) names += (names.empty() ? "" : ", ") + std::string(b.first);
              diags_.error(n.where,
                           "unknown name \"" + n.text + "\": neither a declared code nor a name of a " +
                               std::string(query_kind_name(q)) + " rule",
                           {"names here: " + names});
              return std::nullopt;
            }
            out.literal = *c;
          }
          return out;
        }
        out.op = expr_op::path;
        for (const auto& p : e.paths) {
          auto c = resolve_path(p, q);
          if (!c) return std::nullopt;
          out.paths.push_back(std::move(*c));
        }
        return out;
      }
      case k::list: {
        out.op = expr_op::list;
        for (const auto& kid : e.kids) {
          auto c = resolve_expr(kid, q, expect_cat);
          if (!c) return std::nullopt;
          out.kids.push_back(std::move(*c));
        }
        return out;
      }
      case k::compare:
      case k::in: {
        auto left = resolve_expr(e.kids[0], q);
        if (!left) return std::nullopt;
        std::optional<category> cat;
        if (left->op == expr_op::path && left->paths.size() == 1) cat = code_cat_of(left->paths[0]);
        auto right = resolve_expr(e.kids[1], q, cat);
        if (!right) return std::nullopt;
        if (e.k == k::in) {
          out.op = expr_op::in;
          const bool set_right =
              right->op == expr_op::list ||
              (right->op == expr_op::path && std::all_of(right->paths.begin(), right->paths.end(), [](const cpath& p) {
                 return p.type == value_type::positions || p.type == value_type::units ||
                        p.type == value_type::position || p.type == value_type::unit || p.type == value_type::json;
               }));
          if (!set_right) {
            diags_.error(e.kids[1].where, "the right side of 'in' must be a [list], a set of officials or units, or a JSON array field");
            return std::nullopt;
          }
        } else {
          static const std::map<std::string, expr_op> ops = {{"==", expr_op::eq}, {"!=", expr_op::ne},
                                                             {"<", expr_op::lt},  {"<=", expr_op::le},
                                                             {">", expr_op::gt},  {">=", expr_op::ge}};
          out.op = ops.at(e.text);
          const bool ordering = out.op != expr_op::eq && out.op != expr_op::ne;
          if (ordering && cat && !out_->vocab.ordered(*cat)) {
            diags_.error(e.where, "codes of " + std::string(category_name(*cat)) + " are not ordered; use == or in");
          }
        }
        out.kids.push_back(std::move(*left));
        out.kids.push_back(std::move(*right));
        return out;
      }
      case k::is_null:
      case k::not_null: {
        auto inner = resolve_expr(e.kids[0], q);
        if (!inner) return std::nullopt;
        out.op = e.k == k::is_null ? expr_op::is_null : expr_op::not_null;
        out.kids.push_back(std::move(*inner));
        return out;
      }
      case k::and_:
      case k::or_:
      case k::not_: {
        out.op = e.k == k::and_ ? expr_op::and_ : e.k == k::or_ ? expr_op::or_ : expr_op::not_;
        for (const auto& kid : e.kids) {
          auto c = resolve_expr(kid, q);
          if (!c) return std::nullopt;
          out.kids.push_back(std::move(*c));
        }
        return out;
      }
    }
    return std::nullopt;
  }

  std::optional<cexpr> resolve_cond(const std::optional<ast::expr>& e, query_kind q) {
    if (!e) return std::nullopt;
    return resolve_expr(*e, q);
  }

  rule_info info_of(const rule_slot& slot, const ast::rule_common& c) {
    rule_info info;
    info.name = c.rule.text;
    info.level = static_cast<strength>(c.level);
    info.citation = slot.citation;
    info.ruleset = slot.ruleset;
    info.message_id = c.message.id;
    info.message_en = c.message.en.empty() ? c.message.id : c.message.en;
    info.hint_id = c.hint.id;
    info.hint_en = c.hint.en.empty() ? c.hint.id : c.hint.en;
    info.overrides = slot.overrides;
    info.where = c.rule.where;
    return info;
  }

  void build_rules() {
    std::vector<const rule_slot*> ordered;
    for (const auto& [name, slot] : slots_) ordered.push_back(&slot);
    std::sort(ordered.begin(), ordered.end(),
              [](const rule_slot* a, const rule_slot* b) { return a->order < b->order; });
    for (const auto* slot : ordered) {
      std::visit([&](const auto& d) { build(*slot, d); }, slot->decl);
    }
    warn_unreachable();
  }

  void build(const rule_slot& slot, const ast::rule_decl& d) {
    generic_rule r;
    r.info = info_of(slot, d.common);
    static const std::map<std::string, query_kind> kinds = {{"kedudukan", query_kind::kedudukan},
                                                            {"penugasan", query_kind::penugasan},
                                                            {"pelaporan", query_kind::pelaporan},
                                                            {"tim", query_kind::tim},
                                                            {"delegasi", query_kind::delegasi}};
    auto it = kinds.find(d.on.text);
    if (it == kinds.end()) {
      diags_.error(d.on.where, "unknown query type \"" + d.on.text + "\"",
                   {"query types: kedudukan, penugasan, pelaporan, tim, delegasi"});
      return;
    }
    r.on = it->second;
    r.when = resolve_cond(d.common.when, r.on);
    r.require = resolve_cond(d.common.require, r.on);
    if (d.common.level == ast::strength::dilarang && d.common.require) {
      diags_.error(d.common.rule.where, "a dilarang rule states what is forbidden in `when`; it takes no `require`");
    }
    if (d.common.level == ast::strength::boleh && d.common.require) {
      diags_.error(d.common.rule.where, "a boleh rule states what is permitted in `when`; it takes no `require`");
    }
    if ((d.common.level == ast::strength::wajib || d.common.level == ast::strength::diutamakan) && !d.common.require) {
      diags_.error(d.common.rule.where,
                   "a " + std::string(strength_name(r.info.level)) + " rule needs `require`: what must hold");
    }
    if (r.info.message_id.empty()) diags_.error(d.common.rule.where, "rule \"" + r.info.name + "\" has no message");
    out_->rules.push_back(std::move(r));
  }

  void build(const rule_slot& slot, const ast::kedudukan_decl& d) {
    kedudukan_table t;
    t.info = info_of(slot, d.common);
    t.pd_kinds = codes_in(category::unit_kind, d.pd_kinds);
    for (const auto& k : d.pd_kinds) {
      auto c = out_->vocab.find(category::unit_kind, k.text);
      if (c && std::find(out_->shape.perangkat_daerah_kinds.begin(), out_->shape.perangkat_daerah_kinds.end(), *c) ==
                   out_->shape.perangkat_daerah_kinds.end()) {
        diags_.warning(k.where,
                       "kedudukan table for \"" + k.text +
                           "\" is unreachable: it is not a kind of perangkat daerah (define perangkat_daerah)");
      }
    }
    t.when = resolve_cond(d.common.when, query_kind::kedudukan);
    for (const auto& u : d.under) {
      t.under.push_back({codes_in(category::position_kind, u.kinds), u.level, u.penilai, u.pimpinan_unit});
    }
    if (d.under.empty()) diags_.error(d.common.rule.where, "kedudukan table has no `under` entry");
    for (const auto& r : d.reviews) {
      review_chain chain;
      chain.kinds = codes_in(category::position_kind, r.kinds);
      chain.citation = r.cites.empty() ? t.info.citation : render_citations(r.cites, cite_as_for(slot));
      t.reviews.push_back(std::move(chain));
    }
    out_->kedudukan.push_back(std::move(t));
  }

  void build(const rule_slot& slot, const ast::report_decl& d) {
    report_rule r;
    r.info = info_of(slot, d.common);
    r.as = codes_in(category::report_as, d.as);
    for (const auto& u : d.to) {
      auto paths = resolve_union(u, query_kind::pelaporan);
      r.to.insert(r.to.end(), paths.begin(), paths.end());
    }
    if (d.to.empty()) diags_.error(d.common.rule.where, "report rule needs `to`: whom the report goes to");
    r.when = resolve_cond(d.common.when, query_kind::pelaporan);
    r.require = resolve_cond(d.common.require, query_kind::pelaporan);
    out_->reports.push_back(std::move(r));
  }

  std::string cite_as_for(const rule_slot& slot) const {
    return slot.ruleset == out_->header.id   ? out_->header.cite_as
           : cite_as_of_.count(slot.ruleset) ? cite_as_of_.at(slot.ruleset)
                                             : out_->header.cite_as;
  }

  void build(const rule_slot& slot, const ast::workflow_decl& d) {
    workflow w;
    w.info = info_of(slot, d.common);
    const std::string cite_as = cite_as_for(slot);
    if (!d.mode) {
      diags_.error(d.common.rule.where, "workflow needs `mode` (penunjukan or pengajuan_sukarela)");
    } else if (auto c = code_in(category::mode, *d.mode)) {
      w.mode = *c;
    }
    w.scopes = codes_in(category::scope, d.scopes);
    if (d.scopes.empty()) diags_.error(d.common.rule.where, "workflow needs `scope`: the regulation's scope");
    for (std::size_t i = 0; i < w.scopes.size(); ++i) {
      if (std::find(out_->scope_of.begin(), out_->scope_of.end(), w.scopes[i]) == out_->scope_of.end()) {
        diags_.warning(d.scopes[i].where, "workflow \"" + w.info.name + "\" is unreachable: scope " + d.scopes[i].text +
                                              " covers no contract scope");
      }
    }
    w.when = resolve_cond(d.common.when, query_kind::penugasan);
    w.issuer = resolve_union(d.issuer, query_kind::penugasan);
    w.issuer_citation = d.issuer_cites.empty() ? w.info.citation : render_citations(d.issuer_cites, cite_as);
    std::set<std::string> step_names;
    for (const auto& s : d.steps) {
      workflow_step ws;
      ws.step = s.step.text;
      if (!step_names.insert(s.step.text).second) {
        diags_.error(s.step.where, "duplicate step \"" + s.step.text + "\" in workflow " + w.info.name);
      }
      ws.info = w.info;
      ws.info.name = w.info.name + "." + s.step.text;
      ws.info.overrides.reset();
      ws.info.where = s.step.where;
      if (!s.cites.empty()) ws.info.citation = render_citations(s.cites, cite_as);
      ws.info.message_id = s.message.id;
      ws.info.message_en = s.message.en.empty() ? s.message.id : s.message.en;
      ws.info.hint_id = s.hint.id;
      ws.info.hint_en = s.hint.en.empty() ? s.hint.id : s.hint.en;
      ws.actions = codes_in(category::action, s.actions);
      ws.by = resolve_union(s.by, query_kind::penugasan);
      ws.from = resolve_union(s.from, query_kind::penugasan);
      ws.to = resolve_union(s.to, query_kind::penugasan);
      for (const auto& cc : s.cc) ws.cc.push_back(resolve_union(cc, query_kind::penugasan));
      ws.cc_citation = s.cc_cites.empty() ? ws.info.citation : render_citations(s.cc_cites, cite_as);
      ws.contents = codes_in(category::content, s.contents);
      ws.contents_citation = s.contents_cites.empty() ? ws.info.citation : render_citations(s.contents_cites, cite_as);
      ws.where = resolve_cond(s.where_cond, query_kind::penugasan);
      ws.optional = s.optional;
      if (s.by.empty() && s.from.empty()) {
        diags_.error(s.step.where, "step \"" + s.step.text + "\" needs `by` or `from`: who must act");
      }
      w.steps.push_back(std::move(ws));
    }
    if (d.refusal) {
      refusal_rule r;
      r.by = resolve_union(d.refusal->by, query_kind::penugasan);
      r.reason_required = d.refusal->reason_required;
      r.citation = d.refusal->cites.empty() ? w.info.citation : render_citations(d.refusal->cites, cite_as);
      r.message_id = d.refusal->message.id;
      r.message_en = d.refusal->message.en.empty() ? d.refusal->message.id : d.refusal->message.en;
      r.hint_id = d.refusal->hint.id;
      r.hint_en = d.refusal->hint.en.empty() ? d.refusal->hint.id : d.refusal->hint.en;
      w.refusal = std::move(r);
    }
    for (const auto& other : out_->workflows) {
      if (other.mode == w.mode && !other.when && !w.when) {
        for (auto sc : w.scopes) {
          if (std::find(other.scopes.begin(), other.scopes.end(), sc) != other.scopes.end()) {
            diags_.error(d.common.rule.where, "workflow \"" + w.info.name + "\" and \"" + other.info.name +
                                                  "\" both cover mode " + out_->vocab.name(w.mode) + " in scope " +
                                                  out_->vocab.name(sc) + "; give one of them a `when`");
          }
        }
      }
    }
    out_->workflows.push_back(std::move(w));
  }

  void warn_unreachable() {
    for (const auto& r : out_->rules) {
      if (r.when && r.when->op == expr_op::boolean && !r.when->boolean) {
        diags_.warning(r.info.where, "rule \"" + r.info.name + "\" is unreachable: its condition is always false");
      }
    }
  }

  void add_example(const ast::example_decl& e, const layer& l) {
    example ex;
    ex.title = e.title;
    const std::string org = e.org.empty() ? l.file.head->example_org : e.org;
    if (org.empty()) {
      diags_.error(e.where, "example \"" + e.title + "\" has no org (write `org \"…\"` or example_org in the header)");
    }
    ex.org_path = org.empty() ? std::string() : (l.dir / org).lexically_normal().string();
    ex.query_json = e.query_json;
    ex.where = e.where;
    if (e.query_json.empty()) diags_.error(e.where, "example \"" + e.title + "\" has no query");
    ex.decision = e.decision;
    for (const auto& v : e.violations) {
      ex.violations.push_back(v.text);
      if (slots_.count(v.text) == 0 && !is_step_rule(v.text)) {
        diags_.error(v.where, "example expects a violation of unknown rule \"" + v.text + "\"");
      }
    }
    for (const auto& v : e.warnings) {
      ex.warnings.push_back(v.text);
      if (slots_.count(v.text) == 0 && !is_step_rule(v.text)) {
        diags_.error(v.where, "example expects a warning of unknown rule \"" + v.text + "\"");
      }
    }
    for (const auto& n : e.next) {
      ex.next.push_back(n.text);
      (void)code_in(category::action, n);
    }
    if (e.scope) {
      ex.scope = e.scope->text;
      (void)code_in(category::scope, *e.scope);
    }
    out_->examples.push_back(std::move(ex));
  }

  bool is_step_rule(const std::string& name) const {
    for (const auto& w : out_->workflows) {
      if (name.rfind(w.info.name + ".", 0) == 0) return true;
    }
    return false;
  }

  void hash_sources() {
    // FNV-1a over every source, in load order: stable across runs and machines.
    std::uint64_t h = 1469598103934665603ull;
    for (const auto& s : sources_) {
      for (unsigned char c : s->text) {
        h ^= c;
        h *= 1099511628211ull;
      }
    }
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    out_->content_hash = buf;
    out_->sources = sources_;
  }

  diagnostics& diags_;
  std::shared_ptr<compiled_ruleset> out_;
  std::vector<std::shared_ptr<const source_file>> sources_;
  std::map<std::string, rule_slot> slots_;
  std::set<std::string> defined_;
  std::map<std::string, std::string> cite_as_of_;
  source_range scope_where_;
  std::size_t order_ = 0;
};

}  // namespace

std::shared_ptr<const compiled_ruleset> compile_ruleset_text(std::string name, std::string text, const fs::path& dir,
                                                             diagnostics& diags) {
  compiler c(diags);
  auto src = std::make_shared<source_file>(source_file{std::move(name), std::move(text)});
  return c.run(src, dir);
}

std::shared_ptr<const compiled_ruleset> compile_ruleset(const fs::path& file, diagnostics& diags) {
  auto text = read_file(file);
  if (!text) {
    source_range r;
    r.file = std::make_shared<source_file>(source_file{file.string(), ""});
    diags.error(r, "cannot read ruleset file");
    return nullptr;
  }
  return compile_ruleset_text(file.string(), std::move(*text), file.parent_path(), diags);
}

}  // namespace perwal
