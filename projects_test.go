package whmcsemu_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu"
	"github.com/whmcsemu/whmcsemu/whmcstest"
)

// pmProject is GetProject's answer, as much as these tests read.
type pmProject struct {
	Result      string `json:"result"`
	Message     string `json:"message"`
	ProjectInfo struct {
		ID           string `json:"id"`
		UserID       string `json:"userid"`
		Title        string `json:"title"`
		AdminID      string `json:"adminid"`
		Status       string `json:"status"`
		Completed    string `json:"completed"`
		DueDate      string `json:"duedate"`
		LastModified string `json:"lastmodified"`
	} `json:"projectinfo"`
	Tasks json.RawMessage `json:"tasks"`
}

// pmTasks reads GetProject's tasks: "" when none, else tasks.task.
func pmTasks(t *testing.T, p pmProject) []map[string]string {
	t.Helper()
	if string(p.Tasks) == `""` {
		return nil
	}
	var list struct {
		Task []map[string]string `json:"task"`
	}
	require.NoError(t, json.Unmarshal(p.Tasks, &list), string(p.Tasks))
	return list.Task
}

// pmPage is GetProjects' answer.
type pmPage struct {
	Result       string `json:"result"`
	Message      string `json:"message"`
	TotalResults int    `json:"totalresults"`
	StartNumber  int    `json:"startnumber"`
	NumReturned  int    `json:"numreturned"`
	Projects     []struct {
		ID        int    `json:"id"`
		UserID    int    `json:"userid"`
		Title     string `json:"title"`
		Completed int    `json:"completed"`
	} `json:"projects"`
}

// pmCreate creates a project and returns its id.
func pmCreate(t *testing.T, srv *whmcstest.Server, params url.Values) string {
	t.Helper()
	var got struct {
		ProjectID string `json:"projectid"`
	}
	must(t, srv, "CreateProject", params, &got)
	return got.ProjectID
}

// pmGet is GetProject's answer, success or not.
func pmGet(t *testing.T, srv *whmcstest.Server, id string) (got pmProject) {
	t.Helper()
	call(t, srv, "GetProject", url.Values{"projectid": {id}}, &got)
	return got
}

func pmList(t *testing.T, srv *whmcstest.Server, params url.Values) (got pmPage) {
	t.Helper()
	must(t, srv, "GetProjects", params, &got)
	return got
}

// pmExported is the part of an export these tests read.
type pmExported struct {
	Settings struct {
		ProjectManagement *bool `json:"projectManagement"`
	} `json:"settings"`
	Projects json.RawMessage `json:"projects"`
}

func TestProjectsLifecycle(t *testing.T) {
	srv := newDemo(t)
	id := pmCreate(t, srv, url.Values{"title": {"Redesign"}, "userid": {"1"}, "duedate": {"2016-12-24"}})
	require.Equal(t, "1", id)
	p := pmGet(t, srv, id)
	require.Equal(t, "success", p.Result, p.Message)
	assert.Equal(t, "1", p.ProjectInfo.AdminID, "adminid defaults to the calling admin")
	assert.Equal(t, "Pending", p.ProjectInfo.Status)
	assert.Empty(t, pmTasks(t, p))

	r := must(t, srv, "AddProjectTask", url.Values{"projectid": {id}, "task": {"Wireframes"}, "duedate": {"2016-11-30"}}, nil)
	assert.Equal(t, "Task has been added", r.Message)
	srv.Emulator().Clock().Set(testClock.Add(time.Hour))
	must(t, srv, "AddProjectTask", url.Values{"projectid": {id}, "task": {"Build"}, "adminid": {"1"}}, nil)
	p = pmGet(t, srv, id)
	tasks := pmTasks(t, p)
	require.Len(t, tasks, 2)
	assert.Equal(t, "Wireframes", tasks[0]["task"])
	assert.Equal(t, "1", tasks[0]["order"])
	assert.Equal(t, "2016-11-30", tasks[0]["duedate"])
	assert.Equal(t, "Build", tasks[1]["task"])
	assert.Equal(t, "2", tasks[1]["order"])
	assert.Equal(t, "0000-00-00", tasks[1]["duedate"])
	assert.Equal(t, "", tasks[1]["timelogs"])
	assert.Equal(t, "2016-11-18 10:32:24", p.ProjectInfo.LastModified, "a new task touches the project")

	r = must(t, srv, "UpdateProject", url.Values{"projectid": {id}, "title": {"Redesign v2"},
		"status": {"Completed"}, "completed": {"1"}}, nil)
	assert.Equal(t, "Project Has Been Updated", r.Message)
	p = pmGet(t, srv, id)
	assert.Equal(t, "Redesign v2", p.ProjectInfo.Title)
	assert.Equal(t, "Completed", p.ProjectInfo.Status)
	assert.Equal(t, "1", p.ProjectInfo.Completed)
	assert.Equal(t, "1", p.ProjectInfo.UserID, "fields not sent stay")
	assert.Equal(t, "2016-12-24", p.ProjectInfo.DueDate)
	assert.Len(t, pmTasks(t, p), 2)

	pmCreate(t, srv, url.Values{"title": {"Hosting move"}, "userid": {"2"}})
	pmCreate(t, srv, url.Values{"title": {"Internal"}})
	all := pmList(t, srv, nil)
	assert.Equal(t, 3, all.TotalResults)
	require.Len(t, all.Projects, 3)
	assert.Equal(t, []string{"Redesign v2", "Hosting move", "Internal"},
		[]string{all.Projects[0].Title, all.Projects[1].Title, all.Projects[2].Title})
	byClient := pmList(t, srv, url.Values{"userid": {"2"}})
	require.Len(t, byClient.Projects, 1)
	assert.Equal(t, "Hosting move", byClient.Projects[0].Title)
	done := pmList(t, srv, url.Values{"completed": {"1"}})
	require.Len(t, done.Projects, 1)
	assert.Equal(t, 1, done.Projects[0].Completed)
	assert.Equal(t, 2, pmList(t, srv, url.Values{"completed": {"0"}}).TotalResults)
	page := pmList(t, srv, url.Values{"limitstart": {"1"}, "limitnum": {"1"}})
	assert.Equal(t, 3, page.TotalResults)
	assert.Equal(t, 1, page.StartNumber)
	assert.Equal(t, 1, page.NumReturned)
	require.Len(t, page.Projects, 1)
	assert.Equal(t, "Hosting move", page.Projects[0].Title)
	empty := pmList(t, srv, url.Values{"title": {"nothing like it"}})
	assert.Zero(t, empty.TotalResults)
	assert.Nil(t, empty.Projects)
}

