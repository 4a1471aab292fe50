// Internal to server/: the decision API — its routes and handlers (checks,
// audits, the decision log, orgs, rulesets, reload, health and metrics) over
// the current immutable snapshot. Included by serve.cpp only.
#pragma once

#include <filesystem>
#include <fstream>
#include <set>
#include <span>
#include <sstream>

#include "engine/common/spelling.hpp"
#include "engine/compile/json_schema.hpp"
#include "engine/eval/simple_batch.hpp"
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
  bool quote = false;  // ?quote=1: the cited articles' words beside each citation
};

class api {
 public:
  // Defined below the class, once every handler is declared; public for
  // route_table() (serve.hpp), which tests compare to server/openapi.json.
  static const route routes[16];

  api(const config& c, snapshot_source source, org_store& store, decision_log& log,
      std::shared_ptr<const snapshot> first)
      : config_(c), source_(std::move(source)), store_(store), log_(log), current_(std::move(first)) {
    metrics_.set_generation(current()->generation);
    // Replicas sharing a store (PostgreSQL) apply each other's uploads and reloads.
    watch_ = store_.watch([this](const store_change& change) { apply_change(change); });
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
    // "/v1/decisions/BATCH/INDEX": a decision of a batch record.
    const auto id = c.args.size() == 2 ? c.args[0] + "/" + c.args[1] : c.args[0];
    const auto r = log_.find(id);
    if (!r) {
      fail_in(404, "unknown_decision", "no decision \"" + id + "\" in the log",
              "tidak ada keputusan \"" + id + "\" dalam log");
    }
    json j = {{"decision_id", r->id},    {"time", iso_time(r->time_ms)},
              {"ruleset", r->ruleset},   {"ruleset_hash", r->ruleset_hash},
              {"org", r->org},           {"org_version", r->org_version},
              {"org_hash", r->org_hash}, {"outcome", r->outcome}};
    j["query"] = json::parse(r->query);
    // A batch's results are not logged: its decision is evaluated again, as it was rendered then.
    j["result"] = c.http.has_param("lang") || !r->batch_options.empty() ? rerender(*r, c.http) : json::parse(r->result);
    reply(res, j);
  }

