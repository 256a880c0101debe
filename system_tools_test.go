package whmcsemu_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/whmcstest"
)

// systemToolsFixture holds to-do items, templates, bans, notification
// events and the automation log (besides the demo's data).
const systemToolsFixture = "testdata/fixtures/system-tools.json"

// fromAddress posts an API call to s as if it came from addr, with the
// demo credential, and returns the status and body.
func fromAddress(t *testing.T, s *whmcstest.Server, addr, action string) (int, string) {
	t.Helper()
	form := url.Values{"identifier": {demoIdentifier}, "secret": {demoSecret}, "action": {action}, "responsetype": {"json"}}
	req := httptest.NewRequest(http.MethodPost, "/includes/api.php", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.RemoteAddr = addr
	rec := httptest.NewRecorder()
	s.Emulator().ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

// controlPlane sends a control-plane request from loopback and decodes
// the JSON answer into out (unless nil); it returns the status.
func controlPlane(t *testing.T, s *whmcstest.Server, method, path string, out any) int {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, nil)
	require.NoError(t, err)
	resp, err := s.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	if out != nil {
		require.NoError(t, json.NewDecoder(resp.Body).Decode(out))
	}
	return resp.StatusCode
}

type controlBans struct {
	Bans []struct {
		IP        string    `json:"ip"`
		Until     time.Time `json:"until"`
		Reason    string    `json:"reason"`
		Permanent bool      `json:"permanent"`
	} `json:"bans"`
}

// TestSystemToolsScenario: SendEmail renders a template into the outbox
// GetEmails reads; SendAdminEmail addresses the admins; AddBannedIp bans
// an address from the API, the control plane lists the ban, and lifting
// it there lets the caller in again.
func TestSystemToolsScenario(t *testing.T) {
	s := newDemo(t)

	must(t, s, "SendEmail", url.Values{"messagename": {"Client Signup Email"}, "id": {"1"}}, nil)
	var emails struct {
		TotalResults int64 `json:"totalresults"`
		Emails       struct {
			Email []struct {
				UserID  int64  `json:"userid"`
				Subject string `json:"subject"`
				Message string `json:"message"`
				To      string `json:"to"`
			} `json:"email"`
		} `json:"emails"`
	}
	must(t, s, "GetEmails", url.Values{"clientid": {"1"}}, &emails)
	require.EqualValues(t, 1, emails.TotalResults)
	sent := emails.Emails.Email[0]
	assert.Equal(t, "Welcome", sent.Subject, "the template's subject")
	assert.Contains(t, sent.Message, "Dear Jane Doe,", "the client's name, merged")
	assert.Equal(t, "jane@example.com", sent.To)
	assert.EqualValues(t, 1, sent.UserID)
	must(t, s, "GetEmails", url.Values{"clientid": {"2"}}, &emails)
	assert.Zero(t, emails.TotalResults, "client 2 was sent nothing")

	must(t, s, "SendAdminEmail", url.Values{"customsubject": {"Queue stuck"}, "custommessage": {"<p>{$queue} has {$n} jobs</p>"},
		"mergefields[queue]": {"mail"}, "mergefields[n]": {"42"}}, nil)
	admin := outbox(t, s, "subject=Queue+stuck")
	require.Len(t, admin, 1)
	assert.Contains(t, admin[0].To, "admin@example.com", "every admin not disabled")
	assert.NotContains(t, admin[0].To, "former@example.com", "the disabled admin is left out")
	assert.Equal(t, "<p>mail has 42 jobs</p>", admin[0].Message)
	assert.Zero(t, admin[0].ClientID)

	const banned = "203.0.113.9"
	status, body := fromAddress(t, s, banned+":40000", "GetStaffOnline")
	require.Equal(t, http.StatusOK, status, body)
	must(t, s, "AddBannedIp", url.Values{"ip": {banned}, "reason": {"Brute force"}, "days": {"1"}}, nil)
	status, body = fromAddress(t, s, banned+":40000", "GetStaffOnline")
	assert.Equal(t, http.StatusForbidden, status)
	assert.JSONEq(t, `{"result":"error","message":"IP Banned"}`, body)
	status, _ = fromAddress(t, s, "203.0.113.10:40000", "GetStaffOnline")
	assert.Equal(t, http.StatusOK, status, "another address is not banned")

	var bans controlBans
	require.Equal(t, http.StatusOK, controlPlane(t, s, http.MethodGet, "/_whmcsemu/bans", &bans))
	require.Len(t, bans.Bans, 1)
	assert.Equal(t, banned, bans.Bans[0].IP)
	assert.Equal(t, "Brute force", bans.Bans[0].Reason)
	assert.Equal(t, testClock.Add(24*time.Hour), bans.Bans[0].Until)

	require.Equal(t, http.StatusOK, controlPlane(t, s, http.MethodDelete, "/_whmcsemu/bans/"+banned, nil))
	status, body = fromAddress(t, s, banned+":40000", "GetStaffOnline")
	assert.Equal(t, http.StatusOK, status, body)
	assert.Contains(t, body, `"adminusername":"admin"`, "the caller is let in again")
	require.Equal(t, http.StatusOK, controlPlane(t, s, http.MethodGet, "/_whmcsemu/bans", &bans))
	assert.Empty(t, bans.Bans)

	must(t, s, "DeleteClient", url.Values{"clientid": {"1"}}, nil)
	assert.Empty(t, outbox(t, s, "clientId=1"), "DeleteClient removes the client's emails")
}

// TestBannedIPExpiresAndResets: a ban ends at its expiry on the emulator's
// clock; a permanent one does not; an IPv4 address written as IPv6 is the
// same address; the fixture's bans come back after a reset and the API's
// go.
func TestBannedIPExpiresAndResets(t *testing.T) {
	s := newDemo(t, systemToolsFixture)
	status, _ := fromAddress(t, s, "198.51.100.7:1", "WhmcsDetails")
	assert.Equal(t, http.StatusForbidden, status, "the fixture's permanent ban")
	status, _ = fromAddress(t, s, "[::ffff:198.51.100.7]:1", "WhmcsDetails")
	assert.Equal(t, http.StatusForbidden, status, "the same address, IPv4-mapped")
	status, _ = fromAddress(t, s, "198.51.100.8:1", "WhmcsDetails")
	assert.Equal(t, http.StatusOK, status, "the fixture's expired ban")

	must(t, s, "AddBannedIp", url.Values{"ip": {"2001:DB8::5"}, "reason": {"r"}, "days": {"2"}}, nil)
	status, _ = fromAddress(t, s, "[2001:db8::5]:1", "WhmcsDetails")
	assert.Equal(t, http.StatusForbidden, status)
	s.Emulator().Clock().Set(testClock.Add(48*time.Hour - time.Second))
	status, _ = fromAddress(t, s, "[2001:db8::5]:1", "WhmcsDetails")
	assert.Equal(t, http.StatusForbidden, status, "a second before it ends")
	s.Emulator().Clock().Set(testClock.Add(48 * time.Hour))
	status, _ = fromAddress(t, s, "[2001:db8::5]:1", "WhmcsDetails")
	assert.Equal(t, http.StatusOK, status, "at its end")
	status, _ = fromAddress(t, s, "198.51.100.7:1", "WhmcsDetails")
	assert.Equal(t, http.StatusForbidden, status, "a permanent ban does not end")

	var bans controlBans
	require.Equal(t, http.StatusOK, controlPlane(t, s, http.MethodGet, "/_whmcsemu/bans", &bans))
	require.Len(t, bans.Bans, 1)
	assert.True(t, bans.Bans[0].Permanent)
	assert.Equal(t, "Scraper", bans.Bans[0].Reason)

	must(t, s, "AddBannedIp", url.Values{"ip": {"203.0.113.20"}, "reason": {"r"}, "days": {"1"}}, nil)
	s.Reset()
	status, _ = fromAddress(t, s, "203.0.113.20:1", "WhmcsDetails")
	assert.Equal(t, http.StatusOK, status, "the API's ban is gone after a reset")
	status, _ = fromAddress(t, s, "198.51.100.7:1", "WhmcsDetails")
	assert.Equal(t, http.StatusForbidden, status, "the fixture's ban is back")
	require.Equal(t, http.StatusOK, controlPlane(t, s, http.MethodDelete, "/_whmcsemu/bans", nil))
	status, _ = fromAddress(t, s, "198.51.100.7:1", "WhmcsDetails")
	assert.Equal(t, http.StatusOK, status, "DELETE /bans lifts every ban")
}

// TestBannedIPRefusedByDialects: a ban from AddBannedIp refuses the
// address on the other dialects too.
func TestBannedIPRefusedByDialects(t *testing.T) {
	s := newDemo(t)
	must(t, s, "AddBannedIp", url.Values{"ip": {"203.0.113.30"}, "reason": {"r"}, "days": {"1"}}, nil)
	for _, path := range []string{"/oauth2/v1/token", "/oauth/token.php"} {
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader("grant_type=client_credentials"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.RemoteAddr = "203.0.113.30:1"
		rec := httptest.NewRecorder()
		s.Emulator().ServeHTTP(rec, req)
		assert.Equal(t, http.StatusForbidden, rec.Code, "%s: %s", path, rec.Body.String())
	}
}

// TestStaffOnline: the admins seen in the last 15 minutes of the
// emulator's clock, each with the address and time of its first call.
func TestStaffOnline(t *testing.T) {
	s := newDemo(t)
	type staff struct {
		TotalResults int `json:"totalresults"`
		StaffOnline  struct {
			Staff []struct {
				AdminUsername string `json:"adminusername"`
				LoginTime     string `json:"logintime"`
				IPAddress     string `json:"ipaddress"`
				LastVisit     string `json:"lastvisit"`
			} `json:"staff"`
		} `json:"staffonline"`
	}
	var got staff
	must(t, s, "GetStaffOnline", nil, &got, localAPI{"admin"})
	require.Equal(t, 1, got.TotalResults)
	assert.Equal(t, "admin", got.StaffOnline.Staff[0].AdminUsername)
	assert.Equal(t, "", got.StaffOnline.Staff[0].IPAddress, "the local API has no address")

	s.Emulator().Clock().Set(testClock.Add(10 * time.Minute))
	must(t, s, "GetStaffOnline", nil, &got, localAPI{"admin"})
	assert.Equal(t, "2016-11-18 09:32:24", got.StaffOnline.Staff[0].LoginTime)
	assert.Equal(t, "2016-11-18 09:42:24", got.StaffOnline.Staff[0].LastVisit)

	s.Emulator().Clock().Set(testClock.Add(26 * time.Minute))
	var stats struct {
		StaffOnline int `json:"staff_online"`
	}
	must(t, s, "GetStats", nil, &stats, localAPI{""})
	assert.Zero(t, stats.StaffOnline, "16 minutes since the admin was last seen; a local call without an admin is no one")
	must(t, s, "GetStaffOnline", nil, &got)
	require.Equal(t, 1, got.TotalResults)
	assert.Equal(t, "2016-11-18 09:58:24", got.StaffOnline.Staff[0].LoginTime, "a new visit")
	assert.NotEmpty(t, got.StaffOnline.Staff[0].IPAddress, "over HTTP")
}

// TestToDoAndAdminNotes: UpdateToDoItem changes what GetToDoItems and
// GetToDoItemStatuses show; UpdateAdminNotes what GetAdminDetails and
// GetAdminUsers show; both survive an export loaded into an empty emulator.
func TestToDoAndAdminNotes(t *testing.T) {
	s := newDemo(t, systemToolsFixture)
	var details struct {
		Notes string `json:"notes"`
	}
	must(t, s, "GetAdminDetails", nil, &details)
	assert.Equal(t, "Check the backups on Mondays.", details.Notes, "the fixture's notes")
	must(t, s, "UpdateAdminNotes", url.Values{"notes": {"Renew the certificate"}}, nil)
	must(t, s, "GetAdminDetails", nil, &details)
	assert.Equal(t, "Renew the certificate", details.Notes)
	var users struct {
		AdminUsers []struct {
			Username string `json:"username"`
			Notes    string `json:"notes"`
		} `json:"admin_users"`
	}
	must(t, s, "GetAdminUsers", nil, &users)
	assert.Equal(t, "Renew the certificate", users.AdminUsers[0].Notes)
	assert.Equal(t, "error", call(t, s, "UpdateAdminNotes", url.Values{"notes": {"x"}}, nil, localAPI{""}).Result,
		"no admin to keep them for")

	must(t, s, "UpdateToDoItem", url.Values{"itemid": {"1"}, "adminid": {"1"}, "status": {"Completed"}}, nil)
	var statuses struct {
		ToDoItemStatuses struct {
			Status []struct {
				Type    string `json:"type"`
				Count   int64  `json:"count"`
				Overdue int64  `json:"overdue"`
			} `json:"status"`
		} `json:"todoitemstatuses"`
	}
	must(t, s, "GetToDoItemStatuses", nil, &statuses)
	counts := map[string][2]int64{}
	for _, st := range statuses.ToDoItemStatuses.Status {
		counts[st.Type] = [2]int64{st.Count, st.Overdue}
	}
	assert.Equal(t, [2]int64{0, 0}, counts["Pending"])
	assert.Equal(t, [2]int64{2, 0}, counts["Completed"], "a completed item is not overdue")
	var stats struct {
		Due int64 `json:"todoitems_due"`
	}
	must(t, s, "GetStats", nil, &stats)
	assert.EqualValues(t, 1, stats.Due)

	empty := newServer(t)
	replaceWith(t, empty, s)
	for _, c := range []struct {
		action string
		params url.Values
	}{
		{"GetToDoItems", nil}, {"GetToDoItemStatuses", nil}, {"GetAdminUsers", nil}, {"GetEmailTemplates", nil},
		{"GetEmails", url.Values{"clientid": {"1"}}}, {"GetAutomationLog", url.Values{"startdate": {"2016-11-01"}}},
		{"GetStats", url.Values{"timeline_days": {"7"}}}, {"GetClientPassword", url.Values{"userid": {"5"}}},
	} {
		assert.JSONEq(t, call(t, s, c.action, c.params, nil, localAPI{"admin"}).Body,
			call(t, empty, c.action, c.params, nil, localAPI{"admin"}).Body, c.action)
	}
}

// TestSystemToolsExportRoundTrip: the System tools' sections, exported and
// loaded into an empty emulator, export the same again, and the outbox,
// bans and notification events the API added are among them.
func TestSystemToolsExportRoundTrip(t *testing.T) {
	s := newDemo(t, systemToolsFixture)
	must(t, s, "SendEmail", url.Values{"customtype": {"general"}, "customsubject": {"Hi"}, "custommessage": {"m"}, "id": {"2"}}, nil)
	must(t, s, "AddBannedIp", url.Values{"ip": {"203.0.113.40"}, "reason": {"r"}, "days": {"3"}}, nil)
	must(t, s, "TriggerNotificationEvent", url.Values{"notification_identifier": {"x"}, "title": {"t"}, "message": {"m"},
		"attributes[0][label]": {"L"}, "attributes[0][value]": {"V"}}, nil)
	type sections struct {
		EmailTemplates     json.RawMessage `json:"emailTemplates"`
		Emails             json.RawMessage `json:"emails"`
		BannedIPs          json.RawMessage `json:"bannedIps"`
		ToDoItems          json.RawMessage `json:"todoItems"`
		AdminNotes         json.RawMessage `json:"adminNotes"`
		NotificationEvents json.RawMessage `json:"notificationEvents"`
		AutomationLog      json.RawMessage `json:"automationLog"`
	}
	var exported, again sections
	export(t, s, &exported)
	assert.Contains(t, string(exported.Emails), `"subject": "Hi"`)
	assert.Contains(t, string(exported.BannedIPs), `203.0.113.40`)
	assert.Contains(t, string(exported.NotificationEvents), `"identifier": "x"`)
	for _, raw := range []json.RawMessage{exported.EmailTemplates, exported.ToDoItems, exported.AdminNotes, exported.AutomationLog} {
		assert.NotEmpty(t, raw)
	}

	empty := newServer(t)
	replaceWith(t, empty, s)
	export(t, empty, &again)
	assert.Equal(t, exported, again)
	status, _ := fromAddress(t, empty, "203.0.113.40:1", "WhmcsDetails")
	assert.Equal(t, http.StatusForbidden, status, "the ban travels with the export")

	var notes struct {
		Notifications []struct {
			Identifier string `json:"identifier"`
			Attributes []struct {
				Label string `json:"label"`
			} `json:"attributes"`
		} `json:"notifications"`
	}
	require.Equal(t, http.StatusOK, controlPlane(t, empty, http.MethodGet, "/_whmcsemu/notifications?limit=1", &notes))
	require.Len(t, notes.Notifications, 1, "newest first, one")
	assert.Equal(t, "x", notes.Notifications[0].Identifier)
	assert.Equal(t, "L", notes.Notifications[0].Attributes[0].Label)
	require.Equal(t, http.StatusOK, controlPlane(t, empty, http.MethodDelete, "/_whmcsemu/notifications", nil))
	require.Equal(t, http.StatusOK, controlPlane(t, empty, http.MethodGet, "/_whmcsemu/notifications", &notes))
	assert.Empty(t, notes.Notifications)
}

// TestFixtureSystemToolsErrors: the sections' references and values are
// checked, with the path.
func TestFixtureSystemToolsErrors(t *testing.T) {
	s := newDemo(t)
	for doc, want := range map[string]string{
		`{"bannedIps":[{"ip":"nope"}]}`:                             `bannedIps[0].ip`,
		`{"bannedIps":[{"ip":"192.0.2.1","expires":"soon"}]}`:       `bannedIps[0].expires`,
		`{"todoItems":[{"title":"t","status":"Done"}]}`:             `todoItems[0].status`,
		`{"todoItems":[{"title":"t","adminId":9}]}`:                 `todoItems[0].adminId`,
		`{"todoItems":[{"title":"t","dueDate":"31/12/2016"}]}`:      `todoItems[0].dueDate`,
		`{"adminNotes":[{"admin":"nobody","notes":"n"}]}`:           `adminNotes[0].admin`,
		`{"emails":[{"clientId":99}]}`:                              `emails[0].clientId`,
		`{"emailTemplates":[{"name":"x","type":"marketing"}]}`:      `emailTemplates[0].type`,
		`{"emailTemplates":[{"id":1,"name":"Order Confirmation"}]}`: `emailTemplates[0]`,
		`{"notificationEvents":[{"identifier":"i","title":"t"}]}`:   `notificationEvents[0].message`,
		`{"automationLog":[{"name":"n"}]}`:                          `automationLog[0].namespace`,
	} {
		err := s.Emulator().LoadFixture(context.Background(), []byte(doc))
		if assert.Error(t, err, doc) {
			assert.Contains(t, err.Error(), want, doc)
		}
	}
}

// TestSendEmailRelatedTypes: each type's related id names its row, whose
// client receives the email with the row's merge fields; a guest's ticket
// is mailed to its address.
func TestSendEmailRelatedTypes(t *testing.T) {
	s := newDemo(t, systemToolsFixture)
	load(t, s, `{
		"domains": [{"id": 7, "clientId": 2, "domain": "roe.example", "regPeriod": 2, "expiryDate": "2018-01-01", "nextDueDate": "2017-12-01"}],
		"invoices": [{"id": 9, "clientId": 1, "date": "2016-11-01", "dueDate": "2016-11-08",
			"items": [{"description": "Hosting", "amount": "15.95"}]}]
	}`)
	for _, c := range []struct {
		typ, id, to string
		clientID    int64
		message     string
		want        string
	}{
		{"general", "2", "sam@example.com", 2, "{$client_first_name} {$client_email}", "Sam sam@example.com"},
		{"affiliate", "1", "jane@example.com", 1, "{$client_company_name}", "Doe Widgets"},
		{"product", "2", "sam@example.com", 2, "{$service_product_name} {$service_domain}", "Business roe.example"},
		{"domain", "7", "sam@example.com", 2, "{$domain_name} {$domain_reg_period} {$domain_next_due_date}", "roe.example 2 Years 2017-12-01"},
		{"invoice", "9", "jane@example.com", 1, "#{$invoice_num} {$invoice_total} due {$invoice_date_due} {$invoice_status}", "#9 15.95 due 2016-11-08 Unpaid"},
		{"support", "1", "jane@example.com", 1, "{$ticket_id} {$ticket_subject} {$client_name}", "ABC-100001 Cannot log in Jane Doe"},
		{"support", "4", "pat@example.net", 0, "{$ticket_id} {$client_name}", "ABC-100004 Pat Guest"},
	} {
		subject := "About " + c.typ + " " + c.id
		must(t, s, "SendEmail", url.Values{"customtype": {c.typ}, "id": {c.id}, "customsubject": {subject},
			"custommessage": {c.message}}, nil)
		sent := outbox(t, s, "subject="+url.QueryEscape(subject))
		if assert.Len(t, sent, 1, subject) {
			assert.Equal(t, c.want, sent[0].Message, subject)
			assert.Equal(t, c.to, sent[0].To, subject)
			assert.Equal(t, c.clientID, sent[0].ClientID, subject)
		}
	}
	for _, typ := range []string{"product", "domain", "invoice", "support"} {
		r := call(t, s, "SendEmail", url.Values{"customtype": {typ}, "id": {"999"}, "customsubject": {"s"}, "custommessage": {"m"}}, nil)
		assert.Equal(t, "Sending Failed. Please see documentation.", r.Message, typ)
	}
}

// TestBannedIPFarFuture: a ban of very many days ends at 9999-12-31
// 23:59:59, which an export writes and loads back.
func TestBannedIPFarFuture(t *testing.T) {
	s := newDemo(t)
	must(t, s, "AddBannedIp", url.Values{"ip": {"203.0.113.50"}, "reason": {"r"}, "days": {"9223372036854775807"}}, nil)
	var bans controlBans
	require.Equal(t, http.StatusOK, controlPlane(t, s, http.MethodGet, "/_whmcsemu/bans", &bans))
	require.Len(t, bans.Bans, 1)
	assert.Equal(t, time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC), bans.Bans[0].Until)
	empty := newServer(t)
	replaceWith(t, empty, s)
	status, _ := fromAddress(t, empty, "203.0.113.50:1", "WhmcsDetails")
	assert.Equal(t, http.StatusForbidden, status)
}

// GetStats counts valid quotes (valid until a day after today on the
// emulator's clock, and not Accepted, Lost or Dead) and pending
// cancellation requests (whose service is neither Cancelled nor
// Terminated).
func TestGetStatsQuotesAndCancellations(t *testing.T) {
	s := newDemo(t, "testdata/fixtures/quotes.json")
	// quotes.json: Draft until 18th December, Delivered until 1st December,
	// Lost until 1st November.
	load(t, s, `{"quotes": [
		{"id": 4, "subject": "Accepted", "stage": "Accepted", "validUntil": "2017-01-31", "clientId": 1},
		{"id": 5, "subject": "Until today", "stage": "Draft", "validUntil": "2016-11-18", "clientId": 1},
		{"id": 6, "subject": "No date", "stage": "Draft", "clientId": 1}]}`)
	type figures struct {
		QuotesValid          int64 `json:"quotes_valid"`
		CancellationsPending int64 `json:"cancellations_pending"`
	}
	var got figures
	must(t, s, "GetStats", nil, &got)
	assert.Equal(t, figures{QuotesValid: 2}, got, "valid until after today and still open: quotes 1 and 2")

	for _, id := range []string{"1", "2", "3"} {
		must(t, s, "AddCancelRequest", url.Values{"serviceid": {id}, "type": {"Immediate"}}, nil)
	}
	must(t, s, "GetStats", nil, &got)
	assert.Equal(t, int64(3), got.CancellationsPending)
	must(t, s, "UpdateClientProduct", url.Values{"serviceid": {"2"}, "status": {"Cancelled"}}, nil)
	must(t, s, "ModuleTerminate", url.Values{"serviceid": {"3"}}, nil)
	must(t, s, "GetStats", nil, &got)
	assert.Equal(t, int64(1), got.CancellationsPending, "a cancelled or terminated service's request is carried out")

	s.Emulator().Clock().Advance(14 * 24 * time.Hour) // 2nd December
	must(t, s, "GetStats", nil, &got)
	assert.Equal(t, int64(1), got.QuotesValid, "quote 2 ran out on the 1st")
}
