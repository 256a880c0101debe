package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/auth"
	"github.com/whmcsemu/whmcsemu/store"
)

// demoFixture is the demo fixture, relative to this package's directory.
var demoFixture = filepath.Join("..", "..", "testdata", "fixtures", "demo.json")

const (
	demoIdentifier = "DemoIdentifier000000000000000001"
	demoSecret     = "DemoSecret0000000000000000000001"
)

// demoSecrets are every secret and password in the demo fixture.
var demoSecrets = []string{
	"DemoSecret0000000000000000000001", "DemoSecret0000000000000000000002", "DemoSecret0000000000000000000003",
	"demo-admin-password", "former-password", auth.MD5Hex("demo-admin-password"), auth.MD5Hex("former-password"),
	"jane-password", "sam-password", "lee-password",
	"ZGVtby1zZWNyZXQtb25lLWRlbW8tc2VjcmV0LW9uZS1kZW1vLXNlY3JldC1vbmUtZGVtby1zZWNyZXQtb25lLWRlbW8=",
	"ZGVtby1zZWNyZXQtdHdvLWRlbW8tc2VjcmV0LXR3by1kZW1vLXNlY3JldC10d28tZGVtby1zZWNyZXQtdHdvLWRlbW8=",
}

// syncBuffer is an io.Writer the server goroutine and the test share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	// watch, when set, is closed the first time the output holds watchFor.
	watchFor string
	watch    chan struct{}
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n, err := b.buf.Write(p)
	if b.watch != nil && strings.Contains(b.buf.String(), b.watchFor) {
		close(b.watch)
		b.watch = nil
	}
	return n, err
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// notifyOn returns a channel closed once the output holds s.
func (b *syncBuffer) notifyOn(s string) <-chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	ch := make(chan struct{})
	if strings.Contains(b.buf.String(), s) {
		close(ch)
		return ch
	}
	b.watchFor, b.watch = s, ch
	return ch
}

