package store

import (
	"cmp"
	"context"
	"database/sql"
	"database/sql/driver"
	"slices"
	"sync"

	"modernc.org/sqlite"
)

// The read model holds in memory the rows the busiest reads ask for (OAuth
// credentials and clients), so that a list or a lookup of them costs no
// SQL at all: a profile of a page of 25 credentials put four fifths of its
// time in database/sql's row machinery and the driver, not in SQLite.
//
// SQLite stays the source of truth. The writer connection's pre-update
// hook notes every row any statement changes in those tables (foreign-key
// cascades included); before the transaction commits, Update reads those
// rows again, inside it, and once it has committed it applies them to the
// model, all under the write lock, so the model moves from one committed
// state to the next in commit order. A write returns only once the model
// shows it, so a caller reads what it wrote.

// The tables the read model holds.
const (
	modelOAuth   = "oauth_credentials"
	modelClients = "clients"
)

// changeSet is what the running write transaction changed in the model's
// tables: row ids, or a whole table (a Wipe).
type changeSet struct {
	mu   sync.Mutex
	rows map[string]map[int64]bool
	all  map[string]bool
}

// hook is the writer connection's pre-update hook.
func (c *changeSet) hook(d sqlite.SQLitePreUpdateData) {
	if d.TableName != modelOAuth && d.TableName != modelClients && d.TableName != tableBans {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.rows == nil {
		c.rows = map[string]map[int64]bool{}
	}
	ids := c.rows[d.TableName]
	if ids == nil {
		ids = map[int64]bool{}
		c.rows[d.TableName] = ids
	}
	// An insert's old id and a delete's new id are undefined: reading a
	// wrong id again only finds what is there, so noting both is safe.
	ids[d.OldRowID], ids[d.NewRowID] = true, true
}

// changedAll notes that a statement changed every row of table, which the
// hook may not see (SQLite's truncate optimisation skips it).
func (c *changeSet) changedAll(table string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.all == nil {
		c.all = map[string]bool{}
	}
	c.all[table] = true
}

// touched reports whether the running transaction changed table's row id
// (id 0: any row of table).
func (c *changeSet) touched(table string, id int64) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.all[table] {
		return true
	}
	if id == 0 {
		return len(c.rows[table]) > 0
	}
	return c.rows[table][id]
}

// take returns the changes noted and forgets them.
func (c *changeSet) take() (rows map[string]map[int64]bool, all map[string]bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	rows, all = c.rows, c.all
	c.rows, c.all = nil, nil
	return rows, all
}

func (c *changeSet) reset() { c.take() }

// hookedConnector opens the writer's connection with the pre-update hook
// set, also when database/sql replaces a broken connection.
type hookedConnector struct {
	dsn  string
	hook sqlite.PreUpdateHookFn
}

func (c *hookedConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.Driver().Open(c.dsn)
	if err != nil {
		return nil, err
	}
	conn.(sqlite.HookRegisterer).RegisterPreUpdateHook(c.hook)
	return conn, nil
}

func (c *hookedConnector) Driver() driver.Driver { return &sqlite.Driver{} }

// modelTable is the rows of one table, by id, with orderings kept until
// the table changes.
type modelTable[T any] struct {
	rows   map[int64]T
	ids    []int64 // ascending
	orders map[string][]int64
}

func newModelTable[T any]() *modelTable[T] {
	return &modelTable[T]{rows: map[int64]T{}, orders: map[string][]int64{}}
}

func (t *modelTable[T]) put(id int64, v T) {
	if _, ok := t.rows[id]; !ok {
		i, _ := slices.BinarySearch(t.ids, id)
		t.ids = slices.Insert(t.ids, i, id)
	}
	t.rows[id] = v
}

func (t *modelTable[T]) remove(id int64) {
	if _, ok := t.rows[id]; ok {
		delete(t.rows, id)
		i, _ := slices.BinarySearch(t.ids, id)
		t.ids = slices.Delete(t.ids, i, i+1)
	}
}

// tableDelta is what a transaction changed in one table: the rows to put,
// the ids to remove, or (all) the whole table anew.
type tableDelta[T any] struct {
	all    bool
	put    map[int64]T
	remove []int64
}

