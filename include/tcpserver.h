/*
 * tcpserver: a multi-client TCP server, source-compatible with RT-Thread's tcpserver package.
 *
 * One worker thread per server multiplexes the listening socket and every client. Clients
 * are taken either with the blocking tcpserver_accept()/tcpserver_recv()/tcpserver_send(), or
 * through a notify callback that the worker calls with CONNECT, RECV and DISCONNECT.
 *
 * Errors: functions returning rt_err_t give RT_EOK or a negative code. Creators and accept
 * return RT_NULL, and recv/send return 0 (their rt_size_t result cannot be negative); in every
 * case rt_get_errno(), called right after on the same thread, says why:
 *   -RT_ETIMEOUT  the timeout expired (send may still have written a part: its return value)
 *   -RT_EIO       the connection is gone: the peer closed it (end of stream), reset it, or
 *                 tcpserver_close() closed it
 *   -RT_ERROR     the server was destroyed while the call waited
 *   -RT_EINVAL    a bad argument (NULL handle or buffer, size 0, timeout below -1, bad address,
 *                 a client handle that was closed and whose client is gone)
 *   -RT_EBUSY     address in use (create), or destroy called from the server's own callback
 *   -RT_EFULL, -RT_ENOMEM, -RT_EPERM   no room, no memory, not permitted
 * tcpserver_strerror() gives the precise reason of the last failure on this thread as text.
 *
 * Half-close: after the peer's shutdown(SHUT_WR), recv returns every byte, then 0 with -RT_EIO
 * ("the peer closed the connection"), and send still works. An accepted client stays open for
 * the reply until tcpserver_close(); a client only the callback serves is closed once its input
 * is read and its output flushed, and DISCONNECT follows.
 *
 * A destroyed server (or a pointer that never was one) and a closed client handle are refused
 * with -RT_EINVAL by every call, unless a newer server or client took the memory: then the
 * handle finds that one, as a closed descriptor's number finds the next file. Undefined:
 * writing to the fields of struct tcpserver or struct tcpclient. See docs/RELIABILITY.md.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef _TCPSERVER__
#define _TCPSERVER__

#include <rtthread.h>
#include <tcpserver_config.h>

/* As the package's header does through SAL: applications use these types with the API. */
#include <netdb.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/time.h>

/* Defaults of the package's configuration, for builds without a generated configuration. */
#ifndef TCPSERVER_NAME
#define TCPSERVER_NAME "tcpserv"
#endif
#ifndef TCPSERVER_STACK_SIZE
#define TCPSERVER_STACK_SIZE 4096
#endif
#ifndef TCPSERVER_PRIO
#define TCPSERVER_PRIO 12
#endif
#ifndef TCPSERVER_SOCKET_MAX
#define TCPSERVER_SOCKET_MAX 512
#endif
#ifndef TCPSERVER_CLI_NUM
#define TCPSERVER_CLI_NUM 5
#endif
#ifndef TCPSERVER_BACKLOG
#define TCPSERVER_BACKLOG 128
#endif
#ifndef TCPSERVER_RECV_BUFFER_MAX
#define TCPSERVER_RECV_BUFFER_MAX 262144
#endif
#ifndef TCPSERVER_SEND_BUFFER_MAX
#define TCPSERVER_SEND_BUFFER_MAX 1048576
#endif
#ifndef TCPSERVER_LWIP_TAP
#define TCPSERVER_LWIP_TAP "tap0"
#endif
#ifndef TCPSERVER_LWIP_IPADDR
#define TCPSERVER_LWIP_IPADDR "192.0.2.2"
#endif
#ifndef TCPSERVER_LWIP_NETMASK
#define TCPSERVER_LWIP_NETMASK "255.255.255.0"
#endif
#ifndef TCPSERVER_LWIP_GWADDR
#define TCPSERVER_LWIP_GWADDR "192.0.2.1"
#endif
#ifndef TCPSERVER_LWIP_IP6ADDR
#define TCPSERVER_LWIP_IP6ADDR "2001:db8::2"
#endif

