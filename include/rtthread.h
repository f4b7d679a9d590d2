/*
 * RT-Thread's kernel API on Linux: threads, semaphores, mutexes, events, mailboxes, message
 * queues, memory pools, timers, the object container, kernel services and the console, declared
 * as RT-Thread declares them, so RT-Thread application files compile and run unchanged.
 *
 * Every blocking call takes a timeout in ticks (RT_TICK_PER_SECOND a second): RT_WAITING_FOREVER
 * (any negative value) waits, RT_WAITING_NO just looks. Results are RT-Thread's: RT_EOK, or
 * -RT_ETIMEOUT, -RT_EFULL, -RT_ERROR (the object was deleted while the caller waited), ... A
 * handle to an object that was never initialised or is already detached/deleted is refused with
 * -RT_EINVAL (RT_NULL from calls that return pointers) instead of followed. Every call is thread
 * safe and may be made from any thread, RT-Thread's or not.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef __RT_THREAD_H__
#define __RT_THREAD_H__

#include <rtconfig.h>
#include <rtdebug.h>
#include <rtdef.h>
#include <rtservice.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __cplusplus
extern "C"
{
#endif

/* Objects: every kernel object is in its class's list (what ps and list_x show). */
struct rt_object_information *rt_object_get_information(enum rt_object_class_type type);
int rt_object_get_length(enum rt_object_class_type type);
int rt_object_get_pointers(enum rt_object_class_type type, rt_object_t *pointers, int maxlen);
void rt_object_init(struct rt_object *object, enum rt_object_class_type type, const char *name);
void rt_object_detach(rt_object_t object);
rt_object_t rt_object_allocate(enum rt_object_class_type type, const char *name);
void rt_object_delete(rt_object_t object);
rt_bool_t rt_object_is_systemobject(rt_object_t object);
rt_uint8_t rt_object_get_type(rt_object_t object);
rt_object_t rt_object_find(const char *name, rt_uint8_t type);
rt_err_t rt_object_get_name(rt_object_t object, char *name, rt_uint8_t name_size);

/* Clock: a tick is 1/RT_TICK_PER_SECOND s, counted from the start of the program. */
rt_tick_t rt_tick_get(void);
rt_tick_t rt_tick_from_millisecond(rt_int32_t ms);
rt_tick_t rt_tick_get_millisecond(void);

/*
 * Timers: callbacks run on one timer thread ("timer"), in deadline order, outside every kernel
 * lock; RT_TIMER_FLAG_HARD_TIMER and _SOFT_TIMER behave alike (the host has no tick interrupt).
 * Detaching or deleting a timer whose callback is running waits for the callback to return,
 * unless it is called from that callback.
 */
void rt_timer_init(rt_timer_t timer, const char *name, void (*timeout)(void *parameter),
                   void *parameter, rt_tick_t time, rt_uint8_t flag);
rt_err_t rt_timer_detach(rt_timer_t timer);
rt_timer_t rt_timer_create(const char *name, void (*timeout)(void *parameter), void *parameter,
                           rt_tick_t time, rt_uint8_t flag);
rt_err_t rt_timer_delete(rt_timer_t timer);
rt_err_t rt_timer_start(rt_timer_t timer);
rt_err_t rt_timer_stop(rt_timer_t timer);
rt_err_t rt_timer_control(rt_timer_t timer, int cmd, void *arg);
rt_tick_t rt_timer_next_timeout_tick(void);

/*
 * Threads: each is a POSIX thread with a stack of at least 256 KiB (a board-sized request is
 * raised), named after the thread (15 characters), at nice priority * 32 /
 * RT_THREAD_PRIORITY_MAX - 12. A thread ends when its entry returns, as on RT-Thread: its
 * cleanup runs, the mutexes it holds pass on, and a created thread's memory is freed. Deleting
 * another thread ends it at its next kernel call that can wait (IPC, delay, yield, suspend),
 * or at once if it waits in one; a thread deleting itself ends at once.
 */
