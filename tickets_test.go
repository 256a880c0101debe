package whmcsemu_test

import (
	"net/url"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/whmcstest"
)

// tkOpened is OpenTicket's answer.
type tkOpened struct {
	Result  string `json:"result"`
	Message string `json:"message"`
	ID      int64  `json:"id"`
	TID     string `json:"tid"`
	C       string `json:"c"`
}

// tkTicket is GetTicket's answer, as much as these tests read.
type tkTicket struct {
	Result    string `json:"result"`
	Message   string `json:"message"`
	TicketID  int64  `json:"ticketid"`
	Status    string `json:"status"`
	Priority  string `json:"priority"`
	DeptID    int64  `json:"deptid"`
	Subject   string `json:"subject"`
	LastReply string `json:"lastreply"`
	Replies   struct {
		Reply []struct {
			ReplyID string `json:"replyid"`
			Message string `json:"message"`
			Admin   string `json:"admin"`
		} `json:"reply"`
	} `json:"replies"`
	Notes *struct {
		Note []struct {
			Message string `json:"message"`
		} `json:"note"`
	} `json:"notes"`
}

// tkOpen opens a ticket for client 1 and returns the answer.
func tkOpen(t *testing.T, srv *whmcstest.Server, extra url.Values) tkOpened {
	t.Helper()
	params := url.Values{"deptid": {"1"}, "clientid": {"1"}, "subject": {"Help"}, "message": {"Please help."}}
	for k, v := range extra {
		params[k] = v
	}
	var got tkOpened
	call(t, srv, "OpenTicket", params, &got)
	return got
}

func tkGet(t *testing.T, srv *whmcstest.Server, id string) (got tkTicket) {
	t.Helper()
	must(t, srv, "GetTicket", url.Values{"ticketid": {id}}, &got)
	return got
}

// tkCount returns GetTickets' totalresults for the filters.
func tkCount(t *testing.T, srv *whmcstest.Server, params url.Values) int {
	t.Helper()
	var page struct {
		TotalResults int `json:"totalresults"`
	}
	must(t, srv, "GetTickets", params, &page)
	return page.TotalResults
}

func TestTicketsLifecycle(t *testing.T) {
	srv := newDemo(t)
	opened := tkOpen(t, srv, url.Values{"priority": {"low"}})
	require.Equal(t, "success", opened.Result, opened.Message)
	assert.Regexp(t, regexp.MustCompile(`^[A-Z]{3}-[0-9]{6}$`), opened.TID)
	assert.Regexp(t, regexp.MustCompile(`^[A-Za-z0-9]{8}$`), opened.C)
	id := url.Values{"ticketid": {"1"}}

	got := tkGet(t, srv, "1")
	assert.Equal(t, "Open", got.Status)
	assert.Equal(t, "Low", got.Priority)
	require.Len(t, got.Replies.Reply, 1)
	assert.Equal(t, "Please help.", got.Replies.Reply[0].Message)
	assert.Nil(t, got.Notes)

	// A client reply sets Customer-Reply, an admin's Answered.
	must(t, srv, "AddTicketReply", url.Values{"ticketid": {"1"}, "clientid": {"1"}, "message": {"More."}}, nil)
	assert.Equal(t, "Customer-Reply", tkGet(t, srv, "1").Status)
	must(t, srv, "AddTicketReply", url.Values{"ticketid": {"1"}, "adminusername": {"Ann"}, "message": {"Done."}}, nil)
	got = tkGet(t, srv, "1")
	assert.Equal(t, "Answered", got.Status)
	require.Len(t, got.Replies.Reply, 3)
	assert.Equal(t, "Ann", got.Replies.Reply[2].Admin)

	must(t, srv, "AddTicketNote", url.Values{"ticketnum": {opened.TID}, "message": {"Internal."}}, nil)
	got = tkGet(t, srv, "1")
	require.NotNil(t, got.Notes)
	assert.Equal(t, "Internal.", got.Notes.Note[0].Message)

	must(t, srv, "UpdateTicket", url.Values{"ticketid": {"1"}, "status": {"closed"}, "subject": {"Solved"}}, nil)
	got = tkGet(t, srv, "1")
	assert.Equal(t, "Closed", got.Status)
	assert.Equal(t, "Solved", got.Subject)
	assert.Equal(t, 1, tkCount(t, srv, url.Values{"status": {"Closed"}}))
	assert.Equal(t, 0, tkCount(t, srv, url.Values{"status": {"All Active Tickets"}}))

	must(t, srv, "DeleteTicket", id, nil)
	assert.Equal(t, 0, tkCount(t, srv, nil))
	assert.Equal(t, `{"result":"error","message":"Ticket ID Not Found"}`, call(t, srv, "GetTicket", id, nil).Body)
	assert.Equal(t, `{"result":"error","message":"Ticket ID not found"}`, call(t, srv, "DeleteTicket", id, nil).Body)
}

