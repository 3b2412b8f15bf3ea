-- Takes the transaction-scoped advisory locks of several accounts in the order of the array: the apply step passes
-- the keys sorted, so any two transactions that lock several accounts take them in the same order and never wait
-- for each other in a cycle. A loop, because SQL does not promise the order in which a query evaluates its rows.
CREATE FUNCTION adapter_lock_accounts(keys bigint[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    k bigint;
BEGIN
    FOREACH k IN ARRAY keys LOOP
        PERFORM pg_advisory_xact_lock(k);
    END LOOP;
END
$$;
