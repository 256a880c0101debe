// This file holds the rest of WHMCS's Project Management actions:
// AddProjectMessage, UpdateProjectTask, DeleteProjectTask, StartTaskTimer
// and EndTaskTimer. They share the projects and tasks of
// actions/projects.go, and GetProject shows what they write (messages,
// and each task's time logs). As there, every action first answers
// "Project Management is not active." when the addon is off
// (settings.projectManagement false); every write runs in one
// transaction and an error writes nothing. An adminid that is not sent
// defaults to the calling admin (0, none, for a local API call naming
// none); one that is sent must exist.
//
// AddProjectMessage: "Project ID not Set" · "Project ID Not Found" ·
// "Message not Entered" · "Admin ID Not Found". The message is dated now;
// the project's lastmodified becomes now. Answer: message "Message has
// been added".
//
// UpdateProjectTask: "Task ID is Required" · "Project ID Not Found" ·
// "Task ID Not Found" · "Admin ID Not Found" · "Invalid Date Format"
// (duedate not "Y-m-d"; undocumented, as in AddProjectTask). Only the
// fields sent change; adminid 0 clears the admin; projectid moves the task
// (last in the other project's order, its time logs with it). The
// projects' lastmodified becomes now. Answer: message "Task has been
// updated" (the docs' table; their example says "added").
//
// DeleteProjectTask: "Project ID is Required" · "Task ID is Required" ·
// "Project ID Not Found" · "Task ID Not Found" (a task of another project
// too). The task's time logs go with it. Answer: message "Task has been
// deleted".
//
// StartTaskTimer: "Project ID is Required" · "Project ID Not Found" ·
// "Timer ID Not Set" · "Timer ID Not Found" · "Admin ID Not Found".
// timerid is the task to time (as WHMCS documents it: "the id of the
// task"), which must be the project's. A time log starts at start_time
// (Unix seconds; now on the emulator's clock when absent or 0) and ends
// at end_time (0, running, when absent). Answer: message "Start Timer Has
// Been Set".
//
// EndTaskTimer: "Project ID Not Found" (projectid sent and unknown) ·
// "Timer ID Not Set" · "Timer ID Not Found" (no time log has the id, or it
// is not the project's) · "Admin ID Not Found". timerid is the time log
// (GetProject's timelog id); it ends at end_time, now when absent or 0;
// adminid, when sent, becomes its admin. A timer that ended already ends
// again. Answer: message "Timer Has Ended".
//
// start_time and end_time outside 0 to 2147483647, the range of WHMCS's
// int(10) columns, answer "Invalid Time: <name> must be a Unix time
// between 0 and 2147483647" (whmcsemu's wording: MySQL in strict mode
// refuses such a value).

package actions

import (
	"cmp"
	"context"
	"math"
	"strings"

	"github.com/whmcsemu/whmcsemu/store"
)

// projectAdminOr checks adminid: when sent (not "") it must name an admin
// (0 is none); when not, it is the calling admin.
func projectAdminOr(ctx context.Context, tx *store.Tx, sent string) (int64, error) {
	if sent == "" {
		return CallerFrom(ctx).AdminID, nil
	}
	id := IntVal(sent)
	return id, projectAdminExists(ctx, tx, id)
}

type addProjectMessageRequest struct {
	ProjectID int64  `schema:"projectid"`
	Message   string `schema:"message"`
	AdminID   string `schema:"adminid"`
}

func addProjectMessage(ctx context.Context, env *Env, req *addProjectMessageRequest) (any, error) {
	err := projectPartWrite(ctx, env, req.ProjectID, unsetIf(req.ProjectID, "Project ID not Set"),
		func(tx *store.Tx, now string) error {
			if strings.TrimSpace(req.Message) == "" {
				return Errorf("Message not Entered")
			}
			admin, err := projectAdminOr(ctx, tx, req.AdminID)
			if err != nil {
				return err
			}
			_, err = tx.PutProjectMessage(ctx, store.ProjectMessage{ProjectID: req.ProjectID, AdminID: admin,
				Date: now, Message: req.Message})
			return err
		})
	if err != nil {
		return nil, err
	}
	env.Log.Info("project message added", "projectId", req.ProjectID)
	return &projectMessage{Message: "Message has been added"}, nil
}

