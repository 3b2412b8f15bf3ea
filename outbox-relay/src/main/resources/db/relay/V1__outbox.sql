-- The transactional outbox: every change to an account writes its event here in the same transaction,
-- and the relay (embedded Debezium, pgoutput) publishes the inserts to Kafka in commit order.
-- Debezium's outbox event router reads the standard columns id, aggregatetype, aggregateid, type, payload.
CREATE TABLE outbox (
    id            uuid        PRIMARY KEY,           -- the event id
    aggregatetype text        NOT NULL,              -- routes to a topic, e.g. 'account'
    aggregateid   uuid        NOT NULL,              -- the account id: the Kafka record key
    type          text        NOT NULL,              -- the event type, e.g. 'AccountCreated'
    -- text, not jsonb: the bytes published are exactly the bytes whose canonical form was hashed.
    payload       text        NOT NULL,
    sequence      bigint      NOT NULL CHECK (sequence >= 1),
    traceparent   text,
    tracestate    text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (aggregateid, sequence)
);

-- Written by the relay's heartbeat so a quiet outbox does not make PostgreSQL hold WAL.
CREATE TABLE relay_heartbeat (
    id         int         PRIMARY KEY CHECK (id = 1),
    beat_at    timestamptz NOT NULL
);
INSERT INTO relay_heartbeat (id, beat_at) VALUES (1, now());
