// The RT-Thread kernel on POSIX threads: the kernel lock, the object container, the host side
// of a thread, and the one way a thread waits (RT-Thread's suspend/resume on a wait queue).
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "rt/stack_watermark.h"

#include <rtthread.h>

#include <tcpserver.hpp>

#include <pthread.h>
#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

/**
 * The host side of an rt_thread: the POSIX thread and what it waits on. Guarded by the kernel
 * lock, except where a member says otherwise.
 */
struct rt_host_thread
{
    rt_thread_t object = nullptr;      // null once the thread was deleted or detached
    std::condition_variable wake;      // waited on by this thread only, with the kernel lock
    bool waiting = false;              // blocked in wait_in_kernel()
    bool woken = false;                // someone resumed it; its object's error says why
    bool suspended_by_request = false; // it waits in rt_thread_suspend, not for an object
    bool started = false;
    bool join_requested = false; // end_thread_and_join() joins it: it must not detach itself
    pthread_t posix_thread{};    // a started thread's, for end_thread_and_join()
    bool created = false;           // rt_thread_create: the rt_thread is the kernel's to free
    bool adopted = false;           // a POSIX thread the kernel did not start
    bool exit_requested = false;    // deleted while running: it ends at its next wait
    bool suspend_requested = false; // suspended by another thread: it waits at its next call
    pid_t tid = 0;
    void (*entry)(void *) = nullptr;
    void *parameter = nullptr;
    rt_list_t taken_mutexes; // the mutexes it holds, through rt_mutex::taken_list
    // Its stack, for ps: the top (its first frame), the deepest point seen on entering the
    // kernel, the part filled to measure its high-water mark, and the size it was asked with.
    std::uintptr_t stack_top = 0;
    std::uintptr_t stack_deepest = 0;
    tcp_server::detail::rt::StackWatermark watermark;
    std::size_t stack_asked = 0;
    // What a detached (static) thread's cleanup is called with, as its object is given up.
    rt_thread_cleanup_t detached_cleanup = nullptr;
    rt_thread_t detached_object = nullptr;
    // This thread's own, no lock: run once, the first time the thread is about to block (the
    // board runtime lets its console start when "main" first waits).
    void (*on_first_block)() = nullptr;
};

