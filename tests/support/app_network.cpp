// A board program's network in a test run: loopback, or lwIP on tap1.
// SPDX-License-Identifier: Apache-2.0
#include "app_network.h"

#include "test_stack.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>

namespace test_support
{

AppNetwork app_network()
{
    if (!on_lwip())
        return {"127.0.0.1", "127.0.0.1"};
    static bool created = std::system("ip tuntap add dev tap1 mode tap && "
                                      "ip addr add 192.0.2.129/25 dev tap1 && "
                                      "ip link set tap1 up") == 0;
    EXPECT_TRUE(created) << "tap1 cannot be created";
    setenv("TCPSERVER_LWIP_TAP", "tap1", 1);
    setenv("TCPSERVER_LWIP_IPADDR", "192.0.2.130", 1);
    setenv("TCPSERVER_LWIP_NETMASK", "255.255.255.128", 1);
    setenv("TCPSERVER_LWIP_GWADDR", "192.0.2.129", 1);
    setenv("TCPSERVER_LWIP_IP6ADDR", "", 1);
    return {"192.0.2.130", "192.0.2.129"};
}

std::vector<std::string> app_stack_arguments()
{
    if (on_lwip())
        return {"--stack", "lwip"};
    return {};
}

int kernel_sockets_of(int pid)
{
    std::string directory = "/proc/" + std::to_string(pid) + "/fd";
    DIR *listing = opendir(directory.c_str());
    if (!listing)
        return -1;
    int sockets = 0;
    while (dirent *entry = readdir(listing))
    {
        char target[256];
        std::string link = directory + "/" + entry->d_name;
        ssize_t n = readlink(link.c_str(), target, sizeof target - 1);
        if (n > 0 && std::string(target, n).rfind("socket:[", 0) == 0)
            ++sockets;
    }
    closedir(listing);
    return sockets;
}

int bound_socket(int type, const char *ip, std::uint16_t &port)
{
    int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    inet_pton(AF_INET, ip, &address.sin_addr);
    int yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0)
    {
        ::close(fd);
        return -1;
    }
    socklen_t length = sizeof address;
    getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length);
    port = ntohs(address.sin_port);
    return fd;
}

} // namespace test_support
