// The worker thread with the package's thread settings.
// SPDX-License-Identifier: Apache-2.0
#include "worker_thread.h"

#include "rt/kernel.h"
#include "util/errc.h"
#include "util/log.h"
#include "util/thread_settings.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tcp_server::detail
{

Errc WorkerThread::start(const std::string &name, std::size_t stack_size, int priority,
                         std::function<void()> body, std::shared_ptr<void> keep_alive)
{
    name_ = name.substr(0, 15);
    priority_ = priority;
    stack_asked_ = stack_size;
    body_ = std::move(body);
    keep_alive_ = std::move(keep_alive);
    std::size_t stack = host_stack_size(stack_size);

    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    int error = pthread_attr_setstacksize(&attributes, stack);
    if (error == 0)
        error = pthread_create(&thread_, &attributes, &WorkerThread::entry, this);
    pthread_attr_destroy(&attributes);
    if (error != 0)
        keep_alive_.reset(); // no thread will take it
    // pthread_create's EAGAIN is a thread limit (RLIMIT_NPROC, threads-max), not a timeout.
    if (error == EAGAIN)
        return Errc::thread_limit;
    if (error != 0)
        return errc_from_errno(error);
    // Named from here, so the name is visible as soon as the server exists.
    pthread_setname_np(thread_, name_.c_str());
    started_ = true;
    return Errc::ok;
}

void WorkerThread::join()
{
    if (!started_)
        return;
    pthread_join(thread_, nullptr);
    started_ = false;
}

void WorkerThread::detach()
{
    if (!started_)
        return;
    pthread_detach(thread_);
    started_ = false;
}

void *WorkerThread::entry(void *self)
{
    auto *worker = static_cast<WorkerThread *>(self);
    int nice = nice_for_priority(worker->priority_);
    if (nice != 0 && !apply_priority(gettid(), worker->priority_))
        LOG_W("worker %s: priority %d (nice %d) not permitted: %s; it runs at nice 0",
              worker->name_.c_str(), worker->priority_, nice, std::strerror(errno));
    // A kernel thread like any other, as the package's rt_thread is on a board: ps lists it
    // with the stack it asked for, its high-water mark and RT-Thread's usual time slice.
    constexpr rt_uint32_t kTick = 10;
    rt::adopt_current_thread(worker->name_.c_str(), worker->priority_, worker->stack_asked_, kTick);
    std::shared_ptr<void> keep_alive = std::move(worker->keep_alive_);
    worker->body_();
    // Releasing keep_alive may destroy the owner, and *worker with it: touch nothing after.
    return nullptr;
}

} // namespace tcp_server::detail
