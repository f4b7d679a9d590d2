// SAL's descriptor table, the numbers it reserves in the kernel's, and lent server sockets.
// SPDX-License-Identifier: Apache-2.0
#include "sal/socket_table.h"

#include "sal/socket_ops.h"

#include <rtconfig.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <mutex>

#ifndef SAL_SOCKET_OFFSET
#define SAL_SOCKET_OFFSET 512
#endif

namespace tcp_server::detail::sal
{

namespace
{

/** Grows a by-descriptor table to hold `descriptor`; false with errno ENOMEM. */
template <typename Table> bool reach(Table &table, int descriptor)
{
    try
    {
        if (table.size() <= static_cast<std::size_t>(descriptor))
            table.resize(descriptor + 1);
        return true;
    }
    catch (const std::bad_alloc &)
    {
        errno = ENOMEM;
        return false;
    }
}

} // namespace

Socket::~Socket()
{
    if (lent)
    {
        if (give_back_)
            give_back_();
    }
    else
        ops.close(fd);
    // The number last: until now no kernel file could take it while the socket was closing.
    if (int number = placeholder.load(); number >= 0)
        ::close(number);
}

int SocketTable::source_locked()
{
    if (source_ < 0)
        source_ = ::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    return source_;
}

int SocketTable::add(std::shared_ptr<Socket> socket)
{
    std::unique_lock lock(mutex_);
    int source = source_locked();
    if (source < 0)
        return -1;
    int number = ::fcntl(source, F_DUPFD_CLOEXEC, SAL_SOCKET_OFFSET);
    if (number < 0)
        return -1;
    if (!reach(sockets_, number))
    {
        ::close(number);
        return -1;
    }
    socket->placeholder = number;
    sockets_[number] = std::move(socket);
    count_.fetch_add(1, std::memory_order_release);
    return number;
}

bool SocketTable::add_in_place_of(int descriptor, std::shared_ptr<Socket> socket)
{
    std::unique_lock lock(mutex_);
    int source = source_locked();
    if (source < 0)
        return false;
    if (!reach(sockets_, descriptor))
        return false;
    // One step: the kernel's socket goes and the number stays taken.
    if (::dup3(source, descriptor, O_CLOEXEC) < 0)
        return false;
    socket->placeholder = descriptor;
    sockets_[descriptor] = std::move(socket);
    count_.fetch_add(1, std::memory_order_release);
    return true;
}

std::shared_ptr<Socket> SocketTable::find(int descriptor) const
{
    if (descriptor < 0 || empty())
        return nullptr;
    std::shared_lock lock(mutex_);
    if (static_cast<std::size_t>(descriptor) >= sockets_.size())
        return nullptr;
    return sockets_[descriptor];
}

std::shared_ptr<Socket> SocketTable::remove(int descriptor)
{
    std::unique_lock lock(mutex_);
    if (descriptor < 0 || static_cast<std::size_t>(descriptor) >= sockets_.size() ||
        !sockets_[descriptor])
        return nullptr;
    // The last socket gone, the source goes too: a program's descriptors at exit are its own.
    if (count_.fetch_sub(1, std::memory_order_acq_rel) == 1 && source_ >= 0)
    {
        ::close(source_);
        source_ = -1;
    }
    return std::move(sockets_[descriptor]);
}

bool SocketTable::hold_for_server(int descriptor)
{
    std::unique_lock lock(mutex_);
    if (!reach(server_held_, descriptor))
        return false;
    server_held_[descriptor] = true;
    server_held_count_.fetch_add(1, std::memory_order_release);
    return true;
}

void SocketTable::release_from_server(int descriptor)
{
    std::unique_lock lock(mutex_);
    server_held_[descriptor] = false;
    server_held_count_.fetch_sub(1, std::memory_order_release);
}

bool SocketTable::held_for_server(int descriptor) const
{
    if (descriptor < 0 || server_held_count_.load(std::memory_order_acquire) == 0)
        return false;
    std::shared_lock lock(mutex_);
    return static_cast<std::size_t>(descriptor) < server_held_.size() && server_held_[descriptor];
}

SocketTable &socket_table()
{
    static auto *table = new SocketTable; // never destroyed: threads may use sockets at exit
    return *table;
}

bool LentSocket::lend(Stack &stack, int fd)
{
    if (stack.kind() == StackKind::kernel)
    {
        if (!socket_table().hold_for_server(fd))
            return false;
        descriptor_ = fd;
        kernel_ = &stack;
        return true;
    }
    Errc error;
    SocketOps *ops = lwip_socket_ops(error);
    if (!ops)
    {
        errno = ENETDOWN;
        return false;
    }
    std::shared_ptr<Socket> socket;
    try
    {
        socket = std::make_shared<Socket>(*ops, fd, [&stack, fd] { stack.close(fd); });
    }
    catch (const std::bad_alloc &)
    {
        errno = ENOMEM;
        return false;
    }
    int number = socket_table().add(socket);
    if (number < 0)
    {
        socket->disown(); // not lent after all: fd stays the caller's
        return false;
    }
    descriptor_ = number;
    return true;
}

void LentSocket::end()
{
    if (descriptor_ < 0)
        return;
    if (kernel_)
    {
        socket_table().release_from_server(descriptor_);
        kernel_->close(descriptor_);
    }
    else if (auto socket = socket_table().remove(descriptor_))
    {
        socket->closed = true;
        socket->ops.interrupt(*socket);
    }
    descriptor_ = -1;
    kernel_ = nullptr;
}

} // namespace tcp_server::detail::sal
