/*
 * A hand-written, single-threaded io_uring echo server: the completion-based reference. One
 * multishot accept; per client one multishot recv into a provided-buffer ring; each received
 * chunk is sent back from its buffer (one send in flight per client, the rest queued in
 * order), and the buffer returns to the ring when its send completes; one io_uring_enter per
 * loop round submits everything and waits. Usage: uring_echo [port]
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#define _GNU_SOURCE
#include "peer_main.h"

#include <errno.h>
#include <liburing.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_FD 65536
#define BUFFERS 4096 /* a power of two */
#define BUFFER_SIZE 16384
#define GROUP 0

enum kind
{
    ACCEPT,
    RECV,
    SEND,
    SIGNAL
};

/* user_data: the kind in the top byte, the descriptor below. */
static __u64 tag(enum kind kind, int fd)
{
    return ((__u64)kind << 56) | (unsigned)fd;
}

struct client
{
    int sending;           /* the buffer of the send in flight, or -1 */
    unsigned sent;         /* bytes of it already sent */
    int queue_head;        /* buffers received and not yet sent, in order, -1: none */
    int queue_tail;
    unsigned char closing; /* the peer ended: close once nothing is in flight */
};

static struct io_uring ring;
static struct io_uring_buf_ring *buffers;
static char *memory;
static struct client clients[MAX_FD];
static int next_in_queue[BUFFERS];
static unsigned length[BUFFERS];
static int starved[MAX_FD]; /* clients whose recv ended for want of buffers */
static int starved_count;

static struct io_uring_sqe *sqe(void)
{
    struct io_uring_sqe *entry = io_uring_get_sqe(&ring);
    if (!entry)
    {
        io_uring_submit(&ring);
        entry = io_uring_get_sqe(&ring);
    }
    return entry;
}

static void give_back(int buffer)
{
    io_uring_buf_ring_add(buffers, memory + (size_t)buffer * BUFFER_SIZE, BUFFER_SIZE,
                          (unsigned short)buffer, io_uring_buf_ring_mask(BUFFERS), 0);
    io_uring_buf_ring_advance(buffers, 1);
}

static void arm_recv(int fd)
{
    struct io_uring_sqe *entry = sqe();
    io_uring_prep_recv_multishot(entry, fd, NULL, 0, 0);
    entry->flags |= IOSQE_BUFFER_SELECT;
    entry->buf_group = GROUP;
    io_uring_sqe_set_data64(entry, tag(RECV, fd));
}

static void send_next(int fd)
{
    struct client *client = &clients[fd];
    if (client->sending >= 0 || client->queue_head < 0)
        return;
    int buffer = client->queue_head;
    client->queue_head = next_in_queue[buffer];
    if (client->queue_head < 0)
        client->queue_tail = -1;
    client->sending = buffer;
    client->sent = 0;
    struct io_uring_sqe *entry = sqe();
    io_uring_prep_send(entry, fd, memory + (size_t)buffer * BUFFER_SIZE, length[buffer], MSG_NOSIGNAL);
    io_uring_sqe_set_data64(entry, tag(SEND, fd));
}

static void drop_queue_and_close(int fd)
{
    struct client *client = &clients[fd];
    while (client->queue_head >= 0)
    {
        int buffer = client->queue_head;
        client->queue_head = next_in_queue[buffer];
        give_back(buffer);
    }
    client->queue_tail = -1;
    close(fd);
    client->closing = 0;
}

static void on_recv(int fd, struct io_uring_cqe *cqe)
{
    struct client *client = &clients[fd];
    if (cqe->res > 0)
    {
        int buffer = (int)(cqe->flags >> IORING_CQE_BUFFER_SHIFT);
        length[buffer] = (unsigned)cqe->res;
        next_in_queue[buffer] = -1;
        if (client->queue_tail >= 0)
            next_in_queue[client->queue_tail] = buffer;
        else
            client->queue_head = buffer;
        client->queue_tail = buffer;
        send_next(fd);
    }
    if (cqe->flags & IORING_CQE_F_MORE)
        return;
    if (cqe->res == -ENOBUFS)
    {
        starved[starved_count++] = fd; /* armed again once buffers came back */
        return;
    }
    if (cqe->res > 0)
    {
        arm_recv(fd);
        return;
    }
    /* End of stream or an error. */
    if (client->sending >= 0)
        client->closing = 1;
    else
        drop_queue_and_close(fd);
}