func envFrom(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// running is a Main.Run in a goroutine.
type running struct {
	url            string
	stdout, stderr *syncBuffer
	cancel         context.CancelFunc
	done           chan int
	readyCh        chan string
	client         *http.Client
}

// start runs Main.Run(args) and waits until it serves. It fails the test
// when Run returns first.
func start(t *testing.T, args []string, env map[string]string) *running {
	t.Helper()
	r := newRunning(args, env, nil)
	t.Cleanup(func() {
		r.cancel()
		<-r.done
		r.client.CloseIdleConnections()
	})
	select {
	case code := <-r.done:
		r.done <- code
		t.Fatalf("Run returned %d before serving; stderr:\n%s", code, r.stderr.String())
	case r.url = <-r.readyCh:
	}
	return r
}

func newRunning(args []string, env map[string]string, stderr *syncBuffer) *running {
	ctx, cancel := context.WithCancel(context.Background())
	if stderr == nil {
		stderr = &syncBuffer{}
	}
	r := &running{
		stdout: &syncBuffer{}, stderr: stderr, cancel: cancel, done: make(chan int, 1),
		client: &http.Client{Transport: &http.Transport{}},
	}
	readyCh := make(chan string, 1)
	m := &Main{Stdout: r.stdout, Stderr: r.stderr, Getenv: envFrom(env), Ready: func(u string) { readyCh <- u }}
	r.readyCh = readyCh
	go func() { r.done <- m.Run(ctx, args) }()
	return r
}

// stop cancels the context and returns Run's exit code.
func (r *running) stop() int {
	r.cancel()
	code := <-r.done
	r.done <- code // for the cleanup
	r.client.CloseIdleConnections()
	return code
}

// call posts an API request with the demo credential and decodes the JSON answer.
func (r *running) call(t *testing.T, form url.Values) map[string]any {
	t.Helper()
	out := url.Values{"identifier": {demoIdentifier}, "secret": {demoSecret}, "responsetype": {"json"}}
	for k, v := range form {
		out[k] = v
	}
	resp, err := r.client.PostForm(r.url+"/includes/api.php", out)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	var m map[string]any
	require.NoError(t, json.Unmarshal(body, &m), "%s", body)
	return m
}

// listOAuth returns ListOAuthCredentials' clients by credentialId.
func (r *running) listOAuth(t *testing.T) map[int64]map[string]any {
	t.Helper()
	m := r.call(t, url.Values{"action": {"ListOAuthCredentials"}})
	require.Equal(t, "success", m["result"], "%v", m)
	clients, ok := m["clients"].([]any)
	require.True(t, ok, "%v", m)
	out := map[int64]map[string]any{}
	for _, c := range clients {
		cm := c.(map[string]any)
		out[int64(cm["credentialId"].(float64))] = cm
	}
	return out
}

var listening = regexp.MustCompile(`^whmcsemu listening on (http://127\.0\.0\.1:(\d+))\n`)

// serveArgs are the flags of a server on a free loopback port.
func serveArgs(db string, extra ...string) []string {
	return append([]string{"serve", "--addr", "127.0.0.1:0", "--db", db}, extra...)
}

// dbState is what a database holds, read with the store after Run returned.
type dbState struct {
	admins, apiCredentials []string
	oauth                  []string
	settings               store.Settings
}

func readState(t *testing.T, path string) dbState {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	require.NoError(t, err)
	defer db.Close()
	var s dbState
	require.NoError(t, db.View(ctx, func(tx *store.Tx) error {
		admins, err := tx.Admins(ctx)
		require.NoError(t, err)
		for _, a := range admins {
			s.admins = append(s.admins, a.Username)
		}
		creds, err := tx.APICredentials(ctx)
		require.NoError(t, err)
		for _, c := range creds {
			s.apiCredentials = append(s.apiCredentials, c.Identifier)
		}
		oauth, err := tx.OAuthCredentials(ctx, store.OAuthFilter{})
		require.NoError(t, err)
		for _, o := range oauth {
			s.oauth = append(s.oauth, o.Identifier)
		}
		s.settings, err = tx.LoadSettings(ctx)
		require.NoError(t, err)
		return nil
	}))
	return s
}

func TestServeDemo(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "state.db")
	r := start(t, serveArgs(dbPath, "--fixtures", demoFixture), nil)

	m := listening.FindStringSubmatch(r.stdout.String())
	require.NotNil(t, m, "stdout: %q", r.stdout.String())
	assert.Equal(t, r.url, m[1], "Ready gets the URL stdout shows")
	port, err := strconv.Atoi(m[2])
	require.NoError(t, err)
	assert.NotZero(t, port)

	clients := r.listOAuth(t)
	require.Len(t, clients, 2)
	assert.Equal(t, "DEMO-HOSTING.c2VlZC1pZGVudGlmaWVyMQ==", clients[1]["clientIdentifier"])
	assert.Equal(t, "single_sign_on", clients[2]["grantTypes"])

	// The other paths are not the API.
	resp, err := r.client.Get(r.url + "/")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)

	// The database and its companions are readable by the owner only.
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var seen []string
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "state.db") {
			continue
		}
		info, err := e.Info()
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "%s", e.Name())
		seen = append(seen, e.Name())
	}
	assert.Contains(t, seen, "state.db")
	t.Logf("checked the modes of %v", seen)

	assert.Equal(t, 0, r.stop())
	info, err := os.Stat(dbPath)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
	assert.Contains(t, r.stderr.String(), "fixtures loaded")
	assert.Equal(t, "whmcsemu console at "+m[1]+"/_whmcsemu/console/\n", strings.TrimPrefix(r.stdout.String(), m[0]),
		"stdout holds the listening line, then the console's")
}

