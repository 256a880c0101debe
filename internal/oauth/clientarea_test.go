package oauth

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestClientAreaSignIn(t *testing.T) {
	te := newTestEnv(t)
	b := te.browser()

	r := b.get("clientarea.php")
	require.Equal(t, http.StatusFound, r.StatusCode)
	assert.Equal(t, te.url+"login.php", r.Header.Get("Location"), "not signed in: to the login page")

	form := b.get("login.php")
	require.Equal(t, http.StatusOK, form.StatusCode)
	assert.Contains(t, form.body, `<label for="email">Email Address</label>`)
	assert.Contains(t, form.body, `action="login.php"`)

	r = b.submit(form, "login.php", url.Values{"email": {"jane@example.com"}, "password": {"wrong"}})
	assert.Equal(t, http.StatusOK, r.StatusCode)
	assert.Contains(t, r.body, "Login Details Incorrect")
	assert.EqualValues(t, 1, te.failedLogins.Load())

	r = b.submit(form, "login.php", url.Values{"email": {"jane@example.com"}, "password": {janePass}})
	require.Equal(t, http.StatusSeeOther, r.StatusCode, r.body)
	assert.Equal(t, te.url+"clientarea.php", r.Header.Get("Location"))

	area := b.get("clientarea.php?action=details")
	require.Equal(t, http.StatusOK, area.StatusCode, area.body)
	assert.Contains(t, area.body, "Signed in as <strong>Jane Doe</strong> (jane@example.com), user 1")
	assert.Contains(t, area.body, "Jane&#39;s Shop (client 1, owner)")
	assert.Contains(t, area.body, "action=details")
	r = b.get("login.php")
	assert.Equal(t, http.StatusFound, r.StatusCode, "signed in: login.php goes to the client area")

	r = b.submit(area, "login.php", url.Values{"logout": {"1"}})
	require.Equal(t, http.StatusOK, r.StatusCode)
	assert.Contains(t, r.body, "logged out")
	r = b.get("clientarea.php")
	assert.Equal(t, http.StatusFound, r.StatusCode, "signed out")

	// Without the form token, nothing happens.
	r = b.post("login.php", url.Values{"email": {"jane@example.com"}, "password": {janePass}})
	assert.Equal(t, http.StatusForbidden, r.StatusCode)
}

func TestClientAreaTwoFactor(t *testing.T) {
	te := newTestEnv(t)
	b := te.browser()
	form := b.get("login.php")
	second := b.submit(form, "login.php", url.Values{"email": {"sam@example.com"}, "password": {samPass}})
	require.Equal(t, http.StatusOK, second.StatusCode)
	assert.Contains(t, second.body, `name="code"`)
	r := b.submit(second, "login.php", url.Values{"code": {"123456"}})
	assert.Contains(t, r.body, "Incorrect code")
	code, err := TOTPCode(samTOTP, te.clock())
	require.NoError(t, err)
	r = b.submit(second, "login.php", url.Values{"code": {code}})
	require.Equal(t, http.StatusSeeOther, r.StatusCode, r.body)
	area := b.get("clientarea.php")
	assert.Contains(t, area.body, "Sam Roe")

	// An authorization's flow is no login.php flow, nor the reverse.
	r = b.submit(second, "oauth/authorize.php", url.Values{"code": {code}})
	assert.Equal(t, http.StatusBadRequest, r.StatusCode)
}

// TestSignInForSingleSignOn: SignIn (what redeeming an SSO token calls)
// makes the same session, for the token's client.
func TestSignInForSingleSignOn(t *testing.T) {
	te := newTestEnv(t)
	req := httptest.NewRequest(http.MethodGet, te.url+"oauth/singlesignon.php?access_token=x", nil)
	rec := httptest.NewRecorder()
	require.NoError(t, te.h.SignIn(rec, req, janeID, 1))
	b := te.browser()
	u, _ := url.Parse(te.url)
	b.c.Jar.SetCookies(u, rec.Result().Cookies())

	area := b.get("clientarea.php")
	require.Equal(t, http.StatusOK, area.StatusCode, area.body)
	assert.Contains(t, area.body, "Jane Doe")
	assert.Contains(t, area.body, `Client: <strong>Jane&#39;s Shop</strong> (client 1, Active)`)

	// And the authorization pages see it.
	page := b.get(authorizeURL(nil))
	assert.Contains(t, page.body, `value="allow"`)
}
