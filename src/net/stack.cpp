// What every stack's socket calls share: EINTR retried, errno turned into Errc.
// SPDX-License-Identifier: Apache-2.0
#include "net/stack.h"

#include "util/deadline.h"
#include "util/errc.h"

#include <atomic>
#include <cerrno>

namespace tcp_server::detail
{

namespace
{

// accept(2): these report a connection that failed before it was taken (or, EPERM, that a
// firewall forbids); the next one may be fine, so they are retried at once, as ECONNABORTED.
bool died_before_accept(int error)
{
    switch (error)
    {
    case ECONNABORTED:
    case EPROTO:
    case ENETDOWN:
    case ENOPROTOOPT:
    case EHOSTDOWN:
    case ENONET:
    case EHOSTUNREACH:
    case EOPNOTSUPP:
    case ENETUNREACH:
    case EPERM:
        return true;
    default:
        return false;
    }
}

// Repeats a raw call while a signal interrupted it.
template <typename Call> auto retried(Call call)
{
    decltype(call()) result;
    do
        result = call();
    while (result < 0 && errno == EINTR);
    return result;
}

std::atomic<Stack *> stack_override{nullptr};

} // namespace

int Stack::listen_on(const sockets::Endpoint &endpoint, int backlog, Errc &error)
{
    int fd = raw_listen(endpoint, backlog);
    error = fd < 0 ? errc_from_errno(errno) : Errc::ok;
    return fd;
}

Errc Stack::local_endpoint(int fd, sockets::Endpoint &out)
{
    return raw_local_name(fd, out) < 0 ? errc_from_errno(errno) : Errc::ok;
}

int Stack::accept_one(int listen_fd, sockets::Endpoint &peer, Errc &error)
{
    int fd = retried([&] { return raw_accept(listen_fd, peer); });
    if (fd >= 0)
        error = Errc::ok;
    else
        error = died_before_accept(errno) ? Errc::connection_reset : errc_from_errno(errno);
    return fd;
}

int Stack::adopt_accepted(int result, sockets::Endpoint &peer, Errc &error)
{
    if (result < 0)
    {
        error = died_before_accept(errno) ? Errc::connection_reset : errc_from_errno(errno);
        return -1;
    }
    if (raw_peer_name(result, peer) < 0)
    {
        close(result); // reset before it was looked at (ENOTCONN): as ECONNABORTED
        error = Errc::connection_reset;
        return -1;
    }
    error = Errc::ok;
    return result;
}

ssize_t Stack::receive(int fd, char *buffer, std::size_t size, bool wait)
{
    return retried([&] { return raw_receive(fd, buffer, size, wait); });
}

ssize_t Stack::read_into(int fd, std::span<char> first, std::span<char> second)
{
    return retried([&] { return raw_read_into(fd, first, second); });
}

ssize_t Stack::send_some(int fd, const char *data, std::size_t size)
{
    ssize_t n = retried([&] { return raw_send(fd, data, size); });
    if (n < 0 && errno == ENOBUFS)
        errno = EAGAIN;
    return n;
}

bool Stack::wait_writable(int fd, int timeout_ms)
{
    return wait_for(fd, true, timeout_ms);
}

bool Stack::wait_readable(int fd, int timeout_ms)
{
    return wait_for(fd, false, timeout_ms);
}

bool Stack::wait_for(int fd, bool writable, int timeout_ms)
{
    if (timeout_ms != 0)
        rt::note_blocking();
    // An interrupted wait starts again with its whole timeout: it can only end later, never
    // early, which is what a deadline's caller checks anyway.
    return retried([&] { return raw_wait(fd, writable, timeout_ms); }) != 0;
}

void set_stack_for_new_servers(Stack *stack)
{
    stack_override.store(stack, std::memory_order_release);
}

Stack *stack_for_new_server(StackKind kind, Errc &error)
{
    error = Errc::ok;
    if (Stack *stack = stack_override.load(std::memory_order_acquire))
        return stack;
    return kind == StackKind::lwip ? lwip_stack(error) : &kernel_stack();
}

} // namespace tcp_server::detail