func TestStateSurvivesRestart(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "state.db")
	args := serveArgs(dbPath, "--fixtures", demoFixture)

	r := start(t, args, nil)
	created := r.call(t, url.Values{"action": {"CreateOAuthCredential"}, "grantType": {"authorization_code"},
		"name": {"Made by the API"}, "scope": {"openid email"}})
	require.Equal(t, "success", created["result"], "%v", created)
	createdID := int64(created["credentialId"].(float64))
	deleted := r.call(t, url.Values{"action": {"DeleteOAuthCredential"}, "credentialId": {"2"}})
	require.Equal(t, "success", deleted["result"], "%v", deleted)
	updated := r.call(t, url.Values{"action": {"UpdateOAuthCredential"}, "credentialId": {"1"}, "name": {"Renamed by the API"}})
	require.Equal(t, "success", updated["result"], "%v", updated)
	require.Equal(t, 0, r.stop())
	first := readState(t, dbPath)

	r = start(t, args, nil)
	assert.Contains(t, r.stderr.String(), "fixtures already loaded")
	clients := r.listOAuth(t)
	assert.Len(t, clients, 2)
	require.Contains(t, clients, createdID, "the credential made before the restart is gone")
	assert.Equal(t, created["clientIdentifier"], clients[createdID]["clientIdentifier"])
	assert.Equal(t, created["clientSecret"], clients[createdID]["clientSecret"])
	assert.NotContains(t, clients, int64(2), "the credential deleted before the restart came back")
	require.Contains(t, clients, int64(1))
	assert.Equal(t, "Renamed by the API", clients[1]["name"], "the fixture overwrote a change made by the API")
	require.Equal(t, 0, r.stop())

	second := readState(t, dbPath)
	assert.Equal(t, first, second)
	assert.Equal(t, []string{"admin", "former"}, second.admins)
	assert.Len(t, second.apiCredentials, 3)
	assert.Len(t, second.oauth, 2)
}

// TestStateSurvivesRestartAfterReset: a reset (or a replacing load)
// wipes and re-applies the fixtures; the database must remember that it
// holds them, or a restart with the same flags applies them again over
// the API's changes.
func TestStateSurvivesRestartAfterReset(t *testing.T) {
	for _, how := range []string{"reset", "replace"} {
		t.Run(how, func(t *testing.T) {
			dbPath := filepath.Join(t.TempDir(), "state.db")
			args := serveArgs(dbPath, "--fixtures", demoFixture)
			r := start(t, args, nil)
			var req *http.Request
			if how == "reset" {
				req, _ = http.NewRequest("POST", r.url+"/_whmcsemu/reset", nil)
			} else {
				demo, err := os.ReadFile(demoFixture)
				require.NoError(t, err)
				req, _ = http.NewRequest("POST", r.url+"/_whmcsemu/fixtures?replace=true", bytes.NewReader(demo))
				req.Header.Set("Content-Type", "application/json")
			}
			resp, err := r.client.Do(req)
			require.NoError(t, err)
			resp.Body.Close()
			require.Equal(t, http.StatusOK, resp.StatusCode)
			updated := r.call(t, url.Values{"action": {"UpdateOAuthCredential"}, "credentialId": {"1"}, "name": {"Renamed after the " + how}})
			require.Equal(t, "success", updated["result"], "%v", updated)
			require.Equal(t, 0, r.stop())

			r = start(t, args, nil)
			assert.Contains(t, r.stderr.String(), "fixtures already loaded")
			assert.Equal(t, "Renamed after the "+how, r.listOAuth(t)[1]["name"], "the restart applied the fixture again")
			require.Equal(t, 0, r.stop())
		})
	}
}

