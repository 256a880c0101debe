package sailpoint

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const createBody = `{
	"businessName": "Acme-Solar", "homepageUrl": "http://localhost:12345", "name": "Demo API Client",
	"description": "An API client used for the authorization_code, refresh_token, and client_credentials flows",
	"accessTokenValiditySeconds": 750, "refreshTokenValiditySeconds": 86400,
	"redirectUris": ["http://localhost:12345"], "grantTypes": ["AUTHORIZATION_CODE", "CLIENT_CREDENTIALS", "REFRESH_TOKEN"],
	"accessType": "OFFLINE", "type": "CONFIDENTIAL", "internal": false, "enabled": true,
	"strongAuthSupported": false, "claimsSupported": false, "scope": ["sp:oauth-client:read"]
}`

// TestLifecycle walks create, get, list, patch and delete, with golden
// answers, and checks the created credential really mints tokens.
func TestLifecycle(t *testing.T) {
	te := newTestEnv(t)
	tok := te.mint(t, adminID, adminSecret)

	res, body := te.do(t, "POST", "/v3/oauth-clients", "application/json", createBody, tok)
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	assert.Equal(t, "application/json;charset=utf-8", res.Header.Get("Content-Type"))
	golden(t, "create", body)
	created := decode(t, body)
	id, secret := created["id"].(string), created["secret"].(string)
	assert.Len(t, id, 32)
	assert.Len(t, secret, 64)

	te.advance(time.Second)
	res, body = te.do(t, "GET", "/v3/oauth-clients/"+id, "", "", tok)
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	golden(t, "get", body)
	assert.Nil(t, decode(t, body)["secret"], "get never shows the secret")
	assert.NotContains(t, body, secret)

	res, body = te.do(t, "GET", "/v3/oauth-clients", "", "", tok)
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	golden(t, "list", body)
	assert.NotContains(t, body, secret)

	// The new client's secret works; its scope is read-only.
	readTok := te.mint(t, id, secret)
	res, body = te.do(t, "GET", "/v3/oauth-clients/"+id, "", "", readTok)
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	assert.NotNil(t, decode(t, body)["lastUsed"], "minting a token marks the client used")
	res, body = te.do(t, "DELETE", "/v3/oauth-clients/"+id, "", "", readTok)
	assert.Equal(t, http.StatusForbidden, res.StatusCode, body)

	te.advance(time.Second)
	patch := `[{"op": "replace", "path": "/strongAuthSupported", "value": true},
		{"op": "replace", "path": "/businessName", "value": "acme-solar"}]`
	res, body = te.do(t, "PATCH", "/v3/oauth-clients/"+id, "application/json-patch+json", patch, tok)
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	golden(t, "patch", body)

	res, body = te.do(t, "DELETE", "/v3/oauth-clients/"+id, "", "", tok)
	assert.Equal(t, http.StatusNoContent, res.StatusCode, body)
	assert.Empty(t, body)
	res, body = te.do(t, "GET", "/v3/oauth-clients/"+id, "", "", tok)
	assert.Equal(t, http.StatusNotFound, res.StatusCode)
	golden(t, "get-404", body)
	res, _ = te.do(t, "DELETE", "/v3/oauth-clients/"+id, "", "", tok)
	assert.Equal(t, http.StatusNotFound, res.StatusCode)
	res, _ = te.do(t, "PATCH", "/v3/oauth-clients/"+id, "application/json-patch+json", patch, tok)
	assert.Equal(t, http.StatusNotFound, res.StatusCode)
	// A deleted client's tokens stop working.
	res, body = te.do(t, "GET", "/v3/oauth-clients", "", "", readTok)
	assert.Equal(t, http.StatusUnauthorized, res.StatusCode, body)
}

func TestCreateDefaults(t *testing.T) {
	te := newTestEnv(t)
	tok := te.mint(t, adminID, adminSecret)
	res, body := te.do(t, "POST", "/v3/oauth-clients", "application/json; charset=utf-8",
		`{"name": "n", "description": null, "accessTokenValiditySeconds": 60, "grantTypes": ["CLIENT_CREDENTIALS"],
		  "accessType": "ONLINE", "enabled": false, "unknown": 1}`, tok)
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	m := decode(t, body)
	assert.Equal(t, []any{"sp:scopes:all"}, m["scope"])
	assert.Equal(t, "CONFIDENTIAL", m["type"])
	assert.Equal(t, 86400.0, m["refreshTokenValiditySeconds"])
	assert.Equal(t, []any{}, m["redirectUris"])
	assert.Nil(t, m["businessName"])
	assert.Nil(t, m["description"])
	assert.Equal(t, false, m["enabled"])

	// A disabled client cannot mint tokens.
	res, body = te.do(t, "POST", "/oauth/token", "application/x-www-form-urlencoded",
		"grant_type=client_credentials&client_id="+m["id"].(string)+"&client_secret="+m["secret"].(string), "")
	assert.Equal(t, http.StatusUnauthorized, res.StatusCode, body)
}

