package store

import (
	"cmp"
	"context"
	"database/sql"
	"database/sql/driver"
	"slices"
	"sync"
	"sync/atomic"

	"modernc.org/sqlite"
)

// The read model holds in memory the rows the busiest reads ask for (OAuth
// credentials, clients, users and which users reach which clients), so
// that a list or a lookup of them costs no SQL at all: a profile of a page
// of 25 credentials put four fifths of its time in database/sql's row
// machinery and the driver, not in SQLite. Of the OAuth credentials, which
// a test can create by the hundred thousand, it holds every id and its
// places in the orderings, and whole rows only for those read lately
// (store/model_oauth.go).
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
	modelOAuth       = "oauth_credentials"
	modelClients     = "clients"
	modelUsers       = "users"
	modelClientUsers = "client_users" // read whole on any change: it is a small table of links
)

// modelTables are the tables the read model holds, for the hook: with the
// banned IPs (store/bans.go), which it reads whole on any change.
var modelTables = map[string]bool{modelOAuth: true, modelClients: true, modelUsers: true, modelClientUsers: true,
	tableBans: true}

// changeSet is what the running write transaction changed in the model's
// tables: row ids, or a whole table (a Wipe).
type changeSet struct {
	mu   sync.Mutex
	rows map[string]map[int64]bool
	all  map[string]bool
	// known are rows a statement returned as they now are (RETURNING), so
	// that the model need not read them again; a later change to a row
	// forgets it.
	known map[string]map[int64]any
}

// know records a row as a statement of the running transaction left it.
func (c *changeSet) know(table string, id int64, row any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.known == nil {
		c.known = map[string]map[int64]any{}
	}
	if c.known[table] == nil {
		c.known[table] = map[int64]any{}
	}
	c.known[table][id] = row
}

