// msh: the command table, the line splitter and the executor, as RT-Thread's finsh/msh has them.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <rtthread.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace msh
{

inline constexpr std::size_t kMaxLineLength = 4096;
inline constexpr std::size_t kMaxArguments = FINSH_ARG_MAX;

struct Command
{
    std::string name;
    std::string description;
    msh_cmd_t function;
};

/** Every registered command, sorted by name. */
std::vector<Command> commands();
/** A copy of the command named `name`: commands may be registered meanwhile. */
std::optional<Command> find(std::string_view name);

enum class SplitError
{
    none,
    unterminated_quote,
    too_many_arguments,
};

struct Split
{
    std::vector<std::string> arguments;
    SplitError error = SplitError::none;
};

/**
 * Splits one command into arguments at blanks (space, tab, CR, LF). Double or single quotes keep
 * blanks inside one argument; a backslash takes the next character as it is.
 */
Split split(std::string_view line);

/** Splits a line into commands at every ';' outside quotes. */
std::vector<std::string> split_commands(std::string_view line);

/** `text` with bytes that are not printable ASCII shown as \xNN, for messages. */
std::string printable(std::string_view text);

/**
 * Runs every command on the line (separated by ';'). Problems get one line on the console:
 * "NAME: command not found.", a line too long, too many arguments, an unclosed quote, or a
 * command's non-zero return when it printed nothing to say why. Returns 0 when every command
 * succeeded, else the last failure's status (never 0).
 *
 * The argv strings of the line's commands stay valid, unchanged, until this thread executes
 * the next line: as on a board, a thread a command started may read them after it returned.
 */
int execute(std::string_view line);

/** Asks the shell to leave (the exit command). */
void request_exit();
bool exit_requested();
/** Runs and forgets the functions given to msh_at_exit(), last first. */
void run_exit_hooks();

/** Adds the shell's own commands: help, version, exit, loglevel, ifconfig, and the kernel's. */
void register_builtins();
/** Adds ps, list_thread, list_sem, list_mutex, list_event, list_mailbox, list_msgqueue,
 *  list_mempool, list_timer and free. */
void register_kernel_commands();
/** Adds list_device and date. */
void register_device_commands();

} // namespace msh
