// msh without a terminal: commands from a pipe, from -c and from a script. A full echo flow
// (start, clients, connect/disconnect lines, byte-exact echo, stop, port free again, exit),
// several servers, and one clear line for every kind of bad input, with a failing exit status.
// SPDX-License-Identifier: Apache-2.0
#include "c_server.h"
#include "loopback_client.h"
#include "child_process.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

using namespace test_support;

namespace
{

// The number of lines of `text`.
std::size_t line_count(const std::string &text)
{
    std::size_t lines = 0;
    for (char c : text)
        lines += c == '\n';
    return lines;
}

} // namespace

TEST(ShellPipe, EchoServerFromStartToStop)
{
    ChildProcess shell({}, false);
    shell.type("tcpserver 127.0.0.1 0\n");
    ASSERT_TRUE(shell.expect("tcpserver started on 127.0.0.1 port ")) << shell.transcript();
    ASSERT_TRUE(shell.expect(", 5 clients at most\n"));
    unsigned port = started_port(shell.transcript());
    ASSERT_NE(port, 0u);
    {
        LoopbackClient a("127.0.0.1", static_cast<std::uint16_t>(port));
        LoopbackClient b("127.0.0.1", static_cast<std::uint16_t>(port));
        std::string message = random_bytes(100000, 51);
        ASSERT_TRUE(a.send_all(message));
        EXPECT_TRUE(a.recv_exact(message.size()) == message);
        ASSERT_TRUE(b.send_all("hello"));
        EXPECT_EQ(b.recv_exact(5), "hello");
        EXPECT_TRUE(shell.expect(" D/tcpserv: client connect:"));
    }
    EXPECT_TRUE(shell.expect(" D/tcpserv: client disconnect:"));
    shell.type("tcpserver_list\n");
    EXPECT_TRUE(shell.expect("127.0.0.1")) << shell.transcript();
    shell.type("tcpserver_stop\n");
    EXPECT_TRUE(shell.expect("tcpserver stopped on 127.0.0.1 port " + std::to_string(port) + "\n"));
    // The port is free again.
    ServerPtr again = create_server("127.0.0.1", static_cast<rt_uint16_t>(port));
    EXPECT_NE(again, nullptr) << tcpserver_strerror();
    shell.type("exit\n");
    EXPECT_EQ(shell.wait_exit(), 0);
}

TEST(ShellPipe, CommandsFromMinusC)
{
    Finished run = run_shell({"-c", "version; tcpserver 127.0.0.1 0 --clients 7 --poller epoll; "
                                    "tcpserver_list; tcpserver_stop"});
    EXPECT_EQ(run.status, 0) << run.output;
    EXPECT_NE(run.output.find("tcpserver 0."), std::string::npos);
    EXPECT_NE(run.output.find(", 7 clients at most"), std::string::npos);
    EXPECT_NE(run.output.find("tcpserver stopped on 127.0.0.1"), std::string::npos);
}

TEST(ShellPipe, CommandsFromAScriptFile)
{
    std::string home = scratch_home();
    std::string script = home + "/start.msh";
    std::ofstream(script) << "tcpserver 127.0.0.1 0\ntcpserver_list\n";
    Finished run = run_shell({script});
    EXPECT_EQ(run.status, 0) << run.output;
    EXPECT_NE(run.output.find("tcpserver started on"), std::string::npos);
    // Leaving stops what is still running.
    EXPECT_NE(run.output.find("tcpserver stopped on 127.0.0.1"), std::string::npos) << run.output;
    remove_scratch(home);
}

TEST(ShellPipe, HelpListsTheSampleCommands)
{
    Finished run = run_shell({"-c", "help"});
    EXPECT_EQ(run.status, 0);
    EXPECT_NE(run.output.find(
                  "\ntcpserver        - start an echo server: tcpserver <ip> <port> [--clients N]"),
              std::string::npos)
        << run.output;
    for (const char *command :
         {"tcpserver ", "tcpserver_stop ", "tcpserver_list ", "ifconfig ", "exit ", "help "})
        EXPECT_NE(run.output.find(std::string("\n") + command), std::string::npos)
            << command << run.output;
}

