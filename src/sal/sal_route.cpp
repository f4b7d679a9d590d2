// Which stack an application's new socket goes to, entering it in the table, and SAL's log.
// SPDX-License-Identifier: Apache-2.0
#include "sal/sal.h"

#include "util/log_throttle.h"

#include <rtdbg.h>

#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <mutex>

namespace tcp_server::detail::sal
{

SocketOps *stack_for_new_socket(int domain, bool &unavailable)
{
    unavailable = false;
    if ((domain != AF_INET && domain != AF_INET6) || default_stack() == StackKind::kernel)
        return nullptr;
    Errc error;
    SocketOps *ops = lwip_socket_ops(error);
    if (!ops)
    {
        unavailable = true;
        warn("lwIP, the default stack, does not run (%s): no socket", to_string(error));
        errno = ENETDOWN;
    }
    return ops;
}

int enter(SocketOps &ops, int fd, int type, bool nonblocking)
{
    std::shared_ptr<Socket> socket;
    try
    {
        socket = std::make_shared<Socket>(ops, fd, type);
    }
    catch (const std::bad_alloc &)
    {
        ops.close(fd);
        return failed(ENOMEM);
    }
    socket->nonblocking = nonblocking;
    int number = socket_table().add(socket);
    if (number < 0)
    {
        int error = errno;
        warn("no descriptor left for a new %s socket: %s", to_string(ops.kind()),
             std::strerror(error));
        errno = error; // the socket's destructor closes it on its stack
    }
    return number;
}

void warn(const char *format, ...)
{
    static std::mutex mutex;
    static LogThrottle throttle;
    std::uint64_t held_back = 0;
    {
        std::lock_guard lock(mutex);
        if (!throttle.admit(held_back))
            return;
    }
    char line[256];
    va_list arguments;
    va_start(arguments, format);
    std::vsnprintf(line, sizeof line, format, arguments);
    va_end(arguments);
    if (held_back > 0)
        rt_dbg_log_line(DBG_WARNING, "sal", "%s (%llu more like it held back)", line,
                        static_cast<unsigned long long>(held_back));
    else
        rt_dbg_log_line(DBG_WARNING, "sal", "%s", line);
}

} // namespace tcp_server::detail::sal
