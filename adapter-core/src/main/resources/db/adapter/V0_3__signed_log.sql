-- The log is signed and chained (schema version 2): the apply step checks that an account's next event links to the
-- hash of the last one applied here, so it keeps that hash. Null for rows applied before this migration.
ALTER TABLE sync_accounts ADD COLUMN hash text;

-- Accounts whose sequence jumped (an event above last + 1 arrived: something in between was never applied here,
-- a dead letter or a record before this adapter's start). The event itself was applied (it carries the full state);
-- what the missing events alone said (revoked sessions) is fetched from the accounts service until it answers.
CREATE TABLE sync_gaps (
    account_id    uuid        PRIMARY KEY,
    missing_from  bigint      NOT NULL,
    missing_to    bigint      NOT NULL,
    found_at      timestamptz NOT NULL DEFAULT now(),
    attempts      int         NOT NULL DEFAULT 0,
    next_attempt  timestamptz NOT NULL DEFAULT now(),
    last_error    text
);

-- Products check an account's access to them in memory; every replica forgets what it holds for an account when its
-- status or products change (or it first appears), whichever replica applied the change.
CREATE FUNCTION sync_accounts_access_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR OLD.state->'status' IS DISTINCT FROM NEW.state->'status'
            OR OLD.state->'products' IS DISTINCT FROM NEW.state->'products' THEN
        PERFORM pg_notify('sync_accounts_access', NEW.account_id::text);
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER sync_accounts_access_notify AFTER INSERT OR UPDATE ON sync_accounts
    FOR EACH ROW EXECUTE FUNCTION sync_accounts_access_notify();
