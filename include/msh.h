/*
 * RT-Thread's msh interface for applications: run a command line as if it had been typed.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef __M_SHELL__
#define __M_SHELL__

#include <rtthread.h>

#ifdef __cplusplus
extern "C"
{
#endif

/** Runs the first `length` characters of `cmd` as a shell line; returns 0 or the failing
 *  command's status (-RT_ERROR for an unknown command). */
int msh_exec(char *cmd, rt_size_t length);
/** Whether msh is the active shell: always on the host. */
rt_bool_t msh_is_used(void);

#ifdef __cplusplus
}
#endif

#endif