func TestEnvironmentAndFlags(t *testing.T) {
	broken := filepath.Join(t.TempDir(), "broken.json")
	require.NoError(t, os.WriteFile(broken, []byte(`{"clients": [{"emial": "x"}]}`), 0o600))

	tests := []struct {
		name string
		env  map[string]string
		args func(dir string) []string
		// the database file that must exist, and one that must not
		wantDB, notDB string
		fixtures      bool // the demo fixture is loaded
		infoLogged    bool
	}{
		{
			name: "environment only",
			env: map[string]string{"WHMCSEMU_ADDR": "127.0.0.1:0", "WHMCSEMU_DB": "env.db",
				"WHMCSEMU_FIXTURES": demoFixture, "WHMCSEMU_LOG_LEVEL": "warn"},
			args:   func(string) []string { return nil },
			wantDB: "env.db", fixtures: true, infoLogged: false,
		},
		{
			name: "environment with the serve command",
			env: map[string]string{"WHMCSEMU_ADDR": "127.0.0.1:0", "WHMCSEMU_DB": "env.db",
				"WHMCSEMU_LOG_LEVEL": "INFO"},
			args:   func(string) []string { return []string{"serve"} },
			wantDB: "env.db", fixtures: false, infoLogged: true,
		},
		{
			name: "flags override every variable",
			env: map[string]string{"WHMCSEMU_ADDR": "256.0.0.1:http", "WHMCSEMU_DB": "env.db",
				"WHMCSEMU_FIXTURES": broken, "WHMCSEMU_LOG_LEVEL": "bogus"},
			args: func(dir string) []string {
				return []string{"--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "flag.db"), "--fixtures", demoFixture, "--log-level", "warn"}
			},
			wantDB: "flag.db", notDB: "env.db", fixtures: true, infoLogged: false,
		},
		{
			name: "an empty flag overrides a variable",
			env: map[string]string{"WHMCSEMU_ADDR": "127.0.0.1:0", "WHMCSEMU_DB": "env.db",
				"WHMCSEMU_FIXTURES": broken, "WHMCSEMU_LOG_LEVEL": "error"},
			args:   func(string) []string { return []string{"serve", "--fixtures=", "--log-level=debug"} },
			wantDB: "env.db", fixtures: false, infoLogged: true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			env := map[string]string{}
			for k, v := range tc.env {
				if k == "WHMCSEMU_DB" {
					v = filepath.Join(dir, v)
				}
				env[k] = v
			}
			r := start(t, tc.args(dir), env)
			assert.Regexp(t, listening, r.stdout.String())
			assert.NotEqual(t, "http://127.0.0.1:8080", r.url, "the default address was used")
			assert.FileExists(t, filepath.Join(dir, tc.wantDB))
			if tc.notDB != "" {
				assert.NoFileExists(t, filepath.Join(dir, tc.notDB))
			}
			if tc.fixtures {
				assert.Len(t, r.listOAuth(t), 2)
			} else {
				resp, err := r.client.PostForm(r.url+"/includes/api.php", url.Values{"action": {"ListOAuthCredentials"},
					"identifier": {demoIdentifier}, "secret": {demoSecret}, "responsetype": {"json"}})
				require.NoError(t, err)
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				assert.Contains(t, string(body), `"result":"error"`, "no fixture: the demo credential is unknown")
			}
			require.Equal(t, 0, r.stop())
			if tc.infoLogged {
				assert.Contains(t, r.stderr.String(), "level=INFO")
			} else {
				assert.NotContains(t, r.stderr.String(), "level=INFO")
			}
		})
	}
}

// runToEnd runs Main.Run and returns its code and output; a Run that starts
// serving fails the test and is stopped, so a wrong start cannot hang.
func runToEnd(t *testing.T, args []string, env map[string]string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut syncBuffer
	m := &Main{Stdout: &out, Stderr: &errOut, Getenv: envFrom(env), Ready: func(u string) {
		t.Errorf("Run started serving on %s", u)
		cancel()
	}}
	code = m.Run(ctx, args)
	return code, out.String(), errOut.String()
}

func TestBrokenFixture(t *testing.T) {
	tests := []struct {
		name, doc string
		want      []string
	}{
		{"unknown field", `{"admins": [{"username": "a"}], "clients": [{"id": 1}, {"id": 2, "emial": "x@example.com"}]}`,
			[]string{"clients[1].emial", "unknown field"}},
		{"wrong type", `{"admins": [{"id": "1", "username": "a"}]}`, []string{"admins[0].id", "must be a number"}},
		{"invalid JSON", `{"admins": [`, []string{"not valid JSON"}},
		{"unknown admin", `{"settings": {"companyName": "Broken"}, "admins": [{"username": "a", "password": "broken-admin-pw"}],
			"apiCredentials": [{"identifier": "I", "secret": "S", "admin": "a"}, {"identifier": "J", "secret": "T", "admin": "b"}]}`,
			[]string{"apiCredentials[1].admin", `no admin has the username "b"`}},
		{"bad system URL", `{"settings": {"systemUrl": "http://x"}}`, []string{"settings.systemUrl", "must end with /"}},
		{"single_sign_on without service", `{"admins": [{"username": "a"}], "oauthCredentials": [{"grantType": "single_sign_on", "scope": "clientarea:sso"}]}`,
			[]string{"oauthCredentials[0].serviceId", "single_sign_on"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			fx := filepath.Join(dir, "broken.json")
			require.NoError(t, os.WriteFile(fx, []byte(tc.doc), 0o600))
			dbPath := filepath.Join(dir, "fresh.db")
			code, stdout, stderr := runToEnd(t, serveArgs(dbPath, "--fixtures", fx), nil)
			assert.NotEqual(t, 0, code)
			assert.NotContains(t, stdout, "listening")
			assert.Contains(t, stderr, fx, "the message names the fixture file")
			for _, w := range tc.want {
				assert.Contains(t, stderr, w)
			}
			assert.NotContains(t, stderr, "broken-admin-pw")
			assert.NoFileExists(t, dbPath, "a failed start leaves no database it created")
		})
	}

	t.Run("missing file", func(t *testing.T) {
		dir := t.TempDir()
		fx := filepath.Join(dir, "nope.json")
		code, _, stderr := runToEnd(t, serveArgs(filepath.Join(dir, "fresh.db"), "--fixtures", fx), nil)
		assert.NotEqual(t, 0, code)
		assert.Contains(t, stderr, fx)
		assert.Contains(t, stderr, "no such file")
		assert.NoFileExists(t, filepath.Join(dir, "fresh.db"))
	})
}

