/*
 * A libevent echo server: evconnlistener and bufferevents, one thread, as libevent's own
 * examples write it. Usage: libevent_echo [port]
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include "peer_main.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <string.h>

static void echo_read(struct bufferevent *bev, void *ctx)
{
    (void)ctx;
    evbuffer_add_buffer(bufferevent_get_output(bev), bufferevent_get_input(bev));
}

static void echo_event(struct bufferevent *bev, short events, void *ctx)
{
    (void)ctx;
    if (events & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
        bufferevent_free(bev);
}

static void accept_client(struct evconnlistener *listener, evutil_socket_t fd, struct sockaddr *address, int length,
                          void *ctx)
{
    (void)address;
    (void)length;
    (void)ctx;
    int on = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    struct bufferevent *bev =
        bufferevent_socket_new(evconnlistener_get_base(listener), fd, BEV_OPT_CLOSE_ON_FREE);
    bufferevent_setcb(bev, echo_read, NULL, echo_event, NULL);
    bufferevent_enable(bev, EV_READ | EV_WRITE);
}

static void stop(evutil_socket_t signal_number, short events, void *base)
{
    (void)signal_number;
    (void)events;
    event_base_loopbreak(base);
}

int main(int argc, char **argv)
{
    struct sockaddr_in address;
    socklen_t length = sizeof address;
    struct event_base *base = event_base_new();
    memset(&address, 0, sizeof address);
    address.sin_family = AF_INET;
    address.sin_port = htons((unsigned short)peer_port(argc, argv));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct evconnlistener *listener =
        evconnlistener_new_bind(base, accept_client, NULL, LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, 1024,
                                (struct sockaddr *)&address, sizeof address);
    if (!listener)
        return 1;
    getsockname(evconnlistener_get_fd(listener), (struct sockaddr *)&address, &length);
    struct event *interrupt = evsignal_new(base, SIGINT, stop, base);
    struct event *terminate = evsignal_new(base, SIGTERM, stop, base);
    event_add(interrupt, NULL);
    event_add(terminate, NULL);
    peer_announce("libevent", ntohs(address.sin_port));
    event_base_dispatch(base);
    return 0;
}
