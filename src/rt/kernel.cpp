// The kernel lock, the clock, and how a thread waits and is woken: RT-Thread's suspend list of
// an object, with one condition variable per thread so a release wakes exactly the thread it
// hands the object to.
// SPDX-License-Identifier: Apache-2.0
#include "rt/kernel.h"

#include "rt/critical.h"
#include "rt/log.h"
#include "util/deadline.h"
#include "util/thread_settings.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <new>

namespace tcp_server::detail::rt
{

namespace
{

// Ticks count from when the program started, as a board's count from boot.
const auto tick_origin = std::chrono::steady_clock::now();

thread_local rt_host_thread *tls_host = nullptr;

// An adopted thread's objects go when the thread does; the process's main thread keeps them,
// since other threads may still name it (a mutex owner, say) while the program exits.
struct AdoptedThreadRelease
{
    rt_host_thread *host = nullptr;
    ~AdoptedThreadRelease()
    {
        if (!host)
            return;
        rt_thread_t object;
        {
            KernelLock lock(kernel_mutex());
            release_mutexes_locked(host);
            object = host->object;
            if (object)
                detach_object_locked(&object->parent);
            tls_host = nullptr;
        }
        std::free(object);
        delete host;
    }
};
thread_local AdoptedThreadRelease adopted_release;

void enqueue_locked(rt_list_t *queue, rt_thread_t thread, rt_uint8_t flag)
{
    if (flag == RT_IPC_FLAG_PRIO)
    {
        // Before the first waiter that is less urgent: equal priorities stay in arrival order.
        for (rt_list_t *node = queue->next; node != queue; node = node->next)
        {
            rt_thread_t waiter = rt_list_entry(node, struct rt_thread, tlist);
            if (thread->current_priority < waiter->current_priority)
            {
                rt_list_insert_before(node, &thread->tlist);
                return;
            }
        }
    }
    rt_list_insert_before(queue, &thread->tlist);
}

void note_stack_depth(rt_host_thread *host, rt_thread_t self)
{
    auto here = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
    self->sp = reinterpret_cast<void *>(here);
    if (host->stack_deepest == 0 || here < host->stack_deepest)
        host->stack_deepest = here;
}

void warn_if_critical()
{
    static std::atomic<bool> warned{false};
    if (critical_depth() > 0 && !warned.exchange(true))
        LOG_W("a thread waits inside rt_enter_critical()/rt_hw_interrupt_disable(): every other "
              "thread taking them waits with it");
}

int priority_from_nice()
{
    errno = 0;
    int nice = getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
    if (nice == -1 && errno != 0)
        nice = 0;
    return priority_for_nice(nice);
}

} // namespace

std::mutex &kernel_mutex()
{
    static std::mutex *lock = new std::mutex; // never destroyed, as the container
    return *lock;
}

rt_tick_t tick_now_rounded_up()
{
    using namespace std::chrono;
    auto elapsed = duration_cast<microseconds>(steady_clock::now() - tick_origin).count();
    return static_cast<rt_tick_t>((elapsed * RT_TICK_PER_SECOND + 999999) / 1000000);
}

Duration ticks_to_duration(rt_int32_t ticks)
{
    if (ticks < 0)
        return kForever;
    auto ms =
        (static_cast<std::int64_t>(ticks) * 1000 + RT_TICK_PER_SECOND - 1) / RT_TICK_PER_SECOND;
    return Duration(ms);
}

rt_host_thread *current_host()
{
    if (!tls_host)
        adopt_current_thread(nullptr, -1);
    return tls_host;
}

rt_host_thread *current_host_if_any()
{
    return tls_host;
}

void set_current_host(rt_host_thread *host)
{
    tls_host = host;
}

rt_thread_t current_thread()
{
    rt_host_thread *host = current_host();
    if (!host)
        return nullptr;
    KernelLock lock(kernel_mutex());
    return host->object;
}

void adopt_current_thread(const char *name, int priority, std::size_t stack_asked,
                          rt_uint32_t tick)
{
    char thread_name[16] = "";
    if (!name)
    {
        pthread_getname_np(pthread_self(), thread_name, sizeof thread_name);
        name = thread_name;
    }
    if (priority < 0)
        priority = priority_from_nice();
    priority = std::clamp(priority, 0, RT_THREAD_PRIORITY_MAX - 1);
    StackWatermark watermark;
    if (stack_asked > 0 && !tls_host)
        watermark = fill_unused_stack(host_stack_size(stack_asked));
    KernelLock lock(kernel_mutex());
    if (tls_host)
    {
        if (tls_host->object)
        {
            copy_name(tls_host->object->name, name);
            tls_host->object->current_priority = static_cast<rt_uint8_t>(priority);
            tls_host->object->init_priority = static_cast<rt_uint8_t>(priority);
        }
        return;
    }
    auto *object = static_cast<rt_thread_t>(std::calloc(1, sizeof(rt_thread)));
    auto *host = new (std::nothrow) rt_host_thread;
    if (!object || !host ||
        !attach_object_locked(&object->parent, RT_Object_Class_Thread, name, false))
    {
        std::free(object);
        delete host;
        return; // callers see no thread and report -RT_ENOMEM
    }
    rt_list_init(&object->tlist);
    object->stat = RT_THREAD_RUNNING;
    object->current_priority = object->init_priority = static_cast<rt_uint8_t>(priority);
    object->init_tick = object->remaining_tick = tick;
    object->host = host;
    host->object = object;
    host->adopted = host->created = host->started = true;
    host->tid = gettid();
    rt_list_init(&host->taken_mutexes);
    // Measured from here down, as a started thread's is from its first frame (thread.cpp).
    host->stack_top = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
    host->watermark = watermark;
    host->stack_asked = stack_asked;
    object->stack_size = static_cast<rt_uint32_t>(current_stack_size());
    tls_host = host;
    if (gettid() != getpid())
        adopted_release.host = host;
}

rt_err_t wait_in_kernel(KernelLock &lock, rt_thread_t self, rt_list_t *queue, rt_uint8_t flag,
                        rt_int32_t ticks)
{
    rt_host_thread *host = self->host;
    note_blocking();
    warn_if_critical();
    note_stack_depth(host, self);
    if (queue)
        enqueue_locked(queue, self, flag);
    self->error = -RT_EINTR; // what a bare rt_thread_resume() leaves
    self->stat = RT_THREAD_SUSPEND;
    host->waiting = true;
    host->woken = false;
    Deadline(ticks_to_duration(ticks)).wait(host->wake, lock, [host] {
        return host->woken || host->exit_requested;
    });
    host->waiting = false;
    // A deleted thread's object may belong to someone else by now: look at nothing of it.
    if (host->exit_requested)
    {
        lock.unlock();
        exit_current_thread();
    }
    if (!host->woken)
    {
        if (queue)
            rt_list_remove(&self->tlist);
        self->error = -RT_ETIMEOUT;
    }
    host->suspended_by_request = false;
    self->stat = RT_THREAD_RUNNING;
    return self->error;
}

void wake_thread_locked(rt_thread_t thread, rt_err_t error)
{
    rt_host_thread *host = thread->host;
    rt_list_remove(&thread->tlist);
    thread->error = error;
    thread->stat = RT_THREAD_READY;
    host->woken = true;
    host->wake.notify_one();
}

void wake_first_locked(rt_list_t *queue)
{
    wake_thread_locked(rt_list_entry(queue->next, struct rt_thread, tlist), RT_EOK);
}

void wake_all_locked(rt_list_t *queue, rt_err_t error)
{
    while (!rt_list_isempty(queue))
        wake_thread_locked(rt_list_entry(queue->next, struct rt_thread, tlist), error);
}

void enter_waiting_call_locked(KernelLock &lock, rt_thread_t self)
{
    rt_host_thread *host = self->host;
    if (host->exit_requested)
    {
        lock.unlock();
        exit_current_thread();
    }
    if (host->suspend_requested)
    {
        host->suspend_requested = false;
        host->suspended_by_request = true;
        wait_in_kernel(lock, self, nullptr, 0, RT_WAITING_FOREVER);
    }
}

void note_blocking()
{
    rt_host_thread *host = tls_host;
    if (host && host->on_first_block)
    {
        void (*hook)() = host->on_first_block;
        host->on_first_block = nullptr;
        hook();
    }
}

} // namespace tcp_server::detail::rt

using namespace tcp_server::detail;

extern "C"
{

rt_tick_t rt_tick_get(void)
{
    using namespace std::chrono;
    auto elapsed = duration_cast<microseconds>(steady_clock::now() - rt::tick_origin).count();
    return static_cast<rt_tick_t>(elapsed * RT_TICK_PER_SECOND / 1000000);
}

rt_tick_t rt_tick_from_millisecond(rt_int32_t ms)
{
    if (ms < 0)
        return static_cast<rt_tick_t>(RT_WAITING_FOREVER);
    return static_cast<rt_tick_t>((static_cast<std::int64_t>(ms) * RT_TICK_PER_SECOND + 999) /
                                  1000);
}

rt_tick_t rt_tick_get_millisecond(void)
{
    using namespace std::chrono;
    return static_cast<rt_tick_t>(
        duration_cast<milliseconds>(steady_clock::now() - rt::tick_origin).count());
}

} // extern "C"
