// Waiting on conditions with deadlines, and reading what threads cost.
// SPDX-License-Identifier: Apache-2.0
#include "conditions.h"

#include "server_socket.h"

#include <dirent.h>
#include <unistd.h>

#include <ctime>
#include <fstream>
#include <thread>

namespace test_support
{

bool eventually(const std::function<bool()> &condition, std::chrono::milliseconds limit)
{
    auto deadline = std::chrono::steady_clock::now() + limit;
    auto pause = std::chrono::microseconds(100);
    while (!condition())
    {
        if (std::chrono::steady_clock::now() >= deadline)
            return condition();
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::microseconds(5000));
    }
    return true;
}

int current_thread()
{
    return static_cast<int>(gettid());
}

bool blocked_soon(int tid, std::chrono::milliseconds limit)
{
    return eventually(
        [tid] {
            std::ifstream stat("/proc/self/task/" + std::to_string(tid) + "/stat");
            std::string text((std::istreambuf_iterator<char>(stat)),
                             std::istreambuf_iterator<char>());
            std::size_t name_end = text.rfind(')');
            return name_end != std::string::npos && text.size() > name_end + 2 &&
                   text[name_end + 2] == 'S';
        },
        limit);
}

int find_thread(const std::string &name)
{
    DIR *tasks = opendir("/proc/self/task");
    if (!tasks)
        return -1;
    int found = -1;
    while (dirent *entry = readdir(tasks))
    {
        if (entry->d_name[0] == '.')
            continue;
        std::ifstream comm(std::string("/proc/self/task/") + entry->d_name + "/comm");
        std::string line;
        if (std::getline(comm, line) && line == name)
        {
            found = std::stoi(entry->d_name);
            break;
        }
    }
    closedir(tasks);
    return found;
}

std::chrono::microseconds thread_cpu_time(int tid)
{
    // The thread's own CPU clock (the kernel's MAKE_THREAD_CPUCLOCK(tid, CPUCLOCK_SCHED)):
    // nanosecond resolution, unlike stat's ticks, and no descriptor needed, so it still
    // works in a test that has used them all up.
    auto clock = static_cast<clockid_t>((~static_cast<unsigned>(tid) << 3) | 6);
    timespec now{};
    if (clock_gettime(clock, &now) != 0)
        return std::chrono::microseconds(0);
    return std::chrono::microseconds(now.tv_sec * 1000000LL + now.tv_nsec / 1000);
}

long thread_wakeups(int tid)
{
    std::ifstream status("/proc/self/task/" + std::to_string(tid) + "/status");
    std::string line;
    long total = 0;
    while (std::getline(status, line))
    {
        if (line.rfind("voluntary_ctxt_switches:", 0) == 0 ||
            line.rfind("nonvoluntary_ctxt_switches:", 0) == 0)
            total += std::stol(line.substr(line.find(':') + 1));
    }
    return total;
}

int open_descriptor_count()
{
    DIR *fds = opendir("/proc/self/fd");
    int count = 0;
    while (dirent *entry = readdir(fds))
        count += entry->d_name[0] != '.';
    closedir(fds);
    return count - 1 + lwip_open_socket_count(); // less the directory stream itself
}

} // namespace test_support
