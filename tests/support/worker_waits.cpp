// SPDX-License-Identifier: Apache-2.0
#include "worker_waits.h"

#include <tcpserver_config.h>

#include <dlfcn.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/select.h>

#include <atomic>
#include <cstring>

#ifdef TCPSERVER_USING_URING
#include <liburing.h>
#endif

namespace
{

std::atomic<long> waits{0};

template <typename Function> Function real(const char *name)
{
    return reinterpret_cast<Function>(dlsym(RTLD_NEXT, name));
}

} // namespace

namespace test_support
{

long worker_waits()
{
    return waits.load();
}

bool on_worker()
{
    char name[16] = {};
    prctl(PR_GET_NAME, name);
    return std::strcmp(name, TCPSERVER_NAME) == 0;
}

} // namespace test_support

extern "C" int epoll_wait(int epfd, epoll_event *events, int count, int timeout)
{
    static auto next = real<int (*)(int, epoll_event *, int, int)>("epoll_wait");
    if (test_support::on_worker())
        ++waits;
    return next(epfd, events, count, timeout);
}

extern "C" int poll(pollfd *fds, nfds_t count, int timeout)
{
    static auto next = real<int (*)(pollfd *, nfds_t, int)>("poll");
    if (test_support::on_worker())
        ++waits;
    return next(fds, count, timeout);
}

extern "C" int select(int nfds, fd_set *readable, fd_set *writable, fd_set *failed,
                      timeval *timeout)
{
    static auto next = real<int (*)(int, fd_set *, fd_set *, fd_set *, timeval *)>("select");
    if (test_support::on_worker())
        ++waits;
    return next(nfds, readable, writable, failed, timeout);
}

#ifdef TCPSERVER_USING_URING
// The uring poller's wait: liburing's, called through the shared library.
extern "C" int io_uring_submit_and_wait_timeout(io_uring *ring, io_uring_cqe **completion,
                                                unsigned wanted, __kernel_timespec *timeout,
                                                sigset_t *mask)
{
    static auto next =
        real<int (*)(io_uring *, io_uring_cqe **, unsigned, __kernel_timespec *, sigset_t *)>(
            "io_uring_submit_and_wait_timeout");
    if (test_support::on_worker())
        ++waits;
    return next(ring, completion, wanted, timeout, mask);
}
#endif
