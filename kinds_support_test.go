package whmcsemu_test

// The JSON kinds of the support, announcement, project-management and
// user-access actions (kinds_test.go explains the check): the same in
// WHMCS 7.x and 8, so each case has v8 only.

import "net/url"

const supportFixture = "testdata/fixtures/support.json"

func init() {
	kindsCases = append(kindsCases, supportKindsCases...)
}

var supportKindsCases = []kindsCase{
	{action: "GetTicketAttachment", fixtures: []string{supportFixture}, golden: "reply", steps: []url.Values{
		{"action": {"GetTicketAttachment"}, "relatedid": {"1"}, "type": {"reply"}, "index": {"1"}}},
		v8: new(kindsGetTicketAttachment)},
	{action: "GetTicket", golden: "with-attachments (OpenTicket)", steps: []url.Values{
		{"action": {"OpenTicket"}, "deptid": {"1"}, "clientid": {"1"}, "subject": {"Files"}, "message": {"Two files."},
			"attachments": {"W3sibmFtZSI6ICJoZWxsby50eHQiLCAiZGF0YSI6ICJhR1ZzYkc4Z2QyOXliR1E9In0sIHsibmFtZSI6ICJsb2dvLnBuZyIsICJkYXRhIjogImlWQk9Sdz09In1d"}},
		{"action": {"GetTicket"}, "ticketid": {"1"}}},
		v8: new(kindsGetTicketFiles)},
	{action: "GetTicketCounts", fixtures: []string{supportFixture}, golden: "by-status", steps: []url.Values{
		{"action": {"GetTicketCounts"}, "includeCountsByStatus": {"true"}}},
		v8: new(kindsGetTicketCounts)},
	{action: "GetTicketNotes", fixtures: []string{supportFixture}, golden: "with-attachments", steps: []url.Values{
		{"action": {"GetTicketNotes"}, "ticketid": {"1"}}},
		v8: new(kindsGetTicketNotes)},
	{action: "GetTicketPredefinedCats", fixtures: []string{supportFixture}, golden: "all", steps: []url.Values{
		{"action": {"GetTicketPredefinedCats"}}},
		v8: new(kindsGetTicketPredefinedCats)},
	{action: "GetTicketPredefinedReplies", fixtures: []string{supportFixture}, golden: "all", steps: []url.Values{
		{"action": {"GetTicketPredefinedReplies"}}},
		v8: new(kindsGetTicketPredefinedReplies)},
	{action: "UpdateTicketReply", fixtures: []string{supportFixture}, golden: "success", steps: []url.Values{
		{"action": {"UpdateTicketReply"}, "replyid": {"1"}, "message": {"Edited."}}},
		v8: new(kindsUpdateTicketReply)},
	{action: "DeleteTicketReply", fixtures: []string{supportFixture}, golden: "success", steps: []url.Values{
		{"action": {"DeleteTicketReply"}, "ticketid": {"1"}, "replyid": {"1"}}},
		v8: new(kindsResultOnly)},
	{action: "DeleteTicketNote", fixtures: []string{supportFixture}, golden: "success", steps: []url.Values{
		{"action": {"DeleteTicketNote"}, "noteid": {"1"}}},
		v8: new(kindsResultOnly)},
	{action: "MergeTicket", fixtures: []string{supportFixture}, golden: "success", steps: []url.Values{
		{"action": {"MergeTicket"}, "ticketid": {"1"}, "mergeticketids": {"2,4"}}},
		v8: new(kindsMergeTicket)},
	{action: "BlockTicketSender", fixtures: []string{supportFixture}, golden: "delete", steps: []url.Values{
		{"action": {"BlockTicketSender"}, "ticketid": {"2"}, "delete": {"true"}}},
		v8: new(kindsBlockTicketSender)},
	{action: "AddAnnouncement", golden: "success", steps: []url.Values{
		{"action": {"AddAnnouncement"}, "date": {"2016-11-18 09:00:00"}, "title": {"New data centre"}, "announcement": {"<p>We moved.</p>"}, "published": {"1"}}},
		v8: new(kindsAnnouncementID)},
	{action: "GetAnnouncements", fixtures: []string{supportFixture}, golden: "all", steps: []url.Values{
		{"action": {"GetAnnouncements"}}},
		v8: new(kindsGetAnnouncements)},
	{action: "UpdateAnnouncement", fixtures: []string{supportFixture}, golden: "success", steps: []url.Values{
		{"action": {"UpdateAnnouncement"}, "announcementid": {"3"}, "published": {"1"}}},
		v8: new(kindsAnnouncementID)},
	{action: "DeleteAnnouncement", fixtures: []string{supportFixture}, golden: "success", steps: []url.Values{
		{"action": {"DeleteAnnouncement"}, "announcementid": {"2"}}},
		v8: new(kindsDeleteAnnouncement)},
	{action: "GetProject", fixtures: []string{supportFixture}, golden: "with-messages-and-timers", steps: []url.Values{
		{"action": {"GetProject"}, "projectid": {"1"}}},
		v8: new(kindsGetProjectTimes)},
	{action: "AddProjectMessage", fixtures: []string{supportFixture}, golden: "success", steps: []url.Values{
		{"action": {"AddProjectMessage"}, "projectid": {"1"}, "message": {"Designs approved."}}},
		v8: new(kindsAddProjectTask)},
	{action: "UpdateProjectTask", fixtures: []string{supportFixture}, golden: "success", steps: []url.Values{
		{"action": {"UpdateProjectTask"}, "taskid": {"2"}, "task": {"Draft two mock-ups"}, "completed": {"1"}}},
		v8: new(kindsAddProjectTask)},
	{action: "DeleteProjectTask", fixtures: []string{supportFixture}, golden: "success", steps: []url.Values{
		{"action": {"DeleteProjectTask"}, "projectid": {"1"}, "taskid": {"1"}}},
		v8: new(kindsAddProjectTask)},
	{action: "StartTaskTimer", fixtures: []string{supportFixture}, golden: "success", steps: []url.Values{
		{"action": {"StartTaskTimer"}, "projectid": {"1"}, "timerid": {"2"}}},
		v8: new(kindsAddProjectTask)},
	{action: "EndTaskTimer", fixtures: []string{supportFixture}, golden: "success", steps: []url.Values{
		{"action": {"StartTaskTimer"}, "projectid": {"1"}, "timerid": {"2"}},
		{"action": {"EndTaskTimer"}, "timerid": {"2"}, "projectid": {"1"}}},
		v8: new(kindsAddProjectTask)},
	{action: "CreateClientInvite", golden: "success", steps: []url.Values{
		{"action": {"CreateClientInvite"}, "client_id": {"1"}, "email": {"new.person@example.org"}, "permissions": {"profile,tickets"}}},
		v8: new(kindsResultOnly)},
	{action: "DeleteUserClient", golden: "success", steps: []url.Values{
		{"action": {"DeleteUserClient"}, "user_id": {"3"}, "client_id": {"1"}}},
		v8: new(kindsResultOnly)},
	{action: "GetPermissionsList", golden: "success", steps: []url.Values{
		{"action": {"GetPermissionsList"}}},
		v8: new(kindsGetPermissionsList)},
	{action: "GetUserPermissions", fixtures: []string{supportFixture}, golden: "linked", steps: []url.Values{
		{"action": {"GetUserPermissions"}, "user_id": {"3"}, "client_id": {"1"}}},
		v8: new(kindsGetUserPermissions)},
	{action: "UpdateUserPermissions", golden: "success", steps: []url.Values{
		{"action": {"UpdateUserPermissions"}, "user_id": {"3"}, "client_id": {"1"}, "permissions": {"tickets,Invoices,profile"}}},
		v8: new(kindsResultOnly)},
	{action: "ResetPassword", golden: "by-id", steps: []url.Values{
		{"action": {"ResetPassword"}, "id": {"1"}}},
		v8: new(kindsResultOnly)},
}

