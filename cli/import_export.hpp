// `perwal import` and `perwal export` (cli/import_export.cpp).
#pragma once

#include <functional>
#include <string>

namespace perwal::cli {

// Exit 0 done, 2 bad input or a refused row (unless --keep-going). `usage_error` prints the usage.
int run_import(int argc, char** argv, const std::function<int(const std::string&)>& usage_error);
int run_export(int argc, char** argv, const std::function<int(const std::string&)>& usage_error);

}  // namespace perwal::cli
