/*
 * RT-Thread's shell exports: MSH_CMD_EXPORT(fn, description) makes `int fn(int argc, char
 * **argv)` the msh command fn, MSH_CMD_EXPORT_ALIAS gives it another name, and
 * FINSH_FUNCTION_EXPORT(_ALIAS) puts a function in finsh's symbol table, where an alias spelled
 * __cmd_NAME is the msh command NAME, as on RT-Thread. As there, the description is plain text.
 *
 * An export registers itself before main() runs: link the file into the program itself (or a
 * CMake OBJECT library), since a static archive drops objects nobody calls. The registry and
 * the shell are in tcpserver-shell.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef __FINSH_H__
#define __FINSH_H__

#include <rtthread.h>

#ifdef __cplusplus
extern "C"
{
#endif

typedef long (*syscall_func)(void);

/** An entry of finsh's symbol table. */
struct finsh_syscall
{
    const char *name;
    const char *desc;
    syscall_func func;
};

/** A shell command: the same signature as RT-Thread's msh commands. */
typedef int (*msh_cmd_t)(int argc, char **argv);

/** Adds `name` to the symbol table (what the export macros expand to); a name starting with
 *  __cmd_ is also the msh command without that prefix. A later name replaces an earlier one. */
void finsh_syscall_register(const char *name, const char *desc, syscall_func func);
/** The symbol-table entry named `name` (with its __cmd_ prefix, if any), or RT_NULL. */
struct finsh_syscall *finsh_syscall_lookup(const char *name);
/** Adds a command to the shell's table; a later registration of the same name replaces it. */
void msh_register_command(const char *name, const char *description, msh_cmd_t function);
/** Runs `function` when the shell exits, before the process ends. */
void msh_at_exit(void (*function)(void));

#define FINSH_FUNCTION_EXPORT_CMD(name, cmd, desc)                                                 \
    __attribute__((constructor)) static void finsh_export_##cmd(void)                              \
    {                                                                                              \
        finsh_syscall_register(#cmd, #desc, (syscall_func)(void (*)(void))(name));                 \
    }
#define FINSH_FUNCTION_EXPORT(name, desc) FINSH_FUNCTION_EXPORT_CMD(name, name, desc)
#define FINSH_FUNCTION_EXPORT_ALIAS(name, alias, desc) FINSH_FUNCTION_EXPORT_CMD(name, alias, desc)
#define MSH_CMD_EXPORT(command, desc) FINSH_FUNCTION_EXPORT_CMD(command, __cmd_##command, desc)
#define MSH_CMD_EXPORT_ALIAS(command, alias, desc)                                                 \
    FINSH_FUNCTION_EXPORT_CMD(command, __cmd_##alias, desc)

#ifdef __cplusplus
}
#endif

#endif
