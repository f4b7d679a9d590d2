// Access: converts between the public handles and the objects behind them, for the library's
// own layers (callbacks, the C API).
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <tcpserver.hpp>

#include <memory>

namespace tcp_server::detail
{

struct Access
{
    static tcp_server::Client wrap(std::shared_ptr<Client> client)
    {
        return tcp_server::Client(std::move(client));
    }
    static tcp_server::Server wrap(std::shared_ptr<Server> server)
    {
        return tcp_server::Server(std::move(server));
    }
    static const std::shared_ptr<Client> &unwrap(const tcp_server::Client &client)
    {
        return client.impl_;
    }
    static const std::shared_ptr<Server> &unwrap(const tcp_server::Server &server)
    {
        return server.impl_;
    }
};

} // namespace tcp_server::detail
