package actions

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/whmcsemu/whmcsemu/store"
)

// Env is what every handler can use: the database, the clock, the source
// of generated identifiers and secrets, the settings and a logger.
type Env struct {
	DB  *store.DB
	Log *slog.Logger

	clock    func() time.Time
	randMu   sync.Mutex
	rand     io.Reader
	settings atomic.Pointer[store.Settings]
	staff    staffOnline // the admins seen lately (staff.go)
}

// NewEnv makes an Env over db. A nil clock means time.Now; a nil random
// source means crypto/rand. Tests pass fixed ones for stable answers.
func NewEnv(ctx context.Context, db *store.DB, clock func() time.Time, random io.Reader, log *slog.Logger) (*Env, error) {
	if clock == nil {
		clock = time.Now
	}
	if random == nil {
		random = rand.Reader
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	env := &Env{DB: db, Log: log, clock: clock, rand: random}
	return env, env.ReloadSettings(ctx)
}

// Now is the emulator's current time.
func (e *Env) Now() time.Time { return e.clock() }

// Settings returns the settings in force.
func (e *Env) Settings() store.Settings { return *e.settings.Load() }

// ReloadSettings rereads the settings after something stored new ones.
// It reads on the writer's connection, which is open already (a server
// starts by reading them, and a reader's first use parses the schema) and
// orders the read after the write that changed them.
func (e *Env) ReloadSettings(ctx context.Context) error {
	var s store.Settings
	err := e.DB.Update(ctx, func(tx *store.Tx) (err error) {
		s, err = tx.LoadSettings(ctx)
		return err
	})
	if err != nil {
		return err
	}
	e.settings.Store(&s)
	return nil
}

// SetRandom replaces the random source (a test server reseeds it on reset,
// so generated values repeat).
func (e *Env) SetRandom(r io.Reader) {
	e.randMu.Lock()
	e.rand = r
	e.randMu.Unlock()
}

// randomBytes fills n bytes from the random source.
func (e *Env) randomBytes(n int) []byte {
	b := make([]byte, n)
	e.randMu.Lock()
	defer e.randMu.Unlock()
	if _, err := io.ReadFull(e.rand, b); err != nil {
		panic("actions: random source failed: " + err.Error()) // crypto/rand does not fail
	}
	return b
}

// RandomBase64 returns the standard base64 of n random bytes.
func (e *Env) RandomBase64(n int) string { return base64.StdEncoding.EncodeToString(e.randomBytes(n)) }

// RandomHex returns n random bytes as lower-case hex.
func (e *Env) RandomHex(n int) string { return hex.EncodeToString(e.randomBytes(n)) }

// RandomUUID returns a version 4 UUID from the random source.
func (e *Env) RandomUUID() string {
	u, err := uuid.FromBytes(e.randomBytes(16))
	if err != nil {
		panic(err) // 16 bytes always make a UUID
	}
	u[6] = u[6]&0x0f | 0x40 // version 4
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	return u.String()
}

// Caller is who runs an action: the admin behind the API credential or
// legacy login, or the admin a local API call names (zero when none).
type Caller struct {
	AdminID       int64
	AdminUsername string
	Identifier    string // the API credential's identifier; empty for other modes
	IP            string // the HTTP caller's address; empty for the local API
	Local         bool   // the call came through the local API, not over HTTP
}

type callerKey struct{}

// WithCaller returns ctx carrying c.
func WithCaller(ctx context.Context, c Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// CallerFrom returns the caller ctx carries.
func CallerFrom(ctx context.Context) Caller {
	c, _ := ctx.Value(callerKey{}).(Caller)
	return c
}
