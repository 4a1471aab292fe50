// What the server tests share: a `perwal serve` child process on 127.0.0.1
// (a free port read from --port-file, always killed at the end of a test),
// temporary folders, JSON requests and error checks.
#pragma once

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "test_support.hpp"

namespace server_testing {

namespace fs = std::filesystem;
using json = nlohmann::json;
using namespace std::chrono_literals;

// Generous everywhere: the suite runs on a loaded 2-core machine, under sanitizers too.
constexpr auto startup_limit = 90s;
constexpr auto exit_limit = 60s;

inline const std::string pp_rules = "rulesets/padang-panjang-48-2024.perwal";
inline const std::string pp_org = "fixtures/padang-panjang/org.json";
inline const std::string analis_query = R"({"type": "kedudukan", "position": "pp.bag-org.analis-1"})";

inline fs::path repo(const std::string& relative) {
  return perwal::testing::source_dir() / relative;
}

// A fresh directory per use, removed at the end of the test.
struct temp_dir {
  fs::path path;
  temp_dir() {
    std::random_device rd;
    path = fs::temp_directory_path() /
           ("perwal-server-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(path);
  }
  ~temp_dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
};

inline void write_file(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

// One `perwal serve` child. The destructor kills it (SIGKILL) if it still runs.
class server_process {
 public:
  // `with_token` false: no admin token is added (the server's own defaults).
  server_process(const fs::path& dir, std::vector<std::string> extra, std::vector<std::string> env = {},
                 bool with_token = true)
      : dir_(dir), port_file_(dir / ("port-" + std::to_string(++starts_))) {
    std::vector<std::string> args = {PERWAL_BINARY, "serve",
                                     "--bind",      "127.0.0.1",
                                     "--port",      "0",
                                     "--port-file", port_file_.string(),
                                     "--data",      (dir / "data").string()};
    // Every test server has an admin token, and client() sends it: uploads
    // and the decision log need one. A test may name its own token file.
    const auto own = std::find(extra.begin(), extra.end(), "--admin-token-file");
    if (own != extra.end() && own + 1 != extra.end()) {
      token_ = perwal::testing::slurp(*(own + 1));
      token_.erase(token_.find_last_not_of(" \r\n") + 1);
    } else if (!with_token) {
      token_.clear();
    } else {
      const auto file = dir / ("admin-token-" + std::to_string(starts_));
      std::ofstream(file) << token_ << "\n";
      args.insert(args.end(), {"--admin-token-file", file.string()});
    }
    tls_ = std::find(extra.begin(), extra.end(), "--tls-cert") != extra.end();
    args.insert(args.end(), extra.begin(), extra.end());
    log_ = dir / ("server-" + std::to_string(starts_) + ".log");
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) exec_child(args, env);
    try {
      wait_ready();
    } catch (...) {
      kill_child();  // the destructor does not run for a constructor that throws
      throw;
    }
  }
  ~server_process() { kill_child(); }
  server_process(const server_process&) = delete;
  server_process& operator=(const server_process&) = delete;

  [[nodiscard]] int port() const { return port_; }
  // A client that presents the admin token.
  [[nodiscard]] httplib::Client client() const {
    auto c = anonymous_client();
    if (!token_.empty()) c.set_bearer_token_auth(token_.c_str());
    return c;
  }
  // A client without a token.
  [[nodiscard]] httplib::Client anonymous_client() const {
    // (HTTPS for a server given --tls-cert: its self-signed certificate is not verified)
    httplib::Client c((tls_ ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(port_));
    if (tls_) c.enable_server_certificate_verification(false);
    c.set_connection_timeout(30, 0);
    c.set_read_timeout(60, 0);
    c.set_write_timeout(60, 0);
    return c;
  }
  [[nodiscard]] std::string log() const { return perwal::testing::slurp(log_); }

  // Sends `sig` and waits for the exit; returns the exit status (-1: killed by a signal or no exit in time).
  int stop(int sig) {
    ::kill(pid_, sig);
    const auto deadline = std::chrono::steady_clock::now() + exit_limit;
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) return -1;  // the destructor kills it
      std::this_thread::sleep_for(20ms);
    }
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  [[noreturn]] void exec_child(const std::vector<std::string>& args, const std::vector<std::string>& env) {
    // Dies with the test process, even one that aborts (a sanitizer report) before its destructors run.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() == 1) ::_exit(127);
    if (::chdir(perwal::testing::source_dir().c_str()) != 0) ::_exit(127);
    std::FILE* out = std::fopen(log_.c_str(), "w");
    if (!out) ::_exit(127);
    ::dup2(::fileno(out), 1);
    ::dup2(::fileno(out), 2);
    for (const auto& e : env) {
      // "RLIMIT_FSIZE=BYTES" is for the harness: the largest file the server
      // may write (a full disk, as the server meets it), not an environment variable.
      if (e.rfind("RLIMIT_FSIZE=", 0) == 0) {
        const rlimit limit{std::stoul(e.substr(13)), std::stoul(e.substr(13))};
        ::setrlimit(RLIMIT_FSIZE, &limit);
        continue;
      }
      ::putenv(const_cast<char*>(e.c_str()));
    }
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }

  // Ready once the port file exists and /healthz answers.
  void wait_ready() {
    const auto deadline = std::chrono::steady_clock::now() + startup_limit;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        FAIL("perwal serve exited early:\n" << log());
      }
      if (port_ == 0 && fs::exists(port_file_)) port_ = std::stoi(perwal::testing::slurp(port_file_));
      if (port_ != 0) {
        auto c = client();
        c.set_connection_timeout(1, 0);
        if (auto r = c.Get("/healthz"); r && r->status == 200) return;
      }
      std::this_thread::sleep_for(50ms);
    }
    FAIL("perwal serve did not become ready:\n" << log());
  }

