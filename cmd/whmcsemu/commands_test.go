package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu"
	"github.com/whmcsemu/whmcsemu/internal/fixture"
)

// cliDemo is the demo fixture, relative to this package's directory.
var cliDemo = filepath.Join("..", "..", "testdata", "fixtures", "demo.json")

// cliRun runs Main.Run to its end with env as the environment.
func cliRun(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	m := &Main{Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return env[k] }}
	code = m.Run(t.Context(), args)
	return code, out.String(), errOut.String()
}

// cliCall runs "whmcsemu call --db db args..." and requires exit code want.
func cliCall(t *testing.T, db string, want int, args ...string) string {
	t.Helper()
	code, stdout, stderr := cliRun(t, nil, append([]string{"call", "--db", db}, args...)...)
	require.Equal(t, want, code, "stdout: %s\nstderr: %s", stdout, stderr)
	return stdout
}

// oauthClients decodes a ListOAuthCredentials answer into its clients by id.
func oauthClients(t *testing.T, out string) map[int64]map[string]any {
	t.Helper()
	var body struct {
		Result  string           `json:"result"`
		Clients []map[string]any `json:"clients"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &body), out)
	require.Equal(t, "success", body.Result, out)
	byID := map[int64]map[string]any{}
	for _, c := range body.Clients {
		byID[int64(c["credentialId"].(float64))] = c
	}
	return byID
}

// httpJSON answers form as the HTTP endpoint does over the database at
// path, with the demo's full-access credential and responsetype=json.
func httpJSON(t *testing.T, path string, form url.Values) string {
	t.Helper()
	srv, err := whmcsemu.Open(t.Context(), path, whmcsemu.Options{})
	require.NoError(t, err)
	defer func() { require.NoError(t, srv.Close()) }()
	hs := httptest.NewServer(srv)
	defer hs.Close()
	form.Set("identifier", "DemoIdentifier000000000000000001")
	form.Set("secret", "DemoSecret0000000000000000000001")
	form.Set("responsetype", "json")
	resp, err := hs.Client().PostForm(hs.URL+whmcsemu.APIPath, form)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	return string(body)
}

func TestCallPrintsWhatTheEndpointSends(t *testing.T) {
	db := filepath.Join(t.TempDir(), "call.db")
	out := cliCall(t, db, 0, "--fixtures", cliDemo, "ListOAuthCredentials")
	require.True(t, strings.HasSuffix(out, "}\n"), out)
	assert.Len(t, oauthClients(t, out), 2)
	assert.Equal(t, httpJSON(t, db, url.Values{"action": {"ListOAuthCredentials"}})+"\n", out,
		"call prints the endpoint's responsetype=json body and a newline")

	// The fixture loads once per database: calling again with it changes nothing.
	again := cliCall(t, db, 0, "--fixtures", cliDemo, "listoauthcredentials")
	assert.Equal(t, out, again)
}

func TestCallCreatePersists(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "call.db")
	out := cliCall(t, db, 0, "--fixtures", cliDemo, "--admin", "admin", "CreateOAuthCredential",
		"grantType=authorization_code", "name=CLI App", "scope=openid email",
		"description=first", "description=second", // a plain key given twice: the last wins, as in PHP
		"logoUri=https://app.example/logo.png?size=2", // split at the first "="
		"redirectUri[]=https://app.example/cb", "redirectUri[]=https://app.example/cb2?a=1&b=2")
	var created struct {
		Result           string `json:"result"`
		CredentialID     int64  `json:"credentialId"`
		ClientIdentifier string `json:"clientIdentifier"`
		ClientSecret     string `json:"clientSecret"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &created), out)
	assert.Equal(t, "success", created.Result)
	assert.Equal(t, int64(3), created.CredentialID)
	assert.True(t, strings.HasPrefix(created.ClientIdentifier, "DEMO-HOSTING."), created.ClientIdentifier)

	// A second process (a second Run) on the same database sees it.
	clients := oauthClients(t, cliCall(t, db, 0, "ListOAuthCredentials"))
	require.Len(t, clients, 3)
	c := clients[3]
	require.NotNil(t, c)
	assert.Equal(t, "CLI App", c["name"])
	assert.Equal(t, "second", c["description"])
	assert.Equal(t, "authorization_code", c["grantTypes"])
	assert.Equal(t, "openid email", c["scope"])
	assert.Equal(t, "https://app.example/logo.png?size=2", c["logoUri"])
	assert.Equal(t, []any{"https://app.example/cb", "https://app.example/cb2?a=1&b=2"}, c["redirectUri"])
	assert.Equal(t, created.ClientIdentifier, c["clientIdentifier"])
	assert.Equal(t, created.ClientSecret, c["clientSecret"])

	// The database comes from WHMCSEMU_DB when --db is not given.
	code, stdout, stderr := cliRun(t, map[string]string{"WHMCSEMU_DB": db}, "call", "ListOAuthCredentials")
	require.Equal(t, 0, code, stderr)
	assert.Len(t, oauthClients(t, stdout), 3)
}

