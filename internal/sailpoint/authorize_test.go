package sailpoint

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/auth"
	"github.com/whmcsemu/whmcsemu/store"
)

const (
	appID       = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	appSecret   = "app-secret"
	appRedirect = "https://app.example/cb?x=1"
	noRefreshID = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	adaID       = "cccccccccccccccccccccccccccccccc"
)

// newAuthEnv adds a client with the authorization code and refresh token
// grants, one without refresh tokens, and the identity Ada.
func newAuthEnv(t *testing.T) *testEnv {
	t.Helper()
	te := newTestEnv(t)
	te.putClient(t, store.SailPointClient{ID: appID, Name: "The <App>", Enabled: true, AccessTokenValiditySeconds: 60,
		RefreshTokenValiditySeconds: 600, GrantTypes: []string{"AUTHORIZATION_CODE", "REFRESH_TOKEN"},
		RedirectURIs: []string{appRedirect}, Scope: []string{"sp:scopes:all", "sp:other"}}, appSecret)
	te.putClient(t, store.SailPointClient{ID: noRefreshID, Name: "once", Enabled: true, AccessTokenValiditySeconds: 60,
		GrantTypes: []string{"AUTHORIZATION_CODE"}, RedirectURIs: []string{"https://once.example/cb"},
		Scope: []string{"sp:scopes:all"}}, "s")
	hash, err := auth.HashSecret("pw")
	require.NoError(t, err)
	require.NoError(t, te.db.Update(t.Context(), func(tx *store.Tx) error {
		return tx.PutSailPointIdentity(t.Context(), store.SailPointIdentity{ID: adaID, Name: "ada", Email: "ada@example.com",
			PasswordHash: hash, Created: 1})
	}))
	return te
}

func authorizeQuery(client, redirect, state string, extra ...string) string {
	q := url.Values{"client_id": {client}, "redirect_uri": {redirect}, "response_type": {"code"}, "state": {state}}
	for i := 0; i+1 < len(extra); i += 2 {
		q.Set(extra[i], extra[i+1])
	}
	return AuthorizePath + "?" + q.Encode()
}

// loginForm is the sign-in page as a browser has it: its cookie and its
// form's fields.
type loginForm struct {
	cookie *http.Cookie
	fields url.Values
}

var hiddenField = regexp.MustCompile(`<input type="hidden" name="([a-z_]+)" value="([^"]*)">`)

// page GETs the sign-in page and reads its form.
func (te *testEnv) page(t *testing.T, target string) (*http.Response, string, loginForm) {
	t.Helper()
	w := httptest.NewRecorder()
	te.h.ServeHTTP(w, httptest.NewRequest("GET", target, nil))
	res := w.Result()
	body := w.Body.String()
	f := loginForm{fields: url.Values{}}
	for _, c := range res.Cookies() {
		if c.Name == csrfCookie {
			f.cookie = c
		}
	}
	for _, m := range hiddenField.FindAllStringSubmatch(body, -1) {
		f.fields.Set(m[1], htmlUnescape(m[2]))
	}
	return res, body, f
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'", "&#43;", "+").Replace(s)
}

// submit POSTs the form with the cookie, signing in as login.
func (te *testEnv) submit(t *testing.T, f loginForm, login, password string, extra ...string) *http.Response {
	t.Helper()
	form := url.Values{}
	for k, v := range f.fields {
		form[k] = v
	}
	form.Set("username", login)
	form.Set("password", password)
	form.Set("action", "allow")
	for i := 0; i+1 < len(extra); i += 2 {
		form.Set(extra[i], extra[i+1])
	}
	r := httptest.NewRequest("POST", AuthorizePath, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if f.cookie != nil {
		r.AddCookie(f.cookie)
	}
	w := httptest.NewRecorder()
	te.h.ServeHTTP(w, r)
	return w.Result()
}

// signIn goes through the page as ada and returns the code.
func (te *testEnv) signIn(t *testing.T, client, redirect string, extra ...string) string {
	t.Helper()
	res, body, f := te.page(t, authorizeQuery(client, redirect, "st", extra...))
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	res = te.submit(t, f, "ada", "pw")
	require.Equal(t, http.StatusFound, res.StatusCode)
	loc, err := url.Parse(res.Header.Get("Location"))
	require.NoError(t, err)
	require.Equal(t, "st", loc.Query().Get("state"))
	code := loc.Query().Get("code")
	require.NotEmpty(t, code)
	return code
}

// grant posts a token request as client (HTTP Basic).
func (te *testEnv) grant(t *testing.T, client, secret string, form url.Values) (*http.Response, map[string]any) {
	t.Helper()
	r := httptest.NewRequest("POST", "/oauth/token", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.SetBasicAuth(client, secret)
	w := httptest.NewRecorder()
	te.h.ServeHTTP(w, r)
	return w.Result(), decode(t, w.Body.String())
}

func codeForm(code, redirect string) url.Values {
	return url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirect}}
}

