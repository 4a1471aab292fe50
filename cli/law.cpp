// `perwal law FILE.txt… [--article "Pasal 5 ayat (2)"]`: the articles the
// engine finds in a regulation's text (engine/law), for drafters writing
// cites: every article with its place, or one article's words.
#include "cli/law.hpp"

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "engine/law/law.hpp"

namespace perwal::cli {

namespace {

struct law_args {
  std::vector<std::string> files;
  std::string article;
};

int run_law(const law_args& a) {
  if (a.files.empty())
    return usage_error(say("law needs at least one FILE.txt", "law memerlukan sedikitnya satu FILE.txt"));
  law::text t;
  for (const auto& f : a.files) {
    std::error_code ec;
    if (std::filesystem::is_directory(f, ec)) {
      std::cerr << say("perwal law: cannot read ", "perwal law: tidak dapat membaca ") << f
                << say(": it is a directory\n", ": itu sebuah direktori\n");
      return exit_bad_input;
    }
    std::ifstream in(f, std::ios::binary);
    if (!in) {
      std::cerr << say("perwal law: cannot read ", "perwal law: tidak dapat membaca ") << f << ": "
                << std::strerror(errno) << "\n";
      return exit_bad_input;
    }
    std::ostringstream content;
    content << in.rdbuf();
    auto restore = std::filesystem::path(f).replace_extension(".restore");
    std::ostringstream restorations;
    if (std::ifstream r(restore, std::ios::binary); r) restorations << r.rdbuf();
    t.add_file(content.str(), restorations.str(), f, restore.string());
  }
  for (const auto& e : t.errors()) std::cerr << e.file << ":" << e.line << ": error: " << e.message << "\n";
  if (!t.errors().empty()) return exit_bad_input;
  if (!a.article.empty()) {
    const auto* found = t.find(a.article);
    if (!found) {
      std::cerr << "perwal law: \"" << a.article << say("\" names no article", "\" tidak menunjuk pasal mana pun");
      if (auto near = t.nearest(law::parse_citation(a.article)); !near.empty())
        std::cerr << say(" (did you mean \"", " (maksud Anda \"") << near << "\"?)";
      std::cerr << "\n";
      return exit_bad_input;
    }
    std::cout << found->citation << " (" << found->file << ":" << found->line << ")\n" << t.full_text(*found) << "\n";
    return exit_ok;
  }
  for (std::size_t i = 1; i < t.articles().size(); ++i) {
    const auto& art = t.articles()[i];
    std::cout << std::string((art.path.size() - 1) * 2, ' ') << art.citation << "  " << art.file << ":" << art.line
              << "  " << law::shorten(art.own, 70) << "\n";
  }
  std::cout << t.count("pasal") << " Pasal, " << t.count("lampiran") << " Lampiran, " << t.articles().size() - 1
            << " articles\n";
  return exit_ok;
}

}  // namespace

void add_law(commands& c) {
  auto& sub = c.add("law", "a regulation's text split into its articles, or one article's words");
  auto a = std::make_shared<law_args>();
  sub.add_option("files", a->files, "the regulation's text (body and Lampiran may be two files)")
      ->type_name("FILE.txt...");
  sub.add_option("--article", a->article, "print this article's words (for example \"Pasal 5 ayat (2)\")")
      ->type_name("CITATION");
  add_message_lang(sub);
  c.on_run(sub, [a] { return run_law(*a); });
}

}  // namespace perwal::cli
