-- Events are checked against their schema before they commit (schema version 2). Optional profile values stored
-- under the earlier, looser rules that version 2 rejects are cleared, so that every account can record its next
-- event, a logout's included. The patterns are those of common.v2.json. (An email the version 2 rule rejects cannot
-- be repaired here: such an account records events again once its owner changes the address.)
UPDATE accounts SET name = NULL
    WHERE name IS NOT NULL AND (name ~ '[[:cntrl:]]' OR char_length(name) > 200 OR name = '');
UPDATE accounts SET locale = NULL
    WHERE locale IS NOT NULL AND (char_length(locale) > 35 OR locale !~ '^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$');
UPDATE accounts SET time_zone = NULL
    WHERE time_zone IS NOT NULL
      AND (char_length(time_zone) > 64 OR time_zone !~ '^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$');

-- An invitation reference is the product's secret (for an invitation anyone with its link may use, a bearer one):
-- events carry its SHA-256 only, and so does the account.
UPDATE accounts SET signup_invitation = encode(sha256(convert_to(signup_invitation, 'UTF8')), 'hex')
    WHERE signup_invitation IS NOT NULL;
