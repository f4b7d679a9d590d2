/*
 * A libuv echo server: one loop; uv_try_write first, uv_write with a copy for what is left,
 * as a careful libuv echo does. Usage: libuv_echo [port]
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include "peer_main.h"

#include <string.h>
#include <uv.h>

struct write_request
{
    uv_write_t request;
    uv_buf_t buffer;
};

static uv_loop_t *loop;

static void allocate(uv_handle_t *handle, size_t suggested, uv_buf_t *buffer)
{
    static char storage[65536];
    (void)handle;
    (void)suggested;
    *buffer = uv_buf_init(storage, sizeof storage);
}

static void close_done(uv_handle_t *handle)
{
    free(handle);
}

static void write_done(uv_write_t *request, int status)
{
    struct write_request *write = (struct write_request *)request;
    (void)status;
    free(write->buffer.base);
    free(write);
}

static void echo(uv_stream_t *client, ssize_t size, const uv_buf_t *buffer)
{
    if (size < 0)
    {
        uv_close((uv_handle_t *)client, close_done);
        return;
    }
    if (size == 0)
        return;
    uv_buf_t data = uv_buf_init(buffer->base, (unsigned)size);
    int written = uv_try_write(client, &data, 1);
    if (written < 0)
        written = 0;
    if (written == size)
        return;
    struct write_request *rest = malloc(sizeof *rest);
    rest->buffer = uv_buf_init(malloc((size_t)(size - written)), (unsigned)(size - written));
    memcpy(rest->buffer.base, buffer->base + written, (size_t)(size - written));
    uv_write(&rest->request, client, &rest->buffer, 1, write_done);
}

static void accept_client(uv_stream_t *server, int status)
{
    if (status < 0)
        return;
    uv_tcp_t *client = malloc(sizeof *client);
    uv_tcp_init(loop, client);
    if (uv_accept(server, (uv_stream_t *)client) == 0)
    {
        uv_tcp_nodelay(client, 1);
        uv_read_start((uv_stream_t *)client, allocate, echo);
    }
    else
        uv_close((uv_handle_t *)client, close_done);
}

static void stop(uv_signal_t *handle, int signal_number)
{
    (void)signal_number;
    uv_stop(handle->loop);
}

int main(int argc, char **argv)
{
    struct sockaddr_in address;
    int length = sizeof address;
    uv_tcp_t server;
    uv_signal_t interrupt, terminate;

    loop = uv_default_loop();
    uv_ip4_addr("127.0.0.1", peer_port(argc, argv), &address);
    uv_tcp_init(loop, &server);
    if (uv_tcp_bind(&server, (const struct sockaddr *)&address, 0) || uv_listen((uv_stream_t *)&server, 1024, accept_client))
        return 1;
    uv_tcp_getsockname(&server, (struct sockaddr *)&address, &length);
    uv_signal_init(loop, &interrupt);
    uv_signal_start(&interrupt, stop, SIGINT);
    uv_signal_init(loop, &terminate);
    uv_signal_start(&terminate, stop, SIGTERM);
    peer_announce("libuv", ntohs(address.sin_port));
    uv_run(loop, UV_RUN_DEFAULT);
    return 0;
}
