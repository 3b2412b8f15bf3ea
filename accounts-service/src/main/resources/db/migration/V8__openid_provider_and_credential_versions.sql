-- What an app asked for and was granted: the scope (and nonce) travel from the approval through the code to the app's
-- session, so refreshed tokens keep the scope and the ID token repeats the nonce.
ALTER TABLE authorization_codes ADD COLUMN scope text NOT NULL DEFAULT '';
ALTER TABLE authorization_codes ADD COLUMN nonce text;
ALTER TABLE sessions ADD COLUMN scope text;

-- A person's approvals of apps: the first authorization of a client needs a recent password; later ones a click.
CREATE TABLE client_grants (
    account_id  uuid        NOT NULL REFERENCES accounts (id),
    client_id   text        NOT NULL,
    scope       text        NOT NULL,
    granted_at  timestamptz NOT NULL,
    PRIMARY KEY (account_id, client_id)
);

-- Every credential change (password change or reset, email change, a reset forced by support) moves the version: a
-- login or code that began under an older version cannot finish under the new one. A reset forced by support leaves
-- the password unusable until the person sets a new one from the mailed link.
ALTER TABLE credentials ADD COLUMN version int NOT NULL DEFAULT 1;
ALTER TABLE credentials ADD COLUMN reset_required boolean NOT NULL DEFAULT false;
ALTER TABLE authorization_codes ADD COLUMN credential_version int;
