// Package whmcstest runs the WHMCS API emulator inside Go tests, as
// net/http/httptest runs an HTTP server. NewServer starts an emulator on a
// database of its own in the test's temporary directory, with an API
// credential that may call every action, and stops it when the test ends:
//
//	func TestSync(t *testing.T) {
//		s := whmcstest.NewServer(t,
//			whmcstest.WithFixtureFile("testdata/whmcs.json"),
//			whmcstest.WithClock(time.Date(2016, 11, 18, 9, 32, 24, 0, time.UTC)),
//			whmcstest.WithSeed(1),
//		)
//		// The code under test talks HTTP to s.APIURL() with s.Identifier
//		// and s.Secret, through s.Client().
//		...
//		// The test reads the state through the local API.
//		res := s.Call("ListOAuthCredentials", nil)
//		...
//		s.Reset() // back to the fixtures, for the next case
//	}
//
// A server is cheap: each distinct set of fixtures (with seed and clock) is
// loaded once per test binary into a template database, and every server
// starts from a copy of that file in a few milliseconds, so a suite can make
// hundreds. The copy lives in tb.TempDir (so under $TMPDIR; a tmpfs there
// makes servers faster still). WithoutSocket serves the emulator through an
// in-memory transport instead of a listener.
//
// Because servers copy a template, a date a fixture leaves out ("when
// loaded", such as an OAuth credential's createdAt) is when the template was
// built, unless WithClock fixes the time; after Reset it is the time of the
// reset, as on an emulator that loaded its fixtures itself.
//
// Besides the caller's fixtures, every server holds an admin named
// AdminUsername and an API role named RoleName that allows every action;
// the credential Server.Identifier / Server.Secret belongs to them. An
// export (Emulator().Export) shows them too.
package whmcstest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/whmcsemu/whmcsemu"
)

// NoSocketURL is Server.URL for a server made WithoutSocket. Only the
// server's Client reaches it.
const NoSocketURL = "http://whmcsemu.test"

// Server is a running emulator for one test.
type Server struct {
	// URL is the base URL of the emulator, of the form http://127.0.0.1:port
	// with no trailing slash (NoSocketURL without a socket). The API is at
	// APIURL, the control plane under URL + whmcsemu.ControlPrefix. Unless
	// the fixtures give a settings.systemUrl, URL + "/" is WHMCS's System
	// URL (single sign-on links, the OpenID Connect issuer).
	URL string
	// Identifier and Secret are an API credential allowed every action.
	// With WithSeed they are the same on every run.
	Identifier string
	Secret     string

	tb        testing.TB
	emu       *whmcsemu.Server
	path      string           // the database file
	http      *httptest.Server // nil without a socket
	mem       *memTransport    // nil with a socket
	client    *http.Client
	clock     time.Time
	hasClock  bool
	closeOnce sync.Once
}

// NewServer starts an emulator configured by opts and stops it (Close)
// when the test and its subtests end. It fails the test through tb when
// the emulator cannot start, for example on a broken fixture; call it from
// the test's goroutine.
func NewServer(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	s, err := newServer(tb, newConfig(opts))
	if err != nil {
		tb.Fatalf("whmcstest: %v", err)
	}
	return s
}

func newServer(tb testing.TB, c *config) (*Server, error) {
	if err := errors.Join(c.errs...); err != nil {
		return nil, err
	}
	tpl, err := templateFor(c)
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	path := filepath.Join(tempDir(tb), fmt.Sprintf("whmcsemu-%d.db", dbSeq.Add(1)))
	if err := tpl.CopyTo(path); err != nil {
		return nil, err
	}
	s := &Server{Identifier: tpl.Meta.identifier, Secret: tpl.Meta.secret, tb: tb, path: path, clock: c.clock, hasClock: c.hasClock}
	// The listener comes first, so that the emulator knows its own
	// address: the System URL, unless the fixtures choose one.
	s.URL = NoSocketURL
	if !c.noSocket {
		s.http = httptest.NewUnstartedServer(nil)
		s.URL = "http://" + s.http.Listener.Addr().String()
	}
	// The in-memory transport's host is this server's own name.
	opts := whmcsemu.Options{Clock: c.clockFunc(), Seed: c.seed, Logger: c.logger, AllowedHosts: []string{"whmcsemu.test"},
		SystemURL: s.URL + "/"}
	if c.seed != 0 {
		// Continue the seeded stream where loading the fixtures left it, as
		// on a server that loaded them itself and after every Reset.
		opts.Random, err = seededRandomAt(c.seed, tpl.Meta.randomUsed)
	}
	if err == nil {
		s.emu, err = whmcsemu.Open(ctx, path, opts)
	}
	if err != nil {
		if s.http != nil {
			s.http.Listener.Close()
		}
		return nil, err
	}
	tb.Cleanup(s.Close)
	if s.hasClock {
		s.emu.Clock().Set(s.clock)
	}

	if c.noSocket {
		s.mem = &memTransport{handler: s.emu}
		s.client = &http.Client{Transport: s.mem}
	} else {
		s.http.Config.Handler = s.emu
		s.http.Start()
		s.client = s.http.Client()
	}
	return s, nil
}

