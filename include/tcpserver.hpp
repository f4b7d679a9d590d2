/*
 * tcpserver C++ API: RAII servers, thread-safe client handles, std::chrono timeouts and
 * std::span buffers, results that say why a call failed. The C API in tcpserver.h is a thin
 * layer over the same core.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef TCPSERVER_HPP__
#define TCPSERVER_HPP__

#include <tcpserver.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

/*
 * Every error the library reports: X(name, RT-Thread code, message). The only table; the
 * enum, the C codes and the messages are all generated from it.
 */
#define TCPSERVER_ERRC_MAP(X)                                                                      \
    X(ok, RT_EOK, "success")                                                                       \
    X(timeout, RT_ETIMEOUT, "timed out")                                                           \
    X(end_of_stream, RT_EIO, "the peer closed the connection")                                     \
    X(connection_reset, RT_EIO, "the peer reset the connection")                                   \
    X(closed, RT_EIO, "the connection was closed")                                                 \
    X(idle_timeout, RT_EIO, "closed after the idle timeout")                                       \
    X(peer_too_slow, RT_EIO, "the peer does not read: its unsent output passed the limit")        \
    X(peer_unreachable, RT_EIO, "the peer stopped answering (keepalive or retransmission)")        \
    X(io_error, RT_EIO, "I/O error on the connection")                                             \
    X(stopped, RT_ERROR, "the server was stopped")                                                 \
    X(invalid_argument, RT_EINVAL, "invalid argument")                                             \
    X(address_invalid, RT_EINVAL, "not a numeric IPv4 or IPv6 address")                            \
    X(address_unavailable, RT_EINVAL, "the address is not available on this host")                 \
    X(ipv6_disabled, RT_EINVAL, "IPv6 is disabled in this build (TCPSERVER_USING_IPV6)")           \
    X(address_in_use, RT_EBUSY, "the address is already in use")                                   \
    X(permission_denied, RT_EPERM, "permission denied")                                            \
    X(busy, RT_EBUSY, "not allowed from the server's own worker thread")                           \
    X(too_many_clients, RT_EFULL, "client limit reached")                                          \
    X(descriptor_limit, RT_EFULL, "out of file descriptors")                                       \
    X(thread_limit, RT_EFULL, "no thread can be started: the process or system thread limit")     \
    X(no_memory, RT_ENOMEM, "out of memory")                                                       \
    X(tap_unavailable, RT_EIO, "lwIP's TAP device is missing or taken (the log says which)")      \
    X(stack_not_built, RT_ENOSYS, "this build has no lwIP (TCPSERVER_USING_LWIP)")                \
    X(system_error, RT_ERROR, "system call failed")                                                \
    X(uring_unavailable, RT_ENOSYS, "io_uring is unavailable (old kernel, io_uring_disabled, seccomp)") \
    X(uring_not_built, RT_ENOSYS, "this build has no io_uring backend (TCPSERVER_USING_URING)")