func (d *tableDelta[T]) applyTo(t *modelTable[T]) {
	if d.all {
		t.rows, t.ids = map[int64]T{}, nil
	}
	for _, id := range d.remove {
		t.remove(id)
	}
	for id, v := range d.put {
		t.put(id, v)
	}
	clear(t.orders)
}

// readDelta reads again the rows of one table a transaction changed:
// every row when all is set, else each id, which is gone when not found.
func readDelta[T any](ctx context.Context, tx *Tx, ids map[int64]bool, all bool,
	every func() (map[int64]T, error), one func(int64) (T, error)) (*tableDelta[T], error) {
	d := &tableDelta[T]{all: all, put: map[int64]T{}}
	if all {
		rows, err := every()
		d.put = rows
		return d, err
	}
	for id := range ids {
		v, err := one(id)
		switch {
		case err == ErrNotFound:
			d.remove = append(d.remove, id)
		case err != nil:
			return nil, err
		default:
			d.put[id] = v
		}
	}
	return d, nil
}

// ClientRow is a client as the read model holds it: the identity columns
// (without the user links, which ClientByID reads) and the profile.
type ClientRow struct {
	Client
	Profile ClientProfile
}

// model is the read model.
type model struct {
	mu       sync.RWMutex
	ordersMu sync.Mutex // guards the tables' orders while mu is held for reading
	oauth    *modelTable[OAuthCredential]
	clients  *modelTable[ClientRow]
	// oauthByIdentifier finds a credential by its client identifier.
	oauthByIdentifier map[string]int64
}

// modelDelta is what one transaction changed in the model's tables.
type modelDelta struct {
	oauth   *tableDelta[OAuthCredential]
	clients *tableDelta[ClientRow]
}

