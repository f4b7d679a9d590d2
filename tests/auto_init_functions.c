/*
 * Auto-initialisation functions exported as an RT-Thread application file does, one of each
 * level, registered here out of order, for auto_init_test.cpp.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <rtthread.h>

char init_log[64];

static void record(char letter)
{
    rt_size_t used = rt_strlen(init_log);
    if (used + 1 < sizeof(init_log))
        init_log[used] = letter;
}

static int app_level(void)
{
    record('A');
    return 0;
}
INIT_APP_EXPORT(app_level);

static int device_level(void)
{
    record('D');
    return 0;
}
INIT_DEVICE_EXPORT(device_level);

static int board_level(void)
{
    record('B');
    return 0;
}
INIT_BOARD_EXPORT(board_level);

static int env_level(void)
{
    record('E');
    return 0;
}
INIT_ENV_EXPORT(env_level);

static int prev_level(void)
{
    record('P');
    return 0;
}
INIT_PREV_EXPORT(prev_level);

static int component_level(void)
{
    record('C');
    return 0;
}
INIT_COMPONENT_EXPORT(component_level);

static int second_app_level(void)
{
    record('a');
    return 0;
}
INIT_APP_EXPORT(second_app_level);
