package oauth

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/store"
)

// rawToken posts a body to the token endpoint with an Authorization
// header of its own.
func (te *testEnv) rawToken(authorization string, form url.Values) response {
	te.t.Helper()
	req, err := http.NewRequest(http.MethodPost, te.abs("oauth/token.php"), strings.NewReader(form.Encode()))
	require.NoError(te.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(te.t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(te.t, err)
	return response{resp, string(body)}
}

func basic(id, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(id+":"+secret))
}

func TestClientAuthentication(t *testing.T) {
	te := newTestEnv(t)
	b := te.browser()
	exchange := func(code string) url.Values {
		return url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {appRedirect}}
	}

	t.Run("basic, form-urlencoded as RFC 6749 says", func(t *testing.T) {
		// url.QueryEscape encodes the identifier's . and = and the
		// secret's + / =.
		r := te.rawToken(basic(url.QueryEscape(appID), url.QueryEscape(appSecret)), exchange(b.code(nil)))
		assert.Equal(t, http.StatusOK, r.StatusCode, r.body)
	})
	t.Run("basic, every character percent-encoded", func(t *testing.T) {
		enc := func(s string) string {
			var out strings.Builder
			for _, c := range []byte(s) {
				out.WriteString("%" + strings.ToUpper(hexByte(c)))
			}
			return out.String()
		}
		r := te.rawToken(basic(enc(appID), enc(appSecret)), exchange(b.code(nil)))
		assert.Equal(t, http.StatusOK, r.StatusCode, r.body)
	})
	t.Run("basic, as sent without encoding", func(t *testing.T) {
		r := te.rawToken(basic(appID, appSecret), exchange(b.code(nil)))
		assert.Equal(t, http.StatusOK, r.StatusCode, r.body)
	})
	t.Run("client_secret_post", func(t *testing.T) {
		form := exchange(b.code(nil))
		form.Set("client_id", appID)
		form.Set("client_secret", appSecret)
		r := te.rawToken("", form)
		assert.Equal(t, http.StatusOK, r.StatusCode, r.body)
	})

	code := b.code(nil)
	for _, c := range []struct {
		name          string
		authorization string
		form          url.Values
		status        int
		error         string
	}{
		{"wrong secret", basic(url.QueryEscape(appID), "wrong"), nil, http.StatusUnauthorized, "invalid_client"},
		{"unknown client", basic("NOPE.x", "s"), nil, http.StatusUnauthorized, "invalid_client"},
		{"no authentication", "", nil, http.StatusUnauthorized, "invalid_client"},
		{"wrong secret in the body", "", url.Values{"client_id": {appID}, "client_secret": {"wrong"}}, http.StatusUnauthorized, "invalid_client"},
		{"malformed basic", "Basic !!!", nil, http.StatusUnauthorized, "invalid_client"},
		{"basic and post", basic(url.QueryEscape(appID), url.QueryEscape(appSecret)), url.Values{"client_secret": {appSecret}},
			http.StatusBadRequest, "invalid_request"},
		{"single sign-on credential", basic(url.QueryEscape(ssoID), "sso-secret"), nil, http.StatusBadRequest, "unauthorized_client"},
	} {
		t.Run(c.name, func(t *testing.T) {
			form := exchange(code)
			for k, v := range c.form {
				form[k] = v
			}
			r := te.rawToken(c.authorization, form)
			assert.Equal(t, c.status, r.StatusCode, r.body)
			assert.Equal(t, c.error, oauthErrorOf(t, r))
			assert.Equal(t, "no-store", r.Header.Get("Cache-Control"))
			assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
			if c.status == http.StatusUnauthorized {
				assert.Equal(t, `Basic realm="WHMCS"`, r.Header.Get("WWW-Authenticate"))
			}
		})
	}
	_, r := te.exchange(code, nil)
	assert.Equal(t, http.StatusOK, r.StatusCode, "failed attempts do not use the code up: %s", r.body)
}

func hexByte(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&15]})
}

