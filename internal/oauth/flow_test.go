package oauth

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/store"
)

func TestDiscoveryAndKeys(t *testing.T) {
	te := newTestEnv(t)
	b := te.browser()
	for _, path := range []string{"oauth/openid-configuration.php", ".well-known/openid-configuration"} {
		r := b.get(path)
		require.Equal(t, http.StatusOK, r.StatusCode, r.body)
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		var d discoveryDocument
		require.NoError(t, json.Unmarshal([]byte(r.body), &d))
		assert.Equal(t, strings.TrimSuffix(te.url, "/"), d.Issuer, "the issuer is the System URL")
		assert.Equal(t, te.url+"oauth/authorize.php", d.AuthorizationEndpoint)
		assert.Equal(t, te.url+"oauth/token.php", d.TokenEndpoint)
		assert.Equal(t, te.url+"oauth/userinfo.php", d.UserInfoEndpoint)
		assert.Equal(t, te.url+"oauth/certs.php", d.JWKSURI)
		assert.Equal(t, []string{"openid", "email", "profile"}, d.ScopesSupported)
		assert.Equal(t, []string{"RS256"}, d.IDTokenSigningAlgValuesSupported)
		assert.Contains(t, d.CodeChallengeMethodsSupported, "S256")
	}
	r := b.get("oauth/certs.php")
	require.Equal(t, http.StatusOK, r.StatusCode, r.body)
	var set jose.JSONWebKeySet
	require.NoError(t, json.Unmarshal([]byte(r.body), &set))
	require.Len(t, set.Keys, 1)
	key, _ := signingKeyOnce()
	assert.Equal(t, key.KID, set.Keys[0].KeyID)
	assert.True(t, set.Keys[0].IsPublic(), "only the public half is served")
	assert.Equal(t, "RS256", set.Keys[0].Algorithm)
	assert.NotContains(t, r.body, `"d"`)

	r = b.post("oauth/certs.php", nil)
	assert.Equal(t, http.StatusMethodNotAllowed, r.StatusCode)
	assert.Equal(t, "GET, HEAD", r.Header.Get("Allow"))
}

// verifyIDToken checks an id token's signature against the JWKS the
// handler serves and returns its claims.
func verifyIDToken(t *testing.T, te *testEnv, raw string) map[string]any {
	t.Helper()
	tok, err := jwt.ParseSigned(raw, []jose.SignatureAlgorithm{jose.RS256})
	require.NoError(t, err)
	r := te.browser().get("oauth/certs.php")
	var set jose.JSONWebKeySet
	require.NoError(t, json.Unmarshal([]byte(r.body), &set))
	require.Equal(t, set.Keys[0].KeyID, tok.Headers[0].KeyID, "the header names the key")
	var std jwt.Claims
	claims := map[string]any{}
	require.NoError(t, tok.Claims(set.Keys[0].Key, &std, &claims))
	require.NoError(t, std.ValidateWithLeeway(jwt.Expected{
		Issuer: strings.TrimSuffix(te.url, "/"), AnyAudience: jwt.Audience{appID}, Time: te.clock(),
	}, 0))
	return claims
}

