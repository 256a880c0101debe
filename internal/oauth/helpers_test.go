package oauth

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/auth"
	"github.com/whmcsemu/whmcsemu/store"
)

// testStart is the fixed clock's start.
var testStart = time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)

// The fixture every test starts with.
const (
	appID       = "WHMCS-TEST.YXBwLWlkZW50aWZpZXI="
	appSecret   = "c2VjcmV0K3dpdGgvc2xhc2hlcz0="       // holds + / =, as WHMCS's base64 secrets do
	appRedirect = "https://app.example/callback?app=1" // a query of its own, kept
	narrowID    = "WHMCS-TEST.bmFycm93"                // given openid only
	narrowSec   = "narrow-secret"
	ssoID       = "WHMCS-TEST.c3Nv"
	janePass    = "jane-password"
	samPass     = "sam-password"
	samTOTP     = "JBSWY3DPEHPK3PXPJBSWY3DP"
	janeID      = 1
	samID       = 2
	appCredID   = 1
)

// signingKeyOnce is one key for every test database: making an RSA key
// costs far more than a test.
var signingKeyOnce = sync.OnceValues(func() (store.OAuthSigningKey, error) { return NewSigningKey(1) })

type testEnv struct {
	t   *testing.T
	db  *store.DB
	h   *Handler
	srv *httptest.Server
	url string // the System URL, ending in /
	now atomic.Int64
	// failedLogins counts what the handler reported as failed sign-ins.
	failedLogins atomic.Int64
	callers      sync.Map // path → last caller recorded
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "oauth.db"))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	te := &testEnv{t: t, db: db}
	te.now.Store(testStart.Unix())
	te.srv = httptest.NewUnstartedServer(nil)
	te.url = "http://" + te.srv.Listener.Addr().String() + "/"
	te.h = New(db, Options{
		Clock:    func() time.Time { return time.Unix(te.now.Load(), 0).UTC() },
		Random:   rand.NewChaCha8([32]byte{'o', 'i', 'd', 'c'}),
		Logger:   slog.New(slog.DiscardHandler),
		Settings: func() store.Settings { return store.Settings{CompanyName: "Test Hosting", SystemURL: te.url} },
	})
	te.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &recorder{ResponseWriter: w, te: te, path: r.URL.Path}
		te.h.ServeHTTP(rec, r)
	})
	te.srv.Start()
	t.Cleanup(te.srv.Close)

	key, err := signingKeyOnce()
	require.NoError(t, err)
	hash := func(s string) string {
		h, err := auth.HashSecret(s)
		require.NoError(t, err)
		return h
	}
	require.NoError(t, db.Update(ctx, func(tx *store.Tx) error {
		if _, err := tx.AddOAuthSigningKey(ctx, key); err != nil {
			return err
		}
		for _, u := range []store.User{
			{ID: janeID, Firstname: "Jane", Lastname: "Doe", Email: "jane@example.com", PasswordHash: hash(janePass)},
			{ID: samID, Firstname: "Sam", Lastname: "Roe", Email: "sam@example.com", PasswordHash: hash(samPass), TwoFactorEnabled: true},
			{ID: 3, Email: "nopass@example.com"},
		} {
			if _, err := tx.PutUser(ctx, u); err != nil {
				return err
			}
		}
		if err := tx.SetUserTwoFactorSecret(ctx, samID, samTOTP); err != nil {
			return err
		}
		if _, err := tx.PutClient(ctx, store.Client{ID: 1, UUID: "c1", CompanyName: "Jane's Shop", Status: "Active", OwnerUserID: janeID}); err != nil {
			return err
		}
		for _, c := range []store.OAuthCredential{
			{ID: appCredID, Identifier: appID, Secret: appSecret, Name: "Test App", GrantTypes: "authorization_code",
				Scopes: []string{"openid", "email", "profile"}, RedirectURIs: []string{appRedirect, "https://app.example/other"}},
			{ID: 2, Identifier: narrowID, Secret: narrowSec, Name: "Narrow", GrantTypes: "authorization_code",
				Scopes: []string{"openid", "clientarea:sso"}, RedirectURIs: []string{"https://narrow.example/cb"}},
			{ID: 3, Identifier: ssoID, Secret: "sso-secret", Name: "SSO", GrantTypes: "single_sign_on",
				Scopes: []string{"clientarea:sso", "openid"}, RedirectURIs: []string{"https://sso.example/cb"}},
		} {
			if _, err := tx.PutOAuthCredential(ctx, c); err != nil {
				return err
			}
		}
		return nil
	}))
	return te
}

func (te *testEnv) advance(d time.Duration) { te.now.Add(int64(d / time.Second)) }

func (te *testEnv) clock() time.Time { return time.Unix(te.now.Load(), 0).UTC() }

// recorder stands for the root server's: it counts failed logins and
// remembers callers.
type recorder struct {
	http.ResponseWriter
	te   *testEnv
	path string
}

func (r *recorder) RecordCaller(c string) { r.te.callers.Store(r.path, c) }
func (r *recorder) RecordFailedLogin()    { r.te.failedLogins.Add(1) }

