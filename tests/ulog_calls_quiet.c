/*
 * A file that logs warnings and worse only (LOG_LVL), under its own LOG_TAG.
 * SPDX-License-Identifier: Apache-2.0
 */
#define LOG_TAG "quiet"
#define LOG_LVL LOG_LVL_WARNING
#include <ulog.h>

void ulog_calls_quiet(void)
{
    LOG_W("kept");
    LOG_I("compiled out");
    LOG_D("compiled out");
}
