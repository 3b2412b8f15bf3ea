-- The probe product's one table: what adapter-core's own tests read to see what the apply step did. "applies" counts
-- the projection's calls for the person, so that a test sees an event applied twice.
CREATE TABLE people (
    account_id  uuid    PRIMARY KEY,
    email       text    NOT NULL,
    name        text,
    active      boolean NOT NULL,
    applies     int     NOT NULL DEFAULT 1
);
