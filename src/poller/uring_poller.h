// The io_uring backend: readiness through one-shot poll requests, listeners' connections
// through multishot accepts, connections' input through multishot receives into a ring of
// provided buffers, their output through send requests; every change, send and the wait of a
// loop round in one io_uring_enter.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "poller/poller.h"

#include <liburing.h>

#include <cstdint>
#include <new>
#include <string>
#include <vector>

namespace tcp_server::detail
{

class UringPoller final : public Poller
{
  public:
    /** A ring of `submissions` entries and room for `completions` (powers of two), and
     *  `buffers` provided buffers of `buffer_size` bytes for input (a power of two, at most
     *  32768; 0: no completion reads). A listener's accept pauses while it holds
     *  `held_accepts` connections (the server takes 64 a round). */
    explicit UringPoller(unsigned submissions = 512, unsigned completions = 4096,
                         unsigned buffers = 1024, unsigned buffer_size = 16384,
                         std::size_t held_accepts = 256);
    ~UringPoller() override;
    UringPoller(const UringPoller &) = delete;
    UringPoller &operator=(const UringPoller &) = delete;

    /** Errc::ok once the ring exists; Errc::uring_unavailable where the kernel lacks or
     *  forbids io_uring (or a feature used here), with why in reason(). */
    Errc error() const { return error_; }
    const char *reason() const { return reason_; }
    const char *name() const override { return "uring"; }
    bool supports(int fd) const override { return fd >= 0; }
    bool watches_hangup() const override { return true; }
    /** Where the kernel has multishot receives and buffer rings (6.1). */
    bool completes_reads() const override { return buffer_ring_ != nullptr; }
    /** Where it completes reads: the same kernels. */
    bool completes_sends() const override { return buffer_ring_ != nullptr; }
    /** A read request on the ring, armed again once it completed. */
    bool consumes_counters() const override { return true; }
    /** Likewise (multishot accepts came with 5.19). */
    bool completes_accepts() const override { return buffer_ring_ != nullptr; }
    int take_accepted(int fd) override;
    Errc start_send(int fd, std::span<const char> data) override;
    ssize_t take_sent(int fd) override;
    Errc add(int fd, unsigned interest) override;
    Errc modify(int fd, unsigned interest) override;
    void remove(int fd) override;
    Errc wait(int timeout_ms, std::vector<FiredEvent> &fired) override;
    ssize_t take_received(int fd, std::span<char> first, std::span<char> second) override;

  private:
    /** A watch's multishot request: a connection's receive (one at a time, so its input
     *  keeps its order) or a listener's accept. */
    enum class Multishot : unsigned char
    {
        idle,
        armed,
        cancelling, // asked to stop; its last completion is still to come
    };

    /** A send's bytes, owned here until the kernel is done with them: a watch keeps one and
     *  reuses it; when the watch ends with its send in the kernel, the block is orphaned and
     *  its last completion frees it. Allocated with room for `capacity` bytes after it. */
    struct Outgoing
    {
        Outgoing *prev = nullptr; // on orphans_, once orphaned
        Outgoing *next = nullptr;
        int fd = -1;
        bool orphaned = false;
        std::size_t capacity = 0;
        std::size_t size = 0; // bytes to send
        std::size_t sent = 0; // of which the kernel took these
        char *bytes() { return reinterpret_cast<char *>(this + 1); }
    };
    /** Frees a block (trivially destructible) that the kernel no longer reads; null: none. */
    static void release(Outgoing *block) { ::operator delete(block); }

