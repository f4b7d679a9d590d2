// Packet loss, a slow link and a peer that vanishes, inside a network namespace each scenario
// creates for itself (unshare -n; nft random drop; tc tbf): the echo stays byte-exact,
// timeouts are honoured, keepalive finds the vanished peer; on either stack. Skipped, saying why,
// where namespaces are not permitted. The scenarios are in impaired_link_scenarios.cpp.
// SPDX-License-Identifier: Apache-2.0
#include "child_process.h"
#include "test_stack.h"

#include <gtest/gtest.h>

#include <tcpserver.hpp>

#include <cstdlib>

using namespace test_support;

namespace
{

constexpr int kSetupFailed = 77;

void run_scenario(const char *scenario)
{
    if (std::system("unshare -n true >/dev/null 2>&1") != 0)
        GTEST_SKIP() << "network namespaces are not permitted here (unshare -n failed)";
    ChildProcess child("/usr/bin/unshare",
                       {"-n", IMPAIRED_LINK_SCENARIOS, scenario,
                        tcp_server::to_string(tcp_server::default_backend()),
                        on_lwip() ? "lwip" : "kernel"},
                       false);
    child.expect("scenario ", std::chrono::seconds(120));
    int status = child.wait_exit(std::chrono::seconds(30));
    std::printf("%s", child.transcript().c_str());
    if (status == kSetupFailed)
        GTEST_SKIP() << "the namespace could not be impaired: " << child.transcript();
    EXPECT_EQ(status, 0) << child.transcript();
}

} // namespace

TEST(ImpairedLink, EchoStaysExactAndTimeoutsHoldUnderLossOnASlowLink)
{
    run_scenario("loss");
}

TEST(ImpairedLink, KeepaliveEndsAConnectionToAVanishedPeer)
{
    run_scenario("vanish");
}
