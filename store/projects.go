package store

import (
	"context"
	"database/sql"
	"strings"
)

// This file holds project management (migration 0011): projects and
// their tasks.

// Project is a project, for a client (ClientID 0: none) and assigned to an
// admin (AdminID 0: none). Created and DueDate are "Y-m-d", LastModified
// "Y-m-d H:i:s". TicketIDs and InvoiceIDs are comma-separated text, kept
// as given.
type Project struct {
	ID           int64
	ClientID     int64
	AdminID      int64
	Title        string
	TicketIDs    string
	InvoiceIDs   string
	Notes        string
	Status       string
	Created      string
	DueDate      string
	Completed    bool
	LastModified string
}

// ProjectTask is a task of a project. Created is "Y-m-d H:i:s", DueDate
// "Y-m-d" ("0000-00-00" when never set). Order numbers the tasks of a
// project from 1.
type ProjectTask struct {
	ID        int64
	ProjectID int64
	AdminID   int64
	Task      string
	Notes     string
	Created   string
	DueDate   string
	Completed bool
	Billed    bool
	Order     int64
}

const projectColumns = `id, coalesce(client_id, 0), admin_id, title, ticketids, invoiceids, notes, status, created,
	duedate, completed, lastmodified`

func scanProject(sc interface{ Scan(...any) error }) (Project, error) {
	var p Project
	err := sc.Scan(&p.ID, &p.ClientID, &p.AdminID, &p.Title, &p.TicketIDs, &p.InvoiceIDs, &p.Notes, &p.Status,
		&p.Created, &p.DueDate, &p.Completed, &p.LastModified)
	return p, err
}

