package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func openTemp(t *testing.T) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "s.db")
	db, err := Open(context.Background(), path)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db, path
}

func TestOpenCreatesAPrivateFileAndMigratesOnce(t *testing.T) {
	ctx := context.Background()
	db, path := openTemp(t)
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
	require.NoError(t, db.Update(ctx, func(tx *Tx) error {
		_, err := tx.PutAdmin(ctx, Admin{Username: "a", PasswordHash: "h"})
		return err
	}))
	require.NoError(t, db.Close())

	again, err := Open(ctx, path) // migrations already applied: nothing re-runs
	require.NoError(t, err)
	defer again.Close()
	require.NoError(t, again.View(ctx, func(tx *Tx) error {
		admins, err := tx.Admins(ctx)
		assert.Len(t, admins, 1)
		return err
	}))
	verdict, err := again.IntegrityCheck(ctx)
	require.NoError(t, err)
	assert.Equal(t, "ok", verdict)
}

func TestConflictsAndRollback(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	err := db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.PutAdmin(ctx, Admin{ID: 1, Username: "a", PasswordHash: "h"}); err != nil {
			return err
		}
		_, err := tx.PutAdmin(ctx, Admin{ID: 2, Username: "A", PasswordHash: "h"}) // usernames ignore case
		return err
	})
	assert.ErrorIs(t, err, ErrConflict)
	require.NoError(t, db.View(ctx, func(tx *Tx) error {
		admins, err := tx.Admins(ctx)
		assert.Empty(t, admins, "the failed transaction wrote nothing")
		return err
	}))
	err = db.View(ctx, func(tx *Tx) error {
		_, err := tx.OAuthCredentialByID(ctx, 9)
		return err
	})
	assert.True(t, errors.Is(err, ErrNotFound))
}

func TestOAuthSortIsAllowListed(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	err := db.View(ctx, func(tx *Tx) error {
		_, err := tx.OAuthCredentials(ctx, OAuthFilter{SortKey: "id; DROP TABLE admins"})
		return err
	})
	assert.ErrorContains(t, err, "unknown sort key")
}

func TestWipeKeepsTheScopes(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	require.NoError(t, db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.PutOAuthCredential(ctx, OAuthCredential{Identifier: "X.1", Secret: "s", GrantTypes: "authorization_code",
			Scopes: []string{"openid", "email", "openid"}, CreatedAt: 1, UpdatedAt: 1}); err != nil {
			return err
		}
		return tx.Wipe(ctx)
	}))
	require.NoError(t, db.View(ctx, func(tx *Tx) error {
		creds, err := tx.OAuthCredentials(ctx, OAuthFilter{})
		assert.Empty(t, creds)
		var scopes int
		require.NoError(t, tx.queryRow(ctx, `SELECT count(*) FROM oauth_scopes`).Scan(&scopes))
		assert.Equal(t, 24, scopes, "the permitted scopes, which no wipe touches")
		return err
	}))
	err := db.Update(ctx, func(tx *Tx) error {
		_, err := tx.PutOAuthCredential(ctx, OAuthCredential{Identifier: "X.2", Secret: "s", GrantTypes: "g", Scopes: []string{"nope"}})
		return err
	})
	assert.ErrorContains(t, err, `unknown OAuth scope "nope"`)
}

