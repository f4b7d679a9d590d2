/*
 * A line-based command server, as a sensor board might offer: "GET_TEMP" and "GET_HUMIDITY"
 * are answered, anything else gets an error. TCP delivers a byte stream, not messages: a
 * command may arrive in pieces or several in one read, so each client keeps the partial line
 * it has received until its newline comes.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include "sample_main.h"

#include <tcpserver.h>

#include <stdio.h>
#include <string.h>

#define LINE_MAX_LENGTH 128
#define CLIENTS_MAX 32

struct line_state
{
    tcpclient_t client; /* RT_NULL while the slot is free */
    char line[LINE_MAX_LENGTH];
    rt_size_t length;
    int overflowed; /* the current line is too long: drop it up to its newline */
};

/* Touched by the worker thread only, in the callback. */
static struct line_state states[CLIENTS_MAX];

static struct line_state *state_of(tcpclient_t client)
{
    int i;
    for (i = 0; i < CLIENTS_MAX; i++)
        if (states[i].client == client)
            return &states[i];
    return RT_NULL;
}

static void reply(tcpclient_t client, const char *text)
{
    tcpserver_send(client, (void *)text, strlen(text), 0);
}

static void answer(tcpclient_t client, const char *command)
{
    char text[LINE_MAX_LENGTH + 32];

    if (strcmp(command, "GET_TEMP") == 0)
        reply(client, "TEMP 23.5\n");
    else if (strcmp(command, "GET_HUMIDITY") == 0)
        reply(client, "HUMIDITY 45%\n");
    else
    {
        snprintf(text, sizeof(text), "ERROR unknown command: %s\n", command);
        reply(client, text);
    }
}

static void take_bytes(struct line_state *state, const char *bytes, rt_size_t count)
{
    rt_size_t i;

    for (i = 0; i < count; i++)
    {
        char c = bytes[i];
        if (c == '\n')
        {
            if (state->overflowed)
                reply(state->client, "ERROR line too long\n");
            else
            {
                if (state->length > 0 && state->line[state->length - 1] == '\r')
                    state->length--; /* telnet-style CRLF */
                state->line[state->length] = '\0';
                answer(state->client, state->line);
            }
            state->length = 0;
            state->overflowed = 0;
        }
        else if (state->length + 1 < LINE_MAX_LENGTH)
            state->line[state->length++] = c;
        else
            state->overflowed = 1;
    }
}

static void on_event(tcpclient_t client, rt_uint8_t event)
{
    struct line_state *state;
    char buf[256];
    rt_size_t n;

    switch (event)
    {
    case TCPSERVER_EVENT_CONNECT:
        state = state_of(RT_NULL);
        if (state == RT_NULL)
        {
            reply(client, "ERROR busy\n");
            tcpserver_close(client);
            break;
        }
        memset(state, 0, sizeof(*state));
        state->client = client;
        break;
    case TCPSERVER_EVENT_RECV:
        state = state_of(client);
        while (state != RT_NULL && (n = tcpserver_recv(client, buf, sizeof(buf), 0)) > 0)
            take_bytes(state, buf, n);
        break;
    case TCPSERVER_EVENT_DISCONNECT:
        state = state_of(client);
        if (state != RT_NULL)
            state->client = RT_NULL;
        break;
    default:
        break;
    }
}

int main(int argc, char **argv)
{
    struct tcpserver_config config;
    struct tcpserver *server;
    const char *ip;
    rt_uint16_t port;

    if (sample_start(argc, argv, &ip, &port) != 0)
        return 2;
    tcpserver_config_init(&config);
    config.ip = ip;
    config.port = port;
    config.max_clients = CLIENTS_MAX;
    config.notify = on_event;
    server = tcpserver_create_with(&config);
    if (server == RT_NULL)
        return 1;
    rt_kprintf("line commands sample serving on %s port %u\n", server->ip, (unsigned)server->port);
    sample_wait_for_stop();
    tcpserver_destroy(server);
    rt_kprintf("line commands sample stopped\n");
    return 0;
}
