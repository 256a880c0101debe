package main

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSystemURLIsTheListeningAddress: when the fixtures choose no System
// URL, it is the address the server listens on, port 0 included, so that
// single sign-on links (and the OpenID Connect issuer) reach the server.
func TestSystemURLIsTheListeningAddress(t *testing.T) {
	data, err := os.ReadFile(demoFixture)
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(data, &doc))
	delete(doc["settings"].(map[string]any), "systemUrl")
	data, err = json.Marshal(doc)
	require.NoError(t, err)
	dir := t.TempDir()
	fixture := filepath.Join(dir, "no-system-url.json")
	require.NoError(t, os.WriteFile(fixture, data, 0o600))

	r := start(t, serveArgs(filepath.Join(dir, "state.db"), "--fixtures", fixture), nil)
	require.True(t, strings.HasPrefix(r.url, "http://127.0.0.1:"), r.url)
	m := r.call(t, url.Values{"action": {"CreateSsoToken"}, "client_id": {"1"}})
	require.Equal(t, "success", m["result"], "%v", m)
	assert.Equal(t, r.url+"/oauth/singlesignon.php?access_token="+m["access_token"].(string), m["redirect_url"])
}
