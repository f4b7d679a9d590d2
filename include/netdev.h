/*
 * RT-Thread's network interface devices on the host: the kernel's interfaces (lo, eth0, tap0)
 * and, once it runs, lwIP's (tp0, lo0), each a struct netdev an application looks up, reads
 * and watches as on a board. The table follows the interfaces: every lookup and msh's
 * ifconfig, netdev and ping read them afresh, and a change seen (up, down, link, address)
 * calls the netdev's callbacks. A netdev stays valid for the life of the process, also once
 * its interface has gone (it is then out of netdev_list and down).
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef TCPSERVER_NETDEV_H
#define TCPSERVER_NETDEV_H

#include <netdev_ipaddr.h>
#include <rtthread.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef NETDEV_HWADDR_MAX_LEN
#define NETDEV_HWADDR_MAX_LEN 8U
#endif
#ifndef NETDEV_DNS_SERVERS_NUM
#define NETDEV_DNS_SERVERS_NUM 2U
#endif

#define NETDEV_FLAG_UP 0x01U
#define NETDEV_FLAG_BROADCAST 0x02U
#define NETDEV_FLAG_LINK_UP 0x04U
#define NETDEV_FLAG_ETHARP 0x08U
#define NETDEV_FLAG_ETHERNET 0x10U
#define NETDEV_FLAG_IGMP 0x20U
#define NETDEV_FLAG_MLD6 0x40U
#define NETDEV_FLAG_INTERNET_UP 0x80U
#define NETDEV_FLAG_DHCP 0x100U

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

struct netdev;
typedef void (*netdev_callback_fn)(struct netdev *netdev, enum netdev_cb_type type);

struct netdev_ping_resp
{
    ip_addr_t ip_addr; /* who answered */
    uint16_t data_len; /* bytes of the answer's ICMP message */
    uint16_t ttl;
    uint32_t ticks; /* round trip */
    void *user_data;
};

struct netdev_ops
{
    int (*set_up)(struct netdev *netdev);
    int (*set_down)(struct netdev *netdev);
    int (*set_addr_info)(struct netdev *netdev, ip_addr_t *ip_addr, ip_addr_t *netmask,
                         ip_addr_t *gw);
    int (*set_dns_server)(struct netdev *netdev, uint8_t dns_num, ip_addr_t *dns_server);
    int (*set_dhcp)(struct netdev *netdev, rt_bool_t is_enabled);
    /* One echo request to `host` through the netdev's stack: RT_EOK, -RT_ETIMEOUT, or
     * -RT_ERROR (no such host, or no ICMP socket allowed: logged). */
    int (*ping)(struct netdev *netdev, const char *host, size_t data_len, uint32_t timeout,
                struct netdev_ping_resp *ping_resp);
    void (*netstat)(struct netdev *netdev);
    int (*set_default)(struct netdev *netdev);
};

struct netdev
{
    rt_slist_t list;
    char name[RT_NAME_MAX];
    ip_addr_t ip_addr;
    ip_addr_t netmask;
    ip_addr_t gw;
    ip_addr_t dns_servers[NETDEV_DNS_SERVERS_NUM];
    uint8_t hwaddr_len;
    uint8_t hwaddr[NETDEV_HWADDR_MAX_LEN];
    uint16_t flags;
    uint16_t mtu;
    const struct netdev_ops *ops;
    netdev_callback_fn status_callback;
    netdev_callback_fn addr_callback;
#ifdef RT_USING_SAL
    void *sal_user_data;
#endif
    void *user_data;
};

/* The first netdev of the list (followed through ->list), and the default one. */
extern struct netdev *netdev_list;
extern struct netdev *netdev_default;

/* An application's own netdev (a driver's): listed until unregistered. */
int netdev_register(struct netdev *netdev, const char *name, void *user_data);
int netdev_unregister(struct netdev *netdev);

struct netdev *netdev_get_first_by_flags(uint16_t flags);
struct netdev *netdev_get_by_ipaddr(ip_addr_t *ip_addr);
struct netdev *netdev_get_by_name(const char *name);
struct netdev *netdev_get_by_family(int family);
int netdev_family_get(struct netdev *netdev);

void netdev_set_default(struct netdev *netdev);
void netdev_set_default_change_callback(netdev_callback_fn callback);

/* Take effect on the interface: lwIP's at once; the kernel's need CAP_NET_ADMIN (else
 * -RT_ERROR, logged). */
int netdev_set_up(struct netdev *netdev);
int netdev_set_down(struct netdev *netdev);
int netdev_dhcp_enabled(struct netdev *netdev, rt_bool_t is_enabled);
int netdev_set_ipaddr(struct netdev *netdev, const ip_addr_t *ipaddr);
int netdev_set_netmask(struct netdev *netdev, const ip_addr_t *netmask);
int netdev_set_gw(struct netdev *netdev, const ip_addr_t *gw);
int netdev_set_dns_server(struct netdev *netdev, uint8_t dns_num, const ip_addr_t *dns_server);

#define netdev_is_up(netdev) (((netdev)->flags & NETDEV_FLAG_UP) ? (uint8_t)1 : (uint8_t)0)
#define netdev_is_link_up(netdev)                                                                  \
    (((netdev)->flags & NETDEV_FLAG_LINK_UP) ? (uint8_t)1 : (uint8_t)0)
#define netdev_is_internet_up(netdev)                                                              \
    (((netdev)->flags & NETDEV_FLAG_INTERNET_UP) ? (uint8_t)1 : (uint8_t)0)
#define netdev_is_dhcp_enabled(netdev)                                                             \
    (((netdev)->flags & NETDEV_FLAG_DHCP) ? (uint8_t)1 : (uint8_t)0)

/* Called, on the thread that saw the change, for every netdev's changes of flags (status)
 * or of addresses; the register callback for each netdev that appears. */
void netdev_set_register_callback(netdev_callback_fn callback);
void netdev_set_status_callback(struct netdev *netdev, netdev_callback_fn status_callback);
void netdev_set_addr_callback(struct netdev *netdev, netdev_callback_fn addr_callback);

/* A driver's reports about its own (registered) netdev. */
void netdev_low_level_set_ipaddr(struct netdev *netdev, const ip_addr_t *ipaddr);
void netdev_low_level_set_netmask(struct netdev *netdev, const ip_addr_t *netmask);
void netdev_low_level_set_gw(struct netdev *netdev, const ip_addr_t *gw);
void netdev_low_level_set_dns_server(struct netdev *netdev, uint8_t dns_num,
                                     const ip_addr_t *dns_server);
void netdev_low_level_set_status(struct netdev *netdev, rt_bool_t is_up);
void netdev_low_level_set_link_status(struct netdev *netdev, rt_bool_t is_up);
void netdev_low_level_set_internet_status(struct netdev *netdev, rt_bool_t is_up);
void netdev_low_level_set_dhcp_status(struct netdev *netdev, rt_bool_t is_enable);

#ifdef __cplusplus
}
#endif

#endif /* TCPSERVER_NETDEV_H */
