-- Work's own tables. Work (expenses) joined shared accounts from day one, so every person has an account id.
-- A person belongs to a cost centre and has an approver for their expense reports; an approver is a person too.
CREATE TABLE people (
    id            serial      PRIMARY KEY,
    account_id    uuid        NOT NULL UNIQUE,
    email         text        NOT NULL,
    display_name  text,
    cost_center   text,                                 -- finance's to change; a Work sign-up starts in GENERAL
    approver_id   int         REFERENCES people (id),   -- who approves this person's expense reports
    is_approver   boolean     NOT NULL DEFAULT false,
    active        boolean     NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX people_by_approver ON people (approver_id);

-- Expense reports are the company's records: they outlive the person who filed or approved them.
CREATE TABLE expense_reports (
    id            serial      PRIMARY KEY,
    person_id     int         NOT NULL REFERENCES people (id),
    title         text        NOT NULL,
    amount_cents  bigint      NOT NULL CHECK (amount_cents >= 0),
    status        text        NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'approved', 'rejected')),
    approver_id   int         REFERENCES people (id),   -- who is to approve it (while submitted) or approved it
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX expense_reports_by_person ON expense_reports (person_id);
CREATE INDEX expense_reports_by_approver ON expense_reports (approver_id);
