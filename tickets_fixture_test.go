package whmcsemu

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ticketCallJSON runs an action through the local API as the demo admin and
// returns the body the endpoint would send.
func ticketCallJSON(t *testing.T, srv *Server, action string, kv ...string) string {
	t.Helper()
	params := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		params.Add(kv[i], kv[i+1])
	}
	return string(srv.Call(context.Background(), action, params, "admin").JSON())
}

// The control plane's export, loaded into an emulator without any state,
// answers the ticket, support and activity-log reads as the original does,
// counts included.
func TestTicketsSurviveExportAndLoad(t *testing.T) {
	ctx := context.Background()
	src, _ := newTestServer(t)
	tickets, err := os.ReadFile(filepath.Join("testdata", "fixtures", "tickets.json"))
	require.NoError(t, err)
	err = src.LoadFixture(ctx, tickets)
	require.NoError(t, err)
	for _, step := range [][]string{
		{"OpenTicket", "deptid", "3", "name", "Lou Guest", "email", "lou@example.com", "subject", "Invoice copy",
			"message", "Please send it again."},
		{"AddTicketReply", "ticketid", "8", "adminusername", "Ada Admin", "message", "Sent."},
		{"AddTicketNote", "ticketnum", "TEC-200004", "message", "Two mailboxes done."},
		{"UpdateTicket", "ticketid", "6", "status", "Closed"},
		{"LogActivity", "clientid", "2", "description", "Called the client"},
	} {
		require.Contains(t, ticketCallJSON(t, src, step[0], step[1:]...), `"result":"success"`, "%v", step)
	}
	doc, err := exportDoc(src, ctx)
	require.NoError(t, err)
	data, err := json.Marshal(doc)
	require.NoError(t, err)

	dst, _ := newTestServerWith(t, "")
	err = dst.LoadFixture(ctx, data)
	require.NoError(t, err)
	for _, q := range [][]string{
		{"GetTicket", "ticketid", "2"}, {"GetTicket", "ticketid", "4"}, {"GetTicket", "ticketid", "8"},
		{"GetTickets", "limitnum", "100"}, {"GetTickets", "status", "All Active Tickets"},
		{"GetActivityLog"}, {"GetSupportDepartments"}, {"GetSupportStatuses"}, {"GetSupportStatuses", "deptid", "1"},
	} {
		want := ticketCallJSON(t, src, q[0], q[1:]...)
		assert.Contains(t, want, `"result":"success"`, "%v", q)
		assert.Equal(t, want, ticketCallJSON(t, dst, q[0], q[1:]...), "%v", q)
	}
	assert.Contains(t, ticketCallJSON(t, dst, "GetSupportDepartments"),
		`{"id":"1","name":"Sales","awaitingreply":"1","opentickets":"1"}`, "ticket 6 closed")
}
