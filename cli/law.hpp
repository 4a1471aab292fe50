// `perwal law` (cli/law.cpp): a regulation's text as the engine splits it.
#pragma once

#include "cli/commands.hpp"

namespace perwal::cli {

// Exit 0 listed or found, 2 an unreadable file, a bad restoration or no such article.
void add_law(commands& c);

}  // namespace perwal::cli