func TestCallErrorResults(t *testing.T) {
	db := filepath.Join(t.TempDir(), "call.db")
	cliCall(t, db, 0, "--fixtures", cliDemo, "ListOAuthCredentials")
	// WHMCS encodes with JSON_HEX_QUOT and friends: " is \u0022.
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"action error", []string{"CreateOAuthCredential", "grantType=bogus"},
			`{"result":"error","message":"The requested grant type \u0022bogus\u0022 is invalid."}`},
		{"missing parameter", []string{"--admin", "admin", "CreateOAuthCredential"},
			`{"result":"error","message":"A valid grant type is required."}`},
		{"unknown admin", []string{"--admin", "nobody", "ListOAuthCredentials"},
			`{"result":"error","message":"No matching admin user found"}`},
		{"unknown admin id", []string{"--admin", "99", "ListOAuthCredentials"},
			`{"result":"error","message":"No matching admin user found"}`},
		{"unknown action", []string{"Frobnicate"},
			`{"result":"error","message":"Invalid API Action: \u0022frobnicate\u0022 is not a valid API action"}`},
		{"empty action", []string{""}, `{"result":"error","message":"Empty action request"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := cliRun(t, nil, append([]string{"call", "--db", db}, tc.args...)...)
			assert.Equal(t, 1, code)
			assert.Equal(t, tc.want+"\n", stdout)
			assert.Empty(t, stderr, "a WHMCS error is the call's answer, not a failure of the command")
		})
	}

	// An admin by id works; the credential list is unchanged by the errors.
	clients := oauthClients(t, cliCall(t, db, 0, "--admin", "1", "ListOAuthCredentials"))
	assert.Len(t, clients, 2)
}

func TestCallUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string // on stderr
	}{
		{"no action", []string{"call"}, "call needs an ACTION"},
		{"pair without =", []string{"call", "GetClients", "status"}, `argument "status" is not key=value`},
		{"flag after action", []string{"call", "GetClients", "--admin", "admin"}, `argument "--admin" is not key=value (flags go before ACTION)`},
		{"empty key", []string{"call", "GetClients", "=x"}, `argument "=x" has an empty key`},
		{"pair instead of action", []string{"call", "grantType=x"}, `call needs an ACTION before the key=value pairs, not "grantType=x"`},
		{"unknown flag", []string{"call", "--bogus", "GetClients"}, "flag provided but not defined: -bogus"},
		{"flag without value", []string{"call", "--admin"}, "flag needs an argument: -admin"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "never.db")
			code, stdout, stderr := cliRun(t, map[string]string{"WHMCSEMU_DB": db}, tc.args...)
			assert.Equal(t, 2, code)
			assert.Empty(t, stdout)
			assert.True(t, strings.HasPrefix(stderr, "whmcsemu: "), stderr)
			assert.Contains(t, stderr, tc.want)
			assert.Contains(t, stderr, "Usage: whmcsemu call")
			assert.NoFileExists(t, db, "a usage error must not create the database")
		})
	}

	t.Run("help", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "never.db")
		for _, help := range []string{"--help", "-h"} {
			code, stdout, stderr := cliRun(t, map[string]string{"WHMCSEMU_DB": db}, "call", help)
			assert.Equal(t, 0, code)
			assert.Contains(t, stdout, "Usage: whmcsemu call")
			assert.Contains(t, stdout, "Example:")
			assert.Contains(t, stdout, "every argument after ACTION is a key=value pair")
			assert.Empty(t, stderr)
		}
		assert.NoFileExists(t, db)
	})
}

func TestCallUnusableFixture(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "call.db")

	code, stdout, stderr := cliRun(t, nil, "call", "--db", db, "--fixtures", filepath.Join(dir, "missing.json"), "GetClients")
	assert.Equal(t, 1, code)
	assert.Empty(t, stdout)
	assert.Equal(t, "whmcsemu: fixtures: "+filepath.Join(dir, "missing.json")+": no such file\n", stderr)
	assert.NoFileExists(t, db, "the fixture file is read before the database is opened")

	broken := filepath.Join(dir, "broken.json")
	require.NoError(t, os.WriteFile(broken, []byte(`{"clients":[{"id":1,"emial":"x@example.com"}]}`), 0o600))
	code, stdout, stderr = cliRun(t, nil, "call", "--db", db, "--fixtures", broken, "GetClients")
	assert.Equal(t, 1, code)
	assert.Empty(t, stdout)
	assert.True(t, strings.HasPrefix(stderr, "whmcsemu: "+broken+": "), stderr)
	assert.Contains(t, stderr, "clients[0].emial")
}

func TestFixturesCheck(t *testing.T) {
	// The temporary database goes under TMPDIR; it must be gone afterwards.
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	dir := t.TempDir()
	write := func(name, doc string) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(doc), 0o600))
		return path
	}

	code, stdout, stderr := cliRun(t, nil, "fixtures", "check", cliDemo)
	assert.Equal(t, 0, code)
	assert.Empty(t, stdout)
	assert.Equal(t, cliDemo+": ok\n", stderr)

	tests := []struct {
		name, doc string
		want      []string // in stderr
	}{
		{"unknown field", `{"clients":[{"id":1},{"id":2,"emial":"x@example.com"}]}`,
			[]string{"clients[1].emial", "unknown field"}},
		{"wrong type", `{"admins":[{"username":"a","disabled":"yes"}]}`,
			[]string{"admins[0].disabled", "must be true or false"}},
		{"broken reference", `{"clients":[{"id":1}],"services":[{"id":1,"clientId":1,"productId":7}]}`,
			[]string{"services[0].productId", "no product has id 7"}},
		{"unknown admin", `{"apiCredentials":[{"identifier":"X","secret":"Y","admin":"ghost"}]}`,
			[]string{"apiCredentials[0].admin", `no admin has the username "ghost"`}},
		{"not JSON", `{"clients":`, []string{"not valid JSON"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := write(strings.ReplaceAll(tc.name, " ", "-")+".json", tc.doc)
			code, stdout, stderr := cliRun(t, nil, "fixtures", "check", path)
			assert.Equal(t, 1, code)
			assert.Empty(t, stdout)
			assert.True(t, strings.HasPrefix(stderr, "whmcsemu: "+path+": fixture: "), stderr)
			for _, w := range tc.want {
				assert.Contains(t, stderr, w)
			}
			assert.NotContains(t, stderr, ": ok")
		})
	}

	t.Run("missing file", func(t *testing.T) {
		path := filepath.Join(dir, "missing.json")
		code, stdout, stderr := cliRun(t, nil, "fixtures", "check", path)
		assert.Equal(t, 1, code)
		assert.Empty(t, stdout)
		assert.Equal(t, "whmcsemu: "+path+": no such file\n", stderr)
	})

	entries, err := os.ReadDir(tmp)
	require.NoError(t, err)
	assert.Empty(t, entries, "fixtures check removes its temporary database")
}

func TestFixturesUsage(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		code  int
		want  string // on stdout for code 0, else on stderr
		usage string
	}{
		{"no subcommand", []string{"fixtures"}, 2, "fixtures needs a subcommand", "whmcsemu fixtures check FILE"},
		{"unknown subcommand", []string{"fixtures", "load"}, 2, `unknown fixtures subcommand "load"`, "whmcsemu fixtures export"},
		{"check without file", []string{"fixtures", "check"}, 2, "fixtures check needs exactly one FILE", "Usage: whmcsemu fixtures check FILE"},
		{"check two files", []string{"fixtures", "check", "a.json", "b.json"}, 2, "exactly one FILE", "Usage: whmcsemu fixtures check FILE"},
		{"check unknown flag", []string{"fixtures", "check", "--strict", "a.json"}, 2, "flag provided but not defined: -strict", "Usage: whmcsemu fixtures check FILE"},
		{"export extra argument", []string{"fixtures", "export", "x.json"}, 2, `unexpected argument "x.json"`, "Usage: whmcsemu fixtures export"},
		{"export unknown flag", []string{"fixtures", "export", "--output", "x.json"}, 2, "flag provided but not defined: -output", "Usage: whmcsemu fixtures export"},
		{"fixtures help", []string{"fixtures", "--help"}, 0, "Example:", "whmcsemu fixtures check FILE"},
		{"check help", []string{"fixtures", "check", "--help"}, 0, "Example:", "Usage: whmcsemu fixtures check FILE"},
		{"export help", []string{"fixtures", "export", "-h"}, 0, "Example:", "Usage: whmcsemu fixtures export [--db FILE] [--out FILE]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			db := filepath.Join(dir, "never.db")
			code, stdout, stderr := cliRun(t, map[string]string{"WHMCSEMU_DB": db}, tc.args...)
			assert.Equal(t, tc.code, code)
			if tc.code == 0 {
				assert.Contains(t, stdout, tc.want)
				assert.Contains(t, stdout, tc.usage)
				assert.Empty(t, stderr)
			} else {
				assert.Empty(t, stdout)
				assert.True(t, strings.HasPrefix(stderr, "whmcsemu: "), stderr)
				assert.Contains(t, stderr, tc.want)
				assert.Contains(t, stderr, tc.usage)
			}
			assert.NoFileExists(t, db)
		})
	}

	code, stdout, _ := cliRun(t, nil, "help")
	assert.Equal(t, 0, code)
	for _, line := range []string{"whmcsemu call [flags] ACTION [key=value ...]", "whmcsemu fixtures check FILE", "whmcsemu fixtures export [--db FILE] [--out FILE]"} {
		assert.Contains(t, stdout, line, "the usage lists the command")
	}
}

func TestFixturesExportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "first.db")
	cliCall(t, db, 0, "--fixtures", cliDemo, "--admin", "admin", "CreateOAuthCredential",
		"grantType=single_sign_on", "serviceId=2", "scope=clientarea:sso",
		"description=<made & exported>", "redirectUri[]=https://x.example/cb?a=1&b=2")
	cliCall(t, db, 0, "DeleteOAuthCredential", "credentialId=1")
	cliCall(t, db, 0, "UpdateOAuthCredential", "credentialId=2", "name=Renamed")
	want := cliCall(t, db, 0, "ListOAuthCredentials")
	require.Len(t, oauthClients(t, want), 2)

	exported := filepath.Join(dir, "exported.json")
	code, stdout, stderr := cliRun(t, nil, "fixtures", "export", "--db", db, "--out", exported)
	require.Equal(t, 0, code, stderr)
	assert.Empty(t, stdout)
	assert.Empty(t, stderr)
	data, err := os.ReadFile(exported)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(data), "{\n  \"settings\": {\n"), "indented JSON:\n%s", data)
	assert.Contains(t, string(data), "<made & exported>", "not HTML-escaped")
	_, err = fixture.Parse(data)
	require.NoError(t, err)
	fi, err := os.Stat(exported)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "the export holds OAuth client secrets")

	// Without --out it goes to stdout; WHMCSEMU_DB names the database.
	code, stdout, stderr = cliRun(t, map[string]string{"WHMCSEMU_DB": db}, "fixtures", "export")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, string(data), stdout)

	code, _, stderr = cliRun(t, nil, "fixtures", "check", exported)
	assert.Equal(t, 0, code, stderr)

	// Loaded into a fresh database, it gives the same answer, byte for byte.
	fresh := filepath.Join(dir, "second.db")
	got := cliCall(t, fresh, 0, "--fixtures", exported, "ListOAuthCredentials")
	assert.Equal(t, want, got)

	// And exporting the copy gives the same document.
	code, stdout, stderr = cliRun(t, nil, "fixtures", "export", "--db", fresh)
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, string(data), stdout)
}

func TestFixturesExportMissingDatabase(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "missing.db")
	out := filepath.Join(dir, "out.json")
	code, stdout, stderr := cliRun(t, nil, "fixtures", "export", "--db", db, "--out", out)
	assert.Equal(t, 1, code)
	assert.Empty(t, stdout)
	assert.Equal(t, "whmcsemu: database "+db+" does not exist; pass --db with the file serve or call uses\n", stderr)
	assert.NoFileExists(t, db, "export must not create the database")
	assert.NoFileExists(t, out)

	// The default database (WHMCSEMU_DB) is checked the same way.
	code, _, stderr = cliRun(t, map[string]string{"WHMCSEMU_DB": db}, "fixtures", "export")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "does not exist")
	assert.NoFileExists(t, db)

	code, _, stderr = cliRun(t, nil, "fixtures", "export", "--db", dir)
	assert.Equal(t, 1, code)
	assert.Equal(t, "whmcsemu: database: "+dir+" is not a file\n", stderr)
}

// call needs a database that exists, unless --create or --fixtures says
// to make one; a call whose fixture cannot be loaded leaves no database it
// made.
func TestCallMissingDatabase(t *testing.T) {
	dir := t.TempDir()
	typo := filepath.Join(dir, "typo.db")
	code, stdout, stderr := cliRun(t, nil, "call", "--db", typo, "GetClients")
	assert.Equal(t, 1, code)
	assert.Empty(t, stdout)
	assert.Equal(t, "whmcsemu: database "+typo+" does not exist; pass --create to make an empty one, "+
		"or --fixtures FILE to make one from a fixture document\n", stderr)
	assert.NoFileExists(t, typo)

	// The default database (WHMCSEMU_DB) the same.
	code, _, stderr = cliRun(t, map[string]string{"WHMCSEMU_DB": typo}, "call", "GetClients")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "does not exist; pass --create")
	assert.NoFileExists(t, typo)

	// --create makes an empty one; then it exists and --create is not needed.
	empty := filepath.Join(dir, "empty.db")
	out := cliCall(t, empty, 0, "--create", "GetClients")
	assert.Contains(t, out, `"totalresults":0`)
	assert.FileExists(t, empty)
	cliCall(t, empty, 0, "GetClients")
	cliCall(t, empty, 0, "--create", "GetClients") // --create on an existing one is fine

	// --fixtures makes one too.
	demo := filepath.Join(dir, "demo.db")
	out = cliCall(t, demo, 0, "--fixtures", cliDemo, "GetClients")
	assert.NotContains(t, out, `"totalresults":0`)

	// A fixture that cannot be loaded: a database the call made is gone, one
	// that was there keeps its bytes.
	broken := filepath.Join(t.TempDir(), "broken.json")
	require.NoError(t, os.WriteFile(broken, []byte(`{"services": [{"clientId": 99, "productId": 1}]}`), 0o600))
	fresh := filepath.Join(dir, "fresh.db")
	for _, args := range [][]string{{"--fixtures", broken}, {"--create", "--fixtures", broken}} {
		code, _, stderr = cliRun(t, nil, append(append([]string{"call", "--db", fresh}, args...), "GetClients")...)
		assert.Equal(t, 1, code)
		assert.Contains(t, stderr, "services[0].clientId")
		assert.NoFileExists(t, fresh)
	}
	before := dirFiles(t, dir)
	code, _, _ = cliRun(t, nil, "call", "--db", demo, "--fixtures", broken, "GetClients")
	assert.Equal(t, 1, code)
	assert.Equal(t, before, dirFiles(t, dir))

	// Help tells about --create.
	_, stdout, _ = cliRun(t, nil, "call", "--help")
	assert.True(t, strings.Contains(stdout, "--create"), stdout)
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, stdout, _ := runToEnd(t, args, nil)
		assert.Equal(t, 0, code)
		assert.True(t, strings.HasPrefix(stdout, "whmcsemu "+whmcsemu.Version+" (module "), stdout)
	}
}
