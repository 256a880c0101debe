package whmcsemu_test

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The support, announcement, project-management and user-access actions
// over one world: tickets with their files, merged tickets, timers on the
// emulator's clock, emails in the outbox, and all of it through export
// and load.

// attachmentsParam is OpenTicket's attachments as WHMCS documents it:
// base64 of a JSON list of {name, data (base64)}.
func attachmentsParam(t *testing.T, files map[string][]byte, order ...string) string {
	t.Helper()
	var list []map[string]string
	for _, name := range order {
		list = append(list, map[string]string{"name": name, "data": base64.StdEncoding.EncodeToString(files[name])})
	}
	raw, err := json.Marshal(list)
	require.NoError(t, err)
	return base64.StdEncoding.EncodeToString(raw)
}

// getTicketFiles is the part of GetTicket that shows the posts' files.
type getTicketFiles struct {
	Subject   string `json:"subject"`
	LastReply string `json:"lastreply"`
	Replies   struct {
		Reply []struct {
			ReplyID     string `json:"replyid"`
			Name        string `json:"name"`
			Date        string `json:"date"`
			Message     string `json:"message"`
			Attachment  string `json:"attachment"`
			Attachments []struct {
				Filename string `json:"filename"`
				Index    int64  `json:"index"`
			} `json:"attachments"`
		} `json:"reply"`
	} `json:"replies"`
}

