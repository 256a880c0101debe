// This file holds WHMCS's Project Management actions: CreateProject,
// GetProjects, GetProject, UpdateProject and AddProjectTask. Project
// Management is an addon in WHMCS; the setting ProjectManagement (fixture
// key settings.projectManagement, default true) says whether it is active.
// When it is not, every action here answers "Project Management is not
// active." before anything else (WHMCS documents the message for
// CreateProject; the emulator gives it for all five). Every write runs in
// one transaction; an error writes nothing. Dates in requests are "Y-m-d";
// anything else gives "Invalid Date Format" (undocumented: WHMCS's wording
// for a bad date in the ticket actions). A parameter sent empty counts as
// absent, as everywhere in WHMCS.
//
// CreateProject: "Project Management is not active." · "Client ID Not
// Found" (userid given and unknown) · "Admin ID not Set" · "Admin ID Not
// Found" · "Project Title is Required." · "Invalid Date Format", in the
// documented order. adminid defaults to the calling admin; "Admin ID not
// Set" is for a caller with none (a local API call naming no admin).
// status defaults to Pending (any text is kept: statuses are configurable
// in WHMCS), created and duedate to the emulator's today; ticketids and
// invoiceids are kept as the comma-separated text given. Answer: message
// "Project has been created" and projectid as a string, as documented.
//
// GetProjects: filters userid (0: projects for no client), adminid,
// title, ticketids, invoiceids, notes, status (whole values, any case, as
// MySQL compares), created and duedate (the day), completed (PHP truth)
// and lastmodified ("Y-m-d H:i:s" exactly, or a "Y-m-d" day) combine with
// AND; by id; limitnum defaults to 25. The answer follows the newer
// documented example: numbers as numbers, projects a plain list (no
// "project" wrapper) with watchers "" (watchers are not emulated), left
// out when the page is empty.
//
// GetProject: "Project ID Not Set" · "Project ID Not Found". projectinfo,
// tasks and messages as the documented example shows them: every value a
// string, tasks.task the tasks in their order, each with its timelogs
// (StartTaskTimer, EndTaskTimer), messages.message the project's messages
// (AddProjectMessage) by date. A list with nothing in it is "", as the
// example shows for a task's timelogs: a task's timelogs, messages, tasks
// when the project has none. attachments is "" (project files are not
// emulated). The other Project Management actions are in
// actions/projects_more.go.
//
// UpdateProject: "Project ID Not Set" · "Project ID Not Found" · "Client
// ID Not Found" · "Admin ID Not Found" · "Invalid Date Format". Only the
// fields sent change; userid 0 or adminid 0 clears the client or admin.
// lastmodified becomes now. Answer: message "Project Has Been Updated".
//
// AddProjectTask: "Project ID not Set" · "Project ID Not Found" · "Admin
// ID Not Found" · "A task description must be specified" (task is the
// description) · "Invalid Date Format". duedate is documented as required
// but no error is: without one the task's due date is 0000-00-00, as in
// WHMCS's example. adminid defaults to 0 (none), as in the example. The
// task goes last in the project's order, created now; the project's
// lastmodified becomes now. Answer: message "Task has been added".

package actions

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/whmcsemu/whmcsemu/store"
)

// projectTimeLayout is how WHMCS shows a project's or task's time.
const projectTimeLayout = "2006-01-02 15:04:05"

// projectsActive answers WHMCS's error when the Project Management addon
// is off.
func projectsActive(env *Env) error {
	if !env.Settings().ProjectManagement {
		return Errorf("Project Management is not active.")
	}
	return nil
}

// projectDay reads a "Y-m-d" date; def when s is empty.
func projectDay(s, def string) (string, error) { return dayOr(s, def, "Invalid Date Format") }

// projectClientExists checks a client id: 0 (none) or a stored client.
func projectClientExists(ctx context.Context, tx *store.Tx, id int64) error {
	if id == 0 {
		return nil
	}
	return mustExist(ctx, tx.ClientExists, id, Errorf(clientIDNotFound))
}

