// ClientMutex: the worker's biased path and its revocation by a user thread.
// SPDX-License-Identifier: Apache-2.0
#include "client_mutex.h"

#include "event_loop.h"

#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <thread>

#if defined(__SANITIZE_THREAD__)
#define TCPSERVER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define TCPSERVER_TSAN 1
#endif
#endif

namespace tcp_server::detail
{

namespace
{

// Whether this process may force a barrier on all its threads; asked once. ThreadSanitizer
// does not model membarrier, so there the sequentially consistent handshake is used.
bool asymmetric_barriers_available()
{
#ifdef TCPSERVER_TSAN
    return false;
#else
    static const bool available =
        syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0;
    return available;
#endif
}

void barrier_on_every_thread()
{
    if (syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) != 0)
    {
        // Registered, so the kernel cannot refuse it; going on would let two threads in.
        std::perror("tcpserver: membarrier");
        std::abort();
    }
}

} // namespace

ClientMutex::ClientMutex(const EventLoop &loop)
    : asymmetric_(asymmetric_barriers_available()), loop_(loop)
{
}

bool ClientMutex::on_worker() const
{
    return loop_.in_loop_thread();
}

void ClientMutex::lock()
{
    if (on_worker())
    {
        worker_side_.lock();
        return;
    }
    revoke_bias();
    mutex_.lock();
}

void ClientMutex::unlock()
{
    if (on_worker())
    {
        worker_side_.unlock();
        return;
    }
    mutex_.unlock();
}

std::mutex &ClientMutex::native()
{
    revoke_bias();
    return mutex_;
}

void ClientMutex::revoke_bias()
{
    if (revoked_.load(std::memory_order_acquire))
        return;
    if (asymmetric_)
    {
        shared_.store(true, std::memory_order_relaxed);
        barrier_on_every_thread();
    }
    else
    {
        shared_.store(true, std::memory_order_seq_cst);
    }
    // The worker either saw shared_ or is inside a section that ends without blocking.
    while (worker_inside_.load(std::memory_order_seq_cst))
        std::this_thread::yield();
    revoked_.store(true, std::memory_order_release);
}

} // namespace tcp_server::detail
