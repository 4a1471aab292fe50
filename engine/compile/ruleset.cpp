// The compiler's entry points and its pipeline, written out in compile():
// each phase is a unit of its own (engine/compile/phases.hpp).
#include "engine/compile/ruleset.hpp"

#include "engine/compile/phases.hpp"

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

namespace compile {

state::state(diagnostics& d, const compile_options& o)
    : diags(d),
      options(o),
      reader(o.reader ? *o.reader : *disk_reader::shared()),
      out(std::make_shared<compiled_ruleset>()) {}

namespace {

// The pipeline. Each phase reports into `diags` and carries on where it can,
// so one run finds as many problems as possible; only a file that cannot be
// loaded stops it early.
std::shared_ptr<const compiled_ruleset> compile(std::shared_ptr<const source_file> top,
                                                const std::filesystem::path& dir, const compile_options& options,
                                                diagnostics& diags) {
  state s(diags, options);
  const auto layers = load(s, std::move(top), dir);  // load.cpp
  if (!layers) return nullptr;
  read_texts(s, *layers);      // texts.cpp: the regulations' words the cites name
  declare(s, *layers);         // merge.cpp: header, codes
  declare_schema(s, *layers);  // schema.cpp: the fields of steps, teams and records
  merge(s, *layers);           // merge.cpp: definitions, scopes, rules; override and refine
  resolve(s);                  // rules.cpp + resolve.cpp: codes, names, role expressions
  check(s, layers->back());    // check.cpp: unreachable rules, examples
  return freeze(s);            // check.cpp: content hash; nullptr on any error
}

}  // namespace
}  // namespace compile

std::shared_ptr<const compiled_ruleset> compile_ruleset_text(std::string name, std::string text,
                                                             const std::filesystem::path& dir, diagnostics& diags,
                                                             const compile_options& options) {
  auto src = std::make_shared<source_file>(source_file{std::move(name), std::move(text)});
  return compile::compile(std::move(src), dir, options, diags);
}

std::shared_ptr<const compiled_ruleset> compile_ruleset(const std::filesystem::path& file, diagnostics& diags,
                                                        const compile_options& options) {
  const source_reader& reader = options.reader ? *options.reader : *disk_reader::shared();
  read_failure why = read_failure::missing;
  auto text = reader.read(file, &why);
  if (!text) {
    source_range r;
    r.file = std::make_shared<source_file>(source_file{file.string(), ""});
    diags.error(r, msg("file-unreadable"),
                {note(msg(std::string(note_id(why)), std::to_string(max_source_bytes >> 20)))});
    return nullptr;
  }
  return compile_ruleset_text(file.string(), std::move(*text), file.parent_path(), diags, options);
}

}  // namespace perwal
