// The msh program as a test drives it.
// SPDX-License-Identifier: Apache-2.0
#include "child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace test_support
{

namespace
{
using Clock = std::chrono::steady_clock;

[[noreturn]] void exec_program(const std::string &program,
                               const std::vector<std::string> &arguments, const std::string &home)
{
    setenv("HOME", home.c_str(), 1);
    setenv("TERM", "dumb", 1);
    unsetenv("MSH_HISTORY");
    std::vector<char *> argv;
    argv.push_back(const_cast<char *>(program.c_str()));
    for (const std::string &argument : arguments)
        argv.push_back(const_cast<char *>(argument.c_str()));
    argv.push_back(nullptr);
    execv(program.c_str(), argv.data());
    _exit(127);
}
} // namespace

ChildProcess::ChildProcess(const std::vector<std::string> &arguments, bool terminal,
                           const std::string &home)
    : ChildProcess(MSH_PATH, arguments, terminal, home)
{
}

ChildProcess::ChildProcess(const std::string &program, const std::vector<std::string> &arguments,
                           bool terminal, const std::string &given_home)
    : owned_home_(given_home.empty() ? scratch_home() : "")
{
    const std::string &home = given_home.empty() ? owned_home_ : given_home;
    if (terminal)
    {
        int master = -1;
        winsize size{40, 120, 0, 0};
        pid_ = forkpty(&master, nullptr, nullptr, &size);
        if (pid_ == 0)
            exec_program(program, arguments, home);
        input_ = output_ = master;
        return;
    }
    int to_shell[2], from_shell[2];
    if (pipe2(to_shell, O_CLOEXEC) != 0 || pipe2(from_shell, O_CLOEXEC) != 0)
        return;
    pid_ = fork();
    if (pid_ == 0)
    {
        dup2(to_shell[0], STDIN_FILENO);
        dup2(from_shell[1], STDOUT_FILENO);
        dup2(from_shell[1], STDERR_FILENO);
        exec_program(program, arguments, home);
    }
    ::close(to_shell[0]);
    ::close(from_shell[1]);
    input_ = to_shell[1];
    output_ = from_shell[0];
}

ChildProcess::~ChildProcess()
{
    if (pid_ > 0 && wait_exit(std::chrono::milliseconds(0)) == -1)
    {
        ::kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
    }
    if (input_ >= 0 && input_ != output_)
        ::close(input_);
    if (output_ >= 0)
        ::close(output_);
    if (!owned_home_.empty())
        remove_scratch(owned_home_);
}

void ChildProcess::type(const std::string &keys)
{
    std::size_t written = 0;
    while (written < keys.size())
    {
        ssize_t n = ::write(input_, keys.data() + written, keys.size() - written);
        if (n <= 0 && errno != EINTR)
            return;
        if (n > 0)
            written += static_cast<std::size_t>(n);
    }
}

void ChildProcess::signal(int signal_number)
{
    if (pid_ > 0)
        ::kill(pid_, signal_number);
}

void ChildProcess::close_input()
{
    if (input_ != output_)
    {
        ::close(input_);
        input_ = -1;
    }
}

bool ChildProcess::read_some(std::chrono::milliseconds limit)
{
    pollfd entry{output_, POLLIN, 0};
    if (::poll(&entry, 1, static_cast<int>(limit.count())) <= 0)
        return false;
    char chunk[4096];
    ssize_t n = ::read(output_, chunk, sizeof chunk);
    if (n <= 0)
        return false; // end of output (EIO on a terminal whose shell has gone)
    transcript_.append(chunk, static_cast<std::size_t>(n));
    return true;
}

bool ChildProcess::expect(const std::string &text, std::chrono::milliseconds limit)
{
    auto deadline = Clock::now() + limit;
    for (;;)
    {
        std::size_t found = transcript_.find(text, consumed_);
        if (found != std::string::npos)
        {
            consumed_ = found + text.size();
            return true;
        }
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0 || !read_some(left))
            return transcript_.find(text, consumed_) != std::string::npos;
    }
}

int ChildProcess::wait_exit(std::chrono::milliseconds limit)
{
    auto deadline = Clock::now() + limit;
    for (;;)
    {
        int status;
        pid_t done = waitpid(pid_, &status, WNOHANG);
        if (done == pid_)
        {
            pid_ = -1;
            while (read_some(std::chrono::milliseconds(2000))) // what it printed before leaving
            {
            }
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
        if (done < 0)
            return -1;
        // Keep reading meanwhile: a shell blocked on a full output pipe would never exit.
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0)
            return -1;
        if (!read_some(std::min(left, std::chrono::milliseconds(20))))
            continue;
    }
}

std::string scratch_home()
{
    char path[] = "/tmp/msh-home-XXXXXX";
    if (!mkdtemp(path))
        std::abort(); // /tmp unusable: no shell test can run
    return path;
}

void remove_scratch(const std::string &path)
{
    std::string remove = "rm -rf '" + path + "'";
    [[maybe_unused]] int ignored = std::system(remove.c_str());
}

Finished run_shell(const std::vector<std::string> &arguments, const std::string &input)
{
    ChildProcess shell(arguments, false);
    shell.type(input);
    shell.close_input();
    int status = shell.wait_exit(std::chrono::milliseconds(30000));
    return {status, shell.transcript()};
}

unsigned port_after(const std::string &text, const std::string &marker)
{
    std::size_t at = text.find(marker);
    if (at == std::string::npos)
        return 0;
    std::size_t port = text.find("port ", at);
    if (port == std::string::npos)
        return 0;
    return static_cast<unsigned>(std::strtoul(text.c_str() + port + 5, nullptr, 10));
}

unsigned started_port(const std::string &text)
{
    return port_after(text, "tcpserver started on ");
}

} // namespace test_support
