// The shell's leave signals, watched beside the console.
// SPDX-License-Identifier: Apache-2.0
#include "leave_signals.h"

#include "console.h"
#include "msh_core.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cassert>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace msh
{

namespace
{

// How long a command whose servers were stopped may take to return before the process ends
// without it (it may wait on something no server stop can wake).
constexpr std::chrono::seconds kCommandGrace{2};

void signal_event(int fd)
{
    std::uint64_t one = 1;
    while (::write(fd, &one, sizeof one) < 0 && errno == EINTR)
    {
    }
}

} // namespace

void LeaveSignals::start(const sigset_t &signals)
{
    assert(!watcher_.joinable());
    signal_fd_ = signalfd(-1, &signals, SFD_CLOEXEC);
    wake_fd_ = eventfd(0, EFD_CLOEXEC);
    quit_fd_ = eventfd(0, EFD_CLOEXEC);
    if (signal_fd_ < 0 || wake_fd_ < 0 || quit_fd_ < 0)
    {
        std::perror("msh: signals cannot be watched");
        return;
    }
    watcher_ = std::thread([this] { watch(); });
}

LeaveSignals::Busy::Busy(LeaveSignals &owner) : owner_(owner)
{
    std::lock_guard lock(owner_.mutex_);
    assert(!owner_.busy_ && "commands run one at a time on the console thread");
    owner_.busy_ = true;
}

LeaveSignals::Busy::~Busy()
{
    {
        std::lock_guard lock(owner_.mutex_);
        owner_.busy_ = false;
    }
    owner_.idle_.notify_all();
}

void LeaveSignals::stop()
{
    if (watcher_.joinable())
    {
        assert(watcher_.get_id() != std::this_thread::get_id());
        signal_event(quit_fd_);
        watcher_.join();
    }
    for (int *fd : {&signal_fd_, &wake_fd_, &quit_fd_})
    {
        if (*fd >= 0)
            ::close(*fd);
        *fd = -1;
    }
}

void LeaveSignals::watch()
{
    pollfd watched[] = {{signal_fd_, POLLIN, 0}, {quit_fd_, POLLIN, 0}};
    for (;;)
    {
        if (::poll(watched, 2, -1) < 0)
            continue; // EINTR: nothing is lost, poll again
        if (watched[1].revents & POLLIN)
            return;
        signalfd_siginfo info;
        if ((watched[0].revents & POLLIN) && ::read(signal_fd_, &info, sizeof info) == sizeof info)
        {
            request_exit();
            signal_event(wake_fd_);
            stop_a_busy_console();
            return;
        }
    }
}

void LeaveSignals::stop_a_busy_console()
{
    std::unique_lock lock(mutex_);
    if (!busy_)
        return; // the console leaves on its own, as exit does
    lock.unlock();
    run_exit_hooks(); // stops the servers: a command waiting on one of them returns
    lock.lock();
    if (idle_.wait_for(lock, kCommandGrace, [this] { return !busy_; }))
        return;
    // The command waits on something else: end without it, as exit would have ended.
    std::string queued = console::take_queued();
    std::fwrite(queued.data(), 1, queued.size(), stdout);
    std::fflush(nullptr);
    std::_Exit(0);
}

} // namespace msh
