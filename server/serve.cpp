#include "server/serve.hpp"

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

#include "engine/eval/evaluator.hpp"
#include "engine/eval/render.hpp"
#include "server/metrics.hpp"
#include "server/openapi_json.hpp"
#include "server/ruleset_search.hpp"
#include "server/snapshot.hpp"

namespace perwal::server {

namespace {

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
};

[[noreturn]] void fail(int status, std::string code, std::string message, json errors = json::array()) {
  throw http_error{status, std::move(code), std::move(message), std::move(errors), json::object()};
}

std::string error_body(const http_error& e) {
  json j = e.extra;
  j["error"] = e.code;
  j["status"] = e.status;
  j["message"] = e.message;
  j["errors"] = e.errors;
  return j.dump();
}

// ---- small helpers ------------------------------------------------------------

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string iso_time(std::int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return std::string(buf) + "." + std::to_string(1000 + ms % 1000).substr(1) + "Z";
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string trim(std::string s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

// Compares without an early exit, so the time taken does not reveal how much of a token matched.
bool same_token(const std::string& a, const std::string& b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < a.size(); ++i)
    diff |= static_cast<unsigned char>(a[i] ^ b[i % (b.empty() ? 1 : b.size())]);
  return diff == 0 && !b.empty();
}

// Org ids are path segments and database keys: keep them plain.
bool valid_org_id(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-';
  });
}

std::string param(const httplib::Request& req, const char* name) {
  return req.has_param(name) ? req.get_param_value(name) : std::string();
}

json parse_json(const std::string& body) {
  try {
    return json::parse(body);
  } catch (const json::parse_error& e) {
    fail(400, "invalid_json", std::string("invalid JSON: ") + e.what());
  }
}

json load_errors_json(const std::vector<org::load_error>& errors) {
  json out = json::array();
  for (const auto& e : errors) out.push_back({{"path", e.path}, {"message", e.message}});
  return out;
}

json ruleset_meta(const ruleset_entry& r, bool is_default) {
  const auto& h = r.rules->header;
  return {{"id", h.id},         {"title", h.title},     {"cite_as", h.cite_as},
          {"number", h.number}, {"status", h.status},   {"region", h.region},
          {"year", h.year},     {"extends", h.extends}, {"content_hash", r.rules->content_hash},
          {"file", r.file},     {"default", is_default}};
}

json org_meta(const org_entry& o) {
  json loads = json::array();
  for (const auto& [rid, g] : o.graphs) loads.push_back(rid);
  json fails = json::array();
  for (const auto& [rid, e] : o.errors) fails.push_back(rid);
  return {{"id", o.id},         {"version", o.version}, {"hash", o.hash},      {"created", iso_time(o.created_ms)},
          {"source", o.source}, {"loads_under", loads}, {"fails_under", fails}};
}

// ---- the API --------------------------------------------------------------------

class api;
// A request as handlers see it: the HTTP request, its body (read by the
// dispatcher) and the values of the route's "{…}" segments.
struct call {
  const httplib::Request& http;
  const std::string& body;
  std::vector<std::string> args;
};
using handler_fn = void (api::*)(const call&, httplib::Response&);

struct route {
  const char* method;
  const char* pattern;  // "{…}" segments match any one segment
  handler_fn handler;
};

// A query resolved to the ruleset and org graph it is checked against.
struct target {
  const ruleset_entry* rules = nullptr;
  std::optional<evaluator> ev;
  lang language = lang::id;
};

class api {
 public:
  api(const config& c, snapshot_source source, org_store& store, decision_log& log,
      std::shared_ptr<const snapshot> first)
      : config_(c), source_(std::move(source)), store_(store), log_(log), current_(std::move(first)) {
    metrics_.set_generation(current()->generation);
  }

