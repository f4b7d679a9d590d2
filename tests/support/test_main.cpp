// The test programs' main: googletest's, plus --poller=select|poll|epoll|uring, the backend every
// server in the run uses unless a test asks for another, and --stack=lwip, which runs every
// test on lwIP in a network namespace of the run's own.
// SPDX-License-Identifier: Apache-2.0
#include "test_stack.h"

#include <tcpserver.h>

#include <gmock/gmock.h>

#include <cstdio>
#include <cstring>
#include <string>

namespace
{

// Skips every test of the run, saying why, where lwIP cannot be reached.
class Unavailable : public testing::Environment
{
  public:
    explicit Unavailable(std::string why) : why_(std::move(why)) {}
    void SetUp() override { GTEST_SKIP() << why_; }

  private:
    std::string why_;
};

} // namespace

int main(int argc, char **argv)
{
    // Before googletest takes its flags out of argv: the namespace runs this program again
    // with all of them.
    const char *unavailable = nullptr;
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], "--stack=lwip") == 0 &&
            !test_support::enter_lwip_namespace(argv, unavailable))
            break;
    testing::InitGoogleMock(&argc, argv);
    if (unavailable)
        testing::AddGlobalTestEnvironment(new Unavailable(unavailable));
    for (int i = 1; i < argc; ++i)
    {
        if (std::strncmp(argv[i], "--poller=", 9) != 0)
            continue;
        int kind = tcpserver_poller_from_name(argv[i] + 9);
        if (kind < 0)
        {
            std::fprintf(stderr, "unknown poller %s (select, poll, epoll, uring or auto)\n", argv[i] + 9);
            return 2;
        }
        tcpserver_set_default_poller(static_cast<rt_uint8_t>(kind));
    }
    return RUN_ALL_TESTS();
}