func TestAuthorizationCodeFlow(t *testing.T) {
	te := newTestEnv(t)
	b := te.browser()

	page := b.get(authorizeURL(nil))
	require.Equal(t, http.StatusOK, page.StatusCode, page.body)
	assert.Contains(t, page.body, `<label for="email">Email Address</label>`)
	assert.Contains(t, page.body, `<label for="password">Password</label>`)
	assert.Contains(t, page.body, "Test App", "names the application")
	assert.Contains(t, page.body, "Test Hosting", "and the company")
	assert.NotContains(t, page.body, "<script")
	assert.Equal(t, "no-store", page.Header.Get("Cache-Control"))
	assert.Equal(t, "DENY", page.Header.Get("X-Frame-Options"))
	assert.Contains(t, page.Header.Get("Content-Security-Policy"), "default-src 'none'")
	assert.Equal(t, "no-referrer", page.Header.Get("Referrer-Policy"))
	caller, _ := te.callers.Load("/oauth/authorize.php")
	assert.Equal(t, appID, caller)

	consent := b.submit(page, "oauth/authorize.php", url.Values{"email": {"jane@example.com"}, "password": {janePass}})
	require.Equal(t, http.StatusOK, consent.StatusCode, consent.body)
	assert.Contains(t, consent.body, "Jane Doe")
	for _, s := range []string{"openid", "email", "profile"} {
		assert.Contains(t, consent.body, `data-scope="`+s+`"`)
	}
	assert.Contains(t, consent.body, "app.example", "says where the browser goes")
	var session *http.Cookie
	for _, c := range consent.Cookies() {
		if c.Name == sessionCookie {
			session = c
		}
	}
	require.NotNil(t, session, "signing in sets the session cookie")
	assert.True(t, session.HttpOnly)
	assert.Equal(t, http.SameSiteLaxMode, session.SameSite)
	assert.Equal(t, "/", session.Path)
	assert.Zero(t, session.MaxAge, "a browser-session cookie")

	done := b.submit(consent, "oauth/authorize.php", url.Values{"decision": {"allow"}})
	require.Equal(t, http.StatusSeeOther, done.StatusCode, done.body)
	loc, err := url.Parse(done.Header.Get("Location"))
	require.NoError(t, err)
	assert.Equal(t, "https://app.example/callback", loc.Scheme+"://"+loc.Host+loc.Path)
	assert.Equal(t, "1", loc.Query().Get("app"), "the registered URI's own query is kept")
	assert.Equal(t, "st-1", loc.Query().Get("state"))
	code := loc.Query().Get("code")
	require.Len(t, code, 43)

	tok, resp := te.exchange(code, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode, resp.body)
	assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
	assert.Equal(t, "Bearer", tok.TokenType)
	assert.EqualValues(t, 3600, tok.ExpiresIn)
	assert.Equal(t, "openid email profile", tok.Scope)
	assert.NotEmpty(t, tok.RefreshToken)
	caller, _ = te.callers.Load("/oauth/token.php")
	assert.Equal(t, appID, caller)

	claims := verifyIDToken(t, te, tok.IDToken)
	assert.Equal(t, "1", claims["sub"])
	assert.Equal(t, "n-1", claims["nonce"])
	assert.Equal(t, leftHalfHash(tok.AccessToken), claims["at_hash"])
	assert.EqualValues(t, te.clock().Unix(), claims["auth_time"])
	assert.Equal(t, "jane@example.com", claims["email"])
	assert.Equal(t, "Jane", claims["given_name"])

	info, r := te.userInfo("Bearer " + tok.AccessToken)
	require.Equal(t, http.StatusOK, r.StatusCode, r.body)
	assert.Equal(t, map[string]any{"sub": "1", "email": "jane@example.com", "email_verified": true,
		"name": "Jane Doe", "given_name": "Jane", "family_name": "Doe"}, info)
	info, r = te.userInfo("bEaReR " + tok.AccessToken)
	require.Equal(t, http.StatusOK, r.StatusCode, "the scheme in any case: %s", r.body)
	assert.Equal(t, "1", info["sub"])

	// Refresh: a new pair; the old refresh token is used up.
	te.advance(10 * time.Minute)
	refreshed := te.tokenCall(appID, appSecret, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}})
	require.Equal(t, http.StatusOK, refreshed.StatusCode, refreshed.body)
	var tok2 tokenResponse
	require.NoError(t, json.Unmarshal([]byte(refreshed.body), &tok2))
	assert.NotEqual(t, tok.AccessToken, tok2.AccessToken)
	assert.NotEqual(t, tok.RefreshToken, tok2.RefreshToken, "refresh tokens rotate")
	claims = verifyIDToken(t, te, tok2.IDToken)
	assert.Equal(t, "n-1", claims["nonce"], "a refreshed id token keeps the nonce")
	assert.EqualValues(t, testStart.Unix(), claims["auth_time"], "and the time of the sign-in")
	_, r = te.userInfo("Bearer " + tok2.AccessToken)
	assert.Equal(t, http.StatusOK, r.StatusCode)

	// Narrowing the scope on refresh.
	narrowed := te.tokenCall(appID, appSecret, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok2.RefreshToken},
		"scope": {"openid"}})
	require.Equal(t, http.StatusOK, narrowed.StatusCode, narrowed.body)
	var tok3 tokenResponse
	require.NoError(t, json.Unmarshal([]byte(narrowed.body), &tok3))
	assert.Equal(t, "openid", tok3.Scope)
	info, _ = te.userInfo("Bearer " + tok3.AccessToken)
	assert.Equal(t, map[string]any{"sub": "1"}, info, "claims follow the scope")
	wide := te.tokenCall(appID, appSecret, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok3.RefreshToken}})
	require.Equal(t, http.StatusOK, wide.StatusCode, wide.body)
	var tok4 tokenResponse
	require.NoError(t, json.Unmarshal([]byte(wide.body), &tok4))
	assert.Equal(t, "openid email profile", tok4.Scope, "the refresh token kept its scope (RFC 6749 §6)")
	r = te.tokenCall(appID, appSecret, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok4.RefreshToken},
		"scope": {"openid phone"}})
	assert.Equal(t, "invalid_scope", oauthErrorOf(t, r))

	// The first refresh token again: refused, and everything issued for
	// the authorization is revoked.
	again := te.tokenCall(appID, appSecret, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}})
	assert.Equal(t, http.StatusBadRequest, again.StatusCode)
	assert.Equal(t, "invalid_grant", oauthErrorOf(t, again))
	_, r = te.userInfo("Bearer " + tok4.AccessToken)
	assert.Equal(t, http.StatusUnauthorized, r.StatusCode, "revoked")
	r = te.tokenCall(appID, appSecret, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok4.RefreshToken}})
	assert.Equal(t, "invalid_grant", oauthErrorOf(t, r))
}

