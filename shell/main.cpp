// msh: the package's console on Linux (see tcpserver_shell.h).
// SPDX-License-Identifier: Apache-2.0
#include <tcpserver_shell.h>

int main(int argc, char **argv)
{
    return tcpserver_shell_main(argc, argv);
}
