/*
 * Application files' logging through ulog, as a board's are written: one file with the
 * rtdbg-style DBG_TAG/DBG_LVL, one part with its own LOG_TAG/LOG_LVL (ulog_calls_quiet.c).
 * SPDX-License-Identifier: Apache-2.0
 */
#define DBG_TAG "app"
#define DBG_LVL DBG_LOG
#include <ulog.h>

void ulog_calls_every_level(void)
{
    LOG_E("error %d", 1);
    LOG_W("warning %s", "two");
    LOG_I("info");
    LOG_D("debug");
    LOG_RAW("raw %d|", 5);
}

void ulog_calls_tagged(void)
{
    ulog_e("net", "down");
    ulog_i("net", "up");
}

void ulog_calls_hex(void)
{
    static const rt_uint8_t bytes[20] = "ABCDEFGHIJKLMNOP\x01\x02\x7f";
    LOG_HEX("frame", 16, bytes, sizeof(bytes));
}
