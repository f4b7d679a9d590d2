// Replaces the global operator new of the test program that links it, so the test can watch
// allocations (count them) or make one fail (inject out-of-memory).
// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace test_support
{

/** Runs before every allocation, on the allocating thread; false makes that allocation fail
 *  (std::bad_alloc, or nullptr for the nothrow forms). It must not allocate. */
using AllocationHook = bool (*)();

/** Installs `hook` (nullptr: none). Thread safe. */
void set_allocation_hook(AllocationHook hook);

/** Whether the replacement is the program's operator new: valgrind puts its own in place. */
bool allocation_hook_is_live();

} // namespace test_support
