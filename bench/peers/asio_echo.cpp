// A standalone Asio echo server: async_read_some / async_write per session on one
// io_context thread, as Asio's own echo example is written. Usage: asio_echo [port]
// SPDX-License-Identifier: Apache-2.0
#include "peer_main.h"

#include <asio.hpp>

#include <array>
#include <memory>

namespace
{

class Session : public std::enable_shared_from_this<Session>
{
  public:
    explicit Session(asio::ip::tcp::socket socket) : socket_(std::move(socket)) {}
    void start() { read(); }

  private:
    void read()
    {
        socket_.async_read_some(asio::buffer(data_), [self = shared_from_this()](std::error_code error, std::size_t n) {
            if (!error)
                self->write(n);
        });
    }
    void write(std::size_t n)
    {
        asio::async_write(socket_, asio::buffer(data_, n), [self = shared_from_this()](std::error_code error, std::size_t) {
            if (!error)
                self->read();
        });
    }
    asio::ip::tcp::socket socket_;
    std::array<char, 65536> data_;
};

void accept(asio::ip::tcp::acceptor &acceptor)
{
    acceptor.async_accept([&acceptor](std::error_code error, asio::ip::tcp::socket socket) {
        if (!error)
        {
            socket.set_option(asio::ip::tcp::no_delay(true));
            std::make_shared<Session>(std::move(socket))->start();
        }
        accept(acceptor);
    });
}

} // namespace

int main(int argc, char **argv)
{
    asio::io_context context(1);
    asio::ip::tcp::acceptor acceptor(
        context, {asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(peer_port(argc, argv))});
    asio::signal_set signals(context, SIGINT, SIGTERM);
    signals.async_wait([&context](std::error_code, int) { context.stop(); });
    accept(acceptor);
    peer_announce("asio", acceptor.local_endpoint().port());
    context.run();
    return 0;
}
