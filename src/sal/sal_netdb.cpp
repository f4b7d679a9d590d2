// Name lookup for the stack the application runs on. The kernel's resolver serves the kernel
// stack; lwIP here is built without DNS, so on lwIP only numeric addresses resolve, as on a
// board whose lwIP has no DNS, and a name fails with a log line that says why.
// SPDX-License-Identifier: Apache-2.0
#include "sal/api.h"
#include "sal/sal.h"

#include <arpa/inet.h>

namespace tcp_server::detail::sal::api
{

namespace
{

bool numeric(const char *name)
{
    unsigned char address[sizeof(in6_addr)];
    return inet_pton(AF_INET, name, address) == 1 || inet_pton(AF_INET6, name, address) == 1;
}

} // namespace

int getaddrinfo(const char *node, const char *service, const addrinfo *hints, addrinfo **result)
{
    if (default_stack() == StackKind::kernel)
        return ::getaddrinfo(node, service, hints, result);
    addrinfo numeric_only = hints ? *hints : addrinfo{};
    numeric_only.ai_flags |= AI_NUMERICHOST;
    int status = ::getaddrinfo(node, service, &numeric_only, result);
    if (status == EAI_NONAME && node && !numeric(node))
        warn("getaddrinfo(\"%s\"): lwIP resolves numeric addresses only (no DNS)", node);
    return status;
}

hostent *gethostbyname(const char *name)
{
    if (default_stack() == StackKind::kernel || (name && numeric(name)))
        return ::gethostbyname(name);
    warn("gethostbyname(\"%s\"): lwIP resolves numeric addresses only (no DNS)",
         name ? name : "");
    h_errno = HOST_NOT_FOUND;
    return nullptr;
}

} // namespace tcp_server::detail::sal::api
