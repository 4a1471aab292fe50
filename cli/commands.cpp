// The command line's frame: CLI11 with perwal's own messages and help.
#include "cli/commands.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <sstream>

#include "engine/common/spelling.hpp"

namespace perwal::cli {

namespace {

// `perwal COMMAND --help`: the command's usage lines from the usage text,
// then CLI11's list of its arguments and options.
class help_formatter : public CLI::Formatter {
 public:
  explicit help_formatter(std::string usage) : usage_(std::move(usage)) {}

  std::string make_help(const CLI::App* app, std::string name, CLI::AppFormatMode mode) const override {
    const std::string prefix = "perwal ";
    const std::string command = name.rfind(prefix, 0) == 0 ? name.substr(prefix.size()) : name;
    std::string out = "usage:\n" + usage_of(usage_, command);
    out += make_positionals(app);
    out += make_groups(app, mode);
    return out;
  }

 private:
  std::string usage_;
};

// The command as typed ("check", "log verify") from the subcommand chain.
std::string command_name(const CLI::App* sub) {
  std::string name;
  for (; sub != nullptr && sub->get_parent() != nullptr; sub = sub->get_parent())
    name = sub->get_name() + (name.empty() ? "" : " " + name);
  return name;
}

// The option the user gave without its value: CLI11 says only that a value is
// missing, under the option's long name; the message names it as typed.
std::string option_missing_value(const CLI::App& sub, int argc, char** argv, int from) {
  for (int i = from; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.size() < 2 || a[0] != '-' || a.find('=') != std::string::npos) continue;
    const CLI::Option* opt = sub.get_option_no_throw(a);
    if (opt == nullptr || opt->get_items_expected_min() == 0) continue;
    if (i + 1 >= argc) return a;
    const std::string next = argv[i + 1];
    if (next.size() > 1 && next[0] == '-' && (next[1] == '-' || sub.get_option_no_throw(next) != nullptr)) return a;
  }
  return {};
}

// The subcommand `name` of `parent`, or null.
CLI::App* subcommand(CLI::App* parent, const std::string& name) {
  for (CLI::App* s : parent->get_subcommands([](CLI::App*) { return true; }))
    if (s->get_name() == name) return s;
  return nullptr;
}

// The names of `parent`'s subcommands.
std::vector<std::string> subcommand_names(CLI::App* parent) {
  std::vector<std::string> names;
  for (const CLI::App* s : parent->get_subcommands([](CLI::App*) { return true; })) names.push_back(s->get_name());
  return names;
}

// Every spelling of `sub`'s options ("--format", "-o"), help included.
std::vector<std::string> option_names(const CLI::App& sub) {
  std::vector<std::string> names;
  for (const CLI::Option* opt : sub.get_options()) {
    for (const auto& l : opt->get_lnames()) names.push_back("--" + l);
    for (const auto& n : opt->get_snames()) names.push_back("-" + n);
  }
  return names;
}

// Usage errors speak English unless the arguments ask for Indonesian
// (`--lang id`), read before parsing so that every usage error can.
bool indonesian = false;

bool asks_for_indonesian(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--lang=id" || (a == "--lang" && i + 1 < argc && std::string(argv[i + 1]) == "id")) return true;
  }
  return false;
}

int print_usage_error(const std::string& message, const std::string& command) {
  std::cerr << "perwal: " << message << (indonesian ? "\nlihat perwal " : "\nsee perwal ")
            << (command.empty() ? "" : command + " ") << "--help\n";
  return exit_bad_input;
}

}  // namespace

int usage_error(const std::string& message) {
  throw usage_failure(message);
}

std::string say(const std::string& en, const std::string& id) {
  return indonesian ? id : en;
}

lang message_language() {
  return indonesian ? lang::id : lang::en;
}

std::string did_you_mean(const std::string& typed, const std::vector<std::string>& names) {
  const std::string near = nearest_name(typed, names);
  if (near.empty() || near == typed) return {};
  return say(" (did you mean \"", " (maksud Anda \"") + near + "\"?)";
}

std::string choice_error(const std::string& option, const std::string& value, const std::vector<std::string>& allowed,
                         const std::string& tail) {
  std::string list;
  for (std::size_t i = 0; i < allowed.size(); ++i)
    list += (i == 0 ? "" : i + 1 == allowed.size() ? say(" or ", " atau ") : ", ") + allowed[i];
  return option + say(" must be ", " harus ") + list + tail + did_you_mean(value, allowed);
}

