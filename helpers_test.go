package whmcsemu

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/internal/dbtemplate"
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
// none), and its options changed by adjust. Each distinct fixture is
// loaded once into a template database, which every test then copies:
// loading hashes passwords with bcrypt.
func newTestServerWith(t testing.TB, fixtureFile string, adjust ...func(*Options)) (*Server, *store.DB) {
	t.Helper()
	srv, db, err := openTestServer(t.TempDir(), fixtureFile, adjust...)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return srv, db
}

// openTestServer is newTestServerWith for a server whose life is not one
// test's: its database is in dir, and the caller closes it.
func openTestServer(dir, fixtureFile string, adjust ...func(*Options)) (*Server, *store.DB, error) {
	ctx := context.Background()
	tpl, err := templates.Get(fixtureFile, func(path string) (struct{}, error) { return struct{}{}, buildTemplate(path, fixtureFile) })
	if err != nil {
		return nil, nil, err
	}
	path := filepath.Join(dir, "test.db")
	if err := tpl.CopyTo(path); err != nil {
		return nil, nil, err
	}
	db, err := store.Open(ctx, path)
	if err != nil {
		return nil, nil, err
	}
	opts := testOptions()
	for _, f := range adjust {
		f(&opts)
	}
	srv, err := newServer(ctx, db, opts)
	if err != nil {
		return nil, nil, errors.Join(err, db.Close())
	}
	return srv, db, nil
}

// testOptions are the options of test servers: the fixed clock and seed 1.
func testOptions() Options {
	return Options{Clock: func() time.Time { return testClock }, Seed: 1}
}

// templates are the test servers' template databases, by fixture file.
var templates dbtemplate.Cache[struct{}]

// buildTemplate makes a database at path with fixtureFile applied.
func buildTemplate(path, fixtureFile string) error {
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	err = func() error {
		srv, err := newServer(ctx, db, testOptions())
		if err != nil || fixtureFile == "" {
			return err
		}
		data, err := os.ReadFile(fixtureFile)
		if err != nil {
			return err
		}
		_, err = fixture.LoadOnce(ctx, srv.env, data)
		return err
	}()
	return errors.Join(err, db.Close())
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

// dataVersionOf returns a function that reads db's PRAGMA data_version on
// a connection of the test's own, which moves whenever another connection
// commits: a call that writes nothing leaves it as it was.
func dataVersionOf(t testing.TB, db *store.DB) func() int64 {
	t.Helper()
	watch, err := sql.Open("sqlite", "file:"+db.Path()+"?mode=ro")
	require.NoError(t, err)
	t.Cleanup(func() { watch.Close() })
	watch.SetMaxOpenConns(1)
	return func() int64 {
		var v int64
		require.NoError(t, watch.QueryRow(`PRAGMA data_version`).Scan(&v))
		return v
	}
}
