package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sqlAnswers reads what the read model answers, from SQL: in a write
// transaction that counts as having changed the model's tables, so it
// does not ask the model.
func sqlAnswers(t *testing.T, db *DB, of func(tx *Tx) any) any {
	t.Helper()
	var got any
	errDone := errors.New("done")
	err := db.Update(t.Context(), func(tx *Tx) error {
		for table := range modelTables {
			db.changes.changedAll(table)
		}
		got = of(tx)
		return errDone // roll back: nothing was meant to change
	})
	require.ErrorIs(t, err, errDone)
	return got
}

// modelQueries are the reads the model answers, each run on both paths.
func modelQueries(ctx context.Context) map[string]func(tx *Tx) any {
	q := map[string]func(tx *Tx) any{}
	for _, key := range []string{"", "identifier", "name", "description", "grant_types", "service_id", "user_id",
		"logo_uri", "created_at", "updated_at"} {
		for _, desc := range []bool{false, true} {
			for _, grant := range []string{"", "authorization_code", "single_sign_on"} {
				f := OAuthFilter{GrantType: grant, SortKey: key, Desc: desc, Limit: 7}
				q[fmt.Sprintf("oauth %+v", f)] = func(tx *Tx) any {
					creds, err := tx.OAuthCredentials(ctx, f)
					if err != nil {
						return err
					}
					return creds
				}
			}
		}
	}
	for id := range int64(12) {
		q[fmt.Sprintf("oauth %d", id)] = func(tx *Tx) any {
			c, err := tx.OAuthCredentialByID(ctx, id)
			return fmt.Sprint(c, err)
		}
		q[fmt.Sprintf("oauth identifier %d", id)] = func(tx *Tx) any {
			c, err := tx.OAuthCredentialByIdentifier(ctx, fmt.Sprintf("ID-%d", id))
			return fmt.Sprint(c, err)
		}
		q[fmt.Sprintf("profile %d", id)] = func(tx *Tx) any {
			p, err := tx.ClientProfileByID(ctx, id)
			return fmt.Sprint(p, err)
		}
		q[fmt.Sprintf("client %d", id)] = func(tx *Tx) any {
			c, err := tx.ClientByID(ctx, id)
			return fmt.Sprint(c, err)
		}
		q[fmt.Sprintf("client users %d", id)] = func(tx *Tx) any {
			users, err := tx.ClientUsers(ctx, id)
			return fmt.Sprint(users, err)
		}
		q[fmt.Sprintf("user %d", id)] = func(tx *Tx) any {
			u, err := tx.UserByID(ctx, id)
			return fmt.Sprint(u, err)
		}
	}
	for key := range ClientOrderColumns {
		for _, search := range []string{"", "a", "ANN", "ann l", "x@", "Co"} {
			for _, status := range []string{"", "active", "Closed"} {
				f := ClientFilter{Search: search, Status: status, OrderBy: key, Desc: len(search)%2 == 1,
					Page: Page{Offset: int64(len(status)+len(key)) % 4, Limit: 4}}
				q[fmt.Sprintf("clients %+v", f)] = func(tx *Tx) any {
					entries, total, err := tx.ListClients(ctx, f)
					return fmt.Sprint(entries, total, err)
				}
			}
		}
	}
	return q
}

// TestReadModelAgreesWithSQL makes random writes (inserts, updates,
// deletes, cascades, wipes, rolled-back transactions) and checks after
// each that every read the model answers is what SQL answers.
func TestReadModelAgreesWithSQL(t *testing.T) {
	t.Run("every credential held", func(t *testing.T) { testReadModelAgreesWithSQL(t, oauthCachedRows) })
	// Two credentials held: most reads go to SQLite and push others out,
	// and most changes find a credential's places without its row.
	t.Run("two credentials held", func(t *testing.T) { testReadModelAgreesWithSQL(t, 2) })
}

