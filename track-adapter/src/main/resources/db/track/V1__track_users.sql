-- Track's own tables, in the shape Track had before shared accounts: the rest of Track's code reads these.
-- The adapter keeps them as a cache of the accounts service.
CREATE TABLE users (
    id          bigserial   PRIMARY KEY,             -- Track's legacy user id
    account_id  uuid        UNIQUE,                  -- the unified account; null for users not yet migrated
    email       text        NOT NULL,
    fullname    text,
    timezone    text,
    language    text,
    active      boolean     NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE workspaces (
    id          bigserial   PRIMARY KEY,
    name        text        NOT NULL,
    personal    boolean     NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE memberships (
    workspace_id bigint      NOT NULL REFERENCES workspaces (id),
    user_id      bigint      NOT NULL REFERENCES users (id),
    role         text        NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    active       boolean     NOT NULL DEFAULT true,
    joined_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, user_id)
);

CREATE TABLE invitations (
    id           bigserial   PRIMARY KEY,
    code         text        NOT NULL UNIQUE,        -- the reference a sign-up carries
    workspace_id bigint      NOT NULL REFERENCES workspaces (id),
    email        text        NOT NULL,
    status       text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'revoked')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    accepted_by  bigint      REFERENCES users (id)
);
CREATE INDEX invitations_pending_email ON invitations (lower(email)) WHERE status = 'pending';
