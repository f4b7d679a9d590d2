/*
 * <netdb.h> as SAL gives it on a board: the C library's getaddrinfo/freeaddrinfo/
 * gethostbyname (which SAL sends to the stack the application runs on), with the rest of SAL's
 * socket declarations (see sys/socket.h beside this file).
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include_next <netdb.h>
#include <sys/socket.h>