func TestProjectsBadInputWritesNothing(t *testing.T) {
	srv := newDemo(t)
	id := pmCreate(t, srv, url.Values{"title": {"Keep"}, "userid": {"1"}})
	before := export(t, srv, nil)
	for _, c := range []struct {
		action string
		params url.Values
		msg    string
	}{
		{"CreateProject", url.Values{"title": {"X"}, "userid": {"99"}}, "Client ID Not Found"},
		{"CreateProject", url.Values{"title": {"X"}, "adminid": {"99"}}, "Admin ID Not Found"},
		{"CreateProject", url.Values{"adminid": {"1"}}, "Project Title is Required."},
		{"CreateProject", url.Values{"title": {"X"}, "created": {"2016-02-30"}}, "Invalid Date Format"},
		{"UpdateProject", url.Values{"title": {"X"}}, "Project ID Not Set"},
		{"UpdateProject", url.Values{"projectid": {"99"}, "title": {"X"}}, "Project ID Not Found"},
		{"UpdateProject", url.Values{"projectid": {id}, "title": {"X"}, "userid": {"99"}}, "Client ID Not Found"},
		{"UpdateProject", url.Values{"projectid": {id}, "title": {"X"}, "adminid": {"99"}}, "Admin ID Not Found"},
		{"UpdateProject", url.Values{"projectid": {id}, "title": {"X"}, "duedate": {"soon"}}, "Invalid Date Format"},
		{"AddProjectTask", url.Values{"task": {"X"}}, "Project ID not Set"},
		{"AddProjectTask", url.Values{"projectid": {"99"}, "task": {"X"}}, "Project ID Not Found"},
		{"AddProjectTask", url.Values{"projectid": {id}, "task": {"X"}, "adminid": {"99"}}, "Admin ID Not Found"},
		{"AddProjectTask", url.Values{"projectid": {id}, "task": {" "}}, "A task description must be specified"},
		{"AddProjectTask", url.Values{"projectid": {id}, "task": {"X"}, "duedate": {"1/2/2016"}}, "Invalid Date Format"},
		{"GetProject", url.Values{}, "Project ID Not Set"},
		{"GetProject", url.Values{"projectid": {"99"}}, "Project ID Not Found"},
	} {
		r := call(t, srv, c.action, c.params, nil)
		assert.Equal(t, "error", r.Result, "%s %v", c.action, c.params)
		assert.Equal(t, c.msg, r.Message, "%s %v", c.action, c.params)
	}
	assert.Equal(t, before, export(t, srv, nil))
}

