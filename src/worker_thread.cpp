// The worker thread with the package's thread settings.
// SPDX-License-Identifier: Apache-2.0
#include "worker_thread.h"

#include "util/errc.h"
#include "util/log.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace tcp_server::detail
{

namespace
{
// RT-Thread's default priority, which maps to Linux's default nice value 0.
constexpr int kNeutralPriority = 12;
} // namespace

std::size_t WorkerThread::minimum_stack()
{
    std::size_t minimum = 256 * 1024;
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    minimum *= 4; // sanitizers make every frame several times larger
#endif
    return minimum;
}

Errc WorkerThread::start(const std::string &name, std::size_t stack_size, int priority,
                         std::function<void()> body)
{
    name_ = name.substr(0, 15);
    priority_ = priority;
    body_ = std::move(body);
    std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    std::size_t stack = std::max(stack_size, minimum_stack());
    stack = (stack + page - 1) / page * page;

    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    int error = pthread_attr_setstacksize(&attributes, stack);
    if (error == 0)
        error = pthread_create(&thread_, &attributes, &WorkerThread::entry, this);
    pthread_attr_destroy(&attributes);
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

void *WorkerThread::entry(void *self)
{
    auto *worker = static_cast<WorkerThread *>(self);
    int nice = std::clamp(worker->priority_ - kNeutralPriority, -20, 19);
    // Linux applies setpriority() to the one thread whose id is given.
    if (nice != 0 && setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), nice) != 0)
        LOG_W("worker %s: priority %d (nice %d) not permitted: %s; it runs at nice 0",
              worker->name_.c_str(), worker->priority_, nice, std::strerror(errno));
    worker->body_();
    return nullptr;
}

} // namespace tcp_server::detail
