// The registry of live C client handles: sharded by address, so that calls on different
// clients rarely share a lock.
// SPDX-License-Identifier: Apache-2.0
#include "handle_registry.h"

#include "client.h"

#include <array>
#include <functional>
#include <mutex>
#include <unordered_map>

namespace tcp_server::detail
{

namespace
{

struct Shard
{
    std::mutex mutex;
    std::unordered_map<const tcpclient *, std::weak_ptr<Client>> clients;
};

Shard &shard_of(const tcpclient *handle)
{
    // Never destroyed: a worker may still release a client while the program exits.
    static auto *shards = new std::array<Shard, 16>;
    // The low bits of an address are alignment; the next ones spread.
    return (*shards)[(reinterpret_cast<std::uintptr_t>(handle) >> 6) % shards->size()];
}

} // namespace

void register_handle(const std::shared_ptr<Client> &client)
{
    const tcpclient *handle = client->c_handle();
    Shard &shard = shard_of(handle);
    std::lock_guard lock(shard.mutex);
    shard.clients.insert_or_assign(handle, client);
}

void unregister_handle(const tcpclient *handle) noexcept
{
    Shard &shard = shard_of(handle);
    std::lock_guard lock(shard.mutex);
    shard.clients.erase(handle);
}

std::shared_ptr<Client> find_handle(const tcpclient *handle)
{
    Shard &shard = shard_of(handle);
    std::lock_guard lock(shard.mutex);
    auto found = shard.clients.find(handle);
    return found == shard.clients.end() ? nullptr : found->second.lock();
}

namespace
{

// Servers are few and looked up by the calls that take a server: one map is enough.
struct Servers
{
    std::mutex mutex;
    std::unordered_map<const tcpserver *, std::shared_ptr<tcpserver_private>> live;
};

Servers &servers()
{
    static auto *instance = new Servers; // never destroyed, as the shards
    return *instance;
}

} // namespace

void register_server(const tcpserver *handle, std::shared_ptr<tcpserver_private> state)
{
    Servers &all = servers();
    std::lock_guard lock(all.mutex);
    all.live.insert_or_assign(handle, std::move(state));
}

std::shared_ptr<tcpserver_private> unregister_server(const tcpserver *handle)
{
    Servers &all = servers();
    std::lock_guard lock(all.mutex);
    auto found = all.live.find(handle);
    if (found == all.live.end())
        return nullptr;
    std::shared_ptr<tcpserver_private> state = std::move(found->second);
    all.live.erase(found);
    return state;
}

std::shared_ptr<tcpserver_private> find_server(const tcpserver *handle)
{
    Servers &all = servers();
    std::lock_guard lock(all.mutex);
    auto found = all.live.find(handle);
    return found == all.live.end() ? nullptr : found->second;
}

} // namespace tcp_server::detail