// hook is the writer connection's pre-update hook.
func (c *changeSet) hook(d sqlite.SQLitePreUpdateData) {
	if !modelTables[d.TableName] {
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
	if k := c.known[d.TableName]; k != nil {
		delete(k, d.OldRowID)
		delete(k, d.NewRowID)
	}
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

// forgetKnown drops the rows statements returned, so that the model reads
// them again: used when a savepoint is rolled back, which the hook does not
// see.
func (c *changeSet) forgetKnown() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.known = nil
}

// take returns the changes noted and forgets them.
func (c *changeSet) take() (rows map[string]map[int64]bool, all map[string]bool, known map[string]map[int64]any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	rows, all, known = c.rows, c.all, c.known
	c.rows, c.all, c.known = nil, nil, nil
	return rows, all, known
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

// modelTable is the rows of one table, by id, with the orderings readers
// asked for, each kept up to date as rows change (re-sorting a few
// thousand rows after every write cost a mixed workload most of its time).
type modelTable[T any] struct {
	rows   map[int64]T
	ids    []int64 // ascending
	orders map[string]*ordering[T]
}

// ordering is the ids of a table by a key (ties by id), and the key's
// comparison of rows.
type ordering[T any] struct {
	ids     []int64
	cmpRows func(a, b T) int
}

// compare orders rows a and b (ids ia and ib) by the key, then by id.
func (o *ordering[T]) compare(a T, ia int64, b T, ib int64) int {
	return cmp.Or(o.cmpRows(a, b), cmp.Compare(ia, ib))
}

// position is where id, with row v, stands (or would stand) in o.
func (o *ordering[T]) position(t *modelTable[T], id int64, v T) int {
	i, _ := slices.BinarySearchFunc(o.ids, id, func(e, target int64) int {
		return o.compare(t.rows[e], e, v, target)
	})
	return i
}

func newModelTable[T any]() *modelTable[T] {
	return &modelTable[T]{rows: map[int64]T{}, orders: map[string]*ordering[T]{}}
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
		clear(t.orders) // the next reader sorts anew
	}
	// Out of every ordering first, with the rows as they were; then the
	// rows change; then the new rows go in at their places.
	for _, o := range t.orders {
		for _, id := range d.remove {
			o.drop(t, id)
		}
		for id := range d.put {
			o.drop(t, id)
		}
	}
	for _, id := range d.remove {
		t.remove(id)
	}
	for id, v := range d.put {
		t.put(id, v)
	}
	for _, o := range t.orders {
		for id, v := range d.put {
			o.ids = slices.Insert(o.ids, o.position(t, id, v), id)
		}
	}
}

// drop takes id out of o when the table holds it.
func (o *ordering[T]) drop(t *modelTable[T], id int64) {
	v, ok := t.rows[id]
	if !ok {
		return
	}
	if i := o.position(t, id, v); i < len(o.ids) && o.ids[i] == id {
		o.ids = slices.Delete(o.ids, i, i+1)
	}
}

// readDelta reads again the rows of one table a transaction changed:
// every row when all is set, else each id, which is gone when not found.
func readDelta[T any](ctx context.Context, tx *Tx, ids map[int64]bool, all bool, known map[int64]any,
	every func() (map[int64]T, error), one func(int64) (T, error)) (*tableDelta[T], error) {
	d := &tableDelta[T]{all: all}
	if all {
		rows, err := every()
		d.put = rows
		return d, err
	}
	var err error
	if d.put, d.remove, err = readChanged(ids, known, one); err != nil {
		return nil, err
	}
	return d, nil
}

// readChanged reads the rows ids as they now are: as a statement returned
// them (known), else with one; those not found are gone.
func readChanged[T any](ids map[int64]bool, known map[int64]any, one func(int64) (T, error)) (put map[int64]T, gone []int64, err error) {
	put = make(map[int64]T, len(ids))
	for id := range ids {
		if v, ok := known[id].(T); ok {
			put[id] = v
			continue
		}
		v, err := one(id)
		switch {
		case err == ErrNotFound:
			gone = append(gone, id)
		case err != nil:
			return nil, nil, err
		default:
			put[id] = v
		}
	}
	return put, gone, nil
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
	oauth    *oauthIndex
	clients  *modelTable[ClientRow]
	users    *modelTable[User]
	// clientUsers are the users linked to each client (client_users), by
	// user id.
	clientUsers map[int64][]int64
	// bans is the banned IPs, read without m.mu: the server asks about
	// every request's address (store/bans.go).
	bans atomic.Pointer[banSet]
}

// modelDelta is what one transaction changed in the model's tables.
type modelDelta struct {
	oauth       *oauthDelta
	clients     *tableDelta[ClientRow]
	users       *tableDelta[User]
	clientUsers map[int64][]int64 // nil: unchanged
	bans        *banSet           // nil: unchanged
}

// loadModel reads the model's tables whole.
func loadModel(ctx context.Context, db *DB) (*model, error) {
	m := &model{oauth: newOAuthIndex(db.oauthSource), clients: newModelTable[ClientRow](),
		users: newModelTable[User](), clientUsers: map[int64][]int64{}}
	var delta *modelDelta
	// On the writer's connection, which Open has just used: a reader's
	// first use parses the whole schema, which can wait for a read that
	// needs SQL (a test server that only lists credentials never opens one).
	err := db.Update(ctx, func(tx *Tx) (err error) {
		delta, err = m.read(ctx, tx, nil, modelTables, nil)
		return err
	})
	if err != nil {
		return nil, err
	}
	m.apply(delta)
	return m, nil
}

// read reads, inside the transaction that made them, the rows of the
// changes. A nil model (while migrations run) reads nothing.
func (m *model) read(ctx context.Context, tx *Tx, rows map[string]map[int64]bool, all map[string]bool, known map[string]map[int64]any) (*modelDelta, error) {
	if m == nil || (len(rows) == 0 && len(all) == 0) {
		return nil, nil
	}
	d := &modelDelta{}
	var err error
	if rows[modelOAuth] != nil || all[modelOAuth] {
		if d.oauth, err = readOAuthDelta(ctx, tx, rows[modelOAuth], all[modelOAuth], known[modelOAuth]); err != nil {
			return nil, err
		}
	}
	if rows[modelClients] != nil || all[modelClients] {
		d.clients, err = readDelta(ctx, tx, rows[modelClients], all[modelClients], known[modelClients],
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
	if rows[modelUsers] != nil || all[modelUsers] {
		d.users, err = readDelta(ctx, tx, rows[modelUsers], all[modelUsers], known[modelUsers],
			func() (map[int64]User, error) {
				list, err := tx.Users(ctx)
				out := make(map[int64]User, len(list))
				for _, u := range list {
					out[u.ID] = u
				}
				return out, err
			},
			func(id int64) (User, error) { return tx.sqlUserByID(ctx, id) })
		if err != nil {
			return nil, err
		}
	}
	if rows[modelClientUsers] != nil || all[modelClientUsers] {
		links, err := tx.ClientUserLinks(ctx)
		if err != nil {
			return nil, err
		}
		d.clientUsers = map[int64][]int64{}
		for _, l := range links {
			d.clientUsers[l.ClientID] = append(d.clientUsers[l.ClientID], l.UserID)
		}
	}
	if rows[tableBans] != nil || all[tableBans] {
		if d.bans, err = tx.readBans(ctx); err != nil {
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
		m.oauth.apply(d.oauth)
	}
	if d.clients != nil {
		d.clients.applyTo(m.clients)
	}
	if d.users != nil {
		d.users.applyTo(m.users)
	}
	if d.clientUsers != nil {
		m.clientUsers = d.clientUsers
	}
	if d.bans != nil {
		m.bans.Store(d.bans)
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
	o, ok := t.orders[key]
	m.ordersMu.Unlock()
	if ok {
		return o.ids
	}
	o = &ordering[T]{ids: slices.Clone(t.ids), cmpRows: cmpRows}
	slices.SortFunc(o.ids, func(a, b int64) int { return o.compare(t.rows[a], a, t.rows[b], b) })
	// Several readers may compute it at once; they compute the same.
	m.ordersMu.Lock()
	t.orders[key] = o
	m.ordersMu.Unlock()
	return o.ids
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

// clone copies a credential's lists, so no caller shares the model's.
func (c OAuthCredential) clone() OAuthCredential {
	c.RedirectURIs = slices.Clone(c.RedirectURIs)
	c.Scopes = slices.Clone(c.Scopes)
	return c
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
	if f.Status == "" && f.Search == "" {
		// Every client matches: the page is a window of the order.
		total = int64(len(ids))
		for i := f.Offset; i < total && (f.Limit <= 0 || int64(len(out)) < f.Limit); i++ {
			j := i
			if f.Desc {
				j = total - 1 - i
			}
			out = append(out, m.clients.rows[ids[j]].entry())
		}
		return out, total
	}
	visit(ids, f.Desc, func(id int64) bool {
		c := m.clients.rows[id]
		if (f.Status == "" || equalNoCase(c.Status, f.Status)) && (f.Search == "" || c.matches(f.Search)) {
			if total >= f.Offset && (f.Limit <= 0 || int64(len(out)) < f.Limit) {
				out = append(out, c.entry())
			}
			total++
		}
		return true
	})
	return out, total
}

// entry is the client as ListClients lists it.
func (c ClientRow) entry() ClientEntry {
	return ClientEntry{ID: c.ID, Firstname: c.Firstname, Lastname: c.Lastname, CompanyName: c.CompanyName,
		Email: c.Email, GroupID: c.Profile.GroupID, Status: c.Status, CreatedAt: c.Profile.CreatedAt}
}

// matches reports whether a search term starts the client's email, a
// name, the full name or the company, as LIKE 'term%' does (ASCII letters
// folded).
func (c ClientRow) matches(term string) bool {
	return hasPrefixNoCase(c.Email, term) || hasPrefixNoCase(c.Firstname, term) ||
		hasPrefixNoCase(c.Lastname, term) || hasPrefixNoCase(c.CompanyName, term) || c.fullNameStarts(term)
}

// fullNameStarts reports whether term starts "first last" (without
// building the string: this runs for every client a search looks at).
func (c ClientRow) fullNameStarts(term string) bool {
	n := len(c.Firstname)
	if len(term) <= n {
		return hasPrefixNoCase(c.Firstname, term)
	}
	return equalNoCase(term[:n], c.Firstname) && term[n] == ' ' && hasPrefixNoCase(c.Lastname, term[n+1:])
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

// client returns a client the model holds, with its users' ids.
func (m *model) client(id int64) (Client, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	c, ok := m.clients.rows[id]
	if !ok {
		return Client{}, ErrNotFound
	}
	out := c.Client
	out.UserIDs = slices.Clone(m.clientUsers[id])
	return out, nil
}

// user returns a user the model holds.
func (m *model) user(id int64) (User, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	u, ok := m.users.rows[id]
	if !ok {
		return User{}, ErrNotFound
	}
	return u, nil
}

// clientUserList answers ClientUsers from the model: the owner first, then
// the other users who may reach the client, by id.
func (m *model) clientUserList(id int64) []ClientUser {
	m.mu.RLock()
	defer m.mu.RUnlock()
	c, ok := m.clients.rows[id]
	if !ok {
		return nil
	}
	var out []ClientUser
	if u, ok := m.users.rows[c.OwnerUserID]; ok && c.OwnerUserID != 0 {
		out = append(out, ClientUser{ID: u.ID, Firstname: u.Firstname, Lastname: u.Lastname, Email: u.Email, Owner: true})
	}
	for _, uid := range m.clientUsers[id] {
		if u, ok := m.users.rows[uid]; ok && uid != c.OwnerUserID {
			out = append(out, ClientUser{ID: u.ID, Firstname: u.Firstname, Lastname: u.Lastname, Email: u.Email})
		}
	}
	return out
}
