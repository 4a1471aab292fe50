// The report as PDF (report.hpp): the HTML page printed by headless
// Chromium (Debian's chromium), which honours the page's print CSS. Run as a
// child process with a fresh profile, no network and a time limit.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "engine/common/diagnostic.hpp"
#include "engine/report/report.hpp"

extern char** environ;

namespace perwal::report {

namespace {

namespace fs = std::filesystem;

// A temporary folder removed when it goes out of scope.
struct temp_dir {
  fs::path path;
  temp_dir() {
    std::string tmpl = (fs::temp_directory_path() / "perwal-report-XXXXXX").string();
    if (mkdtemp(tmpl.data()) != nullptr) path = tmpl;
  }
  ~temp_dir() {
    std::error_code ec;
    if (!path.empty()) fs::remove_all(path, ec);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
};

// Runs argv with stdout and stderr discarded; its exit status, or -1 when it
// could not start or ran past `limit` (then it is killed).
int run_quietly(const std::vector<std::string>& args, std::chrono::seconds limit) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // Its own process group: on a timeout the browser's helper processes go too.
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  pid_t pid = -1;
  const int started = posix_spawn(&pid, argv[0], &actions, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (started != 0) return -1;
  const auto deadline = std::chrono::steady_clock::now() + limit;
  int status = 0;
  for (;;) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0) return -1;
    if (std::chrono::steady_clock::now() > deadline) {
      kill(-pid, SIGKILL);
      waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

std::string chromium_path() {
  if (const char* env = std::getenv("PERWAL_CHROMIUM"); env != nullptr && *env != '\0') return env;
  for (const char* p : {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"}) {
    if (access(p, X_OK) == 0) return p;
  }
  return {};
}

std::string pdf_unavailable(lang language) {
  const std::string browser = chromium_path();
  if (browser.empty()) return render_named("report.pdf-no-chromium", language);
  // $PERWAL_CHROMIUM naming nothing runnable is said as such, not as a failed print.
  if (access(browser.c_str(), X_OK) != 0) return render_named("report.pdf-no-chromium", language) + ": " + browser;
  return {};
}

bool html_to_pdf(const std::string& html, const std::string& pdf_path, lang language, std::string& error) {
  if (error = pdf_unavailable(language); !error.empty()) return false;
  const std::string browser = chromium_path();
  // One Chromium at a time (a server's PDF requests wait their turn): each
  // takes hundreds of megabytes and both cores while it prints.
  static std::mutex one_at_a_time;
  const std::lock_guard<std::mutex> turn(one_at_a_time);
  temp_dir dir;
  if (dir.path.empty()) {
    error = render_named("report.pdf-failed", language);
    return false;
  }
  const fs::path page = dir.path / "laporan.html";
  const fs::path out = dir.path / "laporan.pdf";
  {
    std::ofstream f(page, std::ios::binary);
    f << html;
    if (!f) {
      error = render_named("report.pdf-failed", language);
      return false;
    }
  }
  const int status =
      run_quietly({browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                   "--disable-background-networking", "--disable-component-update", "--disable-sync",
                   "--user-data-dir=" + (dir.path / "profile").string(), "--no-pdf-header-footer",
                   "--print-to-pdf=" + out.string(), "file://" + page.string()},
                  std::chrono::seconds(120));
  std::error_code ec;
  if (status != 0 || !fs::exists(out, ec) || fs::file_size(out, ec) == 0) {
    error = render_named("report.pdf-failed", language);
    return false;
  }
  fs::copy_file(out, pdf_path, fs::copy_options::overwrite_existing, ec);
  if (ec) {
    error = pdf_path + ": " + ec.message();
    return false;
  }
  return true;
}

}  // namespace perwal::report
