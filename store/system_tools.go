package store

import (
	"context"
	"database/sql"
	"encoding/json"
)

// This file holds the System tools of migration 0023 but the banned IPs
// (bans.go): the to-do list, admins' notes, notification events and the
// automation log.

// ToDoItem is an item of the to-do list. Dates are Y-m-d; DueDate is ""
// for none.
type ToDoItem struct {
	ID          int64
	Date        string
	Title       string
	Description string
	AdminID     int64
	Status      string
	DueDate     string
}

// NotificationStyles are the styles WHMCS documents for a notification
// event's statusStyle.
var NotificationStyles = []string{"success", "danger", "info"}

// ToDoStatuses are the statuses a to-do item can have, in WHMCS's order.
var ToDoStatuses = []string{"New", "Pending", "In Progress", "Completed", "Postponed"}

const todoColumns = `id, date, title, description, admin_id, status, duedate`

func scanToDo(row interface{ Scan(...any) error }) (ToDoItem, error) {
	var t ToDoItem
	err := row.Scan(&t.ID, &t.Date, &t.Title, &t.Description, &t.AdminID, &t.Status, &t.DueDate)
	return t, noRow(err)
}

// PutToDoItem inserts an item (an ID of 0 takes the next) or replaces the
// one with its id, and returns its id.
func (tx *Tx) PutToDoItem(ctx context.Context, t ToDoItem) (int64, error) {
	return tx.upsert(ctx, `INSERT INTO todo_items (`+todoColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET `+updateAll(todoColumns)+` RETURNING id`,
		nullID(t.ID), t.Date, t.Title, t.Description, t.AdminID, t.Status, t.DueDate)
}

// ToDoItemByID returns an item; ErrNotFound when there is none.
func (tx *Tx) ToDoItemByID(ctx context.Context, id int64) (ToDoItem, error) {
	return scanToDo(tx.queryRow(ctx, `SELECT `+todoColumns+` FROM todo_items WHERE id = ?`, id))
}

// ToDoFilter selects a page of the to-do list.
type ToDoFilter struct {
	Status     string // only items in this status; "" for any
	Incomplete bool   // only items not Completed
	Page
}

// ToDoItems returns the page of items f selects, soonest due first (items
// without a due date last), and how many match f.
func (tx *Tx) ToDoItems(ctx context.Context, f ToDoFilter) ([]ToDoItem, int64, error) {
	cond, args := whereAll(
		when(f.Status != "", "status = ?", f.Status),
		when(f.Incomplete, "status <> 'Completed'"),
	)
	return listPage(ctx, tx, `SELECT count(*) FROM todo_items`+cond,
		`SELECT `+todoColumns+` FROM todo_items`+cond+` ORDER BY duedate = '', duedate, id`, args, f.Page,
		func(rows *sql.Rows) (ToDoItem, error) { return scanToDo(rows) })
}

// AllToDoItems returns every item, by id.
func (tx *Tx) AllToDoItems(ctx context.Context) ([]ToDoItem, error) {
	return collect(ctx, tx, `SELECT `+todoColumns+` FROM todo_items ORDER BY id`,
		func(rows *sql.Rows) (ToDoItem, error) { return scanToDo(rows) })
}

// ToDoCount is how many items have a status, and how many of them are
// overdue.
type ToDoCount struct {
	Status  string
	Count   int64
	Overdue int64
}

// ToDoCounts counts the items of each of ToDoStatuses, in that order; an
// item is overdue when it has a due date before today (Y-m-d) and is
// neither Completed nor Postponed.
func (tx *Tx) ToDoCounts(ctx context.Context, today string) ([]ToDoCount, error) {
	counts := map[string]ToDoCount{}
	err := tx.eachRow(ctx, `SELECT status, count(*),
		sum(duedate <> '' AND duedate < ? AND status NOT IN ('Completed', 'Postponed'))
		FROM todo_items GROUP BY status`, func(rows *sql.Rows) error {
		var c ToDoCount
		if err := rows.Scan(&c.Status, &c.Count, &c.Overdue); err != nil {
			return err
		}
		counts[c.Status] = c
		return nil
	}, today)
	if err != nil {
		return nil, err
	}
	out := make([]ToDoCount, len(ToDoStatuses))
	for i, s := range ToDoStatuses {
		out[i] = counts[s]
		out[i].Status = s
	}
	return out, nil
}

// ToDoDue counts the items due today or before that are neither Completed
// nor Postponed.
func (tx *Tx) ToDoDue(ctx context.Context, today string) (int64, error) {
	var n int64
	err := tx.queryRow(ctx, `SELECT count(*) FROM todo_items WHERE duedate <> '' AND duedate <= ?
		AND status NOT IN ('Completed', 'Postponed')`, today).Scan(&n)
	return n, err
}

// AdminNotes returns an admin's notes; "" when it has none.
func (tx *Tx) AdminNotes(ctx context.Context, adminID int64) (string, error) {
	var notes string
	err := tx.queryRow(ctx, `SELECT notes FROM admin_notes WHERE admin_id = ?`, adminID).Scan(&notes)
	if noRow(err) == ErrNotFound {
		return "", nil
	}
	return notes, err
}

// SetAdminNotes replaces an admin's notes.
func (tx *Tx) SetAdminNotes(ctx context.Context, adminID int64, notes string) error {
	_, err := tx.exec(ctx, `INSERT INTO admin_notes (admin_id, notes) VALUES (?, ?)
		ON CONFLICT(admin_id) DO UPDATE SET notes = excluded.notes`, adminID, notes)
	return err
}

// AllAdminNotes returns every admin's notes, by admin id.
func (tx *Tx) AllAdminNotes(ctx context.Context) (map[int64]string, error) {
	out := map[int64]string{}
	err := tx.eachRow(ctx, `SELECT admin_id, notes FROM admin_notes ORDER BY admin_id`, func(rows *sql.Rows) error {
		var id int64
		var notes string
		err := rows.Scan(&id, &notes)
		out[id] = notes
		return err
	})
	return out, err
}

// NotificationAttribute is one attribute of a notification event.
type NotificationAttribute struct {
	Label string `json:"label"`
	Value string `json:"value"`
	URL   string `json:"url,omitempty"`
	Style string `json:"style,omitempty"`
	Icon  string `json:"icon,omitempty"`
}

// NotificationEvent is an event TriggerNotificationEvent raised.
type NotificationEvent struct {
	ID          int64
	Identifier  string
	Title       string
	Message     string
	URL         string
	Status      string
	StatusStyle string
	Attributes  []NotificationAttribute
	AdminID     int64
	Date        int64 // Unix seconds
}

const notificationColumns = `id, identifier, title, message, url, status, status_style, attributes, admin_id, date`

// PutNotificationEvent records an event (an ID of 0 takes the next) or
// replaces the one with its id, and returns its id.
func (tx *Tx) PutNotificationEvent(ctx context.Context, e NotificationEvent) (int64, error) {
	attrs := e.Attributes
	if attrs == nil {
		attrs = []NotificationAttribute{}
	}
	data, err := json.Marshal(attrs)
	if err != nil {
		return 0, err
	}
	return tx.upsert(ctx, `INSERT INTO notification_events (`+notificationColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET `+updateAll(notificationColumns)+` RETURNING id`,
		nullID(e.ID), e.Identifier, e.Title, e.Message, e.URL, e.Status, e.StatusStyle, string(data), e.AdminID, e.Date)
}

// NotificationEvents returns the page of events p selects, newest first
// when desc, and how many there are.
func (tx *Tx) NotificationEvents(ctx context.Context, desc bool, p Page) ([]NotificationEvent, int64, error) {
	return listPage(ctx, tx, `SELECT count(*) FROM notification_events`,
		`SELECT `+notificationColumns+` FROM notification_events`+orderBy(desc, "id"), nil, p,
		func(rows *sql.Rows) (NotificationEvent, error) {
			var e NotificationEvent
			var attrs string
			err := rows.Scan(&e.ID, &e.Identifier, &e.Title, &e.Message, &e.URL, &e.Status, &e.StatusStyle, &attrs,
				&e.AdminID, &e.Date)
			if err == nil {
				err = json.Unmarshal([]byte(attrs), &e.Attributes)
			}
			return e, err
		})
}

// ClearNotificationEvents removes every event.
func (tx *Tx) ClearNotificationEvents(ctx context.Context) error {
	_, err := tx.exec(ctx, `DELETE FROM notification_events`)
	return err
}

// AutomationEntry is one output of an automation task: on Date (Unix
// seconds), task Name counted Value of Namespace (invoice.created, …).
type AutomationEntry struct {
	ID        int64
	Date      int64
	Name      string
	Namespace string
	Value     int64
}

const automationColumns = `id, date, name, namespace, value`

// LogAutomation records what an automation task did (an ID of 0 takes the
// next) and returns the entry's id.
func (tx *Tx) LogAutomation(ctx context.Context, e AutomationEntry) (int64, error) {
	return tx.upsert(ctx, `INSERT INTO automation_log (`+automationColumns+`) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET `+updateAll(automationColumns)+` RETURNING id`,
		nullID(e.ID), e.Date, e.Name, e.Namespace, e.Value)
}

// AutomationLog returns the entries dated in [from, to] (Unix seconds)
// whose namespace starts with prefix ("" for any), oldest first.
func (tx *Tx) AutomationLog(ctx context.Context, from, to int64, prefix string) ([]AutomationEntry, error) {
	cond, args := whereAll(
		when(true, "date >= ? AND date <= ?", from, to),
		when(prefix != "", `namespace LIKE ? ESCAPE '\'`, userLikeEscaper.Replace(prefix)+"%"),
	)
	return collect(ctx, tx, `SELECT `+automationColumns+` FROM automation_log`+cond+` ORDER BY date, id`, scanAutomation, args...)
}

// AllAutomationLog returns every entry, by id.
func (tx *Tx) AllAutomationLog(ctx context.Context) ([]AutomationEntry, error) {
	return collect(ctx, tx, `SELECT `+automationColumns+` FROM automation_log ORDER BY id`, scanAutomation)
}

// LastAutomationRun is the date of the newest entry, and false when there
// is none.
func (tx *Tx) LastAutomationRun(ctx context.Context) (int64, bool, error) {
	var last sql.NullInt64
	err := tx.queryRow(ctx, `SELECT max(date) FROM automation_log`).Scan(&last)
	return last.Int64, last.Valid, err
}

func scanAutomation(rows *sql.Rows) (AutomationEntry, error) {
	var e AutomationEntry
	err := rows.Scan(&e.ID, &e.Date, &e.Name, &e.Namespace, &e.Value)
	return e, err
}
