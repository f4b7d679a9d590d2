/*
 * An RT-Thread IoT gateway application as written for a board: a plain BSD-socket listener in
 * an rt_thread, a thread per device connection, frames that start with 0xD0, an event that
 * tells main() a frame arrived, a list of connected devices guarded by rt_hw_interrupt_disable,
 * and a shell command. It uses the kernel, kservice, finsh and tcpserver headers as a board
 * build does, and is built unchanged against the installed package (with -funsigned-char, as
 * ARM compilers treat plain char).
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <rthw.h>
#include <rtthread.h>
#include <tcpserver.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#define GW_FRAME_START 0xD0
#define GW_EVENT_FRAME (1 << 0)

struct gateway_device
{
    int sock;
    struct sockaddr_in client_addr;
    rt_list_t node;
};

static struct rt_event gw_event;
static rt_list_t devices = RT_LIST_OBJECT_INIT(devices);
static volatile rt_uint32_t frames_good, frames_bad;

static void device_thread(void *parameter)
{
    struct gateway_device *device = (struct gateway_device *)parameter;
    char buf[64];
    int n;
    rt_base_t level;

    while ((n = recv(device->sock, buf, sizeof(buf), 0)) > 0)
    {
        /* Plain char compared with 0xD0: right only where char is unsigned (ARM, or
         * -funsigned-char on the host). */
        if (buf[0] != GW_FRAME_START)
        {
            frames_bad++;
            send(device->sock, "NAK\n", 4, 0);
            continue;
        }
        frames_good++;
        send(device->sock, "ACK\n", 4, 0);
        rt_event_send(&gw_event, GW_EVENT_FRAME);
    }
    level = rt_hw_interrupt_disable();
    rt_list_remove(&device->node);
    rt_hw_interrupt_enable(level);
    closesocket(device->sock);
    rt_free(device);
}

static void listener_thread(void *parameter)
{
    struct sockaddr_in address;
    socklen_t length = sizeof(address);
    int server = socket(AF_INET, SOCK_STREAM, 0);
    rt_base_t level;

    RT_UNUSED(parameter);
    rt_memset(&address, 0, sizeof(address));
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    if (server < 0 || bind(server, (struct sockaddr *)&address, sizeof(address)) < 0 ||
        listen(server, 4) < 0 || getsockname(server, (struct sockaddr *)&address, &length) < 0)
    {
        rt_kprintf("gateway: no listener\n");
        return;
    }
    rt_kprintf("gateway listening on port %d\n", ntohs(address.sin_port));
    for (;;)
    {
        struct gateway_device *device = rt_calloc(1, sizeof(*device));
        socklen_t size = sizeof(device->client_addr);
        device->sock = accept(server, (struct sockaddr *)&device->client_addr, &size);
        if (device->sock < 0)
        {
            rt_free(device);
            continue;
        }
        level = rt_hw_interrupt_disable();
        rt_list_insert_before(&devices, &device->node);
        rt_hw_interrupt_enable(level);
        rt_thread_startup(rt_thread_create("device", device_thread, device, 2048, 15, 10));
    }
}

static int gw(int argc, char **argv)
{
    struct gateway_device *device;
    int connected = 0;
    rt_base_t level;

    if (argc < 2 || rt_strcasecmp(argv[1], "status") != 0)
    {
        rt_kprintf("usage: gw status\n");
        return -RT_EINVAL;
    }
    level = rt_hw_interrupt_disable();
    rt_list_for_each_entry(device, &devices, node) connected++;
    rt_hw_interrupt_enable(level);
    rt_kprintf("gateway: %d devices, %u good frames, %u bad\n", connected, (unsigned)frames_good,
               (unsigned)frames_bad);
    return 0;
}
MSH_CMD_EXPORT(gw, gateway status: gw status);

int main(void)
{
    rt_uint32_t received;

    rt_event_init(&gw_event, "gw", RT_IPC_FLAG_PRIO);
    rt_thread_startup(rt_thread_create("gwlisten", listener_thread, RT_NULL, 2048, 12, 10));
    while (rt_event_recv(&gw_event, GW_EVENT_FRAME, RT_EVENT_FLAG_OR | RT_EVENT_FLAG_CLEAR,
                         RT_WAITING_FOREVER, &received) == RT_EOK)
        rt_kprintf("gateway: frame\n");
    return 0;
}
