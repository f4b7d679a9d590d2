/*
 * The package's echo sample: a server that sends back whatever a client sends, through the
 * notify callback, logging connects and disconnects on the console.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef ECHO_SAMPLE_H__
#define ECHO_SAMPLE_H__

#include <tcpserver.h>

#ifdef __cplusplus
extern "C"
{
#endif

/** Starts the echo server on ip:port; RT_NULL (with rt_get_errno()) if it cannot. */
struct tcpserver *echo_sample_start(const char *ip, rt_uint16_t port);
/** Stops it; RT_EOK, or -RT_EINVAL when none runs. */
rt_err_t echo_sample_stop(void);

#ifdef __cplusplus
}
#endif

#endif
