// An application's sockets as SAL makes them, for the SAL tests: on a kernel run they are the
// kernel's, on an lwIP run lwIP's; their host-side peers are kernel sockets of the test's own.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <gtest/gtest.h>

#include <cstdint>

namespace test_support
{

/** A SAL TCP socket listening on server_ip(); its port in `port`. -1 on failure. */
int sal_listener(std::uint16_t &port);
/** A SAL TCP socket connected to a kernel listener of the host's on peer_ip(); the host's end
 *  in `host_end`. -1 on failure. */
int sal_connection(int &host_end);
/** A kernel UDP socket of the host's bound on peer_ip(); its port in `port`. */
int host_datagram_socket(std::uint16_t &port);

/** A test with one sal_connection() open: the application's end fd_, the host's host_. */
class SalConnectionTest : public testing::Test
{
  protected:
    void SetUp() override;
    void TearDown() override;
    int fd_ = -1;
    int host_ = -1;
};

} // namespace test_support
