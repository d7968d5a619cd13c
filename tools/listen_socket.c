/*  listen_socket: opens the gateways' one listening socket and runs a command that
 *  inherits it.
 *
 *      listen_socket FD COMMAND [ARG...]
 *
 *  Listens on GATEWAY_BIND and GATEWAY_PORT exactly as a gateway would (same
 *  defaults: 127.0.0.1 in development, every interface otherwise; port 8000), puts
 *  the socket on descriptor FD (without close-on-exec), sets GATEWAY_LISTEN_FD=FD
 *  and replaces itself with COMMAND. COMMAND (scripts/gateways: N supervised
 *  gateways) and everything it starts inherit the socket, so the accept queue lives
 *  as long as COMMAND does, whatever happens to any one gateway. Exits 2 when the
 *  configuration is invalid, 1 when the socket cannot be made or COMMAND run.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "listen_socket.h"
#include "log.h"

int main(int argc, char **argv)
{
    log_init("listen_socket");
    char *end = NULL;
    long target = argc >= 3 ? strtol(argv[1], &end, 10) : -1;
    if (argc < 3 || !end || *end || target < 3 || target > 1000) {
        fprintf(stderr, "usage: listen_socket FD(3-1000) COMMAND [ARG...]\n");
        return 2;
    }
    long port;
    if (config_int("GATEWAY_PORT", 8000, 1, 65535, &port) != 0)
        return 2;
    const char *bind_to = config_str("GATEWAY_BIND",
                                     config_is_development() ? "127.0.0.1" : NULL);
    int fd = listen_socket_open(bind_to, (int) port, false, false, false);
    if (fd < 0)
        return 1;
    if (fd != target) {
        if (dup2(fd, (int) target) < 0) {
            log_error("dup2: %s", strerror(errno));
            return 1;
        }
        close(fd);
    }
    char value[16];
    snprintf(value, sizeof value, "%ld", target);
    if (setenv("GATEWAY_LISTEN_FD", value, 1) != 0) {
        log_error("setenv: %s", strerror(errno));
        return 1;
    }
    execvp(argv[2], argv + 2);
    log_error("cannot run %s: %s", argv[2], strerror(errno));
    return 1;
}
