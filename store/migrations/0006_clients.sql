-- What the Client actions keep of a client beyond 0001's identity columns:
-- the postal address, phone, tax id, currency and client group, admin
-- notes, language, marketing opt-in, the kinds of email turned off, the
-- billing overrides, credit balance and the creation time (Unix seconds,
-- UTC; 0 for clients made before this migration).
ALTER TABLE clients ADD COLUMN address1 TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN address2 TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN city TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN state TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN postcode TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN country TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN phonenumber TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN tax_id TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN currency INTEGER NOT NULL DEFAULT 1;
ALTER TABLE clients ADD COLUMN groupid INTEGER NOT NULL DEFAULT 0;
ALTER TABLE clients ADD COLUMN notes TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN language TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN marketing_opt_in INTEGER NOT NULL DEFAULT 0;
ALTER TABLE clients ADD COLUMN email_off TEXT NOT NULL DEFAULT ''; -- space-separated: general invoice support product domain affiliate
ALTER TABLE clients ADD COLUMN tax_exempt INTEGER NOT NULL DEFAULT 0;
ALTER TABLE clients ADD COLUMN late_fee_override INTEGER NOT NULL DEFAULT 0;
ALTER TABLE clients ADD COLUMN overdue_notices_override INTEGER NOT NULL DEFAULT 0;
ALTER TABLE clients ADD COLUMN separate_invoices INTEGER NOT NULL DEFAULT 0;
ALTER TABLE clients ADD COLUMN disable_auto_cc INTEGER NOT NULL DEFAULT 0;
ALTER TABLE clients ADD COLUMN override_auto_close INTEGER NOT NULL DEFAULT 0;
ALTER TABLE clients ADD COLUMN credit TEXT NOT NULL DEFAULT '0.00'; -- decimal as WHMCS shows it
ALTER TABLE clients ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;

-- Client groups, as GetClientGroups shows them.
CREATE TABLE client_groups (
    id                INTEGER PRIMARY KEY,
    name              TEXT NOT NULL DEFAULT '',
    colour            TEXT NOT NULL DEFAULT '',
    discount_percent  TEXT NOT NULL DEFAULT '0.00', -- decimal as WHMCS shows it
    susp_term_exempt  INTEGER NOT NULL DEFAULT 0,
    separate_invoices INTEGER NOT NULL DEFAULT 0
);

-- A client's contacts: people who receive some of its email.
CREATE TABLE contacts (
    id          INTEGER PRIMARY KEY,
    client_id   INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    firstname   TEXT NOT NULL DEFAULT '',
    lastname    TEXT NOT NULL DEFAULT '',
    companyname TEXT NOT NULL DEFAULT '',
    email       TEXT NOT NULL DEFAULT '',
    address1    TEXT NOT NULL DEFAULT '',
    address2    TEXT NOT NULL DEFAULT '',
    city        TEXT NOT NULL DEFAULT '',
    state       TEXT NOT NULL DEFAULT '',
    postcode    TEXT NOT NULL DEFAULT '',
    country     TEXT NOT NULL DEFAULT '',
    phonenumber TEXT NOT NULL DEFAULT '',
    tax_id      TEXT NOT NULL DEFAULT '',
    email_on    TEXT NOT NULL DEFAULT '', -- space-separated kinds of email it receives
    created_at  INTEGER NOT NULL DEFAULT 0,
    updated_at  INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX contacts_client_id ON contacts (client_id);
CREATE INDEX contacts_email_lower ON contacts (lower(email));

-- Admin notes on a client (AddClientNote).
CREATE TABLE client_notes (
    id          INTEGER PRIMARY KEY,
    client_id   INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    admin_id    INTEGER NOT NULL DEFAULT 0,
    note        TEXT NOT NULL,
    sticky      INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    modified_at INTEGER NOT NULL
);

CREATE INDEX client_notes_client_id ON client_notes (client_id);
