-- Invitations go only to their invitee: an email invitation is joined by the account whose verified email is its
-- address; a link invitation ("anyone with this link") by whoever follows it. Both expire, and owners and admins
-- can revoke them.
ALTER TABLE invitations ADD COLUMN kind text NOT NULL DEFAULT 'email' CHECK (kind IN ('email', 'link'));
ALTER TABLE invitations ALTER COLUMN email DROP NOT NULL;
ALTER TABLE invitations ADD CONSTRAINT invitations_email_of_kind CHECK ((kind = 'email') = (email IS NOT NULL));
ALTER TABLE invitations ADD COLUMN expires_at timestamptz NOT NULL DEFAULT now() + interval '14 days';
ALTER TABLE invitations ADD COLUMN invited_by bigint REFERENCES users (id);
ALTER TABLE invitations ADD COLUMN revoked_by bigint REFERENCES users (id);