// browser is a user agent with cookies that does not follow redirects.
type browser struct {
	te *testEnv
	c  *http.Client
}

func (te *testEnv) browser() *browser {
	jar, err := cookiejar.New(nil)
	require.NoError(te.t, err)
	return &browser{te: te, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// response is an answer read whole.
type response struct {
	*http.Response
	body string
}

func (b *browser) do(req *http.Request) response {
	b.te.t.Helper()
	resp, err := b.c.Do(req)
	require.NoError(b.te.t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(b.te.t, err)
	return response{resp, string(body)}
}

func (b *browser) get(path string) response {
	b.te.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.te.abs(path), nil)
	require.NoError(b.te.t, err)
	return b.do(req)
}

func (b *browser) post(path string, form url.Values) response {
	b.te.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.te.abs(path), strings.NewReader(form.Encode()))
	require.NoError(b.te.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// abs makes a path (or a URL) absolute on the test server.
func (te *testEnv) abs(path string) string {
	if strings.HasPrefix(path, "http") {
		return path
	}
	return te.url + strings.TrimPrefix(path, "/")
}

var hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)

// submit posts the page's form (its hidden fields plus fields) to action.
func (b *browser) submit(page response, action string, fields url.Values) response {
	b.te.t.Helper()
	form := url.Values{}
	for _, m := range hiddenInput.FindAllStringSubmatch(page.body, -1) {
		form.Set(m[1], m[2])
	}
	require.NotEmpty(b.te.t, form.Get("csrf"), "the page has no form: %s", page.body)
	for k, v := range fields {
		form[k] = v
	}
	return b.post(action, form)
}

// authorizeURL is an authorization request of the test app.
func authorizeURL(extra url.Values) string {
	q := url.Values{"client_id": {appID}, "redirect_uri": {appRedirect}, "response_type": {"code"},
		"scope": {"openid email profile"}, "state": {"st-1"}, "nonce": {"n-1"}}
	for k, v := range extra {
		if len(v) == 0 {
			q.Del(k)
		} else {
			q[k] = v
		}
	}
	return "oauth/authorize.php?" + q.Encode()
}

// signInAndConsent runs the pages of an authorization as jane and
// returns the redirect to the app's URI.
func (b *browser) signInAndConsent(extra url.Values) *url.URL {
	t := b.te.t
	t.Helper()
	page := b.get(authorizeURL(extra))
	require.Equal(t, http.StatusOK, page.StatusCode, page.body)
	if strings.Contains(page.body, `name="password"`) {
		page = b.submit(page, "oauth/authorize.php", url.Values{"email": {"jane@example.com"}, "password": {janePass}})
		require.Equal(t, http.StatusOK, page.StatusCode, page.body)
	}
	require.Contains(t, page.body, `value="allow"`, page.body)
	done := b.submit(page, "oauth/authorize.php", url.Values{"decision": {"allow"}})
	require.Equal(t, http.StatusSeeOther, done.StatusCode, done.body)
	loc, err := url.Parse(done.Header.Get("Location"))
	require.NoError(t, err)
	return loc
}

// code runs an authorization as jane and returns the code.
func (b *browser) code(extra url.Values) string {
	b.te.t.Helper()
	loc := b.signInAndConsent(extra)
	code := loc.Query().Get("code")
	require.NotEmpty(b.te.t, code, loc.String())
	return code
}

// tokenCall posts to the token endpoint with HTTP Basic (id, secret as
// RFC 6749 §2.3.1 encodes them) unless id is "".
func (te *testEnv) tokenCall(id, secret string, form url.Values) response {
	te.t.Helper()
	req, err := http.NewRequest(http.MethodPost, te.abs("oauth/token.php"), strings.NewReader(form.Encode()))
	require.NoError(te.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if id != "" {
		req.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret))
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(te.t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(te.t, err)
	return response{resp, string(body)}
}

// exchange trades a code for tokens as the test app.
func (te *testEnv) exchange(code string, extra url.Values) (tokenResponse, response) {
	te.t.Helper()
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {appRedirect}}
	for k, v := range extra {
		form[k] = v
	}
	resp := te.tokenCall(appID, appSecret, form)
	var tok tokenResponse
	if resp.StatusCode == http.StatusOK {
		require.NoError(te.t, json.Unmarshal([]byte(resp.body), &tok), resp.body)
	}
	return tok, resp
}

// userInfo calls userinfo.php with an Authorization header.
func (te *testEnv) userInfo(authorization string) (map[string]any, response) {
	te.t.Helper()
	req, err := http.NewRequest(http.MethodGet, te.abs("oauth/userinfo.php"), nil)
	require.NoError(te.t, err)
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(te.t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(te.t, err)
	var claims map[string]any
	_ = json.Unmarshal(body, &claims)
	return claims, response{resp, string(body)}
}

func oauthErrorOf(t *testing.T, r response) string {
	t.Helper()
	var e errorBody
	require.NoError(t, json.Unmarshal([]byte(r.body), &e), r.body)
	return e.Error
}

// s256 is a PKCE S256 challenge.
func s256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