TEST(ShellPipe, SeveralServersAndChoosingWhichToStop)
{
    ChildProcess shell({}, false);
    shell.type("tcpserver 127.0.0.1 0\n");
    ASSERT_TRUE(shell.expect("tcpserver started on 127.0.0.1 port "));
    ASSERT_TRUE(shell.expect("\n"));
    unsigned first = started_port(shell.transcript());
    shell.type("tcpserver 127.0.0.2 " + std::to_string(first) + "\n");
    ASSERT_TRUE(shell.expect("tcpserver started on 127.0.0.2 port " + std::to_string(first)))
        << shell.transcript();
    shell.type("tcpserver_stop\n");
    EXPECT_TRUE(shell.expect("tcpserver_stop: 2 servers run; say which"));
    shell.type("tcpserver_stop " + std::to_string(first) + "\n");
    EXPECT_TRUE(shell.expect("tcpserver_stop: 2 servers run; say which"));
    shell.type("tcpserver_stop 127.0.0.2 " + std::to_string(first) + "\n");
    EXPECT_TRUE(shell.expect("tcpserver stopped on 127.0.0.2 port " + std::to_string(first)));
    shell.type("tcpserver_stop " + std::to_string(first) + "\n");
    EXPECT_TRUE(shell.expect("tcpserver stopped on 127.0.0.1 port " + std::to_string(first)));
    shell.close_input();
    EXPECT_EQ(shell.wait_exit(), 1) << "two of the commands failed";
}

TEST(ShellPipe, EveryBadInputGetsOneClearLine)
{
    ServerPtr taken = create_server("127.0.0.1", 0);
    ASSERT_NE(taken, nullptr);
    const std::string in_use = "tcpserver 127.0.0.1 " + std::to_string(taken->port);
    const std::string long_line(5000, 'x');
    std::string many_arguments = "tcpserver";
    for (int i = 0; i < 70; ++i)
        many_arguments += " 1";
    struct Case
    {
        std::string line;
        std::string says;
    };
    const Case cases[] = {
        {"tcpserver not.an.ip 5000", "not a numeric IPv4 or IPv6 address"},
        {"tcpserver 198.51.100.7 5000", "the address is not available on this host"},
        {"tcpserver 127.0.0.1", "give an address and a port"},
        {"tcpserver 127.0.0.1 65536", "the port must be a number from 0 to 65535, not '65536'"},
        {"tcpserver 127.0.0.1 http", "the port must be a number from 0 to 65535, not 'http'"},
        {"tcpserver 127.0.0.1 -1", "the port must be a number from 0 to 65535, not '-1'"},
        {"tcpserver 127.0.0.1 0 --clients 0", "--clients takes a number from 1 to 65535"},
        {"tcpserver 127.0.0.1 0 --clients", "--clients needs a value"},
        {"tcpserver 127.0.0.1 0 --poller kqueue",
         "unknown poller 'kqueue' (available: select, poll, epoll, uring, auto)"},
        {"tcpserver 127.0.0.1 0 --color red", "unknown setting '--color'"},
        {in_use, "the address is already in use"},
        {"tcpserver_stop", "no tcpserver is running"},
        {"tcpserver_stop 1 2 3", "Usage: tcpserver_stop"},
        {many_arguments, "too many arguments (at most 64)"},
        {long_line, "line too long (5000 characters, at most 4096)"},
        {"tcpserver \"127.0.0.1 5000", "unterminated quote"},
        {"frobnicate now", "frobnicate: command not found."},
        {"loglevel loud", "usage: loglevel"},
    };
    for (const Case &c : cases)
    {
        Finished run = run_shell({"-q", "-c", c.line}); // -q: no banner, errors only
        EXPECT_EQ(run.status, 1) << c.line;
        EXPECT_NE(run.output.find(c.says), std::string::npos) << c.line << " said: " << run.output;
        EXPECT_EQ(line_count(run.output), 1u) << c.line << " said: " << run.output;
    }
}

TEST(ShellPipe, BinaryGarbageOnStandardInput)
{
    std::string garbage = random_bytes(20000, 61);
    garbage += "\nversion\n";
    Finished run = run_shell({}, garbage);
    EXPECT_EQ(run.status, 1); // the garbage lines failed
    EXPECT_NE(run.output.find("command not found."), std::string::npos);
    EXPECT_NE(run.output.find("tcpserver 0."), std::string::npos)
        << "it carried on to the last line";
    for (unsigned char c : run.output)
        ASSERT_TRUE(c == '\n' || (c >= 0x20 && c < 0x7f)) << "control bytes are shown escaped";
}

