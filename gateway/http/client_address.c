/*  client_address.c: the client's address behind trusted proxies. See client_address.h. */
#include "client_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The IPv4-mapped IPv6 prefix ::ffff:0:0/96. */
static const unsigned char v4_mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

/* Parses an IPv4 or IPv6 address (no port, no brackets) of len bytes into its
 * IPv6 form. Returns 0, or -1 when it is not one. */
static int parse_address(const char *text, size_t len, unsigned char out[16])
{
    char buf[CLIENT_ADDRESS_MAX];
    if (len == 0 || len >= sizeof buf)
        return -1;
    memcpy(buf, text, len);
    buf[len] = '\0';
    struct in_addr v4;
    if (inet_pton(AF_INET, buf, &v4) == 1) {
        memcpy(out, v4_mapped, 12);
        memcpy(out + 12, &v4, 4);
        return 0;
    }
    return inet_pton(AF_INET6, buf, out) == 1 ? 0 : -1;
}

/* Narrows [*s, *s + *len) to drop spaces and tabs at both ends. */
static void trim(const char **s, size_t *len)
{
    while (*len > 0 && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*len)--;
    }
    while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
        (*len)--;
}

int client_proxies_parse(const char *list, client_proxies_t *proxies)
{
    memset(proxies, 0, sizeof *proxies);
    for (const char *p = list; p && *p;) {
        size_t len = strcspn(p, ",");
        const char *entry = p;
        size_t entry_len = len;
        p += len + (p[len] == ',');
        trim(&entry, &entry_len);
        if (entry_len == 0)
            continue;
        if (proxies->count == CLIENT_ADDRESS_PROXIES_MAX)
            return -1;
        client_network_t *net = &proxies->networks[proxies->count];
        const char *slash = memchr(entry, '/', entry_len);
        size_t addr_len = slash ? (size_t) (slash - entry) : entry_len;
        if (parse_address(entry, addr_len, net->addr) != 0)
            return -1;
        bool v4 = memcmp(net->addr, v4_mapped, 12) == 0;
        int bits = v4 ? 32 : 128;
        if (slash) {
            const char *digits = slash + 1;
            size_t digits_len = entry_len - addr_len - 1;
            if (digits_len == 0 || digits_len > 3 || strspn(digits, "0123456789") < digits_len)
                return -1;
            bits = atoi(digits);
            if (bits > (v4 ? 32 : 128))
                return -1;
        }
        net->prefix = v4 ? 96 + bits : bits;
        proxies->count++;
    }
    return 0;
}

/* True when addr lies in net. */
static bool in_network(const client_network_t *net, const unsigned char addr[16])
{
    int full = net->prefix / 8, rest = net->prefix % 8;
    if (memcmp(net->addr, addr, (size_t) full) != 0)
        return false;
    if (rest == 0)
        return true;
    unsigned char mask = (unsigned char) (0xff << (8 - rest));
    return (net->addr[full] & mask) == (addr[full] & mask);
}

/* True when addr is one of the trusted proxies. */
static bool trusted(const client_proxies_t *proxies, const unsigned char addr[16])
{
    for (size_t i = 0; i < proxies->count; i++)
        if (in_network(&proxies->networks[i], addr))
            return true;
    return false;
}

/* Writes an address in text, IPv4-mapped ones as IPv4. */
static void format_address(const unsigned char addr[16], char *out)
{
    if (memcmp(addr, v4_mapped, 12) == 0)
        inet_ntop(AF_INET, addr + 12, out, CLIENT_ADDRESS_MAX);
    else
        inet_ntop(AF_INET6, addr, out, CLIENT_ADDRESS_MAX);
}

/*  Reads one X-Forwarded-For hop: a bare address, "[v6]" or "[v6]:port", or
 *  "a.b.c.d:port" (as some proxies write them). Returns 0, or -1 when unparsable. */
static int parse_hop(const char *hop, size_t len, unsigned char out[16])
{
    trim(&hop, &len);
    if (len > 0 && hop[0] == '[') {
        const char *close = memchr(hop, ']', len);
        if (!close)
            return -1;
        return parse_address(hop + 1, (size_t) (close - hop - 1), out);
    }
    if (parse_address(hop, len, out) == 0)
        return 0;
    const char *colon = memchr(hop, ':', len);
    if (colon && !memchr(colon + 1, ':', len - (size_t) (colon - hop) - 1))
        return parse_address(hop, (size_t) (colon - hop), out);  /* IPv4 with a port */
    return -1;
}

int client_address_resolve(const client_proxies_t *proxies, const struct sockaddr *peer,
                           const char *forwarded_for, size_t forwarded_len, char *out)
{
    unsigned char addr[16];
    out[0] = '\0';
    if (peer->sa_family == AF_INET) {
        memcpy(addr, v4_mapped, 12);
        memcpy(addr + 12, &((const struct sockaddr_in *) peer)->sin_addr, 4);
    } else if (peer->sa_family == AF_INET6) {
        memcpy(addr, &((const struct sockaddr_in6 *) peer)->sin6_addr, 16);
    } else {
        return -1;
    }
    /* Walk X-Forwarded-For from its right end while the hop we stand on is trusted. */
    size_t end = forwarded_for ? forwarded_len : 0;
    while (trusted(proxies, addr) && end > 0) {
        size_t start = end;
        while (start > 0 && forwarded_for[start - 1] != ',')
            start--;
        unsigned char hop[16];
        if (parse_hop(forwarded_for + start, end - start, hop) != 0)
            break;
        memcpy(addr, hop, 16);
        end = start > 0 ? start - 1 : 0;
    }
    format_address(addr, out);
    return 0;
}
