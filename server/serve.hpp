// `perwal serve`: the decision API for other tools (HTTP/1.1, JSON), built
// on the same compile → org graph → evaluate → to_json path as the CLI.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/common/lang.hpp"
#include "server/store.hpp"
#include "server/tokens.hpp"

namespace CLI {
class App;
}

namespace perwal::server {

struct config {
  std::vector<std::string> rules;  // files or directories of *.perwal
  std::string org_file;            // the default org (id "default")
  std::string default_ruleset;     // empty: the first ruleset loaded
  std::string bind = "127.0.0.1";
  int port = 8181;        // 0: any free port (see port_file)
  std::string port_file;  // written once bound, for scripts and tests
  std::filesystem::path data_dir = "perwal-data";
  std::string store;  // empty: SQLite under data_dir; else a PostgreSQL URL shared by replicas
  std::vector<std::filesystem::path> search_path;  // where `extends` bases are found (the CLI: PERWAL_PATH)
  std::string admin_token;                         // every scope; see tokens
  token_table tokens;                              // --token-file, with the admin token (server/tokens.hpp)
  bool checks_need_token = false;                  // --require-token-for-checks
  std::string tls_cert, tls_key;                   // both or neither: HTTPS
  org_quota quota;                                 // --max-orgs, --max-org-versions, --max-store-bytes
  std::size_t max_body = 16u << 20;
  int read_timeout_s = 10, write_timeout_s = 10, keep_alive_timeout_s = 5;
  std::size_t threads = 0;  // 0: a default from the core count
  log_options log;
};

// `perwal serve`'s options as typed; make_config checks them into a config.
struct serve_args {
  config c;
  std::vector<std::string> rules;
  std::string data, token_file, scoped_token_file, log_sync;
  std::map<std::string, std::vector<std::string>, std::less<>> number_text;  // by option name, as typed
};

// Declares serve's options on a CLI11 (sub)command, bound to `a`.
void add_serve_options(CLI::App& sub, serve_args& a);
// After parsing: the config, or nullopt with `error` set (a bad value, a
// missing option, an unreadable token file).
// Errors are said in `language`.
[[nodiscard]] std::optional<config> make_config(const CLI::App& sub, const serve_args& a, std::string& error,
                                                lang language = lang::en);

// Parses the arguments after `serve` (both of the above). On a usage error
// returns nullopt with `error` set.
[[nodiscard]] std::optional<config> parse_config(int argc, char** argv, std::string& error);

// One route the server answers, for tests that compare the router to server/openapi.json.
struct route_info {
  std::string method;   // GET, POST, PUT
  std::string pattern;  // "/v1/orgs/{id}": a "{…}" segment matches any one segment
  std::string scope;    // the token scope it needs: "" none, "check" (with --require-token-for-checks only),
                        // "read-log", "write-org" or "admin"
};
[[nodiscard]] std::vector<route_info> route_table();

// Runs the server until SIGTERM or SIGINT; returns the process exit status
// (0 after a clean drain, 2 when the configuration or the inputs are bad).
[[nodiscard]] int serve(const config& c);

inline constexpr const char* serve_usage =
    "  perwal serve --rules FILE_OR_DIR... --org ORG.json [--default-ruleset ID] [--bind 127.0.0.1] [--port 8181]\n"
    "               [--port-file FILE] [--data DIR] [--admin-token-file FILE] [--max-body BYTES] [--threads N]\n"
    "               [--read-timeout S] [--write-timeout S] [--log-sync full|normal] [--log-retention-days N]\n"
    "               [--log-max-rows N] [--token-file FILE] [--require-token-for-checks]\n"
    "               [--max-orgs N] [--max-org-versions N] [--max-store-bytes BYTES]\n"
    "               [--tls-cert CERT.pem --tls-key KEY.pem] [--store postgresql://USER@HOST/DB]\n"
    "               # tokens: PUT /v1/orgs needs scope write-org, the decision log read-log, reload admin\n";

}  // namespace perwal::server
