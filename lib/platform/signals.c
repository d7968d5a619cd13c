/*  signals.c: stop signals as a file descriptor. See signals.h. */
#include "signals.h"

#include <signal.h>
#include <sys/signalfd.h>

#include "log.h"

int signals_open(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    if (sigprocmask(SIG_BLOCK, &set, NULL) != 0) {
        log_error("cannot block SIGTERM and SIGINT");
        return -1;
    }
    signal(SIGPIPE, SIG_IGN);
    int fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    if (fd < 0)
        log_error("cannot create a signalfd");
    return fd;
}
