package whmcsemu

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sailPointToken mints a token for the fixture's bootstrap client.
func sailPointToken(t *testing.T, srv http.Handler) string {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"2c9180835d2e5168015d32f890ca1581"},
		"client_secret": {"bootstrap-secret"}}
	req := httptest.NewRequest(http.MethodPost, "/oauth/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &tok))
	require.NotEmpty(t, tok.AccessToken)
	return tok.AccessToken
}

func sailPointDo(srv http.Handler, method, path, token, ctype, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	return rec
}

// TestSailPointMounted checks the dialect is served beside the WHMCS
// endpoint and shares its machinery: fixtures, journal, faults, reset.
func TestSailPointMounted(t *testing.T) {
	srv, _ := newTestServerWith(t, filepath.Join("testdata", "fixtures", "sailpoint.json"))
	token := sailPointToken(t, srv)

	created := sailPointDo(srv, http.MethodPost, "/v3/oauth-clients", token, "application/json",
		`{"name":"ci","description":"for CI","accessTokenValiditySeconds":750,"grantTypes":["CLIENT_CREDENTIALS"],"accessType":"OFFLINE","enabled":true}`)
	require.Equal(t, http.StatusOK, created.Code, created.Body.String())
	var client struct {
		ID     string `json:"id"`
		Secret string `json:"secret"`
	}
	require.NoError(t, json.Unmarshal(created.Body.Bytes(), &client))
	assert.NotEmpty(t, client.Secret, "the secret is shown on create")

	patched := sailPointDo(srv, http.MethodPatch, "/v3/oauth-clients/"+client.ID, token, "application/json-patch+json",
		`[{"op":"replace","path":"/description","value":"patched"}]`)
	assert.Equal(t, http.StatusOK, patched.Code, patched.Body.String())

	// The journal names SailPoint requests by operation.
	journal := func(op string) []JournalEntry {
		var got struct {
			Entries []JournalEntry `json:"entries"`
		}
		require.NoError(t, json.Unmarshal([]byte(get(t, srv, ControlPrefix+"journal?action="+op)), &got))
		return got.Entries
	}
	if entries := journal("SailPointCreateOAuthClient"); assert.Len(t, entries, 1) {
		assert.Equal(t, http.StatusOK, entries[0].Status)
		assert.Equal(t, "success", entries[0].Result)
	}
	assert.Len(t, journal("SailPointToken"), 1)
	assert.Len(t, journal("SailPointPatchOAuthClient"), 1)

	// A fault rule answers a SailPoint-shaped 429 with Retry-After.
	rec := serveControlRequest(srv, http.MethodPost, ControlPrefix+"faults",
		`{"action":"SailPointListOAuthClients","status":429,"times":1,"retryAfterSeconds":7}`)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	limited := sailPointDo(srv, http.MethodGet, "/v3/oauth-clients", token, "", "")
	assert.Equal(t, http.StatusTooManyRequests, limited.Code)
	assert.Equal(t, "7", limited.Header().Get("Retry-After"))
	assert.Contains(t, limited.Body.String(), "Rate Limit Exceeded")
	listed := sailPointDo(srv, http.MethodGet, "/v3/oauth-clients", token, "", "")
	assert.Equal(t, http.StatusOK, listed.Code, "the rule retired after one hit")
	assert.Contains(t, listed.Body.String(), client.ID)

	// Reset puts back the fixture: the created client goes, the bootstrap
	// client stays, and old tokens die.
	rec = serveControlRequest(srv, http.MethodPost, ControlPrefix+"reset", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	assert.Equal(t, http.StatusUnauthorized, sailPointDo(srv, http.MethodGet, "/v3/oauth-clients", token, "", "").Code)
	token = sailPointToken(t, srv)
	after := sailPointDo(srv, http.MethodGet, "/v3/oauth-clients", token, "", "")
	assert.Equal(t, http.StatusOK, after.Code)
	assert.NotContains(t, after.Body.String(), client.ID)
}

func get(t *testing.T, srv http.Handler, path string) string {
	t.Helper()
	rec := serveControlRequest(srv, http.MethodGet, path, "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	return rec.Body.String()
}

// TestSailPointAuthorizeMounted: the sign-in page, the code exchange and
// a refresh go through the dialect wrapper: journaled as
// SailPointAuthorize and SailPointToken with the client as caller, never
// a password, and a wrong password counts towards the IP ban.
func TestSailPointAuthorizeMounted(t *testing.T) {
	srv, _ := newTestServerWith(t, filepath.Join("testdata", "fixtures", "sailpoint.json"))
	srv.bans = newBans(BanPolicy{After: 2, Window: time.Hour, Duration: time.Hour}, srv.clock, srv.db, srv.log)
	const (
		app      = "2c9180835d2e5168015d32f890ca1582"
		redirect = "http://127.0.0.1:9999/callback"
	)
	q := url.Values{"client_id": {app}, "redirect_uri": {redirect}, "response_type": {"code"}, "state": {"xyz"}}
	page := sailPointDo(srv, http.MethodGet, "/oauth/authorize?"+q.Encode(), "", "", "")
	require.Equal(t, http.StatusOK, page.Code, page.Body.String())
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page.Body.String())
	require.Len(t, csrf, 2)
	cookie := page.Result().Cookies()[0]
	signIn := func(password string) *httptest.ResponseRecorder {
		form := url.Values{"csrf": {csrf[1]}, "username": {"ada"}, "password": {password}, "action": {"allow"}}
		for k, v := range q {
			form[k] = v
		}
		r := httptest.NewRequest(http.MethodPost, "/oauth/authorize", strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.AddCookie(cookie)
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, r)
		return rec
	}
	signedIn := signIn("ada-password")
	require.Equal(t, http.StatusFound, signedIn.Code, signedIn.Body.String())
	loc, err := url.Parse(signedIn.Header().Get("Location"))
	require.NoError(t, err)
	assert.Equal(t, "xyz", loc.Query().Get("state"))

	form := url.Values{"grant_type": {"authorization_code"}, "code": {loc.Query().Get("code")}, "redirect_uri": {redirect},
		"client_id": {app}, "client_secret": {"web-app-secret"}}
	exchanged := sailPointDo(srv, http.MethodPost, "/oauth/token", "", "application/x-www-form-urlencoded", form.Encode())
	require.Equal(t, http.StatusOK, exchanged.Code, exchanged.Body.String())
	var tok struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
		UserName     string `json:"user_name"`
	}
	require.NoError(t, json.Unmarshal(exchanged.Body.Bytes(), &tok))
	assert.Equal(t, "ada", tok.UserName)
	form = url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}, "client_id": {app},
		"client_secret": {"web-app-secret"}}
	refreshed := sailPointDo(srv, http.MethodPost, "/oauth/token", "", "application/x-www-form-urlencoded", form.Encode())
	require.Equal(t, http.StatusOK, refreshed.Code, refreshed.Body.String())

	journal := get(t, srv, ControlPrefix+"journal?action=SailPointAuthorize")
	var got struct {
		Entries []JournalEntry `json:"entries"`
	}
	require.NoError(t, json.Unmarshal([]byte(journal), &got))
	if assert.Len(t, got.Entries, 2) {
		assert.Equal(t, http.StatusOK, got.Entries[0].Status)
		assert.Equal(t, app, got.Entries[1].Caller)
		assert.Equal(t, http.StatusFound, got.Entries[1].Status)
	}
	all := get(t, srv, ControlPrefix+"journal")
	for _, secret := range []string{"ada-password", "web-app-secret", tok.AccessToken, tok.RefreshToken} {
		assert.NotContains(t, all, secret)
	}

	// Two wrong passwords ban the IP.
	for range 2 {
		assert.Equal(t, http.StatusUnauthorized, signIn("wrong").Code)
	}
	assert.Equal(t, http.StatusForbidden, signIn("ada-password").Code, "the right password from a banned IP")
}
