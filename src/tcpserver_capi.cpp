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
#include <mutex>
#include <new>
#include <unordered_map>

using tcp_server::Duration;
using tcp_server::Errc;
namespace detail = tcp_server::detail;

/**
 * What the C API keeps per server beside the core object. Shared: the registry of live servers
 * holds it until destroy, the core server (and so every client) holds it as long as it lives,
 * and every call holds it for its duration, so a call that started before destroy finishes on
 * memory that is still there.
 */
struct tcpserver_private
{
    struct tcpserver view;
    std::atomic<tcpserver_notify_t> notify{nullptr};

    /** The core server; null once destroyed (it holds this state too: destroy breaks that). */
    std::shared_ptr<detail::Server> core()
    {
        std::lock_guard lock(server_mutex);
        return server;
    }
    void set_core(std::shared_ptr<detail::Server> core)
    {
        std::lock_guard lock(server_mutex);
        server = std::move(core);
    }

    // Accepted handles belong to the application until tcpserver_close(): these references
    // keep them alive, and destroy releases whatever is left.
    std::mutex owned_mutex;
    std::unordered_map<tcpclient *, std::shared_ptr<detail::Client>> owned;

  private:
    std::mutex server_mutex;
    std::shared_ptr<detail::Server> server;
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

Duration to_duration(rt_int32_t timeout)
{
    return detail::rt::ticks_to_duration(timeout);
}

bool valid_poller(int kind)
{
    return kind >= TCPSERVER_POLLER_KIND_SELECT && kind <= TCPSERVER_POLLER_KIND_AUTO;
}

bool valid_stack(int kind)
{
    return kind == TCPSERVER_STACK_KIND_KERNEL || kind == TCPSERVER_STACK_KIND_LWIP;
}

bool valid_timeout(rt_int32_t timeout)
{
    return timeout >= RT_WAITING_NO || timeout == RT_WAITING_FOREVER;
}

// The client whose callback runs on this thread, so that the calls it makes on its own handle
// (recv and send, for every message) find it without the registry's lock.
thread_local const std::shared_ptr<detail::Client> *in_callback = nullptr;

class InCallback
{
  public:
    explicit InCallback(const std::shared_ptr<detail::Client> &client) : outer_(in_callback)
    {
        in_callback = &client;
    }
    ~InCallback() { in_callback = outer_; }
    InCallback(const InCallback &) = delete;
    InCallback &operator=(const InCallback &) = delete;

  private:
    const std::shared_ptr<detail::Client> *outer_;
};

tcp_server::Handlers notify_handlers(tcpserver_private *server)
{
    auto forward = [server](rt_uint8_t event) {
        return [server, event](tcp_server::Client &client) {
            if (tcpserver_notify_t notify = server->notify.load())
            {
                const std::shared_ptr<detail::Client> &core = detail::Access::unwrap(client);
                InCallback scope(core);
                notify(core->c_handle(), event);
            }
        };
    };
    return {forward(TCPSERVER_EVENT_CONNECT), forward(TCPSERVER_EVENT_RECV),
            forward(TCPSERVER_EVENT_DISCONNECT)};
}

// The client behind a handle, kept alive for the whole call: a thread blocked on the client
// must outlive a close() on another thread that releases the application's handle. Inside the
// client's own callback the dispatch holds it already (recv and send of an echo cost no
// reference count); elsewhere `hold` takes a reference. Null for a handle that is not alive:
// NULL, closed and freed, or never a handle.
detail::Client *core_of(tcpclient_t client, std::shared_ptr<detail::Client> &hold)
{
    if (in_callback && (*in_callback)->c_handle() == client)
        return in_callback->get();
    if (client)
        hold = detail::find_handle(client);
    return hold.get();
}

// The same for a server: null for NULL, a destroyed server, or anything else.
std::shared_ptr<tcpserver_private> state_of(struct tcpserver *server)
{
    return server ? detail::find_server(server) : nullptr;
}

// What holds the server of a live client.
std::shared_ptr<tcpserver_private> state_of(const detail::Client &client)
{
    return std::static_pointer_cast<tcpserver_private>(client.server().c_state());
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
            if (config->stack != TCPSERVER_STACK_DEFAULT)
            {
                if (!valid_stack(config->stack))
                    return fail<struct tcpserver *>(Errc::invalid_argument, RT_NULL);
                options.stack = static_cast<tcp_server::StackKind>(config->stack);
            }

            auto state = std::make_shared<tcpserver_private>();
            state->view.priv = state.get();
            state->notify = config->notify;
            if (config->notify)
                options.handlers = notify_handlers(state.get());
            Errc error;
            state->set_core(detail::Server::start(std::move(options), &state->view, error, state));
            std::shared_ptr<detail::Server> core = state->core();
            if (!core)
            {
                LOG_E("cannot serve on %s port %u: %s", config->ip ? config->ip : "0.0.0.0",
                      static_cast<unsigned>(config->port), tcp_server::to_string(error));
                return fail<struct tcpserver *>(error, RT_NULL);
            }
            try
            {
                detail::register_server(&state->view, state);
            }
            catch (const std::bad_alloc &)
            {
                core->stop();
                state->set_core(nullptr);
                return fail<struct tcpserver *>(Errc::no_memory, RT_NULL);
            }
            return &state->view;
        });
}

