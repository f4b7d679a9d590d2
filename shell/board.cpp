// The board runtime. The process's first thread boots as a board does (board-level init, the
// banner), starts the "main" thread, which runs the other init levels and then the program's
// main(), and becomes the console ("tshell"). As on a board, where "main" outranks the shell,
// the console reads its first command only once main has first waited (any kernel or tcpserver
// wait), returned, or handed the console its options through tcpserver_shell_main() -- or
// after kGrace, for a main that blocks where the kernel cannot see it (a raw socket call).
// SPDX-License-Identifier: Apache-2.0
#include "board.h"

#include "shell_session.h"

#include <net/stack.h>
#include <rt/kernel.h>

#include <rtthread.h>
#include <tcpserver.hpp>
#include <tcpserver_shell.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace msh::board
{

namespace
{

constexpr std::chrono::milliseconds kGrace{500};

enum class Gate
{
    closed,      // main runs and has not waited yet
    open,        // main waited or returned: the console uses the process's options
    handed_over, // main called tcpserver_shell_main(): the console uses its options
};

struct Board
{
    std::mutex mutex;
    std::condition_variable changed;
    Gate gate = Gate::closed;
    int argc = 0;
    char **argv = nullptr;
    bool console_done = false;
    int status = 0;
    int (*app_main)(int, char **) = nullptr;
};

std::atomic<bool> active{false};

Board &board()
{
    static auto *instance = new Board; // never destroyed: "main" may outlive the console
    return *instance;
}

void open_gate()
{
    Board &state = board();
    {
        std::lock_guard lock(state.mutex);
        if (state.gate == Gate::closed)
            state.gate = Gate::open;
    }
    state.changed.notify_all();
}

// A board's network is up before its components and main() run (lwIP and its netif are
// initialised first): with lwIP the default stack, it starts here, so netdev_default is lwIP's
// interface at main()'s first line. A failure is logged; the program's socket calls then fail.
void bring_up_network()
{
    tcp_server::Errc logged;
    if (tcp_server::default_stack() == tcp_server::StackKind::lwip)
        tcp_server::detail::lwip_stack(logged); // as a socket call would start it
}

void main_thread_entry(void *)
{
    Board &state = board();
    tcp_server::detail::rt::current_host()->on_first_block = open_gate;
    bring_up_network();
    rt_components_init();
    state.app_main(state.argc, state.argv);
    open_gate();
}

} // namespace

bool owns_console()
{
    return active.load();
}

int join_console(int argc, char **argv)
{
    Board &state = board();
    std::unique_lock lock(state.mutex);
    if (state.gate == Gate::closed)
    {
        state.gate = Gate::handed_over;
        state.argc = argc;
        state.argv = argv;
        state.changed.notify_all();
    }
    state.changed.wait(lock, [&] { return state.console_done; });
    return state.status;
}

} // namespace msh::board

extern "C" int tcpserver_board_main(int argc, char **argv, int (*app_main)(int argc, char **argv))
{
    using namespace msh::board;
    Board &state = board();
    msh::ShellOptions options;
    int status = msh::parse_options(argc, argv, options);
    if (status >= 0)
        return status;
    state.argc = argc;
    state.argv = argv;
    state.app_main = app_main;
    active = true;
    msh::block_shell_signals(); // before the first thread, which inherits the mask

    msh::adopt_console_thread();
    rt_components_board_init();
    if (!options.quiet)
        rt_show_version();
    tcp_server::detail::rt::start_system_threads();
    rt_thread_t main_thread = rt_thread_create(
        "main", main_thread_entry, RT_NULL, RT_MAIN_THREAD_STACK_SIZE, RT_MAIN_THREAD_PRIORITY, 20);
    if (!main_thread || rt_thread_startup(main_thread) != RT_EOK)
    {
        rt_kprintf("board: the main thread cannot start\n");
        return 1;
    }
    {
        std::unique_lock lock(state.mutex);
        state.changed.wait_for(lock, kGrace, [&] { return state.gate != Gate::closed; });
        if (state.gate == Gate::handed_over)
        {
            status = msh::parse_options(state.argc, state.argv, options);
            if (status >= 0)
                state.console_done = true;
        }
        state.gate = state.gate == Gate::closed ? Gate::open : state.gate;
    }
    if (status < 0)
        status = msh::run_shell(options);
    {
        std::lock_guard lock(state.mutex);
        state.console_done = true;
        state.status = status;
    }
    state.changed.notify_all();
    // The runtime's own threads end before the process does, so that none of theirs shows in
    // the application's leak check: "main" (gone already if it returned), idle and timer.
    tcp_server::detail::rt::end_thread_and_join(main_thread, kGrace);
    tcp_server::detail::rt::end_system_threads();
    return status;
}
