// `perwal serve`: the route table, signals, the listener's settings and the
// serve() loop (open the store and log, load the snapshot, listen, drain).
#include "server/serve.hpp"

#include <csignal>

#include "server/api.hpp"

namespace perwal::server {

namespace detail {

const route api::routes[16] = {
    {"GET", "/healthz", &api::healthz},
    {"GET", "/metrics", &api::get_metrics},
    {"GET", "/openapi.json", &api::openapi},
    {"POST", "/v1/check", &api::check, access::check},
    {"POST", "/v1/audit", &api::audit, access::check},
    {"GET", "/v1/audit/report", &api::audit_report, access::check},
    {"GET", "/v1/rulesets", &api::list_rulesets},
    {"GET", "/v1/rulesets/{id}", &api::get_ruleset},
    {"GET", "/v1/rulesets/{id}/schema/{kind}", &api::get_schema},
    {"GET", "/v1/orgs", &api::list_orgs},
    {"GET", "/v1/orgs/{id}", &api::get_org},
    {"PUT", "/v1/orgs/{id}", &api::put_org, access::write_org},
    {"GET", "/v1/decisions", &api::list_decisions, access::read_log},
    {"GET", "/v1/decisions/{id}", &api::get_decision, access::read_log},
    {"GET", "/v1/decisions/{id}/{index}", &api::get_decision, access::read_log},  // a decision of a batch
    {"POST", "/v1/reload", &api::reload, access::admin},
};

}  // namespace detail

std::vector<route_info> route_table() {
  std::vector<route_info> out;
  for (const auto& r : detail::api::routes) {
    std::string needs;
    switch (r.needs) {
      case detail::access::open:
        break;
      case detail::access::check:
        needs = scope_name(scope::check);
        break;
      case detail::access::read_log:
        needs = scope_name(scope::read_log);
        break;
      case detail::access::write_org:
        needs = scope_name(scope::write_org);
        break;
      case detail::access::admin:
        needs = scope_name(scope::admin);
        break;
    }
    out.push_back({r.method, r.pattern, needs});
  }
  return out;
}

namespace {

using namespace detail;

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
  // A client that hangs up while its answer is written must cost that
  // answer, not the server: cpp-httplib sends without MSG_NOSIGNAL.
  std::signal(SIGPIPE, SIG_IGN);
  // A file that may not grow (a quota, RLIMIT_FSIZE) fails the write with
  // EFBIG, which the store reports (503), instead of killing the server.
  std::signal(SIGXFSZ, SIG_IGN);
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
  // cpp-httplib serves a connection on one pool thread for its lifetime,
  // including the time a slow client takes to send its headers (each read
  // waits up to --read-timeout, and a byte resets it). The pool bounds the
  // connections served at once, so it is sized for slow clients, not cores:
  // an idle thread costs its stack's address space, little memory. A
  // slowloris needs more connections than this to starve the server (put a
  // proxy that buffers requests in front for more: docs/security.md).
  const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
  return std::max<std::size_t>(512, 64 * cores);
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
  // SO_REUSEADDR only: cpp-httplib's default also sets SO_REUSEPORT, which
  // lets a second `perwal serve` bind the same port and take half the
  // traffic. The port is this server's alone; a second start fails.
  svr.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
}

}  // namespace

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
    auto opened = open_stores(c.store, c.data_dir, c.quota, c.log);
    store = std::move(opened.orgs);
    log = std::move(opened.log);
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
  // HTTPS with --tls-cert/--tls-key (cpp-httplib's OpenSSL server), else HTTP.
  std::unique_ptr<httplib::Server> server;
  if (!c.tls_cert.empty()) {
    server = std::make_unique<httplib::SSLServer>(c.tls_cert.c_str(), c.tls_key.c_str());
    if (!server->is_valid()) {
      std::cerr << "perwal serve: cannot use " << c.tls_cert << " and " << c.tls_key
                << " as a TLS certificate and its private key (PEM files, the key matching the certificate)\n";
      return 2;
    }
  } else {
    server = std::make_unique<httplib::Server>();
  }
  httplib::Server& svr = *server;
  configure(svr, c);
  handlers.install(svr);
  const int port = c.port == 0 ? svr.bind_to_any_port(c.bind) : (svr.bind_to_port(c.bind, c.port) ? c.port : -1);
  if (port < 0) {
    std::cerr << "perwal serve: cannot listen on " << c.bind << ":" << c.port
              << " (is another server already using that port?)\n";
    return 2;
  }
  if (!c.port_file.empty() && !write_port_file(c.port_file, port)) {
    std::cerr << c.port_file << ": cannot write the port file\n";
    return 2;
  }
  std::cout << "perwal serve: listening on " << (c.tls_cert.empty() ? "http" : "https") << "://" << c.bind << ":"
            << port << std::endl;
  {
    signal_watch signals(svr);
    svr.listen_after_bind();  // returns after stop(), once the pool has finished in-flight requests
  }
  log.reset();  // commits anything queued, then closes the database
  std::cerr << "perwal serve: stopped\n";
  return 0;
}

}  // namespace perwal::server
