// A board-style program: its own main() runs in RT-Thread's "main" thread while the console
// runs; the boot banner comes first; the console lists the program's own threads and objects;
// and a host program that calls tcpserver_shell_main() itself joins the running console.
// SPDX-License-Identifier: Apache-2.0
#include "child_process.h"
#include "loopback_client.h"

#include <gtest/gtest.h>

using namespace test_support;

TEST(BoardMain, MainRunsBesideTheConsoleAfterTheBanner)
{
    ChildProcess app(BOARD_APP, {}, false);
    ASSERT_TRUE(app.expect("board_app serving on 127.0.0.1 port ")) << app.transcript();
    ASSERT_TRUE(app.expect("\n"));
    const std::string boot = app.transcript();
    EXPECT_EQ(boot.find("\n \\ | /\n- RT -     Thread Operating System\n / | \\     "), 0u)
        << "the banner comes first:\n"
        << boot;
    EXPECT_LT(boot.find("Copyright"), boot.find("board_app: initialised"));
    auto port = static_cast<std::uint16_t>(port_after(boot, "serving on 127.0.0.1 port"));

    LoopbackClient peer("127.0.0.1", port);
    ASSERT_TRUE(peer.send_all("hello board"));
    EXPECT_EQ(peer.recv_exact(11), "hello board");
    app.type("board_stats\n");
    EXPECT_TRUE(app.expect("clients served 1, connected 1, bytes echoed 11")) << app.transcript();
    // The program's threads, the kernel's and the server's, as ps lists them; "version" marks
    // the end of the list.
    std::size_t before = app.transcript().size();
    app.type("ps; version\n");
    ASSERT_TRUE(
        app.expect("thread   pri  status      sp     stack size max used left tick  error"));
    ASSERT_TRUE(app.expect("\ntcpserver "));
    std::string listed = app.transcript().substr(before);
    for (const char *line : {"\ntshell    20  running", "\nmain      10  suspend",
                             "\ntimer      4  ", /* suspend, or ready as its second ticks */
                             "\ntcpserv   12", "\naccept    12", "\nclient    18"})
        EXPECT_NE(listed.find(line), std::string::npos) << line << " missing from ps:\n" << listed;
    app.type("list_mailbox\n");
    EXPECT_TRUE(app.expect("departs  0000  0016 1:main")) << app.transcript();
    app.type("list_timer\n");
    EXPECT_TRUE(app.expect("uptime   0x000003e8")) << app.transcript();
    peer.close();
    EXPECT_TRUE(app.expect("left")) << app.transcript();
    app.type("exit\n");
    EXPECT_EQ(app.wait_exit(), 0) << app.transcript();
}

TEST(BoardMain, AShellMainOfItsOwnJoinsTheConsole)
{
    ChildProcess app(BOARD_SHELL_CONSUMER, {"-c", "hello one two"}, false);
    EXPECT_EQ(app.wait_exit(), 0) << app.transcript();
    EXPECT_NE(app.transcript().find("hello from the consumer, 3 arguments, last two"),
              std::string::npos)
        << app.transcript();
}
