// select() and poll() as an RT-Thread application sees them: over the kernel's descriptors
// or over another stack's sockets, never both in one call, and with lwIP's semantics (the
// timeout is left as it was, so board code that reuses it waits each time as on a board).
// SPDX-License-Identifier: Apache-2.0
#include "sal/api.h"
#include "sal/sal.h"

#include <climits>
#include <vector>

namespace tcp_server::detail::sal::api
{

namespace
{

// The sockets of another stack a call names, and whether it names kernel descriptors too.
struct Split
{
    std::vector<std::shared_ptr<Socket>> sockets;
    bool kernel = false;

    void add(int fd)
    {
        if (auto socket = find(fd))
            sockets.push_back(std::move(socket));
        else
            kernel = true;
    }

    // EINVAL when the call mixes the kernel's descriptors with another stack's sockets.
    bool mixed(const char *call) const
    {
        if (sockets.empty() || !kernel)
            return false;
        warn("%s: kernel descriptors and %s sockets in one call; a call watches one stack",
             call, to_string(sockets.front()->ops.kind()));
        return true;
    }
};

int to_poll_timeout(const timeval *timeout)
{
    if (!timeout)
        return -1;
    long long ms =
        static_cast<long long>(timeout->tv_sec) * 1000 + (timeout->tv_usec + 999) / 1000;
    return ms <= 0 ? 0 : static_cast<int>(std::min<long long>(ms, INT_MAX));
}

bool in(const fd_set *set, int fd)
{
    return set && FD_ISSET(fd, set);
}

} // namespace

int select(int count, fd_set *read, fd_set *write, fd_set *except, timeval *timeout)
{
    if (count < 0 || count > FD_SETSIZE)
        return failed(EINVAL);
    Split split;
    std::vector<pollfd> watched;
    std::vector<int> numbers;
    std::vector<bool> except_asked;
    if (!socket_table().empty())
        for (int fd = 0; fd < count; ++fd)
        {
            short events = (in(read, fd) ? POLLIN : 0) | (in(write, fd) ? POLLOUT : 0);
            if (!events && !in(except, fd))
                continue;
            std::size_t before = split.sockets.size();
            split.add(fd);
            if (split.sockets.size() != before)
            {
                watched.push_back({split.sockets.back()->fd, events, 0});
                numbers.push_back(fd);
                except_asked.push_back(in(except, fd));
            }
        }
    if (split.sockets.empty())
    {
        timeval kept = timeout ? *timeout : timeval{};
        return ::select(count, read, write, except, timeout ? &kept : nullptr);
    }
    if (split.mixed("select"))
        return failed(EINVAL);
    int ready = split.sockets.front()->ops.poll(watched.data(), watched.size(),
                                                to_poll_timeout(timeout));
    if (ready < 0)
        return -1;
    for (fd_set *set : {read, write, except})
        if (set)
            FD_ZERO(set);
    int marked = 0;
    for (std::size_t i = 0; i < watched.size(); ++i)
    {
        short got = watched[i].revents;
        if (got & POLLNVAL)
            return failed(EBADF);
        // An error or a hang-up is readable and writable, as lwIP and Linux both report it.
        bool failed_or_hung = got & (POLLERR | POLLHUP);
        int fd = numbers[i];
        auto mark = [&](fd_set *set, bool asked, bool happened) {
            if (set && asked && happened)
            {
                FD_SET(fd, set);
                ++marked;
            }
        };
        mark(read, watched[i].events & POLLIN, (got & POLLIN) || failed_or_hung);
        mark(write, watched[i].events & POLLOUT, (got & POLLOUT) || failed_or_hung);
        mark(except, except_asked[i], got & POLLERR);
    }
    return marked;
}

int poll(pollfd *fds, nfds_t count, int timeout_ms)
{
    if (socket_table().empty())
        return ::poll(fds, count, timeout_ms);
    Split split;
    for (nfds_t i = 0; i < count; ++i)
        if (fds[i].fd >= 0)
            split.add(fds[i].fd);
    if (split.sockets.empty())
        return ::poll(fds, count, timeout_ms);
    if (split.mixed("poll"))
        return failed(EINVAL);
    // The same entries with the stack's own descriptors; negative ones stay ignored.
    std::vector<pollfd> watched(fds, fds + count);
    std::size_t next = 0;
    for (pollfd &entry : watched)
        if (entry.fd >= 0)
            entry.fd = split.sockets[next++]->fd;
    int ready = split.sockets.front()->ops.poll(watched.data(), count, timeout_ms);
    if (ready < 0)
        return -1;
    for (nfds_t i = 0; i < count; ++i)
        fds[i].revents = fds[i].fd >= 0 ? watched[i].revents : 0;
    return ready;
}

} // namespace tcp_server::detail::sal::api
