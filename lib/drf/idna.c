/*  idna.c: Python's domain.encode("idna") without nameprep. See idna.h. */
#include "idna.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "fixedbuf.h"
#include "text.h"

/* Longest label, in bytes once encoded. */
#define LABEL_MAX 63
/* Most code points in one label worth encoding (a longer one can never fit). */
#define LABEL_CODE_POINTS_MAX 256

/* RFC 3492 parameters for IDNA. */
#define BASE 36
#define TMIN 1
#define TMAX 26
#define SKEW 38
#define DAMP 700
#define INITIAL_BIAS 72
#define INITIAL_N 0x80

/* Appends one byte. Returns 0, or -1 when out is full. */
static int put(fixedbuf_t *out, char c)
{
    fixedbuf_putc(out, c);
    return out->full ? -1 : 0;
}

/* RFC 3492 digit value to its character. */
static char punycode_digit(uint32_t d)
{
    return (char) (d < 26 ? 'a' + d : '0' + (d - 26));
}

/* RFC 3492 bias adaptation. */
static uint32_t punycode_adapt(uint32_t delta, uint32_t points, bool first)
{
    delta = first ? delta / DAMP : delta / 2;
    delta += delta / points;
    uint32_t k = 0;
    while (delta > ((BASE - TMIN) * TMAX) / 2) {
        delta /= BASE - TMIN;
        k += BASE;
    }
    return k + (BASE * delta) / (delta + SKEW);
}

/*  Appends "xn--" and the RFC 3492 encoding of the code points cps[0..n).
 *  Returns 0, or -1 when it does not fit. */
static int punycode_encode(const uint32_t *cps, size_t n, fixedbuf_t *out)
{
    if (put(out, 'x') || put(out, 'n') || put(out, '-') || put(out, '-'))
        return -1;
    size_t basic = 0;
    for (size_t i = 0; i < n; i++)
        if (cps[i] < 0x80) {
            if (put(out, (char) cps[i]))
                return -1;
            basic++;
        }
    if (basic > 0 && put(out, '-'))
        return -1;
    uint32_t code = INITIAL_N, delta = 0, bias = INITIAL_BIAS;
    size_t handled = basic;
    while (handled < n) {
        uint32_t next = UINT32_MAX;
        for (size_t i = 0; i < n; i++)
            if (cps[i] >= code && cps[i] < next)
                next = cps[i];
        if ((uint64_t) (next - code) * (handled + 1) + delta > UINT32_MAX)
            return -1;
        delta += (next - code) * (uint32_t) (handled + 1);
        code = next;
        for (size_t i = 0; i < n; i++) {
            if (cps[i] < code)
                delta++;
            if (cps[i] != code)
                continue;
            uint32_t q = delta;
            for (uint32_t k = BASE;; k += BASE) {
                uint32_t t = k <= bias ? TMIN : k >= bias + TMAX ? TMAX : k - bias;
                if (q < t)
                    break;
                if (put(out, punycode_digit(t + (q - t) % (BASE - t))))
                    return -1;
                q = (q - t) / (BASE - t);
            }
            if (put(out, punycode_digit(q)))
                return -1;
            bias = punycode_adapt(delta, (uint32_t) handled + 1, handled == basic);
            delta = 0;
            handled++;
        }
        delta++;
        code++;
    }
    return 0;
}

/* True for the code points IDNA splits labels at. */
static bool is_dot(uint32_t cp)
{
    return cp == '.' || cp == 0x3002 || cp == 0xff0e || cp == 0xff61;
}

/*  Writes one label (its code points) as it is when ASCII, else punycoded. Returns 0,
 *  or -1 when it is longer than a label may be or does not fit. */
static int encode_label(const uint32_t *cps, size_t n, bool ascii, fixedbuf_t *out)
{
    size_t start = out->len;
    if (ascii) {
        /* Room for the label and the dot that may follow it. */
        if (n + 1 > fixedbuf_room(out))
            return -1;
        for (size_t k = 0; k < n; k++)
            if (put(out, (char) cps[k]))
                return -1;
    } else if (punycode_encode(cps, n, out) != 0) {
        return -1;
    }
    return out->len - start > LABEL_MAX ? -1 : 0;
}

int idna_to_ascii(const char *s, size_t len, char *buf, size_t cap, size_t *out_len)
{
    fixedbuf_t out;
    fixedbuf_init(&out, buf, cap);
    uint32_t cps[LABEL_CODE_POINTS_MAX];
    size_t n = 0;
    bool ascii = true;
    for (size_t i = 0; i <= len;) {
        uint32_t cp = '.';
        size_t step = 1;
        if (i < len) {
            step = utf8_next(s + i, len - i, &cp);
            if (step == 0)
                return -1;
        }
        if (!is_dot(cp)) {
            if (n == LABEL_CODE_POINTS_MAX)
                return -1;
            cps[n++] = cp;
            ascii = ascii && cp < 0x80;
        } else {
            /* Only the last label (a trailing dot) may be empty. */
            if (n == 0 && i < len)
                return -1;
            if (encode_label(cps, n, ascii, &out) != 0)
                return -1;
            if (i < len && put(&out, '.'))
                return -1;
            n = 0;
            ascii = true;
        }
        i += step;
    }
    *out_len = out.len;
    return 0;
}