// TestFixtureDocuments: the documents a reset restores are kept in the
// order last applied, and a load recorded before documents were kept
// (document NULL) gets its document once and counts as applied.
func TestFixtureDocuments(t *testing.T) {
	db, _ := openTemp(t)
	ctx := t.Context()
	require.NoError(t, db.Update(ctx, func(tx *Tx) error {
		require.NoError(t, tx.RecordFixture(ctx, "a", 1, []byte(`{"a":1}`)))
		require.NoError(t, tx.RecordFixture(ctx, "b", 2, []byte(`{"b":1}`)))
		require.NoError(t, tx.RecordFixture(ctx, "a", 3, []byte(`{"a":2}`))) // applied again: last
		_, err := tx.exec(ctx, `INSERT INTO fixture_loads (hash, loaded_at) VALUES ('old', 0)`)
		require.NoError(t, err)

		docs, err := tx.FixtureDocuments(ctx)
		require.NoError(t, err)
		assert.Equal(t, []FixtureDocument{{"b", []byte(`{"b":1}`)}, {"a", []byte(`{"a":2}`)}}, docs)

		applied, kept, err := tx.FixtureApplied(ctx, "old")
		require.NoError(t, err)
		assert.True(t, applied)
		assert.False(t, kept)
		require.NoError(t, tx.KeepFixtureDocument(ctx, "old", []byte(`{}`)))
		applied, kept, err = tx.FixtureApplied(ctx, "old")
		require.NoError(t, err)
		assert.True(t, applied && kept)
		applied, _, err = tx.FixtureApplied(ctx, "never")
		require.NoError(t, err)
		assert.False(t, applied)
		return nil
	}))
}

// TestWipeCoversEveryTable: Wipe (and so a reset) empties every table of
// the schema except those listed here, which hold what WHMCS seeds and
// never changes (or, like the signing key, what a reset must not change);
// a new migration's table must join one list or the other.
func TestWipeCoversEveryTable(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	kept := map[string]string{
		"schema_migrations": "the migrations applied: the schema's history, not state",
		"oauth_scopes":      "WHMCS's OAuth scopes, seeded by migration 0001 and read-only",
		"order_statuses":    "WHMCS's order statuses, seeded by migration 0005 and read-only",
		"ticket_statuses":   "WHMCS's ticket statuses, seeded by migration 0005 and read-only",
		"oauth_signing_key": "the OpenID Connect signing key, made once per database: a reset must not " +
			"invalidate the key set clients have cached (migration 0016)",
		"oci_signing_keys": "the keys that sign OCI access tokens, the database's: kept so that verifiers which " +
			"cached them keep working (migration 0017)",
	}
	var tables []string
	require.NoError(t, db.View(ctx, func(tx *Tx) (err error) {
		tables, err = collect(ctx, tx, `SELECT name FROM sqlite_master
			WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`, scanOne[string])
		return err
	}))
	wiped := map[string]bool{}
	for _, table := range wipeOrder {
		assert.False(t, wiped[table], "%s is in wipeOrder twice", table)
		wiped[table] = true
	}
	for _, table := range tables {
		_, isKept := kept[table]
		assert.True(t, wiped[table] || isKept, "table %s is neither wiped nor listed as kept", table)
		assert.False(t, wiped[table] && isKept, "table %s is both wiped and kept", table)
	}
	for table := range wiped {
		assert.Contains(t, tables, table, "wipeOrder names a table the schema does not have")
	}
	for table := range kept {
		assert.Contains(t, tables, table, "the kept list names a table the schema does not have")
	}
}

// TestWipePutsBackEveryDefault: after two wipes every migration's
// defaults block is there once (a prepared statement would run only the
// first of a block's statements).
func TestWipePutsBackEveryDefault(t *testing.T) {
	db, _ := openTemp(t)
	ctx := t.Context()
	count := func() (templates, currencies int) {
		require.NoError(t, db.View(ctx, func(tx *Tx) error {
			require.NoError(t, tx.queryRow(ctx, `SELECT count(*) FROM email_templates`).Scan(&templates))
			return tx.queryRow(ctx, `SELECT count(*) FROM currencies`).Scan(&currencies)
		}))
		return templates, currencies
	}
	t0, c0 := count()
	require.Positive(t, t0)
	require.Positive(t, c0)
	for range 2 {
		require.NoError(t, db.Update(ctx, func(tx *Tx) error { return tx.Wipe(ctx) }))
		t1, c1 := count()
		assert.Equal(t, t0, t1)
		assert.Equal(t, c0, c1)
	}
}