// TestSignedInBrowserGoesStraightToConsent: a second authorization on a
// signed-in browser asks only for consent, unless prompt=login.
func TestSignedInBrowserGoesStraightToConsent(t *testing.T) {
	te := newTestEnv(t)
	b := te.browser()
	b.code(nil)
	page := b.get(authorizeURL(nil))
	require.Equal(t, http.StatusOK, page.StatusCode)
	assert.Contains(t, page.body, `value="allow"`)
	assert.NotContains(t, page.body, `name="password"`)

	page = b.get(authorizeURL(url.Values{"prompt": {"login"}}))
	assert.Contains(t, page.body, `name="password"`, "prompt=login asks again")

	r := b.get(authorizeURL(url.Values{"prompt": {"none"}}))
	require.Equal(t, http.StatusFound, r.StatusCode)
	loc, _ := url.Parse(r.Header.Get("Location"))
	assert.Equal(t, "consent_required", loc.Query().Get("error"))
	r = te.browser().get(authorizeURL(url.Values{"prompt": {"none"}}))
	loc, _ = url.Parse(r.Header.Get("Location"))
	assert.Equal(t, "login_required", loc.Query().Get("error"))
	assert.Equal(t, "st-1", loc.Query().Get("state"))
}

func TestDenyIsAccessDenied(t *testing.T) {
	te := newTestEnv(t)
	b := te.browser()
	page := b.get(authorizeURL(nil))
	consent := b.submit(page, "oauth/authorize.php", url.Values{"email": {"jane@example.com"}, "password": {janePass}})
	r := b.submit(consent, "oauth/authorize.php", url.Values{"decision": {"deny"}})
	require.Equal(t, http.StatusSeeOther, r.StatusCode, r.body)
	loc, _ := url.Parse(r.Header.Get("Location"))
	assert.Equal(t, "access_denied", loc.Query().Get("error"))
	assert.NotEmpty(t, loc.Query().Get("error_description"))
	assert.Equal(t, "st-1", loc.Query().Get("state"))
	assert.Empty(t, loc.Query().Get("code"))
	// The flow is finished: its form cannot be sent again.
	r = b.submit(consent, "oauth/authorize.php", url.Values{"decision": {"allow"}})
	assert.Equal(t, http.StatusBadRequest, r.StatusCode)
	assert.Contains(t, r.body, "expired")
}

