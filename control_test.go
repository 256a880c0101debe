package whmcsemu

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/auth"
)

// control sends a control-plane request from addr (host:port) to Host
// 127.0.0.1:8080, a body as application/json, and decodes the JSON answer
// into out (when not nil).
func control(t *testing.T, srv *Server, method, path, body, addr string, header http.Header, out any) int {
	t.Helper()
	req := controlRequest(method, path, body)
	req.RemoteAddr = addr
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	assert.Equal(t, "application/json", rec.Header().Get("Content-Type"), "%s %s: %s", method, path, rec.Body)
	if out != nil {
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), out), rec.Body.String())
	}
	return rec.Code
}

const loopback = "127.0.0.1:40000"

func TestControlAccess(t *testing.T) {
	srv, _ := newTestServer(t)
	var health map[string]string
	assert.Equal(t, 200, control(t, srv, "GET", "/_whmcsemu/health", "", loopback, nil, &health))
	assert.Equal(t, "ok", health["status"])
	assert.Equal(t, 200, control(t, srv, "GET", "/_whmcsemu/health", "", "[::1]:40000", nil, nil))

	var refused map[string]string
	assert.Equal(t, 403, control(t, srv, "POST", "/_whmcsemu/reset", "", "203.0.113.9:40000", nil, &refused))
	assert.Contains(t, refused["error"], "--admin-token")

	srv.adminToken = "s3cret-token"
	assert.Equal(t, 403, control(t, srv, "GET", "/_whmcsemu/health", "", "203.0.113.9:40000", nil, nil))
	assert.Equal(t, 403, control(t, srv, "GET", "/_whmcsemu/health", "", "203.0.113.9:40000",
		http.Header{"Authorization": {"Bearer wrong"}}, nil))
	assert.Equal(t, 200, control(t, srv, "GET", "/_whmcsemu/health", "", "203.0.113.9:40000",
		http.Header{"Authorization": {"Bearer s3cret-token"}}, nil))

	var version map[string]string
	assert.Equal(t, 200, control(t, srv, "GET", "/_whmcsemu/version", "", loopback, nil, &version))
	assert.Equal(t, Version, version["whmcsemu"])
	assert.Equal(t, "8.13.1", version["whmcs"])
	assert.Equal(t, 404, control(t, srv, "GET", "/_whmcsemu/nope", "", loopback, nil, nil))
}

func TestJournal(t *testing.T) {
	srv, _ := newTestServer(t)
	post(srv, withAuth(url.Values{"action": {"ListOAuthCredentials"}}))
	post(srv, withAuth(url.Values{"action": {"DeleteOAuthCredential"}, "credentialId": {"99"}}))
	post(srv, url.Values{"action": {"ListOAuthCredentials"}, "identifier": {demoIdentifier}, "secret": {"wrong"}})
	post(srv, withAuth(url.Values{"action": {"ValidateLogin"}, "email": {"jane@example.com"}, "password2": {"jane-password"}}))
	srv.Call(t.Context(), "DeleteOAuthCredential", url.Values{"credentialId": {"2"}}, "admin")

	var all struct {
		Count   int            `json:"count"`
		Entries []JournalEntry `json:"entries"`
	}
	require.Equal(t, 200, control(t, srv, "GET", "/_whmcsemu/journal", "", loopback, nil, &all))
	require.Equal(t, 5, all.Count)
	first := all.Entries[0]
	assert.Equal(t, "listoauthcredentials", first.Action)
	assert.Equal(t, "http", first.Source)
	assert.Equal(t, demoIdentifier, first.Caller)
	assert.Equal(t, "success", first.Result)
	assert.Equal(t, 200, first.Status)
	assert.Equal(t, testClock, first.Time)
	assert.Equal(t, "Invalid Credential ID provided.", all.Entries[1].Message)
	assert.Equal(t, 403, all.Entries[2].Status)
	assert.Equal(t, "Authentication Failed", all.Entries[2].Message)
	assert.Equal(t, []string{"********"}, all.Entries[3].Params["password2"], "passwords are masked")
	assert.Equal(t, []string{"jane@example.com"}, all.Entries[3].Params["email"])
	assert.Equal(t, "local", all.Entries[4].Source)
	assert.Equal(t, "admin", all.Entries[4].Caller)

	raw := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/_whmcsemu/journal", nil)
	req.RemoteAddr = loopback
	srv.ServeHTTP(raw, req)
	for _, secret := range []string{demoSecret, "jane-password", "wrong\""} {
		assert.NotContains(t, raw.Body.String(), secret)
	}

	var filtered struct {
		Count   int            `json:"count"`
		Entries []JournalEntry `json:"entries"`
	}
	control(t, srv, "GET", "/_whmcsemu/journal?action=DeleteOAuthCredential&result=error", "", loopback, nil, &filtered)
	require.Equal(t, 1, filtered.Count)
	assert.Equal(t, "Invalid Credential ID provided.", filtered.Entries[0].Message)
	control(t, srv, "GET", "/_whmcsemu/journal?limit=2", "", loopback, nil, &filtered)
	require.Equal(t, 2, filtered.Count)
	assert.Equal(t, "validatelogin", filtered.Entries[0].Action, "the newest two, oldest first")

	var count map[string]int
	control(t, srv, "GET", "/_whmcsemu/journal/count?result=success", "", loopback, nil, &count)
	assert.Equal(t, 3, count["count"])
	assert.Equal(t, 400, control(t, srv, "GET", "/_whmcsemu/journal?result=maybe", "", loopback, nil, nil))

	assert.Equal(t, 200, control(t, srv, "DELETE", "/_whmcsemu/journal", "", loopback, nil, nil))
	control(t, srv, "GET", "/_whmcsemu/journal/count", "", loopback, nil, &count)
	assert.Equal(t, 0, count["count"])
}

