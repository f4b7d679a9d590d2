# Installs the headers, the library, a CMake package (tcpserver::tcpserver) and a pkg-config module.
# SPDX-License-Identifier: Apache-2.0
include(CMakePackageConfigHelpers)

install(TARGETS tcpserver tcpserver_static tcpserver_shell tcpserver_board msh EXPORT tcpserverTargets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
    RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
)
install(FILES
    include/tcpserver.h
    include/tcpserver.hpp
    include/rtthread.h
    include/rtdef.h
    include/rtservice.h
    include/rthw.h
    include/rtdevice.h
    include/rtdebug.h
    include/rtdbg.h
    include/finsh.h
    include/msh.h
    include/tcpserver_shell.h
    include/sal_socket.h
    include/ulog.h
    include/netdev.h
    include/netdev_ipaddr.h
    ${PROJECT_BINARY_DIR}/include/rtconfig.h
    ${PROJECT_BINARY_DIR}/include/tcpserver_config.h
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
)
if(KCONFIG_RT_USING_SAL)
    install(DIRECTORY include/sal/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/tcpserver/sal)
    set(TCPSERVER_PC_SAL_CFLAGS "-I\${includedir}/tcpserver/sal")
endif()
# What tcpserver-rtconfig needs to write an application's rtconfig.h on the library's settings.
install(FILES Kconfig cmake/kconfig_header.py ${PROJECT_BINARY_DIR}/tcpserver.config
    DESTINATION ${CMAKE_INSTALL_DATADIR}/tcpserver)
install(PROGRAMS cmake/tcpserver_rtconfig.py DESTINATION ${CMAKE_INSTALL_BINDIR} RENAME tcpserver-rtconfig)
install(EXPORT tcpserverTargets
    NAMESPACE tcpserver::
    DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/tcpserver
)
configure_package_config_file(cmake/tcpserverConfig.cmake.in
    ${PROJECT_BINARY_DIR}/tcpserverConfig.cmake
    INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/tcpserver
)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/tcpserverConfigVersion.cmake
    COMPATIBILITY SameMajorVersion
)
install(FILES
    ${PROJECT_BINARY_DIR}/tcpserverConfig.cmake
    ${PROJECT_BINARY_DIR}/tcpserverConfigVersion.cmake
    DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/tcpserver
)
# The .pc file finds the prefix from its own place, so an install with --prefix or DESTDIR works.
# The static library needs lwIP and liburing in the consumer's link when they are built in.
if(KCONFIG_TCPSERVER_USING_LWIP)
    string(APPEND TCPSERVER_PC_PRIVATE_LIBS " -llwip")
endif()
if(KCONFIG_TCPSERVER_USING_URING)
    string(APPEND TCPSERVER_PC_PRIVATE_LIBS " -luring")
endif()
file(RELATIVE_PATH TCPSERVER_PC_TO_PREFIX "/root/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/root")
configure_file(cmake/tcpserver.pc.in ${PROJECT_BINARY_DIR}/tcpserver.pc @ONLY)
configure_file(cmake/tcpserver-shell.pc.in ${PROJECT_BINARY_DIR}/tcpserver-shell.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/tcpserver.pc ${PROJECT_BINARY_DIR}/tcpserver-shell.pc
    DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