func refreshForm(token string) url.Values {
	return url.Values{"grant_type": {"refresh_token"}, "refresh_token": {token}}
}

func TestAuthorizationCode(t *testing.T) {
	te := newAuthEnv(t)

	// The page: labelled fields, a CSRF token and its cookie, safe headers.
	res, body, f := te.page(t, authorizeQuery(appID, appRedirect, `<script>"st"`))
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	assert.Equal(t, "text/html; charset=utf-8", res.Header.Get("Content-Type"))
	assert.Equal(t, "no-store", res.Header.Get("Cache-Control"))
	assert.Equal(t, "DENY", res.Header.Get("X-Frame-Options"))
	assert.Contains(t, res.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'")
	assert.Contains(t, body, `<label for="username">`)
	assert.Contains(t, body, `<label for="password">`)
	assert.Contains(t, body, "The &lt;App&gt;", "the client's name, escaped")
	assert.NotContains(t, body, "<script>")
	require.NotNil(t, f.cookie)
	assert.True(t, f.cookie.HttpOnly)
	assert.Equal(t, http.SameSiteLaxMode, f.cookie.SameSite)
	assert.NotEmpty(t, f.fields.Get("csrf"))
	assert.Equal(t, `<script>"st"`, f.fields.Get("state"))
	assert.Equal(t, "sp:scopes:all sp:other", f.fields.Get("scope"))

	// Signing in (by email, any case) sends the browser back with a code
	// and the state, the redirect URI's own query kept.
	res = te.submit(t, f, "ADA@example.com", "pw")
	require.Equal(t, http.StatusFound, res.StatusCode)
	loc, err := url.Parse(res.Header.Get("Location"))
	require.NoError(t, err)
	assert.Equal(t, "https://app.example/cb", loc.Scheme+"://"+loc.Host+loc.Path)
	assert.Equal(t, "1", loc.Query().Get("x"))
	assert.Equal(t, `<script>"st"`, loc.Query().Get("state"))
	code := loc.Query().Get("code")
	require.NotEmpty(t, code)

	// The code buys a token for ada and a refresh token.
	res, tok := te.grant(t, appID, appSecret, codeForm(code, appRedirect))
	require.Equal(t, http.StatusOK, res.StatusCode, tok)
	assert.Equal(t, "no-store", res.Header.Get("Cache-Control"))
	assert.Equal(t, adaID, tok["identity_id"])
	assert.Equal(t, "ada", tok["user_name"])
	assert.Equal(t, float64(60), tok["expires_in"], "the client's accessTokenValiditySeconds")
	assert.Equal(t, "sp:scopes:all sp:other", tok["scope"])
	require.NotEmpty(t, tok["refresh_token"])
	access := tok["access_token"].(string)
	res, body = te.do(t, "GET", "/v3/oauth-clients", "", "", access)
	assert.Equal(t, http.StatusOK, res.StatusCode, body)

	// Once only: a second exchange is refused and revokes what the first gave.
	res, again := te.grant(t, appID, appSecret, codeForm(code, appRedirect))
	assert.Equal(t, http.StatusBadRequest, res.StatusCode)
	assert.Equal(t, "invalid_grant", again["error"])
	res, _ = te.do(t, "GET", "/v3/oauth-clients", "", "", access)
	assert.Equal(t, http.StatusUnauthorized, res.StatusCode, "the access token is revoked")
	res, refreshed := te.grant(t, appID, appSecret, refreshForm(tok["refresh_token"].(string)))
	assert.Equal(t, http.StatusBadRequest, res.StatusCode)
	assert.Equal(t, "invalid_grant", refreshed["error"], "and so is the refresh token")

	// A narrower scope can be asked on the page.
	code = te.signIn(t, appID, appRedirect, "scope", "sp:other")
	res, tok = te.grant(t, appID, appSecret, codeForm(code, appRedirect))
	require.Equal(t, http.StatusOK, res.StatusCode, tok)
	assert.Equal(t, "sp:other", tok["scope"])

	// A client without REFRESH_TOKEN gets no refresh token.
	code = te.signIn(t, noRefreshID, "https://once.example/cb")
	res, tok = te.grant(t, noRefreshID, "s", codeForm(code, "https://once.example/cb"))
	require.Equal(t, http.StatusOK, res.StatusCode, tok)
	assert.NotContains(t, tok, "refresh_token")
}

func TestAuthorizationCodeRefused(t *testing.T) {
	te := newAuthEnv(t)
	tests := []struct {
		name   string
		client string
		form   func(code string) url.Values
		status int
		error  string
	}{
		{"wrong redirect", appID, func(c string) url.Values { return codeForm(c, "https://app.example/cb") }, 400, "invalid_grant"},
		{"no redirect", appID, func(c string) url.Values { return codeForm(c, "") }, 400, "invalid_grant"},
		{"no code", appID, func(string) url.Values { return codeForm("", appRedirect) }, 400, "invalid_request"},
		{"unknown code", appID, func(string) url.Values { return codeForm("nope", appRedirect) }, 400, "invalid_grant"},
		{"another client", noRefreshID, func(c string) url.Values { return codeForm(c, appRedirect) }, 400, "invalid_grant"},
		{"client without the grant", adminID, func(c string) url.Values { return codeForm(c, appRedirect) }, 400, "unauthorized_client"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code := te.signIn(t, appID, appRedirect)
			secret := map[string]string{appID: appSecret, noRefreshID: "s", adminID: adminSecret}[tt.client]
			res, body := te.grant(t, tt.client, secret, tt.form(code))
			assert.Equal(t, tt.status, res.StatusCode, body)
			assert.Equal(t, tt.error, body["error"])
			assert.NotEmpty(t, body["error_description"])
		})
	}
	// Wrong client secret: 401.
	res, body := te.grant(t, appID, "nope", codeForm(te.signIn(t, appID, appRedirect), appRedirect))
	assert.Equal(t, http.StatusUnauthorized, res.StatusCode)
	assert.Equal(t, "invalid_client", body["error"])

	// Short lived, on the emulator's clock.
	code := te.signIn(t, appID, appRedirect)
	te.advance(CodeLifetime)
	res, body = te.grant(t, appID, appSecret, codeForm(code, appRedirect))
	assert.Equal(t, http.StatusBadRequest, res.StatusCode)
	assert.Equal(t, "invalid_grant", body["error"])
	code = te.signIn(t, appID, appRedirect)
	te.advance(CodeLifetime - time.Millisecond)
	res, body = te.grant(t, appID, appSecret, codeForm(code, appRedirect))
	assert.Equal(t, http.StatusOK, res.StatusCode, body)
}

