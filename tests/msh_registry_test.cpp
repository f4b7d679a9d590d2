// MSH_CMD_EXPORT from a C file registers commands before main(); they show in help, run with
// msh-split arguments, and failures are reported once; unknown commands say so.
// SPDX-License-Identifier: Apache-2.0
#include "shell_capture.h"

#include <msh.h>

#include <gtest/gtest.h>

#include <cstring>

extern "C"
{
extern int test_argc_seen;
extern char test_last_argument[64];
}

namespace
{
std::string run_captured(const std::string &line, int &status)
{
    return test_support::run_captured(line, &status);
}
} // namespace

TEST(MshRegistry, ExportedCommandsAreThereBeforeMain)
{
    ASSERT_TRUE(msh::find("hello_from_c"));
    EXPECT_EQ(msh::find("hello_from_c")->description, "say hello from a C file");
    ASSERT_TRUE(msh::find("quiet_failure"));
    EXPECT_FALSE(msh::find("fails_quietly")) << "the alias replaces the function's name";
}

TEST(MshRegistry, HelpListsThem)
{
    msh::register_builtins();
    int status;
    std::string help = run_captured("help", status);
    EXPECT_EQ(status, 0);
    EXPECT_NE(help.find("hello_from_c     - say hello from a C file\n"), std::string::npos) << help;
    EXPECT_NE(help.find("quiet_failure    - fail without a word\n"), std::string::npos) << help;
}

TEST(MshRegistry, RunsWithSplitArguments)
{
    int status;
    std::string output = run_captured("hello_from_c one \"two three\"", status);
    EXPECT_EQ(status, 0);
    EXPECT_EQ(test_argc_seen, 3);
    EXPECT_STREQ(test_last_argument, "two three");
    EXPECT_EQ(output, "hello from C with 3 arguments\n");
}

TEST(MshRegistry, SilentFailureIsReportedOnce)
{
    int status;
    std::string output = run_captured("quiet_failure", status);
    EXPECT_EQ(status, -7);
    EXPECT_EQ(output, "quiet_failure: failed (-7)\n");
}

TEST(MshRegistry, UnknownCommandSaysSo)
{
    int status;
    std::string output = run_captured("no_such_thing 1 2", status);
    EXPECT_NE(status, 0);
    EXPECT_EQ(output, "no_such_thing: command not found.\n");
}

TEST(MshRegistry, SeveralCommandsOnOneLine)
{
    int status;
    std::string output = run_captured("hello_from_c a; quiet_failure; hello_from_c b c", status);
    EXPECT_EQ(status, -7);
    EXPECT_EQ(output, "hello from C with 2 arguments\nquiet_failure: failed (-7)\nhello from C "
                      "with 3 arguments\n");
}

TEST(MshRegistry, AtExitHooksRunOnceLastFirst)
{
    static std::string order;
    msh_at_exit([] { order += "a"; });
    msh_at_exit([] { order += "b"; });
    msh::run_exit_hooks();
    msh::run_exit_hooks();
    EXPECT_EQ(order, "ba");
}

TEST(MshRegistry, FinshAliasesSpelledCmdAreCommands)
{
    int status;
    EXPECT_EQ(run_captured("old_way x", status), "finsh alias ran with 2 arguments\n");
    EXPECT_EQ(status, 0);
    ASSERT_NE(finsh_syscall_lookup("__cmd_old_way"), nullptr);
    struct finsh_syscall *plain = finsh_syscall_lookup("finsh_only");
    ASSERT_NE(plain, nullptr) << "in finsh's symbol table";
    EXPECT_EQ(plain->func(), 7);
    EXPECT_STREQ(plain->desc, "a finsh function but not an msh command");
    EXPECT_EQ(run_captured("finsh_only", status), "finsh_only: command not found.\n")
        << "as in RT-Thread's msh, only __cmd_ names are commands";
}

TEST(MshRegistry, MshExecRunsALine)
{
    char line[] = "hello_from_c via msh_exec; ignored-after-length";
    testing::internal::CaptureStdout();
    console::install(false);
    int status = msh_exec(line, sizeof("hello_from_c via msh_exec") - 1);
    console::uninstall();
    EXPECT_EQ(status, 0);
    EXPECT_EQ(testing::internal::GetCapturedStdout(), "hello from C with 3 arguments\n");
}

TEST(MshRegistry, ACommandMayRegisterCommandsWhileItRuns)
{
    int status;
    std::string output = run_captured("grow_the_table", status);
    EXPECT_EQ(status, -3);
    EXPECT_EQ(output, "grow_the_table: failed (-3)\n") << "named after the table moved";
    EXPECT_EQ(run_captured("grown_499", status), "grown_499: failed (-7)\n");
}
