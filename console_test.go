package whmcsemu

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// consoleURLs are the console's pages and forms (with ids the demo
// fixture has), and the control plane's endpoints: every one must refuse
// a foreign Host and a cross-site request.
var consoleURLs = []struct{ method, path string }{
	{"GET", "/_whmcsemu/console/"}, {"GET", "/_whmcsemu/console/login"}, {"POST", "/_whmcsemu/console/login"},
	{"POST", "/_whmcsemu/console/logout"}, {"GET", "/_whmcsemu/console/static/console.css"},
	{"GET", "/_whmcsemu/console/secret/00"},
	{"GET", "/_whmcsemu/console/oci/users"}, {"POST", "/_whmcsemu/console/oci/users"},
	{"GET", "/_whmcsemu/console/oci/users/u"}, {"GET", "/_whmcsemu/console/oci/users/u/credentials/new"},
	{"POST", "/_whmcsemu/console/oci/users/u/credentials"}, {"GET", "/_whmcsemu/console/oci/users/u/credentials/c"},
	{"POST", "/_whmcsemu/console/oci/users/u/credentials/c"}, {"POST", "/_whmcsemu/console/oci/users/u/credentials/c/reset"},
	{"GET", "/_whmcsemu/console/oci/users/u/credentials/c/delete"}, {"POST", "/_whmcsemu/console/oci/users/u/credentials/c/delete"},
	{"GET", "/_whmcsemu/console/whmcs/oauth"}, {"GET", "/_whmcsemu/console/whmcs/oauth/new"},
	{"POST", "/_whmcsemu/console/whmcs/oauth"}, {"GET", "/_whmcsemu/console/whmcs/oauth/1"},
	{"POST", "/_whmcsemu/console/whmcs/oauth/1"}, {"POST", "/_whmcsemu/console/whmcs/oauth/1/reset"},
	{"GET", "/_whmcsemu/console/whmcs/oauth/1/delete"}, {"POST", "/_whmcsemu/console/whmcs/oauth/1/delete"},
	{"GET", "/_whmcsemu/console/whmcs/access"}, {"GET", "/_whmcsemu/console/whmcs/clients"},
	{"GET", "/_whmcsemu/console/whmcs/clients/1"}, {"GET", "/_whmcsemu/console/whmcs/services/1"},
	{"GET", "/_whmcsemu/console/whmcs/invoices/1"}, {"GET", "/_whmcsemu/console/whmcs/tickets/1"},
	{"GET", "/_whmcsemu/console/whmcs/users"}, {"GET", "/_whmcsemu/console/whmcs/sso"}, {"POST", "/_whmcsemu/console/whmcs/sso"},
	{"GET", "/_whmcsemu/console/sailpoint/clients"}, {"GET", "/_whmcsemu/console/sailpoint/clients/new"},
	{"POST", "/_whmcsemu/console/sailpoint/clients"}, {"GET", "/_whmcsemu/console/sailpoint/clients/x"},
	{"POST", "/_whmcsemu/console/sailpoint/clients/x"}, {"GET", "/_whmcsemu/console/sailpoint/clients/x/delete"},
	{"POST", "/_whmcsemu/console/sailpoint/clients/x/delete"},
	{"GET", "/_whmcsemu/console/journal"}, {"GET", "/_whmcsemu/console/journal/rows"}, {"GET", "/_whmcsemu/console/journal/1"},
	{"GET", "/_whmcsemu/console/faults"}, {"POST", "/_whmcsemu/console/faults"}, {"POST", "/_whmcsemu/console/faults/1/delete"},
	{"POST", "/_whmcsemu/console/faults/clear"}, {"GET", "/_whmcsemu/console/clock"}, {"POST", "/_whmcsemu/console/clock"},
	{"GET", "/_whmcsemu/console/fixtures"}, {"GET", "/_whmcsemu/console/fixtures/export"},
	{"POST", "/_whmcsemu/console/fixtures/load"}, {"POST", "/_whmcsemu/console/reset"},
	{"GET", "/_whmcsemu/console/bans"}, {"POST", "/_whmcsemu/console/bans/lift-all"},
	{"POST", "/_whmcsemu/console/bans/127.0.0.1/lift"}, {"GET", "/_whmcsemu/console/no-such-page"},
	{"GET", "/_whmcsemu/health"}, {"GET", "/_whmcsemu/version"}, {"POST", "/_whmcsemu/reset"},
	{"POST", "/_whmcsemu/fixtures"}, {"GET", "/_whmcsemu/export"}, {"GET", "/_whmcsemu/journal"},
	{"GET", "/_whmcsemu/journal/count"}, {"DELETE", "/_whmcsemu/journal"}, {"GET", "/_whmcsemu/faults"},
	{"POST", "/_whmcsemu/faults"}, {"DELETE", "/_whmcsemu/faults"}, {"DELETE", "/_whmcsemu/faults/1"},
	{"GET", "/_whmcsemu/bans"}, {"DELETE", "/_whmcsemu/bans"}, {"DELETE", "/_whmcsemu/bans/127.0.0.1"},
	{"GET", "/_whmcsemu/clock"}, {"POST", "/_whmcsemu/clock"}, {"DELETE", "/_whmcsemu/clock"},
	{"GET", "/_whmcsemu/nothing"},
}

