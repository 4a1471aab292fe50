// The org loader's errors as diagnostics (engine/org/org.hpp).
#include "engine/org/org.hpp"

namespace perwal::org {

diagnostics to_diagnostics(const std::vector<load_error>& errors, const std::string& file) {
  diagnostics out;
  const auto src = file.empty() ? nullptr : std::make_shared<const source_file>(source_file{file, ""});
  for (const auto& e : errors) {
    // A syntax error's path already names the file ("org.json:3:14").
    const bool has_file = !file.empty() && e.path.rfind(file, 0) == 0;
    const bool more = e.path == "..." && e.message == "more errors not shown";
    out.report(location::json(e.path, has_file ? nullptr : src), more ? msg("org.more") : msg("org", e.message));
  }
  return out;
}

}  // namespace perwal::org
