// Timers: one list of active timers in deadline order, served by one timer thread ("timer", as
// on a board) that sleeps until the first deadline, or for good when none is active. Callbacks
// run on that thread, one at a time, without the kernel lock.
// SPDX-License-Identifier: Apache-2.0
#include "rt/kernel.h"

#include "rt/log.h"

#include <condition_variable>
#include <mutex>

namespace tcp_server::detail::rt
{

namespace
{

constexpr auto kClass = RT_Object_Class_Timer;

struct TimerService
{
    rt_list_t active;                      // by timeout_tick, earliest first
    rt_thread_t thread = nullptr;          // the timer thread, once a timer was started
    rt_timer_t running = nullptr;          // the timer whose callback runs now
    std::condition_variable callback_done; // with the kernel lock: `running` changed

    TimerService() { rt_list_init(&active); }
};

TimerService &service()
{
    static auto *instance = new TimerService; // never destroyed: see kernel_mutex()
    return *instance;
}

bool due(rt_tick_t deadline, rt_tick_t now)
{
    // Ticks wrap: a deadline up to half the tick range ahead is in the future.
    return static_cast<rt_int32_t>(deadline - now) <= 0;
}

rt_timer_t timer_of(rt_list_t *node)
{
    return rt_list_entry(node, struct rt_timer, row[0]);
}

bool queued(rt_timer_t timer)
{
    return !rt_list_isempty(&timer->row[0]);
}

void wake_service_locked()
{
    TimerService &timers = service();
    if (timers.thread && timers.thread->host && timers.thread->host->waiting)
        wake_thread_locked(timers.thread, RT_EOK);
}

// Puts a timer in the active list at `deadline`, after those due at the same time.
void insert_locked(rt_timer_t timer, rt_tick_t deadline)
{
    TimerService &timers = service();
    timer->timeout_tick = deadline;
    rt_list_t *node = timers.active.next;
    while (node != &timers.active &&
           static_cast<rt_int32_t>(timer_of(node)->timeout_tick - deadline) <= 0)
        node = node->next;
    rt_list_insert_before(node, &timer->row[0]);
    if (timers.active.next == &timer->row[0])
        wake_service_locked(); // a new first deadline: the thread may sleep too long
}

void remove_locked(rt_timer_t timer)
{
    rt_list_remove(&timer->row[0]);
}

// Runs the first due timer's callback; false when none is due.
bool fire_one(KernelLock &lock)
{
    TimerService &timers = service();
    if (rt_list_isempty(&timers.active))
        return false;
    rt_timer_t timer = timer_of(timers.active.next);
    rt_tick_t deadline = timer->timeout_tick;
    if (!due(deadline, rt_tick_get()))
        return false;
    remove_locked(timer);
    bool periodic = timer->parent.flag & RT_TIMER_FLAG_PERIODIC;
    if (!periodic)
        timer->parent.flag &= ~RT_TIMER_FLAG_ACTIVATED;
    timer->parent.flag |= RT_TIMER_FLAG_PROCESSING;
    timers.running = timer;
    rt_timer_func_t callback = timer->timeout_func;
    void *parameter = timer->parameter;
    lock.unlock();
    if (callback)
        callback(parameter);
    lock.lock();
    timers.running = nullptr;
    timers.callback_done.notify_all();
    if (!is_live_locked(timer, kClass))
        return true; // the callback detached or deleted it
    timer->parent.flag &= ~RT_TIMER_FLAG_PROCESSING;
    // A periodic timer goes on from its last deadline (no drift), unless the callback stopped
    // or restarted it; one that fell a whole period behind starts counting from now.
    if (periodic && (timer->parent.flag & RT_TIMER_FLAG_ACTIVATED) && !queued(timer))
    {
        rt_tick_t period = timer->init_tick ? timer->init_tick : 1;
        rt_tick_t next = deadline + period;
        insert_locked(timer, due(next, rt_tick_get()) ? tick_now_rounded_up() + period : next);
    }
    return true;
}

void timer_thread_entry(void *)
{
    TimerService &timers = service();
    KernelLock lock(kernel_mutex());
    rt_thread_t self = current_host()->object;
    for (;;)
    {
        while (fire_one(lock))
        {
        }
        rt_int32_t wait = RT_WAITING_FOREVER;
        if (!rt_list_isempty(&timers.active))
            wait =
                static_cast<rt_int32_t>(timer_of(timers.active.next)->timeout_tick - rt_tick_get());
        if (wait != 0)
            wait_in_kernel(lock, self, nullptr, 0, wait < 0 ? RT_WAITING_FOREVER : wait);
    }
}

// The timer thread, created the first time a timer starts: no thread, no CPU, until then.
bool ensure_service()
{
    static std::once_flag once;
    std::call_once(once, [] {
        rt_thread_t thread = rt_thread_create("timer", timer_thread_entry, nullptr,
                                              RT_TIMER_THREAD_STACK_SIZE, RT_TIMER_THREAD_PRIO, 10);
        if (thread && rt_thread_startup(thread) == RT_EOK)
        {
            KernelLock lock(kernel_mutex());
            service().thread = thread;
        }
        else
            LOG_E("timers cannot run: no timer thread");
    });
    KernelLock lock(kernel_mutex());
    return service().thread != nullptr;
}

void setup_locked(rt_timer_t timer, rt_timer_func_t timeout, void *parameter, rt_tick_t time,
                  rt_uint8_t flag)
{
    timer->parent.flag =
        static_cast<rt_uint8_t>(flag & ~(RT_TIMER_FLAG_ACTIVATED | RT_TIMER_FLAG_PROCESSING));
    rt_list_init(&timer->row[0]);
    timer->timeout_func = timeout;
    timer->parameter = parameter;
    timer->init_tick = time;
    timer->timeout_tick = 0;
}

// Stops a timer for good and waits out its running callback (unless this is that callback).
rt_err_t end(rt_timer_t timer, bool want_static)
{
    if (!timer)
        return -RT_EINVAL;
    KernelLock lock(kernel_mutex());
    if (!is_live_locked(timer, kClass) || is_static(&timer->parent) != want_static)
        return -RT_EINVAL;
    remove_locked(timer);
    timer->parent.flag &= ~RT_TIMER_FLAG_ACTIVATED;
    detach_object_locked(&timer->parent);
    TimerService &timers = service();
    if (current_host_if_any() != (timers.thread ? timers.thread->host : nullptr))
        timers.callback_done.wait(lock, [&] { return timers.running != timer; });
    return RT_EOK;
}

} // namespace

void start_timer_thread()
{
    ensure_service();
}

void end_timer_thread()
{
    rt_thread_t thread;
    {
        // Forgotten first: nothing may wake the thread once its object is freed.
        KernelLock lock(kernel_mutex());
        thread = service().thread;
        service().thread = nullptr;
    }
    if (thread)
        end_thread_and_join(thread, std::chrono::seconds(1));
}

} // namespace tcp_server::detail::rt

