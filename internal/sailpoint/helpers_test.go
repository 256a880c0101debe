package sailpoint

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/auth"
	"github.com/whmcsemu/whmcsemu/store"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// testStart is the fixed clock's start.
var testStart = time.Date(2026, 3, 14, 9, 26, 53, 589_000_000, time.UTC)

// The bootstrap client every test starts with, as a fixture would make it.
const (
	adminID     = "2c9180835d2e5168015d32f890ca1581"
	adminSecret = "bootstrap-secret"
)

type testEnv struct {
	db  *store.DB
	h   *Handler
	now atomic.Int64 // Unix milliseconds
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "sailpoint.db"))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	te := &testEnv{db: db}
	te.now.Store(testStart.UnixMilli())
	te.h = New(db, Options{
		Clock:  func() time.Time { return time.UnixMilli(te.now.Load()).UTC() },
		Random: rand.NewChaCha8([32]byte{'s', 'a', 'i', 'l'}),
		Logger: slog.New(slog.DiscardHandler),
	})
	te.putClient(t, store.SailPointClient{ID: adminID, Name: "bootstrap", Enabled: true, AccessTokenValiditySeconds: 750,
		GrantTypes: []string{"CLIENT_CREDENTIALS"}, Scope: []string{"sp:scopes:all"}}, adminSecret)
	return te
}

// putClient stores a client with defaults for what c leaves out.
func (te *testEnv) putClient(t *testing.T, c store.SailPointClient, secret string) {
	t.Helper()
	hash, err := auth.HashSecret(secret)
	require.NoError(t, err)
	c.SecretHash = hash
	if c.AccessType == "" {
		c.AccessType = "OFFLINE"
	}
	if c.Type == "" {
		c.Type = "CONFIDENTIAL"
	}
	if c.RefreshTokenValiditySeconds == 0 {
		c.RefreshTokenValiditySeconds = 86400
	}
	c.Created, c.Modified = te.now.Load(), te.now.Load()
	require.NoError(t, te.db.Update(context.Background(), func(tx *store.Tx) error {
		return tx.PutSailPointClient(context.Background(), c)
	}))
}

func (te *testEnv) advance(d time.Duration) { te.now.Add(d.Milliseconds()) }

// do sends a request through the handler.
func (te *testEnv) do(t *testing.T, method, target, contentType, body, token string) (*http.Response, string) {
	t.Helper()
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	w := httptest.NewRecorder()
	te.h.ServeHTTP(w, r)
	res := w.Result()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res, string(b)
}

// mint gets a token for a client with the form body.
func (te *testEnv) mint(t *testing.T, id, secret string) string {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}}
	res, body := te.do(t, "POST", "/oauth/token", "application/x-www-form-urlencoded", form.Encode(), "")
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &tok))
	return tok.AccessToken
}

// golden compares got (JSON) with testdata/<name>.json, indented.
func golden(t *testing.T, name, got string) {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, json.Indent(&buf, []byte(strings.TrimSpace(got)), "", "  "), got)
	pretty := append(buf.Bytes(), '\n')
	path := filepath.Join("testdata", name+".json")
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, pretty, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./sailpoint -update to create it")
	require.Equal(t, string(want), string(pretty))
}

func decode(t *testing.T, body string) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(body), &m), body)
	return m
}

// errorText is the first message of an ErrorResponseDto body.
func errorText(t *testing.T, body string) string {
	t.Helper()
	var e ErrorResponse
	require.NoError(t, json.Unmarshal([]byte(body), &e), body)
	require.NotEmpty(t, e.Messages, body)
	require.Len(t, e.TrackingID, 32)
	require.NotNil(t, e.Causes)
	return e.Messages[0].Text
}