// dbSeq names database files apart.
var dbSeq atomic.Int64

// dirs holds the directory each test's servers share, so that a test
// making many servers does not create a directory for each (tb.TempDir
// makes a new one on every call, and creating one is not free everywhere).
var dirs sync.Map // testing.TB → string

// tempDir returns tb's directory for server databases, removed with tb.
func tempDir(tb testing.TB) string {
	if dir, ok := dirs.Load(tb); ok {
		return dir.(string)
	}
	dir, loaded := dirs.LoadOrStore(tb, tb.TempDir())
	if !loaded {
		tb.Cleanup(func() { dirs.Delete(tb) })
	}
	return dir.(string)
}

// Client returns an HTTP client that reaches the emulator: the listener's
// (as httptest.Server.Client), or, without a socket, one whose transport
// hands every request to the emulator in-process, whatever its host. It is
// the same client on every call and safe for concurrent use.
func (s *Server) Client() *http.Client { return s.client }

// APIURL is the WHMCS API endpoint: URL + "/includes/api.php".
func (s *Server) APIURL() string { return s.URL + whmcsemu.APIPath }

// Call runs an action through the local API (no HTTP, no authentication,
// as WHMCS's localAPI), acting as the whmcstest admin. params may be nil.
// Its Result encodes (JSON) as the HTTP answer with responsetype=json does.
func (s *Server) Call(action string, params url.Values) *whmcsemu.Result {
	return s.CallContext(context.Background(), action, params)
}

// CallContext is Call with a context, which bounds, for example, a delay
// an injected fault adds.
func (s *Server) CallContext(ctx context.Context, action string, params url.Values) *whmcsemu.Result {
	if params == nil {
		params = url.Values{}
	}
	return s.emu.Call(ctx, action, params, AdminUsername)
}

// Reset puts the emulator back as NewServer made it: the fixtures' state
// (with the whmcstest credential), an empty journal, no faults, the clock
// on the time WithClock gave (or the real time), and, with WithSeed, the
// same generated values as after start. It fails the test through the
// server's tb on error; call it from the test's goroutine.
func (s *Server) Reset() {
	s.tb.Helper()
	if err := s.reset(context.Background()); err != nil {
		s.tb.Fatalf("whmcstest: reset: %v", err)
	}
}

func (s *Server) reset(ctx context.Context) error {
	// The emulator's Reset puts its clock back on the base (WithClock's
	// time, or the real one) before it applies the fixtures.
	if err := s.emu.Reset(ctx); err != nil {
		return err
	}
	if s.hasClock {
		s.emu.Clock().Set(s.clock)
	}
	return nil
}

// Emulator returns the emulator itself, for what this package does not
// wrap: its Journal, Faults, Clock, Export and LoadFixture.
func (s *Server) Emulator() *whmcsemu.Server { return s.emu }

// Close stops the server: it waits for requests in flight, refuses new
// ones and closes the database. NewServer registers it with tb.Cleanup;
// calling it again does nothing.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		if s.http != nil {
			s.http.Close()
		}
		if s.mem != nil {
			s.mem.close()
		}
		if s.emu != nil {
			if err := s.emu.Close(); err != nil {
				s.tb.Errorf("whmcstest: closing the database: %v", err)
			}
			// Free the space now: a test or benchmark may make thousands.
			_ = os.Remove(s.path)
		}
	})
}
