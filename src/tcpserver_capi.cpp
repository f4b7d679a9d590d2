// The C API: checks arguments, maps handles to objects, catches everything, turns Errc into
// RT-Thread codes. No logic of its own.
// SPDX-License-Identifier: Apache-2.0
#include "access.h"
#include "client.h"
#include "handle_registry.h"
#include "rt/kernel.h"
#include "server.h"
#include "util/log.h"

#include <tcpserver.h>

#include <atomic>
#include <cstring>
#include <condition_variable>
#include <mutex>
#include <new>
#include <unordered_map>

using tcp_server::Duration;
using tcp_server::Errc;
namespace detail = tcp_server::detail;

/** What the C API keeps per server beside the core object. */
struct tcpserver_private
{
    struct tcpserver view;
    std::shared_ptr<detail::Server> server;
    std::atomic<tcpserver_notify_t> notify{nullptr};

    // Accepted handles belong to the application until tcpserver_close(): these references
    // keep them alive, and destroy releases whatever is left.
    std::mutex owned_mutex;
    std::unordered_map<tcpclient *, std::shared_ptr<detail::Client>> owned;

    // API calls running on this server, so destroy frees nothing a woken thread still uses.
    // kDestroying is or-ed in by destroy; the call that brings the count to exactly
    // kDestroying is the last one out and tells destroy so under last_call_mutex, after which
    // it touches nothing of the server again.
    static constexpr unsigned kDestroying = 1u << 31;
    std::atomic<unsigned> calls{0};
    std::mutex last_call_mutex;
    std::condition_variable last_call_done;
    bool last_call_out = false;
};

namespace
{

thread_local Errc last_error = Errc::ok;

template <typename T> T fail(Errc error, T result)
{
    last_error = error;
    rt_set_errno(tcp_server::to_rt_err(error));
    return result;
}

// Runs the body of a C entry point: no exception may unwind into C code.
template <typename T, typename Body> T guarded(T on_exception, Body body) noexcept
{
    try
    {
        return body();
    }
    catch (const std::bad_alloc &)
    {
        return fail(Errc::no_memory, on_exception);
    }
    catch (...)
    {
        return fail(Errc::system_error, on_exception);
    }
}

class CallGuard
{
  public:
    explicit CallGuard(tcpserver_private *server) : server_(server) { server_->calls.fetch_add(1); }
    ~CallGuard()
    {
        if (server_->calls.fetch_sub(1) != (tcpserver_private::kDestroying | 1))
            return;
        std::lock_guard lock(server_->last_call_mutex);
        server_->last_call_out = true;
        server_->last_call_done.notify_all();
    }
    CallGuard(const CallGuard &) = delete;
    CallGuard &operator=(const CallGuard &) = delete;

  private:
    tcpserver_private *server_;
};

Duration to_duration(rt_int32_t timeout)
{
    return detail::rt::ticks_to_duration(timeout);
}

bool valid_poller(int kind)
{
    return kind == TCPSERVER_POLLER_KIND_SELECT || kind == TCPSERVER_POLLER_KIND_POLL ||
           kind == TCPSERVER_POLLER_KIND_EPOLL;
}

bool valid_timeout(rt_int32_t timeout)
{
    return timeout >= RT_WAITING_NO || timeout == RT_WAITING_FOREVER;
}

tcp_server::Handlers notify_handlers(tcpserver_private *server)
{
    auto forward = [server](rt_uint8_t event) {
        return [server, event](tcp_server::Client &client) {
            if (tcpserver_notify_t notify = server->notify.load())
                notify(detail::Access::unwrap(client)->c_handle(), event);
        };
    };
    return {forward(TCPSERVER_EVENT_CONNECT), forward(TCPSERVER_EVENT_RECV),
            forward(TCPSERVER_EVENT_DISCONNECT)};
}

// A reference held for the whole call: a thread blocked on the client must outlive a close()
// on another thread that releases the application's handle. Null for a handle that is not
// alive: NULL, closed and freed, or never a handle.
std::shared_ptr<detail::Client> core_of(tcpclient_t client)
{
    return client ? detail::find_handle(client) : nullptr;
}

} // namespace

