// msh greets as a board does: RT-Thread's logo, version and build line before the first prompt,
// unless -q; `version` prints the same banner, then the package's version. A board program
// started with -q prints no banner either.
// SPDX-License-Identifier: Apache-2.0
#include "child_process.h"

#include <gtest/gtest.h>

#include <string>

using namespace test_support;

namespace
{

const char kLogo[] = "\n \\ | /\n- RT -     Thread Operating System\n / | \\     ";

// The banner's lines from the logo to the copyright line, or "" without one; a terminal's
// line ends ("\r\n") read as "\n".
std::string banner_in(std::string text)
{
    std::erase(text, '\r');
    std::size_t start = text.find(kLogo);
    std::size_t end = text.find("Copyright by RT-Thread team\n", start);
    if (start == std::string::npos || end == std::string::npos)
        return "";
    return text.substr(start, end - start);
}

} // namespace

TEST(ShellBanner, ComesBeforeTheFirstPrompt)
{
    ChildProcess shell({}, true);
    ASSERT_TRUE(shell.expect("msh />")) << shell.transcript();
    std::string boot = shell.transcript();
    std::erase(boot, '\r');
    ASSERT_NE(banner_in(boot), "") << boot;
    EXPECT_LT(boot.find(kLogo), boot.find("msh />"));
    EXPECT_NE(boot.find(" build "), std::string::npos) << "the build line: " << boot;
    shell.type("exit\r");
    EXPECT_EQ(shell.wait_exit(), 0);
}

TEST(ShellBanner, VersionPrintsTheSameBanner)
{
    ChildProcess shell({}, true);
    ASSERT_TRUE(shell.expect("msh />"));
    std::string at_start = banner_in(shell.transcript());
    ASSERT_NE(at_start, "") << shell.transcript();
    std::size_t before = shell.transcript().size();
    shell.type("version\r");
    ASSERT_TRUE(shell.expect("tcpserver 0.")) << shell.transcript();
    EXPECT_EQ(banner_in(shell.transcript().substr(before)), at_start) << shell.transcript();
    shell.type("exit\r");
    EXPECT_EQ(shell.wait_exit(), 0);
}

TEST(ShellBanner, QuietLeavesItOut)
{
    Finished run = run_shell({"-q", "-c", "help"});
    EXPECT_EQ(run.status, 0) << run.output;
    EXPECT_EQ(run.output.find("Thread Operating System"), std::string::npos) << run.output;
    EXPECT_NE(run.output.find("RT-Thread shell commands:"), std::string::npos) << run.output;

    Finished loud = run_shell({"-c", "help"});
    EXPECT_EQ(loud.output.find(kLogo), 0u) << "without -q the banner comes first: " << loud.output;
}

TEST(ShellBanner, ABoardProgramWithQuietLeavesItOut)
{
    ChildProcess app(BOARD_APP, {"-q"}, false);
    ASSERT_TRUE(app.expect("board_app serving on 127.0.0.1 port ")) << app.transcript();
    EXPECT_EQ(app.transcript().find("Thread Operating System"), std::string::npos)
        << app.transcript();
    app.type("exit\n");
    EXPECT_EQ(app.wait_exit(), 0) << app.transcript();
}
