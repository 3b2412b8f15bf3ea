-- Plan's own tables, in the shape Plan had before shared accounts (it was a separate company):
-- people are "members" with split names, grouped in teams.
CREATE TABLE members (
    id          serial      PRIMARY KEY,             -- Plan's legacy member id
    account_id  uuid        UNIQUE,                  -- the unified account; null for members not yet migrated
    email       text        NOT NULL,
    first_name  text,
    last_name   text,
    locale      text,
    time_zone   text,
    status      text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'deleted')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE teams (
    id          serial      PRIMARY KEY,
    name        text        NOT NULL,
    is_default  boolean     NOT NULL DEFAULT false,
    owner_id    int         REFERENCES members (id),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE team_members (
    team_id     int         NOT NULL REFERENCES teams (id),
    member_id   int         NOT NULL REFERENCES members (id),
    PRIMARY KEY (team_id, member_id)
);