  // GET /v1/decisions?since=&until=&outcome=&rule=&org=&limit=&cursor=: a
  // page of the log in (time, id) order, without the results (GET
  // /v1/decisions/{id} has each); next_cursor continues it, null on the last page.
  void list_decisions(const call& c, httplib::Response& res) {
    const auto& req = c.http;
    const auto bad = [](const std::string& name, const std::string& en, const std::string& id) {
      fail_in(400, "bad_parameter", name + ": " + en, name + ": " + id);
    };
    static const std::vector<std::string> known = {"since", "until", "outcome", "rule",
                                                   "org",   "limit", "cursor",  "lang"};
    for (const auto& [name, _] : req.params) {
      if (std::find(known.begin(), known.end(), name) != known.end()) continue;
      const auto near = nearest_name(name, known);
      bad(name, "not a parameter of this listing" + (near.empty() ? "" : " (did you mean \"" + near + "\"?)"),
          "bukan parameter daftar ini" + (near.empty() ? "" : " (maksud Anda \"" + near + "\"?)"));
    }
    decision_filter f;
    for (const char* name : {"since", "until"}) {
      if (!req.has_param(name)) continue;
      const auto text = param(req, name);
      const auto ms = parse_time(text);
      if (!ms) {
        bad(name, "not a date or a time with its zone: \"" + text + "\" (2026-12-05, 2026-12-05T08:30:00Z)",
            "bukan tanggal atau waktu dengan zonanya: \"" + text + "\" (2026-12-05, 2026-12-05T08:30:00+07:00)");
      }
      (std::string(name) == "since" ? f.since_ms : f.until_ms) = ms;
    }
    if (f.since_ms && f.until_ms && *f.until_ms <= *f.since_ms)
      bad("until", "must be later than since", "harus sesudah since");
    if (req.has_param("outcome")) {
      f.outcome = param(req, "outcome");
      static const std::vector<std::string> outcomes = {"allowed", "denied", "incomplete"};
      if (std::find(outcomes.begin(), outcomes.end(), f.outcome) == outcomes.end()) {
        const auto near = nearest_name(f.outcome, outcomes);
        bad("outcome",
            "must be allowed, denied or incomplete" + (near.empty() ? "" : " (did you mean \"" + near + "\"?)"),
            "harus allowed, denied atau incomplete" + (near.empty() ? "" : " (maksud Anda \"" + near + "\"?)"));
      }
    }
    if (req.has_param("rule")) {
      f.rule = param(req, "rule");
      if (f.rule.empty() || f.rule.size() > 200) bad("rule", "must be a rule id", "harus berupa id aturan");
    }
    if (req.has_param("org")) {
      f.org = param(req, "org");
      if (!valid_org_id(f.org)) bad("org", "not an org id: \"" + f.org + "\"", "bukan id org: \"" + f.org + "\"");
    }
    if (req.has_param("limit")) {
      const auto text = param(req, "limit");
      std::size_t used = 0;
      long long n = 0;
      try {
        n = std::stoll(text, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used == 0 || used != text.size() || n < 1) {
        bad("limit", "must be a whole number from 1 (at most " + std::to_string(max_page_rows) + " are given)",
            "harus bilangan bulat mulai 1 (paling banyak " + std::to_string(max_page_rows) + " diberikan)");
      }
      f.limit = static_cast<std::size_t>(std::min<long long>(n, max_page_rows));
    }
    if (req.has_param("cursor") && !read_cursor(param(req, "cursor"), f)) {
      bad("cursor", "not a cursor of this listing (pass next_cursor as it was given)",
          "bukan kursor daftar ini (kirim next_cursor apa adanya)");
    }
    const auto page = log_.list(f);
    std::string body = "{\"decisions\":[";
    for (std::size_t i = 0; i < page.rows.size(); ++i) {
      const auto& r = page.rows[i];
      json j = {{"decision_id", r.id},    {"time", iso_time(r.time_ms)},
                {"ruleset", r.ruleset},   {"ruleset_hash", r.ruleset_hash},
                {"org", r.org},           {"org_version", r.org_version},
                {"org_hash", r.org_hash}, {"outcome", r.outcome},
                {"rules", r.rules}};
      auto text = json_input::dump(j);
      text.pop_back();
      body += (i ? "," : "") + text + ",\"query\":" + r.query + "}";  // the logged query as logged
    }
    body += "],\"limit\":" + std::to_string(f.limit) +
            ",\"next_cursor\":" + (page.more ? "\"" + page_cursor(page.rows.back()) + "\"" : std::string("null")) + "}";
    res.set_content(body, "application/json");
  }

  // A logged decision in the language asked for. Evaluation is a pure
  // function of (ruleset, org, query): the logged query is evaluated again
  // against the identical ruleset (content hash) and org version, and the
  // decision rendered in that language. When either has changed since, the
  // decision as sent is all there is (409).
  json rerender(const decision_record& r, const httplib::Request& req) {
    const auto s = current();
    const bool batched = !r.batch_options.empty();
    // A batched decision: the options of its request ("lang=id trace=0 quote=0"), unless ?lang= asks otherwise.
    const auto option = [&](const std::string& name) {
      const auto at = (" " + r.batch_options).find(" " + name + "=");
      return at == std::string::npos ? std::string() : r.batch_options.substr(at + name.size() + 1, 1);
    };
    const auto language = req.has_param("lang") || !batched ? language_of(req)
                          : option("lang") == "e"           ? lang::en
                                                            : lang::id;
    const auto* rules = s->ruleset(r.ruleset);
    const auto* org = s->org(r.org);
    if (!rules || rules->sha256 != r.ruleset_hash || !org || org->version != r.org_version) {
      if (batched) {
        fail_in(409, "decision_stale",
                "ruleset \"" + r.ruleset + "\" or org \"" + r.org +
                    "\" changed since this batch was logged; a batch logs its queries and outcomes (see GET "
                    "/v1/decisions), not its results, so this result cannot be given again",
                "ruleset \"" + r.ruleset + "\" atau org \"" + r.org +
                    "\" berubah sejak batch ini dicatat; batch mencatat kueri dan hasil akhirnya (lihat GET "
                    "/v1/decisions), bukan keputusannya, sehingga keputusan ini tidak dapat diberikan lagi");
      }
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
    const json sent = batched ? json::object() : json::parse(r.result);
    const bool traced = batched ? option("trace") == "1" : sent.contains("trace") && !sent["trace"].empty();
    const evaluator ev(rules->rules, g->second, traced);
    diagnostics errors;
    const json q = json::parse(r.query);
    const bool audit = q.value("type", "") == "audit";
    const auto d = audit ? std::optional<decision>(ev.audit()) : ev.check(q, errors);
    if (!d || outcome_name(d->result) != r.outcome) {
      fail_in(500, "decision_mismatch", "the logged query no longer gives the logged decision",
              "kueri yang dicatat tidak lagi menghasilkan keputusan yang dicatat");
    }
    // Quoted as it was sent: a decision sent with ?quote=1 has "quote" in its findings or steps.
    bool quoted = batched && option("quote") == "1";
    for (const auto* list : {"violations", "warnings", "needs", "next"}) {
      if (sent.contains(list) && sent[list].is_array() && !sent[list].empty() && sent[list][0].contains("quote"))
        quoted = true;
    }
    json out = to_json(*d, {*rules->rules, *g->second, language, quoted});
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
    bool quote = false;   // ?quote=1
    std::string ruleset;  // ?ruleset=, empty: default
    const org_entry* org = nullptr;
  };

  static request_options options_of(const httplib::Request& req, const snapshot& s) {
    request_options o;
    o.language = language_of(req);
    if (req.has_param("lang")) o.error_language = o.language;
    const auto t = param(req, "trace");
    o.trace = t == "1" || t == "true";
    const auto q = param(req, "quote");
    o.quote = q == "1" || q == "true";
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
    t.quote = o.quote;
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
    // The rules the decision cites, as rules_cited() reads them from its JSON.
    std::set<std::string> rules;
    for (const auto* list : {&d.violations, &d.warnings, &d.needs}) {
      for (const auto& f : *list) rules.insert(f.rule->name);
    }
    for (const auto& n : d.next) rules.insert(n.step->info.name);
    return {std::move(id),
            now_ms(),
            t.rules->rules->header.id,
            t.rules->sha256,
            o.org->id,
            o.org->hash,
            o.org->version,
            std::string(outcome_name(d.result)),
            std::move(query),
            std::move(result),
            {rules.begin(), rules.end()}};
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

  // A batch is logged as one record (decision_record::batch_size): the body
  // as received, one outcome letter per decision, the rulesets and the rules
  // cited; its decisions are "ID/0" … "ID/n-1". The decisions are serialised
  // once, into the answer; only then (logged) does the answer go out.
  void log_batch(httplib::Response& res, std::span<const std::pair<decision, const target*>> decisions,
                 const request_options& o, const std::string& body) {
    decision_record b;
    b.id = log_.next_id();
    b.time_ms = now_ms();
    b.org = o.org->id;
    b.org_hash = o.org->hash;
    b.org_version = o.org->version;
    b.outcome = "batch";
    b.query = body;
    b.batch_size = static_cast<std::int64_t>(decisions.size());
    batch_detail detail;
    detail.options = std::string("lang=") + (o.language == lang::en ? "en" : "id") + " trace=" + (o.trace ? "1" : "0") +
                     " quote=" + (o.quote ? "1" : "0");
    std::vector<const target*> rulesets;
    std::map<std::string_view, std::size_t> rule_index;  // names live in the rulesets of this request's snapshot
    std::map<std::string_view, std::uint64_t> outcomes;  // outcome_name's, static
    std::string answer = "[";
    std::string id = b.id + "/";  // of each decision: "ID/INDEX"
    b.outcomes.reserve(decisions.size());
    detail.items.reserve(decisions.size());
    for (std::size_t i = 0; i < decisions.size(); ++i) {
      const auto& [d, t] = decisions[i];
      if (i) answer += ',';
      id.resize(b.id.size() + 1);
      id += std::to_string(i);
      write_json(d, render_context_of(*t), answer, id);
      const auto name = outcome_name(d.result);
      ++outcomes[name];
      b.outcomes += outcome_letter(name);
      batch_detail::item item;
      const auto at = std::find(rulesets.begin(), rulesets.end(), t);
      item.ruleset = static_cast<std::size_t>(at - rulesets.begin());
      if (at == rulesets.end()) rulesets.push_back(t);
      const auto cite = [&](const std::string& rule) {
        const auto k = rule_index.emplace(rule, rule_index.size()).first->second;
        if (std::find(item.rules.begin(), item.rules.end(), k) == item.rules.end()) item.rules.push_back(k);
      };
      for (const auto* list : {&d.violations, &d.warnings, &d.needs}) {
        for (const auto& f : *list) cite(f.rule->name);
      }
      for (const auto& step : d.next) cite(step.step->info.name);
      std::sort(item.rules.begin(), item.rules.end());
      detail.items.push_back(std::move(item));
    }
    answer += ']';
    detail.rules.resize(rule_index.size());
    for (const auto& [rule, k] : rule_index) detail.rules[k] = std::string(rule);
    b.rules.assign(detail.rules.begin(), detail.rules.end());
    std::sort(b.rules.begin(), b.rules.end());
    for (std::size_t k = 0; k < rulesets.size(); ++k) {
      b.ruleset += (k ? "\x1f" : "") + rulesets[k]->rules->rules->header.id;
      b.ruleset_hash += (k ? "\x1f" : "") + rulesets[k]->rules->sha256;
    }
    b.batch = detail.encode();
    std::vector<decision_record> records;
    records.push_back(std::move(b));
    log_.append(std::move(records));  // throws (503) when the log cannot be written: no decision goes out
    for (const auto& [outcome, n] : outcomes) metrics_.decisions(std::string(outcome), n);
    res.set_content(std::move(answer), "application/json");
  }

  static render_context render_context_of(const target& t) {
    return {*t.rules->rules, t.ev->org(), t.language, t.quote};
  }
  static std::string decision_text(const decision& d, const target& t, const std::string& id) {
    std::string text;
    write_json(d, render_context_of(t), text, id);
    return text;
  }

  // At least n decisions (with the target each was decided under) to
  // evaluate a request's queries into: storage the thread keeps from one
  // request to the next (a few thousand decisions at most), whose lists keep
  // their memory, so a kedudukan check then allocates nothing.
  static std::vector<std::pair<decision, const target*>>& kept_decisions(std::size_t n) {
    constexpr std::size_t kept_at_most = 4096;
    thread_local std::vector<std::pair<decision, const target*>> decisions;
    if (decisions.size() > kept_at_most) decisions.resize(kept_at_most);
    if (decisions.size() < n) decisions.resize(n);
    return decisions;
  }

  void check(const call& c, httplib::Response& res) {
    const auto s = current();  // this request's snapshot, whatever reloads happen meanwhile
    const auto o = options_of(c.http, *s);
    if (check_batch_from_text(c, res, *s, o)) return;
    const json body = parse_json(c.body);
    const bool batch = body.is_array();
    if (batch && body.empty())
      fail_in(400, "bad_query", "an empty array holds no query", "array kosong tidak memuat kueri");
    const std::size_t n = batch ? body.size() : 1;
    std::map<std::string, target> targets;
    auto& decisions = kept_decisions(n);
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
      if (it->second.ev->check(q, qerrors, decisions[i].first)) decisions[i].second = &it->second;
      for (const auto& e : qerrors.items()) {
        // The CLI's paths: "steps[2].by", in a batch "[3].steps[2].by".
        const auto& at = e.at.json_path;
        const std::string path = prefix + (at.empty() || prefix.empty() ? "" : ".") + at;
        const std::string message = e.message_text(o.error_language);
        errors.push_back({{"path", path}, {"code", e.code}, {"message", message}});
        if (first_error.empty()) first_error = path.empty() ? message : path + ": " + message;
      }
    }
    // A batch is all or nothing: a client never has to match partial answers to its queries.
    if (!errors.empty()) fail(400, "bad_query", first_error, errors);
    if (batch) {
      log_batch(res, std::span(decisions.data(), n), o, c.body);
      return;
    }
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

  // A batch is read by the batch reader (engine/eval/simple_batch.hpp): its
  // simple queries straight from the body, the others from a tree each. False
  // when the reader declines any of it, or a query does not read, or names an
  // unknown ruleset, or the org does not load under one: then check() reads
  // the batch the general way, which says what is wrong. Answers and log
  // records are the general way's.
  bool check_batch_from_text(const call& c, httplib::Response& res, const snapshot& s, const request_options& o) {
    thread_local simple_batch batch;  // its buffers kept from one request to the next
    if (!batch.parse(c.body) || batch.size() == 0) return false;
    std::map<std::string, target, std::less<>> targets;
    auto& decisions = kept_decisions(batch.size());
    thread_local perwal::query typed;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const auto named = batch.ruleset(i);
      if (!named) return false;
      auto it = targets.find(*named);
      if (it == targets.end()) {
        const std::string id = !named->empty()     ? std::string(*named)
                               : o.ruleset.empty() ? s.default_ruleset
                                                   : o.ruleset;
        if (!s.ruleset(id) || !o.org->graphs.contains(id)) return false;
        it = targets.emplace(std::string(*named), resolve(s, o, std::string(*named), "")).first;
      }
      const target& t = it->second;
      if (batch.read(i, *t.rules->rules, t.ev->org(), typed)) {
        t.ev->evaluate(typed, decisions[i].first);
      } else {  // another query: read from its tree, as the general way would
        const auto tree = batch.tree(i);
        diagnostics errors;
        if (!tree || !t.ev->check(*tree, errors, decisions[i].first)) return false;
      }
      decisions[i].second = &t;
    }
    log_batch(res, std::span(decisions.data(), batch.size()), o, c.body);
    return true;
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
    if (format == "pdf") {  // before the audit: a server without Chromium says so at once
      if (const auto why = report::pdf_unavailable(lang::en); !why.empty()) {
        fail_in(503, "report_unavailable", why, report::pdf_unavailable(lang::id));
      }
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
    try {
      store_.announce_reload();  // the other replicas reload too
    } catch (const store_error& e) {
      std::cerr << "perwal serve: reloaded, but the other replicas were not told: " << e.what() << std::endl;
    }
    reply(res, {{"generation", generation}, {"rulesets", rulesets}, {"orgs", orgs}});
  }

  // Another replica's change, seen in the shared store: its upload installed
  // here (the store's latest version of that org), its reload done here too
  // (from this replica's own files), or, after the watch was cut off,
  // everything built again from the store.
  void apply_change(const store_change& change) {
    std::lock_guard lock(update_mutex_);
    if (change.what != store_change::kind::org) {
      build_failure failure;
      auto next = build_snapshot(source_, store_, current().get(), failure);
      if (!next) {
        std::cerr << "perwal serve: another replica reloaded, but here " << failure.message
                  << "; the previous rulesets and orgs keep serving" << std::endl;
        return;
      }
      metrics_.set_generation(next->generation);
      if (change.what == store_change::kind::reload) metrics_.reload(true);
      current_.store(std::move(next));
      return;
    }
    std::vector<stored_org> stored;
    if (change.org.empty()) {
      stored = store_.latest();
    } else if (auto one = store_.get(change.org, 0)) {
      stored.push_back(std::move(*one));
    }
    for (auto& o : stored) {
      const auto s = current();
      const auto* have = s->org(o.id);
      if (have && have->source == "upload" && have->version >= o.version) continue;
      auto entry = compile_org(*s, o.id, o.version, o.created_ms, "upload",
                               std::make_shared<const std::string>(std::move(o.body)));
      auto next = with_org(*s, std::move(entry));
      metrics_.set_generation(next->generation);
      current_.store(std::move(next));
    }
  }

  const config& config_;
  snapshot_source source_;
  org_store& store_;
  decision_log& log_;
  metrics metrics_;
  std::mutex update_mutex_;
  std::atomic<std::shared_ptr<const snapshot>> current_;
  std::unique_ptr<store_watch> watch_;  // last: stops before what it updates goes away
};

}  // namespace perwal::server::detail
