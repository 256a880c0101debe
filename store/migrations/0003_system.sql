-- WHMCS's System category: the activity log, configuration values beyond
-- the ones the settings table already holds, and the installation's
-- secrets (the EncryptPassword key). Times are Unix seconds (UTC).

CREATE TABLE activity_log (
    id          INTEGER PRIMARY KEY,
    date        INTEGER NOT NULL,
    description TEXT NOT NULL,
    client_id   INTEGER NOT NULL DEFAULT 0, -- WHMCS's userid column: the client the entry is about
    user_id     INTEGER NOT NULL DEFAULT 0, -- the user (login identity) who acted
    admin_id    INTEGER NOT NULL DEFAULT 0, -- the admin who acted
    username    TEXT NOT NULL DEFAULT '',   -- the admin's username, or System
    ip_address  TEXT NOT NULL DEFAULT ''
);

CREATE INDEX activity_log_client_id ON activity_log (client_id);

-- Configuration values by WHMCS setting name (DateFormat, Email, …); the
-- allowed names are the actions' business, not the schema's.
CREATE TABLE configuration (
    setting TEXT PRIMARY KEY,
    value   TEXT NOT NULL
);

-- Secrets the installation generates for itself, such as the key of
-- EncryptPassword. Never exported, never logged.
CREATE TABLE system_secrets (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
);

-- GetActivityLog's user filter finds clients by email, case-insensitively.
CREATE INDEX clients_email_lower ON clients (lower(email));
