// Phase 1 of the compiler: one .perwal file's text to its AST.
#pragma once

#include <memory>
#include <optional>

#include "engine/common/diagnostic.hpp"
#include "engine/syntax/ast.hpp"

namespace perwal::syntax {

// Parses `src`; on a syntax error adds a diagnostic (file:line:column, the
// message of the failed commit point) and returns nullopt.
// The Indonesian of a grammar error message (grammar/perwal_errors.hpp), or
// empty for a message it does not know.
[[nodiscard]] std::string_view syntax_message_id(std::string_view en);

[[nodiscard]] std::optional<ast::file> parse(std::shared_ptr<const source_file> src, diagnostics& diags);

}  // namespace perwal::syntax
