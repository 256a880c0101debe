package main

import (
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dirFiles is every file in dir with its bytes: what a failed start must
// leave exactly as it was.
func dirFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	out := map[string]string{}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		require.NoError(t, err)
		out[e.Name()] = string(data)
	}
	return out
}

// madeDatabase makes a database in dir holding the demo fixture, as an
// earlier run would have left it, and returns its path.
func madeDatabase(t *testing.T, dir string) string {
	t.Helper()
	db := filepath.Join(dir, "state.db")
	cliCall(t, db, 0, "--fixtures", cliDemo, "GetClients")
	return db
}

// A start that fails, whatever the reason, leaves every file as it was: a
// database that was there keeps its bytes (the fixture is not loaded into
// it before the port turns out to be taken), and one that was not is not
// left behind, empty or not.
func TestFailedStartLeavesFilesAsTheyWere(t *testing.T) {
	t.Parallel() // it waits on processes or clients of its own most of the time
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer taken.Close()
	fixtures := filepath.Join("..", "..", "testdata", "fixtures")
	for _, tc := range []struct {
		name, doc string // doc: a fixture document written for the case ("" for none)
		args      []string
		want      string // in stderr
	}{
		{"port taken", "", []string{"--addr", taken.Addr().String(), "--fixtures", filepath.Join(fixtures, "billing.json")},
			"address already in use"},
		{"fixture file missing", "", []string{"--addr", "127.0.0.1:0", "--fixtures", "nope.json"}, "no such file"},
		{"fixture not JSON", `{"clients": [`, []string{"--addr", "127.0.0.1:0"}, "not valid JSON"},
		{"fixture refers to nothing", `{"settings": {"companyName": "Changed"}, "services": [{"clientId": 99, "productId": 1}]}`,
			[]string{"--addr", "127.0.0.1:0"}, "services[0].clientId"},
	} {
		for _, existing := range []bool{false, true} {
			name := tc.name + ", new database"
			if existing {
				name = tc.name + ", existing database"
			}
			t.Run(name, func(t *testing.T) {
				dir := t.TempDir()
				db := filepath.Join(dir, "state.db")
				if existing {
					db = madeDatabase(t, dir)
				}
				args := append([]string{"serve", "--db", db}, tc.args...)
				if tc.doc != "" {
					doc := filepath.Join(t.TempDir(), "doc.json")
					require.NoError(t, os.WriteFile(doc, []byte(tc.doc), 0o600))
					args = append(args, "--fixtures", doc)
				}
				before := dirFiles(t, dir)
				code, stdout, stderr := runToEnd(t, args, nil)
				assert.Equal(t, 1, code)
				assert.NotContains(t, stdout, "listening")
				assert.Contains(t, stderr, tc.want)
				assert.Equal(t, before, dirFiles(t, dir), "the directory holding --db is as it was")
				if !existing {
					assert.NoFileExists(t, db)
				}
			})
		}
	}
}