namespace tcp_server::detail::rt
{

using KernelLock = std::unique_lock<std::mutex>;

/** The lock over every kernel object's state, the object lists and the threads' wait state. */
std::mutex &kernel_mutex();

/** The tick count now, rounded up: a deadline this many ticks plus N ahead is never less than
 *  N ticks of real time away. */
rt_tick_t tick_now_rounded_up();

/** How long `ticks` is; negative is forever (kForever). */
Duration ticks_to_duration(rt_int32_t ticks);

// Objects. All of these need the kernel lock.
/** Puts `object` in its class list and the set of live objects; false when out of memory. */
bool attach_object_locked(rt_object_t object, rt_object_class_type type, const char *name,
                          bool is_static);
void detach_object_locked(rt_object_t object);
/** Whether `object` is alive and of class `type` (static or not). */
bool is_live_locked(const void *object, rt_object_class_type type);
/** Whether a live `object` was made with _init (so _detach, not _delete, ends it). */
bool is_static(const rt_object_t object);

#ifdef RT_USING_DEVICE
/** rt_device_register without registering the host's devices first (they use it). */
rt_err_t register_device(rt_device_t dev, const char *name, rt_uint16_t flags);
#endif
/** Registers the host's devices (the RTC, "rtc") once; the device calls begin with it. */
void register_host_devices();

// Threads.
/** The calling thread's host side; a thread the kernel did not start is adopted on first use.
 *  Needs no lock; takes it to adopt. */
rt_host_thread *current_host();
/** The calling thread's host side if it has one yet, and setting it (for a thread the kernel
 *  starts, first thing). No lock. */
rt_host_thread *current_host_if_any();
void set_current_host(rt_host_thread *host);
/** The calling thread's object (adopting it as current_host() does). */
rt_thread_t current_thread();
/**
 * Adopts the calling thread under `name` and `priority` (the worker and the shell call it so
 * that ps shows them as kernel threads). With `stack_asked` (the Kconfig size its creator
 * asked for), its stack is measured as a started thread's is; `tick` is its time slice.
 */
void adopt_current_thread(const char *name, int priority, std::size_t stack_asked = 0,
                          rt_uint32_t tick = 0);

/**
 * Blocks the calling thread (`self`) until it is woken or `ticks` pass (negative: forever; zero
 * is the caller's to handle). With `queue`, it waits there in FIFO or priority order (`flag`).
 * Returns the error its waker set (RT_EOK, or -RT_ERROR when the object was deleted), or
 * -RT_ETIMEOUT. A thread deleted meanwhile ends here. Needs the kernel lock, held in `lock`.
 */
rt_err_t wait_in_kernel(KernelLock &lock, rt_thread_t self, rt_list_t *queue, rt_uint8_t flag,
                        rt_int32_t ticks);
/** Wakes a waiting thread with `error` and takes it out of its queue. Kernel lock. */
void wake_thread_locked(rt_thread_t thread, rt_err_t error);
/** Wakes the first thread of a non-empty queue with RT_EOK. Kernel lock. */
void wake_first_locked(rt_list_t *queue);
/** Wakes every thread of a queue with `error` (-RT_ERROR for a deleted object). Kernel lock. */
void wake_all_locked(rt_list_t *queue, rt_err_t error);
/** A kernel call that may wait starts: honours another thread's suspend or delete request.
 *  Kernel lock. */
void enter_waiting_call_locked(KernelLock &lock, rt_thread_t self);

/**
 * Ends a thread the kernel started, as rt_thread_delete/rt_thread_detach do, and waits up to
 * `limit` until its POSIX thread is gone, so nothing of it outlives the call (the board
 * runtime ends its own threads so before the process exits). False when `thread` is no such
 * live thread, or it did not end in time (it waits where the kernel cannot wake it). Needs no
 * lock; never on the calling thread.
 */
bool end_thread_and_join(rt_thread_t thread, std::chrono::milliseconds limit);
/** Starts the timer thread if it does not run yet (else the first rt_timer_start does). */
void start_timer_thread();
/** Ends the timer thread, if it runs, and waits until it is gone: timers fire no more. */
void end_timer_thread();
/**
 * The threads a board runs from boot, for the console's programs (msh, a board program): the
 * idle thread ("tidle0") and the timer thread, started before the application's threads and
 * ended, waiting until they are gone, as the process ends. Console thread.
 */
void start_system_threads();
void end_system_threads();
/** Ends the calling thread as RT-Thread ends one whose entry returned. */
[[noreturn]] void exit_current_thread();
/** Passes every mutex `host` holds to its next waiter (the thread is ending). Kernel lock. */
void release_mutexes_locked(rt_host_thread *host);

/** The calling thread is about to block in a wait of any kind (kernel or tcpserver): runs its
 *  on_first_block hook. No lock. */
void note_blocking();

/**
 * What every _create shares: a zeroed T from rt_calloc, set up by `attach` under the kernel
 * lock; freed again, and nullptr, when there is no memory or `attach` fails.
 */
template <typename T, typename Attach> T *create_object(Attach attach)
{
    auto *object = static_cast<T *>(rt_calloc(1, sizeof(T)));
    if (!object)
        return nullptr;
    KernelLock lock(kernel_mutex());
    if (attach(object))
        return object;
    lock.unlock();
    rt_free(object);
    return nullptr;
}

/** Copies a name into an object's RT_NAME_MAX bytes, cut and terminated. */
void copy_name(char (&out)[RT_NAME_MAX], const char *name);

} // namespace tcp_server::detail::rt
