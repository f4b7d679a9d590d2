// A test peer on loopback: connect, send and receive with deadlines, close, half-close, reset.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace test_support
{

using std::chrono::milliseconds;
inline constexpr milliseconds kPatience{10000}; // a bound for things that should happen at once

class LoopbackClient
{
  public:
    /** Not connected; assign a connected one. */
    LoopbackClient() = default;
    /**
     * Connects to ip:port (IPv4 or IPv6 literal); check ok(). A receive_buffer above 0 shrinks
     * the socket's receive buffer first, so a peer that reads slowly or never fills up sooner
     * (it must be set before connecting: shrinking an open connection's window stalls it).
     */
    LoopbackClient(const std::string &ip, std::uint16_t port, milliseconds limit = kPatience,
                   int receive_buffer = 0);
    LoopbackClient(LoopbackClient &&other) noexcept;
    LoopbackClient &operator=(LoopbackClient &&other) noexcept;
    ~LoopbackClient();

    bool ok() const { return fd_ >= 0; }
    /** Why connecting failed (an errno; ETIMEDOUT when the limit passed), 0 when it did not. */
    int connect_error() const { return connect_error_; }
    int fd() const { return fd_; }
    /** This end's port: what the server sees as the peer's port (0 when not connected). */
    std::uint16_t local_port() const;

    /** Sends all of data; false on error or when the limit passes first. */
    bool send_all(std::string_view data, milliseconds limit = kPatience);
    /** Receives exactly n bytes, or fewer when the peer closes or the limit passes. */
    std::string recv_exact(std::size_t n, milliseconds limit = kPatience);
    /** Receives whatever arrives until end of stream; true if the stream ended within limit. */
    bool recv_until_eof(std::string &received, milliseconds limit = kPatience);
    /** True if the server ends the stream (or resets) within limit with no further data. */
    bool sees_eof(milliseconds limit = kPatience);
    /** True if nothing at all arrives for `quiet` (used only to check for absence). */
    bool stays_silent(milliseconds quiet);

    void shutdown_write();
    /** Closes with SO_LINGER 0, so the server gets a reset. */
    void reset();
    void close();

  private:
    int wait(short events, milliseconds limit);
    int fd_ = -1;
    int connect_error_ = 0;
};

/** Random bytes from a seeded generator, so failures repeat. */
std::string random_bytes(std::size_t n, std::uint32_t seed);

} // namespace test_support
