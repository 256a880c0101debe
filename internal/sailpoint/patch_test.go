package sailpoint

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/store"
)

const patchID = "0123456789abcdef0123456789abcdef"

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }

// clientWith is a client with every patchable field set.
func clientWith(id string, enabled bool) store.SailPointClient {
	biz, home, desc := "Acme", "https://acme.example", "d"
	return store.SailPointClient{ID: id, Name: "patchme", Description: &desc, BusinessName: &biz, HomepageURL: &home,
		AccessTokenValiditySeconds: 750, RefreshTokenValiditySeconds: 86400,
		RedirectURIs: []string{"https://acme.example/cb", "https://acme.example/cb2"},
		GrantTypes:   []string{"AUTHORIZATION_CODE", "CLIENT_CREDENTIALS"}, AccessType: "OFFLINE",
		Enabled: enabled, Scope: []string{"sp:scopes:all"}}
}

func TestPatchApplies(t *testing.T) {
	tests := []struct {
		name, patch string
		check       func(t *testing.T, m map[string]any)
	}{
		{"replace and add", `[{"op":"replace","path":"/name","value":"renamed"},
			{"op":"add","path":"/redirectUris/-","value":"https://acme.example/cb3"}]`,
			func(t *testing.T, m map[string]any) {
				assert.Equal(t, "renamed", m["name"])
				assert.Len(t, m["redirectUris"], 3)
			}},
		{"explicit null on a nullable field", `[{"op":"replace","path":"/businessName","value":null}]`,
			func(t *testing.T, m map[string]any) { assert.Nil(t, m["businessName"]) }},
		{"remove a nullable field", `[{"op":"remove","path":"/homepageUrl"}]`,
			func(t *testing.T, m map[string]any) { assert.Nil(t, m["homepageUrl"]) }},
		{"copy and move between allowed fields", `[{"op":"copy","from":"/businessName","path":"/description"},
			{"op":"move","from":"/redirectUris/1","path":"/redirectUris/0"}]`,
			func(t *testing.T, m map[string]any) {
				assert.Equal(t, "Acme", m["description"])
				assert.Equal(t, []any{"https://acme.example/cb2", "https://acme.example/cb"}, m["redirectUris"])
			}},
		{"test then replace", `[{"op":"test","path":"/accessTokenValiditySeconds","value":750.0},
			{"op":"replace","path":"/accessTokenValiditySeconds","value":2147483647}]`,
			func(t *testing.T, m map[string]any) { assert.Equal(t, 2147483647.0, m["accessTokenValiditySeconds"]) }},
		{"drop the code grant and its redirects", `[{"op":"replace","path":"/grantTypes","value":["CLIENT_CREDENTIALS"]},
			{"op":"replace","path":"/redirectUris","value":[]}]`,
			func(t *testing.T, m map[string]any) { assert.Equal(t, []any{}, m["redirectUris"]) }},
		{"tenant is stored, not shown", `[{"op":"add","path":"/tenant","value":"acme"}]`,
			func(t *testing.T, m map[string]any) { assert.NotContains(t, m, "tenant") }},
		{"empty patch", `[]`, func(t *testing.T, m map[string]any) { assert.Equal(t, "patchme", m["name"]) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			te := newTestEnv(t)
			tok := te.mint(t, adminID, adminSecret)
			te.putClient(t, clientWith(patchID, true), "s")
			te.advance(time.Second)
			res, body := te.do(t, "PATCH", "/v3/oauth-clients/"+patchID, "application/json-patch+json", tt.patch, tok)
			require.Equal(t, http.StatusOK, res.StatusCode, body)
			m := decode(t, body)
			assert.Equal(t, "2026-03-14T09:26:54.589Z", m["modified"])
			tt.check(t, m)
			_, again := te.do(t, "GET", "/v3/oauth-clients/"+patchID, "", "", tok)
			assert.JSONEq(t, body, again, "the answer is what is stored")
		})
	}
}

