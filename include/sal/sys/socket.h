/*
 * <sys/socket.h> as SAL gives it on a board (RT_USING_SAL, SAL_USING_POSIX): the C library's,
 * and with it what a board's brings in one include: sockaddr_in and IPPROTO_* (netinet/in.h),
 * TCP_NODELAY (netinet/tcp.h), inet_addr/inet_ntoa/inet_pton/htonl (arpa/inet.h),
 * closesocket() (sal_socket.h), errno, which a board's C library gives every file, and
 * <rtthread.h>, which a board's includes first. Only on the include path of RT-Thread
 * applications (the tcpserver-shell flags).
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include_next <sys/socket.h>

/* Not while <netinet/in.h> itself is being read (it includes this file before it declares
 * in_addr): the extras follow at the application's next include of any of these headers. */
#if !defined(_NETINET_IN_H) || defined(INADDR_ANY)
#ifndef TCPSERVER_SAL_SOCKET_EXTRAS
#define TCPSERVER_SAL_SOCKET_EXTRAS
#include <errno.h>
#include <rtthread.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <sal_socket.h>
#endif
#endif