func TestProjectsAdminDefaultLocalAPI(t *testing.T) {
	srv := newDemo(t)
	assert.Equal(t, `{"result":"error","message":"Admin ID not Set"}`,
		call(t, srv, "CreateProject", url.Values{"title": {"No admin"}}, nil, localAPI{}).Body)
	must(t, srv, "CreateProject", url.Values{"title": {"As admin"}}, nil, localAPI{"admin"})
	p := pmGet(t, srv, "1")
	assert.Equal(t, "1", p.ProjectInfo.AdminID)
	must(t, srv, "CreateProject", url.Values{"title": {"Given"}, "adminid": {"2"}}, nil, localAPI{}) // an explicit adminid needs no calling admin
}

func TestProjectsInactive(t *testing.T) {
	srv := newDemo(t)
	pmCreate(t, srv, url.Values{"title": {"Before"}})
	control := func(doc string) int { // the control plane, as curl would use it
		resp, err := srv.Client().Post(srv.URL+whmcsemu.ControlPrefix+"fixtures", "application/json", strings.NewReader(doc))
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	require.Equal(t, 200, control(`{"settings": {"projectManagement": false}}`))
	for action, params := range map[string]url.Values{
		"CreateProject":  {"title": {"X"}, "adminid": {"1"}},
		"GetProjects":    {},
		"GetProject":     {"projectid": {"1"}},
		"UpdateProject":  {"projectid": {"1"}, "title": {"X"}},
		"AddProjectTask": {"projectid": {"1"}, "task": {"X"}},
	} {
		r := call(t, srv, action, params, nil)
		assert.Equal(t, "error", r.Result, action)
		assert.Equal(t, "Project Management is not active.", r.Message, action)
	}
	assert.Equal(t, "Project Management is not active.", call(t, srv, "GetProjects", nil, nil, localAPI{"admin"}).Message)

	require.Equal(t, 200, control(`{"settings": {"projectManagement": true}}`))
	p := pmGet(t, srv, "1")
	assert.Equal(t, "Before", p.ProjectInfo.Title, "switching the addon off and on keeps the projects")
}

func TestProjectsGoWithTheirClient(t *testing.T) {
	srv := newDemo(t)
	mine := pmCreate(t, srv, url.Values{"title": {"Jane's"}, "userid": {"1"}})
	must(t, srv, "AddProjectTask", url.Values{"projectid": {mine}, "task": {"T"}}, nil)
	other := pmCreate(t, srv, url.Values{"title": {"Nobody's"}})
	must(t, srv, "DeleteClient", url.Values{"clientid": {"1"}}, nil)
	p := pmGet(t, srv, mine)
	assert.Equal(t, "Project ID Not Found", p.Message)
	assert.Equal(t, "success", pmGet(t, srv, other).Result)
	assert.Equal(t, 1, pmList(t, srv, nil).TotalResults)
	var doc struct {
		Projects []struct {
			Tasks []any `json:"tasks"`
		} `json:"projects"`
	}
	export(t, srv, &doc)
	require.Len(t, doc.Projects, 1)
	assert.Empty(t, doc.Projects[0].Tasks, "the deleted project's task is gone too")
}

func TestProjectsExportRoundTrip(t *testing.T) {
	srv := newDemo(t)
	id := pmCreate(t, srv, url.Values{"title": {"Round trip"}, "userid": {"2"}, "ticketids": {"4,5"},
		"created": {"2016-01-01"}, "duedate": {"2016-02-01"}})
	for _, task := range []url.Values{
		{"projectid": {id}, "task": {"One"}, "notes": {"n"}, "completed": {"1"}, "billed": {"1"}, "duedate": {"2016-01-10"}},
		{"projectid": {id}, "task": {"Two"}, "adminid": {"1"}},
	} {
		must(t, srv, "AddProjectTask", task, nil)
	}
	must(t, srv, "UpdateProject", url.Values{"projectid": {id}, "notes": {"kept"}, "status": {"In Progress"}}, nil)
	pmCreate(t, srv, url.Values{"title": {"Empty"}})

	var doc, again pmExported
	export(t, srv, &doc)
	empty := newServer(t)
	empty.Emulator().Clock().Set(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	replaceWith(t, empty, srv)
	for _, p := range []url.Values{{"projectid": {"1"}}, {"projectid": {"2"}}} {
		assert.Equal(t, call(t, srv, "GetProject", p, nil), call(t, empty, "GetProject", p, nil))
	}
	assert.Equal(t, call(t, srv, "GetProjects", nil, nil), call(t, empty, "GetProjects", nil, nil))
	export(t, empty, &again)
	assert.NotEmpty(t, doc.Projects)
	assert.JSONEq(t, string(doc.Projects), string(again.Projects))
	assert.Equal(t, doc.Settings.ProjectManagement, again.Settings.ProjectManagement)
}