    struct Watch
    {
        std::uint32_t generation = 0; // tells a live poll request's completion from a stale one
        std::uint32_t life = 0;       // add to remove: whose input a receive's completion is
        unsigned char interest = 0;   // what the loop asked for
        unsigned char armed = 0;      // what the poll request in the kernel (or queued) watches
        Multishot multishot = Multishot::idle;
        std::uint64_t multishot_id = 0; // its user_data, to cancel it
        bool listed = false;            // on to_arm_
        bool holding = false;           // on holding_
        bool at_end = false;   // the peer's end (or error) was received, after the held input
        int error = 0;         // the receive's (accept's) error, reported once after the held input
        int fired_slot = -1;   // its entry in this round's fired list
        int first_buffer = -1; // the held buffers, in order, linked through next_buffer_
        int last_buffer = -1;
        unsigned offset = 0;            // bytes of first_buffer already taken
        std::string spilled;            // input held past its round, taken before the buffers
        std::vector<int> accepted;      // a listener's connections not taken yet, in order
        std::size_t accepted_taken = 0; // of which these were taken
        bool accept_failed = false;     // its accept waits for readiness before it goes again
        Outgoing *outgoing = nullptr;
        bool sending = false;          // start_send to kSent
        bool send_unsubmitted = false; // the ring had no room for (the rest of) it: on to_arm_
        bool send_ended = false;       // kSent reported, take_sent not yet called
        int send_error = 0;
    };

    bool set_up_buffers(unsigned count, unsigned size);
    io_uring_sqe *next_sqe();
    /** Sends what `fd` wants to the kernel; false if the ring had no room (listed again). */
    bool arm(int fd);
    void disarm_poll(int fd);
    void cancel_multishot(int fd);
    void list_for_arming(int fd);
    /** Puts fd on holding_ (once): it holds input, its end, or connections for its owner. */
    void list_as_holding(int fd);
    /** A listener's connections accepted and not taken yet. */
    static std::size_t held_connections(const Watch &watch)
    {
        return watch.accepted.size() - watch.accepted_taken;
    }
    /** What fd's poll request watches: the interest's, and readiness after a failed accept. */
    static unsigned polled(const Watch &watch);
    Errc enable_in_issuer_thread();
    void reap(std::vector<FiredEvent> &fired);
    void on_poll(std::uint64_t id, int result, std::vector<FiredEvent> &fired);
    void on_receive(int fd, const io_uring_cqe &cqe);
    void on_accept(int fd, const io_uring_cqe &cqe);
    void on_counter(std::vector<FiredEvent> &fired);
    void report(int fd, unsigned events, std::vector<FiredEvent> &fired);
    /** Queues a request for what `block` has left to send; false if the ring had no room. */
    bool submit_send(Outgoing &block);
    void on_send(std::uint64_t id, int result, std::vector<FiredEvent> &fired);
    /** Stops fd's send in the kernel, leaving its block to its last completion. */
    void orphan_send(int fd);
    /** Moves what is held past its round out of the ring's buffers, so that a connection that
     *  stopped reading never starves the others; whether a watch holds input it wants now. */
    bool spill_held_buffers();
    void give_back(int buffer);
    /** Hands the buffers given back since the last enter to the kernel, with one store. */
    void publish_returned_buffers();

    io_uring ring_{};
    bool ring_ready_ = false;
    bool enabled_ = false; // rings made disabled (single issuer) start on the first wait
    Errc error_ = Errc::ok;
    const char *reason_ = "";
    std::vector<Watch> watches_;
    std::vector<int> to_arm_;  // watches whose requests are spent or were not sent yet
    std::vector<int> holding_; // watches that hold input (or its end) for take_received
    std::size_t watched_ = 0;
    std::size_t held_accepts_;
    Outgoing *orphans_ = nullptr;    // sends of ended watches still in the kernel
    int counter_fd_ = -1;            // the kCounter watch
    bool counter_reading_ = false;   // its read is in the kernel (or queued)
    std::uint64_t counter_sink_ = 0; // where the read puts the count, which nobody needs

    io_uring_buf_ring *buffer_ring_ = nullptr;
    char *buffer_memory_ = nullptr;
    unsigned buffer_count_ = 0;
    unsigned buffer_size_ = 0;
    unsigned returned_ = 0;                    // buffers given back and not yet published
    std::vector<std::uint32_t> buffer_length_; // bytes the kernel put in each buffer
    std::vector<int> next_buffer_;             // the next buffer of the same watch's input
};

} // namespace tcp_server::detail
