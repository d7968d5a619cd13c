/*  text.c: Python's character classes and str.strip(). See text.h. */
#include "text.h"

#include "unicode_tables.h"

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
        size_t step = utf8_next(p + pos, n - pos, &cp);
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
