package store

import (
	"context"
	"database/sql"
)

// This file holds the support tickets (migration 0009): a ticket, its
// replies and its admin notes (their attachments are in
// ticket_posts.go); the counts of tickets by department and
// status; and the writes a fixture makes (tickets with their ids, activity
// log entries).

// Ticket is a support ticket. ClientID is 0 for a guest, who has Name and
// Email instead. Dates are "Y-m-d H:i:s".
type Ticket struct {
	ID        int64
	TID       string
	C         string
	DeptID    int64
	ClientID  int64
	ContactID int64
	Name      string
	Email     string
	CC        string
	Date      string
	Subject   string
	Message   string
	Status    string
	Priority  string
	Admin     string
	LastReply string
	Flag      int64
	Service   string // "S<id>" or ""
	// AttachmentsRemoved: an admin deleted the opening message's
	// attachments (they stay listed, but cannot be fetched).
	AttachmentsRemoved bool
}

// TicketEntry is a ticket with its department's name, and its client's
// name and email ("" for a guest or a client gone).
type TicketEntry struct {
	Ticket
	DeptName    string
	ClientName  string
	ClientEmail string
}

// TicketReply is a reply to a ticket, by a client, a guest or an admin.
type TicketReply struct {
	ID        int64
	TicketID  int64
	ClientID  int64
	ContactID int64
	Name      string
	Email     string
	Admin     string
	Date      string
	Message   string
	// AttachmentsRemoved: the reply's attachments were deleted.
	AttachmentsRemoved bool
}

// TicketNote is an admin's note on a ticket.
type TicketNote struct {
	ID       int64
	TicketID int64
	Admin    string
	Date     string
	Message  string
	// AttachmentsRemoved: the note's attachments were deleted.
	AttachmentsRemoved bool
}

const ticketColumns = `t.id, t.tid, t.c, t.dept_id, t.client_id, t.contact_id, t.name, t.email, t.cc, t.date,
	t.subject, t.message, t.status, t.priority, t.admin, t.lastreply, t.flag, t.service, t.attachments_removed,
	coalesce(d.name, ''), coalesce(trim(cl.firstname || ' ' || cl.lastname), ''), coalesce(cl.email, '')`

const ticketFrom = ` FROM tickets t LEFT JOIN support_departments d ON d.id = t.dept_id
	LEFT JOIN clients cl ON cl.id = t.client_id AND t.client_id != 0`

func scanTicket(sc interface{ Scan(...any) error }) (TicketEntry, error) {
	var e TicketEntry
	err := sc.Scan(&e.ID, &e.TID, &e.C, &e.DeptID, &e.ClientID, &e.ContactID, &e.Name, &e.Email, &e.CC, &e.Date,
		&e.Subject, &e.Message, &e.Status, &e.Priority, &e.Admin, &e.LastReply, &e.Flag, &e.Service,
		&e.AttachmentsRemoved, &e.DeptName, &e.ClientName, &e.ClientEmail)
	return e, err
}

// AddTicket inserts a ticket and returns its id; ErrConflict when its tid is taken.
func (tx *Tx) AddTicket(ctx context.Context, t Ticket) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, `INSERT INTO tickets (tid, c, dept_id, client_id, contact_id, name, email, cc, date,
		subject, message, status, priority, admin, lastreply, flag, service, attachments_removed)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		t.TID, t.C, t.DeptID, t.ClientID, t.ContactID, t.Name, t.Email, t.CC, t.Date, t.Subject, t.Message,
		t.Status, t.Priority, t.Admin, t.LastReply, t.Flag, t.Service, t.AttachmentsRemoved).Scan(&id)
	return id, conflict(err)
}

// TicketTIDUsed reports whether a ticket has the mask tid.
func (tx *Tx) TicketTIDUsed(ctx context.Context, tid string) (bool, error) {
	return tx.exists(ctx, `SELECT EXISTS (SELECT 1 FROM tickets WHERE tid = ?)`, tid)
}

// TicketByID returns the ticket with the given id.
func (tx *Tx) TicketByID(ctx context.Context, id int64) (TicketEntry, error) {
	e, err := scanTicket(tx.queryRow(ctx, `SELECT `+ticketColumns+ticketFrom+` WHERE t.id = ?`, id))
	return e, noRow(err)
}

// TicketByTID returns the ticket with the given mask.
func (tx *Tx) TicketByTID(ctx context.Context, tid string) (TicketEntry, error) {
	e, err := scanTicket(tx.queryRow(ctx, `SELECT `+ticketColumns+ticketFrom+` WHERE t.tid = ?`, tid))
	return e, noRow(err)
}

// UpdateTicket rewrites every stored field of a ticket but its id, tid and c.
func (tx *Tx) UpdateTicket(ctx context.Context, t Ticket) error {
	return tx.execFound(ctx, `UPDATE tickets SET dept_id = ?, client_id = ?, contact_id = ?, name = ?, email = ?,
		cc = ?, date = ?, subject = ?, message = ?, status = ?, priority = ?, admin = ?, lastreply = ?, flag = ?,
		attachments_removed = ? WHERE id = ?`, t.DeptID, t.ClientID, t.ContactID, t.Name, t.Email, t.CC, t.Date,
		t.Subject, t.Message, t.Status, t.Priority, t.Admin, t.LastReply, t.Flag, t.AttachmentsRemoved, t.ID)
}

// DeleteTicket deletes a ticket with its replies and notes.
func (tx *Tx) DeleteTicket(ctx context.Context, id int64) error {
	for _, q := range []string{`DELETE FROM ticket_replies WHERE ticket_id = ?`,
		`DELETE FROM ticket_notes WHERE ticket_id = ?`} {
		if _, err := tx.exec(ctx, q, id); err != nil {
			return err
		}
	}
	return tx.execFound(ctx, `DELETE FROM tickets WHERE id = ?`, id)
}

// AddTicketReply inserts a reply and returns its id.
func (tx *Tx) AddTicketReply(ctx context.Context, r TicketReply) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, `INSERT INTO ticket_replies (ticket_id, client_id, contact_id, name, email, admin, date,
		message, attachments_removed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		r.TicketID, r.ClientID, r.ContactID, r.Name, r.Email, r.Admin, r.Date, r.Message, r.AttachmentsRemoved).Scan(&id)
	return id, err
}

