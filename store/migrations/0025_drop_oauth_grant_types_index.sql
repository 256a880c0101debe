-- The read model answers every list of OAuth credentials filtered by grant
-- type (store/model.go keeps an ordering per grant type); SQL filters them
-- only inside a write transaction that changed a credential, over a table
-- a test holds, and nothing else reads this index. It cost every write of
-- a credential a second b-tree insert and a page more in the WAL.
DROP INDEX oauth_credentials_grant_types;
