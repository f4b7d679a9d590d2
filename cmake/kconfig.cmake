# Kconfig -> rtconfig.h, tcpserver_config.h and the resolved tcpserver.config (installed for
# tcpserver-rtconfig). The package's settings come from Kconfig's defaults, then the .config that
# menuconfig writes, then -DSYMBOL=value on the cmake command line. Their values are also visible
# here as KCONFIG_<SYMBOL>.
# SPDX-License-Identifier: Apache-2.0
set(TCPSERVER_KCONFIG_CONFIG "${PROJECT_SOURCE_DIR}/.config" CACHE FILEPATH
    "The .config to build with; Kconfig's defaults apply where it does not exist")

# kconfiglib is Debian's python3-kconfiglib, installed for the system's python3.
if(NOT TCPSERVER_PYTHON)
    foreach(candidate /usr/bin/python3 python3)
        execute_process(COMMAND ${candidate} -c "import kconfiglib, menuconfig"
            RESULT_VARIABLE missing OUTPUT_QUIET ERROR_QUIET)
        if(missing EQUAL 0)
            set(TCPSERVER_PYTHON ${candidate} CACHE FILEPATH "A python3 that has kconfiglib")
            break()
        endif()
    endforeach()
endif()
if(NOT TCPSERVER_PYTHON)
    message(FATAL_ERROR "kconfiglib is missing: apt-get install python3-kconfiglib (scripts/install-deps.sh does)")
endif()

# Every cache variable named like a package symbol is an override, except the build's own.
set(build_options TCPSERVER_BUILD_TESTS TCPSERVER_BUILD_BENCH TCPSERVER_WERROR TCPSERVER_SANITIZE TCPSERVER_FUZZ TCPSERVER_KCONFIG_CONFIG TCPSERVER_PYTHON
    TCPSERVER_BENCH_PEERS)
set(overrides)
get_cmake_property(cache_variables CACHE_VARIABLES)
foreach(variable IN LISTS cache_variables)
    if(variable MATCHES "^(PKG_USING_TCPSERVER|PKG_TCPSERVER_.+|TCPSERVER_.+|RT_.+|FINSH_.+|SAL_.+|ULOG_.+|NETDEV_.+)$" AND NOT variable IN_LIST build_options)
        list(APPEND overrides --set "${variable}=${${variable}}")
    endif()
endforeach()

execute_process(
    COMMAND ${TCPSERVER_PYTHON} ${PROJECT_SOURCE_DIR}/cmake/kconfig_header.py
        --kconfig ${PROJECT_SOURCE_DIR}/Kconfig
        --config ${TCPSERVER_KCONFIG_CONFIG}
        --rtconfig ${PROJECT_BINARY_DIR}/include/rtconfig.h
        --header ${PROJECT_BINARY_DIR}/include/tcpserver_config.h
        --resolved ${PROJECT_BINARY_DIR}/tcpserver.config
        --cmake ${PROJECT_BINARY_DIR}/kconfig_values.cmake
        --version ${PROJECT_VERSION}
        ${overrides}
    RESULT_VARIABLE kconfig_failed)
if(kconfig_failed)
    message(FATAL_ERROR "Kconfig: the configuration above is not valid")
endif()
include(${PROJECT_BINARY_DIR}/kconfig_values.cmake)

set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
    ${PROJECT_SOURCE_DIR}/Kconfig ${PROJECT_SOURCE_DIR}/cmake/kconfig_header.py)
if(EXISTS ${TCPSERVER_KCONFIG_CONFIG})
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${TCPSERVER_KCONFIG_CONFIG})
endif()

# kconfiglib's menuconfig edits the .config; configuring again picks it up.
if(PROJECT_IS_TOP_LEVEL)
    set(menuconfig_target menuconfig)
else()
    set(menuconfig_target tcpserver_menuconfig) # leave "menuconfig" to the project using us
endif()
add_custom_target(${menuconfig_target}
    COMMAND ${CMAKE_COMMAND} -E env KCONFIG_CONFIG=${TCPSERVER_KCONFIG_CONFIG}
        ${TCPSERVER_PYTHON} -m menuconfig ${PROJECT_SOURCE_DIR}/Kconfig
    COMMAND ${CMAKE_COMMAND} ${PROJECT_BINARY_DIR}
    USES_TERMINAL
    COMMENT "menuconfig: edit ${TCPSERVER_KCONFIG_CONFIG}")
