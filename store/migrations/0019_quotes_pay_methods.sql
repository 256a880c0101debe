-- Billing, second half: quotes with their lines (WHMCS's tblquotes and
-- tblquoteitems), clients' pay methods (tblpaymethods with the card and
-- bank details WHMCS shows), and the next invoice date of services and
-- domains, which GenInvoices moves on as WHMCS's cron does.
--
-- A quote belongs to a client, or to a lead (client_id NULL) whose name
-- and address it holds itself. Money is in integer cents; a quote line's
-- quantity and discount (a percentage) are decimal text as WHMCS shows
-- them. A client's quotes and pay methods go with it (ON DELETE CASCADE).
--
-- A pay method never holds a card or account number: only what WHMCS
-- shows of one (card type, last four digits, expiry and start dates, issue
-- number; bank name, account type and the account number's last four
-- digits) and the gateway's token for a remote one.

CREATE TABLE quotes (
    id              INTEGER PRIMARY KEY,
    subject         TEXT NOT NULL DEFAULT '',
    stage           TEXT NOT NULL DEFAULT 'Draft', -- Draft, Delivered, On Hold, Accepted, Lost, Dead
    validuntil      TEXT NOT NULL DEFAULT '',      -- Y-m-d
    client_id       INTEGER REFERENCES clients (id) ON DELETE CASCADE, -- NULL for a lead
    firstname       TEXT NOT NULL DEFAULT '',
    lastname        TEXT NOT NULL DEFAULT '',
    companyname     TEXT NOT NULL DEFAULT '',
    email           TEXT NOT NULL DEFAULT '',
    address1        TEXT NOT NULL DEFAULT '',
    address2        TEXT NOT NULL DEFAULT '',
    city            TEXT NOT NULL DEFAULT '',
    state           TEXT NOT NULL DEFAULT '',
    postcode        TEXT NOT NULL DEFAULT '',
    country         TEXT NOT NULL DEFAULT '',
    phonenumber     TEXT NOT NULL DEFAULT '',
    tax_id          TEXT NOT NULL DEFAULT '',
    currency        INTEGER NOT NULL DEFAULT 1,
    subtotal_cents  INTEGER NOT NULL DEFAULT 0,
    tax1_cents      INTEGER NOT NULL DEFAULT 0,
    tax2_cents      INTEGER NOT NULL DEFAULT 0,
    total_cents     INTEGER NOT NULL DEFAULT 0,
    proposal        TEXT NOT NULL DEFAULT '',
    customernotes   TEXT NOT NULL DEFAULT '',
    adminnotes      TEXT NOT NULL DEFAULT '',
    datecreated     TEXT NOT NULL DEFAULT '',      -- Y-m-d
    lastmodified    TEXT NOT NULL DEFAULT '',      -- Y-m-d
    datesent        TEXT NOT NULL DEFAULT '',      -- Y-m-d, '' until sent
    dateaccepted    TEXT NOT NULL DEFAULT ''       -- Y-m-d, '' until accepted
);

CREATE INDEX quotes_client_id ON quotes (client_id);

CREATE TABLE quote_items (
    id              INTEGER PRIMARY KEY,
    quote_id        INTEGER NOT NULL REFERENCES quotes (id) ON DELETE CASCADE,
    description     TEXT NOT NULL DEFAULT '',
    quantity        TEXT NOT NULL DEFAULT '1',     -- decimal text
    unitprice_cents INTEGER NOT NULL DEFAULT 0,
    discount        TEXT NOT NULL DEFAULT '0.00',  -- percent off, decimal text
    taxable         INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX quote_items_quote_id ON quote_items (quote_id);

CREATE TABLE pay_methods (
    id                INTEGER PRIMARY KEY,
    client_id         INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    type              TEXT NOT NULL,                -- CreditCard, RemoteCreditCard, BankAccount, RemoteBankAccount
    description       TEXT NOT NULL DEFAULT '',
    gateway           TEXT NOT NULL DEFAULT '',     -- the gateway module; '' for a card or account kept locally
    card_type         TEXT NOT NULL DEFAULT '',
    card_last_four    TEXT NOT NULL DEFAULT '',
    expiry_date       TEXT NOT NULL DEFAULT '',     -- MM/YY
    start_date        TEXT NOT NULL DEFAULT '',     -- MM/YY, '' when none
    issue_number      TEXT NOT NULL DEFAULT '',
    bank_name         TEXT NOT NULL DEFAULT '',
    bank_account_type TEXT NOT NULL DEFAULT '',
    bank_last_four    TEXT NOT NULL DEFAULT '',     -- the account number's last four digits
    remote_token      TEXT NOT NULL DEFAULT '',
    sort_order        INTEGER NOT NULL DEFAULT 0,   -- the client's first is its default
    updated_at        INTEGER NOT NULL DEFAULT 0    -- Unix seconds
);

CREATE INDEX pay_methods_client_id ON pay_methods (client_id, sort_order, id);

-- The date the next invoice of a service or domain is for: '' until
-- GenInvoices invoices one (the next due date stands in for it until then).
ALTER TABLE services ADD COLUMN nextinvoicedate TEXT NOT NULL DEFAULT '';
ALTER TABLE domains ADD COLUMN nextinvoicedate TEXT NOT NULL DEFAULT '';

-- GenInvoices asks, for each period, whether a line bills it already.
CREATE INDEX invoice_items_relid ON invoice_items (relid, duedate);

-- defaults:begin
INSERT INTO email_templates (type, name, subject, message, seeded) VALUES
    ('invoice', 'Credit Card Payment Confirmation', 'Credit Card Payment Confirmation', '<p>Dear {$client_name},</p><p>This is a payment receipt for invoice #{$invoice_num}: {$invoice_last_payment_amount} was charged to your card ending {$invoice_pay_method_last_four}.</p>', 1);
-- defaults:end