func TestCodeFailures(t *testing.T) {
	te := newTestEnv(t)
	b := te.browser()

	t.Run("reused code revokes what it gave", func(t *testing.T) {
		code := b.code(nil)
		tok, r := te.exchange(code, nil)
		require.Equal(t, http.StatusOK, r.StatusCode, r.body)
		_, r = te.exchange(code, nil)
		assert.Equal(t, http.StatusBadRequest, r.StatusCode)
		assert.Equal(t, "invalid_grant", oauthErrorOf(t, r))
		_, ui := te.userInfo("Bearer " + tok.AccessToken)
		assert.Equal(t, http.StatusUnauthorized, ui.StatusCode, "the access token died")
		refresh := te.tokenCall(appID, appSecret, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}})
		assert.Equal(t, "invalid_grant", oauthErrorOf(t, refresh), "and the refresh token")
	})
	t.Run("expired code", func(t *testing.T) {
		code := b.code(nil)
		te.advance(61 * time.Second)
		_, r := te.exchange(code, nil)
		assert.Equal(t, "invalid_grant", oauthErrorOf(t, r))
		assert.Contains(t, r.body, "expired")
	})
	t.Run("code within its minute", func(t *testing.T) {
		code := b.code(nil)
		te.advance(60 * time.Second)
		_, r := te.exchange(code, nil)
		assert.Equal(t, http.StatusOK, r.StatusCode, r.body)
	})
	t.Run("another redirect_uri", func(t *testing.T) {
		_, r := te.exchange(b.code(nil), url.Values{"redirect_uri": {"https://app.example/other"}})
		assert.Equal(t, "invalid_grant", oauthErrorOf(t, r))
	})
	t.Run("no redirect_uri", func(t *testing.T) {
		_, r := te.exchange(b.code(nil), url.Values{"redirect_uri": nil})
		assert.Equal(t, "invalid_grant", oauthErrorOf(t, r))
	})
	t.Run("unknown code", func(t *testing.T) {
		_, r := te.exchange("not-a-code", nil)
		assert.Equal(t, "invalid_grant", oauthErrorOf(t, r))
	})
	t.Run("another client's code", func(t *testing.T) {
		page := b.get("oauth/authorize.php?" + url.Values{"client_id": {narrowID}, "redirect_uri": {"https://narrow.example/cb"},
			"response_type": {"code"}, "scope": {"openid"}}.Encode())
		done := b.submit(page, "oauth/authorize.php", url.Values{"decision": {"allow"}})
		loc, _ := url.Parse(done.Header.Get("Location"))
		code := loc.Query().Get("code")
		require.NotEmpty(t, code, done.body)
		_, r := te.exchange(code, url.Values{"redirect_uri": {"https://narrow.example/cb"}})
		assert.Equal(t, "invalid_grant", oauthErrorOf(t, r))
		r = te.tokenCall(narrowID, narrowSec, url.Values{"grant_type": {"authorization_code"}, "code": {code},
			"redirect_uri": {"https://narrow.example/cb"}})
		assert.Equal(t, http.StatusOK, r.StatusCode, "its own client may: %s", r.body)
		var tok tokenResponse
		require.NoError(t, json.Unmarshal([]byte(r.body), &tok))
		assert.Equal(t, "openid", tok.Scope)
	})
	t.Run("grant types and methods", func(t *testing.T) {
		r := te.tokenCall(appID, appSecret, url.Values{"grant_type": {"client_credentials"}})
		assert.Equal(t, "unsupported_grant_type", oauthErrorOf(t, r))
		r = te.tokenCall(appID, appSecret, url.Values{})
		assert.Equal(t, "invalid_request", oauthErrorOf(t, r))
		r = te.tokenCall(appID, appSecret, url.Values{"grant_type": {"refresh_token"}})
		assert.Equal(t, "invalid_request", oauthErrorOf(t, r))
		g := te.browser().get("oauth/token.php")
		assert.Equal(t, http.StatusMethodNotAllowed, g.StatusCode)
		assert.Equal(t, "POST", g.Header.Get("Allow"))
	})
}

func TestUserInfo(t *testing.T) {
	te := newTestEnv(t)
	b := te.browser()
	tok, r := te.exchange(b.code(url.Values{"scope": {"openid email"}}), nil)
	require.Equal(t, http.StatusOK, r.StatusCode, r.body)

	info, r := te.userInfo("Bearer " + tok.AccessToken)
	require.Equal(t, http.StatusOK, r.StatusCode)
	assert.Equal(t, map[string]any{"sub": "1", "email": "jane@example.com", "email_verified": true}, info)
	assert.Equal(t, "no-store", r.Header.Get("Cache-Control"))

	_, r = te.userInfo("")
	assert.Equal(t, http.StatusUnauthorized, r.StatusCode)
	assert.Equal(t, `Bearer realm="WHMCS"`, r.Header.Get("WWW-Authenticate"))
	_, r = te.userInfo("Basic " + tok.AccessToken)
	assert.Equal(t, http.StatusUnauthorized, r.StatusCode)
	_, r = te.userInfo("Bearer nope")
	assert.Equal(t, http.StatusUnauthorized, r.StatusCode)
	assert.Contains(t, r.Header.Get("WWW-Authenticate"), `error="invalid_token"`)

	te.advance(3601 * time.Second)
	_, r = te.userInfo("Bearer " + tok.AccessToken)
	assert.Equal(t, http.StatusUnauthorized, r.StatusCode)
	assert.Contains(t, r.Header.Get("WWW-Authenticate"), `error="invalid_token"`)
	assert.Contains(t, r.body, "expired")

	// A token without openid is no OpenID Connect token.
	require.NoError(t, te.db.Update(t.Context(), func(tx *store.Tx) error {
		c, err := tx.OAuthCredentialByID(t.Context(), appCredID)
		if err != nil {
			return err
		}
		c.Scopes = append(c.Scopes, "clientarea:sso")
		_, err = tx.PutOAuthCredential(t.Context(), c)
		return err
	}))
	tok, r = te.exchange(b.code(url.Values{"scope": {"email"}, "nonce": nil}), nil)
	require.Equal(t, http.StatusOK, r.StatusCode, r.body)
	assert.Empty(t, tok.IDToken, "no openid, no id token")
	_, r = te.userInfo("Bearer " + tok.AccessToken)
	assert.Equal(t, http.StatusForbidden, r.StatusCode)
	assert.Contains(t, r.Header.Get("WWW-Authenticate"), `error="insufficient_scope"`)
}

