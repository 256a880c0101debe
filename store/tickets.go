package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
)

// This file holds the support tickets (migration 0009): a ticket, its
// replies and its admin notes.

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
}

// TicketNote is an admin's note on a ticket.
type TicketNote struct {
	ID       int64
	TicketID int64
	Admin    string
	Date     string
	Message  string
}

const ticketColumns = `t.id, t.tid, t.c, t.dept_id, t.client_id, t.contact_id, t.name, t.email, t.cc, t.date,
	t.subject, t.message, t.status, t.priority, t.admin, t.lastreply, t.flag, t.service,
	coalesce(d.name, ''), coalesce(trim(cl.firstname || ' ' || cl.lastname), ''), coalesce(cl.email, '')`

const ticketFrom = ` FROM tickets t LEFT JOIN support_departments d ON d.id = t.dept_id
	LEFT JOIN clients cl ON cl.id = t.client_id AND t.client_id != 0`

func scanTicket(sc interface{ Scan(...any) error }) (TicketEntry, error) {
	var e TicketEntry
	err := sc.Scan(&e.ID, &e.TID, &e.C, &e.DeptID, &e.ClientID, &e.ContactID, &e.Name, &e.Email, &e.CC, &e.Date,
		&e.Subject, &e.Message, &e.Status, &e.Priority, &e.Admin, &e.LastReply, &e.Flag, &e.Service,
		&e.DeptName, &e.ClientName, &e.ClientEmail)
	return e, err
}

// AddTicket inserts a ticket and returns its id; ErrConflict when its tid is taken.
func (tx *Tx) AddTicket(ctx context.Context, t Ticket) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, `INSERT INTO tickets (tid, c, dept_id, client_id, contact_id, name, email, cc, date,
		subject, message, status, priority, admin, lastreply, flag, service)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		t.TID, t.C, t.DeptID, t.ClientID, t.ContactID, t.Name, t.Email, t.CC, t.Date, t.Subject, t.Message,
		t.Status, t.Priority, t.Admin, t.LastReply, t.Flag, t.Service).Scan(&id)
	return id, conflict(err)
}

// TicketTIDUsed reports whether a ticket has the mask tid.
func (tx *Tx) TicketTIDUsed(ctx context.Context, tid string) (bool, error) {
	var n int
	err := tx.queryRow(ctx, `SELECT count(*) FROM tickets WHERE tid = ?`, tid).Scan(&n)
	return n > 0, err
}

// TicketByID returns the ticket with the given id.
func (tx *Tx) TicketByID(ctx context.Context, id int64) (TicketEntry, error) {
	e, err := scanTicket(tx.queryRow(ctx, `SELECT `+ticketColumns+ticketFrom+` WHERE t.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return e, ErrNotFound
	}
	return e, err
}

// TicketByTID returns the ticket with the given mask.
func (tx *Tx) TicketByTID(ctx context.Context, tid string) (TicketEntry, error) {
	e, err := scanTicket(tx.queryRow(ctx, `SELECT `+ticketColumns+ticketFrom+` WHERE t.tid = ?`, tid))
	if errors.Is(err, sql.ErrNoRows) {
		return e, ErrNotFound
	}
	return e, err
}