func testReadModelAgreesWithSQL(t *testing.T, held int) {
	db, _ := openTemp(t)
	db.model.oauth.capacity = held
	ctx := t.Context()
	rng := rand.New(rand.NewPCG(1, 2))
	names := []string{"Ann", "ann", "Anna Lee", "Bob", "Xavier", "", "Ünal", "co-op", "nul\x00byte", "bad\xffutf8"}
	pick := func() string { return names[rng.IntN(len(names))] }
	grants := []string{"authorization_code", "single_sign_on"}
	queries := modelQueries(ctx)
	check := func(step int) {
		for name, q := range queries {
			var fromModel any
			require.NoError(t, db.View(ctx, func(tx *Tx) error { fromModel = q(tx); return nil }))
			require.Equal(t, sqlAnswers(t, db, q), fromModel, "step %d: %s", step, name)
		}
		db.model.oauth.cacheMu.Lock()
		defer db.model.oauth.cacheMu.Unlock()
		require.LessOrEqual(t, len(db.model.oauth.rows), held, "step %d: rows held whole", step)
		require.Len(t, db.model.oauth.byIdentifier, len(db.model.oauth.rows), "step %d", step)
	}
	for step := range 90 {
		op := rng.IntN(11)
		err := db.Update(ctx, func(tx *Tx) error {
			switch op {
			case 0, 1: // a credential, new or replaced
				id := rng.Int64N(12)
				_, err := tx.PutOAuthCredential(ctx, OAuthCredential{ID: id, Identifier: fmt.Sprintf("ID-%d", rng.IntN(40)),
					Secret: "s", Name: pick(), Description: pick(), GrantTypes: grants[rng.IntN(2)],
					ServiceID: rng.Int64N(3), LogoURI: pick(), RedirectURIs: []string{"https://" + pick()},
					Scopes: []string{"clientarea:sso"}, CreatedAt: rng.Int64N(5), UpdatedAt: rng.Int64N(5)})
				if errors.Is(err, ErrConflict) {
					return nil
				}
				return err
			case 2:
				err := tx.DeleteOAuthCredential(ctx, rng.Int64N(12))
				if errors.Is(err, ErrNotFound) {
					return nil
				}
				return err
			case 3, 4: // a client
				_, err := tx.AddClient(ctx, Client{UUID: fmt.Sprint(step), Firstname: pick(), Lastname: pick(),
					CompanyName: pick(), Email: pick() + "x@example.com", Status: []string{"Active", "Closed"}[rng.IntN(2)]},
					ClientProfile{GroupID: rng.Int64N(3), CreatedAt: rng.Int64N(4)})
				return err
			case 5:
				err := tx.UpdateClient(ctx, Client{ID: rng.Int64N(12), Firstname: pick(), Lastname: pick(),
					CompanyName: pick(), Email: pick(), Status: "Active"})
				if errors.Is(err, ErrNotFound) {
					return nil
				}
				return err
			case 6:
				if rng.IntN(3) == 0 {
					return tx.Wipe(ctx)
				}
				_, err := tx.exec(ctx, `DELETE FROM clients WHERE id = ?`, rng.Int64N(12))
				return err
			case 8: // a user, new or replaced
				_, err := tx.PutUser(ctx, User{ID: rng.Int64N(8), Firstname: pick(), Lastname: pick(),
					Email: fmt.Sprintf("u%d@example.com", rng.IntN(20)), PasswordHash: "x"})
				if errors.Is(err, ErrConflict) {
					return nil
				}
				return err
			case 9: // a user linked to a client, or a client's owner set
				if rng.IntN(2) == 0 {
					_, err := tx.exec(ctx, `INSERT OR IGNORE INTO client_users (client_id, user_id)
						SELECT c.id, u.id FROM clients c, users u WHERE c.id = ? AND u.id = ?`, rng.Int64N(12), rng.Int64N(8))
					return err
				}
				_, err := tx.exec(ctx, `UPDATE clients SET owner_user_id = (SELECT id FROM users WHERE id = ?) WHERE id = ?`,
					rng.Int64N(8), rng.Int64N(12))
				return err
			case 10: // a user deleted: its links go, owners become NULL (cascades)
				_, err := tx.exec(ctx, `DELETE FROM users WHERE id = ?`, rng.Int64N(8))
				return err
			default: // a write that fails: rolled back, the model unchanged
				if _, err := tx.exec(ctx, `UPDATE clients SET firstname = 'rolled back'`); err != nil {
					return err
				}
				if _, err := tx.exec(ctx, `UPDATE oauth_credentials SET name = 'rolled back'`); err != nil {
					return err
				}
				return errors.New("fail on purpose")
			}
		})
		if op == 7 {
			require.EqualError(t, err, "fail on purpose")
		} else {
			require.NoError(t, err, "step %d op %d", step, op)
		}
		if !raceEnabled || step%10 == 9 {
			// Under the race detector (tenfold slower SQLite) every tenth
			// step: the writes are the same, the plain run checks each.
			check(step)
		}
	}
}

