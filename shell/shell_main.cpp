// The shell's main loop: GNU readline on a terminal (the only file that includes readline),
// plain line reading otherwise.
// SPDX-License-Identifier: Apache-2.0
#include "board.h"
#include "console.h"
#include "leave_signals.h"
#include "msh_core.h"
#include "shell_session.h"

#include <rt/kernel.h>

#include <rtdbg.h>
#include <tcpserver.hpp>
#include <tcpserver_shell.h>

#include <readline/history.h>
#include <readline/readline.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <string>

namespace
{

constexpr const char *kPrompt = "msh />";

const char kUsage[] = "usage: msh [-v | -q] [--stack kernel|lwip] [-c \"cmd; cmd\" | -e \"cmd; cmd\" | script]\n"
                      "  -c CMDS   run the commands, then leave\n"
                      "  -e CMDS   run the commands, then go on interactively\n"
                      "  -v        log debug lines too\n"
                      "  -q        no banner; log warnings and errors only\n"
                      "  --stack kernel|lwip  the default stack of servers and of the\n"
                      "            application's own sockets (else TCPSERVER_STACK, else Kconfig's)\n"
                      "  script    run the commands in the file, then leave\n"
                      "With no command source and standard input not a terminal, runs its lines.\n";

std::string history_path()
{
    if (const char *path = std::getenv("MSH_HISTORY"))
        return path;
    const char *home = std::getenv("HOME");
    return std::string(home ? home : ".") + "/.msh_history";
}

// Watches the leave signals beside the console; commands run marked busy under it.
msh::LeaveSignals *leave_signals = nullptr;

int run_command(std::string_view line)
{
    msh::LeaveSignals::Busy busy(*leave_signals);
    return msh::execute(line);
}

// Waits until `input` is readable (true) or a leave signal came (false).
bool wait_for_input(int input)
{
    pollfd watched[] = {{leave_signals->wake_fd(), POLLIN, 0}, {input, POLLIN, 0}};
    int n;
    do
        n = ::poll(watched, 2, -1);
    while (n < 0 && errno == EINTR);
    return !(watched[0].revents & POLLIN);
}

// Runs the lines read from `input` until its end, exit, or a leave signal; 0 if every command
// succeeded, else 1.
int run_lines(int input)
{
    int status = 0;
    std::string pending;
    char chunk[4096];
    bool end = false;
    while (!msh::exit_requested() && !end)
    {
        if (!wait_for_input(input))
            break;
        ssize_t n = ::read(input, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        end = n <= 0;
        pending.append(chunk, n > 0 ? static_cast<std::size_t>(n) : 0);
        std::size_t start = 0, newline;
        while (!msh::exit_requested() && (newline = pending.find('\n', start)) != std::string::npos)
        {
            if (run_command(std::string_view(pending).substr(start, newline - start)) != 0)
                status = 1;
            start = newline + 1;
        }
        pending.erase(0, start);
        if (end && !pending.empty() && !msh::exit_requested() && run_command(pending) != 0)
            status = 1;
    }
    return status;
}

char *complete_command_name(const char *text, int state)
{
    static std::vector<msh::Command> candidates;
    static std::size_t next;
    if (state == 0)
    {
        candidates = msh::commands();
        next = 0;
    }
    while (next < candidates.size())
    {
        const std::string &name = candidates[next++].name;
        if (name.compare(0, std::strlen(text), text) == 0)
            return strdup(name.c_str());
    }
    return nullptr;
}

char **complete(const char *text, int start, int)
{
    rl_attempted_completion_over = 1; // arguments are addresses and numbers, not file names
    return start == 0 ? rl_completion_matches(text, complete_command_name) : nullptr;
}

void on_line(char *line)
{
    if (!line)
    {
        std::fputs("\n", stdout);
        msh::request_exit();
    }
    else
    {
        if (*line && (history_length == 0 ||
                      std::strcmp(history_get(history_base + history_length - 1)->line, line) != 0))
            add_history(line);
        run_command(line);
        std::free(line);
    }
    // Removed here, readline shows no new prompt for a shell that is leaving.
    if (msh::exit_requested())
        rl_callback_handler_remove();
}

// Prints lines from other threads above the prompt and puts back what was being typed.
void print_above_prompt(const std::string &lines)
{
    if (lines.empty())
        return;
    int point = rl_point;
    char *typed = rl_copy_text(0, rl_end);
    rl_save_prompt();
    rl_replace_line("", 0);
    rl_redisplay();
    std::fputs("\r", stdout);
    std::fwrite(lines.data(), 1, lines.size(), stdout);
    rl_restore_prompt();
    rl_replace_line(typed, 0);
    rl_point = point;
    rl_forced_update_display();
    std::free(typed);
}

// Ctrl-C: the typed text stays visible, marked ^C, and a fresh prompt follows.
void abandon_line()
{
    rl_callback_sigcleanup();
    rl_point = rl_end;
    rl_redisplay();
    std::fputs("^C\n", stdout);
    rl_replace_line("", 0);
    rl_on_new_line();
    rl_redisplay();
}

int run_interactive(int signals)
{
    rl_readline_name = "msh";
    rl_catch_signals = 0;
    rl_catch_sigwinch = 0;
    rl_attempted_completion_function = complete;
    std::string history = history_path();
    stifle_history(1000);
    read_history(history.c_str());
    rl_callback_handler_install(kPrompt, on_line);
    while (!msh::exit_requested())
    {
        pollfd watched[] = {{STDIN_FILENO, POLLIN, 0},
                            {signals, POLLIN, 0},
                            {console::queued_fd(), POLLIN, 0},
                            {leave_signals->wake_fd(), POLLIN, 0}};
        if (::poll(watched, 4, -1) < 0)
            continue;
        if (watched[3].revents & POLLIN)
        {
            rl_callback_handler_remove(); // SIGTERM or SIGHUP: leave as exit would
            break;
        }
        if (watched[2].revents & POLLIN)
            print_above_prompt(console::take_queued());
        if (watched[1].revents & POLLIN)
        {
            signalfd_siginfo info;
            if (::read(signals, &info, sizeof info) == sizeof info)
            {
                if (info.ssi_signo == SIGINT)
                    abandon_line();
                else
                    rl_resize_terminal();
            }
        }
        if (watched[0].revents & (POLLIN | POLLHUP))
            rl_callback_read_char();
    }
    write_history(history.c_str());
    return 0;
}

} // namespace

namespace msh
{

namespace
{

sigset_t signal_set(std::initializer_list<int> numbers)
{
    sigset_t mask;
    sigemptyset(&mask);
    for (int signal_number : numbers)
        sigaddset(&mask, signal_number);
    return mask;
}

} // namespace

sigset_t shell_signals()
{
    return signal_set({SIGINT, SIGWINCH, SIGTERM, SIGHUP});
}

void block_shell_signals()
{
    sigset_t mask = shell_signals();
    pthread_sigmask(SIG_BLOCK, &mask, nullptr);
    // A board has no SIGPIPE: an application's send to a peer that left fails with EPIPE on
    // the kernel's stack as it does on lwIP, instead of ending the program.
    signal(SIGPIPE, SIG_IGN);
}

void adopt_console_thread()
{
    constexpr rt_uint32_t kConsoleTick = 10; // FINSH's time slice on a board
    tcp_server::detail::rt::adopt_current_thread(FINSH_THREAD_NAME, FINSH_THREAD_PRIORITY,
                                                 FINSH_THREAD_STACK_SIZE, kConsoleTick);
}

int parse_options(int argc, char **argv, ShellOptions &options)
{
    options = {};
    for (int i = 1; i < argc; ++i)
    {
        std::string option = argv[i];
        if ((option == "-c" || option == "-e") && i + 1 < argc)
        {
            options.commands = argv[++i];
            options.then_interactive = option == "-e";
        }
        else if (option == "-v")
            options.log_level = DBG_LOG;
        else if (option == "-q")
        {
            options.log_level = DBG_WARNING;
            options.quiet = true;
        }
        else if (option == "--stack" && i + 1 < argc)
        {
            std::string stack = argv[++i];
            if (stack != "kernel" && stack != "lwip")
            {
                std::fprintf(stderr, "msh: unknown stack %s (kernel or lwip)\n%s", argv[i], kUsage);
                return 2;
            }
            tcp_server::set_default_stack(stack == "lwip" ? tcp_server::StackKind::lwip
                                                          : tcp_server::StackKind::kernel);
        }
        else if (option == "-h" || option == "--help")
        {
            std::fputs(kUsage, stdout);
            return 0;
        }
        else if (option[0] != '-' && !options.script)
            options.script = argv[i];
        else
        {
            std::fprintf(stderr, "msh: unknown option %s\n%s", argv[i], kUsage);
            return 2;
        }
    }
    return -1;
}

int run_shell(const ShellOptions &options)
{
    if (options.log_level >= 0)
        rt_dbg_set_level(options.log_level);
    register_builtins();
    bool interactive = !options.script && (!options.commands || options.then_interactive) &&
                       isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);

