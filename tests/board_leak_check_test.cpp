// A board program ends with nothing of the runtime's own threads in valgrind's leak check: the
// "main" thread (still waiting in its loop when the console leaves) and the timer thread end
// before the process does, so an application's own leak check starts clean. The program
// destroys its one server at exit, so any possibly lost block is the runtime's.
// SPDX-License-Identifier: Apache-2.0
#include "child_process.h"

#include <gtest/gtest.h>

#include <unistd.h>

using namespace test_support;

TEST(BoardLeakCheck, TheRuntimesThreadsLeaveNothingBehind)
{
#ifdef TCPSERVER_TEST_SANITIZED
    GTEST_SKIP() << "a sanitizer's build cannot run under valgrind";
#endif
    if (access("/usr/bin/valgrind", X_OK) != 0)
        GTEST_SKIP() << "valgrind is not installed (scripts/install-deps.sh test installs it)";
    ChildProcess app("/usr/bin/valgrind",
                     {"--leak-check=full", "--show-leak-kinds=definite,possible",
                      "--errors-for-leak-kinds=definite,possible", "--error-exitcode=99",
                      BLOCKING_COMMAND_APP, "-c", "ps"},
                     false);
    EXPECT_EQ(app.wait_exit(std::chrono::seconds(60)), 0) << app.transcript();
    EXPECT_NE(app.transcript().find("ERROR SUMMARY: 0 errors"), std::string::npos)
        << app.transcript();
}
