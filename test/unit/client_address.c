/*  Unit tests of gateway/http/client_address.c: TRUSTED_PROXIES and X-Forwarded-For. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <string.h>

#include "client_address.h"

/* A socket address for text (IPv4 or IPv6). */
static struct sockaddr_storage peer_of(const char *text)
{
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    struct sockaddr_in *in4 = (struct sockaddr_in *) &ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *) &ss;
    if (inet_pton(AF_INET, text, &in4->sin_addr) == 1)
        in4->sin_family = AF_INET;
    else if (inet_pton(AF_INET6, text, &in6->sin6_addr) == 1)
        in6->sin6_family = AF_INET6;
    else
        cr_assert_fail("bad test address %s", text);
    return ss;
}

/* The client address for a peer and an X-Forwarded-For value under `trusted`. */
static const char *resolve(const char *trusted, const char *peer, const char *xff)
{
    static char out[CLIENT_ADDRESS_MAX];
    client_proxies_t proxies;
    cr_assert_eq(client_proxies_parse(trusted, &proxies), 0, "%s", trusted);
    struct sockaddr_storage ss = peer_of(peer);
    cr_assert_eq(client_address_resolve(&proxies, (struct sockaddr *) &ss, xff,
                                        xff ? strlen(xff) : 0, out), 0);
    return out;
}

Test(client_address, the_peer_when_nobody_is_trusted)
{
    cr_assert_str_eq(resolve("", "203.0.113.9", "1.2.3.4"), "203.0.113.9");
    cr_assert_str_eq(resolve(NULL, "2001:db8::1", NULL), "2001:db8::1");
}

Test(client_address, ipv4_mapped_peers_are_written_as_ipv4)
{
    cr_assert_str_eq(resolve("", "::ffff:198.51.100.7", NULL), "198.51.100.7");
    cr_assert_str_eq(resolve("10.0.0.0/8", "::ffff:10.1.2.3", "198.51.100.7"), "198.51.100.7");
}

Test(client_address, a_forged_header_from_an_untrusted_peer_is_ignored)
{
    cr_assert_str_eq(resolve("10.0.0.1", "203.0.113.9", "10.0.0.1, 1.1.1.1"), "203.0.113.9");
}

Test(client_address, the_last_untrusted_hop_behind_trusted_proxies)
{
    /* client 198.51.100.7 -> proxy 10.0.0.2 -> proxy 10.0.0.1 (our peer) */
    cr_assert_str_eq(resolve("10.0.0.0/24", "10.0.0.1", "198.51.100.7, 10.0.0.2"),
                     "198.51.100.7");
    /* whatever the client wrote before its own address is not believed */
    cr_assert_str_eq(resolve("10.0.0.0/24", "10.0.0.1", "6.6.6.6, 198.51.100.7, 10.0.0.2"),
                     "198.51.100.7");
    /* several headers, joined */
    cr_assert_str_eq(resolve("10.0.0.1, 10.0.0.2", "10.0.0.1", "198.51.100.7,10.0.0.2"),
                     "198.51.100.7");
}

Test(client_address, ports_and_brackets_in_hops)
{
    cr_assert_str_eq(resolve("127.0.0.1", "127.0.0.1", "198.51.100.7:5555"), "198.51.100.7");
    cr_assert_str_eq(resolve("127.0.0.1", "127.0.0.1", "[2001:db8::5]:443"), "2001:db8::5");
    cr_assert_str_eq(resolve("::1", "::1", " 2001:db8::6 "), "2001:db8::6");
}

Test(client_address, an_unparsable_hop_stops_at_the_last_trusted_one)
{
    cr_assert_str_eq(resolve("10.0.0.0/8", "10.0.0.1", "garbage, 10.0.0.3"), "10.0.0.3");
    cr_assert_str_eq(resolve("10.0.0.0/8", "10.0.0.1", ""), "10.0.0.1");
    cr_assert_str_eq(resolve("10.0.0.0/8", "10.0.0.1", ",,"), "10.0.0.1");
}

Test(client_address, networks)
{
    cr_assert_str_eq(resolve("192.168.0.0/16", "192.168.200.1", "8.8.8.8"), "8.8.8.8");
    cr_assert_str_eq(resolve("192.168.0.0/17", "192.168.200.1", "8.8.8.8"), "192.168.200.1");
    cr_assert_str_eq(resolve("2001:db8::/32", "2001:db8:ffff::1", "8.8.8.8"), "8.8.8.8");
    cr_assert_str_eq(resolve("0.0.0.0/0", "9.9.9.9", "8.8.8.8"), "8.8.8.8");
}

Test(client_address, bad_lists_are_refused)
{
    client_proxies_t proxies;
    cr_assert_eq(client_proxies_parse("10.0.0.0/33", &proxies), -1);
    cr_assert_eq(client_proxies_parse("::/129", &proxies), -1);
    cr_assert_eq(client_proxies_parse("example.com", &proxies), -1);
    cr_assert_eq(client_proxies_parse("10.0.0.1/", &proxies), -1);
    cr_assert_eq(client_proxies_parse("10.0.0.1/x", &proxies), -1);
    cr_assert_eq(client_proxies_parse(" , 10.0.0.1 ,", &proxies), 0);
    cr_assert_eq(proxies.count, 1);
}
