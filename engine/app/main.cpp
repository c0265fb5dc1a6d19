// daihai command-line program: maps subcommands to the batch layer and exceptions to exit codes.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

int main(int argc, char** argv) {
  CLI::App app{"daihai: water and salt balance of closed lakes"};
  app.set_version_flag("--version", std::string("daihai ") + DAIHAI_VERSION + " (" + DAIHAI_GIT_COMMIT + ")");
  CLI11_PARSE(app, argc, argv);
  return 0;
}
