// Counts how often threads with a given name wait in their poller (epoll_wait, poll, select,
// liburing's submit-and-wait): one wait is one turn of a worker's loop. Linked only into the
// tests that count, as it puts its own wait functions in front of the libraries'.
// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace test_support
{

/** Poller waits so far of threads named TCPSERVER_NAME (servers started without a name). */
long worker_waits();
/** Whether the calling thread is such a worker. */
bool on_worker();

} // namespace test_support
