-- Credentials that work: what the OCI dialect needs to manage users and
-- their API keys through the API and to issue tokens, and what the
-- SailPoint dialect needs for the authorization code and refresh token
-- grants. Times are Unix milliseconds.
--
-- OCI users get what the User model shows: an optional email (NULL: none),
-- when they were created and an etag that changes on every write. Keys get
-- when they were uploaded. Rows from before take the migration's time and
-- a random etag.
-- oci_signing_keys holds the RSA keys (PKCS #8 PEM) that sign the access
-- tokens of /oauth2/v1/token, one made on first use; the newest signs, all
-- are published. They are not fixture state: a reset keeps them, so that
-- verifiers which cached the published keys keep working.
--
-- SailPoint identities are the people who log in on /oauth/authorize: name
-- and email (either logs in, any case), bcrypt password. An authorization
-- code and a refresh token are kept as the SHA-256 (hex) of their text and
-- go with their client and identity. A code is single use: used is set
-- when it is exchanged, and the row stays until it expires so that a
-- second exchange is recognised and revokes what the first one issued
-- (grant_id, the code's hash, on the tokens it led to). scope is a JSON
-- array of strings.

ALTER TABLE oci_users ADD COLUMN email TEXT;
ALTER TABLE oci_users ADD COLUMN time_created INTEGER NOT NULL DEFAULT 0;
ALTER TABLE oci_users ADD COLUMN etag TEXT NOT NULL DEFAULT '';
UPDATE oci_users SET time_created = CAST(unixepoch('subsec') * 1000 AS INTEGER), etag = lower(hex(randomblob(16)));

ALTER TABLE oci_api_keys ADD COLUMN time_created INTEGER NOT NULL DEFAULT 0;
UPDATE oci_api_keys SET time_created = CAST(unixepoch('subsec') * 1000 AS INTEGER);

CREATE TABLE oci_signing_keys (
    kid         TEXT PRIMARY KEY,
    private_key TEXT NOT NULL,
    created     INTEGER NOT NULL
);

CREATE TABLE sailpoint_identities (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    email         TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    created       INTEGER NOT NULL
);

CREATE UNIQUE INDEX sailpoint_identities_name ON sailpoint_identities (name COLLATE NOCASE);

CREATE TABLE sailpoint_codes (
    hash         TEXT PRIMARY KEY,
    client_id    TEXT NOT NULL REFERENCES sailpoint_clients (id) ON DELETE CASCADE,
    identity_id  TEXT NOT NULL REFERENCES sailpoint_identities (id) ON DELETE CASCADE,
    redirect_uri TEXT NOT NULL,
    scope        TEXT NOT NULL DEFAULT '[]',
    expires      INTEGER NOT NULL,
    used         INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE sailpoint_refresh_tokens (
    hash        TEXT PRIMARY KEY,
    client_id   TEXT NOT NULL REFERENCES sailpoint_clients (id) ON DELETE CASCADE,
    identity_id TEXT REFERENCES sailpoint_identities (id) ON DELETE CASCADE,
    scope       TEXT NOT NULL DEFAULT '[]',
    expires     INTEGER NOT NULL,
    grant_id    TEXT NOT NULL DEFAULT ''
);

CREATE INDEX sailpoint_refresh_tokens_client_id ON sailpoint_refresh_tokens (client_id);

ALTER TABLE sailpoint_tokens ADD COLUMN identity_id TEXT REFERENCES sailpoint_identities (id) ON DELETE CASCADE;
ALTER TABLE sailpoint_tokens ADD COLUMN grant_id TEXT NOT NULL DEFAULT '';
