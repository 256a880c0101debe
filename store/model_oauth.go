package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"unique"
)

// The read model's OAuth credentials: every credential's id and its places
// in the orderings readers asked for, but whole rows only for the
// credentials read lately (at most oauthCachedRows), which is what a page
// or a lookup asks for again and again. A row not held is read from
// SQLite, by id, on a connection of its own.
//
// Holding every row whole cost about 700 bytes a credential: the load
// run's create workload adds 90,000 of them, which took the process from
// 48 MB to 225 MB. Now a credential costs 8 bytes (its id) and 16 more for
// each ordering asked for (an interned key and the id), and a list or a
// lookup of the rows readers ask for still costs no SQL. (An index per
// sortable column in SQLite instead cost every create a b-tree insert and
// a WAL page each: 8% of its rate.)

// oauthCachedRows is how many credentials the model holds whole: pages of
// the common orders and the credentials a test or an integration reads.
const oauthCachedRows = 1024

// oauthIndex is the model's OAuth credentials. Its fields change under the
// model's write lock (apply), except the cache and the orderings, which
// readers fill under their own locks while holding the model's read lock.
type oauthIndex struct {
	ids     []int64 // every credential, ascending
	version uint64  // how many changes apply has made: a fill reads SQL outside the lock and keeps what it read only if none came between

	ordersMu sync.Mutex
	orders   map[string]oauthOrdering // by grant+"|"+sort key
	// building are the orderings being built, each closed when its build
	// ends: one reader builds, the others wait for it rather than each
	// scanning the table too.
	building map[string]chan struct{}

	cacheMu      sync.Mutex
	capacity     int
	rows         map[int64]OAuthCredential // the credentials held whole
	byIdentifier map[string]int64          // of the rows held
	source       *oauthSource
	// afterRead, when set (by a test), runs between a fill's read and its
	// check of the version.
	afterRead func()
}

func newOAuthIndex(source *oauthSource) *oauthIndex {
	return &oauthIndex{orders: map[string]oauthOrdering{}, building: map[string]chan struct{}{}, capacity: oauthCachedRows,
		rows: map[int64]OAuthCredential{}, byIdentifier: map[string]int64{}, source: source}
}

// oauthSource reads credentials the model does not hold, on a pool of its
// own: a read transaction holds a connection of the readers' pool for its
// whole length, so readers waiting for a second one could wait for each
// other for ever.
type oauthSource struct {
	pool  *sql.DB
	mu    sync.Mutex
	stmts map[string]*sql.Stmt // prepared on first use
}

// The queries oauthSource reads with.
const (
	oauthByIDs        = oauthSelect + ` WHERE c.id IN (SELECT value FROM json_each(?))`
	oauthByIdentifier = oauthSelect + ` WHERE c.identifier = ?`
)

func newOAuthSource(pool *sql.DB) *oauthSource {
	return &oauthSource{pool: pool, stmts: map[string]*sql.Stmt{}}
}

// close closes the pool and the statements prepared on it.
func (s *oauthSource) close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.stmts {
		st.Close()
	}
	return s.pool.Close()
}

