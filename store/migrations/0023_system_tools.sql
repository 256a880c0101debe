-- WHMCS's System tools: banned IPs (tblbannedips), the to-do list
-- (tbltodolist), each admin's notes (tbladmins.notes), the notification
-- events TriggerNotificationEvent raises, and the automation log
-- (tbllog_register) GetAutomationLog reads. Times are Unix seconds (UTC)
-- unless said otherwise.

-- AddBannedIp's bans. The server keeps this table in memory (store/bans.go)
-- and refuses a banned address ("IP Banned") until expires; 0 never expires.
CREATE TABLE banned_ips (
    id      INTEGER PRIMARY KEY,
    ip      TEXT NOT NULL UNIQUE, -- an IPv4 or IPv6 address, as netip prints it
    reason  TEXT NOT NULL DEFAULT '',
    expires INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE todo_items (
    id          INTEGER PRIMARY KEY,
    date        TEXT NOT NULL,                -- Y-m-d, when it was added
    title       TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    admin_id    INTEGER NOT NULL DEFAULT 0,   -- the admin it is assigned to; 0 for none
    status      TEXT NOT NULL DEFAULT 'New',  -- New, Pending, In Progress, Completed, Postponed
    duedate     TEXT NOT NULL DEFAULT ''      -- Y-m-d; '' for none
);

-- The notes an admin keeps for itself (UpdateAdminNotes; GetAdminDetails).
CREATE TABLE admin_notes (
    admin_id INTEGER PRIMARY KEY REFERENCES admins (id) ON DELETE CASCADE,
    notes    TEXT NOT NULL
);

CREATE TABLE notification_events (
    id           INTEGER PRIMARY KEY,
    identifier   TEXT NOT NULL,
    title        TEXT NOT NULL,
    message      TEXT NOT NULL,
    url          TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT '',
    status_style TEXT NOT NULL DEFAULT '',
    attributes   TEXT NOT NULL DEFAULT '[]', -- JSON array of {label, value, url, style, icon}
    admin_id     INTEGER NOT NULL DEFAULT 0,  -- the admin who raised it
    date         INTEGER NOT NULL
);

-- What the automation tasks did: one row per task output (name: the task,
-- namespace: what it counts, value: how many), summed by day and namespace
-- by GetAutomationLog.
CREATE TABLE automation_log (
    id        INTEGER PRIMARY KEY,
    date      INTEGER NOT NULL,
    name      TEXT NOT NULL DEFAULT '',
    namespace TEXT NOT NULL,
    value     INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX automation_log_date ON automation_log (date);
