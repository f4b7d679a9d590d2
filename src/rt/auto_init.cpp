// Auto-initialisation: the functions INIT_x_EXPORT registers, run once per level group in
// RT-Thread's order: the board level ("1" and its sub-levels) first, then "2" (prev) to "6"
// (app). Within a level they run in the order they registered, which is link order.
// SPDX-License-Identifier: Apache-2.0
#include <rtthread.h>

#include <algorithm>
#include <mutex>
#include <string>
#include <vector>

namespace
{

struct InitFunction
{
    init_fn_t function;
    std::string level;
    const char *name;
};

struct Registry
{
    std::mutex mutex;
    std::vector<InitFunction> functions; // in registration order
    bool board_done = false;
    bool components_done = false;
};

Registry &registry()
{
    static Registry instance;
    return instance;
}

bool is_board_level(const std::string &level)
{
    return level == "1" || level.rfind("1.", 0) == 0;
}

// Runs, in level order, the functions of one group, once.
void run_group(bool board)
{
    Registry &all = registry();
    std::vector<InitFunction> chosen;
    {
        std::lock_guard lock(all.mutex);
        bool &done = board ? all.board_done : all.components_done;
        if (done)
            return;
        done = true;
        for (const InitFunction &entry : all.functions)
            if (is_board_level(entry.level) == board)
                chosen.push_back(entry);
    }
    std::stable_sort(
        chosen.begin(), chosen.end(),
        [](const InitFunction &a, const InitFunction &b) { return a.level < b.level; });
    for (const InitFunction &entry : chosen)
    {
        int result = entry.function();
#ifdef RT_DEBUGING_AUTO_INIT
        rt_kprintf("initialize %s:%d done\n", entry.name, result);
#else
        (void)result;
#endif
    }
}

} // namespace

extern "C"
{

void rt_host_register_init(init_fn_t fn, const char *level, const char *name)
{
    if (!fn || !level)
        return;
    Registry &all = registry();
    std::lock_guard lock(all.mutex);
    all.functions.push_back({fn, level, name ? name : "?"});
}

void rt_components_board_init(void)
{
    run_group(true);
}

void rt_components_init(void)
{
    run_group(false);
}

} // extern "C"
