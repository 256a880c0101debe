-- What the Users actions show of a user beyond the login identity: the
-- client-area language and when the user was created (Unix seconds, UTC;
-- 0 for users made before this migration, shown as MySQL's zero date).
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;
