-- Modules, servers, addons, affiliates, cancellation requests and
-- upgrades: what the Module, Servers, Addons and Affiliates actions keep,
-- and what ModuleX, UpgradeProduct, FraudOrder, OrderFraudCheck and
-- AddCancelRequest write. Money is kept in integer cents; dates are
-- WHMCS's text ('Y-m-d', or 'Y-m-d H:i:s' in UTC; '' when unset).

-- WHMCS's tblservers. type is the server module (cpanel, plesk, ...);
-- active marks the default server of its module; the status columns are
-- what GetServers answers when asked to fetch the server's status.
CREATE TABLE servers (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    hostname      TEXT NOT NULL DEFAULT '',
    ipaddress     TEXT NOT NULL DEFAULT '',
    type          TEXT NOT NULL DEFAULT '',
    active        INTEGER NOT NULL DEFAULT 0,
    disabled      INTEGER NOT NULL DEFAULT 0,
    maxaccounts   INTEGER NOT NULL DEFAULT 200,
    status_http   INTEGER NOT NULL DEFAULT 0,
    status_load   TEXT NOT NULL DEFAULT '',
    status_uptime TEXT NOT NULL DEFAULT ''
);

-- The server a service is on (0 for none), and its password (WHMCS keeps
-- it encrypted and shows it; ModuleChangePw sets it).
ALTER TABLE services ADD COLUMN server_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE services ADD COLUMN password TEXT NOT NULL DEFAULT '';

-- Registrar, fraud and addon modules that are active (tblregistrars,
-- tblfraud, tbladdonmodules); an active gateway is a payment_gateways row.
CREATE TABLE modules (
    type TEXT NOT NULL, -- registrar, fraud, addon
    name TEXT NOT NULL,
    PRIMARY KEY (type, name)
);

-- Every module's configuration values (a gateway's FriendlyName is its
-- payment_gateways.display_name instead).
CREATE TABLE module_settings (
    type    TEXT NOT NULL, -- gateway, registrar, fraud, addon
    name    TEXT NOT NULL,
    setting TEXT NOT NULL,
    value   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (type, name, setting)
);

-- What the emulated fraud modules fail an order for: its IP address, or
-- its client's email address (compared in lower case).
CREATE TABLE fraud_blocklist (
    kind  TEXT NOT NULL, -- ip or email
    value TEXT NOT NULL,
    PRIMARY KEY (kind, value)
);

-- WHMCS's tblmodulequeue: module calls that failed and are not yet done.
CREATE TABLE module_queue (
    id                 INTEGER PRIMARY KEY,
    service_type       TEXT NOT NULL,  -- service, domain or addon
    rel_id             INTEGER NOT NULL,
    module_name        TEXT NOT NULL DEFAULT '',
    module_action      TEXT NOT NULL DEFAULT '',
    last_attempt       TEXT NOT NULL DEFAULT '',
    last_attempt_error TEXT NOT NULL DEFAULT '',
    num_retries        INTEGER NOT NULL DEFAULT 0,
    completed          INTEGER NOT NULL DEFAULT 0,
    created_at         TEXT NOT NULL DEFAULT '',
    updated_at         TEXT NOT NULL DEFAULT ''
);

CREATE INDEX module_queue_rel ON module_queue (service_type, rel_id);

-- The product addons that can be ordered (tbladdons): one price, in the
-- default currency, for one billing cycle.
CREATE TABLE addons (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    billingcycle    TEXT NOT NULL DEFAULT 'Monthly',
    setupfee_cents  INTEGER NOT NULL DEFAULT 0,
    recurring_cents INTEGER NOT NULL DEFAULT 0,
    module          TEXT NOT NULL DEFAULT ''
);

-- A client's addons on its services (tblhostingaddons). addon_id names the
-- catalog addon (0 for a custom one); amounts are for all qty units.
CREATE TABLE client_addons (
    id              INTEGER PRIMARY KEY,
    client_id       INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    service_id      INTEGER NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    order_id        INTEGER NOT NULL DEFAULT 0,
    addon_id        INTEGER NOT NULL DEFAULT 0,
    name            TEXT NOT NULL DEFAULT '',
    qty             INTEGER NOT NULL DEFAULT 1,
    setupfee_cents  INTEGER NOT NULL DEFAULT 0,
    recurring_cents INTEGER NOT NULL DEFAULT 0,
    billingcycle    TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'Pending',
    regdate         TEXT NOT NULL DEFAULT '',
    nextduedate     TEXT NOT NULL DEFAULT '',
    nextinvoicedate TEXT NOT NULL DEFAULT '',
    terminationdate TEXT NOT NULL DEFAULT '',
    paymentmethod   TEXT NOT NULL DEFAULT '',
    notes           TEXT NOT NULL DEFAULT ''
);

CREATE INDEX client_addons_client ON client_addons (client_id);
CREATE INDEX client_addons_service ON client_addons (service_id);
CREATE INDEX client_addons_order ON client_addons (order_id);

