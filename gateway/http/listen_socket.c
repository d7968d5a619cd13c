/*  listen_socket.c: the listening socket, made or inherited. See listen_socket.h. */
#include "listen_socket.h"

#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"

/* Resolves bind (an address, or an interface's first address, IPv4 first) and port
 * into *sa. Returns 0, or -1 when it names nothing. */
static int resolve_bind(const char *bind, int port, struct sockaddr_storage *sa,
                        socklen_t *sa_len)
{
    char service[16];
    snprintf(service, sizeof service, "%d", port);
    struct addrinfo hints, *found = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV;
    if (getaddrinfo(bind, service, &hints, &found) == 0) {
        memcpy(sa, found->ai_addr, found->ai_addrlen);
        *sa_len = found->ai_addrlen;
        freeaddrinfo(found);
        return 0;
    }
    struct ifaddrs *list = NULL;
    if (getifaddrs(&list) != 0)
        return -1;
    int rc = -1;
    for (int family = AF_INET; rc != 0; family = AF_INET6) {
        for (struct ifaddrs *i = list; i && rc != 0; i = i->ifa_next)
            if (i->ifa_addr && i->ifa_addr->sa_family == family && strcmp(i->ifa_name, bind) == 0) {
                *sa_len = family == AF_INET ? sizeof(struct sockaddr_in)
                                            : sizeof(struct sockaddr_in6);
                memcpy(sa, i->ifa_addr, *sa_len);
                rc = 0;
            }
        if (family == AF_INET6)
            break;
    }
    freeifaddrs(list);
    if (rc == 0) {
        if (sa->ss_family == AF_INET)
            ((struct sockaddr_in *) sa)->sin_port = htons((uint16_t) port);
        else
            ((struct sockaddr_in6 *) sa)->sin6_port = htons((uint16_t) port);
    }
    return rc;
}

/* The wildcard address: IPv6 (IPv4-mapped too) when the kernel has it, else IPv4. */
static void any_address(int port, struct sockaddr_storage *sa, socklen_t *sa_len)
{
    memset(sa, 0, sizeof *sa);
    int probe = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (probe >= 0) {
        close(probe);
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *) sa;
        in6->sin6_family = AF_INET6;
        in6->sin6_addr = in6addr_any;
        in6->sin6_port = htons((uint16_t) port);
        *sa_len = sizeof *in6;
    } else {
        struct sockaddr_in *in4 = (struct sockaddr_in *) sa;
        in4->sin_family = AF_INET;
        in4->sin_addr.s_addr = htonl(INADDR_ANY);
        in4->sin_port = htons((uint16_t) port);
        *sa_len = sizeof *in4;
    }
}

int listen_socket_open(const char *bind_to, int port, bool reuseport, bool cloexec, bool nonblock)
{
    struct sockaddr_storage sa;
    socklen_t sa_len = 0;
    if (!bind_to)
        any_address(port, &sa, &sa_len);
    else if (resolve_bind(bind_to, port, &sa, &sa_len) != 0) {
        log_error("GATEWAY_BIND is neither an address nor an interface with one");
        return -1;
    }
    int type = SOCK_STREAM | (cloexec ? SOCK_CLOEXEC : 0) | (nonblock ? SOCK_NONBLOCK : 0);
    int fd = socket(sa.ss_family, type, 0);
    if (fd < 0) {
        log_error("cannot listen on port %d: %s", port, strerror(errno));
        return -1;
    }
    int one = 1, zero = 0;
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0
        || (reuseport && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0)
        || (sa.ss_family == AF_INET6
            && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero) != 0)
        || bind(fd, (const struct sockaddr *) &sa, sa_len) != 0
        || listen(fd, LISTEN_SOCKET_BACKLOG) != 0) {
        log_error("cannot listen on port %d: %s", port, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

int listen_socket_inherit(int fd, int port)
{
    int listening = 0, type = 0;
    socklen_t len = sizeof listening, type_len = sizeof type;
    struct sockaddr_storage sa;
    socklen_t sa_len = sizeof sa;
    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0
        || getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &type_len) != 0
        || getsockname(fd, (struct sockaddr *) &sa, &sa_len) != 0) {
        log_error("GATEWAY_LISTEN_FD %d is not a socket: %s", fd, strerror(errno));
        return -1;
    }
    int bound = sa.ss_family == AF_INET ? ntohs(((struct sockaddr_in *) &sa)->sin_port)
              : sa.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *) &sa)->sin6_port)
              : -1;
    if (!listening || type != SOCK_STREAM || bound < 0) {
        log_error("GATEWAY_LISTEN_FD %d is not a listening TCP socket", fd);
        return -1;
    }
    /* The port is the operator's statement of where this gateway serves: a socket on
     * another port is a wiring mistake, refused rather than served. */
    if (bound != port) {
        log_error("GATEWAY_LISTEN_FD %d listens on port %d, not GATEWAY_PORT %d", fd, bound,
                  port);
        return -1;
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0
        || fcntl(fd, F_SETFD, FD_CLOEXEC) != 0) {
        log_error("GATEWAY_LISTEN_FD %d: %s", fd, strerror(errno));
        return -1;
    }
    return 0;
}
