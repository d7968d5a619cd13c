/*  signals.c: stop signals as a file descriptor. See signals.h. */
#include "signals.h"

#include <czmq.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "log.h"

int signals_open(void)
{
    /* Before czmq initializes, so it never installs its own handlers. */
    zsys_handler_set(NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    if (pthread_sigmask(SIG_BLOCK, &set, NULL) != 0) {
        log_error("cannot block SIGTERM and SIGINT");
        return -1;
    }
    signal(SIGPIPE, SIG_IGN);
    int fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    if (fd < 0)
        log_error("cannot create a signalfd");
    return fd;
}

int signals_wait(int fd)
{
    for (;;) {
        struct signalfd_siginfo info;
        ssize_t n = read(fd, &info, sizeof info);
        if (n == (ssize_t) sizeof info)
            return (int) info.ssi_signo;
        if (n < 0 && errno != EAGAIN && errno != EINTR)
            break;
        struct pollfd pfd = { fd, POLLIN, 0 };
        if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
            break;
    }
    log_error("cannot read stop signals");
    return -1;
}
