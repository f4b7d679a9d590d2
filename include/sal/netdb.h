/*
 * <netdb.h> as SAL gives it on a board: the C library's getaddrinfo/freeaddrinfo/
 * gethostbyname (which SAL sends to the stack the application runs on), with the rest of SAL's
 * socket declarations (see sys/socket.h beside this file), and h_addr in every C mode.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include_next <netdb.h>
#include <sys/socket.h>

/* A board's netdb.h always has h_addr; glibc's only outside strict ISO C (-std=c99/c11). */
#ifndef h_addr
#define h_addr h_addr_list[0]
#endif
