// Server: the listener, the worker thread, the client table and the pending-accept queue.
// SPDX-License-Identifier: Apache-2.0
#include "server.h"

#include "access.h"
#include "handle_registry.h"
#include "util/deadline.h"
#include "util/errc.h"
#include "util/log.h"

#include <fcntl.h>
#include <unistd.h>

#include <iterator>

namespace tcp_server::detail
{

namespace
{

constexpr std::size_t kScratchSize = 64 * 1024;
// Connections taken per readiness of the listener, so clients get a turn under a flood.
constexpr int kAcceptBatch = 64;
// How long accepting pauses when the system cannot give a new connection what it needs.
constexpr std::chrono::milliseconds kAcceptRetry{100};

Errc check(const Options &options)
{
    if (options.max_clients == 0 || options.backlog <= 0 || options.recv_buffer_max == 0 ||
        options.send_buffer_max == 0 || options.close_linger < Duration::zero() ||
        options.priority < 0 || options.priority > 31)
        return Errc::invalid_argument;
    return Errc::ok;
}

} // namespace

std::shared_ptr<Server> Server::start(Options options, tcpserver *c_view, Errc &error,
                                      std::shared_ptr<void> c_state)
{
    error = check(options);
    if (error != Errc::ok)
        return nullptr;
    Stack *stack = stack_for_new_server(options.stack.value_or(default_stack()), error);
    if (!stack)
        return nullptr;
    std::shared_ptr<Server> server(
        new Server(std::move(options), *stack, c_view, std::move(c_state)));
    error = server->open();
    if (error != Errc::ok)
        return nullptr;
    const Options &settings = server->options_;
    // The worker holds the server while its loop runs, so that the server may be let go of
    // from its own handlers and go only once the loop has unwound.
    error = server->worker_.start(
        settings.name, settings.stack_size, settings.priority,
        [loop = server->loop_.get()] { loop->run(); }, server);
    if (error != Errc::ok)
        return nullptr;
    return server;
}

Server::Server(Options options, Stack &stack, tcpserver *c_view, std::shared_ptr<void> c_state)
    : options_(std::move(options)), stack_(stack), c_view_(c_view), c_state_(std::move(c_state)),
      handlers_(std::make_shared<const Handlers>(options_.handlers)),
      recv_handler_(static_cast<bool>(options_.handlers.on_recv))
{
}

Server::~Server()
{
    if (listen_fd_ >= 0 && !listener_closed_)
        close_listener();
    if (spare_fd_ >= 0)
        ::close(spare_fd_); // a kernel file, whatever the stack
}

Errc Server::open()
{
    sockets::Endpoint endpoint;
    Errc error = sockets::parse_endpoint(options_.address, options_.port, endpoint);
    if (error != Errc::ok)
        return error;
    listen_fd_ = stack_.listen_on(endpoint, options_.backlog, error);
    if (listen_fd_ < 0)
        return error;
    sockets::Endpoint bound;
    if ((error = stack_.local_endpoint(listen_fd_, bound)) != Errc::ok)
        return error;
    address_ = bound.ip();
    port_ = bound.port();
    loop_ = EventLoop::create(stack_, options_.backend.value_or(default_backend()), error);
    if (!loop_)
        return error;
    if (!loop_->supports(listen_fd_))
        return Errc::descriptor_limit;
    spare_fd_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    scratch_.resize(kScratchSize);
    if (c_view_)
    {
        if (!listener_view_.lend(stack_, listen_fd_))
            return errc_from_errno(errno);
        c_view_->ip = address_.c_str();
        c_view_->port = port_;
        c_view_->sock = listener_view_.descriptor();
    }
    // The first thing the worker does; supports() above guarantees it cannot fail.
    loop_->queue([this] { loop_->watch_in_loop(listen_fd_, kAccept, this); });
    return Errc::ok;
}

void Server::handle_io(unsigned)
{
    loop_->assert_in_loop_thread();
    // A handler may stop the server (and close the listener) in the middle of the batch.
    for (int i = 0; i < kAcceptBatch && !listener_closed_; ++i)
    {
        sockets::Endpoint peer;
        Errc error;
        // io_uring accepts by itself (multishot): its connections are taken from the poller.
        int fd = loop_->completes_accepts()
                     ? stack_.adopt_accepted(loop_->take_accepted_in_loop(listen_fd_), peer, error)
                     : stack_.accept_one(listen_fd_, peer, error);
        if (fd >= 0)
        {
            take_connection_in_loop(fd, peer);
            continue;
        }
        if (error == Errc::connection_reset)
        {
            aborted_.fetch_add(1, std::memory_order_relaxed);
            continue; // that one is gone; the next may be fine
        }
        if (error == Errc::descriptor_limit)
        {
            shed_connection_in_loop();
        }
        else if (error != Errc::timeout)
        {
            // Out of kernel memory and the like: the connection stays waiting, so the
            // listener stays readable. Look again a little later rather than spin.
            std::uint64_t held_back = 0;
            if (accept_log_.admit(held_back))
                LOG_W("accept failed: %s; retrying in %d ms (%llu more not logged)",
                      to_string(error), static_cast<int>(kAcceptRetry.count()),
                      static_cast<unsigned long long>(held_back));
            pause_accepting_in_loop();
        }
        return;
    }
}

void Server::take_connection_in_loop(int fd, const sockets::Endpoint &peer)
{
    loop_->assert_in_loop_thread();
    const char *refusal = nullptr;
    if (!loop_->supports(fd))
        refusal = "its descriptor is too large for the poller";
    else if (clients_.size() >= options_.max_clients)
        refusal = "the client limit is reached";
    std::shared_ptr<Client> client;
    // The node the client will take in the pending queue, allocated now: everything that can
    // fail happens before the client is announced to anyone.
    std::list<std::shared_ptr<Client>> queue_entry;
    bool in_table = false;
    if (!refusal)
    {
        try
        {
            client = std::make_shared<Client>(shared_from_this(), fd, peer, next_id_++);
            queue_entry.push_back(client);
            if (c_view_ && !client->lend_to_application())
                refusal = "no descriptor left for its client->sock (RLIMIT_NOFILE)";
            else
            {
                if (c_view_)
                    register_handle(client);
                in_table = clients_.emplace(fd, client).second;
                if (client->start_in_loop() != Errc::ok)
                    refusal = "the poller would not take it";
            }
        }
        catch (const std::bad_alloc &)
        {
            refusal = "out of memory";
        }
    }
    if (refusal)
    {
        if (in_table)
            clients_.erase(fd);
        refuse_in_loop(fd, peer, refusal, std::move(client));
        return;
    }
    if (options_.no_delay)
        stack_.set_no_delay(fd);
    if (options_.keepalive_idle > std::chrono::seconds::zero())
        stack_.set_keepalive(fd, static_cast<int>(options_.keepalive_idle.count()),
                             static_cast<int>(options_.keepalive_interval.count()),
                             options_.keepalive_count);
    client_count_.store(clients_.size(), std::memory_order_relaxed);
    accepted_.fetch_add(1, std::memory_order_relaxed);
    LOG_D("client connect:%d (%s)", fd, client->peer().c_str());
    dispatch_in_loop(*client, Event::connect);
    {
        std::lock_guard lock(accept_mutex_);
        pending_.splice(pending_.end(), queue_entry);
        client->queued_ = true;
        client->queue_position_ = std::prev(pending_.end());
    }
    accept_ready_.notify_one();
}

void Server::refuse_in_loop(int fd, const sockets::Endpoint &peer, const char *reason,
                            std::shared_ptr<Client> client)
{
    loop_->assert_in_loop_thread();
    refused_.fetch_add(1, std::memory_order_relaxed);
    std::uint64_t held_back = 0;
    if (refusal_log_.admit(held_back))
        LOG_W("refused client %s (socket %d, %zu/%zu clients): %s (%llu more refusals not logged)",
              peer.to_string().c_str(), fd, clients_.size(), options_.max_clients, reason,
              static_cast<unsigned long long>(held_back));
    // Nothing watches it or runs for it yet, so it may go at once; its destructor closes fd.
    if (!client)
        stack_.close(fd);
}

void Server::shed_connection_in_loop()
{
    loop_->assert_in_loop_thread();
    // Out of descriptors, the waiting connection would keep the listener readable and the
    // worker spinning. Give up the spare descriptor to take it, close it, and take the spare
    // back, so the peer learns at once instead of hanging.
    if (spare_fd_ < 0)
        spare_fd_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    std::uint64_t held_back = 0;
    bool log = descriptor_log_.admit(held_back);
    if (spare_fd_ < 0)
    {
        // Someone else took the spare's number: nothing to shed with, so wait instead.
        if (log)
            LOG_W("out of file descriptors, and no spare: accepting again in %d ms",
                  static_cast<int>(kAcceptRetry.count()));
        pause_accepting_in_loop();
        return;
    }
    refused_.fetch_add(1, std::memory_order_relaxed);
    if (log)
        LOG_W("out of file descriptors: closing a waiting connection (%llu more not logged)",
              static_cast<unsigned long long>(held_back));
    ::close(spare_fd_);
    sockets::Endpoint unused;
    Errc ignored;
    int fd = stack_.accept_one(listen_fd_, unused, ignored);
    if (fd >= 0)
        stack_.close(fd);
    spare_fd_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
}

void Server::pause_accepting_in_loop()
{
    loop_->assert_in_loop_thread();
    if (accept_paused_ || listener_closed_)
        return;
    accept_paused_ = true;
    loop_->update_in_loop(listen_fd_, 0);
    loop_->run_after_in_loop(kAcceptRetry, [this] {
        accept_paused_ = false;
        if (!listener_closed_)
            loop_->update_in_loop(listen_fd_, kAccept);
    });
}

bool Server::dispatch_in_loop(Client &client, Event event)
{
    loop_->assert_in_loop_thread();
    // The worker's copy of the handlers is refreshed only when set_handlers() changed them:
    // no lock per event. The copy replaced goes at the end of the turn, as a callback running
    // now may be one of its own.
    std::uint64_t version = handlers_version_.load(std::memory_order_acquire);
    if (version != handlers_seen_)
    {
        std::shared_ptr<const Handlers> fresh;
        {
            std::lock_guard lock(handlers_mutex_);
            fresh = handlers_;
        }
        if (handlers_in_loop_)
            loop_->release_later_in_loop(
                std::const_pointer_cast<Handlers>(std::move(handlers_in_loop_)));
        handlers_in_loop_ = std::move(fresh);
        handlers_seen_ = version;
    }
    const Handlers &handlers = *handlers_in_loop_;
    const auto &callback = event == Event::connect ? handlers.on_connect
                           : event == Event::recv  ? handlers.on_recv
                                                   : handlers.on_disconnect;
    if (!callback)
        return false;
    // The handle is the guard that keeps the client alive through its own callback.
    tcp_server::Client handle = Access::wrap(client.shared_from_this());
    try
    {
        callback(handle);
    }
    catch (const std::exception &error)
    {
        LOG_E("a callback of client %d threw: %s", client.fd(), error.what());
    }
    catch (...)
    {
        LOG_E("a callback of client %d threw", client.fd());
    }
    return true;
}

void Server::client_finished_in_loop(const std::shared_ptr<Client> &client)
{
    loop_->assert_in_loop_thread();
    {
        std::lock_guard lock(accept_mutex_);
        if (client->queued_)
        {
            // Nobody accepted it yet. Input no callback touched stays in the queue for the one
            // who will accept it (a request that ended before accept can still be answered).
            if (!client->kept_for_accept())
            {
                pending_.erase(client->queue_position_);
                client->queued_ = false;
            }
            else
                forget_oldest_ended_locked();
        }
    }
    LOG_D("client disconnect:%d", client->fd());
    // Either way it has no client slot any more: a peer that has gone never holds one.
    erase_in_loop(client);
}

void Server::forget_oldest_ended_locked()
{
    // Ended clients kept for accept hold a descriptor each: no more than max_clients of them.
    std::size_t ended = 0;
    auto oldest = pending_.end();
    for (auto entry = pending_.begin(); entry != pending_.end(); ++entry)
    {
        if (!(*entry)->finished())
            continue;
        if (ended++ == 0)
            oldest = entry;
    }
    if (ended > options_.max_clients)
    {
        (*oldest)->queued_ = false;
        loop_->release_later_in_loop(std::move(*oldest));
        pending_.erase(oldest);
    }
}

void Server::erase_in_loop(const std::shared_ptr<Client> &client)
{
    loop_->assert_in_loop_thread();
    auto found = clients_.find(client->fd());
    if (found == clients_.end() || found->second != client)
        return;
    loop_->release_later_in_loop(std::move(found->second));
    clients_.erase(found);
    client_count_.store(clients_.size(), std::memory_order_relaxed);
}

Result<std::shared_ptr<Client>> Server::accept(Duration timeout)
{
    if (loop_->in_loop_thread())
        timeout = kNoWait;
    std::shared_ptr<Client> client;
    {
        std::unique_lock lock(accept_mutex_);
        bool ready = Deadline(timeout).wait(accept_ready_, lock,
                                            [this] { return stopping_ || !pending_.empty(); });
        if (stopping_)
            return Errc::stopped;
        if (!ready)
            return Errc::timeout;
        client = std::move(pending_.front());
        pending_.pop_front();
        client->queued_ = false;
        client->owned_.store(true, std::memory_order_release);
    }
    return client;
}

void Server::set_handlers(Handlers handlers)
{
    auto installed = std::make_shared<const Handlers>(std::move(handlers));
    bool recv_handler = static_cast<bool>(installed->on_recv);
    {
        std::lock_guard lock(handlers_mutex_);
        handlers_ = std::move(installed);
        handlers_version_.fetch_add(1, std::memory_order_release);
    }
    // Clients whose user threads read their sockets go back to the worker, so that on_recv
    // hears of what comes next.
    if (recv_handler && !recv_handler_.exchange(true, std::memory_order_acq_rel))
        loop_->queue([this] {
            for (auto &entry : clients_)
                entry.second->reading_back_in_loop();
        });
    else if (!recv_handler)
        recv_handler_.store(false, std::memory_order_release);
}

Errc Server::stop()
{
    if (loop_->in_loop_thread())
        return stop_from_handler();
    std::lock_guard serialise(stop_mutex_);
    if (!worker_.joinable())
        return Errc::ok;
    {
        std::lock_guard lock(accept_mutex_);
        stopping_ = true;
    }
    accept_ready_.notify_all();
    loop_->queue([this] { stop_in_loop(); });
    worker_.join();
    std::list<std::shared_ptr<Client>> dropped;
    {
        std::lock_guard lock(accept_mutex_);
        dropped.swap(pending_);
        for (auto &client : dropped)
            client->queued_ = false;
    }
    return Errc::ok;
}

Errc Server::stop_from_handler()
{
    // The worker cannot join itself. It stops accepting now, ends every client once the
    // handler has returned, and then ends on its own, releasing the server last.
    std::unique_lock serialise(stop_mutex_, std::try_to_lock);
    if (!serialise.owns_lock() || !worker_.joinable())
        return Errc::ok; // another thread is stopping it, or it stopped
    {
        std::lock_guard lock(accept_mutex_);
        stopping_ = true;
    }
    accept_ready_.notify_all();
    close_listener_in_loop();
    loop_->queue([this] { stop_in_loop(); });
    worker_.detach();
    return Errc::ok;
}

void Server::close_listener_in_loop()
{
    loop_->assert_in_loop_thread();
    if (listener_closed_)
        return;
    loop_->unwatch_in_loop(listen_fd_);
    close_listener();
    listener_closed_ = true;
}

void Server::close_listener()
{
    if (listener_view_.descriptor() >= 0)
        listener_view_.end();
    else
        stack_.close(listen_fd_);
}

void Server::stop_in_loop()
{
    loop_->assert_in_loop_thread();
    std::vector<std::shared_ptr<Client>> all;
    all.reserve(clients_.size());
    for (auto &entry : clients_)
        all.push_back(entry.second);
    for (auto &client : all)
        client->abort_in_loop();
    clients_.clear();
    client_count_.store(0, std::memory_order_relaxed);
    {
        // Nobody will accept them: the queue's references go with the loop's turn.
        std::lock_guard lock(accept_mutex_);
        for (auto &client : pending_)
        {
            client->queued_ = false;
            loop_->release_later_in_loop(std::move(client));
        }
        pending_.clear();
    }
    close_listener_in_loop();
    loop_->quit();
}

Stats Server::stats() const
{
    return {client_count_.load(std::memory_order_relaxed),
            accepted_.load(std::memory_order_relaxed),
            refused_.load(std::memory_order_relaxed),
            aborted_.load(std::memory_order_relaxed),
            bytes_received_.load(std::memory_order_relaxed) +
                worker_bytes_received_.load(std::memory_order_relaxed),
            bytes_sent_.load(std::memory_order_relaxed) +
                worker_bytes_sent_.load(std::memory_order_relaxed),
            stack_.name(),
            loop_->poller_name()};
}

} // namespace tcp_server::detail
