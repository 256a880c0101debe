package whmcsemu

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/internal/fixture"
	"github.com/whmcsemu/whmcsemu/store"
)

// The demo fixture's credentials (testdata/fixtures/demo.json).
const (
	demoIdentifier   = "DemoIdentifier000000000000000001" // role "Full access"
	demoSecret       = "DemoSecret0000000000000000000001"
	readIdentifier   = "DemoIdentifier000000000000000002" // role "Read OAuth"
	readSecret       = "DemoSecret0000000000000000000002"
	formerIdentifier = "DemoIdentifier000000000000000003" // admin disabled
	formerSecret     = "DemoSecret0000000000000000000003"
)

// demoFixture is the demo fixture's file.
var demoFixture = filepath.Join("testdata", "fixtures", "demo.json")

// testClock is the fixed time of test servers: 18th November 2016 9:32:24am.
var testClock = time.Date(2016, 11, 18, 9, 32, 24, 0, time.UTC)

// newTestServer returns a Server on a fresh database in t.TempDir() loaded
// with the demo fixture, a fixed clock and seed 1 (so that Reset repeats
// what the emulator generates).
func newTestServer(t testing.TB) (*Server, *store.DB) {
	t.Helper()
	return newTestServerWith(t, demoFixture)
}

// newTestServerWith is newTestServer with another fixture file ("" for
// none). Each distinct fixture is loaded once into a template database,
// which every test then copies: loading hashes passwords with bcrypt.
func newTestServerWith(t testing.TB, fixtureFile string) (*Server, *store.DB) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "test.db")
	require.NoError(t, copyFile(templateDB(t, fixtureFile), path))
	db, err := store.Open(ctx, path)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	srv, err := newServer(ctx, db, Options{Clock: func() time.Time { return testClock }, Seed: 1})
	require.NoError(t, err)
	return srv, db
}

var (
	templatesMu  sync.Mutex
	templates    = map[string]string{}
	templatesDir string
)

// templateDB returns the path of a closed database with fixtureFile applied.
func templateDB(t testing.TB, fixtureFile string) string {
	templatesMu.Lock()
	defer templatesMu.Unlock()
	if path, ok := templates[fixtureFile]; ok {
		return path
	}
	ctx := context.Background()
	if templatesDir == "" {
		dir, err := os.MkdirTemp("", "whmcsemu-test-templates-")
		require.NoError(t, err)
		templatesDir = dir
	}
	path := filepath.Join(templatesDir, fmt.Sprintf("template-%d.db", len(templates)))
	db, err := store.Open(ctx, path)
	require.NoError(t, err)
	srv, err := newServer(ctx, db, Options{Clock: func() time.Time { return testClock }, Random: NewSeededRandom(1)})
	require.NoError(t, err)
	if fixtureFile != "" {
		data, err := os.ReadFile(fixtureFile)
		require.NoError(t, err)
		_, err = fixture.LoadOnce(ctx, srv.env, data)
		require.NoError(t, err)
	}
	require.NoError(t, db.Close())
	templates[fixtureFile] = path
	return path
}

func copyFile(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, data, 0o600)
}

func TestMain(m *testing.M) {
	code := m.Run()
	if templatesDir != "" {
		os.RemoveAll(templatesDir)
	}
	os.Exit(code)
}

// controlRequest is a control-plane request as curl on this machine sends
// it: from loopback, to Host 127.0.0.1:8080, a body as application/json.
func controlRequest(method, path, body string) *http.Request {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.RemoteAddr = "127.0.0.1:40000"
	req.Host = "127.0.0.1:8080"
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return req
}

// serveControlRequest sends controlRequest(method, path, body) through srv.
func serveControlRequest(srv http.Handler, method, path, body string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, controlRequest(method, path, body))
	return rec
}

// post sends form as an urlencoded POST through srv.ServeHTTP.
func post(srv http.Handler, form url.Values) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/includes/api.php", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	return rec
}

// withAuth returns form plus the full-access demo credential.
func withAuth(form url.Values) url.Values {
	out := url.Values{"identifier": {demoIdentifier}, "secret": {demoSecret}}
	for k, v := range form {
		out[k] = v
	}
	return out
}

// applyFixtureFile applies one more fixture document to srv.
func applyFixtureFile(t testing.TB, srv *Server, path string) {
	t.Helper()
	ctx := context.Background()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	doc, err := fixture.Parse(data)
	require.NoError(t, err)
	require.NoError(t, fixture.Apply(ctx, srv.env, doc))
	require.NoError(t, srv.stateChanged(ctx))
}

func writeFile(path, content string) error { return os.WriteFile(path, []byte(content), 0o600) }
