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

} // namespace tcp_server::detail