func TestRefreshToken(t *testing.T) {
	te := newAuthEnv(t)
	_, tok := te.grant(t, appID, appSecret, codeForm(te.signIn(t, appID, appRedirect), appRedirect))
	first := tok["refresh_token"].(string)

	// A refresh gives a new token and a new refresh token; the old one is spent.
	te.advance(59 * time.Second)
	res, next := te.grant(t, appID, appSecret, refreshForm(first))
	require.Equal(t, http.StatusOK, res.StatusCode, next)
	assert.Equal(t, adaID, next["identity_id"])
	assert.Equal(t, float64(60), next["expires_in"])
	second := next["refresh_token"].(string)
	assert.NotEqual(t, first, second)
	res, spent := te.grant(t, appID, appSecret, refreshForm(first))
	assert.Equal(t, http.StatusBadRequest, res.StatusCode)
	assert.Equal(t, "invalid_grant", spent["error"])

	// The access token lives accessTokenValiditySeconds.
	access := next["access_token"].(string)
	res, _ = te.do(t, "GET", "/v3/oauth-clients", "", "", access)
	assert.Equal(t, http.StatusOK, res.StatusCode)
	te.advance(60 * time.Second)
	res, _ = te.do(t, "GET", "/v3/oauth-clients", "", "", access)
	assert.Equal(t, http.StatusUnauthorized, res.StatusCode)

	// A narrower scope; a scope not held.
	f := refreshForm(second)
	f.Set("scope", "sp:nothing")
	res, body := te.grant(t, appID, appSecret, f)
	assert.Equal(t, http.StatusBadRequest, res.StatusCode)
	assert.Equal(t, "invalid_scope", body["error"])
	f.Set("scope", "sp:other")
	res, body = te.grant(t, appID, appSecret, f)
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	assert.Equal(t, "sp:other", body["scope"])
	third := body["refresh_token"].(string)

	// Another client's refresh token; no refresh token; a client without
	// the REFRESH_TOKEN grant.
	res, body = te.grant(t, noRefreshID, "s", refreshForm(third))
	assert.Equal(t, http.StatusBadRequest, res.StatusCode)
	assert.Equal(t, "unauthorized_client", body["error"])
	te.putClient(t, store.SailPointClient{ID: patchID, Name: "r", Enabled: true, AccessTokenValiditySeconds: 60,
		GrantTypes: []string{"REFRESH_TOKEN"}, Scope: []string{"sp:scopes:all"}}, "s")
	res, body = te.grant(t, patchID, "s", refreshForm(third))
	assert.Equal(t, http.StatusBadRequest, res.StatusCode)
	assert.Equal(t, "invalid_grant", body["error"])
	res, body = te.grant(t, appID, appSecret, refreshForm(""))
	assert.Equal(t, http.StatusBadRequest, res.StatusCode)
	assert.Equal(t, "invalid_request", body["error"])

	// It lives refreshTokenValiditySeconds (600) from when it was issued.
	te.advance(600 * time.Second)
	res, body = te.grant(t, appID, appSecret, refreshForm(third))
	assert.Equal(t, http.StatusBadRequest, res.StatusCode)
	assert.Equal(t, "invalid_grant", body["error"])

	// Client credentials never come with a refresh token.
	te.putClient(t, store.SailPointClient{ID: "dddddddddddddddddddddddddddddddd", Name: "cc", Enabled: true,
		AccessTokenValiditySeconds: 60, GrantTypes: []string{"CLIENT_CREDENTIALS", "REFRESH_TOKEN"}, Scope: []string{"sp:scopes:all"}}, "s")
	res, body = te.grant(t, "dddddddddddddddddddddddddddddddd", "s", url.Values{"grant_type": {"client_credentials"}})
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	assert.NotContains(t, body, "refresh_token")
}

