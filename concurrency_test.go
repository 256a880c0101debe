package whmcsemu

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConcurrentCreates: 40 clients create credentials at once over real
// HTTP; every write must succeed and be listed, each with its own id,
// identifier and secret.
func TestConcurrentCreates(t *testing.T) {
	srv, db := newTestServer(t)
	ts := httptest.NewServer(srv)
	defer ts.Close()

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
			resp, err := http.PostForm(ts.URL+APIPath, withAuth(url.Values{
				"action": {"CreateOAuthCredential"}, "responsetype": {"json"},
				"grantType": {"authorization_code"}, "name": {fmt.Sprintf("app %d", i)}, "scope": {"openid"},
			}))
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
	rec := post(srv, withAuth(url.Values{"action": {"ListOAuthCredentials"}, "responsetype": {"json"}}))
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &list))
	assert.Len(t, list.Clients, n+2, "the 40 new credentials and the demo fixture's 2")
	for _, c := range list.Clients {
		if c.CredentialID > 2 {
			assert.True(t, ids[c.CredentialID], "listed id %d was created", c.CredentialID)
			assert.True(t, identifiers[c.ClientIdentifier])
			assert.True(t, secrets[c.ClientSecret])
		}
	}
	verdict, err := db.IntegrityCheck(t.Context())
	require.NoError(t, err)
	assert.Equal(t, "ok", verdict)
}

// TestResetSecretRetiresOldOne: after resetSecret the old secret is gone
// from the state and the new one is what ListOAuthCredentials shows.
func TestResetSecretRetiresOldOne(t *testing.T) {
	srv, _ := newTestServer(t)
	list := func() string {
		return string(srv.Call(t.Context(), "ListOAuthCredentials", url.Values{"limit": {"1"}}, "").JSON())
	}
	before := list()
	res := srv.Call(t.Context(), "UpdateOAuthCredential", url.Values{"credentialId": {"1"}, "resetSecret": {"1"}}, "")
	require.True(t, res.OK(), "%s", res.JSON())
	var updated struct {
		NewClientSecret string `json:"newClientSecret"`
	}
	require.NoError(t, res.Decode(&updated))
	newSecret := updated.NewClientSecret
	require.Len(t, newSecret, 88)
	after := list()
	assert.Contains(t, before, "ZGVtby1zZWNyZXQtb25l")
	assert.NotContains(t, after, "ZGVtby1zZWNyZXQtb25l")
	assert.Contains(t, after, newSecret)
}

// TestFixtureChangeForgetsCachedCredentials: the authentication cache must
// not let an old secret in after a fixture replaced it.
func TestFixtureChangeForgetsCachedCredentials(t *testing.T) {
	srv, _ := newTestServer(t)
	ok := func(secret string) int {
		return post(srv, url.Values{"action": {"ListOAuthCredentials"}, "identifier": {demoIdentifier},
			"secret": {secret}, "responsetype": {"json"}}).Code
	}
	require.Equal(t, http.StatusOK, ok(demoSecret)) // now remembered
	applyFixtureFromString(t, srv, `{"apiCredentials":[{"identifier":"`+demoIdentifier+`","secret":"a-new-secret","admin":"admin","roles":["Full access"]}]}`)
	assert.Equal(t, http.StatusForbidden, ok(demoSecret))
	assert.Equal(t, http.StatusOK, ok("a-new-secret"))

	applyFixtureFromString(t, srv, `{"admins":[{"id":1,"username":"admin","password":"x","disabled":true}]}`)
	rec := post(srv, url.Values{"action": {"ListOAuthCredentials"}, "identifier": {demoIdentifier},
		"secret": {"a-new-secret"}, "responsetype": {"json"}})
	assert.Equal(t, `{"result":"error","message":"Administrator Account Disabled"}`, rec.Body.String())
}

// TestNoSecretInLogs runs the six actions and the login modes with a
// debug logger and checks no secret or password reaches the log or the
// request journal.
func TestNoSecretInLogs(t *testing.T) {
	var logs bytes.Buffer
	srv, _ := newTestServer(t)
	srv.log = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv.env.Log = srv.log
	calls := []url.Values{
		withAuth(url.Values{"action": {"CreateOAuthCredential"}, "grantType": {"single_sign_on"}, "serviceId": {"1"}, "scope": {"clientarea:sso"}}),
		withAuth(url.Values{"action": {"ListOAuthCredentials"}}),
		withAuth(url.Values{"action": {"UpdateOAuthCredential"}, "credentialId": {"1"}, "resetSecret": {"1"}}),
		withAuth(url.Values{"action": {"DeleteOAuthCredential"}, "credentialId": {"2"}}),
		withAuth(url.Values{"action": {"CreateSsoToken"}, "client_id": {"1"}}),
		withAuth(url.Values{"action": {"ValidateLogin"}, "email": {"jane@example.com"}, "password2": {"jane-password"}}),
		{"action": {"ListOAuthCredentials"}, "identifier": {demoIdentifier}, "secret": {"wrong-secret-value"}},
		{"action": {"ListOAuthCredentials"}, "username": {"admin"}, "password": {"3f2d9bd7b6a0e0b6fbd5a4a0d0e2c9f1"}},
		{"action": {"ListOAuthCredentials"}, "username": {demoIdentifier}, "password": {demoSecret}},
	}
	var answers strings.Builder
	for _, c := range calls {
		answers.WriteString(post(srv, c).Body.String())
	}
	require.NotEmpty(t, logs.String())
	secrets := []string{demoSecret, "wrong-secret-value", "jane-password", "3f2d9bd7b6a0e0b6fbd5a4a0d0e2c9f1",
		"ZGVtby1zZWNyZXQtb25l", "ZGVtby1zZWNyZXQtdHdv"}
	// Secrets the emulator generated in this run are secrets too.
	for _, field := range []string{"clientSecret=", "newClientSecret=", "access_token=", "passwordhash="} {
		for _, part := range strings.Split(answers.String(), field)[1:] {
			secrets = append(secrets, strings.SplitN(part, ";", 2)[0][:20])
		}
	}
	journal, err := json.Marshal(srv.Journal().Entries(JournalFilter{}))
	require.NoError(t, err)
	require.Contains(t, string(journal), "validatelogin")
	for _, s := range secrets {
		assert.NotContains(t, logs.String(), s, "the log")
		assert.NotContains(t, string(journal), s, "the journal")
	}
}

func applyFixtureFromString(t *testing.T, srv *Server, doc string) {
	t.Helper()
	path := t.TempDir() + "/fixture.json"
	require.NoError(t, writeFile(path, doc))
	applyFixtureFile(t, srv, path)
}
