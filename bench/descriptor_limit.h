// Raises this process's descriptor limit to its hard limit: the bench tools hold thousands of
// sockets (the library itself never changes a process-wide setting).
// SPDX-License-Identifier: Apache-2.0
#pragma once
/* Included by C and C++ alike. */

#include <sys/resource.h>

static inline void raise_descriptor_limit(void)
{
    struct rlimit files;
    getrlimit(RLIMIT_NOFILE, &files);
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
}
