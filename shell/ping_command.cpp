// ping: netdev's ping from msh, with RT-Thread's arguments: ping <host> [netdev] [times] [size].
// SPDX-License-Identifier: Apache-2.0
#include "msh_core.h"

#include <netdev.h>
#include <rtthread.h>

#include <cstdlib>

namespace msh
{

int ping_command(int argc, char **argv)
{
    if (argc < 2 || argc > 5)
    {
        rt_kprintf("Please input: ping <host address> [netdev name] [times] [data size]\n");
        return -RT_EINVAL;
    }
    char *netdev = argc > 2 ? argv[2] : RT_NULL;
    rt_uint32_t times = argc > 3 ? static_cast<rt_uint32_t>(std::atoi(argv[3])) : 4;
    rt_size_t size = argc > 4 ? static_cast<rt_size_t>(std::atoi(argv[4])) : 0;
    return netdev_cmd_ping(argv[1], netdev, times, size);
}

} // namespace msh
