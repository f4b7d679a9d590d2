/*
 * lwIP's name-lookup names (lwip_getaddrinfo...) for RT-Thread applications that call them:
 * as on a board with SAL, they resolve for the stack the application runs on.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef TCPSERVER_SAL_LWIP_NETDB_H
#define TCPSERVER_SAL_LWIP_NETDB_H

#include <netdb.h>

#define lwip_getaddrinfo getaddrinfo
#define lwip_freeaddrinfo freeaddrinfo
#define lwip_gethostbyname gethostbyname

#endif /* TCPSERVER_SAL_LWIP_NETDB_H */
