// Looking at a socket the server made, through the stack it lives on: a server on lwIP holds
// lwIP descriptors, which the kernel's calls would take for unrelated files of the same number.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>

namespace test_support
{

/** The peer's port of a connection the server accepted (0 when it cannot be read). */
std::uint16_t server_socket_peer_port(int fd);
/** Bytes a server socket has received that nobody has read yet (-1 when it cannot be read). */
int server_socket_unread_bytes(int fd);
/** An int socket option of a server socket (-1 when it cannot be read). */
int server_socket_option(int fd, int level, int name);
struct ListenQueue
{
    long waiting = -1; // connections held for accept
    long backlog = -1; // the listen() backlog
};
/**
 * What a listening server socket holds: on the kernel as `ss` reports it (Recv-Q and Send-Q),
 * on lwIP its accept mailbox's count and no backlog (Debian's lwIP is built without
 * TCP_LISTEN_BACKLOG). -1 where it cannot be read.
 */
ListenQueue server_listen_queue(int listen_fd);
/** How many lwIP sockets are open (0 on a run without lwIP). */
int lwip_open_socket_count();

} // namespace test_support
