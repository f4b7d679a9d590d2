// Kernel logging: the rtdbg macros tagged "kernel", as RT-Thread's own messages are.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#define DBG_TAG "kernel"
#define DBG_LVL DBG_INFO
#include <rtdbg.h>