func TestPKCE(t *testing.T) {
	te := newTestEnv(t)
	b := te.browser()
	verifier := strings.Repeat("v", 50)
	for _, c := range []struct {
		name, method, challenge string
		send                    url.Values
		ok                      bool
	}{
		{"S256", "S256", s256(verifier), url.Values{"code_verifier": {verifier}}, true},
		{"plain", "plain", verifier, url.Values{"code_verifier": {verifier}}, true},
		{"no method is plain", "", verifier, url.Values{"code_verifier": {verifier}}, true},
		{"wrong verifier", "S256", s256(verifier), url.Values{"code_verifier": {strings.Repeat("w", 50)}}, false},
		{"missing verifier", "S256", s256(verifier), nil, false},
		{"verifier without challenge", "", "", url.Values{"code_verifier": {verifier}}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			extra := url.Values{"code_challenge": {c.challenge}, "code_challenge_method": {c.method}}
			code := b.code(extra)
			_, r := te.exchange(code, c.send)
			if c.ok {
				assert.Equal(t, http.StatusOK, r.StatusCode, r.body)
			} else {
				assert.Equal(t, http.StatusBadRequest, r.StatusCode, r.body)
				assert.Equal(t, "invalid_grant", oauthErrorOf(t, r))
			}
		})
	}
}

func TestAuthorizeRequestErrors(t *testing.T) {
	te := newTestEnv(t)
	b := te.browser()
	// Shown on a page: the client or its redirect URI cannot be trusted.
	for _, c := range []struct {
		name  string
		extra url.Values
		says  string
	}{
		{"unknown client", url.Values{"client_id": {"NOPE.x"}}, "Unknown client"},
		{"no client", url.Values{"client_id": nil}, "client_id is missing"},
		{"unregistered redirect", url.Values{"redirect_uri": {"https://evil.example/cb"}}, "not one registered"},
		{"redirect differing by a slash", url.Values{"redirect_uri": {"https://app.example/callback/?app=1"}}, "not one registered"},
		{"no redirect", url.Values{"redirect_uri": nil}, "no redirect_uri"},
		{"two client ids", url.Values{"client_id": {appID, appID}}, "more than once"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := b.get(authorizeURL(c.extra))
			assert.Equal(t, http.StatusBadRequest, r.StatusCode)
			assert.Empty(t, r.Header.Get("Location"))
			assert.Equal(t, "text/html; charset=utf-8", r.Header.Get("Content-Type"))
			assert.Contains(t, r.body, c.says)
		})
	}
	// Sent back to the application (RFC 6749 §4.1.2.1).
	for _, c := range []struct {
		name  string
		extra url.Values
		error string
	}{
		{"no response_type", url.Values{"response_type": nil}, "invalid_request"},
		{"token response_type", url.Values{"response_type": {"token"}}, "unsupported_response_type"},
		{"unknown scope", url.Values{"scope": {"openid clientarea:sso"}}, "invalid_scope"},
		{"made-up scope", url.Values{"scope": {"openid phone"}}, "invalid_scope"},
		{"no scope", url.Values{"scope": nil}, "invalid_scope"},
		{"bad PKCE method", url.Values{"code_challenge": {s256("x")}, "code_challenge_method": {"S512"}}, "invalid_request"},
		{"short challenge", url.Values{"code_challenge": {"abc"}, "code_challenge_method": {"S256"}}, "invalid_request"},
		{"method without challenge", url.Values{"code_challenge_method": {"S256"}}, "invalid_request"},
		{"bad prompt", url.Values{"prompt": {"none login"}}, "invalid_request"},
		{"request object", url.Values{"request": {"eyJ..."}}, "request_not_supported"},
		{"fragment mode", url.Values{"response_mode": {"fragment"}}, "invalid_request"},
		{"two scopes", url.Values{"scope": {"openid", "email"}}, "invalid_request"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := b.get(authorizeURL(c.extra))
			require.Equal(t, http.StatusFound, r.StatusCode, r.body)
			loc, err := url.Parse(r.Header.Get("Location"))
			require.NoError(t, err)
			assert.Equal(t, "app.example", loc.Host)
			assert.Equal(t, "1", loc.Query().Get("app"))
			assert.Equal(t, c.error, loc.Query().Get("error"))
			assert.NotEmpty(t, loc.Query().Get("error_description"))
			assert.Equal(t, "st-1", loc.Query().Get("state"))
		})
	}
	// A scope the credential was not given.
	r := b.get("oauth/authorize.php?" + url.Values{"client_id": {narrowID}, "redirect_uri": {"https://narrow.example/cb"},
		"response_type": {"code"}, "scope": {"openid email"}}.Encode())
	loc, _ := url.Parse(r.Header.Get("Location"))
	assert.Equal(t, "invalid_scope", loc.Query().Get("error"))
	assert.Contains(t, loc.Query().Get("error_description"), "not given the scope email")
	// A single sign-on credential signs nobody in.
	r = b.get("oauth/authorize.php?" + url.Values{"client_id": {ssoID}, "redirect_uri": {"https://sso.example/cb"},
		"response_type": {"code"}, "scope": {"openid"}}.Encode())
	loc, _ = url.Parse(r.Header.Get("Location"))
	assert.Equal(t, "unauthorized_client", loc.Query().Get("error"))
}

