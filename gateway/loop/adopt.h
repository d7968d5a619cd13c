/*  adopt.h: handing file descriptors to the lws event loop, with one ownership rule.
 *
 *  The rule, for both functions: the descriptor belongs to lws from the call on.
 *  On success lws closes it when the wsi closes; on failure it has been closed
 *  before the function returns. The caller never closes it afterwards.
 *
 *  Why that is true, read in libwebsockets 4.1.6 (lib/core-net/adopt.c), whose two
 *  adoption steps fail differently:
 *
 *  Raw file descriptors (LWS_ADOPT_RAW_FILE_DESC), adopt_raw_fd():
 *    - lws_adopt_descriptor_vhost1() (a wsi, its protocol by name, its user space, a
 *      role) fails at `bail:` (adopt.c:206-222): the wsi is freed, the fd is not
 *      touched; lws_adopt_descriptor_vhost_via_info() then closes the fd only
 *      `if (info->type & LWS_ADOPT_SOCKET)` (adopt.c:501-504). So lws never closes
 *      a raw file it failed to adopt here, and adopt_raw_fd() closes it.
 *    - lws_adopt_descriptor_vhost2() fails at `fail:` (adopt.c:441-445), which also
 *      acts only `if (type & LWS_ADOPT_SOCKET)`: for a raw file the half-made wsi is
 *      left on the vhost's awaiting-socket list holding the fd (desc is set at
 *      adopt.c:345), and __lws_vhost_destroy2() (vhost.c:1113-1121, built in
 *      Debian's package: LWS_WITH_CLIENT) closes it and sends RAW_CLOSE_FILE at
 *      context destruction: closing it here too would be a double close. That step
 *      cannot fail for our descriptors, which is why one rule holds: O_NONBLOCK on a
 *      valid fd does not fail (adopt.c:338); __insert_wsi_socket_into_fds() refuses
 *      only a full table or an fd >= max_fds (pollfd.c:279-292), and with one
 *      service thread both limits are the RLIMIT_NOFILE read at context creation
 *      (context.c:713, 812): the table is full only when it holds every descriptor
 *      the process may have, and then there is no new one to adopt; the last
 *      failure, the protocol's LWS_CALLBACK_RAW_ADOPT_FILE returning non-zero
 *      (adopt.c:406-408), is excluded by the precondition below.
 *    Precondition: the protocol's callback returns 0 for LWS_CALLBACK_RAW_ADOPT_FILE.
 *
 *  TCP sockets for the HTTP server, adopt_http_socket() (lws_adopt_socket_vhost(),
 *  adopt.c:521-528, LWS_ADOPT_SOCKET | LWS_ADOPT_HTTP): lws closes the socket on
 *  every failure itself: the peer limit (adopt.c:492; not built in Debian's
 *  package), step 1 (adopt.c:502-503) and step 2 through lws_close_free_wsi()
 *  (adopt.c:442-444, closing desc at close.c:700). The one hole, O_NONBLOCK failing
 *  before desc is set (adopt.c:330), cannot happen on a valid socket. So the caller
 *  must never close it either.
 */
#ifndef ADOPT_H_INCLUDED
#define ADOPT_H_INCLUDED

#include <libwebsockets.h>

/*  Adopts fd into vhost's event loop as a raw file served by `protocol` (a name in
 *  the vhost's protocol list), with `opaque` as its lws_get_opaque_user_data().
 *  Takes fd in every case (see above). Returns the wsi, or NULL (logged at debug
 *  level; fd closed) on failure. */
struct lws *adopt_raw_fd(struct lws_vhost *vhost, int fd, const char *protocol,
                         void *opaque);
/*  Hands an accepted TCP connection to vhost's HTTP server. Takes fd in every case:
 *  lws closes it when adoption fails. Returns the wsi, or NULL. */
struct lws *adopt_http_socket(struct lws_vhost *vhost, int fd);

#endif
