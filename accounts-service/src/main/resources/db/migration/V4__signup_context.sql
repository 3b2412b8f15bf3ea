-- Where each account signed up from, kept with the account (the outbox is cleaned up): an adapter that meets a
-- person before their AccountCreated event needs it to decide, for example, that an invited person gets no
-- personal workspace.
ALTER TABLE accounts ADD COLUMN signup_product text;
ALTER TABLE accounts ADD COLUMN signup_invitation text;