// loadModel reads the model's tables whole.
func loadModel(ctx context.Context, db *DB) (*model, error) {
	m := &model{oauth: newModelTable[OAuthCredential](), clients: newModelTable[ClientRow](),
		oauthByIdentifier: map[string]int64{}}
	var delta *modelDelta
	// On the writer's connection, which Open has just used: a reader's
	// first use parses the whole schema, which can wait for a read that
	// needs SQL (a test server that only lists credentials never opens one).
	var bans *banSet
	err := db.Update(ctx, func(tx *Tx) (err error) {
		delta, err = m.read(ctx, tx, nil, map[string]bool{modelOAuth: true, modelClients: true})
		if err == nil {
			bans, err = tx.readBans(ctx)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	m.apply(delta)
	db.bans.set.Store(bans)
	return m, nil
}

// read reads, inside the transaction that made them, the rows of the
// changes. A nil model (while migrations run) reads nothing.
func (m *model) read(ctx context.Context, tx *Tx, rows map[string]map[int64]bool, all map[string]bool) (*modelDelta, error) {
	if m == nil || (len(rows) == 0 && len(all) == 0) {
		return nil, nil
	}
	d := &modelDelta{}
	var err error
	if rows[modelOAuth] != nil || all[modelOAuth] {
		d.oauth, err = readDelta(ctx, tx, rows[modelOAuth], all[modelOAuth],
			func() (map[int64]OAuthCredential, error) {
				out := map[int64]OAuthCredential{}
				err := tx.eachRow(ctx, oauthSelect, func(r *sql.Rows) error {
					c, err := scanOAuth(r)
					out[c.ID] = c
					return err
				})
				return out, err
			},
			func(id int64) (OAuthCredential, error) { return tx.sqlOAuthCredentialByID(ctx, id) })
		if err != nil {
			return nil, err
		}
	}
	if rows[modelClients] != nil || all[modelClients] {
		d.clients, err = readDelta(ctx, tx, rows[modelClients], all[modelClients],
			func() (map[int64]ClientRow, error) {
				out := map[int64]ClientRow{}
				err := tx.eachRow(ctx, clientRowSelect, func(r *sql.Rows) error {
					c, err := scanClientRow(r)
					out[c.ID] = c
					return err
				})
				return out, err
			},
			func(id int64) (ClientRow, error) {
				return scanClientRow(tx.queryRow(ctx, clientRowSelect+` WHERE id = ?`, id))
			})
		if err != nil {
			return nil, err
		}
	}
	return d, nil
}

// apply makes the model show a committed transaction's changes.
func (m *model) apply(d *modelDelta) {
	if m == nil || d == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if d.oauth != nil {
		d.oauth.applyTo(m.oauth)
		clear(m.oauthByIdentifier)
		for id, c := range m.oauth.rows {
			m.oauthByIdentifier[c.Identifier] = id
		}
	}
	if d.clients != nil {
		d.clients.applyTo(m.clients)
	}
}

// ordered returns t's ids ordered by key (ties by id), computing and
// keeping the order on first use after a change. The caller holds m.mu
// for reading; the order is computed from a copy and kept only if the
// table has not changed meanwhile.
func ordered[T any](m *model, t *modelTable[T], key string, cmpRows func(a, b T) int) []int64 {
	if key == "" || key == "id" {
		return t.ids
	}
	m.ordersMu.Lock()
	ids, ok := t.orders[key]
	m.ordersMu.Unlock()
	if ok {
		return ids
	}
	ids = slices.Clone(t.ids)
	slices.SortStableFunc(ids, func(a, b int64) int {
		return cmp.Or(cmpRows(t.rows[a], t.rows[b]), cmp.Compare(a, b))
	})
	// Several readers may compute it at once; they compute the same.
	m.ordersMu.Lock()
	t.orders[key] = ids
	m.ordersMu.Unlock()
	return ids
}

// fromModel returns the read model when tx may answer a read of table's
// row id (0: of the whole table) from it. A read transaction may. So may
// a write transaction that has not changed what it reads: it holds the
// write lock, so the model shows what the database held when it began;
// what it changed only SQL shows.
func (tx *Tx) fromModel(table string, id int64) *model {
	if tx.writer && tx.db.changes.touched(table, id) {
		return nil
	}
	return tx.db.model
}

// oauthCredential returns a copy of a credential the model holds.
func (m *model) oauthCredential(id int64) (OAuthCredential, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	c, ok := m.oauth.rows[id]
	if !ok {
		return OAuthCredential{}, ErrNotFound
	}
	return c.clone(), nil
}

func (m *model) oauthCredentialByIdentifier(identifier string) (OAuthCredential, error) {
	m.mu.RLock()
	id, ok := m.oauthByIdentifier[identifier]
	m.mu.RUnlock()
	if !ok {
		return OAuthCredential{}, ErrNotFound
	}
	return m.oauthCredential(id)
}

// clone copies a credential's lists, so no caller shares the model's.
func (c OAuthCredential) clone() OAuthCredential {
	c.RedirectURIs = slices.Clone(c.RedirectURIs)
	c.Scopes = slices.Clone(c.Scopes)
	return c
}

// oauthOrder compares credentials by a sort key of OAuthSortColumns, as
// SQLite orders those columns (text byte by byte).
func oauthOrder(key string) func(a, b OAuthCredential) int {
	switch key {
	case "identifier":
		return func(a, b OAuthCredential) int { return cmp.Compare(a.Identifier, b.Identifier) }
	case "name":
		return func(a, b OAuthCredential) int { return cmp.Compare(a.Name, b.Name) }
	case "description":
		return func(a, b OAuthCredential) int { return cmp.Compare(a.Description, b.Description) }
	case "grant_types":
		return func(a, b OAuthCredential) int { return cmp.Compare(a.GrantTypes, b.GrantTypes) }
	case "service_id":
		return func(a, b OAuthCredential) int { return cmp.Compare(a.ServiceID, b.ServiceID) }
	case "user_id":
		return func(a, b OAuthCredential) int { return cmp.Compare(a.UserID, b.UserID) }
	case "logo_uri":
		return func(a, b OAuthCredential) int { return cmp.Compare(a.LogoURI, b.LogoURI) }
	case "created_at":
		return func(a, b OAuthCredential) int { return cmp.Compare(a.CreatedAt, b.CreatedAt) }
	case "updated_at":
		return func(a, b OAuthCredential) int { return cmp.Compare(a.UpdatedAt, b.UpdatedAt) }
	}
	return func(a, b OAuthCredential) int { return 0 } // id, which ties are broken by
}

// oauthCredentials answers OAuthCredentials from the model.
func (m *model) oauthCredentials(f OAuthFilter) []OAuthCredential {
	m.mu.RLock()
	defer m.mu.RUnlock()
	ids := ordered(m, m.oauth, f.SortKey, oauthOrder(f.SortKey))
	n := len(ids)
	if f.Limit > 0 {
		n = min(n, f.Limit)
	}
	out := make([]OAuthCredential, 0, n)
	visit(ids, f.Desc, func(id int64) bool {
		c := m.oauth.rows[id]
		if f.GrantType == "" || c.GrantTypes == f.GrantType {
			out = append(out, c.clone())
		}
		return f.Limit <= 0 || len(out) < f.Limit
	})
	if len(out) == 0 {
		return nil // as SQL's collect answers
	}
	return out
}

// visit calls fn on ids in order, or in reverse when desc, until it
// returns false.
func visit(ids []int64, desc bool, fn func(int64) bool) {
	if desc {
		for i := len(ids) - 1; i >= 0; i-- {
			if !fn(ids[i]) {
				return
			}
		}
		return
	}
	for _, id := range ids {
		if !fn(id) {
			return
		}
	}
}

// clientOrder compares clients by a key of ClientOrderColumns, as SQLite
// orders those columns (NOCASE: ASCII letters folded).
func clientOrder(key string) func(a, b ClientRow) int {
	switch key {
	case "firstname":
		return func(a, b ClientRow) int { return compareNoCase(a.Firstname, b.Firstname) }
	case "lastname":
		return func(a, b ClientRow) int { return compareNoCase(a.Lastname, b.Lastname) }
	case "companyname":
		return func(a, b ClientRow) int { return compareNoCase(a.CompanyName, b.CompanyName) }
	case "email":
		return func(a, b ClientRow) int { return compareNoCase(a.Email, b.Email) }
	case "groupid":
		return func(a, b ClientRow) int { return cmp.Compare(a.Profile.GroupID, b.Profile.GroupID) }
	case "datecreated":
		return func(a, b ClientRow) int { return cmp.Compare(a.Profile.CreatedAt, b.Profile.CreatedAt) }
	case "status":
		return func(a, b ClientRow) int { return cmp.Compare(a.Status, b.Status) }
	}
	return func(a, b ClientRow) int { return 0 }
}

// listClients answers ListClients from the model.
func (m *model) listClients(f ClientFilter) ([]ClientEntry, int64) {
	key := f.OrderBy
	if _, ok := ClientOrderColumns[key]; !ok {
		key = "id"
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	ids := ordered(m, m.clients, key, clientOrder(key))
	var out []ClientEntry
	var total int64
	visit(ids, f.Desc, func(id int64) bool {
		c := m.clients.rows[id]
		if (f.Status == "" || equalNoCase(c.Status, f.Status)) && (f.Search == "" || c.matches(f.Search)) {
			if total >= f.Offset && (f.Limit <= 0 || int64(len(out)) < f.Limit) {
				out = append(out, ClientEntry{ID: c.ID, Firstname: c.Firstname, Lastname: c.Lastname,
					CompanyName: c.CompanyName, Email: c.Email, GroupID: c.Profile.GroupID, Status: c.Status,
					CreatedAt: c.Profile.CreatedAt})
			}
			total++
		}
		return true
	})
	return out, total
}

// matches reports whether a search term starts the client's email, a
// name, the full name or the company, as LIKE 'term%' does (ASCII letters
// folded).
func (c ClientRow) matches(term string) bool {
	return hasPrefixNoCase(c.Email, term) || hasPrefixNoCase(c.Firstname, term) ||
		hasPrefixNoCase(c.Lastname, term) || hasPrefixNoCase(c.Firstname+" "+c.Lastname, term) ||
		hasPrefixNoCase(c.CompanyName, term)
}

// clientRow returns a client the model holds.
func (m *model) clientRow(id int64) (ClientRow, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	c, ok := m.clients.rows[id]
	if !ok {
		return ClientRow{}, ErrNotFound
	}
	return c, nil
}

// lowerASCII folds an ASCII letter, as SQLite's NOCASE and LIKE do (and
// nothing else).
func lowerASCII(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

func compareNoCase(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if x, y := lowerASCII(a[i]), lowerASCII(b[i]); x != y {
			return cmp.Compare(x, y)
		}
	}
	return cmp.Compare(len(a), len(b))
}

func equalNoCase(a, b string) bool { return len(a) == len(b) && compareNoCase(a, b) == 0 }

func hasPrefixNoCase(s, prefix string) bool {
	return len(s) >= len(prefix) && equalNoCase(s[:len(prefix)], prefix)
}
