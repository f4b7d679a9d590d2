/*
 * RT-Thread's basic definitions on the host: types, error codes, compiler attributes, the
 * auto-initialisation levels, and the kernel objects (thread, timer, IPC, memory pool) with the
 * fields RT-Thread 4.x and 5.x applications read. Each object also carries a pointer to its
 * host side, which applications never touch.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef __RT_DEF_H__
#define __RT_DEF_H__

#include <rtconfig.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C"
{
#endif

/* Version: RT_VER_NUM (rtconfig.h, 0xMMmmpp) says which RT-Thread the API follows. */
#ifndef RT_VER_NUM
#define RT_VER_NUM 0x50100
#endif
#define RT_VERSION_MAJOR ((RT_VER_NUM >> 16) & 0xff)
#define RT_VERSION_MINOR ((RT_VER_NUM >> 8) & 0xff)
#define RT_VERSION_PATCH (RT_VER_NUM & 0xff)
#define RT_VERSION_CHECK(major, minor, revise) ((major * 10000) + (minor * 100) + revise)
#define RTTHREAD_VERSION RT_VERSION_CHECK(RT_VERSION_MAJOR, RT_VERSION_MINOR, RT_VERSION_PATCH)
/* 4.x's names for the same numbers. */
#define RT_VERSION RT_VERSION_MAJOR
#define RT_SUBVERSION RT_VERSION_MINOR
#define RT_REVISION RT_VERSION_PATCH

/* Basic types. */
typedef int8_t rt_int8_t;
typedef int16_t rt_int16_t;
typedef int32_t rt_int32_t;
typedef int64_t rt_int64_t;
typedef uint8_t rt_uint8_t;
typedef uint16_t rt_uint16_t;
typedef uint32_t rt_uint32_t;
typedef uint64_t rt_uint64_t;
typedef int rt_bool_t;
typedef long rt_base_t;
typedef unsigned long rt_ubase_t;
typedef rt_base_t rt_err_t;
typedef rt_uint32_t rt_time_t;
typedef rt_uint32_t rt_tick_t;
typedef rt_base_t rt_flag_t;
typedef rt_ubase_t rt_size_t;
typedef rt_base_t rt_ssize_t;
typedef rt_ubase_t rt_dev_t;
typedef rt_base_t rt_off_t;
typedef rt_base_t rt_atomic_t;

#define RT_TRUE 1
#define RT_FALSE 0
#define RT_NULL 0

#define RT_UINT8_MAX 0xff
#define RT_UINT16_MAX 0xffff
#define RT_UINT32_MAX 0xffffffff
#define RT_TICK_MAX RT_UINT32_MAX
#define RT_SEM_VALUE_MAX RT_UINT16_MAX
#define RT_MUTEX_VALUE_MAX RT_UINT16_MAX
#define RT_MUTEX_HOLD_MAX RT_UINT8_MAX
#define RT_MB_ENTRY_MAX RT_UINT16_MAX
#define RT_MQ_ENTRY_MAX RT_UINT16_MAX

#if defined(__LP64__) && !defined(ARCH_CPU_64BIT)
#define ARCH_CPU_64BIT
#endif

/* Compiler attributes: 5.x's lower-case names and 4.x's upper-case ones. RT_UNUSED is 5.x's
 * statement form, RT_UNUSED(x). */
#define rt_section(x) __attribute__((section(x)))
#define rt_used __attribute__((used))
#define rt_align(n) __attribute__((aligned(n)))
#define rt_weak __attribute__((weak))
#define rt_noreturn __attribute__((noreturn))
#define rt_typeof __typeof__
#define rt_inline static __inline
#define rt_always_inline rt_inline __attribute__((always_inline))
#define RT_SECTION(x) rt_section(x)
#define SECTION(x) rt_section(x)
#define RT_USED rt_used
#define RT_WEAK rt_weak
#ifndef ALIGN
#define ALIGN(n) rt_align(n)
#endif
#define RT_UNUSED(x) ((void)(x))
#define RTT_API

/* printf-style format checking of rt_kprintf, LOG_x and ulog: RT-Thread's have none, and a board's
 * size_t is 32-bit, so a file clean on a board may print a size_t with "%d". Opt in with
 * Kconfig's RT_KPRINTF_CHECK_FORMAT; the project's own build always checks. */
#if defined(__GNUC__) && (defined(RT_KPRINTF_CHECK_FORMAT) || defined(TCPSERVER_CHECK_FORMATS))
#define TCPSERVER_PRINTF_FORMAT(format_index, first_argument)                                  \
    __attribute__((format(printf, format_index, first_argument)))