func TestAuthorizeRefused(t *testing.T) {
	te := newAuthEnv(t)
	te.putClient(t, store.SailPointClient{ID: patchID, Name: "off", AccessTokenValiditySeconds: 60,
		GrantTypes: []string{"AUTHORIZATION_CODE"}, RedirectURIs: []string{appRedirect}, Scope: []string{"sp:scopes:all"}}, "s")
	te.putClient(t, store.SailPointClient{ID: "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", Name: "cc", Enabled: true,
		AccessTokenValiditySeconds: 60, GrantTypes: []string{"CLIENT_CREDENTIALS"}, RedirectURIs: []string{appRedirect},
		Scope: []string{"sp:scopes:all"}}, "s")

	// On a page of their own, never redirected: the redirect URI is not
	// to be trusted.
	for name, target := range map[string]string{
		"no client":           AuthorizePath + "?redirect_uri=" + url.QueryEscape(appRedirect) + "&response_type=code",
		"unknown client":      authorizeQuery("ffffffffffffffffffffffffffffffff", appRedirect, "s"),
		"disabled client":     authorizeQuery(patchID, appRedirect, "s"),
		"no redirect":         authorizeQuery(appID, "", "s"),
		"unregistered":        authorizeQuery(appID, "https://evil.example/cb", "s"),
		"not exactly":         authorizeQuery(appID, appRedirect+"&y=2", "s"),
		"client_id twice":     authorizeQuery(appID, appRedirect, "s") + "&client_id=" + appID,
		"another's redirect":  authorizeQuery(noRefreshID, appRedirect, "s"),
		"redirect_uri twice":  authorizeQuery(appID, appRedirect, "s") + "&redirect_uri=x",
		"the registered base": authorizeQuery(appID, "https://app.example/cb", "s"),
	} {
		res, body, _ := te.page(t, target)
		assert.Equal(t, http.StatusBadRequest, res.StatusCode, name)
		assert.Empty(t, res.Header.Get("Location"), name)
		assert.Contains(t, body, "Authorization refused", name)
	}

	// Back at the redirect URI with the error and the state.
	for _, tt := range []struct{ name, target, error string }{
		{"token", authorizeQuery(appID, appRedirect, "s", "response_type", "token"), "unsupported_response_type"},
		{"no response type", authorizeQuery(appID, appRedirect, "s", "response_type", ""), "invalid_request"},
		{"grant", authorizeQuery("eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", appRedirect, "s"), "unauthorized_client"},
		{"scope", authorizeQuery(appID, appRedirect, "s", "scope", "sp:root"), "invalid_scope"},
	} {
		res, _, _ := te.page(t, tt.target)
		require.Equal(t, http.StatusFound, res.StatusCode, tt.name)
		loc, err := url.Parse(res.Header.Get("Location"))
		require.NoError(t, err)
		assert.Equal(t, tt.error, loc.Query().Get("error"), tt.name)
		assert.Equal(t, "s", loc.Query().Get("state"), tt.name)
		assert.NotEmpty(t, loc.Query().Get("error_description"), tt.name)
	}

	r := httptest.NewRequest("PUT", AuthorizePath, nil)
	w := httptest.NewRecorder()
	te.h.ServeHTTP(w, r)
	assert.Equal(t, http.StatusMethodNotAllowed, w.Code)
	assert.Equal(t, "GET, POST", w.Header().Get("Allow"))
}

