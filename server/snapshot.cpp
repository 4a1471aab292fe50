#include "server/snapshot.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "server/digest.hpp"

namespace perwal::server {

namespace fs = std::filesystem;

const ruleset_entry* snapshot::ruleset(const std::string& id) const {
  auto it = rulesets.find(id);
  return it == rulesets.end() ? nullptr : &it->second;
}

const org_entry* snapshot::org(const std::string& id) const {
  auto it = orgs.find(id);
  return it == orgs.end() ? nullptr : it->second.get();
}

std::string content_hash(std::string_view text) {
  return sha256_hex(text);
}

namespace {

// A directory stands for its *.perwal files, in name order.
std::vector<std::string> ruleset_files(const std::vector<std::string>& given, build_failure& failure) {
  std::vector<std::string> files;
  for (const auto& g : given) {
    std::error_code ec;
    if (!fs::is_directory(g, ec)) {
      files.push_back(g);
      continue;
    }
    std::vector<std::string> inside;
    for (const auto& e : fs::directory_iterator(g, ec)) {
      if (e.path().extension() == ".perwal") inside.push_back(e.path().string());
    }
    std::sort(inside.begin(), inside.end());
    if (inside.empty()) failure.message = g + ": no *.perwal file in this directory";
    files.insert(files.end(), inside.begin(), inside.end());
  }
  return files;
}

nlohmann::json diagnostic_json(const diagnostic& d) {
  const char* level = d.level == severity::error ? "error" : d.level == severity::warning ? "warning" : "note";
  const auto& r = d.at.range;
  return {{"file", r.file ? r.file->name : ""},
          {"line", r.begin.line},
          {"column", r.begin.column},
          {"severity", level},
          {"code", d.code},
          {"where", d.at.where()},
          {"message", d.message_text()}};
}

bool compile_all(const std::vector<std::string>& files, const compile_options& options, snapshot& s,
                 build_failure& failure) {
  for (const auto& file : files) {
    diagnostics diags;
    auto rules = compile_ruleset(file, diags, options);
    if (!rules) {
      failure.message = file + ": the ruleset does not compile";
      for (const auto& d : diags.sorted()) failure.diagnostics.push_back(diagnostic_json(d));
      failure.rendered = render(diags);
      return false;
    }
    const auto& id = rules->header.id;
    if (s.rulesets.count(id)) {
      failure.message = file + ": ruleset id \"" + id + "\" is already loaded from " + s.rulesets[id].file;
      return false;
    }
    s.order.push_back(id);
    std::string all;
    for (const auto& src : rules->sources) all += src->name + '\0' + src->text + '\0';
    all += rules->content_hash;  // it covers the regulation texts the quotes come from too
    s.rulesets[id] = {rules, file, sha256_hex(all)};
  }
  return true;
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The default org must load under the default ruleset: the server would otherwise answer nothing by default.
bool load_default_org(const snapshot_source& source, const snapshot* previous, snapshot& s, build_failure& failure) {
  auto text = read_file(source.org_file);
  if (!text) {
    failure.message = source.org_file + ": cannot read the org file";
    return false;
  }
  const auto hash = content_hash(*text);
  std::int64_t version = 1;
  if (const auto* old = previous ? previous->org(default_org_id) : nullptr) {
    version = old->hash == hash ? old->version : old->version + 1;
  }
  using namespace std::chrono;
  const auto now = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  auto org = compile_org(s, default_org_id, version, now, source.org_file,
                         std::make_shared<const std::string>(std::move(*text)));
  if (auto it = org->errors.find(s.default_ruleset); it != org->errors.end()) {
    failure.message = source.org_file + ": the org does not load under ruleset \"" + s.default_ruleset + "\"";
    for (const auto& e : it->second.items()) {
      const std::string path = e.at.json_path.empty() ? e.at.where() : e.at.json_path;
      failure.diagnostics.push_back({{"path", path}, {"code", e.code}, {"message", e.message_text()}});
      failure.rendered += source.org_file + ": " + e.path_line() + "\n";
    }
    return false;
  }
  s.orgs[default_org_id] = std::move(org);
  return true;
}

}  // namespace

std::shared_ptr<org_entry> compile_org(const snapshot& s, std::string id, std::int64_t version, std::int64_t created_ms,
                                       std::string source, std::shared_ptr<const std::string> body) {
  auto org = std::make_shared<org_entry>();
  org->id = std::move(id);
  org->version = version;
  org->created_ms = created_ms;
  org->hash = content_hash(*body);
  org->source = std::move(source);
  org->body = std::move(body);
  const std::string name = org->source == "upload" ? "org" : org->source;
  // An --org file may be a compiled snapshot (perwal compile-org): it is
  // read from its file, loads only under the ruleset it was compiled
  // against, and has no JSON document to serve (GET answers "org": null).
  const bool compiled = org->source != "upload" && org::org_graph::is_snapshot(*org->body);
  if (compiled) org->body = std::make_shared<const std::string>("null");
  for (const auto& rid : s.order) {
    const auto& r = *s.rulesets.at(rid).rules;
    diagnostics errors;
    auto graph = compiled ? org::org_graph::load_file(org->source, r.vocab, r.shape, errors)
                          : org::org_graph::load(*org->body, name, r.vocab, r.shape, errors);
    if (graph) {
      org->graphs[rid] = std::move(graph);
    } else {
      org->errors[rid] = std::move(errors);
    }
  }
  return org;
}

// The default ruleset when --default-ruleset is not given: the one ruleset
// given, or the one that is not a draft among several; never a draft picked
// by the order of files in a folder.
std::string implicit_default(const snapshot& s, build_failure& failure) {
  if (s.order.size() == 1) return s.order.front();
  std::vector<std::string> in_force;
  std::string listed;
  for (const auto& id : s.order) {
    const bool draft = s.ruleset(id)->rules->header.status == "draft";
    if (!draft) in_force.push_back(id);
    listed += (listed.empty() ? "" : ", ") + id + (draft ? " (draft)" : "");
  }
  if (in_force.size() == 1) return in_force.front();
  failure.message = std::to_string(s.order.size()) + " rulesets are loaded (" + listed +
                    "): name the one that answers by default with --default-ruleset ID";
  return {};
}

std::shared_ptr<const snapshot> build_snapshot(const snapshot_source& source, org_store& store,
                                               const snapshot* previous, build_failure& failure) {
  auto s = std::make_shared<snapshot>();
  s->generation = previous ? previous->generation + 1 : 1;
  const auto files = ruleset_files(source.rules, failure);
  if (!failure.message.empty()) return nullptr;
  if (files.empty()) {
    failure.message = "no ruleset given";
    return nullptr;
  }
  if (!compile_all(files, source.compile, *s, failure)) return nullptr;
  s->default_ruleset = source.default_ruleset.empty() ? implicit_default(*s, failure) : source.default_ruleset;
  if (!failure.message.empty()) return nullptr;
  if (!s->ruleset(s->default_ruleset)) {
    failure.message = "--default-ruleset: no ruleset \"" + s->default_ruleset + "\" is loaded";
    return nullptr;
  }
  if (!load_default_org(source, previous, *s, failure)) return nullptr;
  // Stored orgs never fail a reload: one that no longer loads answers 400 with its errors.
  for (auto& o : store.latest()) {
    s->orgs[o.id] = compile_org(*s, o.id, o.version, o.created_ms, "upload",
                                std::make_shared<const std::string>(std::move(o.body)));
  }
  return s;
}

std::shared_ptr<const snapshot> with_org(const snapshot& s, std::shared_ptr<const org_entry> org) {
  auto next = std::make_shared<snapshot>(s);
  next->generation = s.generation + 1;
  next->orgs[org->id] = std::move(org);
  return next;
}

}  // namespace perwal::server