// read returns the credentials query selects with arg.
func (s *oauthSource) read(ctx context.Context, query string, arg any) ([]OAuthCredential, error) {
	s.mu.Lock()
	st, ok := s.stmts[query]
	if !ok {
		var err error
		if st, err = s.pool.Prepare(query); err != nil {
			s.mu.Unlock()
			return nil, err
		}
		s.stmts[query] = st
	}
	s.mu.Unlock()
	rows, err := st.QueryContext(uninterrupted(ctx), arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OAuthCredential
	for rows.Next() {
		c, err := scanOAuth(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// oauthDelta is what one transaction changed in the credentials: every id
// anew (all), the rows written, the ids deleted.
type oauthDelta struct {
	all    bool
	allIDs []int64 // with all: every credential's id
	put    map[int64]OAuthCredential
	remove []int64
}

// readOAuthDelta reads, inside the transaction that made them, the
// credentials it changed: their ids only when it changed the whole table.
func readOAuthDelta(ctx context.Context, tx *Tx, ids map[int64]bool, all bool, known map[int64]any) (*oauthDelta, error) {
	d := &oauthDelta{all: all, put: map[int64]OAuthCredential{}}
	if all {
		err := tx.eachRow(ctx, `SELECT id FROM oauth_credentials ORDER BY id`, func(r *sql.Rows) error {
			var id int64
			err := r.Scan(&id)
			d.allIDs = append(d.allIDs, id)
			return err
		})
		return d, err
	}
	var err error
	d.put, d.remove, err = readChanged(ids, known, func(id int64) (OAuthCredential, error) {
		return tx.sqlOAuthCredentialByID(ctx, id)
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// apply makes the index show a committed change. The caller holds the
// model's write lock.
func (x *oauthIndex) apply(d *oauthDelta) {
	x.version++
	if d.all {
		x.ids = d.allIDs
		clear(x.orders) // the next reader builds them anew
		x.cacheMu.Lock()
		clear(x.rows)
		clear(x.byIdentifier)
		x.cacheMu.Unlock()
		return
	}
	// Out of every ordering with the row as it was (when it is held; else
	// found by id), then in with the row as it is.
	for _, id := range d.remove {
		old, held := x.cached(id)
		for _, o := range x.orders {
			o.drop(id, old, held)
		}
		if i, found := slices.BinarySearch(x.ids, id); found {
			x.ids = slices.Delete(x.ids, i, i+1)
		}
		x.uncache(id)
	}
	for id, c := range d.put {
		old, held := x.cached(id)
		i, found := slices.BinarySearch(x.ids, id)
		if found {
			for _, o := range x.orders {
				o.drop(id, old, held)
			}
		} else {
			x.ids = slices.Insert(x.ids, i, id)
		}
		for _, o := range x.orders {
			o.insert(c)
		}
		if held {
			// A row read before stays held as it is now; a new one is
			// not taken in (a run of creates would push out what readers
			// read).
			x.uncache(id)
			x.keep(c)
		}
	}
}

func (x *oauthIndex) cached(id int64) (OAuthCredential, bool) {
	x.cacheMu.Lock()
	defer x.cacheMu.Unlock()
	c, ok := x.rows[id]
	return c, ok
}

func (x *oauthIndex) uncache(id int64) {
	x.cacheMu.Lock()
	defer x.cacheMu.Unlock()
	if c, ok := x.rows[id]; ok {
		delete(x.rows, id)
		if x.byIdentifier[c.Identifier] == id {
			delete(x.byIdentifier, c.Identifier)
		}
	}
}

// keep holds c whole, making room by letting go of another row when full.
func (x *oauthIndex) keep(c OAuthCredential) {
	x.cacheMu.Lock()
	defer x.cacheMu.Unlock()
	if _, ok := x.rows[c.ID]; !ok && len(x.rows) >= x.capacity {
		for id, old := range x.rows { // any: map order is random
			delete(x.rows, id)
			if x.byIdentifier[old.Identifier] == id {
				delete(x.byIdentifier, old.Identifier)
			}
			break
		}
	}
	x.rows[c.ID] = c
	x.byIdentifier[c.Identifier] = c.ID
}

// has reports whether the model knows credential id.
func (x *oauthIndex) has(id int64) bool {
	_, found := slices.BinarySearch(x.ids, id)
	return found
}

// oauthCredential returns a copy of credential id.
func (m *model) oauthCredential(ctx context.Context, id int64) (OAuthCredential, error) {
	m.mu.RLock()
	x := m.oauth
	has := x.has(id)
	c, held := x.cached(id)
	version := x.version
	m.mu.RUnlock()
	switch {
	case !has:
		return OAuthCredential{}, ErrNotFound
	case held:
		return c.clone(), nil
	}
	rows, err := m.fill(ctx, version, oauthByIDs, "["+strconv.FormatInt(id, 10)+"]")
	if err != nil {
		return OAuthCredential{}, err
	}
	if len(rows) == 0 {
		return OAuthCredential{}, ErrNotFound // deleted since
	}
	return rows[0].clone(), nil
}

func (m *model) oauthCredentialByIdentifier(ctx context.Context, identifier string) (OAuthCredential, error) {
	m.mu.RLock()
	x := m.oauth
	x.cacheMu.Lock()
	id, held := x.byIdentifier[identifier]
	c := x.rows[id]
	x.cacheMu.Unlock()
	version := x.version
	m.mu.RUnlock()
	if held {
		return c.clone(), nil
	}
	rows, err := m.fill(ctx, version, oauthByIdentifier, identifier)
	if err != nil {
		return OAuthCredential{}, err
	}
	if len(rows) == 0 {
		return OAuthCredential{}, ErrNotFound
	}
	return rows[0].clone(), nil
}

// fill reads credentials from SQLite and holds them, unless the model has
// changed since version (then what was read may be older than the model,
// and is only answered).
func (m *model) fill(ctx context.Context, version uint64, query string, arg any) ([]OAuthCredential, error) {
	rows, err := m.oauth.source.read(ctx, query, arg)
	if err != nil {
		return nil, err
	}
	if m.oauth.afterRead != nil {
		m.oauth.afterRead()
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.oauth.version == version {
		for _, c := range rows {
			m.oauth.keep(c)
		}
	}
	return rows, nil
}

// oauthGrantFilters are the grant types a list filtered by grant keeps an
// ordering for: the two WHMCS stores. Another value is answered by SQL
// (it matches none that WHMCS's checks let in).
var oauthGrantFilters = []string{"authorization_code", "single_sign_on"}

// oauthCredentials answers OAuthCredentials from the model; ok is false
// when SQL must (a grant filter the model keeps no ordering for).
func (m *model) oauthCredentials(ctx context.Context, f OAuthFilter) (out []OAuthCredential, ok bool, err error) {
	grant := f.GrantType
	if grant != "" && !slices.Contains(oauthGrantFilters, grant) {
		return nil, false, nil
	}
	key := f.SortKey
	if key == "id" {
		key = ""
	}
	for range 3 {
		var ids []int64
		var version uint64
		var o oauthOrdering
		m.mu.RLock()
		if key == "" && grant == "" {
			o = idOrdering(m.oauth.ids)
		} else {
			m.oauth.ordersMu.Lock()
			o = m.oauth.orders[grant+"|"+key]
			m.oauth.ordersMu.Unlock()
		}
		version = m.oauth.version
		if o != nil {
			ids = o.page(f.Desc, f.Limit)
		}
		m.mu.RUnlock()
		if o == nil {
			if err := m.buildOrdering(ctx, grant, key); err != nil {
				return nil, false, err
			}
			continue
		}
		out, err = m.oauthRows(ctx, version, ids)
		return out, true, err
	}
	return nil, false, nil // wiped under each build: SQL answers
}

// oauthRows returns the credentials ids, in order, reading those the
// model does not hold; an id deleted meanwhile is left out.
func (m *model) oauthRows(ctx context.Context, version uint64, ids []int64) ([]OAuthCredential, error) {
	if len(ids) == 0 {
		return nil, nil // as SQL's collect answers
	}
	out := make([]OAuthCredential, 0, len(ids))
	var missing []int64
	x := m.oauth
	x.cacheMu.Lock()
	for _, id := range ids {
		if c, ok := x.rows[id]; ok {
			out = append(out, c)
		} else {
			missing = append(missing, id)
		}
	}
	x.cacheMu.Unlock()
	if len(missing) > 0 {
		data, _ := json.Marshal(missing) // a []int64 always encodes
		read, err := m.fill(ctx, version, oauthByIDs, string(data))
		if err != nil {
			return nil, err
		}
		byID := make(map[int64]OAuthCredential, len(out)+len(read))
		for _, c := range slices.Concat(out, read) {
			byID[c.ID] = c
		}
		out = out[:0]
		for _, id := range ids {
			if c, ok := byID[id]; ok {
				out = append(out, c)
			}
		}
		if len(out) == 0 {
			return nil, nil
		}
	}
	for i := range out {
		out[i] = out[i].clone() // the lists are shared with what the model holds
	}
	return out, nil
}

// buildOrdering reads every credential's key and grant from SQLite and
// keeps the ordering; or waits for the reader already building it.
//
// It holds the model's read lock throughout, so no change is applied
// meanwhile; but SQLite may already show changes committed and not yet
// applied, which apply then makes again: inserting a row an ordering holds
// leaves it as it is, and dropping a row not where its old key puts it
// finds it by id. (Building outside the lock and keeping the ordering only
// if nothing changed meanwhile seldom kept one under the mixed workload,
// whose writes land every few milliseconds: each reader went on to sort
// the table in SQL.)
func (m *model) buildOrdering(ctx context.Context, grant, key string) error {
	name := grant + "|" + key
	x := m.oauth
	x.ordersMu.Lock()
	if _, ok := x.orders[name]; ok {
		x.ordersMu.Unlock()
		return nil
	}
	if done, ok := x.building[name]; ok {
		x.ordersMu.Unlock()
		select {
		case <-done:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	done := make(chan struct{})
	x.building[name] = done
	x.ordersMu.Unlock()
	defer func() {
		x.ordersMu.Lock()
		delete(x.building, name)
		x.ordersMu.Unlock()
		close(done)
	}()
	column := "id"
	if key != "" {
		c, ok := OAuthSortColumns[key]
		if !ok {
			return fmt.Errorf("store: unknown sort key %q", key)
		}
		column = c[len("c."):]
	}
	query := `SELECT id, grant_types, ` + column + ` FROM oauth_credentials`
	// The lock first, then a connection: fill, which holds a connection
	// and then asks for the lock, lets go of the connection first.
	m.mu.RLock()
	defer m.mu.RUnlock()
	rows, err := x.source.pool.QueryContext(uninterrupted(ctx), query)
	if err != nil {
		return err
	}
	defer rows.Close()
	// Room for every credential the model knows (one more than a change
	// not yet applied is one growth), cut to size after.
	n := len(x.ids)
	var o oauthOrdering
	switch key {
	case "":
		k := newKeyOrdering(grant, func(OAuthCredential) struct{} { return struct{}{} }, func(struct{}, struct{}) int { return 0 })
		o, err = k, scanOrdering(rows, k, n, func(int64) struct{} { return struct{}{} })
	case "service_id", "user_id", "created_at", "updated_at":
		k := newKeyOrdering(grant, oauthIntKey(key), cmp.Compare[int64])
		o, err = k, scanOrdering(rows, k, n, func(v int64) int64 { return v })
	default:
		k := newKeyOrdering(grant, oauthStringKey(key), compareHandles)
		o, err = k, scanOrdering(rows, k, n, unique.Make[string])
	}
	if err != nil {
		return err
	}
	x.ordersMu.Lock()
	x.orders[name] = o
	x.ordersMu.Unlock()
	return nil
}

// scanOrdering fills o from rows of (id, grant type, key column), with
// room for n, keeping the rows of o's grant type, and sorts it.
func scanOrdering[K, V any](rows *sql.Rows, o *keyOrdering[K], n int, key func(V) K) error {
	o.entries = make([]keyEntry[K], 0, n)
	var id int64
	var grant string
	var v V
	for rows.Next() {
		if err := rows.Scan(&id, &grant, &v); err != nil {
			return err
		}
		if o.grant == "" || grant == o.grant {
			o.entries = append(o.entries, keyEntry[K]{key: key(v), id: id})
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	o.finish()
	return nil
}

// oauthOrdering is the credentials in one order (ties by id), perhaps of
// one grant type only.
type oauthOrdering interface {
	// page returns the first limit ids (all when 0), from the end when desc.
	page(desc bool, limit int) []int64
	// drop takes id out, found by the row as it was when held.
	drop(id int64, old OAuthCredential, held bool)
	// insert puts c in at its place (when its grant is the ordering's).
	insert(c OAuthCredential)
}

// idOrdering is every credential by id: the model's ids themselves.
type idOrdering []int64

func (o idOrdering) page(desc bool, limit int) []int64 {
	return pageOf(o, desc, limit, func(id int64) int64 { return id })
}
func (idOrdering) drop(int64, OAuthCredential, bool) {}
func (idOrdering) insert(OAuthCredential)            {}

func pageOf[E any](entries []E, desc bool, limit int, id func(E) int64) []int64 {
	n := len(entries)
	if limit > 0 {
		n = min(n, limit)
	}
	out := make([]int64, n)
	for i := range n {
		j := i
		if desc {
			j = len(entries) - 1 - i
		}
		out[i] = id(entries[j])
	}
	return out
}

// keyOrdering orders credentials by a key of type K.
type keyOrdering[K any] struct {
	grant   string // "": every credential
	entries []keyEntry[K]
	key     func(OAuthCredential) K
	cmpKey  func(a, b K) int
}

type keyEntry[K any] struct {
	key K
	id  int64
}

func newKeyOrdering[K any](grant string, key func(OAuthCredential) K, cmpKey func(a, b K) int) *keyOrdering[K] {
	return &keyOrdering[K]{grant: grant, key: key, cmpKey: cmpKey}
}

func (o *keyOrdering[K]) compare(a, b keyEntry[K]) int {
	return cmp.Or(o.cmpKey(a.key, b.key), cmp.Compare(a.id, b.id))
}

func (o *keyOrdering[K]) holds(c OAuthCredential) bool {
	return o.grant == "" || c.GrantTypes == o.grant
}

// finish sorts an ordering just built and gives back the room it did not
// use.
func (o *keyOrdering[K]) finish() {
	slices.SortFunc(o.entries, o.compare)
	if cap(o.entries) > 2*len(o.entries) {
		o.entries = slices.Clone(o.entries) // a grant's few among many
	}
}

func (o *keyOrdering[K]) page(desc bool, limit int) []int64 {
	return pageOf(o.entries, desc, limit, func(e keyEntry[K]) int64 { return e.id })
}

func (o *keyOrdering[K]) insert(c OAuthCredential) {
	if !o.holds(c) {
		return
	}
	e := keyEntry[K]{key: o.key(c), id: c.ID}
	// Already in: an ordering built from SQLite may have read a change
	// before the model applied it.
	if i, found := slices.BinarySearchFunc(o.entries, e, o.compare); !found {
		o.entries = slices.Insert(o.entries, i, e)
	}
}

func (o *keyOrdering[K]) drop(id int64, old OAuthCredential, held bool) {
	if held {
		if !o.holds(old) {
			return
		}
		if i, found := slices.BinarySearchFunc(o.entries, keyEntry[K]{key: o.key(old), id: id}, o.compare); found {
			o.entries = slices.Delete(o.entries, i, i+1)
			return
		}
	}
	// Not held, or not where the row held puts it (the ordering was built
	// from a later state): look for the id.
	if i := slices.IndexFunc(o.entries, func(e keyEntry[K]) bool { return e.id == id }); i >= 0 {
		o.entries = slices.Delete(o.entries, i, i+1)
	}
}

// oauthIntKey and oauthStringKey are a credential's key of
// OAuthSortColumns, as SQLite orders those columns (text byte by byte);
// string keys are interned, so that a repeated name or description costs
// one copy and a pointer.
func oauthIntKey(key string) func(OAuthCredential) int64 {
	switch key {
	case "service_id":
		return func(c OAuthCredential) int64 { return c.ServiceID }
	case "user_id":
		return func(c OAuthCredential) int64 { return c.UserID }
	case "created_at":
		return func(c OAuthCredential) int64 { return c.CreatedAt }
	default: // updated_at
		return func(c OAuthCredential) int64 { return c.UpdatedAt }
	}
}

func oauthStringKey(key string) func(OAuthCredential) unique.Handle[string] {
	field := func(c OAuthCredential) string { return c.Identifier }
	switch key {
	case "name":
		field = func(c OAuthCredential) string { return c.Name }
	case "description":
		field = func(c OAuthCredential) string { return c.Description }
	case "grant_types":
		field = func(c OAuthCredential) string { return c.GrantTypes }
	case "logo_uri":
		field = func(c OAuthCredential) string { return c.LogoURI }
	}
	return func(c OAuthCredential) unique.Handle[string] { return unique.Make(field(c)) }
}

func compareHandles(a, b unique.Handle[string]) int {
	if a == b {
		return 0
	}
	return cmp.Compare(a.Value(), b.Value())
}