namespace tcp_server
{

namespace detail
{
class Server;
class Client;
struct Access;
} // namespace detail

enum class Errc
{
#define TCPSERVER_ERRC_ENUM(name, rt, message) name,
    TCPSERVER_ERRC_MAP(TCPSERVER_ERRC_ENUM)
#undef TCPSERVER_ERRC_ENUM
};

/** The message for an error, e.g. "timed out". */
const char *to_string(Errc error) noexcept;
/** The RT-Thread code for an error, negated as the C API returns it (-RT_ETIMEOUT). */
rt_err_t to_rt_err(Errc error) noexcept;
/** The category of tcpserver error codes, so Errc converts to std::error_code. */
const std::error_category &error_category() noexcept;
inline std::error_code make_error_code(Errc error) noexcept
{
    return {static_cast<int>(error), error_category()};
}

/** How a server's worker waits for its sockets. */
enum class Backend
{
    select = TCPSERVER_POLLER_KIND_SELECT, /**< the package's: FD_SETSIZE and TCPSERVER_SOCKET_MAX bound it */
    poll = TCPSERVER_POLLER_KIND_POLL,     /**< no descriptor limit, cost grows with all watched sockets */
    epoll = TCPSERVER_POLLER_KIND_EPOLL,   /**< cost grows with the ready sockets only */
    uring = TCPSERVER_POLLER_KIND_URING,   /**< io_uring: a loop round's changes and wait in one system call */
    automatic = TCPSERVER_POLLER_KIND_AUTO, /**< uring where the kernel allows it, else epoll */
};

/** "select", "poll", "epoll", "uring" or "auto". */
const char *to_string(Backend backend) noexcept;
/** The backend servers use unless their Options say otherwise: the build's choice
 *  (Kconfig's TCPSERVER_POLLER_x), or what set_default_backend() set. Thread safe. */
Backend default_backend() noexcept;
void set_default_backend(Backend backend) noexcept;

/** Which TCP/IP stack a server's sockets belong to. */
enum class StackKind
{
    kernel = TCPSERVER_STACK_KIND_KERNEL, /**< Linux's: loopback, the host's interfaces */
    lwip = TCPSERVER_STACK_KIND_LWIP,     /**< lwIP's, as on a board, through a TAP device */
};

/** "kernel" or "lwip". */
const char *to_string(StackKind stack) noexcept;
/** The stack servers use unless their Options say otherwise, and the one an application's
 *  own sockets go to through SAL: what set_default_stack() set, else TCPSERVER_STACK from the
 *  environment ("kernel" or "lwip"), else the build's (Kconfig). Thread safe. */
StackKind default_stack() noexcept;
void set_default_stack(StackKind stack) noexcept;

/**
 * Where lwIP attaches and what address it has. lwIP runs once per process: it starts when a
 * server first asks for it (with from_environment()) or at start_lwip(), and then stays.
 */
struct LwipSettings
{
    std::string tap = TCPSERVER_LWIP_TAP;         /**< an existing TAP device */
    std::string address = TCPSERVER_LWIP_IPADDR;  /**< lwIP's IPv4 address on it */
    std::string netmask = TCPSERVER_LWIP_NETMASK;
    std::string gateway = TCPSERVER_LWIP_GWADDR;
    /** lwIP's IPv6 address on it (a /64 on the link, beside a link-local one); "": none. */
    std::string address6 = TCPSERVER_LWIP_IP6ADDR;

    /** The build's settings (Kconfig), each replaced by the environment variable of the same
     *  name where it is set: TCPSERVER_LWIP_TAP, _IPADDR, _NETMASK, _GWADDR, _IP6ADDR. */
    static LwipSettings from_environment();
    bool operator==(const LwipSettings &) const = default;
};

/**
 * Starts lwIP with `settings` now. Errors: address_invalid, tap_unavailable (no such device,
 * or it is taken), permission_denied (attaching needs CAP_NET_ADMIN unless the device was
 * given to this user), stack_not_built; the log says what to do. Errc::busy if lwIP runs
 * already with other settings; ok if with the same. Thread safe.
 */
Errc start_lwip(const LwipSettings &settings);

/** One of lwIP's network interfaces, as ifconfig shows it. */
struct LwipInterface
{
    std::string name;   /**< lwIP's: "tp0" */
    std::string device; /**< the host device it runs over: "tap0" */
    std::string mac;
    unsigned mtu = 0;
    bool up = false;
    bool link_up = false;
    bool is_default = false;
    std::string address, netmask, gateway;
    std::vector<std::string> addresses6; /**< its IPv6 addresses in use */
};

/** lwIP's interfaces; none while lwIP has not started. Thread safe. */
std::vector<LwipInterface> lwip_interfaces();

/** A network interface of the kernel or of lwIP: its netdev (<netdev.h>) and what ifconfig
 *  shows beyond it. */
struct NetworkInterface
{
    std::string name; /**< the netdev's name: the kernel's "lo", lwIP's "tp0" */
    StackKind stack = StackKind::kernel;
    std::string device; /**< lwIP's: the host device it runs over */
    bool present = false;
    bool is_default = false; /**< netdev_default */
    bool up = false;
    bool link_up = false;
    bool internet_up = false; /**< netdev's INTERNET_UP: up, link up, a default gateway */
    unsigned host_flags = 0; /**< the kernel's IFF_x; 0 for lwIP's */
    unsigned mtu = 0;
    std::string mac;                     /**< "02 00 00 12 34 56" */
    std::vector<std::string> addresses;  /**< IPv4; the first is the netdev's ip_addr */
    std::vector<std::string> netmasks;   /**< one per IPv4 address */
    std::string gateway;                 /**< of the default route through it; "" none */
    std::vector<std::string> addresses6; /**< IPv6 addresses in use */
};

/** The netdev table, read afresh, in netdev_list's order (lwIP started if it is the default
 *  stack, as a socket call would). Thread safe. */
std::vector<NetworkInterface> network_interfaces();

using Duration = std::chrono::milliseconds;
/** Wait without limit. */
inline constexpr Duration kForever = Duration::max();
/** Do not wait: just look. */
inline constexpr Duration kNoWait = Duration::zero();

/** The outcome of recv or send: bytes moved, and why it stopped short (Errc::ok if it did not). */
struct IoResult
{
    std::size_t bytes = 0;
    Errc error = Errc::ok;
    explicit operator bool() const noexcept { return error == Errc::ok; }
};

/** A value or the error that prevented it. */
template <typename T> class Result
{
  public:
    Result(T value) : value_(std::move(value)) {}
    Result(Errc error) : error_(error) {}
    explicit operator bool() const noexcept { return value_.has_value(); }
    /** The value. Precondition: the result holds one. */
    T &value() & { return *value_; }
    T &&value() && { return std::move(*value_); }
    T *operator->() { return &*value_; }
    T &operator*() & { return *value_; }
    /** Errc::ok when the result holds a value. */
    Errc error() const noexcept { return error_; }

  private:
    std::optional<T> value_;
    Errc error_ = Errc::ok;
};

/**
 * A client connection. Copies share one connection; the handle stays safe to use from any
 * thread, also after the connection ended or the server stopped (calls then fail with the
 * reason). The connection ends at close(), when the peer leaves, or when the server stops.
 */
class Client
{
  public:
    Client() noexcept = default;
    /** True for a handle that refers to a connection. */
    explicit operator bool() const noexcept { return impl_ != nullptr; }

