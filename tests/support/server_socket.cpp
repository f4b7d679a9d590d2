// A server socket asked through its own stack.
// SPDX-License-Identifier: Apache-2.0
#include "server_socket.h"

#include "test_stack.h"

#include <rtconfig.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#ifdef TCPSERVER_USING_LWIP
extern "C"
{
#include <lwip/sockets.h>
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

} // namespace

std::uint16_t server_socket_peer_port(int fd)
{
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (peer_name(fd, address, length) != 0)
        return 0;
    if (address.ss_family == AF_INET6)
        return ntohs(reinterpret_cast<sockaddr_in6 *>(&address)->sin6_port);
    return ntohs(reinterpret_cast<sockaddr_in *>(&address)->sin_port);
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
