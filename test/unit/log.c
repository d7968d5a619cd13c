/*  Unit tests of lib/platform/log.c: escaping of outside text and coalescing of
 *  repeated messages. The log is written to stderr, redirected here to a file. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

/* Escapes `in` and compares with `expected`. */
static void check_escape(const char *in, size_t len, const char *expected)
{
    char out[256];
    size_t n = log_escape(in, len, out, sizeof out);
    out[n] = '\0';
    cr_assert_str_eq(out, expected);
}

Test(log, escapes_control_characters)
{
    check_escape("plain text", 10, "plain text");
    check_escape("a\nb\rc", 5, "a\\x0ab\\x0dc");
    check_escape("\x1b[2J", 4, "\\x1b[2J");                 /* a terminal escape */
    check_escape("del\x7f", 4, "del\\x7f");
    check_escape("nul\0x", 5, "nul\\x00x");
}

Test(log, keeps_utf8_and_escapes_c1_and_invalid_bytes)
{
    check_escape("caf\xc3\xa9", 5, "caf\xc3\xa9");
    check_escape("\xe2\x82\xac", 3, "\xe2\x82\xac");
    check_escape("\xc2\x9b" "1m", 4, "\\xc2\\x9b1m");          /* C1 CSI as UTF-8 */
    check_escape("\x9b" "1m", 3, "\\x9b1m");                  /* a lone 8-bit CSI */
    check_escape("\xff\xfe", 2, "\\xff\\xfe");
}

Test(log, escape_stops_before_what_does_not_fit)
{
    char out[6];
    cr_assert_eq(log_escape("abc\x01", 4, out, sizeof out), 3);
    cr_assert_eq(log_escape("abcdef", 6, out, 4), 4);
}

/* Runs `body` with stderr sent to a temporary file; returns what was written. */
static char *capture(void (*body)(void))
{
    static char text[8192];
    FILE *file = tmpfile();
    cr_assert_not_null(file);
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    dup2(fileno(file), STDERR_FILENO);
    body();
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    rewind(file);
    size_t n = fread(text, 1, sizeof text - 1, file);
    text[n] = '\0';
    fclose(file);
    return text;
}

/* Counts the lines of text that contain needle. */
static int lines_with(const char *text, const char *needle)
{
    int count = 0;
    for (const char *line = text; *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t) (end - line) : strlen(line);
        if (memmem(line, len, needle, strlen(needle)))
            count++;
        line += len + (end ? 1 : 0);
    }
    return count;
}

static void repeat_an_error(void)
{
    log_init("test");
    for (int i = 0; i < 1000; i++)
        log_error("database connection failed");
    log_warn("something else");
    log_flush();
}

Test(log, coalesces_identical_messages)
{
    char *text = capture(repeat_an_error);
    cr_assert_eq(lines_with(text, "database connection failed"), 2, "%s", text);
    cr_assert_eq(lines_with(text, "(repeated 999 more times in 0s)"), 1, "%s", text);
    cr_assert_eq(lines_with(text, "something else"), 1, "%s", text);
}

static void alternate_messages(void)
{
    log_init("test");
    for (int i = 0; i < 3; i++) {
        log_error("first");
        log_error("second");
    }
    log_flush();
}

Test(log, different_messages_are_all_written)
{
    char *text = capture(alternate_messages);
    cr_assert_eq(lines_with(text, "first"), 3, "%s", text);
    cr_assert_eq(lines_with(text, "second"), 3, "%s", text);
    cr_assert_eq(lines_with(text, "repeated"), 0, "%s", text);
}

static void log_a_newline(void)
{
    log_init("test");
    log_warn("service name %s", "evil\n2026-01-01T00:00:00.000Z ERROR forged");
    log_flush();
}

static void repeat_info(void)
{
    log_init("test");
    for (int i = 0; i < 3; i++)
        log_info("worker ready");
    log_flush();
}

Test(log, info_lines_are_never_folded)
{
    char *text = capture(repeat_info);
    cr_assert_eq(lines_with(text, "worker ready"), 3, "%s", text);
}

Test(log, one_message_is_one_line)
{
    char *text = capture(log_a_newline);
    cr_assert_eq(lines_with(text, "ERROR forged"), 1);
    cr_assert_eq(lines_with(text, "WARN "), 1, "%s", text);
    cr_assert_not_null(strstr(text, "evil\\x0a2026"), "%s", text);
}
