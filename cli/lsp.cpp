// `perwal lsp`: the Language Server Protocol over stdio (JSON-RPC with
// Content-Length framing), on the same compiler the CLI uses. Each open
// document is compiled in memory on every change (bases and includes from its
// folder, PERWAL_PATH and the bundled rulesets); the answers come from that
// compiled ruleset:
//   publishDiagnostics  the compiler's errors and warnings, with codes;
//   hover               a rule's strength, citation and message; a code's category and label;
//   definition          where a rule is declared (also in a base or an include);
//   documentSymbol      the rules of the file, each with its citation;
//   completion          keywords, codes and rule names;
//   formatting          `perwal fmt` on the whole document.
// Messages are Indonesian unless the client's locale starts with "en".
#include "cli/lsp.hpp"

#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "engine/compile/ruleset.hpp"
#include "engine/syntax/format.hpp"

namespace perwal::lsp {

namespace {

using json = nlohmann::json;

std::optional<json> read_message(std::istream& in) {
  std::size_t length = 0;
  std::string line;
  bool any = false;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
      if (any) break;
      continue;
    }
    any = true;
    constexpr std::string_view key = "Content-Length:";
    if (line.size() > key.size() && line.compare(0, key.size(), key) == 0) {
      length = std::strtoul(line.c_str() + key.size(), nullptr, 10);
    }
  }
  if (!any || length == 0 || length > (64u << 20)) return std::nullopt;
  std::string body(length, '\0');
  if (!in.read(body.data(), static_cast<std::streamsize>(length))) return std::nullopt;
  return json::parse(body, nullptr, false);  // a discarded value when it is not JSON
}

void write_message(std::ostream& out, const json& message) {
  const auto body = message.dump(-1, ' ', false, json::error_handler_t::replace);
  out << "Content-Length: " << body.size() << "\r\n\r\n" << body;
  out.flush();
}

std::string path_of(const std::string& uri) {
  constexpr std::string_view scheme = "file://";
  return uri.rfind(scheme, 0) == 0 ? uri.substr(scheme.size()) : uri;
}

json position_of(const source_pos& p) {
  return {{"line", p.line > 0 ? p.line - 1 : 0}, {"character", p.column > 0 ? p.column - 1 : 0}};
}

json range_of(const source_range& r) {
  auto end = r.end.line > 0 ? r.end : r.begin;
  if (end.line == r.begin.line && end.column <= r.begin.column) end.column = r.begin.column + 1;
  return {{"start", position_of(r.begin)}, {"end", position_of(end)}};
}

// The word (identifier, dots allowed) under a 0-based position.
std::string word_at(const std::string& text, std::size_t line, std::size_t character) {
  std::size_t start = 0;
  for (std::size_t l = 0; l < line && start != std::string::npos; ++l) {
    start = text.find('\n', start);
    if (start != std::string::npos) ++start;
  }
  if (start == std::string::npos) return {};
  const auto end_of_line = text.find('\n', start);
  const std::string row =
      text.substr(start, end_of_line == std::string::npos ? std::string::npos : end_of_line - start);
  auto is_word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.'; };
  if (character > row.size()) return {};
  std::size_t a = character, b = character;
  while (a > 0 && is_word(row[a - 1])) --a;
  while (b < row.size() && is_word(row[b])) ++b;
  auto w = row.substr(a, b - a);
  while (!w.empty() && w.back() == '.') w.pop_back();
  return w;
}

struct document {
  std::string text;
  std::shared_ptr<const compiled_ruleset> rules;  // the last compile that succeeded
};

class server {
 public:
  server(std::istream& in, std::ostream& out, std::vector<std::filesystem::path> search_path)
      : in_(in), out_(out), search_path_(std::move(search_path)) {}

  int run() {
    while (auto message = read_message(in_)) {
      if (message->is_discarded() || !message->is_object()) {
        reply_error(nullptr, -32700, "parse error: not a JSON-RPC message");
        continue;
      }
      const auto method = message->value("method", std::string());
      const json id = message->contains("id") ? (*message)["id"] : json();
      const json params = message->value("params", json::object());
      if (method == "exit") return shutdown_ ? 0 : 1;
      try {
        dispatch(method, id, params);
      } catch (const std::exception& e) {  // a malformed request: an error answer, never a crash
        if (!id.is_null()) reply_error(id, -32602, std::string("invalid params: ") + e.what());
      }
    }
    return shutdown_ ? 0 : 1;
  }