// projectAdminExists checks an admin id: 0 (none) or a stored admin.
func projectAdminExists(ctx context.Context, tx *store.Tx, id int64) error {
	if id == 0 {
		return nil
	}
	return mustExist(ctx, tx.AdminExists, id, Errorf("Admin ID Not Found"))
}

// projectFind returns the project with the id, or "Project ID Not Found".
func projectFind(ctx context.Context, tx *store.Tx, id int64) (store.Project, error) {
	p, err := tx.ProjectByID(ctx, id)
	return p, notFoundAs(err, Errorf("Project ID Not Found"))
}

// unsetIf is the error for a required id that was not sent (0): msg, or
// nil when id was sent. cmp.Or of several picks the first unset.
func unsetIf(id int64, msg string) error {
	if id == 0 {
		return Errorf("%s", msg)
	}
	return nil
}

// projectWrite is the frame of the Project Management writes: "Project
// Management is not active." when the addon is off, then unset (a
// required parameter not sent; nil when all were), then write in one
// transaction.
func projectWrite(ctx context.Context, env *Env, unset error, write func(tx *store.Tx) error) error {
	if err := projectsActive(env); err != nil {
		return err
	}
	if unset != nil {
		return unset
	}
	return env.DB.Update(ctx, write)
}

// projectPartWrite is projectWrite for a write to a part of a project (a
// task, a message), given now as projects store it: the project is found
// first ("Project ID Not Found"), and its lastmodified becomes now after
// write.
func projectPartWrite(ctx context.Context, env *Env, project int64, unset error,
	write func(tx *store.Tx, now string) error) error {
	now := env.Now().UTC().Format(projectTimeLayout)
	return projectWrite(ctx, env, unset, func(tx *store.Tx) error {
		if _, err := projectFind(ctx, tx, project); err != nil {
			return err
		}
		if err := write(tx, now); err != nil {
			return err
		}
		return tx.TouchProject(ctx, project, now)
	})
}

type createProjectRequest struct {
	Title      string `schema:"title"`
	AdminID    int64  `schema:"adminid"`
	UserID     int64  `schema:"userid"`
	Status     string `schema:"status"`
	Created    string `schema:"created"`
	DueDate    string `schema:"duedate"`
	Completed  bool   `schema:"completed"`
	TicketIDs  string `schema:"ticketids"`
	InvoiceIDs string `schema:"invoiceids"`
}

type createProjectResponse struct {
	success
	Message   string `json:"message"`
	ProjectID string `json:"projectid"`
}

