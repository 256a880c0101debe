package whmcsemu

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
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

// The OpenID Connect fixture (testdata/fixtures/oidc.json).
const (
	oidcAppID       = "OIDC-HOSTING.b2lkYy1hcHAtb25l"
	oidcAppSecret   = "b2lkYy1zZWNyZXQtb25l+with/slash="
	oidcAppRedirect = "http://app.localhost/callback"
)

// oidcServer is an emulator on the OpenID Connect fixture behind a real
// listener, so that its System URL (the issuer) is its own address.
type oidcServer struct {
	*Server
	url string // with a trailing /
	log *bytes.Buffer
}

func newOIDCServer(t *testing.T, opts Options) *oidcServer {
	t.Helper()
	hs := httptest.NewUnstartedServer(nil)
	o := &oidcServer{url: "http://" + hs.Listener.Addr().String() + "/", log: &bytes.Buffer{}}
	o.Server, _ = newTestServerWith(t, filepath.Join("testdata", "fixtures", "oidc.json"), func(base *Options) {
		given := opts
		given.Clock, given.Seed = base.Clock, base.Seed
		given.SystemURL = o.url
		given.Logger = slog.New(slog.NewTextHandler(o.log, &slog.HandlerOptions{Level: slog.LevelDebug}))
		*base = given
	})
	hs.Config.Handler = o.Server
	hs.Start()
	t.Cleanup(hs.Close)
	return o
}

type oidcBrowser struct {
	t *testing.T
	o *oidcServer
	c *http.Client
}

func (o *oidcServer) browser(t *testing.T) *oidcBrowser {
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	return &oidcBrowser{t: t, o: o, c: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type oidcResponse struct {
	*http.Response
	body string
}

func (b *oidcBrowser) do(method, path string, form url.Values, header http.Header) oidcResponse {
	b.t.Helper()
	target := path
	if !strings.HasPrefix(path, "http") {
		target = b.o.url + path
	}
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, target, body)
	require.NoError(b.t, err)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := b.c.Do(req)
	require.NoError(b.t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(b.t, err)
	return oidcResponse{resp, string(data)}
}

var oidcHidden = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)

func (b *oidcBrowser) submit(page oidcResponse, path string, fields url.Values) oidcResponse {
	b.t.Helper()
	form := url.Values{}
	for _, m := range oidcHidden.FindAllStringSubmatch(page.body, -1) {
		form.Set(m[1], m[2])
	}
	for k, v := range fields {
		form[k] = v
	}
	return b.do(http.MethodPost, path, form, nil)
}

// code signs jane in, consents and returns the authorization code.
func (b *oidcBrowser) code() string {
	b.t.Helper()
	q := url.Values{"client_id": {oidcAppID}, "redirect_uri": {oidcAppRedirect}, "response_type": {"code"},
		"scope": {"openid email profile"}, "state": {"s"}, "nonce": {"n"}}
	page := b.do(http.MethodGet, "oauth/authorize.php?"+q.Encode(), nil, nil)
	require.Equal(b.t, http.StatusOK, page.StatusCode, page.body)
	if strings.Contains(page.body, `name="password"`) {
		page = b.submit(page, "oauth/authorize.php", url.Values{"email": {"jane@example.com"}, "password": {"jane-password"}})
	}
	done := b.submit(page, "oauth/authorize.php", url.Values{"decision": {"allow"}})
	require.Equal(b.t, http.StatusSeeOther, done.StatusCode, done.body)
	loc, err := url.Parse(done.Header.Get("Location"))
	require.NoError(b.t, err)
	require.NotEmpty(b.t, loc.Query().Get("code"), loc.String())
	return loc.Query().Get("code")
}

func (b *oidcBrowser) token(form url.Values) (map[string]any, oidcResponse) {
	b.t.Helper()
	h := http.Header{}
	req := &http.Request{Header: h}
	req.SetBasicAuth(url.QueryEscape(oidcAppID), url.QueryEscape(oidcAppSecret))
	r := b.do(http.MethodPost, "oauth/token.php", form, h)
	var out map[string]any
	_ = json.Unmarshal([]byte(r.body), &out)
	return out, r
}

func (b *oidcBrowser) exchange(code string) (map[string]any, oidcResponse) {
	return b.token(url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {oidcAppRedirect}})
}

func (b *oidcBrowser) userInfo(token string) oidcResponse {
	return b.do(http.MethodGet, "oauth/userinfo.php", nil, http.Header{"Authorization": {"Bearer " + token}})
}

