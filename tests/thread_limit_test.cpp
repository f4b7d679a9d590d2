// When no thread can be started (here RLIMIT_NPROC, in a child process running as an
// unprivileged user), tcpserver_create says so: -RT_EFULL and a message that names threads,
// not the "timed out" that pthread_create's EAGAIN used to become.
// SPDX-License-Identifier: Apache-2.0
#include <tcpserver.h>

#include <gtest/gtest.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

namespace
{

constexpr uid_t kNobody = 65534;

// In the child: 0 if create failed as it should, else a code saying what went wrong.
int create_without_threads()
{
    rlimit none{1, 1};
    if (setgid(kNobody) != 0 || setuid(kNobody) != 0 || setrlimit(RLIMIT_NPROC, &none) != 0)
        return 10;
    struct tcpserver *server = tcpserver_create("127.0.0.1", 0);
    if (server)
        return 11;
    if (rt_get_errno() != -RT_EFULL)
        return 12;
    if (!std::strstr(tcpserver_strerror(), "thread"))
        return 13;
    return 0;
}

} // namespace

TEST(ThreadLimit, CreateSaysNoThreadCanStart)
{
    if (geteuid() != 0)
        GTEST_SKIP() << "needs root, to become an unprivileged user whose thread limit counts";
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0)
        _exit(create_without_threads());
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "10: could not drop privileges, 11: created anyway, "
                                         "12: wrong code, 13: message names no thread";
}
