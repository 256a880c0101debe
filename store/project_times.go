package store

import (
	"context"
	"database/sql"
)

// This file holds what migration 0022 adds to project management: a
// project's messages, the time logged on its tasks, and single tasks
// looked up, moved and deleted.

// ProjectMessage is a message on a project. Date is "Y-m-d H:i:s".
type ProjectMessage struct {
	ID        int64
	ProjectID int64
	AdminID   int64
	Date      string
	Message   string
}

// PutProjectMessage inserts a message (ID 0 takes the next id), or
// replaces the one with its id, and returns its id.
func (tx *Tx) PutProjectMessage(ctx context.Context, m ProjectMessage) (int64, error) {
	return tx.upsert(ctx, `INSERT INTO project_messages (id, project_id, admin_id, date, message) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET project_id = excluded.project_id, admin_id = excluded.admin_id,
		date = excluded.date, message = excluded.message RETURNING id`,
		nullID(m.ID), m.ProjectID, m.AdminID, m.Date, m.Message)
}

// ProjectMessages returns a project's messages by date, then id.
func (tx *Tx) ProjectMessages(ctx context.Context, projectID int64) ([]ProjectMessage, error) {
	return collect(ctx, tx, `SELECT id, project_id, admin_id, date, message FROM project_messages
		WHERE project_id = ? ORDER BY date, id`, func(rows *sql.Rows) (ProjectMessage, error) {
		var m ProjectMessage
		err := rows.Scan(&m.ID, &m.ProjectID, &m.AdminID, &m.Date, &m.Message)
		return m, err
	}, projectID)
}

// DeleteProjectMessages deletes every message of a project.
func (tx *Tx) DeleteProjectMessages(ctx context.Context, projectID int64) error {
	_, err := tx.exec(ctx, `DELETE FROM project_messages WHERE project_id = ?`, projectID)
	return err
}

// ProjectTimeLog is time logged on a task: Start and End are Unix
// seconds, End 0 while the timer runs. ProjectID is the task's project.
type ProjectTimeLog struct {
	ID        int64
	TaskID    int64
	ProjectID int64
	AdminID   int64
	Start     int64
	End       int64
	DoNotBill bool
}

const timeLogSelect = `SELECT l.id, l.task_id, t.project_id, l.admin_id, l.start_time, l.end_time, l.donotbill
	FROM project_timelogs l JOIN project_tasks t ON t.id = l.task_id`

func scanTimeLog(sc interface{ Scan(...any) error }) (ProjectTimeLog, error) {
	var l ProjectTimeLog
	err := sc.Scan(&l.ID, &l.TaskID, &l.ProjectID, &l.AdminID, &l.Start, &l.End, &l.DoNotBill)
	return l, err
}

// PutProjectTimeLog inserts a time log (ID 0 takes the next id), or
// replaces the one with its id, and returns its id.
func (tx *Tx) PutProjectTimeLog(ctx context.Context, l ProjectTimeLog) (int64, error) {
	return tx.upsert(ctx, `INSERT INTO project_timelogs (id, task_id, admin_id, start_time, end_time, donotbill)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET task_id = excluded.task_id, admin_id = excluded.admin_id,
		start_time = excluded.start_time, end_time = excluded.end_time, donotbill = excluded.donotbill RETURNING id`,
		nullID(l.ID), l.TaskID, l.AdminID, l.Start, l.End, l.DoNotBill)
}

// ProjectTimeLogByID returns the time log with the given id.
func (tx *Tx) ProjectTimeLogByID(ctx context.Context, id int64) (ProjectTimeLog, error) {
	l, err := scanTimeLog(tx.queryRow(ctx, timeLogSelect+` WHERE l.id = ?`, id))
	return l, noRow(err)
}

// ProjectTimeLogs returns the time logs of a project's tasks, by task,
// then id.
func (tx *Tx) ProjectTimeLogs(ctx context.Context, projectID int64) ([]ProjectTimeLog, error) {
	return collect(ctx, tx, timeLogSelect+` WHERE t.project_id = ? ORDER BY l.task_id, l.id`,
		func(rows *sql.Rows) (ProjectTimeLog, error) { return scanTimeLog(rows) }, projectID)
}

// ProjectTaskByID returns the task with the given id.
func (tx *Tx) ProjectTaskByID(ctx context.Context, id int64) (ProjectTask, error) {
	t, err := scanProjectTask(tx.queryRow(ctx, projectTaskSelect+` WHERE id = ?`, id))
	return t, noRow(err)
}

// DeleteProjectTask deletes a task with its time logs.
func (tx *Tx) DeleteProjectTask(ctx context.Context, id int64) error {
	return tx.execFound(ctx, `DELETE FROM project_tasks WHERE id = ?`, id)
}

// DeleteTaskTimeLogs deletes every time log of a task.
func (tx *Tx) DeleteTaskTimeLogs(ctx context.Context, taskID int64) error {
	_, err := tx.exec(ctx, `DELETE FROM project_timelogs WHERE task_id = ?`, taskID)
	return err
}