// TestCredentialChangesEndItsTokens: deleting a credential, resetting its
// secret or changing its grant type ends its codes and tokens at once.
func TestCredentialChangesEndItsTokens(t *testing.T) {
	ctx := t.Context()
	update := func(te *testEnv, fn func(*store.OAuthCredential)) {
		require.NoError(t, te.db.Update(ctx, func(tx *store.Tx) error {
			c, err := tx.OAuthCredentialByID(ctx, appCredID)
			if err != nil {
				return err
			}
			fn(&c)
			_, err = tx.PutOAuthCredential(ctx, c)
			return err
		}))
	}
	t.Run("deleted", func(t *testing.T) {
		te := newTestEnv(t)
		b := te.browser()
		tok, _ := te.exchange(b.code(nil), nil)
		code := b.code(nil)
		require.NoError(t, te.db.Update(ctx, func(tx *store.Tx) error { return tx.DeleteOAuthCredential(ctx, appCredID) }))
		_, r := te.userInfo("Bearer " + tok.AccessToken)
		assert.Equal(t, http.StatusUnauthorized, r.StatusCode)
		_, r = te.exchange(code, nil)
		assert.Equal(t, http.StatusUnauthorized, r.StatusCode)
		assert.Equal(t, "invalid_client", oauthErrorOf(t, r))
		require.NoError(t, te.db.View(ctx, func(tx *store.Tx) error {
			n, err := tx.OAuthTokenCount(ctx, appCredID)
			assert.Zero(t, n, "the rows are gone")
			return err
		}))
	})
	t.Run("secret reset", func(t *testing.T) {
		te := newTestEnv(t)
		b := te.browser()
		tok, _ := te.exchange(b.code(nil), nil)
		code := b.code(nil)
		update(te, func(c *store.OAuthCredential) { c.Secret = "a-new-secret" })
		_, r := te.userInfo("Bearer " + tok.AccessToken)
		assert.Equal(t, http.StatusUnauthorized, r.StatusCode)
		r = te.tokenCall(appID, "a-new-secret", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}})
		assert.Equal(t, "invalid_grant", oauthErrorOf(t, r))
		r = te.tokenCall(appID, "a-new-secret", url.Values{"grant_type": {"authorization_code"}, "code": {code},
			"redirect_uri": {appRedirect}})
		assert.Equal(t, "invalid_grant", oauthErrorOf(t, r), "a code issued under the old secret")
		r = te.tokenCall(appID, appSecret, url.Values{"grant_type": {"authorization_code"}, "code": {code},
			"redirect_uri": {appRedirect}})
		assert.Equal(t, "invalid_client", oauthErrorOf(t, r))
		// New codes work with the new secret.
		r = te.tokenCall(appID, "a-new-secret", url.Values{"grant_type": {"authorization_code"}, "code": {b.code(nil)},
			"redirect_uri": {appRedirect}})
		assert.Equal(t, http.StatusOK, r.StatusCode, r.body)
	})
	t.Run("grant type changed", func(t *testing.T) {
		te := newTestEnv(t)
		b := te.browser()
		tok, _ := te.exchange(b.code(nil), nil)
		update(te, func(c *store.OAuthCredential) { c.GrantTypes = "single_sign_on" })
		_, r := te.userInfo("Bearer " + tok.AccessToken)
		assert.Equal(t, http.StatusUnauthorized, r.StatusCode)
	})
	t.Run("redirect URI unregistered mid-flow", func(t *testing.T) {
		te := newTestEnv(t)
		b := te.browser()
		page := b.get(authorizeURL(nil))
		update(te, func(c *store.OAuthCredential) { c.RedirectURIs = []string{"https://app.example/other"} })
		r := b.submit(page, "oauth/authorize.php", url.Values{"email": {"jane@example.com"}, "password": {janePass}})
		assert.Equal(t, http.StatusBadRequest, r.StatusCode)
		assert.Empty(t, r.Header.Get("Location"))
	})
}
