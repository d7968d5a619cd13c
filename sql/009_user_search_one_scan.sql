-- ?search=: one index scan for a rare term, not two.
--
-- user_search_page (sql/008) counted the matches and fetched the page in two
-- statements, so a term the trigram index finds in a few rows read the index twice.
-- That read is not always cheap: a term can hold trigrams that are in most rows (a
-- username's common prefix, say) beside rare ones, and the index then walks long
-- posting lists — about 17 ms at 1,000,000 users, paid twice. The matches are now
-- gathered once, unordered and at most p_cap of them: when fewer than p_cap match,
-- they are all of them, and the count and the page both come from that one read.
-- Only a term with p_cap matches or more (whose page is best found by walking users
-- in id order) runs a second statement for the page. 1–2 letter terms keep their own
-- plan (sql/008): there the page must come from the first p_cap matches in id order.
CREATE OR REPLACE FUNCTION user_search_page(p_patterns text[], p_limit int, p_offset int, p_cap int)
RETURNS TABLE (total bigint, ids bigint[]) LANGUAGE plpgsql STABLE ROWS 1 AS $$
DECLARE
    match text := 'true';
    short_only boolean := true;
    page text := ' LIMIT least($2, greatest($4 - $3, 0)) OFFSET $3';
    found bigint[];
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
        RETURN;
    END IF;
    EXECUTE 'SELECT ARRAY(SELECT s.user_id FROM user_search s WHERE ' || match || ' LIMIT $2)'
        INTO found USING p_patterns, p_cap;
    IF cardinality(found) < p_cap THEN
        RETURN QUERY SELECT cardinality(found)::bigint,
            ARRAY(SELECT f FROM unnest(found) f ORDER BY f
                  LIMIT least(p_limit, greatest(p_cap - p_offset, 0)) OFFSET p_offset);
    ELSE
        RETURN QUERY EXECUTE
            'SELECT $4::bigint, ARRAY(SELECT s.user_id FROM user_search s WHERE ' || match
            || ' ORDER BY s.user_id' || page || ')'
            USING p_patterns, p_limit, p_offset, p_cap;
    END IF;
END
$$;