  void install(httplib::Server& svr) {
    // Bodies are read through content readers: the dispatcher applies the
    // JSON limits whatever the Content-Type (cpp-httplib would cap a form
    // body, curl -d's default type, at 8 KiB).
    auto plain = [this](const httplib::Request& req, httplib::Response& res) { dispatch(req, std::string(), res); };
    auto with_body = [this](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& read) {
      std::string body;
      const bool complete = read([&](const char* data, std::size_t n) {
        body.append(data, n);
        return true;
      });
      if (!complete) {
        // Too large (413, set by the reader) or cut short; the error handler writes the JSON body.
        if (res.status < 400) res.status = 400;
        return;
      }
      dispatch(req, body, res);
    };
    svr.Get(".*", plain).Options(".*", plain);
    svr.Post(".*", with_body).Put(".*", with_body).Patch(".*", with_body).Delete(".*", with_body);
    // RFC 9112: a request with neither Content-Length nor Transfer-Encoding has
    // no body. cpp-httplib 0.11 would wait for the connection to close instead,
    // so such requests are answered here, before it starts reading.
    svr.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      if (req.has_header("Content-Length") || req.has_header("Transfer-Encoding")) {
        return httplib::Server::HandlerResponse::Unhandled;
      }
      dispatch(req, std::string(), res);
      return httplib::Server::HandlerResponse::Handled;
    });
    // Errors raised by the HTTP layer itself (body too large, unreadable request) also answer JSON.
    svr.set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
      if (!res.body.empty()) return;
      const bool too_large = res.status == 413;
      http_error e{res.status, too_large ? "payload_too_large" : "bad_request",
                   too_large ? "request body larger than " + std::to_string(config_.max_body) + " bytes"
                             : "the request could not be read (HTTP status " + std::to_string(res.status) + ")",
                   json::array(), json::object()};
      res.set_content(error_body(e), "application/json");
      metrics_.request("unmatched", req.method, res.status, std::chrono::nanoseconds(0));
    });
  }

 private:
  static const route routes[12];  // defined below the class, once every handler is declared

  [[nodiscard]] std::shared_ptr<const snapshot> current() const { return current_.load(); }

  static std::vector<std::string> segments(const std::string& path) {
    std::vector<std::string> out;
    std::size_t i = 1;
    while (i <= path.size()) {
      const auto j = std::min(path.find('/', i), path.size());
      out.push_back(path.substr(i, j - i));
      i = j + 1;
    }
    return out;
  }

  static bool matches(const char* pattern, const std::vector<std::string>& path, std::vector<std::string>& args) {
    const auto want = segments(pattern);
    if (want.size() != path.size()) return false;
    std::vector<std::string> found;
    for (std::size_t i = 0; i < want.size(); ++i) {
      if (want[i].front() == '{') {
        if (path[i].empty()) return false;
        found.push_back(path[i]);
      } else if (want[i] != path[i]) {
        return false;
      }
    }
    args = std::move(found);
    return true;
  }

  void dispatch(const httplib::Request& req, const std::string& body, httplib::Response& res) {
    const auto start = clock_type::now();
    res.status = 200;
    std::string endpoint = "unmatched";
    try {
      const std::string method = req.method == "HEAD" ? "GET" : req.method;
      const auto path = segments(req.path);
      std::vector<std::string> args;
      std::string allowed;
      const route* found = nullptr;
      for (const auto& r : routes) {
        if (!matches(r.pattern, path, args)) continue;
        endpoint = r.pattern;
        if (method == r.method) {
          found = &r;
          break;
        }
        allowed += (allowed.empty() ? "" : ", ") + std::string(r.method);
      }
      if (!found && !allowed.empty()) {
        res.set_header("Allow", allowed);
        fail(405, "method_not_allowed", req.method + " " + req.path + ": allowed methods are " + allowed);
      }
      if (!found) fail(404, "not_found", "no such endpoint: " + req.path);
      (this->*found->handler)(call{req, body, std::move(args)}, res);
    } catch (const http_error& e) {
      res.status = e.status;
      res.set_content(error_body(e), "application/json");
    } catch (const store_error& e) {
      res.status = 503;
      res.set_content(error_body({503, "store_unavailable", e.what(), json::array(), json::object()}),
                      "application/json");
    } catch (const std::exception& e) {
      res.status = 500;
      res.set_content(error_body({500, "internal", e.what(), json::array(), json::object()}), "application/json");
    }
    metrics_.request(endpoint, req.method, res.status, clock_type::now() - start);
  }

  static void reply(httplib::Response& res, const json& j, int status = 200) {
    res.status = status;
    res.set_content(j.dump(), "application/json");
  }

  // ---- simple reads ----

  void healthz(const call&, httplib::Response& res) {
    const auto s = current();
    reply(res, {{"status", "ok"},
                {"generation", s->generation},
                {"default_ruleset", s->default_ruleset},
                {"rulesets", s->order.size()},
                {"orgs", s->orgs.size()}});
  }

  void get_metrics(const call&, httplib::Response& res) {
    res.set_content(metrics_.render(), "text/plain; version=0.0.4");
  }

  void openapi(const call&, httplib::Response& res) {
    res.set_content(std::string(reinterpret_cast<const char*>(openapi_json), sizeof openapi_json), "application/json");
  }

  void list_rulesets(const call&, httplib::Response& res) {
    const auto s = current();
    json list = json::array();
    for (const auto& id : s->order) list.push_back(ruleset_meta(s->rulesets.at(id), id == s->default_ruleset));
    reply(res, {{"default", s->default_ruleset}, {"generation", s->generation}, {"rulesets", list}});
  }

  void get_ruleset(const call& c, httplib::Response& res) {
    const auto s = current();
    const auto* r = s->ruleset(c.args[0]);
    if (!r) fail(404, "unknown_ruleset", "unknown ruleset \"" + c.args[0] + "\"");
    json j = ruleset_meta(*r, c.args[0] == s->default_ruleset);
    j["source"] = r->rules->source_text;
    reply(res, j);
  }

  void list_orgs(const call&, httplib::Response& res) {
    const auto s = current();
    json list = json::array();
    for (const auto& [id, o] : s->orgs) list.push_back(org_meta(*o));
    reply(res, {{"orgs", list}});
  }

  void get_org(const call& c, httplib::Response& res) {
    const auto s = current();
    const auto* o = s->org(c.args[0]);
    if (!o) fail(404, "unknown_org", "unknown org \"" + c.args[0] + "\"");
    const auto version_text = param(c.http, "version");
    std::int64_t version = 0;
    if (!version_text.empty()) {
      try {
        version = std::stoll(version_text);
      } catch (const std::exception&) {
        fail(400, "bad_parameter", "version: not a number: \"" + version_text + "\"");
      }
    }
    json meta = org_meta(*o);
    std::string body = *o->body;
    if (version != 0 && version != o->version) {
      // Older versions of uploaded orgs stay in the store; the default org has only its current one.
      auto stored = o->source == "upload" ? store_.get(o->id, version) : std::nullopt;
      if (!stored) fail(404, "unknown_org_version", "org \"" + o->id + "\" has no version " + version_text);
      meta = {{"id", stored->id},
              {"version", stored->version},
              {"hash", stored->hash},
              {"created", iso_time(stored->created_ms)},
              {"source", "upload"}};
      body = std::move(stored->body);
    }
    // The document goes out as uploaded (already validated JSON), not re-serialised.
    auto text = meta.dump();
    text.pop_back();
    text += ",\"org\":" + body + "}";
    res.set_content(text, "application/json");
  }

  void get_decision(const call& c, httplib::Response& res) {
    const auto r = log_.find(c.args[0]);
    if (!r) fail(404, "unknown_decision", "no decision \"" + c.args[0] + "\" in the log");
    json j = {{"decision_id", r->id},    {"time", iso_time(r->time_ms)},
              {"ruleset", r->ruleset},   {"ruleset_hash", r->ruleset_hash},
              {"org", r->org},           {"org_version", r->org_version},
              {"org_hash", r->org_hash}, {"outcome", r->outcome}};
    j["query"] = json::parse(r->query);
    j["result"] = c.http.has_param("lang") ? rerender(*r, c.http) : json::parse(r->result);
    reply(res, j);
  }

  // A logged decision in the language asked for. Evaluation is a pure
  // function of (ruleset, org, query): the logged query is evaluated again
  // against the identical ruleset (content hash) and org version, and the
  // decision rendered in that language. When either has changed since, the
  // decision as sent is all there is (409).
  json rerender(const decision_record& r, const httplib::Request& req) {
    const auto s = current();
    const auto language = language_of(req);
    const auto* rules = s->ruleset(r.ruleset);
    const auto* org = s->org(r.org);
    if (!rules || rules->rules->content_hash != r.ruleset_hash || !org || org->version != r.org_version) {
      fail(409, "decision_stale",
           "ruleset \"" + r.ruleset + "\" or org \"" + r.org + "\" changed since this decision was logged; "
           "GET it without ?lang= for the decision as it was sent");
    }
    const auto g = org->graphs.find(r.ruleset);
    if (g == org->graphs.end()) fail(409, "decision_stale", "org \"" + r.org + "\" no longer loads under \"" + r.ruleset + "\"");
    const json sent = json::parse(r.result);
    const bool traced = sent.contains("trace") && !sent["trace"].empty();
    const evaluator ev(rules->rules, g->second, traced);
    diagnostics errors;
    const json q = json::parse(r.query);
    const bool audit = q.value("type", "") == "audit";
    const auto d = audit ? std::optional<decision>(ev.audit()) : ev.check(q, errors);
    if (!d || outcome_name(d->result) != r.outcome) {
      fail(500, "decision_mismatch", "the logged query no longer gives the logged decision");
    }
    json out = to_json(*d, {*rules->rules, *g->second, language});
    out["decision_id"] = r.id;
    return out;
  }

  // ---- decisions ----

  static lang language_of(const httplib::Request& req) {
    const auto l = param(req, "lang");
    if (l == "en") return lang::en;
    if (!l.empty() && l != "id") fail(400, "bad_parameter", "lang: must be id or en");
    return lang::id;
  }

  struct request_options {
    lang language = lang::id;
    lang error_language = lang::en;  // query errors: English unless ?lang= asks otherwise
    bool trace = false;
    std::string ruleset;  // ?ruleset=, empty: default
    const org_entry* org = nullptr;
  };

  static request_options options_of(const httplib::Request& req, const snapshot& s) {
    request_options o;
    o.language = language_of(req);
    if (req.has_param("lang")) o.error_language = o.language;
    const auto t = param(req, "trace");
    o.trace = t == "1" || t == "true";
    o.ruleset = param(req, "ruleset");
    const auto org_id = req.has_param("org") ? param(req, "org") : std::string(default_org_id);
    o.org = s.org(org_id);
    if (!o.org) fail(404, "unknown_org", "unknown org \"" + org_id + "\"");
    return o;
  }

  // The evaluator for ruleset `id` (empty: the default) over the request's org.
  static target resolve(const snapshot& s, const request_options& o, std::string id, const std::string& where) {
    if (id.empty()) id = o.ruleset.empty() ? s.default_ruleset : o.ruleset;
    target t;
    t.rules = s.ruleset(id);
    if (!t.rules) fail(404, "unknown_ruleset", (where.empty() ? "" : where + ": ") + "unknown ruleset \"" + id + "\"");
    auto g = o.org->graphs.find(id);
    if (g == o.org->graphs.end()) {
      const auto& errors = o.org->errors.at(id);
      fail(400, "org_invalid_for_ruleset",
           "org \"" + o.org->id + "\" does not load under ruleset \"" + id + "\"" +
               (errors.empty() ? "" : ": " + errors.front().to_string()),
           load_errors_json(errors));
    }
    t.ev.emplace(t.rules->rules, g->second, o.trace);
    t.language = o.language;
    return t;
  }

  static std::string ruleset_field(const json& q, const std::string& where) {
    if (!q.is_object() || !q.contains("ruleset")) return "";
    if (!q["ruleset"].is_string()) fail(400, "bad_query", where + "ruleset: must be a ruleset id (a string)");
    return q["ruleset"].get<std::string>();
  }

  decision_record record_of(const decision& d, const target& t, const request_options& o, std::string id,
                            std::string query, std::string result) const {
    return {std::move(id),
            now_ms(),
            t.rules->rules->header.id,
            t.rules->rules->content_hash,
            o.org->id,
            o.org->hash,
            o.org->version,
            std::string(outcome_name(d.result)),
            std::move(query),
            std::move(result)};
  }

  // Logs the decisions (one transaction), and only then answers and counts them.
  void commit_and_reply(httplib::Response& res, std::vector<decision_record> records, bool batch) {
    std::map<std::string, std::uint64_t> outcomes;
    for (const auto& r : records) ++outcomes[r.outcome];
    std::string body;
    if (batch) {
      std::size_t size = 2;
      for (const auto& r : records) size += r.result.size() + 1;
      body.reserve(size);
      body += '[';
      for (std::size_t i = 0; i < records.size(); ++i) {
        if (i) body += ',';
        body += records[i].result;
      }
      body += ']';
    } else {
      body = records.front().result;
    }
    log_.append(std::move(records));  // throws (503) when the log cannot be written: no decision goes out
    for (const auto& [outcome, n] : outcomes) metrics_.decisions(outcome, n);
    res.set_content(std::move(body), "application/json");
  }

  static std::string decision_text(const decision& d, const target& t, const std::string& id) {
    json j = to_json(d, {*t.rules->rules, t.ev->org(), t.language});
    j["decision_id"] = id;
    return j.dump();
  }

  void check(const call& c, httplib::Response& res) {
    const auto s = current();  // this request's snapshot, whatever reloads happen meanwhile
    const auto o = options_of(c.http, *s);
    const json body = parse_json(c.body);
    const bool batch = body.is_array();
    if (batch && body.empty()) fail(400, "bad_query", "an empty array holds no query");
    const std::size_t n = batch ? body.size() : 1;
    std::map<std::string, target> targets;
    std::vector<std::pair<decision, const target*>> decisions;
    decisions.reserve(n);
    json errors = json::array();
    std::string first_error;
    for (std::size_t i = 0; i < n; ++i) {
      const json& q = batch ? body[i] : body;
      const std::string prefix = batch ? "[" + std::to_string(i) + "]" : "";
      const auto rid = ruleset_field(q, prefix.empty() ? "" : prefix + ".");
      auto it = targets.find(rid);
      if (it == targets.end())
        it = targets.emplace(rid, resolve(*s, o, rid, prefix + (rid.empty() ? "" : ".ruleset"))).first;
      diagnostics qerrors;
      auto d = it->second.ev->check(q, qerrors);
      for (const auto& e : qerrors.items()) {
        // The CLI's paths: "steps[2].by", in a batch "[3].steps[2].by".
        const auto& at = e.at.json_path;
        const std::string path = prefix + (at.empty() || prefix.empty() ? "" : ".") + at;
        const std::string message = e.message_text(o.error_language);
        errors.push_back({{"path", path}, {"code", e.code}, {"message", message}});
        if (first_error.empty()) first_error = path.empty() ? message : path + ": " + message;
      }
      if (d) decisions.emplace_back(std::move(*d), &it->second);
    }
    // A batch is all or nothing: a client never has to match partial answers to its queries.
    if (!errors.empty()) fail(400, "bad_query", first_error, errors);
    std::vector<decision_record> records;
    records.reserve(n);
    const auto ids = log_.next_ids(n);
    for (std::size_t i = 0; i < n; ++i) {
      const auto& id = ids[i];
      auto result = decision_text(decisions[i].first, *decisions[i].second, id);
      records.push_back(record_of(decisions[i].first, *decisions[i].second, o, id, (batch ? body[i] : body).dump(),
                                  std::move(result)));
    }
    commit_and_reply(res, std::move(records), batch);
  }

  void audit(const call& c, httplib::Response& res) {
    const auto s = current();
    const auto o = options_of(c.http, *s);
    json q = {{"type", "audit"}};
    std::string rid;
    if (!trim(c.body).empty()) {
      const json body = parse_json(c.body);
      if (!body.is_object()) fail(400, "bad_query", "the body of an audit must be a JSON object (or empty)");
      rid = ruleset_field(body, "");
      if (!rid.empty()) q["ruleset"] = rid;
    }
    const auto t = resolve(*s, o, rid, rid.empty() ? "" : "ruleset");
    const auto d = t.ev->audit();
    auto id = log_.next_id();
    auto result = decision_text(d, t, id);
    std::vector<decision_record> records;
    records.push_back(record_of(d, t, o, std::move(id), q.dump(), std::move(result)));
    commit_and_reply(res, std::move(records), false);
  }

  // ---- changes ----

  void put_org(const call& c, httplib::Response& res) {
    const auto& id = c.args[0];
    if (!valid_org_id(id)) fail(400, "bad_org_id", "org ids are 1 to 64 letters, digits, '.', '_' or '-'");
    if (id == default_org_id) {
      fail(409, "read_only", "org \"default\" is the --org file: edit the file and POST /v1/reload");
    }
    std::lock_guard lock(update_mutex_);  // one change at a time; versions follow the order of swaps
    const auto s = current();
    const auto rid = param(c.http, "ruleset").empty() ? s->default_ruleset : param(c.http, "ruleset");
    const auto* r = s->ruleset(rid);
    if (!r) fail(404, "unknown_ruleset", "unknown ruleset \"" + rid + "\"");
    std::vector<org::load_error> errors;
    if (!org::org_graph::load(c.body, "org", r->rules->vocab, r->rules->shape, errors)) {
      fail(400, "bad_org", errors.empty() ? "the org does not load" : errors.front().to_string(),
           load_errors_json(errors));
    }
    const auto stored = store_.put(id, c.body, content_hash(c.body));
    auto entry =
        compile_org(*s, id, stored.version, stored.created_ms, "upload", std::make_shared<const std::string>(c.body));
    json meta = org_meta(*entry);
    meta["validated_under"] = rid;
    auto next = with_org(*s, std::move(entry));
    metrics_.set_generation(next->generation);
    current_.store(std::move(next));
    reply(res, meta, stored.version == 1 ? 201 : 200);
  }

  void reload(const call& c, httplib::Response& res) {
    if (config_.admin_token.empty()) {
      fail(404, "not_found", "POST /v1/reload is disabled: start with --admin-token-file FILE or PERWAL_ADMIN_TOKEN");
    }
    const auto auth = c.http.get_header_value("Authorization");
    const std::string scheme = "Bearer ";
    if (auth.rfind(scheme, 0) != 0 || !same_token(auth.substr(scheme.size()), config_.admin_token)) {
      res.set_header("WWW-Authenticate", "Bearer");
      fail(401, "unauthorized", "POST /v1/reload needs the admin token: Authorization: Bearer TOKEN");
    }
    std::lock_guard lock(update_mutex_);
    build_failure failure;
    auto next = build_snapshot(source_, store_, current().get(), failure);
    if (!next) {
      metrics_.reload(false);
      http_error e{422, "reload_failed", failure.message + "; the previous rulesets and orgs keep serving",
                   failure.diagnostics, json::object()};
      e.extra["rendered"] = failure.rendered;
      throw e;
    }
    json rulesets = json::array();
    for (const auto& rid : next->order)
      rulesets.push_back(ruleset_meta(next->rulesets.at(rid), rid == next->default_ruleset));
    json orgs = json::array();
    for (const auto& [oid, o] : next->orgs) orgs.push_back(org_meta(*o));
    const auto generation = next->generation;
    metrics_.set_generation(generation);
    metrics_.reload(true);
    current_.store(std::move(next));
    reply(res, {{"generation", generation}, {"rulesets", rulesets}, {"orgs", orgs}});
  }

  const config& config_;
  snapshot_source source_;
  org_store& store_;
  decision_log& log_;
  metrics metrics_;
  std::mutex update_mutex_;
  std::atomic<std::shared_ptr<const snapshot>> current_;
};

