-- An OAuth credential's scopes, space-separated in their order, kept beside
-- the link table (which WHMCS has, and deletes cascade through) so that a
-- list needs no subquery per row: that subquery was a quarter of a
-- ListOAuthCredentials call.
ALTER TABLE oauth_credentials ADD COLUMN scopes TEXT NOT NULL DEFAULT '';

UPDATE oauth_credentials SET scopes = coalesce((
    SELECT group_concat(s.scope, ' ' ORDER BY cs.position)
    FROM oauth_credential_scopes cs JOIN oauth_scopes s ON s.id = cs.scope_id
    WHERE cs.credential_id = oauth_credentials.id), '');
