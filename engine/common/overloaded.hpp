// A visitor from lambdas, for std::visit over the decision's variants.
#pragma once

namespace perwal {

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};
// (Clang 14 does not deduce aggregates' template arguments by itself.)
template <class... F>
overloaded(F...) -> overloaded<F...>;

}  // namespace perwal