rt_err_t tcpserver_destroy(struct tcpserver *server)
{
    return guarded<rt_err_t>(tcp_server::to_rt_err(Errc::system_error), [&]() -> rt_err_t {
        std::shared_ptr<tcpserver_private> state = state_of(server);
        std::shared_ptr<detail::Server> core = state ? state->core() : nullptr;
        if (!core)
            return fail(Errc::invalid_argument, tcp_server::to_rt_err(Errc::invalid_argument));
        if (core->loop().in_loop_thread())
            return fail(Errc::busy, tcp_server::to_rt_err(Errc::busy));
        // Out of the registry first: every later call with this pointer is refused, and a
        // second destroy returns -RT_EINVAL.
        if (!detail::unregister_server(server))
            return fail(Errc::invalid_argument, tcp_server::to_rt_err(Errc::invalid_argument));
        core->stop(); // wakes every blocked call, closes every client, joins the worker
        std::unordered_map<tcpclient *, std::shared_ptr<detail::Client>> owned;
        {
            std::lock_guard lock(state->owned_mutex);
            owned.swap(state->owned);
        }
        owned.clear();
        // The server holds the state while clients (and so the server) live on in calls that
        // started before: the memory goes with the last of them.
        state->set_core(nullptr);
        return RT_EOK;
    });
}

tcpclient_t tcpserver_accept(struct tcpserver *server, rt_int32_t timeout)
{
    return guarded<tcpclient_t>(RT_NULL, [&]() -> tcpclient_t {
        std::shared_ptr<tcpserver_private> state = state_of(server);
        if (!state || !valid_timeout(timeout))
            return fail<tcpclient_t>(Errc::invalid_argument, RT_NULL);
        std::shared_ptr<detail::Server> core = state->core();
        if (!core)
            return fail<tcpclient_t>(Errc::stopped, RT_NULL);
        auto accepted = core->accept(to_duration(timeout));
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
        std::shared_ptr<detail::Client> held;
        detail::Client *core = core_of(client, held);
        if (!core)
            return fail(Errc::invalid_argument, tcp_server::to_rt_err(Errc::invalid_argument));
        std::shared_ptr<tcpserver_private> state = state_of(*core);
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
        std::shared_ptr<detail::Client> held;
        detail::Client *core = core_of(client, held);
        if (!core || !buf || size == 0 || !valid_timeout(timeout))
            return fail<rt_size_t>(Errc::invalid_argument, 0);
        auto result = core->recv({static_cast<std::byte *>(buf), size}, to_duration(timeout));
        if (result.error != Errc::ok)
            return fail<rt_size_t>(result.error, 0);
        return result.bytes;
    });
}

