-- A changed email address tells the old address, with a link that undoes the change.
ALTER TABLE email_tokens DROP CONSTRAINT email_tokens_purpose_check;
ALTER TABLE email_tokens ADD CONSTRAINT email_tokens_purpose_check
    CHECK (purpose IN ('verify-email', 'reset-password', 'undo-email-change'));

-- Browsers a person signed in on (by the SHA-256 of their device cookie): failed attempts from elsewhere cannot lock
-- them out there.
CREATE TABLE known_devices (
    account_id   uuid        NOT NULL REFERENCES accounts (id),
    device_hash  text        NOT NULL,
    first_seen   timestamptz NOT NULL,
    last_seen    timestamptz NOT NULL,
    PRIMARY KEY (account_id, device_hash)
);

-- Fixed-window counters of requests that send mail or create accounts, per address and per email.
CREATE TABLE rate_limits (
    key          text        PRIMARY KEY,
    window_ends  timestamptz NOT NULL,
    count        int         NOT NULL
);
