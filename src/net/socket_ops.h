// Thin wrappers over the socket calls: EINTR retried, descriptors non-blocking and close-on-exec,
// errno turned into Errc.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <tcpserver.hpp>

#include <sys/socket.h>
#include <sys/types.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace tcp_server::detail::sockets
{

/** A socket address and its length. */
struct Endpoint
{
    sockaddr_storage storage{};
    socklen_t length = 0;

    const sockaddr *addr() const { return reinterpret_cast<const sockaddr *>(&storage); }
    int family() const { return storage.ss_family; }
    /** The address alone: "127.0.0.1", "::1". */
    std::string ip() const;
    std::uint16_t port() const;
    /** "ip:port", or "[ip]:port" for IPv6. */
    std::string to_string() const;
};

/**
 * Parses a numeric address for a listener: "" / "0.0.0.0" any IPv4, "::" any, else an IPv4 or
 * IPv6 literal (with %scope for link-local). Never resolves names.
 */
Errc parse_endpoint(std::string_view ip, std::uint16_t port, Endpoint &out);

/** A bound, listening, non-blocking socket, or -1 with `error` set. */
int listen_on(const Endpoint &endpoint, int backlog, Errc &error);

/** The address a socket is bound to. */
Errc local_endpoint(int fd, Endpoint &out);

/**
 * Accepts one connection as a non-blocking descriptor. Returns -1 with `error`: timeout when
 * none is waiting, connection_reset for one that died before it was taken (ECONNABORTED,
 * EPROTO, ENETDOWN and the others accept(2) says to retry), descriptor_limit on
 * EMFILE/ENFILE, others as errc_from_errno.
 */
int accept_one(int listen_fd, Endpoint &peer, Errc &error);

/** recv() that waits for data when `wait` and fd is in blocking mode, retried on EINTR. */
ssize_t receive(int fd, char *buffer, std::size_t size, bool wait);
/** Reads into `first`, then `second`, never waiting (whatever fd's mode), retried on EINTR. */
ssize_t read_into(int fd, std::span<char> first, std::span<char> second);
/** send() with MSG_NOSIGNAL | MSG_DONTWAIT, retried on EINTR: never raises SIGPIPE. */
ssize_t send_some(int fd, const char *data, std::size_t size);
/** Waits up to timeout_ms (-1: forever) until fd is writable or hung up; false on timeout. */
bool wait_writable(int fd, int timeout_ms);
/** Waits up to timeout_ms (-1: forever) until fd is readable or hung up; false on timeout. */
bool wait_readable(int fd, int timeout_ms);
/** Puts fd in blocking mode: a recv() without MSG_DONTWAIT waits in the kernel. */
void set_blocking(int fd);

void set_no_delay(int fd);
/** Turns TCP keepalive on with these settings (seconds; 0 keeps the system's value). */
void set_keepalive(int fd, int idle, int interval, int count);
/** Bytes written to fd that the peer has not acknowledged yet (the kernel's send queue). */
std::size_t unsent_bytes(int fd);
void shutdown_both(int fd);
/** Makes the coming close() reset the connection (SO_LINGER 0) instead of draining it. */
void set_abortive_close(int fd);
void close_fd(int fd);

} // namespace tcp_server::detail::sockets
