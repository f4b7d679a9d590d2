// libFuzzer target: the address parser behind tcpserver_create(ip, port), on any text a user
// can pass. Beyond not crashing, an address it accepts reads back as an address it accepts
// again, to the same socket address.
// SPDX-License-Identifier: Apache-2.0
#include "net/endpoint.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

using tcp_server::Errc;
namespace sockets = tcp_server::detail::sockets;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 2)
        return 0;
    auto port = static_cast<std::uint16_t>(data[0] << 8 | data[1]);
    std::string ip(reinterpret_cast<const char *>(data) + 2, size - 2);
    sockets::Endpoint endpoint;
    if (sockets::parse_endpoint(ip, port, endpoint) != Errc::ok)
        return 0;
    if (endpoint.port() != port)
        std::abort();
    sockets::Endpoint again;
    if (sockets::parse_endpoint(endpoint.ip(), port, again) != Errc::ok ||
        again.length != endpoint.length || std::memcmp(again.addr(), endpoint.addr(), again.length))
        std::abort();
    return 0;
}
