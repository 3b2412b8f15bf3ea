-- The relay publishes outbox inserts through this publication (pgoutput). Deletes are not published, so cleaning
-- up old outbox rows produces no change events; heartbeat updates are, so a quiet outbox still advances the slot.
ALTER TABLE outbox ADD COLUMN schema_version int NOT NULL DEFAULT 1;
CREATE PUBLICATION accounts_outbox FOR TABLE outbox, relay_heartbeat WITH (publish = 'insert, update');
CREATE INDEX outbox_created_at ON outbox (created_at);