rt_err_t rt_thread_init(struct rt_thread *thread, const char *name, void (*entry)(void *parameter),
                        void *parameter, void *stack_start, rt_uint32_t stack_size,
                        rt_uint8_t priority, rt_uint32_t tick);
rt_err_t rt_thread_detach(rt_thread_t thread);
rt_thread_t rt_thread_create(const char *name, void (*entry)(void *parameter), void *parameter,
                             rt_uint32_t stack_size, rt_uint8_t priority, rt_uint32_t tick);
rt_err_t rt_thread_delete(rt_thread_t thread);
/** The calling thread; a thread RT-Thread did not create gets an object on first use. */
rt_thread_t rt_thread_self(void);
rt_thread_t rt_thread_find(char *name);
rt_err_t rt_thread_startup(rt_thread_t thread);
rt_err_t rt_thread_yield(void);
rt_err_t rt_thread_delay(rt_tick_t tick);
rt_err_t rt_thread_delay_until(rt_tick_t *tick, rt_tick_t inc_tick);
rt_err_t rt_thread_mdelay(rt_int32_t ms);
rt_err_t rt_thread_control(rt_thread_t thread, int cmd, void *arg);
/** Suspends the caller until rt_thread_resume(); another thread suspends at its next kernel
 *  call that can wait. */
rt_err_t rt_thread_suspend(rt_thread_t thread);
rt_err_t rt_thread_suspend_with_flag(rt_thread_t thread, int suspend_flag);
/** Wakes a suspended thread: from rt_thread_suspend (RT_EOK there), or from a delay or an
 *  IPC wait, which then return -RT_EINTR. -RT_ERROR for a thread that is not suspended. */
rt_err_t rt_thread_resume(rt_thread_t thread);
rt_err_t rt_thread_get_name(rt_thread_t thread, char *name, rt_uint8_t name_size);

/* Scheduler locks: see rthw.h. On the host they exclude other threads that take them. */
void rt_enter_critical(void);
void rt_exit_critical(void);
rt_uint16_t rt_critical_level(void);
void rt_interrupt_enter(void);
void rt_interrupt_leave(void);
rt_uint8_t rt_interrupt_get_nest(void);

/* Memory pools: fixed-size blocks; rt_mp_alloc waits for a free block. */
rt_err_t rt_mp_init(struct rt_mempool *mp, const char *name, void *start, rt_size_t size,
                    rt_size_t block_size);
rt_err_t rt_mp_detach(struct rt_mempool *mp);
rt_mp_t rt_mp_create(const char *name, rt_size_t block_count, rt_size_t block_size);
rt_err_t rt_mp_delete(rt_mp_t mp);
void *rt_mp_alloc(rt_mp_t mp, rt_int32_t time);
void rt_mp_free(void *block);

/* The heap: the C library's, counted for the shell's free command. */
void *rt_malloc(rt_size_t size);
void rt_free(void *ptr);
void *rt_realloc(void *ptr, rt_size_t newsize);
void *rt_calloc(rt_size_t count, rt_size_t size);
void *rt_malloc_align(rt_size_t size, rt_size_t align);
void rt_free_align(void *ptr);
/** total: the process's heap; used and max_used: what rt_malloc and friends hold, at most. */
void rt_memory_info(rt_size_t *total, rt_size_t *used, rt_size_t *max_used);

/* Semaphores. */
rt_err_t rt_sem_init(rt_sem_t sem, const char *name, rt_uint32_t value, rt_uint8_t flag);
rt_err_t rt_sem_detach(rt_sem_t sem);
rt_sem_t rt_sem_create(const char *name, rt_uint32_t value, rt_uint8_t flag);
rt_err_t rt_sem_delete(rt_sem_t sem);
rt_err_t rt_sem_take(rt_sem_t sem, rt_int32_t timeout);
rt_err_t rt_sem_take_interruptible(rt_sem_t sem, rt_int32_t timeout);
rt_err_t rt_sem_take_killable(rt_sem_t sem, rt_int32_t timeout);
rt_err_t rt_sem_trytake(rt_sem_t sem);
rt_err_t rt_sem_release(rt_sem_t sem);
rt_err_t rt_sem_control(rt_sem_t sem, int cmd, void *arg);

