/*  queries.c: every SQL statement of the user service, prepared on connect.
 *
 *  Users come out through USER_RECORD_COLUMNS (user_record.h), followed by the email
 *  where the caller may see it. Paginated statements return the total count, whether
 *  the caller still exists and the page in one round trip: always at least one row,
 *  whose User columns are NULL when the page is empty.
 */
#include "user_record.h"
#include "user_service.h"

/* The text ?search= looks in: user_search.text, the username, first and last name
 * joined by spaces and lowercased, with a trigram index (sql/002). Search terms never
 * hold a space, so matching the joined text is matching one of the three. */
#define SEARCH_TEXT "s.text"

/* One term's pattern ($n), lowercased once (an InitPlan) by the same lower() that
 * made the indexed text. Every such condition is a trigram index condition, so one
 * index scan intersects all the terms. */
#define TERM(n) SEARCH_TEXT " LIKE (SELECT lower($" #n "))"
/* The patterns of terms beyond the fourth ($n, a text[]), checked on the rows found. */
#define MORE_TERMS(n)                                                                 \
    " AND " SEARCH_TEXT " LIKE ALL (ARRAY(SELECT lower(p) FROM unnest($" #n "::text[]) p))"

/*  A page of the users matching `match` ($1 caller, $2 limit, $3 offset, $4... the
 *  patterns). The matching ids are found once, then counted and paged. */
#define SEARCH(match)                                                                 \
    "WITH m AS MATERIALIZED (SELECT s.user_id AS id FROM user_search s WHERE " match ")" \
    " SELECT t.n, EXISTS (SELECT 1 FROM users WHERE id = $1), p.*"                    \
    " FROM (SELECT count(*) AS n FROM m) t"                                           \
    " LEFT JOIN LATERAL (SELECT " USER_RECORD_COLUMNS("u")                            \
    "  FROM (SELECT id FROM m ORDER BY id LIMIT $2 OFFSET $3) k"                      \
    "  JOIN users u ON u.id = k.id ORDER BY u.id) p ON true"

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

    /* ?search= with 1, 2, 3, and 4 or more terms (search_terms.h): $4... the
     * patterns of the longest terms, then (4 or more) $8 the others as a text[]. */
    { USER_Q_SEARCH_1, SEARCH(TERM(4)) },
    { USER_Q_SEARCH_2, SEARCH(TERM(4) " AND " TERM(5)) },
    { USER_Q_SEARCH_3, SEARCH(TERM(4) " AND " TERM(5) " AND " TERM(6)) },
    { USER_Q_SEARCH_4,
      SEARCH(TERM(4) " AND " TERM(5) " AND " TERM(6) " AND " TERM(7) MORE_TERMS(8)) },

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
