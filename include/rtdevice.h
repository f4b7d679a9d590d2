/*
 * RT-Thread's device framework header, for application files that include it. Of what it holds
 * on a board, the host provides the work queue (work items run one after another on a queue's
 * own thread, now or once a delay in ticks has passed, and the system work queue ("sys workq",
 * started with the kernel) takes them through rt_work_submit), ring buffers, completions, and the RTC: a device "rtc" that
 * keeps the host's wall clock plus what was set on it, as dev_rtc.h has it. The device calls
 * themselves (rt_device_*) are in rtthread.h. Other drivers (serial, pins, ...) are not
 * provided.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef __RT_DEVICE_H__
#define __RT_DEVICE_H__

#include <rtthread.h>

#ifdef __cplusplus
extern "C"
{
#endif

#ifdef RT_USING_DEVICE_IPC

enum
{
    RT_WORK_STATE_PENDING = 0x0001,    /* queued, waiting for its turn */
    RT_WORK_STATE_SUBMITTING = 0x0002, /* its delay runs */
};

enum
{
    RT_WORK_TYPE_DELAYED = 0x0001,
};

/* Made by rt_workqueue_create; its insides are the library's. */
struct rt_workqueue;

struct rt_work
{
    rt_list_t list; /* its place in its queue's pending or delayed list */
    void (*work_func)(struct rt_work *work, void *work_data);
    void *work_data;
    rt_uint16_t flags; /* RT_WORK_STATE_* */
    rt_uint16_t type;
    struct rt_timer timer; /* the delay of a delayed submission */
    struct rt_workqueue *workqueue;
};

/* A queue with a thread of its own; RT_NULL when the thread cannot be made. */
struct rt_workqueue *rt_workqueue_create(const char *name, rt_uint16_t stack_size,
                                         rt_uint8_t priority);
/* Cancels what waits, lets the running work finish, and ends the thread. Not from a work item
 * of the same queue (-RT_EBUSY). */
rt_err_t rt_workqueue_destroy(struct rt_workqueue *queue);
/* Queues `work` at the end (rt_workqueue_submit_work with no delay). */
rt_err_t rt_workqueue_dowork(struct rt_workqueue *queue, struct rt_work *work);
/* Queues `work` once `ticks` have passed (0: now); a work already queued or delayed is moved,
 * never run twice for it. -RT_ERROR when ticks >= RT_TICK_MAX / 2. */
rt_err_t rt_workqueue_submit_work(struct rt_workqueue *queue, struct rt_work *work,
                                  rt_tick_t ticks);
/* Queues `work` first: it runs after the work running now. */
rt_err_t rt_workqueue_urgent_work(struct rt_workqueue *queue, struct rt_work *work);
/* Takes `work` out of the queue; -RT_EBUSY if it is running now (it finishes). */
rt_err_t rt_workqueue_cancel_work(struct rt_workqueue *queue, struct rt_work *work);
/* As rt_workqueue_cancel_work, and waits until a run of it in progress has finished. Not from
 * the queue's own thread while that work runs (-RT_EBUSY). */
rt_err_t rt_workqueue_cancel_work_sync(struct rt_workqueue *queue, struct rt_work *work);
rt_err_t rt_workqueue_cancel_all_work(struct rt_workqueue *queue);

#ifdef RT_USING_SYSTEM_WORKQUEUE
/* The same on the system work queue. */
rt_err_t rt_work_submit(struct rt_work *work, rt_tick_t ticks);
rt_err_t rt_work_urgent(struct rt_work *work);
rt_err_t rt_work_cancel(struct rt_work *work);
#endif

/* Binds `work` to its function and data, not queued anywhere. */
rt_inline void rt_work_init(struct rt_work *work,
                            void (*work_func)(struct rt_work *work, void *work_data),
                            void *work_data)
{
    rt_list_init(&work->list);
    work->work_func = work_func;
    work->work_data = work_data;
    work->flags = 0;
    work->type = 0;
    work->workqueue = RT_NULL;
}

/* A ring buffer over a pool the caller gives: no lock and no waiting (serialise it yourself).
 * Each index carries a mirror bit, flipped when it wraps: equal indexes with equal mirrors are
 * empty, with different mirrors full. */
struct rt_ringbuffer
{
    rt_uint8_t *buffer_ptr;
    rt_uint32_t read_mirror : 1;
    rt_uint32_t read_index : 31;
    rt_uint32_t write_mirror : 1;
    rt_uint32_t write_index : 31;
    rt_int32_t buffer_size;
};

enum rt_ringbuffer_state
{
    RT_RINGBUFFER_EMPTY,
    RT_RINGBUFFER_FULL,
    RT_RINGBUFFER_HALFFULL,
};

/* `size` is rounded down to RT_ALIGN_SIZE. */
void rt_ringbuffer_init(struct rt_ringbuffer *rb, rt_uint8_t *pool, rt_int32_t size);
void rt_ringbuffer_reset(struct rt_ringbuffer *rb);
/* Copies in what fits; the bytes copied. */
rt_size_t rt_ringbuffer_put(struct rt_ringbuffer *rb, const rt_uint8_t *ptr, rt_uint32_t length);
/* Copies in all (the newest buffer_size bytes of a longer one), over the oldest unread bytes. */
rt_size_t rt_ringbuffer_put_force(struct rt_ringbuffer *rb, const rt_uint8_t *ptr,
                                  rt_uint32_t length);