// TestPatchRefused checks every refusal, and that each leaves the client
// exactly as it was.
func TestPatchRefused(t *testing.T) {
	tests := []struct {
		name, contentType, patch, want string
		status                         int
	}{
		{"json content type", "application/json", `[]`, "application/json-patch+json", 415},
		{"merge patch", "application/merge-patch+json", `{}`, "application/json-patch+json", 415},
		{"not an array", "", `{"op":"add"}`, "Invalid JSON Patch", 400},
		{"not JSON", "", `[`, "Invalid JSON Patch", 400},
		{"unknown op", "", `[{"op":"merge","path":"/name","value":"x"}]`, "Invalid JSON Patch", 400},
		{"missing value", "", `[{"op":"replace","path":"/name"}]`, "Invalid JSON Patch", 400},
		{"leading zero index", "", `[{"op":"remove","path":"/redirectUris/01"}]`, "", 400},
		{"negative index", "", `[{"op":"remove","path":"/redirectUris/-1"}]`, "", 400},
		{"id", "", `[{"op":"replace","path":"/id","value":"x"}]`, `"/id"`, 400},
		{"scope", "", `[{"op":"replace","path":"/scope","value":["sp:scopes:all"]}]`, `"/scope"`, 400},
		{"secret", "", `[{"op":"add","path":"/secret","value":"x"}]`, `"/secret"`, 400},
		{"type", "", `[{"op":"replace","path":"/type","value":"PUBLIC"}]`, `"/type"`, 400},
		{"root", "", `[{"op":"replace","path":"","value":{}}]`, "only these fields", 400},
		{"from outside", "", `[{"op":"copy","from":"/created","path":"/name"}]`, `from "/created"`, 400},
		{"refused after good ops", "", `[{"op":"replace","path":"/name","value":"x"},{"op":"remove","path":"/internal"}]`,
			`"/internal"`, 400},
		{"test fails", "", `[{"op":"replace","path":"/name","value":"x"},{"op":"test","path":"/enabled","value":false}]`,
			"test failed", 400},
		{"missing target", "", `[{"op":"replace","path":"/redirectUris/5","value":"x"}]`, "", 400},
		{"bad enum", "", `[{"op":"replace","path":"/accessType","value":"SOMETIMES"}]`, "accessType", 400},
		{"bad grant", "", `[{"op":"add","path":"/grantTypes/-","value":"PASSWORD"}]`, "grantTypes[2]", 400},
		{"over int32", "", `[{"op":"replace","path":"/refreshTokenValiditySeconds","value":2147483648}]`, "between 1", 400},
		{"negative", "", `[{"op":"replace","path":"/accessTokenValiditySeconds","value":-5}]`, "between 1", 400},
		{"null non-nullable", "", `[{"op":"replace","path":"/enabled","value":null}]`, `"enabled"`, 400},
		{"remove required", "", `[{"op":"remove","path":"/name"}]`, `"name"`, 400},
		{"wrong type", "", `[{"op":"replace","path":"/claimsSupported","value":"yes"}]`, "true or false", 400},
		{"redirects needed", "", `[{"op":"remove","path":"/redirectUris/0"},{"op":"remove","path":"/redirectUris/0"}]`,
			"AUTHORIZATION_CODE", 400},
		{"redirects needed by a new grant", "", `[{"op":"replace","path":"/redirectUris","value":null},
			{"op":"replace","path":"/grantTypes","value":["CLIENT_CREDENTIALS"]},
			{"op":"add","path":"/grantTypes/0","value":"AUTHORIZATION_CODE"}]`, "AUTHORIZATION_CODE", 400},
		{"redirect item type", "", `[{"op":"add","path":"/redirectUris/0","value":{"uri":"x"}}]`, "redirectUris[0]", 400},
	}
	te := newTestEnv(t)
	tok := te.mint(t, adminID, adminSecret)
	te.putClient(t, clientWith(patchID, true), "s")
	_, before := te.do(t, "GET", "/v3/oauth-clients/"+patchID, "", "", tok)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			te.advance(time.Second)
			ct := tt.contentType
			if ct == "" {
				ct = "application/json-patch+json"
			}
			res, body := te.do(t, "PATCH", "/v3/oauth-clients/"+patchID, ct, tt.patch, tok)
			require.Equal(t, tt.status, res.StatusCode, body)
			assert.Contains(t, errorText(t, body), tt.want)
			if tt.status == 415 {
				assert.Equal(t, "application/json-patch+json", res.Header.Get("Accept-Patch"))
			}
			_, after := te.do(t, "GET", "/v3/oauth-clients/"+patchID, "", "", tok)
			assert.JSONEq(t, before, after, "a refused patch changes nothing")
		})
	}
	// tenant was never set by a refused patch either.
	require.NoError(t, te.db.View(t.Context(), func(tx *store.Tx) error {
		c, err := tx.SailPointClientByID(t.Context(), patchID)
		assert.Nil(t, c.Tenant)
		return err
	}))
}

func TestPatchGolden(t *testing.T) {
	te := newTestEnv(t)
	tok := te.mint(t, adminID, adminSecret)
	te.putClient(t, clientWith(patchID, true), "s")
	res, body := te.do(t, "PATCH", "/v3/oauth-clients/"+patchID, "application/json-patch+json",
		`[{"op":"remove","path":"/id"}]`, tok)
	require.Equal(t, http.StatusBadRequest, res.StatusCode)
	golden(t, "patch-refused", body)
}
