// The CLI's commands: each parses its flags, calls the library, prints. Exit status: 0
// success; bad input throws InputError or a Boost.Program_Options error (main: exit 2).
#pragma once

namespace extrasim::cli {

int command_run(int argc, char** argv);
int command_expected(int argc, char** argv);
int command_validate(int argc, char** argv);
int command_compare(int argc, char** argv);
int command_report(int argc, char** argv);
int command_bonus(int argc, char** argv);
int command_tax(int argc, char** argv);
int command_sweep(int argc, char** argv);
int command_sensitivity(int argc, char** argv);
int command_serve(int argc, char** argv);
int command_calibrate(int argc, char** argv);

}  // namespace extrasim::cli