 private:
  void dispatch(const std::string& method, const json& id, const json& params) {
    if (method == "initialize") {
      const auto locale = params.value("locale", std::string("id"));
      lang_ = locale.rfind("en", 0) == 0 ? language::en : language::id;
      reply(id, {{"capabilities",
                  {{"textDocumentSync", 1},
                   {"hoverProvider", true},
                   {"definitionProvider", true},
                   {"documentSymbolProvider", true},
                   {"documentFormattingProvider", true},
                   {"completionProvider", {{"triggerCharacters", json::array({"."})}}}}},
                 {"serverInfo", {{"name", "perwal"}}}});
    } else if (method == "shutdown") {
      shutdown_ = true;
      reply(id, nullptr);
    } else if (method == "textDocument/didOpen") {
      const auto& doc = params.at("textDocument");
      update(doc.at("uri").get<std::string>(), doc.at("text").get<std::string>());
    } else if (method == "textDocument/didChange") {
      const auto uri = params.at("textDocument").at("uri").get<std::string>();
      const auto& changes = params.at("contentChanges");
      if (!changes.empty()) update(uri, changes.back().at("text").get<std::string>());
    } else if (method == "textDocument/didClose") {
      docs_.erase(params.at("textDocument").at("uri").get<std::string>());
    } else if (method == "textDocument/hover") {
      reply(id, hover(params));
    } else if (method == "textDocument/definition") {
      reply(id, definition(params));
    } else if (method == "textDocument/documentSymbol") {
      reply(id, symbols(params));
    } else if (method == "textDocument/completion") {
      reply(id, completion(params));
    } else if (method == "textDocument/formatting") {
      reply(id, formatting(params));
    } else if (!id.is_null()) {
      reply_error(id, -32601, "method not found: " + method);
    }
  }

  void update(const std::string& uri, std::string text) {
    auto& doc = docs_[uri];
    doc.text = std::move(text);
    const std::filesystem::path file = path_of(uri);
    diagnostics diags;
    compile_options options;
    options.search_path = search_path_;
    auto rules = compile_ruleset_text(file.string(), doc.text, file.parent_path(), diags, options);
    if (rules) doc.rules = rules;
    json list = json::array();
    for (const auto& d : diags.items()) {
      // Only what lies in this document; a base's problem is reported on the first line.
      const bool here = d.at.range.file && d.at.range.file->name == file.string();
      json item = {
          {"range", here ? range_of(d.at.range)
                         : json{{"start", {{"line", 0}, {"character", 0}}}, {"end", {{"line", 0}, {"character", 1}}}}},
          {"severity", d.level == severity::error     ? 1
                       : d.level == severity::warning ? 2
                                                      : 3},
          {"source", "perwal"},
          {"message", here ? d.message_text(lang_) : d.at.where() + ": " + d.message_text(lang_)}};
      if (!d.code.empty()) item["code"] = d.code;
      for (std::size_t i = 0; i < d.notes.size(); ++i) {
        item["message"] = item["message"].get<std::string>() + "\n" + d.note_text(i, lang_);
      }
      list.push_back(std::move(item));
    }
    notify("textDocument/publishDiagnostics", {{"uri", uri}, {"diagnostics", list}});
  }

  const document* doc_of(const json& params) const {
    const auto it = docs_.find(params.at("textDocument").at("uri").get<std::string>());
    return it == docs_.end() ? nullptr : &it->second;
  }

  std::string word(const json& params, const document& doc) const {
    const auto& p = params.at("position");
    return word_at(doc.text, p.at("line").get<std::size_t>(), p.at("character").get<std::size_t>());
  }

  // Every rule of the compiled ruleset, with its kind, for hover, definition and symbols.
  template <class F>
  void each_rule(const compiled_ruleset& r, F&& f) const {
    for (const auto& g : r.rules) f(g.info, query_kind_name(g.on));
    for (const auto& t : r.kedudukan) f(t.info, std::string_view("kedudukan"));
    for (const auto& rep : r.reports) f(rep.info, std::string_view("report"));
    for (const auto& w : r.workflows) {
      f(w.info, std::string_view("workflow"));
      for (const auto& s : w.steps) f(s.info, std::string_view("step"));
    }
  }

