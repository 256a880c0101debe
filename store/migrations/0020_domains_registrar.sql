-- Domains: TLD pricing, the active registrars, the emulated registrar's
-- own record of each domain, and the WHOIS answers a fixture decides.
--
-- tlds and tld_pricing are WHMCS's tbldomainpricing and the domain rows of
-- tblpricing: a TLD's options, and its price for one currency, one kind
-- (register, transfer or renew) and one number of years. Money is in
-- cents. A period that is not offered has no row.
--
-- registrars are the active registrar modules GetRegistrars lists. The one
-- marked seeded = 1 is the default an installation starts with; a fixture
-- with registrars replaces it, and Wipe puts it back by running the block
-- between the defaults markers again: it must stay plain INSERT statements.
--
-- domain_registrar is what the emulated registrar keeps of a domain of
-- tbldomains: whether it holds the domain (registered or transferred in,
-- not released), its nameservers, registrar lock, EPP code, IDN language
-- and WHOIS contacts. A domain without a row has the defaults (not held,
-- nothing set); the row goes with its domain, and so with the client.
--
-- whois_names are the names DomainWhois answers as taken or reserved, and
-- the TLDs it does not look up (kind unsupported), lower case.

CREATE TABLE tlds (
    id                   INTEGER PRIMARY KEY,
    extension            TEXT NOT NULL UNIQUE,       -- ".com": lower case, with its dot
    dns_management       INTEGER NOT NULL DEFAULT 0,
    email_forwarding     INTEGER NOT NULL DEFAULT 0,
    id_protection        INTEGER NOT NULL DEFAULT 0,
    epp_required         INTEGER NOT NULL DEFAULT 0,
    auto_registrar       TEXT NOT NULL DEFAULT '',
    grp                  TEXT NOT NULL DEFAULT '',   -- '', HOT, NEW or SALE
    categories           TEXT NOT NULL DEFAULT '',   -- one per line
    grace_days           INTEGER NOT NULL DEFAULT -1, -- -1: not set
    grace_fee_cents      INTEGER NOT NULL DEFAULT 0,  -- below 0: disabled
    redemption_days      INTEGER NOT NULL DEFAULT -1,
    redemption_fee_cents INTEGER NOT NULL DEFAULT 0,
    sort_order           INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE tld_pricing (
    tld_id      INTEGER NOT NULL REFERENCES tlds (id) ON DELETE CASCADE,
    currency_id INTEGER NOT NULL REFERENCES currencies (id) ON DELETE CASCADE,
    type        TEXT NOT NULL,    -- register, transfer or renew
    years       INTEGER NOT NULL, -- 1 to 10
    price_cents INTEGER NOT NULL,
    PRIMARY KEY (tld_id, currency_id, type, years)
);

CREATE TABLE registrars (
    id           INTEGER PRIMARY KEY,
    module       TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    seeded       INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE domain_registrar (
    domain_id   INTEGER PRIMARY KEY REFERENCES domains (id) ON DELETE CASCADE,
    held        INTEGER NOT NULL DEFAULT 0,
    nameservers TEXT NOT NULL DEFAULT '',  -- comma-separated, at most five
    locked      INTEGER NOT NULL DEFAULT 0,
    epp_code    TEXT NOT NULL DEFAULT '',
    idn_language TEXT NOT NULL DEFAULT '',
    registrant  TEXT NOT NULL DEFAULT '',  -- a contact as JSON; '' is the client's details
    admin       TEXT NOT NULL DEFAULT '',
    tech        TEXT NOT NULL DEFAULT ''
);

CREATE TABLE whois_names (
    kind TEXT NOT NULL, -- taken, reserved or unsupported
    name TEXT NOT NULL, -- a domain name, or a TLD with its dot for unsupported
    PRIMARY KEY (kind, name)
);

-- defaults:begin
INSERT INTO registrars (module, display_name, seeded) VALUES ('whmcsemu', 'whmcsemu Registrar', 1);
-- defaults:end
