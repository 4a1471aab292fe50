// Internal to server/: the decision API — its routes and handlers (checks,
// audits, the decision log, orgs, rulesets, reload, health and metrics) over
// the current immutable snapshot. Included by serve.cpp only.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/common/spelling.hpp"
#include "engine/compile/json_schema.hpp"
#include "engine/report/report.hpp"
#include "server/http_util.hpp"

namespace perwal::server::detail {

class api;
// A request as handlers see it: the HTTP request, its body (read by the
// dispatcher) and the values of the route's "{…}" segments.
struct call {
  const httplib::Request& http;
  const std::string& body;
  std::vector<std::string> args;
};
using handler_fn = void (api::*)(const call&, httplib::Response&);

// What a route asks of the caller's token.
enum class access : std::uint8_t { open, check, read_log, write_org, admin };

struct route {
  const char* method;
  const char* pattern;  // "{…}" segments match any one segment
  handler_fn handler;
  access needs = access::open;
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
      // The cap applies to the bytes as decoded: cpp-httplib checks a declared
      // Content-Length, but neither a chunked body nor what a gzip or
      // deflate body inflates to; reading stops at the first byte over it.
      std::string body;
      bool too_large = false;
      const bool complete = read([&](const char* data, std::size_t n) {
        too_large = n > config_.max_body - body.size();
        if (!too_large) body.append(data, n);
        return !too_large;
      });
      if (!complete) {
        // Too large or cut short; the error handler writes the JSON body.
        if (too_large) res.status = 413;
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
      const std::string status = std::to_string(res.status), limit = std::to_string(config_.max_body);
      http_error e{res.status,
                   too_large ? "payload_too_large" : "bad_request",
                   too_large ? "request body larger than " + limit + " bytes"
                             : "the request could not be read (HTTP status " + status + ")",
                   json::array(),
                   json::object(),
                   too_large ? "isi permintaan lebih besar dari " + limit + " byte"
                             : "permintaan tidak dapat dibaca (status HTTP " + status + ")"};
      res.set_content(error_body(e, param(req, "lang") == "id"), "application/json");
      metrics_.request("unmatched", req.method, res.status, std::chrono::nanoseconds(0));
    });
  }

 private:
  static const route routes[14];  // defined below the class, once every handler is declared

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

 public:
  // Routes one request that cpp-httplib has read (public for the request
  // path's fuzz harness, fuzz/fuzz_http.cpp).
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
        fail_in(405, "method_not_allowed", req.method + " " + req.path + ": allowed methods are " + allowed,
                req.method + " " + req.path + ": metode yang diizinkan " + allowed);
      }
      if (!found) fail_in(404, "not_found", "no such endpoint: " + req.path, "tidak ada endpoint " + req.path);
      authorize(*found, req, res);
      (this->*found->handler)(call{req, body, std::move(args)}, res);
    } catch (const http_error& e) {
      res.status = e.status;
      res.set_content(error_body(e, param(req, "lang") == "id"), "application/json");
    } catch (const quota_exceeded& e) {
      res.status = 507;
      res.set_content(error_body({507, "quota_exceeded", e.what(), json::array(), json::object(), {}}),
                      "application/json");
    } catch (const store_error& e) {
      res.status = 503;
      res.set_content(error_body({503, "store_unavailable", e.what(), json::array(), json::object(), {}}),
                      "application/json");
    } catch (const std::exception& e) {
      res.status = 500;
      res.set_content(error_body({500, "internal", e.what(), json::array(), json::object(), {}}), "application/json");
    }
    metrics_.request(endpoint, req.method, res.status, clock_type::now() - start);
  }

 private:
  static void reply(httplib::Response& res, const json& j, int status = 200) {
    res.status = status;
    res.set_content(json_input::dump(j), "application/json");
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
    if (!r) unknown_ruleset(*s, c.args[0]);
    json j = ruleset_meta(*r, c.args[0] == s->default_ruleset);
    j["source"] = r->rules->source_text;
    reply(res, j);
  }

  // The JSON Schema of the org format, a query or a decision for this ruleset
  // (generated from its codes and data schema, as `perwal schema`).
  void get_schema(const call& c, httplib::Response& res) {
    const auto s = current();
    const auto* r = s->ruleset(c.args[0]);
    if (!r) unknown_ruleset(*s, c.args[0]);
    auto schema = json_schema(*r->rules, c.args[1]);
    if (!schema) {
      fail_in(404, "unknown_schema", "no schema \"" + c.args[1] + "\" (org, query or decision)",
              "tidak ada skema \"" + c.args[1] + "\" (org, query atau decision)");
    }
    reply(res, *schema);
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
    if (!o) unknown_org(*s, c.args[0]);
    const auto version_text = param(c.http, "version");
    std::int64_t version = 0;
    if (!version_text.empty()) {
      try {
        version = std::stoll(version_text);
      } catch (const std::exception&) {
        fail_in(400, "bad_parameter", "version: not a number: \"" + version_text + "\"",
                "version: bukan bilangan: \"" + version_text + "\"");
      }
    }
    json meta = org_meta(*o);
    std::string body = *o->body;
    if (version != 0 && version != o->version) {
      // Older versions of uploaded orgs stay in the store; the default org has only its current one.
      auto stored = o->source == "upload" ? store_.get(o->id, version) : std::nullopt;
      if (!stored) {
        fail_in(404, "unknown_org_version", "org \"" + o->id + "\" has no version " + version_text,
                "org \"" + o->id + "\" tidak mempunyai versi " + version_text);
      }
      meta = {{"id", stored->id},
              {"version", stored->version},
              {"hash", stored->hash},
              {"created", iso_time(stored->created_ms)},
              {"source", "upload"}};
      body = std::move(stored->body);
    }
    // The document goes out as uploaded (already validated JSON), not re-serialised.
    auto text = json_input::dump(meta);
    text.pop_back();
    text += ",\"org\":" + body + "}";
    res.set_content(text, "application/json");
  }

  void get_decision(const call& c, httplib::Response& res) {
    const auto r = log_.find(c.args[0]);
    if (!r) {
      fail_in(404, "unknown_decision", "no decision \"" + c.args[0] + "\" in the log",
              "tidak ada keputusan \"" + c.args[0] + "\" dalam log");
    }
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
    if (!rules || rules->sha256 != r.ruleset_hash || !org || org->version != r.org_version) {
      fail_in(409, "decision_stale",
              "ruleset \"" + r.ruleset + "\" or org \"" + r.org +
                  "\" changed since this decision was logged; "
                  "GET it without ?lang= for the decision as it was sent",
              "ruleset \"" + r.ruleset + "\" atau org \"" + r.org +
                  "\" berubah sejak keputusan ini dicatat; "
                  "GET tanpa ?lang= untuk keputusan sebagaimana dikirim");
    }
    const auto g = org->graphs.find(r.ruleset);
    if (g == org->graphs.end())
      fail_in(409, "decision_stale", "org \"" + r.org + "\" no longer loads under \"" + r.ruleset + "\"",
              "org \"" + r.org + "\" tidak lagi dapat dimuat dengan \"" + r.ruleset + "\"");
    const json sent = json::parse(r.result);
    const bool traced = sent.contains("trace") && !sent["trace"].empty();
    const evaluator ev(rules->rules, g->second, traced);
    diagnostics errors;
    const json q = json::parse(r.query);
    const bool audit = q.value("type", "") == "audit";
    const auto d = audit ? std::optional<decision>(ev.audit()) : ev.check(q, errors);
    if (!d || outcome_name(d->result) != r.outcome) {
      fail_in(500, "decision_mismatch", "the logged query no longer gives the logged decision",
              "kueri yang dicatat tidak lagi menghasilkan keputusan yang dicatat");
    }
    json out = to_json(*d, {*rules->rules, *g->second, language});
    out["decision_id"] = r.id;
    return out;
  }

  // ---- access ----

  // The scope `needs` stands for (checks are open unless the server asks
  // for tokens).
  [[nodiscard]] std::optional<scope> scope_for(access needs) const {
    switch (needs) {
      case access::open:
        return std::nullopt;
      case access::check:
        return config_.checks_need_token ? std::optional(scope::check) : std::nullopt;
      case access::read_log:
        return scope::read_log;
      case access::write_org:
        return scope::write_org;
      case access::admin:
        return scope::admin;
    }
    return scope::admin;
  }

  // 401 without a token of this server, 403 when the token lacks the scope;
  // a route no token can open is disabled (404), as reload without an admin
  // token always was. Messages in the language asked for (?lang=id|en).
  void authorize(const route& r, const httplib::Request& req, httplib::Response& res) const {
    const auto needed = scope_for(r.needs);
    if (!needed) return;
    const bool id = param(req, "lang") == "id";
    const std::string what = std::string(r.method) + " " + r.pattern;
    const std::string name(scope_name(*needed));
    if (!config_.tokens.grants(*needed)) {
      fail(404, "not_found",
           id ? what + " dinonaktifkan: jalankan server dengan --admin-token-file FILE atau --token-file FILE"
              : what + " is disabled: start with --admin-token-file FILE (or PERWAL_ADMIN_TOKEN) or --token-file FILE");
    }
    const auto auth = req.get_header_value("Authorization");
    const std::string scheme = "Bearer ";
    const unsigned held = auth.rfind(scheme, 0) == 0 ? config_.tokens.scopes_of(auth.substr(scheme.size())) : 0;
    if (held == 0) {
      res.set_header("WWW-Authenticate", "Bearer");
      fail(401, "unauthorized",
           id ? what + " memerlukan token dengan cakupan " + name + ": Authorization: Bearer TOKEN"
              : what + " needs a token with scope " + name + ": Authorization: Bearer TOKEN");
    }
    if ((held & static_cast<unsigned>(*needed)) == 0) {
      fail(403, "forbidden",
           id ? "token ini tidak memiliki cakupan " + name + " yang diperlukan " + what
              : "this token lacks scope " + name + ", which " + what + " needs");
    }
  }

  // ---- decisions ----

  // 404s naming what does not exist, with the nearest id that does.
  [[noreturn]] static void unknown_ruleset(const snapshot& s, const std::string& id, const std::string& where = "") {
    std::vector<std::string> ids(s.order.begin(), s.order.end());
    const auto near = nearest_name(id, ids);
    const std::string at = where.empty() ? "" : where + ": ";
    fail_in(404, "unknown_ruleset",
            at + "unknown ruleset \"" + id + "\"" + (near.empty() ? "" : " (did you mean \"" + near + "\"?)"),
            at + "ruleset \"" + id + "\" tidak dikenal" + (near.empty() ? "" : " (maksud Anda \"" + near + "\"?)"));
  }
  [[noreturn]] static void unknown_org(const snapshot& s, const std::string& id) {
    std::vector<std::string> ids;
    for (const auto& [o, _] : s.orgs) ids.push_back(o);
    const auto near = nearest_name(id, ids);
    fail_in(404, "unknown_org",
            "unknown org \"" + id + "\"" + (near.empty() ? "" : " (did you mean \"" + near + "\"?)"),
            "org \"" + id + "\" tidak dikenal" + (near.empty() ? "" : " (maksud Anda \"" + near + "\"?)"));
  }

  static lang language_of(const httplib::Request& req) {
    const auto l = param(req, "lang");
    if (l == "en") return lang::en;
    if (!l.empty() && l != "id") fail_in(400, "bad_parameter", "lang: must be id or en", "lang: harus id atau en");
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
    if (!o.org) unknown_org(s, org_id);
    return o;
  }

  // The evaluator for ruleset `id` (empty: the default) over the request's org.
  static target resolve(const snapshot& s, const request_options& o, std::string id, const std::string& where) {
    if (id.empty()) id = o.ruleset.empty() ? s.default_ruleset : o.ruleset;
    target t;
    t.rules = s.ruleset(id);
    if (!t.rules) unknown_ruleset(s, id, where);
    auto g = o.org->graphs.find(id);
    if (g == o.org->graphs.end()) {
      const auto& errors = o.org->errors.at(id);
      const std::string first = errors.items().empty() ? "" : ": " + errors.items().front().path_line(o.error_language);
      fail_in(400, "org_invalid_for_ruleset",
              "org \"" + o.org->id + "\" does not load under ruleset \"" + id + "\"" + first,
              "org \"" + o.org->id + "\" tidak dapat dimuat dengan ruleset \"" + id + "\"" + first,
              load_errors_json(errors, o.error_language));
    }
    t.ev.emplace(t.rules->rules, g->second, o.trace);
    t.language = o.language;
    return t;
  }

  static std::string ruleset_field(const json& q, const std::string& where) {
    if (!q.is_object() || !q.contains("ruleset")) return "";
    if (!q["ruleset"].is_string()) {
      fail_in(400, "bad_query", where + "ruleset: must be a ruleset id (a string)",
              where + "ruleset: harus berupa id ruleset (string)");
    }
    return q["ruleset"].get<std::string>();
  }

  decision_record record_of(const decision& d, const target& t, const request_options& o, std::string id,
                            std::string query, std::string result) const {
    return {std::move(id), now_ms(),       t.rules->rules->header.id,           t.rules->sha256,  o.org->id,
            o.org->hash,   o.org->version, std::string(outcome_name(d.result)), std::move(query), std::move(result)};
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
    return json_input::dump(j);
  }

  void check(const call& c, httplib::Response& res) {
    const auto s = current();  // this request's snapshot, whatever reloads happen meanwhile
    const auto o = options_of(c.http, *s);
    const json body = parse_json(c.body);
    const bool batch = body.is_array();
    if (batch && body.empty())
      fail_in(400, "bad_query", "an empty array holds no query", "array kosong tidak memuat kueri");
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
      records.push_back(record_of(decisions[i].first, *decisions[i].second, o, id,
                                  json_input::dump(batch ? body[i] : body), std::move(result)));
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
      if (!body.is_object()) {
        fail_in(400, "bad_query", "the body of an audit must be a JSON object (or empty)",
                "isi permintaan audit harus berupa objek JSON (atau kosong)");
      }
      rid = ruleset_field(body, "");
      if (!rid.empty()) q["ruleset"] = rid;
    }
    const auto t = resolve(*s, o, rid, rid.empty() ? "" : "ruleset");
    const auto d = t.ev->audit();
    auto id = log_.next_id();
    auto result = decision_text(d, t, id);
    std::vector<decision_record> records;
    records.push_back(record_of(d, t, o, std::move(id), json_input::dump(q), std::move(result)));
    commit_and_reply(res, std::move(records), false);
  }

  // GET /v1/audit/report?org=&ruleset=&lang=&format=html|xlsx|pdf: the
  // audit as the document `perwal report` writes. The audit is logged like
  // POST /v1/audit's; its id is in the X-Perwal-Decision-Id header.
  void audit_report(const call& c, httplib::Response& res) {
    const auto s = current();
    const auto o = options_of(c.http, *s);
    const std::string format = c.http.has_param("format") ? param(c.http, "format") : "html";
    if (format != "html" && format != "xlsx" && format != "pdf") {
      fail(400, "bad_format", "format must be html, xlsx or pdf");
    }
    const auto t = resolve(*s, o, "", "ruleset");
    const auto d = t.ev->audit();
    const auto& org = t.ev->org();
    const auto r = report::build(d, *t.rules->rules, org, o.language, report::today());
    std::string body, type;
    if (format == "html") {
      body = report::to_html(r, org, report::html_options_for(org));
      type = "text/html; charset=utf-8";
    } else {
      // Both writers write files: a private temporary one, read back and removed.
      const auto dir = std::filesystem::temp_directory_path();
      const auto file = dir / ("perwal-report-" + log_.next_id() + (format == "pdf" ? ".pdf" : ".xlsx"));
      std::string error;
      const bool ok = format == "pdf" ? report::html_to_pdf(report::to_html(r, org, report::html_options_for(org)),
                                                            file.string(), o.language, error)
                                      : report::write_xlsx(r, file.string(), error);
      if (ok) {
        std::ifstream in(file, std::ios::binary);
        std::ostringstream ss;
        ss << in.rdbuf();
        body = ss.str();
      }
      std::error_code ec;
      std::filesystem::remove(file, ec);
      if (!ok) fail(503, "report_unavailable", error);
      type = format == "pdf" ? "application/pdf" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    }
    auto id = log_.next_id();
    auto result = decision_text(d, t, id);
    std::vector<decision_record> records;
    records.push_back(
        record_of(d, t, o, id, json_input::dump(json{{"type", "audit"}, {"report", format}}), std::move(result)));
    log_.append(std::move(records));  // throws (503) when the log cannot be written
    res.set_header("X-Perwal-Decision-Id", id);
    res.set_header("Content-Disposition",
                   "attachment; filename=\"laporan-audit-" + t.rules->rules->header.id + "." + format + "\"");
    res.set_content(std::move(body), type);
  }

  // ---- changes ----

  void put_org(const call& c, httplib::Response& res) {
    const auto& id = c.args[0];
    if (!valid_org_id(id)) {
      fail_in(400, "bad_org_id", "org ids are 1 to 64 letters, digits, '.', '_' or '-'",
              "id org terdiri atas 1 sampai 64 huruf, angka, '.', '_' atau '-'");
    }
    if (id == default_org_id) {
      fail_in(409, "read_only", "org \"default\" is the --org file: edit the file and POST /v1/reload",
              "org \"default\" adalah berkas --org: sunting berkas itu lalu POST /v1/reload");
    }
    std::lock_guard lock(update_mutex_);  // one change at a time; versions follow the order of swaps
    const auto s = current();
    const auto rid = param(c.http, "ruleset").empty() ? s->default_ruleset : param(c.http, "ruleset");
    const auto* r = s->ruleset(rid);
    if (!r) unknown_ruleset(*s, rid);
    diagnostics errors;
    if (!org::org_graph::load(c.body, "org", r->rules->vocab, r->rules->shape, errors)) {
      const lang l = c.http.has_param("lang") ? language_of(c.http) : lang::en;  // as for query errors
      fail_in(400, "bad_org", errors.items().empty() ? "the org does not load" : errors.items().front().path_line(l),
              errors.items().empty() ? "org tidak dapat dimuat" : errors.items().front().path_line(lang::id),
              load_errors_json(errors, l));
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

  void reload(const call&, httplib::Response& res) {
    std::lock_guard lock(update_mutex_);
    build_failure failure;
    auto next = build_snapshot(source_, store_, current().get(), failure);
    if (!next) {
      metrics_.reload(false);
      http_error e{422,
                   "reload_failed",
                   failure.message + "; the previous rulesets and orgs keep serving",
                   failure.diagnostics,
                   json::object(),
                   failure.message + "; ruleset dan org sebelumnya tetap dilayani"};
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

}  // namespace perwal::server::detail