  void kill_child() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

  static inline int starts_ = 0;
  std::string token_ = "test-admin-token";
  bool tls_ = false;
  fs::path dir_, port_file_, log_;
  pid_t pid_ = -1;
  int port_ = 0;
};

inline std::vector<std::string> pp_args() {
  return {"--rules", pp_rules, "--org", pp_org};
}

inline json parse(const httplib::Result& r) {
  REQUIRE(r);
  INFO(r->body);
  return json::parse(r->body);
}

inline httplib::Result post_json(httplib::Client& c, const std::string& path, const std::string& body) {
  return c.Post(path.c_str(), body, "application/json");
}

// The CLI's JSON output for `args` (run from the repository root).
inline json cli_json(const std::string& args) {
  const std::string cmd = "cd '" + perwal::testing::source_dir().string() + "' && PERWAL_PATH= '" PERWAL_BINARY "' " +
                          args + " --format json 2>/dev/null";
  FILE* pipe = ::popen(cmd.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  std::array<char, 65536> buf{};
  std::size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  ::pclose(pipe);
  return json::parse(out);
}

inline json without_id(json d) {
  d.erase("decision_id");
  return d;
}

// The Padang Panjang golden queries: the good ones, and the bad ones with the error they expect.
struct golden_set {
  json good = json::array();
  std::vector<std::pair<json, std::string>> bad;
};

inline golden_set golden_queries() {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(repo("tests/golden/padang-panjang"))) {
    if (e.path().extension() == ".json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  golden_set out;
  for (const auto& f : files) {
    const auto doc = json::parse(perwal::testing::slurp(f));
    if (!doc.contains("query") || (doc.contains("org") && !doc["org"].is_null())) continue;
    if (doc["expect"].value("decision", "") == "bad_query") {
      out.bad.emplace_back(doc["query"], doc["expect"]["error"].get<std::string>());
    } else {
      out.good.push_back(doc["query"]);
    }
  }
  return out;
}

// A TCP connection to 127.0.0.1:port, or -1.
inline int connect_local(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// A shell command's exit status and merged output.
inline std::pair<int, std::string> shell(const std::string& command) {
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), static_cast<int>(buf.size()), pipe)) out += buf.data();
  const int raw = ::pclose(pipe);
  return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, out};
}

inline void expect_error(const httplib::Result& r, int status, const std::string& code,
                         const std::string& message_part) {
  REQUIRE(r);
  INFO(r->body);
  CHECK(r->status == status);
  CHECK(r->get_header_value("Content-Type") == "application/json");
  const auto j = json::parse(r->body);
  CHECK(j["error"] == code);
  CHECK(j["status"] == status);
  CHECK_THAT(j["message"].get<std::string>(), Catch::Contains(message_part));
}

}  // namespace server_testing

using namespace server_testing;  // NOLINT: the tests use these names plainly