  json hover(const json& params) const {
    const auto* doc = doc_of(params);
    if (!doc || !doc->rules) return nullptr;
    const auto w = word(params, *doc);
    if (w.empty()) return nullptr;
    std::string text;
    each_rule(*doc->rules, [&](const rule_info& info, std::string_view kind) {
      if (info.name != w || !text.empty()) return;
      const auto& message = lang_ == language::en ? info.message_en : info.message_id;
      text = "**" + info.name + "** (" + std::string(kind) + ", " + std::string(strength_name(info.level)) + ")\n\n" +
             info.citation + (message.empty() ? "" : "\n\n" + message);
    });
    if (text.empty()) {
      for (std::size_t i = 0; i < category_count; ++i) {
        const auto cat = static_cast<category>(i);
        if (auto c = doc->rules->vocab.find(cat, w)) {
          text = "`" + w + "`: " + std::string(category_name(cat)) + " — " + doc->rules->vocab.label(*c);
          break;
        }
      }
    }
    if (text.empty()) return nullptr;
    return {{"contents", {{"kind", "markdown"}, {"value", text}}}};
  }

  json definition(const json& params) const {
    const auto* doc = doc_of(params);
    if (!doc || !doc->rules) return nullptr;
    const auto w = word(params, *doc);
    json found = nullptr;
    each_rule(*doc->rules, [&](const rule_info& info, std::string_view) {
      if (info.name != w || !found.is_null() || !info.where.file) return;
      auto name = std::filesystem::absolute(info.where.file->name).lexically_normal().string();
      found = {{"uri", "file://" + name}, {"range", range_of(info.where)}};
    });
    return found;
  }

  json symbols(const json& params) const {
    json out = json::array();
    const auto* doc = doc_of(params);
    if (!doc || !doc->rules) return out;
    const auto file = path_of(params.at("textDocument").at("uri").get<std::string>());
    each_rule(*doc->rules, [&](const rule_info& info, std::string_view kind) {
      if (!info.where.file || info.where.file->name != file || kind == "step") return;
      out.push_back({{"name", info.name},
                     {"detail", info.citation},
                     {"kind", 12},  // Function
                     {"range", range_of(info.where)},
                     {"selectionRange", range_of(info.where)}});
    });
    return out;
  }

  json completion(const json& params) const {
    json items = json::array();
    for (const auto* k :
         {"ruleset", "include", "allow",    "codes",  "fields", "define",         "scope",       "kedudukan",
          "rule",    "report",  "workflow", "refine", "repeal", "override",       "example",     "cite",
          "when",    "require", "message",  "hint",   "under",  "review",         "step",        "check",
          "refusal", "also_to", "every",    "some",   "count",  "months_between", "days_between"}) {
      items.push_back({{"label", k}, {"kind", 14}});  // Keyword
    }
    const auto* doc = doc_of(params);
    if (doc && doc->rules) {
      for (std::size_t i = 0; i < category_count; ++i) {
        const auto cat = static_cast<category>(i);
        for (auto c : doc->rules->vocab.codes(cat)) {
          items.push_back({{"label", doc->rules->vocab.name(c)}, {"kind", 21}, {"detail", category_name(cat)}});
        }
      }
      each_rule(*doc->rules, [&](const rule_info& info, std::string_view) {
        items.push_back({{"label", info.name}, {"kind", 3}, {"detail", info.citation}});
      });
    }
    return items;
  }

  json formatting(const json& params) const {
    const auto* doc = doc_of(params);
    if (!doc) return json::array();
    const auto formatted = format_ruleset(doc->text);
    if (formatted == doc->text) return json::array();
    const auto lines = static_cast<std::size_t>(std::count(doc->text.begin(), doc->text.end(), '\n')) + 1;
    return json::array(
        {{{"range", {{"start", {{"line", 0}, {"character", 0}}}, {"end", {{"line", lines}, {"character", 0}}}}},
          {"newText", formatted}}});
  }

  void reply(const json& id, json result) {
    write_message(out_, {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}});
  }
  void reply_error(const json& id, int code, const std::string& message) {
    write_message(out_, {{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}});
  }
  void notify(const std::string& method, json params) {
    write_message(out_, {{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}});
  }

  std::istream& in_;
  std::ostream& out_;
  std::vector<std::filesystem::path> search_path_;
  std::map<std::string, document> docs_;
  language lang_ = language::id;
  bool shutdown_ = false;
};

}  // namespace

int serve(std::istream& in, std::ostream& out, std::vector<std::filesystem::path> search_path) {
  return server(in, out, std::move(search_path)).run();
}

}  // namespace perwal::lsp