/* Mutexes: recursive for their owner; released by anyone else is -RT_ERROR. */
rt_err_t rt_mutex_init(rt_mutex_t mutex, const char *name, rt_uint8_t flag);
rt_err_t rt_mutex_detach(rt_mutex_t mutex);
rt_mutex_t rt_mutex_create(const char *name, rt_uint8_t flag);
rt_err_t rt_mutex_delete(rt_mutex_t mutex);
rt_err_t rt_mutex_take(rt_mutex_t mutex, rt_int32_t timeout);
rt_err_t rt_mutex_trytake(rt_mutex_t mutex);
rt_err_t rt_mutex_take_interruptible(rt_mutex_t mutex, rt_int32_t time);
rt_err_t rt_mutex_take_killable(rt_mutex_t mutex, rt_int32_t time);
rt_err_t rt_mutex_release(rt_mutex_t mutex);
rt_err_t rt_mutex_control(rt_mutex_t mutex, int cmd, void *arg);

/* Events: 32 flags; a receiver waits for all (AND) or any (OR) of a set, and may clear them. */
rt_err_t rt_event_init(rt_event_t event, const char *name, rt_uint8_t flag);
rt_err_t rt_event_detach(rt_event_t event);
rt_event_t rt_event_create(const char *name, rt_uint8_t flag);
rt_err_t rt_event_delete(rt_event_t event);
rt_err_t rt_event_send(rt_event_t event, rt_uint32_t set);
rt_err_t rt_event_recv(rt_event_t event, rt_uint32_t set, rt_uint8_t opt, rt_int32_t timeout,
                       rt_uint32_t *recved);
rt_err_t rt_event_recv_interruptible(rt_event_t event, rt_uint32_t set, rt_uint8_t opt,
                                     rt_int32_t timeout, rt_uint32_t *recved);
rt_err_t rt_event_recv_killable(rt_event_t event, rt_uint32_t set, rt_uint8_t opt,
                                rt_int32_t timeout, rt_uint32_t *recved);
rt_err_t rt_event_control(rt_event_t event, int cmd, void *arg);

/* Mailboxes: a ring of rt_ubase_t mails; a full mailbox refuses rt_mb_send with -RT_EFULL. */
rt_err_t rt_mb_init(rt_mailbox_t mb, const char *name, void *msgpool, rt_size_t size,
                    rt_uint8_t flag);
rt_err_t rt_mb_detach(rt_mailbox_t mb);
rt_mailbox_t rt_mb_create(const char *name, rt_size_t size, rt_uint8_t flag);
rt_err_t rt_mb_delete(rt_mailbox_t mb);
rt_err_t rt_mb_send(rt_mailbox_t mb, rt_ubase_t value);
rt_err_t rt_mb_send_interruptible(rt_mailbox_t mb, rt_ubase_t value);
rt_err_t rt_mb_send_killable(rt_mailbox_t mb, rt_ubase_t value);
rt_err_t rt_mb_send_wait(rt_mailbox_t mb, rt_ubase_t value, rt_int32_t timeout);
rt_err_t rt_mb_send_wait_interruptible(rt_mailbox_t mb, rt_ubase_t value, rt_int32_t timeout);
rt_err_t rt_mb_send_wait_killable(rt_mailbox_t mb, rt_ubase_t value, rt_int32_t timeout);
rt_err_t rt_mb_urgent(rt_mailbox_t mb, rt_ubase_t value);
rt_err_t rt_mb_recv(rt_mailbox_t mb, rt_ubase_t *value, rt_int32_t timeout);
rt_err_t rt_mb_recv_interruptible(rt_mailbox_t mb, rt_ubase_t *value, rt_int32_t timeout);
rt_err_t rt_mb_recv_killable(rt_mailbox_t mb, rt_ubase_t *value, rt_int32_t timeout);
rt_err_t rt_mb_control(rt_mailbox_t mb, int cmd, void *arg);

