package whmcsemu_test

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/whmcstest"
)

// TestConcurrentCreates: 40 clients create credentials at once over real
// HTTP; every write must succeed and be listed, each with its own id,
// identifier and secret.
func TestConcurrentCreates(t *testing.T) {
	srv := whmcstest.NewServer(t, whmcstest.WithFixtureFile(demoFixture), whmcstest.WithClock(testClock), whmcstest.WithSeed(1))

	const n = 40
	type created struct {
		Result           string `json:"result"`
		Message          string `json:"message"`
		CredentialID     int64  `json:"credentialId"`
		ClientIdentifier string `json:"clientIdentifier"`
		ClientSecret     string `json:"clientSecret"`
	}
	results := make([]created, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Not call: its require must not run outside the test's goroutine.
			resp, err := srv.Client().PostForm(srv.APIURL(), url.Values{
				"identifier": {demoIdentifier}, "secret": {demoSecret}, "action": {"CreateOAuthCredential"},
				"responsetype": {"json"}, "grantType": {"authorization_code"}, "name": {fmt.Sprintf("app %d", i)}, "scope": {"openid"},
			})
			if !assert.NoError(t, err) {
				return
			}
			defer resp.Body.Close()
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			assert.NoError(t, json.NewDecoder(resp.Body).Decode(&results[i]))
		}()
	}
	wg.Wait()

	ids, identifiers, secrets := map[int64]bool{}, map[string]bool{}, map[string]bool{}
	for i, r := range results {
		require.Equal(t, "success", r.Result, "create %d: %s", i, r.Message)
		ids[r.CredentialID] = true
		identifiers[r.ClientIdentifier] = true
		secrets[r.ClientSecret] = true
	}
	assert.Len(t, ids, n)
	assert.Len(t, identifiers, n)
	assert.Len(t, secrets, n)

	var list struct {
		Clients []struct {
			CredentialID     int64  `json:"credentialId"`
			ClientIdentifier string `json:"clientIdentifier"`
			ClientSecret     string `json:"clientSecret"`
		} `json:"clients"`
	}
	must(t, srv, "ListOAuthCredentials", nil, &list)
	assert.Len(t, list.Clients, n+2, "the 40 new credentials and the demo fixture's 2")
	for _, c := range list.Clients {
		if c.CredentialID > 2 {
			assert.True(t, ids[c.CredentialID], "listed id %d was created", c.CredentialID)
			assert.True(t, identifiers[c.ClientIdentifier])
			assert.True(t, secrets[c.ClientSecret])
		}
	}
	db, err := sql.Open("sqlite", "file:"+srv.Emulator().Path()+"?mode=ro")
	require.NoError(t, err)
	defer db.Close()
	var verdict string
	require.NoError(t, db.QueryRow(`PRAGMA integrity_check`).Scan(&verdict))
	assert.Equal(t, "ok", verdict)
}

// TestResetSecretRetiresOldOne: after resetSecret the old secret is gone
// from the state and the new one is what ListOAuthCredentials shows.
func TestResetSecretRetiresOldOne(t *testing.T) {
	srv := newDemo(t)
	list := func() string {
		return must(t, srv, "ListOAuthCredentials", url.Values{"limit": {"1"}}, nil, localAPI{}).Body
	}
	before := list()
	var updated struct {
		NewClientSecret string `json:"newClientSecret"`
	}
	must(t, srv, "UpdateOAuthCredential", url.Values{"credentialId": {"1"}, "resetSecret": {"1"}}, &updated, localAPI{})
	newSecret := updated.NewClientSecret
	require.Len(t, newSecret, 88)
	after := list()
	assert.Contains(t, before, "ZGVtby1zZWNyZXQtb25l")
	assert.NotContains(t, after, "ZGVtby1zZWNyZXQtb25l")
	assert.Contains(t, after, newSecret)
}