TEST(ShellPipe, QuietAndVerboseLogging)
{
    for (const char *level : {"-q", "-v"})
    {
        ChildProcess shell({level}, false);
        shell.type("tcpserver 127.0.0.1 0\n");
        ASSERT_TRUE(shell.expect(" clients at most\n"));
        unsigned port = started_port(shell.transcript());
        {
            LoopbackClient peer("127.0.0.1", static_cast<std::uint16_t>(port));
            ASSERT_TRUE(peer.send_all("x"));
            ASSERT_EQ(peer.recv_exact(1), "x");
        }
        shell.type("tcpserver_stop\n");
        ASSERT_TRUE(shell.expect("tcpserver stopped on"));
        shell.close_input();
        shell.wait_exit();
        bool connect_logged = shell.transcript().find("client connect:") != std::string::npos;
        EXPECT_EQ(connect_logged, std::string(level) == "-v") << level << shell.transcript();
    }
}

TEST(ShellPipe, IfconfigShowsTheLoopbackInterface)
{
    Finished run = run_shell({"-c", "ifconfig"});
    EXPECT_EQ(run.status, 0) << run.output;
    std::size_t lo = run.output.find("network interface device: lo");
    ASSERT_NE(lo, std::string::npos) << run.output;
    std::string block =
        run.output.substr(lo, run.output.find("network interface device:", lo + 1) - lo);
    EXPECT_NE(block.find("\nMTU: "), std::string::npos) << block;
    EXPECT_NE(block.find("\nFLAGS: UP"), std::string::npos) << block;
    EXPECT_NE(block.find("LOOPBACK"), std::string::npos) << block;
    EXPECT_NE(block.find("\nip address: 127.0.0.1\n"), std::string::npos) << block;
    EXPECT_NE(block.find("\nnet mask: 255.0.0.0\n"), std::string::npos) << block;
}

TEST(ShellPipe, IfconfigShowsWholeMacAddresses)
{
    Finished run = run_shell({"-c", "ifconfig"});
    ASSERT_EQ(run.status, 0) << run.output;
    int checked = 0;
    for (const auto &entry : std::filesystem::directory_iterator("/sys/class/net"))
    {
        std::ifstream file(entry.path() / "address");
        std::string address;
        if (!std::getline(file, address) || address.empty())
            continue;
        std::replace(address.begin(), address.end(), ':', ' ');
        std::string name = entry.path().filename();
        std::size_t block = run.output.find("network interface device: " + name);
        if (block == std::string::npos)
            continue; // an interface without an address the C library reports
        std::size_t end = run.output.find("network interface device:", block + 1);
        std::string text = run.output.substr(block, end - block);
        EXPECT_NE(text.find("\nMAC: " + address + "\n"), std::string::npos) << text;
        ++checked;
    }
    EXPECT_GT(checked, 0) << "at least the loopback interface has a MAC line";
}

TEST(ShellPipe, TcpserverAloneShowsUsageAndWhatRuns)
{
    Finished idle = run_shell({"-c", "tcpserver"});
    EXPECT_EQ(idle.status, 0);
    EXPECT_NE(idle.output.find("Usage: tcpserver <ip> <port>"), std::string::npos) << idle.output;
    EXPECT_NE(idle.output.find("no tcpserver is running"), std::string::npos) << idle.output;
    Finished busy = run_shell({"-c", "tcpserver 127.0.0.1 0 --clients 9; tcpserver"});
    EXPECT_EQ(busy.status, 0);
    std::string port = std::to_string(started_port(busy.output));
    EXPECT_NE(busy.output.find("address                   port stack  poller      clients"),
              std::string::npos)
        << busy.output;
    std::size_t row = busy.output.find("\n127.0.0.1 ");
    ASSERT_NE(row, std::string::npos) << busy.output;
    std::string line = busy.output.substr(row + 1, busy.output.find('\n', row + 1) - row - 1);
    EXPECT_NE(line.find(" " + port + " "), std::string::npos) << line;
}
