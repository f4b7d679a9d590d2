// RAII ownership of a C API server for tests.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "loopback_client.h"
#include "test_stack.h"

#include <tcpserver.h>

#include <memory>

namespace test_support
{

struct ServerDestroyer
{
    void operator()(struct tcpserver *server) const
    {
        if (server)
            tcpserver_destroy(server);
    }
};
using ServerPtr = std::unique_ptr<struct tcpserver, ServerDestroyer>;

inline ServerPtr create_server(const char *ip = server_ip(), rt_uint16_t port = 0)
{
    return ServerPtr(tcpserver_create(ip, port));
}

inline ServerPtr create_server_with(const struct tcpserver_config &config)
{
    return ServerPtr(tcpserver_create_with(&config));
}

/** The default settings on 127.0.0.1, with a client limit and a callback. */
inline struct tcpserver_config loopback_config(rt_uint32_t max_clients = TCPSERVER_CLI_NUM,
                                               tcpserver_notify_t notify = nullptr)
{
    struct tcpserver_config config;
    tcpserver_config_init(&config);
    config.ip = server_ip();
    config.max_clients = max_clients;
    config.notify = notify;
    return config;
}

/** A default server on 127.0.0.1, a peer connected to it, and the accepted handle. */
struct ConnectedClient
{
    ServerPtr server = create_server();
    LoopbackClient peer{server_ip(), server ? server->port : std::uint16_t(0)};
    tcpclient_t client = server ? tcpserver_accept(server.get(), 10000) : nullptr;
};

} // namespace test_support