// AddTicketNote inserts a note and returns its id.
func (tx *Tx) AddTicketNote(ctx context.Context, n TicketNote) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, `INSERT INTO ticket_notes (ticket_id, admin, date, message, attachments_removed)
		VALUES (?, ?, ?, ?, ?) RETURNING id`, n.TicketID, n.Admin, n.Date, n.Message, n.AttachmentsRemoved).Scan(&id)
	return id, err
}

const ticketReplyColumns = `id, ticket_id, client_id, contact_id, name, email, admin, date, message,
	attachments_removed`

func scanTicketReply(sc interface{ Scan(...any) error }) (TicketReply, error) {
	var r TicketReply
	err := sc.Scan(&r.ID, &r.TicketID, &r.ClientID, &r.ContactID, &r.Name, &r.Email, &r.Admin, &r.Date,
		&r.Message, &r.AttachmentsRemoved)
	return r, err
}

// TicketReplies returns a ticket's replies by date (then id), newest first
// when desc. Dates order them, as WHMCS does: a reply backdated with
// created, or one a merge brought in, takes its place in the thread.
func (tx *Tx) TicketReplies(ctx context.Context, ticketID int64, desc bool) ([]TicketReply, error) {
	return collect(ctx, tx, `SELECT `+ticketReplyColumns+` FROM ticket_replies WHERE ticket_id = ?`+
		orderBy(desc, "date", "id"), func(rows *sql.Rows) (TicketReply, error) { return scanTicketReply(rows) },
		ticketID)
}

const ticketNoteColumns = `id, ticket_id, admin, date, message, attachments_removed`

func scanTicketNote(sc interface{ Scan(...any) error }) (TicketNote, error) {
	var n TicketNote
	err := sc.Scan(&n.ID, &n.TicketID, &n.Admin, &n.Date, &n.Message, &n.AttachmentsRemoved)
	return n, err
}

// TicketNotes returns a ticket's notes by id.
func (tx *Tx) TicketNotes(ctx context.Context, ticketID int64) ([]TicketNote, error) {
	return collect(ctx, tx, `SELECT `+ticketNoteColumns+` FROM ticket_notes WHERE ticket_id = ? ORDER BY id`,
		func(rows *sql.Rows) (TicketNote, error) { return scanTicketNote(rows) }, ticketID)
}

// TicketFilter selects tickets; zero fields do not filter. Statuses, when
// not empty, is the set of statuses to keep.
type TicketFilter struct {
	DeptID   int64
	ClientID int64
	Email    string
	Statuses []string
	Flag     int64  // the admin the tickets are flagged to
	Subject  string // a substring of the subject
	Page
}

// ListTickets returns one page of the tickets f selects, newest last
// reply first, and how many it selects in all.
func (tx *Tx) ListTickets(ctx context.Context, f TicketFilter) ([]TicketEntry, int64, error) {
	cond, args := whereAll(
		when(f.DeptID != 0, "t.dept_id = ?", f.DeptID),
		when(f.ClientID != 0, "t.client_id = ?", f.ClientID),
		when(f.Email != "", "t.client_id = 0 AND t.email = ? COLLATE NOCASE", f.Email),
		when(f.Flag != 0, "t.flag = ?", f.Flag),
		when(f.Subject != "", "instr(lower(t.subject), lower(?)) > 0", f.Subject),
		textIn("t.status", f.Statuses),
	)
	return listPage(ctx, tx, `SELECT count(*) FROM tickets t`+cond,
		`SELECT `+ticketColumns+ticketFrom+cond+` ORDER BY t.lastreply DESC, t.id DESC`, args, f.Page,
		func(rows *sql.Rows) (TicketEntry, error) { return scanTicket(rows) })
}