// TestOIDCMounted: the provider is served at the System URL, through the
// dialect wrapper (journal, log), on the emulator's state.
func TestOIDCMounted(t *testing.T) {
	o := newOIDCServer(t, Options{})
	b := o.browser(t)
	for _, p := range []string{".well-known/openid-configuration", "oauth/openid-configuration.php"} {
		r := b.do(http.MethodGet, p, nil, nil)
		require.Equal(t, http.StatusOK, r.StatusCode, r.body)
		var d map[string]any
		require.NoError(t, json.Unmarshal([]byte(r.body), &d))
		assert.Equal(t, strings.TrimSuffix(o.url, "/"), d["issuer"], "the issuer is the System URL, here the listening address")
		assert.Equal(t, o.url+"oauth/certs.php", d["jwks_uri"])
	}
	// Under a System URL with a folder too.
	r := b.do(http.MethodGet, "billing/oauth/openid-configuration.php", nil, nil)
	assert.Equal(t, http.StatusOK, r.StatusCode)

	code := b.code()
	tok, r := b.exchange(code)
	require.Equal(t, http.StatusOK, r.StatusCode, r.body)
	access := tok["access_token"].(string)
	require.NotEmpty(t, tok["id_token"])
	info := b.userInfo(access)
	require.Equal(t, http.StatusOK, info.StatusCode, info.body)
	assert.Contains(t, info.body, `"email":"jane@example.com"`)

	ops := map[string]string{}
	for _, e := range o.Journal().Entries(JournalFilter{}) {
		ops[e.Action] = e.Caller
		assert.Empty(t, e.Params, "dialect entries keep no parameters")
	}
	for _, op := range []string{"whmcsoauthdiscovery", "whmcsoauthauthorize", "whmcsoauthtoken", "whmcsoauthuserinfo"} {
		assert.Contains(t, ops, op)
	}
	assert.Equal(t, oidcAppID, ops["whmcsoauthtoken"], "the caller is the client")
	journal, err := json.Marshal(o.Journal().Entries(JournalFilter{}))
	require.NoError(t, err)
	for _, secret := range []string{oidcAppSecret, "jane-password", code, access, tok["refresh_token"].(string)} {
		assert.NotContains(t, string(journal), secret)
		assert.NotContains(t, o.log.String(), secret)
	}
	assert.Contains(t, o.log.String(), "oauth call")
}

// TestOIDCCredentialActions: the API's UpdateOAuthCredential resetSecret
// and DeleteOAuthCredential end a credential's tokens at once.
func TestOIDCCredentialActions(t *testing.T) {
	ctx := context.Background()
	o := newOIDCServer(t, Options{})
	b := o.browser(t)
	tok, r := b.exchange(b.code())
	require.Equal(t, http.StatusOK, r.StatusCode, r.body)
	res := o.Call(ctx, "UpdateOAuthCredential", url.Values{"credentialId": {"1"}, "resetSecret": {"true"}}, "admin")
	require.True(t, res.OK(), "%s", res.JSON())
	assert.Equal(t, http.StatusUnauthorized, b.userInfo(tok["access_token"].(string)).StatusCode, "the secret was reset")
	_, r = b.token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok["refresh_token"].(string)}})
	assert.Equal(t, http.StatusUnauthorized, r.StatusCode, "the old secret no longer authenticates")

	o2 := newOIDCServer(t, Options{})
	b2 := o2.browser(t)
	tok, _ = b2.exchange(b2.code())
	res = o2.Call(ctx, "DeleteOAuthCredential", url.Values{"credentialId": {"1"}}, "admin")
	require.True(t, res.OK(), "%s", res.JSON())
	assert.Equal(t, http.StatusUnauthorized, b2.userInfo(tok["access_token"].(string)).StatusCode, "deleted")
}

