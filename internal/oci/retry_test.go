package oci

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/store"
)

// listCount is how many credentials alice has.
func (te *testEnv) listCount(t *testing.T) int {
	t.Helper()
	_, body := te.do(t, "GET", credsPath, "")
	return strings.Count(body, `"id":`)
}

// TestRetryReplayAfterChange: a replay gives the first answer, password
// included, only while the credential is as that answer left it. After an
// update or a password reset it is 409 InvalidatedRetryToken, holding
// neither the old password nor the new one, and nothing is created.
func TestRetryReplayAfterChange(t *testing.T) {
	for _, change := range []struct{ name, body string }{
		{"password reset", `{"description":"for CI","scopes":[{"audience":"a","scope":"s"}],"isResetPassword":true}`},
		{"update", `{"description":"renamed","scopes":[{"audience":"a","scope":"s"}]}`},
	} {
		t.Run(change.name, func(t *testing.T) {
			te := newTestEnv(t, Options{VerifySignatures: true})
			res, first := te.do(t, "POST", credsPath, createBody, "opc-retry-token", "tok-1")
			require.Equal(t, http.StatusOK, res.StatusCode, first)
			c := decodeCredential(t, first)

			res, again := te.do(t, "POST", credsPath, createBody, "opc-retry-token", "tok-1")
			require.Equal(t, http.StatusOK, res.StatusCode, again)
			assert.Equal(t, first, again, "an unchanged credential replays the first answer, password included")

			res, body := te.do(t, "PUT", credsPath+"/"+c.ID, change.body)
			require.Equal(t, http.StatusOK, res.StatusCode, body)
			newPassword := decodeCredential(t, body).Password

			res, body = te.do(t, "POST", credsPath, createBody, "opc-retry-token", "tok-1")
			msg := ociError(t, res, body, http.StatusConflict, CodeInvalidatedRetryToken)
			assert.Contains(t, msg, c.ID)
			assert.Contains(t, msg, "changed")
			assert.NotContains(t, body, c.Password)
			if newPassword != "" {
				assert.NotContains(t, body, newPassword)
			}
			assert.Empty(t, res.Header.Get("etag"), "no stale etag")
			assert.Equal(t, 1, te.listCount(t), "no duplicate")
		})
	}
}

// TestRetryReplayAfterRestart: a new Handler over the same database (a
// restart) no longer knows the password, so a replay is 409 with a message
// saying what to do, and creates nothing.
func TestRetryReplayAfterRestart(t *testing.T) {
	te := newTestEnv(t, Options{VerifySignatures: true})
	res, first := te.do(t, "POST", credsPath, createBody, "opc-retry-token", "tok-1")
	require.Equal(t, http.StatusOK, res.StatusCode, first)
	c := decodeCredential(t, first)

	te.h = New(te.db, Options{VerifySignatures: true, Clock: te.h.clock,
		Random: rand.NewChaCha8([32]byte{'r', 'e'}), Logger: slog.New(slog.DiscardHandler)})
	res, body := te.do(t, "POST", credsPath, createBody, "opc-retry-token", "tok-1")
	msg := ociError(t, res, body, http.StatusConflict, CodeInvalidatedRetryToken)
	assert.Contains(t, msg, c.ID)
	assert.Contains(t, msg, "isResetPassword")
	assert.NotContains(t, body, c.Password)
	assert.Equal(t, 1, te.listCount(t), "no duplicate")

	// A different request under the token is still told apart.
	res, body = te.do(t, "POST", credsPath, strings.Replace(createBody, `"ci"`, `"cd"`, 1), "opc-retry-token", "tok-1")
	assert.Contains(t, ociError(t, res, body, http.StatusConflict, CodeInvalidatedRetryToken), "different request")
}