rt_size_t rt_ringbuffer_putchar(struct rt_ringbuffer *rb, const rt_uint8_t ch);
rt_size_t rt_ringbuffer_putchar_force(struct rt_ringbuffer *rb, const rt_uint8_t ch);
/* Copies out up to `length` bytes; the bytes copied. */
rt_size_t rt_ringbuffer_get(struct rt_ringbuffer *rb, rt_uint8_t *ptr, rt_uint32_t length);
/* Points *ptr at the unread bytes up to the pool's end and takes them as read; their count. */
rt_size_t rt_ringbuffer_peek(struct rt_ringbuffer *rb, rt_uint8_t **ptr);
rt_size_t rt_ringbuffer_getchar(struct rt_ringbuffer *rb, rt_uint8_t *ch);
rt_size_t rt_ringbuffer_data_len(struct rt_ringbuffer *rb);
#ifdef RT_USING_HEAP
struct rt_ringbuffer *rt_ringbuffer_create(rt_uint32_t length);
void rt_ringbuffer_destroy(struct rt_ringbuffer *rb);
#endif

rt_inline rt_uint32_t rt_ringbuffer_get_size(struct rt_ringbuffer *rb)
{
    return (rt_uint32_t)rb->buffer_size;
}
#define rt_ringbuffer_space_len(rb) ((rb)->buffer_size - rt_ringbuffer_data_len(rb))

/* A completion: one thread waits for another's done; a done before the wait is kept. */
struct rt_completion
{
    rt_atomic_t susp_thread_n_flag; /* the waiting thread, or 1 once done */
};
#define RT_COMPLETION_INIT(comp) {0}

void rt_completion_init(struct rt_completion *completion);
/* RT_EOK once done (at once if it was), -RT_ETIMEOUT, or -RT_EBUSY for a second waiter. */
rt_err_t rt_completion_wait(struct rt_completion *completion, rt_int32_t timeout);
rt_err_t rt_completion_wait_noisr(struct rt_completion *completion, rt_int32_t timeout);
void rt_completion_done(struct rt_completion *completion);

#endif /* RT_USING_DEVICE_IPC */

#ifdef RT_USING_RTC
#include <sys/time.h>
#include <time.h>

#define RT_DEVICE_CTRL_RTC_GET_TIME (RT_DEVICE_CTRL_BASE(RTC) + 0x01)     /* time_t * */
#define RT_DEVICE_CTRL_RTC_SET_TIME (RT_DEVICE_CTRL_BASE(RTC) + 0x02)     /* time_t * */
#define RT_DEVICE_CTRL_RTC_GET_TIMEVAL (RT_DEVICE_CTRL_BASE(RTC) + 0x03)  /* struct timeval * */
#define RT_DEVICE_CTRL_RTC_SET_TIMEVAL (RT_DEVICE_CTRL_BASE(RTC) + 0x04)  /* struct timeval * */
#define RT_DEVICE_CTRL_RTC_GET_ALARM (RT_DEVICE_CTRL_BASE(RTC) + 0x05)    /* struct rt_rtc_wkalarm * */
#define RT_DEVICE_CTRL_RTC_SET_ALARM (RT_DEVICE_CTRL_BASE(RTC) + 0x06)    /* struct rt_rtc_wkalarm * */
#define RT_DEVICE_CTRL_RTC_GET_TIMESPEC (RT_DEVICE_CTRL_BASE(RTC) + 0x07) /* struct timespec * */
#define RT_DEVICE_CTRL_RTC_SET_TIMESPEC (RT_DEVICE_CTRL_BASE(RTC) + 0x08) /* struct timespec * */
#define RT_DEVICE_CTRL_RTC_GET_TIMERES (RT_DEVICE_CTRL_BASE(RTC) + 0x09)  /* struct timespec * */

struct rt_rtc_wkalarm
{
    rt_bool_t enable;
    rt_int32_t tm_sec;
    rt_int32_t tm_min;
    rt_int32_t tm_hour;
    rt_int32_t tm_mday;
    rt_int32_t tm_mon;
    rt_int32_t tm_year;
};

/* A driver's half of an RTC device: the calls it has (RT_NULL: -RT_ENOSYS). */
struct rt_rtc_ops
{
    rt_err_t (*init)(void);
    rt_err_t (*get_secs)(time_t *sec);
    rt_err_t (*set_secs)(time_t *sec);
    rt_err_t (*get_alarm)(struct rt_rtc_wkalarm *alarm);
    rt_err_t (*set_alarm)(struct rt_rtc_wkalarm *alarm);
    rt_err_t (*get_timeval)(struct timeval *tv);
    rt_err_t (*set_timeval)(struct timeval *tv);
};

typedef struct rt_rtc_device
{
    struct rt_device parent;
    const struct rt_rtc_ops *ops;
} rt_rtc_dev_t;

/* Registers an RTC whose control commands go to `rtc->ops`. */
rt_err_t rt_hw_rtc_register(rt_rtc_dev_t *rtc, const char *name, rt_uint32_t flag, void *data);
/* Change the date or the time of day (local time) on "rtc", keeping the rest. */
rt_err_t set_date(rt_uint32_t year, rt_uint32_t month, rt_uint32_t day);
rt_err_t set_time(rt_uint32_t hour, rt_uint32_t minute, rt_uint32_t second);
rt_err_t set_timestamp(time_t timestamp);
rt_err_t get_timestamp(time_t *timestamp);
#endif /* RT_USING_RTC */

#ifdef __cplusplus
}
#endif

#endif /* __RT_DEVICE_H__ */
