// The public C++ handles, forwarding to the core objects.
// SPDX-License-Identifier: Apache-2.0
#include "access.h"
#include "client.h"
#include "server.h"

#include <tcpserver.hpp>

namespace tcp_server
{

IoResult Client::recv(std::span<std::byte> buffer, Duration timeout) const
{
    if (!impl_)
        return {0, Errc::invalid_argument};
    return impl_->recv(buffer, timeout);
}

IoResult Client::recv(std::span<char> buffer, Duration timeout) const
{
    return recv(std::as_writable_bytes(buffer), timeout);
}

IoResult Client::send(std::span<const std::byte> data, Duration timeout) const
{
    if (!impl_)
        return {0, Errc::invalid_argument};
    return impl_->send(data, timeout);
}

IoResult Client::send(std::string_view data, Duration timeout) const
{
    return send(std::as_bytes(std::span(data.data(), data.size())), timeout);
}

void Client::close() const
{
    if (impl_)
        impl_->close();
}

bool Client::is_open() const
{
    return impl_ && impl_->is_open();
}

int Client::fd() const
{
    return impl_ ? impl_->fd() : -1;
}

std::uint64_t Client::id() const
{
    return impl_ ? impl_->id() : 0;
}

const std::string &Client::peer() const
{
    static const std::string none;
    return impl_ ? impl_->peer() : none;
}

Result<Server> Server::start(Options options)
{
    Errc error;
    auto impl = detail::Server::start(std::move(options), nullptr, error);
    if (!impl)
        return error;
    return detail::Access::wrap(std::move(impl));
}

Server::Server(Server &&other) noexcept = default;

Server &Server::operator=(Server &&other) noexcept
{
    if (this != &other)
    {
        stop();
        impl_ = std::move(other.impl_);
    }
    return *this;
}

Server::~Server()
{
    stop();
}

Errc Server::stop()
{
    return impl_ ? impl_->stop() : Errc::ok;
}

Result<Client> Server::accept(Duration timeout) const
{
    if (!impl_)
        return Errc::invalid_argument;
    auto accepted = impl_->accept(timeout);
    if (!accepted)
        return accepted.error();
    return detail::Access::wrap(std::move(accepted.value()));
}

void Server::set_handlers(Handlers handlers) const
{
    if (impl_)
        impl_->set_handlers(std::move(handlers));
}

const std::string &Server::address() const
{
    static const std::string none;
    return impl_ ? impl_->address() : none;
}

std::uint16_t Server::port() const
{
    return impl_ ? impl_->port() : 0;
}

int Server::listen_fd() const
{
    return impl_ ? impl_->listen_fd() : -1;
}

Stats Server::stats() const
{
    return impl_ ? impl_->stats() : Stats{};
}

} // namespace tcp_server
