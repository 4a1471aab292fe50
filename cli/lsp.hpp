// `perwal lsp`: a language server for .perwal files over stdio (cli/lsp.cpp).
#pragma once

#include <filesystem>
#include <iosfwd>
#include <vector>

namespace perwal::lsp {

// Serves until `exit`; 0 when `shutdown` came first (the protocol's rule), else 1.
int serve(std::istream& in, std::ostream& out, std::vector<std::filesystem::path> search_path);

}  // namespace perwal::lsp
