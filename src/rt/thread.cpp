// RT-Thread threads on POSIX threads: init/create, startup, delay, suspend/resume, priority,
// and the end of a thread (its entry returned, it was deleted, or it deleted itself).
// SPDX-License-Identifier: Apache-2.0
#include "rt/kernel.h"

#include "rt/log.h"
#include "util/thread_settings.h"

#include <pthread.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <new>

namespace tcp_server::detail::rt
{

namespace
{

void warn_priority_refused(rt_thread_t thread, int priority)
{
    static std::atomic<bool> warned{false};
    if (!warned.exchange(true))
        LOG_W("thread %.*s: priority %d (nice %d) not permitted: %s; threads run at nice 0 "
              "(this is logged once)",
              RT_NAME_MAX, thread->name, priority, nice_for_priority(priority),
              std::strerror(errno));
}

// Everything rt_thread_init and rt_thread_create share. Kernel lock.
rt_err_t prepare_locked(rt_thread_t thread, rt_host_thread *host, const char *name,
                        void (*entry)(void *), void *parameter, rt_uint32_t stack_size,
                        rt_uint8_t priority, rt_uint32_t tick, bool is_static)
{
    if (!attach_object_locked(&thread->parent, RT_Object_Class_Thread, name, is_static))
        return -RT_ENOMEM;
    rt_list_init(&thread->tlist);
    thread->entry = reinterpret_cast<void *>(entry);
    thread->parameter = parameter;
    thread->stack_size = static_cast<rt_uint32_t>(host_stack_size(stack_size));
    host->stack_asked = stack_size;
    thread->error = RT_EOK;
    thread->stat = RT_THREAD_INIT;
    thread->current_priority = thread->init_priority = priority;
    thread->number_mask = 1u << (priority % 32);
    thread->init_tick = thread->remaining_tick = tick;
    thread->cleanup = nullptr;
    thread->host = host;
    host->object = thread;
    host->entry = entry;
    host->parameter = parameter;
    host->created = !is_static;
    rt_list_init(&host->taken_mutexes);
    return RT_EOK;
}

bool valid_arguments(void (*entry)(void *), rt_uint8_t priority)
{
    return entry && static_cast<int>(priority) < RT_THREAD_PRIORITY_MAX;
}

// The end of a thread the kernel started, on that thread. The object goes out of the lists;
// its cleanup runs; a created thread's memory is freed. Touches nothing of the object after a
// delete or detach gave it up (host->object is null then).
void finish_current_thread()
{
    rt_host_thread *host = current_host_if_any();
    rt_thread_t object;
    rt_thread_cleanup_t cleanup;
    rt_thread_t cleanup_argument;
    bool free_object;
    {
        KernelLock lock(kernel_mutex());
        // Nobody joins a kernel thread but end_thread_and_join(): gone, it frees itself.
        if (!host->adopted && !host->join_requested)
            pthread_detach(pthread_self());
        release_mutexes_locked(host);
        object = host->object;
        free_object = host->created;
        cleanup = host->detached_cleanup;
        cleanup_argument = host->detached_object;
        if (object)
        {
            detach_object_locked(&object->parent);
            object->stat = RT_THREAD_CLOSE;
            object->host = nullptr;
            cleanup = object->cleanup;
            cleanup_argument = object;
        }
    }
    if (cleanup)
        cleanup(cleanup_argument);
    if (object && free_object)
        rt_free(object);
    set_current_host(nullptr);
    delete host;
}

void *thread_main(void *argument)
{
    auto *host = static_cast<rt_host_thread *>(argument);
    set_current_host(host);
    // Its stack as its own code uses it, from this frame down: above lie the C library's start
    // and the thread-local area, which a sanitizer's runtime makes hundreds of KiB.
    auto stack_top = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
    StackWatermark watermark = fill_unused_stack(current_stack_size());
    {
        KernelLock lock(kernel_mutex());
        host->tid = gettid();
        host->stack_top = stack_top;
        host->watermark = watermark;
        // Bound to this host before rt_thread_self() can be asked: adopting must not happen.
        if (host->object)
        {
            char name[16];
            std::snprintf(name, sizeof name, "%.*s", RT_NAME_MAX, host->object->name);
            pthread_setname_np(pthread_self(), name);
            if (!apply_priority(host->tid, host->object->current_priority) &&
                nice_for_priority(host->object->current_priority) != 0)
                warn_priority_refused(host->object, host->object->current_priority);
            host->object->stat = RT_THREAD_RUNNING;
        }
        if (host->exit_requested)
        {
            lock.unlock();
            finish_current_thread();
            return nullptr;
        }
    }
    host->entry(host->parameter);
    finish_current_thread();
    return nullptr;
}

// Kernel lock. Starts the POSIX thread of an INIT thread.
rt_err_t start_locked(rt_thread_t thread)
{
    rt_host_thread *host = thread->host;
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    int error = pthread_attr_setstacksize(&attributes, thread->stack_size);
    if (error == 0)
        error = pthread_create(&host->posix_thread, &attributes, thread_main, host);
    pthread_attr_destroy(&attributes);
    if (error != 0)
    {
        LOG_E("thread %.*s: no POSIX thread: %s", RT_NAME_MAX, thread->name, std::strerror(error));
        return error == EAGAIN ? -RT_EFULL : -RT_ENOMEM;
    }
    host->started = true;
    thread->stat = RT_THREAD_READY;
    return RT_EOK;
}

// Kernel lock. Ends `thread` for rt_thread_delete/detach; `want_static` says which call it is.
rt_err_t end_thread_locked(KernelLock &lock, rt_thread_t thread, bool want_static)
{
    if (!is_live_locked(thread, RT_Object_Class_Thread) ||
        is_static(&thread->parent) != want_static)
        return -RT_EINVAL;
    rt_host_thread *host = thread->host;
    if (host->adopted)
        return -RT_ERROR; // not the kernel's thread: it cannot be ended from here
    if (host == current_host_if_any())
    {
        lock.unlock();
        exit_current_thread();
    }
    detach_object_locked(&thread->parent);
    thread->stat = RT_THREAD_CLOSE;
    if (!host->started)
    {
        thread->host = nullptr;
        lock.unlock();
        delete host;
        if (!want_static)
            rt_free(thread);
        return RT_EOK;
    }
    // It runs: it ends at its next wait (at once if it waits now) and frees what is its own.
    host->exit_requested = true;
    if (host->waiting)
        wake_thread_locked(thread, -RT_ERROR);
    if (want_static)
    {
        // The caller may reuse the struct as soon as this returns; its cleanup still runs.
        host->detached_cleanup = thread->cleanup;
        host->detached_object = thread;
        host->object = nullptr;
        thread->host = nullptr;
    }
    return RT_EOK;
}

} // namespace

bool end_thread_and_join(rt_thread_t thread, std::chrono::milliseconds limit)
{
    pthread_t id;
    {
        KernelLock lock(kernel_mutex());
        if (!is_live_locked(thread, RT_Object_Class_Thread))
            return false;
        rt_host_thread *host = thread->host;
        assert(host != current_host_if_any() && "a thread cannot wait for its own end");
        if (!host->started || host->adopted)
            return false;
        host->join_requested = true; // seen by the thread under this lock as it ends
        id = host->posix_thread;
        if (end_thread_locked(lock, thread, is_static(&thread->parent)) != RT_EOK)
            return false;
    }
    timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    auto whole = std::chrono::duration_cast<std::chrono::seconds>(limit);
    deadline.tv_sec += whole.count();
    deadline.tv_nsec += std::chrono::nanoseconds(limit - whole).count();
    if (deadline.tv_nsec >= 1000000000L)
    {
        deadline.tv_sec += 1;
        deadline.tv_nsec -= 1000000000L;
    }
    if (pthread_timedjoin_np(id, nullptr, &deadline) == 0)
        return true;
    pthread_detach(id); // it ends later, by itself
    return false;
}

void exit_current_thread()
{
    finish_current_thread();
    pthread_exit(nullptr);
}

} // namespace tcp_server::detail::rt