// A new database starts as a copy of the migrated image: it must be what
// running every migration on a new file makes, schema and rows alike, and
// hold no signing key (those are made per database, on first use).
func TestNewDatabaseFromImageIsAMigratedOne(t *testing.T) {
	ctx := t.Context()
	dump := func(db *DB) (schema []string, rows map[string][]string) {
		rows = map[string][]string{}
		require.NoError(t, db.View(ctx, func(tx *Tx) error {
			var err error
			schema, err = collect(ctx, tx, `SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master
				WHERE name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY type, name`, scanOne[string])
			require.NoError(t, err)
			tables, err := collect(ctx, tx, `SELECT name FROM sqlite_master
				WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`, scanOne[string])
			require.NoError(t, err)
			for _, table := range tables {
				r, err := tx.query(ctx, `SELECT * FROM "`+table+`" ORDER BY rowid`)
				require.NoError(t, err)
				cols, err := r.Columns()
				require.NoError(t, err)
				rows[table] = []string{}
				for r.Next() {
					vals := make([]any, len(cols))
					ptrs := make([]any, len(cols))
					for i := range vals {
						ptrs[i] = &vals[i]
					}
					require.NoError(t, r.Scan(ptrs...))
					rows[table] = append(rows[table], fmt.Sprintf("%q", vals))
				}
				require.NoError(t, r.Err())
				r.Close()
			}
			return nil
		}))
		return schema, rows
	}
	fromImage, _ := openTemp(t)
	migrated, err := open(ctx, filepath.Join(t.TempDir(), "m.db"), false)
	require.NoError(t, err)
	defer migrated.Close()
	wantSchema, wantRows := dump(migrated)
	gotSchema, gotRows := dump(fromImage)
	assert.Equal(t, wantSchema, gotSchema)
	assert.Equal(t, wantRows, gotRows)
	assert.NotEmpty(t, wantRows["schema_migrations"])
	assert.Empty(t, gotRows["oauth_signing_key"])
	assert.Empty(t, gotRows["oci_signing_keys"])
}

// TestGroupCommitKeepsEachWriteItsOwnOutcome queues writes while the
// writer is held, so that they run as one group: the ones that succeed
// are committed, a failed or panicking one leaves nothing behind, and the
// read model agrees with SQL afterwards.
func TestGroupCommitKeepsEachWriteItsOwnOutcome(t *testing.T) {
	db, _ := openTemp(t)
	ctx := t.Context()
	errPurpose := errors.New("fail on purpose")
	put := func(tx *Tx, identifier string) error {
		_, err := tx.PutOAuthCredential(ctx, OAuthCredential{Identifier: identifier, Secret: "s", Name: identifier,
			GrantTypes: "single_sign_on", Scopes: []string{"clientarea:sso"}})
		return err
	}
	const n = 12
	results := make([]any, n+2)
	db.writer1 <- struct{}{} // hold the writer: every write below queues
	var wg sync.WaitGroup
	for i := range n + 2 {
		wg.Go(func() {
			defer func() {
				if p := recover(); p != nil {
					results[i] = fmt.Sprint("panic: ", p)
				}
			}()
			results[i] = db.Update(ctx, func(tx *Tx) error {
				switch {
				case i >= n: // two writes of one identifier: one conflicts
					return put(tx, "dup")
				case i%3 == 0:
					return put(tx, fmt.Sprint("ok-", i))
				case i%3 == 1:
					if err := put(tx, fmt.Sprint("failed-", i)); err != nil {
						return err
					}
					return errPurpose
				default:
					if err := put(tx, fmt.Sprint("panicked-", i)); err != nil {
						return err
					}
					panic(i)
				}
			})
		})
	}
	require.Eventually(t, func() bool {
		db.queueMu.Lock()
		defer db.queueMu.Unlock()
		return len(db.queue) == n+2
	}, 10*time.Second, time.Millisecond)
	<-db.writer1
	wg.Wait()

	for i := range n {
		switch i % 3 {
		case 0:
			assert.Nil(t, results[i], "write %d", i)
		case 1:
			assert.Equal(t, errPurpose, results[i], "write %d", i)
		default:
			assert.Equal(t, fmt.Sprint("panic: ", i), results[i], "write %d", i)
		}
	}
	dups := []any{results[n], results[n+1]}
	assert.Contains(t, dups, nil)
	assert.Condition(t, func() bool {
		err, _ := dups[0].(error)
		if err == nil {
			err, _ = dups[1].(error)
		}
		return errors.Is(err, ErrConflict)
	}, "one of two writes of an identifier conflicts: %v", dups)

	list := func(tx *Tx) any {
		creds, err := tx.OAuthCredentials(ctx, OAuthFilter{SortKey: "identifier"})
		require.NoError(t, err)
		var ids []string
		for _, c := range creds {
			ids = append(ids, c.Identifier)
		}
		return ids
	}
	var fromModel any
	require.NoError(t, db.View(ctx, func(tx *Tx) error { fromModel = list(tx); return nil }))
	assert.Equal(t, []string{"dup", "ok-0", "ok-3", "ok-6", "ok-9"}, fromModel)
	assert.Equal(t, fromModel, sqlAnswers(t, db, list))
}

