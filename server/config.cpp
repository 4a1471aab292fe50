// `perwal serve` options: the command line (and PERWAL_ADMIN_TOKEN) into a
// server config, with a clear message for every bad value.
#include <CLI/CLI.hpp>

#include "server/http_util.hpp"
#include "server/serve.hpp"

namespace perwal::server {

namespace {

using namespace detail;

bool parse_number(const std::string& text, long long min, long long max, long long& out) {
  try {
    std::size_t used = 0;
    out = std::stoll(text, &used);
    return used == text.size() && out >= min && out <= max;
  } catch (const std::exception&) {
    return false;
  }
}

// The whole-number options: name, unit, help, range, and where each goes.
struct number_option {
  const char* name;
  const char* unit;
  const char* help;
  long long min, max;
  void (*set)(config&, long long);
};

const number_option serve_numbers[] = {
    {"--port", "PORT", "the port (default 8181; 0: any free port)", 0, 65535,
     [](config& c, long long v) { c.port = static_cast<int>(v); }},
    {"--max-orgs", "N", "orgs the store keeps (quota)", 0, 1000000,
     [](config& c, long long v) { c.quota.max_orgs = v; }},
    {"--max-org-versions", "N", "versions kept per org (quota)", 1, 1000000,
     [](config& c, long long v) { c.quota.max_versions = v; }},
    {"--max-store-bytes", "BYTES", "bytes the store keeps (quota)", 1, 1LL << 50,
     [](config& c, long long v) { c.quota.max_bytes = v; }},
    {"--max-body", "BYTES", "the largest request body", 1, 1LL << 32,
     [](config& c, long long v) { c.max_body = static_cast<std::size_t>(v); }},
    {"--threads", "N", "worker threads (default: from the core count)", 1, 4096,
     [](config& c, long long v) { c.threads = static_cast<std::size_t>(v); }},
    {"--read-timeout", "S", "seconds to read a request", 1, 3600,
     [](config& c, long long v) { c.read_timeout_s = static_cast<int>(v); }},
    {"--write-timeout", "S", "seconds to write a response", 1, 3600,
     [](config& c, long long v) { c.write_timeout_s = static_cast<int>(v); }},
    {"--log-retention-days", "N", "days the decision log keeps (0: all)", 0, 100000,
     [](config& c, long long v) { c.log.retention_days = static_cast<int>(v); }},
    {"--log-max-rows", "N", "rows the decision log keeps (0: all)", 0, 1LL << 62,
     [](config& c, long long v) { c.log.max_rows = v; }},
};

}  // namespace

void add_serve_options(CLI::App& sub, serve_args& a) {
  // Every following argument up to the next option is a ruleset file or directory.
  sub.add_option("--rules", a.rules, "ruleset files, folders of *.perwal, or bundled ids")
      ->type_name("FILE_OR_DIR...")
      ->expected(1, -1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  sub.add_option("--org", a.c.org_file, "the default org (id \"default\")")->type_name("ORG.json");
  sub.add_option("--default-ruleset", a.c.default_ruleset, "the ruleset of requests that name none")->type_name("ID");
  sub.add_option("--bind", a.c.bind, "the address to listen on (default 127.0.0.1)")->type_name("ADDR");
  sub.add_option("--port-file", a.c.port_file, "written once bound, with the port")->type_name("FILE");
  sub.add_option("--data", a.data, "the store and the decision log (default perwal-data)")->type_name("DIR");
  sub.add_option("--admin-token-file", a.token_file, "the admin token (else PERWAL_ADMIN_TOKEN)")->type_name("FILE");
  sub.add_option("--token-file", a.scoped_token_file, "scoped tokens, one per line")->type_name("FILE");
  sub.add_flag("--require-token-for-checks", a.c.checks_need_token, "checks need a token too");
  sub.add_option("--tls-cert", a.c.tls_cert, "HTTPS: the certificate (PEM)")->type_name("CERT.pem");
  sub.add_option("--tls-key", a.c.tls_key, "HTTPS: its private key (PEM)")->type_name("KEY.pem");
  sub.add_option("--store", a.c.store,
                 "orgs and the decision log in PostgreSQL, shared by replicas (default: SQLite under --data)")
      ->type_name("URL");
  sub.add_option("--log-sync", a.log_sync, "full (survives power loss) or normal")->type_name("full|normal");
  for (const auto& n : serve_numbers) {
    // Every value given is checked (a bad one is not hidden by a later good one); the last counts.
    sub.add_option(n.name, a.number_text[n.name], n.help)
        ->type_name(n.unit)
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  }
}

std::optional<config> make_config(const CLI::App& sub, const serve_args& a, std::string& error, lang language) {
  const bool en = language == lang::en;
  config c = a.c;
  for (const auto& n : serve_numbers) {
    const auto given = a.number_text.find(n.name);
    if (given == a.number_text.end()) continue;
    for (const auto& text : given->second) {
      long long v = 0;
      if (!parse_number(text, n.min, n.max, v)) {
        error = std::string(n.name) + (en ? " must be a whole number from " : " harus bilangan bulat ") +
                std::to_string(n.min) + (en ? " to " : " sampai ") + std::to_string(n.max);
        return std::nullopt;
      }
      n.set(c, v);
    }
  }
  c.rules = a.rules;
  if (sub.count("--data") > 0) c.data_dir = a.data;
  if (sub.count("--log-sync") > 0) {
    if (a.log_sync != "full" && a.log_sync != "normal") {
      error = en ? "--log-sync must be full or normal" : "--log-sync harus full atau normal";
      return std::nullopt;
    }
    c.log.full_sync = a.log_sync == "full";
  }
  if (!c.store.empty() && !is_postgres_url(c.store)) {
    error =
        "--store must be a PostgreSQL URL (postgresql://USER@HOST:PORT/DB); without it the SQLite files under "
        "--data are used";
    return std::nullopt;
  }
  const std::string& token_file = a.token_file;
  const std::string& scoped_token_file = a.scoped_token_file;
  if (c.tls_cert.empty() != c.tls_key.empty()) {
    error = en ? "--tls-cert and --tls-key go together (a certificate and its private key, PEM)"
               : "--tls-cert dan --tls-key harus bersama (sertifikat dan kunci privatnya, PEM)";
    return std::nullopt;
  }
  if (c.rules.empty() || c.org_file.empty()) {
    error = en ? "serve needs --rules and --org" : "serve memerlukan --rules dan --org";
    return std::nullopt;
  }
  for (auto& r : c.rules) {  // a bundled ruleset's id stands for its file
    auto path = find_ruleset(r, error, language);
    if (!path) return std::nullopt;
    r = *path;
  }
  if (!token_file.empty()) {
    auto t = read_file(token_file);
    if (!t || trim(*t).empty()) {
      error = token_file +
              (en ? ": cannot read an admin token from this file" : ": token admin tidak dapat dibaca dari berkas ini");
      return std::nullopt;
    }
    c.admin_token = trim(*t);
  } else if (const char* env = std::getenv("PERWAL_ADMIN_TOKEN")) {
    c.admin_token = trim(env);
  }
  if (!scoped_token_file.empty()) {
    auto table = token_table::read(scoped_token_file, error);
    if (!table) return std::nullopt;
    c.tokens = std::move(*table);
  }
  c.tokens.set_admin(c.admin_token);
  return c;
}

std::optional<config> parse_config(int argc, char** argv, std::string& error) {
  CLI::App app("", "serve");
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  serve_args a;
  add_serve_options(app, a);
  try {
    app.parse(argc, argv);  // (the arguments after `serve`)
  } catch (const CLI::ParseError& e) {
    error = e.what();
    return std::nullopt;
  }
  if (!app.remaining().empty()) {
    error = "unknown option " + app.remaining().front();
    return std::nullopt;
  }
  return make_config(app, a, error);
}

}  // namespace perwal::server