#else
#define TCPSERVER_PRINTF_FORMAT(format_index, first_argument)
#endif

/* Error codes; functions return them negated (-RT_ETIMEOUT). */
#define RT_EOK 0
#define RT_ERROR 1
#define RT_ETIMEOUT 2
#define RT_EFULL 3
#define RT_EEMPTY 4
#define RT_ENOMEM 5
#define RT_ENOSYS 6
#define RT_EBUSY 7
#define RT_EIO 8
#define RT_EINTR 9
#define RT_EINVAL 10
#define RT_ETRAP 11
#define RT_ENOENT 12
#define RT_ENOSPC 13
#define RT_EPERM 14
#define RT_EFAULT 15
#define RT_ENOBUFS 16
#define RT_ESCHEDISR 17
#define RT_ESCHEDLOCKED 18

#ifndef RT_ALIGN_SIZE
#define RT_ALIGN_SIZE 8
#endif
/* RT_ALIGN(13, 4) is 16, RT_ALIGN_DOWN(13, 4) is 12; align must be a power of two. */
#define RT_ALIGN(size, align) (((size) + (align)-1) & ~((align)-1))
#define RT_ALIGN_DOWN(size, align) ((size) & ~((align)-1))
#define RT_IS_ALIGN(addr, align) ((!(addr & (align - 1))) && (addr != RT_NULL))

#ifndef RT_NAME_MAX
#define RT_NAME_MAX 8
#endif
#ifndef RT_THREAD_PRIORITY_MAX
#define RT_THREAD_PRIORITY_MAX 32
#endif
#ifndef RT_TICK_PER_SECOND
#define RT_TICK_PER_SECOND 1000
#endif

/*
 * Auto-initialisation: INIT_x_EXPORT(fn) runs `int fn(void)` once, before the shell reads its
 * first command, in RT-Thread's level order (board, prev, device, component, env, app). Within a
 * level, functions run in link order. A static archive drops files nobody calls: link such files
 * into the program itself (or a CMake OBJECT library).
 */
