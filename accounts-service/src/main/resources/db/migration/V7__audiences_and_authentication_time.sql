-- Tokens name their audience and when their session's owner last proved the password (auth_time): a session keeps
-- that time (a login sets it; a re-authentication moves it), and an OAuth session inherits the browser session's.
ALTER TABLE sessions ADD COLUMN auth_time timestamptz;
UPDATE sessions SET auth_time = created_at;
ALTER TABLE sessions ALTER COLUMN auth_time SET NOT NULL;

-- An authorization code is bound to the browser session that approved it: it is refused once that session ends.
ALTER TABLE authorization_codes ADD COLUMN session_id uuid REFERENCES sessions (id);
