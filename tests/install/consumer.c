/*
 * A program built against the installed package, as an application outside this source
 * tree would be: it serves one client on loopback and checks the bytes it gets.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <tcpserver.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
    struct tcpserver *server = tcpserver_create("127.0.0.1", 0);
    struct sockaddr_in address;
    tcpclient_t client;
    char buffer[8];
    rt_size_t n;
    int peer;

    if (server == RT_NULL)
        return 1;
    peer = socket(AF_INET, SOCK_STREAM, 0);
    address.sin_family = AF_INET;
    address.sin_port = htons(server->port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(peer, (struct sockaddr *)&address, sizeof address) != 0 ||
        send(peer, "ping", 4, 0) != 4)
        return 2;
    client = tcpserver_accept(server, 10000);
    if (client == RT_NULL)
        return 3;
    n = tcpserver_recv(client, buffer, sizeof buffer, 10000);
    tcpserver_close(client);
    tcpserver_destroy(server);
    close(peer);
    if (n != 4)
        return 4;
    printf("consumer got %.4s from tcpserver %s\n", buffer, TCPSERVER_VERSION_STRING);
    return 0;
}