using namespace tcp_server::detail;

extern "C"
{

void rt_timer_init(rt_timer_t timer, const char *name, void (*timeout)(void *parameter),
                   void *parameter, rt_tick_t time, rt_uint8_t flag)
{
    if (!timer)
        return;
    rt::KernelLock lock(rt::kernel_mutex());
    if (!rt::attach_object_locked(&timer->parent, rt::kClass, name, true))
    {
        LOG_E("timer %s: out of memory; it will not run", name ? name : "");
        return;
    }
    rt::setup_locked(timer, timeout, parameter, time, flag);
}

rt_err_t rt_timer_detach(rt_timer_t timer)
{
    return rt::end(timer, true);
}

rt_timer_t rt_timer_create(const char *name, void (*timeout)(void *parameter), void *parameter,
                           rt_tick_t time, rt_uint8_t flag)
{
    return rt::create_object<struct rt_timer>([&](rt_timer_t timer) {
        if (!rt::attach_object_locked(&timer->parent, rt::kClass, name, false))
            return false;
        rt::setup_locked(timer, timeout, parameter, time, flag);
        return true;
    });
}

rt_err_t rt_timer_delete(rt_timer_t timer)
{
    rt_err_t error = rt::end(timer, false);
    if (error == RT_EOK)
        rt_free(timer);
    return error;
}

rt_err_t rt_timer_start(rt_timer_t timer)
{
    if (!rt::ensure_service())
        return -RT_ENOMEM;
    rt::KernelLock lock(rt::kernel_mutex());
    if (!rt::is_live_locked(timer, rt::kClass))
        return -RT_EINVAL;
    rt::remove_locked(timer);
    timer->parent.flag |= RT_TIMER_FLAG_ACTIVATED;
    rt::insert_locked(timer, rt::tick_now_rounded_up() + timer->init_tick);
    return RT_EOK;
}

rt_err_t rt_timer_stop(rt_timer_t timer)
{
    rt::KernelLock lock(rt::kernel_mutex());
    if (!rt::is_live_locked(timer, rt::kClass))
        return -RT_EINVAL;
    if (!(timer->parent.flag & RT_TIMER_FLAG_ACTIVATED))
        return -RT_ERROR;
    rt::remove_locked(timer);
    timer->parent.flag &= ~RT_TIMER_FLAG_ACTIVATED;
    return RT_EOK;
}

rt_err_t rt_timer_control(rt_timer_t timer, int cmd, void *arg)
{
    rt::KernelLock lock(rt::kernel_mutex());
    if (!rt::is_live_locked(timer, rt::kClass))
        return -RT_EINVAL;
    bool needs_arg = cmd != RT_TIMER_CTRL_SET_ONESHOT && cmd != RT_TIMER_CTRL_SET_PERIODIC &&
                     cmd != RT_TIMER_CTRL_SET_FUNC && cmd != RT_TIMER_CTRL_SET_PARM;
    if (needs_arg && !arg)
        return -RT_EINVAL;
    switch (cmd)
    {
    case RT_TIMER_CTRL_SET_TIME:
#if RT_VER_NUM >= 0x50000
        // 5.x stops a running timer whose time is set; it runs again at the next start.
        rt::remove_locked(timer);
        timer->parent.flag &= ~RT_TIMER_FLAG_ACTIVATED;
#endif
        timer->init_tick = *static_cast<rt_tick_t *>(arg);
        return RT_EOK;
    case RT_TIMER_CTRL_GET_TIME:
        *static_cast<rt_tick_t *>(arg) = timer->init_tick;
        return RT_EOK;
    case RT_TIMER_CTRL_SET_ONESHOT:
        timer->parent.flag &= ~RT_TIMER_FLAG_PERIODIC;
        return RT_EOK;
    case RT_TIMER_CTRL_SET_PERIODIC:
        timer->parent.flag |= RT_TIMER_FLAG_PERIODIC;
        return RT_EOK;
    case RT_TIMER_CTRL_GET_STATE:
        *static_cast<rt_uint32_t *>(arg) = (timer->parent.flag & RT_TIMER_FLAG_ACTIVATED)
                                               ? RT_TIMER_FLAG_ACTIVATED
                                               : RT_TIMER_FLAG_DEACTIVATED;
        return RT_EOK;
    case RT_TIMER_CTRL_GET_REMAIN_TIME:
        *static_cast<rt_tick_t *>(arg) = timer->timeout_tick;
        return RT_EOK;
    case RT_TIMER_CTRL_GET_FUNC:
        *static_cast<void **>(arg) = reinterpret_cast<void *>(timer->timeout_func);
        return RT_EOK;
    case RT_TIMER_CTRL_SET_FUNC:
        timer->timeout_func = reinterpret_cast<rt_timer_func_t>(arg);
        return RT_EOK;
    case RT_TIMER_CTRL_GET_PARM:
        *static_cast<void **>(arg) = timer->parameter;
        return RT_EOK;
    case RT_TIMER_CTRL_SET_PARM:
        timer->parameter = arg;
        return RT_EOK;
    default:
        return -RT_EINVAL;
    }
}

rt_tick_t rt_timer_next_timeout_tick(void)
{
    rt::KernelLock lock(rt::kernel_mutex());
    rt_list_t *active = &rt::service().active;
    return rt_list_isempty(active) ? RT_TICK_MAX : rt::timer_of(active->next)->timeout_tick;
}

} // extern "C"