static void on_send(int fd, struct io_uring_cqe *cqe)
{
    struct client *client = &clients[fd];
    int buffer = client->sending;
    if (cqe->res > 0 && client->sent + (unsigned)cqe->res < length[buffer] && !client->closing)
    {
        client->sent += (unsigned)cqe->res; /* a short send: the rest from where it stopped */
        struct io_uring_sqe *entry = sqe();
        io_uring_prep_send(entry, fd, memory + (size_t)buffer * BUFFER_SIZE + client->sent,
                           length[buffer] - client->sent, MSG_NOSIGNAL);
        io_uring_sqe_set_data64(entry, tag(SEND, fd));
        return;
    }
    client->sending = -1;
    give_back(buffer);
    if (client->closing || cqe->res < 0)
    {
        drop_queue_and_close(fd);
        return;
    }
    send_next(fd);
}

int main(int argc, char **argv)
{
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((unsigned short)peer_port(argc, argv)),
                                  .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t address_length = sizeof address;
    int on = 1, listener, signals, ret;
    struct signalfd_siginfo signal_info;
    struct io_uring_params params = {.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN |
                                              IORING_SETUP_CQSIZE,
                                     .cq_entries = 65536};
    sigset_t stop;

    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigprocmask(SIG_BLOCK, &stop, NULL);
    signals = signalfd(-1, &stop, SFD_CLOEXEC);
    listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (bind(listener, (struct sockaddr *)&address, sizeof address) || listen(listener, 1024))
        return 1;
    getsockname(listener, (struct sockaddr *)&address, &address_length);
    if ((ret = io_uring_queue_init_params(4096, &ring, &params)) < 0)
    {
        fprintf(stderr, "io_uring_queue_init: %s\n", strerror(-ret));
        return 1;
    }
    memory = mmap(NULL, (size_t)BUFFERS * BUFFER_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    buffers = mmap(NULL, BUFFERS * sizeof(struct io_uring_buf), PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct io_uring_buf_reg registration = {.ring_addr = (unsigned long)buffers, .ring_entries = BUFFERS,
                                            .bgid = GROUP};
    if (memory == MAP_FAILED || buffers == MAP_FAILED ||
        (ret = io_uring_register_buf_ring(&ring, &registration, 0)) < 0)
    {
        fprintf(stderr, "provided buffers: %s\n", strerror(ret < 0 ? -ret : errno));
        return 1;
    }
    io_uring_buf_ring_init(buffers);
    for (int i = 0; i < BUFFERS; i++)
        io_uring_buf_ring_add(buffers, memory + (size_t)i * BUFFER_SIZE, BUFFER_SIZE, (unsigned short)i,
                              io_uring_buf_ring_mask(BUFFERS), i);
    io_uring_buf_ring_advance(buffers, BUFFERS);
    for (int fd = 0; fd < MAX_FD; fd++)
        clients[fd] = (struct client){.sending = -1, .queue_head = -1, .queue_tail = -1};

    struct io_uring_sqe *entry = sqe();
    io_uring_prep_multishot_accept(entry, listener, NULL, NULL, SOCK_CLOEXEC);
    io_uring_sqe_set_data64(entry, tag(ACCEPT, listener));
    entry = sqe();
    io_uring_prep_read(entry, signals, &signal_info, sizeof signal_info, 0);
    io_uring_sqe_set_data64(entry, tag(SIGNAL, signals));
    peer_announce("uring", ntohs(address.sin_port));

    for (;;)
    {
        io_uring_submit_and_wait(&ring, 1);
        unsigned head, seen = 0;
        struct io_uring_cqe *cqe;
        io_uring_for_each_cqe(&ring, head, cqe)
        {
            __u64 data = io_uring_cqe_get_data64(cqe);
            int fd = (int)(data & 0xffffffffu);
            seen++;
            switch ((enum kind)(data >> 56))
            {
            case SIGNAL:
                return 0;
            case ACCEPT:
                if (cqe->res >= 0 && cqe->res < MAX_FD)
                {
                    setsockopt(cqe->res, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
                    arm_recv(cqe->res);
                }
                else if (cqe->res >= 0)
                    close(cqe->res);
                if (!(cqe->flags & IORING_CQE_F_MORE))
                {
                    entry = sqe();
                    io_uring_prep_multishot_accept(entry, listener, NULL, NULL, SOCK_CLOEXEC);
                    io_uring_sqe_set_data64(entry, tag(ACCEPT, listener));
                }
                break;
            case RECV:
                on_recv(fd, cqe);
                break;
            case SEND:
                on_send(fd, cqe);
                break;
            }
        }
        io_uring_cq_advance(&ring, seen);
        for (; starved_count > 0; starved_count--)
            arm_recv(starved[starved_count - 1]);
    }
}