using namespace tcp_server::detail;

extern "C"
{

rt_err_t rt_thread_init(struct rt_thread *thread, const char *name, void (*entry)(void *parameter),
                        void *parameter, void *stack_start, rt_uint32_t stack_size,
                        rt_uint8_t priority, rt_uint32_t tick)
{
    if (!thread || !rt::valid_arguments(entry, priority))
        return -RT_EINVAL;
    auto *host = new (std::nothrow) rt_host_thread;
    if (!host)
        return -RT_ENOMEM;
    rt::KernelLock lock(rt::kernel_mutex());
    rt_err_t error =
        rt::prepare_locked(thread, host, name, entry, parameter, stack_size, priority, tick, true);
    if (error != RT_EOK)
    {
        lock.unlock();
        delete host;
        return error;
    }
    thread->stack_addr = stack_start;
    return RT_EOK;
}

rt_thread_t rt_thread_create(const char *name, void (*entry)(void *parameter), void *parameter,
                             rt_uint32_t stack_size, rt_uint8_t priority, rt_uint32_t tick)
{
    if (!rt::valid_arguments(entry, priority))
        return RT_NULL;
    auto *thread = static_cast<rt_thread_t>(rt_calloc(1, sizeof(struct rt_thread)));
    auto *host = new (std::nothrow) rt_host_thread;
    if (thread && host)
    {
        rt::KernelLock lock(rt::kernel_mutex());
        if (rt::prepare_locked(thread, host, name, entry, parameter, stack_size, priority, tick,
                               false) == RT_EOK)
            return thread;
    }
    rt_free(thread);
    delete host;
    return RT_NULL;
}

rt_err_t rt_thread_startup(rt_thread_t thread)
{
    rt::KernelLock lock(rt::kernel_mutex());
    if (!rt::is_live_locked(thread, RT_Object_Class_Thread))
        return -RT_EINVAL;
    if (thread->stat != RT_THREAD_INIT || thread->host->started)
        return -RT_ERROR;
    return rt::start_locked(thread);
}

rt_err_t rt_thread_detach(rt_thread_t thread)
{
    rt::KernelLock lock(rt::kernel_mutex());
    return rt::end_thread_locked(lock, thread, true);
}

rt_err_t rt_thread_delete(rt_thread_t thread)
{
    rt::KernelLock lock(rt::kernel_mutex());
    return rt::end_thread_locked(lock, thread, false);
}

rt_thread_t rt_thread_self(void)
{
    return rt::current_thread();
}

rt_thread_t rt_thread_find(char *name)
{
    return reinterpret_cast<rt_thread_t>(rt_object_find(name, RT_Object_Class_Thread));
}

rt_err_t rt_thread_get_name(rt_thread_t thread, char *name, rt_uint8_t name_size)
{
    return thread ? rt_object_get_name(&thread->parent, name, name_size) : -RT_EINVAL;
}

rt_err_t rt_thread_yield(void)
{
    rt_thread_t self = rt::current_thread();
    if (self)
    {
        rt::KernelLock lock(rt::kernel_mutex());
        rt::enter_waiting_call_locked(lock, self);
    }
    sched_yield();
    return RT_EOK;
}

rt_err_t rt_thread_delay(rt_tick_t tick)
{
    rt_thread_t self = rt::current_thread();
    if (!self)
        return -RT_ENOMEM;
    rt::KernelLock lock(rt::kernel_mutex());
    rt::enter_waiting_call_locked(lock, self);
    // Ticks beyond INT32_MAX (a "negative" tick count) would mean forever: cap them instead.
    auto ticks = static_cast<rt_int32_t>(std::min<rt_tick_t>(tick, INT32_MAX));
    if (ticks == 0)
    {
        lock.unlock();
        sched_yield();
        return RT_EOK;
    }
    rt_err_t result = rt::wait_in_kernel(lock, self, nullptr, 0, ticks);
    return result == -RT_ETIMEOUT ? RT_EOK : result;
}

rt_err_t rt_thread_mdelay(rt_int32_t ms)
{
    return rt_thread_delay(ms <= 0 ? 0 : rt_tick_from_millisecond(ms));
}

rt_err_t rt_thread_delay_until(rt_tick_t *tick, rt_tick_t inc_tick)
{
    if (!tick)
        return -RT_EINVAL;
    rt_tick_t now = rt_tick_get();
    rt_tick_t elapsed = now - *tick;
    if (elapsed >= inc_tick)
    {
        *tick = now; // late already: the next period counts from now
        return RT_EOK;
    }
    rt_err_t result = rt_thread_delay(inc_tick - elapsed);
    *tick += inc_tick;
    return result;
}

rt_err_t rt_thread_suspend_with_flag(rt_thread_t thread, int)
{
    rt_thread_t self = rt::current_thread();
    rt::KernelLock lock(rt::kernel_mutex());
    if (!rt::is_live_locked(thread, RT_Object_Class_Thread))
        return -RT_EINVAL;
    rt_host_thread *host = thread->host;
    if (!host->started || thread->stat == RT_THREAD_CLOSE)
        return -RT_ERROR;
    if (thread == self)
    {
        host->suspended_by_request = true;
        rt_err_t result = rt::wait_in_kernel(lock, self, nullptr, 0, RT_WAITING_FOREVER);
        return result == -RT_EINTR ? RT_EOK : result;
    }
    // It cannot be stopped where it runs; it suspends at its next kernel call that can wait.
    if (!host->waiting)
        host->suspend_requested = true;
    return RT_EOK;
}

rt_err_t rt_thread_suspend(rt_thread_t thread)
{
    return rt_thread_suspend_with_flag(thread, RT_UNINTERRUPTIBLE);
}

rt_err_t rt_thread_resume(rt_thread_t thread)
{
    rt::KernelLock lock(rt::kernel_mutex());
    if (!rt::is_live_locked(thread, RT_Object_Class_Thread))
        return -RT_EINVAL;
    rt_host_thread *host = thread->host;
    if (host->waiting)
    {
        rt::wake_thread_locked(thread, host->suspended_by_request ? RT_EOK : -RT_EINTR);
        return RT_EOK;
    }
    if (host->suspend_requested)
    {
        host->suspend_requested = false;
        return RT_EOK;
    }
    return -RT_ERROR;
}

rt_err_t rt_thread_control(rt_thread_t thread, int cmd, void *arg)
{
    switch (cmd)
    {
    case RT_THREAD_CTRL_STARTUP:
        return rt_thread_startup(thread);
    case RT_THREAD_CTRL_CLOSE: {
        bool is_static;
        {
            rt::KernelLock lock(rt::kernel_mutex());
            if (!rt::is_live_locked(thread, RT_Object_Class_Thread))
                return -RT_EINVAL;
            is_static = rt::is_static(&thread->parent);
        }
        return is_static ? rt_thread_detach(thread) : rt_thread_delete(thread);
    }
    case RT_THREAD_CTRL_CHANGE_PRIORITY: {
        if (!arg || *static_cast<rt_uint8_t *>(arg) >= RT_THREAD_PRIORITY_MAX)
            return -RT_EINVAL;
        rt_uint8_t priority = *static_cast<rt_uint8_t *>(arg);
        rt::KernelLock lock(rt::kernel_mutex());
        if (!rt::is_live_locked(thread, RT_Object_Class_Thread))
            return -RT_EINVAL;
        thread->current_priority = thread->init_priority = priority;
        thread->number_mask = 1u << (priority % 32);
        if (thread->host->tid != 0 &&
            !tcp_server::detail::apply_priority(thread->host->tid, priority) &&
            tcp_server::detail::nice_for_priority(priority) != 0)
            rt::warn_priority_refused(thread, priority);
        return RT_EOK;
    }
    case RT_THREAD_CTRL_BIND_CPU: {
        auto cpu = reinterpret_cast<rt_ubase_t>(arg);
        long cpus = sysconf(_SC_NPROCESSORS_CONF);
        rt::KernelLock lock(rt::kernel_mutex());
        if (!rt::is_live_locked(thread, RT_Object_Class_Thread) || cpus <= 0 ||
            cpu >= static_cast<rt_ubase_t>(cpus) || thread->host->tid == 0)
            return -RT_EINVAL;
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(cpu, &set);
        return sched_setaffinity(thread->host->tid, sizeof set, &set) == 0 ? RT_EOK : -RT_ERROR;
    }
    case RT_THREAD_CTRL_INFO:
        return RT_EOK;
    default:
        return -RT_EINVAL;
    }
}

} // extern "C"