func TestWrongPasswordCountsAsFailedLogin(t *testing.T) {
	te := newTestEnv(t)
	b := te.browser()
	page := b.get(authorizeURL(nil))
	for _, creds := range [][2]string{{"jane@example.com", "nope"}, {"nobody@example.com", janePass}, {"nopass@example.com", ""}} {
		r := b.submit(page, "oauth/authorize.php", url.Values{"email": {creds[0]}, "password": {creds[1]}})
		require.Equal(t, http.StatusOK, r.StatusCode)
		assert.Contains(t, r.body, "Login Details Incorrect. Please try again.")
		assert.Contains(t, r.body, `value="`+creds[0]+`"`, "the email stays filled in")
		assert.NotContains(t, r.body, `value="allow"`)
	}
	assert.EqualValues(t, 3, te.failedLogins.Load())
	r := b.submit(page, "oauth/authorize.php", url.Values{"email": {"JANE@example.com"}, "password": {janePass}})
	assert.Contains(t, r.body, `value="allow"`, "emails compare without case")
}

func TestCSRF(t *testing.T) {
	te := newTestEnv(t)
	b := te.browser()
	page := b.get(authorizeURL(nil))
	login := url.Values{"email": {"jane@example.com"}, "password": {janePass}}

	// Without the token.
	form := url.Values{}
	for _, m := range hiddenInput.FindAllStringSubmatch(page.body, -1) {
		form.Set(m[1], m[2])
	}
	flow := form.Get("flow")
	r := b.post("oauth/authorize.php", url.Values{"flow": {flow}, "email": login["email"], "password": login["password"]})
	assert.Equal(t, http.StatusForbidden, r.StatusCode)
	assert.Contains(t, r.body, "Form check failed")

	// From another browser (an attacker who started the flow himself and
	// makes the victim's browser post it: a login CSRF).
	other := te.browser()
	r = other.submit(page, "oauth/authorize.php", login)
	assert.Equal(t, http.StatusForbidden, r.StatusCode)

	// The right browser still can.
	r = b.submit(page, "oauth/authorize.php", login)
	assert.Contains(t, r.body, `value="allow"`)
}

