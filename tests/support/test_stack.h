// The stack a test run serves on: the kernel's on loopback, or, with --stack=lwip, lwIP over a
// TAP device in a network namespace of the run's own.
// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace test_support
{

/** Where servers listen and peers connect: "127.0.0.1", or lwIP's "192.0.2.2". */
const char *server_ip();
/** The same for IPv6: "::1", or lwIP's "2001:db8::2". */
const char *server_ipv6();
/** Where the peers connect from as the server sees it: "127.0.0.1", or the host's "192.0.2.1". */
const char *peer_ip();
/** Whether this run's servers are on lwIP. */
bool on_lwip();

/**
 * Makes this process serve on lwIP: enters a new network namespace (by running itself again
 * under unshare -n), creates tap0 there (192.0.2.1/24 and 2001:db8::1/64, lwIP at 192.0.2.2
 * and 2001:db8::2), starts lwIP on it and sets lwIP as
 * the default stack. Returns false with `why` where namespaces or TAP devices are not
 * permitted. Everything it makes goes with the namespace when the process ends.
 */
bool enter_lwip_namespace(char **argv, const char *&why);

/**
 * The second half of that, for a process already alone in a namespace: creates tap0 and
 * starts lwIP on it as the default stack. Returns false with `why` where it cannot.
 */
bool start_lwip_on_new_tap(const char *&why);

} // namespace test_support
