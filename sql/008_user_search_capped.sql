-- ?search= at any number of users: planned for the terms at hand, counted up to a cap.
--
-- A search's cost depends on how many users its terms match: a rare term is a few
-- entries of the trigram index; a term in every username (or a 1–2 letter term, which
-- has no trigram) is best found by walking users in id order and stopping at the page.
-- A prepared statement is planned once for every term (its patterns are parameters),
-- so it cannot pick; a plpgsql EXECUTE is planned with the patterns' values, and the
-- planner's estimate from user_search's statistics chooses between the two.
-- The count stops at p_cap (documented in docs/api.md as a deviation from DRF's exact
-- count): an exact count of a term matching most of 1,000,000 users reads them all
-- (~100 ms), while the first p_cap matches in id order come in a few milliseconds.
-- Pages therefore reach only the first p_cap matches; past them the page is empty.
--
-- A query made only of 1–2 character terms has no trigram for the index: whatever
-- the plan, it reads user_search whole when few users match, so then the matches are
-- found once (up to p_cap, in id order) and both the count and the page come from
-- them, instead of one scan for each.
--
-- ROWS 1 says what it returns, so the caller's plan is costed as the small query it
-- is (the services' sessions also run with JIT off: services/runtime/db.c).
--
-- p_patterns: the LIKE patterns of the terms (services/user/search_terms.c: "%term%",
-- escaped, not yet lowercased); every one must match. Returns one row: the capped
-- count and the page's user ids in id order.
CREATE FUNCTION user_search_page(p_patterns text[], p_limit int, p_offset int, p_cap int)
RETURNS TABLE (total bigint, ids bigint[]) LANGUAGE plpgsql STABLE ROWS 1 AS $$
DECLARE
    match text := 'true';
    short_only boolean := true;
    page text := ' LIMIT least($2, greatest($4 - $3, 0)) OFFSET $3';
BEGIN
    FOR i IN 1 .. coalesce(cardinality(p_patterns), 0) LOOP
        match := match || format(' AND s.text LIKE lower($1[%s])', i);
        -- The term itself: the pattern without its % % and its LIKE escapes.
        short_only := short_only AND char_length(regexp_replace(
            substr(p_patterns[i], 2, length(p_patterns[i]) - 2), '\\(.)', '\1', 'g')) < 3;
    END LOOP;
    IF short_only THEN
        RETURN QUERY EXECUTE
            'WITH m AS MATERIALIZED (SELECT s.user_id FROM user_search s WHERE ' || match
            || ' ORDER BY s.user_id LIMIT $4) SELECT (SELECT count(*) FROM m),'
            || ' ARRAY(SELECT m.user_id FROM m ORDER BY m.user_id' || page || ')'
            USING p_patterns, p_limit, p_offset, p_cap;
    ELSE
        RETURN QUERY EXECUTE
            'SELECT (SELECT count(*) FROM (SELECT 1 FROM user_search s WHERE ' || match
            || ' LIMIT $4) c), ARRAY(SELECT s.user_id FROM user_search s WHERE ' || match
            || ' ORDER BY s.user_id' || page || ')'
            USING p_patterns, p_limit, p_offset, p_cap;
    END IF;
END
$$;