    /**
     * Waits up to `timeout` until at least one byte is there, then takes up to buffer.size().
     * Errors: timeout; end_of_stream, connection_reset, closed (after every byte that arrived
     * before); stopped. On the server's worker thread it never waits. Thread safe.
     */
    IoResult recv(std::span<std::byte> buffer, Duration timeout = kForever) const;
    IoResult recv(std::span<char> buffer, Duration timeout = kForever) const;

    /**
     * Sends all of `data` unless `timeout` expires or the connection ends; `bytes` says how
     * much went. On the worker thread it never waits: what the socket cannot take is queued,
     * up to Options::send_buffer_max. Never raises SIGPIPE. Works after the peer half-closed
     * (recv said end_of_stream): a client a user accepted stays open for its reply until
     * close(). Errors: timeout, peer_too_slow (Options::unsent_limit), connection_reset,
     * closed, idle_timeout, peer_unreachable, stopped. Thread safe.
     */
    IoResult send(std::span<const std::byte> data, Duration timeout = kForever) const;
    IoResult send(std::string_view data, Duration timeout = kForever) const;

    /**
     * Closes the connection: queued output is still flushed (for up to Options::close_linger),
     * then the peer sees end of stream; on_disconnect runs; blocked calls return Errc::closed.
     * Thread safe, idempotent, allowed in callbacks.
     */
    void close() const;

    /** False once the connection has ended for any reason. Thread safe. */
    bool is_open() const;
    /** The socket descriptor (for logging; do not read or write it directly). */
    int fd() const;
    /** A number unique to this connection within its server, counting from 1. */
    std::uint64_t id() const;
    /** The peer as "ip:port" ("[ip]:port" for IPv6). */
    const std::string &peer() const;

    friend bool operator==(const Client &a, const Client &b) noexcept { return a.impl_ == b.impl_; }