// nullClient turns client 0 (none) into NULL, which the foreign key allows.
func nullClient(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// PutProject inserts a project, or replaces the stored fields of the one
// with its id, and returns its id. Its tasks are left as they are.
func (tx *Tx) PutProject(ctx context.Context, p Project) (int64, error) {
	return tx.upsert(ctx, `INSERT INTO projects (id, client_id, admin_id, title, ticketids, invoiceids, notes, status,
		created, duedate, completed, lastmodified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET client_id = excluded.client_id, admin_id = excluded.admin_id,
		title = excluded.title, ticketids = excluded.ticketids, invoiceids = excluded.invoiceids,
		notes = excluded.notes, status = excluded.status, created = excluded.created, duedate = excluded.duedate,
		completed = excluded.completed, lastmodified = excluded.lastmodified RETURNING id`,
		nullID(p.ID), nullClient(p.ClientID), p.AdminID, p.Title, p.TicketIDs, p.InvoiceIDs, p.Notes, p.Status,
		p.Created, p.DueDate, p.Completed, p.LastModified)
}

// ProjectByID returns the project with the given id.
func (tx *Tx) ProjectByID(ctx context.Context, id int64) (Project, error) {
	p, err := scanProject(tx.queryRow(ctx, `SELECT `+projectColumns+` FROM projects WHERE id = ?`, id))
	return p, noRow(err)
}

// TouchProject sets a project's last-modified time.
func (tx *Tx) TouchProject(ctx context.Context, id int64, at string) error {
	_, err := tx.exec(ctx, `UPDATE projects SET lastmodified = ? WHERE id = ?`, at, id)
	return err
}

// ProjectFilter selects projects; nil fields do not filter. Text fields
// match whole values in any case (WHMCS compares in MySQL's
// case-insensitive collation). Created and DueDate match the day of any
// date SQLite reads; LastModified matches that time exactly when it has
// one, else any time of that day.
type ProjectFilter struct {
	ClientID     *int64 // 0 selects projects for no client
	AdminID      *int64
	Title        *string
	TicketIDs    *string
	InvoiceIDs   *string
	Notes        *string
	Status       *string
	Created      *string
	DueDate      *string
	Completed    *bool
	LastModified *string
	Page
}

// where returns f's conditions and their arguments.
func (f ProjectFilter) where() (string, []any) {
	conds := []condition{
		when(f.ClientID != nil, "coalesce(client_id, 0) = ?", deref(f.ClientID)),
		when(f.AdminID != nil, "admin_id = ?", deref(f.AdminID)),
	}
	for _, c := range [...]struct {
		column string
		value  *string
	}{{"title", f.Title}, {"ticketids", f.TicketIDs}, {"invoiceids", f.InvoiceIDs}, {"notes", f.Notes},
		{"status", f.Status}} {
		conds = append(conds, when(c.value != nil, c.column+" = ? COLLATE NOCASE", deref(c.value)))
	}
	modified := strings.TrimSpace(deref(f.LastModified))
	return whereAll(append(conds,
		when(f.Created != nil, "created = date(?)", deref(f.Created)),
		when(f.DueDate != nil, "duedate = date(?)", deref(f.DueDate)),
		when(f.Completed != nil, "completed = ?", deref(f.Completed)),
		// A time matches exactly; a day matches any time of it.
		when(f.LastModified != nil && strings.Contains(modified, " "), "lastmodified = datetime(?)", deref(f.LastModified)),
		when(f.LastModified != nil && !strings.Contains(modified, " "), "date(lastmodified) = date(?)", deref(f.LastModified)),
	)...)
}

// deref is *p, or T's zero value when p is nil.
func deref[T any](p *T) T {
	var v T
	if p != nil {
		v = *p
	}
	return v
}

// ListProjects returns one page of the projects f selects, by id, and how
// many it selects in all.
func (tx *Tx) ListProjects(ctx context.Context, f ProjectFilter) ([]Project, int64, error) {
	cond, args := f.where()
	return listPage(ctx, tx, `SELECT count(*) FROM projects`+cond, `SELECT `+projectColumns+` FROM projects`+cond+` ORDER BY id`,
		args, f.Page, func(rows *sql.Rows) (Project, error) { return scanProject(rows) })
}

// Projects returns every project, by id.
func (tx *Tx) Projects(ctx context.Context) ([]Project, error) {
	return collect(ctx, tx, `SELECT `+projectColumns+` FROM projects ORDER BY id`,
		func(rows *sql.Rows) (Project, error) { return scanProject(rows) })
}

// PutProjectTask inserts a task, or replaces the one with its id, and
// returns its id. An Order of 0 puts the task after the project's others.
func (tx *Tx) PutProjectTask(ctx context.Context, t ProjectTask) (int64, error) {
	if t.Order == 0 {
		if err := tx.queryRow(ctx, `SELECT coalesce(max(sort_order), 0) + 1 FROM project_tasks WHERE project_id = ?`,
			t.ProjectID).Scan(&t.Order); err != nil {
			return 0, err
		}
	}
	if t.DueDate == "" {
		t.DueDate = "0000-00-00"
	}
	return tx.upsert(ctx, `INSERT INTO project_tasks (id, project_id, admin_id, task, notes, created, duedate,
		completed, billed, sort_order) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET project_id = excluded.project_id, admin_id = excluded.admin_id,
		task = excluded.task, notes = excluded.notes, created = excluded.created, duedate = excluded.duedate,
		completed = excluded.completed, billed = excluded.billed, sort_order = excluded.sort_order RETURNING id`,
		nullID(t.ID), t.ProjectID, t.AdminID, t.Task, t.Notes, t.Created, t.DueDate, t.Completed, t.Billed, t.Order)
}

const projectTaskSelect = `SELECT id, project_id, admin_id, task, notes, created, duedate, completed, billed,
	sort_order FROM project_tasks`

func scanProjectTask(sc interface{ Scan(...any) error }) (ProjectTask, error) {
	var t ProjectTask
	err := sc.Scan(&t.ID, &t.ProjectID, &t.AdminID, &t.Task, &t.Notes, &t.Created, &t.DueDate, &t.Completed,
		&t.Billed, &t.Order)
	return t, err
}

// ProjectTasks returns a project's tasks in their order.
func (tx *Tx) ProjectTasks(ctx context.Context, projectID int64) ([]ProjectTask, error) {
	return collect(ctx, tx, projectTaskSelect+` WHERE project_id = ? ORDER BY sort_order, id`,
		func(rows *sql.Rows) (ProjectTask, error) { return scanProjectTask(rows) }, projectID)
}

// DeleteProjectTasks deletes every task of a project.
func (tx *Tx) DeleteProjectTasks(ctx context.Context, projectID int64) error {
	_, err := tx.exec(ctx, `DELETE FROM project_tasks WHERE project_id = ?`, projectID)
	return err
}
