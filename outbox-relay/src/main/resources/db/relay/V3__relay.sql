-- The relay publishes outbox inserts through this publication (pgoutput). Deletes are not published, so cleaning
-- up old outbox rows produces no change events; heartbeat updates are, so a quiet outbox still advances the slot.
ALTER TABLE outbox ADD COLUMN schema_version int NOT NULL DEFAULT 1;
CREATE PUBLICATION accounts_outbox FOR TABLE outbox, relay_heartbeat WITH (publish = 'insert, update');
CREATE INDEX outbox_created_at ON outbox (created_at);

-- Debezium's JDBC offset store (the relay's position in the WAL), in the layout it expects; created here so the
-- schema changes only through migrations. Whichever instance leads next resumes from it.
CREATE TABLE relay_offsets (
    id                varchar(36)   NOT NULL,
    offset_key        varchar(1255),
    offset_val        varchar(1255),
    record_insert_ts  timestamp     NOT NULL,
    record_insert_seq integer       NOT NULL
);
