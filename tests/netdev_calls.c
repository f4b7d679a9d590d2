/*
 * What a board application does with netdev, compiled as C: the default netdev's address
 * through inet_ntoa, a lookup by name, a walk of netdev_list with rt_slist_entry.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <netdev.h>
#include <rtthread.h>

#include <stdio.h>
#include <string.h>

int netdev_calls_describe_default(char *text, size_t size)
{
    struct netdev *netdev = netdev_default;
    if (netdev == RT_NULL)
        return -1;
    snprintf(text, size, "%s %s up=%d link=%d", netdev->name, inet_ntoa(netdev->ip_addr),
             netdev_is_up(netdev), netdev_is_link_up(netdev));
    return 0;
}

const char *netdev_calls_address_of(const char *name)
{
    struct netdev *netdev = netdev_get_by_name(name);
    return netdev ? inet_ntoa(netdev->ip_addr) : RT_NULL;
}

int netdev_calls_count_listed(void)
{
    int count = 0;
    rt_slist_t *node;
    if (netdev_list == RT_NULL)
        return 0;
    count = 1;
    rt_slist_for_each(node, &netdev_list->list)
    {
        struct netdev *netdev = rt_slist_entry(node, struct netdev, list);
        count += netdev->name[0] != '\0';
    }
    return count;
}
