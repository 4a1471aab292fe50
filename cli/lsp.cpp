// `perwal lsp`: the Language Server Protocol over stdio (JSON-RPC with
// Content-Length framing), on the same compiler the CLI uses. Each open
// document is compiled in memory on every change (bases and includes from its
// folder, PERWAL_PATH and the bundled rulesets); the answers come from that
// compiled ruleset:
//   publishDiagnostics  the compiler's errors and warnings, with codes;
//   hover               a rule's strength, citation, the article's words and message; a cite's
//                       article and its words; a code's category and label;
//   definition          where a rule is declared (also in a base or an include);
//   documentSymbol      the rules of the file, each with its citation;
//   completion          keywords, codes and rule names;
//   formatting          `perwal fmt` on the whole document;
//   references, rename  a rule id or a code in the document, its bases and
//                       includes, and the other open documents (outside
//                       comments and strings);
//   codeAction          a quick fix for each "did you mean" diagnostic.
// Messages are Indonesian unless the client's locale starts with "en".
#include "cli/lsp.hpp"

#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "engine/common/spelling.hpp"
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

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
}

// A token's place: 0-based line, and columns in UTF-16 code units (the
// protocol's default).
struct token_place {
  std::size_t line = 0, begin = 0, end = 0;
  bool declares = false;  // right after `rule`, `workflow`, `report`, `kedudukan` or `step`
};

json range_json(const token_place& t) {
  return {{"start", {{"line", t.line}, {"character", t.begin}}}, {"end", {{"line", t.line}, {"character", t.end}}}};
}

// Every name token of `text` spelt `name` (names may hold dots), outside
// comments (# and //) and strings.
std::vector<token_place> find_tokens(const std::string& text, const std::string& name) {
  std::vector<token_place> out;
  std::size_t line = 0, column = 0;
  std::string previous;  // the name token before, on this line
  const auto width = [](unsigned char c) -> std::size_t {
    if ((c & 0xC0) == 0x80) return 0;  // a continuation byte
    return c >= 0xF0 ? 2 : 1;          // outside the BMP: a surrogate pair
  };
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (c == '\n') {
      ++line, column = 0, ++i;
      previous.clear();
    } else if (c == '#' || (c == '/' && i + 1 < text.size() && text[i + 1] == '/')) {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c == '"') {
      ++i, ++column;
      while (i < text.size() && text[i] != '"' && text[i] != '\n') {
        if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] != '\n')
          column += width(static_cast<unsigned char>(text[i++]));
        column += width(static_cast<unsigned char>(text[i++]));
      }
      if (i < text.size() && text[i] == '"') ++i, ++column;
    } else if (is_name_char(c)) {
      const std::size_t start = i, start_column = column;
      while (i < text.size() && (is_name_char(text[i]) || text[i] == '-')) ++i, ++column;
      if (text.compare(start, i - start, name) == 0 && i - start == name.size()) {
        const bool declares = previous == "rule" || previous == "workflow" || previous == "report" ||
                              previous == "kedudukan" || previous == "step";
        out.push_back({line, start_column, column, declares});
      }
      previous = text.substr(start, i - start);
    } else {
      column += width(static_cast<unsigned char>(c));
      ++i;
    }
  }
  return out;
}

std::string uri_of(const std::string& file) {
  return "file://" + std::filesystem::absolute(file).lexically_normal().string();
}

// A quick fix for a "did you mean" diagnostic: the misspelt name and its replacement.
struct fix {
  token_place at;
  std::string replacement;
};

