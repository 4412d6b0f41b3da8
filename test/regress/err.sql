-- err(sql): runs sql and shows, in one row, what PostgreSQL answered:
-- 'SQLSTATE: message', then the DETAIL and HINT lines when there are any
-- ('ok' when it succeeded). For catalogues of refusals, where one row per
-- case with its SQLSTATE reads better than a full error report each; the
-- other regression files run refused statements plainly. The name of the
-- role running the suite reads "<owner>" (it differs between machines), and
-- a message longer than 200 characters is cut, with its full length shown.
CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    m text;
    d text;
    h text;
BEGIN
    EXECUTE q;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL, h = PG_EXCEPTION_HINT;
    m := replace(SQLSTATE || ': ' || SQLERRM, '"' || session_user || '"', '"<owner>"');
    IF length(m) > 200 THEN
        m := left(m, 200) || format('... (%s characters)', length(m));
    END IF;
    IF d <> '' THEN
        m := m || E'\nDETAIL:  ' || replace(d, '"' || session_user || '"', '"<owner>"');
    END IF;
    IF h <> '' THEN
        m := m || E'\nHINT:  ' || h;
    END IF;
    RETURN m;
END $$;
