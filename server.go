// Package whmcsemu is an emulator of the WHMCS external API. Server answers
// /includes/api.php as WHMCS does (authentication, API roles, IP allow-list
// and access key, json/xml/nvp bodies, messages and statuses) over state in
// SQLite, and Call runs the same actions in-process like WHMCS's localAPI.
package whmcsemu

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/whmcsemu/whmcsemu/actions"
	"github.com/whmcsemu/whmcsemu/auth"
	"github.com/whmcsemu/whmcsemu/internal/console"
	"github.com/whmcsemu/whmcsemu/internal/oauth"
	"github.com/whmcsemu/whmcsemu/internal/oci"
	"github.com/whmcsemu/whmcsemu/internal/sailpoint"
	"github.com/whmcsemu/whmcsemu/store"
)

// Defaults for Options left zero.
const (
	DefaultMaxBodyBytes = 8 << 20 // PHP's post_max_size
	DefaultMaxFields    = 1000    // PHP's max_input_vars
)

// Options configure a Server. The zero value is ready to use.
type Options struct {
	// Clock is the emulator's time; nil means time.Now.
	Clock func() time.Time
	// Random is the source of generated identifiers, secrets and tokens;
	// nil means crypto/rand, or a stream from Seed when that is set.
	Random io.Reader
	// Seed, when not zero and Random is nil, makes generated identifiers,
	// secrets and tokens (and which calls a probabilistic fault hits) the
	// same on every run and after every Reset.
	Seed uint64
	// Logger receives one line per API call and every internal error; nil
	// discards. Secrets never appear in it.
	Logger *slog.Logger
	// MaxBodyBytes bounds a request body (default 8 MiB).
	MaxBodyBytes int64
	// MaxFields bounds the fields read from a request (default 1000, PHP's
	// max_input_vars); a request with more is refused with a 400 (PHP
	// would drop the rest silently, which hides the mistake).
	MaxFields int
	// JournalSize is how many recent calls the journal keeps (default 1000).
	JournalSize int
	// JournalBytes bounds the journal's memory (default 4 MiB): the
	// oldest entries go first once the entries kept would exceed it.
	JournalBytes int
	// Bans bans IPs after repeated failed logins, as WHMCS does; the zero
	// policy never bans.
	Bans BanPolicy
	// AdminToken lets callers from other hosts than loopback use the
	// control plane (Authorization: Bearer <token>); empty refuses them.
	AdminToken string
	// AllowedHosts are host names (or addresses), besides loopback ones
	// and localhost, that a control-plane request without the admin token
	// may name in its Host header: the address the server listens on, say.
	AllowedHosts []string
	// OCISkipSignatures accepts OCI dialect requests without checking
	// their request signatures. The zero value checks them, as OCI does.
	OCISkipSignatures bool
	// OCIMaxCredentialsPerUser is how many OAuth 2.0 client credentials an
	// OCI user may have (default 10).
	OCIMaxCredentialsPerUser int
	// SystemURL is WHMCS's System URL when the settings choose none (a
	// fixture's settings.systemUrl, or SetConfigurationValue SystemURL
	// do): the emulator's own address, such as "http://127.0.0.1:8080/",
	// so that single sign-on redirects, the client-area pages and the
	// OpenID Connect issuer point at it. Empty means http://localhost/,
	// WHMCS's default. A missing trailing / is added.
	SystemURL string
}

// Server is the emulated WHMCS API over one database.
type Server struct {
	db           *store.DB
	env          *actions.Env
	auth         *auth.Authenticator
	log          *slog.Logger
	maxBody      int64
	maxFields    int
	clock        *Clock
	journal      *Journal
	faults       *Faults
	adminToken   string
	allowedHosts []string
	seed         uint64 // 0: generated values are not reproducible
	bans         *Bans
	routes       *http.ServeMux
	control      *http.ServeMux
	sailpoint    *dialect // the SailPoint dialect (dialect.go)
	oci          *dialect // the OCI IAM dialect
	// oauthProvider is WHMCS as an OpenID Connect provider, with the
	// client-area sign-in pages; whmcsOAuth serves it as a dialect.
	oauthProvider *oauth.Handler
	whmcsOAuth    *dialect
	// The dialects' handlers, whose Go operations the console calls.
	ociHandler       *oci.Handler
	sailPointHandler *sailpoint.Handler
	// console is the web console (console.go), made on its first request:
	// its routes were a tenth of a new test server's time, and most
	// never serve a page.
	console func() *console.Handler
}

// Open opens (or creates) the database at path, migrating it to the
// current schema, and makes a Server over it. Close closes it.
func Open(ctx context.Context, path string, opts Options) (*Server, error) {
	db, err := store.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	s, err := newServer(ctx, db, opts)
	if err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the database. Requests still running fail.
func (s *Server) Close() error { return s.db.Close() }

// Path is the database file's path.
func (s *Server) Path() string { return s.db.Path() }

// newServer makes a Server over an open database.
func newServer(ctx context.Context, db *store.DB, opts Options) (*Server, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.MaxFields <= 0 {
		opts.MaxFields = DefaultMaxFields
	}
	clock := newClock(opts.Clock)
	db.SetDefaultSystemURL(opts.SystemURL)
	if opts.Random == nil && opts.Seed != 0 {
		opts.Random = NewSeededRandom(opts.Seed)
	}
	env, err := actions.NewEnv(ctx, db, clock.Now, opts.Random, opts.Logger)
	if err != nil {
		return nil, err
	}
	s := &Server{
		db:           db,
		env:          env,
		auth:         auth.New(db, actions.Key),
		log:          opts.Logger,
		maxBody:      opts.MaxBodyBytes,
		maxFields:    opts.MaxFields,
		clock:        clock,
		journal:      newJournal(opts.JournalSize, opts.JournalBytes),
		faults:       newFaults(opts.Seed),
		seed:         opts.Seed,
		adminToken:   opts.AdminToken,
		allowedHosts: opts.AllowedHosts,
		bans:         newBans(opts.Bans, clock, db, opts.Logger),
		sailPointHandler: sailpoint.New(db, sailpoint.Options{
			Clock: clock.Now, Random: dialectRandom(opts.Seed, 1), Logger: opts.Logger}),
		ociHandler: oci.New(db, oci.Options{Clock: clock.Now, Random: dialectRandom(opts.Seed, 2), Logger: opts.Logger,
			VerifySignatures: !opts.OCISkipSignatures, MaxCredentialsPerUser: opts.OCIMaxCredentialsPerUser}),
	}
	s.sailpoint, s.oci = newSailPointDialect(s.sailPointHandler), newOCIDialect(s.ociHandler)
	s.oauthProvider = oauth.New(db, oauth.Options{Clock: clock.Now, Random: dialectRandom(opts.Seed, 3), Logger: opts.Logger,
		Settings: env.Settings})
	s.whmcsOAuth = newWHMCSOAuthDialect(s.oauthProvider)
	s.control = s.controlMux()
	s.console = sync.OnceValue(s.newConsole)
	s.routes = s.routeMux()
	return s, nil
}

// dialectRandom gives a dialect its own random source: seeded from the
// server's seed (and the dialect's number, so dialects do not repeat each
// other) when there is one, crypto/rand otherwise.
func dialectRandom(seed, dialect uint64) io.Reader {
	if seed == 0 {
		return nil
	}
	return NewSeededRandom(seed ^ dialect<<56)
}

// stateChanged tells the server that something outside the API (a
// fixture load) changed settings, credentials, admins or roles.
func (s *Server) stateChanged(ctx context.Context) error {
	s.auth.Forget()
	return s.env.ReloadSettings(ctx)
}
