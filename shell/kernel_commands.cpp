// The console's kernel commands in RT-Thread's layout: ps/list_thread, list_sem, list_mutex,
// list_event, list_mailbox, list_msgqueue, list_mempool, list_timer and free.
// SPDX-License-Identifier: Apache-2.0
#include "msh_core.h"

#include <rt/inspect.h>

#include <rtthread.h>

#include <cstdio>
#include <string>

namespace msh
{

namespace
{

namespace rt = tcp_server::detail::rt;

// The title padded to the name column (a longer one is kept whole, as on a board), then the
// other column titles.
void header(const char *title, const char *columns, const char *rules)
{
    rt_kprintf("%-*s %s\n", RT_NAME_MAX, title, columns);
    rt_kprintf("%s %s\n", std::string(RT_NAME_MAX, '-').c_str(), rules);
}

const char *status_of(rt_uint8_t stat)
{
    if ((stat & RT_THREAD_SUSPEND_MASK) == RT_THREAD_SUSPEND_MASK)
        return "suspend";
    switch (stat & RT_THREAD_STAT_MASK)
    {
    case RT_THREAD_READY:
        return "ready  ";
    case RT_THREAD_INIT:
        return "init   ";
    case RT_THREAD_CLOSE:
        return "close  ";
    default:
        return "running";
    }
}

// "0" with nobody waiting, "2:a/b" with threads a and b waiting.
std::string waiting(const std::vector<std::string> &waiters)
{
    std::string text = std::to_string(waiters.size());
    for (std::size_t i = 0; i < waiters.size(); ++i)
        text += (i == 0 ? ":" : "/") + waiters[i];
    return text;
}

// RT-Thread's columns, then two of the host's: "peak", the most of its stack a thread has used
// (its high-water mark, in bytes), and "asked", the stack its creator asked for (Kconfig's size),
// which Linux raised to "stack size".
int list_thread(int, char **)
{
    header("thread",
           "pri  status      sp     stack size max used left tick  error      peak      asked",
           "---  ------- ---------- ----------  ------  ---------- ------- ---------- ----------");
    for (const rt::ThreadRow &row : rt::thread_rows())
    {
        std::string asked = "         -";
        if (row.stack_asked > 0)
        {
            char hex[24];
            std::snprintf(hex, sizeof hex, "0x%08zx", row.stack_asked);
            asked = hex;
        }
        rt_kprintf("%-*.*s %3d  %s 0x%08zx 0x%08zx    %02d%%   0x%08lx %-7s 0x%08zx %s\n",
                   RT_NAME_MAX, RT_NAME_MAX, row.name.c_str(), row.priority, status_of(row.stat),
                   row.stack_depth, row.stack_size, row.stack_peak_percent,
                   static_cast<unsigned long>(row.remaining_tick), rt_strerror(row.error),
                   row.stack_peak, asked.c_str());
    }
    return 0;
}

int list_sem(int, char **)
{
    header("semaphore", "v   suspend thread", "--- --------------");
    for (const rt::IpcRow &row : rt::ipc_rows(RT_Object_Class_Semaphore))
        rt_kprintf("%-*.*s %03llu %s\n", RT_NAME_MAX, RT_NAME_MAX, row.name.c_str(),
                   static_cast<unsigned long long>(row.first), waiting(row.waiters).c_str());
    return 0;
}

int list_mutex(int, char **)
{
    header("mutex", "  owner  hold suspend thread", "-------- ---- --------------");
    for (const rt::IpcRow &row : rt::ipc_rows(RT_Object_Class_Mutex))
        rt_kprintf("%-*.*s %-8.*s %04llu %s\n", RT_NAME_MAX, RT_NAME_MAX, row.name.c_str(),
                   RT_NAME_MAX, row.owner.c_str(), static_cast<unsigned long long>(row.first),
                   waiting(row.waiters).c_str());
    return 0;
}

int list_event(int, char **)
{
    header("event", "     set    suspend thread", " ---------- --------------");
    for (const rt::IpcRow &row : rt::ipc_rows(RT_Object_Class_Event))
        rt_kprintf("%-*.*s  0x%08llx %s\n", RT_NAME_MAX, RT_NAME_MAX, row.name.c_str(),
                   static_cast<unsigned long long>(row.first), waiting(row.waiters).c_str());
    return 0;
}

int list_mailbox(int, char **)
{
    header("mailbox", "entry size suspend thread", "----  ---- --------------");
    for (const rt::IpcRow &row : rt::ipc_rows(RT_Object_Class_MailBox))
        rt_kprintf("%-*.*s %04llu  %04llu %s\n", RT_NAME_MAX, RT_NAME_MAX, row.name.c_str(),
                   static_cast<unsigned long long>(row.first),
                   static_cast<unsigned long long>(row.second), waiting(row.waiters).c_str());
    return 0;
}

int list_msgqueue(int, char **)
{
    header("msgqueue", "entry suspend thread", "----  --------------");
    for (const rt::IpcRow &row : rt::ipc_rows(RT_Object_Class_MessageQueue))
        rt_kprintf("%-*.*s %04llu  %s\n", RT_NAME_MAX, RT_NAME_MAX, row.name.c_str(),
                   static_cast<unsigned long long>(row.first), waiting(row.waiters).c_str());
    return 0;
}

int list_mempool(int, char **)
{
    header("mempool", "block total free suspend thread", "----  ----  ---- --------------");
    for (const rt::IpcRow &row : rt::ipc_rows(RT_Object_Class_MemPool))
        rt_kprintf("%-*.*s %04llu  %04llu  %04llu %s\n", RT_NAME_MAX, RT_NAME_MAX, row.name.c_str(),
                   static_cast<unsigned long long>(row.first),
                   static_cast<unsigned long long>(row.second),
                   static_cast<unsigned long long>(row.third), waiting(row.waiters).c_str());
    return 0;
}

int list_timer(int, char **)
{
    header("timer", " periodic   timeout       flag", "---------- ---------- -----------");
    for (const rt::TimerRow &row : rt::timer_rows())
        rt_kprintf("%-*.*s 0x%08x 0x%08x %s\n", RT_NAME_MAX, RT_NAME_MAX, row.name.c_str(),
                   static_cast<unsigned>(row.init_tick), static_cast<unsigned>(row.timeout_tick),
                   row.activated ? "activated" : "deactivated");
    rt_kprintf("current tick:0x%08x\n", static_cast<unsigned>(rt_tick_get()));
    return 0;
}

int free_command(int, char **)
{
    rt_size_t total = 0, used = 0, max_used = 0;
    rt_memory_info(&total, &used, &max_used);
    rt_kprintf("total    : %lu\n", static_cast<unsigned long>(total));
    rt_kprintf("used     : %lu\n", static_cast<unsigned long>(used));
    rt_kprintf("maximum  : %lu\n", static_cast<unsigned long>(max_used));
    rt_kprintf("available: %lu\n", static_cast<unsigned long>(total > used ? total - used : 0));
    return 0;
}

} // namespace

void register_kernel_commands()
{
    msh_register_command("ps", "List threads in the system.", list_thread);
    msh_register_command("list_thread", "list thread", list_thread);
    msh_register_command("list_sem", "list semaphore in system", list_sem);
    msh_register_command("list_mutex", "list mutex in system", list_mutex);
    msh_register_command("list_event", "list event in system", list_event);
    msh_register_command("list_mailbox", "list mail box in system", list_mailbox);
    msh_register_command("list_msgqueue", "list message queue in system", list_msgqueue);
    msh_register_command("list_mempool", "list memory pool in system", list_mempool);
    msh_register_command("list_timer", "list timer in system", list_timer);
    msh_register_command("free", "Show the memory usage in the system.", free_command);
}

} // namespace msh