func TestSupportScenario(t *testing.T) {
	s := newDemo(t)

	// A ticket with two files: GetTicket lists them, GetTicketAttachment
	// gives back each one's bytes.
	files := map[string][]byte{"error.log": []byte("line 1\nline 2\n"), "screen.png": {0x89, 'P', 'N', 'G', 0, 1, 2}}
	var opened struct {
		ID int64 `json:"id"`
	}
	must(t, s, "OpenTicket", url.Values{"deptid": {"1"}, "clientid": {"1"}, "subject": {"Site down"},
		"message": {"See the log."}, "attachments": {attachmentsParam(t, files, "error.log", "screen.png")}}, &opened)
	id := strconv.FormatInt(opened.ID, 10)
	var ticket getTicketFiles
	must(t, s, "GetTicket", url.Values{"ticketid": {id}}, &ticket)
	require.Len(t, ticket.Replies.Reply, 1)
	first := ticket.Replies.Reply[0]
	require.Len(t, first.Attachments, 2)
	assert.Equal(t, "error.log", first.Attachments[0].Filename)
	assert.Equal(t, int64(1), first.Attachments[1].Index)
	stored := strings.Split(first.Attachment, "|")
	require.Len(t, stored, 2)
	assert.Regexp(t, `^[1-9][0-9]{5}_screen\.png$`, stored[1], "WHMCS's stored name")
	for i, name := range []string{"error.log", "screen.png"} {
		var file struct {
			Filename string `json:"filename"`
			Data     string `json:"data"`
		}
		must(t, s, "GetTicketAttachment", url.Values{"relatedid": {id}, "type": {"ticket"}, "index": {strconv.Itoa(i)}}, &file)
		assert.Equal(t, name, file.Filename)
		data, err := base64.StdEncoding.DecodeString(file.Data)
		require.NoError(t, err)
		assert.Equal(t, files[name], data)
	}
	// GetTickets shows each ticket's opening files, not its replies'.
	must(t, s, "AddTicketReply", url.Values{"ticketid": {id}, "clientid": {"1"}, "message": {"One more."},
		"attachments": {attachmentsParam(t, map[string][]byte{"more.txt": []byte("M")}, "more.txt")}}, nil)
	var list struct {
		Tickets struct {
			Ticket []struct {
				ID          string `json:"id"`
				Attachment  string `json:"attachment"`
				Attachments []struct {
					Filename string `json:"filename"`
				} `json:"attachments"`
			} `json:"ticket"`
		} `json:"tickets"`
	}
	must(t, s, "GetTickets", url.Values{"limitnum": {"100"}}, &list)
	withFiles := 0
	for _, tk := range list.Tickets.Ticket {
		if tk.ID == id {
			assert.Equal(t, first.Attachment, tk.Attachment)
			require.Len(t, tk.Attachments, 2)
			assert.Equal(t, "screen.png", tk.Attachments[1].Filename)
		}
		if len(tk.Attachments) > 0 {
			withFiles++
		}
	}
	assert.Equal(t, 1, withFiles, "only the ticket opened with files lists any")

	// Two tickets, each with a reply, merged: one ticket with every
	// message, by date; the other is gone.
	open := func(subject, created string) string {
		var r struct {
			ID int64 `json:"id"`
		}
		must(t, s, "OpenTicket", url.Values{"deptid": {"1"}, "name": {"Pat Guest"}, "email": {"pat@example.net"},
			"subject": {subject}, "message": {subject + "?"}, "created": {created}}, &r)
		return strconv.FormatInt(r.ID, 10)
	}
	a, b := open("Prices", "2016-11-10 10:00:00"), open("Discounts", "2016-11-11 10:00:00")
	must(t, s, "AddTicketReply", url.Values{"ticketid": {a}, "adminusername": {"Ada Admin"}, "message": {"Ten dollars."},
		"created": {"2016-11-12 10:00:00"}}, nil)
	must(t, s, "AddTicketReply", url.Values{"ticketid": {b}, "adminusername": {"Ada Admin"}, "message": {"Five percent."},
		"created": {"2016-11-13 10:00:00"}}, nil)
	var merged struct {
		TicketID int64 `json:"ticketid"`
	}
	must(t, s, "MergeTicket", url.Values{"ticketid": {a}, "mergeticketids": {b}}, &merged)
	assert.Equal(t, a, strconv.FormatInt(merged.TicketID, 10))
	must(t, s, "GetTicket", url.Values{"ticketid": {a}}, &ticket)
	var messages []string
	for _, r := range ticket.Replies.Reply {
		messages = append(messages, r.Message)
	}
	assert.Equal(t, []string{"Prices?", "Discounts?", "Ten dollars.", "Five percent."}, messages)
	assert.Equal(t, "2016-11-13 10:00:00", ticket.LastReply)
	assert.Equal(t, "Ticket ID Not Found", call(t, s, "GetTicket", url.Values{"ticketid": {b}}, nil).Message)

	// A timer started now and ended 90 minutes later on the emulator's
	// clock logs 90 minutes.
	var project struct {
		ProjectID string `json:"projectid"`
	}
	must(t, s, "CreateProject", url.Values{"title": {"Migration"}, "userid": {"1"}}, &project)
	must(t, s, "AddProjectTask", url.Values{"projectid": {project.ProjectID}, "task": {"Move mailboxes"}}, nil)
	must(t, s, "StartTaskTimer", url.Values{"projectid": {project.ProjectID}, "timerid": {"1"}}, nil)
	s.Emulator().Clock().Advance(90 * time.Minute)
	must(t, s, "EndTaskTimer", url.Values{"projectid": {project.ProjectID}, "timerid": {"1"}}, nil)
	var got struct {
		Tasks struct {
			Task []struct {
				TimeLogs struct {
					TimeLog []struct {
						Start     string `json:"start"`
						End       string `json:"end"`
						StartTime string `json:"starttime"`
						EndTime   string `json:"endtime"`
					} `json:"timelog"`
				} `json:"timelogs"`
			} `json:"task"`
		} `json:"tasks"`
	}
	must(t, s, "GetProject", url.Values{"projectid": {project.ProjectID}}, &got)
	require.Len(t, got.Tasks.Task, 1)
	require.Len(t, got.Tasks.Task[0].TimeLogs.TimeLog, 1)
	logged := got.Tasks.Task[0].TimeLogs.TimeLog[0]
	start, _ := strconv.ParseInt(logged.Start, 10, 64)
	end, _ := strconv.ParseInt(logged.End, 10, 64)
	assert.Equal(t, 90*time.Minute, time.Duration(end-start)*time.Second)
	assert.Equal(t, "2016-11-18 09:32:24", logged.StartTime)
	assert.Equal(t, "2016-11-18 11:02:24", logged.EndTime)

	// ResetPassword sends the Password Reset Validation email, with a link
	// under the System URL, to the outbox.
	must(t, s, "ResetPassword", url.Values{"email": {"sam@example.com"}}, nil)
	sent := outbox(t, s, "to=sam@example.com")
	require.Len(t, sent, 1)
	assert.Equal(t, "Password Reset Validation", sent[0].Template)
	assert.Equal(t, int64(2), sent[0].ClientID, "filed under the client Sam owns")
	assert.Contains(t, sent[0].Message, "Dear Sam Roe,")
	assert.Regexp(t, `http://localhost:8080/index\.php\?rp=/password/reset/redeem/[0-9a-f]{64}`, sent[0].Message)
}