std::string usage_of(const std::string& usage, const std::string& command) {
  std::istringstream in(usage);
  std::string line, out;
  bool inside = false;
  for (const std::string head = "  perwal " + command + " "; std::getline(in, line);) {
    if (line.rfind("  perwal ", 0) == 0 || line.rfind("  (", 0) == 0) inside = line.rfind(head, 0) == 0;
    if (inside) out += line + "\n";
  }
  return out;
}

bool english(const std::string& value) {
  if (value != "id" && value != "en") usage_error(choice_error("--lang", value, {"id", "en"}));
  return value == "en";
}

void add_message_lang(CLI::App& sub) {
  auto value = std::make_shared<std::string>();  // kept alive by the check below
  sub.add_option("--lang", *value, "the language of messages: id or en")
      ->type_name("id|en")
      ->each([value](const std::string& v) { (void)english(v); });
}

commands::commands(std::string usage) : usage_(std::move(usage)), app_(std::make_unique<CLI::App>("", "perwal")) {
  app_->formatter(std::make_shared<help_formatter>(usage_));
  app_->set_help_flag("-h,--help", "this help");
  // Given twice, the last value counts (as it always did); lists say TakeAll.
  app_->option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app_->require_subcommand(0, 1);
}

commands::~commands() = default;

CLI::App& commands::add(const std::string& name, const std::string& description, CLI::App* parent) {
  CLI::App* sub = (parent != nullptr ? parent : app_.get())->add_subcommand(name, description);
  sub->allow_extras();  // reported after parsing, by name (see run)
  sub->require_subcommand(0, 1);
  return *sub;
}

void commands::on_run(CLI::App& sub, runner run) {
  runners_[&sub] = std::move(run);
}

int commands::run(int argc, char** argv) {
  typed_.assign(argv + std::min(argc, 1), argv + argc);
  indonesian = asks_for_indonesian(argc, argv);
  if (argc < 2) {
    std::cerr << "perwal: missing command\n" << usage_;
    return exit_bad_input;
  }
  const std::string first = argv[1];
  if (first == "--help" || first == "-h" || first == "help") {
    std::cout << usage_;
    return exit_ok;
  }
  CLI::App* top = subcommand(app_.get(), first);
  if (top == nullptr) {
    const bool option = first.size() > 1 && first[0] == '-';
    if (option) {
      return print_usage_error(
          say("unknown option ", "opsi tidak dikenal: ") + first + did_you_mean(first, {"--help", "--version"}), "");
    }
    return print_usage_error(say("unknown command \"", "perintah tidak dikenal: \"") + first + "\"" +
                                 did_you_mean(first, subcommand_names(app_.get())),
                             "");
  }
  // The subcommand the arguments name, for messages before parsing ends.
  CLI::App* named = top;
  if (argc > 2) {
    if (CLI::App* inner = subcommand(top, argv[2])) named = inner;
  }
  try {
    app_->parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << app_->help();
    return exit_ok;
  } catch (const CLI::ArgumentMismatch& e) {
    const std::string option = option_missing_value(*named, argc, argv, 2);
    return print_usage_error(option.empty()
                                 ? std::string(e.what())
                                 : say("option " + option + " needs a value", "opsi " + option + " memerlukan nilai"),
                             command_name(named));
  } catch (const CLI::ParseError& e) {
    return print_usage_error(e.what(), command_name(named));
  } catch (const usage_failure& e) {  // a value checked while parsing (--lang)
    return print_usage_error(e.what(), command_name(named));
  }
  CLI::App* sub = app_.get();
  while (!sub->get_subcommands().empty()) sub = sub->get_subcommands().front();
  const std::string name = command_name(sub);
  for (const CLI::App* a = sub; a != nullptr && a->get_parent() != nullptr; a = a->get_parent()) {
    const auto extra = a->remaining();
    if (extra.empty()) continue;
    const std::string& x = extra.front();
    const bool option = x.size() > 1 && x[0] == '-';
    if (option) {
      // "--formt=json" is the option "--formt"
      const std::string typed = x.substr(0, x.find('='));
      return print_usage_error(
          say("unknown option " + x + " for " + name, "opsi " + x + " tidak dikenal untuk " + name) +
              did_you_mean(typed, option_names(*a)),
          name);
    }
    if (a == sub && !sub->get_subcommands([](CLI::App*) { return true; }).empty())
      break;  // a wrong subcommand: said below
    return print_usage_error(
        say("unexpected argument " + x + " for " + name, "argumen " + x + " tidak diharapkan untuk " + name), name);
  }
  if (!sub->get_subcommands([](CLI::App*) { return true; }).empty() && !sub->remaining().empty()) {
    // `perwal log verfy`: the subcommand nearest to what was typed
    const std::string x = sub->remaining().front();
    std::string names;
    for (const auto& n : subcommand_names(sub)) names += (names.empty() ? "" : ", ") + n;
    return print_usage_error(
        say("unknown subcommand \"" + x + "\" for " + name + " (its subcommands: " + names + ")",
            "subperintah \"" + x + "\" tidak dikenal untuk " + name + " (subperintahnya: " + names + ")") +
            did_you_mean(x, subcommand_names(sub)),
        name);
  }
  const auto found = runners_.find(sub);
  if (found == runners_.end()) {
    std::string names;
    for (const CLI::App* s : sub->get_subcommands([](CLI::App*) { return true; }))
      names += (names.empty() ? "" : ", ") + s->get_name();
    return print_usage_error(say(name + " needs a subcommand: ", name + " memerlukan subperintah: ") + names, name);
  }
  try {
    return found->second();
  } catch (const usage_failure& e) {
    return print_usage_error(e.what(), name);
  } catch (const std::exception& e) {
    std::cerr << "perwal " << name << ": internal error: " << e.what() << "\n";
    return exit_bad_input;
  }
}

