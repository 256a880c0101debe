package whmcsemu

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/store"
)

// Area tests that reach inside the server (its logger, the authentication
// cache through fixture application, the random source, the store): the rest of the
// area tests are in package whmcsemu_test.

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

// With a random source that repeats, the second mask collides every time.
func TestTicketsMaskCollision(t *testing.T) {
	srv, _ := newTestServer(t)
	srv.env.SetRandom(bytes.NewReader(make([]byte, 1<<16)))
	ticket := url.Values{"deptid": {"1"}, "clientid": {"1"}, "subject": {"Help"}, "message": {"Please help."}}
	var first struct {
		TID string `json:"tid"`
	}
	res := srv.Call(t.Context(), "OpenTicket", ticket, "admin")
	require.NoError(t, res.Decode(&first))
	require.True(t, res.OK(), "%s", res.JSON())
	assert.Equal(t, "AAA-000000", first.TID)
	second := srv.Call(t.Context(), "OpenTicket", ticket, "admin")
	require.NotNil(t, second.Err)
	assert.Equal(t, "Unable to generate ticket number", second.Err.Message)
	var count struct {
		TotalResults int `json:"totalresults"`
	}
	require.NoError(t, srv.Call(t.Context(), "GetTickets", nil, "admin").Decode(&count))
	assert.Equal(t, 1, count.TotalResults)
}

func TestSystemEncryptDecrypt(t *testing.T) {
	var logs bytes.Buffer
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "enc.db")
	db, err := store.Open(ctx, path)
	require.NoError(t, err)
	srv, err := newServer(ctx, db, Options{Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	require.NoError(t, err)
	demo, err := os.ReadFile(filepath.Join("testdata", "fixtures", "demo.json"))
	require.NoError(t, err)
	err = srv.LoadFixture(ctx, demo)
	require.NoError(t, err)

	local := func(s *Server, action string, params url.Values) (out map[string]any) {
		require.NoError(t, s.Call(ctx, action, params, "").Decode(&out))
		return out
	}
	overHTTP := func(s *Server, action string, params url.Values) (out map[string]any) {
		form := withAuth(params)
		form.Set("action", action)
		form.Set("responsetype", "json")
		require.NoError(t, json.Unmarshal(post(s, form).Body.Bytes(), &out))
		return out
	}
	encrypt := func(s string) string {
		got := local(srv, "EncryptPassword", url.Values{"password2": {s}})
		require.Equal(t, "success", got["result"], got)
		return got["password"].(string)
	}
	decrypt := func(s *Server, c string) map[string]any {
		return local(s, "DecryptPassword", url.Values{"password2": {c}})
	}
	for _, plain := range []string{"teststring", "pässwörd ✓ <&>", strings.Repeat("long ", 200)} {
		c1, c2 := encrypt(plain), encrypt(plain)
		assert.NotEqual(t, c1, c2, "a fresh nonce each time")
		assert.NotContains(t, c1, plain)
		assert.Equal(t, map[string]any{"result": "success", "password": plain}, decrypt(srv, c1))
		assert.Equal(t, plain, decrypt(srv, c2)["password"])
	}

	// Any changed byte is refused.
	sealed, err := base64.StdEncoding.DecodeString(encrypt("teststring"))
	require.NoError(t, err)
	refused := map[string]any{"result": "error", "message": "Decryption failed: password2 was not encrypted by this installation"}
	for i := range sealed {
		bad := bytes.Clone(sealed)
		bad[i] ^= 0x01
		assert.Equal(t, refused, decrypt(srv, base64.StdEncoding.EncodeToString(bad)), "byte %d changed", i)
	}
	assert.Equal(t, refused, decrypt(srv, base64.StdEncoding.EncodeToString(sealed[:20])), "cut short")

	// The key is the database's: it outlives a restart, another database
	// refuses the ciphertext, and it never reaches the log.
	c := overHTTP(srv, "EncryptPassword", url.Values{"password2": {"kept"}})["password"].(string)
	assert.Equal(t, "kept", overHTTP(srv, "DecryptPassword", url.Values{"password2": {c}})["password"])
	require.NoError(t, db.Close())
	db2, err := store.Open(ctx, path)
	require.NoError(t, err)
	defer db2.Close()
	again, err := newServer(ctx, db2, Options{})
	require.NoError(t, err)
	assert.Equal(t, "kept", decrypt(again, c)["password"])
	other, _ := newTestServer(t)
	assert.Equal(t, refused, decrypt(other, c))
	var key []byte
	require.NoError(t, db2.View(ctx, func(tx *store.Tx) (err error) {
		key, err = tx.Secret(ctx, "encrypt_password_key", nil)
		return err
	}))
	require.Len(t, key, 32)
	require.NotZero(t, logs.Len(), "the calls were logged")
	for _, form := range []string{string(key), base64.StdEncoding.EncodeToString(key), hex.EncodeToString(key)} {
		assert.NotContains(t, logs.String(), form)
	}
	entries := srv.Journal().Entries(JournalFilter{Action: "EncryptPassword"})
	require.NotEmpty(t, entries)
	for _, e := range entries {
		assert.NotContains(t, e.Params.Encode(), "kept", "password2 is masked in the journal")
	}
}

// A caller that is no admin (the local API with no admin named) has no
// flagged tickets: flag 0 is a ticket flagged to no one, not to it.
func TestNoAdminHasNoFlaggedTickets(t *testing.T) {
	srv, _ := newTestServer(t)
	ticket := url.Values{"deptid": {"1"}, "clientid": {"1"}, "subject": {"Help"}, "message": {"Please help."}}
	require.True(t, srv.Call(t.Context(), "OpenTicket", ticket, "admin").OK())
	var stats struct {
		Active  int64 `json:"tickets_allactive"`
		Flagged int64 `json:"tickets_flaggedtickets"`
	}
	require.NoError(t, srv.Call(t.Context(), "GetStats", nil, "").Decode(&stats))
	require.Positive(t, stats.Active)
	require.Zero(t, stats.Flagged, "GetStats")
	var counts struct {
		Flagged int64 `json:"flaggedTickets"`
	}
	require.NoError(t, srv.Call(t.Context(), "GetTicketCounts", nil, "").Decode(&counts))
	require.Zero(t, counts.Flagged, "GetTicketCounts")
	var list struct {
		Total int64 `json:"totalresults"`
	}
	require.NoError(t, srv.Call(t.Context(), "GetTickets", url.Values{"status": {"My Flagged Tickets"}}, "").Decode(&list))
	require.Zero(t, list.Total, "GetTickets, My Flagged Tickets")
	require.NoError(t, srv.Call(t.Context(), "GetTickets", url.Values{"status": {"All Active Tickets"}}, "").Decode(&list))
	require.Positive(t, list.Total, "GetTickets, All Active Tickets")
}
