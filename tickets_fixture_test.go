package whmcsemu_test

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/whmcstest"
)

// ticketCall runs an action through the local API as the demo admin and
// returns the body the endpoint would send; params are key, value pairs.
func ticketCall(t *testing.T, srv *whmcstest.Server, action string, kv ...string) string {
	t.Helper()
	params := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		params.Add(kv[i], kv[i+1])
	}
	return call(t, srv, action, params, nil, localAPI{"admin"}).Body
}

// The control plane's export, loaded into an emulator without any state,
// answers the ticket, support and activity-log reads as the original does,
// counts included.
func TestTicketsSurviveExportAndLoad(t *testing.T) {
	src := newDemo(t, "testdata/fixtures/tickets.json")
	for _, step := range [][]string{
		{"OpenTicket", "deptid", "3", "name", "Lou Guest", "email", "lou@example.com", "subject", "Invoice copy",
			"message", "Please send it again."},
		{"AddTicketReply", "ticketid", "8", "adminusername", "Ada Admin", "message", "Sent."},
		{"AddTicketNote", "ticketnum", "TEC-200004", "message", "Two mailboxes done."},
		{"UpdateTicket", "ticketid", "6", "status", "Closed"},
		{"LogActivity", "clientid", "2", "description", "Called the client"},
	} {
		require.Contains(t, ticketCall(t, src, step[0], step[1:]...), `"result":"success"`, "%v", step)
	}
	dst := newServer(t)
	replaceWith(t, dst, src)
	for _, q := range [][]string{
		{"GetTicket", "ticketid", "2"}, {"GetTicket", "ticketid", "4"}, {"GetTicket", "ticketid", "8"},
		{"GetTickets", "limitnum", "100"}, {"GetTickets", "status", "All Active Tickets"},
		{"GetActivityLog"}, {"GetSupportDepartments"}, {"GetSupportStatuses"}, {"GetSupportStatuses", "deptid", "1"},
	} {
		want := ticketCall(t, src, q[0], q[1:]...)
		assert.Contains(t, want, `"result":"success"`, "%v", q)
		assert.Equal(t, want, ticketCall(t, dst, q[0], q[1:]...), "%v", q)
	}
	assert.Contains(t, ticketCall(t, dst, "GetSupportDepartments"),
		`{"id":"1","name":"Sales","awaitingreply":"1","opentickets":"1"}`, "ticket 6 closed")
}
