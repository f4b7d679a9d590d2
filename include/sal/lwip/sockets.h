/*
 * lwIP's socket names for RT-Thread applications that call them directly (lwip_socket,
 * lwip_close, lwip_select...): as on a board with SAL, each goes through SAL to the stack its
 * socket is on. The constants and structures are the C library's, which this build of lwIP
 * shares (LWIP_SOCKET_EXTERNAL_HEADERS).
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef TCPSERVER_SAL_LWIP_SOCKETS_H
#define TCPSERVER_SAL_LWIP_SOCKETS_H

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#define lwip_accept accept
#define lwip_bind bind
#define lwip_shutdown shutdown
#define lwip_getpeername getpeername
#define lwip_getsockname getsockname
#define lwip_getsockopt getsockopt
#define lwip_setsockopt setsockopt
#define lwip_close closesocket
#define lwip_connect connect
#define lwip_listen listen
#define lwip_recv recv
#define lwip_recvfrom recvfrom
#define lwip_recvmsg recvmsg
#define lwip_read read
#define lwip_readv readv
#define lwip_send send
#define lwip_sendmsg sendmsg
#define lwip_sendto sendto
#define lwip_socket socket
#define lwip_write write
#define lwip_writev writev
#define lwip_select select
#define lwip_poll poll
#define lwip_ioctl ioctl
#define lwip_fcntl fcntl
#define lwip_inet_ntop inet_ntop
#define lwip_inet_pton inet_pton

#endif /* TCPSERVER_SAL_LWIP_SOCKETS_H */
