// Library logging: the rtdbg macros tagged TCPSERVER_NAME; debug lines need PKG_TCPSERVER_DEBUG.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <tcpserver_config.h>

#define DBG_TAG TCPSERVER_NAME
#ifdef PKG_TCPSERVER_DEBUG
#define DBG_LVL DBG_LOG
#else
#define DBG_LVL DBG_INFO
#endif
#include <rtdbg.h>