const route api::routes[12] = {
    {"GET", "/healthz", &api::healthz},
    {"GET", "/metrics", &api::get_metrics},
    {"GET", "/openapi.json", &api::openapi},
    {"POST", "/v1/check", &api::check},
    {"POST", "/v1/audit", &api::audit},
    {"GET", "/v1/rulesets", &api::list_rulesets},
    {"GET", "/v1/rulesets/{id}", &api::get_ruleset},
    {"GET", "/v1/orgs", &api::list_orgs},
    {"GET", "/v1/orgs/{id}", &api::get_org},
    {"PUT", "/v1/orgs/{id}", &api::put_org},
    {"GET", "/v1/decisions/{id}", &api::get_decision},
    {"POST", "/v1/reload", &api::reload},
};

// ---- the process ----------------------------------------------------------------

// SIGTERM and SIGINT, blocked in every thread (block_stop_signals() runs
// before any thread starts, and threads inherit the mask), are taken by one
// waiting thread, which stops the listener: in-flight requests finish, then
// serve() returns.
sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

void block_stop_signals() {
  const auto set = stop_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

class signal_watch {
 public:
  explicit signal_watch(httplib::Server& svr) {
    thread_ = std::thread([this, &svr] {
      const auto set = stop_signals();
      int sig = 0;
      sigwait(&set, &sig);
      fired_ = true;
      if (!done_) {
        std::cerr << "perwal serve: signal " << sig << ", draining" << std::endl;
        svr.stop();
      }
    });
  }
  ~signal_watch() {
    done_ = true;
    if (!fired_) pthread_kill(thread_.native_handle(), SIGTERM);  // wake the waiter: no signal came
    thread_.join();
  }
  signal_watch(const signal_watch&) = delete;
  signal_watch& operator=(const signal_watch&) = delete;

 private:
  std::atomic<bool> done_{false}, fired_{false};
  std::thread thread_;
};

bool write_port_file(const std::string& path, int port) {
  const auto tmp = path + ".tmp";
  {
    std::ofstream out(tmp);
    if (!(out << port << "\n")) return false;
  }
  // Renamed into place, so a reader never sees a half-written file.
  return std::rename(tmp.c_str(), path.c_str()) == 0;
}

std::size_t default_threads() {
  // cpp-httplib serves a keep-alive connection on one pool thread for its
  // lifetime, so the pool bounds the connections served at once.
  const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
  return std::max<std::size_t>(64, 8 * cores);
}

void configure(httplib::Server& svr, const config& c) {
  const auto threads = c.threads ? c.threads : default_threads();
  svr.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  svr.set_payload_max_length(c.max_body);
  svr.set_read_timeout(c.read_timeout_s, 0);
  svr.set_write_timeout(c.write_timeout_s, 0);
  svr.set_keep_alive_timeout(c.keep_alive_timeout_s);
  svr.set_keep_alive_max_count(100000);
  svr.set_tcp_nodelay(true);  // headers and body are separate writes: no Nagle delay between them
}

bool parse_number(const std::string& text, long long min, long long max, long long& out) {
  try {
    std::size_t used = 0;
    out = std::stoll(text, &used);
    return used == text.size() && out >= min && out <= max;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

std::optional<config> parse_config(int argc, char** argv, std::string& error) {
  config c;
  std::string token_file;
  for (int i = 0; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](std::string& into) {
      if (i + 1 >= argc) {
        error = "option " + a + " needs a value";
        return false;
      }
      into = argv[++i];
      return true;
    };
    auto number = [&](long long min, long long max, auto& into) {
      std::string text;
      long long n = 0;
      if (!value(text)) return false;
      if (!parse_number(text, min, max, n)) {
        error = a + " must be a whole number from " + std::to_string(min) + " to " + std::to_string(max);
        return false;
      }
      into = static_cast<std::remove_reference_t<decltype(into)>>(n);
      return true;
    };
    std::string v;
    bool ok = true;
    if (a == "--rules") {
      // Every following argument up to the next option is a ruleset file or directory.
      ok = value(v);
      if (ok) c.rules.push_back(v);
      while (ok && i + 1 < argc && std::string(argv[i + 1]).rfind("--", 0) != 0) c.rules.emplace_back(argv[++i]);
    } else if (a == "--org") {
      ok = value(c.org_file);
    } else if (a == "--default-ruleset") {
      ok = value(c.default_ruleset);
    } else if (a == "--bind") {
      ok = value(c.bind);
    } else if (a == "--port") {
      ok = number(0, 65535, c.port);
    } else if (a == "--port-file") {
      ok = value(c.port_file);
    } else if (a == "--data") {
      ok = value(v);
      c.data_dir = v;
    } else if (a == "--admin-token-file") {
      ok = value(token_file);
    } else if (a == "--max-body") {
      ok = number(1, 1LL << 32, c.max_body);
    } else if (a == "--threads") {
      ok = number(1, 4096, c.threads);
    } else if (a == "--read-timeout") {
      ok = number(1, 3600, c.read_timeout_s);
    } else if (a == "--write-timeout") {
      ok = number(1, 3600, c.write_timeout_s);
    } else if (a == "--log-sync") {
      ok = value(v);
      if (ok && v != "full" && v != "normal") {
        error = "--log-sync must be full or normal";
        ok = false;
      }
      c.log.full_sync = v == "full";
    } else if (a == "--log-retention-days") {
      ok = number(0, 100000, c.log.retention_days);
    } else if (a == "--log-max-rows") {
      ok = number(0, 1LL << 62, c.log.max_rows);
    } else {
      error = "unknown option " + a;
      ok = false;
    }
    if (!ok) return std::nullopt;
  }
  if (c.rules.empty() || c.org_file.empty()) {
    error = "serve needs --rules and --org";
    return std::nullopt;
  }
  for (auto& r : c.rules) {  // a bundled ruleset's id stands for its file
    auto path = find_ruleset(r, error);
    if (!path) return std::nullopt;
    r = *path;
  }
  if (!token_file.empty()) {
    auto t = read_file(token_file);
    if (!t || trim(*t).empty()) {
      error = token_file + ": cannot read an admin token from this file";
      return std::nullopt;
    }
    c.admin_token = trim(*t);
  } else if (const char* env = std::getenv("PERWAL_ADMIN_TOKEN")) {
    c.admin_token = trim(env);
  }
  return c;
}

int serve(const config& c) {
  block_stop_signals();
  std::error_code ec;
  std::filesystem::create_directories(c.data_dir, ec);
  if (ec) {
    std::cerr << c.data_dir.string() << ": cannot create the data directory: " << ec.message() << "\n";
    return 2;
  }
  std::unique_ptr<org_store> store;
  std::unique_ptr<decision_log> log;
  try {
    store = std::make_unique<org_store>(c.data_dir / "orgs.db", true);
    log = std::make_unique<decision_log>(c.data_dir / "decisions.db", c.log);
  } catch (const store_error& e) {
    std::cerr << "perwal serve: " << e.what() << "\n";
    return 2;
  }
  const snapshot_source source{c.rules, c.default_ruleset, c.org_file, {c.search_path, nullptr}};
  build_failure failure;
  auto first = build_snapshot(source, *store, nullptr, failure);
  if (!first) {
    std::cerr << failure.rendered << failure.message << "\n";
    return 2;
  }
  api handlers(c, source, *store, *log, std::move(first));
  httplib::Server svr;
  configure(svr, c);
  handlers.install(svr);
  const int port = c.port == 0 ? svr.bind_to_any_port(c.bind) : (svr.bind_to_port(c.bind, c.port) ? c.port : -1);
  if (port < 0) {
    std::cerr << "perwal serve: cannot listen on " << c.bind << ":" << c.port << "\n";
    return 2;
  }
  if (!c.port_file.empty() && !write_port_file(c.port_file, port)) {
    std::cerr << c.port_file << ": cannot write the port file\n";
    return 2;
  }
  std::cout << "perwal serve: listening on http://" << c.bind << ":" << port << std::endl;
  {
    signal_watch signals(svr);
    svr.listen_after_bind();  // returns after stop(), once the pool has finished in-flight requests
  }
  log.reset();  // commits anything queued, then closes the database
  std::cerr << "perwal serve: stopped\n";
  return 0;
}

}  // namespace perwal::server
