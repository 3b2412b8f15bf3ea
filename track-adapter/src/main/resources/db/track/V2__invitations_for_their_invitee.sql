-- Invitations go only to their invitee: an email invitation is joined by the account whose verified email is its
-- address; a link invitation ("anyone with this link") by whoever follows it. Both expire, and owners and admins
-- can revoke them.
ALTER TABLE invitations ADD COLUMN kind text NOT NULL DEFAULT 'email' CHECK (kind IN ('email', 'link'));
ALTER TABLE invitations ALTER COLUMN email DROP NOT NULL;
ALTER TABLE invitations ADD CONSTRAINT invitations_email_of_kind CHECK ((kind = 'email') = (email IS NOT NULL));
ALTER TABLE invitations ADD COLUMN expires_at timestamptz NOT NULL DEFAULT now() + interval '14 days';
ALTER TABLE invitations ADD COLUMN invited_by bigint REFERENCES users (id);
ALTER TABLE invitations ADD COLUMN revoked_by bigint REFERENCES users (id);

-- Events name the invitation a person signed up through by the SHA-256 of its code, never the code itself (for a
-- link invitation it is a bearer secret); the trigger keeps the digest of every code, however the row was written.
ALTER TABLE invitations ADD COLUMN code_hash text;
CREATE FUNCTION invitations_code_hash() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.code_hash := encode(sha256(convert_to(NEW.code, 'UTF8')), 'hex');
    RETURN NEW;
END
$$;
CREATE TRIGGER invitations_code_hash BEFORE INSERT OR UPDATE OF code ON invitations
    FOR EACH ROW EXECUTE FUNCTION invitations_code_hash();
UPDATE invitations SET code = code;
ALTER TABLE invitations ALTER COLUMN code_hash SET NOT NULL;
CREATE UNIQUE INDEX invitations_code_hash ON invitations (code_hash);

-- Whether a person belongs to any workspace yet is asked when their email is verified.
CREATE INDEX memberships_user ON memberships (user_id);
