// qpvctl: the command-line client of the quartiers backend. See
// `qpvctl --help`; the commands live in commands_*.cc.
#include <iostream>
#include <string>
#include <vector>

#include "tools/qpvctl/cli.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return qpv::ctl::RunMain(args, std::cout, std::cerr);
}
