package sailpoint

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/store"
)

func TestToken(t *testing.T) {
	te := newTestEnv(t)
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {adminID}, "client_secret": {adminSecret}}
	res, body := te.do(t, "POST", "/oauth/token", "application/x-www-form-urlencoded", form.Encode(), "")
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	assert.Equal(t, "no-store", res.Header.Get("Cache-Control"))
	access := decode(t, body)["access_token"].(string)
	golden(t, "token", strings.Replace(body, access, "(token)", 1))

	// The token is JWT-shaped, with the claims SailPoint's carry.
	parts := strings.Split(access, ".")
	require.Len(t, parts, 3)
	claims, err := base64.RawURLEncoding.DecodeString(parts[1])
	require.NoError(t, err)
	var c map[string]any
	require.NoError(t, json.Unmarshal(claims, &c))
	assert.Equal(t, adminID, c["client_id"])
	assert.Equal(t, float64(testStart.Add(750*time.Second).Unix()), c["exp"])

	// Query parameters (as SailPoint's SDKs send them), HTTP Basic and
	// multipart all work.
	res, body = te.do(t, "POST", "/oauth/token?"+form.Encode(), "", "", "")
	assert.Equal(t, http.StatusOK, res.StatusCode, body)
	r := httptest.NewRequest("POST", "/oauth/token", strings.NewReader("grant_type=client_credentials"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.SetBasicAuth(adminID, adminSecret)
	w := httptest.NewRecorder()
	te.h.ServeHTTP(w, r)
	assert.Equal(t, http.StatusOK, w.Code, w.Body.String())
	mp := "--b\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\nclient_credentials\r\n" +
		"--b\r\nContent-Disposition: form-data; name=\"client_id\"\r\n\r\n" + adminID + "\r\n" +
		"--b\r\nContent-Disposition: form-data; name=\"client_secret\"\r\n\r\n" + adminSecret + "\r\n--b--\r\n"
	res, body = te.do(t, "POST", "/oauth/token", "multipart/form-data; boundary=b", mp, "")
	assert.Equal(t, http.StatusOK, res.StatusCode, body)

	// Narrowed scope.
	te.putClient(t, store.SailPointClient{ID: patchID, Name: "r", Enabled: true, AccessTokenValiditySeconds: 60,
		GrantTypes: []string{"CLIENT_CREDENTIALS"}, Scope: []string{"sp:oauth-client:read", "sp:other"}}, "s")
	res, body = te.do(t, "POST", "/oauth/token", "application/x-www-form-urlencoded",
		"grant_type=client_credentials&client_id="+patchID+"&client_secret=s&scope=sp:other", "")
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	narrow := decode(t, body)
	assert.Equal(t, "sp:other", narrow["scope"])
	res, _ = te.do(t, "GET", "/v3/oauth-clients", "", "", narrow["access_token"].(string))
	assert.Equal(t, http.StatusForbidden, res.StatusCode, "sp:other does not read clients")
}

func TestTokenRefused(t *testing.T) {
	te := newTestEnv(t)
	te.putClient(t, store.SailPointClient{ID: patchID, Name: "off", AccessTokenValiditySeconds: 60,
		GrantTypes: []string{"CLIENT_CREDENTIALS"}, Scope: []string{"sp:scopes:all"}}, "s") // disabled
	te.putClient(t, store.SailPointClient{ID: "ffffffffffffffffffffffffffffffff", Name: "code", Enabled: true,
		AccessTokenValiditySeconds: 60, GrantTypes: []string{"AUTHORIZATION_CODE"}, RedirectURIs: []string{"https://x/"},
		Scope: []string{"sp:scopes:all"}}, "s")
	tests := []struct {
		name, body string
		status     int
		code       string
	}{
		{"no grant", "client_id=" + adminID + "&client_secret=" + adminSecret, 400, "invalid_request"},
		{"password grant", "grant_type=password&client_id=" + adminID + "&client_secret=" + adminSecret, 400, "unsupported_grant_type"},
		{"no secret", "grant_type=client_credentials&client_id=" + adminID, 401, "invalid_client"},
		{"wrong secret", "grant_type=client_credentials&client_id=" + adminID + "&client_secret=nope", 401, "invalid_client"},
		{"unknown client", "grant_type=client_credentials&client_id=nobody&client_secret=s", 401, "invalid_client"},
		{"disabled", "grant_type=client_credentials&client_id=" + patchID + "&client_secret=s", 401, "invalid_client"},
		{"grant not allowed", "grant_type=client_credentials&client_id=ffffffffffffffffffffffffffffffff&client_secret=s",
			400, "unauthorized_client"},
		{"scope not held", "grant_type=client_credentials&client_id=" + adminID + "&client_secret=" + adminSecret +
			"&scope=sp:oauth-client:read", 400, "invalid_scope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := te.do(t, "POST", "/oauth/token", "application/x-www-form-urlencoded", tt.body, "")
			require.Equal(t, tt.status, res.StatusCode, body)
			assert.Equal(t, tt.code, decode(t, body)["error"])
		})
	}
}

