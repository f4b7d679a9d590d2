// The C handles now alive, clients' and servers', so that a stale or unknown handle is refused
// instead of followed.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <tcpserver.h>

#include <memory>

namespace tcp_server::detail
{

class Client;

/** Registers a client's C handle. May throw std::bad_alloc. Thread safe. */
void register_handle(const std::shared_ptr<Client> &client);
/** Forgets a handle; the client's destructor calls it. Thread safe. */
void unregister_handle(const tcpclient *handle) noexcept;
/**
 * The client behind a handle, held for the caller, or nullptr when the handle is not alive
 * (closed and freed, or never a handle). A freed handle whose memory a newer client took
 * finds that client, as a closed descriptor's number finds the file opened after it.
 * Thread safe.
 */
std::shared_ptr<Client> find_handle(const tcpclient *handle);

/** Registers a server's C handle with what holds it. May throw std::bad_alloc. Thread safe. */
void register_server(const tcpserver *handle, std::shared_ptr<tcpserver_private> state);
/** Forgets a server handle; returns what held it, or nullptr if it was not registered (already
 *  destroyed, or never a server). Thread safe. */
std::shared_ptr<tcpserver_private> unregister_server(const tcpserver *handle);
/** What holds a live server handle, held for the caller, or nullptr. Thread safe. */
std::shared_ptr<tcpserver_private> find_server(const tcpserver *handle);

} // namespace tcp_server::detail
