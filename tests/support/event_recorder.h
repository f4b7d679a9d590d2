// Records what a server's handlers saw, per client, so tests can wait on it and count it.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <tcpserver.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace test_support
{

class EventRecorder
{
  public:
    enum Event
    {
        connect,
        recv,
        disconnect,
    };

    /**
     * Handlers that record every event; `on_recv`, if given, also runs for RECV (to read or
     * echo). The recorder must outlive the server.
     */
    tcp_server::Handlers handlers(std::function<void(tcp_server::Client &)> on_recv = {});

    /** How often `event` happened to client `id`. */
    int count(std::uint64_t id, Event event) const;
    /** How often `event` happened to any client. */
    int total(Event event) const;
    /** The events of client `id`, in order. */
    std::vector<Event> of(std::uint64_t id) const;
    /** The ids of clients that connected, in order. */
    std::vector<std::uint64_t> clients() const;
    /** The server descriptor each client had. */
    int fd_of(std::uint64_t id) const;

  private:
    void record(const tcp_server::Client &client, Event event);

    mutable std::mutex mutex_;
    std::map<std::uint64_t, std::vector<Event>> events_;
    std::map<std::uint64_t, int> fds_;
    std::vector<std::uint64_t> order_;
};

/** An echo for Handlers::on_recv: sends back whatever there is to read now. */
void echo_what_arrived(tcp_server::Client &client);

} // namespace test_support
