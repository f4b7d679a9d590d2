/*
 * Commands exported as an RT-Thread application file does, compiled as C, for
 * msh_registry_test.cpp.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <rtthread.h>

int test_argc_seen = 0;
char test_last_argument[64];

static int hello_from_c(int argc, char **argv)
{
    test_argc_seen = argc;
    rt_strncpy(test_last_argument, argv[argc - 1], sizeof(test_last_argument) - 1);
    rt_kprintf("hello from C with %d arguments\n", argc);
    return 0;
}
MSH_CMD_EXPORT(hello_from_c, say hello from a C file);

static int fails_quietly(int argc, char **argv)
{
    RT_UNUSED(argc);
    RT_UNUSED(argv);
    return -7;
}
MSH_CMD_EXPORT_ALIAS(fails_quietly, quiet_failure, fail without a word);

static int exported_the_old_way(int argc, char **argv)
{
    RT_UNUSED(argv);
    rt_kprintf("finsh alias ran with %d arguments\n", argc);
    return 0;
}
FINSH_FUNCTION_EXPORT_ALIAS(exported_the_old_way, __cmd_old_way, run through the old export);

long finsh_only(void)
{
    return 7;
}
FINSH_FUNCTION_EXPORT(finsh_only, a finsh function but not an msh command);

/* Registers commands while it runs, enough to move the shell's table, and then fails without a
 * word, so that the shell reports it by name after it returned. */
static int grow_the_table(int argc, char **argv)
{
    char name[32];
    int i;
    RT_UNUSED(argc);
    RT_UNUSED(argv);
    for (i = 0; i < 500; i++)
    {
        rt_snprintf(name, sizeof(name), "grown_%d", i);
        msh_register_command(name, "registered at run time", fails_quietly);
    }
    return -3;
}
MSH_CMD_EXPORT(grow_the_table, register many commands while running);
