// `perwal serve` options: the command line (and PERWAL_ADMIN_TOKEN) into a
// server config, with a clear message for every bad value.
#include "server/http_util.hpp"

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

}  // namespace

std::optional<config> parse_config(int argc, char** argv, std::string& error) {
  config c;
  std::string token_file, scoped_token_file;
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
    } else if (a == "--token-file") {
      ok = value(scoped_token_file);
    } else if (a == "--require-token-for-checks") {
      c.checks_need_token = true;
    } else if (a == "--tls-cert") {
      ok = value(c.tls_cert);
    } else if (a == "--tls-key") {
      ok = value(c.tls_key);
    } else if (a == "--max-orgs") {
      ok = number(0, 1000000, c.quota.max_orgs);
    } else if (a == "--max-org-versions") {
      ok = number(1, 1000000, c.quota.max_versions);
    } else if (a == "--max-store-bytes") {
      ok = number(1, 1LL << 50, c.quota.max_bytes);
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
  if (c.tls_cert.empty() != c.tls_key.empty()) {
    error = "--tls-cert and --tls-key go together (a certificate and its private key, PEM)";
    return std::nullopt;
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
  if (!scoped_token_file.empty()) {
    auto table = token_table::read(scoped_token_file, error);
    if (!table) return std::nullopt;
    c.tokens = std::move(*table);
  }
  c.tokens.set_admin(c.admin_token);
  return c;
}

}  // namespace perwal::server
