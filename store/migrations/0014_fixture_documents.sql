-- The fixture documents a reset restores, kept with their hashes so that a
-- restart after a reset (or a load with replace) knows what this database
-- holds: without them, a restart with the same --fixtures file applied it
-- again on top of the state the API had changed since. Rows from before
-- this migration have no document; a load of the same file fills it in.
ALTER TABLE fixture_loads ADD COLUMN document BLOB;
