// INIT_x_EXPORT functions run in RT-Thread's level order -- board, then prev, device,
// component, env, app, and within a level in link order -- each level once, and the shell
// runs them before it reads its first command.
// SPDX-License-Identifier: Apache-2.0
#include "child_process.h"

#include <rtthread.h>

#include <gtest/gtest.h>

#include <string>

extern "C" char init_log[64];

TEST(AutoInit, LevelsRunInOrderOnce)
{
    EXPECT_STREQ(init_log, "") << "nothing runs before it is asked for";
    rt_components_board_init();
    EXPECT_STREQ(init_log, "B");
    rt_components_init();
    EXPECT_STREQ(init_log, "BPDCEAa");
    rt_components_board_init();
    rt_components_init();
    EXPECT_STREQ(init_log, "BPDCEAa") << "each level runs once";
}

TEST(AutoInit, TheShellRunsThemBeforeItsFirstCommand)
{
    // board_app's INIT_APP_EXPORT function prints before the console takes any command.
    test_support::ChildProcess app(BOARD_APP, {"-c", "board_stats"}, false);
    ASSERT_EQ(app.wait_exit(), 0) << app.transcript();
    const std::string &out = app.transcript();
    auto initialised = out.find("board_app: initialised");
    auto stats = out.find("clients served");
    ASSERT_NE(initialised, std::string::npos) << out;
    ASSERT_NE(stats, std::string::npos) << out;
    EXPECT_LT(initialised, stats);
}
