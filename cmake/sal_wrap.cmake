# SAL on the host: the linker flag that hands an RT-Thread application's own socket calls to
# the library (__wrap_socket for socket(), ... in src/sal/wrap.cpp), which sends each to its
# socket's stack. It goes only into the links of board programs (tcpserver::shell and the
# tcpserver-shell pkg-config module): the library, the shell and other programs, whose objects
# are not in those links, keep the C library's calls. read/write/close/select/poll are among
# them because they may take a socket; on a file, pipe or the console they go to the kernel.
# SPDX-License-Identifier: Apache-2.0
set(sal_wrapped
    socket bind listen accept accept4 connect shutdown setsockopt getsockopt getsockname
    getpeername send recv sendto recvfrom sendmsg recvmsg read write readv writev close fcntl
    fcntl64 ioctl select poll getaddrinfo gethostbyname
    # what _FORTIFY_SOURCE makes of read, recv, recvfrom and poll
    __read_chk __recv_chk __recvfrom_chk __poll_chk)
if(KCONFIG_RT_USING_SAL)
    list(TRANSFORM sal_wrapped PREPEND "--wrap=")
    list(JOIN sal_wrapped "," sal_wrap_joined)
    set(TCPSERVER_SAL_LINK_FLAG "-Wl,${sal_wrap_joined}")
else()
    set(TCPSERVER_SAL_LINK_FLAG "")
endif()
