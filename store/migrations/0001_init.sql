-- The first schema: settings, the API's own access control, the people and
-- accounts an OAuth credential can point at, and the OAuth credentials.
-- Times are Unix seconds (UTC).

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE admins (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL, -- bcrypt of the md5 hex of the password
    email         TEXT NOT NULL DEFAULT '',
    firstname     TEXT NOT NULL DEFAULT '',
    lastname      TEXT NOT NULL DEFAULT '',
    disabled      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE api_roles (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    actions     TEXT NOT NULL DEFAULT '' -- space-separated normalised action names, or *
);

CREATE TABLE api_credentials (
    id          INTEGER PRIMARY KEY,
    identifier  TEXT NOT NULL UNIQUE,
    secret_hash TEXT NOT NULL, -- bcrypt
    admin_id    INTEGER NOT NULL REFERENCES admins(id) ON DELETE CASCADE,
    description TEXT NOT NULL DEFAULT ''
);

CREATE TABLE api_credential_roles (
    credential_id INTEGER NOT NULL REFERENCES api_credentials(id) ON DELETE CASCADE,
    role_id       INTEGER NOT NULL REFERENCES api_roles(id) ON DELETE CASCADE,
    PRIMARY KEY (credential_id, role_id)
);

CREATE TABLE users (
    id                 INTEGER PRIMARY KEY,
    firstname          TEXT NOT NULL DEFAULT '',
    lastname           TEXT NOT NULL DEFAULT '',
    email              TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash      TEXT NOT NULL, -- bcrypt
    two_factor_enabled INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE clients (
    id            INTEGER PRIMARY KEY,
    uuid          TEXT NOT NULL UNIQUE,
    firstname     TEXT NOT NULL DEFAULT '',
    lastname      TEXT NOT NULL DEFAULT '',
    companyname   TEXT NOT NULL DEFAULT '',
    email         TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'Active',
    owner_user_id INTEGER REFERENCES users(id) ON DELETE SET NULL
);

CREATE TABLE client_users (
    client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (client_id, user_id)
);

CREATE TABLE product_groups (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL DEFAULT ''
);

CREATE TABLE products (
    id   INTEGER PRIMARY KEY,
    gid  INTEGER REFERENCES product_groups(id) ON DELETE SET NULL,
    name TEXT NOT NULL DEFAULT '',
    type TEXT NOT NULL DEFAULT 'other'
);

CREATE TABLE services (
    id         INTEGER PRIMARY KEY,
    client_id  INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    product_id INTEGER NOT NULL REFERENCES products(id),
    domain     TEXT NOT NULL DEFAULT '',
    status     TEXT NOT NULL DEFAULT 'Active'
);

-- The scopes an OAuth credential may be given, seeded as WHMCS seeds them.
CREATE TABLE oauth_scopes (
    id    INTEGER PRIMARY KEY,
    scope TEXT NOT NULL UNIQUE
);

INSERT INTO oauth_scopes (id, scope) VALUES
    (1, 'clientarea:sso'), (2, 'clientarea:profile'), (3, 'clientarea:billing_info'),
    (4, 'clientarea:emails'), (5, 'clientarea:announcements'), (6, 'clientarea:downloads'),
    (7, 'clientarea:knowledgebase'), (8, 'clientarea:network_status'), (9, 'clientarea:services'),
    (10, 'clientarea:product_details'), (11, 'clientarea:domains'), (12, 'clientarea:domain_details'),
    (13, 'clientarea:invoices'), (14, 'clientarea:tickets'), (15, 'clientarea:submit_ticket'),
    (16, 'clientarea:shopping_cart'), (17, 'clientarea:shopping_cart_addons'),
    (18, 'clientarea:shopping_cart_domain_register'), (19, 'clientarea:shopping_cart_domain_transfer'),
    (20, 'openid'), (21, 'email'), (22, 'profile'), (23, 'clientarea:upgrade'), (24, 'sso:custom_redirect');

CREATE TABLE oauth_credentials (
    id              INTEGER PRIMARY KEY,
    identifier      TEXT NOT NULL UNIQUE,
    secret          TEXT NOT NULL, -- kept readable: ListOAuthCredentials returns it
    name            TEXT NOT NULL DEFAULT '',
    description     TEXT NOT NULL DEFAULT '',
    grant_types     TEXT NOT NULL,
    service_id      INTEGER NOT NULL DEFAULT 0,
    user_id         INTEGER NOT NULL DEFAULT 0,
    logo_uri        TEXT NOT NULL DEFAULT '',
    redirect_uris   TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
    rsa_key_pair_id INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);

CREATE INDEX oauth_credentials_grant_types ON oauth_credentials (grant_types);

CREATE TABLE oauth_credential_scopes (
    credential_id INTEGER NOT NULL REFERENCES oauth_credentials(id) ON DELETE CASCADE,
    scope_id      INTEGER NOT NULL REFERENCES oauth_scopes(id),
    position      INTEGER NOT NULL,
    PRIMARY KEY (credential_id, scope_id)
);

CREATE TABLE sso_tokens (
    token       TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL,
    client_id   INTEGER NOT NULL DEFAULT 0,
    destination TEXT NOT NULL DEFAULT '',
    service_id  INTEGER NOT NULL DEFAULT 0,
    domain_id   INTEGER NOT NULL DEFAULT 0,
    redirect_path TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER
);

CREATE INDEX sso_tokens_expires_at ON sso_tokens (expires_at);

-- Fixture documents already applied to this database, by content hash, so a
-- restart with the same --fixtures file keeps the state instead of re-seeding it.
CREATE TABLE fixture_loads (
    hash      TEXT PRIMARY KEY,
    loaded_at INTEGER NOT NULL
);
