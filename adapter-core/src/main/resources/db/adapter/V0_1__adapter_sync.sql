-- What every adapter keeps besides the product's own tables (migrations of adapter-core are numbered 0.x and run
-- before and between the product's own with out-of-order enabled).

-- The last event applied per account, with the full state it carried: the idempotency guard (an event whose
-- sequence is not above this one changes nothing) and the adapter's view of the account.
CREATE TABLE sync_accounts (
    account_id  uuid        PRIMARY KEY,
    sequence    bigint      NOT NULL,
    event_id    uuid        NOT NULL,
    state       jsonb       NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now()
);

-- Sessions ended before their tokens expired: tokens naming them are refused.
CREATE TABLE sync_revoked_sessions (
    session_id  uuid        PRIMARY KEY,
    account_id  uuid        NOT NULL,
    revoked_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sync_revoked_sessions_account ON sync_revoked_sessions (account_id);
