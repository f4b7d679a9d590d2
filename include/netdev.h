/*
 * RT-Thread's network interface devices on the host: the kernel's interfaces (lo, eth0, tap0)
 * and, once it runs, lwIP's (tp0, lo0), each a struct netdev an application looks up and reads
 * as on a board. The table follows the interfaces: it is read when the library loads, and every
 * call below, msh's ifconfig, lwIP's start and a change of the default stack read them afresh. A netdev stays valid for the life
 * of the process, also once its interface has gone (it is then out of netdev_list and down).
 *
 * The subset provided: the struct with name, flags, addresses, hardware address and MTU;
 * lookups by name, address, flags and family; the default netdev, which follows the default stack
 * (lwIP's default interface on lwIP; on the kernel the interface of the default route, else
 * the first one up that is not the loopback) until netdev_set_default() chooses one; and
 * ping (netdev_cmd_ping, msh's ping) over the interface's stack; lwIP's interfaces' addresses
 * and state set through netdev (msh's `ifconfig tp0 IP GW MASK`), and the status and address
 * callbacks. The host's interfaces are read, never set; DHCP and DNS servers are not kept.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef TCPSERVER_NETDEV_H
#define TCPSERVER_NETDEV_H

#include <netdev_ipaddr.h>
#include <rtthread.h>

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef NETDEV_HWADDR_MAX_LEN
#define NETDEV_HWADDR_MAX_LEN 8U
#endif

#define NETDEV_FLAG_UP 0x01U
#define NETDEV_FLAG_BROADCAST 0x02U
#define NETDEV_FLAG_LINK_UP 0x04U
#define NETDEV_FLAG_ETHARP 0x08U
#define NETDEV_FLAG_ETHERNET 0x10U
#define NETDEV_FLAG_IGMP 0x20U
#define NETDEV_FLAG_MLD6 0x40U
/* Up, link up, and the default route (the gateway) goes through it. */
#define NETDEV_FLAG_INTERNET_UP 0x80U
#define NETDEV_FLAG_DHCP 0x100U

#ifndef NETDEV_DNS_SERVERS_NUM
#define NETDEV_DNS_SERVERS_NUM 2U
#endif

struct netdev;

/* What changed, for the callbacks below. */
enum netdev_cb_type
{
    NETDEV_CB_ADDR_IP,
    NETDEV_CB_ADDR_NETMASK,
    NETDEV_CB_ADDR_GATEWAY,
    NETDEV_CB_ADDR_DNS_SERVER,
    NETDEV_CB_STATUS_UP,
    NETDEV_CB_STATUS_DOWN,
    NETDEV_CB_STATUS_LINK_UP,
    NETDEV_CB_STATUS_LINK_DOWN,
    NETDEV_CB_STATUS_INTERNET_UP,
    NETDEV_CB_STATUS_INTERNET_DOWN,
    NETDEV_CB_STATUS_DHCP_ENABLE,
    NETDEV_CB_STATUS_DHCP_DISABLE,
    NETDEV_CB_REGISTER,
    NETDEV_CB_DEFAULT_CHANGE,
};
typedef void (*netdev_callback_fn)(struct netdev *netdev, enum netdev_cb_type type);

struct netdev
{
    rt_slist_t list; /* the next netdev of netdev_list */
    char name[RT_NAME_MAX];
    ip_addr_t ip_addr; /* its first IPv4 address; 0.0.0.0 if it has none */
    ip_addr_t netmask;
    ip_addr_t gw;
    ip_addr_t dns_servers[NETDEV_DNS_SERVERS_NUM]; /* none kept here: 0.0.0.0 */
    uint8_t hwaddr_len;
    uint8_t hwaddr[NETDEV_HWADDR_MAX_LEN];
    uint16_t flags; /* NETDEV_FLAG_x */
    uint16_t mtu;
    netdev_callback_fn status_callback; /* see netdev_set_status_callback() */
    netdev_callback_fn addr_callback;   /* see netdev_set_addr_callback() */
    void *user_data;                    /* a driver's own; NULL here */
};

