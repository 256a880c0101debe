-- Billing and orders: invoices with their items, transactions, credits,
-- billable items, orders and domains. Everything a client owns goes with it
-- (ON DELETE CASCADE), as DeleteClient promises, but its transactions,
-- which WHMCS keeps unless asked to delete them. Money is kept in integer
-- cents so sums are exact; the actions show it as WHMCS's decimal text.
-- Dates are WHMCS's text: 'Y-m-d' for dates, 'Y-m-d H:i:s' (UTC) for
-- times, '' for a date never set (shown as 0000-00-00 where WHMCS does).

CREATE TABLE invoices (
    id             INTEGER PRIMARY KEY,
    client_id      INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    invoicenum     TEXT NOT NULL DEFAULT '',
    date           TEXT NOT NULL,             -- Y-m-d
    duedate        TEXT NOT NULL,             -- Y-m-d
    datepaid       TEXT NOT NULL DEFAULT '',  -- Y-m-d H:i:s, '' while unpaid
    subtotal_cents INTEGER NOT NULL DEFAULT 0,
    credit_cents   INTEGER NOT NULL DEFAULT 0, -- credit applied to the invoice
    tax_cents      INTEGER NOT NULL DEFAULT 0,
    tax2_cents     INTEGER NOT NULL DEFAULT 0,
    total_cents    INTEGER NOT NULL DEFAULT 0,
    taxrate        TEXT NOT NULL DEFAULT '0.000',
    taxrate2       TEXT NOT NULL DEFAULT '0.000',
    status         TEXT NOT NULL,             -- Draft, Unpaid, Paid, Cancelled, Refunded, Collections, Payment Pending
    paymentmethod  TEXT NOT NULL DEFAULT '',
    notes          TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL DEFAULT '',  -- Y-m-d H:i:s
    updated_at     TEXT NOT NULL DEFAULT '',
    date_refunded  TEXT NOT NULL DEFAULT '',  -- '' while not refunded
    date_cancelled TEXT NOT NULL DEFAULT ''   -- '' while not cancelled
);

CREATE INDEX invoices_client_id ON invoices (client_id);

CREATE TABLE invoice_items (
    id            INTEGER PRIMARY KEY,
    invoice_id    INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    client_id     INTEGER NOT NULL,
    type          TEXT NOT NULL DEFAULT '',    -- Hosting, Domain, Item, Invoice, PromoHosting, ...
    relid         INTEGER NOT NULL DEFAULT 0,  -- the service, domain or billable item it bills
    description   TEXT NOT NULL,
    amount_cents  INTEGER NOT NULL DEFAULT 0,
    taxed         INTEGER NOT NULL DEFAULT 0,
    duedate       TEXT NOT NULL DEFAULT '',
    paymentmethod TEXT NOT NULL DEFAULT ''
);

CREATE INDEX invoice_items_invoice_id ON invoice_items (invoice_id);

-- WHMCS's tblaccounts. invoice_id carries no foreign key: a transaction is
-- kept when its invoice is deleted. client_id is NULL for a transaction that
-- belongs to no client (AddTransaction with a currency instead), and for
-- one kept when its client was deleted (DeleteClient deletes them only
-- with deletetransactions).
CREATE TABLE transactions (
    id               INTEGER PRIMARY KEY,
    client_id        INTEGER REFERENCES clients (id) ON DELETE SET NULL,
    currency         INTEGER NOT NULL DEFAULT 0,
    gateway          TEXT NOT NULL DEFAULT '',
    date             TEXT NOT NULL,              -- Y-m-d H:i:s
    description      TEXT NOT NULL DEFAULT '',
    amountin_cents   INTEGER NOT NULL DEFAULT 0,
    fees_cents       INTEGER NOT NULL DEFAULT 0,
    amountout_cents  INTEGER NOT NULL DEFAULT 0,
    rate             TEXT NOT NULL DEFAULT '1.00000',
    transid          TEXT NOT NULL DEFAULT '',
    invoice_id       INTEGER NOT NULL DEFAULT 0,
    refund_id        INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX transactions_client_id ON transactions (client_id);
CREATE INDEX transactions_invoice_id ON transactions (invoice_id);
CREATE INDEX transactions_transid ON transactions (transid);

-- Credit added to or taken from a client's balance (clients.credit holds the
-- balance itself).
CREATE TABLE credits (
    id           INTEGER PRIMARY KEY,
    client_id    INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    date         TEXT NOT NULL,              -- Y-m-d
    description  TEXT NOT NULL DEFAULT '',
    amount_cents INTEGER NOT NULL DEFAULT 0,
    relid        INTEGER NOT NULL DEFAULT 0,
    admin_id     INTEGER NOT NULL DEFAULT 0   -- the admin who added or removed it
);

