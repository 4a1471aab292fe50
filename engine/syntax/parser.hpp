// Phase 1 of the compiler: one .perwal file's text to its AST.
#pragma once

#include <memory>
#include <optional>

#include "engine/common/diagnostic.hpp"
#include "engine/syntax/ast.hpp"

namespace perwal::syntax {

// Parses `src`; on a syntax error adds a diagnostic (file:line:column, the
// message of the failed commit point) and returns nullopt.
[[nodiscard]] std::optional<ast::file> parse(std::shared_ptr<const source_file> src, diagnostics& diags);

}  // namespace perwal::syntax
