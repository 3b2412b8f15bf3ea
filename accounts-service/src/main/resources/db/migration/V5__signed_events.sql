-- Events are signed (schema version 2): event-signing keys live beside the token keys, in their own ring. Token keys
-- are published until their last token expires; event keys stay published for ever, since auditors verify the whole
-- log from its beginning.
ALTER TABLE signing_keys ADD COLUMN purpose text NOT NULL DEFAULT 'token' CHECK (purpose IN ('token', 'event'));
DROP INDEX signing_keys_one_active;
DROP INDEX signing_keys_one_next;
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (purpose) WHERE state = 'ACTIVE';
CREATE UNIQUE INDEX signing_keys_one_next ON signing_keys (purpose) WHERE state = 'NEXT';

-- The account's last event exactly as published (signed): sync-on-miss answers with it, so an adapter verifies what
-- it is given as it verifies the log. Null for accounts whose last event predates signing.
ALTER TABLE accounts ADD COLUMN last_event text;

-- Sessions revoked recently are what sync-on-miss and gap healing hand to adapters.
CREATE INDEX sessions_revoked_by_account ON sessions (account_id, revoked_at) WHERE revoked_at IS NOT NULL;
