// Package store keeps whmcsemu's state in one SQLite file (modernc.org/sqlite,
// pure Go). It knows tables and rows, not WHMCS wire names or HTTP: callers get
// typed rows and the sentinel errors ErrNotFound and ErrConflict.
//
// One connection writes (transactions begin IMMEDIATE, so writers queue in
// Go rather than fail with SQLITE_BUSY); a small pool reads. Both see the same
// WAL-mode database.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// ErrNotFound means the row asked for does not exist.
var ErrNotFound = errors.New("store: not found")

// ErrConflict means a write would break a uniqueness rule.
var ErrConflict = errors.New("store: conflict")

//go:embed migrations/*.sql
var migrations embed.FS

// DB is an open whmcsemu database.
type DB struct {
	path   string
	writer *sql.DB
	reader *sql.DB
	// stmts holds every query prepared once per pool (stmtKey → *sql.Stmt):
	// parsing SQL was a third of an update's time.
	stmts sync.Map
	// writer1 is held (a value sent) by the one caller running write
	// transactions, and the read model's update after each, so the model
	// applies changes in commit order (the writer pool has one connection
	// anyway). queue holds the writes waiting for it; see Update.
	writer1 chan struct{}
	queueMu sync.Mutex
	queue   []*write
	// checkpoints copies the WAL into the database file (checkpoint.go).
	checkpoints *checkpointer
	// changes collects what the running write transaction changed in the
	// tables the read model holds (the writer connection's pre-update hook).
	changes changeSet
	model   *model
	// oauthSource reads the OAuth credentials the model does not hold
	// whole, on a connection of its own (store/model_oauth.go).
	oauthSource *oauthSource
	// scopes are the OAuth scopes WHMCS permits (oauth_scopes, seeded by
	// migration 0001 and read-only), read once at Open.
	scopes map[string]bool
	// defaultSystemURL is the System URL when the settings choose none
	// ("" for DefaultSystemURL); see SetDefaultSystemURL.
	defaultSystemURL string
}

type stmtKey struct {
	writer bool
	query  string
}

// Open opens the database at path, creating it (readable by its owner only)
// when missing, and applies any migrations it has not seen yet.
func Open(ctx context.Context, path string) (*DB, error) {
	return open(ctx, path, true)
}