func TestUnusableDatabasePath(t *testing.T) {
	dir := t.TempDir()
	notDB := filepath.Join(dir, "notes.txt")
	garbage := bytes.Repeat([]byte("this is not an SQLite database\n"), 200)
	require.NoError(t, os.WriteFile(notDB, garbage, 0o600))
	tests := []struct {
		name, path, want string
	}{
		{"inside a missing directory", filepath.Join(dir, "missing", "state.db"), "no such file or directory"},
		{"a directory", dir, "is a directory"},
		{"a file that is not a database", notDB, "not a database"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runToEnd(t, serveArgs(tc.path, "--fixtures", demoFixture), nil)
			assert.Equal(t, 1, code)
			assert.NotContains(t, stdout, "listening")
			assert.Contains(t, stderr, "whmcsemu: ")
			assert.Contains(t, stderr, tc.path, "the message names the database")
			assert.Contains(t, stderr, tc.want)
		})
	}
	after, err := os.ReadFile(notDB)
	require.NoError(t, err)
	assert.Equal(t, garbage, after, "a file that is not a database is left alone")
	assert.NoDirExists(t, filepath.Join(dir, "missing"))
}

func TestAddressInUse(t *testing.T) {
	dir := t.TempDir()
	r := start(t, serveArgs(filepath.Join(dir, "a.db")), nil)
	addr := strings.TrimPrefix(r.url, "http://")
	code, stdout, stderr := runToEnd(t, []string{"--addr", addr, "--db", filepath.Join(dir, "b.db")}, nil)
	assert.Equal(t, 1, code)
	assert.NotContains(t, stdout, "listening")
	assert.Contains(t, stderr, addr)
	assert.Contains(t, stderr, "address already in use")
	// The first server is unharmed.
	resp, err := r.client.Get(r.url + "/includes/api.php")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 0, r.stop())
}

// A role may name an action by an alias WHMCS accepts (GetClientsData for
// GetClientsDetails): the fixture accepts it, so the role must allow it.
func TestRoleActionAlias(t *testing.T) {
	dir := t.TempDir()
	fx := filepath.Join(dir, "alias.json")
	require.NoError(t, os.WriteFile(fx, []byte(`{"admins": [{"username": "a"}],
		"apiRoles": [{"name": "alias", "actions": ["GetClientsData"]}],
		"apiCredentials": [{"identifier": "AliasIdentifier", "secret": "AliasSecret", "admin": "a", "roles": ["alias"]}]}`), 0o600))
	r := start(t, serveArgs(filepath.Join(dir, "state.db"), "--fixtures", fx), nil)
	message := func(action string) string {
		resp, err := r.client.PostForm(r.url+"/includes/api.php", url.Values{"action": {action},
			"identifier": {"AliasIdentifier"}, "secret": {"AliasSecret"}, "responsetype": {"json"}})
		require.NoError(t, err)
		defer resp.Body.Close()
		var m map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&m))
		msg, _ := m["message"].(string)
		return msg
	}
	assert.Contains(t, message("GetClients"), "Invalid Permissions", "the role allows only GetClientsData")
	for _, action := range []string{"GetClientsData", "GetClientsDetails"} {
		assert.NotContains(t, message(action), "Invalid Permissions", "%s is allowed by the role", action)
	}
	assert.Equal(t, 0, r.stop())
}