struct document {
  std::string text;
  std::shared_ptr<const compiled_ruleset> rules;  // the last compile that succeeded
  std::vector<fix> fixes;                         // from the last compile
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
                   {"referencesProvider", true},
                   {"renameProvider", {{"prepareProvider", true}}},
                   {"codeActionProvider", {{"codeActionKinds", json::array({"quickfix"})}}},
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
    } else if (method == "textDocument/references") {
      reply(id, references(params));
    } else if (method == "textDocument/prepareRename") {
      reply(id, prepare_rename(params));
    } else if (method == "textDocument/rename") {
      rename(id, params);
    } else if (method == "textDocument/codeAction") {
      reply(id, code_actions(params));
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
    doc.fixes.clear();
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
      if (here) {
        if (auto f = fix_of(doc.text, d)) {
          item["data"] = {{"fix", f->replacement}};
          doc.fixes.push_back(std::move(*f));
        }
      }
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

  // The article's words as a Markdown block quote, a line per cite.
  static std::string quote_md(const std::string& quote) {
    std::string out = "> ";
    for (char ch : quote) out += ch == '\n' ? std::string("\n>\n> ") : std::string(1, ch);
    return out;
  }

  json hover(const json& params) const {
    const auto* doc = doc_of(params);
    if (!doc || !doc->rules) return nullptr;
    // A cite under the cursor: the article it names, in the regulation's words.
    const auto line = params.at("position").at("line").get<std::size_t>() + 1;
    const auto column = params.at("position").at("character").get<std::size_t>() + 1;
    const auto file = path_of(params.at("textDocument").at("uri").get<std::string>());
    for (const auto& c : doc->rules->cites) {
      const auto& b = c.where.begin;
      const auto& e = c.where.end;
      const bool inside = c.where.file && c.where.file->name == file &&
                          (line > b.line || (line == b.line && column >= b.column)) &&
                          (line < e.line || (line == e.line && column < e.column));
      if (inside) {
        const std::string text =
            "**" + c.citation + "**\n\n" + (c.quote.empty() ? std::string("—") : quote_md(c.quote));
        return {{"contents", {{"kind", "markdown"}, {"value", text}}}};
      }
    }
    const auto w = word(params, *doc);
    if (w.empty()) return nullptr;
    std::string text;
    each_rule(*doc->rules, [&](const rule_info& info, std::string_view kind) {
      if (info.name != w || !text.empty()) return;
      const auto& message = lang_ == language::en ? info.message_en : info.message_id;
      const auto quote = quote_of(*doc->rules, info);
      text = "**" + info.name + "** (" + std::string(kind) + ", " + std::string(strength_name(info.level)) + ")\n\n" +
             info.citation + (quote.empty() ? "" : "\n\n" + quote_md(quote)) +
             (message.empty() ? "" : "\n\n" + message);
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

  // The misspelt name a "did you mean" diagnostic points at: in the name under
  // its start, the dotted part nearest to the suggestion.
  static std::optional<fix> fix_of(const std::string& text, const diagnostic& d) {
    std::string near;
    for (const auto& n : d.notes) {
      if (n.text.id == "did-you-mean" && !n.text.args.empty()) near = n.text.args[0];
    }
    if (near.empty() || d.at.range.begin.line == 0) return std::nullopt;
    const auto line = static_cast<std::size_t>(d.at.range.begin.line - 1);
    std::size_t start = 0;
    for (std::size_t l = 0; l < line && start != std::string::npos; ++l) {
      start = text.find('\n', start);
      if (start != std::string::npos) ++start;
    }
    if (start == std::string::npos) return std::nullopt;
    const std::string row = text.substr(start, text.find('\n', start) - start);
    // (the compiler's columns count bytes; the row's start is found in bytes, then told in UTF-16)
    std::size_t a = std::min<std::size_t>(d.at.range.begin.column > 0 ? d.at.range.begin.column - 1 : 0, row.size());
    std::size_t b = a;
    while (a > 0 && is_name_char(row[a - 1])) --a;
    while (b < row.size() && is_name_char(row[b])) ++b;
    if (a == b) return std::nullopt;
    // The dotted part (or the whole name, for a dotted suggestion) nearest to `near`.
    std::size_t best_a = a, best_b = b, best = edit_distance(row.substr(a, b - a), near);
    if (near.find('.') == std::string::npos) {
      for (std::size_t p = a; p < b;) {
        auto q = row.find('.', p);
        if (q == std::string::npos || q > b) q = b;
        const auto dist = edit_distance(row.substr(p, q - p), near);
        if (dist < best) best = dist, best_a = p, best_b = q;
        p = q + 1;
      }
    }
    if (best == 0) return std::nullopt;
    const auto utf16 = [&](std::size_t bytes) {
      std::size_t n = 0;
      for (std::size_t i = 0; i < bytes; ++i) {
        const auto c = static_cast<unsigned char>(row[i]);
        if ((c & 0xC0) != 0x80) n += c >= 0xF0 ? 2 : 1;
      }
      return n;
    };
    return fix{{line, utf16(best_a), utf16(best_b)}, near};
  }

  // What the name under the cursor is: a rule id or a code of the compiled ruleset.
  enum class name_kind { none, rule, code };
  name_kind kind_of(const compiled_ruleset& r, const std::string& w) const {
    if (w.empty()) return name_kind::none;
    bool rule = false;
    each_rule(r, [&](const rule_info& info, std::string_view) { rule = rule || info.name == w; });
    if (rule) return name_kind::rule;
    return r.vocab.find_any(w) ? name_kind::code : name_kind::none;
  }

  // The files a rename or a search for references covers: the document, its
  // bases and includes, and every other open document; the open text wins.
  std::map<std::string, std::string> texts_for(const std::string& uri, const document& doc) const {
    std::map<std::string, std::string> out;
    if (doc.rules) {
      for (const auto& src : doc.rules->sources) {
        if (src) out[uri_of(src->name)] = src->text;
      }
    }
    for (const auto& [u, d] : docs_) out[u] = d.text;
    out[uri] = doc.text;
    return out;
  }

  // Every place the name under the cursor is written, by file.
  std::map<std::string, std::vector<token_place>> occurrences(const json& params, const document& doc,
                                                              const std::string& name) const {
    std::map<std::string, std::vector<token_place>> out;
    const auto uri = params.at("textDocument").at("uri").get<std::string>();
    for (const auto& [u, text] : texts_for(uri, doc)) {
      auto found = find_tokens(text, name);
      if (!found.empty()) out[u] = std::move(found);
    }
    return out;
  }

  json references(const json& params) const {
    json out = json::array();
    const auto* doc = doc_of(params);
    if (!doc || !doc->rules) return out;
    const auto w = word(params, *doc);
    const auto kind = kind_of(*doc->rules, w);
    if (kind == name_kind::none) return out;
    const bool with_declaration = !params.contains("context") || params["context"].value("includeDeclaration", true);
    for (const auto& [u, places] : occurrences(params, *doc, w)) {
      for (const auto& p : places) {
        if (!with_declaration && p.declares) continue;
        out.push_back({{"uri", u}, {"range", range_json(p)}});
      }
    }
    return out;
  }

  // The name under the cursor when it can be renamed (a rule id or a code), with its range.
  json prepare_rename(const json& params) const {
    const auto* doc = doc_of(params);
    if (!doc || !doc->rules) return nullptr;
    const auto w = word(params, *doc);
    if (kind_of(*doc->rules, w) == name_kind::none) return nullptr;
    const auto line = params.at("position").at("line").get<std::size_t>();
    const auto character = params.at("position").at("character").get<std::size_t>();
    for (const auto& p : find_tokens(doc->text, w)) {
      if (p.line == line && p.begin <= character && character <= p.end)
        return {{"range", range_json(p)}, {"placeholder", w}};
    }
    return nullptr;
  }

  void rename(const json& id, const json& params) {
    const auto* doc = doc_of(params);
    const auto new_name = params.at("newName").get<std::string>();
    const bool en = lang_ == language::en;
    if (!doc || !doc->rules) {
      return reply_error(id, -32803, en ? "the ruleset has not compiled yet" : "ruleset belum berhasil dikompilasi");
    }
    const auto w = word(params, *doc);
    const auto kind = kind_of(*doc->rules, w);
    if (kind == name_kind::none) {
      return reply_error(
          id, -32602, en ? "only a rule id or a code can be renamed" : "hanya id aturan atau kode yang dapat diganti");
    }
    // A code is one name; a rule id is names joined by dots.
    bool valid = !new_name.empty() && !std::isdigit(static_cast<unsigned char>(new_name[0]));
    for (std::size_t i = 0; i < new_name.size() && valid; ++i) {
      const char c = new_name[i];
      valid = std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_' ||
              (c == '.' && kind == name_kind::rule && i > 0 && i + 1 < new_name.size() && new_name[i - 1] != '.');
    }
    if (!valid) {
      return reply_error(id, -32602,
                         (en ? "not a valid " : "bukan ") + std::string(kind == name_kind::rule ? "rule id" : "code") +
                             (en ? ": \"" : " yang sah: \"") + new_name + "\"");
    }
    if (new_name != w && kind_of(*doc->rules, new_name) != name_kind::none) {
      return reply_error(
          id, -32602,
          "\"" + new_name + (en ? "\" already names a rule or a code" : "\" sudah menjadi nama aturan atau kode"));
    }
    json changes = json::object();
    for (const auto& [u, places] : occurrences(params, *doc, w)) {
      json edits = json::array();
      for (const auto& p : places) edits.push_back({{"range", range_json(p)}, {"newText", new_name}});
      changes[u] = std::move(edits);
    }
    reply(id, {{"changes", changes}});
  }

  // Quick fixes for the "did you mean" diagnostics in the requested range.
  json code_actions(const json& params) const {
    json out = json::array();
    const auto* doc = doc_of(params);
    if (!doc) return out;
    const auto uri = params.at("textDocument").at("uri").get<std::string>();
    const auto& r = params.at("range");
    const auto first = r.at("start").at("line").get<std::size_t>(), last = r.at("end").at("line").get<std::size_t>();
    const json asked =
        params.contains("context") ? params["context"].value("diagnostics", json::array()) : json::array();
    for (const auto& f : doc->fixes) {
      if (f.at.line < first || f.at.line > last) continue;
      json action = {
          {"title", (lang_ == language::en ? "Replace with \"" : "Ganti dengan \"") + f.replacement + "\""},
          {"kind", "quickfix"},
          {"isPreferred", true},
          {"edit", {{"changes", {{uri, json::array({{{"range", range_json(f.at)}, {"newText", f.replacement}}})}}}}}};
      json mine = json::array();
      for (const auto& d : asked) {
        if (d.contains("data") && d["data"].value("fix", "") == f.replacement) mine.push_back(d);
      }
      if (!mine.empty()) action["diagnostics"] = mine;
      out.push_back(std::move(action));
    }
    return out;
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
