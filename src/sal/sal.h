// SAL inside the library: which stack an application's new socket goes to, the socket behind
// an application's descriptor, and SAL's own log lines.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "sal/socket.h"
#include "sal/socket_ops.h"
#include "sal/socket_table.h"

#include <cerrno>
#include <memory>

namespace tcp_server::detail::sal
{

/** Where a new socket of `domain` goes: nullptr for the kernel (the default stack is the
 *  kernel's, or the domain is not an internet one), else the default stack's calls. nullptr
 *  with errno ENETDOWN (logged) when the default stack cannot run. */
SocketOps *stack_for_new_socket(int domain, bool &unavailable);

/** The socket behind `descriptor`, nullptr for a kernel descriptor. */
inline std::shared_ptr<Socket> find(int descriptor)
{
    return socket_table().find(descriptor);
}

/** Enters a new socket of `ops` (its stack descriptor `fd`): the application's number, or -1
 *  with errno, `fd` closed on its stack. */
int enter(SocketOps &ops, int fd, int type, bool nonblocking);

/** One "sal: ..." warning line, at most one a second for all of SAL (the rest counted). */
void warn(const char *format, ...) __attribute__((format(printf, 1, 2)));

/** -1 with errno set to `error`. */
inline int failed(int error)
{
    errno = error;
    return -1;
}

} // namespace tcp_server::detail::sal
