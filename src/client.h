// Client: one connection's state machine, input and output buffers, and the threads waiting on it.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "client_mutex.h"
#include "event_loop.h"
#include "net/stack.h"
#include "sal/socket_table.h"
#include "util/buffer.h"
#include "util/deadline.h"

#include <tcpserver.hpp>

#include <condition_variable>
#include <list>
#include <memory>
#include <mutex>
#include <span>
#include <string>

namespace tcp_server::detail
{

class Server;

/**
 * Lifetime: owned through shared_ptr by the server's table, the pending-accept queue, user
 * handles, and a guard taken for every callback. Only the destructor closes the descriptor,
 * so a thread still blocked on this client can never touch a reused descriptor number.
 *
 * Its life, as the worker sees it, is one Phase that only moves forward: open, then perhaps
 * peer_closed (the peer half-closed), then ending (flushing what was queued before the end, for
 * at most close_linger), then torn_down (shut down, on_disconnect run once, out of the server's
 * table). Why it ended is `end_`, which user threads read: the first of end of stream, reset,
 * close() or stop sets it and wakes waiters.
 */
class Client final : public IoHandler, public std::enable_shared_from_this<Client>
{
  public:
    Client(std::shared_ptr<Server> server, int fd, const sockets::Endpoint &peer, std::uint64_t id);
    ~Client();
    Client(const Client &) = delete;
    Client &operator=(const Client &) = delete;

    // Thread safe.
    IoResult recv(std::span<std::byte> buffer, Duration timeout);
    IoResult send(std::span<const std::byte> data, Duration timeout);
    void close();
    bool is_open() const;
    /** Whether it has input that no callback took any of: a user who accepts it later may
     *  still read (and answer) it. */
    bool kept_for_accept() const;
    /** Set once the worker has torn the connection down. */
    bool finished() const { return finished_.load(std::memory_order_acquire); }
    /** A user took it with accept(): after the peer's half-close it stays open for replies
     *  until that user closes it. */
    bool owned() const { return owned_.load(std::memory_order_acquire); }
    int fd() const { return fd_; }
    const Server &server() const { return *server_; }
    std::uint64_t id() const { return id_; }
    const std::string &peer() const { return peer_; }
    tcpclient *c_handle() { return &c_handle_; }
    /** Gives the C handle's sock a number the application's own socket calls reach this
     *  socket by (SAL's, on a stack other than the kernel's). False with errno (EMFILE). Worker,
     *  before the client is announced. */
    bool lend_to_application();

    // Worker thread only.
    /** Starts watching the socket; on_connect is the server's to dispatch. */
    Errc start_in_loop();
    void handle_io(unsigned events) override;
    void flush_before_wait() override;
    /** Ends the connection at once, without flushing: the server is stopping. */
    void abort_in_loop();
    /** Re-evaluates what to watch for after a user thread freed room in a buffer. */
    void resume_in_loop();
    /** An on_recv was installed: the worker reads this socket again, not user threads. */
    void reading_back_in_loop();

  private:
    friend class Server; // owns the pending-accept queue links below

    enum class Phase
    {
        open,        // both directions open
        peer_closed, // the peer half-closed: input is over, replies may still go out
        ending,      // it ended (end_ says why): output queued before that is being flushed
        torn_down,   // shut down, on_disconnect run, out of the table; kept for the last handle
    };
    /** The one place the phase changes; a phase is never left for an earlier one. */
    void enter_in_loop(Phase next);