func TestBearer(t *testing.T) {
	te := newTestEnv(t)
	tok := te.mint(t, adminID, adminSecret)
	tests := []struct{ name, header, want string }{
		{"none", "", "JWT validation failed: JWT is missing"},
		{"basic", "Basic eDp5", "JWT validation failed: JWT is missing"},
		{"unknown", "Bearer abc", "JWT validation failed: JWT is invalid"},
		{"tampered", "Bearer " + tok + "x", "JWT validation failed: JWT is invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/v3/oauth-clients", nil)
			if tt.header != "" {
				r.Header.Set("Authorization", tt.header)
			}
			w := httptest.NewRecorder()
			te.h.ServeHTTP(w, r)
			require.Equal(t, http.StatusUnauthorized, w.Code)
			assert.JSONEq(t, `{"error": "`+tt.want+`"}`, w.Body.String())
		})
	}

	// Read-only scope: GET yes, writes 403.
	te.putClient(t, store.SailPointClient{ID: patchID, Name: "r", Enabled: true, AccessTokenValiditySeconds: 60,
		GrantTypes: []string{"CLIENT_CREDENTIALS"}, Scope: []string{"sp:oauth-client:read"}}, "s")
	read := te.mint(t, patchID, "s")
	res, body := te.do(t, "GET", "/v3/oauth-clients/"+adminID, "", "", read)
	assert.Equal(t, http.StatusOK, res.StatusCode, body)
	res, body = te.do(t, "POST", "/v3/oauth-clients", "application/json", createBody, read)
	require.Equal(t, http.StatusForbidden, res.StatusCode, body)
	assert.Equal(t, "403 Forbidden", decode(t, body)["detailCode"])
	assert.Contains(t, errorText(t, body), "sp:oauth-client:manage")
	res, _ = te.do(t, "PATCH", "/v3/oauth-clients/"+adminID, "application/json-patch+json", `[]`, read)
	assert.Equal(t, http.StatusForbidden, res.StatusCode)

	// Manage scope alone reads and writes.
	te.putClient(t, store.SailPointClient{ID: "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", Name: "m", Enabled: true,
		AccessTokenValiditySeconds: 60, GrantTypes: []string{"CLIENT_CREDENTIALS"}, Scope: []string{"sp:oauth-client:manage"}}, "s")
	manage := te.mint(t, "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", "s")
	res, _ = te.do(t, "GET", "/v3/oauth-clients", "", "", manage)
	assert.Equal(t, http.StatusOK, res.StatusCode)
	res, _ = te.do(t, "PATCH", "/v3/oauth-clients/"+patchID, "application/json-patch+json", `[]`, manage)
	assert.Equal(t, http.StatusOK, res.StatusCode)

	// Disabling a client (here, through the API) stops its tokens.
	res, body = te.do(t, "PATCH", "/v3/oauth-clients/"+patchID, "application/json-patch+json",
		`[{"op":"replace","path":"/enabled","value":false}]`, tok)
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	res, body = te.do(t, "GET", "/v3/oauth-clients", "", "", read)
	assert.Equal(t, http.StatusUnauthorized, res.StatusCode, body)

	// Expiry on the clock: the read token lived 60 s, the admin's 750 s.
	te.advance(749 * time.Second)
	res, _ = te.do(t, "GET", "/v3/oauth-clients", "", "", tok)
	assert.Equal(t, http.StatusOK, res.StatusCode)
	te.advance(time.Second)
	res, body = te.do(t, "GET", "/v3/oauth-clients", "", "", tok)
	assert.Equal(t, http.StatusUnauthorized, res.StatusCode)
	assert.JSONEq(t, `{"error": "JWT validation failed: JWT is expired"}`, body)
}

func TestLastUsedOnceADay(t *testing.T) {
	te := newTestEnv(t)
	lastUsed := func() string {
		var c store.SailPointClient
		require.NoError(t, te.db.View(t.Context(), func(tx *store.Tx) (err error) {
			c, err = tx.SailPointClientByID(t.Context(), adminID)
			return err
		}))
		require.NotNil(t, c.LastUsed)
		return formatMillis(*c.LastUsed)
	}
	te.mint(t, adminID, adminSecret)
	assert.Equal(t, "2026-03-14T09:26:53.589Z", lastUsed())
	te.advance(23 * time.Hour)
	te.mint(t, adminID, adminSecret)
	assert.Equal(t, "2026-03-14T09:26:53.589Z", lastUsed(), "not again within a day")
	te.advance(time.Hour)
	te.mint(t, adminID, adminSecret)
	assert.Equal(t, "2026-03-15T09:26:53.589Z", lastUsed())
}
