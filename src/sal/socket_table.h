// SAL's descriptor table: the number an application knows each of its non-kernel sockets by,
// and the socket behind it. A descriptor the table does not hold is the kernel's (files,
// pipes, the console and the kernel's own sockets), used as it is.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "net/stack.h"
#include "sal/socket.h"

#include <tcpserver.hpp>

#include <atomic>
#include <memory>
#include <shared_mutex>
#include <vector>

namespace tcp_server::detail::sal
{

/**
 * A non-kernel socket's number is a descriptor the kernel holds reserved for it (a duplicate
 * of one O_PATH descriptor, from SAL_SOCKET_OFFSET up): the kernel can never hand the same
 * number to a file or a kernel socket, so the two stacks' numbers never collide, and a number
 * below FD_SETSIZE fits select()'s sets as a kernel descriptor does. A call the kernel gets on
 * one by mistake fails (EBADF) instead of touching something else. Thread safe.
 */
class SocketTable
{
  public:
    /** Enters `socket` under a newly reserved number: the number, or -1 with errno (EMFILE
     *  when the kernel has none left). */
    int add(std::shared_ptr<Socket> socket);
    /** Enters `socket` under `descriptor`, which the kernel held for something else until
     *  now (a kernel socket moving to another stack): the number is reserved in its place. */
    bool add_in_place_of(int descriptor, std::shared_ptr<Socket> socket);
    /** The socket behind `descriptor`, or nullptr for a kernel descriptor. */
    std::shared_ptr<Socket> find(int descriptor) const;
    /** Takes the socket out (it goes when its last user lets go); nullptr if none. */
    std::shared_ptr<Socket> remove(int descriptor);
    /** Whether any descriptor belongs to another stack than the kernel's. */
    bool empty() const { return count_.load(std::memory_order_acquire) == 0; }

    /** Marks a kernel socket a server shows the application (client->sock): the application's
     *  close() of it must not close it under the server. False with errno ENOMEM. */
    bool hold_for_server(int descriptor);
    /** The server is about to close it itself. */
    void release_from_server(int descriptor);
    /** Whether `descriptor` is a kernel socket a server holds. */
    bool held_for_server(int descriptor) const;

  private:
    int source_locked();

    mutable std::shared_mutex mutex_;
    std::vector<std::shared_ptr<Socket>> sockets_; // by descriptor
    std::atomic<std::size_t> count_{0};
    std::vector<bool> server_held_; // by kernel descriptor
    std::atomic<std::size_t> server_held_count_{0};
    int source_ = -1; // what the reserved numbers duplicate
};

/** The process's table. */
SocketTable &socket_table();

/**
 * A socket a server owns as applications see it (tcpserver's client->sock and server->sock),
 * so that their own calls on it (getpeername, setsockopt, select) reach its stack, as SAL's
 * numbers do on a board. A kernel socket keeps its own number, held for its server so that the
 * application's close() shuts it down instead of freeing the number under the server; another
 * stack's gets a reserved one, and is closed on its stack only once no application call uses
 * it any more. Not copyable; one thread at a time (the socket's owner).
 */
class LentSocket
{
  public:
    LentSocket() = default;
    LentSocket(const LentSocket &) = delete;
    LentSocket &operator=(const LentSocket &) = delete;
    ~LentSocket() { end(); }

    /** Lends `fd` of `stack`, which end() closes from now on. False with errno (EMFILE: no
     *  number left), and nothing is lent: the caller still owns fd. */
    bool lend(Stack &stack, int fd);
    /** The application's number, or -1 while nothing is lent. */
    int descriptor() const { return descriptor_; }
    /** The owner is done: the socket is closed now, or once no application call uses it. */
    void end();

  private:
    int descriptor_ = -1;
    Stack *kernel_ = nullptr; // set for a kernel socket: its number leaves no table
};

} // namespace tcp_server::detail::sal
