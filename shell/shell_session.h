// One run of the shell: msh's command-line options, and the console session they ask for.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <signal.h>

namespace msh
{

struct ShellOptions
{
    const char *commands = nullptr; // -c or -e
    bool then_interactive = false;  // -e
    const char *script = nullptr;
    int log_level = -1; // -v, -q; -1 leaves it
    bool quiet = false; // -q: no banner either
};

/** SIGINT, SIGWINCH, SIGTERM and SIGHUP: what the shell handles through a signalfd. */
sigset_t shell_signals();
/** Blocks them in the calling thread, before it starts any other: threads inherit the mask,
 *  so the signals reach the shell alone. Ignores SIGPIPE, which a board does not have. */
void block_shell_signals();

/** Makes the calling thread the console thread ("tshell") as the kernel lists it: FINSH's
 *  name, priority, stack size and time slice, its stack measured for ps. */
void adopt_console_thread();

/** Reads msh's options; -1 to go on, else the exit status (usage printed, or an error).
 *  --stack takes effect here, before any server or socket of the program exists. */
int parse_options(int argc, char **argv, ShellOptions &options);

/**
 * Runs the session the options ask for: the built-in commands, the console (interactive with
 * line editing on a terminal, else -c, a script or standard input), then the msh_at_exit
 * functions. Returns the exit status: 0, or 1 when a command failed (not interactive).
 */
int run_shell(const ShellOptions &options);

} // namespace msh
