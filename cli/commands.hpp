// The command line's frame (cli/commands.cpp): CLI11 parses, each subcommand
// is registered by one function `add_NAME(commands&)` that declares its
// options and returns what runs it. A new subcommand is one such function and
// one line in main().
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/common/lang.hpp"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace perwal::cli {

inline constexpr int exit_ok = 0;
inline constexpr int exit_denied = 1;
inline constexpr int exit_bad_input = 2;

// A usage error found after parsing (a bad value, a missing option): printed
// as "perwal: MESSAGE" and "see perwal COMMAND --help", exit 2.
struct usage_failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Throws usage_failure; `return usage_error(...)` reads as the old early return.
[[noreturn]] int usage_error(const std::string& message);

// Runs a parsed subcommand; its options live in the closure.
using runner = std::function<int()>;

class commands {
 public:
  // `usage` is the whole usage text: `perwal --help` prints it, and
  // `perwal NAME --help` its lines for NAME (then CLI11's option list).
  explicit commands(std::string usage);
  ~commands();
  commands(const commands&) = delete;
  commands& operator=(const commands&) = delete;

  // A new subcommand `perwal NAME` (or `perwal PARENT NAME` with a parent);
  // unknown options are reported by name, values are never guessed.
  CLI::App& add(const std::string& name, const std::string& description, CLI::App* parent = nullptr);
  // What runs when `sub` was the command given.
  void on_run(CLI::App& sub, runner run);

  // Parses and runs: the exit status (2 for a usage error).
  int run(int argc, char** argv);

  // The manual page: `page` (roff) with its line "@COMMANDS@" replaced by a
  // section per subcommand, made from what the parser knows (its usage lines,
  // description, arguments and options), so the page cannot drift from the
  // command line. Hidden subcommands (an empty group) are left out.
  [[nodiscard]] std::string manual(const std::string& page) const;

  // The arguments as typed (after the program's name), for what CLI11 does
  // not tell apart: a flag given `--flag=` with an empty value.
  [[nodiscard]] const std::vector<std::string>& typed() const { return typed_; }

 private:
  std::string usage_;
  std::unique_ptr<CLI::App> app_;
  std::map<const CLI::App*, runner> runners_;
  std::vector<std::string> typed_;
};

// The usage lines of one command in `usage` (its line and the indented ones
// after it), or empty when there is no such command.
std::string usage_of(const std::string& usage, const std::string& command);

// `en` or `id`: usage errors are English unless the arguments say `--lang id`.
std::string say(const std::string& en, const std::string& id);
// The language say() speaks.
lang message_language();

// " (did you mean \"NAME\"?)" for the name in `names` nearest to `typed`,
// or empty when none is near: appended to a usage error.
std::string did_you_mean(const std::string& typed, const std::vector<std::string>& names);

// "OPTION must be A, B or C" + `tail`, and the nearest of them to `value`.
std::string choice_error(const std::string& option, const std::string& value, const std::vector<std::string>& allowed,
                         const std::string& tail = "");

// Checks a --lang value ("id" or "en"): true for en.
bool english(const std::string& value);

// `--lang id|en` on a command whose output is data (an org, a schema, a
// ruleset, a server): it sets the language of the command's messages only.
void add_message_lang(CLI::App& sub);

}  // namespace perwal::cli