func TestCreateInvalid(t *testing.T) {
	base := map[string]any{"name": "n", "description": "d", "accessTokenValiditySeconds": 60,
		"grantTypes": []any{"CLIENT_CREDENTIALS"}, "accessType": "OFFLINE", "enabled": true}
	with := func(k string, v any) string {
		m := map[string]any{}
		for key, val := range base {
			m[key] = val
		}
		if v == "<absent>" {
			delete(m, k)
		} else {
			m[k] = v
		}
		b, _ := json.Marshal(m)
		return string(b)
	}
	tests := []struct{ name, body, want string }{
		{"no name", with("name", "<absent>"), `"name"`},
		{"blank name", with("name", " "), `"name"`},
		{"null name", with("name", nil), `"name"`},
		{"no description", with("description", "<absent>"), `"description"`},
		{"no validity", with("accessTokenValiditySeconds", "<absent>"), `"accessTokenValiditySeconds"`},
		{"validity text", with("accessTokenValiditySeconds", "60"), "must be an integer"},
		{"validity zero", with("accessTokenValiditySeconds", 0), "between 1 and 2147483647"},
		{"validity over int32", with("accessTokenValiditySeconds", 2147483648), "between 1 and 2147483647"},
		{"validity fraction", with("accessTokenValiditySeconds", 1.5), "integer"},
		{"refresh over int32", with("refreshTokenValiditySeconds", 1e12), "refreshTokenValiditySeconds"},
		{"no grant types", with("grantTypes", "<absent>"), `"grantTypes"`},
		{"empty grant types", with("grantTypes", []any{}), "at least one grant type"},
		{"bad grant type", with("grantTypes", []any{"PASSWORD"}), `grantTypes[0]: "PASSWORD" is not one of`},
		{"twice", with("grantTypes", []any{"CLIENT_CREDENTIALS", "CLIENT_CREDENTIALS"}), "listed twice"},
		{"grant types not array", with("grantTypes", "CLIENT_CREDENTIALS"), "must be an array"},
		{"bad access type", with("accessType", "offline"), "accessType"},
		{"no enabled", with("enabled", "<absent>"), `"enabled"`},
		{"enabled text", with("enabled", "true"), "true or false"},
		{"bad type", with("type", "SECRET"), "type"},
		{"scope item", with("scope", []any{1}), "scope[0] must be a string"},
		{"auth code without redirect", with("grantTypes", []any{"AUTHORIZATION_CODE"}), "AUTHORIZATION_CODE"},
		{"relative redirect", with("redirectUris", []any{"/cb"}), "not an absolute URI"},
		{"not an object", `[1]`, "JSON object"},
		{"not JSON", `{"name":`, "not valid JSON"},
	}
	te := newTestEnv(t)
	tok := te.mint(t, adminID, adminSecret)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := te.do(t, "POST", "/v3/oauth-clients", "application/json", tt.body, tok)
			require.Equal(t, http.StatusBadRequest, res.StatusCode, body)
			assert.Equal(t, "400.1 Bad Request Content", decode(t, body)["detailCode"])
			assert.Contains(t, errorText(t, body), tt.want)
		})
	}
	res, body := te.do(t, "POST", "/v3/oauth-clients", "text/plain", with("x", 1), tok)
	assert.Equal(t, http.StatusUnsupportedMediaType, res.StatusCode, body)
	res, body = te.do(t, "GET", "/v3/oauth-clients", "", "", tok)
	require.Equal(t, http.StatusOK, res.StatusCode)
	assert.Equal(t, 1, strings.Count(body, `"id"`), "nothing was created")
}

