-- Accounts, credentials and sessions: the source of truth.

CREATE TABLE accounts (
    id             uuid        PRIMARY KEY,
    email          text        NOT NULL,
    email_verified boolean     NOT NULL DEFAULT false,
    name           text,
    locale         text,
    time_zone      text,
    products       text[]      NOT NULL DEFAULT '{}',
    status         text        NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'CLOSED')),
    legacy_ids     jsonb       NOT NULL DEFAULT '{}',
    -- The head of the account's event chain: the next event takes last_sequence + 1 and links to last_hash.
    -- Both change only while the row is locked (SELECT ... FOR UPDATE), so no two events share or skip a number.
    last_sequence  bigint      NOT NULL DEFAULT 0,
    last_hash      text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    closed_at      timestamptz
);
-- One open account per address, compared case-insensitively; a closed account releases its address.
CREATE UNIQUE INDEX accounts_open_email ON accounts (lower(email)) WHERE status = 'ACTIVE';

CREATE TABLE credentials (
    account_id  uuid        PRIMARY KEY REFERENCES accounts (id),
    algorithm   text        NOT NULL CHECK (algorithm IN ('argon2id', 'bcrypt')),
    hash        text        NOT NULL,          -- PHC string for argon2id, modular crypt for bcrypt
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE linked_identities (
    provider    text        NOT NULL,
    subject     text        NOT NULL,
    account_id  uuid        NOT NULL REFERENCES accounts (id),
    linked_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, subject)
);
CREATE INDEX linked_identities_account ON linked_identities (account_id);

CREATE TABLE sessions (
    id             uuid        PRIMARY KEY,
    account_id     uuid        NOT NULL REFERENCES accounts (id),
    kind           text        NOT NULL CHECK (kind IN ('web', 'oauth')),
    client_id      text,                      -- the OAuth client, for 'oauth' sessions
    created_at     timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz NOT NULL,
    revoked_at     timestamptz,
    revoked_reason text
);
CREATE INDEX sessions_open_by_account ON sessions (account_id) WHERE revoked_at IS NULL;

-- Refresh tokens are stored as SHA-256 of the token; a family is every token rotated from one authorization.
CREATE TABLE refresh_tokens (
    token_hash  text        PRIMARY KEY,
    family_id   uuid        NOT NULL,
    session_id  uuid        NOT NULL REFERENCES sessions (id),
    client_id   text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    rotated_at  timestamptz,                  -- set when it was exchanged; a second use is a replay
    revoked_at  timestamptz
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

CREATE TABLE authorization_codes (
    code_hash       text        PRIMARY KEY,
    client_id       text        NOT NULL,
    redirect_uri    text        NOT NULL,
    code_challenge  text        NOT NULL,     -- S256 only
    account_id      uuid        NOT NULL REFERENCES accounts (id),
    expires_at      timestamptz NOT NULL,
    used_at         timestamptz
);

-- One-time links sent by email (verification, password reset), stored as SHA-256 of the token.
CREATE TABLE email_tokens (
    token_hash  text        PRIMARY KEY,
    account_id  uuid        NOT NULL REFERENCES accounts (id),
    purpose     text        NOT NULL CHECK (purpose IN ('verify-email', 'reset-password')),
    email       text        NOT NULL,         -- the address the link was sent to
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);

-- Ed25519 signing keys. NEXT is published but does not sign yet; ACTIVE signs; RETIRED stays published until
-- publish_until (its last token's expiry), then is no longer served.
CREATE TABLE signing_keys (
    kid            text        PRIMARY KEY,
    state          text        NOT NULL CHECK (state IN ('NEXT', 'ACTIVE', 'RETIRED')),
    public_key     bytea       NOT NULL,      -- X.509 SubjectPublicKeyInfo
    private_key    bytea       NOT NULL,      -- PKCS#8, AES-256-GCM encrypted with the configured key
    created_at     timestamptz NOT NULL DEFAULT now(),
    activated_at   timestamptz,
    retired_at     timestamptz,
    publish_until  timestamptz
);
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (state) WHERE state = 'ACTIVE';
CREATE UNIQUE INDEX signing_keys_one_next ON signing_keys (state) WHERE state = 'NEXT';

-- Every authentication action, success or failure, for support staff and auditors.
CREATE TABLE auth_log (
    id          bigserial   PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    account_id  uuid,                         -- null when the attempt named no known account
    action      text        NOT NULL,
    outcome     text        NOT NULL CHECK (outcome IN ('success', 'failure', 'blocked')),
    method      text,
    product     text,
    client_id   text,
    ip          text,
    user_agent  text,
    reason      text
);
CREATE INDEX auth_log_account_at ON auth_log (account_id, at);
CREATE INDEX auth_log_at ON auth_log (at);
CREATE INDEX auth_log_action_at ON auth_log (action, at);
CREATE INDEX auth_log_product_at ON auth_log (product, at);

-- Brute-force protection, shared by every replica: failures per key ('account:<email>' or 'ip:<address>').
CREATE TABLE throttle (
    key            text        PRIMARY KEY,
    failures       int         NOT NULL,
    last_failure   timestamptz NOT NULL,
    blocked_until  timestamptz
);
