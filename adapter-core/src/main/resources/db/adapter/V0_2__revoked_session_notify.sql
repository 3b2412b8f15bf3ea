-- Every adapter replica keeps the revoked sessions in memory and learns of new ones at once, whichever replica
-- applied the event: the insert notifies every connection listening on the channel when its transaction commits.
CREATE FUNCTION sync_revoked_sessions_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('sync_revoked_sessions', NEW.session_id::text);
    RETURN NEW;
END
$$;

CREATE TRIGGER sync_revoked_sessions_notify AFTER INSERT ON sync_revoked_sessions
    FOR EACH ROW EXECUTE FUNCTION sync_revoked_sessions_notify();