// The invite goes to the invited address, rendered for the client; a
// failed invite sends nothing.
func TestClientInviteEmail(t *testing.T) {
	s := newDemo(t)
	must(t, s, "CreateClientInvite", url.Values{"client_id": {"1"}, "email": {"new.person@example.org"},
		"permissions": {"profile,tickets"}}, nil)
	sent := outbox(t, s, "")
	require.Len(t, sent, 1)
	assert.Equal(t, "Account Invite", sent[0].Template)
	assert.Equal(t, "new.person@example.org", sent[0].To)
	assert.Equal(t, int64(1), sent[0].ClientID)
	assert.Contains(t, sent[0].Message, "Jane Doe")
	assert.Regexp(t, `http://localhost:8080/index\.php\?rp=/invite/[0-9a-f]{64}`, sent[0].Message)

	r := call(t, s, "CreateClientInvite", url.Values{"client_id": {"1"}, "email": {"lee@example.com"}, "permissions": {"profile"}}, nil)
	assert.Equal(t, "User already associated with client", r.Message)
	assert.Len(t, outbox(t, s, ""), 1)
}

// Permissions set by UpdateUserPermissions are the link's: GetUsers and
// GetClientsDetails still list the user, DeleteUserClient removes it
// from both, and the owner cannot be removed.
func TestUserPermissionsShareTheLinks(t *testing.T) {
	s := newDemo(t)
	must(t, s, "UpdateUserPermissions", url.Values{"user_id": {"3"}, "client_id": {"1"}, "permissions": {"orders, PROFILE"}}, nil)
	var perms struct {
		Permissions []string `json:"permissions"`
	}
	must(t, s, "GetUserPermissions", url.Values{"user_id": {"3"}, "client_id": {"1"}}, &perms)
	assert.Equal(t, []string{"profile", "orders"}, perms.Permissions)
	details := must(t, s, "GetClientsDetails", url.Values{"clientid": {"1"}}, nil)
	assert.Contains(t, details.Body, `"email":"lee@example.com"`)

	assert.Equal(t, "You cannot remove the account owner",
		call(t, s, "DeleteUserClient", url.Values{"user_id": {"1"}, "client_id": {"1"}}, nil).Message)
	must(t, s, "DeleteUserClient", url.Values{"user_id": {"3"}, "client_id": {"1"}}, nil)
	details = must(t, s, "GetClientsDetails", url.Values{"clientid": {"1"}}, nil)
	assert.NotContains(t, details.Body, `lee@example.com`)
	assert.Equal(t, "User is not associated with client",
		call(t, s, "GetUserPermissions", url.Values{"user_id": {"3"}, "client_id": {"1"}}, nil).Message)
}

