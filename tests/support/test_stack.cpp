// A test run's stack: the kernel's, or lwIP over a TAP device in a namespace of its own.
// SPDX-License-Identifier: Apache-2.0
#include "test_stack.h"

#include <tcpserver.h>

#include <unistd.h>

#include <cstdlib>
#include <vector>

namespace test_support
{

namespace
{

constexpr const char *kInsideMarker = "TCPSERVER_TEST_NAMESPACE";
bool lwip_run = false;

} // namespace

const char *server_ip()
{
    return lwip_run ? "192.0.2.2" : "127.0.0.1";
}

const char *server_ipv6()
{
    return lwip_run ? "2001:db8::2" : "::1";
}

const char *peer_ip()
{
    return lwip_run ? "192.0.2.1" : "127.0.0.1";
}

bool on_lwip()
{
    return lwip_run;
}

bool enter_lwip_namespace(char **argv, const char *&why)
{
    if (!std::getenv(kInsideMarker))
    {
        if (std::system("unshare -n true >/dev/null 2>&1") != 0)
        {
            why = "network namespaces are not permitted here (unshare -n failed)";
            return false;
        }
        // The same program again, alone in a new namespace; it returns here no more.
        setenv(kInsideMarker, "1", 1);
        // This program's own path: /proc/self/exe would name unshare once it runs.
        static char self[4096];
        ssize_t length = readlink("/proc/self/exe", self, sizeof self - 1);
        if (length <= 0)
        {
            why = "this program's path cannot be read";
            return false;
        }
        self[length] = '\0';
        std::vector<char *> arguments{const_cast<char *>("unshare"), const_cast<char *>("-n"),
                                      const_cast<char *>("--"), self};
        for (char **each = argv + 1; *each; ++each)
            arguments.push_back(*each);
        arguments.push_back(nullptr);
        execvp("unshare", arguments.data());
        why = "unshare could not be run";
        return false;
    }
    return start_lwip_on_new_tap(why);
}

bool start_lwip_on_new_tap(const char *&why)
{
    if (std::system("ip link set lo up && ip tuntap add dev tap0 mode tap && "
                    "ip addr add 192.0.2.1/24 dev tap0 && "
                    "ip -6 addr add 2001:db8::1/64 dev tap0 nodad && ip link set tap0 up") != 0)
    {
        why = "no TAP device can be created here (ip tuntap add failed)";
        return false;
    }
    setenv("TCPSERVER_LWIP_TAP", "tap0", 1);
    setenv("TCPSERVER_LWIP_IPADDR", "192.0.2.2", 1);
    setenv("TCPSERVER_LWIP_NETMASK", "255.255.255.0", 1);
    setenv("TCPSERVER_LWIP_GWADDR", "192.0.2.1", 1);
    setenv("TCPSERVER_LWIP_IP6ADDR", "2001:db8::2", 1);
    tcpserver_set_default_stack(TCPSERVER_STACK_KIND_LWIP);
    // Started now, lwIP's own descriptors (the TAP device) are there before any test counts.
    struct tcpserver_lwip_config config;
    tcpserver_lwip_config_init(&config);
    if (tcpserver_lwip_start(&config) != RT_EOK)
    {
        why = "lwIP does not start on the TAP device just created";
        return false;
    }
    lwip_run = true;
    return true;
}

} // namespace test_support
