// msh told to stop by SIGTERM or SIGHUP (a service manager, a benchmark harness), with its
// commands on a pipe, stops its servers and exits 0 as the exit command does, instead of dying
// of the signal; a board-style program does the same.
// SPDX-License-Identifier: Apache-2.0
#include "child_process.h"
#include "loopback_client.h"

#include <gtest/gtest.h>

#include <csignal>

using namespace test_support;

TEST(ShellSignal, TermAndHupStopTheServersAndExitZero)
{
    for (int signal_number : {SIGTERM, SIGHUP, SIGINT})
    {
        ChildProcess shell({}, false);
        shell.type("tcpserver 127.0.0.1 0\n");
        ASSERT_TRUE(shell.expect("tcpserver started on 127.0.0.1 port ")) << shell.transcript();
        ASSERT_TRUE(shell.expect(", "));
        auto port = static_cast<std::uint16_t>(started_port(shell.transcript()));
        LoopbackClient peer("127.0.0.1", port);
        ASSERT_TRUE(peer.send_all("ping"));
        ASSERT_EQ(peer.recv_exact(4), "ping");
        shell.signal(signal_number);
        EXPECT_EQ(shell.wait_exit(), 0) << strsignal(signal_number) << "\n" << shell.transcript();
        EXPECT_NE(shell.transcript().find("tcpserver stopped on 127.0.0.1 port"), std::string::npos)
            << shell.transcript();
        EXPECT_TRUE(peer.sees_eof()) << "the server was stopped, not abandoned";
    }
}

TEST(ShellSignal, ABoardStyleProgramStopsTheSameWay)
{
    ChildProcess app(BOARD_APP, {}, false);
    ASSERT_TRUE(app.expect("board_app serving on 127.0.0.1 port ")) << app.transcript();
    app.type("board_stats\n");
    ASSERT_TRUE(app.expect("clients served"));
    app.signal(SIGTERM);
    EXPECT_EQ(app.wait_exit(), 0) << app.transcript();
}

// SIGTERM while a command holds the console: the shell's servers stop (the sample's and the
// program's own, through msh_at_exit) and the program exits 0, whether the command returns
// once its server stopped or waits on something nothing will release.
class ShellSignalWhileBusy : public ::testing::TestWithParam<const char *>
{
};

TEST_P(ShellSignalWhileBusy, TermStopsTheServersAndExitsZero)
{
    ChildProcess app(BLOCKING_COMMAND_APP, {}, false);
    ASSERT_TRUE(app.expect("blocking_command_app serving on")) << app.transcript();
    app.type("tcpserver 127.0.0.1 0\n");
    ASSERT_TRUE(app.expect("tcpserver started on 127.0.0.1 port ")) << app.transcript();
    ASSERT_TRUE(app.expect(", "));
    auto port = static_cast<std::uint16_t>(started_port(app.transcript()));
    LoopbackClient peer("127.0.0.1", port);
    ASSERT_TRUE(peer.send_all("ping"));
    ASSERT_EQ(peer.recv_exact(4), "ping");

    const std::string command = GetParam();
    app.type(command + "\n");
    ASSERT_TRUE(app.expect(command + ": waiting")) << app.transcript();
    app.signal(SIGTERM);
    EXPECT_EQ(app.wait_exit(), 0) << app.transcript();
    EXPECT_NE(app.transcript().find("tcpserver stopped on 127.0.0.1 port"), std::string::npos)
        << app.transcript();
    EXPECT_NE(app.transcript().find("blocking_command_app: server stopped"), std::string::npos)
        << app.transcript();
    EXPECT_TRUE(peer.sees_eof()) << "the server was stopped, not abandoned";
}

INSTANTIATE_TEST_SUITE_P(Commands, ShellSignalWhileBusy,
                         ::testing::Values("wait_client", "wait_forever"));
