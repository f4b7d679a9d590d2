// The event recorder.
// SPDX-License-Identifier: Apache-2.0
#include "event_recorder.h"

#include <array>

namespace test_support
{

tcp_server::Handlers EventRecorder::handlers(std::function<void(tcp_server::Client &)> on_recv)
{
    tcp_server::Handlers handlers;
    handlers.on_connect = [this](tcp_server::Client &client) { record(client, connect); };
    handlers.on_recv = [this, on_recv](tcp_server::Client &client) {
        record(client, recv);
        if (on_recv)
            on_recv(client);
    };
    handlers.on_disconnect = [this](tcp_server::Client &client) { record(client, disconnect); };
    return handlers;
}

void EventRecorder::record(const tcp_server::Client &client, Event event)
{
    std::lock_guard lock(mutex_);
    auto &events = events_[client.id()];
    if (events.empty())
    {
        order_.push_back(client.id());
        fds_[client.id()] = client.fd();
    }
    events.push_back(event);
}

int EventRecorder::count(std::uint64_t id, Event event) const
{
    std::lock_guard lock(mutex_);
    auto found = events_.find(id);
    int n = 0;
    if (found != events_.end())
        for (Event seen : found->second)
            n += seen == event;
    return n;
}

int EventRecorder::total(Event event) const
{
    std::lock_guard lock(mutex_);
    int n = 0;
    for (const auto &[id, events] : events_)
        for (Event seen : events)
            n += seen == event;
    return n;
}

std::vector<EventRecorder::Event> EventRecorder::of(std::uint64_t id) const
{
    std::lock_guard lock(mutex_);
    auto found = events_.find(id);
    return found == events_.end() ? std::vector<Event>{} : found->second;
}

std::vector<std::uint64_t> EventRecorder::clients() const
{
    std::lock_guard lock(mutex_);
    return order_;
}

int EventRecorder::fd_of(std::uint64_t id) const
{
    std::lock_guard lock(mutex_);
    auto found = fds_.find(id);
    return found == fds_.end() ? -1 : found->second;
}

void echo_what_arrived(tcp_server::Client &client)
{
    std::array<char, 16384> buffer;
    tcp_server::IoResult got = client.recv(buffer, tcp_server::kNoWait);
    if (got.bytes > 0)
        client.send(std::string_view(buffer.data(), got.bytes), tcp_server::kNoWait);
}

} // namespace test_support