// open is Open; fromImage says whether a new database may start as a copy
// of migratedImage rather than run every migration itself.
func open(ctx context.Context, path string, fromImage bool) (*DB, error) {
	if path == "" {
		return nil, errors.New("store: empty database path")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	// Create the file ourselves so it gets mode 0600: the database holds OAuth
	// client secrets, which WHMCS must be able to show again.
	// A file this call creates starts as the migrated image.
	f, err := os.OpenFile(abs, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	// fresh: the file is a copy of the migrated image or a trusted copy,
	// just written, and needs no check.
	fresh := false
	if err == nil {
		if fromImage && !exists(abs+"-wal") {
			err = writeImage(f)
			fresh = err == nil
		}
		f.Close()
		if err != nil {
			os.Remove(abs) // ours, and cut short: the next start makes it again
		}
	} else if errors.Is(err, fs.ErrExist) {
		f, err = os.OpenFile(abs, os.O_RDWR|os.O_CREATE, 0o600)
		if err == nil {
			fresh = isTrustedCopy(abs, f)
			f.Close()
		}
	}
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}

	db := &DB{path: abs, writer1: make(chan struct{}, 1)}
	db.writer = sql.OpenDB(&hookedConnector{dsn: dsn(abs, true), hook: db.changes.hook})
	db.writer.SetMaxOpenConns(1)
	db.writer.SetMaxIdleConns(1)
	db.writer.SetConnMaxLifetime(0)
	db.writer.SetConnMaxIdleTime(0)
	if db.reader, err = sql.Open("sqlite", dsn(abs, false)); err != nil {
		db.writer.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	// Each connection costs memory of its own (the parsed schema, its
	// prepared statements, its page cache). The model's source reads a few
	// rows at a time, or the whole table once per ordering: one connection
	// with a small cache does.
	source, err := sql.Open("sqlite", dsn(abs, false, "cache_size(-256)"))
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	source.SetMaxOpenConns(1)
	source.SetMaxIdleConns(1)
	source.SetConnMaxIdleTime(0)
	source.SetConnMaxLifetime(0)
	db.oauthSource = newOAuthSource(source)
	// A reader per core: SQLite's reads are CPU work (four on two cores
	// cost the load run 4 MB more than two, for no more throughput).
	readers := max(2, runtime.GOMAXPROCS(0))
	db.reader.SetMaxOpenConns(readers)
	db.reader.SetMaxIdleConns(readers)
	db.reader.SetConnMaxIdleTime(0)
	db.reader.SetConnMaxLifetime(0)
	if db.checkpoints, err = startCheckpointer(abs, db.writer); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}

	// quick_check was a fifth of a new test server's time.
	if err := db.check(ctx, fresh); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if db.scopes, err = db.loadScopes(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if db.model, err = loadModel(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return db, nil
}

// migratedImage is the file of a new database with every migration
// applied, made once per process: a new database starts as a copy of it
// (a write of a few hundred KiB) instead of running each migration, which
// took most of opening a new database, and much longer under the race
// detector. The image is what migrating a new file makes, so a database
// made either way is the same.
//
// It is kept packed (store/image.go); the caller gives the buffer back
// with release once it has written it.
func migratedImage() (data []byte, release func(), err error) {
	image.once.Do(func() { image.packed, image.err = makeImage() })
	if image.err != nil {
		return nil, nil, image.err
	}
	data, release = image.packed.unpack()
	return data, release, nil
}

var image struct {
	once   sync.Once
	packed packedImage
	err    error
}

func makeImage() (packedImage, error) {
	dir, err := os.MkdirTemp("", "whmcsemu-image-")
	if err != nil {
		return packedImage{}, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "image.db")
	db, err := open(context.Background(), path, false)
	if err != nil {
		return packedImage{}, err
	}
	// Checked once here, so that a database made from the image need not
	// be checked as it opens.
	if verdict, err := db.IntegrityCheck(context.Background()); err != nil || verdict != "ok" {
		db.Close()
		return packedImage{}, fmt.Errorf("store: the migrated image fails its integrity check: %v %s", err, verdict)
	}
	if err := db.Close(); err != nil { // closing the last connection checkpoints the WAL into the file
		return packedImage{}, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return packedImage{}, err
	}
	return packImage(data), nil
}

// writeImage writes migratedImage into f, a new empty file.
func writeImage(f *os.File) error {
	image, release, err := migratedImage()
	if err != nil {
		return err
	}
	defer release()
	_, err = f.WriteAt(image, 0)
	return err
}

// trustedCopies are the files WriteTrustedCopy wrote that Open has not
// opened yet: absolute path → size.
var trustedCopies sync.Map

// WriteTrustedCopy writes data to a new file at path (mode 0600), for Open
// to open without checking it first. data must be a database file this
// process's store wrote and closed: whmcstest copies the template it made
// for a set of fixtures this way, and the check was a fifth of the time a
// new test server took.
func WriteTrustedCopy(path string, data []byte) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	if err := os.WriteFile(abs, data, 0o600); err != nil {
		return err
	}
	trustedCopies.Store(abs, int64(len(data)))
	return nil
}

// isTrustedCopy reports whether f (at abs) is a file WriteTrustedCopy
// wrote, still of the size it wrote and with no WAL beside it, and forgets
// it: only its first opening is spared the check.
func isTrustedCopy(abs string, f *os.File) bool {
	size, ok := trustedCopies.LoadAndDelete(abs)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Size() == size.(int64) && !exists(abs+"-wal")
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// check refuses a damaged file before anything reads or writes it: a file
// cut short can otherwise open and answer with rows missing (SQLite reads
// the lost end as zeros). quick_check reads every page but skips the
// costliest index checks.
func (db *DB) check(ctx context.Context, fresh bool) error {
	if fresh {
		return nil
	}
	// A file cut short mid-page is damaged even when the pages quick_check
	// reads happen to look sound.
	var pageSize int64
	if err := db.writer.QueryRowContext(ctx, `PRAGMA page_size`).Scan(&pageSize); err == nil && pageSize > 0 {
		if info, err := os.Stat(db.path); err == nil && info.Size()%pageSize != 0 {
			return fmt.Errorf("the database disk image is malformed (its size, %d bytes, is not a whole number of %d-byte pages: it was cut short); restore it from a copy, or move it away and pass another --db",
				info.Size(), pageSize)
		}
	}
	var verdict string
	if err := db.writer.QueryRowContext(ctx, `PRAGMA quick_check(1)`).Scan(&verdict); err != nil {
		return fmt.Errorf("the file is not a usable SQLite database (%v); move it away or pass another --db", err)
	}
	if verdict != "ok" {
		return fmt.Errorf("the database disk image is malformed (quick_check: %s); restore it from a copy, or move it away and pass another --db",
			strings.Join(strings.Fields(verdict), " "))
	}
	return nil
}

// dsn builds the connection string, with pragmas after the common ones.
// Pragmas live in the DSN so that every pooled connection gets them, not
// just the first.
func dsn(path string, writer bool, pragmas ...string) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	if writer {
		q.Set("_txlock", "immediate")
		q.Add("_pragma", "wal_autocheckpoint(0)") // see checkpoint.go
	} else {
		q.Add("_pragma", "query_only(1)")
	}
	for _, p := range pragmas {
		q.Add("_pragma", p)
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// Path is the database file's absolute path.
func (db *DB) Path() string { return db.path }

// Close closes both pools. It checkpoints the WAL into the main file.
func (db *DB) Close() error {
	var errs []error
	db.stmts.Range(func(k, v any) bool {
		v.(*sql.Stmt).Close()
		db.stmts.Delete(k)
		return true
	})
	if db.checkpoints != nil {
		errs = append(errs, db.checkpoints.close())
	}
	if db.reader != nil {
		errs = append(errs, db.reader.Close())
	}
	if db.oauthSource != nil {
		errs = append(errs, db.oauthSource.close())
	}
	if db.writer != nil {
		_, _ = db.writer.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
		errs = append(errs, db.writer.Close())
	}
	return errors.Join(errs...)
}

// Tx is a transaction; the typed queries in this package hang off it.
type Tx struct {
	tx         *sql.Tx // nil until the first statement of a read transaction
	pool       *sql.DB
	db         *DB
	writer     bool
	unprepared []string // queries to prepare once the transaction ends
}

// Update runs fn in a write transaction, committing when fn returns nil and
// rolling back fn's changes otherwise, so a failed request leaves nothing
// half-written. The read model sees the changes once they are committed,
// before Update returns.
//
// Writes that arrive while another is running are committed together
// (group commit): the caller that next holds the writer runs every waiting
// fn in one SQL transaction, each inside a savepoint of its own, and
// commits once. A profile of concurrent updates put half of a write's time
// in BEGIN and COMMIT (the WAL frames, the shared-memory locks); sharing
// them is what lets writes scale with connections. Each caller still
// returns only after the commit that holds its change, so an acknowledged
// write is durable as before, and a failed fn undoes only its own changes.
// A panic in fn is raised again in its own caller's goroutine; but fn may
// run in another caller's goroutine, so it must not end it
// (runtime.Goexit, as a test's t.FailNow does, costs the whole group its
// transaction: see errWriteExited).
func (db *DB) Update(ctx context.Context, fn func(*Tx) error) error {
	w := &write{fn: fn, done: make(chan struct{})}
	db.queueMu.Lock()
	db.queue = append(db.queue, w)
	db.queueMu.Unlock()
	select {
	case <-w.done:
	case db.writer1 <- struct{}{}:
		// This caller holds the writer now. A previous holder may have
		// committed its write meanwhile; otherwise it is still queued.
		func() {
			defer func() { <-db.writer1 }() // also if a fn ends the goroutine
			select {
			case <-w.done:
			default:
				db.writeQueued(uninterrupted(ctx))
			}
		}()
	}
	if w.panicked != nil {
		panic(w.panicked)
	}
	return w.err
}

// errWriteExited is the answer of every write in a group whose
// transaction a fn abandoned by ending its goroutine.
var errWriteExited = errors.New("store: a write ended its goroutine (runtime.Goexit, as t.FailNow does) inside the transaction it shared; nothing of that transaction was written")

// write is one caller's fn waiting for the writer, and what became of it.
type write struct {
	fn       func(*Tx) error
	err      error
	panicked any // fn's panic, raised again in its caller's goroutine
	done     chan struct{}
}

// maxGroup bounds how many writes share one commit, so that a long queue
// does not make its first callers wait for the last.
const maxGroup = 64

// writeQueued runs the queued writes (at most maxGroup) in one
// transaction and tells each caller how it went. The caller holds writer1.
func (db *DB) writeQueued(ctx context.Context) {
	db.queueMu.Lock()
	group := db.queue
	if len(group) > maxGroup {
		group = group[:maxGroup]
	}
	db.queue = append([]*write(nil), db.queue[len(group):]...)
	db.queueMu.Unlock()
	defer func() {
		for _, w := range group {
			close(w.done)
		}
	}()

	sqlTx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		for _, w := range group {
			w.err = fmt.Errorf("store: begin: %w", err)
		}
		return
	}
	settled := false // committed or rolled back
	defer func() {
		if !settled {
			// A fn ended this goroutine (runtime.Goexit, as a test's
			// t.FailNow does): nothing of the group is kept, and the
			// others are told so rather than left waiting.
			_ = sqlTx.Rollback()
			for _, w := range group {
				if w.err == nil && w.panicked == nil {
					w.err = errWriteExited
				}
			}
		}
	}()
	db.changes.reset()
	defer db.changes.reset()
	var unprepared []string
	committing := 0 // writes whose fn succeeded
	var broken error
	for _, w := range group {
		if broken != nil {
			w.err = broken
			continue
		}
		tx := &Tx{tx: sqlTx, pool: db.writer, db: db, writer: true}
		w.err, broken = db.runSaved(ctx, tx, w, len(group) > 1)
		unprepared = append(unprepared, tx.unprepared...)
		if w.err == nil && w.panicked == nil {
			committing++
		}
	}
	// The queries the group ran unprepared are prepared once the
	// transaction is over (and the model's reads', below).
	defer db.prepare(db.writer, true, unprepared)
	if broken != nil || committing == 0 {
		// Nothing to commit, or a savepoint that could not be undone:
		// then no write of the group is kept.
		_ = sqlTx.Rollback()
		settled = true
		for _, w := range group {
			if w.err == nil && w.panicked == nil {
				w.err = broken
			}
		}
		return
	}
	// Read what changed while the transaction still holds it, so the model
	// gets exactly what is committed.
	tx := &Tx{tx: sqlTx, pool: db.writer, db: db, writer: true}
	rows, all, known := db.changes.take()
	delta, err := db.model.read(ctx, tx, rows, all, known)
	defer db.prepare(db.writer, true, tx.unprepared)
	if err != nil {
		_ = sqlTx.Rollback()
	} else if err = sqlTx.Commit(); err != nil {
		err = fmt.Errorf("store: commit: %w", err)
	}
	settled = true
	if err == nil {
		db.model.apply(delta)
		db.checkpoints.committed(ctx)
	}
	if err != nil {
		for _, w := range group {
			if w.err == nil && w.panicked == nil {
				w.err = err
			}
		}
	}
}

// runSaved runs w's fn. With saved set (more than one write in the
// transaction) it runs inside a savepoint, released when fn succeeds and
// rolled back to when it fails, so the writes beside it keep theirs.
// Alone, a failed fn is undone by rolling the whole transaction back.
// broken reports a savepoint that could not be released or undone: the
// transaction can then be only rolled back.
func (db *DB) runSaved(ctx context.Context, tx *Tx, w *write, saved bool) (err, broken error) {
	if saved {
		if _, err := tx.exec(ctx, `SAVEPOINT write`); err != nil {
			err = fmt.Errorf("store: savepoint: %w", err)
			return err, err
		}
	}
	defer func() {
		if p := recover(); p != nil {
			w.panicked = p
		}
		if err == nil && w.panicked == nil {
			if saved {
				if _, rerr := tx.exec(ctx, `RELEASE write`); rerr != nil {
					err = fmt.Errorf("store: release savepoint: %w", rerr)
					broken = err
				}
			}
			return
		}
		// Rows fn wrote and then rolled back are read again from the
		// transaction rather than taken as fn's statements returned them.
		db.changes.forgetKnown()
		if saved {
			_, rerr := tx.exec(ctx, `ROLLBACK TO write`)
			if rerr == nil {
				_, rerr = tx.exec(ctx, `RELEASE write`)
			}
			if rerr != nil {
				broken = fmt.Errorf("store: roll back to savepoint: %w", rerr)
			}
		}
	}()
	return w.fn(tx), nil
}

// View runs fn in a read-only transaction (one consistent snapshot of the
// tables it queries). The SQL transaction begins with fn's first
// statement: reads the read model answers alone begin none.
func (db *DB) View(ctx context.Context, fn func(*Tx) error) error {
	tx := &Tx{pool: db.reader, db: db}
	err := fn(tx)
	if tx.tx != nil {
		if err != nil {
			_ = tx.tx.Rollback()
		} else if err = tx.tx.Commit(); err != nil {
			err = fmt.Errorf("store: commit: %w", err)
		}
	}
	db.prepare(db.reader, false, tx.unprepared)
	return err
}

// sqlTx returns the transaction's SQL transaction, beginning it if this
// is its first statement.
func (tx *Tx) sqlTx(ctx context.Context) (*sql.Tx, error) {
	if tx.tx == nil {
		t, err := tx.pool.BeginTx(ctx, &sql.TxOptions{ReadOnly: !tx.writer})
		if err != nil {
			return nil, fmt.Errorf("store: begin: %w", err)
		}
		tx.tx = t
	}
	return tx.tx, nil
}

// stmt returns query prepared on the transaction's connection, or nil when
// the pool has not prepared it yet. It is then prepared after the
// transaction: preparing on the pool now could wait for the very
// connection this transaction holds (the writer pool has one).
func (tx *Tx) stmt(ctx context.Context, t *sql.Tx, query string) *sql.Stmt {
	if st, ok := tx.db.stmts.Load(stmtKey{tx.writer, query}); ok {
		return t.StmtContext(ctx, st.(*sql.Stmt))
	}
	tx.unprepared = append(tx.unprepared, query)
	return nil
}

func (db *DB) prepare(pool *sql.DB, writer bool, queries []string) {
	for _, q := range queries {
		key := stmtKey{writer, q}
		if _, ok := db.stmts.Load(key); ok {
			continue
		}
		st, err := pool.Prepare(q)
		if err != nil {
			continue // it ran unprepared; it will again
		}
		if _, loaded := db.stmts.LoadOrStore(key, st); loaded {
			st.Close()
		}
	}
}

// row is what queryRow returns: a *sql.Row, or the error beginning the
// transaction gave.
type row struct {
	*sql.Row
	err error
}

func (r row) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	return r.Row.Scan(dest...)
}

// uninterrupted is ctx without its cancellation, for SQLite: the driver
// watches a cancellable context with a goroutine for every statement (to
// interrupt it), which cost a write more than its own statements did,
// while each of whmcsemu's statements is short and a transaction a request
// leaves half done is rolled back anyway. The transaction still ends when
// fn returns.
func uninterrupted(ctx context.Context) context.Context {
	if ctx.Done() == nil {
		return ctx
	}
	return context.WithoutCancel(ctx)
}

func (tx *Tx) queryRow(ctx context.Context, query string, args ...any) row {
	ctx = uninterrupted(ctx)
	t, err := tx.sqlTx(ctx)
	if err != nil {
		return row{err: err}
	}
	if st := tx.stmt(ctx, t, query); st != nil {
		return row{Row: st.QueryRowContext(ctx, args...)}
	}
	return row{Row: t.QueryRowContext(ctx, query, args...)}
}

func (tx *Tx) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	ctx = uninterrupted(ctx)
	t, err := tx.sqlTx(ctx)
	if err != nil {
		return nil, err
	}
	if st := tx.stmt(ctx, t, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return t.QueryContext(ctx, query, args...)
}

func (tx *Tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	ctx = uninterrupted(ctx)
	t, err := tx.sqlTx(ctx)
	if err != nil {
		return nil, err
	}
	if st := tx.stmt(ctx, t, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return t.ExecContext(ctx, query, args...)
}

func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.writer.ExecContext(ctx,
		`CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY)`); err != nil {
		return fmt.Errorf("migrations table: %w", err)
	}
	names, err := migrations.ReadDir("migrations")
	if err != nil {
		return err
	}
	sort.Slice(names, func(i, j int) bool { return names[i].Name() < names[j].Name() })
	// One query for what is applied, so that opening an up-to-date
	// database (every test server does) runs no transaction per migration.
	applied := map[string]bool{}
	rows, err := db.writer.QueryContext(ctx, `SELECT name FROM schema_migrations`)
	if err != nil {
		return fmt.Errorf("migrations table: %w", err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return err
		}
		applied[name] = true
	}
	if err := rows.Close(); err != nil {
		return err
	}
	for _, entry := range names {
		name := entry.Name()
		if applied[name] {
			continue
		}
		body, err := migrations.ReadFile("migrations/" + name)
		if err != nil {
			return err
		}
		err = db.Update(ctx, func(tx *Tx) error {
			var seen int
			if err := tx.tx.QueryRowContext(ctx,
				`SELECT count(*) FROM schema_migrations WHERE name = ?`, name).Scan(&seen); err != nil {
				return err
			}
			if seen > 0 {
				return nil
			}
			if _, err := tx.tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.tx.ExecContext(ctx, `INSERT INTO schema_migrations (name) VALUES (?)`, name)
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	return nil
}

// IntegrityCheck runs SQLite's integrity_check and returns its verdict ("ok"
// when the file is sound).
func (db *DB) IntegrityCheck(ctx context.Context) (verdict string, err error) {
	err = db.View(ctx, func(tx *Tx) error {
		verdict, err = tx.verdict(ctx, `PRAGMA integrity_check`)
		return err
	})
	return verdict, err
}

// conflict turns SQLite constraint violations into ErrConflict.
func conflict(err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return fmt.Errorf("%w: %v", ErrConflict, err)
		}
	}
	return err
}

// loadScopes reads the permitted OAuth scope names.
func (db *DB) loadScopes(ctx context.Context) (map[string]bool, error) {
	rows, err := db.writer.QueryContext(ctx, `SELECT scope FROM oauth_scopes`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	scopes := map[string]bool{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		scopes[s] = true
	}
	return scopes, rows.Err()
}
