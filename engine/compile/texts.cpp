// The regulation's text behind the cites: each layer's `text "…"` files are
// read and split into articles (engine/law), every structured cite of that
// layer must name one of them, and the words of the articles cited are kept
// with the rendered citation, once, in the compiled ruleset.
#include <sstream>

#include "engine/compile/phases.hpp"

namespace perwal::compile {

namespace fs = std::filesystem;

namespace {

std::string lower(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

// "ayat 2" is "ayat (2)".
std::string value_of(const ast::citation_part& p) {
  if (lower(p.key) == "ayat" && (p.value.empty() || p.value.front() != '(')) return "(" + p.value + ")";
  return p.value;
}

std::string render_part(const ast::citation_part& p) {
  std::string key = lower(p.key);
  // Keep the regulation's customary capitalisation: Pasal and Lampiran upper, the rest lower.
  if (key == "pasal" || key == "lampiran" || key == "bab" || key == "bagian" || key == "paragraf") {
    key[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(key[0])));
  }
  const auto value = value_of(p);
  return value.empty() ? key : key + " " + value;
}

std::vector<law::part> law_path(const ast::citation& c) {
  std::vector<law::part> out;
  for (const auto& p : c.parts) out.push_back({lower(p.key), value_of(p)});
  return out;
}

// The sidecar of `file` with its numbering restorations: x.txt -> x.restore.
fs::path restore_path(const fs::path& file) {
  auto p = file;
  p.replace_extension(".restore");
  return p;
}

}  // namespace

void read_texts(state& s, const std::vector<layer>& layers) {
  for (const auto& l : layers) {
    if (!l.file.head || l.file.head->texts.empty()) continue;
    auto t = std::make_shared<law::text>();
    bool ok = true;
    for (const auto& name : l.file.head->texts) {
      if (fs::path(name.text).extension() != ".txt") {
        s.diags.error(name.where, msg("text-not-txt", name.text));
        ok = false;
        continue;
      }
      // Beside the ruleset first; then, as for a base, from each folder of the
      // search path (a bundled ruleset copied elsewhere still finds the
      // bundled or installed regulations/).
      std::vector<fs::path> tries{l.dir / name.text};
      if (fs::path(name.text).is_relative()) {
        for (const auto& d : s.options.search_path) tries.push_back(d / name.text);
      }
      fs::path p;
      std::optional<std::string> content;
      read_failure why = read_failure::missing;
      for (const auto& candidate : tries) {
        read_failure w = read_failure::missing;
        content = s.reader.read(candidate, &w);
        if (content) {
          p = candidate;
          break;
        }
        if (candidate == tries.front()) why = w;
      }
      if (!content) {
        s.diags.error(name.where, msg("text-unreadable", tries.front().string()),
                      {note(msg(std::string(note_id(why)), std::to_string(max_source_bytes >> 20)))});
        ok = false;
        continue;
      }
      const auto rp = restore_path(p);
      auto restorations = s.reader.read(rp);
      t->add_file(*content, restorations ? *restorations : std::string(), p.string(), rp.string());
      // The words quoted are part of what the ruleset means: they enter its hash
      // (not its sources, which editors rename names in).
      s.text_sources.push_back(std::make_shared<source_file>(source_file{p.string(), std::move(*content)}));
      if (restorations) {
        s.text_sources.push_back(std::make_shared<source_file>(source_file{rp.string(), std::move(*restorations)}));
      }
      s.out->text_files.push_back(p.string());
    }
    for (const auto& e : t->errors()) {
      std::shared_ptr<const source_file> f;
      for (const auto& src : s.text_sources)
        if (src->name == e.file) f = src;
      source_range r{f, {0, static_cast<std::uint32_t>(e.line), 1}, {0, static_cast<std::uint32_t>(e.line), 1}};
      s.diags.error(r, msg("text-restore", e.message));
      ok = false;
    }
    if (ok && !s.texts.count(l.cite_as)) s.texts[l.cite_as] = std::move(t);
  }
}

std::string render_citations(state& s, const std::vector<ast::citation>& cites, const std::string& cite_as) {
  std::string out;
  std::vector<std::pair<std::string, std::string>> quoted;  // (citation, quote)
  const auto text = s.texts.find(cite_as);
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

    // The quotation: the ruleset's own, else the article's words in the text.
    std::string path;
    for (const auto& p : c.parts) path += (path.empty() ? "" : " ") + render_part(p);
    std::string quote = c.quote;
    const bool first_time = s.cites_seen.insert({c.where.file ? c.where.file->name : "", c.where.begin.byte}).second;
    if (quote.empty() && text != s.texts.end() && !c.parts.empty()) {
      if (const auto* a = text->second->find(law_path(c))) {
        quote = law::shorten(text->second->full_text(*a), law_quote_max);
      } else if (first_time) {
        std::vector<related> notes;
        if (auto near = text->second->nearest(law_path(c)); !near.empty()) {
          notes.push_back(note(msg("did-you-mean", near)));
        }
        s.diags.error(c.where, msg("cite-unresolved", path, cite_as), notes);
      }
    }
    if (first_time && c.where.file) s.out->cites.push_back(cite_quote{path.empty() ? c.note : path, quote, c.where});
    if (!quote.empty()) quoted.emplace_back(path.empty() ? c.note : path, quote);
  }
  if (!quoted.empty()) {
    std::string q;
    if (quoted.size() == 1) {
      q = quoted.front().second;
    } else {
      for (const auto& [where, words] : quoted) q += (q.empty() ? "" : "\n") + where + ": " + words;
    }
    s.out->quotes.emplace(out, std::move(q));
  }
  return out;
}

}  // namespace perwal::compile

namespace perwal {

std::string quote_of(const compiled_ruleset& r, std::string_view citation) {
  const auto it = r.quotes.find(citation);
  return it == r.quotes.end() ? std::string() : it->second;
}

std::string quote_of(const compiled_ruleset& r, const rule_info& rule) {
  return quote_of(r, rule.citation);
}

}  // namespace perwal
