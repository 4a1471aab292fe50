// Internal to server/: what every handler shares — the JSON error answer
// (http_error), time stamps, request parameters, bodies parsed as JSON, ids,
// the metadata of rulesets and orgs.
#pragma once

#include <httplib.h>
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>
#include <type_traits>

#include "engine/common/json_input.hpp"
#include "engine/eval/evaluator.hpp"
#include "engine/eval/render.hpp"
#include "server/metrics.hpp"
#include "server/openapi_json.hpp"
#include "server/ruleset_search.hpp"
#include "server/serve.hpp"
#include "server/snapshot.hpp"

namespace perwal::server::detail {

using json = nlohmann::json;
using clock_type = std::chrono::steady_clock;

// ---- errors -----------------------------------------------------------------

// An answer other than 2xx: status, a stable code for programs, a message for people
// (in the CLI's wording: `path: message`), and the individual problems.
struct http_error {
  int status = 500;
  std::string code;
  std::string message;
  json errors = json::array();
  json extra = json::object();  // further fields of the error body
  std::string message_id;       // the message in Indonesian, for ?lang=id (empty: the English one)
};

[[noreturn]] inline void fail(int status, std::string code, std::string message, json errors = json::array()) {
  throw http_error{status, std::move(code), std::move(message), std::move(errors), json::object(), {}};
}

// The same with the message in both languages: ?lang=id answers in Indonesian.
[[noreturn]] inline void fail_in(int status, std::string code, std::string en, std::string id,
                                 json errors = json::array()) {
  throw http_error{status, std::move(code), std::move(en), std::move(errors), json::object(), std::move(id)};
}

inline std::string error_body(const http_error& e, bool indonesian = false) {
  json j = e.extra;
  j["error"] = e.code;
  j["status"] = e.status;
  j["message"] = indonesian && !e.message_id.empty() ? e.message_id : e.message;
  j["errors"] = e.errors;
  return json_input::dump(j);  // never throws, whatever bytes a message quotes
}

// ---- small helpers ------------------------------------------------------------

inline std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

inline std::string iso_time(std::int64_t ms) {
  return time_text(ms);  // the decision log's own form (server/store.hpp)
}

inline std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string trim(std::string s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

// Org ids are path segments and database keys: keep them plain.
inline bool valid_org_id(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-';
  });
}

inline std::string param(const httplib::Request& req, const char* name) {
  return req.has_param(name) ? req.get_param_value(name) : std::string();
}

// A request body as JSON: nesting bounded (json_input::max_depth), duplicate
// keys, numbers out of range and bad UTF-8 refused; every problem is a 400.
inline json parse_json(const std::string& body) {
  json_input::failure why;
  auto doc = json_input::parse(body, why);
  if (doc) return std::move(*doc);
  std::string message = "invalid JSON: " + why.message;
  std::string message_id = "JSON tidak sah: " + why.message;
  if (why.too_deep || why.duplicate) {
    const auto at = json_input::locate(body, why.byte);
    message += " at line " + std::to_string(at.line) + ", column " + std::to_string(at.column);
    message_id += " pada baris " + std::to_string(at.line) + ", kolom " + std::to_string(at.column);
  }
  fail_in(400, "invalid_json", message, message_id);
}

// Where an org error is inside the request body: its JSON path, else
// "org:line:column" for a syntax error.
inline std::string org_error_path(const diagnostic& e) {
  return e.at.json_path.empty() ? e.at.where() : e.at.json_path;
}
inline json load_errors_json(const diagnostics& errors, lang l) {
  json out = json::array();
  for (const auto& e : errors.items()) {
    out.push_back({{"path", org_error_path(e)}, {"code", e.code}, {"message", e.message_text(l)}});
  }
  return out;
}

inline json ruleset_meta(const ruleset_entry& r, bool is_default) {
  const auto& h = r.rules->header;
  return {{"id", h.id},         {"title", h.title},     {"cite_as", h.cite_as},
          {"number", h.number}, {"status", h.status},   {"region", h.region},
          {"year", h.year},     {"extends", h.extends}, {"content_hash", r.sha256},
          {"file", r.file},     {"default", is_default}};
}

inline json org_meta(const org_entry& o) {
  json loads = json::array();
  for (const auto& [rid, g] : o.graphs) loads.push_back(rid);
  json fails = json::array();
  for (const auto& [rid, e] : o.errors) fails.push_back(rid);
  return {{"id", o.id},         {"version", o.version}, {"hash", o.hash},      {"created", iso_time(o.created_ms)},
          {"source", o.source}, {"loads_under", loads}, {"fails_under", fails}};
}

// ---- the API --------------------------------------------------------------------

}  // namespace perwal::server::detail
