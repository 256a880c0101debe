package whmcsemu

import (
	"context"
	"encoding/json"
	"net/url"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// openWithSystemURL opens a server on a fresh database with fixture (""
// for none) and Options.SystemURL set.
func openWithSystemURL(t *testing.T, fixtureFile, systemURL string) *Server {
	t.Helper()
	srv, _ := newTestServerWith(t, fixtureFile, func(o *Options) { o.SystemURL = systemURL })
	return srv
}

// systemConfig reads a configuration value through the local API.
func systemConfig(t *testing.T, srv *Server, setting string) string {
	t.Helper()
	got := systemCall(t, srv, "", "GetConfigurationValue", url.Values{"setting": {setting}})
	require.Equal(t, "success", got["result"], got)
	return got["value"].(string)
}

// systemCall runs an action through the local API as admin and decodes
// its answer.
func systemCall(t *testing.T, srv *Server, admin, action string, params url.Values) map[string]any {
	t.Helper()
	var got map[string]any
	require.NoError(t, srv.Call(context.Background(), action, params, admin).Decode(&got))
	return got
}

// TestOptionsSystemURLIsTheDefault: without a System URL in the settings,
// Options.SystemURL is the System URL everywhere (SSO redirects,
// GetConfigurationValue), is not exported, and a fixture's or
// SetConfigurationValue's choice wins over it.
func TestOptionsSystemURLIsTheDefault(t *testing.T) {
	ctx := context.Background()
	srv := openWithSystemURL(t, "", "http://127.0.0.1:4567")
	require.NoError(t, srv.LoadFixture(ctx, []byte(`{"settings": {"companyName": "Acme"}, "admins": [{"username": "admin"}],
		"users": [{"id": 1, "email": "u@example.com", "password": "pw"}],
		"clients": [{"id": 1, "firstname": "U", "ownerUserId": 1}]}`)))
	assert.Equal(t, "http://127.0.0.1:4567/", systemConfig(t, srv, "SystemURL"), "a missing / is added")
	sso := systemCall(t, srv, "admin", "CreateSsoToken", map[string][]string{"client_id": {"1"}})
	require.Equal(t, "success", sso["result"], sso)
	assert.Equal(t, "http://127.0.0.1:4567/oauth/singlesignon.php?access_token="+sso["access_token"].(string), sso["redirect_url"])

	exported, err := srv.Export(ctx)
	require.NoError(t, err)
	var doc struct {
		Settings map[string]any `json:"settings"`
	}
	require.NoError(t, json.Unmarshal(exported, &doc))
	assert.NotContains(t, doc.Settings, "systemUrl", "a defaulted System URL is the server's, not the state's")

	require.NoError(t, srv.LoadFixture(ctx, []byte(`{"settings": {"systemUrl": "https://billing.example/"}}`)))
	assert.Equal(t, "https://billing.example/", systemConfig(t, srv, "SystemURL"), "the fixture's wins")
	require.NoError(t, srv.Reset(ctx))
	assert.Equal(t, "https://billing.example/", systemConfig(t, srv, "SystemURL"), "and is restored by a reset")

	demo := openWithSystemURL(t, filepath.Join("testdata", "fixtures", "demo.json"), "http://127.0.0.1:4567/")
	assert.Equal(t, "http://localhost:8080/", systemConfig(t, demo, "SystemURL"), "the demo fixture chooses one")
}
