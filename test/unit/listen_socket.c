/*  Unit tests of listen_socket.c: an inherited descriptor is served only when it is
 *  a listening TCP socket on GATEWAY_PORT; SO_REUSEPORT is set only when asked. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "listen_socket.h"

/* The port fd is bound to. */
static int port_of(int fd)
{
    struct sockaddr_in sa;
    socklen_t len = sizeof sa;
    cr_assert_eq(getsockname(fd, (struct sockaddr *) &sa, &len), 0);
    return ntohs(sa.sin_port);
}

/* A listening socket made for inheritance (no close-on-exec, blocking), on any port. */
static int inheritable(int *port)
{
    int fd = listen_socket_open("127.0.0.1", 0, false, false, false);
    cr_assert_geq(fd, 0);
    *port = port_of(fd);
    return fd;
}

Test(listen_socket, an_inherited_listener_on_its_port_is_taken_non_blocking)
{
    int port;
    int fd = inheritable(&port);
    cr_assert_eq(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0);
    cr_assert_eq(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
    cr_assert_eq(listen_socket_inherit(fd, port), 0);
    cr_assert_neq(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
    cr_assert_neq(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0);
    close(fd);
}

Test(listen_socket, a_listener_on_another_port_is_refused)
{
    int port;
    int fd = inheritable(&port);
    cr_assert_eq(listen_socket_inherit(fd, port == 65535 ? 1 : port + 1), -1);
    close(fd);
}

Test(listen_socket, what_is_not_a_listening_tcp_socket_is_refused)
{
    int pipe_fds[2];
    cr_assert_eq(pipe(pipe_fds), 0);
    cr_assert_eq(listen_socket_inherit(pipe_fds[0], 8000), -1);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    int unbound = socket(AF_INET, SOCK_STREAM, 0);
    cr_assert_eq(listen_socket_inherit(unbound, 0), -1);
    close(unbound);
    int udp = socket(AF_INET, SOCK_DGRAM, 0);
    cr_assert_eq(listen_socket_inherit(udp, 0), -1);
    close(udp);
    cr_assert_eq(listen_socket_inherit(1000, 8000), -1);   /* not open */
}

Test(listen_socket, reuseport_only_when_asked)
{
    int with = listen_socket_open("127.0.0.1", 0, true, true, true);
    int without = listen_socket_open("127.0.0.1", 0, false, true, true);
    cr_assert(with >= 0 && without >= 0);
    int on = -1;
    socklen_t len = sizeof on;
    cr_assert_eq(getsockopt(with, SOL_SOCKET, SO_REUSEPORT, &on, &len), 0);
    cr_assert_eq(on, 1);
    cr_assert_eq(getsockopt(without, SOL_SOCKET, SO_REUSEPORT, &on, &len), 0);
    cr_assert_eq(on, 0);
    /* A second socket joins the first's port only when both asked for it. */
    int joined = listen_socket_open("127.0.0.1", port_of(with), true, true, true);
    cr_assert_geq(joined, 0);
    cr_assert_eq(listen_socket_open("127.0.0.1", port_of(without), true, true, true), -1);
    close(joined);
    close(with);
    close(without);
}
