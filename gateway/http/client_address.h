/*  client_address.h: who the client is, for throttling and logs.
 *
 *  The client address is the TCP peer's, unless the peer is one of the deployment's
 *  reverse proxies (TRUSTED_PROXIES: addresses or networks in CIDR form, IPv4 or
 *  IPv6, comma-separated). Then it is the last hop of X-Forwarded-For that is not a
 *  trusted proxy itself: proxies append the address they received from, so walking
 *  the list from its right end past our own proxies finds the first address nobody
 *  we trust vouched for. Anything a client wrote further left is ignored (it could
 *  be forged). An unparsable hop ends the walk: the last trusted hop is used, since
 *  nothing beyond it can be believed. IPv4-mapped IPv6 addresses (the gateway's
 *  dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d) are written as IPv4.
 */
#ifndef CLIENT_ADDRESS_H_INCLUDED
#define CLIENT_ADDRESS_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

/* Most trusted proxy networks. */
#define CLIENT_ADDRESS_PROXIES_MAX 32
/* Room for any address in text (INET6_ADDRSTRLEN). */
#define CLIENT_ADDRESS_MAX 46

/* One network: address and prefix length, IPv6 form (IPv4 as ::ffff:0:0/96). */
typedef struct {
    unsigned char addr[16];     /* network address, IPv4 mapped into IPv6 */
    int prefix;                 /* leading bits that must match (0..128) */
} client_network_t;

/* The trusted reverse proxies. */
typedef struct {
    client_network_t networks[CLIENT_ADDRESS_PROXIES_MAX]; /* the networks */
    size_t count;                                         /* how many are set */
} client_proxies_t;

/*  Parses TRUSTED_PROXIES ("10.0.0.0/8, ::1, 192.168.1.7") into *proxies. An empty
 *  or NULL list trusts nobody. Returns 0, or -1 when an entry is not an address or
 *  network, or there are too many (nothing is guessed: the caller refuses to start). */
int client_proxies_parse(const char *list, client_proxies_t *proxies);

/*  Writes the client's address as text into out (CLIENT_ADDRESS_MAX bytes) from the
 *  peer's socket address and the X-Forwarded-For header value (NULL or empty when
 *  absent; it may hold several headers' values joined by commas). Returns 0, or -1
 *  when the peer address is not IPv4 or IPv6 (out is then ""). */
int client_address_resolve(const client_proxies_t *proxies, const struct sockaddr *peer,
                           const char *forwarded_for, size_t forwarded_len, char *out);

#endif