// TestOnlyATrustedCopysFirstOpeningIsUnchecked: a file WriteTrustedCopy
// wrote opens without quick_check once; any later opening checks it, so a
// damaged file is refused then.
func TestOnlyATrustedCopysFirstOpeningIsUnchecked(t *testing.T) {
	ctx := t.Context()
	image, release, err := migratedImage()
	require.NoError(t, err)
	defer release()
	// Damage the root page of a table that opening does not read, where
	// only a check (or a query of that table) finds it.
	dir := t.TempDir()
	probe := filepath.Join(dir, "probe.db")
	require.NoError(t, os.WriteFile(probe, image, 0o600))
	raw, err := sql.Open("sqlite", probe)
	require.NoError(t, err)
	var root int
	require.NoError(t, raw.QueryRow(`SELECT rootpage FROM sqlite_master WHERE name = 'email_templates'`).Scan(&root))
	require.NoError(t, raw.Close())
	damaged := bytes.Clone(image)
	const page = 4096
	for i := (root-1)*page + page/2; i < root*page; i++ {
		damaged[i] ^= 0x5a
	}
	fresh := filepath.Join(dir, "fresh.db")
	require.NoError(t, WriteTrustedCopy(fresh, damaged))
	db, err := Open(ctx, fresh)
	require.NoError(t, err, "a trusted copy opens unchecked")
	require.NoError(t, db.Close())
	_, err = Open(ctx, fresh)
	require.ErrorContains(t, err, "malformed", "opened again, it is checked")

	plain := filepath.Join(dir, "plain.db")
	require.NoError(t, os.WriteFile(plain, damaged, 0o600))
	_, err = Open(ctx, plain)
	require.ErrorContains(t, err, "malformed", "a copy written otherwise is checked")
}

// TestAWriteThatEndsItsGoroutineLeavesNothing: a fn that calls
// runtime.Goexit (as a failing require does in a test) ends the goroutine
// that ran it, which in a group may be another caller's; the group's
// transaction is rolled back, the others are told, and the writer is free.
func TestAWriteThatEndsItsGoroutineLeavesNothing(t *testing.T) {
	db, _ := openTemp(t)
	ctx := t.Context()
	put := func(tx *Tx, identifier string) error {
		_, err := tx.PutOAuthCredential(ctx, OAuthCredential{Identifier: identifier, Secret: "s", GrantTypes: "single_sign_on"})
		return err
	}
	results := make([]any, 3)
	db.writer1 <- struct{}{} // hold the writer: the three writes form one group
	var wg sync.WaitGroup
	for i := range 3 {
		wg.Go(func() {
			results[i] = "goroutine ended"
			results[i] = db.Update(ctx, func(tx *Tx) error {
				if err := put(tx, fmt.Sprint("w-", i)); err != nil {
					return err
				}
				if i == 1 {
					runtime.Goexit()
				}
				return nil
			})
		})
	}
	require.Eventually(t, func() bool {
		db.queueMu.Lock()
		defer db.queueMu.Unlock()
		return len(db.queue) == 3
	}, 10*time.Second, time.Millisecond)
	<-db.writer1
	wg.Wait()
	// The fn that ended its goroutine ended the group leader's, whichever
	// caller that was: one caller never returned, the other two were told.
	ended := 0
	for i, r := range results {
		if r == "goroutine ended" {
			ended++
		} else {
			assert.Equal(t, errWriteExited, r, "write %d", i)
		}
	}
	assert.Equal(t, 1, ended, "callers whose goroutine ended")
	require.NoError(t, db.Update(ctx, func(tx *Tx) error { return put(tx, "after") }), "the writer is free")
	var ids []string
	require.NoError(t, db.View(ctx, func(tx *Tx) error {
		creds, err := tx.OAuthCredentials(ctx, OAuthFilter{})
		for _, c := range creds {
			ids = append(ids, c.Identifier)
		}
		return err
	}))
	assert.Equal(t, []string{"after"}, ids)
}

