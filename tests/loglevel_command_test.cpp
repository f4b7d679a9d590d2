// loglevel names the level set, sets one by name, and copes with a level rt_dbg_set_level() was
// given outside DBG_ERROR..DBG_LOG (it used to index its name table with it).
// SPDX-License-Identifier: Apache-2.0
#include "shell_capture.h"

#include <rtdbg.h>

#include <gtest/gtest.h>

using test_support::run_captured;

namespace
{

std::string run(const std::string &line)
{
    return run_captured(line);
}

} // namespace

TEST(LoglevelCommand, NamesAndSetsTheLevel)
{
    msh::register_builtins();
    EXPECT_EQ(run("loglevel warning"), "");
    EXPECT_EQ(rt_dbg_get_level(), DBG_WARNING);
    EXPECT_EQ(run("loglevel"), "log level: warning\n");
    rt_dbg_set_level(DBG_LOG);
}

TEST(LoglevelCommand, ALevelOutsideTheNamesIsShownAsANumber)
{
    msh::register_builtins();
    for (int level : {4, 7, -1})
    {
        rt_dbg_set_level(level);
        EXPECT_EQ(run("loglevel"), "log level: " + std::to_string(level) +
                                       " (not one of error, warning, info, debug)\n");
    }
    rt_dbg_set_level(DBG_LOG);
}
