// Server: owns the listener, the worker thread, the client table and the pending-accept queue.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "client.h"
#include "event_loop.h"
#include "net/stack.h"
#include "sal/socket_table.h"
#include "util/log_throttle.h"
#include "worker_thread.h"

#include <tcpserver.hpp>

#include <atomic>
#include <condition_variable>
#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace tcp_server::detail
{

enum class Event
{
    connect,
    recv,
    disconnect,
};

/**
 * Threads: the worker alone touches the poller, the listener and the client table; other
 * threads post tasks. The pending queue and the handlers are shared under their own mutexes.
 * Lock order: accept_mutex_ before any Client::mutex_.
 */
class Server final : public IoHandler, public std::enable_shared_from_this<Server>
{
  public:
    /**
     * Binds, listens and starts the worker. `c_view` is the C API's struct for this server, if
     * any: clients point back to it; `c_state`, what holds it, lives as long as the server.
     * Returns nullptr with `error` set on failure.
     */
    static std::shared_ptr<Server> start(Options options, tcpserver *c_view, Errc &error,
                                         std::shared_ptr<void> c_state = nullptr);
    ~Server();

    // Thread safe.
    Result<std::shared_ptr<Client>> accept(Duration timeout);
    void set_handlers(Handlers handlers);
    Errc stop();
    bool stopped() const { return stopping_.load(std::memory_order_acquire); }
    Stats stats() const;
    const Options &options() const { return options_; }
    const std::string &address() const { return address_; }
    std::uint16_t port() const { return port_; }
    int listen_fd() const { return listen_fd_; }
    EventLoop &loop() { return *loop_; }
    Stack &stack() const { return stack_; }
    tcpserver *c_view() const { return c_view_; }
    const std::shared_ptr<void> &c_state() const { return c_state_; }
    /** Counts bytes a user thread sent or received itself. Thread safe. */
    void count_sent(std::size_t bytes) { bytes_sent_.fetch_add(bytes, std::memory_order_relaxed); }
    void count_received(std::size_t bytes)
    {
        bytes_received_.fetch_add(bytes, std::memory_order_relaxed);
    }
    bool has_recv_handler() const { return recv_handler_.load(std::memory_order_acquire); }
    /** Whether a user thread may read a client's socket itself: no on_recv wants the bytes,
     *  and the worker can still watch for the peer's end without reading (not select). */
    bool user_threads_may_read() const
    {
        return !recv_handler_.load(std::memory_order_acquire) && loop_->watches_hangup();
    }

    // Worker thread only.
    void handle_io(unsigned events) override;
    /** Runs the callback for `event`; false when none is set. */
    bool dispatch_in_loop(Client &client, Event event);
    /** The worker's read buffer, shared by all its clients. */
    std::span<char> scratch_in_loop()
    {
        loop_->assert_in_loop_thread();
        return scratch_;
    }
    /** The worker's counts: it alone writes them, so no locked instruction per message. */
    void count_sent_in_loop(std::size_t bytes) { add_in_loop(worker_bytes_sent_, bytes); }
    void count_received_in_loop(std::size_t bytes) { add_in_loop(worker_bytes_received_, bytes); }
    /** A client ended: it leaves the table (its slot is free), and the pending queue unless
     *  it has input for whoever accepts it. */
    void client_finished_in_loop(const std::shared_ptr<Client> &client);

  private:
    Server(Options options, Stack &stack, tcpserver *c_view, std::shared_ptr<void> c_state);
    Errc open();
    void take_connection_in_loop(int fd, const sockets::Endpoint &peer);
    void refuse_in_loop(int fd, const sockets::Endpoint &peer, const char *reason,
                        std::shared_ptr<Client> client);
    void shed_connection_in_loop();
    void pause_accepting_in_loop();
    /** stop() from this server's own handler. */
    Errc stop_from_handler();
    void close_listener_in_loop();
    /** Closes the listener, through its lent number when the application was shown one. */
    void close_listener();
    void stop_in_loop();
    void erase_in_loop(const std::shared_ptr<Client> &client);
    /** Drops the oldest ended client kept in the queue when more than max_clients are. Under
     *  accept_mutex_, on the worker. */
    void forget_oldest_ended_locked();

    const Options options_;
    Stack &stack_; // every socket of this server is one of this stack's
    tcpserver *const c_view_;
    const std::shared_ptr<void> c_state_;
    std::string address_;
    std::uint16_t port_ = 0;
    int listen_fd_ = -1;
    bool listener_closed_ = false;  // by the worker at stop; read after it has been joined
    sal::LentSocket listener_view_; // server->sock, for a server of the C API
    int spare_fd_ = -1;             // given up on EMFILE to accept and close one waiting connection
    std::unique_ptr<EventLoop> loop_;
    WorkerThread worker_;

    // Worker thread only.
    std::unordered_map<int, std::shared_ptr<Client>> clients_;
    std::vector<char> scratch_;
    std::uint64_t next_id_ = 1;
    bool accept_paused_ = false;
    LogThrottle refusal_log_;
    LogThrottle descriptor_log_;
    LogThrottle accept_log_;

    std::mutex accept_mutex_;
    std::condition_variable accept_ready_;
    std::list<std::shared_ptr<Client>> pending_; // guarded by accept_mutex_
    std::atomic<bool> stopping_{false};

    std::mutex handlers_mutex_;
    std::shared_ptr<const Handlers> handlers_;
    std::atomic<std::uint64_t> handlers_version_{0}; // bumped by set_handlers()
    std::atomic<bool> recv_handler_{false};          // handlers_ has on_recv
    // Worker thread only: its copy of handlers_, as of version handlers_seen_.
    std::shared_ptr<const Handlers> handlers_in_loop_;
    std::uint64_t handlers_seen_ = ~std::uint64_t{0};

    std::mutex stop_mutex_; // serialises stop() callers

    std::atomic<std::size_t> client_count_{0};
    std::atomic<std::uint64_t> accepted_{0};
    std::atomic<std::uint64_t> refused_{0};
    std::atomic<std::uint64_t> aborted_{0};
    void add_in_loop(std::atomic<std::uint64_t> &counter, std::size_t bytes)
    {
        loop_->assert_in_loop_thread();
        counter.store(counter.load(std::memory_order_relaxed) + bytes, std::memory_order_relaxed);
    }

    std::atomic<std::uint64_t> bytes_received_{0}; // by user threads
    std::atomic<std::uint64_t> bytes_sent_{0};
    std::atomic<std::uint64_t> worker_bytes_received_{0}; // by the worker
    std::atomic<std::uint64_t> worker_bytes_sent_{0};
};

} // namespace tcp_server::detail