// Everything the support fixture holds and the actions add survives an
// export loaded into an emulator without state: the same answers.
func TestSupportSurvivesExportAndLoad(t *testing.T) {
	src := newDemo(t, supportFixture)
	for _, step := range []struct {
		action string
		params url.Values
	}{
		{"OpenTicket", url.Values{"deptid": {"1"}, "name": {"Kim Lead"}, "email": {"kim@example.org"}, "subject": {"Files"},
			"message": {"Two files."}, "attachments": {attachmentsParam(t, map[string][]byte{"a.txt": []byte("A"),
				"b.bin": {0, 255, 7}}, "a.txt", "b.bin")}}},
		{"AddTicketReply", url.Values{"ticketid": {"5"}, "adminusername": {"Ada Admin"}, "message": {"Got them."},
			"attachments": {attachmentsParam(t, map[string][]byte{"c.txt": []byte("C")}, "c.txt")}}},
		{"AddTicketNote", url.Values{"ticketid": {"5"}, "message": {"Check b.bin."},
			"attachments": {attachmentsParam(t, map[string][]byte{"d.txt": nil}, "d.txt")}}},
		{"MergeTicket", url.Values{"ticketid": {"1"}, "mergeticketids": {"4"}}},
		{"BlockTicketSender", url.Values{"ticketid": {"2"}}},
		{"AddAnnouncement", url.Values{"date": {"2016-11-18 08:00:00"}, "title": {"New"}, "announcement": {"News."}}},
		{"AddProjectMessage", url.Values{"projectid": {"1"}, "message": {"Approved."}}},
		{"StartTaskTimer", url.Values{"projectid": {"1"}, "timerid": {"2"}}},
		{"UpdateUserPermissions", url.Values{"user_id": {"3"}, "client_id": {"1"}, "permissions": {"quotes"}}},
	} {
		must(t, src, step.action, step.params, nil)
	}
	dst := newServer(t)
	replaceWith(t, dst, src)
	for _, q := range []struct {
		action string
		params url.Values
	}{
		{"GetTicket", url.Values{"ticketid": {"1"}}},
		{"GetTicket", url.Values{"ticketid": {"5"}}},
		{"GetTickets", url.Values{"limitnum": {"100"}}},
		{"GetTicketNotes", url.Values{"ticketid": {"1"}}},
		{"GetTicketNotes", url.Values{"ticketid": {"5"}}},
		{"GetTicketAttachment", url.Values{"relatedid": {"5"}, "type": {"ticket"}, "index": {"1"}}},
		{"GetTicketAttachment", url.Values{"relatedid": {"1"}, "type": {"reply"}, "index": {"0"}}},
		{"GetTicketAttachment", url.Values{"relatedid": {"2"}, "type": {"reply"}, "index": {"0"}}}, // Attachments Deleted
		{"GetTicketAttachment", url.Values{"relatedid": {"3"}, "type": {"note"}, "index": {"0"}}},
		{"GetTicketCounts", url.Values{"includeCountsByStatus": {"1"}}},
		{"GetTicketPredefinedCats", nil},
		{"GetTicketPredefinedReplies", nil},
		{"GetAnnouncements", nil},
		{"GetProject", url.Values{"projectid": {"1"}}},
		{"GetProject", url.Values{"projectid": {"2"}}},
		{"GetUserPermissions", url.Values{"user_id": {"3"}, "client_id": {"1"}}},
		{"GetUsers", nil},
		{"OpenTicket", url.Values{"deptid": {"1"}, "name": {"Pat"}, "email": {"pat@example.net"}, "subject": {"s"}, "message": {"m"}}},
		{"OpenTicket", url.Values{"deptid": {"1"}, "name": {"Spam"}, "email": {"spam@example.net"}, "subject": {"s"}, "message": {"m"}}},
	} {
		want := call(t, src, q.action, q.params, nil)
		assert.Equal(t, want.Body, call(t, dst, q.action, q.params, nil).Body, "%s %v", q.action, q.params)
		if q.action != "OpenTicket" && want.Message != "Attachments Deleted" {
			assert.Equal(t, "success", want.Result, "%s %v: %s", q.action, q.params, want.Message)
		}
	}
	assert.Equal(t, export(t, src, nil), export(t, dst, nil), "the export of the export is the same")
}

