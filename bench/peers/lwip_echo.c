/*
 * A hand-written lwIP echo server: the reference for tcpserver on lwIP. A TAP driver of a few
 * lines (Debian's own tapif overruns its pool buffers on full-size frames), one thread waiting
 * in lwip_poll, each read written straight back; a peer that cannot take it all gets the rest
 * when writable. Usage: lwip_echo TAP IP NETMASK GATEWAY [port]
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include "peer_main.h"

#include <lwip/ip4_addr.h>
#include <lwip/netif.h>
#include <lwip/sockets.h>
#include <lwip/sys.h>
#include <lwip/tcpip.h>
#include <netif/etharp.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define MAX_CLIENTS 4096
#define FRAME_MAX 1514

static struct netif tap;
static int tap_fd;
static ip4_addr_t address, netmask, gateway;

struct pending
{
    char *data;
    size_t size;
};
static struct pollfd watched[MAX_CLIENTS + 1]; /* the listener first */
static struct pending pending[MAX_CLIENTS + 1];
static int count = 1;

static err_t send_frame(struct netif *interface, struct pbuf *frame)
{
    char bytes[FRAME_MAX];
    u16_t length = pbuf_copy_partial(frame, bytes, sizeof bytes, 0);
    (void)interface;
    return write(tap_fd, bytes, length) == length ? ERR_OK : ERR_IF;
}

static void *read_frames(void *interface)
{
    char bytes[FRAME_MAX];
    for (;;)
    {
        ssize_t length = read(tap_fd, bytes, sizeof bytes);
        struct pbuf *frame = length > 0 ? pbuf_alloc(PBUF_RAW, (u16_t)length, PBUF_RAM) : NULL;
        if (!frame)
            continue;
        pbuf_take(frame, bytes, (u16_t)length);
        if (tap.input(frame, interface) != ERR_OK)
            pbuf_free(frame);
    }
    return NULL;
}

static err_t init_tap(struct netif *interface)
{
    static const u8_t mac[6] = {0x02, 0x00, 0x00, 0x00, 0xec, 0x40};
    interface->output = etharp_output;
    interface->linkoutput = send_frame;
    interface->mtu = 1500;
    interface->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
    interface->hwaddr_len = sizeof mac;
    memcpy(interface->hwaddr, mac, sizeof mac);
    return ERR_OK;
}

/* Runs on lwIP's thread once it is up: the TAP interface, as lwIP's own examples add it. */
static void add_tap(void *started)
{
    netif_add(&tap, &address, &netmask, &gateway, NULL, init_tap, tcpip_input);
    netif_set_default(&tap);
    netif_set_up(&tap);
    netif_set_link_up(&tap);
    sys_sem_signal((sys_sem_t *)started);
}

static void drop(int i)
{
    lwip_close(watched[i].fd);
    free(pending[i].data);
    --count;
    watched[i] = watched[count];
    pending[i] = pending[count];
    pending[count].data = NULL;
}

/* Sends what is left of i's echo; false once the connection failed. */
static int flush(int i)
{
    ssize_t sent = lwip_send(watched[i].fd, pending[i].data, pending[i].size, MSG_DONTWAIT);
    if (sent < 0)
        return errno == EAGAIN || errno == ENOBUFS;
    pending[i].size -= (size_t)sent;
    memmove(pending[i].data, pending[i].data + sent, pending[i].size);
    watched[i].events = pending[i].size ? POLLOUT : POLLIN;
    return 1;
}

/* Echoes what arrived; false once the peer is gone. */
static int echo(int i)
{
    static char buffer[65536];
    ssize_t n = lwip_recv(watched[i].fd, buffer, sizeof buffer, MSG_DONTWAIT);
    if (n <= 0)
        return n < 0 && errno == EAGAIN;
    pending[i].data = realloc(pending[i].data, (size_t)n);
    memcpy(pending[i].data, buffer, (size_t)n);
    pending[i].size = (size_t)n;
    return flush(i);
}

static void accept_all(int listener)
{
    int fd, on = 1;
    while ((fd = lwip_accept(listener, NULL, NULL)) >= 0)
    {
        if (count > MAX_CLIENTS)
        {
            lwip_close(fd);
            continue;
        }
        lwip_fcntl(fd, F_SETFL, O_NONBLOCK);
        lwip_setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
        watched[count].fd = fd;
        watched[count].events = POLLIN;
        watched[count].revents = 0;
        pending[count].size = 0;
        ++count;
    }
}

int main(int argc, char **argv)
{
    struct sockaddr_in local = {.sin_family = AF_INET};
    socklen_t length = sizeof local;
    struct ifreq request = {.ifr_flags = IFF_TAP | IFF_NO_PI};
    sys_sem_t started;
    pthread_t reader;

    if (argc < 5 || !ip4addr_aton(argv[2], &address) || !ip4addr_aton(argv[3], &netmask) ||
        !ip4addr_aton(argv[4], &gateway))
    {
        fprintf(stderr, "usage: %s TAP IP NETMASK GATEWAY [port]\n", argv[0]);
        return 2;
    }
    strncpy(request.ifr_name, argv[1], IFNAMSIZ - 1);
    tap_fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
    if (tap_fd < 0 || ioctl(tap_fd, TUNSETIFF, &request) < 0)
    {
        perror(argv[1]);
        return 1;
    }
    sys_sem_new(&started, 0);
    tcpip_init(add_tap, &started);
    sys_sem_wait(&started);
    pthread_create(&reader, NULL, read_frames, &tap);

    local.sin_port = htons((unsigned short)peer_port(argc - 4, argv + 4));
    local.sin_addr.s_addr = address.addr;
    watched[0].fd = lwip_socket(AF_INET, SOCK_STREAM, 0);
    watched[0].events = POLLIN;
    if (lwip_bind(watched[0].fd, (struct sockaddr *)&local, sizeof local) ||
        lwip_listen(watched[0].fd, 128) || lwip_fcntl(watched[0].fd, F_SETFL, O_NONBLOCK))
        return 1;
    lwip_getsockname(watched[0].fd, (struct sockaddr *)&local, &length);
    peer_announce("lwip", ntohs(local.sin_port));

    for (;;)
    {
        if (lwip_poll(watched, (nfds_t)count, -1) < 0)
            return 1;
        if (watched[0].revents & POLLIN)
            accept_all(watched[0].fd);
        for (int i = count - 1; i > 0; --i)
        {
            short fired = watched[i].revents;
            int alive = 1;
            if (fired & POLLOUT)
                alive = flush(i);
            else if (fired & (POLLIN | POLLERR | POLLHUP))
                alive = echo(i);
            if (!alive)
                drop(i);
        }
    }
}