// UpdateTicket rewrites every stored field of a ticket but its id, tid and c.
func (tx *Tx) UpdateTicket(ctx context.Context, t Ticket) error {
	res, err := tx.exec(ctx, `UPDATE tickets SET dept_id = ?, client_id = ?, contact_id = ?, name = ?, email = ?,
		cc = ?, date = ?, subject = ?, message = ?, status = ?, priority = ?, admin = ?, lastreply = ?, flag = ?
		WHERE id = ?`, t.DeptID, t.ClientID, t.ContactID, t.Name, t.Email, t.CC, t.Date, t.Subject, t.Message,
		t.Status, t.Priority, t.Admin, t.LastReply, t.Flag, t.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// DeleteTicket deletes a ticket with its replies and notes.
func (tx *Tx) DeleteTicket(ctx context.Context, id int64) error {
	for _, q := range []string{`DELETE FROM ticket_replies WHERE ticket_id = ?`,
		`DELETE FROM ticket_notes WHERE ticket_id = ?`} {
		if _, err := tx.exec(ctx, q, id); err != nil {
			return err
		}
	}
	res, err := tx.exec(ctx, `DELETE FROM tickets WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// AddTicketReply inserts a reply and returns its id.
func (tx *Tx) AddTicketReply(ctx context.Context, r TicketReply) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, `INSERT INTO ticket_replies (ticket_id, client_id, contact_id, name, email, admin, date,
		message) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		r.TicketID, r.ClientID, r.ContactID, r.Name, r.Email, r.Admin, r.Date, r.Message).Scan(&id)
	return id, err
}

// AddTicketNote inserts a note and returns its id.
func (tx *Tx) AddTicketNote(ctx context.Context, n TicketNote) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, `INSERT INTO ticket_notes (ticket_id, admin, date, message) VALUES (?, ?, ?, ?)
		RETURNING id`, n.TicketID, n.Admin, n.Date, n.Message).Scan(&id)
	return id, err
}

// TicketReplies returns a ticket's replies by id, newest first when desc.
func (tx *Tx) TicketReplies(ctx context.Context, ticketID int64, desc bool) ([]TicketReply, error) {
	order := "ASC"
	if desc {
		order = "DESC"
	}
	rows, err := tx.query(ctx, `SELECT id, ticket_id, client_id, contact_id, name, email, admin, date, message
		FROM ticket_replies WHERE ticket_id = ? ORDER BY id `+order, ticketID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TicketReply
	for rows.Next() {
		var r TicketReply
		if err := rows.Scan(&r.ID, &r.TicketID, &r.ClientID, &r.ContactID, &r.Name, &r.Email, &r.Admin, &r.Date,
			&r.Message); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// TicketNotes returns a ticket's notes by id.
func (tx *Tx) TicketNotes(ctx context.Context, ticketID int64) ([]TicketNote, error) {
	rows, err := tx.query(ctx, `SELECT id, ticket_id, admin, date, message FROM ticket_notes
		WHERE ticket_id = ? ORDER BY id`, ticketID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TicketNote
	for rows.Next() {
		var n TicketNote
		if err := rows.Scan(&n.ID, &n.TicketID, &n.Admin, &n.Date, &n.Message); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
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
	Offset   int64
	Limit    int64 // > 0
}

// ListTickets returns one page of the tickets f selects, newest last
// reply first, and how many it selects in all.
func (tx *Tx) ListTickets(ctx context.Context, f TicketFilter) ([]TicketEntry, int64, error) {
	var where []string
	var args []any
	if f.DeptID != 0 {
		where, args = append(where, "t.dept_id = ?"), append(args, f.DeptID)
	}
	if f.ClientID != 0 {
		where, args = append(where, "t.client_id = ?"), append(args, f.ClientID)
	}
	if f.Email != "" {
		where, args = append(where, "t.client_id = 0 AND t.email = ? COLLATE NOCASE"), append(args, f.Email)
	}
	if f.Flag != 0 {
		where, args = append(where, "t.flag = ?"), append(args, f.Flag)
	}
	if f.Subject != "" {
		where, args = append(where, "instr(lower(t.subject), lower(?)) > 0"), append(args, f.Subject)
	}
	if len(f.Statuses) > 0 {
		where = append(where, "t.status IN (?"+strings.Repeat(", ?", len(f.Statuses)-1)+")")
		for _, s := range f.Statuses {
			args = append(args, s)
		}
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int64
	if err := tx.queryRow(ctx, `SELECT count(*) FROM tickets t`+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := tx.query(ctx, `SELECT `+ticketColumns+ticketFrom+cond+` ORDER BY t.lastreply DESC, t.id DESC
		LIMIT ? OFFSET ?`, append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []TicketEntry
	for rows.Next() {
		e, err := scanTicket(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}
