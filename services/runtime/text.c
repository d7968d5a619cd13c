/*  text.c: UTF-8 decoding and Python's character classes. See text.h. */
#include "text.h"

#include "unicode_tables.h"

size_t text_utf8_next(const char *s, size_t len, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *) s;
    uint32_t value, min;
    size_t need;

    if (len == 0)
        return 0;
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    } else if (p[0] >= 0xc2 && p[0] <= 0xdf) {
        value = p[0] & 0x1f; need = 2; min = 0x80;
    } else if (p[0] >= 0xe0 && p[0] <= 0xef) {
        value = p[0] & 0x0f; need = 3; min = 0x800;
    } else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
        value = p[0] & 0x07; need = 4; min = 0x10000;
    } else {
        return 0;
    }
    if (len < need)
        return 0;
    for (size_t i = 1; i < need; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        value = (value << 6) | (p[i] & 0x3f);
    }
    if (value < min || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff))
        return 0;
    *cp = value;
    return need;
}

bool text_utf8_valid(const char *s, size_t len)
{
    uint32_t cp;
    for (size_t pos = 0; pos < len;) {
        size_t n = text_utf8_next(s + pos, len - pos, &cp);
        if (n == 0)
            return false;
        pos += n;
    }
    return true;
}

size_t text_length(const char *s, size_t len)
{
    size_t count = 0;
    for (size_t i = 0; i < len; i++)
        count += ((unsigned char) s[i] & 0xc0) != 0x80;
    return count;
}

size_t text_utf8_put(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char) cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char) (0xc0 | (cp >> 6));
        out[1] = (char) (0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char) (0xe0 | (cp >> 12));
        out[1] = (char) (0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char) (0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char) (0xf0 | (cp >> 18));
    out[1] = (char) (0x80 | ((cp >> 12) & 0x3f));
    out[2] = (char) (0x80 | ((cp >> 6) & 0x3f));
    out[3] = (char) (0x80 | (cp & 0x3f));
    return 4;
}

/* True when cp lies in one of the sorted, disjoint ranges (binary search). */
static bool in_ranges(const text_range_t *ranges, size_t count, uint32_t cp)
{
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < ranges[mid].lo)
            hi = mid;
        else if (cp > ranges[mid].hi)
            lo = mid + 1;
        else
            return true;
    }
    return false;
}

bool text_is_space(uint32_t cp)
{
    return (cp >= 0x09 && cp <= 0x0d) || (cp >= 0x1c && cp <= 0x20) || cp == 0x85
           || cp == 0xa0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028
           || cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x3000;
}

bool text_is_word(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9')
               || cp == '_';
    return in_ranges(unicode_word_ranges, unicode_word_ranges_len, cp);
}

bool text_is_digit(uint32_t cp)
{
    if (cp < 0x80)
        return cp >= '0' && cp <= '9';
    return in_ranges(unicode_digit_ranges, unicode_digit_ranges_len, cp);
}

uint32_t text_lower(uint32_t cp)
{
    if (cp < 0x80)
        return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
    size_t lo = 0, hi = unicode_lower_runs_len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const unicode_case_run_t *run = &unicode_lower_runs[mid];
        if (cp < run->lo) {
            hi = mid;
        } else if (cp > run->hi) {
            lo = mid + 1;
        } else {
            if ((cp - run->lo) % run->stride == 0)
                return (uint32_t) ((int32_t) cp + run->delta);
            return cp;
        }
    }
    return cp;
}

void text_strip(const char **s, size_t *len)
{
    const char *p = *s;
    size_t n = *len, pos = 0, start = n, end = 0;
    uint32_t cp;
    while (pos < n) {
        size_t step = text_utf8_next(p + pos, n - pos, &cp);
        if (step == 0) {
            step = 1;
            cp = 0xfffd;
        }
        if (!text_is_space(cp)) {
            if (start == n)
                start = pos;
            end = pos + step;
        }
        pos += step;
    }
    if (start == n) {
        *s = p + n;
        *len = 0;
        return;
    }
    *s = p + start;
    *len = end - start;
}