// DeleteClient removes what belongs to the client: its tickets with their
// files, its projects with their messages and time logs, and the links
// of its users with their permissions.
func TestDeleteClientRemovesSupportState(t *testing.T) {
	s := newDemo(t, supportFixture)
	must(t, s, "DeleteClient", url.Values{"clientid": {"1"}}, nil)
	var doc struct {
		Tickets []struct {
			ID       int64 `json:"id"`
			ClientID int64 `json:"clientId"`
		} `json:"tickets"`
		Projects []struct {
			ID int64 `json:"id"`
		} `json:"projects"`
		UserPermissions []any `json:"userPermissions"`
	}
	data := export(t, s, &doc)
	for _, tk := range doc.Tickets {
		assert.NotEqual(t, int64(1), tk.ClientID, "ticket %d", tk.ID)
	}
	require.Len(t, doc.Projects, 1)
	assert.Equal(t, int64(2), doc.Projects[0].ID)
	assert.Empty(t, doc.UserPermissions)
	for _, gone := range []string{"123456_logo.png", "invoice.pdf", "notes.txt", "Kick-off done."} {
		assert.NotContains(t, data, gone)
	}
	assert.Equal(t, "Related ID Not Found", call(t, s, "GetTicketAttachment",
		url.Values{"relatedid": {"1"}, "type": {"note"}, "index": {"0"}}, nil).Message)
	assert.Equal(t, "Invalid client id", call(t, s, "GetUserPermissions",
		url.Values{"user_id": {"3"}, "client_id": {"1"}}, nil).Message)
}

// The fixture sections are checked, each problem named with its path.
func TestSupportFixtureErrors(t *testing.T) {
	s := newDemo(t)
	for _, c := range []struct{ doc, want string }{
		{`{"ticketPredefinedCategories":[{"id":5,"parentId":9,"name":"A"}]}`, "ticketPredefinedCategories[0].parentId: no predefined reply category has id 9"},
		{`{"ticketPredefinedReplies":[{"categoryId":9,"name":"A"}]}`, "ticketPredefinedReplies[0].categoryId: no predefined reply category has id 9"},
		{`{"announcements":[{"title":"A","announcement":"B","date":"tomorrow"}]}`, "announcements[0].date: must be an RFC 3339 time"},
		{`{"announcements":[{"announcement":"B"}]}`, "announcements[0].title: is required"},
		{`{"blockedTicketSenders":[" "]}`, "blockedTicketSenders[0]: must be an email address"},
		{`{"userPermissions":[{"userId":1,"clientId":1,"permissions":["profile"]}]}`, "userPermissions[0].userId: owns client 1"},
		{`{"userPermissions":[{"userId":2,"clientId":1,"permissions":["profile"]}]}`, "userPermissions[0].userId: is not one of client 1's userIds"},
		{`{"userPermissions":[{"userId":3,"clientId":1,"permissions":["root"]}]}`, `userPermissions[0].permissions[0]: must be one of profile, contacts`},
		{`{"tickets":[{"deptId":1,"clientId":1,"attachments":[{"name":"a/b.txt","data":""}]}]}`, `tickets[0].attachments[0].name: must be a file name`},
		{`{"tickets":[{"deptId":1,"clientId":1,"replies":[{"clientId":1,"message":"m","attachments":[{"name":"b.txt","data":"%%"}]}]}]}`, `tickets[0].replies[0].attachments[0].data: must be base64`},
		{`{"projects":[{"title":"P","tasks":[{"task":"T","timeLogs":[{"end":"2016-11-18T10:00:00Z"}]}]}]}`, "projects[0].tasks[0].timeLogs[0].start: is required"},
		{`{"projects":[{"title":"P","messages":[{"message":" "}]}]}`, "projects[0].messages[0].message: is required"},
	} {
		err := s.Emulator().LoadFixture(t.Context(), []byte(c.doc))
		if assert.Error(t, err, c.doc) {
			assert.Contains(t, err.Error(), c.want, c.doc)
		}
	}
}