namespace {

// Text as roff shows it literally: a backslash and a hyphen escaped, a line
// that would start a request protected.
std::string roff(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '\\')
      out += "\\e";
    else if (c == '-')
      out += "\\-";
    else
      out += c;
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out.insert(0, "\\&");
  return out;
}

// The usage of `command` in the usage text on one line, without "perwal "
// and the comments: "check --rules FILE.perwal ...".
std::string usage_line(const std::string& usage, const std::string& command) {
  std::istringstream in(usage_of(usage, command));
  std::string out;
  for (std::string line; std::getline(in, line);) {
    line = line.substr(0, line.find('#'));
    std::istringstream words(line);
    for (std::string w; words >> w;) out += (out.empty() ? "" : " ") + w;
  }
  return out.rfind("perwal ", 0) == 0 ? out.substr(7) : out;
}

void manual_section(std::string& out, const std::string& usage, const CLI::App& sub, const std::string& name) {
  const std::string line = usage_line(usage, name);
  out += ".SS \"" + roff(line.empty() ? name : line) + "\"\n";
  std::string description = sub.get_description();
  if (!description.empty())
    description[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(description[0])));
  out += roff(description) + ".\n";
  for (const CLI::Option* opt : sub.get_options()) {
    if (opt->get_group().empty() || opt->check_lname("help")) continue;  // hidden; help is a common option
    std::string names;
    if (opt->get_lnames().empty() && opt->get_snames().empty()) names = opt->get_name();
    for (const auto& n : opt->get_snames()) names += (names.empty() ? "-" : ", -") + n;
    for (const auto& n : opt->get_lnames()) names += (names.empty() ? "--" : ", --") + n;
    const bool typed = opt->get_items_expected_min() > 0 && !opt->get_type_name().empty() && opt->nonpositional();
    out +=
        typed ? ".TP\n.BI \"" + roff(names) + " \" \"" + roff(opt->get_type_name()) + "\"" : ".TP\n.B " + roff(names);
    out += "\n" + roff(opt->get_description().empty() ? "(no description)" : opt->get_description()) + "\n";
  }
}

}  // namespace

std::string commands::manual(const std::string& page) const {
  std::string sections;
  for (const CLI::App* sub : app_->get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); })) {
    const auto inner = const_cast<CLI::App*>(sub)->get_subcommands([](const CLI::App*) { return true; });
    if (inner.empty()) manual_section(sections, usage_, *sub, sub->get_name());
    for (const CLI::App* s : inner) manual_section(sections, usage_, *s, sub->get_name() + " " + s->get_name());
  }
  std::istringstream in(page);
  std::string out;
  for (std::string line; std::getline(in, line);) out += line == "@COMMANDS@" ? sections : line + "\n";
  return out;
}

}  // namespace perwal::cli
