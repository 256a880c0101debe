-- A retry token's kept answer no longer holds the new credential's
-- password: the OCI dialect keeps that password in process memory only,
-- for the token's lifetime, and the database holds no password in clear
-- (0013 kept it in the body). This removes the password from answers kept
-- by earlier versions; a replay of such a token is answered as after a
-- restart (409 InvalidatedRetryToken, and no duplicate credential).
-- secure_delete overwrites the old row contents instead of leaving them in
-- the file's free space, and is set back to its default afterwards.

PRAGMA secure_delete = ON;

UPDATE oci_retry_tokens SET body = json_remove(body, '$.password')
WHERE json_valid(body) AND json_type(body, '$.password') IS NOT NULL;

PRAGMA secure_delete = OFF;