CREATE INDEX credits_client_id ON credits (client_id);

CREATE TABLE billable_items (
    id            INTEGER PRIMARY KEY,
    client_id     INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    description   TEXT NOT NULL,
    quantity      TEXT NOT NULL DEFAULT '0',   -- WHMCS's "hours" column, decimal text
    unit          TEXT NOT NULL DEFAULT 'quantity', -- hours or quantity
    amount_cents  INTEGER NOT NULL DEFAULT 0,
    recur         INTEGER NOT NULL DEFAULT 0,
    recurcycle    TEXT NOT NULL DEFAULT '',
    recurfor      INTEGER NOT NULL DEFAULT 0,
    invoiceaction INTEGER NOT NULL DEFAULT 0,  -- 0 don't invoice, 1 next cron, 2 next invoice, 3 due date, 4 recurring
    duedate       TEXT NOT NULL DEFAULT '',
    invoicecount  INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX billable_items_client_id ON billable_items (client_id);

-- WHMCS's tblorders. invoice_id is 0 when the order has no invoice.
CREATE TABLE orders (
    id                 INTEGER PRIMARY KEY,
    ordernum           TEXT NOT NULL UNIQUE,  -- ten digits
    client_id          INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    contact_id         INTEGER NOT NULL DEFAULT 0,
    requestor_id       INTEGER NOT NULL DEFAULT 0,
    admin_requestor_id INTEGER NOT NULL DEFAULT 0,
    date               TEXT NOT NULL,          -- Y-m-d H:i:s
    nameservers        TEXT NOT NULL DEFAULT '',
    promocode          TEXT NOT NULL DEFAULT '',
    promotype          TEXT NOT NULL DEFAULT '',
    promovalue         TEXT NOT NULL DEFAULT '',
    amount_cents       INTEGER NOT NULL DEFAULT 0,
    paymentmethod      TEXT NOT NULL DEFAULT '',
    invoice_id         INTEGER NOT NULL DEFAULT 0,
    status             TEXT NOT NULL,          -- Pending, Active, Cancelled, Fraud
    ipaddress          TEXT NOT NULL DEFAULT '',
    notes              TEXT NOT NULL DEFAULT ''
);

CREATE INDEX orders_client_id ON orders (client_id);

-- WHMCS's tbldomains.
CREATE TABLE domains (
    id                       INTEGER PRIMARY KEY,
    client_id                INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    order_id                 INTEGER NOT NULL DEFAULT 0,
    regtype                  TEXT NOT NULL DEFAULT 'Register', -- Register or Transfer
    domain                   TEXT NOT NULL,
    registrar                TEXT NOT NULL DEFAULT '',
    regperiod                INTEGER NOT NULL DEFAULT 1,
    firstpaymentamount_cents INTEGER NOT NULL DEFAULT 0,
    recurringamount_cents    INTEGER NOT NULL DEFAULT 0,
    paymentmethod            TEXT NOT NULL DEFAULT '',
    regdate                  TEXT NOT NULL DEFAULT '',
    expirydate               TEXT NOT NULL DEFAULT '',
    nextduedate              TEXT NOT NULL DEFAULT '',
    status                   TEXT NOT NULL DEFAULT 'Pending',
    subscriptionid           TEXT NOT NULL DEFAULT '',
    promoid                  INTEGER NOT NULL DEFAULT 0,
    dnsmanagement            INTEGER NOT NULL DEFAULT 0,
    emailforwarding          INTEGER NOT NULL DEFAULT 0,
    idprotection             INTEGER NOT NULL DEFAULT 0,
    donotrenew               INTEGER NOT NULL DEFAULT 0,
    notes                    TEXT NOT NULL DEFAULT ''
);

CREATE INDEX domains_client_id ON domains (client_id);

-- The order a service came from (0 for one added directly).
ALTER TABLE services ADD COLUMN order_id INTEGER NOT NULL DEFAULT 0;
