// A program under test (msh, a sample) as a test drives it: through pipes, with -c, or in a
// pseudo-terminal.
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace test_support
{

/** A running program whose output the test reads and whose input it writes. */
class ChildProcess
{
  public:
    /**
     * Starts msh with `arguments`, on pipes, or on a pseudo-terminal when `terminal`. Its HOME
     * (where history is kept) is `home`, or a scratch directory removed afterwards.
     */
    ChildProcess(const std::vector<std::string> &arguments, bool terminal,
                 const std::string &home = "");
    /** Starts `program` the same way. */
    ChildProcess(const std::string &program, const std::vector<std::string> &arguments,
                 bool terminal, const std::string &home = "");
    ~ChildProcess();
    ChildProcess(const ChildProcess &) = delete;
    ChildProcess &operator=(const ChildProcess &) = delete;

    /** Writes to the shell's input as if typed. */
    void type(const std::string &keys);
    /** Closes the shell's input (end of file), for pipes. */
    void close_input();
    /**
     * Reads output until `text` appears after what earlier expects consumed, or `limit`
     * passes; returns whether it appeared. Everything read stays in transcript().
     */
    bool expect(const std::string &text,
                std::chrono::milliseconds limit = std::chrono::milliseconds(10000));
    /** Sends `signal_number` to the program. */
    void signal(int signal_number);
    /** Waits for the shell to exit; its exit status, or -1 if it did not within limit. */
    int wait_exit(std::chrono::milliseconds limit = std::chrono::milliseconds(10000));
    const std::string &transcript() const { return transcript_; }
    int pid() const { return pid_; }

  private:
    bool read_some(std::chrono::milliseconds limit);
    int pid_ = -1;
    int input_ = -1;
    int output_ = -1;
    std::string transcript_;
    std::size_t consumed_ = 0;
    std::string owned_home_;
};

/** Runs msh to the end with `arguments` and `input` on its standard input. */
struct Finished
{
    int status;
    std::string output;
};
Finished run_shell(const std::vector<std::string> &arguments, const std::string &input = "");

/** A new empty directory under /tmp, for a shell's HOME (its history file). */
std::string scratch_home();
/** Removes a directory made by scratch_home(). */
void remove_scratch(const std::string &path);

/** The port in a "tcpserver started on IP port N" line of `text`, or 0. */
unsigned started_port(const std::string &text);
/** The number after the first "port " in `text`, or 0. */
unsigned port_after(const std::string &text, const std::string &marker = "port ");

} // namespace test_support
