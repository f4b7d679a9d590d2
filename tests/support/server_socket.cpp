// A server socket asked through its own stack.
// SPDX-License-Identifier: Apache-2.0
#include "server_socket.h"

#include "test_stack.h"

#include <rtconfig.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cstdio>
#include <sstream>
#include <string>

#ifdef TCPSERVER_USING_LWIP
extern "C"
{
#include <lwip/priv/sockets_priv.h>
#include <lwip/sockets.h>
#include <lwip/tcpip.h>
}
#endif

namespace test_support
{

namespace
{

int peer_name(int fd, sockaddr_storage &address, socklen_t &length)
{
#ifdef TCPSERVER_USING_LWIP
    if (on_lwip())
        return lwip_getpeername(fd, reinterpret_cast<sockaddr *>(&address), &length);
#endif
    return getpeername(fd, reinterpret_cast<sockaddr *>(&address), &length);
}

int get_option(int fd, int level, int name, int &value, socklen_t &length)
{
#ifdef TCPSERVER_USING_LWIP
    if (on_lwip())
        return lwip_getsockopt(fd, level, name, &value, &length);
#endif
    return getsockopt(fd, level, name, &value, &length);
}

int local_name(int fd, sockaddr_storage &address, socklen_t &length)
{
#ifdef TCPSERVER_USING_LWIP
    if (on_lwip())
        return lwip_getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length);
#endif
    return getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length);
}

std::uint16_t port_of(const sockaddr_storage &address)
{
    if (address.ss_family == AF_INET6)
        return ntohs(reinterpret_cast<const sockaddr_in6 *>(&address)->sin6_port);
    return ntohs(reinterpret_cast<const sockaddr_in *>(&address)->sin_port);
}

// `ss` (iproute2, over sock_diag) on the listener of `port`.
ListenQueue kernel_listen_queue(std::uint16_t port)
{
    std::string command = "ss -Hltn 'sport = :" + std::to_string(port) + "' 2>/dev/null";
    ListenQueue queue;
    if (FILE *ss = popen(command.c_str(), "r"))
    {
        char line[512];
        if (std::fgets(line, sizeof line, ss))
        {
            std::istringstream fields(line);
            std::string state;
            fields >> state >> queue.waiting >> queue.backlog;
        }
        pclose(ss);
    }
    return queue;
}

} // namespace

ListenQueue server_listen_queue(int listen_fd)
{
#ifdef TCPSERVER_USING_LWIP
    if (on_lwip())
    {
        // A listening socket's receive events count the connections in its accept mailbox.
        ListenQueue queue;
        LOCK_TCPIP_CORE();
        if (lwip_sock *sock = lwip_socket_dbg_get_socket(listen_fd))
            queue.waiting = sock->rcvevent;
        UNLOCK_TCPIP_CORE();
        return queue;
    }
#endif
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (local_name(listen_fd, address, length) != 0)
        return {};
    return kernel_listen_queue(port_of(address));
}

std::uint16_t server_socket_peer_port(int fd)
{
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (peer_name(fd, address, length) != 0)
        return 0;
    return port_of(address);
}

int server_socket_unread_bytes(int fd)
{
    int unread = -1;
#ifdef TCPSERVER_USING_LWIP
    if (on_lwip())
        return lwip_ioctl(fd, FIONREAD, &unread) == 0 ? unread : -1;
#endif
    return ioctl(fd, FIONREAD, &unread) == 0 ? unread : -1;
}

int server_socket_option(int fd, int level, int name)
{
    int value = -1;
    socklen_t length = sizeof value;
    if (get_option(fd, level, name, value, length) != 0)
        return -1;
    return value;
}

int lwip_open_socket_count()
{
    int count = 0;
#ifdef TCPSERVER_USING_LWIP
    // lwIP numbers its sockets from 1 and reuses the lowest free number, as the kernel does;
    // this bound is far above what any test opens at once.
    constexpr int kHighestChecked = 8192;
    if (on_lwip())
        for (int fd = 1; fd <= kHighestChecked; ++fd)
            count += lwip_fcntl(fd, F_GETFL, 0) >= 0;
#endif
    return count;
}

} // namespace test_support
