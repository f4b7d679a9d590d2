// msh on a real pseudo-terminal, as a user at the console has it: the prompt, a server started
// and stopped, log lines arriving while a line is typed (the line stays intact), Ctrl-C
// abandoning a line, Ctrl-D leaving after stopping servers, TAB completion, and history kept
// across runs.
// SPDX-License-Identifier: Apache-2.0
#include "c_server.h"
#include "loopback_client.h"
#include "child_process.h"

#include <gtest/gtest.h>

#include <cstdlib>

using namespace test_support;

namespace
{
// Types `tcpserver 127.0.0.1 0` at the prompt; the port it serves on, or 0.
unsigned start_echo_server(ChildProcess &shell)
{
    if (!shell.expect("msh />"))
        return 0;
    shell.type("tcpserver 127.0.0.1 0\r");
    if (!shell.expect("tcpserver started on 127.0.0.1 port ") || !shell.expect("msh />"))
        return 0;
    return started_port(shell.transcript());
}
} // namespace

TEST(ShellPty, EchoServerFromTheConsole)
{
    ChildProcess shell({}, true);
    unsigned port = start_echo_server(shell);
    ASSERT_NE(port, 0u) << shell.transcript();
    {
        LoopbackClient peer("127.0.0.1", static_cast<std::uint16_t>(port));
        std::string message = random_bytes(50000, 71);
        ASSERT_TRUE(peer.send_all(message));
        EXPECT_TRUE(peer.recv_exact(message.size()) == message);
        EXPECT_TRUE(shell.expect("D/tcpserv: client connect:")) << shell.transcript();
    }
    EXPECT_TRUE(shell.expect("D/tcpserv: client disconnect:")) << shell.transcript();
    shell.type("tcpserver_stop\r");
    EXPECT_TRUE(shell.expect("tcpserver stopped on 127.0.0.1 port " + std::to_string(port)));
    EXPECT_NE(create_server("127.0.0.1", static_cast<rt_uint16_t>(port)), nullptr)
        << "port free again";
    shell.type("exit\r");
    EXPECT_EQ(shell.wait_exit(), 0);
}

TEST(ShellPty, LogLineWhileTypingLeavesTheLineIntact)
{
    ChildProcess shell({}, true);
    unsigned port = start_echo_server(shell);
    ASSERT_NE(port, 0u) << shell.transcript();
    shell.type("tcpserver_li");
    ASSERT_TRUE(shell.expect("tcpserver_li"));
    LoopbackClient peer("127.0.0.1", static_cast<std::uint16_t>(port));
    ASSERT_TRUE(shell.expect("D/tcpserv: client connect:"));
    // The prompt and the partial line are drawn again below the log line...
    ASSERT_TRUE(shell.expect("msh />tcpserver_li")) << shell.transcript();
    // ...and the line still holds what was typed: finishing it runs tcpserver_list.
    shell.type("st\r");
    EXPECT_TRUE(shell.expect("address ")) << shell.transcript();
    EXPECT_EQ(shell.transcript().find("command not found"), std::string::npos)
        << shell.transcript();
    shell.type("exit\r");
    EXPECT_EQ(shell.wait_exit(), 0);
}

TEST(ShellPty, CtrlCAbandonsTheLineNotTheShell)
{
    ChildProcess shell({}, true);
    ASSERT_TRUE(shell.expect("msh />"));
    shell.type("frobnicate");
    ASSERT_TRUE(shell.expect("frobnicate"));
    shell.type("\x03");
    ASSERT_TRUE(shell.expect("^C")) << shell.transcript();
    ASSERT_TRUE(shell.expect("msh />"));
    shell.type("version\r");
    EXPECT_TRUE(shell.expect("tcpserver 0.")) << shell.transcript();
    EXPECT_EQ(shell.transcript().find("command not found"), std::string::npos);
    shell.type("exit\r");
    EXPECT_EQ(shell.wait_exit(), 0);
}

TEST(ShellPty, CtrlDStopsServersAndLeaves)
{
    ChildProcess shell({}, true);
    unsigned port = start_echo_server(shell);
    ASSERT_NE(port, 0u) << shell.transcript();
    LoopbackClient peer("127.0.0.1", static_cast<std::uint16_t>(port));
    ASSERT_TRUE(shell.expect("client connect:"));
    shell.type("\x04");
    EXPECT_EQ(shell.wait_exit(), 0);
    EXPECT_NE(
        shell.transcript().find("tcpserver stopped on 127.0.0.1 port " + std::to_string(port)),
        std::string::npos)
        << shell.transcript();
    EXPECT_TRUE(peer.sees_eof());
}

TEST(ShellPty, TabCompletesCommandNames)
{
    ChildProcess shell({}, true);
    ASSERT_TRUE(shell.expect("msh />"));
    shell.type("vers\t\r");
    EXPECT_TRUE(shell.expect("tcpserver 0.")) << shell.transcript();
    shell.type("exit\r");
    EXPECT_EQ(shell.wait_exit(), 0);
}

TEST(ShellPty, HistoryIsKeptAcrossRuns)
{
    std::string home = scratch_home();
    {
        ChildProcess shell({}, true, home);
        ASSERT_TRUE(shell.expect("msh />"));
        shell.type("version\r");
        ASSERT_TRUE(shell.expect("tcpserver 0."));
        shell.type("exit\r");
        ASSERT_EQ(shell.wait_exit(), 0);
    }
    ChildProcess shell({}, true, home);
    ASSERT_TRUE(shell.expect("msh />"));
    shell.type("\x1b[A\x1b[A\r"); // up twice: past "exit" to "version"
    EXPECT_TRUE(shell.expect("tcpserver 0.")) << shell.transcript();
    shell.type("exit\r");
    EXPECT_EQ(shell.wait_exit(), 0);
    remove_scratch(home);
}
