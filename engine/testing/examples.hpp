// `perwal test`: runs the examples written inside a ruleset.
#pragma once

#include <string>
#include <vector>

#include "engine/compile/ruleset.hpp"

namespace perwal {

struct example_result {
  std::string title;
  std::string where;  // file:line:column of the example
  bool passed = false;
  std::vector<std::string> problems;  // what differed from the expectation
};

// The problems are worded in `l` (English by default, as `perwal test` speaks
// unless --lang is given).
[[nodiscard]] std::vector<example_result> run_examples(const std::shared_ptr<const compiled_ruleset>& rules,
                                                       lang l = lang::en);

}  // namespace perwal