type kindsGetTicketAttachment struct {
	Result   string `json:"result"`
	Filename string `json:"filename"`
	Data     string `json:"data"`
}

// kindsGetTicketFiles is the part of GetTicket that shows a post's files
// (the rest is kindsGetTicket's).
type kindsGetTicketFiles struct {
	Result  string `json:"result"`
	Replies struct {
		Reply []struct {
			Attachment  string `json:"attachment"`
			Attachments []struct {
				Filename string `json:"filename"`
				Index    int64  `json:"index"`
			} `json:"attachments"`
			AttachmentsRemoved bool `json:"attachments_removed"`
		} `json:"reply"`
	} `json:"replies"`
}

type kindsGetTicketCounts struct {
	Result              string  `json:"result"`
	FilteredDepartments []int64 `json:"filteredDepartments"`
	AllActive           int64   `json:"allActive"`
	AwaitingReply       int64   `json:"awaitingReply"`
	FlaggedTickets      int64   `json:"flaggedTickets"`
	Status              map[string]struct {
		Title string `json:"title"`
		Count int64  `json:"count"`
	} `json:"status"`
}

type kindsGetTicketNotes struct {
	Result       string `json:"result"`
	Totalresults int64  `json:"totalresults"`
	Notes        struct {
		Note []struct {
			ID                 string `json:"id"`
			Admin              string `json:"admin"`
			Date               string `json:"date"`
			Message            string `json:"message"`
			Attachment         string `json:"attachment"`
			AttachmentsRemoved bool   `json:"attachments_removed"`
		} `json:"note"`
	} `json:"notes"`
}