func TestSignInRefused(t *testing.T) {
	te := newAuthEnv(t)
	_, _, f := te.page(t, authorizeQuery(appID, appRedirect, "s"))

	// CSRF: no cookie, another cookie, a wrong token.
	noCookie := f
	noCookie.cookie = nil
	assert.Equal(t, http.StatusForbidden, te.submit(t, noCookie, "ada", "pw").StatusCode)
	other := f
	other.cookie = &http.Cookie{Name: csrfCookie, Value: strings.Repeat("0", 32)}
	assert.Equal(t, http.StatusForbidden, te.submit(t, other, "ada", "pw").StatusCode)
	assert.Equal(t, http.StatusForbidden, te.submit(t, f, "ada", "pw", "csrf", "forged").StatusCode)

	// Wrong password or name: 401, the form again with the name kept.
	for _, login := range []string{"ada", "bob"} {
		res := te.submit(t, f, login, "wrong")
		assert.Equal(t, http.StatusUnauthorized, res.StatusCode)
		body := readAll(t, res)
		assert.Contains(t, body, "Wrong name or password.")
		assert.Contains(t, body, `value="`+login+`"`)
		assert.Contains(t, body, `name="csrf"`)
	}
	assert.Equal(t, http.StatusBadRequest, te.submit(t, f, "", "").StatusCode)

	// The hidden fields are checked again: tampering is refused.
	tampered := loginForm{cookie: f.cookie, fields: url.Values{}}
	for k, v := range f.fields {
		tampered.fields[k] = v
	}
	tampered.fields.Set("redirect_uri", "https://evil.example/cb")
	res := te.submit(t, tampered, "ada", "pw")
	assert.Equal(t, http.StatusBadRequest, res.StatusCode)
	assert.Empty(t, res.Header.Get("Location"))

	// Deny: back with access_denied.
	res = te.submit(t, f, "", "", "action", "deny")
	require.Equal(t, http.StatusFound, res.StatusCode)
	loc, err := url.Parse(res.Header.Get("Location"))
	require.NoError(t, err)
	assert.Equal(t, "access_denied", loc.Query().Get("error"))
	assert.Empty(t, loc.Query().Get("code"))
}

func readAll(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return string(b)
}
