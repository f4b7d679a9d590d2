// The run's stack (the kernel's or lwIP's) with injected faults.
// SPDX-License-Identifier: Apache-2.0
#include "faulty_stack.h"

#include "net/kernel_stack.h"
#include "net/lwip/lwip_stack.h"
#include "poller/poller.h"

#include <tcpserver_config.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>
#include <unistd.h>

namespace test_support
{

namespace
{

using tcp_server::Errc;
using tcp_server::detail::FiredEvent;
using tcp_server::detail::Poller;
using tcp_server::detail::sockets::Endpoint;

/** Counts one call of a kind; true when the `every`th is due (every <= 0: never). */
bool nth_call(std::atomic<long> &calls, int every)
{
    return every > 0 && (calls.fetch_add(1) + 1) % every == 0;
}

/** Counts a connection accepted; true when the `abort_every`th is due, to be dropped. */
bool abort_due(Faults &faults, std::atomic<long> &connections)
{
    if (!nth_call(connections, faults.abort_every.load()))
        return false;
    faults.aborted.fetch_add(1);
    return true;
}

/** Cuts a read's room to `cap` bytes (0: uncut), `first` before `second`. */
bool cap_room(Faults &faults, std::span<char> &first, std::span<char> &second)
{
    std::size_t cap = faults.read_cap.load();
    if (cap == 0 || first.size() + second.size() <= cap)
        return false;
    first = first.first(std::min(cap, first.size()));
    second = second.first(cap - first.size());
    faults.short_reads.fetch_add(1);
    return true;
}

/** A poller passed through, with faults in the taking of input it received itself. */
class FaultyPoller final : public Poller
{
  public:
    FaultyPoller(std::unique_ptr<Poller> inner, Faults &faults)
        : inner_(std::move(inner)), faults_(faults)
    {
    }
    const char *name() const override { return inner_->name(); }
    bool supports(int fd) const override { return inner_->supports(fd); }
    bool watches_hangup() const override { return inner_->watches_hangup(); }
    bool completes_reads() const override { return inner_->completes_reads(); }
    /** Faults in the stack's send call need that call: with them, output goes through it. */
    bool completes_sends() const override
    {
        return inner_->completes_sends() && faults_.send_cap.load() == 0 &&
               faults_.nobufs_every.load() == 0;
    }
    Errc start_send(int fd, std::span<const char> data) override
    {
        return inner_->start_send(fd, data);
    }
    ssize_t take_sent(int fd) override { return inner_->take_sent(fd); }
    bool completes_accepts() const override { return inner_->completes_accepts(); }
    bool consumes_counters() const override { return inner_->consumes_counters(); }
    int take_accepted(int fd) override
    {
        if (nth_call(accept_takes_, faults_.interrupt_every.load()))
        {
            faults_.interrupted.fetch_add(1);
            errno = EAGAIN; // reported again with the next wait, as the accept retried
            return -1;
        }
        if (int error = faults_.take_accepted_error ? faults_.take_accepted_error() : 0)
        {
            errno = error;
            return -1;
        }
        int connection = inner_->take_accepted(fd);
        if (connection < 0 || !abort_due(faults_, connections_))
            return connection;
        ::close(connection);
        errno = ECONNABORTED;
        return -1;
    }
    ssize_t take_received(int fd, std::span<char> first, std::span<char> second) override
    {
        if (nth_call(takes_, faults_.interrupt_every.load()))
        {
            faults_.interrupted.fetch_add(1);
            errno = EAGAIN;
            return -1;
        }
        cap_room(faults_, first, second);
        return inner_->take_received(fd, first, second);
    }
    Errc add(int fd, unsigned interest) override { return inner_->add(fd, interest); }
    Errc modify(int fd, unsigned interest) override { return inner_->modify(fd, interest); }
    void remove(int fd) override { inner_->remove(fd); }
    Errc wait(int timeout_ms, std::vector<FiredEvent> &fired) override
    {
        return inner_->wait(timeout_ms, fired);
    }

  private:
    std::unique_ptr<Poller> inner_;
    Faults &faults_;
    std::atomic<long> takes_{0}, accept_takes_{0}, connections_{0};
};

template <typename Base> class FaultyStack final : public Base
{
  public:
    explicit FaultyStack(Faults &faults) : faults_(faults) {}

    std::unique_ptr<Poller> make_poller(tcp_server::Backend backend, Errc &error) override
    {
        std::unique_ptr<Poller> poller = Base::make_poller(backend, error);
        if (!poller || !poller->completes_reads())
            return poller;
        return std::make_unique<FaultyPoller>(std::move(poller), faults_);
    }

  protected:
    int raw_accept(int listen_fd, Endpoint &peer) override
    {
        if (interrupted(accepts_))
            return -1;
        int fd = Base::raw_accept(listen_fd, peer);
        if (fd < 0 || !abort_due(faults_, connections_))
            return fd;
        Base::close(fd);
        errno = ECONNABORTED;
        return -1;
    }
    ssize_t raw_receive(int fd, char *buffer, std::size_t size, bool wait) override
    {
        if (interrupted(receives_))
            return -1;
        std::span<char> room(buffer, size), none;
        cap_room(faults_, room, none);
        return Base::raw_receive(fd, room.data(), room.size(), wait);
    }
    ssize_t raw_read_into(int fd, std::span<char> first, std::span<char> second) override
    {
        if (interrupted(reads_))
            return -1;
        cap_room(faults_, first, second);
        return Base::raw_read_into(fd, first, second);
    }
    ssize_t raw_send(int fd, const char *data, std::size_t size) override
    {
        faults_.send_calls.fetch_add(1);
        if (interrupted(sends_))
            return -1;
        if (nth_call(send_attempts_, faults_.nobufs_every.load()))
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
        if (!nth_call(calls, faults_.interrupt_every.load()))
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