/* The first netdev (the rest follow through ->list), and the default one. */
extern struct netdev *netdev_list;
extern struct netdev *netdev_default;

/* NULL for a NULL or unknown argument. */
struct netdev *netdev_get_by_name(const char *name);
struct netdev *netdev_get_by_ipaddr(ip_addr_t *ip_addr);
struct netdev *netdev_get_first_by_flags(uint16_t flags);
/* An interface up for sockets of `family` (AF_INET): the default one when it is up, else the
 * first one up; NULL for other families or when none is up. */
struct netdev *netdev_get_by_family(int family);

/* Makes `netdev` the default until another is set; NULL follows the default stack again. */
void netdev_set_default(struct netdev *netdev);

/* Setting an interface, as a board's netdev asks its driver: lwIP's interfaces take addresses
 * (each part alone) and up/down; the host's are the host's to configure, and DNS servers and
 * DHCP are not kept here: those fail with -RT_ERROR and RT-Thread's E/netdev line. RT_EOK. */
int netdev_set_ipaddr(struct netdev *netdev, const ip_addr_t *ipaddr);
int netdev_set_netmask(struct netdev *netdev, const ip_addr_t *netmask);
int netdev_set_gw(struct netdev *netdev, const ip_addr_t *gw);
int netdev_set_dns_server(struct netdev *netdev, uint8_t dns_num, const ip_addr_t *dns_server);
int netdev_set_up(struct netdev *netdev);
int netdev_set_down(struct netdev *netdev);
int netdev_dhcp_enabled(struct netdev *netdev, rt_bool_t is_enabled);

/* Called with what changed (NETDEV_CB_STATUS_x, NETDEV_CB_ADDR_x) when the table is read and
 * finds the interface changed: at once for a change made through netdev, and for the host's
 * own changes at the next netdev call or ifconfig (nothing watches the kernel meanwhile). On
 * the thread that read the table; it may call netdev again. */
void netdev_set_status_callback(struct netdev *netdev, netdev_callback_fn status_callback);
void netdev_set_addr_callback(struct netdev *netdev, netdev_callback_fn addr_callback);

/* One echo's answer, as netdev's ping operation gives it. */
struct netdev_ping_resp
{
    ip_addr_t ip_addr; /* the host pinged */
    uint16_t data_len; /* bytes of the answer, its IP header included */
    uint16_t ttl;      /* the answer's time to live */
    uint32_t ticks;    /* the round trip, in milliseconds */
    void *user_data;
};

/* msh's ping: `times` ICMP echoes of `size` bytes of data (0: 32) to `target_name` (an address,
 * or on the kernel's stack a name) from `netdev_name` (NULL or unknown: netdev_default) over
 * that interface's stack, one a second, each waiting 2 s for its answer; each answer, timeout
 * and a summary printed as RT-Thread's ping prints them. RT_EOK, or -RT_ERROR when no
 * interface, address or ICMP socket can be had (the reason printed). */
int netdev_cmd_ping(char *target_name, char *netdev_name, rt_uint32_t times, rt_size_t size);

#define netdev_is_up(netdev) (((netdev)->flags & NETDEV_FLAG_UP) ? (uint8_t)1 : (uint8_t)0)
#define netdev_is_link_up(netdev)                                                                  \
    (((netdev)->flags & NETDEV_FLAG_LINK_UP) ? (uint8_t)1 : (uint8_t)0)
#define netdev_is_internet_up(netdev)                                                              \
    (((netdev)->flags & NETDEV_FLAG_INTERNET_UP) ? (uint8_t)1 : (uint8_t)0)
#define netdev_is_dhcp_enabled(netdev)                                                             \
    (((netdev)->flags & NETDEV_FLAG_DHCP) ? (uint8_t)1 : (uint8_t)0)

#ifdef __cplusplus
}
#endif

#endif /* TCPSERVER_NETDEV_H */
