// The shell's own commands: help, version, exit, loglevel.
// SPDX-License-Identifier: Apache-2.0
#include "msh_core.h"

#include <rtdbg.h>
#include <tcpserver.h>

#include <cstring>

namespace msh
{

int ifconfig_command(int argc, char **argv);
int ping_command(int argc, char **argv);

namespace
{

int help_command(int, char **)
{
    rt_kprintf("RT-Thread shell commands:\n");
    for (const Command &command : commands())
        rt_kprintf("%-16s - %s\n", command.name.c_str(), command.description.c_str());
    return 0;
}

// The banner the console printed at start, as a board's version command does, then the package.
int version_command(int, char **)
{
    rt_show_version();
    rt_kprintf(
        "tcpserver %s (package version %s): RT-Thread tcpserver package API on Linux, msh shell\n",
        TCPSERVER_VERSION_STRING, PKG_TCPSERVER_VER);
    return 0;
}

int exit_command(int, char **)
{
    request_exit();
    return 0;
}

const char *const kLevels[] = {"error", "warning", "info", "debug"};

int loglevel_command(int argc, char **argv)
{
    if (argc == 1)
    {
        // Set to any number through rt_dbg_set_level(): name what is known, say what is not.
        int level = rt_dbg_get_level();
        if (level >= DBG_ERROR && level <= DBG_LOG)
            rt_kprintf("log level: %s\n", kLevels[level]);
        else
            rt_kprintf("log level: %d (not one of error, warning, info, debug)\n", level);
        return 0;
    }
    for (int level = DBG_ERROR; argc == 2 && level <= DBG_LOG; ++level)
    {
        if (std::strcmp(argv[1], kLevels[level]) == 0)
        {
            rt_dbg_set_level(level);
            return 0;
        }
    }
    rt_kprintf("usage: loglevel [error|warning|info|debug]\n");
    return -RT_EINVAL;
}

} // namespace

void register_builtins()
{
    msh_register_command("help", "RT-Thread shell help.", help_command);
    msh_register_command("version", "show the tcpserver version", version_command);
    msh_register_command("exit", "stop every server and leave the shell", exit_command);
    msh_register_command("loglevel",
                         "show or set what is logged: loglevel [error|warning|info|debug]",
                         loglevel_command);
    msh_register_command(
        "ifconfig",
        "list the network interfaces; ifconfig <netdev> <ip> <gateway> <mask> sets lwIP's",
        ifconfig_command);
#ifdef NETDEV_USING_PING
    msh_register_command("ping", "ping network host", ping_command);
#endif
    register_kernel_commands();
    register_device_commands();
}

} // namespace msh