/* Run state, as in the package. */
#define TCPSERVER_STATE_INIT 0
#define TCPSERVER_STATE_RUN 1
#define TCPSERVER_STATE_STOP 2

/* Event flags passed to the notify callback. */
#define TCPSERVER_EVENT_CONNECT (1 << 0)
#define TCPSERVER_EVENT_DISCONNECT (1 << 1)
#define TCPSERVER_EVENT_RECV (1 << 2)

#ifdef __cplusplus
extern "C"
{
#endif

/** SAL's close for a socket of either stack (see <sal_socket.h>). Returns 0, or -1 with errno set. */
int closesocket(int s);

struct tcpserver_private;
struct tcpclient_private;

/** A running server. Read-only for applications; fields other than these are private. */
struct tcpserver
{
    const char *ip;   /**< the bound address as text, e.g. "127.0.0.1" or "::" */
    rt_uint16_t port; /**< the bound port (the real one when 0 was asked for) */
    int sock;         /**< the listening socket */
    struct tcpserver_private *priv;
};

/** A client connection. Read-only for applications. */
struct tcpclient
{
    struct tcpserver *server; /**< the server that accepted it */
    int sock;                 /**< its socket */
    struct tcpclient_private *priv;
};

typedef struct tcpclient *tcpclient_t;

/** The notify callback: runs on the server's worker thread, once per event. */
typedef void (*tcpserver_notify_t)(tcpclient_t client, rt_uint8_t event);

/**
 * Creates a server listening on ip:port and starts its worker thread.
 * @param ip    an IPv4 or IPv6 literal ("192.168.1.2", "::1", "fe80::1%eth0"); RT_NULL, ""
 *              or "0.0.0.0" for any IPv4 address, "::" for any address (IPv6 and IPv4).
 * @param port  the port; 0 picks a free one, which server->port then shows.
 * @return the server, or RT_NULL with rt_get_errno() -RT_EINVAL (bad address), -RT_EBUSY
 *         (address in use), -RT_EPERM (port not permitted), -RT_ENOMEM or -RT_ERROR.
 * Serves at most TCPSERVER_CLI_NUM clients at once. Thread safe.
 */
struct tcpserver *tcpserver_create(const char *ip, rt_uint16_t port);

/* Poller backends (tcpserver_config.poller, tcpserver_set_default_poller). */
#define TCPSERVER_POLLER_DEFAULT 0 /**< the process default: the build's, or as last set */
#define TCPSERVER_POLLER_KIND_SELECT 1
#define TCPSERVER_POLLER_KIND_POLL 2
#define TCPSERVER_POLLER_KIND_EPOLL 3
#define TCPSERVER_POLLER_KIND_URING 4 /**< io_uring; -RT_ENOSYS where the kernel lacks or forbids it */
#define TCPSERVER_POLLER_KIND_AUTO 5  /**< uring where available, else epoll (one log line says so) */

/**
 * Sets the poller backend that servers created from now on use when they ask for
 * TCPSERVER_POLLER_DEFAULT (tcpserver_create() always does). @return RT_EOK, or -RT_EINVAL
 * for an unknown kind. Thread safe.
 */
rt_err_t tcpserver_set_default_poller(rt_uint8_t kind);

/** The backend for a name ("select", "poll", "epoll", "uring", "auto"), or -1. */
int tcpserver_poller_from_name(const char *name);

/* TCP/IP stacks (tcpserver_config.stack, tcpserver_set_default_stack). */
#define TCPSERVER_STACK_DEFAULT 0     /**< the process default: the kernel's, or as last set */
#define TCPSERVER_STACK_KIND_KERNEL 1 /**< Linux's own */
#define TCPSERVER_STACK_KIND_LWIP 2   /**< lwIP, as on a board, through a TAP device */

/**
 * Sets the stack that servers created from now on use when they ask for
 * TCPSERVER_STACK_DEFAULT. @return RT_EOK, or -RT_EINVAL for an unknown kind. Thread safe.
 */
rt_err_t tcpserver_set_default_stack(rt_uint8_t kind);

/** The stack for a name ("kernel", "lwip"), or -1. */
int tcpserver_stack_from_name(const char *name);

/** Where lwIP attaches: an existing TAP device, and lwIP's addresses on it. */
struct tcpserver_lwip_config
{
    const char *tap;     /**< the TAP device, TCPSERVER_LWIP_TAP ("tap0") */
    const char *ip;      /**< lwIP's address, TCPSERVER_LWIP_IPADDR ("192.0.2.2") */
    const char *netmask; /**< TCPSERVER_LWIP_NETMASK ("255.255.255.0") */
    const char *gateway; /**< TCPSERVER_LWIP_GWADDR ("192.0.2.1", the host's side) */
    const char *ip6;     /**< IPv6, TCPSERVER_LWIP_IP6ADDR ("2001:db8::2"); "" or NULL: none */
};

/** Fills `config` with the build's settings, each replaced by the environment variable of the
 *  same name (TCPSERVER_LWIP_TAP, ...) where one is set. The strings live as long as the
 *  process. */
void tcpserver_lwip_config_init(struct tcpserver_lwip_config *config);

/**
 * Starts lwIP now; otherwise the first server on lwIP starts it with
 * tcpserver_lwip_config_init()'s settings. lwIP runs once per process and then stays.
 * @return RT_EOK (also when it runs already with these settings); -RT_EINVAL (not an IPv4
 *         address); -RT_EIO (no such TAP device, or another program has it); -RT_EPERM
 *         (attaching needs CAP_NET_ADMIN); -RT_EBUSY (it runs with other settings);
 *         -RT_ENOSYS (built without lwIP). The log says what to do. Thread safe.
 */
rt_err_t tcpserver_lwip_start(const struct tcpserver_lwip_config *config);

/** Settings for tcpserver_create_with(); fill with tcpserver_config_init() first. */
struct tcpserver_config
{
    const char *ip;              /**< as for tcpserver_create() */
    rt_uint16_t port;            /**< as for tcpserver_create() */
    rt_uint32_t max_clients;     /**< clients served at once; one more is accepted and closed */
    rt_int32_t backlog;          /**< listen() backlog */
    rt_uint32_t recv_buffer_max; /**< unread bytes kept per client before reading pauses */
    rt_uint32_t send_buffer_max; /**< bytes a callback may queue per client beyond the socket */
    const char *name;            /**< worker thread name (15 characters are kept) */
    rt_uint32_t stack_size;      /**< worker stack in bytes (at least 256 KiB are given) */
    rt_uint8_t priority;       /**< RT-Thread priority 0..31; the worker's nice is priority - 12 */
    rt_uint8_t poller;         /**< TCPSERVER_POLLER_KIND_x, or TCPSERVER_POLLER_DEFAULT */
    tcpserver_notify_t notify; /**< notify callback installed before the first connection */
    rt_uint32_t idle_timeout_ms; /**< close a client idle (no byte either way) this long; 0 never */
    rt_uint32_t keepalive_idle_s;     /**< TCP keepalive: first probe after this idle time; 0 off */
    rt_uint32_t keepalive_interval_s; /**< seconds between probes; 0 keeps the system's */
    rt_uint32_t keepalive_count;      /**< unanswered probes before the end; 0 the system's */
    rt_uint32_t unsent_limit;         /**< disconnect a client with more unsent bytes; 0 never */
    rt_uint8_t stack; /**< TCPSERVER_STACK_KIND_x, or TCPSERVER_STACK_DEFAULT */
};

/** Fills `config` with the defaults: any IPv4 address, port 0, TCPSERVER_CLI_NUM clients. */
void tcpserver_config_init(struct tcpserver_config *config);

/** Creates a server from `config`. Returns and reports errors as tcpserver_create(). */
struct tcpserver *tcpserver_create_with(const struct tcpserver_config *config);

/**
 * Stops the worker, wakes every thread blocked in accept/recv/send on this server (they
 * return RT_NULL/0 with -RT_ERROR), closes every client and frees the server. After it
 * returns, the server and every client handle of it are invalid; no callback runs any more.
 * @return RT_EOK; -RT_EINVAL for RT_NULL or a server already destroyed (a second destroy);
 *         -RT_EBUSY when called from this server's callback. Thread safe: calls that started
 *         before it on other threads finish safely; later ones are refused with -RT_EINVAL.
 */
rt_err_t tcpserver_destroy(struct tcpserver *server);

/**
 * Takes the next connected client, in arrival order; each client is handed out once.
 * @param timeout milliseconds to wait; RT_WAITING_FOREVER waits, RT_WAITING_NO just looks.
 * @return the client, now owned by the caller (release it with tcpserver_close()), or RT_NULL
 *         with -RT_ETIMEOUT, -RT_ERROR (destroyed) or -RT_EINVAL. Called from the notify
 *         callback it never waits. Thread safe.
 */
tcpclient_t tcpserver_accept(struct tcpserver *server, rt_int32_t timeout);

/**
 * Closes the connection (the peer sees end of stream after any data still queued), fires
 * DISCONNECT and wakes every thread blocked on this client. Releases an accepted handle:
 * it is invalid afterwards. A handle seen only in the callback is borrowed for that call.
 * @return RT_EOK, or -RT_EINVAL for RT_NULL. Thread safe; may be called from the callback.
 */
rt_err_t tcpserver_close(tcpclient_t client);

/**
 * Receives what the client sent: returns as soon as at least one byte is there.
 * @param timeout milliseconds to wait; RT_WAITING_FOREVER waits, RT_WAITING_NO just looks.
 *                In the notify callback it never waits.
 * @return bytes received (1..size), or 0 with -RT_ETIMEOUT, -RT_EIO (connection gone, after
 *         every byte that arrived before), -RT_ERROR (destroyed) or -RT_EINVAL. Thread safe.
 */
rt_size_t tcpserver_recv(tcpclient_t client, void *buf, rt_size_t size, rt_int32_t timeout);

/**
 * Sends all of buf unless the timeout expires or the connection is gone; never raises SIGPIPE.
 * @param timeout milliseconds to wait for room; RT_WAITING_FOREVER waits. In the notify
 *                callback it never waits: what the socket cannot take now is queued (up to
 *                send_buffer_max) and flushed by the worker in order.
 * @return bytes written; fewer than size (possibly 0) with -RT_ETIMEOUT, -RT_EIO, -RT_ERROR or
 *         -RT_EINVAL in rt_get_errno(). Thread safe; one sender per client at a time is
 *         served in full before the next.
 */
rt_size_t tcpserver_send(tcpclient_t client, void *buf, rt_size_t size, rt_int32_t timeout);

/**
 * Sets the notify callback, called on the worker thread with CONNECT, RECV (when unread data
 * arrives; again after the callback read some and more is left) and DISCONNECT (once, last).
 * The callback may call recv, send and close on its client. RT_NULL removes it. Thread safe.
 */
void tcpserver_set_notify_callback(struct tcpserver *server,
                                   void (*tcpserver_event_notify)(tcpclient_t client,
                                                                  rt_uint8_t event));

/** Counters of a server, read with tcpserver_get_stats(). */
struct tcpserver_stats
{
    rt_uint32_t clients;        /**< connections open now */
    rt_uint64_t accepted;       /**< connections taken since creation */
    rt_uint64_t refused;        /**< connections closed at once: client limit or descriptor limit */
    rt_uint64_t aborted;        /**< connections reset by their peer before they were taken */
    rt_uint64_t bytes_received; /**< bytes read from all clients */
    rt_uint64_t bytes_sent;     /**< bytes written to all clients */
    const char *stack;          /**< the server's TCP/IP stack: "kernel" or "lwip" */
    const char *poller;         /**< how its worker waits: "select", "poll", "epoll", "uring", "lwip_poll" */
};

/** Reads the server's counters. @return RT_EOK or -RT_EINVAL. Thread safe. */
rt_err_t tcpserver_get_stats(struct tcpserver *server, struct tcpserver_stats *stats);

/** The reason of the last failed tcpserver call on this thread, as text. Thread safe. */
const char *tcpserver_strerror(void);

#ifdef __cplusplus
}
#endif

#endif
