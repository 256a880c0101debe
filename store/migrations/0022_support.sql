-- Support, project management and user access: what the second half of
-- those WHMCS categories keeps.
--
-- Ticket attachments: the files OpenTicket, AddTicketReply and AddTicketNote
-- are sent, kept with the post they came with (the ticket's opening
-- message: reply_id and note_id NULL; a reply; a note) in the order they
-- came (position, from 0, GetTicketAttachment's index). stored is WHMCS's
-- file name for it (six digits, "_", the name), which GetTicket shows
-- joined by "|"; filename the name as sent. A post's attachments_removed
-- is WHMCS's flag for attachments an admin deleted: they are still listed
-- but cannot be fetched. Attachments go with their ticket, reply or note.

CREATE TABLE ticket_attachments (
    id        INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    reply_id  INTEGER REFERENCES ticket_replies (id) ON DELETE CASCADE,
    note_id   INTEGER REFERENCES ticket_notes (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    filename  TEXT NOT NULL,
    stored    TEXT NOT NULL,
    data      BLOB NOT NULL
);

CREATE INDEX ticket_attachments_ticket_id ON ticket_attachments (ticket_id, position);
CREATE INDEX ticket_attachments_reply_id ON ticket_attachments (reply_id);
CREATE INDEX ticket_attachments_note_id ON ticket_attachments (note_id);

ALTER TABLE tickets ADD COLUMN attachments_removed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ticket_replies ADD COLUMN attachments_removed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ticket_notes ADD COLUMN attachments_removed INTEGER NOT NULL DEFAULT 0;

-- Predefined replies and their categories (GetTicketPredefinedCats,
-- GetTicketPredefinedReplies): fixture state, as WHMCS's API has no action
-- that writes them. parent_id 0 is a top-level category.
CREATE TABLE ticket_predefined_categories (
    id        INTEGER PRIMARY KEY,
    parent_id INTEGER NOT NULL DEFAULT 0,
    name      TEXT NOT NULL
);

CREATE TABLE ticket_predefined_replies (
    id          INTEGER PRIMARY KEY,
    category_id INTEGER NOT NULL REFERENCES ticket_predefined_categories (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    reply       TEXT NOT NULL
);

-- Senders BlockTicketSender blocked (WHMCS's ticket spam filter of type
-- sender): a guest with one of these emails cannot open a ticket or reply.
CREATE TABLE ticket_blocked_senders (
    email TEXT PRIMARY KEY COLLATE NOCASE
);

-- Announcements. Dates are "Y-m-d H:i:s" (UTC); created_at and updated_at
-- are MySQL's zero date for rows that never had them.
CREATE TABLE announcements (
    id           INTEGER PRIMARY KEY,
    date         TEXT NOT NULL,
    title        TEXT NOT NULL,
    announcement TEXT NOT NULL,
    published    INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL DEFAULT '0000-00-00 00:00:00',
    updated_at   TEXT NOT NULL DEFAULT '0000-00-00 00:00:00'
);

-- A project's messages, and the time logged on its tasks (StartTaskTimer,
-- EndTaskTimer): Unix seconds on the emulator's clock, end_time 0 while
-- the timer runs. A time log belongs to its task (and through it to the
-- task's project), and goes with it.
CREATE TABLE project_messages (
    id         INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    admin_id   INTEGER NOT NULL DEFAULT 0,
    date       TEXT NOT NULL,  -- Y-m-d H:i:s
    message    TEXT NOT NULL
);

CREATE INDEX project_messages_project_id ON project_messages (project_id);

CREATE TABLE project_timelogs (
    id         INTEGER PRIMARY KEY,
    task_id    INTEGER NOT NULL REFERENCES project_tasks (id) ON DELETE CASCADE,
    admin_id   INTEGER NOT NULL DEFAULT 0,
    start_time INTEGER NOT NULL,
    end_time   INTEGER NOT NULL DEFAULT 0,
    donotbill  INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX project_timelogs_task_id ON project_timelogs (task_id);

-- What a user who is not a client's owner may do for it (WHMCS's
-- tblusers_clients.permissions): the permission names, comma-separated.
-- A user linked before this migration, or by a fixture that names none,
-- has them all, as the owner does.
ALTER TABLE client_users ADD COLUMN permissions TEXT NOT NULL
    DEFAULT 'profile,contacts,products,manageproducts,productsso,domains,managedomains,invoices,quotes,tickets,affiliates,emails,orders';
