// Starting a C++ API server on loopback for a test.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "test_stack.h"

#include <tcpserver.hpp>

#include <stdexcept>
#include <string>

namespace test_support
{

/** Starts a server on 127.0.0.1 with `options`; a failure fails the test (googletest reports
 *  the exception). */
inline tcp_server::Server start_on_loopback(tcp_server::Options options = {})
{
    options.address = server_ip();
    auto started = tcp_server::Server::start(std::move(options));
    if (!started)
        throw std::runtime_error(std::string("server did not start: ") +
                                 tcp_server::to_string(started.error()));
    return std::move(started).value();
}

} // namespace test_support
