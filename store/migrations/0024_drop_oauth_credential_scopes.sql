-- OAuth credentials keep their scopes in oauth_credentials.scopes (0002),
-- in order, and nothing reads the link table any more: it only cost every
-- write of a credential a delete and an insert per scope. The permitted
-- scope names stay in oauth_scopes.
DROP TABLE oauth_credential_scopes;