type kindsGetTicketPredefinedCats struct {
	Result       string `json:"result"`
	Totalresults int64  `json:"totalresults"`
	Categories   struct {
		Category []struct {
			ID         string `json:"id"`
			Parentid   string `json:"parentid"`
			Name       string `json:"name"`
			Replycount string `json:"replycount"`
		} `json:"category"`
	} `json:"categories"`
}

type kindsGetTicketPredefinedReplies struct {
	Result            string `json:"result"`
	Totalresults      int64  `json:"totalresults"`
	Predefinedreplies struct {
		Predefinedreply []struct {
			Name  string `json:"name"`
			Reply string `json:"reply"`
		} `json:"predefinedreply"`
	} `json:"predefinedreplies"`
}

type kindsUpdateTicketReply struct {
	Result  string `json:"result"`
	Replyid int64  `json:"replyid"`
}

type kindsMergeTicket struct {
	Result   string `json:"result"`
	Ticketid int64  `json:"ticketid"`
}

type kindsBlockTicketSender struct {
	Result  string `json:"result"`
	Deleted bool   `json:"deleted"`
}

type kindsAnnouncementID struct {
	Result         string `json:"result"`
	Announcementid int64  `json:"announcementid"`
}

type kindsDeleteAnnouncement struct {
	Result         string `json:"result"`
	Announcementid string `json:"announcementid"`
}

type kindsGetAnnouncements struct {
	Result        string `json:"result"`
	Totalresults  int64  `json:"totalresults"`
	Startnumber   int64  `json:"startnumber"`
	Numreturned   int64  `json:"numreturned"`
	Announcements struct {
		Announcement []struct {
			ID           string `json:"id"`
			Date         string `json:"date"`
			Title        string `json:"title"`
			Announcement string `json:"announcement"`
			Published    string `json:"published"`
			Parentid     string `json:"parentid"`
			Language     string `json:"language"`
			CreatedAt    string `json:"created_at"`
			UpdatedAt    string `json:"updated_at"`
		} `json:"announcement"`
	} `json:"announcements"`
}

// kindsGetProjectTimes is GetProject with messages and a task's time logs
// (the first task has one, the second none: "").
type kindsGetProjectTimes struct {
	Result      string `json:"result"`
	Projectinfo struct {
		ID           string `json:"id"`
		Lastmodified string `json:"lastmodified"`
	} `json:"projectinfo"`
	Tasks struct {
		Task []struct {
			ID       string `json:"id"`
			Timelogs any    `json:"timelogs"` // a list, or "" for a task with none
		} `json:"task"`
	} `json:"tasks"`
	Messages struct {
		Message []struct {
			ID          string `json:"id"`
			Projectid   string `json:"projectid"`
			Date        string `json:"date"`
			Message     string `json:"message"`
			Attachments string `json:"attachments"`
			Adminid     string `json:"adminid"`
		} `json:"message"`
	} `json:"messages"`
}

type kindsGetPermissionsList struct {
	Result      string `json:"result"`
	Permissions struct {
		Permission []string `json:"permission"`
	} `json:"permissions"`
}

type kindsGetUserPermissions struct {
	Result      string   `json:"result"`
	Permissions []string `json:"permissions"`
}