// consoleBrowser is a browser on loopback with the console's cookies.
type consoleBrowser struct {
	t       *testing.T
	srv     *Server
	cookies map[string]*http.Cookie
	addr    string
}

func newConsoleBrowser(t *testing.T, srv *Server) *consoleBrowser {
	return &consoleBrowser{t: t, srv: srv, cookies: map[string]*http.Cookie{}, addr: loopback}
}

// do sends a request as a browser on this machine sends it: Host
// 127.0.0.1:8080, the cookies it holds, header added.
func (b *consoleBrowser) do(method, path string, form url.Values, header http.Header) *httptest.ResponseRecorder {
	var body *strings.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	req := httptest.NewRequest(method, path, body)
	req.RemoteAddr, req.Host = b.addr, "127.0.0.1:8080"
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for _, c := range b.cookies {
		req.AddCookie(c)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	b.srv.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge < 0 {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c
		}
	}
	return rec
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`)

// csrf loads a console page and returns the CSRF token its forms carry.
func (b *consoleBrowser) csrf(page string) string {
	rec := b.do("GET", page, nil, nil)
	m := csrfInput.FindStringSubmatch(rec.Body.String())
	require.NotNil(b.t, m, "%s has no CSRF token: %d %s", page, rec.Code, rec.Body)
	return m[1]
}

func TestConsoleRefusesForeignHostsAndCrossSite(t *testing.T) {
	srv, _ := newTestServerWith(t, "testdata/fixtures/demo.json")
	b := newConsoleBrowser(t, srv)
	token := b.csrf("/_whmcsemu/console/clock") // a valid token does not help a cross-site request
	form := url.Values{"csrf": {token}, "op": {"set"}, "time": {"2031-01-01T00:00:00"}}
	for _, u := range consoleURLs {
		for _, tc := range []struct {
			name   string
			host   string
			header http.Header
		}{
			{"foreign Host (DNS rebinding)", "evil.example:8080", nil},
			{"foreign Origin", "127.0.0.1:8080", http.Header{"Origin": {"http://evil.example"}}},
			{"null Origin", "127.0.0.1:8080", http.Header{"Origin": {"null"}}},
			{"cross-site form post", "127.0.0.1:8080", http.Header{"Sec-Fetch-Site": {"cross-site"}, "Origin": {"http://evil.example"}}},
			{"same-site", "127.0.0.1:8080", http.Header{"Sec-Fetch-Site": {"same-site"}}},
		} {
			req := httptest.NewRequest(u.method, u.path, strings.NewReader(form.Encode()))
			req.RemoteAddr, req.Host = loopback, tc.host
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for _, c := range b.cookies {
				req.AddCookie(c)
			}
			for k, v := range tc.header {
				req.Header[k] = v
			}
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			assert.Equal(t, http.StatusForbidden, rec.Code, "%s %s, %s: %s", u.method, u.path, tc.name, rec.Body)
		}
	}
	assert.False(t, srv.clock.Frozen(), "no refused request set the clock")
	// The same form from the console's own page goes through.
	rec := b.do("POST", "/_whmcsemu/console/clock", form, http.Header{"Origin": {"http://127.0.0.1:8080"},
		"Sec-Fetch-Site": {"same-origin"}})
	assert.Equal(t, http.StatusSeeOther, rec.Code, rec.Body.String())
	assert.True(t, srv.clock.Frozen())
	assert.Equal(t, 2031, srv.clock.Now().Year())
}

func TestConsoleCSRF(t *testing.T) {
	srv, _ := newTestServerWith(t, "testdata/fixtures/demo.json")
	b := newConsoleBrowser(t, srv)
	fault := url.Values{"action": {"GetClients"}, "message": {"down"}}

	rec := b.do("POST", "/_whmcsemu/console/faults", fault, nil)
	assert.Equal(t, http.StatusForbidden, rec.Code, "no CSRF cookie, no token")
	token := b.csrf("/_whmcsemu/console/faults")
	rec = b.do("POST", "/_whmcsemu/console/faults", fault, nil)
	assert.Equal(t, http.StatusForbidden, rec.Code, "a cookie but no token")
	fault.Set("csrf", strings.Repeat("0", 64))
	rec = b.do("POST", "/_whmcsemu/console/faults", fault, nil)
	assert.Equal(t, http.StatusForbidden, rec.Code, "a wrong token")
	other := newConsoleBrowser(t, srv)
	other.csrf("/_whmcsemu/console/faults")
	fault.Set("csrf", token)
	rec = other.do("POST", "/_whmcsemu/console/faults", fault, nil)
	assert.Equal(t, http.StatusForbidden, rec.Code, "another browser's token")
	assert.Empty(t, srv.faults.List())

	rec = b.do("POST", "/_whmcsemu/console/faults", fault, nil)
	require.Equal(t, http.StatusSeeOther, rec.Code, rec.Body.String())
	require.Len(t, srv.faults.List(), 1)
	c := b.cookies["whmcsemu_console_csrf"]
	require.NotNil(t, c)
	assert.True(t, c.HttpOnly)
	assert.Equal(t, http.SameSiteStrictMode, c.SameSite)
	assert.Equal(t, "/_whmcsemu/console/", c.Path)
}

func TestConsoleLogin(t *testing.T) {
	srv, _ := newTestServerWith(t, "testdata/fixtures/demo.json")
	srv.adminToken = "console-token"
	b := newConsoleBrowser(t, srv)
	b.addr = "203.0.113.5:4000" // not loopback

	rec := b.do("GET", "/_whmcsemu/console/journal", nil, nil)
	assert.Equal(t, http.StatusUnauthorized, rec.Code)
	assert.Contains(t, rec.Body.String(), `<label for="token">Admin token</label>`)
	assert.Contains(t, rec.Body.String(), `value="/_whmcsemu/console/journal"`, "back to the page asked for")
	token := csrfInput.FindStringSubmatch(rec.Body.String())[1]

	rec = b.do("POST", "/_whmcsemu/console/login", url.Values{"csrf": {token}, "token": {"wrong"}}, nil)
	assert.Equal(t, http.StatusUnauthorized, rec.Code)
	assert.Contains(t, rec.Body.String(), "not the admin token")
	assert.NotContains(t, b.cookies, "whmcsemu_console_token")
	rec = b.do("POST", "/_whmcsemu/console/login", url.Values{"token": {"console-token"}}, nil)
	assert.Equal(t, http.StatusForbidden, rec.Code, "the sign-in form needs its CSRF token too")

	rec = b.do("POST", "/_whmcsemu/console/login", url.Values{"csrf": {token}, "token": {"console-token"},
		"next": {"/_whmcsemu/console/journal"}}, nil)
	require.Equal(t, http.StatusSeeOther, rec.Code, rec.Body.String())
	assert.Equal(t, "/_whmcsemu/console/journal", rec.Header().Get("Location"))
	c := b.cookies["whmcsemu_console_token"]
	require.NotNil(t, c)
	assert.True(t, c.HttpOnly)
	assert.Equal(t, http.SameSiteStrictMode, c.SameSite)

	rec = b.do("GET", "/_whmcsemu/console/journal", nil, nil)
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Contains(t, rec.Body.String(), "Sign out")
	// The cookie does not stop the cross-site rules, and opens only the
	// console: the JSON control plane still wants Authorization.
	rec = b.do("GET", "/_whmcsemu/console/journal", nil, http.Header{"Sec-Fetch-Site": {"cross-site"}})
	assert.Equal(t, http.StatusForbidden, rec.Code)
	rec = b.do("GET", "/_whmcsemu/export", nil, nil)
	assert.Equal(t, http.StatusForbidden, rec.Code)

	// A redirect after signing in stays in the console.
	rec = b.do("POST", "/_whmcsemu/console/logout", url.Values{"csrf": {b.csrf("/_whmcsemu/console/")}}, nil)
	assert.Equal(t, http.StatusSeeOther, rec.Code)
	assert.NotContains(t, b.cookies, "whmcsemu_console_token")
	rec = b.do("POST", "/_whmcsemu/console/login", url.Values{"csrf": {token}, "token": {"console-token"},
		"next": {"https://evil.example/"}}, nil)
	assert.Equal(t, "/_whmcsemu/console/", rec.Header().Get("Location"))

	// Without --admin-token, a browser elsewhere gets no sign-in page.
	srv.adminToken = ""
	b.cookies = map[string]*http.Cookie{}
	rec = b.do("GET", "/_whmcsemu/console/", nil, nil)
	assert.Equal(t, http.StatusForbidden, rec.Code)
	assert.NotContains(t, rec.Body.String(), `name="token"`)
}

// The console's forms run the same code as the APIs: a WHMCS credential
// made in the console is what ListOAuthCredentials lists, its secret is
// shown once, and the call is journaled.
func TestConsoleSharesTheAPIs(t *testing.T) {
	srv, _ := newTestServerWith(t, "testdata/fixtures/demo.json")
	b := newConsoleBrowser(t, srv)
	token := b.csrf("/_whmcsemu/console/whmcs/oauth/new")
	rec := b.do("POST", "/_whmcsemu/console/whmcs/oauth", url.Values{"csrf": {token}, "grantType": {"authorization_code"},
		"name": {"From the console"}, "scope": {"openid", "email"}, "redirectUri": {"https://a.example/cb\nhttps://b.example/cb"}}, nil)
	require.Equal(t, http.StatusSeeOther, rec.Code, rec.Body.String())
	secretPage := rec.Header().Get("Location")
	rec = b.do("GET", secretPage, nil, nil)
	require.Equal(t, http.StatusOK, rec.Code)
	var listed struct {
		Clients []struct {
			Name, Scope, ClientSecret string
			RedirectURI               []string
		}
	}
	require.NoError(t, srv.Call(context.Background(), "ListOAuthCredentials", nil, "").Decode(&listed))
	last := listed.Clients[len(listed.Clients)-1]
	assert.Equal(t, "From the console", last.Name)
	assert.Equal(t, "openid email", last.Scope)
	assert.Equal(t, []string{"https://a.example/cb", "https://b.example/cb"}, last.RedirectURI)
	assert.Contains(t, rec.Body.String(), `value="`+last.ClientSecret+`"`, "the secret page shows it")
	rec = b.do("GET", secretPage, nil, nil)
	assert.Equal(t, http.StatusGone, rec.Code, "shown once")
	assert.NotContains(t, rec.Body.String(), last.ClientSecret)

	// A refusal is WHMCS's message, on the form.
	rec = b.do("POST", "/_whmcsemu/console/whmcs/oauth", url.Values{"csrf": {token}, "grantType": {"single_sign_on"}}, nil)
	assert.Equal(t, http.StatusBadRequest, rec.Code)
	assert.Contains(t, rec.Body.String(), "A service ID is required for the single sign-on grant type.")

	entries := srv.journal.Entries(JournalFilter{Action: "CreateOAuthCredential"})
	require.Len(t, entries, 2)
	assert.Equal(t, "console", entries[0].Source)
	assert.Equal(t, "success", entries[0].Result)
	assert.Equal(t, "error", entries[1].Result)
}
