/*
 * lwIP's address conversions for RT-Thread applications that include <lwip/inet.h>: the C
 * library's inet_addr, inet_aton, inet_ntoa, inet_pton and inet_ntop, as a board's SAL gives.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef TCPSERVER_SAL_LWIP_INET_H
#define TCPSERVER_SAL_LWIP_INET_H

#include <arpa/inet.h>

#endif /* TCPSERVER_SAL_LWIP_INET_H */
