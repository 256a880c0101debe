-- WHMCS as an OpenID Connect provider (oauth/authorize.php, token.php,
-- userinfo.php) and the browser sessions of its client-area pages.
--
-- oauth_signing_key: the one RSA key id tokens are signed with, made the
-- first time it is needed and kept for the life of the database (a reset
-- keeps it, so relying parties' cached key sets stay good). PKCS #8 PEM.
--
-- oauth_sessions: signed-in browsers, by the SHA-256 (hex) of their cookie.
-- client_id is the client a single sign-on token chose (0: none chosen).
--
-- oauth_flows: authorization requests (and client-area sign-ins) between
-- their pages: the request's parameters, who signed in so far and the step
-- reached (login, two_factor, consent). credential_id is NULL for a
-- sign-in on login.php. Known by the SHA-256 of the id in the form.
--
-- oauth_grants: one per authorization code, holding what the code and the
-- tokens issued from it stand for. secret_sha is the SHA-256 (hex) of the
-- credential's secret when the code was issued: a reset secret changes
-- it, and every code and token issued before stops working at once.
-- code_used_at is NULL until the code is exchanged; revoked is set when a
-- used code or refresh token is presented again.
--
-- oauth_tokens: access and refresh tokens, by the SHA-256 (hex) of their
-- text; they go with their grant, which goes with its credential and user.
-- scope is the token's own (a refresh may narrow the grant's); used_at
-- marks a refresh token already exchanged (rotation).
--
-- users.two_factor_secret is the base32 TOTP secret a fixture gives
-- (RFC 6238); two_factor_last_step the last time step a code was accepted
-- for, so one code cannot be used twice.
--
-- Before this migration every saved setting also wrote the default System
-- URL (http://localhost/), so a stored default cannot be told from one a
-- fixture chose: it is removed, and the server's default (the address it
-- listens on) applies instead.

CREATE TABLE oauth_signing_key (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    kid         TEXT NOT NULL,
    private_key TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE oauth_sessions (
    hash       TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id  INTEGER NOT NULL DEFAULT 0,
    auth_time  INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);

CREATE INDEX oauth_sessions_user_id ON oauth_sessions (user_id);

CREATE TABLE oauth_flows (
    hash                  TEXT PRIMARY KEY,
    credential_id         INTEGER REFERENCES oauth_credentials (id) ON DELETE CASCADE,
    redirect_uri          TEXT NOT NULL DEFAULT '',
    scope                 TEXT NOT NULL DEFAULT '',
    state                 TEXT NOT NULL DEFAULT '',
    nonce                 TEXT NOT NULL DEFAULT '',
    code_challenge        TEXT NOT NULL DEFAULT '',
    code_challenge_method TEXT NOT NULL DEFAULT '',
    user_id               INTEGER NOT NULL DEFAULT 0,
    step                  TEXT NOT NULL,
    expires_at            INTEGER NOT NULL
);

CREATE INDEX oauth_flows_credential_id ON oauth_flows (credential_id);

CREATE TABLE oauth_grants (
    id                    INTEGER PRIMARY KEY,
    credential_id         INTEGER NOT NULL REFERENCES oauth_credentials (id) ON DELETE CASCADE,
    secret_sha            TEXT NOT NULL,
    user_id               INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    scope                 TEXT NOT NULL,
    nonce                 TEXT NOT NULL DEFAULT '',
    auth_time             INTEGER NOT NULL,
    code_hash             TEXT NOT NULL UNIQUE,
    redirect_uri          TEXT NOT NULL,
    code_challenge        TEXT NOT NULL DEFAULT '',
    code_challenge_method TEXT NOT NULL DEFAULT '',
    code_expires_at       INTEGER NOT NULL,
    code_used_at          INTEGER,
    revoked               INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX oauth_grants_credential_id ON oauth_grants (credential_id);
CREATE INDEX oauth_grants_user_id ON oauth_grants (user_id);

CREATE TABLE oauth_tokens (
    hash       TEXT PRIMARY KEY,
    grant_id   INTEGER NOT NULL REFERENCES oauth_grants (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
    scope      TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);

CREATE INDEX oauth_tokens_grant_id ON oauth_tokens (grant_id);

ALTER TABLE users ADD COLUMN two_factor_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN two_factor_last_step INTEGER NOT NULL DEFAULT 0;

DELETE FROM settings WHERE key = 'systemUrl' AND value = 'http://localhost/';
