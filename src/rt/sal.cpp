// The names RT-Thread's socket abstraction layer adds to the BSD socket API.
// SPDX-License-Identifier: Apache-2.0
#include <tcpserver.h>

#include <unistd.h>

extern "C" int closesocket(int s)
{
    return ::close(s);
}
