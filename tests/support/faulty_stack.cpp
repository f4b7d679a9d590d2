// The run's stack (the kernel's or lwIP's) with injected faults.
// SPDX-License-Identifier: Apache-2.0
#include "faulty_stack.h"

#include "net/kernel_stack.h"
#include "net/lwip/lwip_stack.h"

#include <tcpserver_config.h>

#include <cerrno>
#include <stdexcept>

namespace test_support
{

namespace
{

using tcp_server::detail::sockets::Endpoint;

template <typename Base> class FaultyStack final : public Base
{
  public:
    explicit FaultyStack(Faults &faults) : faults_(faults) {}

  protected:
    int raw_accept(int listen_fd, Endpoint &peer) override
    {
        if (interrupted(accepts_))
            return -1;
        int fd = Base::raw_accept(listen_fd, peer);
        int every = faults_.abort_every.load();
        if (fd < 0 || every <= 0 || (connections_.fetch_add(1) + 1) % every != 0)
            return fd;
        faults_.aborted.fetch_add(1);
        Base::close(fd);
        errno = ECONNABORTED;
        return -1;
    }
    ssize_t raw_receive(int fd, char *buffer, std::size_t size, bool wait) override
    {
        return interrupted(receives_) ? -1 : Base::raw_receive(fd, buffer, size, wait);
    }
    ssize_t raw_read_into(int fd, std::span<char> first, std::span<char> second) override
    {
        return interrupted(reads_) ? -1 : Base::raw_read_into(fd, first, second);
    }
    ssize_t raw_send(int fd, const char *data, std::size_t size) override
    {
        if (interrupted(sends_))
            return -1;
        int every = faults_.nobufs_every.load();
        if (every > 0 && (send_attempts_.fetch_add(1) + 1) % every == 0)
        {
            faults_.out_of_buffers.fetch_add(1);
            errno = ENOBUFS;
            return -1;
        }
        std::size_t cap = faults_.send_cap.load();
        if (cap > 0 && size > cap)
        {
            faults_.shortened.fetch_add(1);
            size = cap;
        }
        return Base::raw_send(fd, data, size);
    }
    int raw_wait(int fd, bool writable, int timeout_ms) override
    {
        return interrupted(waits_) ? -1 : Base::raw_wait(fd, writable, timeout_ms);
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
    std::atomic<long> send_attempts_{0}, connections_{0};
};

std::unique_ptr<tcp_server::detail::Stack> faulty_stack_of_this_run(Faults &faults)
{
#ifdef TCPSERVER_USING_LWIP
    if (tcp_server::default_stack() == tcp_server::StackKind::lwip)
    {
        tcp_server::Errc error;
        if (!tcp_server::detail::lwip_stack(error)) // lwIP starts once, for every instance
            throw std::runtime_error(std::string("lwIP: ") + tcp_server::to_string(error));
        return std::make_unique<FaultyStack<tcp_server::detail::LwipStack>>(faults);
    }
#endif
    return std::make_unique<FaultyStack<tcp_server::detail::KernelStack>>(faults);
}

} // namespace

FaultyStackInUse::FaultyStackInUse(Faults &faults) : stack_(faulty_stack_of_this_run(faults))
{
    tcp_server::detail::set_stack_for_new_servers(stack_.get());
}

FaultyStackInUse::~FaultyStackInUse()
{
    tcp_server::detail::set_stack_for_new_servers(nullptr);
}

} // namespace test_support
