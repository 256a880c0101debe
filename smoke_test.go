package whmcsemu

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSmokeListOAuthCredentials(t *testing.T) {
	srv, _ := newTestServer(t)
	rec := post(srv, withAuth(url.Values{"action": {"ListOAuthCredentials"}, "responsetype": {"json"}}))
	require.Equal(t, 200, rec.Code)
	assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
	assert.Contains(t, rec.Body.String(), `"clientIdentifier":"DEMO-HOSTING.c2VlZC1pZGVudGlmaWVyMQ=="`)
}
