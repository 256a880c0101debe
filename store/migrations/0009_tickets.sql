-- Support tickets with their replies and notes. client_id, contact_id and
-- dept_id carry no foreign key: WHMCS keeps a ticket whose client or
-- department went away, and so does the emulator. Dates are WHMCS's
-- "Y-m-d H:i:s" text (UTC).

CREATE TABLE tickets (
    id         INTEGER PRIMARY KEY,
    tid        TEXT NOT NULL UNIQUE,       -- the mask shown to clients, e.g. ABC-123456
    c          TEXT NOT NULL,              -- the client-area access code
    dept_id    INTEGER NOT NULL,
    client_id  INTEGER NOT NULL DEFAULT 0, -- 0 for a guest ticket
    contact_id INTEGER NOT NULL DEFAULT 0,
    name       TEXT NOT NULL DEFAULT '',   -- a guest's name and email
    email      TEXT NOT NULL DEFAULT '',
    cc         TEXT NOT NULL DEFAULT '',
    date       TEXT NOT NULL,
    subject    TEXT NOT NULL,
    message    TEXT NOT NULL,
    status     TEXT NOT NULL,
    priority   TEXT NOT NULL,
    admin      TEXT NOT NULL DEFAULT '',
    lastreply  TEXT NOT NULL,
    flag       INTEGER NOT NULL DEFAULT 0,
    service    TEXT NOT NULL DEFAULT ''  -- 'S<id>' for a service, '' for none
);

CREATE INDEX tickets_client_id ON tickets (client_id);

CREATE TABLE ticket_replies (
    id         INTEGER PRIMARY KEY,
    ticket_id  INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    client_id  INTEGER NOT NULL DEFAULT 0,
    contact_id INTEGER NOT NULL DEFAULT 0,
    name       TEXT NOT NULL DEFAULT '',
    email      TEXT NOT NULL DEFAULT '',
    admin      TEXT NOT NULL DEFAULT '',
    date       TEXT NOT NULL,
    message    TEXT NOT NULL
);

CREATE INDEX ticket_replies_ticket_id ON ticket_replies (ticket_id);

CREATE TABLE ticket_notes (
    id        INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    admin     TEXT NOT NULL DEFAULT '',
    date      TEXT NOT NULL,
    message   TEXT NOT NULL
);

CREATE INDEX ticket_notes_ticket_id ON ticket_notes (ticket_id);