// TestTheModelsReadsArePreparedAfterAWrite: the queries the read model
// runs to read back what a write changed are prepared once the write is
// over, like the write's own, so that the next write does not parse them
// again.
func TestTheModelsReadsArePreparedAfterAWrite(t *testing.T) {
	db, _ := openTemp(t)
	ctx := t.Context()
	put := func(first string) {
		require.NoError(t, db.Update(ctx, func(tx *Tx) error {
			_, err := tx.PutUser(ctx, User{ID: 1, Firstname: first, Lastname: "Doe", Email: "jane@example.com"})
			return err
		}))
	}
	put("Jane")
	put("Janet")
	_, prepared := db.stmts.Load(stmtKey{writer: true, query: `SELECT ` + userColumns + ` FROM users WHERE id = ?`})
	require.True(t, prepared, "the model's read of a changed user is prepared on the writer")
}

// TestIDListsShareOneStatement: a list of ids of any length is one
// statement, so that callers sending lists of every length do not grow the
// store's prepared statements without bound.
func TestIDListsShareOneStatement(t *testing.T) {
	db, _ := openTemp(t)
	ctx := t.Context()
	count := func() (n int) {
		db.stmts.Range(func(any, any) bool { n++; return true })
		return n
	}
	list := func(ids []int64) {
		require.NoError(t, db.View(ctx, func(tx *Tx) error {
			_, err := tx.ClientAddons(ctx, ClientAddonFilter{ServiceIDs: ids})
			if err == nil {
				_, err = tx.RenewingServices(ctx, RenewalFilter{Only: true, IDs: ids}, "Active")
			}
			if err == nil {
				_, err = tx.OpeningAttachments(ctx, ids)
			}
			return err
		}))
	}
	list([]int64{1})
	before := count()
	for n := 2; n < 20; n++ {
		list(make([]int64, n))
	}
	require.Equal(t, before, count())
}

// TestFraudBlockedMatchesAnySpellingAndOldRows: the store keeps blocked
// addresses canonical and matches an address in any spelling; a row
// written before that, as it was spelt, still matches that spelling.
func TestFraudBlockedMatchesAnySpellingAndOldRows(t *testing.T) {
	db, _ := openTemp(t)
	ctx := t.Context()
	require.NoError(t, db.Update(ctx, func(tx *Tx) error {
		if err := tx.SetFraudBlocklist(ctx, []string{"2001:DB8::1", "::ffff:192.0.2.7"}, nil); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `INSERT INTO fraud_blocklist (kind, value) VALUES ('ip', '2001:DB8::9')`) // as before
		return err
	}))
	for ip, want := range map[string]bool{
		"2001:db8:0:0::1": true, "2001:DB8::1": true, "192.0.2.7": true, "::ffff:192.0.2.7": true,
		"2001:DB8::9": true, "2001:db8::2": false, "not an address": false,
	} {
		require.NoError(t, db.View(ctx, func(tx *Tx) error {
			blocked, _, err := tx.FraudBlocked(ctx, ip, "x@example.com")
			assert.Equal(t, want, blocked, ip)
			return err
		}))
	}
}
