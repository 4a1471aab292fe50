// The languages perwal speaks to people in. Text is made only at the edge
// (CLI, server, report) in one of these; decisions and diagnostics are data.
#pragma once

#include <cstdint>

namespace perwal {

enum class lang : std::uint8_t { id, en };

}  // namespace perwal
