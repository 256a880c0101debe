-- The OCI IAM dialect (/20160918/users/{userId}/oauth2ClientCredentials):
-- the users of the one emulated tenancy, their API signing keys, their
-- OAuth 2.0 client credentials and the opc-retry-token answers kept for
-- idempotent creates. Ids are OCIDs. Times are Unix milliseconds (OCI shows
-- milliseconds); expires_on is NULL for "never".
-- A key is its PEM text and its fingerprint (MD5 of the DER public key,
-- colon-separated hex, as OCI computes it), unique per user.
-- A credential's password is shown once (create, or update with
-- isResetPassword), so only its bcrypt hash is kept; scopes are a JSON
-- array of {"audience","scope"}; etag changes on every write.
-- A retry token remembers, for 24 hours, the request it was first used
-- with (SHA-256 of the user id and body) and the answer given (status,
-- etag, body: that body holds the new password in clear, as OCI must
-- replay it). It is not exported.

CREATE TABLE oci_users (
    id          TEXT PRIMARY KEY,
    tenancy_id  TEXT NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT ''
);

CREATE TABLE oci_api_keys (
    user_id     TEXT NOT NULL REFERENCES oci_users (id) ON DELETE CASCADE,
    fingerprint TEXT NOT NULL,
    pem         TEXT NOT NULL,
    PRIMARY KEY (user_id, fingerprint)
);

CREATE TABLE oci_credentials (
    id              TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL REFERENCES oci_users (id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    scopes          TEXT NOT NULL DEFAULT '[]',
    password_hash   TEXT NOT NULL,
    expires_on      INTEGER,
    lifecycle_state TEXT NOT NULL DEFAULT 'ACTIVE',
    time_created    INTEGER NOT NULL,
    etag            TEXT NOT NULL
);

CREATE INDEX oci_credentials_user_id ON oci_credentials (user_id, time_created, id);

CREATE TABLE oci_retry_tokens (
    token        TEXT PRIMARY KEY,
    request_hash TEXT NOT NULL,
    status       INTEGER NOT NULL,
    etag         TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL,
    expires      INTEGER NOT NULL
);