    /** Ends the connection with `reason` on the worker, after the current dispatch. */
    void end_soon(Errc reason);
    IoResult send_in_loop(std::span<const std::byte> data);
    /** Takes what input_ holds, or says why there is none. Unlocks `lock` (mutex_'s, either
     *  way a thread takes it). */
    template <typename Lock>
    IoResult take_input(std::span<std::byte> buffer, Lock &lock, bool by_callback);
    IoResult recv_on_user_thread(std::span<std::byte> buffer, Duration timeout);
    /** Reads the socket straight into `buffer` on this user thread, holding the reader turn. */
    IoResult read_socket_directly(std::span<std::byte> buffer, const Deadline &deadline);
    IoResult send_from_user_thread(std::span<const std::byte> data, Duration timeout);
    /** `hung_up`: the poller saw the peer's end (or an error), not just readability. */
    void read_in_loop(bool hung_up);
    void flush_in_loop();
    /** Writes output_ until it is empty or the socket is full, or hands it to the poller's
     *  send; the error that stopped it. Under mutex_, on the worker. */
    Errc write_output_locked();
    /** The poller's send ended (kSent): the next one starts, or the connection ends. */
    void sent_in_loop();
    /** Output not yet confirmed sent: queued, and handed to the poller. Under mutex_. */
    std::size_t unsent_locked() const { return output_.size() + sending_; }
    /** Runs on_recv while it should; `turn_taken`: the caller already took the first turn
     *  (take_recv_turn_locked). */
    void dispatch_recv_in_loop(bool turn_taken = false);
    /** Whether on_recv should run now; if so, marks it told. Under mutex_. */
    bool take_recv_turn_locked();
    void end_in_loop(Errc reason);
    /** The peer half-closed: stop reading, and end once nobody can still reply. */
    void peer_finished_sending_in_loop();
    /** After end of stream: ends a client nobody owns once its input is read. */
    void settle_after_eof_in_loop();
    void finish_in_loop();
    void note_activity();
    void schedule_idle_check_in_loop(EventLoop::Clock::time_point due);
    void check_idle_in_loop();
    /** Whether waiting for room to send `more` bytes would pass Options::unsent_limit. */
    bool over_unsent_limit(std::size_t more) const;
    void update_interest_in_loop();
    unsigned read_interest() const { return receives_by_completion_ ? kReceive : kReadable; }
    /** What to watch now; marks reading paused when it is. Under mutex_. */
    unsigned interest_locked();
    /** Gives the poller `wanted` if it changed. */
    void apply_interest_in_loop(unsigned wanted);
    /** Under mutex_: whether reading must wait for a user to drain input or the peer to drain
     * output. */
    bool backpressure_locked() const;

    // Laid out for the worker's path per message: what it touches comes first, in as few cache
    // lines as will hold it (its own fields, the buffers, the lock's biased part); what only
    // user threads, accept and teardown touch comes after.
    const std::shared_ptr<Server> server_;
    EventLoop &loop_;
    Stack &stack_; // the server's
    const int fd_;

    // Worker thread only.
    unsigned interest_ = 0;
    // The poller reads its input (Poller::completes_reads), and sends its output
    // (Poller::completes_sends; not with an unsent limit, which the socket's queue measures).
    // Set at start, before any user thread can reach the client; read by them after.
    bool receives_by_completion_ = false;
    bool sends_by_completion_ = false;
    Phase phase_ = Phase::open;
    bool flush_asked_ = false;          // registered for this turn's flush_before_wait
    std::atomic<bool> finished_{false}; // phase_ is torn_down, for other threads

    // Under mutex_.
    Buffer input_;
    Buffer output_;
    std::size_t sending_ = 0;         // bytes of the poller's send in progress (kSent ends it)
    Errc end_ = Errc::ok;             // why the connection ended; ok while open
    bool recv_notified_ = false;      // on_recv ran and no recv has taken bytes since
    bool served_by_callback_ = false; // a callback has read from it
    bool direct_writer_ = false;      // a user thread is writing to the socket itself
    // Without on_recv, the user threads that accepted it read the socket themselves (no worker
    // hop per message); the worker only watches for the peer's end. direct_reader_ is the turn
    // one such thread holds while it reads without the lock; a hang-up the worker saw meanwhile
    // waits in hangup_deferred_ for that thread, which reads it itself.
    bool user_reads_socket_ = false;
    bool direct_reader_ = false;
    bool hangup_deferred_ = false;
    bool reading_paused_ = false; // set by the worker, so user threads know to resume it
    int user_waiters_ = 0;        // user threads waiting on changed_: wake only when some are
    // The worker takes it without a locked instruction until a user thread first does.
    mutable ClientMutex mutex_;
    std::condition_variable changed_; // input arrived, output drained, or the connection ended

    const std::uint64_t id_;
    const std::string peer_;
    tcpclient c_handle_;
    sal::LentSocket view_; // c_handle_.sock once lent: closes the socket at the end
    // The server's pending-accept queue links, guarded by Server::accept_mutex_; owned_ is set
    // there too and read anywhere.
    std::atomic<bool> owned_{false};
    bool queued_ = false;
    std::list<std::shared_ptr<Client>>::iterator queue_position_;
    // When a byte last moved either way; kept only with an idle timeout.
    std::atomic<EventLoop::Clock::time_point> last_activity_{};
};

} // namespace tcp_server::detail