// TestRetryNoPasswordAtRest: after creates under retry tokens (and a
// replay), no stored value in any table and no byte of the database files
// holds a password that was handed out.
func TestRetryNoPasswordAtRest(t *testing.T) {
	te := newTestEnv(t, Options{VerifySignatures: true})
	var passwords []string
	for i := range 3 {
		body := strings.Replace(createBody, `"ci"`, fmt.Sprintf(`"ci%d"`, i), 1)
		res, answer := te.do(t, "POST", credsPath, body, "opc-retry-token", fmt.Sprintf("tok-%d", i))
		require.Equal(t, http.StatusOK, res.StatusCode, answer)
		passwords = append(passwords, decodeCredential(t, answer).Password)
		res, again := te.do(t, "POST", credsPath, body, "opc-retry-token", fmt.Sprintf("tok-%d", i))
		require.Equal(t, http.StatusOK, res.StatusCode, again)
		assert.Equal(t, answer, again)
	}

	ctx := context.Background()
	conn, err := sql.Open("sqlite", "file:"+te.db.Path()+"?mode=ro")
	require.NoError(t, err)
	defer conn.Close()
	tables := tableNames(t, conn)
	require.Contains(t, tables, "oci_retry_tokens")
	rows := 0
	for _, table := range tables {
		r, err := conn.QueryContext(ctx, `SELECT * FROM "`+table+`"`)
		require.NoError(t, err)
		cols, err := r.Columns()
		require.NoError(t, err)
		for r.Next() {
			rows++
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			require.NoError(t, r.Scan(ptrs...))
			for i, v := range vals {
				text := fmt.Sprint(v)
				if b, ok := v.([]byte); ok {
					text = string(b)
				}
				for _, p := range passwords {
					assert.NotContains(t, text, p, "%s.%s holds a password", table, cols[i])
				}
				if table == "oci_retry_tokens" && cols[i] == "body" {
					assert.NotContains(t, text, "password", "a kept answer has no password member")
				}
			}
		}
		require.NoError(t, r.Err())
		r.Close()
	}
	assert.Greater(t, rows, 6)

	for _, suffix := range []string{"", "-wal", "-journal"} {
		raw, err := os.ReadFile(te.db.Path() + suffix)
		if os.IsNotExist(err) {
			continue
		}
		require.NoError(t, err)
		for _, p := range passwords {
			assert.NotContains(t, string(raw), p, "the database file%s holds a password", suffix)
		}
	}
}

func tableNames(t *testing.T, conn *sql.DB) []string {
	t.Helper()
	r, err := conn.Query(`SELECT name FROM sqlite_master WHERE type = 'table'`)
	require.NoError(t, err)
	defer r.Close()
	var names []string
	for r.Next() {
		var n string
		require.NoError(t, r.Scan(&n))
		names = append(names, n)
	}
	return names
}

// TestRetrySecretsBounded: the passwords kept for replays are bounded in
// number and forgotten when their token expires or their credential
// changes or goes.
func TestRetrySecretsBounded(t *testing.T) {
	var s retrySecrets
	s.max = 3
	for i := range 5 {
		s.remember(fmt.Sprintf("tok-%d", i), fmt.Sprintf("cred-%d", i), "pw", int64(100+i))
	}
	assert.Len(t, s.byToken, 3, "at most max passwords")
	_, ok := s.password("tok-0", "cred-0", 0)
	assert.False(t, ok, "the soonest to expire went first")
	_, ok = s.password("tok-4", "cred-4", 0)
	assert.True(t, ok)
	_, ok = s.password("tok-4", "cred-3", 0)
	assert.False(t, ok, "a password is given only for its own credential")
	_, ok = s.password("tok-4", "cred-4", 105)
	assert.False(t, ok, "an expired token's password is gone")
	s.forget("cred-3")
	_, ok = s.password("tok-3", "cred-3", 0)
	assert.False(t, ok, "a changed credential's password is forgotten")
}

// TestRetryMigrationScrubs: an answer kept by an older version, password
// included, loses the password when the database is opened again.
func TestRetryMigrationScrubs(t *testing.T) {
	te := newTestEnv(t, Options{VerifySignatures: true})
	ctx := context.Background()
	old := `{"id":"ocid1.credential.oc1..old","name":"ci","password":"s3cret-from-0013","lifecycleState":"ACTIVE"}`
	require.NoError(t, te.db.Update(ctx, func(tx *store.Tx) error {
		return tx.PutOCIRetryToken(ctx, store.OCIRetry{Token: "old", RequestHash: "h", Status: 200, ETag: "e", Body: old,
			Expires: time.Now().Add(time.Hour).UnixMilli()})
	}))
	conn, err := sql.Open("sqlite", "file:"+te.db.Path())
	require.NoError(t, err)
	_, err = conn.Exec(`DELETE FROM schema_migrations WHERE name = '0015_oci_retry_no_password.sql'`)
	require.NoError(t, err)
	require.NoError(t, conn.Close())
	path := te.db.Path()
	require.NoError(t, te.db.Close())

	db, err := store.Open(ctx, path)
	require.NoError(t, err)
	defer db.Close()
	var got store.OCIRetry
	require.NoError(t, db.View(ctx, func(tx *store.Tx) (err error) {
		got, err = tx.OCIRetryToken(ctx, "old")
		return err
	}))
	assert.Equal(t, `{"id":"ocid1.credential.oc1..old","name":"ci","lifecycleState":"ACTIVE"}`, got.Body)
}
