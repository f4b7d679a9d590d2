/*
 * RT-Thread's socket abstraction layer (SAL) on the host: the sal_* calls and closesocket().
 * An RT-Thread application built with the tcpserver-shell flags reaches these through its own
 * socket(), connect(), select()... (see README, "RT-Thread applications on lwIP"); they send
 * each socket to the stack it was made on: the kernel's, or lwIP's when the program runs on
 * lwIP. Sockets of lwIP carry numbers from SAL_SOCKET_OFFSET up that the kernel keeps reserved.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef SAL_SOCKET_H__
#define SAL_SOCKET_H__

#include <stddef.h>
#include <sys/types.h>
#include <sys/socket.h>

#ifdef __cplusplus
extern "C"
{
#endif

int sal_socket(int domain, int type, int protocol);
int sal_accept(int socket, struct sockaddr *addr, socklen_t *addrlen);
int sal_bind(int socket, const struct sockaddr *name, socklen_t namelen);
int sal_listen(int socket, int backlog);
int sal_connect(int socket, const struct sockaddr *name, socklen_t namelen);
int sal_shutdown(int socket, int how);
int sal_getpeername(int socket, struct sockaddr *name, socklen_t *namelen);
int sal_getsockname(int socket, struct sockaddr *name, socklen_t *namelen);
int sal_getsockopt(int socket, int level, int optname, void *optval, socklen_t *optlen);
int sal_setsockopt(int socket, int level, int optname, const void *optval, socklen_t optlen);
int sal_sendmsg(int socket, const struct msghdr *message, int flags);
int sal_recvmsg(int socket, struct msghdr *message, int flags);
int sal_recvfrom(int socket, void *mem, size_t len, int flags, struct sockaddr *from,
                 socklen_t *fromlen);
int sal_sendto(int socket, const void *dataptr, size_t size, int flags,
               const struct sockaddr *to, socklen_t tolen);
int sal_closesocket(int socket);
int sal_ioctlsocket(int socket, long cmd, void *arg);

/* As on a board: closes a socket of either stack (a file descriptor is closed too). */
int closesocket(int s);
int ioctlsocket(int s, long cmd, void *arg);

#ifdef __cplusplus
}
#endif

#endif /* SAL_SOCKET_H__ */
