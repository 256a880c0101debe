package store

import (
	"context"
	"database/sql"
)

// This file holds what migration 0022 adds to the support tickets: the
// attachments of a ticket's posts (its opening message, its replies, its
// notes), single replies and notes looked up, changed and deleted, merging
// tickets, the senders blocked from opening tickets, and the predefined
// replies with their categories.

// TicketPost names one post of a ticket: its opening message (ReplyID and
// NoteID 0), a reply (ReplyID) or a note (NoteID).
type TicketPost struct {
	TicketID int64
	ReplyID  int64
	NoteID   int64
}

// TicketAttachment is a file that came with a post. Position numbers a
// post's files from 0, in the order they came; Stored is the file name
// WHMCS would keep it under, Filename the name it was sent with.
type TicketAttachment struct {
	ID int64
	TicketPost
	Position int64
	Filename string
	Stored   string
	Data     []byte // nil when read without the data
}

// postWhere is the condition selecting a post's attachments.
const postWhere = `ticket_id = ? AND coalesce(reply_id, 0) = ? AND coalesce(note_id, 0) = ?`

// AddTicketAttachments appends files to a post's attachments, numbering
// them after the ones it has.
func (tx *Tx) AddTicketAttachments(ctx context.Context, post TicketPost, files []TicketAttachment) error {
	var next int64
	if err := tx.queryRow(ctx, `SELECT coalesce(max(position) + 1, 0) FROM ticket_attachments WHERE `+postWhere,
		post.TicketID, post.ReplyID, post.NoteID).Scan(&next); err != nil {
		return err
	}
	for i, f := range files {
		if _, err := tx.exec(ctx, `INSERT INTO ticket_attachments (ticket_id, reply_id, note_id, position, filename,
			stored, data) VALUES (?, ?, ?, ?, ?, ?, ?)`, post.TicketID, nullID(post.ReplyID), nullID(post.NoteID),
			next+int64(i), f.Filename, f.Stored, f.Data); err != nil {
			return err
		}
	}
	return nil
}

// TicketAttachments returns every attachment of a ticket's posts, by post
// and position, with their data when withData.
func (tx *Tx) TicketAttachments(ctx context.Context, ticketID int64, withData bool) ([]TicketAttachment, error) {
	data := `NULL`
	if withData {
		data = `data`
	}
	return collect(ctx, tx, `SELECT id, ticket_id, coalesce(reply_id, 0), coalesce(note_id, 0), position, filename,
		stored, `+data+` FROM ticket_attachments WHERE ticket_id = ? ORDER BY reply_id, note_id, position`,
		scanTicketAttachment, ticketID)
}

// OpeningAttachments returns the attachments of the opening posts of the
// tickets (not of their replies or notes), by ticket and position, without
// their data: one query for a page of GetTickets.
func (tx *Tx) OpeningAttachments(ctx context.Context, ticketIDs []int64) ([]TicketAttachment, error) {
	if len(ticketIDs) == 0 {
		return nil, nil
	}
	cond, args := whereAll(idIn(true, "ticket_id", ticketIDs),
		when(true, "coalesce(reply_id, 0) = 0 AND coalesce(note_id, 0) = 0"))
	return collect(ctx, tx, `SELECT id, ticket_id, 0, 0, position, filename, stored, NULL FROM ticket_attachments`+
		cond+` ORDER BY ticket_id, position`, scanTicketAttachment, args...)
}

// PostAttachments returns a post's attachments with their data, by position.
func (tx *Tx) PostAttachments(ctx context.Context, post TicketPost) ([]TicketAttachment, error) {
	return collect(ctx, tx, `SELECT id, ticket_id, coalesce(reply_id, 0), coalesce(note_id, 0), position, filename,
		stored, data FROM ticket_attachments WHERE `+postWhere+` ORDER BY position`, scanTicketAttachment,
		post.TicketID, post.ReplyID, post.NoteID)
}

func scanTicketAttachment(rows *sql.Rows) (TicketAttachment, error) {
	var a TicketAttachment
	err := rows.Scan(&a.ID, &a.TicketID, &a.ReplyID, &a.NoteID, &a.Position, &a.Filename, &a.Stored, &a.Data)
	return a, err
}

// TicketReplyByID returns the reply with the given id.
func (tx *Tx) TicketReplyByID(ctx context.Context, id int64) (TicketReply, error) {
	r, err := scanTicketReply(tx.queryRow(ctx, `SELECT `+ticketReplyColumns+` FROM ticket_replies WHERE id = ?`, id))
	return r, noRow(err)
}

// UpdateTicketReply rewrites a reply's message and date.
func (tx *Tx) UpdateTicketReply(ctx context.Context, id int64, message, date string) error {
	return tx.execFound(ctx, `UPDATE ticket_replies SET message = ?, date = ? WHERE id = ?`, message, date, id)
}

// DeleteTicketReply deletes a reply with its attachments.
func (tx *Tx) DeleteTicketReply(ctx context.Context, id int64) error {
	return tx.execFound(ctx, `DELETE FROM ticket_replies WHERE id = ?`, id)
}

// TicketNoteByID returns the note with the given id.
func (tx *Tx) TicketNoteByID(ctx context.Context, id int64) (TicketNote, error) {
	n, err := scanTicketNote(tx.queryRow(ctx, `SELECT `+ticketNoteColumns+` FROM ticket_notes WHERE id = ?`, id))
	return n, noRow(err)
}

// DeleteTicketNote deletes a note with its attachments.
func (tx *Tx) DeleteTicketNote(ctx context.Context, id int64) error {
	return tx.execFound(ctx, `DELETE FROM ticket_notes WHERE id = ?`, id)
}