/*
 * Message queues: copies of messages up to msg_size bytes, in order (rt_mq_urgent puts one in
 * front). rt_mq_recv returns the message's length (RT_VER_NUM below 0x50000: RT_EOK) or a
 * negative error; a message longer than the caller's buffer is cut to fit.
 */
rt_err_t rt_mq_init(rt_mq_t mq, const char *name, void *msgpool, rt_size_t msg_size,
                    rt_size_t pool_size, rt_uint8_t flag);
rt_err_t rt_mq_detach(rt_mq_t mq);
rt_mq_t rt_mq_create(const char *name, rt_size_t msg_size, rt_size_t max_msgs, rt_uint8_t flag);
rt_err_t rt_mq_delete(rt_mq_t mq);
rt_err_t rt_mq_send(rt_mq_t mq, const void *buffer, rt_size_t size);
rt_err_t rt_mq_send_interrupt(rt_mq_t mq, const void *buffer, rt_size_t size);
rt_err_t rt_mq_send_killable(rt_mq_t mq, const void *buffer, rt_size_t size);
rt_err_t rt_mq_send_wait(rt_mq_t mq, const void *buffer, rt_size_t size, rt_int32_t timeout);
rt_err_t rt_mq_send_wait_interruptible(rt_mq_t mq, const void *buffer, rt_size_t size,
                                       rt_int32_t timeout);
rt_err_t rt_mq_send_wait_killable(rt_mq_t mq, const void *buffer, rt_size_t size,
                                  rt_int32_t timeout);
rt_err_t rt_mq_urgent(rt_mq_t mq, const void *buffer, rt_size_t size);
rt_ssize_t rt_mq_recv(rt_mq_t mq, void *buffer, rt_size_t size, rt_int32_t timeout);
rt_ssize_t rt_mq_recv_interruptible(rt_mq_t mq, void *buffer, rt_size_t size, rt_int32_t timeout);
rt_ssize_t rt_mq_recv_killable(rt_mq_t mq, void *buffer, rt_size_t size, rt_int32_t timeout);
rt_err_t rt_mq_control(rt_mq_t mq, int cmd, void *arg);

/* Spin locks: the scheduler locks of rthw.h on a uniprocessor build. */
struct rt_spinlock
{
    rt_ubase_t lock;
};
#define RT_SPINLOCK_INIT                                                                           \
    {                                                                                              \
        0                                                                                          \
    }
#define rt_spin_lock_init(lock) ((void)(lock))
#define rt_spin_lock(lock) rt_enter_critical()
#define rt_spin_unlock(lock) rt_exit_critical()
#define rt_spin_lock_irqsave(lock) rt_hw_interrupt_disable()
#define rt_spin_unlock_irqrestore(lock, level) rt_hw_interrupt_enable(level)
rt_base_t rt_hw_interrupt_disable(void);
void rt_hw_interrupt_enable(rt_base_t level);

/* Auto-initialisation (INIT_x_EXPORT in rtdef.h): each level runs once; the shell runs them. */
void rt_components_board_init(void);
void rt_components_init(void);

/* Kernel services. */
/** Formats like printf and writes the text to the console in one piece. */
int rt_kprintf(const char *fmt, ...)
    TCPSERVER_PRINTF_FORMAT(1, 2);
void rt_kputs(const char *str);
/** Prints the board's boot banner: the logo, the version and the build time. */
void rt_show_version(void);
/** The error of the last failed call on this thread (a negative RT code, e.g. -RT_ETIMEOUT). */
rt_err_t rt_get_errno(void);
void rt_set_errno(rt_err_t no);
int *_rt_errno(void);
/** The name of an error code: "EOK", "ETIMOUT", ... (negated or not). */
const char *rt_strerror(rt_err_t error);

