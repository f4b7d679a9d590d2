/*
 * What the sample programs share: reading [ip] [port] from the command line and serving until
 * Ctrl-C or SIGTERM.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef SAMPLE_MAIN_H__
#define SAMPLE_MAIN_H__

#include <rtthread.h>

#ifdef __cplusplus
extern "C"
{
#endif

/**
 * Reads "[ip] [port]" (default 127.0.0.1 5000; port 0 picks a free one) and blocks SIGINT and
 * SIGTERM so that only sample_wait_for_stop() sees them: call it before starting any server,
 * whose threads inherit the mask. Returns 0, or prints the usage and returns -1.
 */
int sample_start(int argc, char **argv, const char **ip, rt_uint16_t *port);

/** Waits for Ctrl-C or SIGTERM. */
void sample_wait_for_stop(void);

#ifdef __cplusplus
}
#endif

#endif