extern "C"
{

void tcpserver_config_init(struct tcpserver_config *config)
{
    if (!config)
        return;
    const tcp_server::Options defaults;
    *config = {};
    config->max_clients = static_cast<rt_uint32_t>(defaults.max_clients);
    config->backlog = defaults.backlog;
    config->recv_buffer_max = static_cast<rt_uint32_t>(defaults.recv_buffer_max);
    config->send_buffer_max = static_cast<rt_uint32_t>(defaults.send_buffer_max);
    config->name = TCPSERVER_NAME;
    config->stack_size = static_cast<rt_uint32_t>(defaults.stack_size);
    config->priority = static_cast<rt_uint8_t>(defaults.priority);
    config->poller = TCPSERVER_POLLER_DEFAULT;
}

struct tcpserver *tcpserver_create(const char *ip, rt_uint16_t port)
{
    struct tcpserver_config config;
    tcpserver_config_init(&config);
    config.ip = ip;
    config.port = port;
    return tcpserver_create_with(&config);
}

struct tcpserver *tcpserver_create_with(const struct tcpserver_config *config)
{
    return guarded<struct tcpserver *>(
        RT_NULL, [&]() -> struct tcpserver * {
            if (!config)
                return fail<struct tcpserver *>(Errc::invalid_argument, RT_NULL);
            tcp_server::Options options;
            options.address = config->ip ? config->ip : "";
            options.port = config->port;
            options.max_clients = config->max_clients;
            options.backlog = config->backlog;
            options.recv_buffer_max = config->recv_buffer_max;
            options.send_buffer_max = config->send_buffer_max;
            options.name = config->name ? config->name : TCPSERVER_NAME;
            options.stack_size = config->stack_size;
            options.priority = config->priority;
            options.idle_timeout = Duration(config->idle_timeout_ms);
            options.keepalive_idle = std::chrono::seconds(config->keepalive_idle_s);
            options.keepalive_interval = std::chrono::seconds(config->keepalive_interval_s);
            options.keepalive_count = static_cast<int>(config->keepalive_count);
            options.unsent_limit = config->unsent_limit;
            if (config->poller != TCPSERVER_POLLER_DEFAULT)
            {
                if (!valid_poller(config->poller))
                    return fail<struct tcpserver *>(Errc::invalid_argument, RT_NULL);
                options.backend = static_cast<tcp_server::Backend>(config->poller);
            }

            auto server = std::make_unique<tcpserver_private>();
            server->view.priv = server.get();
            server->notify = config->notify;
            if (config->notify)
                options.handlers = notify_handlers(server.get());
            Errc error;
            server->server = detail::Server::start(std::move(options), &server->view, error);
            if (!server->server)
            {
                LOG_E("cannot serve on %s port %u: %s", config->ip ? config->ip : "0.0.0.0",
                      static_cast<unsigned>(config->port), tcp_server::to_string(error));
                return fail<struct tcpserver *>(error, RT_NULL);
            }
            return &server.release()->view; // owned by the C handle from here on
        });
}

rt_err_t tcpserver_destroy(struct tcpserver *server)
{
    return guarded<rt_err_t>(tcp_server::to_rt_err(Errc::system_error), [&]() -> rt_err_t {
        if (!server)
            return fail(Errc::invalid_argument, tcp_server::to_rt_err(Errc::invalid_argument));
        tcpserver_private *state = server->priv;
        if (state->server->loop().in_loop_thread())
            return fail(Errc::busy, tcp_server::to_rt_err(Errc::busy));
        state->server->stop(); // wakes every blocked call on this server
        if (state->calls.fetch_or(tcpserver_private::kDestroying) != 0)
        {
            std::unique_lock lock(state->last_call_mutex);
            state->last_call_done.wait(lock, [state] { return state->last_call_out; });
        }
        {
            std::lock_guard lock(state->owned_mutex);
            state->owned.clear();
        }
        delete state;
        return RT_EOK;
    });
}

tcpclient_t tcpserver_accept(struct tcpserver *server, rt_int32_t timeout)
{
    return guarded<tcpclient_t>(RT_NULL, [&]() -> tcpclient_t {
        if (!server || !valid_timeout(timeout))
            return fail<tcpclient_t>(Errc::invalid_argument, RT_NULL);
        tcpserver_private *state = server->priv;
        CallGuard guard(state);
        auto accepted = state->server->accept(to_duration(timeout));
        if (!accepted)
            return fail<tcpclient_t>(accepted.error(), RT_NULL);
        tcpclient *handle = accepted.value()->c_handle();
        std::lock_guard lock(state->owned_mutex);
        state->owned.emplace(handle, std::move(accepted.value()));
        return handle;
    });
}

rt_err_t tcpserver_close(tcpclient_t client)
{
    return guarded<rt_err_t>(tcp_server::to_rt_err(Errc::system_error), [&]() -> rt_err_t {
        std::shared_ptr<detail::Client> core = core_of(client);
        if (!core)
            return fail(Errc::invalid_argument, tcp_server::to_rt_err(Errc::invalid_argument));
        tcpserver_private *state = client->server->priv;
        CallGuard guard(state);
        std::shared_ptr<detail::Client> released; // dropped after close(): may free the handle
        {
            std::lock_guard lock(state->owned_mutex);
            auto found = state->owned.find(client);
            if (found != state->owned.end())
            {
                released = std::move(found->second);
                state->owned.erase(found);
            }
        }
        core->close();
        return RT_EOK;
    });
}

rt_size_t tcpserver_recv(tcpclient_t client, void *buf, rt_size_t size, rt_int32_t timeout)
{
    return guarded<rt_size_t>(0, [&]() -> rt_size_t {
        std::shared_ptr<detail::Client> core = core_of(client);
        if (!core || !buf || size == 0 || !valid_timeout(timeout))
            return fail<rt_size_t>(Errc::invalid_argument, 0);
        CallGuard guard(client->server->priv);
        auto result = core->recv({static_cast<std::byte *>(buf), size}, to_duration(timeout));
        if (result.error != Errc::ok)
            return fail<rt_size_t>(result.error, 0);
        return result.bytes;
    });
}

rt_size_t tcpserver_send(tcpclient_t client, void *buf, rt_size_t size, rt_int32_t timeout)
{
    return guarded<rt_size_t>(0, [&]() -> rt_size_t {
        std::shared_ptr<detail::Client> core = core_of(client);
        if (!core || !buf || size == 0 || !valid_timeout(timeout))
            return fail<rt_size_t>(Errc::invalid_argument, 0);
        CallGuard guard(client->server->priv);
        auto result =
            core->send({static_cast<const std::byte *>(buf), size}, to_duration(timeout));
        if (result.error != Errc::ok)
            return fail<rt_size_t>(result.error, result.bytes);
        return result.bytes;
    });
}

void tcpserver_set_notify_callback(struct tcpserver *server,
                                   void (*tcpserver_event_notify)(tcpclient_t client,
                                                                  rt_uint8_t event))
{
    guarded<int>(0, [&]() -> int {
        if (!server)
            return fail(Errc::invalid_argument, 0);
        tcpserver_private *state = server->priv;
        CallGuard guard(state);
        state->notify = tcpserver_event_notify;
        // Without a callback no handlers at all, so on_recv stays pending for a later callback.
        state->server->set_handlers(tcpserver_event_notify ? notify_handlers(state)
                                                           : tcp_server::Handlers{});
        return 0;
    });
}

rt_err_t tcpserver_get_stats(struct tcpserver *server, struct tcpserver_stats *stats)
{
    if (!server || !stats)
        return fail(Errc::invalid_argument, tcp_server::to_rt_err(Errc::invalid_argument));
    tcp_server::Stats now = server->priv->server->stats();
    stats->clients = static_cast<rt_uint32_t>(now.clients);
    stats->accepted = now.accepted;
    stats->refused = now.refused;
    stats->bytes_received = now.bytes_received;
    stats->bytes_sent = now.bytes_sent;
    return RT_EOK;
}

rt_err_t tcpserver_set_default_poller(rt_uint8_t kind)
{
    if (!valid_poller(kind))
        return fail(Errc::invalid_argument, tcp_server::to_rt_err(Errc::invalid_argument));
    tcp_server::set_default_backend(static_cast<tcp_server::Backend>(kind));
    return RT_EOK;
}

int tcpserver_poller_from_name(const char *name)
{
    for (int kind : {TCPSERVER_POLLER_KIND_SELECT, TCPSERVER_POLLER_KIND_POLL, TCPSERVER_POLLER_KIND_EPOLL})
        if (name && std::strcmp(name, tcp_server::to_string(static_cast<tcp_server::Backend>(kind))) == 0)
            return kind;
    return -1;
}

const char *tcpserver_strerror(void)
{
    return tcp_server::to_string(last_error);
}

} // extern "C"