type updateProjectTaskRequest struct {
	TaskID    int64  `schema:"taskid"`
	ProjectID string `schema:"projectid"`
	DueDate   string `schema:"duedate"`
	AdminID   string `schema:"adminid"`
	Task      string `schema:"task"`
	Notes     string `schema:"notes"`
	Completed string `schema:"completed"`
}

func updateProjectTask(ctx context.Context, env *Env, req *updateProjectTaskRequest) (any, error) {
	now := env.Now().UTC().Format(projectTimeLayout)
	err := projectWrite(ctx, env, unsetIf(req.TaskID, "Task ID is Required"), func(tx *store.Tx) error {
		var moveTo int64
		if req.ProjectID != "" {
			p, err := projectFind(ctx, tx, IntVal(req.ProjectID))
			if err != nil {
				return err
			}
			moveTo = p.ID
		}
		t, err := tx.ProjectTaskByID(ctx, req.TaskID)
		if err != nil {
			return notFoundAs(err, Errorf("Task ID Not Found"))
		}
		if req.AdminID != "" {
			if t.AdminID, err = projectAdminOr(ctx, tx, req.AdminID); err != nil {
				return err
			}
		}
		if t.DueDate, err = projectDay(req.DueDate, t.DueDate); err != nil {
			return err
		}
		from := t.ProjectID
		if moveTo != 0 && moveTo != from {
			t.ProjectID, t.Order = moveTo, 0 // last in its new project
		}
		if task := strings.TrimSpace(req.Task); task != "" {
			t.Task = task
		}
		if req.Notes != "" {
			t.Notes = req.Notes
		}
		if req.Completed != "" {
			t.Completed = Truthy(req.Completed)
		}
		if _, err := tx.PutProjectTask(ctx, t); err != nil {
			return err
		}
		if err := tx.TouchProject(ctx, from, now); err != nil || t.ProjectID == from {
			return err
		}
		return tx.TouchProject(ctx, t.ProjectID, now) // the project it moved to
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("project task updated", "taskId", req.TaskID)
	return &projectMessage{Message: "Task has been updated"}, nil
}

type deleteProjectTaskRequest struct {
	ProjectID int64 `schema:"projectid"`
	TaskID    int64 `schema:"taskid"`
}

func deleteProjectTask(ctx context.Context, env *Env, req *deleteProjectTaskRequest) (any, error) {
	unset := cmp.Or(unsetIf(req.ProjectID, "Project ID is Required"), unsetIf(req.TaskID, "Task ID is Required"))
	err := projectPartWrite(ctx, env, req.ProjectID, unset, func(tx *store.Tx, _ string) error {
		t, err := tx.ProjectTaskByID(ctx, req.TaskID)
		if err := notFoundUnless(err, t.ProjectID == req.ProjectID, Errorf("Task ID Not Found")); err != nil {
			return err
		}
		return tx.DeleteProjectTask(ctx, t.ID)
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("project task deleted", "projectId", req.ProjectID, "taskId", req.TaskID)
	return &projectMessage{Message: "Task has been deleted"}, nil
}

// timerTime reads start_time or end_time: Unix seconds, or def when not
// sent or 0 (PHP's "?: time()"); within WHMCS's int(10) columns.
func timerTime(name, sent string, def int64) (int64, error) {
	n := IntVal(sent)
	if n == 0 {
		return def, nil
	}
	if n < 0 || n > math.MaxInt32 {
		return 0, Errorf("Invalid Time: %s must be a Unix time between 0 and %d", name, math.MaxInt32)
	}
	return n, nil
}

type startTaskTimerRequest struct {
	TimerID   int64  `schema:"timerid"`
	ProjectID int64  `schema:"projectid"`
	AdminID   string `schema:"adminid"`
	StartTime string `schema:"start_time"`
	EndTime   string `schema:"end_time"`
}

func startTaskTimer(ctx context.Context, env *Env, req *startTaskTimerRequest) (any, error) {
	now := env.Now().Unix()
	err := projectWrite(ctx, env, unsetIf(req.ProjectID, "Project ID is Required"), func(tx *store.Tx) error {
		if _, err := projectFind(ctx, tx, req.ProjectID); err != nil {
			return err
		}
		if req.TimerID == 0 {
			return Errorf("Timer ID Not Set")
		}
		t, err := tx.ProjectTaskByID(ctx, req.TimerID)
		if err := notFoundUnless(err, t.ProjectID == req.ProjectID, Errorf("Timer ID Not Found")); err != nil {
			return err
		}
		admin, err := projectAdminOr(ctx, tx, req.AdminID)
		if err != nil {
			return err
		}
		start, err := timerTime("start_time", req.StartTime, now)
		if err != nil {
			return err
		}
		end, err := timerTime("end_time", req.EndTime, 0)
		if err != nil {
			return err
		}
		_, err = tx.PutProjectTimeLog(ctx, store.ProjectTimeLog{TaskID: t.ID, AdminID: admin, Start: start, End: end})
		return err
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("task timer started", "projectId", req.ProjectID, "taskId", req.TimerID)
	return &projectMessage{Message: "Start Timer Has Been Set"}, nil
}

type endTaskTimerRequest struct {
	TimerID   int64  `schema:"timerid"`
	ProjectID int64  `schema:"projectid"`
	AdminID   string `schema:"adminid"`
	EndTime   string `schema:"end_time"`
}

func endTaskTimer(ctx context.Context, env *Env, req *endTaskTimerRequest) (any, error) {
	now := env.Now().Unix()
	err := projectWrite(ctx, env, nil, func(tx *store.Tx) error {
		if req.ProjectID != 0 {
			if _, err := projectFind(ctx, tx, req.ProjectID); err != nil {
				return err
			}
		}
		if req.TimerID == 0 {
			return Errorf("Timer ID Not Set")
		}
		l, err := tx.ProjectTimeLogByID(ctx, req.TimerID)
		fits := req.ProjectID == 0 || l.ProjectID == req.ProjectID
		if err := notFoundUnless(err, fits, Errorf("Timer ID Not Found")); err != nil {
			return err
		}
		if req.AdminID != "" {
			if l.AdminID, err = projectAdminOr(ctx, tx, req.AdminID); err != nil {
				return err
			}
		}
		if l.End, err = timerTime("end_time", req.EndTime, now); err != nil {
			return err
		}
		_, err = tx.PutProjectTimeLog(ctx, l)
		return err
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("task timer ended", "timerId", req.TimerID)
	return &projectMessage{Message: "Timer Has Ended"}, nil
}

// projectMessageList is GetProject's messages: every value a string, as
// WHMCS's example shows them; attachments "" (project files are not
// emulated).
type projectMessageList struct {
	Message []projectMessageItem `json:"message"`
}

type projectMessageItem struct {
	ID          string `json:"id"`
	ProjectID   string `json:"projectid"`
	Date        string `json:"date"`
	Message     string `json:"message"`
	Attachments string `json:"attachments"`
	AdminID     string `json:"adminid"`
}

// projectTimeLogList is a task's timelogs in GetProject, as WHMCS's
// example shows them: start and end Unix seconds, starttime and endtime
// those as "Y-m-d H:i:s" (UTC; a running timer's end is 0, which PHP's
// date() shows as 1970-01-01 00:00:00), every value a string.
type projectTimeLogList struct {
	TimeLog []projectTimeLogItem `json:"timelog"`
}

type projectTimeLogItem struct {
	ID        string `json:"id"`
	ProjectID string `json:"projectid"`
	TaskID    string `json:"taskid"`
	AdminID   string `json:"adminid"`
	Start     string `json:"start"`
	End       string `json:"end"`
	DoNotBill string `json:"donotbill"`
	StartTime string `json:"starttime"`
	EndTime   string `json:"endtime"`
}
