// The texts `perwal diff` compares: expressions (expr_text), paths with their
// arguments, roles and code lists. Separate from the comparison, which only
// reads them.
#include <algorithm>
#include <cstdio>

#include "engine/explore/diff.hpp"
#include "engine/explore/diff_internal.hpp"

namespace perwal::explore {

namespace diff_detail {

namespace {

std::string squeeze(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') out += c;
  }
  return out;
}

}  // namespace

// A path with its arguments (`find(dpmptsp)`, `has_tag("…")`), which the
// path's own text leaves out. Codes by name: both vocabularies agree on names.
std::string path_text(const cpath& p, const vocabulary& vocab) {
  std::vector<std::string> segments;
  std::string cur;
  for (char c : squeeze(p.text)) {
    if (c == '.') {
      segments.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  segments.push_back(cur);
  std::string out = segments.front();
  for (std::size_t i = 0; i < p.steps.size(); ++i) {
    const auto& s = p.steps[i];
    const std::string seg = i + 1 < segments.size() ? segments[i + 1] : "?";
    out += "." + seg;
    if (!s.codes.empty()) {
      std::string args;
      for (auto c : s.codes) args += (args.empty() ? "" : ", ") + vocab.name(c);
      out += "(" + args + ")";
    } else if (!s.text.empty() && s.text != seg) {
      out += "(\"" + s.text + "\")";
    }
  }
  return out;
}

std::string roles_text(const std::vector<cpath>& roles, const vocabulary& vocab) {
  std::string out;
  for (const auto& p : roles) out += (out.empty() ? "" : " | ") + path_text(p, vocab);
  return out;
}

namespace {

std::string number_text(double n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", n);
  return buf;
}

}  // namespace

std::string join(const std::vector<std::string>& xs, std::string_view sep) {
  std::string out;
  for (const auto& x : xs) out += (out.empty() ? "" : std::string(sep)) + x;
  return out;
}

std::string codes_text(const std::vector<code>& cs, const vocabulary& v, std::string_view sep) {
  std::vector<std::string> names;
  for (auto c : cs) names.push_back(v.name(c));
  return join(names, sep);
}

std::string sorted_codes_text(const std::vector<code>& cs, const vocabulary& v) {
  std::vector<std::string> names;
  for (auto c : cs) names.push_back(v.name(c));
  std::sort(names.begin(), names.end());
  return join(names, ", ");
}

}  // namespace diff_detail

using namespace diff_detail;

std::string expr_text(const cexpr& e, const vocabulary& vocab) {
  auto kid = [&](std::size_t i) {
    const auto& k = e.kids[i];
    const bool atomic = k.op == expr_op::path || k.op == expr_op::number || k.op == expr_op::string ||
                        k.op == expr_op::boolean || k.op == expr_op::code_lit || k.op == expr_op::list;
    return atomic ? expr_text(k, vocab) : "(" + expr_text(k, vocab) + ")";
  };
  auto binary = [&](std::string_view op) { return kid(0) + " " + std::string(op) + " " + kid(1); };
  switch (e.op) {
    case expr_op::path:
      return roles_text(e.paths, vocab);
    case expr_op::number:
      return number_text(e.number);
    case expr_op::string:
      return "\"" + e.text + "\"";
    case expr_op::boolean:
      return e.boolean ? "true" : "false";
    case expr_op::code_lit:
      return e.literal == no_code ? "?" : vocab.name(e.literal);
    case expr_op::list: {
      std::vector<std::string> items;
      for (const auto& k : e.kids) items.push_back(expr_text(k, vocab));
      return "[" + join(items, ", ") + "]";
    }
    case expr_op::eq:
      return binary("==");
    case expr_op::ne:
      return binary("!=");
    case expr_op::lt:
      return binary("<");
    case expr_op::le:
      return binary("<=");
    case expr_op::gt:
      return binary(">");
    case expr_op::ge:
      return binary(">=");
    case expr_op::in:
      return binary("in");
    case expr_op::is_null:
      return kid(0) + " is null";
    case expr_op::not_null:
      return kid(0) + " is not null";
    case expr_op::and_:
    case expr_op::or_: {
      std::vector<std::string> items;
      for (std::size_t i = 0; i < e.kids.size(); ++i) items.push_back(kid(i));
      return join(items, e.op == expr_op::and_ ? " and " : " or ");
    }
    case expr_op::not_:
      return "not " + kid(0);
    case expr_op::date_lit:
      return e.text;
    case expr_op::count:
      return "count(" + expr_text(e.kids[0], vocab) + ")";
    case expr_op::months_between:
    case expr_op::days_between:
      return std::string(e.op == expr_op::months_between ? "months_between(" : "days_between(") +
             expr_text(e.kids[0], vocab) + ", " + expr_text(e.kids[1], vocab) + ")";
    case expr_op::every:
    case expr_op::some:
      return std::string(e.op == expr_op::every ? "every " : "some ") + e.text + " in " + kid(0) + ": " + kid(1);
  }
  return "?";
}

}  // namespace perwal::explore
