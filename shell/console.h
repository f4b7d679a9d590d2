// The shell's console: where the library's output (rt_kprintf, LOG_x) goes, from any thread.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <string>

namespace console
{

/**
 * Takes over the console. Direct: every line is written to stdout at once. Queued: lines from
 * the calling (shell) thread are written at once, lines from other threads wait for
 * take_queued(), so the shell can print them above the line being typed.
 */
void install(bool queued);
/** Gives the console back to the library's default (stdout). */
void uninstall();
/** Bytes printed through the console so far. */
std::size_t bytes_written();
/** A descriptor that is readable while queued lines wait. */
int queued_fd();
/** Takes every queued line. */
std::string take_queued();

} // namespace console