  private:
    friend struct detail::Access;
    explicit Client(std::shared_ptr<detail::Client> impl) noexcept : impl_(std::move(impl)) {}
    std::shared_ptr<detail::Client> impl_;
};

/** Callbacks, each run on the server's worker thread. They may use recv, send and close. */
struct Handlers
{
    std::function<void(Client &)> on_connect; /**< a client connected (once, first) */
    std::function<void(Client &)>
        on_recv; /**< unread data arrived; again after a call that read some */
    std::function<void(Client &)> on_disconnect; /**< the connection ended (once, last) */
};

/** How a server is set up. */
struct Options
{
    /** IPv4/IPv6 literal; "" or "0.0.0.0" any IPv4, "::" any. */
    std::string address{};
    /** 0 picks a free port. */
    std::uint16_t port = 0;
    /** Clients served at once; one more is accepted and closed. */
    std::size_t max_clients = TCPSERVER_CLI_NUM;
    /** listen() backlog. */
    int backlog = TCPSERVER_BACKLOG;
    /** Unread bytes kept per client before reading from it pauses. */
    std::size_t recv_buffer_max = TCPSERVER_RECV_BUFFER_MAX;
    /** Bytes callbacks may queue per client beyond what the socket takes. */
    std::size_t send_buffer_max = TCPSERVER_SEND_BUFFER_MAX;
    /** How long close() keeps flushing queued output. */
    Duration close_linger = Duration(2000);
    /** A client with no byte moved either way for this long is closed (Errc::idle_timeout);
     *  zero, the default, never closes an idle client. */
    Duration idle_timeout = Duration::zero();
    /** TCP keepalive on every client: the first probe after keepalive_idle without traffic,
     *  then one every keepalive_interval; after keepalive_count unanswered probes the
     *  connection ends with Errc::peer_unreachable. Zero idle, the default, leaves keepalive
     *  off; a zero interval or count keeps the system's value. */
    std::chrono::seconds keepalive_idle{0};
    std::chrono::seconds keepalive_interval{0};
    int keepalive_count = 0;
    /** A client whose unsent output (queued here plus the kernel's send queue) would pass this
     *  many bytes is disconnected with Errc::peer_too_slow; zero, the default, never: sends
     *  time out or return short instead. */
    std::size_t unsent_limit = 0;
    /** TCP_NODELAY on every client. */
    bool no_delay = true;
    /** Worker thread name (15 characters are kept). */
    std::string name = TCPSERVER_NAME;
    /** Worker stack in bytes; at least 256 KiB are given. */
    std::size_t stack_size = TCPSERVER_STACK_SIZE;
    /** RT-Thread priority 0..31 (lower is more urgent); the worker's nice value is priority - 12.
     */
    int priority = TCPSERVER_PRIO;
    /** The poller backend; empty for default_backend(). lwIP has one poller of its own, over
     *  lwip_poll(), which replaces this choice. */
    std::optional<Backend> backend{};
    /** The TCP/IP stack; empty for default_stack(). */
    std::optional<StackKind> stack{};
    /** Installed before the first connection. */
    Handlers handlers{};
};

/** Counters of a server. */
struct Stats
{
    std::size_t clients = 0;
    std::uint64_t accepted = 0;
    std::uint64_t refused = 0;
    std::uint64_t aborted = 0; /**< reset by their peer before they were taken */
    std::uint64_t bytes_received = 0;
    std::uint64_t bytes_sent = 0;
    const char *stack = "";  /**< "kernel" or "lwip" */
    const char *poller = ""; /**< "select", "poll", "epoll", "uring" or "lwip_poll" */
};

/**
 * A listening server with its worker thread. Movable, not copyable; destroying or stop()ping
 * it wakes every blocked call, closes every client and joins the worker.
 */
class Server
{
  public:
    /** Binds, listens and starts the worker. Errors: address_invalid, address_in_use, ... */
    static Result<Server> start(Options options);

    Server(Server &&other) noexcept;
    Server &operator=(Server &&other) noexcept;
    Server(const Server &) = delete;
    Server &operator=(const Server &) = delete;
    ~Server();

    /**
     * Takes the next connected client in arrival order, waiting up to `timeout`; each client
     * is handed out once. Errors: timeout, stopped. Never waits on the worker thread. Thread safe.
     */
    Result<Client> accept(Duration timeout = kForever) const;

    /** Replaces the callbacks; events dispatched after it returns use the new ones. Thread safe. */
    void set_handlers(Handlers handlers) const;

    /**
     * Stops the server as the destructor does: every blocked call returns, every client is
     * closed, the worker is joined. From one of the server's own handlers (stop(), the
     * destructor, a move-assignment or reset() of the Server there) it cannot wait for its own
     * worker: it stops accepting at once, closes every client once the handler has returned,
     * and the worker ends by itself, freeing the server last. Returns Errc::ok. Thread safe,
     * idempotent.
     */
    Errc stop();

    /** The bound address as text ("127.0.0.1", "::"). */
    const std::string &address() const;
    /** The bound port (the real one when 0 was asked for). */
    std::uint16_t port() const;
    /** The listening socket. */
    int listen_fd() const;
    /** The server's counters. Thread safe. */
    Stats stats() const;

  private:
    friend struct detail::Access;
    explicit Server(std::shared_ptr<detail::Server> impl) noexcept : impl_(std::move(impl)) {}
    std::shared_ptr<detail::Server> impl_;
};

} // namespace tcp_server

template <> struct std::is_error_code_enum<tcp_server::Errc> : std::true_type
{
};

#endif