// PutTicket inserts a ticket, or rewrites every field of the one with its
// id, and returns the id; ErrConflict when its tid is another ticket's.
// Fixtures use it; the actions add tickets with AddTicket.
func (tx *Tx) PutTicket(ctx context.Context, t Ticket) (int64, error) {
	return tx.upsert(ctx, `INSERT INTO tickets (id, tid, c, dept_id, client_id, contact_id, name, email, cc, date,
		subject, message, status, priority, admin, lastreply, flag, service, attachments_removed)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET tid = excluded.tid, c = excluded.c, dept_id = excluded.dept_id,
		client_id = excluded.client_id, contact_id = excluded.contact_id, name = excluded.name,
		email = excluded.email, cc = excluded.cc, date = excluded.date, subject = excluded.subject,
		message = excluded.message, status = excluded.status, priority = excluded.priority,
		admin = excluded.admin, lastreply = excluded.lastreply, flag = excluded.flag, service = excluded.service,
		attachments_removed = excluded.attachments_removed
		RETURNING id`,
		nullID(t.ID), t.TID, t.C, t.DeptID, t.ClientID, t.ContactID, t.Name, t.Email, t.CC, t.Date, t.Subject,
		t.Message, t.Status, t.Priority, t.Admin, t.LastReply, t.Flag, t.Service, t.AttachmentsRemoved)
}

// Tickets returns every ticket by id (an export reads them all).
func (tx *Tx) Tickets(ctx context.Context) ([]TicketEntry, error) {
	return collect(ctx, tx, `SELECT `+ticketColumns+ticketFrom+` ORDER BY t.id`,
		func(rows *sql.Rows) (TicketEntry, error) { return scanTicket(rows) })
}

// ClearTicketThread deletes a ticket's replies, notes and attachments,
// before a fixture writes the ones its document gives.
func (tx *Tx) ClearTicketThread(ctx context.Context, ticketID int64) error {
	for _, q := range []string{`DELETE FROM ticket_attachments WHERE ticket_id = ?`,
		`DELETE FROM ticket_replies WHERE ticket_id = ?`, `DELETE FROM ticket_notes WHERE ticket_id = ?`} {
		if _, err := tx.exec(ctx, q, ticketID); err != nil {
			return err
		}
	}
	return nil
}

// PutTicketReply inserts a reply with its id (0: the next one) and returns
// the id; ErrConflict when the id is another reply's.
func (tx *Tx) PutTicketReply(ctx context.Context, r TicketReply) (int64, error) {
	return tx.upsert(ctx, `INSERT INTO ticket_replies (id, ticket_id, client_id, contact_id, name, email, admin,
		date, message, attachments_removed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		nullID(r.ID), r.TicketID, r.ClientID, r.ContactID, r.Name, r.Email, r.Admin, r.Date, r.Message,
		r.AttachmentsRemoved)
}

// PutTicketNote inserts a note with its id (0: the next one) and returns
// the id; ErrConflict when the id is another note's.
func (tx *Tx) PutTicketNote(ctx context.Context, n TicketNote) (int64, error) {
	return tx.upsert(ctx, `INSERT INTO ticket_notes (id, ticket_id, admin, date, message, attachments_removed)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, nullID(n.ID), n.TicketID, n.Admin, n.Date, n.Message,
		n.AttachmentsRemoved)
}

// TicketCount is how many tickets of one department have one status.
type TicketCount struct {
	DeptID int64
	Status string
	N      int
}

// TicketCounts counts the tickets by department and status, in one pass:
// GetSupportDepartments and GetSupportStatuses add the counts up.
func (tx *Tx) TicketCounts(ctx context.Context) ([]TicketCount, error) {
	return collect(ctx, tx, `SELECT dept_id, status, count(*) FROM tickets GROUP BY dept_id, status
		ORDER BY dept_id, status`,
		func(rows *sql.Rows) (TicketCount, error) {
			var c TicketCount
			err := rows.Scan(&c.DeptID, &c.Status, &c.N)
			return c, err
		})
}

// PutActivity writes an activity-log entry: a new one, or the one with its
// id rewritten. It is the fixture's counterpart of InsertActivity (in
// system.go), which only appends.
func (tx *Tx) PutActivity(ctx context.Context, e ActivityEntry) (int64, error) {
	return tx.upsert(ctx, `INSERT INTO activity_log (id, date, description, client_id, user_id, admin_id, username,
		ip_address) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET date = excluded.date, description = excluded.description,
		client_id = excluded.client_id, user_id = excluded.user_id, admin_id = excluded.admin_id,
		username = excluded.username, ip_address = excluded.ip_address
		RETURNING id`,
		nullID(e.ID), e.Date, e.Description, e.ClientID, e.UserID, e.AdminID, e.Username, e.IPAddress)
}