// TestReadModelSeesEveryDelete: a DELETE without WHERE (which SQLite may
// run without visiting rows) reaches the model too.
func TestReadModelSeesEveryDelete(t *testing.T) {
	db, _ := openTemp(t)
	ctx := t.Context()
	require.NoError(t, db.Update(ctx, func(tx *Tx) error {
		_, err := tx.AddClient(ctx, Client{UUID: "u1", Firstname: "A"}, ClientProfile{})
		return err
	}))
	require.NoError(t, db.Update(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM clients`)
		return err
	}))
	require.NoError(t, db.View(ctx, func(tx *Tx) error {
		entries, total, err := tx.ListClients(ctx, ClientFilter{})
		assert.Empty(t, entries)
		assert.Zero(t, total)
		return err
	}))
}

// TestWriteTransactionReadsItsOwnChanges: a write transaction reads from
// the model what it has not changed, and from SQL what it has.
func TestWriteTransactionReadsItsOwnChanges(t *testing.T) {
	db, _ := openTemp(t)
	ctx := t.Context()
	cred := OAuthCredential{Identifier: "A", Secret: "s", Name: "before", GrantTypes: "single_sign_on", Scopes: []string{"clientarea:sso"}}
	var id int64
	require.NoError(t, db.Update(ctx, func(tx *Tx) (err error) {
		id, err = tx.PutOAuthCredential(ctx, cred)
		return err
	}))
	require.NoError(t, db.Update(ctx, func(tx *Tx) error {
		c, err := tx.OAuthCredentialByID(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, "before", c.Name)
		c.Name = "after"
		_, err = tx.PutOAuthCredential(ctx, c)
		require.NoError(t, err)
		c, err = tx.OAuthCredentialByID(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, "after", c.Name, "its own change")
		list, err := tx.OAuthCredentials(ctx, OAuthFilter{})
		require.NoError(t, err)
		assert.Equal(t, "after", list[0].Name, "its own change, in a list")
		return nil
	}))
}

func TestFullNameStarts(t *testing.T) {
	c := ClientRow{Client: Client{Firstname: "Anna", Lastname: "Lee"}}
	for term, want := range map[string]bool{"": true, "an": true, "ANNA": true, "anna ": true, "anna l": true,
		"Anna Lee": true, "anna lee ": false, "annal": false, "anna  lee": false, "b": false} {
		assert.Equal(t, want, c.fullNameStarts(term), term)
		assert.Equal(t, want, hasPrefixNoCase(c.Firstname+" "+c.Lastname, term), term)
	}
}

// TestReadModelAgreesAfterConcurrentReadsAndWrites: readers that read
// credentials from SQLite (few held whole) while writers change them leave
// the model agreeing with SQL: nothing read before a change is held after
// it, and no ordering built while changes land misses or repeats one.
func TestReadModelAgreesAfterConcurrentReadsAndWrites(t *testing.T) {
	db, _ := openTemp(t)
	db.model.oauth.capacity = 5
	ctx := t.Context()
	names := []string{"Ann", "Bob", "Cy", "Di"}
	put := func(id int64, i int) error {
		return db.Update(ctx, func(tx *Tx) error {
			_, err := tx.PutOAuthCredential(ctx, OAuthCredential{ID: id, Identifier: fmt.Sprintf("ID-%d", id),
				Secret: "s", Name: names[i%len(names)], GrantTypes: []string{"authorization_code", "single_sign_on"}[i%2],
				Scopes: []string{"clientarea:sso"}, UpdatedAt: int64(i)})
			return err
		})
	}
	for id := range int64(12) {
		require.NoError(t, put(id+1, int(id)))
	}
	queries := modelQueries(ctx)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 3 {
		wg.Go(func() {
			for i := range 40 {
				if err := put(int64(1+(w*7+i)%14), i+w); err != nil { // ids 13 and 14 are new
					errs <- err
					return
				}
				if i%10 == 9 {
					if err := db.Update(ctx, func(tx *Tx) error {
						err := tx.DeleteOAuthCredential(ctx, int64(13+w%2))
						if errors.Is(err, ErrNotFound) {
							return nil
						}
						return err
					}); err != nil {
						errs <- err
						return
					}
				}
			}
		})
	}
	for range 3 {
		wg.Go(func() {
			for range 5 {
				for _, q := range queries {
					if err := db.View(ctx, func(tx *Tx) error {
						if err, ok := q(tx).(error); ok {
							return err
						}
						return nil
					}); err != nil {
						errs <- err
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	for name, q := range queries {
		var fromModel any
		require.NoError(t, db.View(ctx, func(tx *Tx) error { fromModel = q(tx); return nil }))
		require.Equal(t, sqlAnswers(t, db, q), fromModel, name)
	}
}

// TestReadModelKeepsNoRowReadBeforeAChange: a credential read from SQLite
// while a write changes it is answered, but not held: the next read shows
// the change.
func TestReadModelKeepsNoRowReadBeforeAChange(t *testing.T) {
	db, _ := openTemp(t)
	ctx := t.Context()
	cred := OAuthCredential{ID: 1, Identifier: "A", Secret: "s", Name: "before", GrantTypes: "single_sign_on",
		Scopes: []string{"clientarea:sso"}}
	put := func(name string) {
		cred.Name = name
		require.NoError(t, db.Update(ctx, func(tx *Tx) error { _, err := tx.PutOAuthCredential(ctx, cred); return err }))
	}
	put("before") // new: not held
	read := func() string {
		var c OAuthCredential
		require.NoError(t, db.View(ctx, func(tx *Tx) (err error) { c, err = tx.OAuthCredentialByID(ctx, 1); return err }))
		return c.Name
	}
	for _, between := range []string{"by id", "by identifier", "in a list"} {
		db.model.oauth.afterRead = func() {
			db.model.oauth.afterRead = nil
			put("after " + between)
		}
		switch between {
		case "by id":
			assert.Equal(t, "before", read(), "read before the change")
		case "by identifier":
			require.NoError(t, db.View(ctx, func(tx *Tx) error {
				c, err := tx.OAuthCredentialByIdentifier(ctx, "A")
				assert.Equal(t, "after by id", c.Name, "read before the change")
				return err
			}))
		case "in a list":
			require.NoError(t, db.View(ctx, func(tx *Tx) error {
				list, err := tx.OAuthCredentials(ctx, OAuthFilter{SortKey: "name"})
				require.Len(t, list, 1)
				assert.Equal(t, "after by identifier", list[0].Name, "read before the change")
				return err
			}))
		}
		assert.Equal(t, "after "+between, read())
		db.model.oauth.uncache(1)
	}
}
