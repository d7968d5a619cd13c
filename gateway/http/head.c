/*  head.c: request heads, checked then parsed. See head.h. */
#include "head.h"

#include <http_parser.h>
#include <string.h>
#include <strings.h>

/* True for the characters of a token (RFC 9110 section 5.6.2). */
static bool is_tchar(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return c && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

size_t head_skip_empty(const char *buf, size_t len)
{
    size_t i = 0;
    while (i < len && (buf[i] == '\r' || buf[i] == '\n'))
        i++;
    return i;
}

size_t head_length(const char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (buf[i] != '\n')
            continue;
        /* A line feed ends the head when the line after it is empty. */
        if (i + 1 < len && buf[i + 1] == '\n')
            return i + 2;
        if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n')
            return i + 3;
    }
    return 0;
}

/* Strict check of one header line (without its line end). */
static head_status_t check_field_line(const unsigned char *line, size_t len)
{
    if (len == 0 || line[0] == ' ' || line[0] == '\t')
        return HEAD_BAD;                  /* obs-fold, or a stray empty line */
    size_t i = 0;
    while (i < len && is_tchar(line[i]))
        i++;
    if (i == 0 || i == len || line[i] != ':')
        return memchr(line, '\0', len) ? HEAD_NUL : HEAD_BAD;
    for (i++; i < len; i++) {
        unsigned char c = line[i];
        if (c == '\0')
            return HEAD_NUL;
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return HEAD_BAD;
    }
    return HEAD_OK;
}

/* True when the target carries "%00" (a NUL once decoded). */
static bool target_has_nul(const char *line, size_t len)
{
    const char *space = memchr(line, ' ', len);
    if (!space)
        return false;
    size_t start = (size_t) (space - line) + 1;
    const char *end = memchr(line + start, ' ', len - start);
    size_t stop = end ? (size_t) (end - line) : len;
    for (size_t i = start; i + 3 <= stop; i++)
        if (line[i] == '%' && line[i + 1] == '0' && line[i + 2] == '0')
            return true;
    return false;
}

/* Pass 1: the strict check of the whole head. */
static head_status_t check_head(const char *buf, size_t len)
{
    if (memchr(buf, '\0', len))
        return HEAD_NUL;
    size_t start = 0;
    bool first = true;
    while (start < len) {
        const char *nl = memchr(buf + start, '\n', len - start);
        if (!nl)
            return HEAD_BAD;
        size_t end = (size_t) (nl - buf);
        size_t line_len = end - start;
        if (line_len && buf[end - 1] == '\r')
            line_len--;
        const unsigned char *line = (const unsigned char *) buf + start;
        if (memchr(line, '\r', line_len))
            return HEAD_BAD;              /* a bare CR */
        if (first) {
            if (target_has_nul((const char *) line, line_len))
                return HEAD_NUL;
            first = false;
        } else if (line_len == 0) {
            return end + 1 == len ? HEAD_OK : HEAD_BAD;
        } else {
            head_status_t rc = check_field_line(line, line_len);
            if (rc != HEAD_OK)
                return rc;
        }
        start = end + 1;
    }
    return HEAD_BAD;
}

/* Parser state shared with the callbacks. */
typedef struct {
    head_t *head;              /* where the result goes */
    bool too_many;             /* more than HEAD_MAX_FIELDS fields */
    bool complete;             /* on_headers_complete ran */
} parse_t;

/* Trims SP and HT on both sides of a value span. */
static void trim(const char **at, size_t *len)
{
    while (*len && (**at == ' ' || **at == '\t')) {
        (*at)++;
        (*len)--;
    }
    while (*len && ((*at)[*len - 1] == ' ' || (*at)[*len - 1] == '\t'))
        (*len)--;
}

static int on_url(http_parser *p, const char *at, size_t len)
{
    parse_t *st = p->data;
    st->head->target = at;
    st->head->target_len = len;
    return 0;
}

static int on_field(http_parser *p, const char *at, size_t len)
{
    parse_t *st = p->data;
    head_t *h = st->head;
    if (h->count == HEAD_MAX_FIELDS) {
        st->too_many = true;
        return 1;
    }
    h->fields[h->count].name = at;
    h->fields[h->count].name_len = len;
    h->fields[h->count].value = at + len;
    h->fields[h->count].value_len = 0;
    h->count++;
    return 0;
}

static int on_value(http_parser *p, const char *at, size_t len)
{
    parse_t *st = p->data;
    head_t *h = st->head;
    if (h->count == 0)
        return 1;
    trim(&at, &len);
    h->fields[h->count - 1].value = at;
    h->fields[h->count - 1].value_len = len;
    return 0;
}

static int on_headers_complete(http_parser *p)
{
    parse_t *st = p->data;
    head_t *h = st->head;
    h->method = http_method_str((enum http_method) p->method);
    h->major = p->http_major;
    h->minor = p->http_minor;
    h->has_length = (p->flags & F_CONTENTLENGTH) != 0;
    h->length = h->has_length ? p->content_length : 0;
    h->chunked = (p->flags & F_CHUNKED) != 0;
    h->keep_alive = http_should_keep_alive(p) != 0;
    st->complete = true;
    return 0;
}

head_status_t head_parse(const char *buf, size_t len, head_t *head)
{
    memset(head, 0, sizeof *head);
    head_status_t rc = check_head(buf, len);
    if (rc != HEAD_OK)
        return rc;
    http_parser_settings settings;
    http_parser_settings_init(&settings);
    settings.on_url = on_url;
    settings.on_header_field = on_field;
    settings.on_header_value = on_value;
    settings.on_headers_complete = on_headers_complete;
    parse_t st = { head, false, false };
    http_parser parser;
    http_parser_init(&parser, HTTP_REQUEST);
    parser.data = &st;
    http_parser_execute(&parser, &settings, buf, len);
    enum http_errno err = HTTP_PARSER_ERRNO(&parser);
    if (st.too_many)
        return HEAD_TOO_LARGE;
    if (err == HPE_INVALID_CONTENT_LENGTH || err == HPE_UNEXPECTED_CONTENT_LENGTH)
        return HEAD_BAD_LENGTH;
    if (err != HPE_OK || !st.complete || !head->target || !head->method)
        return HEAD_BAD;
    return HEAD_OK;
}

const char *head_field(const head_t *head, const char *name, size_t *len)
{
    size_t name_len = strlen(name);
    for (size_t i = head->count; i-- > 0;) {
        const head_field_t *f = &head->fields[i];
        if (f->name_len == name_len && strncasecmp(f->name, name, name_len) == 0) {
            *len = f->value_len;
            return f->value;
        }
    }
    return NULL;
}

bool head_lists(const head_t *head, const char *name, const char *token)
{
    size_t token_len = strlen(token), name_len = strlen(name);
    for (size_t i = 0; i < head->count; i++) {
        const head_field_t *f = &head->fields[i];
        if (f->name_len != name_len || strncasecmp(f->name, name, name_len) != 0)
            continue;
        const char *v = f->value, *end = f->value + f->value_len;
        while (v < end) {
            const char *comma = memchr(v, ',', (size_t) (end - v));
            const char *stop = comma ? comma : end;
            const char *item = v;
            size_t item_len = (size_t) (stop - v);
            trim(&item, &item_len);
            if (item_len == token_len && strncasecmp(item, token, token_len) == 0)
                return true;
            v = comma ? comma + 1 : end;
        }
    }
    return false;
}
