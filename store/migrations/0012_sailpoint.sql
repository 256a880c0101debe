-- The SailPoint dialect (/v3/oauth-clients): OAuth clients and the bearer
-- tokens minted for them. Ids are SailPoint's 32 lower-case hex digits.
-- The secret is shown once, at creation, so only its bcrypt hash is kept.
-- Lists (redirect_uris, grant_types, scope) are JSON arrays of strings.
-- Times are Unix milliseconds (SailPoint shows milliseconds); last_used is
-- NULL until a token is first minted. Nullable text columns are the
-- schema's nullable strings; tenant is patchable but shown nowhere.
-- A token is kept as the SHA-256 (hex) of its text and goes with its client.

CREATE TABLE sailpoint_clients (
    id                             TEXT PRIMARY KEY,
    secret_hash                    TEXT NOT NULL,
    tenant                         TEXT,
    business_name                  TEXT,
    homepage_url                   TEXT,
    name                           TEXT NOT NULL,
    description                    TEXT,
    access_token_validity_seconds  INTEGER NOT NULL,
    refresh_token_validity_seconds INTEGER NOT NULL,
    redirect_uris                  TEXT NOT NULL DEFAULT '[]',
    grant_types                    TEXT NOT NULL DEFAULT '[]',
    access_type                    TEXT NOT NULL,
    type                           TEXT NOT NULL,
    internal                       INTEGER NOT NULL DEFAULT 0,
    enabled                        INTEGER NOT NULL DEFAULT 1,
    strong_auth_supported          INTEGER NOT NULL DEFAULT 0,
    claims_supported               INTEGER NOT NULL DEFAULT 0,
    scope                          TEXT NOT NULL DEFAULT '["sp:scopes:all"]',
    metadata                       TEXT,
    created                        INTEGER NOT NULL,
    modified                       INTEGER NOT NULL,
    last_used                      INTEGER
);

CREATE TABLE sailpoint_tokens (
    hash      TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES sailpoint_clients (id) ON DELETE CASCADE,
    scope     TEXT NOT NULL DEFAULT '[]',
    expires   INTEGER NOT NULL
);

CREATE INDEX sailpoint_tokens_client_id ON sailpoint_tokens (client_id);