func TestUsage(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		code      int
		toStdout  bool   // usage goes to stdout (else stderr)
		errorText string // on stderr
	}{
		{"help", []string{"help"}, 0, true, ""},
		{"--help", []string{"--help"}, 0, true, ""},
		{"-h", []string{"-h"}, 0, true, ""},
		{"serve --help", []string{"serve", "--help"}, 0, true, ""},
		{"unknown command", []string{"frobnicate"}, 2, false, `unknown command "frobnicate"`},
		{"unknown flag", []string{"--bogus"}, 2, false, "flag provided but not defined: -bogus"},
		{"unknown flag of serve", []string{"serve", "--port", "80"}, 2, false, "flag provided but not defined: -port"},
		{"flag without value", []string{"serve", "--db"}, 2, false, "flag needs an argument"},
		{"extra argument", []string{"serve", "extra"}, 2, false, `unexpected argument "extra"`},
		{"bad --log-level", []string{"--log-level", "loud"}, 2, false, `--log-level "loud"`},
		{"bad WHMCSEMU_LOG_LEVEL", nil, 2, false, `--log-level "chatty"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			dbPath := filepath.Join(dir, "never.db")
			env := map[string]string{"WHMCSEMU_DB": dbPath, "WHMCSEMU_ADDR": "127.0.0.1:0"}
			if tc.name == "bad WHMCSEMU_LOG_LEVEL" {
				env["WHMCSEMU_LOG_LEVEL"] = "chatty"
			}
			code, stdout, stderr := runToEnd(t, tc.args, env)
			assert.Equal(t, tc.code, code)
			if tc.toStdout {
				assert.Contains(t, stdout, "Usage:")
				assert.Contains(t, stdout, "whmcsemu serve [flags]")
				assert.Empty(t, stderr)
			} else {
				assert.Contains(t, stderr, tc.errorText)
				assert.NotContains(t, stdout, "listening")
				if !strings.Contains(tc.name, "log-level") && !strings.Contains(tc.name, "LOG_LEVEL") {
					assert.Contains(t, stderr, "Usage:")
				}
			}
			assert.NoFileExists(t, dbPath, "a usage error must not create the database")
		})
	}
}

// TestGracefulShutdown holds a request in flight (its body not yet sent)
// while the context is cancelled: the request still gets its full answer.
func TestGracefulShutdown(t *testing.T) {
	stderr := &syncBuffer{}
	stopping := stderr.notifyOn("stopping")
	r := newRunning(serveArgs(filepath.Join(t.TempDir(), "state.db"), "--fixtures", demoFixture), nil, stderr)
	t.Cleanup(func() { r.cancel() })
	select {
	case code := <-r.done:
		t.Fatalf("Run returned %d; stderr:\n%s", code, stderr.String())
	case r.url = <-r.readyCh:
	}
	addr := strings.TrimPrefix(r.url, "http://")

	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer conn.Close()
	body := url.Values{"action": {"ListOAuthCredentials"}, "identifier": {demoIdentifier},
		"secret": {demoSecret}, "responsetype": {"json"}}.Encode()
	_, err = fmt.Fprintf(conn, "POST /includes/api.php HTTP/1.1\r\nHost: %s\r\n"+
		"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n",
		addr, len(body))
	require.NoError(t, err)
	br := bufio.NewReader(conn)
	// The server sends 100 Continue when the handler starts reading the
	// body: from here the request is in flight.
	line, err := br.ReadString('\n')
	require.NoError(t, err)
	require.Equal(t, "HTTP/1.1 100 Continue\r\n", line)
	line, err = br.ReadString('\n')
	require.NoError(t, err)
	require.Equal(t, "\r\n", line)

	r.cancel()
	<-stopping
	select {
	case code := <-r.done:
		t.Fatalf("Run returned %d with a request in flight", code)
	default:
	}

	_, err = io.WriteString(conn, body)
	require.NoError(t, err)
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err)
	answer, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	var m struct {
		Result  string           `json:"result"`
		Clients []map[string]any `json:"clients"`
	}
	require.NoError(t, json.Unmarshal(answer, &m), "%s", answer)
	assert.Equal(t, "success", m.Result)
	assert.Len(t, m.Clients, 2)

	assert.Equal(t, 0, <-r.done)
	assert.Contains(t, stderr.String(), "stopped")
	_, err = net.Dial("tcp", addr)
	assert.Error(t, err, "the listener is closed after Run returns")
}

// TestShutdownUnderLoad cancels while many requests are under way: every
// answer that arrives is complete.
func TestShutdownUnderLoad(t *testing.T) {
	r := start(t, serveArgs(filepath.Join(t.TempDir(), "state.db"), "--fixtures", demoFixture), nil)
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	const n = 40
	var wg sync.WaitGroup
	first := make(chan struct{})
	var once sync.Once
	var mu sync.Mutex
	var answered int
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			form := url.Values{"action": {"ListOAuthCredentials"}, "identifier": {demoIdentifier},
				"secret": {demoSecret}, "responsetype": {"json"}}
			resp, err := client.PostForm(r.url+"/includes/api.php", form)
			if err != nil {
				return // not accepted before the listener closed
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			assert.NoError(t, err, "an accepted request lost its answer")
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			var m struct {
				Result  string `json:"result"`
				Clients []any  `json:"clients"`
			}
			if assert.NoError(t, json.Unmarshal(body, &m), "incomplete answer %q", body) {
				assert.Equal(t, "success", m.Result)
				assert.Len(t, m.Clients, 2)
			}
			mu.Lock()
			answered++
			mu.Unlock()
			once.Do(func() { close(first) })
		}()
	}
	<-first
	assert.Equal(t, 0, r.stop())
	wg.Wait()
	assert.NotZero(t, answered)
}

func TestNoSecretsInLogs(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "state.db")
	r := start(t, serveArgs(dbPath, "--fixtures", demoFixture, "--log-level", "debug"), nil)

	post := func(form url.Values, query string) {
		resp, err := r.client.Post(r.url+"/includes/api.php?"+query, "application/x-www-form-urlencoded",
			strings.NewReader(form.Encode()))
		require.NoError(t, err)
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	cred := func(id, secret string, extra url.Values) url.Values {
		out := url.Values{"identifier": {id}, "secret": {secret}, "responsetype": {"json"}}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	list := url.Values{"action": {"ListOAuthCredentials"}}
	post(cred(demoIdentifier, demoSecret, list), "")
	post(cred("DemoIdentifier000000000000000002", "DemoSecret0000000000000000000002", list), "")
	post(cred("DemoIdentifier000000000000000002", "DemoSecret0000000000000000000002",
		url.Values{"action": {"DeleteOAuthCredential"}, "credentialId": {"1"}}), "") // not allowed
	post(cred("DemoIdentifier000000000000000003", "DemoSecret0000000000000000000003", list), "") // disabled admin
	post(cred(demoIdentifier, "DemoSecret0000000000000000000002", list), "")                     // wrong secret
	post(cred("DemoSecret0000000000000000000001", "DemoSecret0000000000000000000001", list), "") // secret as identifier
	post(url.Values{"action": {"ListOAuthCredentials"}, "username": {"admin"},
		"password": {auth.MD5Hex("demo-admin-password")}, "responsetype": {"json"}}, "") // legacy login
	post(url.Values{"action": {"ListOAuthCredentials"}, "username": {"admin"},
		"password": {"demo-admin-password"}, "responsetype": {"json"}}, "") // legacy login, plain password
	post(url.Values{"action": {"GetClients"}}, "identifier="+demoIdentifier+"&secret="+demoSecret)
	post(cred(demoIdentifier, demoSecret, url.Values{"action": {"NoSuchAction"}}), "")
	created := r.call(t, url.Values{"action": {"CreateOAuthCredential"}, "grantType": {"single_sign_on"},
		"serviceId": {"1"}, "scope": {"clientarea:sso"}})
	require.Equal(t, "success", created["result"], "%v", created)
	reset := r.call(t, url.Values{"action": {"UpdateOAuthCredential"}, "credentialId": {"1"}, "resetSecret": {"1"}})
	require.Equal(t, "success", reset["result"], "%v", reset)
	require.Equal(t, 0, r.stop())

	logs := r.stderr.String()
	assert.Contains(t, logs, "api call", "the calls were logged")
	assert.Contains(t, logs, demoIdentifier)
	secrets := append([]string{created["clientSecret"].(string), reset["newClientSecret"].(string)}, demoSecrets...)
	for _, s := range secrets {
		require.NotEmpty(t, s)
		assert.NotContains(t, logs, s, "a secret reached the log")
		assert.NotContains(t, logs, url.QueryEscape(s), "a secret reached the log")
	}
	assert.NotContains(t, r.stdout.String(), demoSecret)
}
