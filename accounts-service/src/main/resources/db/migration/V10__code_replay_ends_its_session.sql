-- A code presented a second time has leaked: the session it was exchanged for ends (RFC 6749 section 4.1.2).
ALTER TABLE authorization_codes ADD COLUMN issued_session_id uuid;
