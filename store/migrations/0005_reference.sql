-- Reference data that integrations look up: currencies, payment gateways,
-- support departments, promotions, and the order and ticket statuses.
--
-- Rows marked seeded = 1 are the defaults an installation starts with.
-- They stand in until a fixture gives its own rows for that table, which
-- then replace them (fixture.Apply drops the seeded rows first). Wipe puts
-- them back by running the block between the defaults markers below again:
-- that block must stay plain INSERT statements.

CREATE TABLE currencies (
    id     INTEGER PRIMARY KEY,
    code   TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL DEFAULT '',
    suffix TEXT NOT NULL DEFAULT '',
    format INTEGER NOT NULL DEFAULT 1,     -- WHMCS's format 1 to 4
    rate   TEXT NOT NULL DEFAULT '1.00000', -- the exchange rate, five decimals
    seeded INTEGER NOT NULL DEFAULT 0
);

-- Payment gateways (payment methods), listed in id order.
CREATE TABLE payment_gateways (
    id           INTEGER PRIMARY KEY,
    module       TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    seeded       INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE support_departments (
    id     INTEGER PRIMARY KEY,
    name   TEXT NOT NULL,
    email  TEXT NOT NULL DEFAULT '',
    seeded INTEGER NOT NULL DEFAULT 0
);

-- Promotion codes. Dates are YYYY-MM-DD or '' (none); applies_to and
-- requires are comma-separated product ids.
CREATE TABLE promotions (
    id                INTEGER PRIMARY KEY,
    code              TEXT NOT NULL UNIQUE,
    type              TEXT NOT NULL DEFAULT 'Percentage',
    recurring         INTEGER NOT NULL DEFAULT 0,
    value             REAL NOT NULL DEFAULT 0,
    cycles            TEXT NOT NULL DEFAULT '',
    applies_to        TEXT NOT NULL DEFAULT '',
    requires          TEXT NOT NULL DEFAULT '',
    requires_existing INTEGER NOT NULL DEFAULT 0,
    start_date        TEXT NOT NULL DEFAULT '',
    expiration_date   TEXT NOT NULL DEFAULT '',
    max_uses          INTEGER NOT NULL DEFAULT 0,
    uses              INTEGER NOT NULL DEFAULT 0,
    lifetime_promo    INTEGER NOT NULL DEFAULT 0,
    apply_once        INTEGER NOT NULL DEFAULT 0,
    new_signups       INTEGER NOT NULL DEFAULT 0,
    existing_client   INTEGER NOT NULL DEFAULT 0,
    once_per_client   INTEGER NOT NULL DEFAULT 0,
    recur_for         INTEGER NOT NULL DEFAULT 0,
    upgrades          INTEGER NOT NULL DEFAULT 0,
    upgrade_config    TEXT NOT NULL DEFAULT '',
    notes             TEXT NOT NULL DEFAULT '',
    seeded            INTEGER NOT NULL DEFAULT 0
);

-- WHMCS's order and ticket statuses, in its display order. They are
-- seeded like the OAuth scopes and never wiped.
CREATE TABLE order_statuses (
    id    INTEGER PRIMARY KEY,
    title TEXT NOT NULL UNIQUE
);

INSERT INTO order_statuses (id, title) VALUES
    (1, 'Pending'), (2, 'Active'), (3, 'Fraud'), (4, 'Cancelled');

CREATE TABLE ticket_statuses (
    id    INTEGER PRIMARY KEY,
    title TEXT NOT NULL UNIQUE,
    color TEXT NOT NULL
);

INSERT INTO ticket_statuses (id, title, color) VALUES
    (1, 'Open', '#779500'), (2, 'Answered', '#000000'), (3, 'Customer-Reply', '#ff6600'),
    (4, 'On Hold', '#224488'), (5, 'In Progress', '#cc0000'), (6, 'Closed', '#888888');

-- defaults:begin
INSERT INTO currencies (id, code, prefix, suffix, format, rate, seeded) VALUES (1, 'USD', '$', ' USD', 1, '1.00000', 1);
INSERT INTO payment_gateways (id, module, display_name, seeded) VALUES (1, 'banktransfer', 'Bank Transfer', 1), (2, 'paypal', 'PayPal', 1);
INSERT INTO support_departments (id, name, email, seeded) VALUES (1, 'General Enquiries', '', 1);
-- defaults:end
