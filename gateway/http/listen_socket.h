/*  listen_socket.h: the gateway's listening TCP socket, made here or inherited.
 *
 *  Several gateway processes serve one port by sharing one listening socket: a
 *  parent (tools/listen_socket, run by scripts/run and the compose entry point)
 *  opens it once and every gateway inherits it as GATEWAY_LISTEN_FD. The kernel
 *  then keeps one accept queue for them all: a gateway that is out of descriptors
 *  simply stops accepting and the others take its connections, and connections
 *  waiting in the queue outlive any one gateway (docs/architecture.md, "Many
 *  gateways on one port", for the measurements against SO_REUSEPORT).
 */
#ifndef LISTEN_SOCKET_H_INCLUDED
#define LISTEN_SOCKET_H_INCLUDED

#include <stdbool.h>

/* Pending connections on the listening socket. */
#define LISTEN_SOCKET_BACKLOG SOMAXCONN

/* Opens a listening socket on bind (an address, IPv4 or IPv6, or an interface name;
 * NULL: the IPv6 wildcard that also takes IPv4, or IPv4's when there is no IPv6)
 * and port, with SO_REUSEADDR, and SO_REUSEPORT when reuseport is set. cloexec and
 * nonblock choose the descriptor's flags (a socket made to be inherited needs
 * neither). Returns the fd, or -1 (logged). */
int listen_socket_open(const char *bind, int port, bool reuseport, bool cloexec, bool nonblock);

/* Checks that fd, inherited from a parent, is a listening TCP socket on port, and
 * makes it non-blocking (a flag shared with every process holding it; all of them
 * are gateways accepting without blocking) and close-on-exec here. Returns 0, or -1
 * (logged). */
int listen_socket_inherit(int fd, int port);

#endif
