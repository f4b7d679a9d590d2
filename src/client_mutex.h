// ClientMutex: a client's lock, free for the worker while no user thread has touched the client.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <atomic>
#include <cassert>
#include <mutex>

namespace tcp_server::detail
{

class EventLoop;

/**
 * Biased to the worker. While no user thread has locked it (the callback pattern: msh's echo,
 * where only the worker ever sees the client), the worker enters and leaves with plain stores
 * and no locked instruction. The first lock from another thread revokes the bias for good;
 * from then on every thread, the worker included, takes the std::mutex.
 *
 * Revocation is an asymmetric Dekker handshake: the worker announces itself in
 * `worker_inside_` and then reads `shared_`; a user thread sets `shared_`, forces a memory
 * barrier on every thread of the process (membarrier), and waits until the worker is out. So
 * either the worker sees `shared_` and takes the mutex, or the user thread sees it inside and
 * waits. Where membarrier is missing or refused (old kernels, seccomp, valgrind), and under
 * ThreadSanitizer, which cannot see it, both sides use sequentially consistent operations
 * instead. A section of the worker never blocks and never runs user code, so the wait is short.
 *
 * BasicLockable, for std::lock_guard and std::unique_lock, from any thread. Code that runs on
 * the worker alone locks worker() (no thread check); a user thread that waits on a condition
 * variable locks native().
 */
class ClientMutex
{
  public:
    explicit ClientMutex(const EventLoop &loop);
    ClientMutex(const ClientMutex &) = delete;
    ClientMutex &operator=(const ClientMutex &) = delete;

    /** The worker's side, BasicLockable: for code that runs on the worker thread only. */
    class WorkerSide
    {
      public:
        explicit WorkerSide(ClientMutex &mutex) : mutex_(mutex) {}
        void lock()
        {
            assert(mutex_.on_worker() && "a worker-only section entered from another thread");
            biased_ = mutex_.enter_biased();
            if (!biased_)
                mutex_.mutex_.lock();
        }
        void unlock()
        {
            if (!biased_)
            {
                mutex_.mutex_.unlock();
                return;
            }
            biased_ = false;
            // What the worker did inside happens before a user thread that sees it out.
            mutex_.worker_inside_.store(false, std::memory_order_release);
        }

      private:
        ClientMutex &mutex_;
        bool biased_ = false; // the section it is in was entered without the mutex
    };

    WorkerSide &worker() { return worker_side_; }
    void lock();
    void unlock();
    /** Not on the worker: revokes the bias, then the mutex every thread takes from now on. */
    std::mutex &native();

    /** Whether a user thread has locked it (the worker takes the mutex too). Thread safe. */
    bool shared() const { return shared_.load(std::memory_order_acquire); }

  private:
    bool on_worker() const;
    /** On the worker: enters without the mutex while no user thread has locked it. */
    bool enter_biased()
    {
        if (worker_sees_shared_)
            return false;
        if (asymmetric_)
        {
            // The user thread's membarrier orders these two for it; the compiler must not.
            worker_inside_.store(true, std::memory_order_relaxed);
            std::atomic_signal_fence(std::memory_order_seq_cst);
            if (!shared_.load(std::memory_order_acquire)) // no later access moves above it
                return true;
        }
        else
        {
            worker_inside_.store(true, std::memory_order_seq_cst);
            if (!shared_.load(std::memory_order_seq_cst))
                return true;
        }
        worker_inside_.store(false, std::memory_order_release);
        worker_sees_shared_ = true;
        return false;
    }
    void revoke_bias();

    // The worker's path reads the first line's worth only; the std::mutex is for after the bias.
    std::atomic<bool> worker_inside_{false}; // the worker is in a section without the mutex
    std::atomic<bool> shared_{false};        // a user thread has locked it, or is about to
    std::atomic<bool> revoked_{false};       // ... and the worker has been seen outside since
    bool worker_sees_shared_ = false; // the worker's own: it has seen shared_, takes the mutex
    const bool asymmetric_;           // membarrier is there: the worker's side needs no fence
    WorkerSide worker_side_{*this};
    const EventLoop &loop_;
    std::mutex mutex_;
};

} // namespace tcp_server::detail
