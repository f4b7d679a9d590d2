/*
 * A board program that sends to a peer which reset the connection, as a board app meets a
 * client that vanished: send_after_reset connects a socket to a listener of its own, has the
 * accepted end reset it (SO_LINGER 0, then close), and sends until the send has failed twice,
 * printing the result and errno. On a board that is -1 with EPIPE or ECONNRESET; here too, where Linux
 * would have ended the whole program with SIGPIPE.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <rtthread.h>

#include <sys/socket.h>
#include <string.h>

static int send_after_reset(int argc, char **argv)
{
    struct sockaddr_in address;
    socklen_t length = sizeof(address);
    struct linger reset = {1, 0};
    int listener, sender, accepted, i, result = 0, error = 0, failures = 0;

    RT_UNUSED(argc);
    RT_UNUSED(argv);
    memset(&address, 0, sizeof(address));
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = inet_addr("127.0.0.1");
    listener = socket(AF_INET, SOCK_STREAM, 0);
    sender = socket(AF_INET, SOCK_STREAM, 0);
    if (listener < 0 || sender < 0 || bind(listener, (struct sockaddr *)&address, length) < 0 ||
        listen(listener, 1) < 0 || getsockname(listener, (struct sockaddr *)&address, &length) < 0 ||
        connect(sender, (struct sockaddr *)&address, sizeof(address)) < 0 ||
        (accepted = accept(listener, RT_NULL, RT_NULL)) < 0)
    {
        rt_kprintf("send_after_reset: set-up failed (errno %d)\n", errno);
        return -1;
    }
    setsockopt(accepted, SOL_SOCKET, SO_LINGER, &reset, sizeof(reset));
    closesocket(accepted);
    /* Past the first failure (the reset itself, ECONNRESET), as a careless loop goes on: the
     * next send is the one Linux answers with SIGPIPE. */
    for (i = 0; i < 100 && failures < 2; i++)
    {
        result = send(sender, "x", 1, 0);
        if (result < 0)
        {
            failures++;
            error = errno;
        }
        else
            rt_thread_mdelay(10);
    }
    rt_kprintf("send_after_reset: %d %s\n", result,
               error == EPIPE ? "EPIPE" : error == ECONNRESET ? "ECONNRESET" : "other");
    closesocket(sender);
    closesocket(listener);
    return 0;
}
MSH_CMD_EXPORT(send_after_reset, send to a peer that reset the connection);