-- Affiliates (tblaffiliates): clients who activated affiliate referrals;
-- one per client.
CREATE TABLE affiliates (
    id              INTEGER PRIMARY KEY,
    client_id       INTEGER NOT NULL UNIQUE REFERENCES clients (id) ON DELETE CASCADE,
    date            TEXT NOT NULL,             -- Y-m-d
    visitors        INTEGER NOT NULL DEFAULT 0,
    paytype         TEXT NOT NULL DEFAULT '',  -- '', percentage or fixedamount
    payamount_cents INTEGER NOT NULL DEFAULT 0,
    onetime         INTEGER NOT NULL DEFAULT 0,
    balance_cents   INTEGER NOT NULL DEFAULT 0,
    withdrawn_cents INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL DEFAULT '',
    updated_at      TEXT NOT NULL DEFAULT ''
);

-- The services an affiliate referred (tblaffiliatesaccounts).
CREATE TABLE affiliate_referrals (
    affiliate_id INTEGER NOT NULL REFERENCES affiliates (id) ON DELETE CASCADE,
    service_id   INTEGER NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    PRIMARY KEY (affiliate_id, service_id)
);

-- Cancellation requests (tblcancelrequests), one per service.
CREATE TABLE cancel_requests (
    id         INTEGER PRIMARY KEY,
    date       TEXT NOT NULL,  -- Y-m-d H:i:s
    service_id INTEGER NOT NULL UNIQUE REFERENCES services (id) ON DELETE CASCADE,
    reason     TEXT NOT NULL DEFAULT '',
    type       TEXT NOT NULL DEFAULT 'End of Billing Period' -- or Immediate
);

-- Product upgrades (tblupgrades): a Pending one is applied when its
-- invoice is paid (the trigger below), or at once when nothing is due.
CREATE TABLE upgrades (
    id               INTEGER PRIMARY KEY,
    order_id         INTEGER REFERENCES orders (id) ON DELETE CASCADE, -- NULL for none
    service_id       INTEGER NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    date             TEXT NOT NULL,  -- Y-m-d
    old_product_id   INTEGER NOT NULL,
    old_billingcycle TEXT NOT NULL DEFAULT '',
    new_product_id   INTEGER NOT NULL,
    new_billingcycle TEXT NOT NULL DEFAULT '',
    new_recurring    TEXT NOT NULL DEFAULT '0.00', -- the service's recurring amount after
    new_nextduedate  TEXT NOT NULL DEFAULT '',     -- its next due date after; '' keeps it
    amount_cents     INTEGER NOT NULL DEFAULT 0,   -- what the upgrade costs now
    invoice_id       INTEGER NOT NULL DEFAULT 0,
    status           TEXT NOT NULL DEFAULT 'Pending' -- Pending or Completed
);

CREATE INDEX upgrades_service ON upgrades (service_id);

-- OrderFraudCheck's record on the order, as GetOrders shows it.
ALTER TABLE orders ADD COLUMN fraudmodule TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN fraudoutput TEXT NOT NULL DEFAULT '';

-- An invoice that becomes Paid, by whichever action, applies the Pending
-- upgrades it bills: the service takes the new product, billing cycle,
-- recurring amount and (when the cycle changed) next due date.
CREATE TRIGGER upgrades_paid AFTER UPDATE OF status ON invoices
WHEN NEW.status = 'Paid' AND OLD.status <> 'Paid'
BEGIN
    UPDATE services SET
        product_id = u.new_product_id,
        billingcycle = u.new_billingcycle,
        recurringamount = u.new_recurring,
        nextduedate = CASE WHEN u.new_nextduedate <> '' THEN u.new_nextduedate ELSE services.nextduedate END
    FROM (SELECT * FROM upgrades WHERE invoice_id = NEW.id AND status = 'Pending' ORDER BY id) AS u
    WHERE services.id = u.service_id;
    UPDATE upgrades SET status = 'Completed' WHERE invoice_id = NEW.id AND status = 'Pending';
END;

-- An order that goes takes the addons it ordered with it; a service,
-- domain or addon that goes takes its module queue entries.
CREATE TRIGGER orders_addons_deleted AFTER DELETE ON orders
BEGIN
    DELETE FROM client_addons WHERE order_id = OLD.id;
END;

CREATE TRIGGER services_queue_deleted AFTER DELETE ON services
BEGIN
    DELETE FROM module_queue WHERE service_type = 'service' AND rel_id = OLD.id;
END;

CREATE TRIGGER domains_queue_deleted AFTER DELETE ON domains
BEGIN
    DELETE FROM module_queue WHERE service_type = 'domain' AND rel_id = OLD.id;
END;

CREATE TRIGGER client_addons_queue_deleted AFTER DELETE ON client_addons
BEGIN
    DELETE FROM module_queue WHERE service_type = 'addon' AND rel_id = OLD.id;
END;
