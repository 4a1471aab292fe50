#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <csignal>

// The server tests write to sockets that `perwal serve` may close first (a
// body over --max-body is refused mid-upload): that is an error to check, not
// a signal that kills the test process.
int main(int argc, char* argv[]) {
  std::signal(SIGPIPE, SIG_IGN);
  return Catch::Session().run(argc, argv);
}