func TestJournalIsBounded(t *testing.T) {
	srv, _ := newTestServer(t)
	srv.journal = newJournal(3, 0)
	for i := range 7 {
		srv.Call(t.Context(), "DeleteOAuthCredential", url.Values{"credentialId": {string(rune('a' + i))}}, "")
	}
	entries := srv.Journal().Entries(JournalFilter{})
	require.Len(t, entries, 3)
	assert.Equal(t, []string{"e"}, entries[0].Params["credentialId"], "the oldest are dropped")
	assert.Equal(t, []string{"g"}, entries[2].Params["credentialId"])
	assert.Equal(t, int64(7), entries[2].Seq)
}

// TestJournalBoundedByBytes: whatever callers send, the journal keeps
// short values, a bounded share of the parameters and a bounded total, and
// only a short record of calls refused before the caller was known.
func TestJournalBoundedByBytes(t *testing.T) {
	t.Parallel() // independent, and among the slowest: overlap with the rest
	srv, _ := newTestServer(t)
	srv.journal = newJournal(1000, 64<<10)
	big := strings.Repeat("A", 1<<20)

	// Unauthenticated: no parameters kept, the action name cut.
	rec := post(srv, url.Values{"action": {big}, "note": {big}})
	require.Equal(t, http.StatusForbidden, rec.Code)
	e := srv.Journal().Entries(JournalFilter{Limit: 1})[0]
	assert.Empty(t, e.Params, "a refused call keeps no parameters")
	assert.LessOrEqual(t, len(e.Action), JournalValueMax+32)
	assert.True(t, e.Cut)

	// Authenticated: values cut, parameters bounded.
	form := url.Values{"action": {"GetClients"}, "responsetype": {"json"}}
	for i := range 200 {
		form.Set(fmt.Sprintf("p%d", i), big[:4096])
	}
	post(srv, withAuth(form))
	e = srv.Journal().Entries(JournalFilter{Limit: 1})[0]
	size := 0
	for k, vs := range e.Params {
		for _, v := range vs {
			assert.LessOrEqual(t, len(v), JournalValueMax+32, k)
			size += len(k) + len(v)
		}
	}
	assert.LessOrEqual(t, size, JournalParamsMax)
	assert.True(t, e.Cut)

	// The total: many large entries (30 of up to 8 KiB, four times the cap),
	// the oldest dropped to stay under the cap.
	const entries = 30
	for range entries {
		post(srv, withAuth(form))
	}
	srv.journal.mu.Lock()
	total := srv.journal.bytes
	srv.journal.mu.Unlock()
	assert.LessOrEqual(t, total, 64<<10)
	n := srv.Journal().Count(JournalFilter{})
	assert.Less(t, n, entries, "entries were dropped for bytes, not count")
	assert.Greater(t, n, 2)
}