func TestTwoFactorSignIn(t *testing.T) {
	te := newTestEnv(t)
	b := te.browser()
	page := b.get(authorizeURL(nil))
	second := b.submit(page, "oauth/authorize.php", url.Values{"email": {"sam@example.com"}, "password": {samPass}})
	require.Equal(t, http.StatusOK, second.StatusCode)
	assert.Contains(t, second.body, `<label for="code">Authentication Code</label>`)
	assert.NotContains(t, second.body, `value="allow"`)
	for _, c := range second.Cookies() {
		assert.NotEqual(t, sessionCookie, c.Name, "no session before the second factor")
	}

	r := b.submit(second, "oauth/authorize.php", url.Values{"code": {"000000"}})
	assert.Contains(t, r.body, "Incorrect code")
	assert.EqualValues(t, 1, te.failedLogins.Load())

	code, err := TOTPCode(samTOTP, te.clock())
	require.NoError(t, err)
	consent := b.submit(second, "oauth/authorize.php", url.Values{"code": {code}})
	require.Contains(t, consent.body, `value="allow"`, consent.body)
	assert.Contains(t, consent.body, "Sam Roe")

	// The same code in another browser's sign-in: used already.
	other := te.browser()
	page = other.get(authorizeURL(nil))
	second = other.submit(page, "oauth/authorize.php", url.Values{"email": {"sam@example.com"}, "password": {samPass}})
	r = other.submit(second, "oauth/authorize.php", url.Values{"code": {code}})
	assert.Contains(t, r.body, "Incorrect code", "a code is good once")
	// The next step's code works, and so does one a step away (drift).
	te.advance(30 * time.Second)
	next, _ := TOTPCode(samTOTP, te.clock().Add(30*time.Second))
	r = other.submit(second, "oauth/authorize.php", url.Values{"code": {next}})
	assert.Contains(t, r.body, `value="allow"`)

	done := b.submit(consent, "oauth/authorize.php", url.Values{"decision": {"allow"}})
	loc, _ := url.Parse(done.Header.Get("Location"))
	tok, resp := te.exchange(loc.Query().Get("code"), nil)
	require.Equal(t, http.StatusOK, resp.StatusCode, resp.body)
	assert.Equal(t, "2", verifyIDToken(t, te, tok.IDToken)["sub"])
}

func TestTwoFactorUserWithoutSecret(t *testing.T) {
	te := newTestEnv(t)
	require.NoError(t, te.db.Update(t.Context(), func(tx *store.Tx) error { return tx.SetUserTwoFactorSecret(t.Context(), samID, "") }))
	b := te.browser()
	page := b.get(authorizeURL(nil))
	r := b.submit(page, "oauth/authorize.php", url.Values{"email": {"sam@example.com"}, "password": {samPass}})
	assert.Contains(t, r.body, "twoFactorSecret")
	assert.NotContains(t, r.body, `name="code"`)
}

func TestTOTPVectors(t *testing.T) {
	// RFC 6238 Appendix B, SHA-1, with six of its eight digits.
	key := []byte("12345678901234567890")
	for at, want := range map[int64]string{
		59: "287082", 1111111109: "081804", 1111111111: "050471",
		1234567890: "005924", 2000000000: "279037", 20000000000: "353130",
	} {
		assert.Equal(t, want, hotp(key, totpStepAt(time.Unix(at, 0))), "T=%d", at)
	}
	step, ok := matchTOTP(key, "287082", time.Unix(59, 0), 0)
	assert.True(t, ok)
	assert.EqualValues(t, 1, step)
	_, ok = matchTOTP(key, "287082", time.Unix(59, 0), 1)
	assert.False(t, ok, "a used step")
	_, ok = matchTOTP(key, "287082", time.Unix(59+90, 0), 0)
	assert.False(t, ok, "too far off")
}

// TestSigningKeyIsMadeOnceAndKept: a database without a key gets one on
// first use, and every handler over it after uses the same.
func TestSigningKeyIsMadeOnceAndKept(t *testing.T) {
	ctx := t.Context()
	db, err := store.Open(ctx, t.TempDir()+"/keys.db")
	require.NoError(t, err)
	defer db.Close()
	first, err := New(db, Options{}).signingKey(ctx)
	require.NoError(t, err)
	again, err := New(db, Options{}).signingKey(ctx)
	require.NoError(t, err)
	assert.Equal(t, first.kid, again.kid)
	require.NoError(t, db.View(ctx, func(tx *store.Tx) error {
		k, err := tx.OAuthSigningKey(ctx)
		assert.Equal(t, first.kid, k.KID)
		assert.Contains(t, k.PrivateKey, "BEGIN PRIVATE KEY")
		return err
	}))
}
