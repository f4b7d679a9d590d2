/*
 * <arpa/inet.h> as SAL gives it on a board: the C library's, with the rest of SAL's socket
 * declarations (see sys/socket.h beside this file).
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include_next <arpa/inet.h>
#include <sys/socket.h>