// TestLogLinesAreCut: an 8 MB action name does not make an 8 MB log line.
func TestLogLinesAreCut(t *testing.T) {
	var logs bytes.Buffer
	srv, _ := newTestServer(t)
	srv.log = slog.New(slog.NewTextHandler(&logs, nil))
	post(srv, withAuth(url.Values{"action": {strings.Repeat("A", 7<<20)}, "responsetype": {"json"}}))
	assert.Less(t, logs.Len(), 2048, "the log line: %.300s", logs.String())
	assert.Contains(t, logs.String(), "bytes)")
}

// TestIgnoredBodyIsLogged: a GET with a body, or a body that is not a
// form, gets WHMCS's answer (its fields are not read), and the log says why.
func TestIgnoredBodyIsLogged(t *testing.T) {
	srv, _ := newTestServer(t)
	form := withAuth(url.Values{"action": {"GetClients"}, "responsetype": {"json"}}).Encode()
	for _, tc := range []struct{ method, ctype, body, note string }{
		{"GET", "application/x-www-form-urlencoded", form, "body ignored: WHMCS reads a request body for POST only, and this is a GET"},
		{"POST", "application/json", `{"action":"GetClients"}`, "body ignored: content type application/json is not a form"},
		{"POST", "", form, "body ignored: no content type is not a form"},
	} {
		var logs bytes.Buffer
		srv.log = slog.New(slog.NewTextHandler(&logs, nil))
		req := httptest.NewRequest(tc.method, "/includes/api.php", strings.NewReader(tc.body))
		if tc.ctype != "" {
			req.Header.Set("Content-Type", tc.ctype)
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		assert.Contains(t, rec.Body.String(), "Invalid or missing credentials", tc.method+" "+tc.ctype)
		assert.Contains(t, logs.String(), tc.note, tc.method+" "+tc.ctype)
	}
}

func TestFaults(t *testing.T) {
	srv, _ := newTestServer(t)
	create := func() *httptest.ResponseRecorder {
		return post(srv, withAuth(url.Values{"action": {"CreateOAuthCredential"}, "responsetype": {"json"},
			"grantType": {"single_sign_on"}, "serviceId": {"1"}, "scope": {"clientarea:sso"}}))
	}
	var added Fault
	require.Equal(t, 201, control(t, srv, "POST", "/_whmcsemu/faults",
		`{"action":"CreateOAuthCredential","times":2,"message":"Database unavailable","status":503}`, loopback, nil, &added))
	assert.Equal(t, int64(1), added.ID)

	for range 2 {
		rec := create()
		assert.Equal(t, 503, rec.Code)
		assert.Equal(t, `{"result":"error","message":"Database unavailable"}`, rec.Body.String())
	}
	rec := create()
	assert.Equal(t, 200, rec.Code, "the fault retired after two hits")
	assert.Contains(t, rec.Body.String(), `"credentialId":3`, "the failed calls wrote nothing")

	// Other actions are not touched; "*" matches all; the local API too.
	control(t, srv, "POST", "/_whmcsemu/faults", `{"action":"*","message":"Maintenance"}`, loopback, nil, nil)
	res := srv.Call(t.Context(), "ListOAuthCredentials", nil, "")
	assert.Equal(t, "Maintenance", res.Err.Message)
	var list struct {
		Faults []Fault `json:"faults"`
	}
	control(t, srv, "GET", "/_whmcsemu/faults", "", loopback, nil, &list)
	require.Len(t, list.Faults, 1)
	assert.Equal(t, 1, list.Faults[0].Hits)
	assert.Equal(t, 200, control(t, srv, "DELETE", "/_whmcsemu/faults/2", "", loopback, nil, nil))
	assert.Equal(t, 404, control(t, srv, "DELETE", "/_whmcsemu/faults/2", "", loopback, nil, nil))
	assert.True(t, srv.Call(t.Context(), "ListOAuthCredentials", nil, "").OK())

	// A share of calls: with a seed, some but not all of 200 calls fail.
	_, err := srv.Faults().Add(Fault{Action: "ListOAuthCredentials", Probability: 0.5, Message: "Flaky"})
	require.NoError(t, err)
	failed := 0
	for range 200 {
		if !srv.Call(t.Context(), "ListOAuthCredentials", nil, "").OK() {
			failed++
		}
	}
	assert.Greater(t, failed, 50)
	assert.Less(t, failed, 150)
	assert.Equal(t, 200, control(t, srv, "DELETE", "/_whmcsemu/faults", "", loopback, nil, nil))
	assert.Empty(t, srv.Faults().List())

	// A delay alone lets the call run, later.
	_, err = srv.Faults().Add(Fault{Action: "ListOAuthCredentials", DelayMS: 60, Times: 1})
	require.NoError(t, err)
	start := time.Now()
	assert.True(t, srv.Call(t.Context(), "ListOAuthCredentials", nil, "").OK())
	assert.GreaterOrEqual(t, time.Since(start), 60*time.Millisecond)

	for _, bad := range []string{`{}`, `{"action":"NoSuchAction","message":"x"}`, `{"action":"*"}`,
		`{"action":"*","message":"x","probability":2}`, `{"action":"*","status":99}`, `{"action":"*","message":"x","bogus":1}`, `not json`} {
		var e map[string]string
		assert.Equal(t, 400, control(t, srv, "POST", "/_whmcsemu/faults", bad, loopback, nil, &e), bad)
		assert.NotEmpty(t, e["error"], bad)
	}
}

func TestClockAndSSOExpiry(t *testing.T) {
	srv, _ := newTestServer(t)
	var clock clockView
	require.Equal(t, 200, control(t, srv, "POST", "/_whmcsemu/clock", `{"time":"2030-01-02T03:04:05Z"}`, loopback, nil, &clock))
	assert.True(t, clock.Frozen)
	assert.Equal(t, "2030-01-02T03:04:05Z", clock.Time.UTC().Format(time.RFC3339))

	res := srv.Call(t.Context(), "CreateOAuthCredential", url.Values{"grantType": {"single_sign_on"}, "serviceId": {"1"}, "scope": {"openid"}}, "")
	require.True(t, res.OK())
	list := string(srv.Call(t.Context(), "ListOAuthCredentials", url.Values{"sortOrder": {"desc"}, "limit": {"1"}}, "").JSON())
	assert.Contains(t, list, `"createdAt":"2nd January 2030 3:04:05am"`)

	redeem := func(token string) (int, string, string) {
		req := httptest.NewRequest("GET", "/oauth/singlesignon.php?access_token="+token, nil)
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		return rec.Code, rec.Header().Get("X-Whmcsemu-Sso"), rec.Header().Get("Location")
	}
	token := func(params url.Values) string {
		var out struct {
			AccessToken string `json:"access_token"`
		}
		res := srv.Call(t.Context(), "CreateSsoToken", params, "")
		require.True(t, res.OK(), "%s", res.JSON())
		require.NoError(t, res.Decode(&out))
		return out.AccessToken
	}

	tok := token(url.Values{"client_id": {"1"}, "destination": {"clientarea:product_details"}, "service_id": {"1"}})
	code, outcome, location := redeem(tok)
	assert.Equal(t, http.StatusFound, code)
	assert.Equal(t, "ok", outcome)
	assert.Equal(t, "http://localhost:8080/clientarea.php?action=productdetails&id=1", location)
	_, outcome, location = redeem(tok)
	assert.Equal(t, "used", outcome, "tokens are single use")
	assert.Equal(t, "http://localhost:8080/login.php", location)

	tok = token(url.Values{"client_id": {"1"}})
	require.Equal(t, 200, control(t, srv, "POST", "/_whmcsemu/clock", `{"advance":"60s"}`, loopback, nil, &clock))
	_, outcome, _ = redeem(tok)
	assert.Equal(t, "ok", outcome, "valid for 60 seconds")

	tok = token(url.Values{"client_id": {"1"}, "destination": {"sso:custom_redirect"}, "sso_redirect_path": {"/cart.php?a=view"}})
	control(t, srv, "POST", "/_whmcsemu/clock", `{"advance":"61s"}`, loopback, nil, &clock)
	_, outcome, _ = redeem(tok)
	assert.Equal(t, "expired", outcome)
	_, outcome, _ = redeem("nope")
	assert.Equal(t, "unknown", outcome)

	tok = token(url.Values{"client_id": {"1"}, "destination": {"sso:custom_redirect"}, "sso_redirect_path": {"/cart.php?a=view"}})
	_, _, location = redeem(tok)
	assert.Equal(t, "http://localhost:8080/cart.php?a=view", location)

	assert.Equal(t, 400, control(t, srv, "POST", "/_whmcsemu/clock", `{"advance":"soon"}`, loopback, nil, nil))
	assert.Equal(t, 400, control(t, srv, "POST", "/_whmcsemu/clock", `{}`, loopback, nil, nil))
	require.Equal(t, 200, control(t, srv, "DELETE", "/_whmcsemu/clock", "", loopback, nil, &clock))
	assert.False(t, clock.Frozen)
	assert.Equal(t, testClock, clock.Time, "back on the base clock")
}

func TestResetAndLoadFixture(t *testing.T) {
	srv, _ := newTestServer(t)
	before := string(srv.Call(t.Context(), "ListOAuthCredentials", nil, "").JSON())

	srv.Call(t.Context(), "DeleteOAuthCredential", url.Values{"credentialId": {"1"}}, "")
	srv.Call(t.Context(), "CreateOAuthCredential", url.Values{"grantType": {"single_sign_on"}, "serviceId": {"1"}, "scope": {"openid"}}, "")
	_, _ = srv.Faults().Add(Fault{Action: "ValidateLogin", Message: "x"})
	srv.Clock().Set(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NotEqual(t, before, string(srv.Call(t.Context(), "ListOAuthCredentials", nil, "").JSON()))

	require.Equal(t, 200, control(t, srv, "POST", "/_whmcsemu/reset", "", loopback, nil, nil))
	assert.Equal(t, before, string(srv.Call(t.Context(), "ListOAuthCredentials", nil, "").JSON()))
	assert.Empty(t, srv.Faults().List())
	assert.Equal(t, 1, srv.Journal().Count(JournalFilter{}), "the journal starts over")
	assert.Equal(t, testClock, srv.Clock().Now())

	// Loading a document adds to the state and to what reset restores.
	extra := `{"oauthCredentials":[{"id":10,"clientIdentifier":"EXTRA.one","clientSecret":"c2VjcmV0","grantType":"authorization_code","name":"Extra","scope":"openid"}]}`
	require.Equal(t, 200, control(t, srv, "POST", "/_whmcsemu/fixtures", extra, loopback, nil, nil))
	assert.Contains(t, string(srv.Call(t.Context(), "ListOAuthCredentials", nil, "").JSON()), "EXTRA.one")
	require.NoError(t, srv.Reset(t.Context()))
	assert.Contains(t, string(srv.Call(t.Context(), "ListOAuthCredentials", nil, "").JSON()), "EXTRA.one")

	// replace=true makes a document the whole state.
	require.Equal(t, 200, control(t, srv, "POST", "/_whmcsemu/fixtures?replace=true", extra, loopback, nil, nil))
	assert.Equal(t, 1, strings.Count(string(srv.Call(t.Context(), "ListOAuthCredentials", nil, "").JSON()), "credentialId"))

	var bad map[string]string
	assert.Equal(t, 400, control(t, srv, "POST", "/_whmcsemu/fixtures", `{"clients":[{"emial":"x"}]}`, loopback, nil, &bad))
	assert.Contains(t, bad["error"], "clients[0].emial")
}

// TestExportLoadRoundTrip: the exported state, loaded into an empty
// emulator, gives the same answers to every action.
func TestExportLoadRoundTrip(t *testing.T) {
	srv, _ := newTestServer(t)
	srv.Call(t.Context(), "CreateOAuthCredential", url.Values{"grantType": {"authorization_code"}, "name": {"Round <trip> & back"},
		"scope": {"openid email"}, "redirectUri[]": {"https://a.example/cb", "https://b.example/cb"}}, "")
	srv.Call(t.Context(), "UpdateOAuthCredential", url.Values{"credentialId": {"2"}, "resetSecret": {"1"}, "description": {"changed"}}, "")
	srv.Call(t.Context(), "DeleteOAuthCredential", url.Values{"credentialId": {"1"}}, "")

	rec := serveControlRequest(srv, "GET", "/_whmcsemu/export", "")
	require.Equal(t, 200, rec.Code, rec.Body.String())

	empty, _ := newTestServerWith(t, "")
	err := empty.LoadFixture(t.Context(), rec.Body.Bytes())
	require.NoError(t, err)

	for _, c := range []url.Values{
		{"action": {"ListOAuthCredentials"}},
		{"action": {"ListOAuthCredentials"}, "sortField": {"name"}, "sortOrder": {"desc"}},
		{"action": {"ValidateLogin"}, "email": {"jane@example.com"}, "password2": {"jane-password"}},
		{"action": {"ValidateLogin"}, "email": {"sam@example.com"}, "password2": {"sam-password"}},
		{"action": {"ValidateLogin"}, "email": {"jane@example.com"}, "password2": {"wrong"}},
		{"action": {"CreateSsoToken"}, "client_id": {"1"}, "user_id": {"3"}},
		{"action": {"CreateSsoToken"}, "client_id": {"3"}},
		{"action": {"CreateSsoToken"}, "client_id": {"4"}},
		{"action": {"CreateOAuthCredential"}, "grantType": {"single_sign_on"}, "serviceId": {"3"}, "scope": {"openid"}},
		{"action": {"UpdateOAuthCredential"}, "clientIdentifier": {"DEMO-HOSTING.c2VlZC1pZGVudGlmaWVyMg=="}, "name": {"n"}},
		{"action": {"DeleteOAuthCredential"}, "credentialId": {"1"}},
		{"action": {"CreateOAuthCredential"}, "grantType": {"authorization_code"}, "name": {"new"}, "scope": {"openid"}},
	} {
		for _, s := range []*Server{srv, empty} {
			s.env.SetRandom(NewSeededRandom(7)) // the same generated values on both sides
		}
		want := post(srv, withAuth(c)).Body.String()
		got := post(empty, withAuth(c)).Body.String()
		assert.Equal(t, want, got, "%v", c)
	}
	// The legacy admin login and the disabled admin survive too.
	for _, c := range []url.Values{
		{"action": {"ListOAuthCredentials"}, "username": {"admin"}, "password": {"bf7569f3d82dd6548f92cd66f20b138c"}, "limit": {"1"}},
		{"action": {"ListOAuthCredentials"}, "identifier": {formerIdentifier}, "secret": {formerSecret}},
		{"action": {"CreateOAuthCredential"}, "identifier": {readIdentifier}, "secret": {readSecret}},
	} {
		assert.Equal(t, post(srv, c).Body.String(), post(empty, c).Body.String(), "%v", c)
	}
}

func TestFailedLoginBans(t *testing.T) {
	srv, _ := newTestServer(t)
	srv.bans = newBans(BanPolicy(auth.BanPolicy{After: 3, Window: time.Minute, Duration: 15 * time.Minute}), srv.clock, srv.db, srv.log)
	srv.Clock().Set(testClock)
	wrong := url.Values{"action": {"ListOAuthCredentials"}, "identifier": {demoIdentifier}, "secret": {"wrong"}, "responsetype": {"json"}}
	right := withAuth(url.Values{"action": {"ListOAuthCredentials"}, "responsetype": {"json"}})

	assert.Equal(t, 403, post(srv, wrong).Code)
	srv.Clock().Advance(2 * time.Minute) // the first failure leaves the window
	assert.Equal(t, 403, post(srv, wrong).Code)
	assert.Equal(t, 403, post(srv, wrong).Code)
	assert.Equal(t, 200, post(srv, right).Code, "two failures in the window: not banned yet")
	disabled := url.Values{"action": {"ListOAuthCredentials"}, "identifier": {formerIdentifier}, "secret": {formerSecret}}
	assert.Equal(t, 403, post(srv, disabled).Code)
	assert.Equal(t, 200, post(srv, right).Code, "a disabled admin's right secret is not a failed login")

	rec := post(srv, url.Values{"action": {"ListOAuthCredentials"}, "username": {"admin"}, "password": {"not-md5"}, "responsetype": {"json"}})
	assert.Equal(t, 403, rec.Code)
	rec = post(srv, right)
	assert.Equal(t, 403, rec.Code)
	assert.Equal(t, `{"result":"error","message":"IP Banned"}`, rec.Body.String(), "banned: even the right secret")
	assert.Equal(t, "result=error;message=IP Banned", post(srv, url.Values{"action": {"x"}}).Body.String())
	assert.True(t, srv.Call(t.Context(), "ListOAuthCredentials", nil, "").OK(), "the local API has no IP")

	var bans struct {
		Bans []auth.Ban `json:"bans"`
	}
	require.Equal(t, 200, control(t, srv, "GET", "/_whmcsemu/bans", "", loopback, nil, &bans))
	require.Len(t, bans.Bans, 1)
	assert.Equal(t, "192.0.2.1", bans.Bans[0].IP, "httptest's client address")
	assert.Equal(t, testClock.Add(2*time.Minute+15*time.Minute), bans.Bans[0].Until)

	srv.Clock().Advance(15 * time.Minute)
	assert.Equal(t, 200, post(srv, right).Code, "the ban ran out")
	for range 3 {
		post(srv, wrong)
	}
	assert.Equal(t, 403, post(srv, right).Code)
	assert.Equal(t, 200, control(t, srv, "DELETE", "/_whmcsemu/bans/192.0.2.1", "", loopback, nil, nil))
	assert.Equal(t, 200, post(srv, right).Code, "lifted")
	assert.Equal(t, 404, control(t, srv, "DELETE", "/_whmcsemu/bans/192.0.2.1", "", loopback, nil, nil))
	for range 3 {
		post(srv, wrong)
	}
	assert.Equal(t, 200, control(t, srv, "DELETE", "/_whmcsemu/bans", "", loopback, nil, nil))
	assert.Equal(t, 200, post(srv, right).Code)
	for range 3 {
		post(srv, wrong)
	}
	require.NoError(t, srv.Reset(t.Context()))
	assert.Equal(t, 200, post(srv, right).Code, "reset lifts bans")
}

func TestBansOffByDefault(t *testing.T) {
	srv, _ := newTestServer(t)
	wrong := url.Values{"action": {"ListOAuthCredentials"}, "identifier": {demoIdentifier}, "secret": {"wrong"}}
	for range 50 {
		post(srv, wrong)
	}
	assert.Equal(t, 200, post(srv, withAuth(url.Values{"action": {"ListOAuthCredentials"}})).Code)
}

// TestControlPlaneRefusesCrossSite: a web page in a browser on this
// machine is a loopback caller, so loopback alone lets it in; Host, Origin,
// Sec-Fetch-Site and the content type keep it out. Its first case is the
// reported attack: an admin planted with a text/plain post from another site.
func TestControlPlaneRefusesCrossSite(t *testing.T) {
	srv, _ := newTestServer(t)
	plant := `{"admins":[{"username":"evil","password":"x"}]}`
	for _, tc := range []struct {
		name, host string
		header     http.Header
		status     int
	}{
		{"the report: foreign Host, foreign Origin, text/plain", "evil.example",
			http.Header{"Origin": {"http://evil.example"}, "Content-Type": {"text/plain"}}, http.StatusForbidden},
		{"DNS rebinding: foreign Host, same origin", "evil.example:8080",
			http.Header{"Origin": {"http://evil.example:8080"}}, http.StatusForbidden},
		{"foreign Origin", "127.0.0.1:8080", http.Header{"Origin": {"http://evil.example"}}, http.StatusForbidden},
		{"null Origin", "127.0.0.1:8080", http.Header{"Origin": {"null"}}, http.StatusForbidden},
		{"another port on localhost", "localhost:8080", http.Header{"Origin": {"http://localhost:3000"}}, http.StatusForbidden},
		{"cross-site fetch", "127.0.0.1:8080", http.Header{"Sec-Fetch-Site": {"cross-site"}}, http.StatusForbidden},
		{"same-site fetch", "127.0.0.1:8080", http.Header{"Sec-Fetch-Site": {"same-site"}}, http.StatusForbidden},
		{"text/plain from curl", "127.0.0.1:8080", http.Header{"Content-Type": {"text/plain"}}, http.StatusUnsupportedMediaType},
		{"form from curl", "127.0.0.1:8080", http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, http.StatusUnsupportedMediaType},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := controlRequest("POST", "/_whmcsemu/fixtures", plant)
			req.Host = tc.host
			for k, v := range tc.header {
				req.Header[k] = v
			}
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			assert.Equal(t, tc.status, rec.Code, rec.Body.String())
			assert.Contains(t, rec.Body.String(), `"error"`)
		})
	}
	// Nothing was planted: the legacy login does not know "evil".
	sum := md5.Sum([]byte("x"))
	rec := post(srv, url.Values{"action": {"GetAdminDetails"}, "username": {"evil"}, "password": {hex.EncodeToString(sum[:])}, "responsetype": {"json"}})
	assert.Contains(t, rec.Body.String(), "Authentication Failed")

	// What is let in: loopback names and addresses, the same origin, a
	// navigation, an allowed host, and a caller with the token.
	srv.allowedHosts = []string{"myhost.internal"}
	srv.adminToken = "tok"
	for _, tc := range []struct {
		host   string
		header http.Header
	}{
		{"127.0.0.1:8080", nil},
		{"[::1]:8080", nil},
		{"localhost", nil},
		{"emu.localhost:8080", nil},
		{"LOCALHOST.:8080", nil},
		{"myhost.internal:8080", nil},
		{"127.0.0.1:8080", http.Header{"Origin": {"http://127.0.0.1:8080"}, "Sec-Fetch-Site": {"same-origin"}}},
		{"127.0.0.1:8080", http.Header{"Sec-Fetch-Site": {"none"}}},
		{"evil.example", http.Header{"Authorization": {"bearer tok"}}}, // any case of the scheme
	} {
		req := controlRequest("GET", "/_whmcsemu/health", "")
		req.Host = tc.host
		for k, v := range tc.header {
			req.Header[k] = v
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		assert.Equal(t, http.StatusOK, rec.Code, "Host %s %v: %s", tc.host, tc.header, rec.Body)
	}
}

// TestWrongAdminTokenBans: wrong admin tokens count towards the same IP
// ban as failed API logins, and a banned IP is refused even with the
// right token; loopback is never locked out.
func TestWrongAdminTokenBans(t *testing.T) {
	srv, _ := newTestServer(t)
	srv.adminToken = "right"
	srv.bans = newBans(BanPolicy(auth.BanPolicy{After: 3, Window: time.Hour, Duration: time.Hour}), srv.clock, srv.db, srv.log)
	remote := "203.0.113.7:5000"
	for range 3 {
		assert.Equal(t, 403, control(t, srv, "GET", "/_whmcsemu/health", "", remote, http.Header{"Authorization": {"Bearer wrong"}}, nil))
	}
	var refused map[string]string
	assert.Equal(t, 403, control(t, srv, "GET", "/_whmcsemu/health", "", remote, http.Header{"Authorization": {"Bearer right"}}, &refused))
	assert.Contains(t, refused["error"], "banned")
	rec := post(srv, withAuth(url.Values{"action": {"GetClients"}, "responsetype": {"json"}}))
	assert.Equal(t, 200, rec.Code, "another IP (the test's) is not banned")
	assert.Equal(t, 200, control(t, srv, "DELETE", "/_whmcsemu/bans/203.0.113.7", "", loopback, nil, nil))
	assert.Equal(t, 200, control(t, srv, "GET", "/_whmcsemu/health", "", remote, http.Header{"Authorization": {"Bearer right"}}, nil))
}

// TestJournalGrowsInOrder: the ring starts small and grows to its size,
// keeping its entries oldest first also when entries were dropped for
// bytes before it grew (the ring then starts mid-way).
func TestJournalGrowsInOrder(t *testing.T) {
	j := newJournal(100, 20*(entryOverhead+10)) // about 20 entries of 10 bytes
	for i := range 250 {
		j.record(JournalEntry{Action: fmt.Sprintf("a%09d", i)}) // 10 bytes
		entries := j.Entries(JournalFilter{})
		require.NotEmpty(t, entries)
		require.Equal(t, fmt.Sprintf("a%09d", i), entries[len(entries)-1].Action, "after %d", i)
		for k := 1; k < len(entries); k++ {
			require.Equal(t, entries[k-1].Seq+1, entries[k].Seq, "after %d", i)
		}
	}
	assert.Len(t, j.Entries(JournalFilter{}), 20)
	assert.LessOrEqual(t, len(j.entries), 32, "grown only as far as the bytes let entries stay")

	j = newJournal(50, 0)
	for i := range 120 {
		j.record(JournalEntry{Action: fmt.Sprint(i)})
	}
	entries := j.Entries(JournalFilter{})
	require.Len(t, entries, 50)
	assert.Equal(t, "70", entries[0].Action)
	assert.Equal(t, "119", entries[49].Action)
	assert.Len(t, j.entries, 50)
}