// MergeTicketInto moves ticket from's thread into ticket into and deletes
// from: its opening message becomes a reply of into (with its author,
// date and attachments), and its replies, notes and their attachments
// move as they are. into's last reply becomes the later of the two.
func (tx *Tx) MergeTicketInto(ctx context.Context, into, from TicketEntry) error {
	replyID, err := tx.AddTicketReply(ctx, TicketReply{TicketID: into.ID, ClientID: from.ClientID,
		ContactID: from.ContactID, Name: from.Name, Email: from.Email, Admin: from.Admin, Date: from.Date,
		Message: from.Message, AttachmentsRemoved: from.AttachmentsRemoved})
	if err != nil {
		return err
	}
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`UPDATE ticket_attachments SET reply_id = ? WHERE ticket_id = ? AND reply_id IS NULL AND note_id IS NULL`,
			[]any{replyID, from.ID}},
		{`UPDATE ticket_attachments SET ticket_id = ? WHERE ticket_id = ?`, []any{into.ID, from.ID}},
		{`UPDATE ticket_replies SET ticket_id = ? WHERE ticket_id = ?`, []any{into.ID, from.ID}},
		{`UPDATE ticket_notes SET ticket_id = ? WHERE ticket_id = ?`, []any{into.ID, from.ID}},
		{`UPDATE tickets SET lastreply = max(lastreply, ?) WHERE id = ?`, []any{from.LastReply, into.ID}},
		{`DELETE FROM tickets WHERE id = ?`, []any{from.ID}},
	} {
		if _, err := tx.exec(ctx, q.sql, q.args...); err != nil {
			return err
		}
	}
	return nil
}

// BlockTicketSender adds an email to the blocked senders (a no-op when it
// is there, in any case).
func (tx *Tx) BlockTicketSender(ctx context.Context, email string) error {
	_, err := tx.exec(ctx, `INSERT OR IGNORE INTO ticket_blocked_senders (email) VALUES (?)`, email)
	return err
}

// TicketSenderBlocked reports whether an email (any case) is blocked.
func (tx *Tx) TicketSenderBlocked(ctx context.Context, email string) (bool, error) {
	return tx.exists(ctx, `SELECT EXISTS (SELECT 1 FROM ticket_blocked_senders WHERE email = ?)`, email)
}

// BlockedTicketSenders returns the blocked emails, sorted.
func (tx *Tx) BlockedTicketSenders(ctx context.Context) ([]string, error) {
	return collect(ctx, tx, `SELECT email FROM ticket_blocked_senders ORDER BY email`, scanOne[string])
}

// PredefinedCategory is a category of predefined ticket replies; ParentID
// 0 is a top-level one. Replies counts the replies in it.
type PredefinedCategory struct {
	ID       int64
	ParentID int64
	Name     string
	Replies  int64
}

// PredefinedReply is a predefined ticket reply.
type PredefinedReply struct {
	ID         int64
	CategoryID int64
	Name       string
	Reply      string
}

// PredefinedCategories returns every category with its count of replies,
// by name (then id) when byName, else by id.
func (tx *Tx) PredefinedCategories(ctx context.Context, byName bool) ([]PredefinedCategory, error) {
	order := `c.id`
	if byName {
		order = `c.name, c.id`
	}
	return collect(ctx, tx, `SELECT c.id, c.parent_id, c.name,
		(SELECT count(*) FROM ticket_predefined_replies r WHERE r.category_id = c.id)
		FROM ticket_predefined_categories c ORDER BY `+order, func(rows *sql.Rows) (PredefinedCategory, error) {
		var c PredefinedCategory
		err := rows.Scan(&c.ID, &c.ParentID, &c.Name, &c.Replies)
		return c, err
	})
}

// PredefinedReplies returns the replies of a category (0: of every
// category), by name (then id) when byName, else by id.
func (tx *Tx) PredefinedReplies(ctx context.Context, categoryID int64, byName bool) ([]PredefinedReply, error) {
	order := ` ORDER BY id`
	if byName {
		order = ` ORDER BY name, id`
	}
	cond, args := whereAll(when(categoryID != 0, "category_id = ?", categoryID))
	return collect(ctx, tx, `SELECT id, category_id, name, reply FROM ticket_predefined_replies`+cond+order,
		func(rows *sql.Rows) (PredefinedReply, error) {
			var r PredefinedReply
			err := rows.Scan(&r.ID, &r.CategoryID, &r.Name, &r.Reply)
			return r, err
		}, args...)
}

// PutPredefinedCategory inserts a category, or replaces the one with its
// id, and returns its id.
func (tx *Tx) PutPredefinedCategory(ctx context.Context, c PredefinedCategory) (int64, error) {
	return tx.upsert(ctx, `INSERT INTO ticket_predefined_categories (id, parent_id, name) VALUES (?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET parent_id = excluded.parent_id, name = excluded.name RETURNING id`,
		nullID(c.ID), c.ParentID, c.Name)
}

// PutPredefinedReply inserts a reply, or replaces the one with its id, and
// returns its id.
func (tx *Tx) PutPredefinedReply(ctx context.Context, r PredefinedReply) (int64, error) {
	return tx.upsert(ctx, `INSERT INTO ticket_predefined_replies (id, category_id, name, reply) VALUES (?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET category_id = excluded.category_id, name = excluded.name,
		reply = excluded.reply RETURNING id`, nullID(r.ID), r.CategoryID, r.Name, r.Reply)
}

// PredefinedCategoryExists reports whether a category has the id.
func (tx *Tx) PredefinedCategoryExists(ctx context.Context, id int64) (bool, error) {
	return tx.exists(ctx, `SELECT EXISTS (SELECT 1 FROM ticket_predefined_categories WHERE id = ?)`, id)
}
