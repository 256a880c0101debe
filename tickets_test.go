package whmcsemu

import (
	"bytes"
	"net/url"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
func tkOpen(t *testing.T, srv *Server, extra url.Values) tkOpened {
	t.Helper()
	params := url.Values{"deptid": {"1"}, "clientid": {"1"}, "subject": {"Help"}, "message": {"Please help."}}
	for k, v := range extra {
		params[k] = v
	}
	var got tkOpened
	usersAPI(t, srv, "OpenTicket", params, &got)
	return got
}

func tkGet(t *testing.T, srv *Server, id string) tkTicket {
	t.Helper()
	var got tkTicket
	usersAPI(t, srv, "GetTicket", url.Values{"ticketid": {id}}, &got)
	require.Equal(t, "success", got.Result, got.Message)
	return got
}

// tkCount returns GetTickets' totalresults for the filters.
func tkCount(t *testing.T, srv *Server, params url.Values) int {
	t.Helper()
	var page struct {
		Result       string `json:"result"`
		TotalResults int    `json:"totalresults"`
	}
	usersAPI(t, srv, "GetTickets", params, &page)
	require.Equal(t, "success", page.Result)
	return page.TotalResults
}

func TestTicketsLifecycle(t *testing.T) {
	srv, _ := newTestServer(t)
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
	svcCall(t, srv, "AddTicketReply", url.Values{"ticketid": {"1"}, "clientid": {"1"}, "message": {"More."}})
	assert.Equal(t, "Customer-Reply", tkGet(t, srv, "1").Status)
	svcCall(t, srv, "AddTicketReply", url.Values{"ticketid": {"1"}, "adminusername": {"Ann"}, "message": {"Done."}})
	got = tkGet(t, srv, "1")
	assert.Equal(t, "Answered", got.Status)
	require.Len(t, got.Replies.Reply, 3)
	assert.Equal(t, "Ann", got.Replies.Reply[2].Admin)

	svcCall(t, srv, "AddTicketNote", url.Values{"ticketnum": {opened.TID}, "message": {"Internal."}})
	got = tkGet(t, srv, "1")
	require.NotNil(t, got.Notes)
	assert.Equal(t, "Internal.", got.Notes.Note[0].Message)

	svcCall(t, srv, "UpdateTicket", url.Values{"ticketid": {"1"}, "status": {"closed"}, "subject": {"Solved"}})
	got = tkGet(t, srv, "1")
	assert.Equal(t, "Closed", got.Status)
	assert.Equal(t, "Solved", got.Subject)
	assert.Equal(t, 1, tkCount(t, srv, url.Values{"status": {"Closed"}}))
	assert.Equal(t, 0, tkCount(t, srv, url.Values{"status": {"All Active Tickets"}}))

	svcCall(t, srv, "DeleteTicket", id)
	assert.Equal(t, 0, tkCount(t, srv, nil))
	result, msg := clientsCall(t, srv, "GetTicket", id)
	assert.Equal(t, "error", result)
	assert.Equal(t, "Ticket ID Not Found", msg)
	result, msg = clientsCall(t, srv, "DeleteTicket", id)
	assert.Equal(t, "error", result)
	assert.Equal(t, "Ticket ID not found", msg)
}

// A failed action writes nothing: the ticket, replies and notes are as
// they were.
func TestTicketsFailuresWriteNothing(t *testing.T) {
	srv, _ := newTestServer(t)
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
		result, msg := clientsCall(t, srv, c.action, c.params)
		assert.Equal(t, "error", result, c.action)
		assert.Equal(t, c.msg, msg, c.action)
	}
	assert.Equal(t, before, tkGet(t, srv, "1"))
	assert.Equal(t, 1, tkCount(t, srv, nil))
}

// With a random source that repeats, the second mask collides every time.
func TestTicketsMaskCollision(t *testing.T) {
	srv, _ := newTestServer(t)
	srv.env.SetRandom(bytes.NewReader(make([]byte, 1<<16)))
	first := tkOpen(t, srv, nil)
	require.Equal(t, "success", first.Result, first.Message)
	assert.Equal(t, "AAA-000000", first.TID)
	second := tkOpen(t, srv, nil)
	assert.Equal(t, "error", second.Result)
	assert.Equal(t, "Unable to generate ticket number", second.Message)
	assert.Equal(t, 1, tkCount(t, srv, nil))
}

func TestTicketsFilters(t *testing.T) {
	srv, _ := newTestServer(t)
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

	svcCall(t, srv, "UpdateTicket", url.Values{"ticketid": {"1"}, "flag": {"1"}})
	assert.Equal(t, 1, tkCount(t, srv, url.Values{"status": {"My Flagged Tickets"}}))
	svcCall(t, srv, "UpdateTicket", url.Values{"ticketid": {"1"}, "removeFlag": {"1"}})
	assert.Equal(t, 0, tkCount(t, srv, url.Values{"status": {"My Flagged Tickets"}}))

	var page struct {
		StartNumber int `json:"startnumber"`
		NumReturned int `json:"numreturned"`
	}
	usersAPI(t, srv, "GetTickets", url.Values{"limitstart": {"2"}, "limitnum": {"5"}}, &page)
	assert.Equal(t, 2, page.StartNumber)
	assert.Equal(t, 1, page.NumReturned)
}

// Reset wipes the tickets with their replies and notes.
func TestTicketsReset(t *testing.T) {
	srv, _ := newTestServer(t)
	require.Equal(t, "success", tkOpen(t, srv, nil).Result)
	svcCall(t, srv, "AddTicketReply", url.Values{"ticketid": {"1"}, "clientid": {"1"}, "message": {"m"}})
	svcCall(t, srv, "AddTicketNote", url.Values{"ticketid": {"1"}, "message": {"n"}})
	require.NoError(t, srv.Reset(t.Context()))
	assert.Equal(t, 0, tkCount(t, srv, nil))
}
