-- Project management: projects and their tasks. A project may belong to a
-- client (client_id NULL when it does not); it goes with its client
-- (ON DELETE CASCADE), as DeleteClient promises, and its tasks go with it.
-- admin_id carries no foreign key: WHMCS keeps a project whose admin went
-- away (0 means none). ticketids and invoiceids are kept as WHMCS keeps
-- them: the comma-separated text the caller gave. Dates are WHMCS's text:
-- 'Y-m-d' for dates, 'Y-m-d H:i:s' (UTC) for times, '0000-00-00' for a
-- task due date never set.

CREATE TABLE projects (
    id           INTEGER PRIMARY KEY,
    client_id    INTEGER REFERENCES clients (id) ON DELETE CASCADE,
    admin_id     INTEGER NOT NULL DEFAULT 0,
    title        TEXT NOT NULL,
    ticketids    TEXT NOT NULL DEFAULT '',
    invoiceids   TEXT NOT NULL DEFAULT '',
    notes        TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL,
    created      TEXT NOT NULL,              -- Y-m-d
    duedate      TEXT NOT NULL,              -- Y-m-d
    completed    INTEGER NOT NULL DEFAULT 0,
    lastmodified TEXT NOT NULL               -- Y-m-d H:i:s
);

CREATE INDEX projects_client_id ON projects (client_id);

CREATE TABLE project_tasks (
    id         INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    admin_id   INTEGER NOT NULL DEFAULT 0,
    task       TEXT NOT NULL,
    notes      TEXT NOT NULL DEFAULT '',
    created    TEXT NOT NULL,                    -- Y-m-d H:i:s
    duedate    TEXT NOT NULL DEFAULT '0000-00-00', -- Y-m-d
    completed  INTEGER NOT NULL DEFAULT 0,
    billed     INTEGER NOT NULL DEFAULT 0,
    sort_order INTEGER NOT NULL DEFAULT 0        -- WHMCS's "order": 1, 2, … within the project
);

CREATE INDEX project_tasks_project_id ON project_tasks (project_id);