char *rt_strdup(const char *s);
rt_size_t rt_strnlen(const char *s, rt_ubase_t maxlen);
char *rt_strstr(const char *str1, const char *str2);
rt_int32_t rt_strcasecmp(const char *a, const char *b);

#define rt_memset(s, c, n) memset((s), (c), (n))
#define rt_memcpy(d, s, n) memcpy((d), (s), (n))
#define rt_memmove(d, s, n) memmove((d), (s), (n))
#define rt_memcmp(a, b, n) memcmp((a), (b), (n))
#define rt_strcpy(d, s) strcpy((d), (s))
#define rt_strncpy(d, s, n) strncpy((d), (s), (n))
#define rt_strcmp(a, b) strcmp((a), (b))
#define rt_strncmp(a, b, n) strncmp((a), (b), (n))
#define rt_strlen(s) strlen(s)
/* Functions, as on a board, not the C library's names: the compiler's checks of snprintf's
 * truncation would warn on code that is clean on a board. Formats are checked as rt_kprintf's. */
int rt_sprintf(char *buf, const char *format, ...) TCPSERVER_PRINTF_FORMAT(2, 3);
int rt_snprintf(char *buf, rt_size_t size, const char *format, ...) TCPSERVER_PRINTF_FORMAT(3, 4);
int rt_vsprintf(char *dest, const char *format, va_list arg_ptr);
int rt_vsnprintf(char *buf, rt_size_t size, const char *fmt, va_list args);

#ifdef RT_USING_DEVICE
/* Devices (rtdef.h's struct rt_device). Registered names are unique (-RT_ERROR otherwise); open
 * runs the device's init once, then its open, counting openers (a STANDALONE device takes one:
 * -RT_EBUSY); read and write need it open (0 with rt_get_errno() -RT_ERROR otherwise); a call
 * the device lacks is -RT_ENOSYS. The host registers "rtc" (rtdevice.h) before first use. */
rt_device_t rt_device_find(const char *name);
rt_err_t rt_device_register(rt_device_t dev, const char *name, rt_uint16_t flags);
rt_err_t rt_device_unregister(rt_device_t dev);
#ifdef RT_USING_HEAP
/* A zeroed device of `type` with `attach_size` more bytes after it; destroy unregisters it. */
rt_device_t rt_device_create(int type, int attach_size);
void rt_device_destroy(rt_device_t device);
#endif
rt_err_t rt_device_set_rx_indicate(rt_device_t dev, rt_err_t (*rx_ind)(rt_device_t dev, rt_size_t size));
rt_err_t rt_device_set_tx_complete(rt_device_t dev, rt_err_t (*tx_done)(rt_device_t dev, void *buffer));
rt_err_t rt_device_init(rt_device_t dev);
rt_err_t rt_device_open(rt_device_t dev, rt_uint16_t oflag);
rt_err_t rt_device_close(rt_device_t dev);
rt_ssize_t rt_device_read(rt_device_t dev, rt_off_t pos, void *buffer, rt_size_t size);
rt_ssize_t rt_device_write(rt_device_t dev, rt_off_t pos, const void *buffer, rt_size_t size);
rt_err_t rt_device_control(rt_device_t dev, int cmd, void *arg);
#endif /* RT_USING_DEVICE */

/** Prints the failed expression with its place and aborts (RT_ASSERT's target). */
void rt_assert_handler(const char *expr, const char *func, rt_size_t line);

/**
 * Sends everything the console prints (rt_kprintf, LOG_x) to `hook` instead of stdout, or back
 * to stdout for RT_NULL. Host extension: an interactive shell uses it to print log lines above
 * the line being typed. The hook may be called from any thread, one line at a time.
 */
void rt_console_set_output_hook(void (*hook)(const char *text, rt_size_t length));

#ifdef __cplusplus
}
#endif

#ifdef RT_USING_FINSH
#include <finsh.h>
#endif

#endif