// TestOIDCFaultsAndBans: fault rules name the operations and answer in
// the endpoint's shape; failed client authentications and wrong passwords
// count towards an IP ban.
func TestOIDCFaultsAndBans(t *testing.T) {
	o := newOIDCServer(t, Options{Bans: BanPolicy{After: 3, Window: time.Hour, Duration: time.Hour}})
	b := o.browser(t)

	_, err := o.Faults().Add(Fault{Action: "WHMCSOAuthToken", Times: 1, Status: http.StatusServiceUnavailable, Message: "down"})
	require.NoError(t, err)
	_, r := b.exchange("whatever")
	assert.Equal(t, http.StatusServiceUnavailable, r.StatusCode)
	assert.JSONEq(t, `{"error":"temporarily_unavailable","error_description":"down"}`, r.body)
	_, err = o.Faults().Add(Fault{Action: "WHMCSOAuthAuthorize", Times: 1, Status: 500})
	require.NoError(t, err)
	r = b.do(http.MethodGet, "oauth/authorize.php?client_id="+url.QueryEscape(oidcAppID), nil, nil)
	assert.Equal(t, http.StatusInternalServerError, r.StatusCode)
	assert.Equal(t, "text/html; charset=utf-8", r.Header.Get("Content-Type"))

	// One wrong password on the login page, two wrong client secrets.
	q := url.Values{"client_id": {oidcAppID}, "redirect_uri": {oidcAppRedirect}, "response_type": {"code"}, "scope": {"openid"}}
	page := b.do(http.MethodGet, "oauth/authorize.php?"+q.Encode(), nil, nil)
	r = b.submit(page, "oauth/authorize.php", url.Values{"email": {"jane@example.com"}, "password": {"wrong"}})
	assert.Equal(t, http.StatusOK, r.StatusCode)
	for range 2 {
		r = b.do(http.MethodPost, "oauth/token.php", url.Values{"grant_type": {"authorization_code"}, "code": {"x"},
			"client_id": {oidcAppID}, "client_secret": {"wrong"}}, nil)
		assert.Equal(t, http.StatusUnauthorized, r.StatusCode)
	}
	require.Len(t, o.Bans().List(), 1, "three failures ban the IP")
	_, r = b.exchange("x")
	assert.Equal(t, http.StatusForbidden, r.StatusCode)
	assert.Contains(t, r.body, `"error":"access_denied"`)
	r = b.do(http.MethodGet, "login.php", nil, nil)
	assert.Equal(t, http.StatusForbidden, r.StatusCode, "the pages too")
}

// TestSSOSignsTheBrowserIn: redeeming a CreateSsoToken token signs the
// browser in, and the client area it lands on says who and for which
// client.
func TestSSOSignsTheBrowserIn(t *testing.T) {
	o := newOIDCServer(t, Options{})
	res := o.Call(context.Background(), "CreateSsoToken", url.Values{"client_id": {"1"}, "destination": {"clientarea:profile"}}, "admin")
	var sso struct {
		RedirectURL string `json:"redirect_url"`
	}
	require.NoError(t, res.Decode(&sso), "%s", res.JSON())
	require.True(t, strings.HasPrefix(sso.RedirectURL, o.url+"oauth/singlesignon.php?"), sso.RedirectURL)
	b := o.browser(t)
	r := b.do(http.MethodGet, sso.RedirectURL, nil, nil)
	require.Equal(t, http.StatusFound, r.StatusCode)
	assert.Equal(t, o.url+"clientarea.php?action=details", r.Header.Get("Location"))
	area := b.do(http.MethodGet, r.Header.Get("Location"), nil, nil)
	require.Equal(t, http.StatusOK, area.StatusCode, area.body)
	assert.Contains(t, area.body, "Signed in as <strong>Jane Doe</strong>")
	assert.Contains(t, area.body, "Doe Widgets</strong> (client 1, Active)")

	// A used token lands on login.php, which offers the sign-in form to a
	// browser without a session.
	other := o.browser(t)
	r = other.do(http.MethodGet, sso.RedirectURL, nil, nil)
	assert.Equal(t, o.url+"login.php", r.Header.Get("Location"))
	login := other.do(http.MethodGet, r.Header.Get("Location"), nil, nil)
	assert.Equal(t, http.StatusOK, login.StatusCode)
	assert.Contains(t, login.body, `<label for="password">Password</label>`)
}

// TestResetKeepsTheSigningKey: relying parties cache the key set, so a
// reset (which empties codes, tokens and sessions) keeps the key.
func TestResetKeepsTheSigningKey(t *testing.T) {
	o := newOIDCServer(t, Options{})
	b := o.browser(t)
	before := b.do(http.MethodGet, "oauth/certs.php", nil, nil).body
	tok, _ := b.exchange(b.code())
	require.NoError(t, o.Reset(context.Background()))
	assert.Equal(t, before, b.do(http.MethodGet, "oauth/certs.php", nil, nil).body)
	assert.Equal(t, http.StatusUnauthorized, b.userInfo(tok["access_token"].(string)).StatusCode, "the tokens are gone")
}