// A failed action writes nothing: the ticket, replies and notes are as
// they were.
func TestTicketsFailuresWriteNothing(t *testing.T) {
	srv := newDemo(t)
	require.Equal(t, "success", tkOpen(t, srv, nil).Result)
	before := tkGet(t, srv, "1")

	for _, c := range []struct {
		action string
		params url.Values
		msg    string
	}{
		{"OpenTicket", url.Values{"deptid": {"99"}, "clientid": {"1"}, "subject": {"s"}, "message": {"m"}}, "Department ID not found"},
		{"OpenTicket", url.Values{"deptid": {"1"}, "name": {"N"}, "email": {"bad"}, "subject": {"s"}, "message": {"m"}}, "Email Address Invalid"},
		{"AddTicketReply", url.Values{"ticketid": {"1"}, "clientid": {"1"}, "status": {"Nope"}, "message": {"m"}}, "Invalid Ticket Status"},
		{"AddTicketNote", url.Values{"ticketid": {"1"}, "message": {"m"}, "created": {"2999-01-01 00:00:00"}}, "Ticket creation date cannot be in the future"},
		{"UpdateTicket", url.Values{"ticketid": {"1"}, "subject": {"changed"}, "priority": {"Urgent"}}, "Invalid Ticket Priority. Valid priorities are: Low,Medium,High"},
		{"UpdateTicket", url.Values{"ticketid": {"1"}, "subject": {"changed"}, "deptid": {"99"}}, "Department ID Not Found"},
	} {
		r := call(t, srv, c.action, c.params, nil)
		assert.Equal(t, "error", r.Result, c.action)
		assert.Equal(t, c.msg, r.Message, c.action)
	}
	assert.Equal(t, before, tkGet(t, srv, "1"))
	assert.Equal(t, 1, tkCount(t, srv, nil))
}

func TestTicketsFilters(t *testing.T) {
	srv := newDemo(t)
	tkOpen(t, srv, url.Values{"subject": {"Billing issue"}})
	tkOpen(t, srv, url.Values{"clientid": {"2"}, "status": {"On Hold"}})
	tkOpen(t, srv, url.Values{"clientid": {""}, "name": {"Guest"}, "email": {"g@example.org"}})
	assert.Equal(t, 3, tkCount(t, srv, nil))
	assert.Equal(t, 1, tkCount(t, srv, url.Values{"clientid": {"2"}}))
	assert.Equal(t, 1, tkCount(t, srv, url.Values{"email": {"G@example.org"}}))
	assert.Equal(t, 1, tkCount(t, srv, url.Values{"subject": {"billing"}}))
	assert.Equal(t, 3, tkCount(t, srv, url.Values{"status": {"Awaiting Reply"}}))
	assert.Equal(t, 1, tkCount(t, srv, url.Values{"status": {"On Hold"}}))
	assert.Equal(t, 0, tkCount(t, srv, url.Values{"deptid": {"2"}}))

	must(t, srv, "UpdateTicket", url.Values{"ticketid": {"1"}, "flag": {"1"}}, nil)
	assert.Equal(t, 1, tkCount(t, srv, url.Values{"status": {"My Flagged Tickets"}}))
	must(t, srv, "UpdateTicket", url.Values{"ticketid": {"1"}, "removeFlag": {"1"}}, nil)
	assert.Equal(t, 0, tkCount(t, srv, url.Values{"status": {"My Flagged Tickets"}}))

	var page struct {
		StartNumber int `json:"startnumber"`
		NumReturned int `json:"numreturned"`
	}
	call(t, srv, "GetTickets", url.Values{"limitstart": {"2"}, "limitnum": {"5"}}, &page)
	assert.Equal(t, 2, page.StartNumber)
	assert.Equal(t, 1, page.NumReturned)
}

// Reset wipes the tickets with their replies and notes.
func TestTicketsReset(t *testing.T) {
	srv := newDemo(t)
	require.Equal(t, "success", tkOpen(t, srv, nil).Result)
	must(t, srv, "AddTicketReply", url.Values{"ticketid": {"1"}, "clientid": {"1"}, "message": {"m"}}, nil)
	must(t, srv, "AddTicketNote", url.Values{"ticketid": {"1"}, "message": {"n"}}, nil)
	srv.Reset()
	assert.Equal(t, 0, tkCount(t, srv, nil))
}

// OpenTicket's domainid must be one of the client's domains, as WHMCS
// checks it ("Domain ID Not Found" otherwise, a guest's too); the ticket
// is then about the domain (service "D<id>"), even when serviceid names
// a service as well.
func TestOpenTicketDomain(t *testing.T) {
	srv := newDemo(t, "testdata/fixtures/domains.json") // client 1 has domains 1 and 2, client 2 domain 3
	opened := tkOpen(t, srv, url.Values{"domainid": {"2"}})
	require.Equal(t, "", opened.Message)
	var got struct {
		Service string `json:"service"`
	}
	must(t, srv, "GetTicket", url.Values{"ticketid": {strconv.FormatInt(opened.ID, 10)}}, &got)
	assert.Equal(t, "D2", got.Service)

	opened = tkOpen(t, srv, url.Values{"serviceid": {"1"}, "domainid": {"1"}})
	require.Equal(t, "", opened.Message)
	must(t, srv, "GetTicket", url.Values{"ticketid": {strconv.FormatInt(opened.ID, 10)}}, &got)
	assert.Equal(t, "D1", got.Service, "the domain wins, as in WHMCS")

	for _, p := range []url.Values{
		{"domainid": {"3"}},  // client 2's
		{"domainid": {"99"}}, // no such domain
	} {
		assert.Equal(t, "Domain ID Not Found", tkOpen(t, srv, p).Message, p.Encode())
	}
	r := call(t, srv, "OpenTicket", url.Values{"deptid": {"1"}, "name": {"Guest"}, "email": {"guest@example.net"},
		"subject": {"Help"}, "message": {"Please help."}, "domainid": {"1"}}, nil)
	assert.Equal(t, "Domain ID Not Found", r.Message, "a guest has no domains")
}