func TestFilters(t *testing.T) {
	te := newTestEnv(t)
	tok := te.mint(t, adminID, adminSecret) // marks the bootstrap client used now
	te.putClient(t, clientWith("11111111111111111111111111111111", true), "s")
	list := func(filters string) (int, []string) {
		res, body := te.do(t, "GET", "/v3/oauth-clients?filters="+strings.ReplaceAll(filters, " ", "%20"), "", "", tok)
		if res.StatusCode != http.StatusOK {
			return res.StatusCode, []string{errorText(t, body)}
		}
		var out []struct{ ID string }
		require.NoError(t, json.Unmarshal([]byte(body), &out))
		var ids []string
		for _, c := range out {
			ids = append(ids, c.ID[:4])
		}
		return res.StatusCode, ids
	}
	expect := func(filters string, want ...string) {
		t.Helper()
		status, ids := list(filters)
		require.Equal(t, http.StatusOK, status, ids)
		assert.Equal(t, want, ids, filters)
	}
	expect("", "1111", "2c91") // created together: by id
	expect("lastUsed isnull", "1111")
	expect("lastUsed le 2026-03-14T09:26:53.589Z", "2c91")
	expect(`lastUsed le "2026-03-14T09:26:53.589Z"`, "2c91")
	expect("lastUsed le 2026-03-14T09:26:53.588Z")
	expect("lastUsed le 2026-03-15T00:00:00Z and lastUsed isnull")
	for _, bad := range []string{"name eq x", "lastUsed eq 2026-03-14T09:26:53Z", "lastUsed le", "lastUsed le yesterday",
		"lastUsed isnull or lastUsed isnull", "lastUsed"} {
		status, msg := list(bad)
		assert.Equal(t, http.StatusBadRequest, status, bad)
		assert.Contains(t, msg[0], "Invalid filter", bad)
	}
}

func TestFallback(t *testing.T) {
	te := newTestEnv(t)
	res, body := te.do(t, "PUT", "/v3/oauth-clients/abc", "", "", "")
	assert.Equal(t, http.StatusMethodNotAllowed, res.StatusCode)
	assert.Equal(t, "GET, PATCH, DELETE", res.Header.Get("Allow"))
	assert.Equal(t, "405 Method Not Allowed", decode(t, body)["detailCode"])
	res, _ = te.do(t, "DELETE", "/v3/oauth-clients", "", "", "")
	assert.Equal(t, "GET, POST", res.Header.Get("Allow"))
	res, _ = te.do(t, "GET", "/oauth/token", "", "", "")
	assert.Equal(t, "POST", res.Header.Get("Allow"))
	res, body = te.do(t, "GET", "/v3/nothing", "", "", "")
	assert.Equal(t, http.StatusNotFound, res.StatusCode)
	assert.Equal(t, "404 Not found", decode(t, body)["detailCode"])
}

func TestWriteError(t *testing.T) {
	te := newTestEnv(t)
	w := newRecorder()
	w.Header().Set("Retry-After", "3")
	te.h.WriteError(w, http.StatusTooManyRequests, "")
	assert.Equal(t, http.StatusTooManyRequests, w.Code)
	assert.Equal(t, "3", w.Header().Get("Retry-After"))
	assert.JSONEq(t, `{"message": " Rate Limit Exceeded "}`, w.Body.String())

	w = newRecorder()
	te.h.WriteError(w, http.StatusUnauthorized, "JWT validation failed: JWT is expired")
	assert.JSONEq(t, `{"error": "JWT validation failed: JWT is expired"}`, w.Body.String())

	w = newRecorder()
	te.h.WriteError(w, http.StatusInternalServerError, "")
	golden(t, "error-500", w.Body.String())

	w = newRecorder()
	te.h.WriteError(w, http.StatusServiceUnavailable, "")
	assert.Equal(t, "503 Service Unavailable", decode(t, w.Body.String())["detailCode"])
}

// TestInternalError checks a storage failure answers 500 without detail.
func TestInternalError(t *testing.T) {
	te := newTestEnv(t)
	tok := te.mint(t, adminID, adminSecret)
	require.NoError(t, te.db.Close())
	res, body := te.do(t, "GET", "/v3/oauth-clients", "", "", tok)
	require.Equal(t, http.StatusInternalServerError, res.StatusCode, body)
	assert.Equal(t, "500.0 Internal Fault", decode(t, body)["detailCode"])
	assert.Equal(t, "An internal fault occurred.", errorText(t, body))
	res, body = te.do(t, "POST", "/oauth/token", "application/x-www-form-urlencoded",
		"grant_type=client_credentials&client_id="+adminID+"&client_secret="+adminSecret, "")
	assert.Equal(t, http.StatusInternalServerError, res.StatusCode, body)
}

// TestConcurrentCreates checks parallel requests share the random source
// safely and get distinct ids.
func TestConcurrentCreates(t *testing.T) {
	te := newTestEnv(t)
	tok := te.mint(t, adminID, adminSecret)
	ids := make(chan string, 8)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			res, body := te.do(t, "POST", "/v3/oauth-clients", "application/json", createBody, tok)
			assert.Equal(t, http.StatusOK, res.StatusCode, body)
			ids <- decode(t, body)["id"].(string)
		})
	}
	wg.Wait()
	close(ids)
	seen := map[string]bool{}
	for id := range ids {
		assert.False(t, seen[id], id)
		seen[id] = true
	}
	assert.Len(t, seen, 8)
}