func createProject(ctx context.Context, env *Env, req *createProjectRequest) (any, error) {
	if err := projectsActive(env); err != nil {
		return nil, err
	}
	now := env.Now().UTC()
	today := now.Format(time.DateOnly)
	p := store.Project{ClientID: req.UserID, AdminID: req.AdminID, Title: strings.TrimSpace(req.Title),
		TicketIDs: strings.TrimSpace(req.TicketIDs), InvoiceIDs: strings.TrimSpace(req.InvoiceIDs),
		Status: strings.TrimSpace(req.Status), Completed: req.Completed, LastModified: now.Format(projectTimeLayout)}
	if p.Status == "" {
		p.Status = "Pending"
	}
	if p.AdminID == 0 {
		p.AdminID = CallerFrom(ctx).AdminID
	}
	var id int64
	err := env.DB.Update(ctx, func(tx *store.Tx) (err error) {
		if err := projectClientExists(ctx, tx, p.ClientID); err != nil {
			return err
		}
		if p.AdminID == 0 {
			return Errorf("Admin ID not Set")
		}
		if err := projectAdminExists(ctx, tx, p.AdminID); err != nil {
			return err
		}
		if p.Title == "" {
			return Errorf("Project Title is Required.")
		}
		if p.Created, err = projectDay(req.Created, today); err != nil {
			return err
		}
		if p.DueDate, err = projectDay(req.DueDate, today); err != nil {
			return err
		}
		id, err = tx.PutProject(ctx, p)
		return err
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("project created", "projectId", id)
	return &createProjectResponse{Message: "Project has been created",
		ProjectID: strconv.FormatInt(id, 10)}, nil
}

type getProjectsRequest struct {
	LimitStart   int64  `schema:"limitstart"`
	LimitNum     int64  `schema:"limitnum"`
	UserID       string `schema:"userid"`
	Title        string `schema:"title"`
	TicketIDs    string `schema:"ticketids"`
	InvoiceIDs   string `schema:"invoiceids"`
	Notes        string `schema:"notes"`
	AdminID      string `schema:"adminid"`
	Status       string `schema:"status"`
	Created      string `schema:"created"`
	DueDate      string `schema:"duedate"`
	Completed    string `schema:"completed"`
	LastModified string `schema:"lastmodified"`
}

type getProjectsResponse struct {
	listHeader
	Projects []projectItem `json:"projects,omitempty"`
}

type projectItem struct {
	ID           int64  `json:"id"`
	UserID       int64  `json:"userid"`
	Title        string `json:"title"`
	TicketIDs    string `json:"ticketids"`
	InvoiceIDs   string `json:"invoiceids"`
	Notes        string `json:"notes"`
	AdminID      int64  `json:"adminid"`
	Status       string `json:"status"`
	Created      string `json:"created"`
	DueDate      string `json:"duedate"`
	Completed    int64  `json:"completed"`
	LastModified string `json:"lastmodified"`
	Watchers     string `json:"watchers"`
}

// projectSentText returns s when it was sent (not empty), else nil.
func projectSentText(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// projectSentInt returns s read as PHP's (int) when it was sent, else nil.
func projectSentInt(s string) *int64 {
	if s == "" {
		return nil
	}
	n := IntVal(s)
	return &n
}

func getProjects(ctx context.Context, env *Env, req *getProjectsRequest) (any, error) {
	if err := projectsActive(env); err != nil {
		return nil, err
	}
	f := store.ProjectFilter{ClientID: projectSentInt(req.UserID), AdminID: projectSentInt(req.AdminID), Title: projectSentText(req.Title),
		TicketIDs: projectSentText(req.TicketIDs), InvoiceIDs: projectSentText(req.InvoiceIDs), Notes: projectSentText(req.Notes),
		Status: projectSentText(req.Status), Created: projectSentText(req.Created), DueDate: projectSentText(req.DueDate),
		LastModified: projectSentText(req.LastModified)}
	if req.Completed != "" {
		done := Truthy(req.Completed)
		f.Completed = &done
	}
	f.Page = listWindow(req.LimitStart, req.LimitNum)
	page, total, err := viewPage(ctx, env, (*store.Tx).ListProjects, f)
	if err != nil {
		return nil, err
	}
	resp := &getProjectsResponse{listHeader: headerOf(f.Page, total, len(page))}
	for _, p := range page {
		resp.Projects = append(resp.Projects, projectItem{ID: p.ID, UserID: p.ClientID, Title: p.Title,
			TicketIDs: p.TicketIDs, InvoiceIDs: p.InvoiceIDs, Notes: p.Notes, AdminID: p.AdminID, Status: p.Status,
			Created: p.Created, DueDate: p.DueDate, Completed: projectFlag(p.Completed), LastModified: p.LastModified})
	}
	return resp, nil
}

// projectFlag is a flag as WHMCS shows it: 1 or 0.
func projectFlag(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

type getProjectRequest struct {
	ProjectID int64 `schema:"projectid"`
}

type getProjectResponse struct {
	success
	ProjectInfo projectInfo `json:"projectinfo"`
	Tasks       any         `json:"tasks"`    // projectTaskList, or "" when there are none
	Messages    any         `json:"messages"` // projectMessageList, or "" when there are none
}

type projectInfo struct {
	ID           string `json:"id"`
	UserID       string `json:"userid"`
	Title        string `json:"title"`
	Attachments  string `json:"attachments"`
	TicketIDs    string `json:"ticketids"`
	InvoiceIDs   string `json:"invoiceids"`
	Notes        string `json:"notes"`
	AdminID      string `json:"adminid"`
	Status       string `json:"status"`
	Created      string `json:"created"`
	DueDate      string `json:"duedate"`
	Completed    string `json:"completed"`
	LastModified string `json:"lastmodified"`
}

type projectTaskList struct {
	Task []projectTaskItem `json:"task"`
}

type projectTaskItem struct {
	ID        string `json:"id"`
	ProjectID string `json:"projectid"`
	Task      string `json:"task"`
	Notes     string `json:"notes"`
	AdminID   string `json:"adminid"`
	Created   string `json:"created"`
	DueDate   string `json:"duedate"`
	Completed string `json:"completed"`
	Billed    string `json:"billed"`
	Order     string `json:"order"`
	TimeLogs  any    `json:"timelogs"` // projectTimeLogList, or "" when there are none
}

func getProject(ctx context.Context, env *Env, req *getProjectRequest) (any, error) {
	if err := projectsActive(env); err != nil {
		return nil, err
	}
	if req.ProjectID == 0 {
		return nil, Errorf("Project ID Not Set")
	}
	var p store.Project
	var tasks []store.ProjectTask
	var messages []store.ProjectMessage
	var logs []store.ProjectTimeLog
	err := env.DB.View(ctx, func(tx *store.Tx) (err error) {
		if p, err = projectFind(ctx, tx, req.ProjectID); err != nil {
			return err
		}
		if tasks, err = tx.ProjectTasks(ctx, p.ID); err != nil {
			return err
		}
		if messages, err = tx.ProjectMessages(ctx, p.ID); err != nil {
			return err
		}
		logs, err = tx.ProjectTimeLogs(ctx, p.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	resp := &getProjectResponse{ProjectInfo: projectInfo{ID: itoa(p.ID), UserID: itoa(p.ClientID),
		Title: p.Title, TicketIDs: p.TicketIDs, InvoiceIDs: p.InvoiceIDs, Notes: p.Notes, AdminID: itoa(p.AdminID),
		Status: p.Status, Created: p.Created, DueDate: p.DueDate, Completed: boolDigit(p.Completed),
		LastModified: p.LastModified}, Tasks: "", Messages: ""}
	timeLogs := map[int64][]projectTimeLogItem{}
	for _, l := range logs {
		timeLogs[l.TaskID] = append(timeLogs[l.TaskID], projectTimeLogItem{ID: itoa(l.ID), ProjectID: itoa(l.ProjectID),
			TaskID: itoa(l.TaskID), AdminID: itoa(l.AdminID), Start: itoa(l.Start), End: itoa(l.End),
			DoNotBill: boolDigit(l.DoNotBill), StartTime: mysqlDateTime(time.Unix(l.Start, 0)), EndTime: mysqlDateTime(time.Unix(l.End, 0))})
	}
	if len(tasks) > 0 {
		list := projectTaskList{Task: make([]projectTaskItem, len(tasks))}
		for i, t := range tasks {
			list.Task[i] = projectTaskItem{ID: itoa(t.ID), ProjectID: itoa(t.ProjectID), Task: t.Task, Notes: t.Notes,
				AdminID: itoa(t.AdminID), Created: t.Created, DueDate: t.DueDate, Completed: boolDigit(t.Completed),
				Billed: boolDigit(t.Billed), Order: itoa(t.Order), TimeLogs: ""}
			if l := timeLogs[t.ID]; len(l) > 0 {
				list.Task[i].TimeLogs = projectTimeLogList{TimeLog: l}
			}
		}
		resp.Tasks = list
	}
	if len(messages) > 0 {
		list := projectMessageList{Message: make([]projectMessageItem, len(messages))}
		for i, m := range messages {
			list.Message[i] = projectMessageItem{ID: itoa(m.ID), ProjectID: itoa(m.ProjectID), Date: m.Date,
				Message: m.Message, AdminID: itoa(m.AdminID)}
		}
		resp.Messages = list
	}
	return resp, nil
}

type updateProjectRequest struct {
	ProjectID  int64  `schema:"projectid"`
	AdminID    string `schema:"adminid"`
	UserID     string `schema:"userid"`
	Status     string `schema:"status"`
	Created    string `schema:"created"`
	DueDate    string `schema:"duedate"`
	Completed  string `schema:"completed"`
	Title      string `schema:"title"`
	TicketIDs  string `schema:"ticketids"`
	InvoiceIDs string `schema:"invoiceids"`
	Notes      string `schema:"notes"`
}

type projectMessage struct {
	success
	Message string `json:"message"`
}

func updateProject(ctx context.Context, env *Env, req *updateProjectRequest) (any, error) {
	err := projectWrite(ctx, env, unsetIf(req.ProjectID, "Project ID Not Set"), func(tx *store.Tx) error {
		p, err := projectFind(ctx, tx, req.ProjectID)
		if err != nil {
			return err
		}
		if id := projectSentInt(req.UserID); id != nil {
			if err := projectClientExists(ctx, tx, *id); err != nil {
				return err
			}
			p.ClientID = *id
		}
		if id := projectSentInt(req.AdminID); id != nil {
			if err := projectAdminExists(ctx, tx, *id); err != nil {
				return err
			}
			p.AdminID = *id
		}
		if p.Created, err = projectDay(req.Created, p.Created); err != nil {
			return err
		}
		if p.DueDate, err = projectDay(req.DueDate, p.DueDate); err != nil {
			return err
		}
		for _, f := range []struct {
			dst *string
			v   string
		}{{&p.Title, req.Title}, {&p.Status, req.Status}, {&p.TicketIDs, req.TicketIDs},
			{&p.InvoiceIDs, req.InvoiceIDs}, {&p.Notes, req.Notes}} {
			if v := strings.TrimSpace(f.v); v != "" {
				*f.dst = v
			}
		}
		if req.Completed != "" {
			p.Completed = Truthy(req.Completed)
		}
		p.LastModified = env.Now().UTC().Format(projectTimeLayout)
		_, err = tx.PutProject(ctx, p)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &projectMessage{Message: "Project Has Been Updated"}, nil
}

type addProjectTaskRequest struct {
	ProjectID int64  `schema:"projectid"`
	DueDate   string `schema:"duedate"`
	AdminID   int64  `schema:"adminid"`
	Task      string `schema:"task"`
	Notes     string `schema:"notes"`
	Completed bool   `schema:"completed"`
	Billed    bool   `schema:"billed"`
}

func addProjectTask(ctx context.Context, env *Env, req *addProjectTaskRequest) (any, error) {
	err := projectPartWrite(ctx, env, req.ProjectID, unsetIf(req.ProjectID, "Project ID not Set"),
		func(tx *store.Tx, now string) error {
			if err := projectAdminExists(ctx, tx, req.AdminID); err != nil {
				return err
			}
			task := strings.TrimSpace(req.Task)
			if task == "" {
				return Errorf("A task description must be specified")
			}
			due, err := projectDay(req.DueDate, "0000-00-00")
			if err != nil {
				return err
			}
			_, err = tx.PutProjectTask(ctx, store.ProjectTask{ProjectID: req.ProjectID, AdminID: req.AdminID,
				Task: task, Notes: req.Notes, Created: now, DueDate: due, Completed: req.Completed,
				Billed: req.Billed})
			return err
		})
	if err != nil {
		return nil, err
	}
	return &projectMessage{Message: "Task has been added"}, nil
}
