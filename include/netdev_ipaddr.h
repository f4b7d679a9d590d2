/*
 * netdev's IPv4 address type, as RT-Thread's netdev gives it with NETDEV_IPV4 alone:
 * ip_addr_t holds one address in network byte order, so code written for a board
 * (netdev->ip_addr.addr, ip4_addr_get_u32(&netdev->gw), inet_ntoa(netdev->ip_addr)) builds
 * unchanged. The C library's socket types stay as they are: inet_ntoa() takes an in_addr or
 * an ip_addr_t alike, as lwIP's does on a board.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef TCPSERVER_NETDEV_IPADDR_H
#define TCPSERVER_NETDEV_IPADDR_H

#include <rtconfig.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum netdev_ip_addr_type
{
    IPADDR_TYPE_V4 = 0U,
    IPADDR_TYPE_V6 = 6U,
    IPADDR_TYPE_ANY = 46U
};

typedef struct ip4_addr
{
    uint32_t addr; /* network byte order */
} ip4_addr_t;
typedef ip4_addr_t ip_addr_t;

#define IP4ADDR_STRLEN_MAX 16
#define IPADDR_NONE ((uint32_t)0xffffffffUL)
#define IPADDR_LOOPBACK ((uint32_t)0x7f000001UL)
#define IPADDR_ANY ((uint32_t)0x00000000UL)
#define IPADDR_BROADCAST ((uint32_t)0xffffffffUL)

#define ip4_addr_set_u32(dest, value) ((dest)->addr = (value))
#define ip4_addr_get_u32(src) ((src)->addr)
#define ip4_addr_copy(dest, src) ((dest).addr = (src).addr)
#define ip4_addr_cmp(a, b) ((a)->addr == (b)->addr)
#define ip4_addr_set(dest, src) ((dest)->addr = (src) == NULL ? 0 : (src)->addr)
#define ip4_addr_set_zero(a) ((a)->addr = 0)
#define ip4_addr_set_any(a) ((a)->addr = IPADDR_ANY)
#define ip4_addr_isany_val(a) ((a).addr == IPADDR_ANY)
#define ip4_addr_isany(a) ((a) == NULL || ip4_addr_isany_val(*(a)))

#define IP_SET_TYPE_VAL(address, type)
#define IP_SET_TYPE(address, type)
#define IP_GET_TYPE(address) IPADDR_TYPE_V4
#define ip_addr_copy(dest, src) ip4_addr_copy(dest, src)
#define ip_addr_cmp(a, b) ip4_addr_cmp(a, b)
#define ip_addr_set(dest, src) ip4_addr_set(dest, src)
#define ip_addr_set_zero(a) ip4_addr_set_zero(a)
#define ip_addr_set_any(is_ipv6, a) ip4_addr_set_any(a)
#define ip_addr_isany_val(a) ip4_addr_isany_val(a)
#define ip_addr_isany(a) ip4_addr_isany(a)
#define ip_addr_get_ip4_u32(a) ip4_addr_get_u32(a)

in_addr_t netdev_ipaddr_addr(const char *text);
/* 1 when `text` is an IPv4 address as inet_aton() reads it (stored in *address), else 0. */
int netdev_ip4addr_aton(const char *text, ip4_addr_t *address);
/* The address as text, in a buffer of the calling thread's own. */
char *netdev_ip4addr_ntoa(const ip4_addr_t *address);
char *netdev_ip4addr_ntoa_r(const ip4_addr_t *address, char *buffer, int size);

/* Both an in_addr and an ip_addr_t are one address in network order: either may be given,
 * as to lwIP's inet_ntoa on a board. */
#undef inet_ntoa
#undef inet_aton
#define inet_aton(text, address) netdev_ip4addr_aton(text, (ip4_addr_t *)(address))
#define inet_ntoa(address) netdev_ip4addr_ntoa((const ip4_addr_t *)&(address))
#define inet_ntoa_r(address, buffer, size)                                                         \
    netdev_ip4addr_ntoa_r((const ip4_addr_t *)&(address), buffer, size)

#ifdef __cplusplus
}
#endif

#endif /* TCPSERVER_NETDEV_IPADDR_H */
