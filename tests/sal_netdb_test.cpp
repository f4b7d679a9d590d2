// Name lookup for the stack an application runs on: the kernel's resolver on the kernel
// stack; on lwIP (built here without DNS) numeric addresses, and for a name one clear
// failure with a log line saying why.
// SPDX-License-Identifier: Apache-2.0
#include "test_stack.h"

#include "sal/api.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netdb.h>

#include <string>

using namespace test_support;
namespace api = tcp_server::detail::sal::api;

TEST(SalNetdb, ANumericAddressResolvesOnEitherStack)
{
    addrinfo hints{};
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *result = nullptr;
    ASSERT_EQ(api::getaddrinfo(server_ip(), "5000", &hints, &result), 0);
    ASSERT_NE(result, nullptr);
    auto *address = reinterpret_cast<sockaddr_in *>(result->ai_addr);
    char ip[INET_ADDRSTRLEN];
    EXPECT_STREQ(inet_ntop(AF_INET, &address->sin_addr, ip, sizeof ip), server_ip());
    EXPECT_EQ(ntohs(address->sin_port), 5000);
    freeaddrinfo(result);

    hostent *host = api::gethostbyname(server_ip());
    ASSERT_NE(host, nullptr);
    EXPECT_EQ(host->h_addrtype, AF_INET);
}

TEST(SalNetdb, ANameResolvesOnTheKernelAndFailsClearlyOnLwip)
{
    addrinfo hints{};
    hints.ai_family = AF_INET;
    addrinfo *result = nullptr;
    testing::internal::CaptureStdout();
    int status = api::getaddrinfo("localhost", nullptr, &hints, &result);
    std::string log = testing::internal::GetCapturedStdout();
    if (on_lwip())
    {
        EXPECT_EQ(status, EAI_NONAME);
        EXPECT_NE(log.find("W/sal: getaddrinfo(\"localhost\"): lwIP resolves numeric addresses only"),
                  std::string::npos)
            << log;
        EXPECT_EQ(api::gethostbyname("localhost"), nullptr);
    }
    else
    {
        ASSERT_EQ(status, 0) << gai_strerror(status);
        freeaddrinfo(result);
        EXPECT_NE(api::gethostbyname("localhost"), nullptr);
    }
}
