// Text inside XML or HTML (JUnit reports, the audit report): the five
// characters markup reserves, escaped.
#pragma once

#include <string>
#include <string_view>

namespace perwal {

[[nodiscard]] std::string xml_escaped(std::string_view s);

}  // namespace perwal
