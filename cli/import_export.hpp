// `perwal import` and `perwal export` (cli/import_export.cpp).
#pragma once

#include "cli/commands.hpp"

namespace perwal::cli {

// Exit 0 done, 2 bad input or a refused row (unless --keep-going).
void add_import(commands& c);
void add_export(commands& c);

}  // namespace perwal::cli