rt_size_t tcpserver_send(tcpclient_t client, void *buf, rt_size_t size, rt_int32_t timeout)
{
    return guarded<rt_size_t>(0, [&]() -> rt_size_t {
        std::shared_ptr<detail::Client> held;
        detail::Client *core = core_of(client, held);
        if (!core || !buf || size == 0 || !valid_timeout(timeout))
            return fail<rt_size_t>(Errc::invalid_argument, 0);
        auto result = core->send({static_cast<const std::byte *>(buf), size}, to_duration(timeout));
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
        std::shared_ptr<tcpserver_private> state = state_of(server);
        std::shared_ptr<detail::Server> core = state ? state->core() : nullptr;
        if (!core)
            return fail(Errc::invalid_argument, 0);
        state->notify = tcpserver_event_notify;
        // Without a callback no handlers at all, so on_recv stays pending for a later callback.
        core->set_handlers(tcpserver_event_notify ? notify_handlers(state.get())
                                                  : tcp_server::Handlers{});
        return 0;
    });
}

rt_err_t tcpserver_get_stats(struct tcpserver *server, struct tcpserver_stats *stats)
{
    std::shared_ptr<tcpserver_private> state = stats ? state_of(server) : nullptr;
    std::shared_ptr<detail::Server> core = state ? state->core() : nullptr;
    if (!core)
        return fail(Errc::invalid_argument, tcp_server::to_rt_err(Errc::invalid_argument));
    tcp_server::Stats now = core->stats();
    stats->clients = static_cast<rt_uint32_t>(now.clients);
    stats->accepted = now.accepted;
    stats->refused = now.refused;
    stats->aborted = now.aborted;
    stats->bytes_received = now.bytes_received;
    stats->bytes_sent = now.bytes_sent;
    stats->stack = now.stack;
    stats->poller = now.poller;
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
    for (int kind = TCPSERVER_POLLER_KIND_SELECT; kind <= TCPSERVER_POLLER_KIND_AUTO; ++kind)
        if (name &&
            std::strcmp(name, tcp_server::to_string(static_cast<tcp_server::Backend>(kind))) == 0)
            return kind;
    return -1;
}

rt_err_t tcpserver_set_default_stack(rt_uint8_t kind)
{
    if (!valid_stack(kind))
        return fail(Errc::invalid_argument, tcp_server::to_rt_err(Errc::invalid_argument));
    tcp_server::set_default_stack(static_cast<tcp_server::StackKind>(kind));
    return RT_EOK;
}

int tcpserver_stack_from_name(const char *name)
{
    for (int kind : {TCPSERVER_STACK_KIND_KERNEL, TCPSERVER_STACK_KIND_LWIP})
        if (name && std::strcmp(name, tcp_server::to_string(
                                          static_cast<tcp_server::StackKind>(kind))) == 0)
            return kind;
    return -1;
}

void tcpserver_lwip_config_init(struct tcpserver_lwip_config *config)
{
    if (!config)
        return;
    // Kept for the process's life, as the struct's strings must be.
    static const tcp_server::LwipSettings settings = tcp_server::LwipSettings::from_environment();
    config->tap = settings.tap.c_str();
    config->ip = settings.address.c_str();
    config->netmask = settings.netmask.c_str();
    config->gateway = settings.gateway.c_str();
    config->ip6 = settings.address6.c_str();
}

rt_err_t tcpserver_lwip_start(const struct tcpserver_lwip_config *config)
{
    return guarded<rt_err_t>(-RT_ERROR, [&]() -> rt_err_t {
        if (!config || !config->tap || !config->ip || !config->netmask || !config->gateway)
            return fail(Errc::invalid_argument, tcp_server::to_rt_err(Errc::invalid_argument));
        Errc error = tcp_server::start_lwip({config->tap, config->ip, config->netmask,
                                             config->gateway, config->ip6 ? config->ip6 : ""});
        return error == Errc::ok ? RT_EOK : fail(error, tcp_server::to_rt_err(error));
    });
}

const char *tcpserver_strerror(void)
{
    return tcp_server::to_string(last_error);
}

} // extern "C"
