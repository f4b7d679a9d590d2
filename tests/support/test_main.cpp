// The test programs' main: googletest's, plus --poller=select|poll|epoll, the backend every
// server in the run uses unless a test asks for another.
// SPDX-License-Identifier: Apache-2.0
#include <tcpserver.h>

#include <gmock/gmock.h>

#include <cstdio>
#include <cstring>

int main(int argc, char **argv)
{
    testing::InitGoogleMock(&argc, argv);
    for (int i = 1; i < argc; ++i)
    {
        if (std::strncmp(argv[i], "--poller=", 9) != 0)
            continue;
        int kind = tcpserver_poller_from_name(argv[i] + 9);
        if (kind < 0)
        {
            std::fprintf(stderr, "unknown poller %s (select, poll or epoll)\n", argv[i] + 9);
            return 2;
        }
        tcpserver_set_default_poller(static_cast<rt_uint8_t>(kind));
    }
    return RUN_ALL_TESTS();
}
