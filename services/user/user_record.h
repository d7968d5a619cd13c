/*  user_record.h: the public User object, packed from a database row.
 *
 *  The one place that knows what a User looks like on the wire:
 *      {"id", "username", "first_name", "last_name", "bio", "date_joined", "is_online"}
 *  plus "email" in the caller's own record only. Queries select the columns with
 *  USER_RECORD_COLUMNS (in that order) and pack them with user_record_pack, so the SQL
 *  and the packing cannot drift apart.
 */
#ifndef USER_RECORD_H_INCLUDED
#define USER_RECORD_H_INCLUDED

#include <libpq-fe.h>
#include <msgpack.h>
#include <stdbool.h>

/* SQL: a timestamptz expression as ISO 8601 UTC with milliseconds and a Z. */
#define SQL_TIMESTAMP(expr) \
    "to_char((" expr ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"

/*  SQL: the columns of a User for the users table aliased `a` (a string literal),
 *  in the order user_record_pack reads them. is_online: the user has a presence row
 *  on some gateway (sql/004_realtime.sql, owned by the notification service), one
 *  probe of the index presence_user; this expression is the one place that knows. */
#define USER_RECORD_COLUMNS(a)                                                   \
    a ".id, " a ".username, " a ".first_name, " a ".last_name, " a ".bio, "      \
    SQL_TIMESTAMP(a ".date_joined") ", "                                         \
    "EXISTS (SELECT 1 FROM presence presence_row WHERE presence_row.user_id = " a ".id)"

/* How many columns USER_RECORD_COLUMNS selects. */
#define USER_RECORD_NCOLS 7

/*  Packs the User whose USER_RECORD_COLUMNS start at column `col` of `row`. With
 *  with_email, the email is read from the column right after them
 *  (col + USER_RECORD_NCOLS) and packed too. Returns 0, or -1 when the row does not
 *  hold a User there (NULL id, missing columns): nothing is packed then. */
int user_record_pack(msgpack_packer *pk, const PGresult *res, int row, int col,
                     bool with_email);
/* user_record_pack without the email, as lists show Users (a page_row_fn, page.h). */
int user_record_pack_listed(msgpack_packer *pk, const PGresult *res, int row, int col);

#endif
