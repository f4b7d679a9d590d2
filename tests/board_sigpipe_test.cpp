// A board program's send to a peer that reset the connection returns -1 with EPIPE or
// ECONNRESET, as on a board; SIGPIPE never ends the program, whose console goes on.
// SPDX-License-Identifier: Apache-2.0
#include "child_process.h"

#include <gtest/gtest.h>

using namespace test_support;

TEST(BoardSigpipe, ASendToAResetPeerFailsAndTheProgramGoesOn)
{
    ChildProcess app(RESET_PEER_APP, {"-q"}, false);
    app.type("send_after_reset\n");
    ASSERT_TRUE(app.expect("send_after_reset: -1 ")) << app.transcript();
    ASSERT_TRUE(app.expect("\n"));
    std::string said = app.transcript();
    said = said.substr(said.rfind("send_after_reset: -1 "));
    EXPECT_TRUE(said == "send_after_reset: -1 EPIPE\n" ||
                said == "send_after_reset: -1 ECONNRESET\n")
        << said;
    app.type("version\n");
    EXPECT_TRUE(app.expect("tcpserver ")) << "the console goes on: " << app.transcript();
    app.type("exit\n");
    EXPECT_EQ(app.wait_exit(), 0) << app.transcript();
}