typedef int (*init_fn_t)(void);
void rt_host_register_init(init_fn_t fn, const char *level, const char *name);
#define INIT_EXPORT(fn, level)                                                                     \
    __attribute__((constructor)) static void rt_init_export_##fn(void)                             \
    {                                                                                              \
        rt_host_register_init(fn, level, #fn);                                                     \
    }
#define INIT_BOARD_EXPORT(fn) INIT_EXPORT(fn, "1")
#define INIT_CORE_EXPORT(fn) INIT_EXPORT(fn, "1.0")
#define INIT_FRAMEWORK_EXPORT(fn) INIT_EXPORT(fn, "1.1")
#define INIT_PLATFORM_EXPORT(fn) INIT_EXPORT(fn, "1.2")
#define INIT_SUBSYS_EARLY_EXPORT(fn) INIT_EXPORT(fn, "1.3.0")
#define INIT_SUBSYS_EXPORT(fn) INIT_EXPORT(fn, "1.3.1")
#define INIT_DRIVER_EARLY_EXPORT(fn) INIT_EXPORT(fn, "1.4")
#define INIT_PREV_EXPORT(fn) INIT_EXPORT(fn, "2")
#define INIT_DEVICE_EXPORT(fn) INIT_EXPORT(fn, "3")
#define INIT_COMPONENT_EXPORT(fn) INIT_EXPORT(fn, "4")
#define INIT_ENV_EXPORT(fn) INIT_EXPORT(fn, "5")
#define INIT_APP_EXPORT(fn) INIT_EXPORT(fn, "6")
#define INIT_FS_EXPORT(fn) INIT_EXPORT(fn, "6.0")

#define RT_EVENT_LENGTH 32
#define RT_MM_PAGE_SIZE 4096
#define RT_MM_PAGE_MASK (RT_MM_PAGE_SIZE - 1)
#define RT_MM_PAGE_BITS 12
#define RT_KERNEL_MALLOC(sz) rt_malloc(sz)
#define RT_KERNEL_FREE(ptr) rt_free(ptr)
#define RT_KERNEL_REALLOC(ptr, size) rt_realloc(ptr, size)

/* Intrusive lists (operations in rtservice.h). */
struct rt_list_node
{
    struct rt_list_node *next;
    struct rt_list_node *prev;
};
typedef struct rt_list_node rt_list_t;

struct rt_slist_node
{
    struct rt_slist_node *next;
};
typedef struct rt_slist_node rt_slist_t;

/* Kernel objects. */
#define RT_OBJECT_FLAG_MODULE 0x80

struct rt_object
{
    char name[RT_NAME_MAX];
    rt_uint8_t type; /**< enum rt_object_class_type, | RT_Object_Class_Static for _init objects */
    rt_uint8_t flag;
    rt_list_t list;
};
typedef struct rt_object *rt_object_t;

enum rt_object_class_type
{
    RT_Object_Class_Null = 0x00,
    RT_Object_Class_Thread = 0x01,
    RT_Object_Class_Semaphore = 0x02,
    RT_Object_Class_Mutex = 0x03,
    RT_Object_Class_Event = 0x04,
    RT_Object_Class_MailBox = 0x05,
    RT_Object_Class_MessageQueue = 0x06,
    RT_Object_Class_MemHeap = 0x07,
    RT_Object_Class_MemPool = 0x08,
    RT_Object_Class_Device = 0x09,
    RT_Object_Class_Timer = 0x0a,
    RT_Object_Class_Module = 0x0b,
    RT_Object_Class_Memory = 0x0c,
    RT_Object_Class_Channel = 0x0d,
    RT_Object_Class_Custom = 0x0e,
    RT_Object_Class_Unknown = 0x0f,
    RT_Object_Class_Static = 0x80
};

struct rt_object_information
{
    enum rt_object_class_type type;
    rt_list_t object_list;
    rt_size_t object_size;
};

#define RT_OBJECT_HOOK_CALL(func, argv)

/* Timers. One-shot or periodic; hard and soft timers alike run on the host's timer thread. */
#define RT_TIMER_FLAG_DEACTIVATED 0x0
#define RT_TIMER_FLAG_ACTIVATED 0x1
#define RT_TIMER_FLAG_PROCESSING 0x2
#define RT_TIMER_FLAG_ONE_SHOT 0x0
#define RT_TIMER_FLAG_PERIODIC 0x4
#define RT_TIMER_FLAG_HARD_TIMER 0x0
#define RT_TIMER_FLAG_SOFT_TIMER 0x8

#define RT_TIMER_CTRL_SET_TIME 0x0
#define RT_TIMER_CTRL_GET_TIME 0x1
#define RT_TIMER_CTRL_SET_ONESHOT 0x2
#define RT_TIMER_CTRL_SET_PERIODIC 0x3
#define RT_TIMER_CTRL_GET_STATE 0x4
#define RT_TIMER_CTRL_GET_REMAIN_TIME 0x5
#define RT_TIMER_CTRL_GET_FUNC 0x6
#define RT_TIMER_CTRL_SET_FUNC 0x7
#define RT_TIMER_CTRL_GET_PARM 0x8
#define RT_TIMER_CTRL_SET_PARM 0x9

#define RT_TIMER_SKIP_LIST_LEVEL 1
#define RT_TIMER_SKIP_LIST_MASK 0x3

typedef void (*rt_timer_func_t)(void *parameter);

struct rt_timer
{
    struct rt_object parent;
    rt_list_t row[RT_TIMER_SKIP_LIST_LEVEL]; /**< place in the active list, by deadline */
    rt_timer_func_t timeout_func;
    void *parameter;
    rt_tick_t init_tick;    /**< the period or delay, in ticks */
    rt_tick_t timeout_tick; /**< when it fires next (rt_tick_get() time) */
};
typedef struct rt_timer *rt_timer_t;

/* Threads. */
#define RT_THREAD_INIT 0x00
#define RT_THREAD_CLOSE 0x01
#define RT_THREAD_READY 0x02
#define RT_THREAD_RUNNING 0x03

enum
{
    RT_INTERRUPTIBLE = 0,
    RT_KILLABLE,
    RT_UNINTERRUPTIBLE,
};

#define RT_THREAD_SUSPEND_MASK 0x04
#define RT_SIGNAL_COMMON_WAKEUP_MASK 0x02
#define RT_SIGNAL_KILL_WAKEUP_MASK 0x01
#define RT_THREAD_SUSPEND_INTERRUPTIBLE (RT_THREAD_SUSPEND_MASK)
#define RT_THREAD_SUSPEND RT_THREAD_SUSPEND_INTERRUPTIBLE
#define RT_THREAD_SUSPEND_KILLABLE (RT_THREAD_SUSPEND_MASK | RT_SIGNAL_COMMON_WAKEUP_MASK)
#define RT_THREAD_SUSPEND_UNINTERRUPTIBLE                                                          \
    (RT_THREAD_SUSPEND_MASK | RT_SIGNAL_COMMON_WAKEUP_MASK | RT_SIGNAL_KILL_WAKEUP_MASK)
#define RT_THREAD_STAT_MASK 0x07

#define RT_THREAD_CTRL_STARTUP 0x00
#define RT_THREAD_CTRL_CLOSE 0x01
#define RT_THREAD_CTRL_CHANGE_PRIORITY 0x02
#define RT_THREAD_CTRL_INFO 0x03
#define RT_THREAD_CTRL_BIND_CPU 0x04

struct rt_host_thread;
struct rt_thread;
typedef void (*rt_thread_cleanup_t)(struct rt_thread *tid);

struct rt_thread
{
    /* 5.x names the object part `parent`; 4.x code reads its fields directly (thread->name). */
    union {
        struct rt_object parent;
        struct
        {
            char name[RT_NAME_MAX];
            rt_uint8_t type;
            rt_uint8_t flags;
            rt_list_t list;
        };
    };
    rt_list_t tlist; /**< place in the wait queue of the object it waits for */

    void *sp; /**< stack depth when it last entered the kernel, as an address */
    void *entry;
    void *parameter;
    void *stack_addr; /**< the caller's stack (rt_thread_init), else RT_NULL */
    rt_uint32_t stack_size;

    rt_err_t error; /**< the result of its last wait */
    rt_uint8_t stat;

    rt_uint8_t current_priority;
    rt_uint8_t init_priority;
    rt_uint32_t number_mask;

    rt_uint32_t event_set; /**< the bits an event wait asks for, then the bits received */
    rt_uint8_t event_info; /**< the event wait's RT_EVENT_FLAG_x options */

    rt_ubase_t init_tick;
    rt_ubase_t remaining_tick;

    struct rt_timer thread_timer;
    rt_thread_cleanup_t cleanup; /**< called when the thread ends, on its own thread */

    rt_ubase_t user_data;
    struct rt_host_thread *host; /**< the POSIX thread behind it; private */
};
typedef struct rt_thread *rt_thread_t;

/* IPC. */
#define RT_IPC_FLAG_FIFO 0x00
#define RT_IPC_FLAG_PRIO 0x01
#define RT_IPC_CMD_UNKNOWN 0x00
#define RT_IPC_CMD_RESET 0x01
#define RT_IPC_CMD_GET_STATE 0x02

#define RT_WAITING_FOREVER -1
#define RT_WAITING_NO 0

struct rt_ipc_object
{
    struct rt_object parent;
    rt_list_t suspend_thread; /**< threads waiting, in FIFO or priority order */
};

struct rt_semaphore
{
    struct rt_ipc_object parent;
    rt_uint16_t value;
    rt_uint16_t reserved;
};
typedef struct rt_semaphore *rt_sem_t;

struct rt_mutex
{
    struct rt_ipc_object parent;
    rt_uint16_t value;
    rt_uint8_t original_priority;
    rt_uint8_t hold; /**< how many times the owner has taken it */
    struct rt_thread *owner;
    rt_list_t taken_list; /**< place in the owner's list of mutexes it holds */
};
typedef struct rt_mutex *rt_mutex_t;

#define RT_EVENT_FLAG_AND 0x01
#define RT_EVENT_FLAG_OR 0x02
#define RT_EVENT_FLAG_CLEAR 0x04

struct rt_event
{
    struct rt_ipc_object parent;
    rt_uint32_t set;
};
typedef struct rt_event *rt_event_t;

struct rt_mailbox
{
    struct rt_ipc_object parent;
    rt_ubase_t *msg_pool;
    rt_uint16_t size;
    rt_uint16_t entry;
    rt_uint16_t in_offset;
    rt_uint16_t out_offset;
    rt_list_t suspend_sender_thread;
};
typedef struct rt_mailbox *rt_mailbox_t;

/* A message in a queue's pool: this header, then the message, RT_ALIGN_SIZE aligned. */
struct rt_mq_message
{
    struct rt_mq_message *next;
    rt_ssize_t length;
};
#define RT_MQ_BUF_SIZE(msg_size, max_msgs)                                                         \
    ((RT_ALIGN((msg_size), RT_ALIGN_SIZE) + sizeof(struct rt_mq_message)) * (max_msgs))

struct rt_messagequeue
{
    struct rt_ipc_object parent;
    void *msg_pool;
    rt_uint16_t msg_size; /**< the largest message */
    rt_uint16_t max_msgs;
    rt_uint16_t entry; /**< messages waiting */
    void *msg_queue_head;
    void *msg_queue_tail;
    void *msg_queue_free;
    rt_list_t suspend_sender_thread;
};
typedef struct rt_messagequeue *rt_mq_t;

struct rt_mempool
{
    struct rt_object parent;
    void *start_address;
    rt_size_t size;
    rt_size_t block_size;
    rt_uint8_t *block_list;
    rt_size_t block_total_count;
    rt_size_t block_free_count;
    rt_list_t suspend_thread;
};
typedef struct rt_mempool *rt_mp_t;

#ifdef RT_USING_DEVICE
/* Devices: a driver registers a struct rt_device under a name (rt_device_register); code finds
 * it by that name and calls it through rt_device_open/read/write/control/close (rtthread.h). */
enum rt_device_class_type
{
    RT_Device_Class_Char = 0,
    RT_Device_Class_Block,
    RT_Device_Class_NetIf,
    RT_Device_Class_MTD,
    RT_Device_Class_CAN,
    RT_Device_Class_RTC,
    RT_Device_Class_Sound,
    RT_Device_Class_Graphic,
    RT_Device_Class_I2CBUS,
    RT_Device_Class_USBDevice,
    RT_Device_Class_USBHost,
    RT_Device_Class_USBOTG,
    RT_Device_Class_SPIBUS,
    RT_Device_Class_SPIDevice,
    RT_Device_Class_SDIO,
    RT_Device_Class_PM,
    RT_Device_Class_Pipe,
    RT_Device_Class_Portal,
    RT_Device_Class_Timer,
    RT_Device_Class_Miscellaneous,
    RT_Device_Class_Sensor,
    RT_Device_Class_Touch,
    RT_Device_Class_PHY,
    RT_Device_Class_Security,
    RT_Device_Class_WLAN,
    RT_Device_Class_Pin,
    RT_Device_Class_ADC,
    RT_Device_Class_DAC,
    RT_Device_Class_WDT,
    RT_Device_Class_PWM,
    RT_Device_Class_Bus,
    RT_Device_Class_Unknown
};

/* What a device can do and its state (rt_device::flag). */
#define RT_DEVICE_FLAG_DEACTIVATE 0x000
#define RT_DEVICE_FLAG_RDONLY 0x001
#define RT_DEVICE_FLAG_WRONLY 0x002
#define RT_DEVICE_FLAG_RDWR 0x003
#define RT_DEVICE_FLAG_REMOVABLE 0x004
#define RT_DEVICE_FLAG_STANDALONE 0x008 /* one opener at a time */
#define RT_DEVICE_FLAG_ACTIVATED 0x010  /* its init ran */
#define RT_DEVICE_FLAG_SUSPENDED 0x020
#define RT_DEVICE_FLAG_STREAM 0x040
#define RT_DEVICE_FLAG_DYNAMIC 0x080
#define RT_DEVICE_FLAG_INT_RX 0x100
#define RT_DEVICE_FLAG_DMA_RX 0x200
#define RT_DEVICE_FLAG_INT_TX 0x400
#define RT_DEVICE_FLAG_DMA_TX 0x800

/* How it was opened (rt_device::open_flag). */
#define RT_DEVICE_OFLAG_CLOSE 0x000
#define RT_DEVICE_OFLAG_RDONLY 0x001
#define RT_DEVICE_OFLAG_WRONLY 0x002
#define RT_DEVICE_OFLAG_RDWR 0x003
#define RT_DEVICE_OFLAG_OPEN 0x008
#define RT_DEVICE_OFLAG_MASK 0xf0f

/* Each class's control commands start at its own base. */
#define RT_DEVICE_CTRL_BASE(Type) ((RT_Device_Class_##Type + 1) * 0x100)

typedef struct rt_device *rt_device_t;

/* A device: the driver fills in type, flag and the calls it has (a call left RT_NULL is
 * -RT_ENOSYS), then registers it. */
struct rt_device
{
    struct rt_object parent;
    enum rt_device_class_type type;
    rt_uint16_t flag;
    rt_uint16_t open_flag;
    rt_uint8_t ref_count; /* openers now */
    rt_uint8_t device_id;

    rt_err_t (*rx_indicate)(rt_device_t dev, rt_size_t size);
    rt_err_t (*tx_complete)(rt_device_t dev, void *buffer);

    rt_err_t (*init)(rt_device_t dev);
    rt_err_t (*open)(rt_device_t dev, rt_uint16_t oflag);
    rt_err_t (*close)(rt_device_t dev);
    rt_ssize_t (*read)(rt_device_t dev, rt_off_t pos, void *buffer, rt_size_t size);
    rt_ssize_t (*write)(rt_device_t dev, rt_off_t pos, const void *buffer, rt_size_t size);
    rt_err_t (*control)(rt_device_t dev, int cmd, void *args);

    void *user_data;
};
#endif /* RT_USING_DEVICE */

#ifdef __cplusplus
}
#endif

#endif
