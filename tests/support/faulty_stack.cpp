// The kernel's stack with injected faults.
// SPDX-License-Identifier: Apache-2.0
#include "faulty_stack.h"

#include "net/kernel_stack.h"

#include <cerrno>

namespace test_support
{

namespace
{

using tcp_server::detail::KernelStack;
using tcp_server::detail::sockets::Endpoint;

class FaultyStack final : public KernelStack
{
  public:
    explicit FaultyStack(Faults &faults) : faults_(faults) {}
    const char *name() const override { return "faulty kernel"; }

  protected:
    int raw_accept(int listen_fd, Endpoint &peer) override
    {
        return interrupted(accepts_) ? -1 : KernelStack::raw_accept(listen_fd, peer);
    }
    ssize_t raw_receive(int fd, char *buffer, std::size_t size, bool wait) override
    {
        return interrupted(receives_) ? -1 : KernelStack::raw_receive(fd, buffer, size, wait);
    }
    ssize_t raw_read_into(int fd, std::span<char> first, std::span<char> second) override
    {
        return interrupted(reads_) ? -1 : KernelStack::raw_read_into(fd, first, second);
    }
    ssize_t raw_send(int fd, const char *data, std::size_t size) override
    {
        if (interrupted(sends_))
            return -1;
        std::size_t cap = faults_.send_cap.load();
        if (cap > 0 && size > cap)
        {
            faults_.shortened.fetch_add(1);
            size = cap;
        }
        return KernelStack::raw_send(fd, data, size);
    }
    int raw_wait(int fd, bool writable, int timeout_ms) override
    {
        return interrupted(waits_) ? -1 : KernelStack::raw_wait(fd, writable, timeout_ms);
    }

  private:
    // Counts a call of one kind; true (errno EINTR) when this one is to be interrupted.
    bool interrupted(std::atomic<long> &calls)
    {
        int every = faults_.interrupt_every.load();
        if (every <= 0 || (calls.fetch_add(1) + 1) % every != 0)
            return false;
        faults_.interrupted.fetch_add(1);
        errno = EINTR;
        return true;
    }

    Faults &faults_;
    std::atomic<long> accepts_{0}, receives_{0}, reads_{0}, sends_{0}, waits_{0};
};

} // namespace

FaultyStackInUse::FaultyStackInUse(Faults &faults) : stack_(std::make_unique<FaultyStack>(faults))
{
    tcp_server::detail::set_stack_for_new_servers(stack_.get());
}

FaultyStackInUse::~FaultyStackInUse()
{
    tcp_server::detail::set_stack_for_new_servers(nullptr);
}

} // namespace test_support
