/*  queries.c: every SQL statement of the user service, prepared on connect.
 *
 *  Users come out through USER_RECORD_COLUMNS (user_record.h), followed by the email
 *  where the caller may see it. Paginated statements return the total count, whether
 *  the caller still exists and the page in one round trip: always at least one row,
 *  whose User columns are NULL when the page is empty.
 */
#include "user_record.h"
#include "user_service.h"

const db_statement_t user_statements[] = {
    /* $1 caller. */
    { USER_Q_ME,
      "SELECT " USER_RECORD_COLUMNS("u") ", u.email FROM users u WHERE u.id = $1" },

    /* $1 caller, $2 target: up to two rows, told apart by id. */
    { USER_Q_PAIR,
      "SELECT " USER_RECORD_COLUMNS("u") ", u.email FROM users u"
      " WHERE u.id = $1 OR u.id = $2" },

    /* $1 caller, $2 limit, $3 offset. The total comes from the counter the database
     * keeps (user_count_shards): counting 100,000 rows on every page would cost more
     * than the rest of the request. The offset skips ids in the primary key alone;
     * only the page's rows are read and formatted. */
    { USER_Q_LIST,
      "SELECT t.n, EXISTS (SELECT 1 FROM users WHERE id = $1), p.*"
      " FROM (SELECT sum(n)::bigint AS n FROM user_count_shards) t"
      " LEFT JOIN LATERAL (SELECT " USER_RECORD_COLUMNS("u")
      "  FROM (SELECT id FROM users ORDER BY id LIMIT $2 OFFSET $3) k"
      "  JOIN users u ON u.id = k.id ORDER BY u.id) p ON true" },

    /* ?search=: $1 caller, $2 limit, $3 offset, $4 the terms' patterns as a text[]
     * (search_terms.h).
     * user_search_page (sql/008, sql/009) plans the match for these very terms,
     * counts up to USER_SEARCH_COUNT_MAX and returns the page's ids in order. */
    { USER_Q_SEARCH,
      "SELECT f.total, EXISTS (SELECT 1 FROM users WHERE id = $1), p.*"
      " FROM user_search_page($4::text[], $2::int, $3::int, " USER_SEARCH_COUNT_MAX ") f"
      " LEFT JOIN LATERAL (SELECT " USER_RECORD_COLUMNS("u")
      "  FROM unnest(f.ids) WITH ORDINALITY k(id, ord)"
      "  JOIN users u ON u.id = k.id ORDER BY k.ord) p ON true" },
    /* $1 caller, $2..$5 email, first_name, last_name, bio (NULL: unchanged). A
     * duplicate email violates users_email_ci. No row: the caller is gone. */
    { USER_Q_UPDATE,
      "UPDATE users u SET email = COALESCE($2, u.email),"
      " first_name = COALESCE($3, u.first_name), last_name = COALESCE($4, u.last_name),"
      " bio = COALESCE($5, u.bio) WHERE u.id = $1"
      " RETURNING " USER_RECORD_COLUMNS("u") ", u.email" },

    /* $1 caller, $2 email or NULL: does the caller exist, is the email someone else's.
     * Only on the error path, to report every error of a form at once. */
    { USER_Q_CHECK,
      "SELECT EXISTS (SELECT 1 FROM users WHERE id = $1),"
      " EXISTS (SELECT 1 FROM users WHERE lower(email) = lower($2) AND id <> $1)" },

    { NULL, NULL },
};