    // The signals were blocked before any thread started (block_shell_signals), so they reach
    // the shell only here. SIGTERM and SIGHUP (a service manager, a harness) stop the servers
    // and leave as exit does, even while a command holds the console, and so does Ctrl-C
    // without a terminal; on a terminal Ctrl-C abandons the line typed.
    LeaveSignals leaving;
    leaving.start(interactive ? signal_set({SIGTERM, SIGHUP})
                              : signal_set({SIGTERM, SIGHUP, SIGINT}));
    leave_signals = &leaving;
    sigset_t terminal_signals = signal_set({SIGINT, SIGWINCH});
    int signals = interactive ? signalfd(-1, &terminal_signals, SFD_CLOEXEC) : -1;
    console::install(interactive);

    int status = 0;
    if (options.commands && run_command(options.commands) != 0)
        status = 1;
    if (options.script)
    {
        int file = ::open(options.script, O_RDONLY | O_CLOEXEC);
        if (file < 0)
        {
            std::fprintf(stderr, "msh: cannot read %s: %s\n", options.script, std::strerror(errno));
            status = 2;
        }
        else
        {
            status |= run_lines(file);
            ::close(file);
        }
    }
    else if (interactive && !exit_requested())
        status = run_interactive(signals);
    else if (!options.commands || options.then_interactive)
        status |= run_lines(STDIN_FILENO);

    run_exit_hooks();
    leaving.stop(); // waits for a server stop the watcher began
    leave_signals = nullptr;
    console::uninstall();
    if (signals >= 0)
        ::close(signals);
    return status;
}

} // namespace msh

extern "C" int tcpserver_shell_main(int argc, char **argv)
{
    // A board-style program runs its console already: this call joins it.
    if (msh::board::owns_console())
        return msh::board::join_console(argc, argv);
    msh::ShellOptions options;
    int status = msh::parse_options(argc, argv, options);
    if (status >= 0)
        return status;
    msh::block_shell_signals();
    msh::adopt_console_thread();
    rt_components_board_init();
    if (!options.quiet)
        rt_show_version(); // where a board prints it: after board init, before the components
    tcp_server::detail::rt::start_system_threads();
    rt_components_init();
    status = msh::run_shell(options);
    tcp_server::detail::rt::end_system_threads();
    return status;
}
