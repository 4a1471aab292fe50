// Phase load: the top file, the files it includes, and the chain of
// rulesets it extends, every one read through the source_reader. A base is
// looked up beside the file that extends it, then in each folder of the
// search path (compile_options::search_path), in order.
#include <algorithm>
#include <iterator>
#include <set>

#include "engine/compile/phases.hpp"
#include "engine/syntax/parser.hpp"

namespace perwal::compile {

namespace fs = std::filesystem;

namespace {

void append(ast::file& into, ast::file&& from) {
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
  move_all(into.allows, from.allows);
}

// Where an include may point: a relative path below the including file's
// folder (no `..`, not absolute), naming a .perwal file, unless the user
// allowed any path (compile_options::includes_anywhere).
bool include_allowed(state& s, const ast::include_decl& inc) {
  const fs::path p(inc.path);
  if (!s.options.includes_anywhere) {
    const bool climbs = std::any_of(p.begin(), p.end(), [](const fs::path& part) { return part == ".."; });
    if (p.is_absolute() || climbs || p.has_root_name()) {
      s.diags.error(inc.where, msg("include-outside", inc.path));
      return false;
    }
  }
  if (p.extension() != ".perwal") {
    s.diags.error(inc.where, msg("include-not-perwal", inc.path));
    return false;
  }
  return true;
}

// Whether the file `key` lies below `folder` (both as source_reader::identity gives them).
bool below(const fs::path& folder, const std::string& key) {
  if (folder.empty()) return !fs::path(key).is_absolute();
  const std::string prefix = folder.string() + "/";
  return key.starts_with(prefix);
}

// `reading`: the files being read, outermost first (a file met again there
// is a cycle); `done`: the files already included in this layer (a file
// included twice, as in a diamond, is taken once).
std::optional<ast::file> parse_with_includes(state& s, std::shared_ptr<const source_file> src, const fs::path& dir,
                                             std::vector<std::string>& reading, std::set<std::string>& done) {
  auto parsed = syntax::parse(src, s.diags);
  if (!parsed) return std::nullopt;
  s.sources.push_back(src);
  for (const auto& inc : parsed->includes) {
    if (!include_allowed(s, inc)) continue;
    const fs::path p = dir / inc.path;
    const std::string key = s.reader.identity(p);
    if (std::find(reading.begin(), reading.end(), key) != reading.end()) {
      s.diags.error(inc.where, msg("include-cycle", inc.path));
      continue;
    }
    if (!s.options.includes_anywhere && !below(fs::path(reading.front()).parent_path(), key)) {
      s.diags.error(inc.where, msg("include-outside", inc.path));  // a link that points out of the folder
      continue;
    }
    if (!done.insert(key).second) continue;
    read_failure why = read_failure::missing;
    auto text = s.reader.read(p, &why);
    if (!text) {
      s.diags.error(inc.where, msg("include-unreadable", p.string()),
                    {note(msg(std::string(note_id(why)), std::to_string(max_source_bytes >> 20)))});
      continue;
    }
    reading.push_back(key);
    auto sub = parse_with_includes(s, std::make_shared<source_file>(source_file{p.string(), std::move(*text)}),
                                   p.parent_path(), reading, done);
    reading.pop_back();
    if (!sub) continue;
    if (sub->head) s.diags.error(sub->head->where, msg("include-has-header"));
    append(*parsed, std::move(*sub));
  }
  return parsed;
}

// Loads `src` and, first, the bases it extends; appends them to `layers`
// root first. `ids` are the rulesets on the chain so far; `from` is where the
// file extending this one names it.
bool load_chain(state& s, std::shared_ptr<const source_file> src, const fs::path& dir, std::vector<layer>& layers,
                std::set<std::string>& ids, const source_range& from) {
  std::vector<std::string> reading = {s.reader.identity(dir / fs::path(src->name).filename())};
  std::set<std::string> done = {reading.front()};
  auto file = parse_with_includes(s, src, dir, reading, done);
  if (!file) return false;
  if (!file->head) {
    source_range r{src, {0, 1, 1}, {0, 1, 1}};
    s.diags.error(r, msg("header-missing"));
    return false;
  }
  const auto& head = *file->head;
  if (head.cite_as.empty()) s.diags.error(head.where, msg("cite-as-missing"));
  if (!head.status.empty() && head.status != "draft" && head.status != "enacted") {
    s.diags.error(head.where, msg("bad-status"));
  }
  if (ids.count(head.id.text)) {
    s.diags.error(from.file ? from : head.id.where, msg("extends-cycle", head.id.text));
    return false;
  }
  ids.insert(head.id.text);
  if (head.extends) {
    std::vector<fs::path> dirs = {dir};
    dirs.insert(dirs.end(), s.options.search_path.begin(), s.options.search_path.end());
    fs::path base;
    std::optional<std::string> text;
    std::string looked;
    for (const auto& d : dirs) {
      base = d / (head.extends->text + ".perwal");
      text = s.reader.read(base);
      if (text) break;
      looked += (looked.empty() ? "" : ", ") + base.string();
    }
    if (!text) {
      s.diags.error(head.extends->where, msg("unknown-base", head.extends->text),
                    {note(msg("unknown-base.looked", looked))});
      return false;
    }
    auto base_src = std::make_shared<source_file>(source_file{base.string(), std::move(*text)});
    if (!load_chain(s, base_src, base.parent_path(), layers, ids, head.extends->where)) return false;
    if (layers.back().id != head.extends->text) {
      s.diags.error(head.extends->where, msg("base-id-mismatch", base.string(), layers.back().id, head.extends->text));
    }
  }
  std::string id = head.id.text;  // `head` refers into `file`, which is moved next
  std::string cite_as = head.cite_as;
  layers.push_back(layer{std::move(*file), std::move(id), std::move(cite_as), dir});
  return true;
}

}  // namespace

std::optional<std::vector<layer>> load(state& s, std::shared_ptr<const source_file> top, const fs::path& dir) {
  std::vector<layer> layers;
  std::set<std::string> ids;
  if (!load_chain(s, std::move(top), dir, layers, ids, source_range{})) return std::nullopt;
  return layers;
}

}  // namespace perwal::compile
