// Running shell lines in the test's own process and reading what they printed (for tests that
// link the shell library).
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "console.h"
#include "msh_core.h"

#include <gtest/gtest.h>

#include <string>

namespace test_support
{

/** Runs `line` as msh would and returns its output; `status`, if given, gets its status. */
inline std::string run_captured(const std::string &line, int *status = nullptr)
{
    testing::internal::CaptureStdout();
    console::install(false);
    int result = msh::execute(line);
    console::uninstall();
    if (status)
        *status = result;
    return testing::internal::GetCapturedStdout();
}

} // namespace test_support
